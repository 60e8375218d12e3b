//! How a run fails, and the exit code each way gets: 1 for the API, the network or a local
//! file, 2 for a command line that cannot be run as written (clap's own code for usage).

use std::fmt;

/// Why a run failed.
#[derive(Debug)]
pub enum Failure {
    /// What `fotbo_api` said: an error status with Fotbo's message, the network, a decode.
    Api(fotbo_api::Error),
    /// The command line: a value that does not read as its kind, a file for `@` missing.
    Usage(String),
    /// Anything else: the config file, waiting that ended in an error state.
    Other(String),
}

impl Failure {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) => 2,
            Failure::Api(_) | Failure::Other(_) => 1,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Api(e) => write!(f, "{e}"),
            Failure::Usage(m) | Failure::Other(m) => f.write_str(m),
        }
    }
}

impl From<fotbo_api::Error> for Failure {
    fn from(e: fotbo_api::Error) -> Self {
        Failure::Api(e)
    }
}
