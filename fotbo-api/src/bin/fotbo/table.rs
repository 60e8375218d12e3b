//! The command table generated from the spec (`$OUT_DIR/fotbo_cli.rs`, written by build.rs
//! with the `cli` feature from the generator's `cli` module), and the types it is written in.

/// A group of commands: one tag of the spec.
#[derive(Debug)]
pub struct Group {
    /// The tag's slug: `instances`, `ssh-keys`.
    pub name: &'static str,
    /// The tag's description.
    pub about: &'static str,
    /// One per operation with this tag.
    pub commands: &'static [Command],
}

/// One operation as a command.
#[derive(Debug)]
pub struct Command {
    /// `list`, `reboot`, `ports-create`.
    pub name: &'static str,
    /// `get` for `retrieve`, `delete` for `destroy`.
    pub aliases: &'static [&'static str],
    /// The client's method name.
    pub operation: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path template, `{param}` for each path parameter.
    pub path: &'static str,
    /// The operation's summary.
    pub about: &'static str,
    /// Its description.
    pub long_about: &'static str,
    /// Path parameters (positional), query parameters and body fields (flags).
    pub args: &'static [Arg],
    /// The request body.
    pub body: Body,
    /// Set when the operation is a list in the Fleio envelope (walked page by page).
    pub list: Option<List>,
    /// Set when what it changes can be waited for.
    pub wait: Option<Wait>,
}

/// One argument.
#[derive(Debug)]
pub struct Arg {
    /// The name on the wire.
    pub name: &'static str,
    /// The flag (or, for a path parameter, the value name): kebab case.
    pub flag: &'static str,
    /// Where it goes.
    pub place: Place,
    /// How its text becomes a value.
    pub kind: Kind,
    /// Whether it must be given (body fields: unless `--body` is).
    pub required: bool,
    /// The spec's description.
    pub help: &'static str,
    /// The values the spec lists (shown, not enforced: the server may know more).
    pub values: &'static [&'static str],
}

/// Where an argument goes.
#[allow(dead_code)] // as for `Kind`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Into the path template.
    Path,
    /// The query string.
    Query,
    /// A field of the JSON body.
    Body,
}

/// What an argument's text is read as.
// Which kinds a table uses depends on the spec it was generated from.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Sent as written.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// `true` or `false` (the flag alone is `true`).
    Boolean,
    /// The flag repeated, one item each.
    List(&'static Kind),
    /// JSON text (objects, arrays of objects, anything else).
    Json,
}

/// The request body of a command.
#[allow(dead_code)] // as for `Kind`
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// None.
    None,
    /// JSON: the field flags, or `--body` whole.
    Json {
        /// Whether the operation needs one.
        required: bool,
    },
    /// A media type the command line does not send (multipart forms): the SDK does.
    Unsupported(&'static str),
}

/// A list's envelope and default columns.
#[derive(Debug)]
pub struct List {
    /// The field holding the page's items.
    pub items: &'static str,
    /// The item fields a table shows by default.
    pub columns: &'static [&'static str],
}

/// How to wait for what a command changes.
#[derive(Debug)]
pub struct Wait {
    /// The resource's GET path template.
    pub retrieve: &'static str,
    /// The command's path parameter naming the resource; None when the id is the `id` of
    /// the answer (a create).
    pub id_param: Option<&'static str>,
    /// Whether the resource goes away (a delete): waiting ends when its GET answers 404.
    pub gone: bool,
}

include!(concat!(env!("OUT_DIR"), "/fotbo_cli.rs"));

/// Every command with its group.
pub fn commands() -> impl Iterator<Item = (&'static Group, &'static Command)> {
    GROUPS
        .iter()
        .flat_map(|g| g.commands.iter().map(move |c| (g, c)))
}
