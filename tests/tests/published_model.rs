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
    let dir = root().join("target/published-crate");
    write_crate(&dir, &files);
    add_waiter_tests(&dir);
    // Builds and runs the crate's tests: the model's endpoint test cases become tests of the
    // crate, and so do the waiter acceptor checks added above.
    cargo(&dir, &["test", "--quiet"]).unwrap_or_else(|e| panic!("{e}"));
    cargo(
        &dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

/// Writes `tests/waiters.rs` into the generated published crate: for every acceptor of every
/// waiter in the model, a canned response that only that acceptor (or an earlier one with the
/// same outcome) matches, and the state the waiter must end in. Output acceptors of the form
/// `List[].Member` with all/any comparators get a one-item list whose member is the expected
/// value; errorType acceptors get an error response with that code.
fn add_waiter_tests(dir: &std::path::Path) {
    use codegen::ir::TypeRef;
    use codegen::model::{AcceptorState, Matcher, PathComparator};

    let model = codegen::load(&published()).unwrap_or_else(|e| panic!("{e}"));
    let ir = codegen::lower(&model, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut tests = String::new();
    let mut count = 0;
    for op in ir.operations.iter().filter(|o| !o.waiters.is_empty()) {
        let output = ir
            .structures
            .iter()
            .find(|s| Some(&s.name) == op.output.as_ref())
            .expect("output");
        for (name, waiter) in &op.waiters {
            for (i, acceptor) in waiter.acceptors.iter().enumerate() {
                let (status, body, wanted) = match &acceptor.matcher {
                    Matcher::Output(m) if matches!(m.comparator, PathComparator::AllStringEquals | PathComparator::AnyStringEquals) => {
                        let (list, member) = m.path.split_once("[].").expect("List[].Member path");
                        let field = output.fields.iter().find(|f| f.member_name == list).expect("list member");
                        let TypeRef::List(l) = &field.ty else { panic!("{list} is not a list") };
                        let body = format!(
                            "<{op}Response><{op}Result><{wire}><{item}><{member}>{value}</{member}></{item}></{wire}></{op}Result></{op}Response>",
                            op = op.name,
                            wire = field.wire_name,
                            item = l.item_name,
                            value = m.expected,
                        );
                        // The first acceptor matching this output decides.
                        let first = waiter
                            .acceptors
                            .iter()
                            .find(|a| matches!(&a.matcher, Matcher::Output(o) if o.path == m.path && o.expected == m.expected))
                            .expect("itself");
                        (200, body, first.state)
                    }
                    Matcher::ErrorType(code) => (
                        400,
                        format!("<ErrorResponse><Error><Code>{code}</Code><Message>m</Message></Error><RequestId>r</RequestId></ErrorResponse>"),
                        acceptor.state,
                    ),
                    other => panic!("waiter {name}: acceptor {other:?} has no generated check yet"),
                };
                let method = format!("wait_until_{}", codegen::naming::module_name(name));
                let check = match wanted {
                    AcceptorState::Success => "assert!(result.is_ok(), \"{result:?}\");".to_string(),
                    AcceptorState::Failure => "assert!(matches!(result, Err(aws_lite_runtime::waiter::WaiterError::Failure { .. })), \"{result:?}\");".to_string(),
                    AcceptorState::Retry => "assert!(matches!(result, Err(aws_lite_runtime::waiter::WaiterError::TimedOut { .. })), \"{result:?}\");".to_string(),
                };
                let test = format!("{}_acceptor_{i}", codegen::naming::module_name(name));
                tests.push_str(&format!(
                    r#"
#[tokio::test(start_paused = true)]
async fn {test}() {{
    let mock = MockTransport::from_fn(|_| Ok(HttpResponse::new({status}, vec![], {body:?})));
    let result = client(&mock).{method}().wait(Duration::from_secs(300)).await;
    {check}
}}
"#,
                ));
                count += 1;
            }
        }
    }
    assert!(
        count >= 18,
        "expected every published waiter acceptor, found {count}"
    );
    let header = r#"//! Written by the project's published-model test: one check per waiter acceptor.
#![allow(deprecated)]
use std::time::Duration;

use aws_lite_runtime::auth::Credentials;
use aws_lite_runtime::client::MockTransport;
use aws_lite_runtime::protocol::HttpResponse;

fn client(mock: &MockTransport) -> elasticache::Client {
    let config = elasticache::Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("a", "b", None))
        .transport(mock.clone())
        .initial_backoff(Duration::from_millis(1))
        .build();
    elasticache::Client::new(&config)
}
"#;
    std::fs::create_dir_all(dir.join("tests")).expect("tests dir");
    std::fs::write(dir.join("tests/waiters.rs"), format!("{header}{tests}"))
        .expect("write waiter tests");
    let manifest = dir.join("Cargo.toml");
    let mut toml = std::fs::read_to_string(&manifest).expect("manifest");
    toml.push_str(&format!(
        "\n[dev-dependencies]\naws-lite-runtime = {}\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\", \"time\", \"test-util\"] }}\n",
        runtime_dependency()
    ));
    std::fs::write(manifest, toml).expect("write manifest");
}
