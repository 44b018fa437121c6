//! Shape names are unique in a service's closure, ignoring case and namespace (after the
//! service's `rename`), as Smithy requires: each becomes one name in the generated crate.
//!
//! Like Smithy, a conflict between two simple shapes, or two lists, of one type with the same
//! traits (and, for lists, members that would not conflict) is tolerated: such shapes generate
//! nothing of their own. Every other pair is an error, reported at both shapes.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{unit, Member, Model, Service, Shape, ShapeId, ShapeKind};

/// Reports conflicting shape names in the closure of each service.
pub(super) fn check(model: &Model, diags: &mut Diagnostics) {
    for service in model.services() {
        let ShapeKind::Service(data) = &service.kind else {
            continue;
        };
        let mut by_name: BTreeMap<String, Vec<&Shape>> = BTreeMap::new();
        for id in closure(model, service) {
            if let Some(shape) = model.get(&id) {
                by_name
                    .entry(contextual_name(data, &id).to_lowercase())
                    .or_default()
                    .push(shape);
            }
        }
        for shapes in by_name.values().filter(|s| s.len() > 1) {
            for subject in shapes {
                for other in shapes.iter().filter(|o| o.id != subject.id) {
                    if tolerated(model, subject, other, 0) {
                        continue;
                    }
                    diags.push(conflict(service, data, subject, other));
                }
            }
        }
    }
}

fn conflict(service: &Shape, data: &Service, subject: &Shape, other: &Shape) -> Diagnostic {
    let named = |s: &Shape| match data.rename.get(&s.id) {
        Some(to) => format!("{} `{}` (renamed to `{to}`)", s.kind.type_name(), s.id),
        None => format!("{} `{}`", s.kind.type_name(), s.id),
    };
    Diagnostic::new(format!(
        "the name of {} conflicts with {} in the closure of service `{}`: shape names in a \
         service must be unique ignoring case and namespace, since each becomes one name in \
         the generated crate",
        named(subject),
        named(other),
        service.id
    ))
    .at(&subject.source)
    .shape(&subject.id)
    .help(
        "rename one of the two shapes, or give a data shape another name with the service's \
         `rename` property (operations, resources and errors cannot be renamed)",
    )
}

/// The name a shape has inside the service: its `rename`, else its own.
fn contextual_name<'a>(data: &'a Service, id: &'a ShapeId) -> &'a str {
    data.rename.get(id).map(String::as_str).unwrap_or(id.name())
}

/// Every shape the service reaches: operations, resources, errors and the data they use
/// (members are not shapes of their own here), prelude included as Smithy's walker does.
fn closure(model: &Model, service: &Shape) -> BTreeSet<ShapeId> {
    let mut seen = BTreeSet::new();
    let mut stack = vec![service.id.clone()];
    while let Some(id) = stack.pop() {
        let Some(shape) = model.get(&id) else {
            continue;
        };
        if !seen.insert(id) {
            continue;
        }
        match &shape.kind {
            ShapeKind::Service(s) => {
                stack.extend(s.operations.iter().cloned());
                stack.extend(s.resources.iter().cloned());
                stack.extend(s.errors.iter().cloned());
            }
            ShapeKind::Resource(r) => {
                stack.extend(r.identifiers.values().cloned());
                stack.extend(r.properties.values().cloned());
                stack.extend(r.operations.iter().cloned());
                stack.extend(r.resources.iter().cloned());
            }
            ShapeKind::Operation(o) => {
                stack.push(o.input.clone().unwrap_or_else(unit));
                stack.push(o.output.clone().unwrap_or_else(unit));
                stack.extend(o.errors.iter().cloned());
            }
            kind => stack.extend(kind.members().into_iter().map(|m| m.target.clone())),
        }
    }
    seen
}

/// Smithy's tolerated conflicts: same type, same traits, simple or list, members alike
/// (`depth` stops lists that contain themselves).
fn tolerated(model: &Model, a: &Shape, b: &Shape, depth: usize) -> bool {
    let simple_or_list = |s: &Shape| {
        matches!(
            s.kind,
            ShapeKind::Simple(_)
                | ShapeKind::Enum { .. }
                | ShapeKind::IntEnum { .. }
                | ShapeKind::List { .. }
        )
    };
    if !simple_or_list(a)
        || !simple_or_list(b)
        || a.kind.type_name() != b.kind.type_name()
        || a.traits.raw != b.traits.raw
    {
        return false;
    }
    match (&a.kind, &b.kind) {
        (ShapeKind::List { member: ma, .. }, ShapeKind::List { member: mb, .. }) => {
            depth > 16 || members_tolerated(model, ma, mb, depth + 1)
        }
        _ => true,
    }
}

/// Two list members conflict unless their traits match and their targets are tolerated.
fn members_tolerated(model: &Model, a: &Member, b: &Member, depth: usize) -> bool {
    if a.traits.raw != b.traits.raw {
        return false;
    }
    match (model.get(&a.target), model.get(&b.target)) {
        (Some(ta), Some(tb)) => tolerated(model, ta, tb, depth),
        // A missing target is reported elsewhere.
        _ => true,
    }
}
