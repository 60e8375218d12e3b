//! The `fotbo` program (feature `cli`) driven as a user drives it: the built binary, a config
//! directory of its own, and the typed mocks on 127.0.0.1 as the API.
//!
//! Commands are found through the program's own listing (`fotbo commands`) by the operation
//! they send, never by a name written here: the names come from the active spec.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests fail by panicking

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use fotbo_api::mock::{MockServer, MockServerExt};
use serde_json::{json, Value};

const TOKEN: &str = "tok-4b1d0c3e9f8a7765";
const WRONG_TOKEN: &str = "tok-wrong-000000";

/// One run of the program.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Everything every run printed, to look for the token in afterwards.
#[derive(Default)]
struct Transcript {
    text: String,
}

impl Transcript {
    fn run(&mut self, config: &Path, args: &[&str], stdin: Option<&str>) -> Run {
        self.run_env(config, args, stdin, &[])
    }

    fn run_env(
        &mut self,
        config: &Path,
        args: &[&str],
        stdin: Option<&str>,
        env: &[(&str, &str)],
    ) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_fotbo"));
        command
            .args(args)
            .env("FOTBO_CONFIG_DIR", config)
            .env_remove("FOTBO_TOKEN")
            .env_remove("FOTBO_API_URL")
            .env_remove("FOTBO_PROFILE")
            .env("NO_COLOR", "1")
            // Help wraps at the terminal's width, else COLUMNS: the same for every machine.
            .env("COLUMNS", "100")
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("the fotbo binary runs");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("stdin written");
        }
        let Output {
            status,
            stdout,
            stderr,
        } = child.wait_with_output().expect("fotbo finishes");
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        };
        self.text.push_str(&format!(
            "$ fotbo {}\n{}{}[exit {}]\n",
            args.join(" "),
            run.stdout,
            run.stderr,
            run.code
        ));
        run
    }
}

/// (group, command) of the command that sends `operation`, from the program's listing.
fn command_for(config: &Path, operation: &str) -> (String, String) {
    let listing = Transcript::default().run(config, &["commands"], None);
    assert_eq!(listing.code, 0, "{}", listing.stderr);
    listing
        .stdout
        .lines()
        .find_map(|line| {
            let mut words = line.split(' ');
            let (group, command, op) = (words.next()?, words.next()?, words.next()?);
            (op == operation).then(|| (group.to_string(), command.to_string()))
        })
        .unwrap_or_else(|| panic!("no command sends {operation}:\n{}", listing.stdout))
}

fn words<'a>(command: &'a (String, String), rest: &[&'a str]) -> Vec<&'a str> {
    let mut all = vec![command.0.as_str(), command.1.as_str()];
    all.extend_from_slice(rest);
    all
}

fn instance(id: &str, name: &str, status: &str) -> Value {
    json!({"id": id, "name": name, "status": status, "region": "de-1", "flavor": {"name": "s1"},
           "undeclared_by_the_spec": {"kept": true}})
}

#[test]
fn a_session_signs_in_lists_creates_waits_renames_and_deletes() {
    let config = tempfile::tempdir().expect("config dir");
    let server = MockServer::start();
    let mut t = Transcript::default();

    let whoami = server.current_user_list(|when, then| {
        when.into_inner()
            .header("authorization", format!("Token {TOKEN}"));
        then.into_inner()
            .status(200)
            .json_body(json!({"user": {"id": 7, "username": "ops"}}));
    });
    let refused = server.current_user_list(|when, then| {
        when.into_inner()
            .header("authorization", format!("Token {WRONG_TOKEN}"));
        then.into_inner()
            .status(401)
            .json_body(json!({"detail": "Invalid token."}));
    });

    // A token the API refuses is not stored.
    let run = t.run(
        config.path(),
        &["auth", "login", "--api-url", &server.base_url()],
        Some(WRONG_TOKEN),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("Invalid token."), "{}", run.stderr);
    assert!(!config.path().join("config.toml").exists());
    refused.assert_calls(1);

    // The right one is, in a file only its owner reads.
    let run = t.run(
        config.path(),
        &["auth", "login", "--api-url", &server.base_url()],
        Some(&format!("{TOKEN}\n")),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    whoami.assert_calls(1);
    let file = config.path().join("config.toml");
    let stored = std::fs::read_to_string(&file).expect("config written");
    assert!(stored.contains(TOKEN), "{stored}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "config mode {mode:o}");
    }
    let run = t.run(config.path(), &["auth", "status"], None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("profile: default"), "{}", run.stdout);
    assert!(run.stdout.contains(&server.base_url()), "{}", run.stdout);

    // A list, two pages, as a table and as JSON (the default when piped).
    let list = command_for(config.path(), "instances_list");
    let first = server.instances_list(|when, then| {
        when.page("1");
        then.into_inner().status(200).json_body(json!({
            "count": 3, "next": "page=2", "objects": [instance("i-1", "web-1", "active"), instance("i-2", "web-2", "stopped")]
        }));
    });
    let second = server.instances_list(|when, then| {
        when.page("2");
        then.into_inner().status(200).json_body(json!({
            "count": 3, "next": null, "objects": [instance("i-3", "db-1", "active")]
        }));
    });
    let run = t.run(config.path(), &words(&list, &["--output", "table"]), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].contains("ID") && lines[0].contains("STATUS"),
        "{}",
        run.stdout
    );
    for name in ["web-1", "web-2", "db-1"] {
        assert!(run.stdout.contains(name), "{}", run.stdout);
    }
    let run = t.run(config.path(), &words(&list, &[]), None);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let items: Vec<Value> = serde_json::from_str(&run.stdout).expect("the JSON output parses");
    assert_eq!(items.len(), 3);
    // JSON is what the server sent: a field the spec does not name is there.
    assert_eq!(items[0]["undeclared_by_the_spec"]["kept"], json!(true));
    let run = t.run(config.path(), &words(&list, &["--limit", "1"]), None);
    let items: Vec<Value> = serde_json::from_str(&run.stdout).expect("parses");
    assert_eq!(items.len(), 1);
    first.assert_calls(3);
    second.assert_calls(2);

    // Create, then wait while the server says "building" twice.
    let create = command_for(config.path(), "instances_create");
    let created = server.instances_create(|when, then| {
        when.into_inner().json_body_includes(r#"{"name": "web-3"}"#);
        then.into_inner()
            .status(201)
            .json_body(json!({"id": "i-new", "name": "web-3", "status": "building"}));
    });
    let mut building = server.instances_retrieve(|when, then| {
        when.instance_id("i-new");
        then.into_inner()
            .status(200)
            .json_body(instance("i-new", "web-3", "building"));
    });
    let mut swap = std::thread::scope(|scope| {
        let watcher = scope.spawn(|| {
            // After the second look, the server says "active" (the client waits ≥ 1 s between looks).
            let started = std::time::Instant::now();
            while building.calls() < 2 && started.elapsed() < Duration::from_secs(20) {
                std::thread::sleep(Duration::from_millis(5));
            }
            building.delete();
            server.instances_retrieve(|when, then| {
                when.instance_id("i-new");
                then.into_inner()
                    .status(200)
                    .json_body(instance("i-new", "web-3", "active"));
            })
        });
        let run = t.run(
            config.path(),
            &words(
                &create,
                &[
                    "--body",
                    "-",
                    "--name",
                    "web-3",
                    "--wait",
                    "--timeout",
                    "60",
                ],
            ),
            // The whole body from stdin, one field given beside it as a flag.
            Some(
                r#"{"flavor": "s1", "region": "de-1", "client": 1, "nics": ["n-1"],
                     "boot_source": {"source_type": "image", "source_id": "img-1"}}"#,
            ),
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        let answer: Value = serde_json::from_str(&run.stdout).expect("the answer parses");
        assert_eq!(answer["id"], json!("i-new"));
        watcher.join().expect("watcher")
    });
    created.assert_calls(1);
    swap.assert_calls(1);

    // Rename.
    let rename = command_for(config.path(), "instances_rename");
    let renamed = server.instances_rename(|when, then| {
        when.instance_id("i-new")
            .into_inner()
            .json_body(json!({"name": "web-4"}));
        then.into_inner()
            .status(200)
            .json_body(json!({"detail": "Instance rename in progress"}));
    });
    let run = t.run(
        config.path(),
        &words(&rename, &["i-new", "--name", "web-4"]),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    renamed.assert_calls(1);

    // Delete and wait until it is gone.
    let delete = command_for(config.path(), "instances_destroy");
    swap.delete();
    swap_to_gone(&server);
    let deleted = server.instances_destroy(|when, then| {
        when.instance_id("i-new");
        then.no_content();
    });
    let run = t.run(
        config.path(),
        &words(&delete, &["i-new", "--wait", "--timeout", "30"]),
        None,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    deleted.assert_calls(1);

    // The token is in the config file and nowhere else: no output, no other file.
    assert!(!t.text.contains(TOKEN), "{}", t.text);
    for entry in std::fs::read_dir(config.path()).expect("dir") {
        let path = entry.expect("entry").path();
        if path != file {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(!text.contains(TOKEN), "{} holds the token", path.display());
        }
    }
    println!("{}", t.text);
}

/// The retrieve mocks for the deleted instance: 404 from now on.
fn swap_to_gone(server: &MockServer) {
    server.instances_retrieve(|when, then| {
        when.instance_id("i-new")
            .into_inner()
            .method(httpmock::Method::GET);
        then.into_inner()
            .status(404)
            .json_body(json!({"detail": "Not found."}));
    });
}

#[test]
fn api_errors_print_fotbos_message_and_exit_1_usage_errors_exit_2() {
    let config = tempfile::tempdir().expect("config dir");
    let server = MockServer::start();
    let mut t = Transcript::default();
    let env = [
        ("FOTBO_TOKEN", TOKEN),
        ("FOTBO_API_URL", &*server.base_url()),
    ];

    let create = command_for(config.path(), "instances_create");
    server.instances_create(|_, then| {
        then.into_inner().status(400).json_body(json!({
            "name": ["This field is required."],
            "flavor": ["Invalid flavor."]
        }));
    });
    let run = t.run_env(
        config.path(),
        &words(&create, &["--body", "-"]),
        Some(r#"{"region": "de-1"}"#),
        &env,
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("name: This field is required.")
            && run.stderr.contains("flavor: Invalid flavor.")
            && run.stderr.contains("400"),
        "{}",
        run.stderr
    );

    let list = command_for(config.path(), "instances_list");
    server.instances_list(|_, then| {
        then.into_inner()
            .status(401)
            .json_body(json!({"detail": "Invalid token."}));
    });
    let run = t.run_env(config.path(), &words(&list, &[]), None, &env);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("Invalid token."), "{}", run.stderr);
    assert!(run.stderr.contains("401"), "{}", run.stderr);

    // Usage: a missing path parameter, a page size out of range, a value of the wrong kind.
    let reboot = command_for(config.path(), "instances_reboot");
    let run = t.run_env(config.path(), &words(&reboot, &[]), None, &env);
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = t.run_env(
        config.path(),
        &words(&list, &["--page-size", "0"]),
        None,
        &env,
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let run = t.run_env(config.path(), &["no-such-group"], None, &env);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // A path parameter cannot climb out of its segment.
    let run = t.run_env(config.path(), &words(&reboot, &[".."]), None, &env);
    assert_eq!(run.code, 2, "{}", run.stderr);

    // Not signed in: said, exit 1.
    let run = t.run(config.path(), &words(&list, &[]), None);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("fotbo auth login"), "{}", run.stderr);
    assert!(!t.text.contains(TOKEN), "{}", t.text);
}

#[test]
fn a_value_from_a_file_and_a_whole_body_from_stdin() {
    let config = tempfile::tempdir().expect("config dir");
    let server = MockServer::start();
    let mut t = Transcript::default();
    let env = [
        ("FOTBO_TOKEN", TOKEN),
        ("FOTBO_API_URL", &*server.base_url()),
    ];
    let key = config.path().join("id_ed25519.pub");
    std::fs::write(&key, "ssh-ed25519 AAAAC3Nza me@host\n").expect("key");

    let create = command_for(config.path(), "pkm_create");
    let from_file = server.pkm_create(|when, then| {
        when.into_inner().json_body(json!({
            "name": "k", "public_key": "ssh-ed25519 AAAAC3Nza me@host"
        }));
        then.into_inner()
            .status(201)
            .json_body(json!({"id": 1, "name": "k"}));
    });
    let at = format!("@{}", key.display());
    let run = t.run_env(
        config.path(),
        &words(&create, &["--name", "k", "--public-key", &at]),
        None,
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    from_file.assert_calls(1);

    let from_stdin = server.pkm_create(|when, then| {
        when.into_inner()
            .json_body(json!({"name": "from-stdin", "public_key": "x"}));
        then.into_inner()
            .status(201)
            .json_body(json!({"id": 2, "name": "from-stdin"}));
    });
    let run = t.run_env(
        config.path(),
        &words(&create, &["--body", "-", "--output", "yaml"]),
        Some(r#"{"name": "from-stdin", "public_key": "x"}"#),
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("name: from-stdin"), "{}", run.stdout);
    from_stdin.assert_calls(1);

    // `fotbo api`: any request through the same runtime.
    let raw = server.mock(|when, then| {
        when.method(httpmock::Method::GET)
            .path("/backend/api/not-in-the-spec")
            .query_param("x", "1")
            .header("authorization", format!("Token {TOKEN}"));
        then.status(200).body(r#"{"ok": true}"#);
    });
    let run = t.run_env(
        config.path(),
        &[
            "api",
            "GET",
            "/backend/api/not-in-the-spec",
            "--query",
            "x=1",
        ],
        None,
        &env,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "{\"ok\": true}\n", "the server's bytes as sent");
    raw.assert_calls(1);
    assert!(!t.text.contains(TOKEN), "{}", t.text);
}

#[test]
fn every_operation_of_the_client_is_a_command() {
    let config = tempfile::tempdir().expect("config dir");
    let listing = Transcript::default().run(config.path(), &["commands"], None);
    let operations: std::collections::BTreeSet<&str> = listing
        .stdout
        .lines()
        .filter_map(|l| l.split(' ').nth(2))
        .collect();
    let client: std::collections::BTreeSet<&str> =
        fotbo_api::OPERATIONS.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(operations, client);
    println!("{} commands", operations.len());
}

#[test]
fn completion_scripts_are_printed() {
    let config = tempfile::tempdir().expect("config dir");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let run = Transcript::default().run(config.path(), &["completion", shell], None);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("fotbo"), "{shell}");
    }
}

#[test]
fn help_reads_like_a_hand_written_one() {
    let config = tempfile::tempdir().expect("config dir");
    let top = Transcript::default().run(config.path(), &["--help"], None);
    assert_eq!(top.code, 0);
    insta::assert_snapshot!("fotbo-help", top.stdout);
    let auth = Transcript::default().run(config.path(), &["auth", "--help"], None);
    insta::assert_snapshot!("fotbo-auth-help", auth.stdout);
    let (group, _) = command_for(config.path(), "instances_list");
    let group_help = Transcript::default().run(config.path(), &[&group, "--help"], None);
    assert_eq!(group_help.code, 0);
    insta::assert_snapshot!("fotbo-group-help", group_help.stdout);
}
