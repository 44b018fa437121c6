//! `smithy.waiters#waitable`: names, delays and acceptors a waiter can run with, and names
//! unique in each service.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{AcceptorState, Model, Shape, ShapeId, ShapeKind};

/// Reports waiters with unusable delays, no (success) acceptors, names that are not
/// UpperCamelCase, and names used twice in a service.
pub(super) fn check(model: &Model, diags: &mut Diagnostics) {
    for shape in model.shapes.values().filter(|s| !s.id.is_prelude()) {
        let Some(waiters) = &shape.traits.waitable else {
            continue;
        };
        for (name, w) in waiters {
            let err = |msg: String| {
                Diagnostic::new(format!("`smithy.waiters#waitable` waiter `{name}` {msg}"))
                    .at(&shape.source)
                    .shape(&shape.id)
            };
            if !is_waiter_name(name) {
                diags.push(err("has a name that is not UpperCamelCase".into()).help(
                    "name waiters with an uppercase letter first, then letters and digits \
                         (such as `ClusterAvailable`)",
                ));
            }
            if w.min_delay < 1 {
                diags.push(
                    err(format!(
                        "has `minDelay` {}; it must be at least 1 second",
                        w.min_delay
                    ))
                    .help("set `minDelay` to 1 or more (it defaults to 2)"),
                );
            }
            if w.max_delay < 1 {
                diags.push(
                    err(format!(
                        "has `maxDelay` {}; it must be at least 1 second",
                        w.max_delay
                    ))
                    .help("set `maxDelay` to 1 or more (it defaults to 120)"),
                );
            }
            if w.min_delay > w.max_delay {
                diags.push(
                    err(format!(
                        "has `minDelay` {} greater than `maxDelay` {}",
                        w.min_delay, w.max_delay
                    ))
                    .help(
                        "make `minDelay` at most `maxDelay` (an unset `maxDelay` is 120, an unset \
                         `minDelay` is 2)",
                    ),
                );
            }
            if w.acceptors.is_empty() {
                diags.push(
                    err("has no acceptors, so it could never stop waiting".into()).help(
                        "add acceptors: at least one with state `success` (and `failure` ones \
                         for states that will not change)",
                    ),
                );
            } else if !w
                .acceptors
                .iter()
                .any(|a| a.state == AcceptorState::Success)
            {
                diags.push(
                    err("has no acceptor with state `success`, so it could never succeed".into())
                        .help("add an acceptor with `\"state\": \"success\"`"),
                );
            }
        }
    }
    unique_names(model, diags);
}

/// Waiter names are unique in a service ignoring case (each becomes a `wait_until_…` method).
fn unique_names(model: &Model, diags: &mut Diagnostics) {
    for service in model.services() {
        let ShapeKind::Service(data) = &service.kind else {
            continue;
        };
        // Operations bound to the service, directly or through resources.
        let mut operations: BTreeSet<&ShapeId> = data.operations.iter().collect();
        let mut resources: Vec<&ShapeId> = data.resources.iter().collect();
        let mut seen = BTreeSet::new();
        while let Some(r) = resources.pop() {
            if !seen.insert(r) {
                continue;
            }
            if let Some(ShapeKind::Resource(res)) = model.get(r).map(|s| &s.kind) {
                operations.extend(res.operations.iter());
                resources.extend(res.resources.iter());
            }
        }
        let mut by_name: BTreeMap<String, Vec<(&Shape, &str)>> = BTreeMap::new();
        for op in operations.iter().filter_map(|id| model.get(id)) {
            for name in op.traits.waitable.iter().flat_map(|w| w.keys()) {
                by_name
                    .entry(name.to_lowercase())
                    .or_default()
                    .push((op, name.as_str()));
            }
        }
        for users in by_name.values().filter(|u| u.len() > 1) {
            for (op, name) in users {
                let others: Vec<String> = users
                    .iter()
                    .filter(|(o, _)| o.id != op.id)
                    .map(|(o, n)| format!("waiter `{n}` of `{}`", o.id))
                    .collect();
                diags.push(
                    Diagnostic::new(format!(
                        "`smithy.waiters#waitable` waiter `{name}` has the same name, ignoring \
                         case, as {} in service `{}`; waiter names must be unique in a service",
                        others.join(", "),
                        service.id
                    ))
                    .at(&op.source)
                    .shape(&op.id)
                    .help("rename one of the waiters"),
                );
            }
        }
    }
}

/// Smithy's waiter name syntax: `^[A-Z]+[A-Za-z0-9]*$`.
fn is_waiter_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}
