//! EC2's model (ec2Query, `../shared/models/ec2-2016-11-15.json`): it generates whole, and the
//! slice a typical EC2 program uses compiles with no warning and passes the model's endpoint
//! tests. Ignored (reported as such) when the model is absent.

use codegen::Options;
use tests::{cargo, root, runtime_dependency, write_crate};

/// The operations of the slice: instances, VPCs, tags, security groups, images.
const SLICE: &[&str] = &[
    "DescribeInstances",
    "RunInstances",
    "TerminateInstances",
    "DescribeVpcs",
    "CreateTags",
    "DescribeSecurityGroups",
    "AuthorizeSecurityGroupIngress",
    "DescribeImages",
];

fn ec2() -> Vec<codegen::model::Source> {
    codegen::sources::read_sources(&[env!("EC2_MODEL").into()]).expect("EC2 model readable")
}

#[test]
#[cfg_attr(not(ec2_model), ignore = "EC2 model not found (set SMITHY_MODELS_DIR)")]
fn ec2_model_generates_whole_with_every_waiter_and_paginator() {
    let generated = codegen::generate_with_warnings(&ec2(), &Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let left_out: Vec<String> = generated.warnings.iter().map(|w| w.warning()).collect();
    assert!(left_out.is_empty(), "left out:\n{}", left_out.join("\n"));
    let ops = generated
        .files
        .keys()
        .filter(|p| p.starts_with("src/operation/") && !p.ends_with("mod.rs"))
        .count();
    assert!(ops > 700, "{ops} operation modules");
}

#[test]
#[cfg_attr(not(ec2_model), ignore = "EC2 model not found (set SMITHY_MODELS_DIR)")]
fn ec2_slice_compiles_cleanly_and_passes_its_endpoint_tests() {
    let opts = Options {
        operations: SLICE.iter().map(|s| s.to_string()).collect(),
        runtime_dependency: runtime_dependency(),
        standalone: true,
        ..Options::default()
    };
    let files = codegen::generate(&ec2(), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        files["src/endpoint.rs"].contains("#[test]"),
        "the model's endpoint tests become tests of the crate"
    );
    let dir = root().join("target/ec2-slice");
    write_crate(&dir, &files);
    cargo(&dir, &["test", "--quiet"]).unwrap_or_else(|e| panic!("{e}"));
    cargo(
        &dir,
        &["clippy", "--quiet", "--all-targets", "--", "-D", "warnings"],
    )
    .unwrap_or_else(|e| panic!("{e}"));
}
