//! Keep-alive HTTP/1.1 connections, each driven by the call that uses it.
//!
//! hyper's pooled client runs every connection as a task of its own and hands requests and
//! responses over channels: each call then costs two more task wake-ups, often on other
//! threads. Here the calling future polls the connection itself while it waits, so a
//! sequential caller writes, reads and parses on its own thread. A connection lives in the
//! pool only while it is idle.

use std::collections::HashMap;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http_body_util::Full;
use hyper::client::conn::http1;
use hyper_rustls::MaybeHttpsStream;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// The stream under a connection: TCP, with TLS unless the endpoint is plain `http`.
pub(super) type Stream = MaybeHttpsStream<TokioIo<TcpStream>>;

/// Idle connections kept per endpoint; more are closed when they finish.
const MAX_IDLE_PER_ENDPOINT: usize = 32;

/// One HTTP/1.1 connection: the request side and the connection state machine, which must
/// be polled for anything to be written or read.
pub(super) struct Conn {
    send: http1::SendRequest<Full<Bytes>>,
    /// `None` once [released](Self::release). Boxed: with its buffers and TLS state it is a
    /// few KiB, which every move of a `Conn` (into and out of the pool, into a call's future)
    /// would copy, and which would make each call's boxed future as large.
    conn: Option<Box<http1::Connection<Stream, Full<Bytes>>>>,
    /// The connection future finished (the peer closed, or it failed) or was released: it
    /// must not be polled again, and the connection cannot be reused.
    done: bool,
}

impl Conn {
    /// Handshakes HTTP/1.1 over a connected stream (no bytes are exchanged yet).
    pub(super) async fn handshake(stream: Stream) -> Result<Self, hyper::Error> {
        let (send, conn) = http1::handshake(stream).await?;
        Ok(Self {
            send,
            conn: Some(Box::new(conn)),
            done: false,
        })
    }

    /// Polls the connection unless it has finished; marks it done when it finishes, and
    /// returns its error if it failed just now.
    fn poll_conn(&mut self, cx: &mut std::task::Context<'_>) -> Option<hyper::Error> {
        let conn = self.conn.as_mut().filter(|_| !self.done)?;
        match std::pin::Pin::new(&mut **conn).poll(cx) {
            Poll::Ready(result) => {
                self.done = true;
                result.err()
            }
            Poll::Pending => None,
        }
    }

    /// Waits until `fut` completes, polling the connection meanwhile (first, so that what it
    /// reads is seen by `fut` in the same turn). An error of the connection ends the wait, and
    /// so does its end while `fut` still waits: nothing else would ever wake it.
    pub(super) async fn drive<F: Future>(&mut self, fut: F) -> Result<F::Output, DriveError> {
        let mut fut = pin!(fut);
        poll_fn(|cx| {
            let failed = self.poll_conn(cx);
            // `fut` first even when the connection just failed: it may already hold the
            // whole response (hyper fails a connection for bytes or a reset *after* a
            // complete response), and that response must not turn into a retried error.
            match fut.as_mut().poll(cx) {
                Poll::Ready(v) => Poll::Ready(Ok(v)),
                Poll::Pending => match failed {
                    Some(e) => Poll::Ready(Err(DriveError::Hyper(e))),
                    None if self.done => Poll::Ready(Err(DriveError::Closed)),
                    None => Poll::Pending,
                },
            }
        })
        .await
    }

    /// Waits until the connection can take a request; false if it has closed.
    pub(super) async fn ready(&mut self) -> bool {
        if self.done || self.send.is_closed() {
            return false;
        }
        let ready = poll_fn(|cx| {
            // Finished or failed: either way it cannot take a request.
            let _ = self.poll_conn(cx);
            match self.send.poll_ready(cx) {
                Poll::Ready(r) => Poll::Ready(r.is_ok()),
                // Closed underneath, and the request side has not noticed yet.
                Poll::Pending if self.done => Poll::Ready(false),
                Poll::Pending => Poll::Pending,
            }
        })
        .await;
        ready && !self.done
    }

    /// Sends a request; the response must then be awaited through [`Self::drive`] (or, once
    /// the connection is [released](Self::release), directly).
    pub(super) fn send(
        &mut self,
        request: hyper::Request<Full<Bytes>>,
    ) -> impl Future<
        Output = Result<
            hyper::Response<hyper::body::Incoming>,
            hyper::client::conn::TrySendError<hyper::Request<Full<Bytes>>>,
        >,
    > {
        self.send.try_send_request(request)
    }

    /// Drops the connection's state machine after [`Self::drive`] ended with
    /// [`DriveError::Closed`] while a response was awaited: hyper then completes that response
    /// future with an error, giving the request back if it never took it.
    pub(super) fn release(&mut self) {
        self.conn = None;
        self.done = true;
    }

    /// Whether the connection may serve another request now: open, and done with the last
    /// exchange in both directions (a server may answer before it has read the whole request;
    /// a connection still writing must not sit undriven in the pool).
    pub(super) fn reusable(&self) -> bool {
        !self.done && !self.send.is_closed() && self.send.is_ready()
    }
}

/// Why [`Conn::drive`] stopped before its future completed.
#[derive(Debug)]
pub(super) enum DriveError {
    /// The connection failed.
    Hyper(hyper::Error),
    /// The peer closed the connection (cleanly) first.
    Closed,
}

/// Where a connection goes: scheme, host and port.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub(super) struct Endpoint {
    pub(super) https: bool,
    pub(super) authority: String,
}

struct Idle {
    conn: Conn,
    since: Instant,
}

/// Idle connections by endpoint, shared by a transport's clones.
#[derive(Clone, Default)]
pub(super) struct Pool {
    idle: Arc<Mutex<HashMap<Endpoint, Vec<Idle>>>>,
    idle_timeout: Duration,
}

impl Pool {
    pub(super) fn new(idle_timeout: Duration) -> Self {
        Self {
            idle: Arc::default(),
            idle_timeout,
        }
    }

    /// The most recently used idle connection to `endpoint` that is still open and ready.
    pub(super) async fn take(&self, endpoint: &Endpoint) -> Option<Conn> {
        loop {
            let idle = {
                let mut map = self.idle.lock().unwrap_or_else(|e| e.into_inner());
                let list = map.get_mut(endpoint)?;
                // Connections idle too long are closed (dropped), oldest first.
                list.retain(|i| i.since.elapsed() < self.idle_timeout);
                list.pop()?
            };
            let mut conn = idle.conn;
            if conn.ready().await {
                return Some(conn);
            }
        }
    }

    /// Returns a connection after a complete exchange, if it can be reused.
    pub(super) fn put(&self, endpoint: Endpoint, conn: Conn) {
        if !conn.reusable() {
            return;
        }
        let mut map = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        // Connections idle too long are closed here too, for every endpoint, so that an
        // endpoint never used again does not keep its sockets.
        map.retain(|_, list| {
            list.retain(|i| i.since.elapsed() < self.idle_timeout);
            !list.is_empty()
        });
        let list = map.entry(endpoint).or_default();
        if list.len() < MAX_IDLE_PER_ENDPOINT {
            list.push(Idle {
                conn,
                since: Instant::now(),
            });
        }
    }
}
