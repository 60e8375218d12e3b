//! What the runtime knows of one call, apart from the request itself: which operation it is,
//! how many attempts it took, and the error body it read (bounded). Errors are built from
//! this; it depends on nothing else of the crate but the generated operation table, so that
//! `error` and `runtime` do not depend on each other in a circle.

use std::fmt;

use bytes::Bytes;
use reqwest::Response;

use crate::generated::OPERATIONS;

/// The operation a request was for: its operationId, method and path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The generated method's name, e.g. `instances_retrieve`.
    pub id: String,
    /// HTTP method.
    pub method: String,
    /// Path template, e.g. `/backend/api/openstack/instances/{instance_id}`.
    pub path: String,
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} ({})", self.method, self.path, self.id)
    }
}

/// Attached to every response the runtime hands back, so that errors can name the operation
/// and show Fotbo's message without another read of the body.
#[derive(Debug, Clone)]
pub(crate) struct CallInfo {
    pub(crate) operation: Operation,
    pub(crate) attempts: u32,
    /// The body of an error response, or its first [`ERROR_BODY_LIMIT`] bytes (empty for
    /// successes, whose body is left to the caller).
    pub(crate) body: Bytes,
    /// Whether `body` is all of it.
    pub(crate) body_size: BodySize,
}

/// The operation with this id, from the generated table.
pub(crate) fn operation(id: &str) -> Operation {
    match OPERATIONS.binary_search_by(|(op, _, _)| (*op).cmp(id)) {
        Ok(i) => {
            let (id, method, path) = OPERATIONS[i];
            Operation {
                id: id.into(),
                method: method.into(),
                path: path.into(),
            }
        }
        Err(_) => Operation {
            id: id.into(),
            method: "?".into(),
            path: "?".into(),
        },
    }
}

/// How much of an error body is kept.
pub(crate) const ERROR_BODY_LIMIT: usize = 16 * 1024;

/// Reads a body up to `limit` bytes, stopping there; the bytes read and, when it stopped
/// early, how large the body was (its declared length, or `None` when unknown) — `Err` only
/// for transport failures.
pub(crate) async fn read_at_most(
    mut response: Response,
    limit: usize,
) -> reqwest::Result<(Bytes, BodySize)> {
    let declared = response.content_length();
    let mut body = bytes::BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit.saturating_sub(body.len());
        if chunk.len() > room {
            body.extend_from_slice(&chunk[..room]);
            return Ok((body.freeze(), BodySize::Cut { declared }));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body.freeze(), BodySize::Whole))
}

/// Whether a body was read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodySize {
    /// Read to its end.
    Whole,
    /// Cut at the limit; the declared length, when the server sent one.
    Cut {
        /// `Content-Length`, if any.
        declared: Option<u64>,
    },
}
