//! Each committed generated crate (`generated/` from `model/`, `tests/protocol-client/` from
//! `tests/fixtures/protocol/`) is exactly what the generator makes from its model.

use std::path::Path;

#[test]
fn committed_crates_match_their_models() {
    let root = tests::root();
    let mut stale = Vec::new();
    for target in codegen::project::TARGETS {
        let sources =
            codegen::sources::read_sources(&[root.join(target.model)]).expect("model readable");
        let opts = codegen::Options {
            runtime_dependency: target.runtime_dependency.to_string(),
            ..Default::default()
        };
        let files = codegen::generate(&sources, &opts).unwrap_or_else(|e| panic!("{e}"));
        let out = root.join(target.out);
        for (path, text) in &files {
            match std::fs::read_to_string(out.join(path)) {
                Ok(on_disk) if on_disk == *text => {}
                Ok(_) => stale.push(format!("changed: {}/{path}", target.out)),
                Err(_) => stale.push(format!("missing: {}/{path}", target.out)),
            }
        }
        let mut stack = vec![out.join("src")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
                let p = entry.path();
                if p.is_dir() {
                    stack.push(p);
                } else {
                    let rel = p
                        .strip_prefix(&out)
                        .unwrap_or(Path::new(""))
                        .to_string_lossy()
                        .replace('\\', "/");
                    if !files.contains_key(&rel) {
                        stale.push(format!("not generated: {}/{rel}", target.out));
                    }
                }
            }
        }
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
