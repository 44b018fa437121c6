// Hand-written: copied by `cargo xtask codegen` from the model's `rust/` folder. Edit it there.

//! IAM authentication tokens for connecting to Valkey and Redis OSS caches.
//!
//! A cache with IAM authentication takes, as the password of `AUTH user token`, a short-lived
//! token: a SigV4-presigned `connect` request for the user and the replication group (or
//! serverless cache), valid for 15 minutes, without its `http://` scheme. [`auth_token`]
//! makes one with the client's credentials and region (the default chain when the config
//! came from [`crate::config::from_env`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), elasticache::auth::AuthTokenError> {
//! use elasticache::auth::{auth_token, Cache};
//!
//! let config = elasticache::config::from_env();
//! let token = auth_token(&config, "app-user", Cache::ReplicationGroup("my-group")).await?;
//! // Connect with TLS and send `AUTH app-user <token>` (any Valkey or Redis client).
//! # let _ = token;
//! # Ok(()) }
//! ```

use std::fmt;
use std::time::{Duration, SystemTime};

use aws_lite_runtime::auth::{
    presign, Credentials, CredentialsError, PresignRequest, SigningError,
};

/// How long a token is accepted for connecting (ElastiCache's fixed 15 minutes).
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(900);

/// What the token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache<'a> {
    /// A replication group (node-based cluster), by id.
    ReplicationGroup(&'a str),
    /// A serverless cache, by name.
    ServerlessCache(&'a str),
}

/// Why no token could be made.
#[derive(Debug)]
#[non_exhaustive]
pub enum AuthTokenError {
    /// No credentials (the message says what was tried).
    Credentials(CredentialsError),
    /// The config has no region, and none was found.
    NoRegion,
    /// The user id or cache name is empty.
    InvalidInput(&'static str),
    /// Presigning failed (e.g. malformed credentials).
    Signing(SigningError),
}

impl fmt::Display for AuthTokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthTokenError::Credentials(e) => write!(f, "no credentials for an auth token: {e}"),
            AuthTokenError::NoRegion => {
                f.write_str("no region for an auth token: set it on the config, or AWS_REGION")
            }
            AuthTokenError::InvalidInput(what) => write!(f, "cannot make an auth token: {what}"),
            AuthTokenError::Signing(e) => write!(f, "cannot make an auth token: {e}"),
        }
    }
}

impl std::error::Error for AuthTokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AuthTokenError::Credentials(e) => Some(e),
            AuthTokenError::Signing(e) => Some(e),
            _ => None,
        }
    }
}

/// A token for `user_id` on `cache`, signed now with `config`'s credentials and region.
///
/// # Errors
///
/// When the config has no credentials or region, or the inputs are empty.
pub async fn auth_token(
    config: &crate::config::Config,
    user_id: &str,
    cache: Cache<'_>,
) -> Result<String, AuthTokenError> {
    config.load_region().await;
    let region = config.region().ok_or(AuthTokenError::NoRegion)?.to_owned();
    let credentials = config
        .credentials()
        .await
        .map_err(AuthTokenError::Credentials)?;
    auth_token_with(&credentials, &region, user_id, cache, SystemTime::now())
}

/// A token from explicit credentials, region and signing time (for tests and for callers
/// with their own credential source).
///
/// # Errors
///
/// When the inputs are empty or the credentials cannot sign.
pub fn auth_token_with(
    credentials: &Credentials,
    region: &str,
    user_id: &str,
    cache: Cache<'_>,
    time: SystemTime,
) -> Result<String, AuthTokenError> {
    let (name, serverless) = match cache {
        Cache::ReplicationGroup(name) => (name, false),
        Cache::ServerlessCache(name) => (name, true),
    };
    if user_id.is_empty() {
        return Err(AuthTokenError::InvalidInput("the user id is empty"));
    }
    if name.is_empty() || name.contains(['/', '?', '#', '@', ':']) {
        return Err(AuthTokenError::InvalidInput(
            "the cache name is empty or not a host name",
        ));
    }
    let mut query = String::from("Action=connect&User=");
    aws_lite_runtime::query::percent_encode(user_id, &mut query);
    if serverless {
        query.push_str("&ResourceType=ServerlessCache");
    }
    let request = PresignRequest {
        method: "GET",
        host: name,
        path: "/",
        query: &query,
        expires: TOKEN_LIFETIME,
    };
    let signed = presign(&request, credentials, region, "elasticache", time)
        .map_err(AuthTokenError::Signing)?;
    Ok(format!("{name}/?{signed}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    /// botocore's `SigV4QueryAuth` (expires 900) gives this signature for the same request
    /// at 2015-08-30T12:36:00Z (see runtime/tests/presign.rs for the other cases).
    #[test]
    fn token_for_a_replication_group() {
        let credentials = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
        );
        let time = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        let token = auth_token_with(
            &credentials,
            "us-east-1",
            "a user+1",
            Cache::ReplicationGroup("my-group"),
            time,
        )
        .unwrap();
        assert!(token.starts_with("my-group/?Action=connect&User=a%20user%2B1&X-Amz-Algorithm="));
        assert!(token.ends_with(
            "X-Amz-Signature=a3268de1f63b6e6624304282ca371cd7cf5aa6b872a182c75da7c69a8c6d7714"
        ));
        assert!(!token.starts_with("http"));

        let serverless = auth_token_with(
            &credentials,
            "us-east-1",
            "my-user",
            Cache::ServerlessCache("my-group"),
            time,
        )
        .unwrap();
        assert!(serverless.ends_with(
            "X-Amz-Signature=fa1557dc6e84c9b9692daf330952199d8bc62a21c9fe3d6399d1165c92d13662"
        ));
        assert!(auth_token_with(
            &credentials,
            "us-east-1",
            "",
            Cache::ServerlessCache("x"),
            time
        )
        .is_err());
        assert!(auth_token_with(
            &credentials,
            "us-east-1",
            "u",
            Cache::ServerlessCache("a/b"),
            time
        )
        .is_err());
    }
}
