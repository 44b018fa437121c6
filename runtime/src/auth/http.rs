//! Plain HTTP requests of the credential providers (instance metadata, container
//! credentials, the SSO portal): short timeouts, a bounded number of tries, and errors that
//! never quote a secret header.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::client::{Transport, TransportRequest};
use crate::protocol::HttpResponse;

/// How a provider talks HTTP.
#[derive(Clone)]
pub(crate) struct HttpClient {
    transport: Option<Arc<dyn Transport>>,
    /// Bounds each try: connect, send and read.
    pub(crate) timeout: Duration,
    /// Tries per request (transport errors and 5xx are tried again; a timeout is not).
    pub(crate) attempts: u32,
}

impl HttpClient {
    /// The default transport (the built-in HTTPS one) with `timeout` per try.
    pub(crate) fn new(timeout: Duration, attempts: u32) -> Self {
        Self {
            transport: crate::client::default_transport(Some(timeout)),
            timeout,
            attempts: attempts.max(1),
        }
    }

    /// The same settings over another transport (a test double, a proxy).
    pub(crate) fn with_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Sends a request; the response is returned whatever its status (after the tries run
    /// out on 5xx). The error says what failed and never includes header values.
    pub(crate) async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
    ) -> Result<HttpResponse, String> {
        let Some(transport) = &self.transport else {
            return Err("no HTTP transport: this build has no `default-https` feature".to_owned());
        };
        let mut last_error = String::new();
        for attempt in 1..=self.attempts {
            let request = TransportRequest {
                method: method.to_owned(),
                url: url.to_owned(),
                headers: headers
                    .iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), (*v).to_owned()))
                    .collect(),
                body: Vec::new(),
            };
            match tokio::time::timeout(self.timeout, transport.send(request)).await {
                Ok(Ok(response)) if response.status >= 500 && attempt < self.attempts => {
                    last_error = format!("HTTP {}", response.status);
                }
                Ok(Ok(response)) => return Ok(response),
                Ok(Err(e)) => last_error = e.to_string(),
                // A silent endpoint (e.g. no instance metadata on a laptop) is not asked again:
                // the chain must move on quickly.
                Err(_) => {
                    return Err(format!(
                        "{method} {url}: no response within {:?}",
                        self.timeout
                    ))
                }
            }
            if attempt < self.attempts {
                tokio::time::sleep(Duration::from_millis(50 * u64::from(attempt))).await;
            }
        }
        Err(format!(
            "{method} {url} failed after {} tr{}: {last_error}",
            self.attempts,
            if self.attempts == 1 { "y" } else { "ies" }
        ))
    }
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("transport", &self.transport)
            .field("timeout", &self.timeout)
            .field("attempts", &self.attempts)
            .finish()
    }
}

/// A response body as text for an error message: its excerpt, on one line.
pub(crate) fn body_excerpt(response: &HttpResponse) -> String {
    response
        .body_excerpt()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}
