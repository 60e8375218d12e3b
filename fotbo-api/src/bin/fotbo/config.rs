//! The user's config file: named profiles, each a token and an API URL, in
//! `<config dir>/fotbo/config.toml` (`$XDG_CONFIG_HOME` or `~/.config` on Linux, the platform's
//! own elsewhere), written atomically with mode 0600 (the token is a secret).
//!
//! What a run uses: the profile from `--profile`, `FOTBO_PROFILE`, the file's
//! `default_profile`, or `default`; `FOTBO_TOKEN` and `FOTBO_API_URL` override its values.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::failure::Failure;

/// The file's name inside the config directory's `fotbo/`.
pub const FILE_NAME: &str = "config.toml";

/// The profile used when nothing names one.
pub const DEFAULT_PROFILE: &str = "default";

/// A config file larger than this is refused (it holds a few lines per profile).
const MAX_CONFIG_BYTES: u64 = 1 << 20;

/// The file's contents.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
pub struct Config {
    /// The profile used when none is named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_profile: Option<String>,
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One account or endpoint.
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Profile {
    /// The API token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// The API's base URL, when not api.fotbo.com.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_url: Option<String>,
}

impl fmt::Debug for Profile {
    /// Never the token.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("token", &self.token.as_ref().map(|_| "<set>"))
            .field("api_url", &self.api_url)
            .finish()
    }
}

/// Where the config file is: `FOTBO_CONFIG_DIR` when set (tests, several setups side by
/// side), else the platform's config directory.
pub fn path() -> Result<PathBuf, Failure> {
    if let Some(dir) = std::env::var_os("FOTBO_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir).join(FILE_NAME));
    }
    let base = directories::BaseDirs::new().ok_or_else(|| {
        Failure::Other("no home directory to keep the config in: set FOTBO_CONFIG_DIR".into())
    })?;
    Ok(base.config_dir().join("fotbo").join(FILE_NAME))
}

/// Reads the file; a missing file is an empty config.
pub fn read(path: &Path) -> Result<Config, Failure> {
    let text = match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_CONFIG_BYTES => {
            return Err(Failure::Other(format!(
                "{}: {} bytes, more than a config file holds ({MAX_CONFIG_BYTES})",
                path.display(),
                meta.len()
            )))
        }
        Ok(_) => std::fs::read_to_string(path)
            .map_err(|e| Failure::Other(format!("cannot read {}: {e}", path.display())))?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
        Err(e) => {
            return Err(Failure::Other(format!(
                "cannot read {}: {e}",
                path.display()
            )))
        }
    };
    toml::from_str(&text).map_err(|e| {
        // toml's message quotes the line; a token on it must not reach the terminal.
        let at = e
            .span()
            .map(|s| format!(" at byte {}", s.start))
            .unwrap_or_default();
        Failure::Other(format!(
            "{} is not a fotbo config file{at}: {}",
            path.display(),
            e.message()
        ))
    })
}

/// Writes the file whole or not at all: a temporary file beside it (mode 0600 from its
/// creation, so the token is never readable by others), synced, then renamed over it.
pub fn write(path: &Path, config: &Config) -> Result<(), Failure> {
    let fail = |what: &str, e: std::io::Error| {
        Failure::Other(format!("cannot {what} {}: {e}", path.display()))
    };
    let text = toml::to_string(config)
        .map_err(|e| Failure::Other(format!("cannot write the config: {e}")))?;
    let dir = path
        .parent()
        .ok_or_else(|| Failure::Other(format!("{} has no directory", path.display())))?;
    create_private_dir(dir).map_err(|e| fail("create the directory of", e))?;
    let temp = dir.join(format!(".{FILE_NAME}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = private_file(&temp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&temp);
        return Err(fail("write", e));
    }
    Ok(())
}

#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// Where the token of a run comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    /// `FOTBO_TOKEN`.
    Environment,
    /// The profile in the config file.
    File,
    /// Nowhere: not signed in.
    Missing,
}

/// What a run uses, resolved.
#[derive(Debug)]
pub struct Selected {
    /// The profile's name.
    pub profile: String,
    /// The config file.
    pub path: PathBuf,
    /// The token (never printed).
    pub token: Option<String>,
    /// Where it came from.
    pub token_source: TokenSource,
    /// The API URL, when not the default.
    pub api_url: Option<String>,
    /// Whether `FOTBO_API_URL` set it.
    pub api_url_from_env: bool,
}

/// The profile named by `--profile`, `FOTBO_PROFILE`, the file, or [`DEFAULT_PROFILE`], with
/// the environment's overrides.
pub fn select(flag: Option<&str>) -> Result<Selected, Failure> {
    let path = path()?;
    let config = read(&path)?;
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let profile = flag
        .map(str::to_string)
        .or_else(|| env("FOTBO_PROFILE"))
        .or_else(|| config.default_profile.clone())
        .unwrap_or_else(|| DEFAULT_PROFILE.to_string());
    let stored = config.profiles.get(&profile).cloned().unwrap_or_default();
    let (token, token_source) = match (env("FOTBO_TOKEN"), stored.token) {
        (Some(token), _) => (Some(token), TokenSource::Environment),
        (None, Some(token)) => (Some(token), TokenSource::File),
        (None, None) => (None, TokenSource::Missing),
    };
    let env_url = env("FOTBO_API_URL");
    let api_url_from_env = env_url.is_some();
    Ok(Selected {
        profile,
        path,
        token,
        token_source,
        api_url: env_url.or(stored.api_url),
        api_url_from_env,
    })
}
