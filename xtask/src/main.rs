//! `cargo xtask`: the project's commands. Argument parsing and disk I/O only; the generator
//! itself is the `codegen` library.

mod check_models;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use codegen::stale::Change;
use codegen::{Files, Options};

const HELP: &str = "\
cargo xtask — project commands

USAGE:
    cargo xtask codegen [OPTIONS]     regenerate the client crate from the model
    cargo xtask bench-codegen         time the generator on our model and the published one
    cargo xtask check-models          generate a crate from every published model and compile it
                                      with warnings denied; one line per service

CODEGEN OPTIONS:
    --check                 write nothing; exit 1 and list the files that are stale
    --model PATH            a model file or folder of .json files (repeatable; default: model/)
    --out DIR               where to write the crate (default: generated/); any other folder
                            gets a standalone crate that builds from there
                            (with neither option: every committed crate, model/ → generated/
                            and tests/fixtures/protocol/ → tests/protocol-client/)
    --operations A,B        generate only these operations and what they reach (default: all)
    --service NAME          the service to generate when the model has several
    --crate-name NAME       package name (default: the service's SDK id in lowercase)
    --runtime SOURCE        how a crate written with --out depends on aws-lite-runtime:
                            `path:DIR`, `git:URL` (optionally `git:URL#REV`) or
                            `version:X.Y.Z` (default: a path relative to the crate, so the two
                            folders can move together to another machine)
    -h, --help              this text

CHECK-MODELS OPTIONS:
    --models DIR            the models (default: ../shared/models or $SMITHY_MODELS_DIR)
    --out DIR               where the crates go (default: target/check-models)
    --only A,B              only the models whose file names start with these
    --skip A,B              leave out the models whose file names start with these
    --no-compile            generate only

BENCH-CODEGEN OPTIONS:
    --published PATH        AWS's published model (default: ../shared/models/elasticache-2015-02-02.json
                            or $SMITHY_MODELS_DIR/elasticache-2015-02-02.json)
    --iterations N          runs per model (default: 20)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("bench-codegen") => bench(&args[1..]),
        Some("check-models") => check_models::run(&args[1..], &workspace_root()),
        Some("-h" | "--help") | None => {
            print!("{HELP}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command `{other}`\n\n{HELP}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

struct CodegenArgs {
    check: bool,
    targets: Vec<Target>,
}

/// One crate to generate: from which model files, into which folder, how.
struct Target {
    models: Vec<PathBuf>,
    out: PathBuf,
    opts: Options,
}

fn parse_codegen_args(args: &[String]) -> Result<Option<CodegenArgs>, String> {
    let root = workspace_root();
    let mut check = false;
    let mut models = Vec::new();
    let mut out = None;
    let mut opts = Options::default();
    let mut runtime: Option<String> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value (see --help)"))
        };
        match arg.as_str() {
            "--check" => check = true,
            "--model" => models.push(PathBuf::from(value("--model")?)),
            "--out" => out = Some(PathBuf::from(value("--out")?)),
            "--operations" => opts.operations.extend(
                value("--operations")?
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from),
            ),
            "--service" => opts.service = Some(value("--service")?),
            "--crate-name" => opts.crate_name = Some(value("--crate-name")?),
            "--runtime" => runtime = Some(value("--runtime")?),
            "-h" | "--help" => {
                print!("{HELP}");
                return Ok(None);
            }
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    // Without --model or --out: every crate the repository commits.
    if models.is_empty() && out.is_none() {
        let targets = codegen::project::TARGETS
            .iter()
            .map(|t| -> Result<Target, String> {
                Ok(Target {
                    models: vec![root.join(t.model)],
                    out: root.join(t.out),
                    opts: Options {
                        operations: opts.operations.clone(),
                        service: opts.service.clone(),
                        crate_name: opts.crate_name.clone(),
                        ..t.options(&root)?
                    },
                })
            })
            .collect::<Result<_, String>>()?;
        return Ok(Some(CodegenArgs { check, targets }));
    }
    if models.is_empty() {
        models.push(root.join("model"));
    }
    for model in models.iter().filter(|m| m.is_dir()) {
        opts.extra_modules
            .extend(codegen::sources::read_extra_modules(model)?);
    }
    let default_out = root.join("generated");
    let out = out.unwrap_or_else(|| default_out.clone());
    if absolute(&out) == absolute(&default_out) {
        // The workspace's own crate keeps its `sts` feature.
        opts.credentials_dependency = codegen::project::TARGETS
            .iter()
            .find(|t| t.out == "generated")
            .and_then(|t| t.credentials_dependency.map(str::to_string));
    }
    if absolute(&out) != absolute(&default_out) {
        // Outside the workspace's own member: its own workspace, so it builds wherever it is.
        opts.runtime_dependency = runtime_dependency(runtime.as_deref(), &out, &root)?;
        opts.standalone = true;
    } else if runtime.is_some() {
        return Err("--runtime applies to crates written with --out".into());
    }
    Ok(Some(CodegenArgs {
        check,
        targets: vec![Target { models, out, opts }],
    }))
}

/// The TOML value of the runtime dependency of a crate written to `out`.
fn runtime_dependency(source: Option<&str>, out: &Path, root: &Path) -> Result<String, String> {
    let version = codegen::RUNTIME_VERSION;
    match source {
        None => {
            let rel = relative(&absolute(&root.join("runtime")), &absolute(out));
            Ok(format!(
                "{{ path = {:?}, version = \"{version}\" }}",
                rel.display().to_string()
            ))
        }
        Some(s) => match s.split_once(':') {
            Some(("path", dir)) if !dir.is_empty() => {
                Ok(format!("{{ path = {:?}, version = \"{version}\" }}", dir))
            }
            Some(("git", url)) if !url.is_empty() => Ok(match url.rsplit_once('#') {
                Some((url, rev)) => format!("{{ git = {url:?}, rev = {rev:?} }}"),
                None => format!("{{ git = {url:?} }}"),
            }),
            Some(("version", v)) if !v.is_empty() => Ok(format!("{{ version = {v:?} }}")),
            _ => Err(format!(
                "--runtime `{s}`: expected `path:DIR`, `git:URL[#REV]` or `version:X.Y.Z`"
            )),
        },
    }
}

/// `target` as a path relative to the folder `from` (both absolute).
fn relative(target: &Path, from: &Path) -> PathBuf {
    let t: Vec<_> = target.components().collect();
    let f: Vec<_> = from.components().collect();
    let common = t.iter().zip(&f).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..f.len() {
        rel.push("..");
    }
    for c in &t[common..] {
        rel.push(c);
    }
    rel
}

fn absolute(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

fn codegen(args: &[String]) -> Result<(), String> {
    let Some(args) = parse_codegen_args(args)? else {
        return Ok(());
    };
    let mut stale = String::new();
    for target in &args.targets {
        let sources = codegen::sources::read_sources(&target.models).map_err(|d| d.to_string())?;
        let generated =
            codegen::generate_with_warnings(&sources, &target.opts).map_err(|d| d.to_string())?;
        for w in &generated.warnings {
            eprintln!("{}", w.warning());
        }
        if !generated.warnings.is_empty() {
            eprintln!(
                "{} optional construct(s) left out of {}; the rest of the crate is complete",
                generated.warnings.len(),
                target.out.display()
            );
        }
        let files = generated.files;
        let changes = plan(&target.out, &files);
        if args.check {
            if changes.is_empty() {
                println!(
                    "{} is up to date ({} files)",
                    target.out.display(),
                    files.len()
                );
            } else {
                stale.push_str(&format!("{} is stale:\n", target.out.display()));
                for c in &changes {
                    stale.push_str(&format!("  {c}\n"));
                }
            }
            continue;
        }
        write(&target.out, &files, &changes)?;
        println!(
            "generated {} files into {} ({} changed)",
            files.len(),
            target.out.display(),
            changes.len()
        );
    }
    if stale.is_empty() {
        Ok(())
    } else {
        Err(format!("{stale}run `cargo xtask codegen` to update"))
    }
}

/// What regenerating into `out` changes: hand-written files are left alone.
fn plan(out: &Path, files: &Files) -> Vec<Change> {
    codegen::stale::compare(out, files)
        .into_iter()
        .filter(Change::is_generated)
        .collect()
}

fn write(out: &Path, files: &Files, changes: &[Change]) -> Result<(), String> {
    for change in changes {
        match change {
            Change::Add(p) | Change::Modify(p) => {
                let path = out.join(p);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                }
                std::fs::write(&path, &files[p])
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            }
            Change::Remove(p) => {
                let path = out.join(p);
                std::fs::remove_file(&path)
                    .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
            // Hand-written files are never touched.
            Change::Foreign(_) => {}
        }
    }
    Ok(())
}

fn bench(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let mut published = std::env::var_os("SMITHY_MODELS_DIR")
        .map(|d| PathBuf::from(d).join("elasticache-2015-02-02.json"))
        .unwrap_or_else(|| root.join("../shared/models/elasticache-2015-02-02.json"));
    let mut iterations = 20usize;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--published" => {
                published = PathBuf::from(it.next().ok_or("--published needs a value")?)
            }
            "--iterations" => {
                iterations = it
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or("--iterations needs a positive number")?
            }
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    if cfg!(debug_assertions) {
        eprintln!("note: this is a debug build; for real figures run `cargo run --release -p xtask -- bench-codegen`");
    }
    for (label, path) in [
        ("model/ (ours)", root.join("model")),
        ("published ElastiCache model", published),
    ] {
        let sources = codegen::sources::read_sources(&[path]).map_err(|d| d.to_string())?;
        let mut times = Vec::with_capacity(iterations);
        let mut count = 0;
        for _ in 0..iterations {
            let start = Instant::now();
            let files =
                codegen::generate(&sources, &Options::default()).map_err(|d| d.to_string())?;
            times.push(start.elapsed());
            count = files.len();
        }
        times.sort();
        let median = times[times.len() / 2];
        let min = times[0];
        let max = times[times.len() - 1];
        println!(
            "{label}: {count} files; generate (load → validate → lower → emit → format) median {:.1} ms, min {:.1} ms, max {:.1} ms over {iterations} runs",
            median.as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_climb_to_the_common_folder() {
        let rel = relative(Path::new("/a/b/runtime"), Path::new("/a/c/d/crate"));
        assert_eq!(rel, PathBuf::from("../../../b/runtime"));
        assert_eq!(
            relative(Path::new("/a/runtime"), Path::new("/a/out")),
            PathBuf::from("../runtime")
        );
    }

    #[test]
    fn runtime_sources() {
        let root = Path::new("/repo");
        let out = Path::new("/elsewhere/crate");
        let dep = |s| runtime_dependency(Some(s), out, root);
        assert_eq!(
            dep("path:/opt/runtime").unwrap(),
            r#"{ path = "/opt/runtime", version = "0.1.0" }"#
        );
        assert_eq!(
            dep("git:https://git.example.com/r.git#v1").unwrap(),
            r#"{ git = "https://git.example.com/r.git", rev = "v1" }"#
        );
        assert_eq!(dep("version:0.1.0").unwrap(), r#"{ version = "0.1.0" }"#);
        assert!(dep("0.1").unwrap_err().contains("expected `path:DIR`"));
        assert!(runtime_dependency(None, out, root)
            .unwrap()
            .starts_with(r#"{ path = "../../repo/runtime""#));
    }
}
