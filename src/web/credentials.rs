//! The issuer's documents for independent verifiers of Open Badges credentials: the DID
//! document, the status lists, and a certificate's public (data-minimised) credential.
//!
//! Nothing here holds a secret beyond signing with the active key; the status lists are served
//! with a `Cache-Control` lifetime equal to their `ttl`, so a CDN in front of attest can answer
//! every verifier.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, WebError};
use crate::issuance::{self, Audience, CertificateId};
use crate::trust::did::{self, IssuerId};
use crate::trust::status_list::STATUS_LIST_TTL_MS;

/// `application/vc`, the media type of a secured Verifiable Credential (VC Data Model 2.0).
pub const VC_MEDIA_TYPE: &str = "application/vc";

fn issuer_id(state: &AppState) -> IssuerId {
    IssuerId::new(&state.config().public_url, &state.config().issuer)
}

/// `GET /.well-known/did.json`: every key, retired ones too, as a Multikey in `assertionMethod`.
/// Read from the database, as the JWK set is: the keys this process keeps for checking tokens are
/// reloaded within a minute of a rotation by the command line, and meanwhile new credentials
/// were signed with a key the document did not list yet.
pub(super) async fn did_document(State(state): State<AppState>) -> Result<Response, WebError> {
    let issuer = issuer_id(&state);
    let keys =
        state.blocking(|c, _| crate::trust::token::key_set(c)).await?.map_err(|e| WebError::internal(e.to_string()))?;
    let doc = did::did_document(&issuer, &keys);
    Ok((
        [(header::CONTENT_TYPE, "application/did+json"), (header::CACHE_CONTROL, "public, max-age=300")],
        doc.to_string(),
    )
        .into_response())
}

/// A status list as last signed, kept while its bits, their time and the active key stay the
/// same: signing means compressing 16 KiB, canonicalising and an Ed25519 signature, and loading
/// the issuer's keys first, for every verifier's request otherwise.
pub(super) struct SignedList {
    bits: Vec<u8>,
    updated_at: chrono::DateTime<chrono::Utc>,
    kid: String,
    doc: Arc<str>,
}

/// What the cache says of a list, its bits read now.
enum Lookup {
    NoList,
    Hit(Arc<str>),
    Miss,
}

/// `GET /status/{list}`: a signed `BitstringStatusListCredential`, signed again only when its
/// bits (or the active key) changed since it was last signed.
pub(super) async fn status_list(State(state): State<AppState>, Path(list): Path<String>) -> Result<Response, WebError> {
    let not_found = || WebError::Status(StatusCode::NOT_FOUND, "no such status list".into());
    let Ok(list) = list.parse::<u64>() else {
        return Err(not_found());
    };
    let st = state.clone();
    let lookup = state
        .blocking(move |conn, _| -> Result<Lookup, String> {
            let Some((bits, updated_at)) =
                crate::store::certificates::status_list(conn, list).map_err(|e| e.to_string())?
            else {
                return Ok(Lookup::NoList);
            };
            let kid = crate::trust::token::active_kid(conn).map_err(|e| e.to_string())?;
            let cache = st.inner.status_lists.lock().unwrap_or_else(|e| e.into_inner());
            Ok(match cache.get(&list) {
                Some(s) if s.bits == bits && s.updated_at == updated_at && kid.as_deref() == Some(&s.kid) => {
                    Lookup::Hit(Arc::clone(&s.doc))
                }
                _ => Lookup::Miss,
            })
        })
        .await?
        .map_err(WebError::internal)?;
    let doc = match lookup {
        Lookup::NoList => return Err(not_found()),
        Lookup::Hit(doc) => doc,
        Lookup::Miss => {
            let st = state.clone();
            state
                .with_issuer("status-list".into(), move |conn, issuer, _| {
                    let Some((bits, updated_at)) = crate::store::certificates::status_list(conn, list)? else {
                        return Ok(None);
                    };
                    let doc: Arc<str> =
                        issuance::sign_status_list(issuer.secret, issuer.settings, list, &bits, updated_at)
                            .to_string()
                            .into();
                    st.inner.status_lists_signed.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let kid = issuer.secret.kid().to_owned();
                    let signed = SignedList { bits, updated_at, kid, doc: Arc::clone(&doc) };
                    st.inner.status_lists.lock().unwrap_or_else(|e| e.into_inner()).insert(list, signed);
                    Ok(Some(doc))
                })
                .await?
                .map_err(|e| WebError::internal(e.to_string()))?
                .ok_or_else(not_found)?
        }
    };
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
