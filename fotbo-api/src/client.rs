//! The client: [`Client`] and its [`ClientBuilder`] (token, base URL, timeouts, user agent,
//! retries, decoding, body limit).

use std::fmt;
use std::ops::Deref;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::auth::Token;
use crate::error::Error;
use crate::generated;
use crate::retry::RetryPolicy;
use crate::runtime::Runtime;

/// The largest response body read unless told otherwise (64 MiB).
pub const DEFAULT_MAX_RESPONSE_BODY: usize = 64 * 1024 * 1024;

/// Where the API lives unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.fotbo.com";

/// A Fotbo API client.
///
/// Cheap to clone (the connection pool is shared). Every operation of the API is a method of
/// the [`generated::Client`] it dereferences to, e.g. `client.instances_list()`.
#[derive(Clone)]
pub struct Client {
    api: generated::Client,
}

impl Client {
    /// A client for `https://api.fotbo.com` with the given API token and the defaults of
    /// [`ClientBuilder`].
    pub fn new(token: impl AsRef<str>) -> Result<Self, Error> {
        Self::builder().token(token).build()
    }

    /// A client configured from the environment: `FOTBO_TOKEN` (required) and
    /// `FOTBO_API_URL` (default `https://api.fotbo.com`).
    pub fn from_env() -> Result<Self, Error> {
        Self::builder().from_env()?.build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.api)
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &progenitor_client::ClientInfo::inner(&self.api).retry
    }
}

impl Deref for Client {
    type Target = generated::Client;

    fn deref(&self) -> &generated::Client {
        &self.api
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.base_url())
            .field("runtime", progenitor_client::ClientInfo::inner(&self.api))
            .finish()
    }
}

/// Configures a [`Client`].
///
/// Defaults: base URL `https://api.fotbo.com`, 30 s per request, 10 s to connect, user agent
/// `fotbo-api-rust/<version>`, [`RetryPolicy::default`].
#[derive(Clone)]
pub struct ClientBuilder {
    token: Option<String>,
    base_url: String,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    retry: RetryPolicy,
    strict_decoding: bool,
    max_body: usize,
    wire: Option<std::path::PathBuf>,
    http: Option<reqwest::Client>,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            token: None,
            base_url: DEFAULT_BASE_URL.to_string(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: concat!("fotbo-api-rust/", env!("CARGO_PKG_VERSION")).to_string(),
            retry: RetryPolicy::default(),
            strict_decoding: false,
            max_body: DEFAULT_MAX_RESPONSE_BODY,
            wire: None,
            http: None,
        }
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("token", &self.token.as_ref().map(|_| "<redacted>"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("retry", &self.retry)
            .field("strict_decoding", &self.strict_decoding)
            .field("max_body", &self.max_body)
            .field("wire", &self.wire)
            .field("http", &self.http.as_ref().map(|_| "<caller-supplied>"))
            .finish()
    }
}

impl ClientBuilder {
    /// The API token (sent as `Authorization: Token <token>`).
    pub fn token(mut self, token: impl AsRef<str>) -> Self {
        self.token = Some(token.as_ref().to_string());
        self
    }

    /// Another API endpoint, e.g. a staging host or a local mock server.
    pub fn base_url(mut self, url: impl AsRef<str>) -> Self {
        self.base_url = url.as_ref().to_string();
        self
    }

    /// Time allowed for a whole request, answer included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Time allowed to connect.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, agent: impl AsRef<str>) -> Self {
        self.user_agent = agent.as_ref().to_string();
        self
    }

    /// What is retried and how ([`RetryPolicy::disabled`] turns retries off).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Whether a response value that does not fit its declared type fails the call
    /// ([`Error::Decode`] naming its JSON pointer) instead of being left out and reported in
    /// [`crate::Response::mismatches`]. Off by default; turn it on in your CI to learn early
    /// when Fotbo's answers drift from the spec.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    /// The largest response body read, in bytes (default 64 MiB): a larger success body is an
    /// `Error::BodyTooLarge`, read no further than the limit. Error bodies are read only for
    /// their message: their first 16 KiB.
    pub fn max_response_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes.max(1);
        self
    }

    /// Records what answers hold beyond the spec — fields it does not declare, values of
    /// another type — in this file, as JSON lines of pointer patterns and JSON kinds (never a
    /// value), for `cargo xtask learn` (see [`crate::wire`]). `FOTBO_WIRE_RECORD` sets it
    /// for clients whose builder does not. A file that cannot be written is a warning, never
    /// a failed call.
    pub fn record_wire(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.wire = Some(path.into());
        self
    }

    /// Uses this reqwest client (its own timeouts, proxy and TLS settings apply; the builder's
    /// timeouts are then ignored). Authorization and user agent are still added per request.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Reads `FOTBO_TOKEN` (required) and `FOTBO_API_URL` (optional).
    pub fn from_env(mut self) -> Result<Self, Error> {
        self.token =
            Some(std::env::var("FOTBO_TOKEN").map_err(|_| {
                Error::Config("FOTBO_TOKEN is not set (or not valid Unicode)".into())
            })?);
        if let Ok(url) = std::env::var("FOTBO_API_URL") {
            if !url.trim().is_empty() {
                self.base_url = url;
            }
        }
        Ok(self)
    }

    /// Checks the settings and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let token = Token::new(self.token.as_deref().unwrap_or(""))?;
        let base = self.base_url.trim().trim_end_matches('/');
        let url = reqwest::Url::parse(base)
            .map_err(|e| Error::Config(format!("base URL {base:?} is not a URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "base URL {base:?}: unsupported scheme `{}` (http or https only)",
                url.scheme()
            )));
        }
        if url.host().is_none() {
            return Err(Error::Config(format!("base URL {base:?} has no host")));
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::Config(
                "retry policy: max_attempts must be at least 1".into(),
            ));
        }
        let user_agent = HeaderValue::from_str(&self.user_agent).map_err(|_| {
            Error::Config(format!(
                "user agent {:?} is not a valid header value",
                self.user_agent
            ))
        })?;
        // The timeout of a client the caller brings is theirs: only the budget bounds it.
        let timeout = self.http.is_none().then_some(self.timeout);
        let http = match self.http {
            Some(client) => client,
            None => reqwest::Client::builder()
                .timeout(self.timeout)
                .connect_timeout(self.connect_timeout)
                .build()
                .map_err(|e| Error::Config(format!("cannot set up the HTTP client: {e}")))?,
        };
        let runtime = Runtime {
            token,
            user_agent,
            retry: self.retry,
            timeout,
            max_body: self.max_body,
            strict_decoding: self.strict_decoding,
            wire: self
                .wire
                .or_else(|| {
                    std::env::var_os("FOTBO_WIRE_RECORD")
                        .filter(|p| !p.is_empty())
                        .map(Into::into)
                })
                .map(|path| crate::wire::record(&path)),
        };
        Ok(Client {
            api: generated::Client::new_with_client(base, http, runtime),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn construction_errors_say_what_is_wrong() {
        let e = Client::builder().build().unwrap_err().to_string();
        assert!(e.contains("token is empty"), "{e}");
        let e = Client::builder()
            .token("t")
            .base_url("ftp://x")
            .build()
            .unwrap_err()
            .to_string();
        assert!(e.contains("http or https"), "{e}");
        let e = Client::builder()
            .token("t")
            .base_url("not a url")
            .build()
            .unwrap_err()
            .to_string();
        assert!(e.contains("is not a URL"), "{e}");
        let e = Client::builder()
            .token("t")
            .retry_policy(RetryPolicy {
                max_attempts: 0,
                ..RetryPolicy::default()
            })
            .build()
            .unwrap_err()
            .to_string();
        assert!(e.contains("max_attempts"), "{e}");
    }

    #[test]
    fn defaults_and_trailing_slashes() {
        let c = Client::new("t").unwrap();
        assert_eq!(c.base_url(), DEFAULT_BASE_URL);
        let c = Client::builder()
            .token("t")
            .base_url("http://127.0.0.1:9/")
            .build()
            .unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:9");
        assert_eq!(c.retry_policy(), &RetryPolicy::default());
    }
}
