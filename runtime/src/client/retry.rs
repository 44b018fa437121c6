//! AWS SDKs' "standard" retry mode: which errors are retried, the backoff, the retry quota.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use super::transport::{TimeoutKind, TransportErrorKind};
use crate::protocol::{ProvideErrorMeta, SdkError};

/// Error codes of throttling errors (retried).
pub const THROTTLING_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];

/// Error codes of transient errors (retried).
pub const TRANSIENT_CODES: &[&str] = &["RequestTimeout", "RequestTimeoutException"];

/// HTTP statuses retried whatever the body says.
pub const TRANSIENT_STATUSES: &[u16] = &[500, 502, 503, 504];

/// The retry quota's size when none is configured.
pub const DEFAULT_RETRY_QUOTA: u32 = 500;
/// Tokens a retry takes from the quota.
pub const RETRY_COST: u32 = 5;
/// Tokens a retry after a timeout takes.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Tokens a success on the first attempt gives back.
pub const NO_RETRY_INCREMENT: u32 = 1;

/// Whether a failed attempt may be retried, and at what quota cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RetryKind {
    /// Not retryable.
    Never,
    /// Throttling or transient error: costs [`RETRY_COST`].
    Error,
    /// An attempt timeout: costs [`TIMEOUT_RETRY_COST`].
    Timeout,
}

impl RetryKind {
    pub(crate) fn cost(self) -> u32 {
        match self {
            RetryKind::Never => 0,
            RetryKind::Error => RETRY_COST,
            RetryKind::Timeout => TIMEOUT_RETRY_COST,
        }
    }
}

/// Classifies a failed attempt. `extra_codes` are the operation's `@retryable` error codes.
pub(crate) fn classify<E: ProvideErrorMeta>(
    error: &SdkError<E>,
    extra_codes: &[&str],
) -> RetryKind {
    match error {
        SdkError::Service(e) => {
            let meta = e.meta();
            let code = meta.code.as_deref().unwrap_or("");
            if TRANSIENT_STATUSES.contains(&meta.status)
                || THROTTLING_CODES.contains(&code)
                || TRANSIENT_CODES.contains(&code)
                || extra_codes.contains(&code)
            {
                RetryKind::Error
            } else {
                RetryKind::Never
            }
        }
        // An unreadable body with a 5xx status (a proxy's HTML page, a truncated body) is as
        // transient as a readable one.
        SdkError::Response(e) if TRANSIENT_STATUSES.contains(&e.status()) => RetryKind::Error,
        // Except failures that repeat the same way: a request the transport cannot express,
        // or a transport with nothing to answer (no transport, an exhausted mock).
        SdkError::Transport(e) => match e.kind() {
            TransportErrorKind::InvalidRequest | TransportErrorKind::NoResponse => RetryKind::Never,
            // A connect timeout costs what an attempt timeout costs.
            TransportErrorKind::Timeout => RetryKind::Timeout,
            _ => RetryKind::Error,
        },
        SdkError::Timeout(t) if t.kind() == TimeoutKind::Attempt => RetryKind::Timeout,
        _ => RetryKind::Never,
    }
}

/// The retry quota: a token bucket shared by every call made with one `Config`. Retries take
/// tokens, successes give some back; with too few tokens left a call stops retrying, so a
/// service in trouble is not flooded with retries.
#[derive(Debug)]
pub(crate) struct RetryQuota {
    capacity: u32,
    available: AtomicU32,
}

impl RetryQuota {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryQuota {
            capacity,
            available: AtomicU32::new(capacity),
        }
    }

    pub(crate) fn capacity(&self) -> u32 {
        self.capacity
    }

    pub(crate) fn available(&self) -> u32 {
        self.available.load(Ordering::Relaxed)
    }

    /// Takes `cost` tokens if there are that many.
    pub(crate) fn try_acquire(&self, cost: u32) -> bool {
        self.available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(cost))
            .is_ok()
    }

    /// Gives back `amount` tokens, never above the capacity.
    pub(crate) fn release(&self, amount: u32) {
        let capacity = self.capacity;
        let _ = self
            .available
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_add(amount).min(capacity))
            });
    }
}

/// The delay before the attempt after failed attempt number `attempt` (1-based):
/// `rand(0,1) × min(initial × 2^(attempt−1), max)`.
pub(crate) fn backoff(attempt: u32, initial: Duration, max: Duration) -> Duration {
    let exp = attempt.saturating_sub(1).min(62);
    let ceiling = initial
        .checked_mul(1u32 << exp.min(31))
        .unwrap_or(max)
        .min(max);
    ceiling.mul_f64(crate::random::unit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{TimeoutError, TransportError};
    use crate::protocol::{ErrorMeta, HttpResponse, ResponseError};

    #[test]
    fn backoff_stays_under_the_exponential_ceiling() {
        let initial = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        for attempt in 1..=10u32 {
            let ceiling = (initial * 2u32.pow(attempt - 1)).min(max);
            for _ in 0..50 {
                assert!(backoff(attempt, initial, max) < ceiling.max(Duration::from_nanos(1)));
            }
        }
        // Huge attempt numbers do not overflow.
        assert!(backoff(u32::MAX, initial, max) <= max);
    }

    #[test]
    fn jitter_varies() {
        let values: std::collections::HashSet<u64> =
            (0..20).map(|_| crate::random::unit().to_bits()).collect();
        assert!(values.len() > 15);
        assert!((0..1000)
            .map(|_| crate::random::unit())
            .all(|x| (0.0..1.0).contains(&x)));
    }

    #[derive(Debug)]
    struct E(ErrorMeta);
    impl ProvideErrorMeta for E {
        fn meta(&self) -> &ErrorMeta {
            &self.0
        }

        fn meta_mut(&mut self) -> &mut ErrorMeta {
            &mut self.0
        }
    }

    fn service(code: &str, status: u16) -> SdkError<E> {
        SdkError::Service(E(ErrorMeta {
            code: Some(code.to_string()),
            status,
            ..ErrorMeta::default()
        }))
    }

    #[test]
    fn classifies_as_the_standard_mode_does() {
        for code in THROTTLING_CODES.iter().chain(TRANSIENT_CODES) {
            assert_eq!(
                classify(&service(code, 400), &[]),
                RetryKind::Error,
                "{code}"
            );
        }
        for status in TRANSIENT_STATUSES {
            assert_eq!(
                classify(&service("InternalFailure", *status), &[]),
                RetryKind::Error
            );
            let response = HttpResponse::new(*status, vec![], "<html>");
            let e: SdkError<E> = SdkError::Response(ResponseError::new(&response, "bad"));
            assert_eq!(classify(&e, &[]), RetryKind::Error);
        }
        assert_eq!(
            classify(&service("NotFoundFault", 404), &[]),
            RetryKind::Never
        );
        assert_eq!(
            classify(&service("Custom", 400), &["Custom"]),
            RetryKind::Error
        );
        assert_eq!(classify(&service("throttling", 400), &[]), RetryKind::Never);
        assert_eq!(classify(&service("Custom", 501), &[]), RetryKind::Never);
        let response = HttpResponse::new(200, vec![], "<html>");
        let e: SdkError<E> = SdkError::Response(ResponseError::new(&response, "bad"));
        assert_eq!(classify(&e, &[]), RetryKind::Never);
        let transport = |kind| SdkError::<E>::Transport(TransportError::new(kind, "x"));
        assert_eq!(
            classify(&transport(TransportErrorKind::Io), &[]),
            RetryKind::Error
        );
        assert_eq!(
            classify(&transport(TransportErrorKind::Connect), &[]),
            RetryKind::Error
        );
        assert_eq!(
            classify(&transport(TransportErrorKind::Timeout), &[]),
            RetryKind::Timeout
        );
        assert_eq!(
            classify(&transport(TransportErrorKind::NoResponse), &[]),
            RetryKind::Never
        );
        let timeout = |kind| SdkError::<E>::Timeout(TimeoutError::new(kind, Duration::ZERO));
        assert_eq!(
            classify(&timeout(TimeoutKind::Attempt), &[]),
            RetryKind::Timeout
        );
        assert_eq!(
            classify(&timeout(TimeoutKind::Operation), &[]),
            RetryKind::Never
        );
        let build: SdkError<E> =
            SdkError::Build(crate::BuildError::missing_members("S", vec!["a"]));
        assert_eq!(classify(&build, &[]), RetryKind::Never);
    }

    #[test]
    fn quota_takes_and_refunds_within_capacity() {
        let q = RetryQuota::new(12);
        assert!(q.try_acquire(RETRY_COST));
        assert!(q.try_acquire(RETRY_COST));
        assert!(!q.try_acquire(RETRY_COST));
        assert_eq!(q.available(), 2);
        q.release(TIMEOUT_RETRY_COST);
        assert_eq!(q.available(), 12);
        q.release(NO_RETRY_INCREMENT);
        assert_eq!(q.available(), 12);
    }
}
