//! Helpers shared by the integration tests in `tests/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::model::Source;

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Reads a fixture (file or folder) with names relative to `tests/fixtures`, so messages
/// in snapshots do not depend on where the repository is checked out.
pub fn fixture_sources(rel: &str) -> Vec<Source> {
    let base = root().join("tests/fixtures");
    let sources = codegen::sources::read_sources(&[base.join(rel)]).expect("fixture readable");
    sources
        .into_iter()
        .map(|s| Source {
            name: Path::new(&s.name)
                .strip_prefix(&base)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or(s.name),
            text: s.text,
        })
        .collect()
}

/// The runtime dependency line for crates generated outside the workspace.
pub fn runtime_dependency() -> String {
    format!(
        "{{ path = {:?} }}",
        root().join("runtime").display().to_string()
    )
}

/// Writes generated files under `dir` (replacing what was there).
pub fn write_crate(dir: &Path, files: &codegen::Files) {
    let _ = std::fs::remove_dir_all(dir);
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("file has a parent")).expect("create dir");
        std::fs::write(p, text).expect("write file");
    }
}

/// Runs cargo in `dir` with warnings denied; returns its combined output on failure.
pub fn cargo(dir: &Path, args: &[&str]) -> Result<(), String> {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        .env("RUSTFLAGS", "-D warnings")
        .env("CARGO_TARGET_DIR", root().join("target/generated-checks"))
        // Disk, as in the workspace's dev profile: these test binaries need no full debug info.
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// All generated files as one text, for snapshots.
pub fn concat(files: &codegen::Files) -> String {
    let mut out = String::new();
    for (path, text) in files {
        out.push_str(&format!("===== {path} =====\n{text}\n"));
    }
    out
}
pub mod moto;
