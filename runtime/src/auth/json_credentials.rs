//! The JSON credentials document that instance metadata, container endpoints and
//! `credential_process` return.

use super::credentials::{Credentials, CredentialsError};
use crate::json::Json;
use crate::{DateTime, TimestampFormat};

/// `AccessKeyId`, `SecretAccessKey`, the session token under `token_key` (`Token` or
/// `SessionToken`), and the optional RFC 3339 `Expiration`. `source` names where the document
/// came from, for messages; values are never quoted in them.
pub(crate) fn parse_credentials(
    json: &Json,
    source: &str,
    token_key: &str,
) -> Result<Credentials, CredentialsError> {
    let field = |key: &str| -> Result<Option<&str>, CredentialsError> {
        match json.get(key) {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(Some(s.as_str()).filter(|s| !s.is_empty())),
            Some(other) => Err(CredentialsError::new(format!(
                "{source}: {key} is {}, not a string",
                other.kind()
            ))),
        }
    };
    if !matches!(json, Json::Object(_)) {
        return Err(CredentialsError::new(format!(
            "{source}: the credentials are {}, not a JSON object",
            json.kind()
        )));
    }
    let missing = |key: &str| CredentialsError::new(format!("{source}: {key} is missing"));
    let id = field("AccessKeyId")?.ok_or_else(|| missing("AccessKeyId"))?;
    let secret = field("SecretAccessKey")?.ok_or_else(|| missing("SecretAccessKey"))?;
    let token = field(token_key)?.map(str::to_owned);
    let mut credentials = Credentials::new(id, secret, token);
    if let Some(expiration) = field("Expiration")? {
        let expiry = DateTime::parse(expiration, TimestampFormat::DateTime)
            .ok()
            .and_then(|t| std::time::SystemTime::try_from(t).ok())
            .ok_or_else(|| {
                CredentialsError::new(format!(
                    "{source}: Expiration '{expiration}' is not an RFC 3339 time"
                ))
            })?;
        credentials = credentials.with_expiry(expiry);
    }
    Ok(credentials)
}
