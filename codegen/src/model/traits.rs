//! Typed access to the traits a client generator needs; every other trait is kept as raw JSON.

use std::collections::BTreeMap;

use serde_json::Value;

/// A `timestampFormat` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 `date-time`.
    DateTime,
    /// IMF-fixdate `http-date`.
    HttpDate,
    /// Seconds since the epoch.
    EpochSeconds,
}

/// Who is at fault for an error shape (`smithy.api#error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorFault {
    /// The caller sent something wrong.
    Client,
    /// The service failed.
    Server,
}

/// `aws.protocols#awsQueryError`: the wire code and HTTP status of an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwsQueryError {
    /// The `<Code>` the service sends.
    pub code: String,
    /// The HTTP status it comes with.
    pub http_response_code: u16,
}

/// `smithy.api#deprecated`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Deprecated {
    /// What to use instead.
    pub message: Option<String>,
    /// Since when.
    pub since: Option<String>,
}

/// `smithy.api#length` (also used for collection sizes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Length {
    /// Inclusive minimum.
    pub min: Option<u64>,
    /// Inclusive maximum.
    pub max: Option<u64>,
}

/// `smithy.api#range`, kept as decimal numbers.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NumberRange {
    /// Inclusive minimum.
    pub min: Option<f64>,
    /// Inclusive maximum.
    pub max: Option<f64>,
}

/// `smithy.api#paginated`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paginated {
    /// Input member carrying the continuation token.
    pub input_token: Option<String>,
    /// Output path of the next token.
    pub output_token: Option<String>,
    /// Output path of the items.
    pub items: Option<String>,
    /// Input member limiting the page size.
    pub page_size: Option<String>,
}

/// `smithy.api#retryable`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Retryable {
    /// Whether the error is a throttling error.
    pub throttling: bool,
}

/// One value of a Smithy 1.0 `smithy.api#enum` trait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumDefinition {
    /// The wire value.
    pub value: String,
    /// The optional constant name.
    pub name: Option<String>,
    /// Documentation of the value.
    pub documentation: Option<String>,
    /// Whether the value is deprecated.
    pub deprecated: bool,
}

/// An `enumValue`: a string for `enum`, an integer for `intEnum`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnumValue {
    /// Wire value of an enum member.
    String(String),
    /// Value of an intEnum member.
    Int(i64),
}

/// A waiter acceptor's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// Stop waiting: done.
    Success,
    /// Stop waiting: it will not happen.
    Failure,
    /// Keep waiting.
    Retry,
}

/// How an acceptor compares a path's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathComparator {
    /// The value is the expected string.
    StringEquals,
    /// The value is the expected boolean.
    BooleanEquals,
    /// A non-empty list whose every item equals the expected string.
    AllStringEquals,
    /// A list with at least one item equal to the expected string.
    AnyStringEquals,
}

/// A path matcher of a waiter acceptor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatcher {
    /// JMESPath expression.
    pub path: String,
    /// Value to compare with.
    pub expected: String,
    /// Comparison.
    pub comparator: PathComparator,
}

/// What an acceptor looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matcher {
    /// A path over the output.
    Output(PathMatcher),
    /// A path over `{input, output}`.
    InputOutput(PathMatcher),
    /// Whether the call succeeded.
    Success(bool),
    /// The error's shape name or code.
    ErrorType(String),
}

/// One acceptor of a waiter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acceptor {
    /// What happens when it matches.
    pub state: AcceptorState,
    /// What it matches.
    pub matcher: Matcher,
}

/// One waiter of `smithy.waiters#waitable`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiter {
    /// Documentation of the waiter.
    pub documentation: Option<String>,
    /// Acceptors in order.
    pub acceptors: Vec<Acceptor>,
    /// Minimum delay in seconds (default 2).
    pub min_delay: u64,
    /// Maximum delay in seconds (default 120).
    pub max_delay: u64,
    /// Whether the waiter is deprecated.
    pub deprecated: bool,
}

/// The traits of a shape or member: typed where the generator uses them, raw otherwise.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Traits {
    /// `smithy.api#documentation` (HTML).
    pub documentation: Option<String>,
    /// `smithy.api#required`.
    pub required: bool,
    /// `smithy.api#clientOptional`.
    pub client_optional: bool,
    /// `smithy.api#default`.
    pub default: Option<Value>,
    /// `smithy.api#enumValue`.
    pub enum_value: Option<EnumValue>,
    /// `smithy.api#enum` (Smithy 1.0 string enums).
    pub enum_definitions: Option<Vec<EnumDefinition>>,
    /// `smithy.api#xmlName`.
    pub xml_name: Option<String>,
    /// `smithy.api#xmlFlattened`.
    pub xml_flattened: bool,
    /// `smithy.api#xmlAttribute`.
    pub xml_attribute: bool,
    /// `smithy.api#xmlNamespace` uri.
    pub xml_namespace: Option<String>,
    /// `smithy.api#timestampFormat`.
    pub timestamp_format: Option<TimestampFormat>,
    /// `smithy.api#sensitive`.
    pub sensitive: bool,
    /// `smithy.api#error`.
    pub error: Option<ErrorFault>,
    /// `smithy.api#httpError`.
    pub http_error: Option<u16>,
    /// `aws.protocols#awsQueryError`.
    pub aws_query_error: Option<AwsQueryError>,
    /// `smithy.api#deprecated`.
    pub deprecated: Option<Deprecated>,
    /// `smithy.api#length`.
    pub length: Option<Length>,
    /// `smithy.api#range`.
    pub range: Option<NumberRange>,
    /// `smithy.api#pattern`.
    pub pattern: Option<String>,
    /// `smithy.api#idempotencyToken`.
    pub idempotency_token: bool,
    /// `smithy.api#paginated`.
    pub paginated: Option<Paginated>,
    /// `smithy.waiters#waitable`, by waiter name.
    pub waitable: Option<BTreeMap<String, Waiter>>,
    /// `smithy.api#input`.
    pub input: bool,
    /// `smithy.api#output`.
    pub output: bool,
    /// `smithy.api#sparse`.
    pub sparse: bool,
    /// `smithy.api#retryable`.
    pub retryable: Option<Retryable>,
    /// `smithy.api#mixin`.
    pub mixin: bool,
    /// `smithy.rules#endpointRuleSet`, kept as JSON for the rules engine.
    pub endpoint_rule_set: Option<Value>,
    /// `smithy.rules#endpointTests`, kept as JSON.
    pub endpoint_tests: Option<Value>,
    /// `aws.protocols#awsQuery` is present.
    pub aws_query: bool,
    /// `aws.auth#sigv4` signing name.
    pub sigv4_name: Option<String>,
    /// `aws.api#service` sdkId.
    pub sdk_id: Option<String>,
    /// `aws.api#service` endpointPrefix.
    pub endpoint_prefix: Option<String>,
    /// Every trait as written, typed or not, by absolute trait id.
    pub raw: BTreeMap<String, Value>,
}

impl Traits {
    /// Types the raw traits; each malformed value yields a message naming the trait.
    pub fn parse(raw: BTreeMap<String, Value>) -> (Traits, Vec<String>) {
        let mut t = Traits::default();
        let mut errors = Vec::new();
        for (id, value) in &raw {
            if let Err(e) = t.set(id, value) {
                errors.push(format!("trait `{id}` has an invalid value: {e}"));
            }
        }
        t.raw = raw;
        (t, errors)
    }

    fn set(&mut self, id: &str, v: &Value) -> Result<(), String> {
        match id {
            "smithy.api#documentation" => self.documentation = Some(string(v)?),
            "smithy.api#required" => self.required = annotation(v)?,
            "smithy.api#clientOptional" => self.client_optional = annotation(v)?,
            "smithy.api#default" => self.default = Some(v.clone()),
            "smithy.api#enumValue" => {
                self.enum_value = Some(match v {
                    Value::String(s) => EnumValue::String(s.clone()),
                    Value::Number(n) => EnumValue::Int(
                        n.as_i64()
                            .ok_or("an intEnum value must be a 32-bit integer")?,
                    ),
                    _ => return Err("expected a string or an integer".into()),
                })
            }
            "smithy.api#enum" => self.enum_definitions = Some(enum_definitions(v)?),
            "smithy.api#xmlName" => self.xml_name = Some(string(v)?),
            "smithy.api#xmlFlattened" => self.xml_flattened = annotation(v)?,
            "smithy.api#xmlAttribute" => self.xml_attribute = annotation(v)?,
            "smithy.api#xmlNamespace" => {
                self.xml_namespace = Some(string(field(v, "uri")?.ok_or("missing `uri`")?)?)
            }
            "smithy.api#timestampFormat" => {
                self.timestamp_format = Some(match string(v)?.as_str() {
                    "date-time" => TimestampFormat::DateTime,
                    "http-date" => TimestampFormat::HttpDate,
                    "epoch-seconds" => TimestampFormat::EpochSeconds,
                    other => {
                        return Err(format!(
                            "`{other}` is not one of `date-time`, `http-date`, `epoch-seconds`"
                        ))
                    }
                })
            }
            "smithy.api#sensitive" => self.sensitive = annotation(v)?,
            "smithy.api#error" => {
                self.error = Some(match string(v)?.as_str() {
                    "client" => ErrorFault::Client,
                    "server" => ErrorFault::Server,
                    other => return Err(format!("`{other}` is not `client` or `server`")),
                })
            }
            "smithy.api#httpError" => self.http_error = Some(status(v)?),
            "aws.protocols#awsQueryError" => {
                self.aws_query_error = Some(AwsQueryError {
                    code: string(field(v, "code")?.ok_or("missing `code`")?)?,
                    http_response_code: status(
                        field(v, "httpResponseCode")?.ok_or("missing `httpResponseCode`")?,
                    )?,
                })
            }
            "smithy.api#deprecated" => {
                self.deprecated = Some(Deprecated {
                    message: field(v, "message")?.map(string).transpose()?,
                    since: field(v, "since")?.map(string).transpose()?,
                })
            }
            "smithy.api#length" => {
                self.length = Some(Length {
                    min: field(v, "min")?.map(unsigned).transpose()?,
                    max: field(v, "max")?.map(unsigned).transpose()?,
                })
            }
            "smithy.api#range" => {
                self.range = Some(NumberRange {
                    min: field(v, "min")?.map(number).transpose()?,
                    max: field(v, "max")?.map(number).transpose()?,
                })
            }
            "smithy.api#pattern" => self.pattern = Some(string(v)?),
            "smithy.api#idempotencyToken" => self.idempotency_token = annotation(v)?,
            "smithy.api#paginated" => {
                self.paginated = Some(Paginated {
                    input_token: field(v, "inputToken")?.map(string).transpose()?,
                    output_token: field(v, "outputToken")?.map(string).transpose()?,
                    items: field(v, "items")?.map(string).transpose()?,
                    page_size: field(v, "pageSize")?.map(string).transpose()?,
                })
            }
            "smithy.waiters#waitable" => self.waitable = Some(waiters(v)?),
            "smithy.api#input" => self.input = annotation(v)?,
            "smithy.api#output" => self.output = annotation(v)?,
            "smithy.api#sparse" => self.sparse = annotation(v)?,
            "smithy.api#retryable" => {
                self.retryable = Some(Retryable {
                    throttling: field(v, "throttling")?
                        .map(boolean)
                        .transpose()?
                        .unwrap_or(false),
                })
            }
            "smithy.api#mixin" => {
                object(v)?;
                self.mixin = true
            }
            "smithy.rules#endpointRuleSet" => {
                object(v)?;
                self.endpoint_rule_set = Some(v.clone())
            }
            "smithy.rules#endpointTests" => {
                object(v)?;
                self.endpoint_tests = Some(v.clone())
            }
            "aws.protocols#awsQuery" => self.aws_query = annotation(v)?,
            "aws.auth#sigv4" => {
                self.sigv4_name = Some(string(field(v, "name")?.ok_or("missing `name`")?)?)
            }
            "aws.api#service" => {
                self.sdk_id = Some(string(field(v, "sdkId")?.ok_or("missing `sdkId`")?)?);
                self.endpoint_prefix = field(v, "endpointPrefix")?.map(string).transpose()?;
            }
            _ => {}
        }
        Ok(())
    }
}

fn object(v: &Value) -> Result<&serde_json::Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("expected an object, found {}", kind(v)))
}

fn field<'a>(v: &'a Value, name: &str) -> Result<Option<&'a Value>, String> {
    Ok(object(v)?.get(name).filter(|v| !v.is_null()))
}

fn string(v: &Value) -> Result<String, String> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("expected a string, found {}", kind(v)))
}

fn boolean(v: &Value) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("expected a boolean, found {}", kind(v)))
}

fn unsigned(v: &Value) -> Result<u64, String> {
    v.as_u64()
        .ok_or_else(|| format!("expected a non-negative integer, found {v}"))
}

fn number(v: &Value) -> Result<f64, String> {
    v.as_f64()
        .ok_or_else(|| format!("expected a number, found {}", kind(v)))
}

fn status(v: &Value) -> Result<u16, String> {
    v.as_u64()
        .and_then(|n| u16::try_from(n).ok())
        .filter(|n| (100..=599).contains(n))
        .ok_or_else(|| format!("expected an HTTP status code (100-599), found {v}"))
}

/// Annotation traits are written `{}`; `true` is accepted too.
fn annotation(v: &Value) -> Result<bool, String> {
    match v {
        Value::Object(_) | Value::Bool(true) => Ok(true),
        _ => Err(format!(
            "an annotation trait takes `{{}}`, found {}",
            kind(v)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn enum_definitions(v: &Value) -> Result<Vec<EnumDefinition>, String> {
    let items = v
        .as_array()
        .ok_or_else(|| format!("expected an array, found {}", kind(v)))?;
    items
        .iter()
        .map(|item| {
            Ok(EnumDefinition {
                value: string(field(item, "value")?.ok_or("an enum definition needs `value`")?)?,
                name: field(item, "name")?.map(string).transpose()?,
                documentation: field(item, "documentation")?.map(string).transpose()?,
                deprecated: field(item, "deprecated")?
                    .map(boolean)
                    .transpose()?
                    .unwrap_or(false),
            })
        })
        .collect()
}

fn waiters(v: &Value) -> Result<BTreeMap<String, Waiter>, String> {
    let mut out = BTreeMap::new();
    for (name, w) in object(v)? {
        let acceptors = field(w, "acceptors")?
            .and_then(Value::as_array)
            .ok_or_else(|| format!("waiter `{name}` needs an `acceptors` array"))?
            .iter()
            .map(acceptor)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("waiter `{name}`: {e}"))?;
        out.insert(
            name.clone(),
            Waiter {
                documentation: field(w, "documentation")?.map(string).transpose()?,
                acceptors,
                min_delay: field(w, "minDelay")?
                    .map(unsigned)
                    .transpose()?
                    .unwrap_or(2),
                max_delay: field(w, "maxDelay")?
                    .map(unsigned)
                    .transpose()?
                    .unwrap_or(120),
                deprecated: field(w, "deprecated")?
                    .map(boolean)
                    .transpose()?
                    .unwrap_or(false),
            },
        );
    }
    Ok(out)
}

fn acceptor(v: &Value) -> Result<Acceptor, String> {
    let state = match string(field(v, "state")?.ok_or("an acceptor needs `state`")?)?.as_str() {
        "success" => AcceptorState::Success,
        "failure" => AcceptorState::Failure,
        "retry" => AcceptorState::Retry,
        other => return Err(format!("unknown acceptor state `{other}`")),
    };
    let m = object(field(v, "matcher")?.ok_or("an acceptor needs `matcher`")?)?;
    let (kind, body) = m
        .iter()
        .next()
        .filter(|_| m.len() == 1)
        .ok_or("a matcher has exactly one of output, inputOutput, success, errorType")?;
    let matcher = match kind.as_str() {
        "output" => Matcher::Output(path_matcher(body)?),
        "inputOutput" => Matcher::InputOutput(path_matcher(body)?),
        "success" => Matcher::Success(boolean(body)?),
        "errorType" => Matcher::ErrorType(string(body)?),
        other => return Err(format!("unknown matcher `{other}`")),
    };
    Ok(Acceptor { state, matcher })
}

fn path_matcher(v: &Value) -> Result<PathMatcher, String> {
    let comparator = match string(field(v, "comparator")?.ok_or("missing `comparator`")?)?.as_str()
    {
        "stringEquals" => PathComparator::StringEquals,
        "booleanEquals" => PathComparator::BooleanEquals,
        "allStringEquals" => PathComparator::AllStringEquals,
        "anyStringEquals" => PathComparator::AnyStringEquals,
        other => return Err(format!("unknown comparator `{other}`")),
    };
    Ok(PathMatcher {
        path: string(field(v, "path")?.ok_or("missing `path`")?)?,
        expected: string(field(v, "expected")?.ok_or("missing `expected`")?)?,
        comparator,
    })
}
