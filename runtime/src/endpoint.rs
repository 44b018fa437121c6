//! Endpoint resolution with Smithy endpoint rules (`smithy.rules#endpointRuleSet`).
//!
//! The generator turns a service's rule set into static data: a [`RuleSet`] of parameters
//! and [`Rule`]s. [`resolve`] interprets it for a set of [`Params`] and returns the
//! [`Endpoint`] (URL, headers, properties) or the rule set's [`EndpointError`].
//!
//! Semantics follow the Smithy rules engine specification:
//!
//! - parameter defaults are applied first; a required parameter with no value is an error;
//! - rules are tried in order; a rule's conditions are ANDed, and a condition whose result is
//!   empty (none) or `false` fails the rule; a condition's `assign` binds its result for the
//!   rest of the rule and, for a tree rule, all its children;
//! - a tree rule whose conditions match is terminal: if none of its rules matches, resolution
//!   fails instead of trying the rules after the tree;
//! - strings are templates: `{Name}` inserts a parameter or variable, `{Name#path}` an
//!   attribute of one (as `getAttr`), and `{{`/`}}` are literal braces.
//!
//! Functions: `isSet`, `not`, `booleanEquals`, `stringEquals`, `getAttr`, `parseURL`,
//! `substring`, `uriEncode`, `isValidHostLabel`, `coalesce`, `ite`, `split`, and the AWS
//! functions `aws.partition` (see [`partition`]), `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket`. An unknown function is an [`EndpointError`], never a panic;
//! evaluation depth is bounded, so odd rule data cannot exhaust the stack.

mod eval;
mod functions;
pub mod partition;
mod pattern;

use std::fmt;

use crate::Document;

pub use eval::resolve;

/// A service's endpoint rule set, as static data emitted by the generator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleSet {
    /// The parameters the rules read, with their defaults.
    pub parameters: &'static [Param],
    /// The top-level rules, tried in order.
    pub rules: &'static [Rule],
}

/// One endpoint parameter of a rule set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The parameter's name, as rules refer to it (`Region`, `UseFIPS`, …).
    pub name: &'static str,
    /// The built-in value it is bound to, if any (`AWS::Region`, `SDK::Endpoint`, …).
    pub builtin: Option<&'static str>,
    /// The parameter's type.
    pub kind: ParamKind,
    /// Whether resolution fails when the parameter has no value (after its default).
    pub required: bool,
    /// The value used when the caller sets none. Strings here are taken as they are, not as
    /// templates.
    pub default: Option<Literal>,
}

/// The type of an endpoint parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A string.
    String,
    /// A boolean.
    Boolean,
    /// A list of strings.
    StringArray,
}

/// A rule: conditions, and what to return when they all match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Returns an endpoint.
    Endpoint {
        /// Conditions, all of which must match.
        conditions: &'static [Condition],
        /// The endpoint URL; must evaluate to a string.
        url: Expr,
        /// Headers to send, each with one or more values (each must evaluate to a string).
        headers: &'static [(&'static str, &'static [Expr])],
        /// Endpoint properties (for example `authSchemes`).
        properties: &'static [(&'static str, Literal)],
    },
    /// Fails resolution with a message.
    Error {
        /// Conditions, all of which must match.
        conditions: &'static [Condition],
        /// The error message; must evaluate to a string.
        message: Expr,
    },
    /// Tries nested rules; terminal once its conditions match.
    Tree {
        /// Conditions, all of which must match.
        conditions: &'static [Condition],
        /// The nested rules, tried in order.
        rules: &'static [Rule],
    },
}

impl Rule {
    /// The rule's conditions.
    pub fn conditions(&self) -> &'static [Condition] {
        match self {
            Rule::Endpoint { conditions, .. }
            | Rule::Error { conditions, .. }
            | Rule::Tree { conditions, .. } => conditions,
        }
    }
}

/// A condition: a function call whose result must be set and not `false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Condition {
    /// The function to call.
    pub func: Call,
    /// The variable to bind the call's result to, if any.
    pub assign: Option<&'static str>,
}

/// A function call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// The function's name (`isSet`, `aws.partition`, …).
    pub name: &'static str,
    /// The arguments.
    pub args: &'static [Expr],
}

/// An expression: a function argument, URL, header value or error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expr {
    /// A template string (`"https://{Region}.{PartitionResult#dnsSuffix}"`).
    String(&'static str),
    /// A boolean literal.
    Bool(bool),
    /// An integer literal.
    Int(i64),
    /// The value of a parameter or assigned variable.
    Ref(&'static str),
    /// The result of a function call.
    Call(&'static Call),
    /// An array of values.
    Array(&'static [Expr]),
}

/// A literal value of an endpoint property or parameter default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Literal {
    /// A string; a template in endpoint properties.
    Str(&'static str),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array.
    Array(&'static [Literal]),
    /// An object, in source order.
    Object(&'static [(&'static str, Literal)]),
}

/// A value during evaluation: a parameter, a variable or a function result.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Value {
    /// No value (an unset parameter, or an empty function result).
    #[default]
    None,
    /// A string.
    String(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// An array.
    Array(Vec<Value>),
    /// A record, such as the result of `aws.partition` or `parseURL`.
    Object(Vec<(&'static str, Value)>),
}

impl Value {
    /// Whether this is [`Value::None`].
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The field `key` of a record.
    pub fn field(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(fields) => fields.iter().find(|(k, _)| *k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_string())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

/// Parameter values for [`resolve`], by parameter name.
///
/// ```
/// use aws_lite_runtime::endpoint::Params;
///
/// let params = Params::new().set_str("Region", "us-east-1").set_bool("UseFIPS", true);
/// assert_eq!(params.get("Region").and_then(|v| v.as_str()), Some("us-east-1"));
/// ```
///
/// Names the rule set does not declare are ignored, so one set of built-in values can be
/// passed to any service.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    values: Vec<(String, Value)>,
}

impl Params {
    /// No values set.
    pub fn new() -> Self {
        Params::default()
    }

    /// Sets a string parameter.
    pub fn set_str(self, name: &str, value: impl Into<String>) -> Self {
        self.set(name, Value::String(value.into()))
    }

    /// Sets a boolean parameter.
    pub fn set_bool(self, name: &str, value: bool) -> Self {
        self.set(name, Value::Bool(value))
    }

    /// Sets a string-array parameter.
    pub fn set_string_array<I, S>(self, name: &str, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let items = values
            .into_iter()
            .map(|s| Value::String(s.into()))
            .collect();
        self.set(name, Value::Array(items))
    }

    /// Sets a parameter to any value; [`Value::None`] unsets it.
    pub fn set(mut self, name: &str, value: Value) -> Self {
        self.insert(name, value);
        self
    }

    /// Sets a parameter in place; [`Value::None`] unsets it.
    pub fn insert(&mut self, name: &str, value: Value) {
        match self.values.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.values.push((name.to_string(), value)),
        }
    }

    /// The value set for `name`, if any.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values
            .iter()
            .find(|(n, v)| n == name && !v.is_none())
            .map(|(_, v)| v)
    }
}

/// A resolved endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    /// The URL to send requests to.
    pub url: String,
    /// Headers to add to requests, in rule order, each with its values.
    pub headers: Vec<(String, Vec<String>)>,
    /// Endpoint properties (an object; empty when the rule sets none).
    pub properties: Document,
}

impl Endpoint {
    /// The endpoint with `prefix` (a `smithy.api#endpoint` host prefix, labels already
    /// filled in) put before its host: `https://svc.example.com` with `data-` becomes
    /// `https://data-svc.example.com`.
    pub fn with_host_prefix(mut self, prefix: &str) -> Result<Endpoint, EndpointError> {
        let Some(scheme_end) = self.url.find("://").map(|i| i + 3) else {
            return Err(EndpointError::new(
                EndpointErrorKind::InvalidParameter,
                format!("cannot add a host prefix to `{}`: no scheme", self.url),
            ));
        };
        let valid = !prefix.is_empty()
            && prefix
                .split('.')
                .enumerate()
                .all(|(i, part)| (part.is_empty() && i > 0) || is_host_label(part));
        if !valid {
            return Err(EndpointError::new(
                EndpointErrorKind::InvalidParameter,
                format!("host prefix `{prefix}` would not make a valid host"),
            ));
        }
        self.url.insert_str(scheme_end, prefix);
        Ok(self)
    }

    /// The values of header `name` (case-insensitive), if the endpoint sets it.
    pub fn header(&self, name: &str) -> Option<&[String]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_slice())
    }

    /// The `sigv4` entry of the endpoint's `authSchemes` property: its `signingRegion` and
    /// `signingName`, which override the config's region and the service's signing name
    /// (e.g. a global endpoint signed for `us-east-1`).
    pub fn sigv4_overrides(&self) -> (Option<&str>, Option<&str>) {
        fn field<'a>(
            scheme: &'a std::collections::BTreeMap<String, Document>,
            key: &str,
        ) -> Option<&'a str> {
            match scheme.get(key) {
                Some(Document::String(s)) if !s.is_empty() => Some(s.as_str()),
                _ => None,
            }
        }
        let Some(Document::Array(schemes)) = self.property("authSchemes") else {
            return (None, None);
        };
        for scheme in schemes {
            if let Document::Object(scheme) = scheme {
                if field(scheme, "name") == Some("sigv4") {
                    return (field(scheme, "signingRegion"), field(scheme, "signingName"));
                }
            }
        }
        (None, None)
    }

    /// The property `name`, if the endpoint sets it.
    pub fn property(&self, name: &str) -> Option<&Document> {
        match &self.properties {
            Document::Object(map) => map.get(name),
            _ => None,
        }
    }
}

/// Why endpoint resolution failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointErrorKind {
    /// An error rule matched; the message is the rule's (for example
    /// `Invalid Configuration: Missing Region`).
    Rule,
    /// A required parameter has no value and no default.
    MissingParameter,
    /// A parameter's value has the wrong type.
    InvalidParameter,
    /// No rule matched (at the top level, or inside a matching tree rule).
    NoMatch,
    /// The rule set itself is malformed: an unknown function, a wrong argument count or
    /// type, a bad template, or nesting deeper than the evaluator allows.
    InvalidRuleSet,
}

/// Endpoint resolution failed; [`Display`](fmt::Display) prints the message alone, so a
/// rule's error reads exactly as the rule set wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointError {
    kind: EndpointErrorKind,
    message: String,
}

impl EndpointError {
    /// An error of `kind` with `message`.
    pub fn new(kind: EndpointErrorKind, message: impl Into<String>) -> Self {
        EndpointError {
            kind,
            message: message.into(),
        }
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> EndpointErrorKind {
        self.kind
    }

    /// The message (for [`EndpointErrorKind::Rule`], exactly the rule's text).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for EndpointError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EndpointError {}

/// A valid host label: 1 to 63 letters, digits and hyphens, not starting with a hyphen.
/// Values of `smithy.api#hostLabel` members are checked with it before a request is sent.
pub fn is_host_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && !label.starts_with('-')
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}
