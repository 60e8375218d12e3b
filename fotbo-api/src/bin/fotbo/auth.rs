//! `fotbo auth login | status | logout`.

use std::io::{IsTerminal, Read};

use fotbo_api::{Client, Method};

use crate::config::{self, TokenSource};
use crate::failure::Failure;
use crate::table;

/// A token longer than this is not a token.
const MAX_TOKEN_BYTES: u64 = 4096;

/// Reads a token, checks it with a read-only request, stores it in the profile.
pub async fn login(profile_flag: Option<&str>, api_url: Option<&str>) -> Result<(), Failure> {
    let selected = config::select(profile_flag)?;
    let token = read_token()?;
    let api_url = api_url
        .map(str::to_string)
        .or_else(|| selected.api_url.clone());
    let client = client(&token, api_url.as_deref())?;
    // A wrong token is refused here, before anything is written.
    if let Some(path) = table::CHECK_PATH {
        client
            .request(Method::GET, path)
            .send()
            .await
            .map_err(|e| match e.status().map(|s| s.as_u16()) {
                Some(401) | Some(403) => Failure::Other(format!("the token was refused: {e}")),
                _ => Failure::Api(e),
            })?;
    }
    let mut config = config::read(&selected.path)?;
    let profile = config.profiles.entry(selected.profile.clone()).or_default();
    profile.token = Some(token);
    if let Some(url) = api_url {
        profile.api_url = Some(url);
    }
    if config.default_profile.is_none() {
        config.default_profile = Some(selected.profile.clone());
    }
    config::write(&selected.path, &config)?;
    eprintln!(
        "Signed in: profile `{}` saved in {}",
        selected.profile,
        selected.path.display()
    );
    Ok(())
}

/// The token: standard input when it is not a terminal, else a prompt without echo.
fn read_token() -> Result<String, Failure> {
    let text = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Fotbo API token: ")
            .map_err(|e| Failure::Other(format!("cannot read the token: {e}")))?
    } else {
        let mut text = String::new();
        std::io::stdin()
            .take(MAX_TOKEN_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Failure::Other(format!("cannot read the token from stdin: {e}")))?;
        text
    };
    let token = text.trim().to_string();
    if token.is_empty() {
        return Err(Failure::Usage("no token given".into()));
    }
    if token.len() as u64 > MAX_TOKEN_BYTES || token.chars().any(char::is_whitespace) {
        return Err(Failure::Usage(
            "that is not a token: one word of at most 4096 characters".into(),
        ));
    }
    Ok(token)
}

/// Which profile, URL and token source a run would use.
pub fn status(profile_flag: Option<&str>) -> Result<(), Failure> {
    let selected = config::select(profile_flag)?;
    let url = selected
        .api_url
        .clone()
        .unwrap_or_else(|| fotbo_api::DEFAULT_BASE_URL.to_string());
    let token = match selected.token_source {
        TokenSource::Environment => "from FOTBO_TOKEN",
        TokenSource::File => "stored in the config file",
        TokenSource::Missing => "none: run `fotbo auth login`",
    };
    println!("profile: {}", selected.profile);
    println!(
        "api url: {url}{}",
        if selected.api_url_from_env {
            " (from FOTBO_API_URL)"
        } else {
            ""
        }
    );
    println!("token:   {token}");
    println!("config:  {}", selected.path.display());
    Ok(())
}

/// Removes the profile's token.
pub fn logout(profile_flag: Option<&str>) -> Result<(), Failure> {
    let selected = config::select(profile_flag)?;
    let mut config = config::read(&selected.path)?;
    let had = config
        .profiles
        .get_mut(&selected.profile)
        .and_then(|p| p.token.take())
        .is_some();
    if had {
        config::write(&selected.path, &config)?;
        eprintln!("Signed out of profile `{}`", selected.profile);
    } else {
        eprintln!("Profile `{}` holds no token", selected.profile);
    }
    Ok(())
}

/// A client for this token and URL.
pub fn client(token: &str, api_url: Option<&str>) -> Result<Client, Failure> {
    let mut builder = Client::builder()
        .token(token)
        .user_agent(concat!("fotbo-cli/", env!("CARGO_PKG_VERSION")));
    if let Some(url) = api_url {
        builder = builder.base_url(url);
    }
    Ok(builder.build()?)
}
