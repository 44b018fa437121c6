//! Reading model files from disk: a file, or every `.json` file of a folder, sorted.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Source;

/// Reads each path (a file, or a folder whose `*.json` files are read recursively).
pub fn read_sources(paths: &[PathBuf]) -> Result<Vec<Source>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files, &mut diags);
    }
    files.sort();
    files.dedup();
    let mut sources = Vec::new();
    for file in files {
        match std::fs::read_to_string(&file) {
            Ok(text) => sources.push(Source {
                name: file.display().to_string(),
                text,
            }),
            Err(e) => diags.push(
                Diagnostic::new(format!("cannot read model file: {e}"))
                    .at(file.display().to_string()),
            ),
        }
    }
    if sources.is_empty() && diags.is_empty() {
        diags.push(
            Diagnostic::new("no model files found")
                .help("pass a .json file or a folder holding .json files"),
        );
    }
    diags.into_result(sources)
}

fn collect(path: &Path, files: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
    if path.is_dir() {
        match std::fs::read_dir(path) {
            Ok(entries) => {
                for entry in entries.flatten() {
                    let p = entry.path();
                    if p.is_dir() || p.extension().is_some_and(|e| e == "json") {
                        collect(&p, files, diags);
                    }
                }
            }
            Err(e) => diags.push(
                Diagnostic::new(format!("cannot read folder: {e}")).at(path.display().to_string()),
            ),
        }
    } else if path.exists() {
        files.push(path.to_path_buf());
    } else {
        diags.push(Diagnostic::new("no such file or folder").at(path.display().to_string()));
    }
}

/// The hand-written modules beside a model: every `*.rs` file in `<model folder>/rust/`, as
/// (module name, source), sorted. A missing folder is none. These let a crate carry API
/// helpers the model cannot describe (e.g. ElastiCache's IAM authentication tokens); they
/// are copied into the crate as they are.
pub fn read_extra_modules(model_dir: &Path) -> Result<Vec<(String, String)>, String> {
    let dir = model_dir.join("rust");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let mut modules = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|n| {
                n.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && n.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .ok_or_else(|| {
                format!(
                    "{}: a hand-written module needs a snake_case file name",
                    path.display()
                )
            })?
            .to_string();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        modules.push((name, text));
    }
    modules.sort();
    Ok(modules)
}
