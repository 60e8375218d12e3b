//! Typed mocks for your tests (feature `mock`), generated at build time from the same spec as
//! the client: an [`httpmock`] server gains one method per operation ([`MockServerExt`]), whose
//! `when` matches that operation's method and path and offers one matcher per parameter and
//! body, and whose `then` offers one responder per documented success, each in the client's own
//! types — so a mock cannot answer with a body the client would not decode.
//!
//! ```no_run
//! use fotbo_api::mock::MockServerExt;
//! use fotbo_api::{results, Client};
//!
//! # async fn run() -> Result<(), fotbo_api::Error> {
//! let server = httpmock::MockServer::start_async().await;
//! let mock = server.instances_retrieve(|when, then| {
//!     when.instance_id("4f1c");
//!     // `results::X` names what operation `x` returns, whatever the spec calls the type.
//!     then.ok(&results::InstancesRetrieve { name: Some("web-1".into()), ..Default::default() });
//! });
//! let client = Client::builder().token("test").base_url(server.base_url()).build()?;
//! let instance = client.instances_retrieve().instance_id("4f1c").send().await?;
//! assert_eq!(instance.name.as_deref(), Some("web-1"));
//! mock.assert();
//! # Ok(())
//! # }
//! ```
//!
//! Each wrapper's `into_inner()` gives httpmock's own `When`/`Then` to go beyond what the spec
//! documents (an error status, a body the spec does not describe).

// Generated code: progenitor's httpmock generator writes `unwrap()` on regexes it builds
// itself, and `assert_eq!` on status ranges a test passes in.
#![allow(
    missing_docs,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    rustdoc::all,
    unused_imports
)]

pub use httpmock::MockServer;

include!(concat!(env!("OUT_DIR"), "/fotbo_mock.rs"));
