//! What is retried, when, and how long to wait in between.

use std::time::{Duration, SystemTime};

use rand::Rng;
use reqwest::{Method, StatusCode};

/// When a failed request is sent again.
///
/// Only idempotent requests (GET, HEAD, PUT, DELETE, OPTIONS) are retried, on connection
/// failures, timeouts and the statuses 429, 502, 503 and 504. POST never is: Fotbo's POSTs
/// create and act (a repeated "create instance" buys a second instance), and the API has no
/// idempotency keys that would make a repeat safe.
///
/// The wait before attempt *n* + 1 is the server's `Retry-After` when it sends one (honored
/// as given, however long, as long as it fits the budget), otherwise `initial_backoff × 2ⁿ⁻¹`
/// capped at `max_backoff`, with "equal jitter" (a random half of it added to the other half)
/// so that many clients do not retry in step. `max_elapsed` bounds the whole operation: no
/// attempt starts that the budget cannot see through (a `Retry-After` beyond it ends the
/// retries at once, and the error carries it), and each attempt's timeout is the smaller of its
/// own and what is left of the budget. Retrying stops after `max_attempts` attempts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The wait after the first failure, before jitter.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts of the client's own choosing (a server's
    /// `Retry-After` is honored beyond it, within `max_elapsed`).
    pub max_backoff: Duration,
    /// The whole operation, every attempt and wait included, ends within this.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    /// 4 attempts, 500 ms doubling to at most 8 s, 30 s in all: rides out a load balancer
    /// restart or a short overload (a few seconds of 502/503) without stalling a caller for
    /// minutes.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether requests with this method may be retried at all.
    pub fn may_retry(method: &Method) -> bool {
        matches!(
            *method,
            Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS
        )
    }

    /// Whether this status is worth another attempt.
    pub fn retryable_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 502 | 503 | 504)
    }

    /// The shortest time an attempt is given: a retry that would have less is not started.
    pub(crate) const MIN_ATTEMPT: Duration = Duration::from_millis(500);

    /// The wait after failed attempt `attempt` (1-based), before `Retry-After` is considered.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let full = self
            .initial_backoff
            .saturating_mul(1u32 << exp)
            .min(self.max_backoff);
        let half = full / 2;
        let jitter_ms = u64::try_from(half.as_millis()).unwrap_or(u64::MAX);
        half + Duration::from_millis(rand::rng().random_range(0..=jitter_ms))
    }
}

/// Whether a transport failure happened before an answer arrived, so that sending the
/// request again may succeed: no connection could be made, the attempt timed out, or the
/// connection closed or was reset before the response came — the everyday race of a pooled
/// keep-alive connection that the server, or a proxy in front of it, closes just as the next
/// request goes out on it. Decided from the kinds hyper and the OS report, walked through the
/// error's causes. One rule for both the retry loop and [`crate::Error::is_retryable`].
///
/// A failure after the response began (a body cut short) is not one: the server answered.
pub(crate) fn transient(error: &reqwest::Error) -> bool {
    use std::error::Error as _;
    use std::io::ErrorKind;
    if error.is_connect() || error.is_timeout() {
        return true;
    }
    if error.is_body() || error.is_decode() || error.is_builder() || error.is_redirect() {
        return false;
    }
    let mut cause = error.source();
    while let Some(c) = cause {
        if let Some(h) = c.downcast_ref::<hyper::Error>() {
            // Closed before the message completed, or before the request could be sent.
            if h.is_incomplete_message() || h.is_canceled() || h.is_closed() {
                return true;
            }
        }
        if let Some(io) = c.downcast_ref::<std::io::Error>() {
            if matches!(
                io.kind(),
                ErrorKind::ConnectionReset
                    | ErrorKind::ConnectionAborted
                    | ErrorKind::BrokenPipe
                    | ErrorKind::UnexpectedEof
                    | ErrorKind::NotConnected
            ) {
                return true;
            }
        }
        cause = c.source();
    }
    false
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
pub(crate) fn retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_idempotent_methods_and_transient_statuses() {
        assert!(RetryPolicy::may_retry(&Method::GET));
        assert!(RetryPolicy::may_retry(&Method::DELETE));
        assert!(!RetryPolicy::may_retry(&Method::POST));
        assert!(!RetryPolicy::may_retry(&Method::PATCH));
        for s in [429, 502, 503, 504] {
            assert!(RetryPolicy::retryable_status(
                StatusCode::from_u16(s).unwrap()
            ));
        }
        for s in [400, 401, 404, 409, 500, 501] {
            assert!(!RetryPolicy::retryable_status(
                StatusCode::from_u16(s).unwrap()
            ));
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_and_is_capped() {
        let p = RetryPolicy::default();
        for _ in 0..50 {
            let first = p.backoff(1);
            assert!(
                first >= Duration::from_millis(250) && first <= Duration::from_millis(500),
                "{first:?}"
            );
            let third = p.backoff(3);
            assert!(
                third >= Duration::from_secs(1) && third <= Duration::from_secs(2),
                "{third:?}"
            );
            assert!(p.backoff(30) <= p.max_backoff);
        }
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        assert_eq!(retry_after("7", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(retry_after(&later, now), Some(Duration::from_secs(30)));
        let past = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(retry_after(&past, now), Some(Duration::ZERO));
        assert_eq!(retry_after("soon", now), None);
    }
}
