//! Environment variables as the AWS SDKs read them.

/// A non-empty, trimmed, Unicode environment variable.
pub(crate) fn env_value(name: &str) -> Option<String> {
    let value = std::env::var(name).ok()?;
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// A boolean variable: `true` in any case is true, anything else false.
pub(crate) fn env_flag(name: &str) -> bool {
    env_value(name).is_some_and(|v| v.eq_ignore_ascii_case("true"))
}
