//! The progenitor options, chosen in one place.

use crate::overlay::Overlay;

/// How operations are exposed on the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interface {
    /// `client.instances_list().page("2").send()`: optional parameters by name, new optional
    /// parameters upstream do not break callers. Chosen for Fotbo.
    Builder,
    /// `client.instances_list(None, None, Some("2"), None)`: one argument per parameter.
    Positional,
}

/// How tags shape the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tags {
    /// All methods on the client itself. Chosen for Fotbo: no extension traits to import.
    Merged,
    /// One extension trait per tag (builder interface only).
    Separate,
}

/// What becomes of documented error responses (4xx, 5xx).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorResponses {
    /// progenitor types them per operation.
    Typed,
    /// They are left out of the generated code, so every error status reaches the caller with
    /// its whole response (status, URL, body) for the runtime to decode in one place. Chosen
    /// for Fotbo, whose errors share one shape (`{"detail": …}` or field lists) and whose spec
    /// documents them in only a few operations.
    DecodedByRuntime,
}

/// Which struct builders (`types::builder::X`, used by `body_map`) are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StructBuilders {
    /// typify's default: one for every type.
    All,
    /// Only for types a request body can reach; chosen for Fotbo, where the rest were more
    /// than half of the generated code and of its compile time.
    RequestBodies,
}

/// What becomes of a unit of the spec the generator cannot make: a schema progenitor cannot
/// type, an operation progenitor or a pass cannot generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Losses {
    /// The first such unit fails generation with the error that names it (stage, operation or
    /// schema, pointer, message): for CI, and for whoever wants every operation or nothing.
    Refused,
    /// It is made without — a schema becomes an untyped value, an operation is left out of
    /// the client — and each is reported: in the report, in the API surface, and in fotbo-api's
    /// build output. The rest of the client is generated.
    Reported,
}

/// A hand-written helper that needs a generated operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeHelper {
    /// The helper's name (its `cfg(fotbo_helper = "…")` value).
    pub name: String,
    /// The operation it calls.
    pub operation: String,
    /// The path parameters it sets by name.
    pub path_params: Vec<String>,
}

impl RuntimeHelper {
    fn new(name: &str, operation: &str, path_params: &[&str]) -> Self {
        RuntimeHelper {
            name: name.into(),
            operation: operation.into(),
            path_params: path_params.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// Whether the API has what the helper needs.
    pub fn available_in(&self, api: &crate::ApiSurface) -> bool {
        api.operations.iter().any(|op| {
            op.id == self.operation
                && self
                    .path_params
                    .iter()
                    .all(|p| op.params.iter().any(|q| q.place == "path" && q.name == *p))
        })
    }
}

/// Generator settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Builder or positional methods.
    pub interface: Interface,
    /// Tag handling.
    pub tags: Tags,
    /// Extra derives on every generated type.
    pub derives: Vec<String>,
    /// Typed or runtime-decoded error responses.
    pub error_responses: ErrorResponses,
    /// A type stored in the client and handed to the hooks (progenitor's `inner_type`).
    pub inner_type: Option<String>,
    /// Whether the crate must implement `ClientHooks` for the client itself.
    pub hooks_expected: bool,
    /// A trait (path) to implement for every response type shaped as the Fleio list envelope
    /// (`objects` + `next`), so one pagination mechanism serves every list.
    pub list_page_trait: Option<String>,
    /// A trait (path) to implement for every operation builder that pages through such a
    /// list (`page` + `page_size` parameters), so a configured request can be streamed.
    /// Needs `list_page_trait`.
    pub paged_request_trait: Option<String>,
    /// Which struct builders are kept.
    pub struct_builders: StructBuilders,
    /// Whether requests carry progenitor's `api-version: <info.version>` header.
    pub api_version_header: bool,
    /// The spec's name, for the header of the generated file.
    pub source_name: String,
    /// A module path (`crate::decode`) through which every operation's response is decoded:
    /// `send()` returns `Result<M::Response<T>, M::Error>` and calls `M::json`, `M::empty` or
    /// `M::stream` with the client, the operationId and the exchanged response (builder
    /// interface only). `None`: progenitor's own decoding of documented status codes.
    pub response_runtime: Option<String>,
    /// Hand-written helpers of the client crate that call a generated operation: (helper,
    /// operationId, the path parameters it sets). The crate's build script compiles a helper
    /// only when its operation is there (`cfg(fotbo_helper = "…")`), and regen reports the
    /// ones left out, so that a spec without the operation never breaks the build.
    pub runtime_helpers: Vec<RuntimeHelper>,
    /// Wire corrections applied to the spec right after loading, before the rules.
    pub overlay: Option<Overlay>,
    /// Also generate typed mocks for the `httpmock` crate (progenitor's httpmock generator):
    /// the Rust path under which the client's `types` module is found (`crate`). The code
    /// comes back in [`crate::Generated::mock`].
    pub mock_crate_path: Option<String>,
    /// Also generate the `fotbo` command line's table ([`crate::Generated::cli`]).
    pub cli: bool,
    /// Whether a schema or operation the generator cannot make fails generation or is made
    /// without and reported.
    pub losses: Losses,
}

impl Default for Settings {
    /// Plain progenitor defaults (positional, merged, typed errors), no glue.
    fn default() -> Self {
        Settings {
            interface: Interface::Positional,
            tags: Tags::Merged,
            derives: Vec::new(),
            error_responses: ErrorResponses::Typed,
            inner_type: None,
            hooks_expected: false,
            list_page_trait: None,
            paged_request_trait: None,
            struct_builders: StructBuilders::All,
            api_version_header: true,
            source_name: "spec".into(),
            response_runtime: None,
            runtime_helpers: Vec::new(),
            overlay: None,
            mock_crate_path: None,
            cli: false,
            losses: Losses::Refused,
        }
    }
}

impl Settings {
    /// The settings the `fotbo-api` crate is generated with.
    pub fn fotbo() -> Self {
        Settings {
            interface: Interface::Builder,
            tags: Tags::Merged,
            derives: vec!["PartialEq".into()],
            error_responses: ErrorResponses::DecodedByRuntime,
            inner_type: Some("crate::runtime::Runtime".into()),
            hooks_expected: true,
            list_page_trait: Some("crate::pagination::ListPage".into()),
            paged_request_trait: Some("crate::pagination::PagedRequest".into()),
            struct_builders: StructBuilders::RequestBodies,
            // Fotbo documents no such header; its info.version is prose.
            api_version_header: false,
            source_name: "spec".into(),
            // Any 2xx is a success, bodies decoded tolerantly (fotbo-api's decode module).
            response_runtime: Some("crate::decode".into()),
            runtime_helpers: vec![
                RuntimeHelper::new(
                    "wait_for_instance_status",
                    "instances_retrieve",
                    &["instance_id"],
                ),
                RuntimeHelper::new("upload_ticket_attachment", "ticket_attachments_create", &[]),
            ],
            overlay: None,
            // Set by fotbo-api's build script when its `mock` feature is on.
            mock_crate_path: None,
            // Set by fotbo-api's build script when its `cli` feature is on.
            cli: false,
            // Whatever file arrives, the user gets a client: what cannot be generated is left
            // out and named (CI and `regen --check` refuse losses instead).
            losses: Losses::Reported,
        }
    }

    /// progenitor's plain defaults, naming `source` in the header: what the quirk fixtures
    /// and `cargo xtask generate --plain` use.
    pub fn plain(source: impl Into<String>) -> Self {
        Settings {
            source_name: source.into(),
            ..Settings::default()
        }
    }

    /// The settings a quirk fixture (`generator/tests/quirks/<file>`) is generated with:
    /// progenitor's plain defaults, plus the setting a setting's rule needs to run (the fixture
    /// of `errors-decoded-by-runtime`). The quirk tests and `cargo xtask regen` both use it.
    pub fn for_fixture(file: &str) -> Self {
        let mut settings = Settings::plain(format!("generator/tests/quirks/{file}"));
        if file == "errors_decoded_by_runtime.json" {
            settings.error_responses = ErrorResponses::DecodedByRuntime;
        }
        settings
    }

    pub(crate) fn header(&self) -> String {
        format!(
            "// @generated by the fotbo generator from {}: do not edit.\n// Change the spec, a normalization rule or a generator setting instead.\n\n",
            self.source_name
        )
    }
}
