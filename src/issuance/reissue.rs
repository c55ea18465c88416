//! One certificate issued again: a corrected name or another language in place of a valid
//! certificate (which becomes superseded by it), or a new certificate after a revocation (which
//! stays revoked). The event's design on all its certificates at once is `redesign`'s.

use chrono::{DateTime, Utc};

use std::collections::HashSet;

use super::credentials::overridden_keys;
use super::{CredentialRun, IssueError, Issuer, MAX_NAME_CHARS, Recipient, grouped, job, render, series};
use crate::attendance::PersonKey;
use crate::language::Language;
use crate::store::certificates::{self, Certificate};
use crate::store::{self, Conn, events};

/// Issues a new certificate in place of `id` (a corrected name, another language) and marks the
/// old one superseded by it.
pub fn reissue(
    conn: &mut Conn,
    issuer: Issuer,
    id: &str,
    name: Option<&str>,
    language: Option<Language>,
    now: DateTime<Utc>,
) -> Result<Certificate, IssueError> {
    reissue_because(conn, issuer, id, name, language, None, now)
}

/// What a run over many certificates of one event (a redesign) gives each reissue: the reason
/// their histories give, and who is eligible by override, read once for the run rather than
/// once a certificate.
pub(super) struct Batch {
    pub why: String,
    pub overridden: HashSet<PersonKey>,
}

/// [`reissue`] as part of `batch` (`None`: one certificate, its history saying the corrected
/// name or the language).
pub(super) fn reissue_because(
    conn: &mut Conn,
    issuer: Issuer,
    id: &str,
    name: Option<&str>,
    language: Option<Language>,
    batch: Option<&Batch>,
    now: DateTime<Utc>,
) -> Result<Certificate, IssueError> {
    let why = batch.map(|b| b.why.as_str());
    let old = certificates::get(conn, id)?.ok_or_else(|| IssueError::Invalid(format!("no certificate {id}")))?;
    // A revoked certificate is replaced by a new one and stays revoked: one revoked by mistake
    // (a mistyped code) could not be undone, since the issue counts its holder as served.
    let after_revocation = old.status == "revoked";
    if old.status != "valid" && !after_revocation {
        return Err(IssueError::Conflict(format!(
            "certificate {} is {}: only a valid or revoked certificate can be reissued",
            grouped(&old.id),
            old.status
        )));
    }
    let event = store::events::list(conn)?
        .into_iter()
        .find(|e| e.id == old.event_id)
        .ok_or_else(|| IssueError::Invalid("the certificate's event is gone".into()))?;
    let (window, _) = events::effective_window(conn, &event)?;
    let window = window.ok_or_else(|| IssueError::Invalid("the event has no date and time".into()))?;
    // The corrected name as sent is checked (the API's schema states the same rule), then trimmed.
    if let Some(n) = name {
        if n.chars().count() > MAX_NAME_CHARS || n.chars().any(char::is_control) {
            return Err(IssueError::Invalid(format!(
                "the name has control characters or is longer than {MAX_NAME_CHARS} characters"
            )));
        }
    }
    let name = name.map(str::trim).unwrap_or(&old.name);
    if name.is_empty() {
        return Err(IssueError::Invalid("the name is empty".into()));
    }
    // An unknown language cannot reach here (the type): callers refuse it where it is typed,
    // before rendering, where it used to surface as a 500.
    let language = language.unwrap_or(old.language);
    // Nothing to correct: the holder's PDF became "superseded" for a copy of itself.
    if why.is_none() && !after_revocation && name == old.name && language == old.language {
        return Err(IssueError::Invalid(format!(
            "nothing to correct: certificate {} already has this name and language (a new design is printed by \
             reissuing the event's certificates with it: the console's event page, or POST \
             /api/v1/events/{{slug}}/redesign)",
            grouped(&old.id)
        )));
    }
    if let Some(s) = store::series::of_certificate(conn, &old.id)? {
        if after_revocation {
            return Err(IssueError::Conflict(format!(
                "certificate {} is a revoked series certificate: issue the series again instead",
                grouped(&old.id)
            )));
        }
        return series::reissue(conn, issuer, &old, &s, name, language, now);
    }
    let who = Recipient {
        key: &old.person_key,
        name,
        email: old.email.clone(),
        minutes: old.minutes,
        language,
        by_override: match batch {
            Some(b) => b.overridden.contains(&old.person_key),
            None => overridden_keys(&store::people::decisions(conn, &event)?).contains(&old.person_key),
        },
    };
    let run = CredentialRun::new(conn, issuer, &event, now)?;
    let position = certificates::reserve_status_positions(conn, 1)?;
    let job = job(issuer, &run, &event, &window, who, position, now)?;
    let new = render(issuer, &event, job, now)?;
    let why = match why {
        Some(w) => w.to_owned(),
        None if name != old.name => format!("name \"{}\" corrected to \"{name}\"", old.name),
        None => format!("reissued in {language}"),
    };
    if after_revocation {
        certificates::issue_after_revocation(conn, &old, &new, issuer.actor)?;
    } else {
        certificates::supersede(conn, &old.id, &new, &why, issuer.actor, now)?;
    }
    Ok(certificates::get(conn, &new.id)?.expect("just stored"))
}

/// Reissues every valid certificate signed with the withdrawn key `kid` with the active key,
/// each superseding its old one with the reason naming the key; an event at a time, under its
/// issue lock. Returns the new certificates. Run again after a failure, it reissues the rest:
/// those done are no longer valid.
pub fn reissue_signed_with(
    conn: &mut Conn,
    issuer: Issuer,
    kid: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Certificate>, IssueError> {
    if issuer.secret.kid() == kid {
        return Err(IssueError::Conflict(format!("key {kid} is the active key: rotate first (`attest keys rotate`)")));
    }
    let why = format!("reissued: signing key {kid} withdrawn");
    let mut done = Vec::new();
    let signed = certificates::valid_signed_with(conn, kid)?;
    let events = store::events::list(conn)?;
    let mut ids: Vec<i64> = signed.iter().map(|(e, _)| *e).collect();
    ids.dedup();
    for event_id in ids {
        let event = events
            .iter()
            .find(|e| e.id == event_id)
            .ok_or_else(|| IssueError::Invalid("a certificate's event is gone".into()))?;
        let _running = super::lock_issue(conn, event)?;
        let overridden = overridden_keys(&store::people::decisions(conn, event)?);
        let batch = Batch { why: why.clone(), overridden };
        for (_, id) in signed.iter().filter(|(e, _)| *e == event_id) {
            done.push(reissue_because(conn, issuer, id, None, None, Some(&batch), now)?);
        }
    }
    Ok(done)
}
