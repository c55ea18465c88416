//! Series certificates: the series' decisions → signed, rendered, stored certificates that list
//! the sessions attended.
//!
//! A series certificate is made like an event's: a random ID, a token (its "event" the series'
//! title, its date the last session's, its minutes the total), an Open Badges credential whose
//! achievement is the series (`{public URL}/achievements/series/{slug}`, criteria stating the
//! series' rule), a status-list position, a PAdES signature; it is stored in `certificates` with
//! its sessions beside it, so revocation and verification are those of every certificate.
//!
//! Frozen at issue: the sessions listed (title, date, minutes as the event's certificate printed
//! them, or as decided when the person holds none) are copied into the record; a later change to
//! an event, a decision or the series never changes an issued certificate, and a reissue (a
//! corrected name, another language) lists the same sessions.
//!
//! Not done here: no parallel rendering (a series has a few hundred certificates at most, not
//! thousands), no export to a folder or ZIP (the PDFs are served one by one).

use chrono::{DateTime, NaiveDate, Utc};

use super::{CertificateId, CredentialRun, IssueError, IssueReport, Issuer, fit_claims, grouped, salt, verify_url};
use crate::attendance::series::{Held, SeriesDecision, Session};
use crate::attendance::{self, PersonKey, Window};
use crate::certificate::{CertificateContent, SeriesContent};
use crate::language::Language;
use crate::store::Conn;
use crate::store::certificates::{self, Certificate, NewCertificate};
use crate::store::events::{self, Event};
use crate::store::series::{Series, StoredSession};
use crate::store::{self, StoreError};
use crate::trust::credential::{self, Facts};
use crate::trust::token::Claims;

/// One event of the series with its window (`None` until it has a date).
pub struct SeriesEvent {
    pub event: Event,
    pub window: Option<Window>,
}

/// The series' events, in order, and each one's [`Session`] for [`attendance::series::decide`].
pub fn sessions(conn: &Conn, series: &Series) -> Result<(Vec<SeriesEvent>, Vec<Session>), StoreError> {
    let mut evs = Vec::new();
    let mut sessions = Vec::new();
    for event in store::series::events(conn, series)? {
        let (window, _) = events::effective_window(conn, &event)?;
        let date =
            window.map(|w| w.start.with_timezone(&event.tz()).format("%Y-%m-%d").to_string()).unwrap_or_default();
        let decisions = store::people::decisions(conn, &event)?;
        let held = certificates::for_event(conn, event.id)?
            .into_iter()
            .map(|c| Held { id: c.id, person_key: c.person_key, name: c.name, minutes: c.minutes, status: c.status })
            .collect();
        sessions.push(Session {
            slug: event.slug.clone(),
            title: event.title.clone(),
            date,
            decisions,
            certificates: held,
        });
        evs.push(SeriesEvent { event, window });
    }
    Ok((evs, sessions))
}

/// The decision for every person of the series, from the events' decisions as they are now.
pub fn decisions(conn: &Conn, series: &Series) -> Result<Vec<SeriesDecision>, StoreError> {
    let (_, sessions) = sessions(conn, series)?;
    Ok(attendance::series::decide(&sessions, series.rule, &store::series::links(conn, series)?))
}

/// Links two addresses as one person of the series, with why: each must be an address of
/// someone in one of its events (a mistyped one would otherwise be linked to no one, with
/// nothing said).
pub fn link(
    conn: &Conn,
    series: &Series,
    (a, b): (&str, &str),
    reason: &str,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<attendance::series::Link, StoreError> {
    let (_, sessions) = sessions(conn, series)?;
    for address in [a, b] {
        let key = PersonKey::email(&address.trim().to_lowercase());
        if !sessions.iter().flat_map(|s| &s.decisions).any(|d| d.keys.contains(&key)) {
            return Err(StoreError::NotFound(format!(
                "no one in the events of series \"{}\" has the address \"{}\"",
                series.slug,
                address.trim()
            )));
        }
    }
    store::series::link(conn, series, a, b, reason, actor, now)
}

/// Issues a series certificate to every eligible person of the series who holds none (in any
/// status: a revoked one is not silently replaced). With `dry_run`, says who would get one.
pub fn issue_series(
    conn: &mut Conn,
    issuer: Issuer,
    series: &Series,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<IssueReport, IssueError> {
    let (evs, sessions) = sessions(conn, series)?;
    if evs.is_empty() {
        return Err(IssueError::Conflict(format!("series {} has no events: add them first", series.slug)));
    }
    let decisions = attendance::series::decide(&sessions, series.rule, &store::series::links(conn, series)?);
    let mut have: std::collections::HashSet<PersonKey> =
        store::series::certificates(conn, series)?.into_iter().map(|c| c.person_key).collect();
    // A person under several addresses holds what was issued under any of them (before staff
    // linked the addresses, or under the address that was then first).
    let also: Vec<PersonKey> =
        decisions.iter().filter(|d| d.keys.iter().any(|k| have.contains(k))).map(|d| d.key.clone()).collect();
    have.extend(also);
    let (todo, report) = super::sort_out(decisions, &have, Some(issuer.renderer), |d| super::Candidate {
        eligible: d.eligible,
        key: &d.key,
        name: &d.name,
        email: d.email.as_deref(),
        needs_review: !d.review.is_empty(),
        minutes: d.attended.iter().map(|a| a.minutes).sum(),
    });
    if dry_run || todo.is_empty() {
        return Ok(report);
    }
    if let Some(e) = evs.iter().find(|e| e.window.is_none()) {
        return Err(IssueError::Conflict(format!(
            "event {} of series {} has no date and time: set its --starts and --ends",
            e.event.slug, series.slug
        )));
    }
    let first = certificates::reserve_status_positions(conn, todo.len())?;
    let run = CredentialRun::new(conn, issuer, &evs[0].event, now)?;
    let mut made = Vec::with_capacity(todo.len());
    for (i, d) in todo.iter().enumerate() {
        let listed: Vec<(StoredSession, Window, &Event)> = d
            .attended
            .iter()
            .map(|a| {
                let e = &evs[a.session];
                let s = StoredSession {
                    event_id: e.event.id,
                    title: a.title.clone(),
                    date: a.date.clone(),
                    minutes: a.minutes,
                    event_certificate: a.certificate.clone(),
                };
                (s, e.window.expect("checked above"), &e.event)
            })
            .collect();
        let who = Who { key: &d.key, name: &d.name, email: d.email.as_deref(), language: series.language };
        made.push(make(issuer, &run, series, evs.len(), &listed, who, first + i as u64, now)?);
    }
    store::series::insert_all(conn, series, &made, issuer.actor, now)?;
    tracing::info!(series = %series.slug, certificates = made.len(), "issued series certificates");
    Ok(report)
}

/// A new certificate in place of a series certificate, listing the same sessions: what
/// [`super::reissue`] does for one. Name and language are already checked by the caller.
pub(super) fn reissue(
    conn: &mut Conn,
    issuer: Issuer,
    old: &Certificate,
    series: &Series,
    name: &str,
    language: Language,
    now: DateTime<Utc>,
) -> Result<Certificate, IssueError> {
    let sessions = store::series::sessions(conn, &old.id)?;
    let all = events::list(conn)?;
    let mut listed = Vec::with_capacity(sessions.len());
    for s in sessions {
        let event = all
            .iter()
            .find(|e| e.id == s.event_id)
            .ok_or_else(|| IssueError::Invalid("an event of the certificate is gone".into()))?;
        let (window, _) = events::effective_window(conn, event)?;
        let window = window.ok_or_else(|| IssueError::Invalid(format!("event {} has no date and time", event.slug)))?;
        listed.push((s, window, event));
    }
    let total = total_sessions(&stored_narrative(conn, &old.id)?, listed.len());
    let run = CredentialRun::new(conn, issuer, listed[0].2, now)?;
    let position = certificates::reserve_status_positions(conn, 1)?;
    let who = Who { key: &old.person_key, name, email: old.email.as_deref(), language };
    let (new, sessions) = make(issuer, &run, series, total, &listed, who, position, now)?;
    let why = if name != old.name {
        format!("name \"{}\" corrected to \"{name}\"", old.name)
    } else {
        format!("reissued in {language}")
    };
    store::series::supersede(conn, series, &old.id, &new, &sessions, &why, issuer.actor, now)?;
    Ok(certificates::get(conn, &new.id)?.expect("just stored"))
}

/// How many sessions the series had when `narrative` was written ("… sessions of N …"), so a
/// reissue prints the same "3 of its 4 sessions" even if events were added since.
fn total_sessions(narrative: &Option<String>, fallback: usize) -> usize {
    narrative
        .as_deref()
        .and_then(|n| n.split_once(" of the series' "))
        .and_then(|(_, rest)| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(fallback)
}

/// The stored credential's subject narrative.
fn stored_narrative(conn: &Conn, id: &str) -> Result<Option<String>, IssueError> {
    let Some(c) = certificates::credential(conn, id)? else { return Ok(None) };
    let v: serde_json::Value = serde_json::from_str(&c).map_err(|e| IssueError::Invalid(e.to_string()))?;
    Ok(v["credentialSubject"]["narrative"].as_str().map(str::to_owned))
}

struct Who<'a> {
    key: &'a PersonKey,
    name: &'a str,
    email: Option<&'a str>,
    language: Language,
}

/// What a series credential says beyond an event's: the series as the achievement, the sessions
/// attended in the narrative, and the series' rule as the criteria.
fn describe_series(
    facts: &mut Facts,
    run: &CredentialRun,
    series: &Series,
    listed: &[(StoredSession, Window, &Event)],
    total: usize,
    rule: &str,
) {
    let minutes: u32 = listed.iter().map(|(s, ..)| s.minutes).sum();
    let list: Vec<String> = listed.iter().map(|(s, ..)| format!("{} ({})", s.title, s.date)).collect();
    facts.achievement_id = format!("{}/achievements/series/{}", run.issuer.base, series.slug);
    facts.achievement_description = format!(
        "Attendance at the series of online seminars \"{}\", from {} to {} (UTC).",
        facts.event_title, facts.starts, facts.ends
    );
    facts.narrative =
        format!("Attended {minutes} minutes in {} of the series' {total} sessions: {}.", listed.len(), list.join("; "));
    facts.criteria = format!(
        "Attended {rule} of the series, a session counting when the attendee met that session's own attendance \
         rule (the union of their connections to the session as reported by the meeting platform, or a staff \
         decision recorded with its reason)."
    );
}

/// The sessions a series certificate lists, with their dates, and how many the series has.
fn printed_sessions(listed: &[(StoredSession, Window, &Event)], total: usize) -> SeriesContent {
    SeriesContent {
        sessions: listed
            .iter()
            .map(|(s, ..)| {
                let d = NaiveDate::parse_from_str(&s.date, "%Y-%m-%d").unwrap_or_default();
                (d, s.title.clone())
            })
            .collect(),
        total_sessions: total,
    }
}

/// Signs, renders and signs as a PDF one series certificate listing `listed`.
#[expect(
    clippy::too_many_arguments,
    reason = "one series certificate's every input; a struct would only be built to be taken apart here"
)]
fn make(
    issuer: Issuer,
    run: &CredentialRun,
    series: &Series,
    total: usize,
    listed: &[(StoredSession, Window, &Event)],
    who: Who,
    status_position: u64,
    now: DateTime<Utc>,
) -> Result<(NewCertificate, Vec<StoredSession>), IssueError> {
    let (first, last) = match (listed.first(), listed.last()) {
        (Some(f), Some(l)) => (f, l),
        _ => return Err(IssueError::Invalid("a series certificate lists at least one session".into())),
    };
    let settings = issuer.settings;
    let id = CertificateId::random()?.code();
    let minutes: u32 = listed.iter().map(|(s, ..)| s.minutes).sum();
    let claims = Claims {
        id: id.clone(),
        name: who.name.to_owned(),
        event: series.title.clone(),
        date: last.0.date.clone(),
        minutes,
        issuer: settings.issuer_short.clone(),
        status: Some(status_position),
    };
    let (claims, token) = fit_claims(issuer.secret, settings, claims);
    let rule = series.rule.describe(total);
    let mut facts = Facts::for_certificate(
        &run.issuer,
        &credential::Record {
            id: &id,
            name: who.name,
            email: who.email,
            salt: &salt()?,
            minutes,
            issued_at: now,
            event_slug: &series.slug,
            event_title: &series.title,
            series: None,
            language: who.language.code(),
            starts: first.1.start,
            ends: last.1.end,
            rule: &rule,
            // The series' criteria name staff decisions themselves (`describe_series`).
            by_override: false,
            status_position,
        },
    );
    describe_series(&mut facts, run, series, listed, total, &rule);
    let credential = run
        .signer
        .sign(&facts)
        .map_err(|e| IssueError::Invalid(format!("credential of certificate {id}: {e}")))?
        .to_string();
    let tz = first.2.tz();
    let content = CertificateContent {
        language: who.language.code().to_owned(),
        template: None,
        name: who.name.to_owned(),
        event_title: series.title.clone(),
        series: None,
        starts_local: first.1.start.with_timezone(&tz).naive_local(),
        ends_local: first.1.end.with_timezone(&tz).naive_local(),
        timezone: first.2.timezone.name().to_owned(),
        minutes_attended: minutes,
        certificate_code: grouped(&id),
        verify_url: verify_url(&settings.public_url, &token),
        issued_at: now,
        issuer: settings.issuer.clone(),
    };
    let printed = printed_sessions(listed, total);
    let attachment = crate::certificate::Attachment {
        file_name: "credential.json",
        mime_name: "application#2Fvc",
        description: "Open Badges 3.0 credential of this certificate (W3C Verifiable Credential)",
        data: credential.as_bytes(),
    };
    let field = issuer.pdf.field(now);
    let mut pdf = issuer
        .renderer
        .render_series_for_signing(&content, &printed, Some(attachment), &field)
        .map_err(|source| IssueError::Render { certificate: id.clone(), source })?;
    issuer.pdf.sign(&mut pdf).map_err(|source| IssueError::PdfSign { id: id.clone(), source })?;
    let new = NewCertificate {
        file_name: super::file_name(&claims.name, &id),
        pdf_sha256: store::imports::sha256_hex(&pdf),
        pdf,
        id,
        event_id: first.2.id,
        person_key: who.key.to_owned(),
        name: claims.name,
        email: who.email.map(str::to_owned),
        language: who.language,
        minutes,
        issued_at: now,
        kid: issuer.secret.kid().to_owned(),
        token,
        status_position,
        credential,
        // Series certificates are printed with the shipped design: their page lists sessions,
        // and a design's logos and signatories were laid out for an event's page.
        design: None,
    };
    Ok((new, listed.iter().map(|(s, ..)| s.clone()).collect()))
}
