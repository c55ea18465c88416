//! `/metrics` for operators' monitoring, in the Prometheus text format 0.0.4 (prometheus-client's
//! encoder), and `/readyz`.
//!
//! Not public: served only when `ATTEST_METRICS_TOKEN` is set, to `Authorization: Bearer <it>`
//! (404 otherwise, so a scanner learns nothing). What this process saw is counted as it happens:
//! requests by route template (never the path itself, which holds tokens) and status with their
//! latency, verifications by channel and outcome, sign-ins by method and outcome. What the
//! database holds is read at each scrape, so it includes the command line's work and survives
//! restarts: certificates issued, reissued and revoked, mails sent and deliveries by state,
//! imports by format, and the connection pool's use. No label ever holds an address, a token,
//! a name or an email.
//!
//! The 0.0.4 text format rather than OpenMetrics: `promtool check metrics` lints it without the
//! false "no help text" finding it gives OpenMetrics counters (docs/operations.md).

use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use super::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VerificationLabels {
    channel: &'static str,
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct SignInLabels {
    method: &'static str,
    outcome: &'static str,
}

/// What the process counts as it goes.
pub(super) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    verifications: Family<VerificationLabels, Counter>,
    sign_ins: Family<SignInLabels, Counter>,
    /// The outcome and certificate of each verification answer kept in memory (`web::checks`),
    /// so that an answer served again is counted too. Cleared when it grows large.
    kept_outcomes: Mutex<std::collections::HashMap<String, (&'static str, Option<String>)>>,
    /// Verifications per certificate not yet written to the database, and when they last were.
    tally: Mutex<Tally>,
    /// Held for writing while a batch is stored and taken out of memory, for reading while
    /// staff's page reads the stored count and the one in memory: without it a batch stored
    /// between the two reads was counted twice or not at all (a test saw 3 of 4 under load).
    /// Verifying never takes it.
    flush: std::sync::RwLock<()>,
    /// Imports that did not go through, by outcome (`needs_answer`, `refused`); the imported
    /// ones are read from the database.
    imports_failed: Mutex<std::collections::BTreeMap<&'static str, u64>>,
}

/// Verifications per certificate, written to `certificate_verifications` in batches: at most
/// every [`TALLY_EVERY`], so that verifying stays a read and a burst of scans costs one write.
/// What is still in memory shows on staff's pages; a restart loses it (a few seconds' worth).
#[derive(Default)]
struct Tally {
    pending: std::collections::HashMap<String, (i64, chrono::DateTime<chrono::Utc>)>,
    /// The batch being written: still counted on staff's pages until it is in the database.
    writing: std::collections::HashMap<String, (i64, chrono::DateTime<chrono::Utc>)>,
    written: Option<Instant>,
}

const TALLY_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

impl Metrics {
    pub(super) fn new() -> Metrics {
        let mut registry = Registry::default();
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            // 5 ms to about 20 s: a page, an import, a bulk issue.
            Histogram::new(exponential_buckets(0.005, 2.0, 13))
        });
        let verifications = Family::<VerificationLabels, Counter>::default();
        let sign_ins = Family::<SignInLabels, Counter>::default();
        registry.register("attest_http_requests", "HTTP requests by route template and status", requests.clone());
        registry.register_with_unit(
            "attest_http_request_duration",
            "Time to answer HTTP requests, by route template",
            prometheus_client::registry::Unit::Seconds,
            latency.clone(),
        );
        registry.register(
            "attest_verifications",
            "Verifications by channel (url, code, pdf, credential) and outcome",
            verifications.clone(),
        );
        registry.register(
            "attest_staff_sign_ins",
            "Staff sign-in attempts by method (password, oidc) and outcome (ok, refused, throttled)",
            sign_ins.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            verifications,
            sign_ins,
            kept_outcomes: Mutex::new(std::collections::HashMap::new()),
            tally: Mutex::new(Tally::default()),
            flush: std::sync::RwLock::new(()),
            imports_failed: Mutex::new(std::collections::BTreeMap::new()),
        }
    }

    pub(super) fn verified(&self, channel: &'static str, report: &crate::verification::Report) {
        self.count_verification(channel, outcome(&report.status));
    }

    fn count_verification(&self, channel: &'static str, outcome: &'static str) {
        self.verifications.get_or_create(&VerificationLabels { channel, outcome }).inc();
    }

    /// Remembers the outcome of an answer kept under `key`, and counts it.
    pub(super) fn verified_kept(&self, key: &str, report: &crate::verification::Report) {
        let outcome = outcome(&report.status);
        let id = certificate_id(report);
        let mut kept = self.kept_outcomes.lock().unwrap_or_else(|e| e.into_inner());
        if kept.len() > 10_000 {
            kept.clear();
        }
        kept.insert(key.to_owned(), (outcome, id));
        drop(kept);
        self.count_verification("url", outcome);
    }

    /// Counts an answer served again from memory under the outcome it had; the certificate it
    /// was about, if any.
    pub(super) fn verified_again(&self, key: &str) -> Option<String> {
        let kept = self.kept_outcomes.lock().unwrap_or_else(|e| e.into_inner()).get(key).cloned();
        let (outcome, id) = kept.unwrap_or(("unknown", None));
        self.count_verification("url", outcome);
        id
    }

    /// Notes one verification of certificate `id`; returns the batch to write when it is time.
    fn note(&self, id: &str) -> Option<Vec<(String, i64, chrono::DateTime<chrono::Utc>)>> {
        let mut t = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        let now = chrono::Utc::now();
        let e = t.pending.entry(id.to_owned()).or_insert((0, now));
        *e = (e.0 + 1, now);
        if !t.writing.is_empty() || t.written.is_some_and(|w| w.elapsed() < TALLY_EVERY) {
            return None;
        }
        t.written = Some(Instant::now());
        t.writing = std::mem::take(&mut t.pending);
        Some(t.writing.iter().map(|(id, (n, at))| (id.clone(), *n, *at)).collect())
    }

    /// The batch is in the database (or lost, logged): it no longer counts from memory.
    fn wrote(&self) {
        self.tally.lock().unwrap_or_else(|e| e.into_inner()).writing.clear();
    }

    /// Verifications of `id` not written yet.
    pub(super) fn pending_verifications(&self, id: &str) -> Option<(i64, chrono::DateTime<chrono::Utc>)> {
        let t = self.tally.lock().unwrap_or_else(|e| e.into_inner());
        let (a, b) = (t.pending.get(id).copied(), t.writing.get(id).copied());
        match (a, b) {
            (Some((n, at)), Some((m, bt))) => Some((n + m, at.max(bt))),
            (x, y) => x.or(y),
        }
    }

    /// Counts an import that did not go through: a question for staff, or a file refused.
    pub(super) fn import_failed(&self, e: &crate::import::ImportError) {
        use crate::import::ImportError as I;
        let outcome = match e {
            I::DateOrderUndecided { .. }
            | I::DateOrderContradictory { .. }
            | I::WhichMeeting { .. }
            | I::NoSuchMeeting { .. } => "needs_answer",
            _ => "refused",
        };
        *self.imports_failed.lock().unwrap_or_else(|e| e.into_inner()).entry(outcome).or_default() += 1;
    }

    pub(super) fn signed_in(&self, method: &'static str, ok: bool) {
        self.sign_ins.get_or_create(&SignInLabels { method, outcome: if ok { "ok" } else { "refused" } }).inc();
    }

    /// Counts an attempt refused by the sign-in throttle (429), before any password was checked:
    /// outcome `throttled`, so that a brute force shows in the metric after the tenth try too.
    pub(super) fn sign_in_throttled(&self, method: &'static str) {
        self.sign_ins.get_or_create(&SignInLabels { method, outcome: "throttled" }).inc();
    }
}

/// Counts a verification of certificate `id` for staff (how often, when last), writing the
/// tally in the background when it is time; a failed write is logged and the batch lost.
pub(super) fn tally(state: &AppState, id: Option<String>) {
    let Some(id) = id else { return };
    let Some(batch) = state.inner.metrics.note(&id) else { return };
    let state = state.clone();
    tokio::spawn(async move {
        let n = batch.len();
        let st = state.clone();
        let written = state
            .blocking(move |c, _| {
                let metrics = &st.inner.metrics;
                let _flushing = metrics.flush.write().unwrap_or_else(|e| e.into_inner());
                let r = crate::store::certificates::add_verifications(c, &batch);
                metrics.wrote();
                r
            })
            .await;
        match written {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, certificates = n, "verification tallies not written"),
            Err(e) => {
                state.inner.metrics.wrote();
                tracing::warn!(error = ?e, certificates = n, "verification tallies not written");
            }
        }
    });
}

/// How often certificate `id` was verified and when last: what is stored plus what is not
/// written yet. For staff; never who verified.
pub(super) async fn verifications(
    state: &AppState,
    id: &str,
) -> Result<Option<(i64, chrono::DateTime<chrono::Utc>)>, super::WebError> {
    let (i, st) = (id.to_owned(), state.clone());
    let (stored, pending) = state
        .blocking(move |c, _| {
            let metrics = &st.inner.metrics;
            let _reading = metrics.flush.read().unwrap_or_else(|e| e.into_inner());
            let stored = crate::store::certificates::verifications(c, &i)?;
            Ok::<_, crate::store::StoreError>((stored, metrics.pending_verifications(&i)))
        })
        .await??;
    Ok(match (stored, pending) {
        (Some((a, t)), Some((b, u))) => Some((a + b, t.max(u))),
        (s, p) => s.or(p),
    })
}

/// The stored id of the certificate a verification was about (reports show it grouped by
/// dashes, as printed).
pub(super) fn certificate_id(report: &crate::verification::Report) -> Option<String> {
    report.certificate.as_ref().map(|c| c.certificate.replace('-', ""))
}

/// A label value for a verification's result.
fn outcome(status: &crate::verification::Status) -> &'static str {
    use crate::verification::Status;
    match status {
        Status::Valid => "valid",
        Status::Revoked { .. } => "revoked",
        Status::Superseded { .. } => "superseded",
        Status::NotGenuine { .. } => "not_genuine",
    }
}

/// The layer that counts every request under its route template.
pub(super) async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str()).to_owned();
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let res = next.run(req).await;
    let m = &state.inner.metrics;
    m.latency
        .get_or_create(&RouteLabels { method: method.clone(), route: route.clone() })
        .observe(started.elapsed().as_secs_f64());
    m.requests.get_or_create(&RequestLabels { method, route, status: res.status().as_u16() }).inc();
    res
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StateLabel {
    state: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ImportLabels {
    format: String,
    outcome: &'static str,
}

/// `s`: what the database holds, read at each scrape.
fn scrape_registry(
    s: crate::store::tallies::Tallies,
    failed: Vec<(&'static str, u64)>,
    busy: usize,
    size: usize,
) -> Registry {
    let mut r = Registry::default();
    r.register(
        "attest_certificates_issued",
        "Certificates issued (reissues included), as stored",
        ConstCounter::new(s.issued),
    );
    r.register("attest_certificates_reissued", "Certificates replaced by a reissue", ConstCounter::new(s.reissued));
    r.register("attest_certificates_revoked", "Certificates revoked", ConstCounter::new(s.revoked));
    r.register("attest_mails_sent", "Certificate mails the mail server accepted", ConstCounter::new(s.mails_sent));
    let deliveries = Family::<StateLabel, Gauge>::default();
    // Every state, zero included, so that a dashboard's series exist from the start.
    for state in ["queued", "sending", "sent", "failed", "unknown"] {
        let n = s.deliveries.iter().find(|(st, _)| st == state).map_or(0, |(_, n)| *n);
        deliveries.get_or_create(&StateLabel { state: state.to_owned() }).set(n);
    }
    r.register("attest_deliveries", "Certificate deliveries by mail, by current state", deliveries);
    let imports = Family::<ImportLabels, Counter>::default();
    for (format, n) in s.imports {
        imports.get_or_create(&ImportLabels { format, outcome: "imported" }).inc_by(n);
    }
    // Files that did not go through have no format stored (often none could be told).
    for (outcome, n) in failed {
        imports.get_or_create(&ImportLabels { format: "unknown".into(), outcome }).inc_by(n);
    }
    r.register(
        "attest_imports",
        "Attendance export imports by format and outcome (imported, needs_answer, refused)",
        imports,
    );
    let pool = Family::<StateLabel, Gauge>::default();
    pool.get_or_create(&StateLabel { state: "busy".into() }).set(busy as i64);
    pool.get_or_create(&StateLabel { state: "idle".into() }).set(size.saturating_sub(busy) as i64);
    r.register("attest_db_connections", "Database connections of the pool, busy or idle", pool);
    r
}

fn authorised(state: &AppState, headers: &HeaderMap) -> Option<bool> {
    let expected = state.inner.metrics_token.as_ref()?;
    let given = super::api::bearer(headers).unwrap_or("");
    Some(crate::staff::same_secret(given, expected.expose()))
}

/// `GET /metrics`.
pub(super) async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match authorised(&state, &headers) {
        None => return (StatusCode::NOT_FOUND, "Not found.").into_response(),
        Some(false) => {
            return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "A metrics token is required.")
                .into_response();
        }
        Some(true) => {}
    }
    // Counted before the scrape's own connection is taken.
    let (busy, size) = state.inner.db.use_now();
    let read = match state.blocking(|c, _| crate::store::tallies::read(c)).await {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => return super::WebError::internal(format!("metrics: {e}")).into_response(),
        Err(e) => return e.into_response(),
    };
    let failed: Vec<_> = state
        .inner
        .metrics
        .imports_failed
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|(k, v)| (*k, *v))
        .collect();
    let mut text = String::new();
    let encoded = prometheus_client::encoding::prometheus_text::encode(&mut text, &state.inner.metrics.registry)
        .and_then(|()| {
            prometheus_client::encoding::prometheus_text::encode(&mut text, &scrape_registry(read, failed, busy, size))
        });
    if let Err(e) = encoded {
        return super::WebError::internal(format!("metrics: {e}")).into_response();
    }
    ([(header::CONTENT_TYPE, prometheus_client::encoding::prometheus_text::CONTENT_TYPE)], text).into_response()
}

/// `GET /readyz`: ready when the database answers a query on a connection of its own (the
/// pool's connections keep a deleted or unmounted file open, and would say yes; a PostgreSQL
/// server that refuses new sessions is not ready either), and while the SQLite file is the one
/// the pool opened (a restore put in its place while the server runs leaves the pool writing
/// to the old file, where nothing will read it). `/healthz` stays the liveness probe: the
/// process answers.
pub(super) async fn readyz(State(state): State<AppState>) -> Response {
    if state.inner.db.file_replaced() {
        // A new connection would open the new file and answer: asked first.
        if became(&state, Readiness::FileReplaced) {
            tracing::warn!(
                "not ready: the database file was replaced or removed since this server opened it (a restore while it runs?); it still uses the old file: restart it"
            );
        }
        let body = serde_json::json!({"status": "database file replaced: restart the service"});
        return (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response();
    }
    let location = state.inner.db.location().cloned();
    let probe = tokio::task::spawn_blocking(move || match location {
        Some(l) => crate::store::probe(&l),
        None => Ok(()),
    });
    let why = match tokio::time::timeout(std::time::Duration::from_secs(5), probe).await {
        Ok(Ok(Ok(()))) => {
            if became(&state, Readiness::Ready) {
                tracing::info!("ready again: the database answers");
            }
            return axum::Json(serde_json::json!({"status": "ready"})).into_response();
        }
        Ok(Ok(Err(e))) => e.to_string(),
        Ok(Err(e)) => e.to_string(),
        Err(_) => "the database did not answer within 5 s".into(),
    };
    if became(&state, Readiness::Unreachable) {
        tracing::warn!(error = %why, "not ready: the database cannot be reached");
    }
    (StatusCode::SERVICE_UNAVAILABLE, axum::Json(serde_json::json!({"status": "database unreachable"}))).into_response()
}

/// What `/readyz` found, kept between probes so that the log says when it changes: a probe every
/// few seconds (an orchestrator's, a load balancer's) logged the same warning each time, for
/// as long as the database was away, and a return to ready not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Readiness {
    Ready,
    FileReplaced,
    Unreachable,
}

/// Records `now` as what `/readyz` found; whether it differs from the probe before.
fn became(state: &AppState, now: Readiness) -> bool {
    state.inner.readiness.swap(now as u8, std::sync::atomic::Ordering::AcqRel) != now as u8
}
