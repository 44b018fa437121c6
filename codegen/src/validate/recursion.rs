//! Recursion that can end: a structure that reaches itself only through `required`
//! structure members could never be built (each value would need another inside it).
//! Lists, maps, unions and optional members end the chain, as Smithy's rule says.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Model, Shape, ShapeId, ShapeKind};

/// Reports every required member on a cycle of required structure members.
pub(super) fn check(model: &Model, diags: &mut Diagnostics) {
    // Structure → (member, target structure), for required members only.
    let mut edges: BTreeMap<&ShapeId, Vec<(&str, &ShapeId)>> = BTreeMap::new();
    for shape in model.shapes.values() {
        let ShapeKind::Structure { members } = &shape.kind else {
            continue;
        };
        for m in members.iter().filter(|m| m.traits.required) {
            if model.get(&m.target).is_some_and(is_structure) {
                edges
                    .entry(&shape.id)
                    .or_default()
                    .push((m.name.as_str(), &m.target));
            }
        }
    }
    for (owner, out) in &edges {
        for (member, target) in out {
            let Some(path) = path_back(&edges, target, owner) else {
                continue;
            };
            let Some(shape) = model.get(owner) else {
                continue;
            };
            let cycle = std::iter::once(owner.name())
                .chain(path.iter().map(|id| id.name()))
                .collect::<Vec<_>>()
                .join(" -> ");
            diags.push(
                Diagnostic::new(format!(
                    "structure recursion through required members only ({cycle}): a value \
                     would have to contain another of its own kind without end, so none can be \
                     built; `smithy.api#required` member `{member}` is on that cycle"
                ))
                .at(&shape.source)
                .shape(owner)
                .member(*member)
                .help(
                    "remove `smithy.api#required` from a member on the cycle, or reach the \
                     structure through a list, a map or a union",
                ),
            );
        }
    }
}

fn is_structure(s: &Shape) -> bool {
    matches!(s.kind, ShapeKind::Structure { .. })
}

/// The shortest path of required edges from `from` to `to` (both included), if any.
fn path_back<'a>(
    edges: &BTreeMap<&'a ShapeId, Vec<(&'a str, &'a ShapeId)>>,
    from: &'a ShapeId,
    to: &ShapeId,
) -> Option<Vec<&'a ShapeId>> {
    let mut parent: BTreeMap<&ShapeId, &ShapeId> = BTreeMap::new();
    let mut seen = BTreeSet::from([from]);
    let mut queue = VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut path = vec![at];
            let mut cur = at;
            while let Some(p) = parent.get(cur) {
                path.push(p);
                cur = p;
            }
            path.reverse();
            return Some(path);
        }
        for (_, next) in edges.get(at).into_iter().flatten() {
            if seen.insert(next) {
                parent.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}
