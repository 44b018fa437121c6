//! IR to files: one emitter per kind of output.
//!
//! The per-shape serializers and checks, and each operation's `serialize_request` and
//! `parse_response`, are `#[inline]`, and the deserializers are generic over the XML reader:
//! rustc then compiles them only in the crates that call them, so a program pays for the
//! operations it uses, and the generated crate itself compiles in a fraction of the time
//! (see BENCHMARKS.md).

mod client;
mod crate_files;
pub mod docs;
pub mod endpoint;
mod enums;
mod operation;
mod paginate_wait;
mod query_ser;
mod reach;
mod rust_types;
mod structure;
mod union;
mod validate;
mod waiter_expr;
mod waiter_tests;
mod xml_de;

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::ir::{Crate, OperationIr, StructRole};
use crate::render::rust_file;
use crate::Options;
use waiter_expr::PathError;

pub use crate_files::package_name;
pub use waiter_expr::FUNCTIONS as WAITER_FUNCTIONS;

/// Generated files by path relative to the crate root, in a stable order.
pub type Files = BTreeMap<String, String>;

/// A generated crate: its files, and what was left out of it.
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Files by path relative to the crate root.
    pub files: Files,
    /// Optional constructs (paginators, waiters) the generator could not handle and left
    /// out; the crate is complete without them.
    pub warnings: Vec<Diagnostic>,
}

/// Emits every file of the crate.
pub fn emit(ir: &Crate, opts: &Options) -> Result<Generated, Diagnostics> {
    let mut files = Files::new();
    let mut diags = Diagnostics::default();
    let mut warnings = Vec::new();
    let extra: Vec<String> = opts.extra_modules.iter().map(|(n, _)| n.clone()).collect();
    for (name, text) in &opts.extra_modules {
        const TAKEN: &[&str] = &[
            "client",
            "config",
            "endpoint",
            "operation",
            "protocol",
            "types",
            "primitives",
            "error",
            "waiters",
            "paginators",
            "lib",
            "mod",
        ];
        if TAKEN.contains(&name.as_str()) {
            diags.push(Diagnostic::new(format!(
                "hand-written module `{name}` has the name of a generated module; rename its file"
            )));
            continue;
        }
        let header = "// Hand-written: copied by `cargo xtask codegen` from the model's `rust/` folder. Edit it there.\n\n";
        files.insert(format!("src/{name}.rs"), format!("{header}{text}"));
    }
    let mut add = |path: String, tokens| match rust_file(&path, tokens) {
        Ok(text) => {
            files.insert(path, text);
        }
        Err(d) => diags.push(d),
    };
    add("src/lib.rs".into(), crate_files::lib_rs(ir, &extra));
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
    // Errors made from the envelope's metadata need no parser of their own.
    let from_meta: BTreeSet<&String> = ir
        .structures
        .iter()
        .filter(|s| xml_de::made_from_meta(s))
        .map(|s| &s.name)
        .collect();
    let outputs = reach::reachable(
        ir,
        ir.operations.iter().flat_map(|o| {
            let errors = o.errors.iter().filter(|e| !from_meta.contains(e));
            o.output.iter().chain(errors)
        }),
    );
    add("src/protocol/mod.rs".into(), crate_files::protocol_mod());
    add(
        "src/protocol/ser.rs".into(),
        query_ser::ser_file(ir, &inputs),
    );
    add("src/protocol/de.rs".into(), xml_de::de_file(ir, &outputs));
    add(
        "src/protocol/validate.rs".into(),
        validate::validate_file(ir, &inputs),
    );
    add(
        "src/operation/mod.rs".into(),
        crate_files::operation_mod(ir),
    );
    // Constructs found unsupported while emitting (rendering errors are collected by `add`).
    let mut model_errors = Vec::new();
    // Each operation's module: wire entry points, error enum, fluent builder, paginator, waiters.
    // A paginator or waiter the generator cannot express is optional: it is left out with a
    // warning, and the rest of the crate is still generated.
    let mut waiter_methods = Vec::new();
    // (operation, waiter) pairs left out, which get no tests.
    let mut left_out_waiters = BTreeSet::new();
    for op in &ir.operations {
        // A path that names no member (or is not JMESPath) is a model error; valid JMESPath
        // this generator does not implement leaves the construct out with a warning.
        let paginator = match paginate_wait::paginator(ir, op) {
            Ok(p) => p,
            Err(PathError::Invalid(e)) => {
                model_errors.push(invalid_path(op, "paginator", &e));
                quote::quote!()
            }
            Err(PathError::Unsupported(e)) => {
                warnings.push(left_out(op, "paginator", &e));
                quote::quote!()
            }
        };
        let mut waiters = Vec::new();
        for name in op.waiters.keys() {
            match paginate_wait::waiter(ir, op, name) {
                Ok((w, method)) => {
                    waiters.push(w);
                    waiter_methods.push(method);
                }
                Err(PathError::Invalid(e)) => {
                    model_errors.push(invalid_path(op, &format!("waiter `{name}`"), &e));
                }
                Err(PathError::Unsupported(e)) => {
                    left_out_waiters.insert((op.name.clone(), name.clone()));
                    warnings.push(left_out(op, &format!("waiter `{name}`"), &e));
                }
            }
        }
        let module = operation::operation(ir, op);
        let fluent = client::fluent(ir, op);
        add(
            format!("src/operation/{}.rs", op.snake_name),
            quote::quote!(#module #fluent #paginator #(#waiters)*),
        );
    }
    let client = client::client_file(ir);
    add(
        "src/client.rs".into(),
        quote::quote! {
            #client
            impl Client {
                #(#waiter_methods)*
            }
        },
    );
    add(
        "src/config.rs".into(),
        client::config_file(ir, opts.credentials_dependency.is_some()),
    );
    match client::endpoint_file(ir) {
        Ok(tokens) => add("src/endpoint.rs".into(), tokens),
        Err(e) => model_errors.push(Diagnostic::new(format!("endpoint rules: {e}")).help(
            "the service's smithy.rules#endpointRuleSet or endpointTests uses something this generator does not support",
        )),
    }
    let regex = validate::needs_regex(ir, &inputs);
    let crate_name = package_name(ir, opts).replace('-', "_");
    let tests = waiter_tests::waiter_tests(ir, &crate_name, &left_out_waiters);
    files.insert(
        "Cargo.toml".into(),
        crate_files::cargo_toml(ir, opts, regex, tests.is_some()),
    );
    if let Some(text) = tests {
        files.insert("tests/waiters.rs".into(), text);
    }
    diags.0.extend(model_errors);
    diags.into_result(Generated { files, warnings })
}

/// The error for a paginator or waiter whose path does not fit the model.
fn invalid_path(op: &OperationIr, what: &str, why: &str) -> Diagnostic {
    let trait_id = if what == "paginator" {
        "smithy.api#paginated"
    } else {
        "smithy.waiters#waitable"
    };
    Diagnostic::new(format!("{what} (`{trait_id}`): {why}"))
        .at(&op.source)
        .shape(&op.id)
        .help("fix the path so that it names members of the operation's output (or input)")
}

/// The warning for an optional construct left out of the crate.
fn left_out(op: &OperationIr, what: &str, why: &str) -> Diagnostic {
    Diagnostic::new(format!("{what} left out of the crate: {why}"))
        .at(&op.source)
        .shape(&op.id)
}
