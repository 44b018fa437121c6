//! `smithy.api#default` values fit their shape, and `required` members do not also say
//! `default: null`.

use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::model::{EnumValue, Model, Shape, ShapeKind, Simple};

use super::traits::has_default_kind;
use super::{describe, places, Place};

const DEFAULT: &str = "smithy.api#default";

/// Reports defaults that do not fit the shape (or member target) they are written for.
pub(super) fn check(model: &Model, diags: &mut Diagnostics) {
    for place in places(model) {
        let Some(value) = place.traits().raw.get(DEFAULT) else {
            continue;
        };
        if let Place::Member { member, .. } = place {
            if member.traits.required && value.is_null() {
                diags.push(
                    place
                        .diag(
                            "`smithy.api#required` and `smithy.api#default: null` contradict \
                             each other: a required member must be set, a null default says it \
                             may be absent",
                        )
                        .help(
                            "remove `smithy.api#default` (or give it a real value), or remove \
                             `smithy.api#required`",
                        ),
                );
            }
        }
        if value.is_null() {
            continue;
        }
        // Defaults on structures and unions are misplaced; `traits` reports those.
        let Some(subject) = place.subject().filter(|s| has_default_kind(s)) else {
            continue;
        };
        if let Err(expected) = fits(subject, value) {
            let whose = match place {
                Place::Shape(_) => describe(subject),
                Place::Member { .. } => format!("the member's target, {}", describe(subject)),
            };
            diags.push(
                place
                    .diag(format!(
                        "`smithy.api#default` value {value} does not fit {whose}: expected {expected}"
                    ))
                    .help(format!(
                        "change the default to a value of that type (such as {}), or remove \
                         `smithy.api#default`",
                        example(subject)
                    )),
            );
        }
    }
}

/// Whether `v` is a valid default for `shape`; otherwise what a default must be.
fn fits(shape: &Shape, v: &Value) -> Result<(), String> {
    let int = |min: i64, max: i64, what: &str| -> Result<(), String> {
        match v.as_i64() {
            Some(n) if (min..=max).contains(&n) => Ok(()),
            _ => Err(format!(
                "an integer from {min} to {max} (the range of `{what}`)"
            )),
        }
    };
    match &shape.kind {
        ShapeKind::Simple(s) => match s {
            Simple::Boolean => v
                .is_boolean()
                .then_some(())
                .ok_or_else(|| "`true` or `false`".to_string()),
            Simple::Byte => int(i8::MIN.into(), i8::MAX.into(), "byte"),
            Simple::Short => int(i16::MIN.into(), i16::MAX.into(), "short"),
            Simple::Integer => int(i32::MIN.into(), i32::MAX.into(), "integer"),
            Simple::Long => int(i64::MIN, i64::MAX, "long"),
            Simple::Float | Simple::Double => {
                let special = matches!(v.as_str(), Some("NaN" | "Infinity" | "-Infinity"));
                let in_range = v.as_f64().is_some_and(|f| {
                    f.is_finite() && (*s == Simple::Double || f.abs() <= f64::from(f32::MAX))
                });
                (special || in_range).then_some(()).ok_or_else(|| {
                    format!(
                        "a number a {} can hold, or \"NaN\", \"Infinity\" or \"-Infinity\"",
                        shape.kind.type_name()
                    )
                })
            }
            Simple::BigInteger => match v {
                Value::Number(n) if is_integer_text(&n.to_string()) => Ok(()),
                _ => Err("an integer number".to_string()),
            },
            Simple::BigDecimal => v
                .is_number()
                .then_some(())
                .ok_or_else(|| "a number".to_string()),
            Simple::String => match (v.as_str(), &shape.traits.enum_definitions) {
                (None, _) => Err("a string".to_string()),
                (Some(s), Some(defs)) if !defs.iter().any(|d| d.value == s) => Err(one_of(
                    defs.iter().map(|d| format!("{:?}", d.value)).collect(),
                )),
                (Some(_), _) => Ok(()),
            },
            Simple::Timestamp => v
                .is_number()
                .then_some(())
                .ok_or_else(|| "a number of seconds since the epoch".to_string()),
            Simple::Blob => v
                .is_string()
                .then_some(())
                .ok_or_else(|| "a string".to_string()),
            Simple::Document => Ok(()),
        },
        ShapeKind::Enum { members } => {
            let values: Vec<String> = members
                .iter()
                .map(|m| match &m.traits.enum_value {
                    Some(EnumValue::String(s)) => s.clone(),
                    _ => m.name.clone(),
                })
                .collect();
            match v.as_str() {
                Some(s) if values.iter().any(|x| x == s) => Ok(()),
                _ => Err(one_of(values.iter().map(|x| format!("{x:?}")).collect())),
            }
        }
        ShapeKind::IntEnum { members } => {
            let values: Vec<i64> = members
                .iter()
                .filter_map(|m| match &m.traits.enum_value {
                    Some(EnumValue::Int(i)) => Some(*i),
                    _ => None,
                })
                .collect();
            match v.as_i64() {
                Some(i) if values.contains(&i) => Ok(()),
                _ => Err(one_of(values.iter().map(ToString::to_string).collect())),
            }
        }
        ShapeKind::List { .. } => (v.as_array().is_some_and(Vec::is_empty))
            .then_some(())
            .ok_or_else(|| "`[]`: a list's default can only be empty".to_string()),
        ShapeKind::Map { .. } => (v.as_object().is_some_and(|o| o.is_empty()))
            .then_some(())
            .ok_or_else(|| "`{}`: a map's default can only be empty".to_string()),
        _ => Ok(()),
    }
}

/// Digits with an optional leading minus: how JSON writes an integer.
fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// "one of the values "a", "b" (and 3 more)".
fn one_of(values: Vec<String>) -> String {
    const SHOWN: usize = 8;
    let mut text = format!(
        "one of the values {}",
        values
            .iter()
            .take(SHOWN)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if values.len() > SHOWN {
        text.push_str(&format!(" (and {} more)", values.len() - SHOWN));
    }
    text
}

/// A default that fits the shape, for the help text.
fn example(shape: &Shape) -> String {
    match &shape.kind {
        ShapeKind::Simple(Simple::Boolean) => "`false`".into(),
        ShapeKind::Simple(Simple::String) => match &shape.traits.enum_definitions {
            Some(defs) if !defs.is_empty() => format!("`{:?}`", defs[0].value),
            _ => "`\"\"`".into(),
        },
        ShapeKind::Simple(Simple::Blob) => "`\"\"`".into(),
        ShapeKind::Simple(_) => "`0`".into(),
        ShapeKind::Enum { members } => members
            .first()
            .map(|m| match &m.traits.enum_value {
                Some(EnumValue::String(s)) => format!("`{s:?}`"),
                _ => format!("`{:?}`", m.name),
            })
            .unwrap_or_else(|| "a value of the enum".into()),
        ShapeKind::IntEnum { members } => members
            .iter()
            .find_map(|m| match &m.traits.enum_value {
                Some(EnumValue::Int(i)) => Some(format!("`{i}`")),
                _ => None,
            })
            .unwrap_or_else(|| "a value of the intEnum".into()),
        ShapeKind::List { .. } => "`[]`".into(),
        ShapeKind::Map { .. } => "`{}`".into(),
        _ => "`null`".into(),
    }
}
