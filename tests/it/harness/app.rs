//! attest stood up for a test: the database, the staff account and its session, an API token,
//! the app state and the router, in process or served on a port; and the typed helpers every
//! HTTP test uses (`send`, `get`, `form`, `json`, the CSRF token).
//!
//! This is the only place in the suite that builds an `AppState`, a `WebConfig`, a router or a
//! test database: another storage engine (or a renamed store handle) changes this file, not
//! the tests. The builder reads as crates.io's `TestApp` does:
//!
//! ```ignore
//! let app = TestApp::new().issuing().staff(EMAIL, Role::Admin, Some(PASSWORD)).token().build();
//! let session = app.sign_in().await;
//! ```
//!
//! Deliberately not here: each module's own data (events, imports, certificates); the tests make
//! those with the library's functions or [`super::Db`], so that what a test relies on is in it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use attest::issuance::Settings;
use attest::staff::Role;
use attest::store::{Conn, Store};
use attest::web::{self, AppState, Issuing, Mailer, WebConfig};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use serde_json::Value;
use tower::ServiceExt;

/// The file name of a test's database inside its temporary folder.
const DB_FILE: &str = "attest.sqlite3";

/// The variable that points the suite at a PostgreSQL server: the URL of a database the tests
/// may create databases from (`postgres://attest@127.0.0.1:54329/postgres`). Set, every test
/// database is a new PostgreSQL database on that server instead of a SQLite file, and what a
/// test passes around as the database's path is that database's URL (`--db` takes both).
pub const POSTGRES_VAR: &str = "ATTEST_TEST_POSTGRES_URL";

/// The server of [`POSTGRES_VAR`], when the suite runs on PostgreSQL.
pub fn postgres() -> Option<String> {
    std::env::var(POSTGRES_VAR).ok().filter(|v| !v.is_empty())
}

/// Whether a test that only makes sense on SQLite (its file locks, `VACUUM INTO`, a database
/// left at an old schema version) runs; on PostgreSQL it says why it skips.
pub fn sqlite_only(what: &str) -> bool {
    if postgres().is_some() {
        eprintln!("skipped on PostgreSQL ({POSTGRES_VAR} is set): {what} is SQLite's");
        return false;
    }
    true
}

/// The keys folder of each PostgreSQL test database, by URL: SQLite's is beside its file.
static KEYS: std::sync::Mutex<Vec<(PathBuf, PathBuf)>> = std::sync::Mutex::new(Vec::new());

/// A new, empty PostgreSQL database on the [`POSTGRES_VAR`] server; its URL. Created through
/// the server's own `CREATE DATABASE` on a thread of its own (the client blocks, which tokio
/// forbids on a thread that drives a test's tasks).
fn new_postgres_database(server: &str) -> PathBuf {
    new_postgres_database_named(server, "t")
}

/// [`new_postgres_database`] named `PREFIX_PID_N` (the copy tests' are `copy_…`), so that a
/// test's databases on a shared server say whose they are.
pub(crate) fn new_postgres_database_named(server: &str, prefix: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!("{prefix}{}_{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    as_server_admin(server, format!("CREATE DATABASE {name}"));
    let (base, query) = server.split_once('?').map_or((server, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    PathBuf::from(match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    })
}

/// A new PostgreSQL database on the [`POSTGRES_VAR`] server with nothing in it, not even the
/// schema (what `pg_restore` restores into); its URL. Panics without the server.
pub fn empty_postgres_database() -> PathBuf {
    new_postgres_database(&postgres().expect("a PostgreSQL server"))
}

/// The keys folder of the database at `db`: `keys/` beside a SQLite file, or the folder
/// [`new_db`] chose for a PostgreSQL database. What a command the test starts is given as
/// `ATTEST_KEYS`.
pub fn keys_for(db: &Path) -> PathBuf {
    let known = KEYS.lock().unwrap().iter().find(|(d, _)| d == db).map(|(_, k)| k.clone());
    known.unwrap_or_else(|| attest::trust::token::keys_dir(db))
}

/// Opens (creating and migrating if new) the test database at `path`: every connection the
/// suite makes to a database file comes from here.
pub fn open_db(path: &Path) -> Conn {
    attest::store::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The first number in the first row `sql` returns, in the database at `db`.
pub fn count(db: &Path, sql: &str) -> i64 {
    open_db(db).number_for_tests(sql).unwrap()
}

/// Makes the database at `db` unreachable to new connections (`false`) or reachable again: a
/// SQLite file moved away and back, a PostgreSQL database closed to new sessions and opened.
pub fn reachable(db: &Path, yes: bool) {
    let Some(server) = postgres() else {
        let moved = db.with_extension("moved");
        let (from, to) = if yes { (&moved, &db.to_owned()) } else { (&db.to_owned(), &moved) };
        std::fs::rename(from, to).unwrap();
        return;
    };
    let name = db.to_str().unwrap().rsplit_once('/').unwrap().1.split('?').next().unwrap().to_owned();
    as_server_admin(&server, format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {yes}"));
}

/// Runs `sql` on the [`POSTGRES_VAR`] server's own database (creating or closing test
/// databases), on a thread of its own: the client blocks, which tokio forbids on a thread that
/// drives a test's tasks.
fn as_server_admin(server: &str, sql: String) {
    let server = server.to_owned();
    std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&server, postgres::NoTls).unwrap();
        c.batch_execute(&sql).unwrap();
    })
    .join()
    .unwrap();
}

/// The columns of `table`, in order, on either engine.
pub fn columns(conn: &Conn, table: &str) -> Vec<String> {
    let sql = if postgres().is_some() {
        "SELECT column_name FROM information_schema.columns WHERE table_name = ?1 ORDER BY ordinal_position"
    } else {
        "SELECT name FROM pragma_table_info(?1) ORDER BY cid"
    };
    conn.rows_for_tests(sql, [table], |r| r.get(0)).unwrap()
}

/// A database file at `path` migrated only up to schema `version`: an installation from before a
/// change, to test the migrations that follow.
pub fn open_db_at_version(path: &Path, version: usize) -> Conn {
    attest::store::open_at_version(path, version).unwrap()
}

/// A new, migrated, empty database in memory, for tests that need no file (and no second
/// process); on PostgreSQL a new database of the server.
/// With it, what drops that database when the test is done with it.
pub fn memory_db() -> (Conn, DropDatabase) {
    match postgres() {
        Some(server) => {
            let url = new_postgres_database(&server);
            (open_db(&url), DropDatabase(Some(url)))
        }
        None => (attest::store::open_in_memory().unwrap(), DropDatabase(None)),
    }
}

/// Drops a test's PostgreSQL database (by URL) when dropped, closing any connection left: a
/// database is 8 MB of the server's catalogs, and the suite's hundreds of them filled 1.4 GB of
/// a CI disk. Nothing on SQLite, whose files go with their temporary folder.
pub struct DropDatabase(pub Option<PathBuf>);

impl DropDatabase {
    /// For the test database at `db` ([`new_db`]'s): its PostgreSQL database, or nothing.
    pub fn of(db: &Path) -> Self {
        DropDatabase(postgres().map(|_| db.to_path_buf()))
    }
}

impl Drop for DropDatabase {
    fn drop(&mut self) {
        let (Some(url), Some(server)) = (self.0.take(), postgres()) else { return };
        let url = url.to_string_lossy().into_owned();
        let Some(name) = url.split('?').next().and_then(|u| u.rsplit('/').next()).map(str::to_owned) else { return };
        // Quietly: a test that failed is already saying why, and a database left behind only
        // costs disk.
        let _ = std::thread::spawn(move || {
            if let Ok(mut c) = postgres::Client::connect(&server, postgres::NoTls) {
                let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        })
        .join();
    }
}

/// A new, migrated, empty database file in `dir`; its path (on PostgreSQL a new database of
/// the server, its URL, with its keys in `dir/keys` as a file's would be).
pub fn new_db(dir: &Path) -> PathBuf {
    let path = match postgres() {
        Some(server) => {
            let url = new_postgres_database(&server);
            KEYS.lock().unwrap().push((url.clone(), dir.join("keys")));
            url
        }
        None => dir.join(DB_FILE),
    };
    open_db(&path);
    path
}

/// A staff account `email` with `role` in the database at `db`, and an API token for it: what a
/// test needs to call the API of a server it starts as a separate process.
pub fn api_token(db: &Path, email: &str, role: Role) -> String {
    let conn = open_db(db);
    let now = chrono::Utc::now();
    attest::staff::add(&conn, email, role, "test", now).unwrap();
    attest::staff::create_token(&conn, email, "ci", None, "test", now).unwrap().expose().to_owned()
}

/// The web configuration every server of the tests runs with: the tests' settings, `lookups`
/// code lookups a minute per client, no trusted proxy, finished answers kept 2 s.
pub fn web_config(s: &Settings, lookups: u32) -> WebConfig {
    WebConfig {
        public_url: s.public_url.clone(),
        issuer: s.issuer.clone(),
        code_lookups_per_minute: lookups,
        mail_from: "attest <no-reply@example.org>".into(),
        link_hours: 72,
        max_upload_bytes: attest::import::MAX_UPLOAD_BYTES,
        trusted_proxies: Vec::new(),
        verdict_ttl: std::time::Duration::from_secs(2),
        mail_per_minute: 0,
        max_import_rows: attest::web::DEFAULT_MAX_IMPORT_ROWS,
    }
}

/// What a server issues with: the shipped templates and fonts, the keys in `keys_dir`.
pub fn issuing(keys_dir: &Path, settings: Settings) -> Issuing {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Issuing {
        renderer: attest::certificate::Renderer::load(&root.join("assets"), &root.join("fonts")).unwrap(),
        keys_dir: keys_dir.to_owned(),
        settings,
    }
}

/// The state of a server on the database at `db` (a pool of `pool` connections).
pub fn state(db: &Path, pool: usize, config: WebConfig, issuing: Option<Issuing>, mailer: Mailer) -> AppState {
    AppState::new(
        Store::open(&attest::store::Location::parse(db.as_os_str()).unwrap(), pool).unwrap(),
        config,
        issuing,
        mailer,
    )
    .unwrap()
}

/// The state of a server on one connection (an in-memory database no other process writes).
pub fn state_on(conn: Conn, config: WebConfig, issuing: Option<Issuing>, mailer: Mailer) -> AppState {
    AppState::new(Store::single(conn), config, issuing, mailer).unwrap()
}

/// A socket bound to a free port of 127.0.0.1, and its URL: bound first so that the server's
/// public URL (in its links and QR codes) can be its own address, with no other process able to
/// take the port in between.
pub fn listener() -> (std::net::TcpListener, String) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", l.local_addr().unwrap());
    (l, url)
}

/// Runs `attest::web::serve` (the whole service as `attest serve` starts it) on `listener`, on
/// the caller's runtime; its address once it listens, and the task (the server stops when it is
/// aborted or the runtime ends).
pub async fn serve(
    listener: std::net::TcpListener,
    opts: web::ServeOptions,
    issuing: Option<Issuing>,
) -> (SocketAddr, tokio::task::JoinHandle<anyhow::Result<()>>) {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let server = tokio::spawn(web::serve(listener, opts, issuing, move |a| {
        tx.send(a).ok();
    }));
    (rx.await.unwrap(), server)
}

/// The options `attest serve` would run with on the database `db`, mailing to `outbox`.
pub fn serve_options(db: &Path, config: WebConfig, outbox: PathBuf) -> web::ServeOptions {
    web::ServeOptions {
        db: attest::store::Location::parse(db.as_os_str()).unwrap(),
        config,
        smtp_url: None,
        outbox,
        oidc: None,
        password_login: true,
        metrics_token: None,
    }
}

/// A staff account the builder makes.
struct Staff {
    email: String,
    role: Role,
    /// Set up with this password; `None`: invited only (its setup link unused).
    password: Option<String>,
}

/// Builds a [`TestApp`]; see the module's example.
pub struct TestAppBuilder {
    dir: tempfile::TempDir,
    db: PathBuf,
    settings: Settings,
    config: WebConfig,
    issuing: bool,
    staff: Vec<Staff>,
    token: bool,
    metrics_token: Option<String>,
    pool: usize,
    sign_in: Option<(Option<attest::web::oidc::OidcConfig>, bool)>,
}

/// attest on a fresh database file, as a router called in process.
pub struct TestApp {
    pub router: axum::Router,
    /// The database file.
    pub db: PathBuf,
    /// The API token of the first staff account, when the builder made one; else empty.
    pub token: String,
    /// The first staff account's email and password, for [`TestApp::sign_in`].
    pub email: String,
    pub password: String,
    /// Setup links of the accounts made without a password, in the order they were added.
    pub setup_links: Vec<String>,
    /// The test's temporary folder: database, keys, outbox. Removed when the app is dropped.
    _dir: tempfile::TempDir,
    /// Its PostgreSQL database, dropped with it (last: after the router's connections).
    _database: DropDatabase,
}

impl TestApp {
    /// A builder on a new, empty database: no staff, no issuing, 10 code lookups a minute.
    #[expect(clippy::new_ret_no_self, reason = "a builder, as crates.io's TestApp::new()")]
    pub fn new() -> TestAppBuilder {
        let dir = tempfile::tempdir().unwrap();
        let db = new_db(dir.path());
        TestAppBuilder::on(dir, db)
    }

    /// A builder on the existing database `db` (made with [`new_db`] and filled by the test),
    /// keeping `dir` alive as long as the app.
    pub fn on(dir: tempfile::TempDir, db: PathBuf) -> TestAppBuilder {
        TestAppBuilder::on(dir, db)
    }

    /// The first number in the first row `sql` returns, in the app's database.
    pub fn count(&self, sql: &str) -> i64 {
        count(&self.db, sql)
    }

    /// Sends `req` to the router in process.
    pub async fn send(&self, req: Request<Body>) -> Res {
        send_to(&self.router, req).await
    }

    /// A JSON request to the API with the app's bearer token; the status and the body (`Null`
    /// when it is not JSON).
    pub async fn json(&self, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        api_json(&self.router, &self.token, method, uri, body).await
    }

    /// Signs the first staff account in with its password, through the sign-in form; then reads
    /// `/staff/events` for the session's CSRF token.
    pub async fn sign_in(&self) -> Session {
        self.sign_in_landing("/staff/events").await
    }

    /// [`TestApp::sign_in`], reading the CSRF token from `landing`.
    pub async fn sign_in_landing(&self, landing: &str) -> Session {
        sign_in_to(&self.router, &self.email, &self.password, landing).await
    }
}

/// Signs `email` in to `router` with `password`, through the sign-in form as a browser does;
/// then reads `landing` for the session's CSRF token.
pub async fn sign_in_to(router: &axum::Router, email: &str, password: &str, landing: &str) -> Session {
    let page = send_to(router, Request::get("/staff/login").body(Body::empty()).unwrap()).await;
    let form_cookie = page.cookie_pair("attest_form").expect("a pre-session cookie");
    let body = format!("csrf={}&email={}&password={}", csrf_in(&page.body), enc(email), enc(password));
    let res = send_to(router, form("/staff/login", &form_cookie, &body)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let cookie = res.cookie_pair("attest_session").expect("a session cookie");
    let page = send_to(router, get(landing, &cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    Session { csrf: csrf_in(&page.body), cookie }
}

impl TestAppBuilder {
    fn on(dir: tempfile::TempDir, db: PathBuf) -> Self {
        let settings = super::settings();
        TestAppBuilder {
            config: web_config(&settings, 10),
            settings,
            dir,
            db,
            issuing: false,
            staff: Vec::new(),
            token: false,
            metrics_token: None,
            pool: 2,
            sign_in: None,
        }
    }

    /// The server issues (and so renders and signs), with keys beside the database.
    pub fn issuing(mut self) -> Self {
        self.issuing = true;
        self
    }

    /// The public URL of the server and of its certificates.
    pub fn public_url(mut self, url: &str) -> Self {
        self.settings.public_url = url.into();
        self.config.public_url = url.into();
        self
    }

    /// Changes the web configuration (limits, sizes) from the tests' default.
    pub fn config(mut self, change: impl FnOnce(&mut WebConfig)) -> Self {
        change(&mut self.config);
        self
    }

    /// A staff account; the first one with a password is the one [`TestApp::sign_in`] uses.
    pub fn staff(mut self, email: &str, role: Role, password: Option<&str>) -> Self {
        self.staff.push(Staff { email: email.into(), role, password: password.map(Into::into) });
        self
    }

    /// An API token for the first staff account.
    pub fn token(mut self) -> Self {
        self.token = true;
        self
    }

    /// `/metrics` served to this bearer token.
    pub fn metrics_token(mut self, token: &str) -> Self {
        self.metrics_token = Some(token.into());
        self
    }

    /// The number of database connections the server keeps (2 unless said).
    pub fn pool(mut self, size: usize) -> Self {
        self.pool = size;
        self
    }

    /// How staff sign in, as `AppState::with_sign_in` takes it.
    pub fn sign_in(mut self, oidc: Option<attest::web::oidc::OidcConfig>, passwords: bool) -> Self {
        self.sign_in = Some((oidc, passwords));
        self
    }

    /// Makes the accounts and the token, then the state and the router.
    pub fn build(self) -> TestApp {
        let (email, password, token, setup_links) = self.accounts();
        let keys = self.dir.path().join("keys");
        let issuing = self.issuing.then(|| issuing(&keys, self.settings));
        let mailer = Mailer::Outbox(self.dir.path().join("outbox"));
        let mut state = state(&self.db, self.pool, self.config, issuing, mailer);
        if let Some((oidc, passwords)) = self.sign_in {
            state = state.with_sign_in(oidc, passwords);
        }
        if self.metrics_token.is_some() {
            state = state.with_metrics_token(self.metrics_token);
        }
        let database = DropDatabase::of(&self.db);
        TestApp {
            router: web::app(state),
            db: self.db,
            token,
            email,
            password,
            setup_links,
            _dir: self.dir,
            _database: database,
        }
    }

    /// Makes the staff accounts and the token; the first account with a password, that
    /// password, the token (or "") and the setup links of the accounts without a password.
    fn accounts(&self) -> (String, String, String, Vec<String>) {
        let mut conn = open_db(&self.db);
        let now = chrono::Utc::now();
        let (mut email, mut password, mut links) = (String::new(), String::new(), Vec::new());
        for s in &self.staff {
            let (_, link) = attest::staff::add(&conn, &s.email, s.role, "test", now).unwrap();
            match &s.password {
                Some(p) => {
                    attest::staff::complete_setup(&mut conn, link.expose(), None, p, now).unwrap();
                    if password.is_empty() {
                        (email, password) = (s.email.clone(), p.clone());
                    }
                }
                None => links.push(link.expose().to_owned()),
            }
        }
        let token = if self.token {
            let owner = &self.staff.first().expect("a token needs a staff account").email;
            attest::staff::create_token(&conn, owner, "ci", None, "test", now).unwrap().expose().to_owned()
        } else {
            String::new()
        };
        (email, password, token, links)
    }
}

/// A response, read whole.
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    /// The body as text (lossy), and as bytes.
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Res {
    /// The `Location` header, or "".
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// The whole `Set-Cookie` header that sets `name`.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// `name=value` of the cookie `name` sets, as a browser sends it back.
    pub fn cookie_pair(&self, name: &str) -> Option<String> {
        self.cookie(name).map(|c| c.split(';').next().unwrap().to_owned())
    }
}

/// A signed-in browser: its cookie header and the session's CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

impl Session {
    /// A form POST as this browser sends it: its cookie, and its CSRF token before `fields`
    /// (`a=1&b=2`, already encoded; "" for none), so that a test says only what it posts.
    pub fn form(&self, uri: &str, fields: &str) -> Request<Body> {
        let body =
            if fields.is_empty() { format!("csrf={}", self.csrf) } else { format!("csrf={}&{fields}", self.csrf) };
        form(uri, &self.cookie, &body)
    }
}

/// Sends `req` to `router` in process and reads the whole answer.
pub async fn send_to(router: &axum::Router, req: Request<Body>) -> Res {
    let res = router.clone().oneshot(req).await.unwrap();
    let (parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, 64 << 20).await.unwrap().to_vec();
    Res { status: parts.status, headers: parts.headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes }
}

/// [`TestApp::send`] as a function.
pub async fn send(app: &TestApp, req: Request<Body>) -> Res {
    app.send(req).await
}

/// A JSON request to the API of `router` with `token`; the status and the body (`Null` when
/// it is not JSON).
pub async fn api_json(
    router: &axum::Router,
    token: &str,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Request::builder().method(method).uri(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
    let body = match body {
        Some(b) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(b.to_string())
        }
        None => Body::empty(),
    };
    let res = send_to(router, req.body(body).unwrap()).await;
    (res.status, serde_json::from_slice(&res.bytes).unwrap_or(Value::Null))
}

/// A GET with a cookie header.
pub fn get(uri: &str, cookie: &str) -> Request<Body> {
    Request::get(uri).header(header::COOKIE, cookie).body(Body::empty()).unwrap()
}

/// A form POST (`application/x-www-form-urlencoded`) with a cookie header.
pub fn form(uri: &str, cookie: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(Body::from(body.to_owned()))
        .unwrap()
}

/// A file in a multipart form: its field, file name, content type ("" for none) and bytes.
pub type FilePart<'a> = (&'a str, &'a str, &'a str, &'a [u8]);

/// A `multipart/form-data` body as a browser sends it, the text fields first, then the files;
/// the value of its Content-Type header, and its bytes.
pub fn multipart(fields: &[(&str, &str)], files: &[FilePart]) -> (String, Vec<u8>) {
    let b = "XBOUNDARYX";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(format!("--{b}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").bytes());
    }
    for (field, file, content_type, bytes) in files {
        body.extend(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file}\"\r\n").bytes(),
        );
        if !content_type.is_empty() {
            body.extend(format!("Content-Type: {content_type}\r\n").bytes());
        }
        body.extend(b"\r\n");
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{b}--\r\n").bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

/// A POST of the multipart form `fields` and `files` to `uri`, with a cookie header (none if "").
pub fn multipart_post(uri: &str, cookie: &str, fields: &[(&str, &str)], files: &[FilePart]) -> Request<Body> {
    let (content_type, body) = multipart(fields, files);
    let mut req = Request::post(uri).header(header::CONTENT_TYPE, content_type);
    if !cookie.is_empty() {
        req = req.header(header::COOKIE, cookie);
    }
    req.body(Body::from(body)).unwrap()
}

/// The value of `name="csrf"` in a page.
pub fn csrf_in(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a form with a CSRF token") + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

/// `s` percent-encoded for a form body or a query: everything but ASCII letters and digits.
pub fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}
