//! A Smithy 2.0 code generator for Rust clients of awsQuery services.
//!
//! Data flows through one stage per module, left to right, once:
//! source text → [`model::load`] → [`validate`] → [`closure`] → [`ir::lower`] → [`emit`]
//! → formatted file text. Only the caller (the `xtask` binary, or a test) touches the disk.

pub mod closure;
pub mod diagnostics;
pub mod emit;
pub mod ir;
pub mod jmespath;
pub mod model;
pub mod naming;
pub mod project;
pub mod render;
pub mod sources;
pub mod stale;
pub mod validate;
pub mod wire_traits;

pub use diagnostics::{Diagnostic, Diagnostics};
pub use emit::{Files, Generated};

/// The version of `aws-lite-runtime` that generated crates depend on.
pub const RUNTIME_VERSION: &str = "0.1.0";

/// What to generate and how the crate refers to its runtime.
#[derive(Debug, Clone)]
pub struct Options {
    /// Operations to generate (their closure); empty means every operation of the service.
    pub operations: Vec<String>,
    /// The service to generate when the model has several (name or absolute id).
    pub service: Option<String>,
    /// Package name; defaults to the SDK id in lowercase.
    pub crate_name: Option<String>,
    /// The TOML value of the runtime dependency, e.g. `{ path = "../runtime" }`.
    pub runtime_dependency: String,
    /// Add an empty `[workspace]` so the crate builds outside any workspace.
    pub standalone: bool,
    /// Mark the crate `publish = false` (test crates).
    pub unpublished: bool,
    /// The TOML value of an `aws-lite-credentials` dependency. When set, the crate gets an
    /// `sts` feature that makes `config::from_env` use that crate's default chain, which can
    /// assume roles through STS.
    pub credentials_dependency: Option<String>,
    /// Hand-written modules to add to the crate as they are: (module name, Rust source). Each
    /// becomes `src/<name>.rs` and `pub mod <name>;` (see [`sources::read_extra_modules`]).
    pub extra_modules: Vec<(String, String)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            operations: Vec::new(),
            service: None,
            crate_name: None,
            runtime_dependency: format!(
                r#"{{ path = "../runtime", version = "{RUNTIME_VERSION}" }}"#
            ),
            standalone: false,
            unpublished: false,
            credentials_dependency: None,
            extra_modules: Vec::new(),
        }
    }
}

/// Loads and validates model sources into one model.
pub fn load(sources: &[model::Source]) -> Result<model::Model, Diagnostics> {
    let model = model::load(sources)?;
    validate::validate(&model)?;
    Ok(model)
}

/// Lowers a validated model into the IR of one crate.
pub fn lower(model: &model::Model, opts: &Options) -> Result<ir::Crate, Diagnostics> {
    let closure = closure::closure(model, opts.service.as_deref(), &opts.operations)?;
    if ir::Protocol::of(&closure.service.traits).is_none() {
        return Err(unsupported_protocol(closure.service).into());
    }
    // Wire-changing traits: implemented, or refused here with a located error.
    let problems = wire_traits::check(model, &closure);
    if !problems.is_empty() {
        return Err(Diagnostics(problems));
    }
    ir::lower(model, &closure)
}

/// The error for a service whose protocol this generator does not speak, naming it.
fn unsupported_protocol(service: &model::Shape) -> Diagnostic {
    const OTHERS: &[(&str, &str)] = &[
        ("aws.protocols#awsJson1_0", "awsJson1_0"),
        ("aws.protocols#awsJson1_1", "awsJson1_1"),
        ("aws.protocols#restJson1", "restJson1"),
        ("aws.protocols#restXml", "restXml"),
        ("smithy.protocols#rpcv2Cbor", "rpcv2Cbor"),
    ];
    let declared: Vec<&str> = OTHERS
        .iter()
        .filter(|(id, _)| service.traits.raw.contains_key(*id))
        .map(|(_, name)| *name)
        .collect();
    let message = if declared.is_empty() {
        "the service declares no protocol this generator knows".to_string()
    } else {
        format!(
            "the service uses the {} protocol, which this generator does not support",
            declared.join(" and ")
        )
    };
    Diagnostic::new(message)
        .at(&service.source)
        .shape(&service.id)
        .help("this generator makes clients of the query-family protocols: `aws.protocols#awsQuery` and `aws.protocols#ec2Query`; a service of another protocol needs another generator, not a different trait")
}

/// Generates every file of the crate from model sources.
pub fn generate(sources: &[model::Source], opts: &Options) -> Result<Files, Diagnostics> {
    generate_with_warnings(sources, opts).map(|g| g.files)
}

/// Generates the crate, and says which optional constructs (paginators, waiters) were left out.
pub fn generate_with_warnings(
    sources: &[model::Source],
    opts: &Options,
) -> Result<Generated, Diagnostics> {
    let model = load(sources)?;
    let ir = lower(&model, opts)?;
    emit::emit(&ir, opts)
}
