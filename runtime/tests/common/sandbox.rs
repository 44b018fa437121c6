//! A clean process environment and a temporary folder for tests that read `AWS_*`
//! variables and the shared config files (shared by `credentials.rs` and `providers.rs`).
//!
//! Environment variables are process-wide, so each test holds `ENV_LOCK` for its whole run
//! (through `Sandbox`) and starts with no `AWS_*` variables, `HOME` at an empty temporary
//! folder (the machine's own `~/.aws` is never read) and instance metadata disabled.
// Each test file uses a different part of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

static ENV_LOCK: Mutex<()> = Mutex::new(());
static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

const VARS: &[&str] = &[
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_PROFILE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "HOME",
    "USERPROFILE",
    "HOMEDRIVE",
    "HOMEPATH",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_DISABLED",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_SSO",
    "AWS_ENDPOINT_URL_ELASTICACHE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_MAX_ATTEMPTS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_DISABLE_REQUEST_COMPRESSION",
    "AWS_REQUEST_MIN_COMPRESSION_SIZE_BYTES",
];

/// A clean environment and a temporary folder, restored and removed on drop.
pub struct Sandbox {
    /// The temporary folder (removed on drop).
    pub dir: PathBuf,
    saved: Vec<(&'static str, Option<std::ffi::OsString>)>,
    _lock: MutexGuard<'static, ()>,
}

impl Sandbox {
    pub fn new() -> Self {
        let lock = ENV_LOCK
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let dir = std::env::temp_dir().join(format!(
            "aws-lite-runtime-test-{}-{}",
            std::process::id(),
            NEXT_DIR.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let saved = VARS.iter().map(|&v| (v, std::env::var_os(v))).collect();
        for var in VARS {
            std::env::remove_var(var);
        }
        std::env::set_var("HOME", dir.join("home"));
        // Never the real instance metadata service.
        std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
        Self {
            dir,
            saved,
            _lock: lock,
        }
    }

    /// Writes `text` to `name` in the temporary folder; returns its path.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn config(&self, text: &str) {
        let path = self.file("config", text);
        std::env::set_var("AWS_CONFIG_FILE", path);
    }

    pub fn credentials(&self, text: &str) {
        let path = self.file("credentials", text);
        std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", path);
    }

    pub fn set(&self, var: &str, value: impl AsRef<std::ffi::OsStr>) {
        std::env::set_var(var, value);
    }

    pub fn unset(&self, var: &str) {
        std::env::remove_var(var);
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        for (var, value) in &self.saved {
            match value {
                Some(value) => std::env::set_var(var, value),
                None => std::env::remove_var(var),
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
