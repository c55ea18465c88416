//! The issuer's documents for independent verifiers of Open Badges credentials: the DID
//! document, the status lists, and a certificate's public (data-minimised) credential.
//!
//! Nothing here holds a secret beyond signing with the active key; the status lists are served
//! with a `Cache-Control` lifetime equal to their `ttl`, so a CDN in front of attest can answer
//! every verifier.

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, WebError};
use crate::credential::{self, IssuerId, STATUS_LIST_TTL_MS};
use crate::issuance::{self, Audience, CertificateId};

/// `application/vc`, the media type of a secured Verifiable Credential (VC Data Model 2.0).
pub const VC_MEDIA_TYPE: &str = "application/vc";

fn issuer_id(state: &AppState) -> IssuerId {
    IssuerId::new(&state.config().public_url, &state.config().issuer)
}

/// `GET /.well-known/did.json`: every key, retired ones too, as a Multikey in `assertionMethod`.
pub(super) async fn did_document(State(state): State<AppState>) -> Result<Response, WebError> {
    let issuer = issuer_id(&state);
    let doc = state.blocking(move |_, keys| credential::did_document(&issuer, keys)).await?;
    Ok((
        [(header::CONTENT_TYPE, "application/did+json"), (header::CACHE_CONTROL, "public, max-age=300")],
        doc.to_string(),
    )
        .into_response())
}

/// `GET /status/{list}`: a signed `BitstringStatusListCredential`.
pub(super) async fn status_list(State(state): State<AppState>, Path(list): Path<String>) -> Result<Response, WebError> {
    let Ok(list) = list.parse::<u64>() else {
        return Err(WebError::Status(StatusCode::NOT_FOUND, "no such status list".into()));
    };
    let doc = state
        .with_issuer("status-list".into(), move |conn, issuer, _| {
            issuance::status_list_credential(conn, issuer.secret, issuer.settings, list)
        })
        .await?
        .map_err(|e| WebError::internal(e.to_string()))?
        .ok_or_else(|| WebError::Status(StatusCode::NOT_FOUND, "no such status list".into()))?;
    let cache = format!("public, max-age={}", STATUS_LIST_TTL_MS / 1000);
    Ok(([(header::CONTENT_TYPE, VC_MEDIA_TYPE.to_owned()), (header::CACHE_CONTROL, cache)], doc.to_string())
        .into_response())
}

/// `GET /credentials/{id}`: the certificate's credential without the email's identity hash, as
/// the verify page shows the certificate without the email.
pub(super) async fn public_credential(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let not_found = || WebError::Status(StatusCode::NOT_FOUND, "no credential for this certificate".into());
    let id = CertificateId::parse(&id).ok_or_else(not_found)?.code();
    let file = format!("attachment; filename=\"credential-{}.json\"", &id[..5]);
    let doc = state
        .with_issuer("public-credential".into(), move |conn, issuer, _| {
            issuance::credential_of(conn, issuer.secret, issuer.settings, &id, Audience::Public)
        })
        .await?
        .map_err(|e| WebError::internal(e.to_string()))?
        .ok_or_else(not_found)?;
    Ok(([(header::CONTENT_TYPE, VC_MEDIA_TYPE.to_owned()), (header::CONTENT_DISPOSITION, file)], doc).into_response())
}
