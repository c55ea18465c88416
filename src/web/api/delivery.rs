//! Bulk delivery by email in the JSON API: start it (or dry-run it), read its progress and
//! records, resend one certificate. The sending itself runs in the background, shared with the
//! console ([`crate::web::console::delivery`]); these handlers answer at once.
//!
//! Not here: the wording of the mails and the state machine (`crate::delivery`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::certificates::one;
use super::{ApiResult, JsonOn, StaffOn};
use crate::delivery::Mode;
use crate::issuance;
use crate::store::{self, deliveries};
use crate::web::jobs::delivery as job;

/// Which certificates to queue.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMode {
    /// Every valid certificate with an email that has never been queued (a second send queues
    /// nothing: nobody receives a certificate twice this way).
    #[default]
    New,
    /// Only those whose last mail failed.
    RetryFailed,
}

/// What starts a delivery.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeliveryIn {
    #[serde(default)]
    pub mode: DeliveryMode,
    /// Attach the PDF to each mail as well as the download link.
    #[serde(default)]
    pub attach_pdf: bool,
    /// Say how many would be queued; queue and send nothing.
    #[serde(default)]
    pub dry_run: bool,
}

/// How many of an event's certificates are in each delivery state.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryCountsOut {
    /// Valid certificates with an email and no record yet (what a `new` delivery queues).
    pub not_sent: usize,
    pub queued: usize,
    /// Claimed by a sender, waiting for the mail server's answer.
    pub sending: usize,
    pub sent: usize,
    pub failed: usize,
    /// The sender stopped between taking the mail and recording the answer: it may have been
    /// delivered; never resent on its own.
    pub unknown: usize,
    /// Valid certificates without an email address.
    pub without_email: usize,
}

impl From<deliveries::Counts> for DeliveryCountsOut {
    fn from(c: deliveries::Counts) -> Self {
        DeliveryCountsOut {
            not_sent: c.not_sent,
            queued: c.queued,
            sending: c.sending,
            sent: c.sent,
            failed: c.failed,
            unknown: c.unknown,
            without_email: c.without_email,
        }
    }
}

/// What a delivery request did.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryStartOut {
    /// Certificates queued by this request (with `dry_run`: that would be).
    pub queued: usize,
    pub dry_run: bool,
    /// Whether a sender runs for the event now (follow it with GET on the same path).
    pub running: bool,
}

/// A certificate's delivery record.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryOut {
    pub certificate_id: String,
    pub code: String,
    pub name: String,
    pub email: String,
    pub language: String,
    /// `queued`, `sending`, `sent`, `failed` or `unknown`.
    pub state: String,
    pub attach_pdf: bool,
    /// Mails the server accepted for this certificate (more than one only after a resend).
    pub sends: u32,
    pub attempts: u32,
    pub queued_at: String,
    pub finished_at: Option<String>,
    /// The last mail's Message-ID, to find it in the mail server's log.
    pub message_id: Option<String>,
    /// The server's answer when sent.
    pub answer: Option<String>,
    /// Why it failed, or why it is unknown.
    pub error: Option<String>,
}

/// An event's delivery: progress and records.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveriesOut {
    pub running: bool,
    pub counts: DeliveryCountsOut,
    pub records: Vec<DeliveryOut>,
}

/// What resends one certificate.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResendIn {
    #[serde(default)]
    pub attach_pdf: bool,
}

/// Mail each valid certificate of the event to its holder (background; 202), or say how many
/// would be (`dry_run`; 200).
#[utoipa::path(post, path = "/api/v1/events/{slug}/deliveries", tag = "delivery", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = DeliveryIn,
    responses((status = 202, description = "queued; the sending runs in the background", body = DeliveryStartOut),
              (status = 200, description = "dry run: nothing queued", body = DeliveryStartOut),
              (status = 404, body = super::ApiErrorBody)))]
pub(super) async fn delivery_start(JsonOn(state, m, slug, d): JsonOn<DeliveryIn>) -> ApiResult<Response> {
    let mode = match d.mode {
        DeliveryMode::New => Mode::New,
        DeliveryMode::RetryFailed => Mode::RetryFailed,
    };
    if d.dry_run {
        let counts = super::with_event(&state, slug, |c, e| deliveries::counts(c, e.id)).await?;
        let queued = if mode == Mode::New { counts.not_sent } else { counts.failed };
        return Ok(Json(DeliveryStartOut { queued, dry_run: true, running: false }).into_response());
    }
    let started = job::start(&state, slug, mode, d.attach_pdf, m.email).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(DeliveryStartOut { queued: started.queued, dry_run: false, running: started.running }),
    )
        .into_response())
}

/// The event's delivery: counts by state, whether a sender runs, and every record.
#[utoipa::path(get, path = "/api/v1/events/{slug}/deliveries", tag = "delivery", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses((status = 200, body = DeliveriesOut), (status = 404, body = super::ApiErrorBody)))]
pub(super) async fn delivery_status(StaffOn(state, _, slug): StaffOn<String>) -> ApiResult<Json<DeliveriesOut>> {
    let job::Progress { counts, records: list, running, .. } = job::read(&state, slug).await?;
    let ts = store::ts;
    Ok(Json(DeliveriesOut {
        running,
        counts: counts.into(),
        records: list
            .into_iter()
            .map(|d| DeliveryOut {
                code: issuance::grouped(&d.certificate_id),
                certificate_id: d.certificate_id,
                name: d.name,
                email: d.email,
                language: d.language.code().to_owned(),
                state: d.state.as_str().into(),
                attach_pdf: d.attach_pdf,
                sends: d.sends,
                attempts: d.attempts,
                queued_at: ts(d.queued_at),
                finished_at: d.finished_at.map(ts),
                message_id: d.message_id,
                answer: d.answer,
                error: d.error,
            })
            .collect(),
    }))
}

/// Mail one certificate again, although its holder may have it: staff's explicit choice (any
/// state but queued or being sent).
#[utoipa::path(post, path = "/api/v1/certificates/{id}/delivery", tag = "delivery", security(("bearer" = [])),
    params(("id" = String, Path)), request_body = ResendIn,
    responses((status = 202, description = "queued; the sending runs in the background", body = DeliveryStartOut),
              (status = 409, description = "the certificate is not valid, or its mail is queued or being sent already", body = super::ApiErrorBody),
              (status = 422, description = "the certificate has no email address", body = super::ApiErrorBody)))]
pub(super) async fn delivery_resend(JsonOn(state, m, id, r): JsonOn<ResendIn>) -> ApiResult<Response> {
    let c = one(&state, id).await?;
    job::resend(&state, c.id, r.attach_pdf, m.email).await?;
    Ok((StatusCode::ACCEPTED, Json(DeliveryStartOut { queued: 1, dry_run: false, running: true })).into_response())
}
