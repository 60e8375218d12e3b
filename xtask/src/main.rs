//! `cargo xtask <command>`: see `cargo xtask --help`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Result;
use clap::{Parser, Subcommand};
use xtask::fetch::{self, FetchOptions};
use xtask::regen::{self, Layout, RegenOptions};
use xtask::{bench, generate, package, paths};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintenance tasks for fotbo-api")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Download the published spec into spec/ (checked, atomically).
    Fetch(FetchArgs),
    /// Regenerate from the committed spec, update the snapshots, build fotbo-api, report drift.
    Regen {
        /// Fetch the published spec first.
        #[arg(long)]
        fetch: bool,
        /// Change nothing; exit non-zero if anything would change (for CI).
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        fetch_args: FetchArgs,
    },
    /// Run the generator on any spec file.
    Generate {
        /// The spec (JSON or YAML, OpenAPI 3.0 or 3.1).
        #[arg(long)]
        spec: PathBuf,
        /// Where to write client.rs, api-surface.txt, normalization-report.md, normalized.json.
        #[arg(long)]
        out: PathBuf,
        /// progenitor's plain settings instead of fotbo-api's.
        #[arg(long)]
        plain: bool,
        /// An OpenAPI Overlay of corrections to apply before the rules (e.g.
        /// spec/wire-corrections.overlay.yaml).
        #[arg(long)]
        overlay: Option<PathBuf>,
    },
    /// Measure generation, code size, compile cost and (with --client) client overhead.
    Bench {
        /// Pipeline runs (the median is reported).
        #[arg(long, default_value_t = 15)]
        runs: usize,
        /// Skip the compile-cost builds.
        #[arg(long)]
        no_compile: bool,
        /// Also run the criterion client benchmarks (several minutes).
        #[arg(long)]
        client: bool,
        /// Skip the synthetic 200/2,000/20,000-operation specs (the largest takes tens of
        /// seconds and gigabytes).
        #[arg(long)]
        no_synthetic: bool,
        /// Also build a new application on the packaged fotbo-api and on the same code as
        /// plain source, from empty target dirs (what a user pays; several minutes).
        #[arg(long)]
        user_cost: bool,
    },
    /// Generate a synthetic spec of N operations and report time and peak memory (one
    /// process per size: `cargo xtask bench` runs it for 200, 2,000 and 20,000).
    #[command(hide = true)]
    Synthetic {
        /// Operations in the spec.
        #[arg(long)]
        operations: usize,
    },
    /// Turn wire records (ClientBuilder::record_wire, FOTBO_WIRE_RECORD) into actions of
    /// spec/wire-corrections.overlay.yaml; `cargo xtask regen` then shows what they change.
    Learn {
        /// Record files (JSON lines).
        #[arg(required = true)]
        records: Vec<PathBuf>,
        /// Print the actions; write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Package the publishable crates, then build fotbo-api from its .crate alone, outside the
    /// workspace, as a new application depending on it (and report the build's cost).
    Package,
    /// Run the generator and progenitor alone over folders of specs and compare, one table.
    Corpus {
        /// Folder searched recursively for OpenAPI 3 specs (repeat for several).
        #[arg(long, required = true)]
        dir: Vec<PathBuf>,
        /// At most this many specs per folder.
        #[arg(long, default_value_t = usize::MAX)]
        limit: usize,
        /// Seconds each tool may take on one spec before it counts as crashed.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
    },
    /// One tool on one spec (what `corpus` runs in a child process; the exit code is the
    /// outcome).
    #[command(hide = true)]
    CorpusOne {
        #[arg(long, value_enum)]
        tool: xtask::corpus::Tool,
        #[arg(long)]
        spec: PathBuf,
    },
}

#[derive(clap::Args, Clone)]
struct FetchArgs {
    /// The docs page or spec URL.
    #[arg(long, env = "FOTBO_SPEC_URL", default_value = fetch::DEFAULT_URL)]
    url: String,
    /// The version the spec must have, e.g. 1.0.5 (default: the active spec's).
    #[arg(long)]
    expect_version: Option<String>,
    /// Accept another version: written as spec/fotbo-<version>.json, and the build switches to it.
    #[arg(long)]
    accept_version: bool,
    /// Seconds allowed for the whole fetch.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// No progress output.
    #[arg(long)]
    quiet: bool,
}

impl FetchArgs {
    fn options(&self) -> Result<FetchOptions> {
        Ok(FetchOptions {
            url: self.url.clone(),
            expect_version: self.expect_version.clone(),
            accept_version: self.accept_version,
            timeout: Duration::from_secs(self.timeout),
            quiet: self.quiet,
            spec_dir: paths::spec_dir()?,
            max_bytes: fetch::MAX_BYTES,
        })
    }
}

fn run_fetch(args: &FetchArgs) -> Result<()> {
    let fetched = fetch::fetch(&args.options()?)?;
    let what = if fetched.changed {
        "written"
    } else {
        "unchanged"
    };
    println!(
        "fetched spec {} ({}): {} {what}",
        fetched.version,
        fetched.form.name(),
        fetched.spec_file.display()
    );
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Fetch(args) => run_fetch(&args)?,
        Command::Regen {
            fetch,
            check,
            fetch_args,
        } => {
            if fetch {
                run_fetch(&fetch_args)?;
            }
            let report = regen::regen(
                &Layout::workspace()?,
                &RegenOptions {
                    check,
                    build: !check,
                    snapshots: true,
                },
            )?;
            print!("{}", report.summary(check));
            if check && !report.up_to_date() {
                eprintln!("error: the generated files are out of date; run `cargo xtask regen` and review the diff");
                return Ok(ExitCode::FAILURE);
            }
        }
        Command::Generate {
            spec,
            out,
            plain,
            overlay,
        } => {
            let g = generate::generate_to(&spec, overlay.as_deref(), &out, plain)?;
            println!(
                "generated {} lines into {} ({} corrections applied, {} matched nothing; {} rules fired; {:.0} ms)",
                g.code.lines().count(),
                out.display(),
                g.report.overlay.len() - g.report.unmatched_corrections().count(),
                g.report.unmatched_corrections().count(),
                g.report.fired.len(),
                g.timings.total().as_secs_f64() * 1000.0
            );
        }
        Command::Synthetic { operations } => {
            let spec = serde_json::to_vec(&xtask::synthetic::spec(operations))?;
            let start = std::time::Instant::now();
            let generated = generator::generate(&spec, &generator::Settings::fotbo())
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let seconds = start.elapsed().as_secs_f64();
            println!(
                "{}",
                serde_json::json!({
                    "operations": operations,
                    "spec_bytes": spec.len(),
                    "seconds": seconds,
                    "peak_mib": xtask::synthetic::peak_mib(),
                    "lines": generated.code.lines().count(),
                })
            );
        }
        Command::Learn { records, dry_run } => {
            let learned = xtask::learn::learn(&paths::spec_dir()?, &records, dry_run)?;
            for line in &learned.summary {
                println!("learned: {line}");
            }
            for line in &learned.reported {
                println!("not learned: {line}");
            }
            if learned.summary.is_empty() {
                println!("nothing new to learn: the spec (with its overlay) says all of it");
            } else if learned.written {
                println!(
                    "{} action(s) added to spec/{}; run `cargo xtask regen` to see what they change",
                    learned.summary.len(),
                    generator::inputs::OVERLAY_FILE
                );
            } else {
                print!("{}", learned.actions);
            }
        }
        Command::Package => print!("{}", package::package()?.summary()),
        Command::Corpus {
            dir,
            limit,
            timeout,
        } => print!(
            "{}",
            xtask::corpus::corpus(&dir, limit, Duration::from_secs(timeout))?
        ),
        Command::CorpusOne { tool, spec } => {
            return Ok(ExitCode::from(
                u8::try_from(xtask::corpus::one(tool, &spec)).unwrap_or(1),
            ));
        }
        Command::Bench {
            runs,
            no_compile,
            client,
            no_synthetic,
            user_cost,
        } => {
            if cfg!(debug_assertions) {
                // Timings of a debug build say nothing: run again as a release build.
                let args: Vec<String> = std::env::args().skip(1).collect();
                let status = bench::rerun_in_release(&args)?;
                return Ok(if status.success() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                });
            }
            print!(
                "{}",
                bench::bench(&bench::BenchOptions {
                    runs,
                    compile: !no_compile,
                    client,
                    synthetic: !no_synthetic,
                    user_cost,
                })?
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            // One line: the whole chain of causes.
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
