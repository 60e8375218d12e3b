//! Printing answers: a table for people, JSON or YAML for programs. JSON is what the server
//! sent (a single answer byte for byte; a list's items as decoded, every field kept); lists
//! are printed as their pages arrive.

use std::io::{self, Write};

use comfy_table::{presets, Cell, ColumnConstraint, ContentArrangement, Table, Width};
use serde_json::Value;

use crate::failure::Failure;

/// How answers are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Columns for people.
    Table,
    /// The server's JSON.
    Json,
    /// YAML.
    Yaml,
}

impl Format {
    /// `--output`, or a table on a terminal and JSON otherwise.
    pub fn choose(flag: Option<&str>) -> Format {
        use std::io::IsTerminal;
        match flag {
            Some("json") => Format::Json,
            Some("yaml") => Format::Yaml,
            Some(_) => Format::Table,
            None if io::stdout().is_terminal() => Format::Table,
            None => Format::Json,
        }
    }
}

/// A table cell is cut to this many characters.
const MAX_CELL: usize = 48;

fn write_failed(e: io::Error) -> Failure {
    Failure::Other(format!("cannot write the output: {e}"))
}

/// One answer (not a list): JSON as the server sent it, YAML, or a table of its fields.
pub fn answer(format: Format, body: &[u8]) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    if body.is_empty() {
        return Ok(());
    }
    let value: Option<Value> = serde_json::from_slice(body).ok();
    let text = match (format, value) {
        (Format::Json, _) | (_, None) => {
            // What the server sent, as sent (a body that is not JSON too).
            out.write_all(body).map_err(write_failed)?;
            if !body.ends_with(b"\n") {
                out.write_all(b"\n").map_err(write_failed)?;
            }
            return Ok(());
        }
        (Format::Yaml, Some(value)) => yaml(&value)?,
        (Format::Table, Some(Value::Object(fields))) => {
            let mut table = plain_table();
            for (name, value) in &fields {
                table.add_row(vec![Cell::new(name), Cell::new(cell(value, usize::MAX))]);
            }
            format!("{table}\n")
        }
        (Format::Table, Some(Value::Array(items))) if items.iter().all(Value::is_object) => {
            let columns = columns_of(&items);
            let mut list = ListPrinter::new(Format::Table, columns);
            list.page(&items)?;
            return list.finish();
        }
        (Format::Table, Some(other)) => format!("{}\n", cell(&other, usize::MAX)),
    };
    out.write_all(text.as_bytes()).map_err(write_failed)
}

fn yaml(value: &Value) -> Result<String, Failure> {
    serde_saphyr::to_string(value).map_err(|e| Failure::Other(format!("cannot write YAML: {e}")))
}

fn plain_table() -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled);
    table
}

/// A value as a cell: text as is, `-` for null, other values as compact JSON; cut to
/// `max` characters, control characters shown escaped.
fn cell(value: &Value, max: usize) -> String {
    let text = match value {
        Value::Null => "-".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let text: String = text
        .chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    cut(&text, max)
}

/// The scalar fields of the first item, at most six: columns for a list no table names.
fn columns_of(items: &[Value]) -> Vec<String> {
    items
        .first()
        .and_then(Value::as_object)
        .map(|first| {
            first
                .iter()
                .filter(|(_, v)| !v.is_object() && !v.is_array())
                .take(6)
                .map(|(k, _)| k.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// A list printed page by page: a table's widths are set by the first page (longer cells
/// cut), JSON is one array written as it grows, YAML one sequence.
pub struct ListPrinter {
    format: Format,
    columns: Vec<String>,
    widths: Option<Vec<u16>>,
    printed: u64,
}

impl ListPrinter {
    /// A printer for items of these columns (a table's; JSON and YAML print every field).
    pub fn new(format: Format, columns: Vec<String>) -> Self {
        ListPrinter {
            format,
            columns,
            widths: None,
            printed: 0,
        }
    }

    /// Prints items as they come.
    pub fn page(&mut self, items: &[Value]) -> Result<(), Failure> {
        if items.is_empty() {
            return Ok(());
        }
        let mut out = io::stdout().lock();
        match self.format {
            Format::Json => {
                for item in items {
                    let text = serde_json::to_string_pretty(item)
                        .map_err(|e| Failure::Other(format!("cannot write JSON: {e}")))?;
                    let lead = if self.printed == 0 { "[\n" } else { ",\n" };
                    let indented = text.replace('\n', "\n  ");
                    write!(out, "{lead}  {indented}").map_err(write_failed)?;
                    self.printed += 1;
                }
            }
            Format::Yaml => {
                for item in items {
                    let text = yaml(&Value::Array(vec![item.clone()]))?;
                    out.write_all(text.as_bytes()).map_err(write_failed)?;
                    self.printed += 1;
                }
            }
            Format::Table => {
                if self.columns.is_empty() {
                    self.columns = columns_of(items);
                }
                let rows: Vec<Vec<String>> = items
                    .iter()
                    .map(|item| {
                        self.columns
                            .iter()
                            .map(|c| cell(item.get(c).unwrap_or(&Value::Null), MAX_CELL))
                            .collect()
                    })
                    .collect();
                let first = self.widths.is_none();
                let widths = self.widths.get_or_insert_with(|| {
                    self.columns
                        .iter()
                        .enumerate()
                        .map(|(i, c)| {
                            let widest = rows
                                .iter()
                                .map(|r| r[i].chars().count())
                                .chain([c.chars().count()])
                                .max()
                                .unwrap_or(1);
                            u16::try_from(widest.min(MAX_CELL)).unwrap_or(MAX_CELL as u16)
                        })
                        .collect()
                });
                let mut table = plain_table();
                if first {
                    table.set_header(self.columns.iter().map(|c| c.to_ascii_uppercase()));
                }
                for row in rows {
                    let cut: Vec<String> = row
                        .iter()
                        .zip(widths.iter())
                        .map(|(text, w)| cut(text, *w as usize))
                        .collect();
                    table.add_row(cut);
                }
                table.set_constraints(
                    widths
                        .iter()
                        .map(|w| ColumnConstraint::Absolute(Width::Fixed(*w + 2))),
                );
                writeln!(out, "{table}").map_err(write_failed)?;
                self.printed += items.len() as u64;
            }
        }
        out.flush().map_err(write_failed)
    }

    /// Closes what the format needs closed (JSON's array; an empty list prints `[]`).
    pub fn finish(self) -> Result<(), Failure> {
        let mut out = io::stdout().lock();
        match self.format {
            Format::Json if self.printed == 0 => writeln!(out, "[]"),
            Format::Json => writeln!(out, "\n]"),
            Format::Yaml if self.printed == 0 => writeln!(out, "[]"),
            Format::Table if self.printed == 0 => writeln!(out, "(none)"),
            _ => Ok(()),
        }
        .map_err(write_failed)
    }
}

fn cut(text: &str, width: usize) -> String {
    if text.chars().count() > width {
        let cut: String = text.chars().take(width.saturating_sub(1)).collect();
        format!("{cut}…")
    } else {
        text.to_string()
    }
}
