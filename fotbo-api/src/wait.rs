//! Waiting for a resource to reach a state, by polling with backoff.

use std::fmt;
use std::future::Future;
use std::time::{Duration, Instant};

#[cfg(fotbo_helper = "wait_for_instance_status")]
use crate::client::Client;
use crate::error::Error;

/// How to poll: the first interval, the growth factor and the cap.
#[derive(Debug, Clone, PartialEq)]
pub struct PollOptions {
    /// Wait before the second look.
    pub initial_interval: Duration,
    /// Longest wait between two looks.
    pub max_interval: Duration,
    /// Each wait is the previous one times this (≥ 1).
    pub factor: f64,
    /// Give up after this long.
    pub timeout: Duration,
}

impl PollOptions {
    /// 1 s growing by half each time to at most 15 s: instances take tens of seconds to boot,
    /// and polling faster only spends API quota.
    pub fn with_timeout(timeout: Duration) -> Self {
        PollOptions {
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            factor: 1.5,
            timeout,
        }
    }
}

/// What one look found.
#[derive(Debug)]
pub enum Poll<T> {
    /// Done, with the value.
    Ready(T),
    /// Not yet; the status seen, for the timeout message.
    Pending(Option<String>),
}

/// Looks with `probe` until it says [`Poll::Ready`], an error comes back, or the time is up
/// (then [`Error::WaitTimeout`] with the last status seen). `what` names the wait in errors.
pub async fn poll_until<T, F, Fut>(
    what: &str,
    options: &PollOptions,
    mut probe: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<Poll<T>, Error>>,
{
    let started = Instant::now();
    let mut interval = options.initial_interval;
    let mut last_status = None;
    let timed_out = |last_status| Error::WaitTimeout {
        what: what.to_string(),
        waited: started.elapsed(),
        last_status,
    };
    loop {
        // A probe gets only what is left of the wait: a slow answer cannot stretch it.
        let left = options.timeout.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, probe()).await {
            Ok(outcome) => match outcome? {
                Poll::Ready(value) => return Ok(value),
                Poll::Pending(status) => last_status = status.or(last_status),
            },
            Err(_) => return Err(timed_out(last_status)),
        }
        let left = options.timeout.saturating_sub(started.elapsed());
        if left.is_zero() {
            return Err(timed_out(last_status));
        }
        tokio::time::sleep(interval.min(left)).await;
        interval = next_interval(interval, options);
    }
}

/// The interval after `interval`: grown by the factor, at most `max_interval` — whatever the
/// options hold (an infinite or NaN factor, a huge interval) this neither panics nor overflows.
fn next_interval(interval: Duration, options: &PollOptions) -> Duration {
    let factor = if options.factor.is_finite() {
        options.factor.max(1.0)
    } else {
        // An infinite factor jumps to the longest interval; NaN keeps the interval.
        return if options.factor.is_nan() {
            interval.min(options.max_interval)
        } else {
            options.max_interval
        };
    };
    Duration::try_from_secs_f64(interval.as_secs_f64() * factor)
        .unwrap_or(options.max_interval)
        .min(options.max_interval)
}

/// The states of an instance (OpenStack's, as Fotbo reports them in `status`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InstanceStatus {
    /// Running.
    Active,
    /// Stopped.
    Stopped,
    /// Shelved and offloaded.
    ShelvedOffloaded,
    /// Booted from a rescue image.
    Rescued,
    /// Waiting for a resize to be confirmed.
    VerifyResize,
    /// Any other status, as the API spells it.
    Other(String),
}

impl InstanceStatus {
    /// The status as the API spells it.
    pub fn as_str(&self) -> &str {
        match self {
            InstanceStatus::Active => "active",
            InstanceStatus::Stopped => "stopped",
            InstanceStatus::ShelvedOffloaded => "shelved_offloaded",
            InstanceStatus::Rescued => "rescued",
            InstanceStatus::VerifyResize => "verify_resize",
            InstanceStatus::Other(s) => s,
        }
    }
}

impl fmt::Display for InstanceStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The instance as `instances_retrieve` answers it, whatever the spec names that type.
#[cfg(fotbo_helper = "wait_for_instance_status")]
pub type InstanceDetails = crate::generated::results::InstancesRetrieve;

/// A text field of a generated value, read through its JSON form, so that this code needs no
/// field of any particular generated type (the spec may name and shape them differently).
#[cfg(fotbo_helper = "wait_for_instance_status")]
fn text_field<T: serde::Serialize>(value: &T, field: &str) -> Option<String> {
    serde_json::to_value(value)
        .ok()?
        .get(field)?
        .as_str()
        .map(str::to_string)
}

// Compiled only when the spec has `instances_retrieve` with an `instance_id` (see build.rs).
#[cfg(fotbo_helper = "wait_for_instance_status")]
impl Client {
    /// Polls an instance until its `status` is `wanted`. An instance in status `error` ends
    /// the wait at once with [`Error::ResourceFailed`]; running out of time gives
    /// [`Error::WaitTimeout`] with the last status seen.
    pub async fn wait_for_instance_status(
        &self,
        id: &str,
        wanted: InstanceStatus,
        timeout: Duration,
    ) -> Result<InstanceDetails, Error> {
        self.wait_for_instance_status_with(id, wanted, &PollOptions::with_timeout(timeout))
            .await
    }

    /// [`Client::wait_for_instance_status`] with explicit polling options.
    pub async fn wait_for_instance_status_with(
        &self,
        id: &str,
        wanted: InstanceStatus,
        options: &PollOptions,
    ) -> Result<InstanceDetails, Error> {
        let what = format!("instance {id} to become {wanted}");
        poll_until(&what, options, || async {
            let details = self
                .instances_retrieve()
                .instance_id(id)
                .send()
                .await?
                .into_inner();
            let status = text_field(&details, "status").unwrap_or_default();
            if status.eq_ignore_ascii_case(wanted.as_str()) {
                Ok(Poll::Ready(details))
            } else if status.eq_ignore_ascii_case("error") {
                Err(Error::ResourceFailed {
                    what: format!("instance {id}"),
                    status,
                    detail: text_field(&details, "display_status"),
                })
            } else {
                Ok(Poll::Pending(Some(status)))
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_never_panic_or_overflow() {
        let options = |factor: f64, max: Duration| PollOptions {
            initial_interval: Duration::from_secs(1),
            max_interval: max,
            factor,
            timeout: Duration::from_secs(10),
        };
        let big = Duration::MAX;
        assert_eq!(
            next_interval(Duration::from_secs(1), &options(f64::INFINITY, big)),
            big
        );
        assert_eq!(
            next_interval(Duration::from_secs(1), &options(f64::NAN, big)),
            Duration::from_secs(1)
        );
        assert_eq!(next_interval(big, &options(2.0, big)), big);
        assert_eq!(
            next_interval(Duration::from_secs(1), &options(-3.0, big)),
            Duration::from_secs(1)
        );
        assert_eq!(
            next_interval(
                Duration::from_secs(4),
                &options(1.5, Duration::from_secs(5))
            ),
            Duration::from_secs(5)
        );
    }

    #[tokio::test]
    async fn a_slow_probe_does_not_stretch_the_wait() {
        let options = PollOptions {
            initial_interval: Duration::from_millis(10),
            max_interval: Duration::from_millis(10),
            factor: f64::INFINITY,
            timeout: Duration::from_millis(200),
        };
        let started = Instant::now();
        let outcome: Result<(), Error> = poll_until("x", &options, || async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            Ok(Poll::Pending(Some("building".into())))
        })
        .await;
        assert!(matches!(outcome, Err(Error::WaitTimeout { .. })));
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    }
}
