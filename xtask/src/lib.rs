//! The maintenance tasks behind `cargo xtask`: fetch the published spec, regenerate the client
//! and report drift, run the generator on any spec, benchmark, package the publishable crates.

pub mod bench;
pub mod changelog;
pub mod corpus;
pub mod drift;
pub mod extract;
pub mod fetch;
pub mod generate;
pub mod learn;
pub mod package;
pub mod paths;
pub mod regen;
pub mod synthetic;
