//! IR to files: one emitter per kind of output.

mod crate_files;
pub mod docs;
mod enums;
mod rust_types;
mod structure;
mod union;

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
    files.insert("Cargo.toml".into(), crate_files::cargo_toml(ir, opts));
    diags.into_result(files)
}
