//! Checks across shapes: targets exist and have the right kinds, enums have values.
//!
//! Loading already checked each shape on its own; this stage checks how shapes refer to
//! each other, and reports every problem at once.

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{EnumValue, Model, Shape, ShapeId, ShapeKind, Simple};

/// Validates a loaded model.
pub fn validate(model: &Model) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    for shape in model.shapes.values() {
        check_shape(model, shape, &mut diags);
    }
    diags.into_result(())
}

fn check_shape(model: &Model, shape: &Shape, diags: &mut Diagnostics) {
    let err = |msg: String| Diagnostic::new(msg).at(&shape.source).shape(&shape.id);
    // What each kind may target: members never target operations, services or resources.
    for member in shape.kind.members() {
        let Some(target) = model.get(&member.target) else {
            diags.push(
                err(format!("member targets `{}`, which is not defined", member.target))
                    .member(&member.name)
                    .help("define that shape, fix the id, or target a prelude shape such as `smithy.api#String`"),
            );
            continue;
        };
        let enum_like = matches!(
            shape.kind,
            ShapeKind::Enum { .. } | ShapeKind::IntEnum { .. }
        );
        match &target.kind {
            ShapeKind::Operation(_) | ShapeKind::Service(_) | ShapeKind::Resource(_) => diags.push(
                err(format!(
                    "member targets {} `{}`; members must target data shapes",
                    target.kind.type_name(),
                    target.id
                ))
                .member(&member.name),
            ),
            _ if enum_like && member.target != crate::model::unit() => diags.push(
                err(format!(
                    "enum member targets `{}`; it must target `smithy.api#Unit`",
                    member.target
                ))
                .member(&member.name),
            ),
            _ => {}
        }
    }
    match &shape.kind {
        ShapeKind::Map { key, .. } => {
            if let Some(t) = model.get(&key.target) {
                if !matches!(
                    t.kind,
                    ShapeKind::Simple(Simple::String) | ShapeKind::Enum { .. }
                ) {
                    diags.push(
                        err(format!(
                            "map key targets {} `{}`; map keys must be strings or string enums",
                            t.kind.type_name(),
                            t.id
                        ))
                        .member("key"),
                    );
                }
            }
        }
        ShapeKind::Enum { members } | ShapeKind::IntEnum { members } => {
            let int = matches!(shape.kind, ShapeKind::IntEnum { .. });
            if members.is_empty() {
                diags.push(
                    err(format!("{} has no members", shape.kind.type_name()))
                        .help("add at least one value"),
                );
            }
            for m in members {
                match (&m.traits.enum_value, int) {
                    (None, true) => diags.push(
                        err("intEnum member has no `smithy.api#enumValue`".into())
                            .member(&m.name)
                            .help("give it an integer `smithy.api#enumValue`"),
                    ),
                    (Some(EnumValue::String(_)), true) | (Some(EnumValue::Int(_)), false) => diags
                        .push(
                            err(format!(
                                "`smithy.api#enumValue` must be {} in an {}",
                                if int { "an integer" } else { "a string" },
                                shape.kind.type_name()
                            ))
                            .member(&m.name),
                        ),
                    _ => {}
                }
            }
        }
        ShapeKind::Operation(op) => {
            for (what, target) in [("input", &op.input), ("output", &op.output)] {
                if let Some(t) = target {
                    expect_kind(
                        model,
                        shape,
                        t,
                        what,
                        "a structure",
                        |k| matches!(k, ShapeKind::Structure { .. }),
                        diags,
                    );
                }
            }
            check_errors(model, shape, &op.errors, diags);
        }
        ShapeKind::Resource(r) => {
            check_bindings(model, shape, &r.operations, &r.resources, diags);
            for t in r.identifiers.values().chain(r.properties.values()) {
                if model.get(t).is_none() {
                    diags.push(err(format!(
                        "resource refers to `{t}`, which is not defined"
                    )));
                }
            }
        }
        ShapeKind::Service(s) => {
            if s.version.is_empty() {
                diags
                    .push(err("service has no `version`".into()).help(
                        "awsQuery sends it as `Version=`; add `\"version\": \"YYYY-MM-DD\"`",
                    ));
            }
            check_bindings(model, shape, &s.operations, &s.resources, diags);
            check_errors(model, shape, &s.errors, diags);
        }
        _ => {}
    }
    if let ShapeKind::Simple(Simple::String) = shape.kind {
        if let Some(defs) = &shape.traits.enum_definitions {
            if defs.is_empty() {
                diags.push(
                    err("`smithy.api#enum` has no values".into()).help("add at least one value"),
                );
            }
        }
    }
}

/// Operations and resources bound to a service or resource are shapes of those kinds.
fn check_bindings(
    model: &Model,
    shape: &Shape,
    operations: &[ShapeId],
    resources: &[ShapeId],
    diags: &mut Diagnostics,
) {
    for op in operations {
        expect_kind(
            model,
            shape,
            op,
            "operation",
            "an operation",
            |k| matches!(k, ShapeKind::Operation(_)),
            diags,
        );
    }
    for res in resources {
        expect_kind(
            model,
            shape,
            res,
            "resource",
            "a resource",
            |k| matches!(k, ShapeKind::Resource(_)),
            diags,
        );
    }
}

fn check_errors(model: &Model, shape: &Shape, errors: &[ShapeId], diags: &mut Diagnostics) {
    for e in errors {
        expect_kind(
            model,
            shape,
            e,
            "error",
            "a structure",
            |k| matches!(k, ShapeKind::Structure { .. }),
            diags,
        );
        if let Some(t) = model.get(e) {
            if matches!(t.kind, ShapeKind::Structure { .. }) && t.traits.error.is_none() {
                diags.push(
                    Diagnostic::new(format!(
                        "`{e}` is listed as an error but lacks the `smithy.api#error` trait"
                    ))
                    .at(&shape.source)
                    .shape(&shape.id)
                    .help(
                        "add `\"smithy.api#error\": \"client\"` (or \"server\") to that structure",
                    ),
                );
            }
        }
    }
}

fn expect_kind(
    model: &Model,
    shape: &Shape,
    target: &ShapeId,
    what: &str,
    expected: &str,
    ok: impl Fn(&ShapeKind) -> bool,
    diags: &mut Diagnostics,
) {
    let d = |msg: String| Diagnostic::new(msg).at(&shape.source).shape(&shape.id);
    match model.get(target) {
        None => diags.push(
            d(format!("{what} `{target}` is not defined")).help("define that shape or fix the id"),
        ),
        Some(t) if !ok(&t.kind) => diags.push(d(format!(
            "{what} `{target}` is {} {}, but must be {expected}",
            article(t.kind.type_name()),
            t.kind.type_name()
        ))),
        Some(_) => {}
    }
}

fn article(word: &str) -> &'static str {
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an",
        _ => "a",
    }
}
