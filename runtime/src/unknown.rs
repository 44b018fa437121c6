//! The payload of generated enums' `Unknown` variant.

use std::fmt;

/// An enum value the generated crate does not know, kept exactly as the service sent it.
///
/// Opaque on purpose: code cannot match on a specific unknown value, so when a later version
/// of the crate learns that value as a named variant, no `match` silently stops matching.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(Box<str>);

impl UnknownVariantValue {
    /// Wraps a value; generated `From<&str>` impls call this for values they do not know.
    pub fn new(value: &str) -> Self {
        UnknownVariantValue(value.into())
    }

    /// The value as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
