//! Finds AWS's published ElastiCache model so the tests that need it run, or are reported as
//! ignored (never silently passed) when it is absent.

use std::path::PathBuf;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(published_model)");
    println!("cargo::rustc-check-cfg=cfg(ec2_model)");
    println!("cargo::rerun-if-env-changed=SMITHY_MODELS_DIR");
    let dir = std::env::var_os("SMITHY_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/models"));
    let model = dir.join("elasticache-2015-02-02.json");
    println!("cargo::rerun-if-changed={}", model.display());
    if model.is_file() {
        println!("cargo::rustc-cfg=published_model");
        println!("cargo::rustc-env=PUBLISHED_MODEL={}", model.display());
    } else {
        println!(
            "cargo::warning=published model not found at {}: its tests are ignored (set SMITHY_MODELS_DIR)",
            model.display()
        );
        println!("cargo::rustc-env=PUBLISHED_MODEL=");
    }
    // EC2's model (ec2Query), for the ec2 slice tests.
    let ec2 = dir.join("ec2-2016-11-15.json");
    println!("cargo::rerun-if-changed={}", ec2.display());
    if ec2.is_file() {
        println!("cargo::rustc-cfg=ec2_model");
        println!("cargo::rustc-env=EC2_MODEL={}", ec2.display());
    } else {
        println!("cargo::rustc-env=EC2_MODEL=");
    }
}
