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
    package_in(
        tempfile::tempdir()
            .context("cannot make a temporary directory")?
            .path(),
    )
}

/// What a user pays to build fotbo-api, against the floor: the same application built from
/// empty target dirs once on the packaged crate (generator in its build script) and once on
/// a copy of it holding the same generated code as plain source (what committing the code
/// would cost); and the release binary of the floor application (it calls one operation).
#[derive(Debug)]
pub struct UserCost {
    /// The packaged crate: crates compiled, seconds.
    pub packaged: (usize, Duration),
    /// The plain-source copy: crates compiled, seconds.
    pub plain: (usize, Duration),
    /// The floor application's release binary, bytes.
    pub release_binary_bytes: u64,
}

/// Measures [`UserCost`] (three builds from empty target dirs: several minutes).
pub fn user_cost() -> Result<UserCost> {
    let work = tempfile::tempdir().context("cannot make a temporary directory")?;
    let report = package_in(work.path())?;
    let version = env!("CARGO_PKG_VERSION");
    let packaged = work.path().join(format!("fotbo-api-{version}"));
    let plain = work.path().join(format!("fotbo-api-plain-{version}"));
    copy_dir(&packaged, &plain)?;
    plain_source(&plain)?;
    let app = work.path().join("app-plain");
    let manifest = app_manifest(work.path())
        .replace("fotbo-consumer", "fotbo-consumer-plain")
        .replace(
            &format!("fotbo-api-{version}\""),
            &format!("fotbo-api-plain-{version}\""),
        );
    write_app(&app, &manifest, &packaged.join("Cargo.lock"))?;
    let (plain_build, plain_crates) =
        build_app(&app, false, "building the plain-source application")?;
    build_app(
        &app,
        true,
        "building the plain-source application in release",
    )?;
    let binary = app
        .join("target")
        .join("release")
        .join("fotbo-consumer-plain");
    let release_binary_bytes = std::fs::metadata(&binary)
        .with_context(|| format!("no {}", binary.display()))?
        .len();
    Ok(UserCost {
        packaged: (report.consumer_crates, report.consumer_build),
        plain: (plain_crates, plain_build),
        release_binary_bytes,
    })
}

/// A new application in `app`: its manifest, [`APP_MAIN`], and the lock file fotbo-api was
/// tested with when there is one.
fn write_app(app: &Path, manifest: &str, lock: &Path) -> Result<()> {
    std::fs::create_dir_all(app.join("src"))?;
    std::fs::write(app.join("Cargo.toml"), manifest)?;
    std::fs::write(app.join("src").join("main.rs"), APP_MAIN)?;
    if lock.is_file() {
        std::fs::copy(lock, app.join("Cargo.lock"))?;
    }
    Ok(())
}

/// Builds the application in its own target dir: how long it took and how many packages
/// were compiled.
fn build_app(app: &Path, release: bool, what: &str) -> Result<(Duration, usize)> {
    let mut command = Command::new(paths::cargo());
    command
        .current_dir(app)
        .env("CARGO_TARGET_DIR", app.join("target"))
        .env_remove("RUSTFLAGS")
        .arg("build");
    if release {
        command.arg("--release");
    }
    let start = Instant::now();
    let build = run(command.args(["--color", "never"]), what)?;
    Ok((start.elapsed(), compiled(&build.stderr)))
}

/// `Compiling …` lines: one per package built (a build script included).
fn compiled(stderr: &[u8]) -> usize {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| l.trim_start().starts_with("Compiling "))
        .count()
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// Turns an unpacked fotbo-api into the same crate with its code as plain source: the code
/// the generator makes from its spec written beside it, a build script that only copies it
/// into OUT_DIR and sets the same cfgs, no generator among its build dependencies.
fn plain_source(dir: &Path) -> Result<()> {
    let inputs =
        generator::SpecInputs::active(&dir.join("spec")).map_err(|e| anyhow::anyhow!("{e}"))?;
    let settings = inputs.fotbo_settings();
    let generated =
        generator::generate(&inputs.spec, &settings).map_err(|e| anyhow::anyhow!("{e}"))?;
    std::fs::write(dir.join("fotbo.rs"), &generated.code)?;
    let mut cfgs = String::new();
    for helper in &settings.runtime_helpers {
        if helper.available_in(&generated.api) {
            cfgs.push_str(&format!(
                "    println!(\"cargo::rustc-cfg=fotbo_helper=\\\"{}\\\"\");\n",
                helper.name
            ));
        }
    }
    std::fs::write(
        dir.join("build.rs"),
        format!(
            "fn main() {{\n    println!(\"cargo::rustc-check-cfg=cfg(fotbo_helper, values(any()))\");\n{cfgs}    let out = std::path::PathBuf::from(std::env::var(\"OUT_DIR\").unwrap());\n    std::fs::copy(\"fotbo.rs\", out.join(\"fotbo.rs\")).unwrap();\n}}\n"
        ),
    )?;
    let manifest_path = dir.join("Cargo.toml");
    let manifest = std::fs::read_to_string(&manifest_path)?;
    let mut kept = String::new();
    let mut skipping = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            // `[build-dependencies]` and `[build-dependencies.generator]` (the generator is
            // a renamed dependency): the plain crate has none.
            skipping = line.trim_start().starts_with("[build-dependencies");
        }
        if !skipping {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    if kept.contains("[build-dependencies") {
        bail!("the plain-source copy still depends on the generator:\n{kept}");
    }
    std::fs::write(&manifest_path, kept)?;
    Ok(())
}

fn package_in(work_dir: &Path) -> Result<PackageReport> {
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
                .arg(work_dir),
            &format!("unpacking {}", file.display()),
        )?;
        crates.push((file, size));
    }

    let app = work_dir.join("app");
    // The versions fotbo-api was tested with: its packaged lock file.
    let lock = work_dir
        .join(format!("fotbo-api-{}", env!("CARGO_PKG_VERSION")))
        .join("Cargo.lock");
    write_app(&app, &app_manifest(work_dir), &lock)?;
    let (consumer_build, consumer_crates) = build_app(
        &app,
        false,
        "building the application from the unpacked crates",
    )?;

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
