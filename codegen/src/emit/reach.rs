//! Which generated types each direction of the wire needs: serializers for what inputs
//! reach, parsers for what outputs and errors reach.

use std::collections::BTreeSet;

use crate::ir::{Crate, TypeRef};

/// Rust names of structures and unions reachable from the given roots.
pub fn reachable<'a>(ir: &Crate, roots: impl IntoIterator<Item = &'a String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.into_iter().cloned().collect();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        if let Some(s) = ir.structures.iter().find(|s| s.name == name) {
            for f in &s.fields {
                push_named(&f.ty, &mut stack);
            }
        } else if let Some(u) = ir.unions.iter().find(|u| u.name == name) {
            for v in &u.variants {
                push_named(&v.ty, &mut stack);
            }
        }
    }
    seen
}

fn push_named(t: &TypeRef, stack: &mut Vec<String>) {
    match t {
        TypeRef::Structure(n, _) | TypeRef::Union(n) => stack.push(n.clone()),
        TypeRef::List(l) => push_named(&l.item, stack),
        TypeRef::Map(m) => push_named(&m.value, stack),
        _ => {}
    }
}
