//! When to try a request again, and how long to wait first.
//!
//! - `429 Too Many Requests` is retried for every method (the server did not act on it), after
//!   exactly the `Retry-After` it sent (seconds or an HTTP date).
//! - `502`, `503`, `504` and broken connections are retried with exponential backoff and jitter,
//!   but by default only for idempotent methods: a POST or PATCH that may have reached the server
//!   is not replayed (it could create a duplicate) unless [`RetryPolicy::retry_non_idempotent`].
//!   A connection that could not even be opened is retried for every method.
//! - Attempts and the total wait are bounded; a wait that would exceed the budget is not started
//!   and the last answer is returned instead.

use std::hash::{BuildHasher, Hasher};
use std::time::Duration;

use reqwest::Method;

/// How the client retries. The default: up to 4 retries, backoff from 1 s doubling to at most
/// 30 s, at most 5 minutes of waiting in all, idempotent methods only for server errors.
/// A `429` always waits exactly its `Retry-After`, whatever the method.
///
/// ```no_run
/// use std::time::Duration;
///
/// use client_runtime::{Client, RetryPolicy};
///
/// let patient = RetryPolicy::default()
///     .max_retries(8)
///     .initial_backoff(Duration::from_millis(500))
///     .max_backoff(Duration::from_secs(60));
/// let client = Client::builder()
///     .base_url("https://api.example.com/v1")
///     .retry_policy(patient)
///     .build()?;
///
/// // In tests, fail fast instead.
/// let impatient = Client::builder().retry_policy(RetryPolicy::none()).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_retries: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_total_wait: Duration,
    retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(30),
            max_total_wait: Duration::from_secs(300),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// At most this many retries after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first backoff; each later one doubles, up to [`max_backoff`](Self::max_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest single backoff.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The most time spent waiting between attempts of one request, `Retry-After` included.
    pub fn max_total_wait(mut self, wait: Duration) -> Self {
        self.max_total_wait = wait;
        self
    }

    /// Also retry POST and PATCH after a server error or a broken connection, accepting that
    /// the server may then act twice.
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry_non_idempotent = retry;
        self
    }

    pub(crate) fn max_retries_value(&self) -> u32 {
        self.max_retries
    }

    pub(crate) fn max_total_wait_value(&self) -> Duration {
        self.max_total_wait
    }

    /// Whether a request with `method` may be sent again after it may have reached the server.
    pub(crate) fn may_replay(&self, method: &Method) -> bool {
        self.retry_non_idempotent || is_idempotent(method)
    }

    /// The backoff before retry number `retry` (0-based): exponential, with "equal jitter" (half
    /// fixed, half random) so that many clients do not retry in lockstep.
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let exponential = self
            .initial_backoff
            .saturating_mul(1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX));
        let capped = exponential.min(self.max_backoff);
        let half = capped / 2;
        half + half.mul_f64(random_fraction())
    }
}

fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// A number in [0, 1) that differs between calls; jitter needs no better randomness than this.
fn random_fraction() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap_with_jitter() {
        let policy = RetryPolicy::default();
        for (retry, full) in [(0, 1), (1, 2), (2, 4), (3, 8), (4, 16), (5, 30), (40, 30)] {
            let wait = policy.backoff(retry);
            let full = Duration::from_secs(full);
            assert!(wait >= full / 2 && wait <= full, "retry {retry}: {wait:?}");
        }
    }

    #[test]
    fn only_idempotent_methods_are_replayed_by_default() {
        let policy = RetryPolicy::default();
        assert!(
            policy.may_replay(&Method::GET)
                && policy.may_replay(&Method::PUT)
                && policy.may_replay(&Method::DELETE)
        );
        assert!(!policy.may_replay(&Method::POST) && !policy.may_replay(&Method::PATCH));
        assert!(policy.retry_non_idempotent(true).may_replay(&Method::POST));
    }
}
