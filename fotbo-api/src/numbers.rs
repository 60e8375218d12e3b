//! Numbers no number type holds (`1e400`, an integer of 5,000 digits): valid JSON that
//! `serde_json` refuses to read at all ("number out of range"), so that one such value would
//! cost the whole body. They are read as their text instead, and the places they were are
//! kept, so that decoding treats them as any value that does not fit its type: left out and
//! reported at their pointer.

use serde_json::Value;

/// Marks a number read as text, until its place is known.
const MARK: &str = "\u{0}fotbo-number-out-of-range:";

/// How many such numbers one body may hold before it is refused as a whole (each costs a
/// re-read of the body).
const MAX_NUMBERS: usize = 64;

/// Whether `serde_json` refused a body for a number out of range.
pub(crate) fn is_out_of_range(error: &serde_json::Error) -> bool {
    error.to_string().starts_with("number out of range")
}

/// The body read with every number out of range as its text (a JSON string), and the JSON
/// pointer and text of each; None when the body is not JSON for another reason, or holds more
/// than [`MAX_NUMBERS`] of them.
pub(crate) fn read_as_text(body: &[u8]) -> Option<(Value, Vec<(String, String)>)> {
    let mut bytes = body.to_vec();
    for _ in 0..MAX_NUMBERS {
        let error = match serde_json::from_slice::<Value>(&bytes) {
            Ok(mut value) => {
                let mut found = Vec::new();
                unmark(&mut value, &mut String::new(), &mut found);
                return Some((value, found));
            }
            Err(e) if is_out_of_range(&e) => e,
            Err(_) => return None,
        };
        let at = offset(&bytes, error.line(), error.column())?;
        let (start, end) = number_around(&bytes, at)?;
        let text = String::from_utf8_lossy(&bytes[start..end]).into_owned();
        let quoted = serde_json::to_vec(&format!("{MARK}{text}")).ok()?;
        bytes.splice(start..end, quoted);
    }
    None
}

/// The byte offset of a 1-based line and column (serde_json counts bytes).
fn offset(bytes: &[u8], line: usize, column: usize) -> Option<usize> {
    let mut start = 0;
    for _ in 1..line {
        start += bytes.get(start..)?.iter().position(|b| *b == b'\n')? + 1;
    }
    let at = start + column.checked_sub(1)?;
    (at < bytes.len()).then_some(at)
}

/// The number token that contains byte `at`.
fn number_around(bytes: &[u8], at: usize) -> Option<(usize, usize)> {
    let in_number = |b: u8| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E');
    if !bytes.get(at).copied().is_some_and(in_number) {
        return None;
    }
    let start = bytes[..at]
        .iter()
        .rposition(|b| !in_number(*b))
        .map_or(0, |i| i + 1);
    let end = bytes[at..]
        .iter()
        .position(|b| !in_number(*b))
        .map_or(bytes.len(), |i| at + i);
    bytes[start..end]
        .iter()
        .any(u8::is_ascii_digit)
        .then_some((start, end))
}

/// Turns the marked strings back into the numbers' text, noting where they are.
fn unmark(value: &mut Value, pointer: &mut String, found: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => {
            if let Some(text) = s.strip_prefix(MARK) {
                let text = text.to_string();
                found.push((pointer.clone(), text.clone()));
                *s = text;
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                unmark(item, pointer, found);
                pointer.truncate(len);
            }
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&crate::decode::escape(key));
                unmark(item, pointer, found);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_out_of_range_are_read_as_their_text_with_their_place() {
        let huge = "9".repeat(5000);
        let body = format!(
            "{{\"a\": 1e400, \"list\": [1, -1E+999, 2.5],\n \"n\": {{\"x~/y\": {huge}}}, \"s\": \"1e400\"}}"
        );
        let (value, found) = read_as_text(body.as_bytes()).unwrap();
        assert_eq!(value["a"], json!("1e400"));
        assert_eq!(value["list"], json!([1, "-1E+999", 2.5]));
        assert_eq!(value["s"], json!("1e400"), "a string stays a string");
        let places: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(places, ["/a", "/list/1", "/n/x~0~1y"]);
        assert_eq!(found[2].1.len(), 5000);
    }

    #[test]
    fn other_defects_and_too_many_numbers_are_not_read() {
        assert!(read_as_text(b"{\"a\": 1e400,").is_none());
        let many = format!("[{}]", vec!["1e400"; MAX_NUMBERS + 1].join(","));
        assert!(read_as_text(many.as_bytes()).is_none());
    }
}
