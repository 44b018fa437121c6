//! `cargo xtask check-models`: generate a crate from every model in a folder (AWS's published
//! models by default) and compile it with warnings denied, one line per service.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use codegen::Options;

/// What one service's run found.
struct Outcome {
    service: String,
    /// Generation (load → emit → format) CPU time in this process (wall time where /proc is
    /// missing); the generator is single-threaded.
    gen_ms: f64,
    files: usize,
    lines: usize,
    left_out: usize,
    /// `cargo check` of the generated crate alone (dependencies already built): CPU seconds
    /// of cargo and rustc, and wall seconds.
    check_s: Option<(f64, f64)>,
    error: Option<String>,
}

pub fn run(args: &[String], root: &Path) -> Result<(), String> {
    let mut dir = std::env::var_os("SMITHY_MODELS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/models"));
    dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    let mut out = root.join("target/check-models");
    let mut only = Vec::new();
    let mut skip = Vec::new();
    let mut compile = true;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value (see --help)"))
        };
        match arg.as_str() {
            "--models" => dir = PathBuf::from(value("--models")?),
            "--out" => out = PathBuf::from(value("--out")?),
            "--only" => only.extend(value("--only")?.split(',').map(str::to_string)),
            "--skip" => skip.extend(value("--skip")?.split(',').map(str::to_string)),
            "--no-compile" => compile = false,
            other => return Err(format!("unknown option `{other}` (see --help)")),
        }
    }
    let mut models: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| {
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            (only.is_empty() || only.iter().any(|o| stem.starts_with(o.as_str())))
                && !skip.iter().any(|o| stem.starts_with(o.as_str()))
        })
        .collect();
    models.sort();
    if models.is_empty() {
        return Err(format!("no .json models in {}", dir.display()));
    }
    let runtime = std::fs::canonicalize(root.join("runtime"))
        .map_err(|e| format!("cannot find the runtime crate: {e}"))?;
    let target_dir = out.join("target");
    let mut outcomes = Vec::new();
    for model in &models {
        let o = check_one(model, &out, &runtime, &target_dir, compile);
        print_line(&o);
        outcomes.push(o);
    }
    let ok = outcomes.iter().filter(|o| o.error.is_none()).count();
    println!(
        "{ok} of {} models generated{}",
        outcomes.len(),
        if compile {
            " and compiled with no warning (cargo check, cargo clippy -D warnings)"
        } else {
            ""
        }
    );
    if ok == outcomes.len() {
        Ok(())
    } else {
        Err(format!("{} model(s) failed", outcomes.len() - ok))
    }
}

fn print_line(o: &Outcome) {
    let check = o
        .check_s
        .map(|(cpu, wall)| format!(", cargo check {cpu:.1} s CPU ({wall:.1} s wall)"))
        .unwrap_or_default();
    let left = if o.left_out > 0 {
        format!(", {} optional construct(s) left out", o.left_out)
    } else {
        String::new()
    };
    match &o.error {
        None => println!(
            "ok    {}: generated in {:.0} ms, {} files, {} lines{check}{left}",
            o.service, o.gen_ms, o.files, o.lines
        ),
        Some(e) => println!("FAIL  {}: {e}", o.service),
    }
}

fn check_one(
    model: &Path,
    out: &Path,
    runtime: &Path,
    target_dir: &Path,
    compile: bool,
) -> Outcome {
    let service = model
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut o = Outcome {
        service: service.clone(),
        gen_ms: 0.0,
        files: 0,
        lines: 0,
        left_out: 0,
        check_s: None,
        error: None,
    };
    let sources = match codegen::sources::read_sources(&[model.to_path_buf()]) {
        Ok(s) => s,
        Err(d) => {
            o.error = Some(d.to_string());
            return o;
        }
    };
    let opts = Options {
        runtime_dependency: format!("{{ path = {:?} }}", runtime.display().to_string()),
        standalone: true,
        ..Options::default()
    };
    let start = Instant::now();
    let cpu = cpu_seconds();
    let generated = match codegen::generate_with_warnings(&sources, &opts) {
        Ok(g) => g,
        Err(d) => {
            o.error = Some(format!("generation failed:\n{d}"));
            return o;
        }
    };
    o.gen_ms = match (cpu, cpu_seconds()) {
        (Some((before, _)), Some((after, _))) => (after - before) * 1e3,
        _ => start.elapsed().as_secs_f64() * 1e3,
    };
    for w in &generated.warnings {
        eprintln!("{}", w.warning());
    }
    o.left_out = generated.warnings.len();
    o.files = generated.files.len();
    o.lines = generated.files.values().map(|t| t.lines().count()).sum();
    let dir = out.join(&service);
    if let Err(e) = write_crate(&dir, &generated.files) {
        o.error = Some(e);
        return o;
    }
    if !compile {
        return o;
    }
    // Dependencies first, so the timed check is the generated crate's own.
    if let Err(e) = cargo(
        &dir,
        target_dir,
        &["check", "--all-targets", "--quiet"],
        true,
    ) {
        o.error = Some(e);
        return o;
    }
    let lib = dir.join("src/lib.rs");
    let _ = std::fs::write(&lib, &generated.files["src/lib.rs"]); // touch: force a rebuild
    let start = Instant::now();
    let cpu = cpu_seconds();
    if let Err(e) = cargo(&dir, target_dir, &["check", "--quiet"], false) {
        o.error = Some(e);
        return o;
    }
    let wall = start.elapsed().as_secs_f64();
    let children = match (cpu, cpu_seconds()) {
        (Some((_, before)), Some((_, after))) => after - before,
        _ => wall,
    };
    o.check_s = Some((children, wall));
    if let Err(e) = cargo(
        &dir,
        target_dir,
        &["clippy", "--all-targets", "--quiet", "--", "-D", "warnings"],
        false,
    ) {
        o.error = Some(e);
    }
    o
}

/// CPU seconds (user + system) of this process, and of its finished children (cargo, and the
/// rustc processes cargo waited for), from `/proc/self/stat`; `None` off Linux.
fn cpu_seconds() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<f64> = rest
        .split(' ')
        .skip(11)
        .take(4)
        .map(|f| f.parse().ok())
        .collect::<Option<_>>()?;
    // utime, stime, cutime, cstime, in clock ticks: 100 per second on Linux.
    let ticks = 100.0;
    Some((
        (fields[0] + fields[1]) / ticks,
        (fields[2] + fields[3]) / ticks,
    ))
}

fn write_crate(dir: &Path, files: &codegen::Files) -> Result<(), String> {
    // A fresh folder: files from an earlier model version must not linger.
    let _ = std::fs::remove_dir_all(dir);
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Runs cargo in `dir`; any warning fails it too (RUSTFLAGS `-D warnings`).
fn cargo(dir: &Path, target_dir: &Path, args: &[&str], deps_only: bool) -> Result<(), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir)
        .env("RUSTFLAGS", "-D warnings")
        // A full check of the crate each time, not an incremental re-check of a touched file.
        .env("CARGO_INCREMENTAL", "0")
        .env("CARGO_TERM_COLOR", "never");
    let output = cmd.output().map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    // The first diagnostics are the useful part.
    let excerpt: String = stderr.lines().take(40).collect::<Vec<_>>().join("\n");
    let what = if deps_only { "building" } else { args[0] };
    Err(format!("cargo {what} failed:\n{excerpt}"))
}
