//! `credential_process`: credentials printed by an external command.

use super::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use super::json_credentials::parse_credentials;
use crate::json::Json;

/// Credentials from a command that prints them as JSON, as the profile key
/// `credential_process` runs it: through `sh -c` (`cmd.exe /C` on Windows), with the process's
/// environment, on a separate thread so the async runtime is not blocked.
///
/// The output must be `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …,
/// "SessionToken": …, "Expiration": "<RFC 3339>"}` (the last two optional). A non-zero exit
/// status is an error that quotes the start of the command's standard error; its standard
/// output is never quoted, as it holds secrets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProcessCredentials {
    command: String,
}

impl ProcessCredentials {
    /// A provider running `command`.
    pub fn new(command: impl Into<String>) -> Self {
        Self {
            command: command.into(),
        }
    }

    /// The command line.
    pub fn command(&self) -> &str {
        &self.command
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let command = self.command.clone();
        let (tx, rx) = tokio::sync::oneshot::channel();
        std::thread::Builder::new()
            .name("credential_process".into())
            .spawn(move || {
                let _ = tx.send(shell(&command).output());
            })
            .map_err(|e| CredentialsError::new(format!("cannot start a thread: {e}")))?;
        let output = rx
            .await
            .map_err(|_| CredentialsError::new("the credential_process thread stopped"))?
            .map_err(|e| {
                CredentialsError::new(format!(
                    "cannot run credential_process `{}`: {e}",
                    self.command
                ))
            })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stderr: String = stderr.trim().chars().take(300).collect();
            return Err(CredentialsError::new(format!(
                "credential_process `{}` failed ({}){}{stderr}",
                self.command,
                output.status,
                if stderr.is_empty() { "" } else { ": " }
            )));
        }
        let source = format!("credential_process `{}`", self.command);
        let text = String::from_utf8(output.stdout)
            .map_err(|_| CredentialsError::new(format!("{source} printed non-UTF-8 output")))?;
        let json = Json::parse(&text)
            .map_err(|e| CredentialsError::new(format!("{source} printed no JSON ({e})")))?;
        match json.get("Version") {
            Some(Json::Number(v)) if *v == 1.0 => {}
            Some(other) => {
                return Err(CredentialsError::new(format!(
                    "{source}: Version must be 1, found {}",
                    match other {
                        Json::Number(n) => n.to_string(),
                        other => other.kind().to_owned(),
                    }
                )))
            }
            None => {
                return Err(CredentialsError::new(format!(
                    "{source}: Version is missing"
                )))
            }
        }
        parse_credentials(&json, &source, "SessionToken")
    }
}

impl ProvideCredentials for ProcessCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

#[cfg(not(windows))]
fn shell(command: &str) -> std::process::Command {
    let mut c = std::process::Command::new("sh");
    c.arg("-c").arg(command);
    c
}

#[cfg(windows)]
fn shell(command: &str) -> std::process::Command {
    let mut c = std::process::Command::new("cmd.exe");
    c.arg("/C").arg(command);
    c
}
