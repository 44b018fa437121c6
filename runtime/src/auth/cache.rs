//! Caching in front of a provider: reuse until shortly before expiry, one refresh at a time.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use super::credentials::{BoxFuture, Credentials, CredentialsError, ProvideCredentials};

/// Credentials without an expiry are fetched again after this long (as AWS SDKs do), so a
/// rotated key in a file or the environment is eventually seen.
pub const DEFAULT_CREDENTIALS_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// Expiring credentials are refreshed this long before they expire.
pub const DEFAULT_REFRESH_BUFFER: Duration = Duration::from_secs(5 * 60);
/// A provider that has not answered after this long has failed (the AWS SDK for Rust's lazy
/// cache uses the same), so a hung source cannot hold every call behind it.
pub const DEFAULT_LOAD_TIMEOUT: Duration = Duration::from_secs(5);
/// After a failed refresh that kept serving unexpired credentials, the next try waits this
/// long, so a broken source is not asked on every call.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// Wraps a provider: credentials are reused until [`DEFAULT_REFRESH_BUFFER`] before they
/// expire (or for [`DEFAULT_CREDENTIALS_LIFETIME`] when they do not say), and refreshed by
/// one caller while every other caller waits for that result (single flight). A provider that
/// takes longer than [`DEFAULT_LOAD_TIMEOUT`] has failed.
///
/// When a refresh fails while the cached credentials have not yet expired, they keep being
/// served (with a warning in the log) and the refresh is tried again a little later.
///
/// Clones share the cache. Client configs wrap their provider in one of these.
#[derive(Clone)]
pub struct CachedCredentials {
    inner: Arc<Inner>,
}

struct Inner {
    provider: Arc<dyn ProvideCredentials>,
    refresh_buffer: Duration,
    load_timeout: Duration,
    /// The cached credentials and when to refresh them; read without waiting.
    cached: Mutex<Option<Cached>>,
    /// Held by the one caller that is refreshing.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    refresh_at: SystemTime,
}

impl CachedCredentials {
    /// Caches `provider`'s credentials.
    pub fn new(provider: impl ProvideCredentials + 'static) -> Self {
        Self::from_arc(Arc::new(provider))
    }

    /// Caches a shared provider.
    pub fn from_arc(provider: Arc<dyn ProvideCredentials>) -> Self {
        Self {
            inner: Arc::new(Inner {
                provider,
                refresh_buffer: DEFAULT_REFRESH_BUFFER,
                load_timeout: DEFAULT_LOAD_TIMEOUT,
                cached: Mutex::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The same cache with another load timeout (for sources known to be slow, such as a
    /// `credential_process` that prompts).
    #[must_use]
    pub fn with_load_timeout(self, timeout: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                provider: self.inner.provider.clone(),
                refresh_buffer: self.inner.refresh_buffer,
                load_timeout: timeout,
                cached: Mutex::new(None),
                refreshing: tokio::sync::Mutex::new(()),
            }),
        }
    }

    /// The provider behind the cache.
    pub fn provider(&self) -> &Arc<dyn ProvideCredentials> {
        &self.inner.provider
    }

    fn fresh(&self, now: SystemTime) -> Option<Credentials> {
        let cached = self.inner.cached.lock().unwrap_or_else(|e| e.into_inner());
        cached
            .as_ref()
            .filter(|c| now < c.refresh_at)
            .map(|c| c.credentials.clone())
    }

    fn store(&self, credentials: Credentials, refresh_at: SystemTime) {
        *self.inner.cached.lock().unwrap_or_else(|e| e.into_inner()) = Some(Cached {
            credentials,
            refresh_at,
        });
    }

    /// Cached credentials, or fresh ones from the provider.
    pub async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(c) = self.fresh(SystemTime::now()) {
            return Ok(c);
        }
        // One refresh at a time: later callers wait here, then find the new credentials.
        // If the refreshing call is dropped (cancelled), the lock is released and the next
        // waiter refreshes.
        let _guard = self.inner.refreshing.lock().await;
        let now = SystemTime::now();
        if let Some(c) = self.fresh(now) {
            return Ok(c);
        }
        let timeout = self.inner.load_timeout;
        let fetched = tokio::time::timeout(timeout, self.inner.provider.provide_credentials())
            .await
            .unwrap_or_else(|_| {
                Err(CredentialsError::new(format!(
                    "the credentials provider did not answer within {timeout:?}"
                )))
            });
        match fetched {
            Ok(c) => {
                let refresh_at = match c.expiry() {
                    Some(expiry) => expiry
                        .checked_sub(self.inner.refresh_buffer)
                        .filter(|at| *at > now)
                        // Credentials that live shorter than the buffer: refresh halfway.
                        .unwrap_or_else(|| {
                            now + expiry.duration_since(now).unwrap_or_default() / 2
                        }),
                    None => now + DEFAULT_CREDENTIALS_LIFETIME,
                };
                self.store(c.clone(), refresh_at);
                Ok(c)
            }
            Err(e) => {
                let previous = self
                    .inner
                    .cached
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                match previous {
                    Some(p) if p.credentials.expiry().is_some_and(|exp| now < exp) => {
                        tracing::warn!(
                            error = %e,
                            "refreshing credentials failed; using the cached ones until they expire"
                        );
                        let retry_at =
                            (now + RETRY_AFTER_FAILURE).min(p.credentials.expiry().unwrap_or(now));
                        self.store(p.credentials.clone(), retry_at);
                        Ok(p.credentials)
                    }
                    _ => Err(e),
                }
            }
        }
    }

    /// Forgets the cached credentials, so the next call fetches anew.
    pub fn invalidate(&self) {
        *self.inner.cached.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

impl fmt::Debug for CachedCredentials {
    /// Shows the provider, never the credentials.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedCredentials")
            .field("provider", &self.inner.provider)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for CachedCredentials {
    fn provide_credentials(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}
