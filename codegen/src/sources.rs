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
