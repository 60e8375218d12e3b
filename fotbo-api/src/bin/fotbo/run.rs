//! Running one generated command: the request through the client's runtime (the token,
//! retries, error messages), a list walked page by page, then waiting when asked.

use std::time::Duration;

use clap::ArgMatches;
use futures::StreamExt;
use serde_json::Value;

use fotbo_api::{Client, ListPage, Method, Response};

use crate::failure::Failure;
use crate::output::{self, Format, ListPrinter};
use crate::table::Command;
use crate::values::{self, Request};
use crate::waiting;

/// Runs `command` with its arguments.
pub async fn command(
    client: &Client,
    command: &'static Command,
    matches: &ArgMatches,
    format: Format,
) -> Result<(), Failure> {
    if let crate::table::Body::Unsupported(media) = command.body {
        return Err(Failure::Usage(format!(
            "{} sends a {media} body, which this program does not send: use the SDK's `{}`",
            command.name, command.operation
        )));
    }
    let request = values::request(command, matches)?;
    let method = method(command.method)?;
    if let Some(list) = &command.list {
        let limit = matches.get_one::<u64>("limit").copied();
        let page_size = matches.get_one::<u64>("page-size").copied().unwrap_or(100);
        let columns: Vec<String> = match matches.get_many::<String>("columns") {
            Some(chosen) => chosen.cloned().collect(),
            None => list.columns.iter().map(|c| c.to_string()).collect(),
        };
        return walk(
            client,
            command.operation,
            method,
            &request,
            list.items,
            limit,
            page_size,
            columns,
            format,
        )
        .await;
    }
    let answer = send(client, method, &request, Some(command.operation)).await?;
    output::answer(format, &answer.body)?;
    if matches.try_get_one::<bool>("wait").ok().flatten() == Some(&true) {
        if let Some(wait) = &command.wait {
            let body: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
            let timeout = matches
                .get_one::<u64>("timeout")
                .copied()
                .map(Duration::from_secs)
                .unwrap_or(Duration::from_secs(600));
            let wanted = matches.get_one::<String>("wait-for").cloned();
            waiting::wait(client, command, wait, matches, &body, wanted, timeout).await?;
        }
    }
    Ok(())
}

pub fn method(name: &str) -> Result<Method, Failure> {
    Method::from_bytes(name.to_ascii_uppercase().as_bytes())
        .map_err(|_| Failure::Usage(format!("{name:?} is not an HTTP method")))
}

/// Sends one request.
pub async fn send(
    client: &Client,
    method: Method,
    request: &Request,
    operation: Option<&str>,
) -> Result<fotbo_api::RawResponse, Failure> {
    let mut raw = client.request(method, request.path.clone());
    if let Some(id) = operation {
        raw = raw.operation_id(id);
    }
    for (name, value) in &request.query {
        raw = raw.query(name, value);
    }
    if let Some(body) = &request.body {
        raw = raw.json(body);
    }
    Ok(raw.send().await?)
}

/// One page of a list, read as JSON: its items kept whole.
struct Page {
    items: Vec<Value>,
    next: bool,
    total: Option<u64>,
}

impl ListPage for Page {
    type Item = Value;
    fn into_items(self) -> Vec<Value> {
        self.items
    }
    fn has_next(&self) -> bool {
        self.next
    }
    fn total(&self) -> Option<u64> {
        self.total
    }
}

fn page_of(body: &Value, items: &str) -> Result<Page, Failure> {
    let list = body.get(items).and_then(Value::as_array).ok_or_else(|| {
        Failure::Other(format!(
            "the answer is not a list page: it has no `{items}` array"
        ))
    })?;
    let next = match body.get("next") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::String(s)) => !s.is_empty(),
        Some(_) => true,
    };
    let total = ["count", "totalCount"]
        .iter()
        .find_map(|k| body.get(*k).and_then(Value::as_u64));
    Ok(Page {
        items: list.clone(),
        next,
        total,
    })
}

/// Walks the list with fotbo-api's paginator (bounded pages, a server repeating a page
/// detected), printing each page as it arrives.
#[allow(clippy::too_many_arguments)]
async fn walk(
    client: &Client,
    operation: &'static str,
    method: Method,
    request: &Request,
    items: &'static str,
    limit: Option<u64>,
    page_size: u64,
    columns: Vec<String>,
    format: Format,
) -> Result<(), Failure> {
    let stream = fotbo_api::paginate(page_size, |page| {
        // Every page is the same request (its method and body too) with its page.
        let method = method.clone();
        let mut request = Request {
            path: request.path.clone(),
            query: request.query.clone(),
            body: request.body.clone(),
        };
        request.query.push(("page".into(), page.page()));
        request.query.push(("page_size".into(), page.page_size()));
        async move {
            let answer = send(client, method, &request, Some(operation))
                .await
                .map_err(|f| match f {
                    Failure::Api(e) => e,
                    other => fotbo_api::Error::Pagination(other.to_string()),
                })?;
            let status = answer.status;
            let headers = answer.headers.clone();
            let body = answer.json()?;
            let page =
                page_of(&body, items).map_err(|f| fotbo_api::Error::Pagination(f.to_string()))?;
            Ok(Response::new(page, status, headers))
        }
    });
    let limit = limit.unwrap_or(u64::MAX);
    let mut stream = stream
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .ready_chunks(usize::try_from(page_size).unwrap_or(100));
    let mut printer = ListPrinter::new(format, columns);
    let mut failed = None;
    while let Some(chunk) = stream.next().await {
        let mut items = Vec::with_capacity(chunk.len());
        for item in chunk {
            match item {
                Ok(item) => items.push(item),
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        printer.page(&items)?;
        if failed.is_some() {
            break;
        }
    }
    // What was printed stays well-formed (JSON's array closed) before the error is said.
    printer.finish()?;
    match failed {
        Some(e) => Err(Failure::Api(e)),
        None => Ok(()),
    }
}
