//! Turning the command line's text into a request: path parameters into the template, query
//! parameters as given, body fields read by their kind into a JSON object (or `--body` whole),
//! `@file` for a value read from a file.

use std::io::Read;
use std::path::PathBuf;

use clap::ArgMatches;
use serde_json::{Map, Number, Value};

use crate::failure::Failure;
use crate::table::{Arg, Command, Kind, Place};

/// A file read for `@file` or `--body` larger than this is refused.
const MAX_FILE_BYTES: u64 = 16 << 20;

/// What a command sends.
#[derive(Debug, Default)]
pub struct Request {
    /// The path, parameters filled in.
    pub path: String,
    /// Query parameters, in order (a list flag gives one each).
    pub query: Vec<(String, String)>,
    /// The JSON body, when there is one.
    pub body: Option<Value>,
}

/// The request `command` makes with these arguments.
pub fn request(command: &Command, matches: &ArgMatches) -> Result<Request, Failure> {
    let mut path = command.path.to_string();
    let mut query = Vec::new();
    let mut fields = Map::new();
    for arg in command.args {
        let Some(texts) = matches.get_many::<String>(arg.flag) else {
            continue;
        };
        let texts: Vec<&String> = texts.collect();
        match arg.place {
            Place::Path => {
                let text = texts.first().map(|t| t.as_str()).unwrap_or_default();
                let value = read_at(text, arg)?;
                if value.is_empty() || value == "." || value == ".." {
                    return Err(Failure::Usage(format!(
                        "{}: {value:?} does not name anything",
                        arg.flag.replace('-', "_").to_ascii_uppercase()
                    )));
                }
                path = path.replace(&format!("{{{}}}", arg.name), &encode_segment(&value));
            }
            Place::Query => {
                for text in texts {
                    query.push((arg.name.to_string(), read_at(text, arg)?));
                }
            }
            Place::Body => {
                let value = match arg.kind {
                    Kind::List(item) => Value::Array(
                        texts
                            .iter()
                            .map(|t| value_of(&read_at(t, arg)?, *item, arg))
                            .collect::<Result<_, _>>()?,
                    ),
                    kind => {
                        let text = texts.last().map(|t| t.as_str()).unwrap_or_default();
                        value_of(&read_at(text, arg)?, kind, arg)?
                    }
                };
                fields.insert(arg.name.to_string(), value);
            }
        }
    }
    let body = match matches.try_get_one::<String>("body").ok().flatten() {
        Some(file) => {
            let text = read_file(file)?;
            let mut whole: Value = serde_json::from_str(&text)
                .map_err(|e| Failure::Usage(format!("--body {file}: not JSON: {e}")))?;
            if !fields.is_empty() {
                let Some(object) = whole.as_object_mut() else {
                    return Err(Failure::Usage(format!(
                        "--body {file} is not a JSON object, so field flags cannot be added to it"
                    )));
                };
                object.extend(fields);
            }
            Some(whole)
        }
        None if !fields.is_empty() => Some(Value::Object(fields)),
        None => match command.body {
            // A body the operation needs, with no field given: an empty object.
            crate::table::Body::Json { required: true } => Some(Value::Object(Map::new())),
            _ => None,
        },
    };
    Ok(Request { path, query, body })
}

/// A value as written, or the file's contents for `@file` (`@@…` for a value that starts
/// with `@`).
fn read_at(text: &str, arg: &Arg) -> Result<String, Failure> {
    if let Some(literal) = text.strip_prefix("@@") {
        return Ok(format!("@{literal}"));
    }
    match text.strip_prefix('@') {
        Some(file) => read_file(file).map_err(|e| match e {
            Failure::Usage(m) => Failure::Usage(format!("--{}: {m}", arg.flag)),
            other => other,
        }),
        None => Ok(text.to_string()),
    }
}

/// A file's text (`-` for stdin), one trailing newline dropped (`@key.pub` is the key);
/// `~/` is the home directory.
pub fn read_file(name: &str) -> Result<String, Failure> {
    let mut text = String::new();
    if name == "-" {
        std::io::stdin()
            .take(MAX_FILE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read stdin: {e}")))?;
    } else {
        let path = expand_home(name);
        let file = std::fs::File::open(&path)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
        file.take(MAX_FILE_BYTES + 1)
            .read_to_string(&mut text)
            .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", path.display())))?;
    }
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(Failure::Usage(format!(
            "{name} is larger than {MAX_FILE_BYTES} bytes"
        )));
    }
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    Ok(text)
}

fn expand_home(name: &str) -> PathBuf {
    match (name.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(name),
    }
}

/// The text read as its kind.
fn value_of(text: &str, kind: Kind, arg: &Arg) -> Result<Value, Failure> {
    let wrong = |what: &str| {
        Failure::Usage(format!(
            "--{}: expected {what}, got {}",
            arg.flag,
            serde_json::Value::String(text.to_string())
        ))
    };
    match kind {
        Kind::String => Ok(Value::String(text.to_string())),
        Kind::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .or_else(|_| text.trim().parse::<u64>().map(Value::from))
            .map_err(|_| wrong("a whole number")),
        Kind::Number => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| wrong("a number")),
        Kind::Boolean => match text.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(wrong("true or false")),
        },
        Kind::Json => serde_json::from_str(text)
            .map_err(|e| Failure::Usage(format!("--{}: not JSON ({e})", arg.flag))),
        Kind::List(item) => value_of(text, *item, arg),
    }
}

/// A path parameter's value, percent-encoded as one segment.
pub fn encode_segment(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_cannot_leave_its_place() {
        assert_eq!(encode_segment("i-1"), "i-1");
        assert_eq!(encode_segment("../admin?x=1"), "..%2Fadmin%3Fx%3D1");
    }
}
