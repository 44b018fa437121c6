//! Selection: the service to generate, its chosen operations, and every shape they reach.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Model, Service, Shape, ShapeId, ShapeKind};

/// The part of a model one generated crate covers.
#[derive(Debug, Clone)]
pub struct Closure<'m> {
    /// The service shape.
    pub service: &'m Shape,
    /// Its data (version, renames).
    pub service_data: &'m Service,
    /// Chosen operations, sorted by name.
    pub operations: Vec<&'m Shape>,
    /// Every non-prelude data shape reachable from them (structures, lists, enums, …), by id.
    pub shapes: BTreeMap<ShapeId, &'m Shape>,
}

/// Finds the service and the closure of the chosen operations (all when `operations` is empty).
pub fn closure<'m>(
    model: &'m Model,
    service: Option<&str>,
    operations: &[String],
) -> Result<Closure<'m>, Diagnostics> {
    let services: Vec<&Shape> = model.services().collect();
    let service = match (service, services.as_slice()) {
        (Some(want), _) => services
            .iter()
            .copied()
            .find(|s| s.id.to_string() == want || s.id.name() == want)
            .ok_or_else(|| Diagnostic::new(format!("the model has no service `{want}`")))?,
        (None, [one]) => one,
        (None, []) => {
            return Err(Diagnostic::new("the model has no service shape")
                .help("add a shape of type `service` listing the operations to generate")
                .into())
        }
        (None, many) => {
            return Err(Diagnostic::new(format!(
                "the model has {} services ({}); say which one to generate",
                many.len(),
                many.iter()
                    .map(|s| s.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into())
        }
    };
    let ShapeKind::Service(data) = &service.kind else {
        unreachable!("services() yields only service shapes")
    };

    let mut all_ops = BTreeMap::new();
    let mut resources: Vec<&ShapeId> = data.resources.iter().collect();
    for op in &data.operations {
        all_ops.insert(op.name().to_string(), op.clone());
    }
    let mut seen_resources = BTreeSet::new();
    while let Some(r) = resources.pop() {
        if !seen_resources.insert(r.clone()) {
            continue;
        }
        if let Some(Shape {
            kind: ShapeKind::Resource(res),
            ..
        }) = model.get(r)
        {
            for op in &res.operations {
                all_ops.insert(op.name().to_string(), op.clone());
            }
            resources.extend(res.resources.iter());
        }
    }

    let mut diags = Diagnostics::default();
    let chosen: Vec<ShapeId> = if operations.is_empty() {
        all_ops.values().cloned().collect()
    } else {
        let mut chosen = Vec::new();
        for name in operations {
            match all_ops.get(name.as_str()) {
                Some(id) => chosen.push(id.clone()),
                None => diags.push(
                    Diagnostic::new(format!(
                        "service `{}` has no operation `{name}`",
                        service.id
                    ))
                    .help(format!(
                        "choose among: {}",
                        all_ops.keys().cloned().collect::<Vec<_>>().join(", ")
                    )),
                ),
            }
        }
        chosen.sort_by(|a, b| a.name().cmp(b.name()));
        chosen.dedup();
        chosen
    };

    let mut shapes = BTreeMap::new();
    let mut ops = Vec::new();
    let mut stack: Vec<ShapeId> = data.errors.clone();
    for id in &chosen {
        if let Some(op) = model.get(id) {
            ops.push(op);
            if let ShapeKind::Operation(o) = &op.kind {
                stack.extend(o.input.iter().cloned());
                stack.extend(o.output.iter().cloned());
                stack.extend(o.errors.iter().cloned());
            }
        }
    }
    while let Some(id) = stack.pop() {
        if id.is_prelude() || shapes.contains_key(&id) {
            continue;
        }
        let Some(shape) = model.get(&id) else {
            continue;
        };
        shapes.insert(id, shape);
        for m in shape.kind.members() {
            stack.push(m.target.clone());
        }
    }
    diags.into_result(Closure {
        service,
        service_data: data,
        operations: ops,
        shapes,
    })
}
