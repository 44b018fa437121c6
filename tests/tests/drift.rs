//! The committed crate in `generated/` is exactly what the generator makes from `model/`.

use std::path::Path;

#[test]
fn committed_crate_matches_model() {
    let root = tests::root();
    let sources = codegen::sources::read_sources(&[root.join("model")]).expect("model/ readable");
    let files =
        codegen::generate(&sources, &codegen::Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut stale = Vec::new();
    for (path, text) in &files {
        match std::fs::read_to_string(root.join("generated").join(path)) {
            Ok(on_disk) if on_disk == *text => {}
            Ok(_) => stale.push(format!("changed: {path}")),
            Err(_) => stale.push(format!("missing: {path}")),
        }
    }
    let mut stack = vec![root.join("generated/src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable").flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(root.join("generated"))
                    .unwrap_or(Path::new(""))
                    .to_string_lossy()
                    .replace('\\', "/");
                if !files.contains_key(&rel) {
                    stale.push(format!("not generated: {rel}"));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "generated/ is stale; run `cargo xtask codegen`:\n{}",
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
