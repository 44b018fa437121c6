//! The `smithy.api` prelude shapes every model may target.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use super::id::ShapeId;
use super::shape::{Shape, ShapeKind, Simple};
use super::traits::Traits;

/// Prelude shapes: the simple types, their `Primitive*` forms (non-null with a zero default,
/// per the Smithy 2.0 prelude) and `Unit`.
pub fn shapes() -> Vec<Shape> {
    let simple = [
        ("Blob", Simple::Blob, None),
        ("Boolean", Simple::Boolean, None),
        ("String", Simple::String, None),
        ("Byte", Simple::Byte, None),
        ("Short", Simple::Short, None),
        ("Integer", Simple::Integer, None),
        ("Long", Simple::Long, None),
        ("Float", Simple::Float, None),
        ("Double", Simple::Double, None),
        ("BigInteger", Simple::BigInteger, None),
        ("BigDecimal", Simple::BigDecimal, None),
        ("Timestamp", Simple::Timestamp, None),
        ("Document", Simple::Document, None),
        ("PrimitiveBoolean", Simple::Boolean, Some(json!(false))),
        ("PrimitiveByte", Simple::Byte, Some(json!(0))),
        ("PrimitiveShort", Simple::Short, Some(json!(0))),
        ("PrimitiveInteger", Simple::Integer, Some(json!(0))),
        ("PrimitiveLong", Simple::Long, Some(json!(0))),
        ("PrimitiveFloat", Simple::Float, Some(json!(0))),
        ("PrimitiveDouble", Simple::Double, Some(json!(0))),
    ];
    let mut out: Vec<Shape> = simple
        .into_iter()
        .map(|(name, kind, default)| {
            let mut raw = BTreeMap::new();
            if let Some(d) = default {
                raw.insert("smithy.api#default".to_string(), d);
            }
            shape(name, ShapeKind::Simple(kind), raw)
        })
        .collect();
    let mut unit = BTreeMap::new();
    unit.insert(
        "smithy.api#unitType".to_string(),
        Value::Object(Default::default()),
    );
    out.push(shape(
        "Unit",
        ShapeKind::Structure {
            members: Vec::new(),
        },
        unit,
    ));
    out
}

fn shape(name: &str, kind: ShapeKind, raw: BTreeMap<String, Value>) -> Shape {
    Shape {
        id: ShapeId::new("smithy.api", name),
        kind,
        traits: Traits::parse(raw).0,
        source: "<prelude>".to_string(),
    }
}

/// The `Unit` shape id.
pub fn unit() -> ShapeId {
    ShapeId::new("smithy.api", "Unit")
}
