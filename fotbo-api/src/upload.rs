//! Uploads: the one operation progenitor cannot send.
//!
//! "Upload Attachment" takes a `multipart/form-data` body with a file field; progenitor sends
//! JSON, forms and raw bytes only, so the generator drops that body (see the normalization
//! report) and this hand-written method sends it, through the same runtime as every generated
//! method: authorization, tracing, error decoding (and, being a POST, no retries).

use bytes::Bytes;
use reqwest::multipart::{Form, Part};

use crate::config::Client;
use crate::error::Error;
use crate::types;

impl Client {
    /// Uploads a file to attach to a ticket or a reply; the answer's `id` goes into the
    /// ticket's `associated_attachment_ids` or the reply's `associated_attachments`.
    pub async fn upload_ticket_attachment(
        &self,
        file_name: &str,
        contents: impl Into<Bytes>,
    ) -> Result<types::Attachment, Error> {
        let form = Form::new().text("file_name", file_name.to_string()).part(
            "data",
            Part::stream(reqwest::Body::from(contents.into())).file_name(file_name.to_string()),
        );
        let url = format!(
            "{}/backend/api/plugins/tickets/ticket_attachments",
            self.base_url()
        );
        let request = progenitor_client::ClientInfo::client(&**self)
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .multipart(form)
            .build()
            .map_err(|e| Error::InvalidRequest(format!("cannot build the upload request: {e}")))?;
        let response = crate::runtime::send(self, request, "ticket_attachments_create").await?;
        let body = response
            .bytes()
            .await
            .map_err(|source| Error::Transport { url: None, source })?;
        let strict = progenitor_client::ClientInfo::inner(&**self).strict_decoding;
        crate::decode::decode_body(&body, "ticket_attachments_create", strict).map(|(v, _)| v)
    }
}
