//! Errors returned by generated input builders.

use std::error::Error;
use std::fmt;

/// A builder could not produce its structure: required members were unset, or a
/// member's value broke a model constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Kind {
    Missing(Vec<&'static str>),
    Invalid {
        member: &'static str,
        message: String,
    },
}

impl BuildError {
    /// Required members of `shape` that were not set.
    pub fn missing_members(shape: &'static str, members: Vec<&'static str>) -> Self {
        Self {
            shape,
            kind: Kind::Missing(members),
        }
    }

    /// `shape.member` was set to a value the model does not allow; `message`
    /// says why (e.g. `must be at least 1`).
    pub fn invalid_member(shape: &'static str, member: &'static str, message: String) -> Self {
        Self {
            shape,
            kind: Kind::Invalid { member, message },
        }
    }

    /// Name of the structure being built.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// Names of the missing required members (empty for an invalid value).
    pub fn missing(&self) -> &[&'static str] {
        match &self.kind {
            Kind::Missing(members) => members,
            Kind::Invalid { .. } => &[],
        }
    }

    /// The member whose value was invalid, if this is an invalid-value error.
    pub fn invalid(&self) -> Option<&'static str> {
        match &self.kind {
            Kind::Missing(_) => None,
            Kind::Invalid { member, .. } => Some(member),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            Kind::Missing(members) => {
                write!(
                    f,
                    "cannot build {}: missing required member(s) ",
                    self.shape
                )?;
                for (i, m) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(m)?;
                }
                Ok(())
            }
            Kind::Invalid { member, message } => {
                write!(
                    f,
                    "invalid value for {}.{}: {}",
                    self.shape, member, message
                )
            }
        }
    }
}

impl Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_missing() {
        let e = BuildError::missing_members(
            "TestMigrationMessage",
            vec!["ReplicationGroupId", "CustomerNodeEndpointList"],
        );
        assert_eq!(
            e.to_string(),
            "cannot build TestMigrationMessage: missing required member(s) ReplicationGroupId, CustomerNodeEndpointList"
        );
        assert_eq!(e.shape(), "TestMigrationMessage");
        assert_eq!(
            e.missing(),
            ["ReplicationGroupId", "CustomerNodeEndpointList"]
        );
        assert_eq!(e.invalid(), None);
    }

    #[test]
    fn display_invalid() {
        let e = BuildError::invalid_member(
            "TestMigrationMessage",
            "Port",
            "must be at least 1".to_string(),
        );
        assert_eq!(
            e.to_string(),
            "invalid value for TestMigrationMessage.Port: must be at least 1"
        );
        assert!(e.missing().is_empty());
        assert_eq!(e.invalid(), Some("Port"));
    }
}
