//! The clap command tree: the generated table's groups and commands, and the hand-written
//! ones (`auth`, `api`, `completion`).

use clap::{Arg as ClapArg, ArgAction, Command as ClapCommand};

use crate::table::{self, Body, Kind, Place};

/// `--output`'s values.
pub const OUTPUTS: [&str; 3] = ["table", "json", "yaml"];

/// The list walker's page size when `--page-size` is not given.
pub const DEFAULT_PAGE_SIZE: &str = "100";

/// How long `--wait` waits when `--timeout` is not given, in seconds.
pub const DEFAULT_WAIT_SECONDS: &str = "600";

/// The whole program's commands.
pub fn program() -> ClapCommand {
    let mut root = ClapCommand::new("fotbo")
        .version(env!("CARGO_PKG_VERSION"))
        .about("The Fotbo.com cloud from the command line")
        .long_about(
            "The Fotbo.com cloud from the command line: every API operation is a command, \
             grouped as the API documentation groups them.\n\n\
             Sign in with `fotbo auth login`; FOTBO_TOKEN and FOTBO_API_URL override the \
             stored profile.",
        )
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            ClapArg::new("profile")
                .long("profile")
                .global(true)
                .value_name("NAME")
                .env("FOTBO_PROFILE")
                .help("The stored profile to use [default: the config's default_profile, or `default`]"),
        )
        .arg(
            ClapArg::new("output")
                .long("output")
                .short('o')
                .global(true)
                .value_name("FORMAT")
                .value_parser(OUTPUTS)
                .help("How to print answers [default: table on a terminal, json otherwise]"),
        );
    for group in table::GROUPS {
        root = root.subcommand(group_command(group));
    }
    root.subcommand(auth_command())
        .subcommand(api_command())
        .subcommand(
            ClapCommand::new("completion")
                .about("Print a shell completion script")
                .arg(ClapArg::new("shell").required(true).value_parser([
                    "bash",
                    "zsh",
                    "fish",
                    "powershell",
                    "elvish",
                ])),
        )
        .subcommand(
            ClapCommand::new("commands")
                .hide(true)
                .about("Every generated command: group, command, operation, method, path"),
        )
}

fn group_command(group: &'static table::Group) -> ClapCommand {
    let mut command = ClapCommand::new(group.name)
        .about(group.about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for c in group.commands {
        command = command.subcommand(operation_command(c));
    }
    command
}

fn operation_command(c: &'static table::Command) -> ClapCommand {
    let long_about = if c.long_about.is_empty() {
        format!("{}\n\n{} {}", c.about, c.method, c.path)
    } else {
        format!("{}\n\n{}\n\n{} {}", c.about, c.long_about, c.method, c.path)
    };
    let mut command = ClapCommand::new(c.name)
        .visible_aliases(c.aliases.iter().copied())
        .about(c.about)
        .long_about(long_about);
    let body_json = matches!(c.body, Body::Json { .. });
    for arg in c.args {
        command = command.arg(argument(arg, body_json));
    }
    match c.body {
        Body::Json { required } => {
            command = command.arg(
                ClapArg::new("body")
                    .long("body")
                    .value_name("FILE|-")
                    .required(required && !c.args.iter().any(|a| a.place == Place::Body))
                    .help("Send this JSON file (- for stdin) as the body; field flags given beside it replace its fields"),
            );
        }
        Body::Unsupported(media) => {
            command = command.after_help(format!(
                "Its body is {media}, which this program does not send: use the SDK (fotbo-api)."
            ));
        }
        Body::None => {}
    }
    if c.list.is_some() {
        command = command
            .arg(
                ClapArg::new("limit")
                    .long("limit")
                    .value_name("N")
                    .value_parser(clap::value_parser!(u64))
                    .help("Stop after N items [default: every page]"),
            )
            .arg(
                ClapArg::new("page-size")
                    .long("page-size")
                    .value_name("N")
                    .value_parser(clap::value_parser!(u64).range(1..=10_000))
                    .default_value(DEFAULT_PAGE_SIZE)
                    .help("Items asked for per page"),
            )
            .arg(
                ClapArg::new("columns")
                    .long("columns")
                    .value_name("FIELDS")
                    .value_delimiter(',')
                    .help("The fields a table shows, comma-separated"),
            );
    }
    if c.wait.is_some() {
        command = command
            .arg(
                ClapArg::new("wait")
                    .long("wait")
                    .action(ArgAction::SetTrue)
                    .help(if c.wait.as_ref().is_some_and(|w| w.gone) {
                        "Wait until it is gone"
                    } else {
                        "Wait until it settles (its status shown on a terminal)"
                    }),
            )
            .arg(
                ClapArg::new("wait-for")
                    .long("wait-for")
                    .value_name("STATUS")
                    .requires("wait")
                    .help("The status to wait for [default: by the action: active, stopped, …]"),
            )
            .arg(
                ClapArg::new("timeout")
                    .long("timeout")
                    .value_name("SECONDS")
                    .value_parser(clap::value_parser!(u64).range(1..))
                    .default_value(DEFAULT_WAIT_SECONDS)
                    .requires("wait")
                    .help("Give up waiting after this long"),
            );
    }
    command
}

fn argument(arg: &'static table::Arg, body_json: bool) -> ClapArg {
    let mut help = arg.help.to_string();
    if !arg.values.is_empty() {
        let values = arg.values.join(", ");
        help = if help.is_empty() {
            format!("One of: {values}")
        } else {
            format!("{help} (one of: {values})")
        };
    }
    let mut clap_arg = ClapArg::new(arg.flag).help(help);
    if arg.place == Place::Path {
        return clap_arg
            .value_name(arg.flag.replace('-', "_").to_ascii_uppercase())
            .required(true);
    }
    clap_arg = clap_arg.long(arg.flag).value_name(value_name(arg.kind));
    clap_arg = match arg.kind {
        Kind::Boolean => clap_arg
            .num_args(0..=1)
            .default_missing_value("true")
            .value_parser(["true", "false"]),
        Kind::List(_) => clap_arg.action(ArgAction::Append),
        _ => clap_arg,
    };
    match arg.place {
        Place::Query => clap_arg.help_heading("Query").required(arg.required),
        Place::Body if body_json && arg.required => clap_arg
            .help_heading("Body fields")
            .required_unless_present("body"),
        _ => clap_arg.help_heading("Body fields"),
    }
}

fn value_name(kind: Kind) -> &'static str {
    match kind {
        Kind::String => "TEXT",
        Kind::Integer => "INT",
        Kind::Number => "NUMBER",
        Kind::Boolean => "BOOL",
        Kind::List(item) => value_name(*item),
        Kind::Json => "JSON",
    }
}

fn auth_command() -> ClapCommand {
    ClapCommand::new("auth")
        .about("Sign in, see who is signed in, sign out")
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            ClapCommand::new("login")
                .about("Store an API token in a profile, after checking it with the API")
                .long_about(
                    "Store an API token in a profile, after checking it with the API.\n\n\
                     The token is read from standard input when it is not a terminal \
                     (`fotbo auth login < token.txt`), else asked for without echo. The \
                     config file is written with mode 0600.",
                )
                .arg(
                    ClapArg::new("api-url")
                        .long("api-url")
                        .value_name("URL")
                        .help(
                            "The API's base URL for this profile [default: https://api.fotbo.com]",
                        ),
                ),
        )
        .subcommand(
            ClapCommand::new("status")
                .about("Say which profile, URL and token source are in use (never the token)"),
        )
        .subcommand(
            ClapCommand::new("logout").about("Remove the profile's token from the config file"),
        )
}

fn api_command() -> ClapCommand {
    ClapCommand::new("api")
        .about("Send any request, with the same auth, retries and error messages")
        .arg(
            ClapArg::new("method")
                .required(true)
                .value_name("METHOD")
                .help("GET, POST, PUT, PATCH, DELETE …"),
        )
        .arg(
            ClapArg::new("path")
                .required(true)
                .value_name("PATH")
                .help("From the API's base URL: /backend/api/…"),
        )
        .arg(
            ClapArg::new("data")
                .long("data")
                .short('d')
                .value_name("JSON|@FILE")
                .help("The JSON body, or @file to read it from (@- for stdin)"),
        )
        .arg(
            ClapArg::new("query")
                .long("query")
                .short('q')
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("A query parameter (repeat for more)"),
        )
}
