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
    /// The TOML value of its optional `aws-lite-credentials` dependency (the `sts` feature).
    pub credentials_dependency: Option<&'static str>,
}

impl Target {
    /// Generation options for this target; `root` is the workspace root (for the model's
    /// hand-written modules).
    pub fn options(&self, root: &std::path::Path) -> Result<crate::Options, String> {
        Ok(crate::Options {
            runtime_dependency: self.runtime_dependency.to_string(),
            unpublished: self.unpublished,
            credentials_dependency: self.credentials_dependency.map(str::to_string),
            extra_modules: crate::sources::read_extra_modules(&root.join(self.model))?,
            ..Default::default()
        })
    }
}

/// The product crates (ElastiCache, and STS), and the protocol-test crates made from models that
/// use every awsQuery and every ec2Query construct.
pub const TARGETS: &[Target] = &[
    Target {
        model: "model",
        out: "generated",
        runtime_dependency: r#"{ path = "../runtime", version = "0.1.0" }"#,
        unpublished: false,
        credentials_dependency: Some(r#"{ path = "../credentials", version = "0.1.0" }"#),
    },
    Target {
        model: "model-sts",
        out: "generated-sts",
        runtime_dependency: r#"{ path = "../runtime", version = "0.1.0" }"#,
        unpublished: false,
        credentials_dependency: None,
    },
    Target {
        model: "tests/fixtures/protocol",
        out: "tests/protocol-client",
        runtime_dependency: r#"{ path = "../../runtime", version = "0.1.0" }"#,
        unpublished: true,
        credentials_dependency: None,
    },
    Target {
        model: "tests/fixtures/ec2-protocol",
        out: "tests/ec2-protocol-client",
        runtime_dependency: r#"{ path = "../../runtime", version = "0.1.0" }"#,
        unpublished: true,
        credentials_dependency: None,
    },
];
