//! Turning an answer into a result: any 2xx is a success, and a body that does not quite fit
//! its declared type still decodes.
//!
//! Every generated `send()` ends here (the generator's `responses-through-runtime` pass), with
//! the operationId and progenitor's exchanged response. Error statuses become [`Error::Api`].
//! A success body is decoded:
//!
//! 1. **Fitting bodies** go straight through `serde_json::from_slice`, exactly as progenitor
//!    would: the common path costs nothing extra.
//! 2. **Empty bodies** (a 204, a 200 with nothing) give the empty value of the type: `()`,
//!    `None`, or an object whose fields are all optional; only a type that needs data fails.
//! 3. **Bodies that do not fit** (a string where the spec says object — the server's wire types
//!    differ from the published ones in places) are decoded *tolerantly*: the value that does not
//!    fit is taken out of the body and kept, raw, in [`Response::mismatches`]; the field is left
//!    empty (`None`, an empty list) and a `tracing` warning names the operation, the JSON
//!    pointer, what was expected and what came. An item of a list that does not fit is left out
//!    of the list the same way. Only when no valid value is left — a required field at the top
//!    of the body — is the call an error, naming the pointer.
//!
//! `ClientBuilder::strict_decoding(true)` turns step 3 off: the first mismatch is an error.
//! Bodies are read up to `ClientBuilder::max_response_body` (64 MiB) and no further.
//!
//! Tolerant decoding re-reads the body once per *kind* of mismatch, not once per item: a value
//! of the wrong JSON type at one place of a list item is looked for, and taken out, at the
//! same place of every item at once.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::call::operation;
use crate::error::DecodeError;
pub use crate::error::Error;
pub use crate::extra::Extra;
use crate::generated;
use crate::numbers;

/// A successful answer: the decoded value, the status and headers it came with, and whatever
/// in the body did not fit the declared type.
#[derive(Debug, Clone)]
pub struct Response<T> {
    inner: T,
    status: StatusCode,
    headers: HeaderMap,
    mismatches: Vec<Mismatch>,
    /// The body as it came (the bytes already read, not a copy).
    body: Bytes,
}

impl<T> Response<T> {
    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status (any 2xx).
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The values of the body that did not fit their declared type, taken out of the decoded
    /// value and kept here raw. Empty when the body fit.
    pub fn mismatches(&self) -> &[Mismatch] {
        &self.mismatches
    }

    /// The value and the mismatches.
    pub fn into_parts(self) -> (T, Vec<Mismatch>) {
        (self.inner, self.mismatches)
    }

    /// The body as the server sent it (empty for an operation without a documented body,
    /// whose body is not read).
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Builds a response (for tests and hand-written calls).
    pub fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        Response {
            inner,
            status,
            headers,
            mismatches: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// [`Response::new`] with the body it was decoded from (for [`Response::extra`]).
    pub fn with_body(mut self, body: Bytes) -> Self {
        self.body = body;
        self
    }
}

impl<T: DeserializeOwned> Response<T> {
    /// The fields of the body that the type does not declare, each with its JSON pointer and
    /// value (the values of [`Response::mismatches`] not among them): what the spec does not
    /// name, kept instead of dropped. Found when asked, by reading the body again; at most
    /// [`crate::extra::MAX_EXTRA`].
    pub fn extra(&self) -> Vec<Extra> {
        crate::extra::find::<T>(&self.body, &self.mismatches)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.inner
    }
}

/// One value of a response body that did not fit its declared type.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// Where it was in the body, as a JSON pointer (`/objects/3/flavor/properties`).
    pub pointer: String,
    /// What the type wanted (`a map`, `field \`id\``).
    pub expected: String,
    /// The value as it came (`Null` where a required field was missing).
    pub found: Value,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: expected {}, found {}",
            crate::text::escaped(pointer_or_root(&self.pointer)),
            crate::text::escaped(&self.expected),
            describe(&self.found)
        )
    }
}

fn pointer_or_root(pointer: &str) -> &str {
    if pointer.is_empty() {
        "(the whole body)"
    } else {
        pointer
    }
}

/// A short description of a JSON value: its kind and a bounded excerpt.
/// A short description of a JSON value: its kind and a bounded excerpt, control characters
/// escaped (it is the server's text).
fn describe(value: &Value) -> String {
    const SHOWN: usize = 60;
    let text = value.to_string();
    let excerpt = match text.char_indices().nth(SHOWN) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    };
    format!("{} {}", kind(value), crate::text::escaped(&excerpt))
}

/// A value's JSON kind: `integer` for a whole number, `number` otherwise.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A typed JSON body.
pub async fn json<T: DeserializeOwned, E>(
    client: &generated::Client,
    operation_id: &'static str,
    exchanged: Result<reqwest::Response, progenitor_client::Error<E>>,
) -> Result<Response<T>, Error> {
    let limit = progenitor_client::ClientInfo::inner(client).max_body;
    let (status, headers, body) = success(operation_id, exchanged, limit).await?;
    let strict = progenitor_client::ClientInfo::inner(client).strict_decoding;
    let (inner, mismatches) = decode_body::<T>(&body, operation_id, strict)?;
    let wire = progenitor_client::ClientInfo::inner(client).wire.as_deref();
    // Only when someone listens: the common path reads the body once.
    if wire.is_some() || tracing::enabled!(tracing::Level::DEBUG) {
        beyond_the_spec::<T>(operation_id, &body, &mismatches, wire);
    }
    Ok(Response {
        inner,
        status,
        headers,
        mismatches,
        body,
    })
}

/// What the body holds beyond the spec: a debug event for each undeclared field the first
/// time this process sees it, and the wire record's observations.
fn beyond_the_spec<T: DeserializeOwned>(
    operation_id: &str,
    body: &Bytes,
    mismatches: &[Mismatch],
    wire: Option<&crate::wire::WireRecord>,
) {
    // Read as JSON once, for the undeclared fields and their patterns both.
    let Ok(document) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let extras = crate::extra::find_in::<T>(&document, mismatches);
    if extras.is_empty() && (mismatches.is_empty() || wire.is_none()) {
        return;
    }
    if tracing::enabled!(tracing::Level::DEBUG) {
        let new: Vec<String> = extras
            .iter()
            .map(|e| crate::extra::pattern(&document, &e.pointer))
            .filter(|pattern| first_time(operation_id, pattern))
            .collect();
        if !new.is_empty() {
            tracing::debug!(
                operation = operation_id,
                fields = %crate::text::escaped(&new.join(", ")),
                "response fields the spec does not declare"
            );
        }
    }
    if let Some(wire) = wire {
        wire.observe(
            operation_id,
            crate::wire::observations(&document, mismatches, &extras),
        );
    }
}

/// Whether this process has not yet said that `operation` answers with `pattern`.
fn first_time(operation: &str, pattern: &str) -> bool {
    use std::sync::{Mutex, OnceLock};
    static SAID: OnceLock<Mutex<BTreeSet<(String, String)>>> = OnceLock::new();
    let said = SAID.get_or_init(Default::default);
    let mut said = match said.lock() {
        Ok(s) => s,
        Err(poisoned) => poisoned.into_inner(),
    };
    if said.len() >= crate::wire::MAX_SEEN {
        return false;
    }
    said.insert((operation.to_string(), pattern.to_string()))
}

/// An answer without a documented body (whatever body comes is ignored).
pub async fn empty<E>(
    _client: &generated::Client,
    operation_id: &'static str,
    exchanged: Result<reqwest::Response, progenitor_client::Error<E>>,
) -> Result<Response<()>, Error> {
    // Whatever body comes is not needed: read none of it beyond a little.
    let (status, headers, _) = success(operation_id, exchanged, 0).await?;
    Ok(Response::new((), status, headers))
}

/// An answer read as raw bytes, as they arrive.
pub async fn stream<E>(
    _client: &generated::Client,
    operation_id: &'static str,
    exchanged: Result<reqwest::Response, progenitor_client::Error<E>>,
) -> Result<Response<progenitor_client::ByteStream>, Error> {
    let response = exchanged.map_err(|e| Error::from(e).for_operation(operation_id))?;
    if !response.status().is_success() {
        return Err(crate::error::from_response(response));
    }
    let status = response.status();
    let headers = response.headers().clone();
    let stream = progenitor_client::ByteStream::new(Box::pin(response.bytes_stream()));
    Ok(Response::new(stream, status, headers))
}

/// A protocol upgrade (a websocket endpoint answers `101 Switching Protocols`): the upgraded
/// connection. Any other success status is [`Error::UnexpectedStatus`]; an error status is
/// [`Error::Api`] as for every operation.
pub async fn upgrade<E>(
    _client: &generated::Client,
    operation_id: &'static str,
    exchanged: Result<reqwest::Response, progenitor_client::Error<E>>,
) -> Result<Response<reqwest::Upgraded>, Error> {
    let response = exchanged.map_err(|e| Error::from(e).for_operation(operation_id))?;
    let status = response.status();
    if status != StatusCode::SWITCHING_PROTOCOLS {
        if !status.is_success() {
            return Err(crate::error::from_response(response));
        }
        return Err(Error::UnexpectedStatus {
            operation: Some(operation(operation_id)),
            status,
        });
    }
    let headers = response.headers().clone();
    let url = response.url().to_string();
    let upgraded = response
        .upgrade()
        .await
        .map_err(|source| Error::Transport {
            operation: Some(operation(operation_id)),
            url: Some(url),
            source,
        })?;
    Ok(Response::new(upgraded, status, headers))
}

/// Status, headers and (up to `limit` bytes of) body of a 2xx answer; anything else is an
/// error. A body larger than `limit` is an error for `json` (nothing is kept past it); for
/// `empty` (limit 0) the body is ignored.
async fn success<E>(
    operation_id: &'static str,
    exchanged: Result<reqwest::Response, progenitor_client::Error<E>>,
    limit: usize,
) -> Result<(StatusCode, HeaderMap, Bytes), Error> {
    let response = exchanged.map_err(|e| Error::from(e).for_operation(operation_id))?;
    let status = response.status();
    if !status.is_success() {
        return Err(crate::error::from_response(response));
    }
    // A declared length over the limit is refused before a byte of the body is read.
    if let Some(declared) = response
        .content_length()
        .filter(|&d| limit > 0 && d > limit as u64)
    {
        return Err(Error::BodyTooLarge {
            operation: operation(operation_id),
            limit,
            declared: Some(declared),
        });
    }
    let headers = response.headers().clone();
    let url = response.url().to_string();
    let (body, size) = crate::call::read_at_most(response, limit)
        .await
        .map_err(|source| Error::Transport {
            operation: Some(operation(operation_id)),
            url: Some(url),
            source,
        })?;
    if limit > 0 {
        if let crate::call::BodySize::Cut { declared } = size {
            return Err(Error::BodyTooLarge {
                operation: operation(operation_id),
                limit,
                declared,
            });
        }
    }
    Ok((status, headers, body))
}

/// Decodes a body into `T`, tolerantly unless `strict` (see the module docs).
pub fn decode_body<T: DeserializeOwned>(
    body: &[u8],
    operation_id: &str,
    strict: bool,
) -> Result<(T, Vec<Mismatch>), Error> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return empty_value::<T>()
            .map(|v| (v, Vec::new()))
            .ok_or_else(|| decode_error(operation_id, "", "the body is empty", body));
    }
    // The common path: the body fits.
    let first = match serde_json::from_slice::<T>(body) {
        Ok(value) => return Ok((value, Vec::new())),
        Err(e) => e,
    };
    let (document, out_of_range) = match serde_json::from_slice::<Value>(body) {
        Ok(document) => (document, Vec::new()),
        // Valid JSON with a number no type holds: read as text, a misfit like any other.
        Err(e) if numbers::is_out_of_range(&e) => match numbers::read_as_text(body) {
            Some(read) => read,
            None => return Err(decode_error(operation_id, "", &e.to_string(), body)),
        },
        Err(_) => {
            return Err(decode_error(
                operation_id,
                "",
                &format!("the body is not JSON: {first}"),
                body,
            ))
        }
    };
    if strict {
        if let Some((pointer, text)) = out_of_range.first() {
            return Err(decode_error(
                operation_id,
                pointer,
                &format!("number out of range: {}", describe_number(text)),
                body,
            ));
        }
        return match serde_path_to_error::deserialize::<_, T>(&document) {
            Ok(value) => Ok((value, Vec::new())),
            Err(e) => Err(decode_error(
                operation_id,
                &pointer_of(e.path()).unwrap_or_default(),
                &e.inner().to_string(),
                body,
            )),
        };
    }
    let (value, mut mismatches) = Tolerant::new(document, operation_id).decode(body)?;
    for (pointer, text) in out_of_range {
        let expected = format!(
            "a number its type holds ({} is out of range for every number type)",
            describe_number(&text)
        );
        match mismatches.iter_mut().find(|m| m.pointer == pointer) {
            Some(m) => m.expected = expected,
            // Its type took the text (a string, or any value): still not what was sent.
            None => {
                tracing::warn!(
                    operation = operation_id,
                    pointer = %crate::text::escaped(&pointer),
                    "response number out of range for every number type: kept as its text"
                );
                mismatches.push(Mismatch {
                    pointer,
                    expected,
                    found: Value::String(text),
                });
            }
        }
    }
    Ok((value, mismatches))
}

/// A number's text as a message shows it: a long one by its first digits and its length.
fn describe_number(text: &str) -> String {
    match text.char_indices().nth(20) {
        Some((i, _)) => format!("{}… ({} characters)", &text[..i], text.len()),
        None => text.to_string(),
    }
}

/// The value of `T` for an empty body, if it has one.
fn empty_value<T: DeserializeOwned>() -> Option<T> {
    serde_json::from_value(Value::Null)
        .or_else(|_| serde_json::from_value(Value::Object(Default::default())))
        .ok()
}

fn decode_error(operation_id: &str, pointer: &str, message: &str, body: &[u8]) -> Error {
    Error::Decode(Box::new(DecodeError {
        operation: Some(operation(operation_id)),
        pointer: pointer.to_string(),
        message: message.to_string(),
        body: Bytes::copy_from_slice(body),
    }))
}

/// A serde path as a JSON pointer; `None` where serde could not say (inside an untagged enum).
fn pointer_of(path: &serde_path_to_error::Path) -> Option<String> {
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => out.push_str(&format!("/{index}")),
            serde_path_to_error::Segment::Map { key } => {
                out.push('/');
                out.push_str(&escape(key));
            }
            serde_path_to_error::Segment::Enum { .. } => {}
            serde_path_to_error::Segment::Unknown => return None,
        }
    }
    Some(out)
}

/// One JSON pointer token (RFC 6901) as the key it names.
pub(crate) fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// A key as one JSON pointer token (RFC 6901).
pub(crate) fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// How many times a body may be re-read before tolerant decoding gives up: each pass takes at
/// least one value out, and values of one kind at one place are taken out together.
const MAX_PASSES: usize = 64;

/// State of one tolerant decode: the body with the misfits taken out, and which list items
/// are gone (so that pointers name places in the body as it came). The body is not copied:
/// a value taken out is whole again in its mismatch (what was taken out of it before is put
/// back), so the original is never needed.
struct Tolerant<'a> {
    working: Value,
    operation_id: &'a str,
    /// Original pointer of a list → original indices taken out of it.
    removed_items: BTreeMap<String, BTreeSet<usize>>,
    mismatches: Vec<Mismatch>,
}

/// What a serde error says went wrong where.
enum Failure {
    /// A value of the wrong JSON kind at `pointer`.
    WrongKind { pointer: String, expected: String },
    /// An object at `pointer` lacks the required field.
    MissingField { pointer: String, field: String },
    /// Anything else (an unknown enum value, a malformed date …) at `pointer`.
    Other { pointer: String, message: String },
}

impl<'a> Tolerant<'a> {
    fn new(original: Value, operation_id: &'a str) -> Self {
        Tolerant {
            working: original,
            operation_id,
            removed_items: BTreeMap::new(),
            mismatches: Vec::new(),
        }
    }

    fn decode<T: DeserializeOwned>(mut self, body: &[u8]) -> Result<(T, Vec<Mismatch>), Error> {
        for pass in 0..MAX_PASSES {
            // After the first pass the misfits of one kind are out and the rest usually fits:
            // try without path tracking (cheaper) first, and track only to locate a failure.
            if pass > 0 {
                if let Ok(value) = T::deserialize(&self.working) {
                    return Ok((value, self.mismatches));
                }
            }
            let error = match serde_path_to_error::deserialize::<_, T>(&self.working) {
                Ok(value) => return Ok((value, self.mismatches)),
                Err(e) => e,
            };
            let message = error.inner().to_string();
            let Some(pointer) = pointer_of(error.path()) else {
                return Err(decode_error(self.operation_id, "", &message, body));
            };
            let failure = classify(pointer, &message);
            let taken = self.take_out(&failure);
            if taken == 0 {
                // Nothing could be taken out: the misfit is the whole body, or a required
                // field of it.
                let (pointer, message) = match failure {
                    Failure::MissingField { pointer, field } => (
                        format!("{pointer}/{field}"),
                        "required field missing".into(),
                    ),
                    Failure::WrongKind { pointer, expected } => {
                        let found = self.working.pointer(&pointer).map(describe);
                        let found = found.unwrap_or_else(|| "nothing".into());
                        (pointer, format!("expected {expected}, found {found}"))
                    }
                    Failure::Other { pointer, message } => (pointer, message),
                };
                let pointer = self.original_pointer(&pointer);
                return Err(decode_error(self.operation_id, &pointer, &message, body));
            }
        }
        Err(decode_error(
            self.operation_id,
            "",
            &format!("more than {MAX_PASSES} kinds of values do not fit the declared types"),
            body,
        ))
    }

    /// Takes the misfit out of the working copy, with every value like it at the same place of
    /// sibling list items; returns how many values were taken out.
    fn take_out(&mut self, failure: &Failure) -> usize {
        match failure {
            Failure::WrongKind { pointer, expected } => {
                let found = self.working.pointer(pointer).map(kind);
                self.take_out_matching(pointer, expected, &|v| Some(kind(v)) == found)
            }
            Failure::MissingField { pointer, field } => {
                let expected = format!("an object with field `{field}`");
                self.take_out_matching(pointer, &expected, &|v| {
                    v.as_object().is_some_and(|o| !o.contains_key(field))
                })
            }
            Failure::Other { pointer, message } => {
                self.take_out_at(std::slice::from_ref(pointer), message)
            }
        }
    }

    /// Takes out the value at `pointer` and, in sibling list items, every value at the same
    /// place for which `alike` holds.
    fn take_out_matching(
        &mut self,
        pointer: &str,
        expected: &str,
        alike: &dyn Fn(&Value) -> bool,
    ) -> usize {
        if pointer.is_empty() {
            return 0;
        }
        let mut places = Vec::new();
        let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
        collect_alike(&self.working, &tokens, String::new(), alike, &mut places);
        if !places.iter().any(|p| p == pointer) {
            places.push(pointer.to_string());
        }
        self.take_out_at(&places, expected)
    }

    /// Takes the values at these (working-copy) pointers out of their parents, recording each.
    fn take_out_at(&mut self, places: &[String], expected: &str) -> usize {
        // Translate to the original body first: taking out list items shifts later indices.
        let mut records: Vec<(Vec<PointerKey>, &String, String)> = places
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| (pointer_key(p), p, self.original_pointer(p)))
            .collect();
        // Later list items first, so that earlier indices stay valid while taking out.
        records.sort_by(|a, b| b.0.cmp(&a.0));
        let mut batch = Vec::new();
        for (_, place, original) in records {
            let in_list = place
                .rsplit_once('/')
                .and_then(|(parent, _)| self.working.pointer(parent))
                .is_some_and(Value::is_array);
            let Some(mut found) = take(&mut self.working, place) else {
                continue;
            };
            if let (true, Some((list, index))) = (in_list, original.rsplit_once('/')) {
                if let Ok(i) = index.parse::<usize>() {
                    self.removed_items
                        .entry(list.to_string())
                        .or_default()
                        .insert(i);
                }
            }
            // The value as it came: put back what earlier passes took out of it.
            self.restore_into(&mut found, &original);
            batch.push(Mismatch {
                pointer: original,
                expected: expected.to_string(),
                found,
            });
        }
        batch.sort_by_cached_key(|m| pointer_key(&m.pointer));
        let taken = batch.len();
        if let Some(first) = batch.first() {
            tracing::warn!(
                operation = self.operation_id,
                pointer = %crate::text::escaped(&first.pointer),
                expected = %crate::text::escaped(expected),
                found = %describe(&first.found),
                alike = taken - 1,
                "response value does not fit its declared type: left out, raw value kept in Response::mismatches"
            );
        }
        self.mismatches.append(&mut batch);
        taken
    }

    /// Puts the values already reported below `at` back into `value`, taken out from there.
    fn restore_into(&self, value: &mut Value, at: &str) {
        let prefix = format!("{at}/");
        let mut inner: Vec<&Mismatch> = self
            .mismatches
            .iter()
            .filter(|m| m.pointer.starts_with(&prefix))
            .collect();
        inner.sort_by_cached_key(|m| pointer_key(&m.pointer));
        for m in inner {
            let tokens: Vec<String> = m.pointer[at.len()..]
                .split('/')
                .skip(1)
                .map(unescape)
                .collect();
            let Some((last, path)) = tokens.split_last() else {
                continue;
            };
            let mut node = Some(&mut *value);
            for token in path {
                node = match node {
                    Some(Value::Object(map)) => map.get_mut(token),
                    Some(Value::Array(items)) => {
                        token.parse::<usize>().ok().and_then(|i| items.get_mut(i))
                    }
                    _ => None,
                };
            }
            match node {
                Some(Value::Object(map)) => {
                    map.insert(last.clone(), m.found.clone());
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        items.insert(i.min(items.len()), m.found.clone());
                    }
                }
                _ => {}
            }
        }
    }

    /// The pointer into the body as it came of a place in the working copy.
    fn original_pointer(&self, working: &str) -> String {
        let mut original = String::new();
        let mut node = Some(&self.working);
        for token in working.split('/').skip(1) {
            let step = match (node, token.parse::<usize>()) {
                (Some(Value::Array(items)), Ok(j)) => {
                    node = items.get(j);
                    match self.removed_items.get(&original) {
                        Some(removed) => (0..=j + removed.len())
                            .filter(|i| !removed.contains(i))
                            .nth(j)
                            .unwrap_or(j),
                        None => j,
                    }
                    .to_string()
                }
                (Some(Value::Object(map)), _) => {
                    node = map.get(&unescape(token));
                    token.to_string()
                }
                _ => {
                    node = None;
                    token.to_string()
                }
            };
            original.push('/');
            original.push_str(&step);
        }
        original
    }
}

/// Reads serde's message.
fn classify(pointer: String, message: &str) -> Failure {
    // serde_json appends " at line L column C" only when reading text; from a Value it does not.
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((_, expected)) = rest.rsplit_once(", expected ") {
            return Failure::WrongKind {
                pointer,
                expected: expected.to_string(),
            };
        }
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        if let Some(field) = rest.strip_suffix('`') {
            return Failure::MissingField {
                pointer,
                field: field.to_string(),
            };
        }
    }
    Failure::Other {
        pointer,
        message: message.to_string(),
    }
}

/// Every place in `node` matching `tokens`, where a list index in `tokens` matches every index
/// of that list, whose value satisfies `alike`.
fn collect_alike(
    node: &Value,
    tokens: &[String],
    at: String,
    alike: &dyn Fn(&Value) -> bool,
    out: &mut Vec<String>,
) {
    let Some((first, rest)) = tokens.split_first() else {
        if alike(node) {
            out.push(at);
        }
        return;
    };
    match node {
        Value::Array(items) if first.parse::<usize>().is_ok() => {
            for (i, item) in items.iter().enumerate() {
                collect_alike(item, rest, format!("{at}/{i}"), alike, out);
            }
        }
        Value::Object(map) => {
            if let Some(child) = map.get(first) {
                let escaped = escape(first);
                collect_alike(child, rest, format!("{at}/{escaped}"), alike, out);
            }
        }
        _ => {}
    }
}

/// One pointer token, ordered so that within one list higher indices compare greater.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum PointerKey {
    Index(usize),
    Key(String),
}

fn pointer_key(pointer: &str) -> Vec<PointerKey> {
    pointer
        .split('/')
        .map(|t| match t.parse::<usize>() {
            Ok(n) => PointerKey::Index(n),
            Err(_) => PointerKey::Key(t.to_string()),
        })
        .collect()
}

/// Removes the value at `pointer` from its parent.
fn take(doc: &mut Value, pointer: &str) -> Option<Value> {
    let (parent, last) = pointer.rsplit_once('/')?;
    match doc.pointer_mut(parent)? {
        Value::Object(map) => map.shift_remove(&unescape(last)),
        Value::Array(items) => {
            let i = last.parse::<usize>().ok().filter(|i| *i < items.len())?;
            Some(items.remove(i))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Flavor {
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        properties: Option<serde_json::Map<String, Value>>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Tag {
        id: i64,
        #[serde(default)]
        name: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Instance {
        #[serde(default)]
        id: Option<String>,
        #[serde(default)]
        flavor: Option<Flavor>,
        #[serde(default)]
        tags: Vec<Tag>,
        #[serde(default)]
        ips: Vec<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Page {
        #[serde(default)]
        objects: Vec<Instance>,
        #[serde(default)]
        count: Option<i64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Detail {
        detail: String,
    }

    fn decode<T: DeserializeOwned>(body: &Value) -> Result<(T, Vec<Mismatch>), Error> {
        decode_body::<T>(body.to_string().as_bytes(), "instances_list", false)
    }

    fn decode_error(error: Error) -> DecodeError {
        match error {
            Error::Decode(d) => *d,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_fitting_body_has_no_mismatches() {
        let (page, mismatches) =
            decode::<Page>(&json!({"count": 1, "objects": [{"id": "a", "tags": [{"id": 1}]}]}))
                .unwrap();
        assert_eq!(page.objects[0].tags[0].id, 1);
        assert!(mismatches.is_empty());
    }

    #[test]
    fn a_value_of_the_wrong_kind_is_left_out_and_kept() {
        let body = json!({"objects": [{"id": "a", "flavor": {"id": "f", "properties": "{\"price\": \"5.9\"}"}}]});
        let (page, mismatches) = decode::<Page>(&body).unwrap();
        let flavor = page.objects[0].flavor.as_ref().unwrap();
        assert_eq!(flavor.id.as_deref(), Some("f"));
        assert_eq!(flavor.properties, None);
        assert_eq!(mismatches.len(), 1);
        assert_eq!(mismatches[0].pointer, "/objects/0/flavor/properties");
        assert_eq!(mismatches[0].expected, "a map");
        assert_eq!(mismatches[0].found, json!("{\"price\": \"5.9\"}"));
        assert_eq!(
            mismatches[0].to_string(),
            "/objects/0/flavor/properties: expected a map, found string \"{\\\"price\\\": \\\"5.9\\\"}\""
        );
    }

    #[test]
    fn one_bad_field_in_every_item_keeps_every_item() {
        let objects: Vec<Value> = (0..1000)
            .map(|i| json!({"id": format!("i-{i}"), "flavor": {"id": "f", "properties": "{}"}}))
            .collect();
        let (page, mismatches) = decode::<Page>(&json!({"objects": objects})).unwrap();
        assert_eq!(page.objects.len(), 1000);
        assert_eq!(mismatches.len(), 1000);
        assert_eq!(mismatches[999].pointer, "/objects/999/flavor/properties");
        assert!(page
            .objects
            .iter()
            .all(|i| i.flavor.as_ref().is_some_and(|f| f.properties.is_none())));
    }

    #[test]
    fn values_alike_only_in_kind_are_not_taken_out_with_the_misfit() {
        // A float where an integer is wanted fails; the integer beside it does not.
        let body = json!({"objects": [{"tags": [{"id": 1.5}, {"id": 2}]}]});
        let (page, mismatches) = decode::<Page>(&body).unwrap();
        assert_eq!(page.objects[0].tags, vec![Tag { id: 2, name: None }]);
        let pointers: Vec<&str> = mismatches.iter().map(|m| m.pointer.as_str()).collect();
        assert_eq!(pointers, vec!["/objects/0/tags/0/id", "/objects/0/tags/0"]);
    }

    #[test]
    fn list_items_that_do_not_fit_are_left_out_with_their_own_pointers() {
        let body = json!({"objects": [{"id": "a", "ips": ["1.2.3.4", {"ip_address": "5.6.7.8"}, "9.9.9.9", {"ip_address": "::1"}]}]});
        let (page, mismatches) = decode::<Page>(&body).unwrap();
        assert_eq!(page.objects[0].ips, vec!["1.2.3.4", "9.9.9.9"]);
        let mut pointers: Vec<&str> = mismatches.iter().map(|m| m.pointer.as_str()).collect();
        pointers.sort();
        assert_eq!(pointers, vec!["/objects/0/ips/1", "/objects/0/ips/3"]);
    }

    #[test]
    fn later_misfits_name_places_in_the_original_body() {
        // Item 1 goes first (a string where an object is wanted); then item 3's tag does not
        // fit: its pointer must still say 3, not 2.
        let body = json!({"objects": [{"id": "a"}, "junk", {"id": "c"}, {"id": "d", "tags": [{"id": "x"}]}]});
        let (page, mismatches) = decode::<Page>(&body).unwrap();
        assert_eq!(page.objects.len(), 3);
        let pointers: Vec<&str> = mismatches.iter().map(|m| m.pointer.as_str()).collect();
        // The id does not fit; without it the tag lacks a required field and goes too.
        assert_eq!(
            pointers,
            vec!["/objects/1", "/objects/3/tags/0/id", "/objects/3/tags/0"]
        );
        assert_eq!(
            mismatches[2].found,
            json!({"id": "x"}),
            "the tag as it came"
        );
    }

    #[test]
    fn a_missing_required_field_drops_its_object_where_that_is_allowed() {
        let body = json!({"objects": [{"id": "a", "tags": [{"name": "no id"}, {"id": 7}]}]});
        let (page, mismatches) = decode::<Page>(&body).unwrap();
        assert_eq!(page.objects[0].tags, vec![Tag { id: 7, name: None }]);
        assert_eq!(mismatches[0].pointer, "/objects/0/tags/0");
        assert_eq!(mismatches[0].expected, "an object with field `id`");
    }

    #[test]
    fn nothing_valid_left_is_an_error_naming_the_pointer() {
        let e = decode_error(decode::<Detail>(&json!({"message": "x"})).unwrap_err());
        assert_eq!(e.pointer, "/detail");
        assert_eq!(e.message, "required field missing");
        assert_eq!(
            e.operation.map(|o| o.id),
            Some("instances_list".to_string())
        );
        let e = decode_error(decode::<Detail>(&json!({"detail": 5})).unwrap_err());
        assert_eq!(e.pointer, "/detail");
        let e = decode_error(decode::<Page>(&json!("a page")).unwrap_err());
        assert_eq!(e.pointer, "");
        assert!(e.message.contains("found string"), "{}", e.message);
    }

    #[test]
    fn empty_bodies_give_empty_values() {
        assert!(decode_body::<()>(b"", "x", false).is_ok());
        assert_eq!(
            decode_body::<Option<Detail>>(b"  ", "x", false).unwrap().0,
            None
        );
        let (page, _) = decode_body::<Page>(b"", "x", false).unwrap();
        assert!(page.objects.is_empty());
        let e = decode_error(decode_body::<Detail>(b"", "x", false).unwrap_err());
        assert_eq!(e.message, "the body is empty");
    }

    #[test]
    fn bodies_that_are_not_json_are_errors_with_the_body() {
        let e = decode_error(decode_body::<Page>(b"<html>502</html>", "x", false).unwrap_err());
        assert!(
            e.message.starts_with("the body is not JSON"),
            "{}",
            e.message
        );
        assert_eq!(e.body.as_ref(), b"<html>502</html>");
    }

    #[test]
    fn strict_decoding_fails_on_the_first_misfit() {
        let body = json!({"objects": [{"id": "a"}, {"id": "b", "flavor": {"properties": "{}"}}]});
        let e = decode_error(
            decode_body::<Page>(body.to_string().as_bytes(), "instances_list", true).unwrap_err(),
        );
        assert_eq!(e.pointer, "/objects/1/flavor/properties");
        assert!(
            e.to_string().contains("at /objects/1/flavor/properties"),
            "{e}"
        );
    }

    #[test]
    fn keys_with_slashes_and_tildes_are_escaped_in_pointers() {
        #[derive(Debug, Deserialize)]
        struct Perms {
            #[serde(rename = "a/b~c", default)]
            _odd: Option<bool>,
        }
        let (_, mismatches) = decode::<Perms>(&json!({"a/b~c": "yes"})).unwrap();
        assert_eq!(mismatches[0].pointer, "/a~1b~0c");
    }

    #[test]
    fn many_kinds_of_misfits_are_bounded() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Wide(std::collections::BTreeMap<String, Option<i64>>);
        // More distinct misfits than passes allowed: an error, not an endless loop.
        let body: serde_json::Map<String, Value> = (0..MAX_PASSES + 10)
            .map(|i| (format!("k{i:03}"), json!("x")))
            .collect();
        let e = decode_error(decode::<Wide>(&Value::Object(body)).unwrap_err());
        assert!(e.message.contains("more than"), "{}", e.message);
    }
}
