//! The crates this repository generates and commits, relative to the workspace root.
//! `cargo xtask codegen` (with no `--model`/`--out`) and the drift test both use this list.

/// One committed generated crate.
#[derive(Debug, Clone, Copy)]
pub struct Target {
    /// The model folder, relative to the workspace root.
    pub model: &'static str,
    /// The crate folder it generates, relative to the workspace root.
    pub out: &'static str,
    /// The TOML value of its runtime dependency.
    pub runtime_dependency: &'static str,
    /// A test crate, never published.
    pub unpublished: bool,
}

/// The product crate, and the protocol-test crates made from models that use every awsQuery
/// and every ec2Query construct.
pub const TARGETS: &[Target] = &[
    Target {
        model: "model",
        out: "generated",
        runtime_dependency: r#"{ path = "../runtime", version = "0.1.0" }"#,
        unpublished: false,
    },
    Target {
        model: "tests/fixtures/protocol",
        out: "tests/protocol-client",
        runtime_dependency: r#"{ path = "../../runtime", version = "0.1.0" }"#,
        unpublished: true,
    },
    Target {
        model: "tests/fixtures/ec2-protocol",
        out: "tests/ec2-protocol-client",
        runtime_dependency: r#"{ path = "../../runtime", version = "0.1.0" }"#,
        unpublished: true,
    },
];
