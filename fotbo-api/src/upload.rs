//! Uploads: the one operation progenitor cannot send.
//!
//! "Upload Attachment" takes a `multipart/form-data` body with a file field; progenitor sends
//! JSON, forms and raw bytes only, so the generator drops that body (see the normalization
//! report) and this hand-written method sends it, through the same runtime as every generated
//! method: authorization, tracing, error decoding (and, being a POST, no retries).

use bytes::Bytes;
use reqwest::multipart::{Form, Part};

use crate::client::Client;
use crate::error::Error;

/// What Upload Attachment answers, whatever the spec names that type.
pub type UploadedAttachment = crate::generated::results::TicketAttachmentsCreate;

const OPERATION: &str = "ticket_attachments_create";

// Compiled only when the spec has `ticket_attachments_create` (see build.rs).
impl Client {
    /// Uploads a file to attach to a ticket or a reply; the answer's `id` goes into the
    /// ticket's `associated_attachment_ids` or the reply's `associated_attachments`.
    pub async fn upload_ticket_attachment(
        &self,
        file_name: &str,
        contents: impl Into<Bytes>,
    ) -> Result<UploadedAttachment, Error> {
        let form = Form::new().text("file_name", file_name.to_string()).part(
            "data",
            Part::stream(reqwest::Body::from(contents.into())).file_name(file_name.to_string()),
        );
        // The path comes from the spec, through the operation table.
        let url = format!(
            "{}{}",
            self.base_url(),
            crate::call::operation(OPERATION).path
        );
        let request = progenitor_client::ClientInfo::client(&**self)
            .post(url)
            .header(reqwest::header::ACCEPT, "application/json")
            .multipart(form)
            .build()
            .map_err(|e| Error::InvalidRequest(format!("cannot build the upload request: {e}")))?;
        let response =
            crate::runtime::send(self, request, crate::call::operation(OPERATION)).await?;
        let limit = progenitor_client::ClientInfo::inner(&**self).max_body;
        let (body, size) = crate::call::read_at_most(response, limit)
            .await
            .map_err(|source| Error::Transport {
                operation: Some(crate::call::operation(OPERATION)),
                url: None,
                source,
            })?;
        if let crate::call::BodySize::Cut { declared } = size {
            return Err(Error::BodyTooLarge {
                operation: crate::call::operation(OPERATION),
                limit,
                declared,
            });
        }
        let strict = progenitor_client::ClientInfo::inner(&**self).strict_decoding;
        crate::decode::decode_body(&body, OPERATION, strict).map(|(v, _)| v)
    }
}
