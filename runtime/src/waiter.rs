//! Waiters: poll an operation until an acceptor says success or failure, with the Smithy
//! waiter backoff (exponential from `min_delay` to `max_delay`, jittered) and a maximum wait.

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::time::Duration;

// tokio's clock, so waits follow tokio's (pausable) time like the sleeps between polls do.
use tokio::time::Instant;

use crate::protocol::{OperationName, ProvideErrorMeta, SdkError};

/// What an acceptor decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over: the resource reached the state.
    Success,
    /// The wait is over: the resource will not reach the state.
    Failure,
    /// Keep polling.
    Retry,
}

/// Timing of a waiter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaiterTiming {
    /// Shortest delay between polls.
    pub min_delay: Duration,
    /// Longest delay between polls.
    pub max_delay: Duration,
    /// Give up after this long.
    pub max_wait: Duration,
}

/// Why a waiter stopped without success.
#[derive(Debug)]
#[non_exhaustive]
pub enum WaiterError<O, E> {
    /// An acceptor in state `failure` matched (`acceptor` is its index in the model), or an
    /// error matched no acceptor.
    Failure {
        /// Which acceptor matched, if one did.
        acceptor: Option<usize>,
        /// The last response.
        last: Result<O, SdkError<E>>,
    },
    /// The maximum wait passed.
    TimedOut {
        /// How long it waited.
        waited: Duration,
        /// How many times it polled.
        attempts: u32,
        /// The last response, if any.
        last: Option<Result<O, SdkError<E>>>,
    },
}

impl<O: fmt::Debug, E: fmt::Display + ProvideErrorMeta + OperationName> fmt::Display
    for WaiterError<O, E>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiterError::Failure {
                acceptor: Some(i),
                last,
            } => {
                write!(
                    f,
                    "the waiter's failure acceptor #{i} matched; last response: "
                )?;
                describe(last, f)
            }
            WaiterError::Failure {
                acceptor: None,
                last,
            } => {
                f.write_str("the call failed with an error no acceptor expects: ")?;
                describe(last, f)
            }
            WaiterError::TimedOut {
                waited,
                attempts,
                last,
            } => {
                write!(f, "gave up after {:.0?} and {attempts} attempts", waited)?;
                if let Some(last) = last {
                    f.write_str("; last response: ")?;
                    describe(last, f)?;
                }
                Ok(())
            }
        }
    }
}

fn describe<O: fmt::Debug, E: fmt::Display + ProvideErrorMeta + OperationName>(
    last: &Result<O, SdkError<E>>,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    match last {
        Ok(o) => write!(f, "{o:?}"),
        Err(e) => write!(f, "{e}"),
    }
}

impl<O: fmt::Debug, E: fmt::Display + fmt::Debug + ProvideErrorMeta + OperationName> Error
    for WaiterError<O, E>
{
}

/// The delay before poll number `attempt` (2, 3, …), per the Smithy waiter specification:
/// exponential from `min_delay` up to `max_delay`, then a random value between `min_delay` and
/// that, and never past the remaining time (leaving one last try).
pub fn delay(timing: &WaiterTiming, attempt: u32, remaining: Duration, random: f64) -> Duration {
    let min = timing.min_delay.as_secs_f64().max(0.0);
    let max = timing.max_delay.as_secs_f64().max(min);
    let ceiling = if min > 0.0 {
        (max / min).ln() / 2f64.ln() + 1.0
    } else {
        f64::INFINITY
    };
    let exp = if f64::from(attempt) > ceiling {
        max
    } else {
        min * 2f64.powi(attempt.saturating_sub(1).min(62) as i32)
    };
    let upper = exp.min(max);
    let chosen = min + (upper - min) * random.clamp(0.0, 1.0);
    let remaining = remaining.as_secs_f64();
    let chosen = if remaining - chosen <= min {
        remaining
    } else {
        chosen
    };
    Duration::from_secs_f64(chosen.max(0.0))
}

/// The poll that ended a successful wait: usually an output, but a waiter may succeed on an
/// error (for example "not found" when waiting for a deletion).
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, SdkError<E>>,
}

impl<O, E> FinalPoll<O, E> {
    /// The output of the last poll, if it succeeded.
    pub fn output(&self) -> Option<&O> {
        self.result.as_ref().ok()
    }

    /// The last poll's result.
    pub fn as_result(&self) -> &Result<O, SdkError<E>> {
        &self.result
    }

    /// The last poll's result, owned.
    pub fn into_result(self) -> Result<O, SdkError<E>> {
        self.result
    }
}

/// Decides a poll's result: the index and state of the first matching acceptor, if any.
pub type Classify<O, E> = fn(&Result<O, SdkError<E>>) -> Option<(usize, AcceptorState)>;

/// The state of the first matching acceptor (with its index), given the poll's result.
pub trait Classifier<O, E>: Fn(&Result<O, SdkError<E>>) -> Option<(usize, AcceptorState)> {}

impl<O, E, T> Classifier<O, E> for T where
    T: Fn(&Result<O, SdkError<E>>) -> Option<(usize, AcceptorState)>
{
}

/// Polls `call` until `classify` says success or failure, or the maximum wait passes.
///
/// `classify` returns the state of the first matching acceptor (with its index), or `None`
/// when none matches: then an error ends the wait as a failure and a success keeps polling.
pub async fn wait<O, E, F, Fut>(
    timing: WaiterTiming,
    mut call: F,
    classify: impl Classifier<O, E>,
) -> Result<FinalPoll<O, E>, WaiterError<O, E>>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<O, SdkError<E>>>,
{
    let start = Instant::now();
    let mut attempts = 0u32;
    loop {
        attempts += 1;
        let result = call().await;
        match classify(&result) {
            Some((_, AcceptorState::Success)) => return Ok(FinalPoll { result }),
            Some((i, AcceptorState::Failure)) => {
                return Err(WaiterError::Failure {
                    acceptor: Some(i),
                    last: result,
                })
            }
            None if result.is_err() => {
                return Err(WaiterError::Failure {
                    acceptor: None,
                    last: result,
                })
            }
            Some((_, AcceptorState::Retry)) | None => {}
        }
        let waited = start.elapsed();
        if waited >= timing.max_wait {
            return Err(WaiterError::TimedOut {
                waited,
                attempts,
                last: Some(result),
            });
        }
        let pause = delay(
            &timing,
            attempts + 1,
            timing.max_wait - waited,
            crate::random::unit(),
        );
        tokio::time::sleep(pause).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(min: u64, max: u64, wait: u64) -> WaiterTiming {
        WaiterTiming {
            min_delay: Duration::from_secs(min),
            max_delay: Duration::from_secs(max),
            max_wait: Duration::from_secs(wait),
        }
    }

    #[test]
    fn delay_grows_exponentially_then_caps() {
        let t = timing(2, 120, 10_000);
        let far = Duration::from_secs(10_000);
        assert_eq!(delay(&t, 1, far, 1.0), Duration::from_secs(2));
        assert_eq!(delay(&t, 2, far, 1.0), Duration::from_secs(4));
        assert_eq!(delay(&t, 4, far, 1.0), Duration::from_secs(16));
        assert_eq!(delay(&t, 10, far, 1.0), Duration::from_secs(120));
        assert_eq!(
            delay(&t, 4, far, 0.0),
            Duration::from_secs(2),
            "jitter down to min_delay"
        );
    }

    #[test]
    fn last_delay_uses_the_remaining_time() {
        let t = timing(15, 120, 10_000);
        assert_eq!(
            delay(&t, 3, Duration::from_secs(20), 1.0),
            Duration::from_secs(20)
        );
    }
}

/// How an output-path acceptor compares the path's values with its expected value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparator {
    /// The path is a single value equal to the expected string.
    StringEquals,
    /// The path is a single boolean equal to the expected `true`/`false`.
    BooleanEquals,
    /// The path projects a non-empty list whose every value equals the expected string.
    AllStringEquals,
    /// The path projects a list with at least one value equal to the expected string.
    AnyStringEquals,
}
