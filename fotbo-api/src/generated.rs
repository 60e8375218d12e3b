//! The code generated from the spec by `build.rs` (never edited by hand): [`Client`] with one
//! method per operation, the request [`builder`]s and the [`types`].
//!
//! Use it through [`crate::Client`], which adds construction, authentication and retries.

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

include!(concat!(env!("OUT_DIR"), "/fotbo.rs"));
