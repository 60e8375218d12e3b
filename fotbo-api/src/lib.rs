//! Rust SDK for the [Fotbo.com](https://fotbo.com) cloud API.
//!
//! The operations are generated at build time from Fotbo's published OpenAPI spec ("Specification
//! 1.0.5"); around them sits a small hand-written runtime: authentication, configuration,
//! errors that say what went wrong, safe retries, pagination and waiting.
//!
//! # Quickstart
//!
//! ```no_run
//! use fotbo_api::{Client, InstanceStatus, PagedRequest};
//! use std::time::Duration;
//!
//! # async fn run() -> Result<(), fotbo_api::Error> {
//! // FOTBO_TOKEN holds your API token; FOTBO_API_URL may point elsewhere than api.fotbo.com.
//! let client = Client::from_env()?;
//!
//! // Every operation is a method named after its route; parameters are set by name.
//! let regions = client.regions_list().send().await?;
//! println!("{} regions", regions.objects.len());
//!
//! // Any list request, filters and all, walks page by page (`.stream(n)` for a stream).
//! let instances = client.instances_list().ordering("name").collect_all(100).await?;
//! for instance in &instances {
//!     println!("{:?} {:?}", instance.name, instance.status);
//! }
//!
//! // Actions, then waiting for the instance to settle.
//! if let Some(id) = instances.first().and_then(|i| i.id.clone()) {
//!     client.instances_reboot().instance_id(&id).send().await?;
//!     client.wait_for_instance_status(&id, InstanceStatus::Active, Duration::from_secs(300)).await?;
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # Layout
//!
//! - [`Client`]: construction ([`Client::new`], [`Client::builder`], [`Client::from_env`]) and,
//!   through `Deref`, every generated operation of [`generated::Client`].
//! - [`types`]: request and response types; [`builder`]: the per-operation request builders.
//! - [`Error`]: the one error type; [`RetryPolicy`]: what is retried and how.
//! - `mock` (feature `mock`): a typed mock server for your tests, one method per operation.
//! - [`pagination`]: walking any list ([`PagedRequest::stream`]); [`wait`]: polling until a
//!   state is reached.
//!
//! Every `send()` returns `Result<`[`Response<T>`]`, `[`Error`]`>`: any 2xx is a success, and a
//! body value that does not fit its declared type is left out and kept in
//! [`Response::mismatches`] rather than failing the call (see [`decode`]). Errors decode Fotbo's
//! message.

#![deny(missing_docs)]

mod auth;
mod call;
mod client;
pub mod decode;
mod error;
pub mod extra;
pub mod generated;
#[cfg(feature = "mock")]
pub mod mock;
mod numbers;
pub mod pagination;
mod raw;
mod retry;
pub(crate) mod runtime;
mod text;
#[cfg(fotbo_helper = "upload_ticket_attachment")]
mod upload;
pub mod wait;
pub mod wire;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_RESPONSE_BODY};
pub use decode::{Extra, Mismatch, Response};
pub use error::{ApiError, ApiMessage, DecodeError, Error, Operation, Result};
pub use generated::{builder, results, types, OPERATIONS};
pub use pagination::{paginate, ListPage, PageRequest, PagedRequest};
pub use progenitor_client::ByteStream;
pub use raw::{RawRequest, RawResponse, RAW_OPERATION};
pub use reqwest::Method;
pub use retry::RetryPolicy;
pub use wait::{InstanceStatus, PollOptions};
