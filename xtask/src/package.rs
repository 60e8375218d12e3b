//! `cargo xtask package`: packages the publishable crates the way `cargo publish` would, then
//! builds fotbo-api from its `.crate` alone, outside the workspace, as a new application that
//! depends on it — proving that the package carries everything its build script needs (the
//! spec, the wire corrections) and measuring what a user's first build costs.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::paths;

/// The packages that are published, in dependency order.
pub const PUBLISHED: [&str; 2] = ["fotbo-api-generator", "fotbo-api"];

/// What [`package`] found.
#[derive(Debug)]
pub struct PackageReport {
    /// Each `.crate` with its size in bytes.
    pub crates: Vec<(PathBuf, u64)>,
    /// The new application's clean build: crates compiled and time.
    pub consumer_crates: usize,
    /// Seconds of that build.
    pub consumer_build: Duration,
    /// What the built application printed when run.
    pub consumer_output: String,
}

impl PackageReport {
    /// A few lines for the terminal and the closing notes.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        for (path, size) in &self.crates {
            let _ = writeln!(
                out,
                "packaged {} ({:.1} KiB)",
                path.display(),
                *size as f64 / 1024.0
            );
        }
        let _ = writeln!(
            out,
            "a new application depending on the unpacked fotbo-api: {} crates compiled from an empty target dir in {:.1} s",
            self.consumer_crates,
            self.consumer_build.as_secs_f64()
        );
        let _ = writeln!(out, "it ran: {}", self.consumer_output.trim());
        out
    }
}

/// The application: it uses the client the way a user's first program would, against a
/// local address (no request leaves the machine: nothing listens there, and it only checks
/// that the call fails as a transport error).
const APP_MAIN: &str = r#"use std::time::Duration;

#[tokio::main]
async fn main() {
    let client = fotbo_api::Client::builder()
        .token("packaged-check")
        .base_url("http://127.0.0.1:9")
        .timeout(Duration::from_secs(2))
        .retry_policy(fotbo_api::RetryPolicy::disabled())
        .build()
        .expect("client");
    let outcome = client.regions_list().send().await;
    println!(
        "{} operations; regions_list against a closed port: {}",
        fotbo_api::OPERATIONS.len(),
        match outcome {
            Ok(_) => "answered".to_string(),
            Err(e) => format!("error ({e})"),
        }
    );
}
"#;

fn app_manifest(unpacked: &Path) -> String {
    let dir = |name: &str| unpacked.join(format!("{name}-{}", env!("CARGO_PKG_VERSION")));
    format!(
        r#"[package]
name = "fotbo-consumer"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
fotbo-api = {{ path = {api:?} }}
tokio = {{ version = "1", features = ["macros", "rt-multi-thread"] }}

# Not on the registry yet: the generator comes from its own unpacked .crate.
[patch.crates-io]
fotbo-api-generator = {{ path = {generator:?} }}

[workspace]
"#,
        api = dir("fotbo-api").display().to_string(),
        generator = dir("fotbo-api-generator").display().to_string(),
    )
}

fn run(command: &mut Command, what: &str) -> Result<std::process::Output> {
    let output = command
        .output()
        .with_context(|| format!("cannot start {what}"))?;
    if !output.status.success() {
        bail!(
            "{what} failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(output)
}

/// Packages, unpacks into a temporary directory, builds and runs the application.
pub fn package() -> Result<PackageReport> {
    let root = paths::root()?;
    let cargo = paths::cargo();
    let mut command = Command::new(&cargo);
    command
        .current_dir(&root)
        .args(["package", "--locked", "--no-verify", "--allow-dirty"]);
    for name in PUBLISHED {
        command.args(["--package", name]);
    }
    run(&mut command, "cargo package")?;

    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let work = tempfile::tempdir().context("cannot make a temporary directory")?;
    let mut crates = Vec::new();
    for name in PUBLISHED {
        let file = target
            .join("package")
            .join(format!("{name}-{}.crate", env!("CARGO_PKG_VERSION")));
        let size = std::fs::metadata(&file)
            .with_context(|| format!("cargo package wrote no {}", file.display()))?
            .len();
        run(
            Command::new("tar")
                .arg("xzf")
                .arg(&file)
                .arg("-C")
                .arg(work.path()),
            &format!("unpacking {}", file.display()),
        )?;
        crates.push((file, size));
    }

    let app = work.path().join("app");
    std::fs::create_dir_all(app.join("src"))?;
    std::fs::write(app.join("Cargo.toml"), app_manifest(work.path()))?;
    std::fs::write(app.join("src").join("main.rs"), APP_MAIN)?;
    // The versions fotbo-api was tested with: its packaged lock file.
    let lock = work
        .path()
        .join(format!("fotbo-api-{}", env!("CARGO_PKG_VERSION")))
        .join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, app.join("Cargo.lock"))?;
    }

    let start = Instant::now();
    let build = run(
        Command::new(&cargo)
            .current_dir(&app)
            .env("CARGO_TARGET_DIR", app.join("target"))
            .env_remove("RUSTFLAGS")
            .args(["build", "--color", "never"]),
        "building the application from the unpacked crates",
    )?;
    let consumer_build = start.elapsed();
    // One `Compiling name version` line per package built (its build script included).
    let consumer_crates = String::from_utf8_lossy(&build.stderr)
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count();

    let ran = run(
        &mut Command::new(app.join("target").join("debug").join("fotbo-consumer")),
        "running the application",
    )?;
    Ok(PackageReport {
        crates,
        consumer_crates,
        consumer_build,
        consumer_output: String::from_utf8_lossy(&ran.stdout).into_owned(),
    })
}
