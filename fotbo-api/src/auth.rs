//! The API token, kept out of every Debug, Display, error and log line.

use std::fmt;

use reqwest::header::HeaderValue;

use crate::error::Error;

/// The `Authorization: Token <token>` header value, marked sensitive so that reqwest and the
/// `http` crate print it as `Sensitive`.
#[derive(Clone)]
pub(crate) struct Token {
    header: HeaderValue,
}

impl Token {
    pub(crate) fn new(token: &str) -> Result<Self, Error> {
        let token = token.trim();
        if token.is_empty() {
            return Err(Error::Config(
                "the API token is empty (set FOTBO_TOKEN or pass one to Client::new)".into(),
            ));
        }
        // A prefix pasted along with the token would be sent twice.
        let token = token.strip_prefix("Token ").unwrap_or(token).trim();
        let mut header = HeaderValue::from_str(&format!("Token {token}")).map_err(|_| {
            Error::Config("the API token contains characters not allowed in an HTTP header".into())
        })?;
        header.set_sensitive(true);
        Ok(Token { header })
    }

    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_never_printed() {
        let t = Token::new("s3cr3t-token").unwrap();
        assert_eq!(format!("{t:?}"), "Token(<redacted>)");
        assert!(!format!("{:?}", t.header()).contains("s3cr3t"));
        assert_eq!(t.header().to_str().unwrap(), "Token s3cr3t-token");
        assert_eq!(
            Token::new("Token abc").unwrap().header().to_str().unwrap(),
            "Token abc"
        );
    }

    #[test]
    fn bad_tokens_are_refused_without_echoing_them() {
        assert!(Token::new("  ").unwrap_err().to_string().contains("empty"));
        let e = Token::new("bad\ntoken").unwrap_err().to_string();
        assert!(e.contains("not allowed") && !e.contains("bad"), "{e}");
    }
}
