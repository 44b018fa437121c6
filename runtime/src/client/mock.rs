//! An in-memory transport for tests.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use super::transport::{
    BoxFuture, Transport, TransportError, TransportErrorKind, TransportRequest,
};
use crate::protocol::HttpResponse;

type Responder = dyn Fn(&TransportRequest) -> Result<HttpResponse, TransportError> + Send + Sync;

/// A transport for tests that answers from memory and records what it was sent.
///
/// It contains no network code at all, so a test that uses it can never reach a real service,
/// whatever the endpoint or credentials. Answers come from a queue of canned responses (or
/// errors), in order, or from a closure; once the queue is empty every request fails with a
/// [`TransportErrorKind::NoResponse`] error that says so.
///
/// Clones share the queue and the record: keep one clone, give another to the config.
///
/// ```
/// use aws_lite_runtime::client::MockTransport;
/// use aws_lite_runtime::protocol::HttpResponse;
///
/// let mock = MockTransport::new()
///     .with_response(HttpResponse::new(503, vec![], ""))
///     .with_response(HttpResponse::new(200, vec![], "<TestResponse/>"));
/// // let config = Config::builder().transport(mock.clone())…build();
/// // … call the client, then:
/// assert_eq!(mock.requests().len(), 0);
/// assert_eq!(mock.remaining(), 2);
/// ```
#[derive(Clone, Default)]
pub struct MockTransport {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Result<HttpResponse, TransportError>>,
    responder: Option<Arc<Responder>>,
    requests: Vec<TransportRequest>,
}

impl MockTransport {
    /// A mock with no responses yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A mock that answers with `responses`, in order.
    pub fn from_responses(responses: impl IntoIterator<Item = HttpResponse>) -> Self {
        let mock = Self::new();
        mock.lock().queue.extend(responses.into_iter().map(Ok));
        mock
    }

    /// A mock that answers every request with `respond(&request)` (after the queue, if any,
    /// is used up).
    pub fn from_fn(
        respond: impl Fn(&TransportRequest) -> Result<HttpResponse, TransportError>
            + Send
            + Sync
            + 'static,
    ) -> Self {
        let mock = Self::new();
        mock.lock().responder = Some(Arc::new(respond));
        mock
    }

    /// Adds a response to the end of the queue.
    pub fn with_response(self, response: HttpResponse) -> Self {
        self.push_response(response);
        self
    }

    /// Adds a transport failure to the end of the queue.
    pub fn with_error(self, error: TransportError) -> Self {
        self.push_error(error);
        self
    }

    /// Adds a response to the end of the queue.
    pub fn push_response(&self, response: HttpResponse) {
        self.lock().queue.push_back(Ok(response));
    }

    /// Adds a transport failure to the end of the queue.
    pub fn push_error(&self, error: TransportError) {
        self.lock().queue.push_back(Err(error));
    }

    /// Every request received so far, in order (signed, with all headers).
    pub fn requests(&self) -> Vec<TransportRequest> {
        self.lock().requests.clone()
    }

    /// How many requests were received so far.
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// How many queued answers are left.
    pub fn remaining(&self) -> usize {
        self.lock().queue.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in a responder closure must not make every later call panic too.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn answer(&self, request: TransportRequest) -> Result<HttpResponse, TransportError> {
        let (next, responder, number) = {
            let mut state = self.lock();
            let next = state.queue.pop_front();
            (next, state.responder.clone(), state.requests.len() + 1)
        };
        // The closure runs outside the lock, so it may use the mock itself.
        let answer = match (next, responder) {
            (Some(answer), _) => answer,
            (None, Some(respond)) => respond(&request),
            (None, None) => Err(TransportError::new(
                TransportErrorKind::NoResponse,
                format!(
                    "MockTransport has no response left for request #{number} ({} {}); \
                     queue one with push_response",
                    request.method, request.url
                ),
            )),
        };
        self.lock().requests.push(request);
        answer
    }
}

impl Transport for MockTransport {
    fn send(
        &self,
        request: TransportRequest,
    ) -> BoxFuture<'_, Result<HttpResponse, TransportError>> {
        let answer = self.answer(request);
        Box::pin(std::future::ready(answer))
    }
}

impl fmt::Debug for MockTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("MockTransport")
            .field("queued", &state.queue.len())
            .field("has_responder", &state.responder.is_some())
            .field("received", &state.requests.len())
            .finish()
    }
}
