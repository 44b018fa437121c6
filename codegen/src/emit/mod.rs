//! IR to files: one emitter per kind of output.

mod crate_files;
pub mod docs;
mod enums;
mod operation;
mod query_ser;
mod reach;
mod rust_types;
mod structure;
mod union;
mod xml_de;

use std::collections::BTreeMap;

use crate::diagnostics::Diagnostics;
use crate::ir::{Crate, StructRole};
use crate::render::rust_file;
use crate::Options;

pub use crate_files::package_name;

/// Generated files by path relative to the crate root, in a stable order.
pub type Files = BTreeMap<String, String>;

/// Emits every file of the crate.
pub fn emit(ir: &Crate, opts: &Options) -> Result<Files, Diagnostics> {
    let mut files = Files::new();
    let mut diags = Diagnostics::default();
    let mut add = |path: String, tokens| match rust_file(&path, tokens) {
        Ok(text) => {
            files.insert(path, text);
        }
        Err(d) => diags.push(d),
    };
    add("src/lib.rs".into(), crate_files::lib_rs(ir));
    add("src/types/mod.rs".into(), crate_files::types_mod(ir));
    add("src/types/error/mod.rs".into(), crate_files::error_mod(ir));
    add(
        "src/types/builders.rs".into(),
        crate_files::builders_mod(ir),
    );
    for s in &ir.structures {
        let dir = if matches!(s.role, StructRole::Error(_)) {
            "src/types/error"
        } else {
            "src/types"
        };
        add(format!("{dir}/{}.rs", s.module), structure::structure(s));
    }
    for e in &ir.enums {
        add(format!("src/types/{}.rs", e.module), enums::enumeration(e));
    }
    for u in &ir.unions {
        add(format!("src/types/{}.rs", u.module), union::union(u));
    }
    let inputs = reach::reachable(ir, ir.operations.iter().filter_map(|o| o.input.as_ref()));
    let outputs = reach::reachable(
        ir,
        ir.operations
            .iter()
            .flat_map(|o| o.output.iter().chain(&o.errors)),
    );
    add("src/protocol/mod.rs".into(), crate_files::protocol_mod());
    add(
        "src/protocol/ser.rs".into(),
        query_ser::ser_file(ir, &inputs),
    );
    add("src/protocol/de.rs".into(), xml_de::de_file(ir, &outputs));
    add(
        "src/operation/mod.rs".into(),
        crate_files::operation_mod(ir),
    );
    for op in &ir.operations {
        add(
            format!("src/operation/{}.rs", op.snake_name),
            operation::operation(ir, op),
        );
    }
    let regex = query_ser::needs_regex(ir, &inputs);
    files.insert(
        "Cargo.toml".into(),
        crate_files::cargo_toml(ir, opts, regex),
    );
    diags.into_result(files)
}
