//! Shape ids: `namespace#Name`, and member ids `namespace#Name$member`.

use std::fmt;

/// An absolute shape id such as `com.amazonaws.elasticache#ReplicationGroup`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ShapeId {
    namespace: String,
    name: String,
}

impl ShapeId {
    /// Parses `ns#Name`; returns a message saying what is wrong otherwise.
    pub fn parse(text: &str) -> Result<ShapeId, String> {
        let Some((namespace, name)) = text.split_once('#') else {
            return Err(format!(
                "`{text}` is not an absolute shape id: expected `namespace#Name`"
            ));
        };
        if namespace.is_empty() || !namespace.split('.').all(is_identifier) {
            return Err(format!("`{text}` has an invalid namespace `{namespace}`"));
        }
        if !is_identifier(name) {
            return Err(format!("`{text}` has an invalid shape name `{name}`"));
        }
        Ok(ShapeId {
            namespace: namespace.to_string(),
            name: name.to_string(),
        })
    }

    /// Builds an id from parts already known to be valid (the prelude).
    pub(crate) fn new(namespace: &str, name: &str) -> ShapeId {
        ShapeId {
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// The part before `#`.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The part after `#`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// True for shapes of the `smithy.api` prelude.
    pub fn is_prelude(&self) -> bool {
        self.namespace == "smithy.api"
    }
}

impl fmt::Display for ShapeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.namespace, self.name)
    }
}

/// Smithy identifiers: a letter or `_` first, then letters, digits and `_`.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    s != "_" && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}
