//! Shared bits of the example programs: argument reading and error reporting.

use std::process::ExitCode;

/// Command-line arguments as `--name value` pairs and bare flags, in order.
pub struct Args {
    items: Vec<String>,
}

impl Args {
    /// The process arguments, without the program name.
    pub fn from_env() -> Self {
        Args {
            items: std::env::args().skip(1).collect(),
        }
    }

    /// Whether a bare flag such as `--yes` is present.
    pub fn flag(&self, name: &str) -> bool {
        self.items.iter().any(|a| a == name)
    }

    /// Every value given for `--name` (an option may repeat).
    pub fn values(&self, name: &str) -> Vec<String> {
        self.items
            .windows(2)
            .filter(|w| w[0] == name)
            .map(|w| w[1].clone())
            .collect()
    }

    /// The last value of `--name`, if given.
    pub fn value(&self, name: &str) -> Option<String> {
        self.values(name).pop()
    }
}

/// Prints an error with its causes and returns a failing exit code.
pub fn fail(error: &dyn std::error::Error) -> ExitCode {
    let mut last = error.to_string();
    eprintln!("error: {last}");
    let mut source = error.source();
    while let Some(cause) = source {
        // Wrappers often repeat their cause's text; print only what adds something.
        let text = cause.to_string();
        if !last.contains(&text) {
            eprintln!("  caused by: {text}");
        }
        last = text;
        source = cause.source();
    }
    ExitCode::FAILURE
}

/// Parses `host:port` (the port is optional).
pub fn parse_endpoint(text: &str) -> Result<(String, Option<i32>), String> {
    match text.rsplit_once(':') {
        Some((host, port)) if !host.is_empty() => {
            let port = port
                .parse::<i32>()
                .map_err(|_| format!("`{text}`: the port must be a number"))?;
            Ok((host.to_string(), Some(port)))
        }
        _ if !text.is_empty() && !text.contains(':') => Ok((text.to_string(), None)),
        _ => Err(format!("`{text}` is not host:port")),
    }
}

pub mod logging;
pub mod progress;
