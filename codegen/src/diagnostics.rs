//! Errors about the input model, reported all at once like a compiler does.

use std::fmt;

/// One problem found in the model, with enough context to find and fix it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// The file the problem is in (`file:line:column` for JSON syntax errors), when known.
    pub location: Option<String>,
    /// The shape id (`ns#Name`) the problem is about, when there is one.
    pub shape: Option<String>,
    /// The member of that shape, when the problem is about a member.
    pub member: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem with no shape attached (a file, a command-line option).
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            location: None,
            shape: None,
            member: None,
            message: message.into(),
            help: None,
        }
    }

    /// Sets the file (or `file:line:column`) the problem is in.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(location.into());
        self
    }

    /// Sets the shape the problem is about.
    pub fn shape(mut self, shape: impl fmt::Display) -> Self {
        self.shape = Some(shape.to_string());
        self
    }

    /// Sets the member the problem is about.
    pub fn member(mut self, member: impl Into<String>) -> Self {
        self.member = Some(member.into());
        self
    }

    /// Adds advice on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl Diagnostic {
    /// The diagnostic as a warning (something left out, not a failure).
    pub fn warning(&self) -> String {
        let text = self.to_string();
        match text.strip_prefix("error") {
            Some(rest) => format!("warning{rest}"),
            None => text,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("error")?;
        if let Some(location) = &self.location {
            write!(f, " in {location}")?;
        }
        match (&self.shape, &self.member) {
            (Some(shape), Some(member)) => write!(f, " at {shape}${member}")?,
            (Some(shape), None) => write!(f, " at {shape}")?,
            (None, Some(member)) => write!(f, " at member {member}")?,
            (None, None) => {}
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Every problem found in one run, sorted so output is stable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one problem.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// True when nothing was found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of problems found.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `Ok(value)` when no problem was found, else every problem, sorted and deduplicated.
    pub fn into_result<T>(mut self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            self.0.sort();
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(
            f,
            "{} error{} found",
            self.0.len(),
            if self.0.len() == 1 { "" } else { "s" }
        )
    }
}

impl std::error::Error for Diagnostics {}
