//! The error type for everything XML.

use std::error::Error;
use std::fmt;

/// Malformed or unexpected XML, or a value that did not parse; says what went
/// wrong and, when known, the byte offset where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlError(
    // Boxed so that `Result<Tag, XmlError>` stays small on the hot path.
    Box<Inner>,
);

#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    message: String,
    offset: Option<usize>,
}

impl XmlError {
    /// An error raised by a generated parser itself (e.g. a wrong root element).
    pub fn custom(message: impl Into<String>) -> Self {
        Self(Box::new(Inner {
            message: message.into(),
            offset: None,
        }))
    }

    pub(crate) fn at(message: impl Into<String>, offset: usize) -> Self {
        Self(Box::new(Inner {
            message: message.into(),
            offset: Some(offset),
        }))
    }

    /// What went wrong, without the offset.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// Byte offset in the input where the problem was found, if known.
    pub fn offset(&self) -> Option<usize> {
        self.0.offset
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if let Some(offset) = self.0.offset {
            write!(f, " (at byte {offset})")?;
        }
        Ok(())
    }
}

impl Error for XmlError {}
