//! A design's preview as a PNG: the design's current version laid over its template with a
//! sample event and a sample name (a long one, or one in Arabic to show right-to-left), at
//! screen resolution. The console's design editor and the API's preview route both call it on
//! the blocking pool; it issues nothing and signs nothing.

use axum::http::StatusCode;
use chrono::Utc;

use crate::certificate::design;
use crate::language::Language;
use crate::store;
use crate::web::{AppState, WebError};

/// Sample names of the preview: a long one and one in Arabic (right-to-left, joined letters).
pub const SAMPLE_LONG: &str =
    "Maria Fernanda de los Ángeles Rodríguez-Villanueva y Castellanos, Ministry of Justice (Costa Rica)";
pub const SAMPLE_ARABIC: &str = "محمد بن عبد الله الهاشمي";

/// A certificate's content for previews: a sample event, no real token.
pub fn sample_content(
    name: &str,
    language: Language,
    template: String,
    public_url: &str,
    issuer: &str,
) -> crate::certificate::CertificateContent {
    let day = chrono::NaiveDate::from_ymd_opt(2021, 7, 13).expect("valid date");
    crate::certificate::CertificateContent {
        language: language.code().to_owned(),
        template: Some(template),
        name: name.to_owned(),
        event_title: "Regional parliamentary webinar on the Budapest Convention: African Region".into(),
        series: None,
        starts_local: day.and_hms_opt(13, 0, 0).expect("valid time"),
        ends_local: day.and_hms_opt(16, 0, 0).expect("valid time"),
        timezone: "UTC".into(),
        minutes_attended: 172,
        certificate_code: "PREV-IEW0-0000-0000-0000-0000-00".into(),
        // As long as a real verification URL, so the QR code is as dense as a real one.
        verify_url: format!("{public_url}/v/{}", "p".repeat(250)),
        issued_at: chrono::DateTime::from_naive_utc_and_offset(day.and_hms_opt(18, 0, 0).expect("valid time"), Utc),
        issuer: issuer.to_owned(),
    }
}

/// Renders a preview PNG of design `id`'s current version, on the caller's blocking thread.
pub fn png(
    state: &AppState,
    c: &mut store::Conn,
    id: i64,
    sample: &str,
    language: Language,
) -> Result<Vec<u8>, WebError> {
    let issuing = state.inner.issuing.as_ref().ok_or_else(|| {
        WebError::Status(StatusCode::CONFLICT, "This server is not set up to render certificates.".into())
    })?;
    let d = store::designs::get(c, id)?;
    let key = (d.id, d.version);
    issuing
        .renderer
        .prepare_design(key, &d.spec, &|sha| store::designs::asset_png(c, sha).ok().flatten())
        .map_err(|e| WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()))?;
    let issuer = store::designs::profile(c)?.printed_issuer(language, &issuing.settings.issuer);
    let name = if sample == "arabic" { SAMPLE_ARABIC } else { SAMPLE_LONG };
    let content =
        sample_content(name, language, design::template_name(key.0, key.1), &issuing.settings.public_url, &issuer);
    issuing
        .renderer
        .preview_png(&content, 110.0)
        .map_err(|e| WebError::internal(format!("preview of design {id}: {e}")))
}
