//! The one error type of the SDK.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;
use serde_json::Value;

pub use crate::call::Operation;
use crate::call::{BodySize, CallInfo};

/// A `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What Fotbo said about a failed request.
#[derive(Clone, PartialEq)]
pub enum ApiMessage {
    /// `{"detail": "…"}`, Fotbo's usual error body.
    Detail(String),
    /// Validation errors per field, e.g. `{"name": ["This field is required."]}`.
    Fields(BTreeMap<String, Vec<String>>),
    /// Some other JSON body.
    Json(Value),
    /// A body that is not JSON (an HTML 502 page from a proxy, say), as text.
    Text(String),
    /// No body.
    Empty,
}

impl ApiMessage {
    /// Decodes an error body.
    pub fn decode(body: &[u8]) -> Self {
        if body.iter().all(u8::is_ascii_whitespace) {
            return ApiMessage::Empty;
        }
        let Ok(json) = serde_json::from_slice::<Value>(body) else {
            return ApiMessage::Text(String::from_utf8_lossy(body).into_owned());
        };
        match &json {
            Value::Object(map) => {
                if let Some(Value::String(detail)) = map.get("detail") {
                    return ApiMessage::Detail(detail.clone());
                }
                let mut fields = BTreeMap::new();
                for (key, value) in map {
                    let messages = flatten_messages(value);
                    if messages.is_empty() {
                        return ApiMessage::Json(json);
                    }
                    fields.insert(key.clone(), messages);
                }
                if fields.is_empty() {
                    ApiMessage::Json(json)
                } else {
                    ApiMessage::Fields(fields)
                }
            }
            Value::String(s) => ApiMessage::Detail(s.clone()),
            // DRF's ValidationError("…") raised outside a serializer (the DNS operations):
            // a top-level list of messages.
            Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
                ApiMessage::Detail(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            }
            _ => ApiMessage::Json(json),
        }
    }
}

/// Field errors are lists of strings, sometimes nested (`{"fixed_ips": [{"ip_address": […]}]}`).
fn flatten_messages(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(flatten_messages).collect(),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| {
                flatten_messages(v)
                    .into_iter()
                    .map(move |m| format!("{k}: {m}"))
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// How much of a body an error message shows; the whole body stays in the error.
const SHOWN: usize = 300;

/// Server text as an error message shows it: on one line, bounded, control characters
/// escaped (see `text`).
fn shorten(text: &str) -> String {
    crate::text::one_line(text, SHOWN)
}

impl fmt::Display for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiMessage::Detail(d) => f.write_str(&shorten(d)),
            ApiMessage::Fields(fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.join(" ")))
                    .collect();
                f.write_str(&shorten(&parts.join("; ")))
            }
            ApiMessage::Json(v) => f.write_str(&shorten(&v.to_string())),
            ApiMessage::Text(t) => write!(f, "non-JSON body: {}", shorten(t)),
            ApiMessage::Empty => f.write_str("no body"),
        }
    }
}

/// An error status from Fotbo, with what it said.
#[derive(Clone, thiserror::Error)]
#[error("{operation}: HTTP {status}{}: {message}{}", attempts_note(*attempts), cut_note(*body_cut, .body.len()))]
pub struct ApiError {
    /// The operation.
    pub operation: Operation,
    /// The status Fotbo answered with.
    pub status: StatusCode,
    /// Fotbo's message, decoded.
    pub message: ApiMessage,
    /// The raw body.
    pub body: Bytes,
    /// How many attempts were made (more than one when retried).
    pub attempts: u32,
    /// Whether `body` is only the first part of a larger body (the declared length, if any).
    pub body_cut: Option<Option<u64>>,
    /// The server's `Retry-After`, when it sent one (with 429 or 503, say): how long it asked
    /// to wait before trying again.
    pub retry_after: Option<Duration>,
}

/// How much of a body `Debug` shows: an error's Debug is what most logging prints, and a
/// 1 MiB HTML error page must not become a 1 MB log line.
const DEBUG_EXCERPT: usize = 200;

/// A body as `Debug` shows it: its length and a bounded, escaped excerpt.
struct BodyExcerpt<'a>(&'a [u8]);

impl fmt::Debug for BodyExcerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from_utf8_lossy(self.0);
        write!(
            f,
            "<{} bytes: {:?}>",
            self.0.len(),
            crate::text::one_line(&text, DEBUG_EXCERPT)
        )
    }
}

impl fmt::Debug for ApiMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiMessage::Detail(d) => f.debug_tuple("Detail").field(d).finish(),
            ApiMessage::Fields(fields) => f.debug_tuple("Fields").field(fields).finish(),
            // What may be a whole page is shown as its length and an excerpt.
            ApiMessage::Json(v) => f
                .debug_tuple("Json")
                .field(&BodyExcerpt(v.to_string().as_bytes()))
                .finish(),
            ApiMessage::Text(t) => f
                .debug_tuple("Text")
                .field(&BodyExcerpt(t.as_bytes()))
                .finish(),
            ApiMessage::Empty => f.write_str("Empty"),
        }
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("message", &self.message)
            .field("body", &BodyExcerpt(&self.body))
            .field("attempts", &self.attempts)
            .field("body_cut", &self.body_cut)
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

/// What a transport failure was, in words: reqwest's own ("error sending request",
/// "builder error") say little.
fn transport_message(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    // The innermost cause usually names the real problem (connection refused, DNS, TLS …).
    let mut cause = e.source();
    let mut innermost = None;
    while let Some(c) = cause {
        innermost = Some(c.to_string());
        cause = c.source();
    }
    // A cause can quote what the server sent (a header it could not read): escaped.
    let detail = innermost
        .map(|c| format!(": {}", crate::text::escaped(&c)))
        .unwrap_or_default();
    if e.is_timeout() {
        let phase = if e.is_body() || e.is_decode() {
            "while reading the response body"
        } else {
            "before the response arrived"
        };
        format!("timed out {phase} (the attempt's timeout, or what was left of the retry budget, ran out)")
    } else if e.is_redirect() {
        format!("too many redirects (or a redirect loop){detail}")
    } else if e.is_connect() {
        format!("cannot connect{detail}")
    } else if e.is_builder() {
        match e.url().map(|u| u.scheme().to_string()) {
            Some(scheme) if scheme != "http" && scheme != "https" => {
                format!("unsupported URL scheme `{scheme}` (http and https only)")
            }
            _ => format!("the request could not be built{detail}"),
        }
    } else if e.is_body() || e.is_decode() {
        format!("the response body could not be read{detail}")
    } else if crate::retry::transient(e) {
        format!("the connection closed before the answer arrived{detail}")
    } else {
        format!(
            "request failed: {}{detail}",
            crate::text::escaped(&e.to_string())
        )
    }
}

fn cut_note(cut: Option<Option<u64>>, kept: usize) -> String {
    match cut {
        None => String::new(),
        Some(Some(total)) => format!(" (body of {total} bytes; the first {kept} kept)"),
        Some(None) => format!(" (body longer than the {kept} bytes kept)"),
    }
}

fn attempts_note(attempts: u32) -> String {
    if attempts > 1 {
        format!(" after {attempts} attempts")
    } else {
        String::new()
    }
}

/// A successful answer whose body could not be decoded: not JSON, empty where data is needed,
/// or a value that does not fit where nothing can be left out (a required field at the top of
/// the body); with strict decoding, any value that does not fit.
#[derive(Clone, thiserror::Error)]
#[error("{}response body does not fit its documented type{}: {}; body: {}", .operation.as_ref().map(|o| format!("{o}: ")).unwrap_or_default(), if .pointer.is_empty() { String::new() } else { format!(" at {}", crate::text::escaped(.pointer)) }, crate::text::escaped(.message), shorten(&String::from_utf8_lossy(body)))]
pub struct DecodeError {
    /// The operation, when known.
    pub operation: Option<Operation>,
    /// JSON pointer to the value at fault (empty: the whole body).
    pub pointer: String,
    /// What is wrong.
    pub message: String,
    /// The raw body.
    pub body: Bytes,
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("operation", &self.operation)
            .field("pointer", &self.pointer)
            .field("message", &self.message)
            .field("body", &BodyExcerpt(&self.body))
            .finish()
    }
}

/// Everything that can go wrong. Display prints the whole chain on one line; server text in
/// it has its control characters escaped, and `Debug` shows bodies as their length and a
/// bounded excerpt.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The client could not be configured (missing token, bad URL …).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// Fotbo answered with an error status (boxed: it is the largest variant).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// Fotbo answered with a success status the spec does not document for this operation.
    #[error("{}undocumented success status {status}", .operation.as_ref().map(|o| format!("{o}: ")).unwrap_or_default())]
    UnexpectedStatus {
        /// The operation.
        operation: Option<Operation>,
        /// The status.
        status: StatusCode,
    },
    /// The request did not reach Fotbo, or the answer did not arrive.
    #[error("{}{}{}", .operation.as_ref().map(|o| format!("{o}: ")).unwrap_or_default(), .url.as_deref().map(|u| format!("{u}: ")).unwrap_or_default(), transport_message(source))]
    Transport {
        /// The operation, when known.
        operation: Option<Operation>,
        /// The URL, when known.
        url: Option<String>,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A successful answer whose body could not be decoded (boxed: a large variant).
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// A success body larger than the client's limit (`ClientBuilder::max_response_body`):
    /// reading stopped there.
    #[error("{operation}: the response body is larger than the {limit}-byte limit{}", .declared.map(|d| format!(" ({d} bytes declared)")).unwrap_or_default())]
    BodyTooLarge {
        /// The operation.
        operation: Operation,
        /// The limit in force.
        limit: usize,
        /// The body's declared length, when the server sent one.
        declared: Option<u64>,
    },
    /// Walking a list went wrong: a page repeated (the server ignores `page`), or more items
    /// than the caller's limit.
    #[error("pagination: {0}")]
    Pagination(String),
    /// A request that could not be built (a parameter the builder rejected, say).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// A wait ran out of time.
    #[error("timed out after {:.1} s waiting for {what}; last status seen: {}", .waited.as_secs_f64(), .last_status.as_deref().map_or("none".into(), crate::text::escaped))]
    WaitTimeout {
        /// What was awaited.
        what: String,
        /// How long was waited.
        waited: Duration,
        /// The last status seen, if any.
        last_status: Option<String>,
    },
    /// A wait ended because the resource failed (an instance in status `error`).
    #[error("{what} failed: status `{}`{}", crate::text::escaped(.status), .detail.as_deref().map(|d| format!(" ({})", crate::text::escaped(d))).unwrap_or_default())]
    ResourceFailed {
        /// What was awaited.
        what: String,
        /// The failed status.
        status: String,
        /// More detail, when the API gives any.
        detail: Option<String>,
    },
}

impl Error {
    /// The HTTP status, for errors that have one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedStatus { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Whether trying again later may succeed: transient statuses, and transport failures
    /// before an answer arrived (no connection, a timeout, a connection closed or reset before
    /// the response). The client already retried idempotent requests per its
    /// [`crate::RetryPolicy`], deciding by the same rule.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(e) => crate::RetryPolicy::retryable_status(e.status),
            Error::Transport { source, .. } => crate::retry::transient(source),
            Error::WaitTimeout { .. } => true,
            _ => false,
        }
    }

    /// How long the server asked to wait before trying again (`Retry-After`), when it said.
    /// The client already honored it while the retry budget allowed; past the budget it gave
    /// up at once and left the wait to the caller.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api(e) => e.retry_after,
            _ => None,
        }
    }

    /// Fotbo's message, for API errors.
    pub fn api_message(&self) -> Option<&ApiMessage> {
        match self {
            Error::Api(e) => Some(&e.message),
            _ => None,
        }
    }
}

impl Error {
    /// Names the operation in an error that does not name it yet (a transport failure met
    /// before the runtime knew the answer, a decode error built from progenitor's).
    pub(crate) fn for_operation(self, operation_id: &str) -> Self {
        match self {
            Error::Transport {
                operation: None,
                url,
                source,
            } => Error::Transport {
                operation: Some(crate::call::operation(operation_id)),
                url,
                source,
            },
            Error::Decode(mut e) if e.operation.is_none() => {
                e.operation = Some(crate::call::operation(operation_id));
                Error::Decode(e)
            }
            Error::UnexpectedStatus {
                operation: None,
                status,
            } => Error::UnexpectedStatus {
                operation: Some(crate::call::operation(operation_id)),
                status,
            },
            other => other,
        }
    }
}

impl<E> From<progenitor_client::Error<E>> for Error {
    fn from(e: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match e {
            P::InvalidRequest(m) | P::Custom(m) => Error::InvalidRequest(m),
            P::CommunicationError(source)
            | P::ResponseBodyError(source)
            | P::InvalidUpgrade(source) => Error::Transport {
                operation: None,
                url: source.url().map(ToString::to_string),
                source,
            },
            P::InvalidResponsePayload(body, source) => Error::Decode(Box::new(DecodeError {
                operation: None,
                pointer: String::new(),
                message: source.to_string(),
                body,
            })),
            P::UnexpectedResponse(response) => from_response(response),
            P::ErrorResponse(value) => Error::UnexpectedStatus {
                operation: None,
                status: value.status(),
            },
        }
    }
}

/// Error statuses reach the caller as the whole response; the runtime has already read its
/// body and attached it, with the operation, as a [`CallInfo`].
pub(crate) fn from_response(response: reqwest::Response) -> Error {
    let status = response.status();
    let info = response.extensions().get::<CallInfo>().cloned();
    match info {
        Some(info) if !status.is_success() => Error::Api(Box::new(ApiError {
            operation: info.operation,
            status,
            message: ApiMessage::decode(&info.body),
            body: info.body,
            attempts: info.attempts,
            body_cut: match info.body_size {
                BodySize::Whole => None,
                BodySize::Cut { declared } => Some(declared),
            },
            retry_after: response
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| crate::retry::retry_after(v, std::time::SystemTime::now())),
        })),
        Some(info) => Error::UnexpectedStatus {
            operation: Some(info.operation),
            status,
        },
        None => Error::UnexpectedStatus {
            operation: None,
            status,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fotbo_bodies_decode() {
        assert_eq!(
            ApiMessage::decode(br#"{"detail": "Not found."}"#),
            ApiMessage::Detail("Not found.".into())
        );
        let fields = ApiMessage::decode(br#"{"name": ["This field is required."], "fixed_ips": [{"ip_address": ["Invalid."]}]}"#);
        assert_eq!(
            fields.to_string(),
            "fixed_ips: ip_address: Invalid.; name: This field is required."
        );
        let html = ApiMessage::decode(b"<html><body><h1>502 Bad Gateway</h1></body></html>");
        assert!(matches!(&html, ApiMessage::Text(t) if t.contains("502 Bad Gateway")));
        assert_eq!(ApiMessage::decode(b"  "), ApiMessage::Empty);
        assert!(matches!(ApiMessage::decode(b"[1, 2]"), ApiMessage::Json(_)));
        assert_eq!(
            ApiMessage::decode(br#"["Unable to list zones.", "Try later."]"#),
            ApiMessage::Detail("Unable to list zones.; Try later.".into())
        );
        assert!(matches!(
            ApiMessage::decode(br#"{"count": 3}"#),
            ApiMessage::Json(_)
        ));
    }

    #[test]
    fn long_bodies_are_shortened_in_messages_only() {
        let long = "x".repeat(1000);
        let m = ApiMessage::Text(long.clone());
        assert!(m.to_string().chars().count() < 400);
        assert!(matches!(m, ApiMessage::Text(t) if t == long));
    }
}
