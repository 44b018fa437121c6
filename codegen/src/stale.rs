//! Comparing generated files with a crate on disk: what `cargo xtask codegen` would write or
//! remove, and what the drift test reports. Reads the disk, never writes it.

use std::fmt;
use std::path::Path;

use crate::Files;

/// A file whose content on disk is not what the generator makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Generated but not on disk.
    Add(String),
    /// On disk with other content.
    Modify(String),
    /// On disk with the generated-file header, but no longer generated.
    Remove(String),
    /// On disk under `src/` without the header and not generated: written by hand.
    Foreign(String),
}

impl Change {
    /// Whether regenerating fixes it (hand-written files are left alone).
    pub fn is_generated(&self) -> bool {
        !matches!(self, Change::Foreign(_))
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Add(p) => write!(f, "missing:  {p}"),
            Change::Modify(p) => write!(f, "changed:  {p}"),
            Change::Remove(p) => write!(f, "obsolete: {p}"),
            Change::Foreign(p) => write!(f, "not generated: {p}"),
        }
    }
}

/// Every difference between `files` and the crate at `out`, paths relative to `out`.
pub fn compare(out: &Path, files: &Files) -> Vec<Change> {
    let mut changes = Vec::new();
    for (path, text) in files {
        match std::fs::read_to_string(out.join(path)) {
            Ok(existing) if existing == *text => {}
            Ok(_) => changes.push(Change::Modify(path.clone())),
            Err(_) => changes.push(Change::Add(path.clone())),
        }
    }
    for path in files_under_src(out) {
        if files.contains_key(&path) {
            continue;
        }
        let generated = std::fs::read_to_string(out.join(&path))
            .is_ok_and(|t| t.starts_with(crate::render::HEADER.trim_end()));
        changes.push(if generated {
            Change::Remove(path)
        } else {
            Change::Foreign(path)
        });
    }
    changes
}

/// Every file under `out/src`, relative to `out`, sorted.
fn files_under_src(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![out.join("src")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(out) {
                found.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found.sort();
    found
}
