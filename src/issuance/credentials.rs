//! Credentials and status lists of issued certificates: the signed status list a verifier
//! fetches, a certificate's Open Badges credential for a wallet or the API, and the backfill
//! that gives certificates issued before credentials existed one each, once. Issuing itself signs
//! each new certificate's credential in the same run ([`super::issue_event`]).

use chrono::{DateTime, Utc};

use super::{IssueError, Settings, salt};
use std::collections::HashSet;

use crate::attendance::{Decision, PersonKey};
use crate::store;
use crate::store::Conn;
use crate::store::certificates;
use crate::store::events::{self, Event};
use crate::trust::credential::{self, CredentialSigner, Facts};
use crate::trust::did::IssuerId;
use crate::trust::token::PrivateKey;

/// Status list `list` as a signed `BitstringStatusListCredential`, or `None` when no certificate
/// is in it. Signed with the active key, `created` being the time a bit last changed: the same
/// bits give the same bytes (Ed25519 signatures are deterministic), so `attest publish` and the
/// server serve identical files.
pub fn status_list_credential(
    conn: &Conn,
    secret: &PrivateKey,
    settings: &Settings,
    list: u64,
) -> Result<Option<serde_json::Value>, IssueError> {
    let Some((bits, updated_at)) = certificates::status_list(conn, list)? else { return Ok(None) };
    Ok(Some(sign_status_list(secret, settings, list, &bits, updated_at)))
}

/// The signed `BitstringStatusListCredential` of `list` with these bits, last changed at
/// `updated_at` (its `validFrom` and the proof's `created`: the same bits give the same bytes).
pub fn sign_status_list(
    secret: &PrivateKey,
    settings: &Settings,
    list: u64,
    bits: &[u8],
    updated_at: DateTime<Utc>,
) -> serde_json::Value {
    let issuer = IssuerId::new(&settings.public_url, &settings.issuer);
    let signer = CredentialSigner::new(secret.signing_key(), issuer.method(secret.kid()), updated_at);
    signer.sign_status_list(&crate::trust::status_list::StatusList::new(&issuer, list, bits, updated_at))
}

/// Whose credential is asked for: the holder gets it whole; the public, like the verify page,
/// gets it without the email's identity hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Holder,
    Public,
}

/// The credential of a certificate. The holder's is the one stored at issue, byte for byte (the
/// one in the PDF). The public one is the same facts without the email's identity hash, signed
/// now with the active key (its `created` stays the issue time, so it does not change between
/// requests). `None` for certificates issued before credentials existed.
pub fn credential_of(
    conn: &Conn,
    secret: &PrivateKey,
    settings: &Settings,
    id: &str,
    audience: Audience,
) -> Result<Option<String>, IssueError> {
    let Some(stored) = certificates::credential(conn, id)? else { return Ok(None) };
    if audience == Audience::Holder {
        return Ok(Some(stored));
    }
    let keys = crate::trust::token::key_set(conn).map_err(|e| IssueError::Invalid(e.to_string()))?;
    let verified = credential::verify(stored.as_bytes(), &keys)
        .map_err(|e| IssueError::Invalid(format!("stored credential of {id}: {e}")))?;
    let facts = verified.facts.minimised();
    let created = chrono::DateTime::parse_from_rfc3339(&facts.issued_at)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| IssueError::Invalid(format!("stored credential of {id}: {e}")))?;
    let issuer = IssuerId::new(&settings.public_url, &settings.issuer);
    let signer = CredentialSigner::new(secret.signing_key(), issuer.method(secret.kid()), created);
    let signed = signer.sign(&facts).map_err(|e| IssueError::Invalid(format!("credential of {id}: {e}")))?;
    Ok(Some(signed.to_string()))
}

/// Gives every certificate issued before credentials existed (migration 0008) its credential
/// and status-list position, so that every certificate has one (issue #11). Built, like a new
/// one, from the frozen record: the name, email, minutes, language and issue time as issued,
/// and the event's title as signed into the token (the event's current title only where the
/// token carries a shortened one). What the record does not hold, the session's window, series
/// and rule, comes from the event. Positions follow the highest one in use, oldest certificate
/// first; a revoked or superseded certificate gets its bit set in the same transaction. The
/// proof is made now with the active key. Idempotent: only certificates that still have no
/// credential are touched, so running it at every start costs one query.
///
/// Deliberately not done: re-rendering old PDFs to embed the credential (their bytes and hash
/// are what verification by upload compares).
pub fn backfill_credentials(
    conn: &mut Conn,
    secret: &PrivateKey,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<usize, IssueError> {
    let old = certificates::without_credential(conn)?;
    if old.is_empty() {
        return Ok(0);
    }
    let keys = crate::trust::token::key_set(conn).map_err(|e| IssueError::Invalid(e.to_string()))?;
    let issuer = IssuerId::new(&settings.public_url, &settings.issuer);
    let signer = CredentialSigner::new(secret.signing_key(), issuer.method(secret.kid()), now);
    let mut next = certificates::reserve_status_positions(conn, old.len())?;
    let tx = conn.transaction()?;
    // Each event read once, with its window and the keys of the people eligible by override.
    type EventFacts = (Event, Option<crate::attendance::Window>, HashSet<PersonKey>);
    let mut events_by_id: std::collections::HashMap<i64, EventFacts> = std::collections::HashMap::new();
    let mut done = 0;
    for c in &old {
        if let std::collections::hash_map::Entry::Vacant(e) = events_by_id.entry(c.event_id) {
            let event = events::get_by_id(&tx, c.event_id)?;
            let (window, _) = events::effective_window(&tx, &event)?;
            let overridden = overridden_keys(&store::people::decisions(&tx, &event)?);
            e.insert((event, window, overridden));
        }
        let (event, window, overridden) = &events_by_id[&c.event_id];
        // No window (an event without dates whose exports had no header) cannot have issued a
        // certificate; say which one if it ever happens rather than invent dates.
        let window = window.ok_or_else(|| {
            IssueError::Invalid(format!("certificate {}: its event {} has no date and time", c.id, event.slug))
        })?;
        let title = match keys.verify(&c.token) {
            Ok((claims, _)) if !claims.event.is_empty() && !claims.event.ends_with('…') => claims.event,
            _ => event.title.clone(),
        };
        let facts = Facts::for_certificate(
            &issuer,
            &credential::Record {
                id: &c.id,
                name: &c.name,
                email: c.email.as_deref(),
                salt: &salt()?,
                minutes: c.minutes,
                issued_at: c.issued_at,
                event_slug: &event.slug,
                event_title: &title,
                series: event.series.as_deref(),
                language: c.language.code(),
                starts: window.start,
                ends: window.end,
                rule: &event.rule.describe(),
                by_override: overridden.contains(&c.person_key),
                status_position: next,
            },
        );
        let signed = signer
            .sign(&facts)
            .map_err(|e| IssueError::Invalid(format!("credential of certificate {}: {e}", c.id)))?
            .to_string();
        if certificates::assign_credential(&tx, &c.id, next, &signed, now)? {
            next += 1;
            done += 1;
        }
    }
    if done > 0 {
        store::audit(&tx, now, "attest", "credential.backfill", "certificates", &format!("{done} certificate(s)"))?;
    }
    tx.commit()?;
    tracing::info!(certificates = done, "credentials given to certificates issued before them");
    Ok(done)
}

/// Every key of the people eligible by staff's override, for credentials built again from
/// certificates' records (a reissue, a redesign, a backfill): a record keeps the minutes, not how
/// the decision was reached. Someone no longer in the decisions is not among them. Read once
/// for a run over many certificates: the decisions are the event's, not the certificate's.
pub(super) fn overridden_keys(decisions: &[Decision]) -> HashSet<PersonKey> {
    super::keys_of(decisions, |d| d.overridden && d.eligible)
}
