//! AWS's published ElastiCache model loads, generates, and compiles; and our model covers
//! exactly the TestMigration slice of it. Ignored (reported as such) when the model is absent.

use std::collections::BTreeSet;

use codegen::Options;
use tests::{cargo, root, runtime_dependency, write_crate};

fn published() -> Vec<codegen::model::Source> {
    let path = env!("PUBLISHED_MODEL");
    codegen::sources::read_sources(&[path.into()]).expect("published model readable")
}

fn closure_ids(sources: &[codegen::model::Source], ops: &[String]) -> BTreeSet<String> {
    let model = codegen::load(sources).unwrap_or_else(|e| panic!("{e}"));
    let c = codegen::closure::closure(&model, None, ops).unwrap_or_else(|e| panic!("{e}"));
    c.shapes
        .keys()
        .map(ToString::to_string)
        .chain(c.operations.iter().map(|o| o.id.to_string()))
        .collect()
}

#[test]
#[cfg_attr(
    not(published_model),
    ignore = "published model not found (set SMITHY_MODELS_DIR)"
)]
fn published_model_loads_with_every_operation() {
    let model = codegen::load(&published()).unwrap_or_else(|e| panic!("{e}"));
    let ir = codegen::lower(&model, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ir.operations.len(), 75);
    let non_prelude = model.shapes.keys().filter(|id| !id.is_prelude()).count();
    assert_eq!(non_prelude, 483, "482 shapes plus the service");
}

#[test]
#[cfg_attr(
    not(published_model),
    ignore = "published model not found (set SMITHY_MODELS_DIR)"
)]
fn our_model_is_the_published_slice_of_its_operations() {
    let ours = codegen::sources::read_sources(&[root().join("model")]).expect("model/ readable");
    let op = |name: &str| vec![name.to_string()];
    // TestMigration alone reaches the same shapes in both models.
    let theirs = closure_ids(&published(), &op("TestMigration"));
    assert_eq!(closure_ids(&ours, &op("TestMigration")), theirs);
    assert_eq!(theirs.len(), 53);
    // And so do all of our operations together.
    let model = codegen::load(&ours).unwrap_or_else(|e| panic!("{e}"));
    let all = codegen::closure::closure(&model, None, &[]).unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<String> = all
        .operations
        .iter()
        .map(|o| o.id.name().to_string())
        .collect();
    assert_eq!(closure_ids(&ours, &[]), closure_ids(&published(), &names));
}

#[test]
#[cfg_attr(
    not(published_model),
    ignore = "published model not found (set SMITHY_MODELS_DIR)"
)]
fn published_model_crate_compiles_cleanly() {
    let opts = Options {
        runtime_dependency: runtime_dependency(),
        standalone: true,
        ..Options::default()
    };
    let files = codegen::generate(&published(), &opts).unwrap_or_else(|e| panic!("{e}"));
    // The crate's own tests/waiters.rs has a test for every waiter acceptor.
    let waiters = files
        .get("tests/waiters.rs")
        .expect("the crate has waiter tests");
    let count = waiters.matches("#[tokio::test").count();
    assert!(
        count >= 18,
        "expected every published waiter acceptor, found {count}"
    );
    assert!(
        !waiters.contains("Acceptors without a test"),
        "some acceptors have no test:\n{waiters}"
    );
    let dir = root().join("target/published-crate");
    write_crate(&dir, &files);
    // Builds and runs the crate's tests: the model's endpoint test cases and the waiter
    // acceptor checks.
    cargo(&dir, &["test", "--quiet"]).unwrap_or_else(|e| panic!("{e}"));
    cargo(
        &dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}
