//! Snapshots of the generator on small fixture models: the code it emits for each valid
//! model, the errors it reports for each invalid one, and a compile check of the former.

use codegen::Options;
use tests::{cargo, concat, fixture_sources, root, runtime_dependency, write_crate};

const VALID: &[&str] = &[
    "valid/scalars.json",
    "valid/collections.json",
    "valid/enums.json",
    "valid/nullability.json",
    "valid/traits.json",
    "valid/keywords.json",
    "valid/recursive.json",
    "valid/union_resource.json",
    "valid/legacy_v1.json",
    "valid/multi_file",
    "valid/operation_names.json",
    "valid/bidi_text.json",
    "valid/empty_docs.json",
];

/// Valid fixtures that are generated and compiled but not snapshotted: their code repeats one
/// pattern many times (70 levels of nesting), so a snapshot would only be long.
const COMPILE_ONLY: &[&str] = &["valid/deep_nesting.json"];

fn fixture_name(rel: &str) -> String {
    rel.trim_end_matches(".json").replace('/', "__")
}

fn options() -> Options {
    Options {
        runtime_dependency: runtime_dependency(),
        standalone: false,
        ..Options::default()
    }
}

#[test]
fn valid_fixtures_generate() {
    for rel in VALID {
        // The default (relative) runtime path keeps snapshots independent of the checkout's place.
        let files = codegen::generate(&fixture_sources(rel), &Options::default())
            .unwrap_or_else(|e| panic!("{rel} should generate:\n{e}"));
        insta::assert_snapshot!(fixture_name(rel), concat(&files));
    }
    for rel in COMPILE_ONLY {
        let files = codegen::generate(&fixture_sources(rel), &Options::default())
            .unwrap_or_else(|e| panic!("{rel} should generate:\n{e}"));
        // Types nested past rustc's default query depth need a higher recursion limit.
        assert!(
            files["src/lib.rs"].contains("#![recursion_limit"),
            "{rel}: lib.rs should raise the recursion limit"
        );
    }
}

#[test]
fn invalid_fixtures_report_every_error() {
    let base = root().join("tests/fixtures/invalid");
    let mut entries: Vec<_> = std::fs::read_dir(&base)
        .expect("invalid/ exists")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    assert!(entries.len() >= 10, "expected the invalid fixtures");
    for path in entries {
        let rel = format!("invalid/{}", path.file_name().unwrap().to_string_lossy());
        let err = codegen::generate(&fixture_sources(&rel), &options())
            .err()
            .unwrap_or_else(|| panic!("{rel} should be rejected"));
        insta::assert_snapshot!(fixture_name(&rel), err.to_string());
    }
}

/// Every valid fixture's crate compiles with warnings denied, in one workspace so the
/// dependencies build once.
#[test]
fn valid_fixtures_compile() {
    let dir = root().join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(&dir);
    let mut members = Vec::new();
    for rel in VALID.iter().chain(COMPILE_ONLY) {
        let name = fixture_name(rel).replace("valid__", "").replace('_', "-");
        let opts = Options {
            crate_name: Some(format!("fixture-{name}")),
            ..options()
        };
        let files = codegen::generate(&fixture_sources(rel), &opts).expect("generates");
        write_crate(&dir.join(&name), &files);
        members.push(format!("{name:?}"));
    }
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("write workspace");
    cargo(&dir, &["check", "--quiet", "--workspace", "--all-targets"])
        .unwrap_or_else(|e| panic!("{e}"));
    cargo(
        &dir,
        &["check", "--quiet", "--workspace", "--no-default-features"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn an_unsupported_waiter_is_left_out_with_a_warning_and_the_crate_still_generates() {
    // Valid JMESPath the generator does not implement (a slice): only that waiter goes.
    let mut sources = fixture_sources("valid/traits.json");
    sources[0].text = sources[0].text.replace(
        "\"path\": \"Widget.Status\", \"expected\": \"failed\"",
        "\"path\": \"Widget.Status[0:2]\", \"expected\": \"failed\"",
    );
    assert!(
        sources[0].text.contains("Widget.Status[0:2]"),
        "fixture edited"
    );
    let generated = codegen::generate_with_warnings(&sources, &Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = generated.warnings.iter().map(|w| w.warning()).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("warning in valid/traits.json at example.traits#DescribeWidget: waiter `WidgetReady` left out of the crate")
            && warnings[0].contains("slices"),
        "{}",
        warnings[0]
    );
    let client = &generated.files["src/client.rs"];
    assert!(!client.contains("wait_until_widget_ready"));
    assert!(
        client.contains("wait_until_widget_gone"),
        "the other waiter stays"
    );
}
