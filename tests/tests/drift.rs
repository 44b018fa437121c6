//! Each committed generated crate (`generated/` from `model/`, `tests/protocol-client/` from
//! `tests/fixtures/protocol/`) is exactly what the generator makes from its model.

#[test]
fn committed_crates_match_their_models() {
    let root = tests::root();
    let mut stale = Vec::new();
    for target in codegen::project::TARGETS {
        let sources =
            codegen::sources::read_sources(&[root.join(target.model)]).expect("model readable");
        let opts = target.options(&root).unwrap_or_else(|e| panic!("{e}"));
        let files = codegen::generate(&sources, &opts).unwrap_or_else(|e| panic!("{e}"));
        let out = root.join(target.out);
        // Every difference counts here, hand-written files under src/ included.
        stale.extend(
            codegen::stale::compare(&out, &files)
                .into_iter()
                .map(|change| format!("{}: {change}", target.out)),
        );
    }
    assert!(
        stale.is_empty(),
        "committed crates are stale; run `cargo xtask codegen`:\n{}",
        stale.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = tests::root();
    let mut sources =
        codegen::sources::read_sources(&[root.join("model")]).expect("model/ readable");
    let first = codegen::generate(&sources, &codegen::Options::default()).expect("generates");
    // Same files given in another order: same output.
    sources.reverse();
    let second = codegen::generate(&sources, &codegen::Options::default()).expect("generates");
    assert_eq!(first, second);
}
