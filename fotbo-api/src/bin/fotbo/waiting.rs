//! `--wait`: polling the resource's GET (fotbo-api's `poll_until`, with its backoff and
//! timeout) until its status is the one the action leads to, or it is gone; a spinner with
//! the current status on stderr when stderr is a terminal.

use std::io::IsTerminal;
use std::time::Duration;

use clap::ArgMatches;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use fotbo_api::wait::{poll_until, Poll, PollOptions};
use fotbo_api::{Client, Error, Method};

use crate::failure::Failure;
use crate::run::send;
use crate::table::{Command, Wait};
use crate::values::{encode_segment, Request};

/// Statuses that mean the resource will not get where it was going by itself.
const FAILED: &[&str] = &["error", "failed", "fault"];

/// The statuses an action leads to: `--wait-for`, else by the action's name (Fleio's
/// instance states), else `active`.
fn targets(command: &Command, wanted: Option<String>) -> Vec<String> {
    if let Some(status) = wanted {
        return vec![status.to_ascii_lowercase()];
    }
    let action = command.name;
    let is = |word: &str| action.split('-').any(|w| w == word);
    let states: &[&str] = if is("stop") || is("shutoff") {
        &["stopped", "shutoff"]
    } else if is("shelve") {
        &["shelved", "shelved_offloaded"]
    } else if is("rescue") {
        &["rescued"]
    } else if is("suspend") {
        &["suspended"]
    } else if is("pause") {
        &["paused"]
    } else if is("resize") {
        &["resized", "verify_resize", "active"]
    } else {
        &["active"]
    };
    states.iter().map(|s| s.to_string()).collect()
}

/// Waits for what `command` changed.
pub async fn wait(
    client: &Client,
    command: &'static Command,
    wait: &'static Wait,
    matches: &ArgMatches,
    answer: &Value,
    wanted: Option<String>,
    timeout: Duration,
) -> Result<(), Failure> {
    let id = match wait.id_param {
        Some(param) => command
            .args
            .iter()
            .find(|a| a.name == param)
            .and_then(|a| matches.get_one::<String>(a.flag))
            .cloned(),
        None => match answer.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        },
    }
    .ok_or_else(|| {
        Failure::Other("cannot wait: the answer does not say the new resource's id".into())
    })?;
    let param = wait
        .retrieve
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    let path = wait.retrieve.replace(param, &encode_segment(&id));
    let request = Request {
        path,
        ..Request::default()
    };
    let targets = targets(command, wanted);
    let what = if wait.gone {
        format!("{id} to be gone")
    } else {
        format!("{id} to be {}", targets.join(" or "))
    };
    let spinner = spinner(&what);
    let outcome = poll_until(&what, &PollOptions::with_timeout(timeout), || {
        let request = &request;
        let id = &id;
        let targets = &targets;
        let spinner = &spinner;
        async move {
            let answer = match send(client, Method::GET, request, None).await {
                Ok(answer) => answer,
                Err(Failure::Api(e))
                    if wait.gone && e.status().map(|s| s.as_u16()) == Some(404) =>
                {
                    return Ok(Poll::Ready(None));
                }
                Err(Failure::Api(e)) => return Err(e),
                Err(other) => return Err(Error::InvalidRequest(other.to_string())),
            };
            let body = answer.json()?;
            let status = body
                .get("status")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase);
            spinner.set_message(format!(
                "waiting for {}: {}",
                id,
                status.as_deref().unwrap_or("no status")
            ));
            match status {
                Some(s) if wait.gone && s == "deleted" => Ok(Poll::Ready(None)),
                Some(s) if !wait.gone && targets.contains(&s) => Ok(Poll::Ready(None)),
                // Ready, but not where it was going: said below.
                Some(s) if FAILED.contains(&s.as_str()) => Ok(Poll::Ready(Some(s))),
                other => Ok(Poll::Pending(other)),
            }
        }
    })
    .await;
    spinner.finish_and_clear();
    match outcome {
        Ok(None) => {
            if std::io::stderr().is_terminal() {
                eprintln!("{what}: done");
            }
            Ok(())
        }
        Ok(Some(failed)) => Err(Failure::Other(format!(
            "{id} went to status {failed} while waiting for {what}"
        ))),
        Err(e) => Err(Failure::Api(e)),
    }
}

fn spinner(what: &str) -> ProgressBar {
    let spinner = ProgressBar::with_draw_target(
        None,
        if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        },
    );
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        spinner.set_style(style);
    }
    spinner.set_message(format!("waiting for {what}"));
    spinner.enable_steady_tick(Duration::from_millis(120));
    spinner
}
