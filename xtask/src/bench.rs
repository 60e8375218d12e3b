//! `cargo xtask bench`: the three costs users feel, each beside its target.
//!
//! 1. The generation pipeline on the Fotbo spec, per stage (this binary must be a release
//!    build: `cargo xtask bench` re-runs itself with `--release` when it is not).
//! 2. The size of the generated code.
//! 3. Compile cost of fotbo-api on this machine: a clean build of the crate alone (its
//!    dependencies already built), the rebuild after a one-line spec change, and the generated
//!    code alone compiled in builder and in positional style.
//! 4. Scaling: synthetic specs of 200, 2,000 and 20,000 operations, each generated in a
//!    process of its own (`cargo xtask synthetic`): seconds and peak memory (target: under
//!    2.5 GB at 20,000).
//! 5. With `--client`: the criterion benchmarks of fotbo-api against plain reqwest +
//!    serde_json::Value, as ratios.
//!
//! Prints a table and writes it as JSON to target/bench/bench.json.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use generator::{generate, Interface, Settings, SpecInputs, StructBuilders, Timings};
use serde_json::{json, Value};

use crate::paths;

/// What to measure.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Pipeline runs to take the median of.
    pub runs: usize,
    /// Measure compile cost (slow: several cargo builds).
    pub compile: bool,
    /// Run the criterion client benchmarks.
    pub client: bool,
    /// Generate the synthetic specs (20,000 operations take tens of seconds and gigabytes).
    pub synthetic: bool,
    /// Build a new application from empty target dirs on the packaged crate and on the same
    /// code as plain source (several minutes).
    pub user_cost: bool,
}

/// The synthetic sizes measured.
pub const SYNTHETIC_SIZES: [usize; 3] = [200, 2_000, 20_000];

/// Each synthetic size in a process of its own, so each peak is its own.
fn synthetic_scaling() -> Result<Value> {
    let exe = std::env::current_exe().context("cannot find this executable")?;
    let mut rows = Vec::new();
    for n in SYNTHETIC_SIZES {
        let out = Command::new(&exe)
            .args(["synthetic", "--operations", &n.to_string()])
            .output()
            .with_context(|| format!("cannot run the {n}-operation synthetic spec"))?;
        if !out.status.success() {
            bail!(
                "the {n}-operation synthetic spec failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let row: Value = serde_json::from_slice(&out.stdout)
            .with_context(|| format!("the {n}-operation run printed no JSON"))?;
        rows.push(row);
    }
    Ok(Value::Array(rows))
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs.get(xs.len() / 2).copied().unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e4).round() / 10.0
}

/// Median time per stage over `runs` generations of `spec`.
fn pipeline(inputs: &SpecInputs, runs: usize) -> Result<(Timings, generator::Generated)> {
    let mut all = Vec::new();
    let mut last = None;
    let settings = inputs.fotbo_settings();
    for _ in 0..runs.max(1) {
        let g = generate(&inputs.spec, &settings).map_err(|e| anyhow::anyhow!("{e}"))?;
        all.push(g.timings);
        last = Some(g);
    }
    let pick = |f: fn(&Timings) -> Duration| median(all.iter().map(f).collect());
    let t = Timings {
        load: pick(|t| t.load),
        overlay: pick(|t| t.overlay),
        normalize: pick(|t| t.normalize),
        progenitor: pick(|t| t.progenitor),
        syn: pick(|t| t.syn),
        prune: pick(|t| t.prune),
        prettyplease: pick(|t| t.prettyplease),
    };
    let g = last.ok_or_else(|| anyhow::anyhow!("no run"))?;
    Ok((t, g))
}

/// progenitor alone on our normalized document, as a plain progenitor build script runs it
/// (read as openapiv3, tokens, syn, prettyplease): the median of `runs`, beside ours.
fn progenitor_alone(normalized: &str, runs: usize) -> Result<Duration> {
    let mut all = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let spec: openapiv3::OpenAPI = serde_json::from_str(normalized)?;
        let mut settings = progenitor_impl::GenerationSettings::new();
        settings
            .with_interface(progenitor_impl::InterfaceStyle::Builder)
            .with_tag(progenitor_impl::TagStyle::Merged);
        let tokens = progenitor_impl::Generator::new(&settings)
            .generate_tokens(&spec)
            .map_err(|e| anyhow::anyhow!("progenitor alone: {e}"))?;
        let file: syn::File = syn::parse2(tokens)?;
        let code = prettyplease::unparse(&file);
        all.push(started.elapsed());
        std::hint::black_box(code);
    }
    Ok(median(all))
}

/// fotbo-api's build script alone, as built in the dev profile (what every user's debug
/// build runs: a dependency's build script is never optimized for it) and optimized: each
/// built into the bench target dir, then run three times by hand (median).
fn build_script_profiles(bench_dir: &Path) -> Result<Value> {
    let root = paths::root()?;
    let target = bench_dir.join("target-build-script");
    let target_arg = target.to_string_lossy().to_string();
    let mut out = serde_json::Map::new();
    let mut stages_ms = serde_json::Map::new();
    for (profile, dir, opt) in [("dev", "debug", "0"), ("optimized", "release", "3")] {
        let mut args = vec![
            "build",
            "--quiet",
            "--locked",
            "-p",
            "fotbo-api",
            "--target-dir",
            &target_arg,
        ];
        if dir == "release" {
            args.push("--release");
        }
        let mut cmd = Command::new(paths::cargo());
        cmd.args(&args)
            .current_dir(&root)
            .env("CARGO_PROFILE_RELEASE_BUILD_OVERRIDE_OPT_LEVEL", opt);
        let status = cmd
            .status()
            .context("building fotbo-api for its build script")?;
        if !status.success() {
            bail!("cargo build -p fotbo-api ({profile}) failed");
        }
        let script = newest_build_script(&target.join(dir).join("build"))?;
        let out_dir = bench_dir.join(format!("build-script-out-{profile}"));
        std::fs::create_dir_all(&out_dir)?;
        let mut times = Vec::new();
        let mut stages: Vec<Value> = Vec::new();
        let timings_file = out_dir.join("generation-timings.json");
        for _ in 0..3 {
            let started = Instant::now();
            let run = Command::new(&script)
                .env("CARGO_MANIFEST_DIR", root.join("fotbo-api"))
                .env("OUT_DIR", &out_dir)
                .env("FOTBO_GENERATION_TIMINGS", &timings_file)
                .env_remove("CARGO_FEATURE_MOCK")
                .env_remove("CARGO_FEATURE_CLI")
                .output()
                .with_context(|| format!("running {}", script.display()))?;
            if !run.status.success() {
                bail!(
                    "the build script failed: {}",
                    String::from_utf8_lossy(&run.stderr)
                );
            }
            times.push(started.elapsed());
            stages.push(serde_json::from_slice(&std::fs::read(&timings_file)?)?);
        }
        out.insert(profile.into(), json!(median(times).as_secs_f64()));
        stages_ms.insert(profile.into(), median_stages(&stages));
    }
    // Which stage the dev profile slows most: each stage's dev / optimized.
    let mut stage_ratio = serde_json::Map::new();
    if let (Some(Value::Object(dev)), Some(Value::Object(opt))) =
        (stages_ms.get("dev"), stages_ms.get("optimized"))
    {
        for (stage, d) in dev {
            if let (Some(d), Some(o)) = (d.as_f64(), opt.get(stage).and_then(Value::as_f64)) {
                stage_ratio.insert(stage.clone(), json!(d / o.max(1e-3)));
            }
        }
    }
    stages_ms.insert("dev_over_optimized".into(), Value::Object(stage_ratio));
    out.insert("stages_ms".into(), Value::Object(stages_ms));
    let ratio = out
        .get("dev")
        .and_then(Value::as_f64)
        .zip(out.get("optimized").and_then(Value::as_f64))
        .map(|(d, o)| d / o);
    out.insert("ratio".into(), json!(ratio));
    Ok(Value::Object(out))
}

/// Each stage's median over runs (objects of milliseconds, as the build script writes them).
fn median_stages(runs: &[Value]) -> Value {
    let mut out = serde_json::Map::new();
    let Some(Value::Object(first)) = runs.first() else {
        return Value::Object(out);
    };
    for stage in first.keys() {
        let mut xs: Vec<f64> = runs
            .iter()
            .filter_map(|r| r.get(stage).and_then(Value::as_f64))
            .collect();
        xs.sort_by(f64::total_cmp);
        if let Some(mid) = xs.get(xs.len() / 2) {
            out.insert(stage.clone(), json!(mid));
        }
    }
    Value::Object(out)
}

/// The most recently built `build-script-build` of fotbo-api under a `build/` directory.
fn newest_build_script(build: &Path) -> Result<std::path::PathBuf> {
    let mut newest: Option<(std::time::SystemTime, std::path::PathBuf)> = None;
    for entry in std::fs::read_dir(build).with_context(|| format!("reading {}", build.display()))? {
        let dir = entry?.path();
        let is_ours = dir
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with("fotbo-api-") && !n.starts_with("fotbo-api-generator"));
        let script = dir.join("build-script-build");
        if !is_ours || !script.is_file() {
            continue;
        }
        let modified = std::fs::metadata(&script)?.modified()?;
        if newest.as_ref().is_none_or(|(t, _)| modified > *t) {
            newest = Some((modified, script));
        }
    }
    newest
        .map(|(_, p)| p)
        .ok_or_else(|| anyhow::anyhow!("no fotbo-api build script under {}", build.display()))
}

/// Runs cargo and returns how long it took.
fn timed_cargo(args: &[&str], dir: &Path, env: &[(&str, &Path)]) -> Result<Duration> {
    let mut cmd = Command::new(paths::cargo());
    cmd.args(args).current_dir(dir);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let started = Instant::now();
    let out = cmd
        .output()
        .with_context(|| format!("running cargo {}", args.join(" ")))?;
    if !out.status.success() {
        bail!(
            "cargo {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()
                .unwrap_or("")
        );
    }
    Ok(started.elapsed())
}

/// A copy of the spec with one operation's description changed: a one-line spec change.
fn one_line_variant(spec: &[u8], marker: &str) -> Result<Vec<u8>> {
    let mut doc: Value = serde_json::from_slice(spec)?;
    let op = doc
        .pointer_mut("/paths/~1backend~1api~1openstack~1instances~1{instance_id}~1reboot/post")
        .and_then(Value::as_object_mut)
        .ok_or_else(|| anyhow::anyhow!("the spec has no reboot operation to change"))?;
    let description = op
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    op.insert(
        "description".into(),
        json!(format!("{description} {marker}")),
    );
    Ok(serde_json::to_vec_pretty(&doc)?)
}

/// Compile-cost measurements, in a target dir of their own so the workspace's is left alone.
fn compile_cost(spec: &[u8], bench_dir: &Path) -> Result<Value> {
    let root = paths::root()?;
    let target = bench_dir.join("target");
    let target_arg = target.to_string_lossy().to_string();
    let a = bench_dir.join("spec-a.json");
    let b = bench_dir.join("spec-b.json");
    std::fs::write(&a, one_line_variant(spec, "(variant a)")?)?;
    std::fs::write(&b, one_line_variant(spec, "(variant b)")?)?;
    // The variants are specs the overlay's twin was not resolved for: the build evaluates
    // the targets with the JSONPath engine (a build after `cargo xtask regen` replays them).
    let build = [
        "build",
        "--quiet",
        "--locked",
        "-p",
        "fotbo-api",
        "--features",
        "jsonpath",
        "--target-dir",
        &target_arg,
    ];

    // Dependencies once; then the crate alone from clean.
    timed_cargo(&build, &root, &[("FOTBO_SPEC_PATH", &a)])?;
    timed_cargo(
        &[
            "clean",
            "--quiet",
            "-p",
            "fotbo-api",
            "--target-dir",
            &target_arg,
        ],
        &root,
        &[],
    )?;
    let clean = timed_cargo(&build, &root, &[("FOTBO_SPEC_PATH", &a)])?;
    // One-line spec change: b, then back to a (two samples).
    let inc_b = timed_cargo(&build, &root, &[("FOTBO_SPEC_PATH", &b)])?;
    let inc_a = timed_cargo(&build, &root, &[("FOTBO_SPEC_PATH", &a)])?;

    // The generated code alone, in each interface style, as a crate of its own.
    let mut styles = serde_json::Map::new();
    let plain = |interface| Settings {
        interface,
        source_name: "bench".into(),
        ..Settings::default()
    };
    let pruned = Settings {
        struct_builders: StructBuilders::RequestBodies,
        api_version_header: false,
        ..plain(Interface::Builder)
    };
    for (name, settings) in [
        ("builder", plain(Interface::Builder)),
        ("builder-pruned", pruned),
        ("positional", plain(Interface::Positional)),
    ] {
        let g = generate(spec, &settings).map_err(|e| anyhow::anyhow!("{e}"))?;
        let dir = bench_dir.join(format!("interface-{name}"));
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::write(
            dir.join("src/lib.rs"),
            format!("#![allow(warnings, clippy::all)]\n{}", g.code),
        )?;
        std::fs::write(
            dir.join("Cargo.toml"),
            scratch_manifest(&format!("fotbo-interface-{name}"))?,
        )?;
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
        let manifest = dir.join("Cargo.toml").to_string_lossy().to_string();
        let args = [
            "build",
            "--quiet",
            "--offline",
            "--manifest-path",
            &manifest,
            "--target-dir",
            &target_arg,
        ];
        timed_cargo(&args, &root, &[])?;
        let package = format!("fotbo-interface-{name}");
        timed_cargo(
            &[
                "clean",
                "--quiet",
                "--offline",
                "--manifest-path",
                &manifest,
                "-p",
                &package,
                "--target-dir",
                &target_arg,
            ],
            &root,
            &[],
        )?;
        let t = timed_cargo(&args, &root, &[])?;
        styles.insert(
            name.into(),
            json!({"lines": g.code.lines().count(), "clean_build_s": t.as_secs_f64()}),
        );
    }
    Ok(json!({
        "clean_build_s": clean.as_secs_f64(),
        "incremental_after_one_line_spec_change_s": (inc_a.max(inc_b)).as_secs_f64(),
        "incremental_samples_s": [inc_b.as_secs_f64(), inc_a.as_secs_f64()],
        "interface_styles": styles,
    }))
}

/// A manifest for the generated code alone, with fotbo-api's versions of its dependencies.
fn scratch_manifest(name: &str) -> Result<String> {
    Ok(format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[workspace]\n\n[dependencies]\n\
         progenitor-client = \"0.15.1\"\nreqwest = {{ version = \"0.13\", default-features = false, features = [\"json\", \"stream\", \"rustls\", \"query\"] }}\n\
         serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\nchrono = {{ version = \"0.4\", default-features = false, features = [\"serde\", \"clock\", \"std\"] }}\n\
         uuid = {{ version = \"1\", features = [\"serde\"] }}\nregress = \"0.10\"\nfutures = \"0.3\"\nbytes = \"1\"\n"
    ))
}

/// Reads criterion's estimate (mean, ns) for a benchmark.
fn criterion_mean(target: &Path, group: &str, id: &str) -> Option<f64> {
    let path = target
        .join("criterion")
        .join(group)
        .join(id)
        .join("new")
        .join("estimates.json");
    let v: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    v.pointer("/mean/point_estimate").and_then(Value::as_f64)
}

fn client_benches() -> Result<Value> {
    let root = paths::root()?;
    let status = Command::new(paths::cargo())
        .args(["bench", "--locked", "-p", "fotbo-api", "--bench", "client"])
        .current_dir(&root)
        .status()
        .context("running cargo bench")?;
    if !status.success() {
        bail!("cargo bench -p fotbo-api failed");
    }
    let target = root.join("target");
    let pair = |group: &str, ours: &str, raw: &str| -> Value {
        let (a, b) = (
            criterion_mean(&target, group, ours),
            criterion_mean(&target, group, raw),
        );
        json!({"fotbo_api_us": a.map(|x| x / 1e3), "baseline_us": b.map(|x| x / 1e3), "ratio": a.zip(b).map(|(a, b)| a / b)})
    };
    let walk = pair("walk_10000", "fotbo_api/stream", "raw_reqwest_value/loop");
    let items_per_s = walk["fotbo_api_us"]
        .as_f64()
        .map(|us| 10_000.0 / (us / 1e6));
    Ok(json!({
        "get_instance": pair("get_instance", "fotbo_api", "raw_reqwest_typed"),
        "get_instance_vs_value": pair("get_instance", "fotbo_api", "raw_reqwest_value"),
        "list_page_1000": pair("list_page_1000", "fotbo_api", "raw_reqwest_typed"),
        "list_page_1000_vs_value": pair("list_page_1000", "fotbo_api", "raw_reqwest_value"),
        "get_instance_drifted": pair("get_instance_drifted", "fotbo_api", "raw_reqwest_typed"),
        "list_page_1000_drifted": pair("list_page_1000_drifted", "fotbo_api", "raw_reqwest_typed"),
        "parse_page_1000": pair("parse_page_1000", "typed", "value"),
        "decode_page_1000": pair("parse_page_1000", "fotbo_decode", "typed"),
        "decode_page_1000_drifted": pair("parse_page_1000", "fotbo_decode_drifted", "typed"),
        "walk_10000": walk,
        "walk_items_per_s": items_per_s,
    }))
}

/// Runs the benchmarks; returns the printed table.
pub fn bench(opts: &BenchOptions) -> Result<String> {
    if cfg!(debug_assertions) {
        bail!("the pipeline must be timed in a release build: run `cargo xtask bench`, which re-runs itself with --release");
    }
    let spec_dir = paths::spec_dir()?;
    let inputs = SpecInputs::active(&spec_dir).map_err(|e| anyhow::anyhow!("{e}"))?;
    let spec_path = inputs.spec_path.clone();
    let spec = inputs.spec.clone();
    let bench_dir = paths::root()?.join("target").join("bench");
    std::fs::create_dir_all(&bench_dir)?;

    // The pipeline as fotbo-api's build script runs it: the overlay read from its JSON twin,
    // whose targets regen resolved for this spec (replayed, not queried).
    let twin = spec_dir.join(generator::inputs::OVERLAY_JSON_FILE);
    let build_inputs = match inputs.overlay_path.is_some() && twin.is_file() {
        true => SpecInputs {
            // The header names the spec as the build's does.
            spec_name: inputs.spec_name.clone(),
            ..SpecInputs::from_files(&inputs.spec_path, Some(&twin))
                .map_err(|e| anyhow::anyhow!("{e}"))?
        },
        false => inputs.clone(),
    };
    let (t, g) = pipeline(&build_inputs, opts.runs)?;
    // The overlay queried with the JSONPath engine: what a spec the twin was not resolved
    // for costs (`FOTBO_SPEC_PATH` with the `jsonpath` feature, xtask's own runs).
    let overlay_queried = match &inputs.overlay {
        Some(overlay) => {
            let doc = generator::load::load(&spec).map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut times = Vec::new();
            for _ in 0..opts.runs.max(1) {
                let mut doc = doc.clone();
                let started = Instant::now();
                std::hint::black_box(overlay.apply(&mut doc));
                times.push(started.elapsed());
            }
            Some(median(times))
        }
        None => None,
    };
    let types = g.api.types.len();
    let methods = g.api.operations.len();
    let mut report = json!({
        "machine": {"cores": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1), "os": std::env::consts::OS},
        "spec": spec_path.display().to_string(),
        "pipeline_ms": {
            "load": ms(t.load), "overlay": ms(t.overlay), "normalize": ms(t.normalize), "progenitor": ms(t.progenitor),
            "syn": ms(t.syn), "prune": ms(t.prune), "prettyplease": ms(t.prettyplease), "total": ms(t.total()), "target": 250.0, "runs": opts.runs,
        },
        "generated": {"lines": g.code.lines().count(), "bytes": g.code.len(), "types": types, "methods": methods},
    });
    report["overlay_queried_ms"] = json!(overlay_queried.map(ms));
    // (d) of what a user pays: our pipeline against progenitor alone on the same document.
    let alone = progenitor_alone(&g.normalized, opts.runs)?;
    report["progenitor_alone_ms"] = json!(ms(alone));
    report["pipeline_vs_progenitor_alone"] = json!(t.total().as_secs_f64() / alone.as_secs_f64());
    if opts.compile {
        report["compile"] = compile_cost(&spec, &bench_dir)?;
        report["build_script_s"] = build_script_profiles(&bench_dir)?;
    }
    if opts.user_cost {
        let cost = crate::package::user_cost()?;
        report["consumer"] = json!({
            "packaged_crates": cost.packaged.0, "packaged_s": cost.packaged.1.as_secs_f64(),
            "plain_source_crates": cost.plain.0, "plain_source_s": cost.plain.1.as_secs_f64(),
            "ratio": cost.packaged.1.as_secs_f64() / cost.plain.1.as_secs_f64(),
            "release_binary_bytes": cost.release_binary_bytes,
        });
    }
    if opts.synthetic {
        report["synthetic"] = synthetic_scaling()?;
    }
    if opts.client {
        report["client"] = client_benches()?;
    }
    std::fs::write(
        bench_dir.join("bench.json"),
        serde_json::to_string_pretty(&report)? + "\n",
    )?;
    Ok(table(&report))
}

fn table(r: &Value) -> String {
    let f = |p: &str| r.pointer(p).and_then(Value::as_f64);
    let show = |v: Option<f64>, unit: &str| {
        v.map(|x| format!("{x:.1} {unit}"))
            .unwrap_or_else(|| "-".into())
    };
    let verdict = |v: Option<f64>, target: f64| match v {
        Some(x) if x <= target => "met",
        Some(_) => "NOT met",
        None => "-",
    };
    let mut rows: Vec<(String, String, String)> = vec![
        (
            "pipeline: load".into(),
            show(f("/pipeline_ms/load"), "ms"),
            String::new(),
        ),
        (
            "pipeline: overlay (replayed from the twin, as the build script does)".into(),
            show(f("/pipeline_ms/overlay"), "ms"),
            String::new(),
        ),
        (
            "  the overlay's targets queried instead (a spec the twin is not resolved for)".into(),
            show(f("/overlay_queried_ms"), "ms"),
            String::new(),
        ),
        (
            "pipeline: normalize".into(),
            show(f("/pipeline_ms/normalize"), "ms"),
            String::new(),
        ),
        (
            "pipeline: progenitor".into(),
            show(f("/pipeline_ms/progenitor"), "ms"),
            String::new(),
        ),
        (
            "pipeline: syn".into(),
            show(f("/pipeline_ms/syn"), "ms"),
            String::new(),
        ),
        (
            "pipeline: prune (settings)".into(),
            show(f("/pipeline_ms/prune"), "ms"),
            String::new(),
        ),
        (
            "pipeline: prettyplease".into(),
            show(f("/pipeline_ms/prettyplease"), "ms"),
            String::new(),
        ),
        (
            "pipeline: total".into(),
            show(f("/pipeline_ms/total"), "ms"),
            format!("< 250 ms: {}", verdict(f("/pipeline_ms/total"), 250.0)),
        ),
        (
            "progenitor alone, same document (openapiv3, tokens, syn, prettyplease)".into(),
            show(f("/progenitor_alone_ms"), "ms"),
            format!(
                "ours / alone = {}: ≤ 2: {}",
                show(f("/pipeline_vs_progenitor_alone"), "×"),
                verdict(f("/pipeline_vs_progenitor_alone"), 2.0)
            ),
        ),
        (
            "generated code".into(),
            format!(
                "{} lines, {} bytes",
                r["generated"]["lines"], r["generated"]["bytes"]
            ),
            format!(
                "{} types, {} methods",
                r["generated"]["types"], r["generated"]["methods"]
            ),
        ),
    ];
    if r.get("build_script_s").is_some() {
        rows.push((
            "fotbo-api build script alone: dev / optimized".into(),
            format!(
                "{} / {}",
                show(f("/build_script_s/dev"), "s"),
                show(f("/build_script_s/optimized"), "s")
            ),
            format!(
                "ratio {}: ≤ 3: {}",
                show(f("/build_script_s/ratio"), "×"),
                verdict(f("/build_script_s/ratio"), 3.0)
            ),
        ));
        if let Some(Value::Object(dev)) = r.pointer("/build_script_s/stages_ms/dev") {
            for stage in dev.keys() {
                rows.push((
                    format!("  build script stage {stage}: dev / optimized"),
                    format!(
                        "{} / {}",
                        show(f(&format!("/build_script_s/stages_ms/dev/{stage}")), "ms"),
                        show(
                            f(&format!("/build_script_s/stages_ms/optimized/{stage}")),
                            "ms"
                        )
                    ),
                    show(
                        f(&format!(
                            "/build_script_s/stages_ms/dev_over_optimized/{stage}"
                        )),
                        "×",
                    ),
                ));
            }
        }
    }
    if r.get("consumer").is_some() {
        rows.push((
            "new app, clean debug build: packaged fotbo-api / same code as plain source".into(),
            format!(
                "{} ({} crates) / {} ({} crates)",
                show(f("/consumer/packaged_s"), "s"),
                r["consumer"]["packaged_crates"],
                show(f("/consumer/plain_source_s"), "s"),
                r["consumer"]["plain_source_crates"]
            ),
            format!(
                "ratio {}: ≤ 1.25: {}",
                show(f("/consumer/ratio"), "×"),
                verdict(f("/consumer/ratio"), 1.25)
            ),
        ));
        rows.push((
            "release binary calling one operation".into(),
            format!("{} bytes", r["consumer"]["release_binary_bytes"]),
            String::new(),
        ));
    }
    if r.get("compile").is_some() {
        rows.push((
            "fotbo-api clean build (deps built)".into(),
            show(f("/compile/clean_build_s"), "s"),
            String::new(),
        ));
        rows.push((
            "fotbo-api rebuild after 1-line spec change".into(),
            show(f("/compile/incremental_after_one_line_spec_change_s"), "s"),
            format!(
                "< 30 s: {}",
                verdict(f("/compile/incremental_after_one_line_spec_change_s"), 30.0)
            ),
        ));
        for style in ["builder", "builder-pruned", "positional"] {
            rows.push((
                format!("generated code alone, {style}"),
                show(
                    f(&format!("/compile/interface_styles/{style}/clean_build_s")),
                    "s",
                ),
                format!("{} lines", r["compile"]["interface_styles"][style]["lines"]),
            ));
        }
    }
    for row in r["synthetic"].as_array().into_iter().flatten() {
        let peak = row["peak_mib"].as_f64();
        let big = row["operations"].as_u64() == Some(20_000);
        rows.push((
            format!("synthetic spec, {} operations", row["operations"]),
            format!(
                "{} s, peak {}",
                row["seconds"]
                    .as_f64()
                    .map(|x| format!("{x:.2}"))
                    .unwrap_or("-".into()),
                show(peak, "MiB")
            ),
            if big {
                format!(
                    "< 2,560 MiB: {}; {} lines",
                    verdict(peak, 2560.0),
                    row["lines"]
                )
            } else {
                format!("{} lines", row["lines"])
            },
        ));
    }
    if r.get("client").is_some() {
        // Baselines: reqwest + the same generated types with serde_json (typed), or + Value;
        // in the drifted rows plain serde fails on the first misfit and fotbo-api decodes.
        for (name, target) in [
            ("get_instance", Some(1.05)),
            ("list_page_1000", Some(1.05)),
            ("get_instance_vs_value", None),
            ("list_page_1000_vs_value", None),
            ("get_instance_drifted", None),
            ("list_page_1000_drifted", None),
            ("parse_page_1000", None),
            ("decode_page_1000", None),
            ("decode_page_1000_drifted", None),
            ("walk_10000", None),
        ] {
            let ratio = f(&format!("/client/{name}/ratio"));
            rows.push((
                format!("client: {name}"),
                format!(
                    "{} vs {}",
                    show(f(&format!("/client/{name}/fotbo_api_us")), "µs"),
                    show(f(&format!("/client/{name}/baseline_us")), "µs")
                ),
                match target {
                    Some(t) => format!(
                        "ratio {}: ≤ {t}: {}",
                        ratio.map(|x| format!("{x:.3}")).unwrap_or("-".into()),
                        verdict(ratio, t)
                    ),
                    None => format!(
                        "ratio {}",
                        ratio.map(|x| format!("{x:.3}")).unwrap_or("-".into())
                    ),
                },
            ));
        }
        rows.push((
            "client: walk throughput".into(),
            show(f("/client/walk_items_per_s"), "items/s"),
            String::new(),
        ));
    }
    let w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let w2 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut out = format!(
        "machine: {} cores ({})\n",
        r["machine"]["cores"], r["machine"]["os"]
    );
    for (a, b, c) in rows {
        out.push_str(&format!("{a:<w$}  {b:<w2$}  {c}\n"));
    }
    out.push_str("(written to target/bench/bench.json)\n");
    out
}

/// Re-runs `cargo xtask bench` as a release build.
pub fn rerun_in_release(args: &[String]) -> Result<std::process::ExitStatus> {
    let status = Command::new(paths::cargo())
        .args([
            "run",
            "--quiet",
            "--release",
            "--locked",
            "-p",
            "xtask",
            "--",
        ])
        .args(args)
        .current_dir(paths::root()?)
        .status()
        .context("re-running xtask in release mode")?;
    Ok(status)
}
