//! `RUST_LOG`-controlled logging for the example programs, on stderr.
//!
//! `RUST_LOG=info` shows each call, each retry and each poll of a wait; `debug` adds every
//! attempt. The value is `tracing-subscriber`'s target list (`info`, `elasticache=debug,warn`);
//! unset, only warnings show. Credentials, signatures and bodies are never logged.

use tracing_subscriber::filter::Targets;

/// Installs the subscriber; a malformed `RUST_LOG` is reported and ignored.
pub fn init() {
    let filter = match std::env::var("RUST_LOG") {
        Ok(spec) if !spec.trim().is_empty() => spec.parse::<Targets>().unwrap_or_else(|e| {
            eprintln!("ignoring RUST_LOG={spec:?}: {e}");
            Targets::new().with_default(tracing::Level::WARN)
        }),
        _ => Targets::new().with_default(tracing::Level::WARN),
    };
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .try_init();
}
