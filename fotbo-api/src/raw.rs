//! Any request, for what the generated operations do not cover (an endpoint the spec lacks,
//! an operation the generator had to leave out): built by method and path, and sent through
//! the same runtime as every generated method — the token, retries by the same policy (GET,
//! HEAD, PUT, DELETE only), tracing, the body limit and the same error decoding.
//!
//! ```no_run
//! # async fn run(client: fotbo_api::Client) -> Result<(), fotbo_api::Error> {
//! let answer = client
//!     .request(fotbo_api::Method::GET, "/backend/api/openstack/instances")
//!     .query("page_size", "10")
//!     .send()
//!     .await?;
//! let page: serde_json::Value = answer.json()?;
//! # let _ = page;
//! # Ok(())
//! # }
//! ```

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::call::{read_at_most, BodySize, Operation};
use crate::client::Client;
use crate::error::Error;

/// The name a request built by hand goes by in errors and traces.
pub const RAW_OPERATION: &str = "request";

/// A request built by hand: see the module docs.
#[derive(Debug)]
pub struct RawRequest<'a> {
    client: &'a Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: Option<Bytes>,
    operation_id: String,
}

/// A successful answer to a [`RawRequest`]: its status, headers and body, read whole (up to
/// the client's body limit).
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status (a 2xx).
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl RawResponse {
    /// The body as JSON (an empty body is `null`); an error names the operation and shows
    /// the body.
    pub fn json(&self) -> Result<Value, Error> {
        crate::decode::decode_body::<Value>(&self.body, RAW_OPERATION, false).map(|(v, _)| v)
    }
}

impl Client {
    /// Starts a request to `path` (from the base URL: `/backend/api/…`) with `method`.
    pub fn request(&self, method: Method, path: impl Into<String>) -> RawRequest<'_> {
        RawRequest {
            client: self,
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            operation_id: RAW_OPERATION.to_string(),
        }
    }
}

impl RawRequest<'_> {
    /// Adds a query parameter.
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sends this JSON as the body.
    pub fn json(mut self, body: &Value) -> Self {
        self.body = Some(Bytes::from(body.to_string()));
        self
    }

    /// Names the request in errors and traces (default [`RAW_OPERATION`]): the operation
    /// it sends, when the caller knows it (the `fotbo` program names each command's).
    pub fn operation_id(mut self, id: impl Into<String>) -> Self {
        self.operation_id = id.into();
        self
    }

    /// The operation this request is, for errors and traces: its method and path.
    fn operation(&self) -> Operation {
        Operation {
            id: self.operation_id.clone(),
            method: self.method.to_string(),
            path: self.path.clone(),
        }
    }

    /// Sends the request; an error status is [`Error::Api`] with Fotbo's message.
    pub async fn send(self) -> Result<RawResponse, Error> {
        let operation = self.operation();
        let path = if self.path.starts_with('/') {
            self.path.clone()
        } else {
            format!("/{}", self.path)
        };
        let url = format!("{}{path}", self.client.base_url());
        let http = progenitor_client::ClientInfo::client(&**self.client);
        let mut builder = http
            .request(self.method.clone(), &url)
            .header(ACCEPT, HeaderValue::from_static("application/json"));
        if !self.query.is_empty() {
            builder = builder.query(&self.query);
        }
        if let Some(body) = self.body {
            builder = builder
                .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
                .body(body);
        }
        let request = builder.build().map_err(|e| {
            Error::InvalidRequest(format!("{operation}: cannot build the request: {e}"))
        })?;
        let response = crate::runtime::send(self.client, request, operation.clone()).await?;
        let status = response.status();
        let headers = response.headers().clone();
        let limit = progenitor_client::ClientInfo::inner(&**self.client).max_body;
        let (body, size) =
            read_at_most(response, limit)
                .await
                .map_err(|source| Error::Transport {
                    operation: Some(operation.clone()),
                    url: Some(url),
                    source,
                })?;
        if let BodySize::Cut { declared } = size {
            return Err(Error::BodyTooLarge {
                operation,
                limit,
                declared,
            });
        }
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }
}
