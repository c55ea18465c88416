//! Bulk issue as a background job: the certificates of every eligible person of an event, issued
//! on the blocking pool while the console's progress page refreshes itself. One issue per event
//! runs at a time in this server; because issuing is idempotent, a second click or a restart
//! mid-way only completes the batch.
//!
//! The same machinery reissues an event's certificates with its design ([`start_redesign`]):
//! its own job per event, its report the number reissued.
//!
//! Not here: what is issued ([`crate::issuance`]), and the progress page's words (the console's).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::issuance::{self, IssueError, IssueReport, Issuer};
use crate::store::Conn;
use crate::store::events::Event;
use crate::web::AppState;

/// A bulk issue in progress or done.
pub type IssueJob = Job<IssueReport>;

/// A reissue of an event's certificates with its design, in progress or done: its report is
/// the number reissued.
pub type RedesignJob = Job<usize>;

/// Work over an event's certificates in progress or done, reporting `R` when it ends.
pub struct Job<R> {
    total: usize,
    done: AtomicUsize,
    started: Instant,
    outcome: Mutex<Option<Result<R, String>>>,
}

impl<R: Clone> Job<R> {
    /// Whether the run has ended, well or not.
    pub fn finished(&self) -> bool {
        self.outcome.lock().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    /// Certificates the run set out to issue.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Certificates issued so far.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// Time since the run started.
    pub fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    /// How the run ended: its report, or the error's text; `None` while it runs.
    pub fn outcome(&self) -> Option<Result<R, String>> {
        self.outcome.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The event's issue job in this server, running or ended, if one was started since it began.
pub fn get(state: &AppState, slug: &str) -> Option<Arc<IssueJob>> {
    state.inner.jobs.lock().unwrap_or_else(|e| e.into_inner()).get(slug).cloned()
}

/// Whether an issue of the event runs now in this server.
pub fn running(state: &AppState, slug: &str) -> bool {
    get(state, slug).is_some_and(|j| !j.finished())
}

/// Starts issuing the event's `total` planned certificates in the background, as `actor`.
pub fn start(state: &AppState, event: Event, total: usize, actor: String) -> Arc<IssueJob> {
    let work = |conn: &mut Conn, issuer: Issuer<'_>, event: &Event, now, done: &(dyn Fn(usize) + Sync)| {
        issuance::issue_event(conn, issuer, event, false, now, done)
    };
    spawn(state, &state.inner.jobs, event, total, actor, "bulk issue", work, |r: &IssueReport| r.issued.len())
}

/// Runs `work` over the event's certificates in the background as `actor`, as a job registered
/// in `jobs` under the event's slug (replacing an ended one): its progress counted as `work`
/// reports it, its outcome kept for the progress page, its end logged as `what` with the count
/// `count` gives.
#[expect(clippy::too_many_arguments, reason = "what a job is: where it is listed, over what, by whom, doing what")]
fn spawn<R: Clone + Send + 'static>(
    state: &AppState,
    jobs: &Mutex<HashMap<String, Arc<Job<R>>>>,
    event: Event,
    total: usize,
    actor: String,
    what: &'static str,
    work: impl FnOnce(&mut Conn, Issuer, &Event, DateTime<Utc>, &(dyn Fn(usize) + Sync)) -> Result<R, IssueError>
    + Send
    + 'static,
    count: fn(&R) -> usize,
) -> Arc<Job<R>> {
    let job = Arc::new(Job { total, done: AtomicUsize::new(0), started: Instant::now(), outcome: Mutex::new(None) });
    jobs.lock().unwrap_or_else(|e| e.into_inner()).insert(event.slug.clone(), Arc::clone(&job));
    let (bg, run) = (state.clone(), Arc::clone(&job));
    tokio::spawn(async move {
        let j = Arc::clone(&run);
        let slug = event.slug.clone();
        let result = bg
            .with_issuer(actor, move |conn, issuer, now| {
                work(conn, issuer, &event, now, &|n| j.done.store(n, Ordering::Relaxed))
            })
            .await;
        // A reissue supersedes certificates (and a run that failed half-way may have): the
        // statuses this server keeps for verification are read afresh, as after a single
        // reissue, not left to the database watcher's next look.
        bg.certificates_changed();
        let outcome = match result {
            Ok(Ok(report)) => {
                tracing::info!(event = %slug, certificates = count(&report), "{what} finished");
                Ok(report)
            }
            Ok(Err(e)) => {
                tracing::error!(event = %slug, error = %e, "{what} failed");
                Err(e.to_string())
            }
            Err(e) => Err(format!("{e:?}")),
        };
        *run.outcome.lock().unwrap_or_else(|e| e.into_inner()) = Some(outcome);
    });
    job
}

/// The event's redesign job in this server, running or ended, if one was started since it began.
pub fn get_redesign(state: &AppState, slug: &str) -> Option<Arc<RedesignJob>> {
    state.inner.redesigns.lock().unwrap_or_else(|e| e.into_inner()).get(slug).cloned()
}

/// Starts reissuing the event's `total` certificates printed with another design than its own,
/// in the background, as `actor` ([`issuance::redesign::reissue_all`]).
pub fn start_redesign(state: &AppState, event: Event, total: usize, actor: String) -> Arc<RedesignJob> {
    let work = |conn: &mut Conn, issuer: Issuer<'_>, event: &Event, now, done: &(dyn Fn(usize) + Sync)| {
        issuance::redesign::reissue_all(conn, issuer, event, now, done).map(|p| p.certificates.len())
    };
    spawn(state, &state.inner.redesigns, event, total, actor, "reissue with the event's design", work, |n: &usize| *n)
}
