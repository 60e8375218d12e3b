//! Text that came from the server, made safe to show.
//!
//! Error messages, mismatch descriptions and log events carry what a server (or anything
//! between it and the user) wrote: an error `detail`, a field error, an HTML page. Shown raw,
//! an escape sequence in it can clear the user's terminal, forge a green "OK" line, or hide
//! text; a right-to-left override can make a log line read otherwise than it is. Everything
//! that shows such text passes it through [`escaped`], which writes each control character
//! visibly instead (`\u{1b}`), dropping nothing: the C0 controls, DEL, the C1 controls, the
//! Unicode line and paragraph separators, and the bidirectional overrides and isolates. The
//! raw bytes stay where they were kept (`ApiError::body`, `DecodeError::body`), unchanged.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character may not be shown raw.
fn unsafe_to_show(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}'            // C0, with tab, line feed and carriage return
        | '\u{7f}'                    // DEL
        | '\u{80}'..='\u{9f}'         // C1, with CSI (U+009B)
        | '\u{2028}' | '\u{2029}'     // line and paragraph separators
        | '\u{202a}'..='\u{202e}'     // bidirectional embeddings and overrides
        | '\u{2066}'..='\u{2069}'     // bidirectional isolates
    )
}

/// The text with every control character written as `\u{…}` (borrowed when there is none).
pub(crate) fn escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(unsafe_to_show) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_to_show(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The text on one line (whitespace runs, line breaks included, as one space), at most
/// `limit` characters (then `…`), with its control characters escaped.
pub(crate) fn one_line(text: &str, limit: usize) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut = match folded.char_indices().nth(limit) {
        Some((i, _)) => format!("{}…", &folded[..i]),
        None => folded,
    };
    escaped(&cut).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_is_written_visibly_and_nothing_is_dropped() {
        let hostile = "ok\u{1b}[2J\u{7}\u{0}\u{7f}\u{9b}31m\u{2028}\u{202e}gnp.exe";
        let shown = escaped(hostile);
        assert_eq!(
            shown,
            "ok\\u{1b}[2J\\u{7}\\u{0}\\u{7f}\\u{9b}31m\\u{2028}\\u{202e}gnp.exe"
        );
        assert!(!shown.chars().any(unsafe_to_show));
        assert!(matches!(escaped("plain, ünïcode — fine"), Cow::Borrowed(_)));
    }

    #[test]
    fn one_line_folds_breaks_then_escapes() {
        assert_eq!(one_line("a\r\n b\tc", 10), "a b c");
        assert_eq!(one_line("\u{1b}[31mred", 3), "\\u{1b}[3…");
    }
}
