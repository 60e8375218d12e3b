//! What happens to every request between the generated method and the wire: the
//! authorization header, only documented headers, retries, tracing, and reading error bodies
//! so that [`crate::Error`] can say what went wrong.
//!
//! It hooks into the generated client through progenitor's `ClientHooks` (the generator is
//! set to require this implementation, so no request can bypass it).

use std::fmt;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use progenitor_client::{ClientHooks, ClientInfo, OperationInfo};
use reqwest::header::{HeaderValue, AUTHORIZATION, RETRY_AFTER, USER_AGENT};
use reqwest::{Request, Response};
use tracing::{field, Instrument};

use crate::auth::Token;
use crate::call::{operation, read_at_most, BodySize, CallInfo, Operation, ERROR_BODY_LIMIT};
use crate::error::Error;
use crate::generated;
use crate::retry::{retry_after, RetryPolicy};

/// State the generated client carries for the hooks (progenitor's "inner" value).
#[derive(Clone)]
pub struct Runtime {
    pub(crate) token: Token,
    pub(crate) user_agent: HeaderValue,
    pub(crate) retry: RetryPolicy,
    /// The per-attempt timeout the HTTP client was built with (None: the caller's own client).
    pub(crate) timeout: Option<Duration>,
    /// The largest success body read (see `ClientBuilder::max_response_body`).
    pub(crate) max_body: usize,
    /// Whether a response value that does not fit its type fails the call (see `decode`).
    pub(crate) strict_decoding: bool,
    /// Where what answers hold beyond the spec is recorded (see `wire`).
    pub(crate) wire: Option<std::sync::Arc<crate::wire::WireRecord>>,
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("token", &self.token)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("strict_decoding", &self.strict_decoding)
            .field("wire", &self.wire)
            .finish()
    }
}

impl ClientHooks<Runtime> for generated::Client {
    async fn pre<E>(
        &self,
        request: &mut Request,
        _info: &OperationInfo,
    ) -> Result<(), progenitor_client::Error<E>> {
        authorize(self.inner(), request);
        Ok(())
    }

    async fn exec(&self, request: Request, info: &OperationInfo) -> reqwest::Result<Response> {
        execute(
            self.client(),
            &self.inner().retry,
            self.inner().timeout,
            request,
            operation(info.operation_id),
        )
        .await
    }
}

/// The headers every request carries: the token and the user agent.
fn authorize(runtime: &Runtime, request: &mut Request) {
    let headers = request.headers_mut();
    headers.insert(AUTHORIZATION, runtime.token.header().clone());
    headers.insert(USER_AGENT, runtime.user_agent.clone());
}

/// Sends a request built by hand (for what no generated method can send) through the same
/// runtime: authorization, retries per the policy, tracing, error decoding.
pub(crate) async fn send(
    client: &generated::Client,
    mut request: Request,
    op: Operation,
) -> Result<Response, Error> {
    authorize(client.inner(), &mut request);
    let response = execute(
        client.client(),
        &client.inner().retry,
        client.inner().timeout,
        request,
        op.clone(),
    )
    .await
    .map_err(|source| Error::Transport {
        operation: Some(op),
        url: source.url().map(ToString::to_string),
        source,
    })?;
    if response.status().is_success() {
        Ok(response)
    } else {
        Err(crate::error::from_response(response))
    }
}

/// Sends a request, retrying per the policy, inside a tracing span.
async fn execute(
    client: &reqwest::Client,
    policy: &RetryPolicy,
    timeout: Option<Duration>,
    request: Request,
    op: Operation,
) -> reqwest::Result<Response> {
    let span = tracing::info_span!(
        "fotbo.request",
        operation = op.id.as_str(),
        method = %request.method(),
        path = %op.path,
        status = field::Empty,
        attempt = field::Empty,
        duration_ms = field::Empty,
    );
    async move {
        let started = Instant::now();
        let retry_allowed = RetryPolicy::may_retry(request.method());
        let mut current = request;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            // Each attempt gets the smaller of its own timeout and what is left of the budget.
            let left = policy.max_elapsed.saturating_sub(started.elapsed());
            let own = current.timeout().copied().or(timeout);
            *current.timeout_mut() = Some(own.map_or(left, |t| t.min(left)));
            // Keep a copy for the next attempt; a streaming body cannot be copied, and then
            // this attempt is the last.
            let next = if retry_allowed {
                current.try_clone()
            } else {
                None
            };
            let outcome = client.execute(current).await;
            let span = tracing::Span::current();
            span.record("attempt", attempt);
            span.record(
                "duration_ms",
                u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            );
            let wait = match &outcome {
                Ok(r) => {
                    span.record("status", r.status().as_u16());
                    RetryPolicy::retryable_status(r.status()).then(|| {
                        r.headers()
                            .get(RETRY_AFTER)
                            .and_then(|v| v.to_str().ok())
                            .and_then(|v| retry_after(v, SystemTime::now()))
                            .unwrap_or_else(|| policy.backoff(attempt))
                    })
                }
                Err(e) if crate::retry::transient(e) => Some(policy.backoff(attempt)),
                Err(_) => None,
            };
            // A retry starts only if, after the wait, the budget still gives it a fair chance.
            let budget_left = policy.max_elapsed.saturating_sub(started.elapsed());
            match (wait, next) {
                (Some(wait), Some(next))
                    if attempt < policy.max_attempts
                        && wait.saturating_add(RetryPolicy::MIN_ATTEMPT) <= budget_left =>
                {
                    tracing::debug!(
                        attempt,
                        wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    current = next;
                }
                _ => return finish(outcome, op, attempt).await,
            }
        }
    }
    .instrument(span)
    .await
}

/// Attaches the [`CallInfo`]; for an error status reads the body first, so that converting
/// the error needs no I/O.
async fn finish(
    outcome: reqwest::Result<Response>,
    operation: Operation,
    attempts: u32,
) -> reqwest::Result<Response> {
    let mut response = outcome?;
    // A success, or a protocol switched (a websocket): the body, or the connection, is the
    // caller's.
    if response.status().is_success()
        || response.status() == reqwest::StatusCode::SWITCHING_PROTOCOLS
    {
        response.extensions_mut().insert(CallInfo {
            operation,
            attempts,
            body: Bytes::new(),
            body_size: BodySize::Whole,
        });
        return Ok(response);
    }
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    // An error body is read for its message only: the first KiBs, never the whole of a huge
    // one (the rest is not even received).
    let (body, body_size) = read_at_most(response, ERROR_BODY_LIMIT).await?;
    let mut rebuilt = http::Response::new(body.clone());
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    rebuilt.extensions_mut().insert(CallInfo {
        operation,
        attempts,
        body,
        body_size,
    });
    Ok(Response::from(rebuilt))
}
