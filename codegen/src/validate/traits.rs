//! Where each trait may be written, and the syntax of `smithy.api#xmlName`.
//!
//! Smithy gives every trait a selector; these are the selectors of the traits this generator
//! reads, in plain code. A trait on a member is judged by the member's target (and, for some
//! traits, by the kind of shape the member belongs to).

use crate::diagnostics::Diagnostics;
use crate::model::{Model, Shape, ShapeKind, Simple};

use super::{describe, places, Place};

/// One trait's rule: where it applies, in words and as code, and how to fix a misplaced one.
struct Rule {
    id: &'static str,
    applies_to: &'static str,
    ok: fn(&Place<'_>) -> bool,
    help: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        id: "smithy.api#timestampFormat",
        applies_to: "timestamps and members that target timestamps",
        ok: |p| subject(p, is_timestamp),
        help: "remove it: it only says how a timestamp is written on the wire",
    },
    Rule {
        id: "smithy.api#range",
        applies_to: "numbers (byte, short, integer, long, float, double, bigInteger, \
                     bigDecimal, intEnum) and members that target them",
        ok: |p| subject(p, is_number),
        help: "remove it; strings, blobs, lists and maps are limited with `smithy.api#length`",
    },
    Rule {
        id: "smithy.api#length",
        applies_to: "strings, blobs, lists and maps, and members that target them",
        ok: |p| {
            subject(p, |s| {
                is_string(s)
                    || matches!(
                        s.kind,
                        ShapeKind::Simple(Simple::Blob)
                            | ShapeKind::List { .. }
                            | ShapeKind::Map { .. }
                    )
            })
        },
        help: "remove it; numbers are limited with `smithy.api#range`",
    },
    Rule {
        id: "smithy.api#pattern",
        applies_to: "strings and members that target strings",
        ok: |p| subject(p, is_string),
        help: "remove it, or move it to a string shape",
    },
    Rule {
        id: "smithy.api#error",
        applies_to: "structures",
        ok: |p| matches!(p, Place::Shape(s) if is_structure(s)),
        help: "remove it; only a structure can be an error",
    },
    Rule {
        id: "smithy.api#idempotencyToken",
        applies_to: "structure members that target strings",
        ok: |p| member_of(p, is_structure) && subject(p, is_string),
        help: "remove it, or put it on a structure member that targets a string",
    },
    Rule {
        id: "smithy.api#enumValue",
        applies_to: "members of enum and intEnum shapes",
        ok: |p| {
            member_of(p, |o| {
                matches!(o.kind, ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. })
            })
        },
        help: "remove it; a value of a structure member is set with `smithy.api#default`",
    },
    Rule {
        id: "smithy.api#xmlFlattened",
        applies_to: "structure and union members that target lists or maps",
        ok: |p| {
            member_of(p, is_structure_or_union)
                && subject(p, |s| {
                    matches!(s.kind, ShapeKind::List { .. } | ShapeKind::Map { .. })
                })
        },
        help: "remove it: only lists and maps can be flattened",
    },
    Rule {
        id: "smithy.api#xmlAttribute",
        applies_to: "structure members that target booleans, numbers, strings or timestamps",
        ok: |p| {
            member_of(p, is_structure)
                && subject(p, |s| {
                    is_number(s)
                        || is_string(s)
                        || is_timestamp(s)
                        || matches!(s.kind, ShapeKind::Simple(Simple::Boolean))
                })
        },
        help: "remove it: lists, maps, structures, unions and blobs are written as elements",
    },
    Rule {
        id: "smithy.api#sparse",
        applies_to: "lists and maps",
        ok: |p| matches!(p, Place::Shape(s) if matches!(s.kind, ShapeKind::List { .. } | ShapeKind::Map { .. })),
        help: "remove it, or put it on the list or map shape itself",
    },
    Rule {
        id: "smithy.api#uniqueItems",
        applies_to: "lists",
        ok: |p| matches!(p, Place::Shape(s) if matches!(s.kind, ShapeKind::List { .. })),
        help: "remove it, or put it on the list shape itself",
    },
    Rule {
        id: "smithy.api#required",
        applies_to: "structure members",
        ok: |p| member_of(p, is_structure),
        help: "remove it; only a structure member can be required",
    },
    Rule {
        id: "smithy.api#clientOptional",
        applies_to: "structure members",
        ok: |p| member_of(p, is_structure),
        help: "remove it; only a structure member can be optional",
    },
    Rule {
        id: "smithy.api#default",
        applies_to: "simple shapes, lists and maps, and structure members that target them",
        ok: |p| match p {
            Place::Shape(s) => has_default_kind(s),
            Place::Member { owner, target, .. } => {
                is_structure(owner) && target.is_none_or(has_default_kind)
            }
        },
        help: "remove it: structures and unions have no default value, and only structure \
               members can have one",
    },
    Rule {
        id: "smithy.api#enum",
        applies_to: "string shapes",
        ok: |p| matches!(p, Place::Shape(s) if matches!(s.kind, ShapeKind::Simple(Simple::String))),
        help: "remove it, or make the shape a `string` (or use an `enum` shape)",
    },
    Rule {
        id: "smithy.api#input",
        applies_to: "structures",
        ok: |p| matches!(p, Place::Shape(s) if is_structure(s)),
        help: "remove it; only an operation's input structure is marked `smithy.api#input`",
    },
    Rule {
        id: "smithy.api#output",
        applies_to: "structures",
        ok: |p| matches!(p, Place::Shape(s) if is_structure(s)),
        help: "remove it; only an operation's output structure is marked `smithy.api#output`",
    },
    Rule {
        id: "smithy.api#xmlName",
        applies_to: "data shapes and their members (not services, resources or operations)",
        ok: |p| {
            !matches!(p, Place::Shape(s) if matches!(
                s.kind,
                ShapeKind::Service(_) | ShapeKind::Resource(_) | ShapeKind::Operation(_)
            ))
        },
        help: "remove it; the wire names of operations come from their shape names",
    },
    Rule {
        id: "smithy.api#paginated",
        applies_to: "operations and services",
        ok: |p| matches!(p, Place::Shape(s) if matches!(s.kind, ShapeKind::Operation(_) | ShapeKind::Service(_))),
        help: "move it to the operation that pages its results",
    },
    Rule {
        id: "smithy.waiters#waitable",
        applies_to: "operations",
        ok: |p| matches!(p, Place::Shape(s) if matches!(s.kind, ShapeKind::Operation(_))),
        help: "move it to the operation the waiters poll",
    },
    Rule {
        id: "aws.protocols#awsQueryError",
        applies_to: "structures with the `smithy.api#error` trait",
        ok: |p| matches!(p, Place::Shape(s) if is_structure(s) && s.traits.error.is_some()),
        help: "add `smithy.api#error` to the structure, or remove this trait",
    },
    Rule {
        id: "smithy.api#httpError",
        applies_to: "structures with the `smithy.api#error` trait",
        ok: |p| matches!(p, Place::Shape(s) if is_structure(s) && s.traits.error.is_some()),
        help: "add `smithy.api#error` to the structure, or remove this trait",
    },
    Rule {
        id: "smithy.api#retryable",
        applies_to: "structures with the `smithy.api#error` trait",
        ok: |p| matches!(p, Place::Shape(s) if is_structure(s) && s.traits.error.is_some()),
        help: "add `smithy.api#error` to the structure, or remove this trait",
    },
];

/// Reports traits written where they do not apply, and malformed `xmlName` values.
pub(super) fn check(model: &Model, diags: &mut Diagnostics) {
    for place in places(model) {
        let traits = place.traits();
        for rule in RULES {
            if traits.raw.contains_key(rule.id) && !(rule.ok)(&place) {
                diags.push(
                    place
                        .diag(format!(
                            "`{}` applies only to {}, not to {}",
                            rule.id,
                            rule.applies_to,
                            where_(&place)
                        ))
                        .help(rule.help),
                );
            }
        }
        if let Some(name) = &traits.xml_name {
            if !is_xml_name(name) {
                diags.push(
                    place
                        .diag(format!(
                            "`smithy.api#xmlName` {name:?} is not a valid XML element name"
                        ))
                        .help(
                            "use a letter or `_` first, then letters, digits, `_` or `-`, with at \
                             most one `prefix:` in front (such as `Item` or `ns:Item`)",
                        ),
                );
            }
        }
    }
}

/// Smithy's `xmlName` syntax: `^[a-zA-Z_][a-zA-Z_0-9-]*(:[a-zA-Z_][a-zA-Z_0-9-]*)?$`.
pub(super) fn is_xml_name(name: &str) -> bool {
    let part = |p: &str| {
        let mut chars = p.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    };
    match name.split_once(':') {
        Some((prefix, local)) => part(prefix) && part(local),
        None => part(name),
    }
}

/// "a string `ns#Name`" or "a member of a structure `ns#A` that targets a string `ns#B`".
fn where_(place: &Place<'_>) -> String {
    match place {
        Place::Shape(s) => describe(s),
        Place::Member { owner, target, .. } => match target {
            Some(t) => format!(
                "a member of {} that targets {}",
                describe(owner),
                describe(t)
            ),
            None => format!("a member of {}", describe(owner)),
        },
    }
}

/// The shape the trait is judged by passes `test` (a missing target is reported elsewhere).
fn subject(place: &Place<'_>, test: fn(&Shape) -> bool) -> bool {
    place.subject().is_none_or(test)
}

/// The trait is on a member of a shape that passes `test`.
fn member_of(place: &Place<'_>, test: fn(&Shape) -> bool) -> bool {
    matches!(place, Place::Member { owner, .. } if test(owner))
}

fn is_structure(s: &Shape) -> bool {
    matches!(s.kind, ShapeKind::Structure { .. })
}

fn is_structure_or_union(s: &Shape) -> bool {
    matches!(
        s.kind,
        ShapeKind::Structure { .. } | ShapeKind::Union { .. }
    )
}

fn is_timestamp(s: &Shape) -> bool {
    matches!(s.kind, ShapeKind::Simple(Simple::Timestamp))
}

/// Strings, including enums (which Smithy's selectors count as strings).
fn is_string(s: &Shape) -> bool {
    matches!(
        s.kind,
        ShapeKind::Simple(Simple::String) | ShapeKind::Enum { .. }
    )
}

/// Numbers, including intEnums (which Smithy's selectors count as integers).
pub(super) fn is_number(s: &Shape) -> bool {
    matches!(
        s.kind,
        ShapeKind::Simple(
            Simple::Byte
                | Simple::Short
                | Simple::Integer
                | Simple::Long
                | Simple::Float
                | Simple::Double
                | Simple::BigInteger
                | Simple::BigDecimal
        ) | ShapeKind::IntEnum { .. }
    )
}

/// Shapes that can have a default value: simple shapes (enums included), lists and maps.
pub(super) fn has_default_kind(s: &Shape) -> bool {
    matches!(
        s.kind,
        ShapeKind::Simple(_)
            | ShapeKind::Enum { .. }
            | ShapeKind::IntEnum { .. }
            | ShapeKind::List { .. }
            | ShapeKind::Map { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::is_xml_name;

    #[test]
    fn xml_names() {
        for ok in ["Item", "_x", "ns:Item", "a-b_c1", "member"] {
            assert!(is_xml_name(ok), "{ok}");
        }
        for bad in ["", " ", "1st", "has space", "a:b:c", ":x", "x:", "dot.ted"] {
            assert!(!is_xml_name(bad), "{bad:?}");
        }
    }
}
