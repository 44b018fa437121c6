//! The lowered model the emitters read: final Rust names, nullability, wire names, docs.
//!
//! Emitters never look in the raw model: everything they need is decided here, once.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::closure::Closure;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{
    Deprecated, EnumValue, ErrorFault, Length, Member, Model, NumberRange, Paginated, Shape,
    ShapeId, ShapeKind, Simple, TimestampFormat, Traits, Waiter,
};
use crate::naming::{self, FieldScope, VariantScope};

/// Everything one generated crate contains.
#[derive(Debug, Clone)]
pub struct Crate {
    /// The service.
    pub service: ServiceIr,
    /// Structures (errors included), sorted by Rust name.
    pub structures: Vec<StructureIr>,
    /// String and integer enums, sorted by Rust name.
    pub enums: Vec<EnumIr>,
    /// Unions, sorted by Rust name.
    pub unions: Vec<UnionIr>,
    /// Operations, sorted by name.
    pub operations: Vec<OperationIr>,
}

/// The service being generated.
#[derive(Debug, Clone)]
pub struct ServiceIr {
    /// Its shape id.
    pub id: ShapeId,
    /// The SDK id (`ElastiCache`), or the shape name.
    pub sdk_id: String,
    /// API version.
    pub version: String,
    /// SigV4 signing name.
    pub signing_name: Option<String>,
    /// `xmlNamespace` uri.
    pub xml_namespace: Option<String>,
    /// The wire protocol.
    pub protocol: Protocol,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// The endpoint rule set, as JSON.
    pub endpoint_rule_set: Option<Value>,
    /// The endpoint tests, as JSON.
    pub endpoint_tests: Option<Value>,
    /// Service-level paginated defaults.
    pub paginated: Option<Paginated>,
}

/// The query-family protocols this generator speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// `aws.protocols#awsQuery`.
    AwsQuery,
    /// `aws.protocols#ec2Query`: EC2's variant (capitalised keys, lists always flattened, no
    /// `Result` wrapper, `<Response><Errors>` errors).
    Ec2Query,
}

impl Protocol {
    /// The protocol a service declares, if it is one of ours.
    pub fn of(traits: &Traits) -> Option<Protocol> {
        if traits.aws_query {
            Some(Protocol::AwsQuery)
        } else if traits.raw.contains_key(EC2_QUERY) {
            Some(Protocol::Ec2Query)
        } else {
            None
        }
    }
}

/// The ec2Query protocol trait.
pub const EC2_QUERY: &str = "aws.protocols#ec2Query";
/// The ec2Query member trait naming a member's query key.
pub const EC2_QUERY_NAME: &str = "aws.protocols#ec2QueryName";

/// An operation.
#[derive(Debug, Clone)]
pub struct OperationIr {
    /// Its shape id.
    pub id: ShapeId,
    /// The model file it was read from (for diagnostics).
    pub source: String,
    /// Wire name (`Action=`).
    pub name: String,
    /// Module name (`test_migration`).
    pub snake_name: String,
    /// `Client` method name (usually the module name).
    pub method_name: String,
    /// Stem of the operation's Rust types (`{type_name}FluentBuilder`, `{type_name}Error`,
    /// `{type_name}Paginator`, …): the name when it is UpperCamelCase, else its UpperCamelCase
    /// form, with a number when two operations would share it.
    pub type_name: String,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Rust name of the input structure, if any.
    pub input: Option<String>,
    /// Rust name of the output structure, if any.
    pub output: Option<String>,
    /// Rust names of the error structures (operation's, then service's).
    pub errors: Vec<String>,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
    /// Pagination, merged with the service's defaults.
    pub paginated: Option<Paginated>,
    /// Waiters by name.
    pub waiters: BTreeMap<String, Waiter>,
    /// `smithy.api#endpoint`: the host prefix template, e.g. `{Label}.data-`.
    pub host_prefix: Option<String>,
    /// `smithy.api#requestCompression` lists gzip: large bodies are sent gzipped.
    pub request_compression: bool,
    /// How requests are authenticated (`smithy.api#auth`, `smithy.api#optionalAuth`).
    pub auth: OperationAuth,
}

/// How an operation's requests are authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationAuth {
    /// Signed with SigV4 (the service's `aws.auth#sigv4`).
    SigV4,
    /// `smithy.api#optionalAuth`: signed when credentials are available, sent unsigned
    /// otherwise.
    Optional,
    /// `smithy.api#auth` with an empty list: never signed.
    None,
}

impl OperationAuth {
    /// The operation's auth, from its traits (see [`crate::wire_traits`] for the schemes that
    /// are refused).
    pub fn of(traits: &std::collections::BTreeMap<String, Value>) -> Self {
        if let Some(schemes) = traits.get(AUTH).and_then(Value::as_array) {
            if schemes.is_empty() {
                return OperationAuth::None;
            }
        }
        if traits.contains_key(OPTIONAL_AUTH) {
            return OperationAuth::Optional;
        }
        OperationAuth::SigV4
    }
}

/// The `smithy.api#auth` trait: the auth schemes an operation (or service) uses, in order.
pub const AUTH: &str = "smithy.api#auth";
/// The `smithy.api#optionalAuth` trait.
pub const OPTIONAL_AUTH: &str = "smithy.api#optionalAuth";

/// The `smithy.api#endpoint` trait.
pub const ENDPOINT: &str = "smithy.api#endpoint";
/// The `smithy.api#hostLabel` trait.
pub const HOST_LABEL: &str = "smithy.api#hostLabel";
/// The `smithy.api#requestCompression` trait.
pub const REQUEST_COMPRESSION: &str = "smithy.api#requestCompression";

/// The role a structure plays.
#[derive(Debug, Clone, PartialEq)]
pub enum StructRole {
    /// Plain data.
    Data,
    /// An operation's input.
    Input,
    /// An operation's output.
    Output,
    /// An error.
    Error(ErrorIr),
}

/// What an error structure adds.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorIr {
    /// The `<Code>` on the wire (awsQueryError code, else the shape name).
    pub code: String,
    /// HTTP status (awsQueryError, else httpError, else 400/500 by fault).
    pub status: u16,
    /// Client or server fault.
    pub fault: ErrorFault,
    /// Whether the error is retryable, and whether as throttling.
    pub retryable: Option<bool>,
    /// Index of the `message` field in `members`, if there is one.
    pub message_field: Option<usize>,
}

/// A structure.
#[derive(Debug, Clone)]
pub struct StructureIr {
    /// Shape id.
    pub id: ShapeId,
    /// Rust type name.
    pub name: String,
    /// Module (file stem) name.
    pub module: String,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Its role.
    pub role: StructRole,
    /// Fields in model order.
    pub fields: Vec<FieldIr>,
    /// The whole structure is sensitive.
    pub sensitive: bool,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
    /// Whether `build()` returns a `Result`.
    pub fallible_builder: bool,
}

impl StructureIr {
    /// The path of the type inside the crate.
    pub fn path(&self) -> String {
        type_path(&self.name, matches!(self.role, StructRole::Error(_)))
    }
}

/// A structure member.
#[derive(Debug, Clone)]
pub struct FieldIr {
    /// Member name as written in the model (the serde key).
    pub member_name: String,
    /// Rust field name (not yet escaped: see [`naming::ident`]).
    pub name: String,
    /// Documentation (HTML), possibly a fallback sentence.
    pub docs: String,
    /// Rust type of the value.
    pub ty: TypeRef,
    /// `Option<…>` around it (Smithy 2.0 client nullability).
    pub optional: bool,
    /// Boxed because the target recursively contains this structure.
    pub boxed: bool,
    /// Has `smithy.api#required`.
    pub required: bool,
    /// Default value when not optional.
    pub default: Option<DefaultValue>,
    /// Redacted in Debug.
    pub sensitive: bool,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
    /// Element name in responses (xmlName or member name).
    pub wire_name: String,
    /// Key in requests: awsQuery uses the element name; ec2Query uses `ec2QueryName`, else the
    /// element name with its first letter capitalised.
    pub query_name: String,
    /// `xmlFlattened`.
    pub flattened: bool,
    /// `xmlAttribute`.
    pub attribute: bool,
    /// Timestamp format that applies (member, then target, else date-time).
    pub timestamp_format: TimestampFormat,
    /// `idempotencyToken`.
    pub idempotency_token: bool,
    /// `hostLabel`: the value fills a label of the operation's host prefix.
    pub host_label: bool,
    /// Constraints from the member and its target.
    pub constraints: Constraints,
}

/// Validation constraints (member traits win over target traits).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// Length of strings, blobs, lists, maps.
    pub length: Option<Length>,
    /// Numeric range.
    pub range: Option<NumberRange>,
    /// Regex pattern for strings.
    pub pattern: Option<String>,
}

/// A default value for a non-optional member.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultValue {
    /// `false`/`true`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string (also big numbers and string enums: their wire value).
    Str(String),
    /// Empty list.
    EmptyList,
    /// Empty map.
    EmptyMap,
    /// Epoch seconds.
    Timestamp(f64),
    /// A blob, as base64 text.
    Blob(String),
    /// An intEnum value.
    IntEnum(i64),
}

/// A Rust type of a field, list item or map value.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// bigInteger/bigDecimal, kept as decimal text so no precision is lost.
    BigNumber,
    /// Runtime `DateTime`.
    Timestamp,
    /// Runtime `Blob`.
    Blob,
    /// Runtime `Document`.
    Document,
    /// A generated string enum, by Rust name.
    Enum(String),
    /// A generated intEnum, by Rust name.
    IntEnum(String),
    /// A generated structure: Rust name and whether it is an error (its module differs).
    Structure(String, bool),
    /// A generated union.
    Union(String),
    /// A list.
    List(Box<ListIr>),
    /// A map.
    Map(Box<MapIr>),
}

/// A list's item and wire details.
#[derive(Debug, Clone, PartialEq)]
pub struct ListIr {
    /// Item type.
    pub item: TypeRef,
    /// Items may be null (`@sparse`).
    pub sparse: bool,
    /// Item element name (`member`, or the list member's xmlName).
    pub item_name: String,
    /// Item timestamp format.
    pub item_timestamp_format: TimestampFormat,
}

/// A map's key, value and wire details.
#[derive(Debug, Clone, PartialEq)]
pub struct MapIr {
    /// Key type (String or a string enum).
    pub key: TypeRef,
    /// Value type.
    pub value: TypeRef,
    /// Values may be null (`@sparse`).
    pub sparse: bool,
    /// Key element name.
    pub key_name: String,
    /// Value element name.
    pub value_name: String,
    /// Value timestamp format.
    pub value_timestamp_format: TimestampFormat,
}

/// A string or integer enum.
#[derive(Debug, Clone)]
pub struct EnumIr {
    /// Shape id.
    pub id: ShapeId,
    /// Rust type name.
    pub name: String,
    /// Module name.
    pub module: String,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// An intEnum rather than a string enum.
    pub int: bool,
    /// Values in model order.
    pub variants: Vec<VariantIr>,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct VariantIr {
    /// Rust variant name.
    pub name: String,
    /// Wire value.
    pub value: EnumValue,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// Deprecated value.
    pub deprecated: bool,
}

/// A union.
#[derive(Debug, Clone)]
pub struct UnionIr {
    /// Shape id.
    pub id: ShapeId,
    /// Rust type name.
    pub name: String,
    /// Module name.
    pub module: String,
    /// Documentation (HTML).
    pub docs: Option<String>,
    /// One variant per member.
    pub variants: Vec<UnionVariantIr>,
    /// Deprecation.
    pub deprecated: Option<Deprecated>,
}

/// A union member.
#[derive(Debug, Clone)]
pub struct UnionVariantIr {
    /// Rust variant name.
    pub name: String,
    /// Member name (wire and serde key).
    pub member_name: String,
    /// Payload type.
    pub ty: TypeRef,
    /// Boxed for recursion.
    pub boxed: bool,
    /// Documentation (HTML).
    pub docs: String,
}

/// Where a generated type lives.
pub fn type_path(name: &str, error: bool) -> String {
    if error {
        format!("crate::types::error::{name}")
    } else {
        format!("crate::types::{name}")
    }
}

/// Lowers the closure into the IR, checking what Rust generation needs.
pub fn lower(model: &Model, closure: &Closure<'_>) -> Result<Crate, Diagnostics> {
    let mut diags = Diagnostics::default();
    let service = closure.service;

    // Every shape gets its Rust name first, so forward and recursive references resolve.
    let mut names: BTreeMap<ShapeId, String> = BTreeMap::new();
    let mut by_name: BTreeMap<String, ShapeId> = BTreeMap::new();
    for (id, shape) in &closure.shapes {
        let generated = matches!(
            shape.kind,
            ShapeKind::Structure { .. }
                | ShapeKind::Union { .. }
                | ShapeKind::Enum { .. }
                | ShapeKind::IntEnum { .. }
        ) || shape.traits.enum_definitions.is_some();
        if !generated {
            continue;
        }
        let shape_name = closure
            .service_data
            .rename
            .get(id)
            .map(String::as_str)
            .unwrap_or(id.name());
        let name = naming::type_name(shape_name);
        if let Some(other) = by_name.get(&name) {
            diags.push(
                Diagnostic::new(format!(
                    "`{id}` and `{other}` both become the Rust type `{name}`"
                ))
                .at(&shape.source)
                .shape(id)
                .help("rename one of them with the service's `rename` property"),
            );
            continue;
        }
        by_name.insert(name.clone(), id.clone());
        names.insert(id.clone(), name);
    }

    let inputs: BTreeSet<&ShapeId> = closure
        .operations
        .iter()
        .filter_map(|op| match &op.kind {
            ShapeKind::Operation(o) => o.input.as_ref(),
            _ => None,
        })
        .collect();
    let outputs: BTreeSet<&ShapeId> = closure
        .operations
        .iter()
        .filter_map(|op| match &op.kind {
            ShapeKind::Operation(o) => o.output.as_ref(),
            _ => None,
        })
        .collect();
    let protocol = Protocol::of(&service.traits).unwrap_or(Protocol::AwsQuery);
    let lw = Lowerer {
        model,
        protocol,
        names: &names,
        recursive: recursive_edges(closure),
    };

    let mut structures = Vec::new();
    let mut enums = Vec::new();
    let mut unions = Vec::new();
    for (id, shape) in &closure.shapes {
        let Some(name) = names.get(id) else { continue };
        match &shape.kind {
            ShapeKind::Structure { members } => {
                let role = if shape.traits.error.is_some() {
                    StructRole::Error(lw.error_ir(shape, members))
                } else if inputs.contains(id) || shape.traits.input {
                    StructRole::Input
                } else if outputs.contains(id) || shape.traits.output {
                    StructRole::Output
                } else {
                    StructRole::Data
                };
                let mut scope = FieldScope::default();
                let fields: Vec<FieldIr> = members
                    .iter()
                    .filter_map(|m| lw.field(shape, m, &mut scope, &mut diags))
                    .collect();
                let fallible_builder = role == StructRole::Input
                    || fields.iter().any(|f| !f.optional && f.default.is_none());
                let mut role = role;
                let mut fields = fields;
                if let StructRole::Error(e) = &mut role {
                    // Error shapes name it `message`; the wire element is `<Message>`.
                    for f in fields.iter_mut() {
                        if f.member_name == "message" && f.wire_name == "message" {
                            f.wire_name = "Message".to_string();
                        }
                    }
                    e.message_field = fields.iter().position(|f| {
                        f.member_name.eq_ignore_ascii_case("message") && f.ty == TypeRef::String
                    });
                }
                structures.push(StructureIr {
                    id: id.clone(),
                    module: naming::module_name(name),
                    name: name.clone(),
                    docs: nonempty_docs(&shape.traits.documentation),
                    role,
                    fields,
                    sensitive: shape.traits.sensitive,
                    deprecated: shape.traits.deprecated.clone(),
                    fallible_builder,
                });
            }
            ShapeKind::Union { members } => {
                let mut scope = VariantScope::default();
                let variants = members
                    .iter()
                    .filter_map(|m| {
                        let ty = lw.type_ref(&m.target, &mut diags, shape, &m.name)?;
                        Some(UnionVariantIr {
                            name: scope.variant(&m.name),
                            member_name: m.name.clone(),
                            boxed: lw.recursive.contains(&(id.clone(), m.name.clone())),
                            ty,
                            docs: lw.member_docs(shape, m),
                        })
                    })
                    .collect();
                unions.push(UnionIr {
                    id: id.clone(),
                    module: naming::module_name(name),
                    name: name.clone(),
                    docs: nonempty_docs(&shape.traits.documentation),
                    variants,
                    deprecated: shape.traits.deprecated.clone(),
                });
            }
            ShapeKind::Enum { members } | ShapeKind::IntEnum { members } => {
                let mut scope = VariantScope::default();
                let int = matches!(shape.kind, ShapeKind::IntEnum { .. });
                let variants = members
                    .iter()
                    .map(|m| VariantIr {
                        name: scope.variant(&m.name),
                        value: m
                            .traits
                            .enum_value
                            .clone()
                            .unwrap_or_else(|| EnumValue::String(m.name.clone())),
                        docs: nonempty_docs(&m.traits.documentation),
                        deprecated: m.traits.deprecated.is_some(),
                    })
                    .collect();
                enums.push(enum_ir(id, shape, name, int, variants));
            }
            ShapeKind::Simple(Simple::String) => {
                // Smithy 1.0 `@enum` strings: variants from the constant name, else the value.
                let mut scope = VariantScope::default();
                let variants = shape
                    .traits
                    .enum_definitions
                    .iter()
                    .flatten()
                    .map(|d| VariantIr {
                        name: scope.variant(d.name.as_deref().unwrap_or(&d.value)),
                        value: EnumValue::String(d.value.clone()),
                        docs: nonempty_docs(&d.documentation),
                        deprecated: d.deprecated,
                    })
                    .collect();
                enums.push(enum_ir(id, shape, name, false, variants));
            }
            _ => {}
        }
    }
    check_enum_values(&enums, closure, &mut diags);

    // Operations come sorted by name, so colliding names are suffixed deterministically.
    let mut operation_names = naming::OperationScope::default();
    let operations = closure
        .operations
        .iter()
        .filter_map(|op| {
            let ShapeKind::Operation(o) = &op.kind else {
                return None;
            };
            let named = |id: &Option<ShapeId>| {
                id.as_ref()
                    .filter(|i| **i != crate::model::unit())
                    .and_then(|i| names.get(i))
                    .cloned()
            };
            let mut errors: Vec<String> = o
                .errors
                .iter()
                .chain(&closure.service_data.errors)
                .filter_map(|e| names.get(e).cloned())
                .collect();
            errors.dedup();
            let rust_names = operation_names.operation(op.id.name());
            Some(OperationIr {
                id: op.id.clone(),
                source: op.source.clone(),
                name: op.id.name().to_string(),
                snake_name: rust_names.module,
                method_name: rust_names.method,
                type_name: rust_names.type_stem,
                docs: nonempty_docs(&op.traits.documentation),
                input: named(&o.input),
                output: named(&o.output),
                errors,
                deprecated: op.traits.deprecated.clone(),
                paginated: op
                    .traits
                    .paginated
                    .clone()
                    .map(|p| merge_paginated(p, service.traits.paginated.as_ref())),
                waiters: op.traits.waitable.clone().unwrap_or_default(),
                host_prefix: op
                    .traits
                    .raw
                    .get(ENDPOINT)
                    .and_then(|e| e.get("hostPrefix"))
                    .and_then(Value::as_str)
                    .map(str::to_string),
                request_compression: op
                    .traits
                    .raw
                    .get(REQUEST_COMPRESSION)
                    .and_then(|c| c.get("encodings"))
                    .and_then(Value::as_array)
                    .is_some_and(|e| {
                        e.iter()
                            .any(|v| v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("gzip")))
                    }),
                auth: OperationAuth::of(&op.traits.raw),
            })
        })
        .collect();

    structures.sort_by(|a, b| a.name.cmp(&b.name));
    enums.sort_by(|a, b| a.name.cmp(&b.name));
    unions.sort_by(|a, b| a.name.cmp(&b.name));
    let service = ServiceIr {
        id: service.id.clone(),
        sdk_id: service
            .traits
            .sdk_id
            .clone()
            .unwrap_or_else(|| service.id.name().to_string()),
        version: closure.service_data.version.clone(),
        signing_name: service.traits.sigv4_name.clone(),
        xml_namespace: service.traits.xml_namespace.clone(),
        protocol: Protocol::of(&service.traits).unwrap_or(Protocol::AwsQuery),
        docs: nonempty_docs(&service.traits.documentation),
        endpoint_rule_set: service.traits.endpoint_rule_set.clone(),
        endpoint_tests: service.traits.endpoint_tests.clone(),
        paginated: service.traits.paginated.clone(),
    };
    diags.into_result(Crate {
        service,
        structures,
        enums,
        unions,
        operations,
    })
}

fn enum_ir(id: &ShapeId, shape: &Shape, name: &str, int: bool, variants: Vec<VariantIr>) -> EnumIr {
    EnumIr {
        id: id.clone(),
        module: naming::module_name(name),
        name: name.to_string(),
        docs: nonempty_docs(&shape.traits.documentation),
        int,
        variants,
        deprecated: shape.traits.deprecated.clone(),
    }
}

/// Two members with one wire value would make parsing ambiguous.
fn check_enum_values(enums: &[EnumIr], closure: &Closure<'_>, diags: &mut Diagnostics) {
    for e in enums {
        let mut seen = BTreeSet::new();
        for v in &e.variants {
            let key = format!("{:?}", v.value);
            if !seen.insert(key) {
                let source = closure
                    .shapes
                    .get(&e.id)
                    .map(|s| s.source.as_str())
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::new(format!("two enum members share the value {:?}", v.value))
                        .at(source)
                        .shape(&e.id)
                        .help("give each member a distinct `smithy.api#enumValue`"),
                );
            }
        }
    }
}

fn merge_paginated(op: Paginated, service: Option<&Paginated>) -> Paginated {
    let Some(s) = service else { return op };
    Paginated {
        input_token: op.input_token.or_else(|| s.input_token.clone()),
        output_token: op.output_token.or_else(|| s.output_token.clone()),
        items: op.items.or_else(|| s.items.clone()),
        page_size: op.page_size.or_else(|| s.page_size.clone()),
    }
}

struct Lowerer<'a> {
    model: &'a Model,
    protocol: Protocol,
    names: &'a BTreeMap<ShapeId, String>,
    /// (owner, member) pairs that must be boxed to break a recursive type.
    recursive: BTreeSet<(ShapeId, String)>,
}

impl Lowerer<'_> {
    fn field(
        &self,
        owner: &Shape,
        m: &Member,
        scope: &mut FieldScope,
        diags: &mut Diagnostics,
    ) -> Option<FieldIr> {
        let target = self.model.get(&m.target)?;
        let ty = self.type_ref(&m.target, diags, owner, &m.name)?;
        let optional = is_optional(owner, m, target);
        let default = if optional {
            None
        } else {
            match default_value(m, target, &ty) {
                Ok(d) => d,
                Err(e) => {
                    diags.push(
                        Diagnostic::new(e)
                            .at(&owner.source)
                            .shape(&owner.id)
                            .member(&m.name),
                    );
                    None
                }
            }
        };
        Some(FieldIr {
            member_name: m.name.clone(),
            name: scope.field(&m.name),
            docs: self.member_docs(owner, m),
            optional,
            boxed: self.recursive.contains(&(owner.id.clone(), m.name.clone())),
            required: m.traits.required,
            default,
            sensitive: m.traits.sensitive || target.traits.sensitive,
            deprecated: m.traits.deprecated.clone(),
            wire_name: m.traits.xml_name.clone().unwrap_or_else(|| m.name.clone()),
            query_name: match self.protocol {
                Protocol::AwsQuery => m.traits.xml_name.clone().unwrap_or_else(|| m.name.clone()),
                Protocol::Ec2Query => m
                    .traits
                    .raw
                    .get(EC2_QUERY_NAME)
                    .and_then(Value::as_str)
                    .map(str::to_string)
                    .unwrap_or_else(|| capitalize(m.traits.xml_name.as_deref().unwrap_or(&m.name))),
            },
            flattened: m.traits.xml_flattened,
            attribute: m.traits.xml_attribute,
            timestamp_format: timestamp_format(&m.traits, &target.traits),
            idempotency_token: m.traits.idempotency_token,
            host_label: m.traits.raw.contains_key(HOST_LABEL),
            constraints: Constraints {
                length: m.traits.length.or(target.traits.length),
                range: m.traits.range.or(target.traits.range),
                pattern: m
                    .traits
                    .pattern
                    .clone()
                    .or_else(|| target.traits.pattern.clone()),
            },
            ty,
        })
    }

    /// Documentation for a member: its own, else its target's, else a plain sentence, so the
    /// crate never lacks docs (it is built with `missing_docs` warnings).
    fn member_docs(&self, owner: &Shape, m: &Member) -> String {
        nonempty_docs(&m.traits.documentation)
            .or_else(|| {
                self.model
                    .get(&m.target)
                    .filter(|t| !t.id.is_prelude())
                    .and_then(|t| nonempty_docs(&t.traits.documentation))
            })
            .unwrap_or_else(|| format!("The `{}` member of `{}`.", m.name, owner.id.name()))
    }

    fn type_ref(
        &self,
        id: &ShapeId,
        diags: &mut Diagnostics,
        owner: &Shape,
        member: &str,
    ) -> Option<TypeRef> {
        let shape = self.model.get(id)?;
        let named = || self.names.get(id).cloned();
        Some(match &shape.kind {
            ShapeKind::Simple(Simple::String) if shape.traits.enum_definitions.is_some() => {
                TypeRef::Enum(named()?)
            }
            ShapeKind::Simple(s) => match s {
                Simple::Blob => TypeRef::Blob,
                Simple::Boolean => TypeRef::Bool,
                Simple::String => TypeRef::String,
                Simple::Byte => TypeRef::I8,
                Simple::Short => TypeRef::I16,
                Simple::Integer => TypeRef::I32,
                Simple::Long => TypeRef::I64,
                Simple::Float => TypeRef::F32,
                Simple::Double => TypeRef::F64,
                Simple::BigInteger | Simple::BigDecimal => TypeRef::BigNumber,
                Simple::Timestamp => TypeRef::Timestamp,
                Simple::Document => TypeRef::Document,
            },
            ShapeKind::Enum { .. } => TypeRef::Enum(named()?),
            ShapeKind::IntEnum { .. } => TypeRef::IntEnum(named()?),
            ShapeKind::Structure { .. } => {
                TypeRef::Structure(named()?, shape.traits.error.is_some())
            }
            ShapeKind::Union { .. } => TypeRef::Union(named()?),
            ShapeKind::List { member, .. } => {
                let item_shape = self.model.get(&member.target)?;
                TypeRef::List(Box::new(ListIr {
                    item: self.type_ref(&member.target, diags, owner, member_name(member))?,
                    sparse: shape.traits.sparse,
                    item_name: member
                        .traits
                        .xml_name
                        .clone()
                        .unwrap_or_else(|| "member".to_string()),
                    item_timestamp_format: timestamp_format(&member.traits, &item_shape.traits),
                }))
            }
            ShapeKind::Map { key, value } => {
                let value_shape = self.model.get(&value.target)?;
                TypeRef::Map(Box::new(MapIr {
                    key: self.type_ref(&key.target, diags, owner, "key")?,
                    value: self.type_ref(&value.target, diags, owner, "value")?,
                    sparse: shape.traits.sparse,
                    key_name: key
                        .traits
                        .xml_name
                        .clone()
                        .unwrap_or_else(|| "key".to_string()),
                    value_name: value
                        .traits
                        .xml_name
                        .clone()
                        .unwrap_or_else(|| "value".to_string()),
                    value_timestamp_format: timestamp_format(&value.traits, &value_shape.traits),
                }))
            }
            ShapeKind::Operation(_) | ShapeKind::Resource(_) | ShapeKind::Service(_) => {
                diags.push(
                    Diagnostic::new(format!(
                        "`{member}` targets {} `{id}`",
                        shape.kind.type_name()
                    ))
                    .at(&owner.source)
                    .shape(&owner.id),
                );
                return None;
            }
        })
    }

    fn error_ir(&self, shape: &Shape, _members: &[Member]) -> ErrorIr {
        let fault = shape.traits.error.unwrap_or(ErrorFault::Client);
        // ec2Query sends the shape name as the code; `awsQueryError` is awsQuery's alone.
        let q = shape
            .traits
            .aws_query_error
            .as_ref()
            .filter(|_| self.protocol == Protocol::AwsQuery);
        ErrorIr {
            code: q
                .map(|q| q.code.clone())
                .unwrap_or_else(|| shape.id.name().to_string()),
            status: q
                .map(|q| q.http_response_code)
                .or(shape.traits.http_error)
                .unwrap_or(if fault == ErrorFault::Client {
                    400
                } else {
                    500
                }),
            fault,
            retryable: shape.traits.retryable.map(|r| r.throttling),
            message_field: None,
        }
    }
}

/// `dryRun` → `DryRun` (ec2Query's query keys).
fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Documentation that says something once converted: AWS models carry empty `<p></p>`
/// paragraphs, which would leave items undocumented.
fn nonempty_docs(docs: &Option<String>) -> Option<String> {
    docs.as_ref()
        .filter(|d| !crate::emit::docs::html_to_markdown(d).trim().is_empty())
        .cloned()
}

fn member_name(m: &Member) -> &str {
    &m.name
}

/// Smithy 2.0 client nullability, decided here and only here:
/// `clientOptional` → optional; a member of an `@input` structure → optional;
/// `required` or a default (on the member, or on its target for Smithy 1.0 primitives) →
/// present; anything else → optional. Union members are never wrapped (the variant is the value).
pub fn is_optional(owner: &Shape, m: &Member, target: &Shape) -> bool {
    if m.traits.client_optional || owner.traits.input {
        return true;
    }
    let has_default = match (&m.traits.default, &target.traits.default) {
        (Some(Value::Null), _) => false,
        (Some(_), _) => true,
        (None, Some(d)) => !d.is_null(),
        (None, None) => false,
    };
    !(m.traits.required || has_default)
}

fn timestamp_format(member: &Traits, target: &Traits) -> TimestampFormat {
    member
        .timestamp_format
        .or(target.timestamp_format)
        .unwrap_or(TimestampFormat::DateTime)
}

fn default_value(m: &Member, target: &Shape, ty: &TypeRef) -> Result<Option<DefaultValue>, String> {
    let Some(v) = m.traits.default.as_ref().or(target.traits.default.as_ref()) else {
        return Ok(None);
    };
    let bad = || {
        format!(
            "default value {v} does not fit a {} member",
            target.kind.type_name()
        )
    };
    Ok(Some(match ty {
        TypeRef::Bool => DefaultValue::Bool(v.as_bool().ok_or_else(bad)?),
        TypeRef::I8 | TypeRef::I16 | TypeRef::I32 | TypeRef::I64 => {
            DefaultValue::Int(v.as_i64().ok_or_else(bad)?)
        }
        TypeRef::IntEnum(_) => DefaultValue::IntEnum(v.as_i64().ok_or_else(bad)?),
        TypeRef::F32 | TypeRef::F64 => DefaultValue::Float(v.as_f64().ok_or_else(bad)?),
        TypeRef::String | TypeRef::Enum(_) => {
            DefaultValue::Str(v.as_str().ok_or_else(bad)?.to_string())
        }
        TypeRef::BigNumber => DefaultValue::Str(match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            _ => return Err(bad()),
        }),
        TypeRef::List(_) if v.as_array().is_some_and(Vec::is_empty) => DefaultValue::EmptyList,
        TypeRef::Map(_) if v.as_object().is_some_and(|o| o.is_empty()) => DefaultValue::EmptyMap,
        TypeRef::Timestamp => DefaultValue::Timestamp(v.as_f64().ok_or_else(bad)?),
        TypeRef::Blob => DefaultValue::Blob(v.as_str().ok_or_else(bad)?.to_string()),
        _ => {
            return Err(format!(
                "default value {v} is not supported for this member's type"
            ))
        }
    }))
}

/// Structure/union members that must be boxed: those whose target can reach the owner
/// again through direct (non-collection) members. Lists and maps already add indirection.
fn recursive_edges(closure: &Closure<'_>) -> BTreeSet<(ShapeId, String)> {
    let direct = |id: &ShapeId| -> Vec<(String, ShapeId)> {
        match closure.shapes.get(id).map(|s| &s.kind) {
            Some(ShapeKind::Structure { members }) | Some(ShapeKind::Union { members }) => members
                .iter()
                .filter(|m| {
                    matches!(
                        closure.shapes.get(&m.target).map(|s| &s.kind),
                        Some(ShapeKind::Structure { .. } | ShapeKind::Union { .. })
                    )
                })
                .map(|m| (m.name.clone(), m.target.clone()))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut out = BTreeSet::new();
    for id in closure.shapes.keys() {
        for (member, target) in direct(id) {
            // Depth-first search from the target back to the owner.
            let mut seen = BTreeSet::new();
            let mut stack = vec![target];
            while let Some(next) = stack.pop() {
                if next == *id {
                    out.insert((id.clone(), member.clone()));
                    break;
                }
                if seen.insert(next.clone()) {
                    stack.extend(direct(&next).into_iter().map(|(_, t)| t));
                }
            }
        }
    }
    out
}
