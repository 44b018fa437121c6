//! The loaded model: shapes with typed kinds and traits, all ids resolved to absolute form.

use std::collections::BTreeMap;

use super::id::ShapeId;
use super::traits::Traits;

/// A whole model, merged from one or more files, prelude included.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Every shape by id, sorted.
    pub shapes: BTreeMap<ShapeId, Shape>,
}

impl Model {
    /// The shape with this id, if the model has it.
    pub fn get(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// Every service shape, sorted by id.
    pub fn services(&self) -> impl Iterator<Item = &Shape> {
        self.shapes
            .values()
            .filter(|s| matches!(s.kind, ShapeKind::Service(_)))
    }
}

/// One shape.
#[derive(Debug, Clone)]
pub struct Shape {
    /// Its id.
    pub id: ShapeId,
    /// What kind of shape it is, with its kind's data.
    pub kind: ShapeKind,
    /// Its traits (after mixins and `apply`).
    pub traits: Traits,
    /// The file that defined it (`<prelude>` for the prelude).
    pub source: String,
}

/// The simple (scalar) shape types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Simple {
    /// Bytes.
    Blob,
    /// true/false.
    Boolean,
    /// UTF-8 text.
    String,
    /// 8-bit integer.
    Byte,
    /// 16-bit integer.
    Short,
    /// 32-bit integer.
    Integer,
    /// 64-bit integer.
    Long,
    /// 32-bit float.
    Float,
    /// 64-bit float.
    Double,
    /// Arbitrary-precision integer.
    BigInteger,
    /// Arbitrary-precision decimal.
    BigDecimal,
    /// An instant in time.
    Timestamp,
    /// Untyped JSON-like data.
    Document,
}

impl Simple {
    /// Maps a JSON AST `type` to a simple type.
    pub fn from_type(name: &str) -> Option<Simple> {
        Some(match name {
            "blob" => Simple::Blob,
            "boolean" => Simple::Boolean,
            "string" => Simple::String,
            "byte" => Simple::Byte,
            "short" => Simple::Short,
            "integer" => Simple::Integer,
            "long" => Simple::Long,
            "float" => Simple::Float,
            "double" => Simple::Double,
            "bigInteger" => Simple::BigInteger,
            "bigDecimal" => Simple::BigDecimal,
            "timestamp" => Simple::Timestamp,
            "document" => Simple::Document,
            _ => return None,
        })
    }
}

/// A member of an aggregate shape.
#[derive(Debug, Clone)]
pub struct Member {
    /// Its name as written in the model (also its default wire name).
    pub name: String,
    /// The shape it targets.
    pub target: ShapeId,
    /// Its own traits (not the target's).
    pub traits: Traits,
}

/// An operation's shapes.
#[derive(Debug, Clone, Default)]
pub struct Operation {
    /// Input structure (`smithy.api#Unit` when absent).
    pub input: Option<ShapeId>,
    /// Output structure.
    pub output: Option<ShapeId>,
    /// Error structures.
    pub errors: Vec<ShapeId>,
}

/// A resource's bindings; only what closure computation needs.
#[derive(Debug, Clone, Default)]
pub struct Resource {
    /// Identifier names and their target shapes.
    pub identifiers: BTreeMap<String, ShapeId>,
    /// Property names and their target shapes.
    pub properties: BTreeMap<String, ShapeId>,
    /// Lifecycle and other operations, in a stable order.
    pub operations: Vec<ShapeId>,
    /// Child resources.
    pub resources: Vec<ShapeId>,
}

/// A service shape.
#[derive(Debug, Clone, Default)]
pub struct Service {
    /// The API version (`Version=` on the wire).
    pub version: String,
    /// Operations bound directly.
    pub operations: Vec<ShapeId>,
    /// Resources bound to the service.
    pub resources: Vec<ShapeId>,
    /// Errors every operation may return.
    pub errors: Vec<ShapeId>,
    /// Shape renames inside this service's closure.
    pub rename: BTreeMap<ShapeId, String>,
}

/// The kind of a shape, with the kind's own data.
#[derive(Debug, Clone)]
pub enum ShapeKind {
    /// A scalar.
    Simple(Simple),
    /// A list (`set` is loaded as a list with unique items).
    List {
        /// The item member.
        member: Box<Member>,
        /// True for the Smithy 1.0 `set` type.
        unique: bool,
    },
    /// A map.
    Map {
        /// The key member.
        key: Box<Member>,
        /// The value member.
        value: Box<Member>,
    },
    /// A structure.
    Structure {
        /// Members in model order.
        members: Vec<Member>,
    },
    /// A tagged union.
    Union {
        /// Members in model order.
        members: Vec<Member>,
    },
    /// A string enum.
    Enum {
        /// Members in model order (each targets `smithy.api#Unit`).
        members: Vec<Member>,
    },
    /// An integer enum.
    IntEnum {
        /// Members in model order.
        members: Vec<Member>,
    },
    /// An operation.
    Operation(Operation),
    /// A resource.
    Resource(Resource),
    /// A service.
    Service(Service),
}

impl ShapeKind {
    /// The JSON AST type name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Simple(s) => match s {
                Simple::Blob => "blob",
                Simple::Boolean => "boolean",
                Simple::String => "string",
                Simple::Byte => "byte",
                Simple::Short => "short",
                Simple::Integer => "integer",
                Simple::Long => "long",
                Simple::Float => "float",
                Simple::Double => "double",
                Simple::BigInteger => "bigInteger",
                Simple::BigDecimal => "bigDecimal",
                Simple::Timestamp => "timestamp",
                Simple::Document => "document",
            },
            ShapeKind::List { unique: false, .. } => "list",
            ShapeKind::List { unique: true, .. } => "set",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Structure { .. } => "structure",
            ShapeKind::Union { .. } => "union",
            ShapeKind::Enum { .. } => "enum",
            ShapeKind::IntEnum { .. } => "intEnum",
            ShapeKind::Operation(_) => "operation",
            ShapeKind::Resource(_) => "resource",
            ShapeKind::Service(_) => "service",
        }
    }

    /// Members of aggregate shapes, in order (list item, map key and value included).
    pub fn members(&self) -> Vec<&Member> {
        match self {
            ShapeKind::List { member, .. } => vec![member.as_ref()],
            ShapeKind::Map { key, value } => vec![key.as_ref(), value.as_ref()],
            ShapeKind::Structure { members }
            | ShapeKind::Union { members }
            | ShapeKind::Enum { members }
            | ShapeKind::IntEnum { members } => members.iter().collect(),
            _ => Vec::new(),
        }
    }
}
