//! The HTTP service: axum routes over the same library the CLI uses.
//!
//! One [`AppState`] (database pool, public keys, settings, rate limiter) is built once and
//! handed to [`app`], which `attest serve` and the tests both call. SQLite, signature checks and
//! PDF parsing are synchronous: handlers run them through [`AppState::blocking`]
//! (`spawn_blocking`), never on the async workers; verification by URL skips that round trip
//! when what it needs is already in memory (`checks`).
//!
//! One file per resource:
//! - `verify`: the public side: the page and JSON at `/v/{token}` (the URL in every QR code),
//!   verification by code or PDF upload, the JWK set;
//! - `request`: attendees asking for their certificate by email, and the one-time download;
//! - `console/`: the staff console under `/staff` (session cookie and CSRF tokens);
//! - `api`: the JSON API under `/api/v1` (bearer tokens) and its generated OpenAPI document;
//! - `oidc`: staff sign-in through the organisation's OpenID provider (`/staff/login/oidc`);
//! - `metrics`: `/metrics` (Prometheus text, behind its own bearer token) and `/readyz`;
//! - `access`: the role every route needs, checked by one layer before any handler runs;
//! - `checks`: what verification by URL keeps in memory (signature checks, statuses, answers)
//!   and how it stays coherent with the database.
//!
//! Every response carries security headers; 5xx bodies say only that something went wrong,
//! with a request id, and the cause is logged once.

mod access;
mod api;
mod checks;
mod console;
pub mod credentials;
mod i18n;
mod jobs;
mod metrics;
pub mod oidc;
mod request;
mod verify;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::store;
use crate::trust::token::KeySet;

pub use access::{Need, RULES as ACCESS_RULES};
pub use request::Mailer;
use verify::ClientIp;

/// What the service needs to issue a certificate when an attendee asks for it.
pub struct Issuing {
    pub renderer: crate::certificate::Renderer,
    /// The folder of the signing keys (beside the database).
    pub keys_dir: PathBuf,
    pub settings: crate::issuance::Settings,
}

impl Issuing {
    /// The active token key and PDF signer (time-stamped when an authority is set), read at
    /// each issue: a rotation by another instance is signed with from its next certificate.
    fn signers(
        &self,
        conn: &store::Conn,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<(crate::trust::token::PrivateKey, crate::trust::pdf_signature::PdfSigner), String> {
        let secret = crate::trust::token::active(conn, &self.keys_dir, now).map_err(|e| format!("signing key: {e}"))?;
        let pdf = crate::trust::pdf_signature::active(&self.keys_dir, &self.settings.issuer, now)
            .map_err(|e| e.to_string())?
            .with_tsa(self.settings.tsa_url.clone());
        Ok((secret, pdf))
    }
}

/// Largest request body accepted anywhere (a certificate PDF is about 20 KiB).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// Settings of the web service.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Base URL in QR codes and links, e.g. `https://attest.example.org`.
    pub public_url: String,
    /// The issuing organisation, shown in page titles.
    pub issuer: String,
    /// Code lookups allowed per client per minute.
    pub code_lookups_per_minute: u32,
    /// Sender of attendees' mail, e.g. `attest <no-reply@example.org>`.
    pub mail_from: String,
    /// Hours a download link stays valid.
    pub link_hours: i64,
    /// Largest upload of exports accepted by the console and the API, in bytes.
    pub max_upload_bytes: usize,
    /// Reverse proxies whose `X-Forwarded-For` is believed when rate limiting by client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// How long a finished verification answer is reused for the same token (zero: never).
    /// Statuses are kept coherent apart from it (see `checks`).
    pub verdict_ttl: Duration,
    /// Bulk delivery's sending rate, mails per minute for the whole server (zero: no limit).
    pub mail_per_minute: u32,
    /// Most rows one uploaded export may have (see [`DEFAULT_MAX_IMPORT_ROWS`]).
    pub max_import_rows: usize,
}

/// A million rows: five times the largest export a 10,000-person webinar gives (about 200,000
/// rows with reconnects), and about 20 seconds of one core to import.
pub const DEFAULT_MAX_IMPORT_ROWS: usize = 1_000_000;

struct Inner {
    db: store::Store,
    /// Public keys, reloaded when a token names a key not seen yet (after a rotation) and when
    /// the database changed since they were read (a key withdrawn, here or by another process).
    keys: RwLock<Arc<KeySet>>,
    /// The [`checks::Checks`] generation the keys were read under.
    keys_generation: AtomicU64,
    /// What `/readyz` last found ([`metrics::Readiness`]): it logs a change, not every probe.
    readiness: std::sync::atomic::AtomicU8,
    config: WebConfig,
    code_limiter: DefaultKeyedRateLimiter<String>,
    request_client_limiter: DefaultKeyedRateLimiter<String>,
    request_address_limiter: DefaultKeyedRateLimiter<String>,
    /// Sign-in attempts per client.
    login_limiter: DefaultKeyedRateLimiter<String>,
    issuing: Option<Issuing>,
    mailer: Mailer,
    /// Bulk issues started from the console, by event slug.
    jobs: Mutex<HashMap<String, Arc<jobs::issue::IssueJob>>>,
    /// Reissues of events' certificates with their design, by event slug.
    redesigns: Mutex<HashMap<String, Arc<jobs::issue::RedesignJob>>>,
    /// Bulk deliveries (console and API), by event slug: at most one sender per event.
    deliveries: Mutex<HashMap<String, jobs::delivery::DeliveryJob>>,
    /// Bulk delivery's sending rate, shared by every event's sender.
    mail_pace: crate::delivery::Pace,
    /// Uploads waiting for staff to answer a question about them, by a random id.
    pending: Mutex<HashMap<String, console::Pending>>,
    /// Signature checks, certificates' records and finished answers of verification by URL,
    /// kept in memory and coherent with the database (see `checks`).
    checks: Arc<checks::Checks>,
    /// Signed status lists by number, with the bits, time and key they were signed for: served
    /// again while those stay the same. Each request still reads the bits from the database, so
    /// a revocation, by this server or another process, shows at once.
    status_lists: Mutex<HashMap<u64, credentials::SignedList>>,
    /// How many status lists were signed (for tests: repeated requests must not re-sign).
    status_lists_signed: AtomicUsize,
    /// Sign-in through the organisation's OpenID provider, when set up.
    oidc: Option<oidc::Oidc>,
    /// Whether staff may sign in with a password (small installations); on unless switched off.
    password_login: bool,
    /// What `/metrics` counts as requests go.
    metrics: metrics::Metrics,
    /// The bearer token `/metrics` asks for; without one, `/metrics` is not served.
    metrics_token: Option<crate::staff::AccessToken>,
}

/// Everything a handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

impl AppState {
    pub fn new(
        db: store::Store,
        config: WebConfig,
        issuing: Option<Issuing>,
        mailer: Mailer,
    ) -> Result<AppState, crate::trust::token::KeyError> {
        let keys = db.with(|c| crate::trust::token::key_set(c))?;
        let per_minute = NonZeroU32::new(config.code_lookups_per_minute.max(1)).expect("at least 1");
        let checks = Arc::new(checks::Checks::new(config.verdict_ttl));
        if let Some(location) = db.location() {
            // Without the watcher, a revocation made with the CLI (or by another instance) would
            // not show while records are kept: then they are not kept.
            if let Err(e) = checks::watch(location, db.opened_file(), Arc::downgrade(&checks)) {
                tracing::warn!(error = %e, "cannot watch the database for changes by other processes; statuses are read on every verification");
                checks.keep_no_records();
            }
        }
        let mail_pace = crate::delivery::Pace::per_minute(config.mail_per_minute);
        Ok(AppState {
            inner: Arc::new(Inner {
                db,
                keys: RwLock::new(Arc::new(keys)),
                keys_generation: AtomicU64::new(checks.generation()),
                readiness: std::sync::atomic::AtomicU8::new(metrics::Readiness::Ready as u8),
                code_limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
                // Per client: a few requests a minute; per address: three an hour, so the form
                // cannot be used to flood someone's mailbox.
                request_client_limiter: RateLimiter::keyed(Quota::per_minute(per_minute)),
                request_address_limiter: RateLimiter::keyed(Quota::per_hour(NonZeroU32::new(3).expect("3"))),
                // Ten tries a minute per client: plenty for typos, useless for guessing.
                login_limiter: RateLimiter::keyed(Quota::per_minute(NonZeroU32::new(10).expect("10"))),
                config,
                issuing,
                mailer,
                jobs: Mutex::new(HashMap::new()),
                redesigns: Mutex::new(HashMap::new()),
                deliveries: Mutex::new(HashMap::new()),
                mail_pace,
                pending: Mutex::new(HashMap::new()),
                checks,
                status_lists: Mutex::new(HashMap::new()),
                status_lists_signed: AtomicUsize::new(0),
                oidc: None,
                password_login: true,
                metrics: metrics::Metrics::new(),
                metrics_token: None,
            }),
        })
    }

    /// Sets how staff sign in: through the organisation's OpenID provider (`oidc`), with a
    /// password (`passwords`), or both. Call on a new state, before serving.
    pub fn with_sign_in(mut self, oidc: Option<oidc::OidcConfig>, passwords: bool) -> AppState {
        let inner = Arc::get_mut(&mut self.inner).expect("with_sign_in is called before the state is shared");
        inner.oidc = oidc.map(oidc::Oidc::new);
        inner.password_login = passwords;
        self
    }

    /// Serves `/metrics` to `Authorization: Bearer <token>`. Call on a new state, before serving.
    pub fn with_metrics_token(mut self, token: Option<String>) -> AppState {
        let inner = Arc::get_mut(&mut self.inner).expect("with_metrics_token is called before the state is shared");
        inner.metrics_token = token.filter(|t| !t.is_empty()).map(crate::staff::AccessToken::given);
        self
    }

    fn oidc(&self) -> Option<&oidc::Oidc> {
        self.inner.oidc.as_ref()
    }

    fn password_login(&self) -> bool {
        self.inner.password_login
    }

    pub fn config(&self) -> &WebConfig {
        &self.inner.config
    }

    /// Runs database (and other blocking) work off the async workers.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut store::Conn, &KeySet) -> T + Send + 'static,
    ) -> Result<T, WebError> {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            state.inner.db.with(|c| {
                state.keys_read_again_if_changed(c);
                // An Arc, not the set: this runs on every request.
                let keys = Arc::clone(&state.inner.keys.read().unwrap_or_else(|e| e.into_inner()));
                f(c, &keys)
            })
        })
        .await
        .map_err(|e| WebError::internal(format!("blocking task failed: {e}")))
    }

    /// After a write that left SQLite's checkpoint for later ([`store::Tx::commit_leaving_checkpoint`],
    /// an import): the log is copied into the database on the blocking pool, once the answer has
    /// gone, rather than inside a later request's commit.
    pub fn checkpoint_soon(&self) {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = state.inner.db.with(|c| c.checkpoint()) {
                // The next commit past the threshold, or the last close, copies it instead.
                tracing::debug!(error = %e, "checkpoint after an import did not run");
            }
        });
    }

    /// How many times this server has signed a status list (each change signs it once).
    #[doc(hidden)]
    pub fn status_lists_signed(&self) -> usize {
        self.inner.status_lists_signed.load(Ordering::Relaxed)
    }

    /// Whether the keys were read before the database last changed: then a key may have been
    /// withdrawn since, and what was checked with it may not stand.
    pub(crate) fn keys_may_be_stale(&self) -> bool {
        self.inner.keys_generation.load(Ordering::Acquire) != self.inner.checks.generation()
    }

    /// Reads the keys again when the database changed since they were read ([`Self::hold_keys`]).
    fn keys_read_again_if_changed(&self, conn: &store::Conn) {
        if !self.keys_may_be_stale() {
            return;
        }
        let generation = self.inner.checks.generation();
        match crate::trust::token::key_set(conn) {
            Ok(keys) => {
                self.hold_keys(keys);
                self.inner.keys_generation.store(generation, Ordering::Release);
            }
            // The keys held stay; the next request tries again (and, the database being out
            // of reach, fails on its own, logged there: not once more per request here).
            Err(e) => tracing::debug!(error = %e, "cannot read the signing keys again"),
        }
    }

    /// Holds `keys`, read from the database, in place of those held; a key withdrawn since those
    /// were read empties the signature checks kept (and with them the answers): a token it
    /// signed was genuine until now.
    fn hold_keys(&self, keys: KeySet) {
        let mut held = self.inner.keys.write().unwrap_or_else(|e| e.into_inner());
        let newly_withdrawn = keys.withdrawn().any(|kid| held.withdrawal(kid).is_none());
        *held = Arc::new(keys);
        drop(held);
        if newly_withdrawn {
            self.inner.checks.forget_signatures();
        }
    }

    /// Reads the keys again on the blocking pool if the database changed since they were read.
    pub(crate) async fn keys_fresh(&self) -> Result<(), WebError> {
        if self.keys_may_be_stale() {
            self.blocking(|_, _| ()).await?;
        }
        Ok(())
    }

    /// Reloads the public keys from the database (after a rotation elsewhere).
    pub async fn reload_keys(&self) -> Result<(), WebError> {
        let keys = self
            .blocking(|c, _| crate::trust::token::key_set(c))
            .await?
            .map_err(|e| WebError::internal(e.to_string()))?;
        self.hold_keys(keys);
        Ok(())
    }

    /// Runs `f` on the blocking pool with an issuer that signs with the active key (created on
    /// first use) on behalf of `actor`: the one way the console and the API issue.
    pub async fn with_issuer<T: Send + 'static>(
        &self,
        actor: String,
        f: impl FnOnce(
            &mut store::Conn,
            crate::issuance::Issuer,
            chrono::DateTime<chrono::Utc>,
        ) -> Result<T, crate::issuance::IssueError>
        + Send
        + 'static,
    ) -> Result<Result<T, crate::issuance::IssueError>, WebError> {
        let state = self.clone();
        self.blocking(move |conn, _| {
            use crate::issuance::IssueError;
            let issuing = state
                .inner
                .issuing
                .as_ref()
                .ok_or_else(|| IssueError::Invalid("this server is not set up to issue certificates".into()))?;
            let now = chrono::Utc::now();
            let (secret, pdf) = issuing.signers(conn, now).map_err(IssueError::Invalid)?;
            let issuer = crate::issuance::Issuer {
                renderer: &issuing.renderer,
                secret: &secret,
                pdf: &pdf,
                settings: &issuing.settings,
                actor: &actor,
            };
            f(conn, issuer, now)
        })
        .await
    }

    /// Forgets cached statuses and answers (signature checks stay): call after changing a
    /// certificate's status, so that the very next verification reads it.
    fn certificates_changed(&self) {
        self.inner.checks.forget_statuses();
    }

    /// Sign-in attempts are limited per client only. A limit per account as well let anyone
    /// who knew an admin's address keep the admin out by failing on purpose; the attacker's
    /// own client is what is slowed now. Guessing from many addresses at once stays
    /// impractical: argon2 makes every try costly, and passwords have at least 12 characters.
    fn login_allowed(&self, client: &str) -> bool {
        self.inner.login_limiter.check_key(&client.to_owned()).is_ok()
    }

    /// Templates staff can choose for an event.
    fn template_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .inner
            .issuing
            .as_ref()
            .map(|i| i.renderer.template_names().into_iter().map(str::to_owned).collect())
            .unwrap_or_default();
        v.sort();
        v
    }

    fn code_lookup_allowed(&self, client: &str) -> bool {
        self.inner.code_limiter.check_key(&client.to_owned()).is_ok()
    }
}

/// An error a handler returns. Internal causes are logged with a request id and never shown.
#[derive(Debug)]
pub enum WebError {
    Internal { request_id: String, cause: String },
    Status(StatusCode, String),
}

impl WebError {
    pub fn internal(cause: impl Into<String>) -> WebError {
        let mut b = [0u8; 6];
        getrandom::fill(&mut b).ok();
        let request_id = crate::encoding::hex(&b);
        WebError::Internal { request_id, cause: cause.into() }
    }
}

/// Input problems are the caller's to fix and say so; database failures are ours and stay hidden.
impl From<store::StoreError> for WebError {
    fn from(e: store::StoreError) -> Self {
        use store::StoreError as E;
        match e {
            E::NoSuchEvent(_) => WebError::Status(StatusCode::NOT_FOUND, e.to_string()),
            E::DuplicateEvent(_) => WebError::Status(StatusCode::CONFLICT, e.to_string()),
            E::NotFound(_) => WebError::Status(StatusCode::NOT_FOUND, e.to_string()),
            E::Conflict(_) => WebError::Status(StatusCode::CONFLICT, e.to_string()),
            E::Invalid(_) | E::Import(_) | E::NoSuchPerson { .. } | E::NothingToSplit(_) => {
                WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
            E::Sqlite(_) | E::Migration(_) | E::Postgres(_) | E::Read(_) | E::NoRow => {
                WebError::internal(e.to_string())
            }
        }
    }
}

/// What a request asked for that cannot be rendered (a language or template that does not exist,
/// a name that cannot be printed) is the caller's to fix; fonts, files and PDF generation failing
/// are ours. The logged cause names the certificate, never the person (see [`IssueError`]).
///
/// [`IssueError`]: crate::issuance::IssueError
impl From<crate::issuance::IssueError> for WebError {
    fn from(e: crate::issuance::IssueError) -> Self {
        use crate::certificate::RenderError as R;
        use crate::issuance::IssueError as I;
        match e {
            I::Store(s) => s.into(),
            I::Invalid(m) => WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, m),
            I::Conflict(m) => WebError::Status(StatusCode::CONFLICT, m),
            I::Render {
                source: R::UnknownTemplate(_) | R::UnknownTimezone(_) | R::InvalidContent(_) | R::Qr(_),
                ..
            } => WebError::Status(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
            // The path of an exported file holds the person's name: the log gets the cause only.
            I::Io { source, .. } => WebError::internal(format!("writing a certificate file: {source}")),
            // A time-stamp authority that did not answer, or a signing identity that failed: ours
            // (or our TSA's) to fix, not the caller's; the message carries the certificate id.
            other @ (I::Render { .. } | I::PdfSign { .. } | I::Print(_)) => WebError::internal(other.to_string()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::Internal { request_id, cause } => {
                tracing::error!(request_id = %request_id, error = %cause, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    format!("Something went wrong on our side (request id {request_id})."),
                )
                    .into_response()
            }
            WebError::Status(code, msg) => (code, msg).into_response(),
        }
    }
}

/// An event just created or saved, then given the Teams presenters reading its form or request
/// names (none: left as it was). The reading is stored on its own
/// (`store::events::set_teams_presenters`, with its own audit line), so the console and the API
/// both set it after writing the event's other fields.
fn with_teams_presenters(
    conn: &store::Conn,
    event: store::events::Event,
    reading: Option<&str>,
    actor: &str,
) -> Result<store::events::Event, store::StoreError> {
    match reading {
        Some(r) => store::events::set_teams_presenters(conn, &event.slug, r, actor, chrono::Utc::now()),
        None => Ok(event),
    }
}

/// Security headers on every response: no inline script or style anywhere, no framing, no
/// sniffing, no referrer leaking tokens to other sites.
async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

/// The liveness probe: the process answers. It does not ask the database (`/readyz` does): an
/// orchestrator restarts a process whose liveness fails, and restarting every instance during a
/// database outage helps nobody (it answered 500 then, while the process was fine).
async fn healthz() -> impl IntoResponse {
    axum::Json(serde_json::json!({"status": "ok"}))
}

async fn stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/web/site.css"),
    )
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(verify::home))
        .route("/v/{token}", get(verify::by_token))
        .route("/verify", get(verify::home))
        .route("/verify/code", post(verify::by_code))
        .route("/verify/pdf", post(verify::by_pdf))
        .route("/.well-known/jwks.json", get(verify::jwks))
        .route("/.well-known/did.json", get(credentials::did_document))
        .route("/status/{list}", get(credentials::status_list))
        .route("/credentials/{id}", get(credentials::public_credential))
        .route("/pdf-root.pem", get(verify::pdf_root_pem))
        .route("/pdf-root.cer", get(verify::pdf_root_cer))
        .route("/request", get(request::show).post(request::submit))
        // The PDF holds the attendee's name; the page that says the link is gone, their token.
        .route(
            "/download/{token}",
            get(request::download_page).post(request::download).layer(middleware::map_response(api::no_store)),
        )
        .route("/healthz", get(healthz))
        .route("/readyz", get(metrics::readyz))
        .route("/metrics", get(metrics::metrics).layer(middleware::map_response(api::no_store)))
        .route("/static/site.css", get(stylesheet))
        .merge(console::routes(state.config().max_upload_bytes).layer(middleware::map_response(api::no_store)))
        .route("/staff/login/oidc", get(oidc::start).layer(middleware::map_response(api::no_store)))
        .route("/staff/login/oidc/callback", get(oidc::callback).layer(middleware::map_response(api::no_store)))
        .merge(api::routes(&state))
        // Every route above, checked against web::access's table before its handler runs.
        .route_layer(middleware::from_fn_with_state(state.clone(), access::guard))
        // Any other URL: a 404 page in the site's style and the reader's language (public).
        .fallback(verify::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// What `attest serve` needs besides its listening socket.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub db: store::Location,
    pub config: WebConfig,
    /// `smtp://host:port` of a relay; without one, mail goes to `outbox` as `.eml` files.
    pub smtp_url: Option<String>,
    pub outbox: PathBuf,
    /// Sign-in through the organisation's OpenID provider, when set up.
    pub oidc: Option<oidc::OidcConfig>,
    /// Whether staff may sign in with a password.
    pub password_login: bool,
    /// The bearer token of `/metrics` (`ATTEST_METRICS_TOKEN`); `None`: not served.
    pub metrics_token: Option<String>,
}

/// Runs the service on `listener` until Ctrl-C or SIGTERM, finishing requests in flight. The
/// socket is bound by the caller, which needs its address (the public URL defaults to it)
/// before the service starts.
pub async fn serve(
    listener: std::net::TcpListener,
    opts: ServeOptions,
    issuing: Option<Issuing>,
    ready: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let db = store::Store::open(&opts.db, 4)?;
    let mailer = Mailer::from_config(opts.smtp_url.as_deref(), opts.outbox.clone())?;
    let state = AppState::new(db, opts.config, issuing, mailer)?
        .with_sign_in(opts.oidc, opts.password_login)
        .with_metrics_token(opts.metrics_token);
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let addr = listener.local_addr()?;
    tracing::info!(addr = %addr, "listening");
    ready(addr);
    axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown() {
    let ctrl_c = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
