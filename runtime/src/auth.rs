//! AWS Signature Version 4 request signing, credentials and region resolution.
//!
//! - [`sign`] adds `x-amz-date`, `x-amz-security-token` (with session credentials) and
//!   `authorization` to a request's headers ([`SigningRequest`]).
//! - [`Credentials`] hold an access key pair; [`ProvideCredentials`] yields them. The
//!   providers: [`EnvironmentCredentials`], [`WebIdentityCredentials`],
//!   [`ProfileCredentials`] (the shared files: static keys, roles, IAM Identity Center,
//!   `credential_process`), [`ContainerCredentials`], [`ImdsCredentials`],
//!   [`AssumeRoleCredentials`], and [`DefaultCredentialsChain`], which tries them in the AWS
//!   SDKs' order. [`CachedCredentials`] reuses credentials until shortly before they expire.
//!   Providers that call STS take it as a [`StsApi`].
//! - [`region_from_env`] and [`profile_value`] read the region and other settings the way the
//!   AWS CLI does.
//!
//! Signing is implemented here on `sha2` and `hmac`; nothing in this module panics on input.
//!
//! ```
//! use std::time::{Duration, UNIX_EPOCH};
//! use aws_lite_runtime::auth::{sign, Credentials, SigningRequest};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", None);
//! let body = b"Action=TestMigration&Version=2015-02-02&ReplicationGroupId=rg";
//! let mut headers = vec![
//!     ("host".to_string(), "elasticache.us-east-1.amazonaws.com".to_string()),
//!     ("content-type".to_string(), "application/x-www-form-urlencoded; charset=utf-8".to_string()),
//! ];
//! let mut request = SigningRequest { method: "POST", path: "/", query: "", headers: &mut headers, body };
//! let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//! sign(&mut request, &credentials, "us-east-1", "elasticache", now)?;
//! assert!(headers.iter().any(|(name, value)| name == "authorization"
//!     && value.contains("SignedHeaders=content-type;host;x-amz-date,")));
//! # Ok::<(), aws_lite_runtime::auth::SigningError>(())
//! ```

mod cache;
mod chain;
mod container;
mod credentials;
mod env;
mod http;
mod imds;
mod json_credentials;
mod process;
mod profile;
mod profile_credentials;
mod role;
mod sigv4;
mod sso;

pub use cache::{
    CachedCredentials, DEFAULT_CREDENTIALS_LIFETIME, DEFAULT_LOAD_TIMEOUT, DEFAULT_REFRESH_BUFFER,
};
pub use chain::DefaultCredentialsChain;
pub use container::ContainerCredentials;
pub use credentials::{
    BoxFuture, Credentials, CredentialsError, EnvironmentCredentials, ProvideCredentials,
};
pub use imds::{ImdsClient, ImdsCredentials, ImdsRegion};
pub use process::ProcessCredentials;
pub use profile::{profile_value, region_from_env};
pub use profile_credentials::ProfileCredentials;
pub use role::{
    AssumeRoleCredentials, AssumeRoleRequest, StsApi, WebIdentityCredentials, WebIdentityRequest,
};
pub(crate) use sigv4::push_hex;
pub use sigv4::{
    presign, sign, sign_detailed, PresignRequest, SigningError, SigningOutput, SigningRequest,
};
pub use sso::{SsoCredentials, SsoLogin};
