//! Checks across shapes: targets exist and have the right kinds, enums have values, traits
//! sit where they apply and hold values that fit, recursion can end, names do not clash.
//!
//! Loading already checked each shape on its own; this stage checks how shapes refer to
//! each other, and reports every problem at once. Each kind of check has its own module.

mod constraints;
mod defaults;
mod names;
mod recursion;
mod traits;
mod waiters;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{EnumValue, Member, Model, Shape, ShapeId, ShapeKind, Simple};

/// Validates a loaded model.
pub fn validate(model: &Model) -> Result<(), Diagnostics> {
    let mut diags = Diagnostics::default();
    for shape in model.shapes.values() {
        check_shape(model, shape, &mut diags);
    }
    traits::check(model, &mut diags);
    defaults::check(model, &mut diags);
    constraints::check(model, &mut diags);
    recursion::check(model, &mut diags);
    waiters::check(model, &mut diags);
    names::check(model, &mut diags);
    diags.into_result(())
}

/// Where a trait is written: on a shape, or on a member (judged by the member's target).
#[derive(Clone, Copy)]
enum Place<'m> {
    /// On a shape itself.
    Shape(&'m Shape),
    /// On a member of `owner`; `target` is the shape it targets, when that exists.
    Member {
        owner: &'m Shape,
        member: &'m Member,
        target: Option<&'m Shape>,
    },
}

impl<'m> Place<'m> {
    /// The shape that holds the trait (the owner, for a member).
    fn holder(&self) -> &'m Shape {
        match self {
            Place::Shape(s) => s,
            Place::Member { owner, .. } => owner,
        }
    }

    /// The traits written at this place.
    fn traits(&self) -> &'m crate::model::Traits {
        match self {
            Place::Shape(s) => &s.traits,
            Place::Member { member, .. } => &member.traits,
        }
    }

    /// The shape whose kind the traits are judged by: the shape, or the member's target.
    fn subject(&self) -> Option<&'m Shape> {
        match self {
            Place::Shape(s) => Some(s),
            Place::Member { target, .. } => *target,
        }
    }

    /// A diagnostic located at this shape or member.
    fn diag(&self, message: impl Into<String>) -> Diagnostic {
        let shape = self.holder();
        let d = Diagnostic::new(message).at(&shape.source).shape(&shape.id);
        match self {
            Place::Shape(_) => d,
            Place::Member { member, .. } => d.member(&member.name),
        }
    }
}

/// Every place a trait can be written in the model's own shapes (the prelude is trusted):
/// each shape, then each of its members.
fn places(model: &Model) -> impl Iterator<Item = Place<'_>> {
    model
        .shapes
        .values()
        .filter(|s| !s.id.is_prelude())
        .flat_map(move |shape| {
            std::iter::once(Place::Shape(shape)).chain(shape.kind.members().into_iter().map(
                move |member| Place::Member {
                    owner: shape,
                    member,
                    target: model.get(&member.target),
                },
            ))
        })
}

/// "a string `ns#Name`": a shape's kind and id, for messages.
fn describe(shape: &Shape) -> String {
    let kind = if shape.traits.enum_definitions.is_some() {
        "enum string"
    } else {
        shape.kind.type_name()
    };
    format!("{} {kind} `{}`", article(kind), shape.id)
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
                    (Some(EnumValue::String(v)), false) if v.is_empty() => diags.push(
                        err("`smithy.api#enumValue` is empty; an enum value cannot be the empty string".into())
                            .member(&m.name)
                            .help("give it a non-empty `smithy.api#enumValue`, or remove the trait so the member name is the value"),
                    ),
                    (Some(EnumValue::Int(v)), true) if i32::try_from(*v).is_err() => diags.push(
                        err(format!("`smithy.api#enumValue` {v} does not fit an intEnum, whose values are 32-bit integers"))
                            .member(&m.name)
                            .help("use a value from -2147483648 to 2147483647"),
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
            for (i, def) in defs.iter().enumerate() {
                if def.value.is_empty() {
                    diags.push(
                        err(format!(
                            "`smithy.api#enum` value {} is the empty string{}",
                            i + 1,
                            def.name
                                .as_deref()
                                .map(|n| format!(" (named `{n}`)"))
                                .unwrap_or_default()
                        ))
                        .help("give every `smithy.api#enum` entry a non-empty `value`"),
                    );
                }
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
    if word.starts_with("union") {
        return "a";
    }
    match word.as_bytes().first() {
        Some(b'a' | b'e' | b'i' | b'o' | b'u') => "an",
        _ => "a",
    }
}
