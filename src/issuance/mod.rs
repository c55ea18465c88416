//! The certificate lifecycle: bulk issue, reissue, revoke, and export to a folder or ZIP.
//!
//! This is where an attendance decision becomes a signed PDF: the person's minutes and name go
//! into [`Claims`], [`token`](crate::trust::token) turns them into a token, the token into the verify
//! URL, and [`certificate`](crate::certificate) renders the page with its QR code, which
//! [`pdf_signature`](crate::trust::pdf_signature) then signs as a PDF.
//!
//! Crash safety comes from one rule: a certificate's record and its PDF bytes are stored in the
//! same transaction, and files on disk are only ever copies written *from* the database. A crash
//! leaves either both or neither; rerunning `issue` issues what is missing and writes the files
//! that are not there yet.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::attendance::{Decision, PersonKey};
use crate::certificate::{CertificateContent, RenderError, Renderer};
use crate::language::Language;
use crate::store::Conn;
use crate::store::certificates::{self, Certificate, NewCertificate};
use crate::store::designs::Profile;
use crate::store::events::{self, Event};
use crate::store::{self, StoreError};
use crate::trust::credential::{self, CredentialSigner, Facts};
use crate::trust::did::IssuerId;
use crate::trust::pdf_signature::{PdfSignError, PdfSigner};
use crate::trust::token::{Claims, PrivateKey};

mod code;
mod credentials;
mod export;
pub mod redesign;
pub mod reissue;
pub mod series;
pub mod stale;

pub use reissue::reissue;

pub use code::{CertificateId, file_name, grouped, verify_url};
pub use credentials::{Audience, backfill_credentials, credential_of, sign_status_list, status_list_credential};
pub use export::{ExportReport, archive, export, print_file, spreadsheet_safe};
use export::{export_skipping, write_atomically};

/// The most bytes a verify URL may have and still fit a version-13 QR code at level M.
pub const MAX_QR_BYTES: usize = 331;

/// The longest corrected name a reissue accepts, in characters: room to spare for real names,
/// and well within what the QR code's largest version holds once signed.
pub const MAX_NAME_CHARS: usize = 200;

/// Certificates stored per transaction during a bulk issue.
const BATCH: usize = 250;

/// Why issuing failed.
#[derive(Debug, thiserror::Error)]
pub enum IssueError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Names the certificate, never the person: this error reaches logs, and a log line must
    /// not hold an attendee's name (the render error itself names only templates, zones, files).
    #[error("rendering certificate {certificate}: {source}")]
    Render { certificate: String, source: RenderError },
    #[error("{0}")]
    Invalid(String),
    /// The certificate or event is not in a state that allows it (reissuing a revoked certificate).
    #[error("{0}")]
    Conflict(String),
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("signing the PDF of certificate {id}: {source}")]
    PdfSign { id: String, source: PdfSignError },
    /// A stored certificate PDF that could not be merged into the print file (names its id).
    #[error(transparent)]
    Print(crate::printing::PrintError),
}

/// A language code that is not one, typed where a reissue is asked for: the caller's mistake.
impl From<crate::language::UnknownLanguage> for IssueError {
    fn from(e: crate::language::UnknownLanguage) -> Self {
        IssueError::Invalid(e.to_string())
    }
}

/// Who issues: the renderer, the signing key and the organisation's settings, together.
#[derive(Clone, Copy)]
pub struct Issuer<'a> {
    pub renderer: &'a Renderer,
    pub secret: &'a PrivateKey,
    /// Signs every PDF (PAdES), next to the token in its QR code.
    pub pdf: &'a PdfSigner,
    pub settings: &'a Settings,
    /// Who asks, for the audit log: `cli`, a staff member's email, or `self-service`.
    pub actor: &'a str,
}

/// The person a certificate is for, as it will be printed.
struct Recipient<'a> {
    key: &'a PersonKey,
    name: &'a str,
    email: Option<String>,
    minutes: u32,
    language: Language,
    /// Staff's override made the person eligible (the credential says so: see
    /// `credential::Record::by_override`).
    by_override: bool,
}

/// What the organisation prints and signs, beyond the event.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Base of the verify URL in the QR code, e.g. `https://attest.example.org`.
    pub public_url: String,
    /// Who issues the certificates, in full: printed and the PDF author.
    pub issuer: String,
    /// The issuer as the token names it (e.g. `CoE`): every byte of the token makes the QR code
    /// denser, and a 60-byte name must still fit a version-13 code.
    pub issuer_short: String,
    /// RFC 3161 time-stamp authority for the PDF signatures (PAdES B-T), when configured.
    pub tsa_url: Option<String>,
}

/// The verification service's address when none is configured: the address `attest serve`
/// listens on by default.
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

impl Default for Settings {
    /// What the command line issues with when nothing is configured (its `--public-url`,
    /// `--issuer` and `--issuer-short` defaults, no time-stamp authority); the benchmarks and
    /// tests issue with it too, so that the network never enters them.
    fn default() -> Settings {
        Settings {
            public_url: DEFAULT_PUBLIC_URL.into(),
            issuer: "Council of Europe".into(),
            issuer_short: "CoE".into(),
            tsa_url: None,
        }
    }
}

/// Shortens `title` until the verify URL fits `MAX_QR_BYTES`. The token names the event so a
/// verifier can compare it with the page; a long title is cut with `…` rather than making the QR
/// code too dense to scan from paper.
fn fit_claims(secret: &PrivateKey, settings: &Settings, mut claims: Claims) -> (Claims, String) {
    let full: Vec<char> = claims.event.chars().collect();
    let mut keep = full.len();
    // `verify_url` adds the base URL and `/v/`.
    let base = settings.public_url.trim_end_matches('/').len() + 3;
    loop {
        let len = base + secret.token_len(&claims);
        // Down to no title at all: the verify page shows the full title from the records, and
        // the status-list position (a 7th payload element) made the longest names need it.
        if len <= MAX_QR_BYTES || keep == 0 {
            let token = secret.sign(&claims);
            return (claims, token);
        }
        let over = len - MAX_QR_BYTES;
        // base64 turns 3 bytes into 4: drop at least as many characters as needed.
        keep = keep.saturating_sub((over * 3 / 4).max(1));
        claims.event = match keep {
            0 => String::new(),
            _ => full[..keep].iter().collect::<String>().trim_end().to_owned() + "…",
        };
    }
}

/// What every credential of one issuing run shares: the issuer's identity and the signer with
/// its proof options hashed once (one key, one issue time).
struct CredentialRun<'a> {
    issuer: IssuerId,
    signer: CredentialSigner<'a>,
    rule: String,
    /// The design version this run renders with (prepared in the renderer), if any.
    design: Option<(i64, i64)>,
    /// The organisation's profile: the issuer as printed, in each certificate's language
    /// ([`Profile::printed_issuer`]), where set, else the settings. The credential's issuer
    /// identity (its DID) stays the settings'.
    profile: Profile,
    configured_issuer: String,
    issuer_short: String,
}

impl<'a> CredentialRun<'a> {
    fn new(conn: &Conn, issuer: Issuer<'a>, event: &Event, now: DateTime<Utc>) -> Result<Self, IssueError> {
        let id = IssuerId::new(&issuer.settings.public_url, &issuer.settings.issuer);
        let signer = CredentialSigner::new(issuer.secret.signing_key(), id.method(issuer.secret.kid()), now);
        let profile = store::designs::profile(conn)?;
        let design = match store::designs::current_for_event(conn, event.id)? {
            Some(d) => {
                let key = (d.id, d.version);
                issuer
                    .renderer
                    .prepare_design(key, &d.spec, &|sha| store::designs::asset_png(conn, sha).ok().flatten())
                    .map_err(|source| IssueError::Render { certificate: format!("(design {})", d.id), source })?;
                Some(key)
            }
            None => None,
        };
        Ok(CredentialRun {
            issuer: id,
            signer,
            rule: event.rule.describe(),
            design,
            issuer_short: profile.issuer_short.clone().unwrap_or_else(|| issuer.settings.issuer_short.clone()),
            profile,
            configured_issuer: issuer.settings.issuer.clone(),
        })
    }
}

/// Every key of every person `which` picks among `decisions` (a linked person holds several):
/// what a certificate's `person_key` is looked up in.
fn keys_of(decisions: &[Decision], which: impl Fn(&Decision) -> bool) -> std::collections::HashSet<PersonKey> {
    decisions.iter().filter(|d| which(d)).flat_map(|d| d.keys.iter().cloned()).collect()
}

/// A random salt for the email's identity hash, 128 bits in hex.
fn salt() -> Result<String, IssueError> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b).map_err(|e| IssueError::Invalid(format!("random number generator: {e}")))?;
    Ok(crate::encoding::hex(&b))
}

/// Everything needed to render and store one certificate.
struct Job {
    id: String,
    person_key: PersonKey,
    email: Option<String>,
    claims: Claims,
    token: String,
    content: CertificateContent,
    /// The language `content` is printed in, as stored with the certificate.
    language: Language,
    status_position: u64,
    credential: String,
    design: Option<(i64, i64)>,
}

fn job(
    issuer: Issuer,
    run: &CredentialRun,
    event: &Event,
    window: &crate::attendance::Window,
    who: Recipient,
    status_position: u64,
    now: DateTime<Utc>,
) -> Result<Job, IssueError> {
    let (settings, secret) = (issuer.settings, issuer.secret);
    let Recipient { key: person_key, name, email, minutes, language, by_override } = who;
    let tz = event.tz();
    let starts = window.start.with_timezone(&tz);
    let ends = window.end.with_timezone(&tz);
    let id = CertificateId::random()?.code();
    let claims = Claims {
        id: id.clone(),
        name: name.to_owned(),
        event: event.title.clone(),
        date: starts.format("%Y-%m-%d").to_string(),
        minutes,
        issuer: run.issuer_short.clone(),
        status: Some(status_position),
    };
    let (claims, token) = fit_claims(secret, settings, claims);
    let facts = Facts::for_certificate(
        &run.issuer,
        &credential::Record {
            id: &id,
            name,
            email: email.as_deref(),
            salt: &salt()?,
            minutes,
            issued_at: now,
            event_slug: &event.slug,
            event_title: &event.title,
            series: event.series.as_deref(),
            language: language.code(),
            starts: window.start,
            ends: window.end,
            rule: &run.rule,
            by_override,
            status_position,
        },
    );
    let credential = run
        .signer
        .sign(&facts)
        .map_err(|e| IssueError::Invalid(format!("credential of certificate {id}: {e}")))?
        .to_string();
    let content = CertificateContent {
        language: language.code().to_owned(),
        template: run
            .design
            .map(|(d, v)| crate::certificate::design::template_name(d, v))
            .or_else(|| event.template.clone()),
        name: name.to_owned(),
        event_title: event.title.clone(),
        series: event.series.clone(),
        starts_local: starts.naive_local(),
        ends_local: ends.naive_local(),
        timezone: event.timezone.name().to_owned(),
        minutes_attended: minutes,
        certificate_code: grouped(&id),
        verify_url: verify_url(&settings.public_url, &token),
        issued_at: now,
        issuer: run.profile.printed_issuer(language, &run.configured_issuer),
    };
    Ok(Job {
        id,
        person_key: person_key.clone(),
        email,
        claims,
        token,
        content,
        language,
        status_position,
        credential,
        design: run.design,
    })
}

fn render(issuer: Issuer, event: &Event, job: Job, now: DateTime<Utc>) -> Result<NewCertificate, IssueError> {
    // The credential travels inside the PDF as an associated file; the PDF signature, applied
    // after rendering, covers it.
    let attachment = crate::certificate::Attachment {
        file_name: "credential.json",
        mime_name: "application#2Fvc",
        description: "Open Badges 3.0 credential of this certificate (W3C Verifiable Credential)",
        data: job.credential.as_bytes(),
    };
    let field = issuer.pdf.field(now);
    let mut pdf = issuer
        .renderer
        .render_for_signing(&job.content, Some(attachment), &field)
        .map_err(|source| IssueError::Render { certificate: job.id.clone(), source })?;
    // Signed before it is hashed and stored: the stored bytes and their SHA-256 are the
    // signed file's, so verification by upload keeps comparing like with like.
    issuer.pdf.sign(&mut pdf).map_err(|source| IssueError::PdfSign { id: job.id.clone(), source })?;
    Ok(NewCertificate {
        file_name: file_name(&job.claims.name, &job.id),
        pdf_sha256: store::imports::sha256_hex(&pdf),
        pdf,
        id: job.id,
        event_id: event.id,
        person_key: job.person_key,
        name: job.claims.name,
        email: job.email,
        language: job.language,
        minutes: job.claims.minutes,
        issued_at: now,
        kid: issuer.secret.kid().to_owned(),
        token: job.token,
        status_position: job.status_position,
        credential: job.credential,
        design: job.design,
    })
}

/// One person of a bulk issue.
#[derive(Debug, Clone, Serialize)]
pub struct Planned {
    pub key: PersonKey,
    pub name: String,
    pub email: Option<String>,
    pub minutes: u32,
}

/// What a bulk issue did.
#[derive(Debug, Clone, Serialize)]
pub struct IssueReport {
    /// Issued now (or, with `dry_run`, that would be).
    pub issued: Vec<Planned>,
    /// Eligible people who already hold a certificate (in any status).
    pub already: usize,
    pub not_eligible: usize,
    /// Eligible people with open review items: issued anyway, listed so staff can check.
    pub with_review: Vec<String>,
    /// Eligible people not issued: their names hold characters that no font of the certificate
    /// has ([`Renderer::unprintable`]), which would print as empty boxes, until a font for that
    /// script is added (`fonts/README.md`).
    pub unprintable: Vec<String>,
}

/// The eligible people of an event who hold no certificate yet; with `renderer`, less those
/// whose names it cannot print (listed in the report).
pub fn plan(
    conn: &Conn,
    event: &Event,
    renderer: Option<&Renderer>,
) -> Result<(Vec<Decision>, IssueReport), IssueError> {
    let decisions = store::people::decisions(conn, event)?;
    let have: HashSet<PersonKey> = certificates::person_keys(conn, event.id)?;
    Ok(sort_out(decisions, &have, renderer, |d| Candidate {
        eligible: d.eligible,
        key: &d.key,
        name: &d.name,
        email: d.email.as_deref(),
        needs_review: !d.review.is_empty(),
        minutes: (d.attended_seconds / 60) as u32,
    }))
}

/// What a bulk issue reads of a person's decision, an event's or a series': one sorting serves
/// both, so that "already" and "with review" mean the same in either report.
pub(crate) struct Candidate<'a> {
    pub eligible: bool,
    pub key: &'a PersonKey,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub needs_review: bool,
    pub minutes: u32,
}

/// Splits `decisions` into the people to issue to now (eligible, holding no certificate in
/// `have`, in any status: a revoked one is not silently replaced, and, with `renderer`, a name
/// it can print) and the report's counts.
pub(crate) fn sort_out<D>(
    decisions: Vec<D>,
    have: &HashSet<PersonKey>,
    renderer: Option<&Renderer>,
    read: impl Fn(&D) -> Candidate<'_>,
) -> (Vec<D>, IssueReport) {
    let mut report = IssueReport {
        issued: Vec::new(),
        already: 0,
        not_eligible: 0,
        with_review: Vec::new(),
        unprintable: Vec::new(),
    };
    let mut todo = Vec::new();
    for d in decisions {
        let c = read(&d);
        if !c.eligible {
            report.not_eligible += 1;
        } else if have.contains(c.key) {
            report.already += 1;
        } else if renderer.is_some_and(|r| r.unprintable(c.name).is_some()) {
            report.unprintable.push(c.name.to_owned());
        } else {
            if c.needs_review {
                report.with_review.push(c.name.to_owned());
            }
            report.issued.push(Planned {
                key: c.key.clone(),
                name: c.name.to_owned(),
                email: c.email.map(str::to_owned),
                minutes: c.minutes,
            });
            todo.push(d);
        }
    }
    (todo, report)
}

/// Issues a certificate to every eligible person of `event` who has none, rendering on every
/// core and storing in batches. `progress` is called with the number done so far.
pub fn issue_event(
    conn: &mut Conn,
    issuer: Issuer,
    event: &Event,
    dry_run: bool,
    now: DateTime<Utc>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<IssueReport, IssueError> {
    if dry_run {
        return Ok(plan(conn, event, Some(issuer.renderer))?.1);
    }
    // Held until the run ends, and the plan read under it: a run started after another has
    // ended plans only what that one left.
    let _running = lock_issue(conn, event)?;
    let (todo, report) = plan(conn, event, Some(issuer.renderer))?;
    if todo.is_empty() {
        return Ok(report);
    }
    issue_batches(conn, issuer, event, &todo, now, progress, &mut |_| {})?;
    Ok(report)
}

/// [`issue_event`] and then [`export`], overlapped: each batch's PDFs are written into `dir` by
/// a thread of their own as soon as the batch's records are stored, while the next batch
/// renders. What the command line's `issue --out` does.
///
/// Files still come only from stored records (a crash leaves records whose files a rerun writes,
/// never a file without its record), and the export that follows writes the manifest and the
/// ZIP and any file of an earlier run that is missing, without reading back the files just
/// written.
pub fn issue_and_export(
    conn: &mut Conn,
    issuer: Issuer,
    event: &Event,
    now: DateTime<Utc>,
    progress: &(dyn Fn(usize) + Sync),
    dir: &Path,
    zip: Option<&Path>,
) -> Result<(IssueReport, ExportReport), IssueError> {
    std::fs::create_dir_all(dir).map_err(|source| IssueError::Io { path: dir.to_owned(), source })?;
    let _running = lock_issue(conn, event)?;
    let (todo, report) = plan(conn, event, Some(issuer.renderer))?;
    let mut fresh = HashSet::new();
    if !todo.is_empty() {
        let (tx, rx) = mpsc::sync_channel::<Vec<NewCertificate>>(2);
        let written = std::thread::scope(|s| {
            let writer = s.spawn(move || -> Result<HashSet<String>, IssueError> {
                let mut written = HashSet::new();
                for batch in rx {
                    for c in batch {
                        write_atomically(&dir.join(&c.file_name), &c.pdf)?;
                        written.insert(c.id);
                    }
                }
                Ok(written)
            });
            let issued = issue_batches(conn, issuer, event, &todo, now, progress, &mut |batch| {
                // A writer that stopped has an error to report; it is returned below.
                let _ = tx.send(batch);
            });
            drop(tx);
            let written = writer.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            issued.and(written)
        })?;
        fresh = written;
    }
    let exported = export_skipping(conn, event, dir, zip, &issuer.settings.public_url, &fresh)?;
    Ok((report, exported))
}

/// Takes the event's bulk-issue lock ([`store::locks`]), or says that another run holds it: in
/// this service, another `attest serve` on the same database, or `attest issue`. A conflict
/// (HTTP 409), not a wait: a run takes seconds to minutes, longer than a request should hang,
/// and once it has finished, starting again issues only what is still missing.
fn lock_issue(conn: &Conn, event: &Event) -> Result<store::locks::WorkLock, IssueError> {
    store::locks::try_issue(conn, event.id)?.ok_or_else(|| {
        IssueError::Conflict(format!(
            "certificates of event {} are already being issued (by this or another attest process); \
             when that run has finished, issuing again adds only what is still missing",
            event.slug
        ))
    })
}

/// Whether a bulk issue of `event` could start now: a [`IssueError::Conflict`] if another run
/// holds the event's lock. For a door that starts the run in the background and would otherwise
/// only learn of the conflict from the run's outcome (the console).
pub fn check_not_running(conn: &Conn, event: &Event) -> Result<(), IssueError> {
    lock_issue(conn, event).map(drop)
}

/// Signs and renders `todo` on every core and stores the certificates in batches of `BATCH`,
/// each in one transaction; `stored` gets every batch once it is committed.
fn issue_batches(
    conn: &mut Conn,
    issuer: Issuer,
    event: &Event,
    todo: &[Decision],
    now: DateTime<Utc>,
    progress: &(dyn Fn(usize) + Sync),
    stored: &mut dyn FnMut(Vec<NewCertificate>),
) -> Result<(), IssueError> {
    let (window, _) = events::effective_window(conn, event)?;
    let window = window.ok_or_else(|| {
        IssueError::Conflict(format!(
            "event {} has no date and time: set its --starts and --ends, or import an export with a meeting header",
            event.slug
        ))
    })?;
    let languages = store::people::languages(conn, event)?;
    let first_position = certificates::reserve_status_positions(conn, todo.len())?;
    let run = CredentialRun::new(conn, issuer, event, now)?;

    // Each worker takes the next person, signs and renders: signing (an
    // Ed25519 signature) is spread over the cores like rendering.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).min(todo.len()).max(1);
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<Result<NewCertificate, IssueError>>(BATCH * 2);
    let mut done = 0usize;
    let mut failure = None;
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (languages, window, next, run) = (&languages, &window, &next, &run);
            s.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(d) = todo.get(i) else { break };
                    let minutes = (d.attended_seconds / 60) as u32;
                    let language = languages.get(&d.key).copied().unwrap_or(event.language);
                    let who = Recipient {
                        key: &d.key,
                        name: &d.name,
                        email: d.email.clone(),
                        minutes,
                        language,
                        by_override: d.overridden,
                    };
                    let position = first_position + i as u64;
                    let done = job(issuer, run, event, window, who, position, now)
                        .and_then(|job| render(issuer, event, job, now));
                    if tx.send(done).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Store while the workers render: a batch lands whole or not at all.
        let mut flush = |batch: Vec<NewCertificate>, failure: &mut Option<IssueError>| {
            match certificates::insert_all(conn, &batch, issuer.actor, now) {
                Ok(()) => {
                    done += batch.len();
                    progress(done);
                    stored(batch);
                }
                Err(e) => {
                    failure.get_or_insert(e.into());
                    // The workers skip what is left.
                    next.store(usize::MAX / 2, Ordering::Relaxed);
                }
            }
        };
        let mut batch = Vec::with_capacity(BATCH);
        for r in rx.iter() {
            match r {
                Ok(c) => batch.push(c),
                Err(e) => {
                    failure.get_or_insert(e);
                    next.store(usize::MAX / 2, Ordering::Relaxed);
                }
            }
            if batch.len() == BATCH && failure.is_none() {
                flush(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)), &mut failure);
            }
        }
        if failure.is_none() && !batch.is_empty() {
            flush(batch, &mut failure);
        }
    });
    tracing::info!(event = %event.slug, certificates = done, "issued");
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The certificate of one person, issued now if they are eligible and hold none: what an
/// attendee asking for their own certificate gets. A revoked certificate is not replaced.
///
/// Under the event's bulk-issue lock, waited for (up to two minutes: a bulk run takes
/// seconds), so that a bulk issue of the same event in this or another process, which reads
/// who already holds a certificate once the lock is its own, never issues this person a second
/// one. (The request runs in the background: the attendee is not kept waiting.)
pub fn issue_for(
    conn: &mut Conn,
    issuer: Issuer,
    event: &Event,
    key: &PersonKey,
    now: DateTime<Utc>,
) -> Result<Option<Certificate>, IssueError> {
    let started = std::time::Instant::now();
    let _lock = loop {
        match store::locks::try_issue(conn, event.id)? {
            Some(lock) => break lock,
            None if started.elapsed() < std::time::Duration::from_secs(120) => {
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
            None => break lock_issue(conn, event)?,
        }
    };
    let held: Vec<Certificate> =
        certificates::for_event(conn, event.id)?.into_iter().filter(|c| &c.person_key == key).collect();
    if let Some(valid) = held.iter().find(|c| c.status == "valid") {
        return Ok(Some(valid.clone()));
    }
    if !held.is_empty() {
        return Ok(None);
    }
    let decisions = store::people::decisions(conn, event)?;
    let Some(d) = decisions.into_iter().find(|d| &d.key == key && d.eligible) else { return Ok(None) };
    // What staff have not looked at is not issued unasked: a person with open review items (a
    // presenter read as an attendee, a name with a device's or Excel's `?`), or whose name no
    // font can print. Held, and said in the audit, where staff see the request.
    let held = if !d.review.is_empty() {
        Some("open review items: check them, then issue from the attendance (console) or with attest issue")
    } else if issuer.renderer.unprintable(&d.name).is_some() {
        Some("the name holds characters no font of the certificate has")
    } else {
        None
    };
    if let Some(why) = held {
        store::audit(conn, now, issuer.actor, "certificate.request.held", &event.slug, &format!("{key}: {why}"))?;
        return Ok(None);
    }
    let (window, _) = events::effective_window(conn, event)?;
    let window = window.ok_or_else(|| IssueError::Invalid(format!("event {} has no date and time", event.slug)))?;
    let languages = store::people::languages(conn, event)?;
    let language = languages.get(&d.key).copied().unwrap_or(event.language);
    let who = Recipient {
        key: &d.key,
        name: &d.name,
        email: d.email.clone(),
        minutes: (d.attended_seconds / 60) as u32,
        language,
        by_override: d.overridden,
    };
    let run = CredentialRun::new(conn, issuer, event, now)?;
    let position = certificates::reserve_status_positions(conn, 1)?;
    let new = render(issuer, event, job(issuer, &run, event, &window, who, position, now)?, now)?;
    let id = new.id.clone();
    certificates::insert_all(conn, &[new], issuer.actor, now)?;
    Ok(certificates::get(conn, &id)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sixty_byte_name_a_long_title_and_a_large_status_position_fit_the_qr_code() {
        let secret = crate::trust::token::PrivateKey::for_tests("abcdefgh", [3u8; 32]);
        let settings = Settings {
            public_url: "https://attest.coe.int".into(),
            issuer: "Council of Europe".into(),
            issuer_short: "CoE".into(),
            tsa_url: None,
        };
        let claims = Claims {
            id: "7KQ2M9XD3F8AWC1T9ZZBH4QKR2".into(),
            name: "Αλέξανδρος Παπαδόπουλος Ιωάννης".into(),
            event: "Freedom of expression, hate speech and the European Convention on Human Rights".into(),
            date: "2025-03-14".into(),
            minutes: 100,
            issuer: "CoE".into(),
            // Ten million certificates: 77 status lists.
            status: Some(10_000_000),
        };
        let (fitted, token) = fit_claims(&secret, &settings, claims);
        let url = verify_url(&settings.public_url, &token);
        assert!(url.len() <= MAX_QR_BYTES, "{} bytes", url.len());
        assert_eq!(fitted.status, Some(10_000_000));
        let qr = crate::certificate::qr::QrMatrix::encode(url.as_bytes()).unwrap();
        assert!(qr.version <= 13, "version {}", qr.version);
    }

    #[test]
    fn spreadsheet_formulas_are_defused() {
        assert_eq!(spreadsheet_safe("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(spreadsheet_safe("+1"), "'+1");
        assert_eq!(spreadsheet_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(spreadsheet_safe("Ana Ruiz"), "Ana Ruiz");
    }
}
