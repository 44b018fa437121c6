//! Container credentials: ECS task roles and EKS Pod Identity.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use super::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};
use super::env::env_value;
use super::http::{body_excerpt, HttpClient};
use super::json_credentials::parse_credentials;
use crate::client::Transport;
use crate::json::Json;

/// Where `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is resolved (the ECS agent).
const ECS_HOST: &str = "http://169.254.170.2";
const TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 3;

/// Credentials from the container credentials endpoint (ECS task roles, EKS Pod Identity).
///
/// The URL is `http://169.254.170.2` + `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`, else
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI`. A full URI over `http` must name a loopback address or
/// the ECS (`169.254.170.2`) or EKS (`169.254.170.23`, `fd00:ec2::23`) link-local address, so
/// a token is never sent in the clear elsewhere; `https` may name any host. The
/// `Authorization` header is the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read
/// on every fetch, as EKS rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
///
/// Finds nothing (so a chain goes on) when neither URI variable is set.
#[derive(Clone, Debug)]
pub struct ContainerCredentials {
    http: HttpClient,
}

impl Default for ContainerCredentials {
    fn default() -> Self {
        Self::new()
    }
}

impl ContainerCredentials {
    /// A provider reading the variables on each fetch.
    pub fn new() -> Self {
        Self {
            http: HttpClient::new(TIMEOUT, ATTEMPTS),
        }
    }

    /// Sends through `transport` instead of the built-in one.
    #[must_use]
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.http = self.http.with_transport(transport);
        self
    }

    /// Whether the environment points at a container credentials endpoint.
    pub fn is_configured() -> bool {
        env_value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").is_some()
            || env_value("AWS_CONTAINER_CREDENTIALS_FULL_URI").is_some()
    }

    async fn load(&self) -> Result<Credentials, CredentialsError> {
        let url = endpoint_url()?;
        let token = authorization_token()?;
        let mut headers = vec![("accept", "application/json")];
        if let Some(token) = &token {
            headers.push(("authorization", token.as_str()));
        }
        let response = self
            .http
            .send("GET", &url, &headers)
            .await
            .map_err(|e| CredentialsError::new(format!("container credentials: {e}")))?;
        if response.status != 200 {
            let hint = if matches!(response.status, 401 | 403) && token.is_none() {
                " (no AWS_CONTAINER_AUTHORIZATION_TOKEN or _TOKEN_FILE was set)"
            } else {
                ""
            };
            return Err(CredentialsError::new(format!(
                "container credentials: {url} answered HTTP {}{hint}: {}",
                response.status,
                body_excerpt(&response)
            )));
        }
        let body = String::from_utf8(response.body.into()).map_err(|_| {
            CredentialsError::new(format!(
                "container credentials: {url} sent a non-UTF-8 body"
            ))
        })?;
        let json = Json::parse(&body).map_err(|e| {
            CredentialsError::new(format!(
                "container credentials from {url} are not JSON ({e})"
            ))
        })?;
        parse_credentials(&json, "container credentials", "Token")
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.load())
    }
}

fn endpoint_url() -> Result<String, CredentialsError> {
    if let Some(relative) = env_value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
        let sep = if relative.starts_with('/') { "" } else { "/" };
        return Ok(format!("{ECS_HOST}{sep}{relative}"));
    }
    let Some(full) = env_value("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
        return Err(CredentialsError::not_found(
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI \
             are not set",
        ));
    };
    check_full_uri(&full)?;
    Ok(full)
}

/// `https` to any host; `http` only to loopback or the ECS/EKS link-local addresses.
fn check_full_uri(uri: &str) -> Result<(), CredentialsError> {
    let bad = |why: &str| {
        CredentialsError::new(format!("AWS_CONTAINER_CREDENTIALS_FULL_URI '{uri}' {why}"))
    };
    let (scheme, rest) = uri
        .split_once("://")
        .ok_or_else(|| bad("is not an absolute URL"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split_once(']').map(|(h, _)| h).unwrap_or(v6)
    } else {
        authority.split(':').next().unwrap_or("")
    };
    if host.is_empty() {
        return Err(bad("has no host"));
    }
    if scheme.eq_ignore_ascii_case("https") {
        return Ok(());
    }
    if !scheme.eq_ignore_ascii_case("http") {
        return Err(bad("must use http or https"));
    }
    let allowed = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| {
            ip.is_loopback()
                || ip == IpAddr::from([169, 254, 170, 2])
                || ip == IpAddr::from([169, 254, 170, 23])
                || ip == IpAddr::from([0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x23])
        });
    if allowed {
        Ok(())
    } else {
        Err(bad(
            "uses http to a host that is not loopback or the ECS/EKS container credentials \
             address (169.254.170.2, 169.254.170.23, fd00:ec2::23); use https",
        ))
    }
}

fn authorization_token() -> Result<Option<String>, CredentialsError> {
    let token = match env_value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        Some(path) => {
            let text = std::fs::read_to_string(&path).map_err(|e| {
                CredentialsError::new(format!(
                    "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE {path}: {e}"
                ))
            })?;
            Some((
                text.trim().to_owned(),
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            ))
        }
        None => env_value("AWS_CONTAINER_AUTHORIZATION_TOKEN")
            .map(|t| (t, "AWS_CONTAINER_AUTHORIZATION_TOKEN")),
    };
    match token {
        Some((token, from)) if token.contains(['\r', '\n']) => Err(CredentialsError::new(format!(
            "the container authorization token from {from} contains a line break"
        ))),
        Some((token, _)) if token.is_empty() => Ok(None),
        Some((token, _)) => Ok(Some(token)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::check_full_uri;

    #[test]
    fn full_uri_hosts() {
        for ok in [
            "http://127.0.0.1:8080/creds",
            "http://localhost/creds",
            "http://[::1]:9/x",
            "http://169.254.170.2/v2/credentials",
            "http://169.254.170.23/v1/credentials",
            "http://[fd00:ec2::23]/v1/credentials",
            "https://creds.example.com/x",
        ] {
            assert!(check_full_uri(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/creds",
            "http://169.254.169.254/",
            "http://10.0.0.1/",
            "ftp://127.0.0.1/",
            "127.0.0.1/creds",
            "http:///x",
        ] {
            assert!(check_full_uri(bad).is_err(), "{bad}");
        }
    }
}
