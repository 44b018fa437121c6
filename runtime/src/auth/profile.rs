//! The shared `config` and `credentials` files (`~/.aws/…`), and the region.
//!
//! The format is the AWS CLI's INI dialect: `[section]` headers, `key = value` lines,
//! full-line comments starting with `#` or `;`, and comments after a value when the `#` or `;`
//! follows whitespace. Lines indented deeper than the property before them continue it (nested
//! settings such as `s3 =` blocks); they are not read as keys of the profile. Keys are
//! case-insensitive.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::PathBuf;

/// Properties of one profile.
pub(crate) type Properties = BTreeMap<String, String>;

/// Region from `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region` in the config
/// file (the profile is `AWS_PROFILE`, else `default`). Empty values count as unset.
pub fn region_from_env() -> Option<String> {
    env_value("AWS_REGION")
        .or_else(|| env_value("AWS_DEFAULT_REGION"))
        .or_else(|| profile_value("region"))
}

/// The value of `key` (e.g. `region`, `max_attempts`, `endpoint_url`) in the active profile
/// (`AWS_PROFILE`, else `default`) of the config file (`AWS_CONFIG_FILE`, else
/// `~/.aws/config`). `None` when the file, profile or key is missing, the value is empty, or
/// the file cannot be read.
pub fn profile_value(key: &str) -> Option<String> {
    let path = config_path()?;
    let text = read_optional(&path).ok().flatten()?;
    let name = active_profile_name();
    let profiles = parse(&text, FileKind::Config);
    let value = profiles.get(&name)?.get(&key.to_ascii_lowercase())?;
    Some(value.clone()).filter(|v| !v.is_empty())
}

/// `AWS_PROFILE`, else `default`.
pub(crate) fn active_profile_name() -> String {
    env_value("AWS_PROFILE").unwrap_or_else(|| "default".to_owned())
}

use super::env::env_value;

/// A path from an environment variable (with `~/` expanded), else `default` under the home
/// directory.
fn file_path(var: &str, default: &str) -> Option<PathBuf> {
    match std::env::var_os(var).filter(|v| !v.is_empty()) {
        Some(path) => Some(expand_home(path)),
        None => home_dir().map(|home| home.join(".aws").join(default)),
    }
}

fn config_path() -> Option<PathBuf> {
    file_path("AWS_CONFIG_FILE", "config")
}

fn credentials_path() -> Option<PathBuf> {
    file_path("AWS_SHARED_CREDENTIALS_FILE", "credentials")
}

fn expand_home(path: OsString) -> PathBuf {
    if let Some(text) = path.to_str() {
        let rest = text
            .strip_prefix("~/")
            .or_else(|| text.strip_prefix("~\\"))
            .or_else(|| (text == "~").then_some(""));
        if let (Some(rest), Some(home)) = (rest, home_dir()) {
            return home.join(rest);
        }
    }
    PathBuf::from(path)
}

pub(crate) fn home_dir() -> Option<PathBuf> {
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    if let Some(home) = var("HOME") {
        return Some(PathBuf::from(home));
    }
    if let Some(profile) = var("USERPROFILE") {
        return Some(PathBuf::from(profile));
    }
    match (var("HOMEDRIVE"), var("HOMEPATH")) {
        (Some(drive), Some(path)) => {
            let mut home = drive;
            home.push(path);
            Some(PathBuf::from(home))
        }
        _ => None,
    }
}

/// The file's text, `None` when it does not exist; other I/O errors are reported.
fn read_optional(path: &PathBuf) -> Result<Option<String>, std::io::Error> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FileKind {
    /// `[profile name]` and `[default]`; other sections are not profiles.
    Config,
    /// The `[sso-session name]` sections of the config file.
    SsoSessions,
    /// `[name]`.
    Credentials,
}

/// One of the two files, as found.
#[derive(Debug)]
struct LoadedFile {
    path: Option<PathBuf>,
    profiles: Option<BTreeMap<String, Properties>>,
}

impl LoadedFile {
    fn load(path: Option<PathBuf>, kind: FileKind) -> Result<Self, String> {
        let Some(path) = path else {
            return Ok(Self {
                path: None,
                profiles: None,
            });
        };
        let text =
            read_optional(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Ok(Self {
            profiles: text.map(|text| parse(&text, kind)),
            path: Some(path),
        })
    }

    fn describe(&self, what: &str) -> String {
        match (&self.path, &self.profiles) {
            (None, _) => format!("{what} file (no home directory)"),
            (Some(path), None) => format!("{} (not found)", path.display()),
            (Some(path), Some(_)) => path.display().to_string(),
        }
    }
}

/// The shared `credentials` and `config` files.
#[derive(Debug)]
pub(crate) struct ProfileFiles {
    credentials: LoadedFile,
    config: LoadedFile,
    sso_sessions: BTreeMap<String, Properties>,
}

impl ProfileFiles {
    /// Reads both files; a missing file is empty, an unreadable one an error.
    pub(crate) fn load() -> Result<Self, String> {
        let config_path = config_path();
        let sso_sessions = match &config_path {
            Some(path) => read_optional(path)
                .ok()
                .flatten()
                .map(|text| parse(&text, FileKind::SsoSessions))
                .unwrap_or_default(),
            None => BTreeMap::new(),
        };
        Ok(Self {
            credentials: LoadedFile::load(credentials_path(), FileKind::Credentials)?,
            config: LoadedFile::load(config_path, FileKind::Config)?,
            sso_sessions,
        })
    }

    /// The `[sso-session name]` section's properties.
    pub(crate) fn sso_session(&self, name: &str) -> Option<&Properties> {
        self.sso_sessions.get(name)
    }

    /// The config file's path, for messages.
    pub(crate) fn config_path(&self) -> String {
        self.config.describe("config")
    }

    /// The profile's properties, the credentials file's overriding the config file's.
    pub(crate) fn profile(&self, name: &str) -> Option<Properties> {
        let from_config = self.config.profiles.as_ref().and_then(|p| p.get(name));
        let from_credentials = self.credentials.profiles.as_ref().and_then(|p| p.get(name));
        if from_config.is_none() && from_credentials.is_none() {
            return None;
        }
        let mut merged = from_config.cloned().unwrap_or_default();
        if let Some(credentials) = from_credentials {
            merged.extend(credentials.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        Some(merged)
    }

    /// The two files, for messages.
    pub(crate) fn describe(&self) -> String {
        format!(
            "{} and {}",
            self.credentials.describe("credentials"),
            self.config.describe("config")
        )
    }
}

/// Profiles by name. Repeated sections and keys merge, later values winning.
fn parse(text: &str, kind: FileKind) -> BTreeMap<String, Properties> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut profiles: BTreeMap<String, Properties> = BTreeMap::new();
    // The profile being read (`None` in a section that is not a profile, or before any).
    let mut current: Option<String> = None;
    // Indentation of the last property line: a line indented deeper continues that property.
    let mut property_indent: Option<usize> = None;
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(header) = line.strip_prefix('[') {
            property_indent = None;
            current = header
                .split_once(']')
                .and_then(|(name, _)| profile_name(name.trim(), kind));
            if let Some(name) = &current {
                profiles.entry(name.clone()).or_default();
            }
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        if property_indent.is_some_and(|outer| indent > outer) {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = key.trim();
        if key.is_empty() {
            continue;
        }
        property_indent = Some(indent);
        if let Some(name) = &current {
            profiles
                .entry(name.clone())
                .or_default()
                .insert(key.to_ascii_lowercase(), strip_comment(value).to_owned());
        }
    }
    profiles
}

/// The profile a section header names, if it is a profile.
fn profile_name(section: &str, kind: FileKind) -> Option<String> {
    if section.is_empty() {
        return None;
    }
    match kind {
        FileKind::Credentials => Some(section.to_owned()),
        FileKind::SsoSessions => {
            let rest = section.strip_prefix("sso-session")?;
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            Some(rest.trim().to_owned()).filter(|name| !name.is_empty())
        }
        FileKind::Config if section == "default" => Some(section.to_owned()),
        FileKind::Config => {
            let rest = section.strip_prefix("profile")?;
            if !rest.starts_with([' ', '\t']) {
                return None;
            }
            Some(rest.trim().to_owned()).filter(|name| !name.is_empty())
        }
    }
}

/// The value without a trailing ` # comment` / ` ; comment`, trimmed.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    let end = (1..bytes.len())
        .find(|&i| matches!(bytes[i], b'#' | b';') && matches!(bytes[i - 1], b' ' | b'\t'))
        .unwrap_or(bytes.len());
    value.get(..end).unwrap_or(value).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sections_comments_and_continuations() {
        let text = "\u{feff}# top comment\n\
            [default]\n\
            region = us-west-2 # inline\n\
            output=json;not-a-comment\n\
            \n\
            [profile dev]\n\
            ; comment\n\
            s3 =\n\
            \x20 region = nested-not-top-level\n\
            Region = eu-west-1\n\
            [sso-session corp]\n\
            region = ignored\n\
            [profile   spaced  ] # trailing\n\
            a=b\n\
            [profilex]\n\
            a = ignored\n";
        let profiles = parse(text, FileKind::Config);
        assert_eq!(profiles["default"]["region"], "us-west-2");
        assert_eq!(profiles["default"]["output"], "json;not-a-comment");
        assert_eq!(profiles["dev"]["region"], "eu-west-1");
        assert_eq!(profiles["dev"]["s3"], "");
        assert_eq!(profiles["spaced"]["a"], "b");
        assert_eq!(profiles.len(), 3, "{profiles:?}");

        // Properties indented alike are separate properties, not continuations.
        let indented = parse(
            "[default]\n  c = d\n  e = f\n    nested = x\n",
            FileKind::Config,
        );
        assert_eq!(indented["default"].len(), 2, "{indented:?}");
        assert_eq!(indented["default"]["e"], "f");

        let creds = parse("[profile dev]\nk=v\n[dev]\nk = w\n", FileKind::Credentials);
        assert_eq!(creds["profile dev"]["k"], "v");
        assert_eq!(creds["dev"]["k"], "w");
    }

    #[test]
    fn comments_after_values() {
        assert_eq!(strip_comment(" a # b"), "a");
        assert_eq!(strip_comment(" a\t; b"), "a");
        assert_eq!(strip_comment(" a#b "), "a#b");
        assert_eq!(strip_comment("#"), "#");
        assert_eq!(strip_comment(""), "");
    }
}
