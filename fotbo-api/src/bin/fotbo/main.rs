//! `fotbo`: the Fotbo.com cloud from the command line (fotbo-api's `cli` feature).
//!
//! Every operation of the spec is a command (`table`, generated at build time), sent through
//! the SDK's runtime. Exit codes: 0 success, 1 an API, network or local failure, 2 a usage
//! error. Errors go to stderr; the token is never printed.

mod auth;
mod commands;
mod config;
mod failure;
mod output;
mod run;
mod table;
mod values;
mod waiting;

use std::process::ExitCode;

use clap::ArgMatches;

use failure::Failure;
use output::Format;

fn main() -> ExitCode {
    let matches = match commands::program().try_get_matches() {
        Ok(matches) => matches,
        Err(e) => {
            // --help and --version print and succeed; a usage error is 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(dispatch(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {failure}");
            ExitCode::from(failure.exit_code())
        }
    }
}

async fn dispatch(matches: &ArgMatches) -> Result<(), Failure> {
    let profile = matches.get_one::<String>("profile").map(String::as_str);
    let format = Format::choose(matches.get_one::<String>("output").map(String::as_str));
    let Some((name, sub)) = matches.subcommand() else {
        return Err(Failure::Usage("no command given: see fotbo --help".into()));
    };
    match name {
        "auth" => match sub.subcommand() {
            Some(("login", login)) => {
                auth::login(
                    profile,
                    login.get_one::<String>("api-url").map(String::as_str),
                )
                .await
            }
            Some(("status", _)) => auth::status(profile),
            Some(("logout", _)) => auth::logout(profile),
            _ => Err(Failure::Usage("see fotbo auth --help".into())),
        },
        "completion" => {
            let shell = sub
                .get_one::<String>("shell")
                .and_then(|s| s.parse::<clap_complete::Shell>().ok())
                .ok_or_else(|| Failure::Usage("unknown shell".into()))?;
            clap_complete::generate(
                shell,
                &mut commands::program(),
                "fotbo",
                &mut std::io::stdout(),
            );
            Ok(())
        }
        "commands" => {
            for (group, command) in table::commands() {
                println!(
                    "{} {} {} {} {}",
                    group.name, command.name, command.operation, command.method, command.path
                );
            }
            Ok(())
        }
        "api" => {
            let client = signed_in(profile)?;
            api(&client, sub, format).await
        }
        group => {
            let Some((command_name, args)) = sub.subcommand() else {
                return Err(Failure::Usage(format!("see fotbo {group} --help")));
            };
            let command = table::commands()
                .find(|(g, c)| g.name == group && c.name == command_name)
                .map(|(_, c)| c)
                .ok_or_else(|| Failure::Usage(format!("no command {group} {command_name}")))?;
            let client = signed_in(profile)?;
            run::command(&client, command, args, format).await
        }
    }
}

/// A client for the selected profile, or the reason there is none.
fn signed_in(profile: Option<&str>) -> Result<fotbo_api::Client, Failure> {
    let selected = config::select(profile)?;
    let token = selected.token.as_deref().ok_or_else(|| {
        Failure::Other(format!(
            "not signed in (profile `{}`): run `fotbo auth login` or set FOTBO_TOKEN",
            selected.profile
        ))
    })?;
    auth::client(token, selected.api_url.as_deref())
}

/// `fotbo api METHOD PATH [--data …] [--query name=value …]`.
async fn api(
    client: &fotbo_api::Client,
    matches: &ArgMatches,
    format: Format,
) -> Result<(), Failure> {
    let method = run::method(matches.get_one::<String>("method").map_or("GET", |s| s))?;
    let path = matches
        .get_one::<String>("path")
        .cloned()
        .unwrap_or_default();
    let mut query = Vec::new();
    for pair in matches.get_many::<String>("query").into_iter().flatten() {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| Failure::Usage(format!("--query {pair}: expected NAME=VALUE")))?;
        query.push((name.to_string(), value.to_string()));
    }
    let body = match matches.get_one::<String>("data") {
        Some(data) => {
            let text = match data.strip_prefix('@') {
                Some(file) => values::read_file(file)?,
                None => data.clone(),
            };
            Some(
                serde_json::from_str(&text)
                    .map_err(|e| Failure::Usage(format!("--data: not JSON: {e}")))?,
            )
        }
        None => None,
    };
    let request = values::Request { path, query, body };
    let answer = run::send(client, method, &request, None).await?;
    output::answer(format, &answer.body)
}
