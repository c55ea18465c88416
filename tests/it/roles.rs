//! Roles (issue 20): every route of the service (console, API, public) × every role (admin,
//! issuer, viewer, signed out), allowed or refused as the roles are defined, through the real
//! router in process. The table here is written from the definition of the roles, not copied
//! from `web::access`; and it must name every route the source declares, so a route added
//! without a row here fails `every_route_of_the_source_is_in_the_table`.
//!
//! Also: an installation from before roles makes its accounts admins, tokens never act above
//! their owner, and the audit names the account and its role.

use crate::harness;

use std::collections::BTreeSet;
use std::path::Path;

use attest::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use harness::TestApp;
use tower::ServiceExt;

/// Who a row lets in: anyone, or staff with at least this role.
#[derive(Debug, Clone, Copy)]
enum Who {
    Anyone,
    AtLeast(Role),
}
use Who::{Anyone, AtLeast};
const V: Who = AtLeast(Role::Viewer);
const I: Who = AtLeast(Role::Issuer);
const A: Who = AtLeast(Role::Admin);

/// Every route: method, path template as the source declares it, and who may call it, from the
/// issue's definition: viewers read, issuers change events and certificates (and print), admins
/// change designs and the organisation profile.
const TABLE: &[(&str, &str, Who)] = &[
    ("GET", "/", Anyone),
    ("GET", "/v/{token}", Anyone),
    ("GET", "/verify", Anyone),
    ("POST", "/verify/code", Anyone),
    ("POST", "/verify/pdf", Anyone),
    ("GET", "/.well-known/jwks.json", Anyone),
    ("GET", "/.well-known/did.json", Anyone),
    ("GET", "/status/{list}", Anyone),
    ("GET", "/credentials/{id}", Anyone),
    ("GET", "/pdf-root.pem", Anyone),
    ("GET", "/pdf-root.cer", Anyone),
    ("GET", "/request", Anyone),
    ("POST", "/request", Anyone),
    ("GET", "/download/{token}", Anyone),
    ("POST", "/download/{token}", Anyone),
    ("GET", "/healthz", Anyone),
    ("GET", "/readyz", Anyone),
    ("GET", "/metrics", Anyone),
    ("GET", "/static/site.css", Anyone),
    ("GET", "/staff", Anyone),
    ("GET", "/staff/login", Anyone),
    ("POST", "/staff/login", Anyone),
    ("GET", "/staff/login/oidc", Anyone),
    ("GET", "/staff/login/oidc/callback", Anyone),
    ("POST", "/staff/logout", V),
    ("GET", "/staff/setup/{link}", Anyone),
    ("POST", "/staff/setup/{link}", Anyone),
    ("GET", "/staff/language/{code}", Anyone),
    ("GET", "/staff/audit", V),
    ("GET", "/staff/events", V),
    ("POST", "/staff/events", I),
    ("GET", "/staff/events/new", I),
    ("GET", "/staff/events/{slug}", V),
    ("GET", "/staff/events/{slug}/edit", I),
    ("POST", "/staff/events/{slug}/edit", I),
    ("POST", "/staff/events/{slug}/uploads", I),
    ("POST", "/staff/events/{slug}/uploads/answer", I),
    ("GET", "/staff/events/{slug}/attendance", V),
    ("POST", "/staff/events/{slug}/override", I),
    ("POST", "/staff/events/{slug}/link", I),
    ("POST", "/staff/events/{slug}/split", I),
    ("GET", "/staff/events/{slug}/issue", V),
    ("POST", "/staff/events/{slug}/issue", I),
    ("GET", "/staff/events/{slug}/redesign", V),
    ("POST", "/staff/events/{slug}/redesign", I),
    ("GET", "/staff/events/{slug}/certificates", V),
    ("GET", "/staff/events/{slug}/certificates.zip", V),
    ("GET", "/staff/events/{slug}/certificates.pdf", I),
    ("GET", "/staff/events/{slug}/delivery", V),
    ("POST", "/staff/events/{slug}/delivery", I),
    ("POST", "/staff/events/{slug}/delivery/resend", I),
    ("GET", "/staff/events/{slug}/design", I),
    ("POST", "/staff/events/{slug}/design", I),
    ("GET", "/staff/certificates/{id}", V),
    ("GET", "/staff/certificates/{id}/pdf", V),
    ("POST", "/staff/certificates/{id}/revoke", I),
    ("POST", "/staff/certificates/{id}/reissue", I),
    ("GET", "/staff/series", V),
    ("POST", "/staff/series", I),
    ("GET", "/staff/series/{slug}", V),
    ("POST", "/staff/series/{slug}/events", I),
    ("POST", "/staff/series/{slug}/events/remove", I),
    ("POST", "/staff/series/{slug}/rule", I),
    ("POST", "/staff/series/{slug}/links", I),
    ("POST", "/staff/series/{slug}/links/remove", I),
    ("POST", "/staff/series/{slug}/issue", I),
    ("GET", "/staff/designs", V),
    ("POST", "/staff/designs", A),
    ("GET", "/staff/designs/{id}", V),
    ("POST", "/staff/designs/{id}", A),
    ("GET", "/staff/designs/{id}/preview.png", V),
    ("GET", "/staff/designs/images/{file}", V),
    ("GET", "/staff/organisation", V),
    ("POST", "/staff/organisation", A),
    ("GET", "/api/v1/openapi.json", Anyone),
    ("*", "/api/v1/{*rest}", Anyone),
    ("GET", "/api/v1/audit", V),
    ("GET", "/api/v1/events", V),
    ("POST", "/api/v1/events", I),
    ("GET", "/api/v1/events/{slug}", V),
    ("PUT", "/api/v1/events/{slug}", I),
    ("POST", "/api/v1/events/{slug}/imports", I),
    ("GET", "/api/v1/events/{slug}/attendance", V),
    ("POST", "/api/v1/events/{slug}/overrides", I),
    ("POST", "/api/v1/events/{slug}/links", I),
    ("POST", "/api/v1/events/{slug}/splits", I),
    ("GET", "/api/v1/events/{slug}/certificates", V),
    ("POST", "/api/v1/events/{slug}/certificates", I),
    ("POST", "/api/v1/events/{slug}/redesign", I),
    ("GET", "/api/v1/events/{slug}/certificates.zip", V),
    ("GET", "/api/v1/events/{slug}/certificates.pdf", I),
    ("GET", "/api/v1/events/{slug}/deliveries", V),
    ("POST", "/api/v1/events/{slug}/deliveries", I),
    ("PUT", "/api/v1/events/{slug}/design", I),
    ("GET", "/api/v1/certificates/{id}", V),
    ("GET", "/api/v1/certificates/{id}/pdf", V),
    ("GET", "/api/v1/certificates/{id}/credential", V),
    ("POST", "/api/v1/certificates/{id}/revoke", I),
    ("POST", "/api/v1/certificates/{id}/reissue", I),
    ("POST", "/api/v1/certificates/{id}/delivery", I),
    ("GET", "/api/v1/series", V),
    ("POST", "/api/v1/series", I),
    ("GET", "/api/v1/series/{slug}", V),
    ("PUT", "/api/v1/series/{slug}/rule", I),
    ("PUT", "/api/v1/series/{slug}/events/{event}", I),
    ("DELETE", "/api/v1/series/{slug}/events/{event}", I),
    ("GET", "/api/v1/series/{slug}/decisions", V),
    ("GET", "/api/v1/series/{slug}/links", V),
    ("POST", "/api/v1/series/{slug}/links", I),
    ("DELETE", "/api/v1/series/{slug}/links/{a}/{b}", I),
    ("GET", "/api/v1/series/{slug}/certificates", V),
    ("POST", "/api/v1/series/{slug}/certificates", I),
    ("GET", "/api/v1/designs", V),
    ("POST", "/api/v1/designs", A),
    ("GET", "/api/v1/designs/{id}", V),
    ("PUT", "/api/v1/designs/{id}", A),
    ("GET", "/api/v1/designs/{id}/preview", V),
    ("POST", "/api/v1/design-images", A),
    ("GET", "/api/v1/organisation", V),
    ("PUT", "/api/v1/organisation", A),
];

/// Every route the source declares: `.route("PATH", get(..).post(..))` in `src/web` and
/// `#[utoipa::path(METHOD, path = "PATH" ..)]` on the API's handlers. Read from the text, because
/// an axum router cannot list its routes; the API's half is also checked against the OpenAPI
/// document the running router serves.
fn declared_routes() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let mut files = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/web")];
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if p.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let src = std::fs::read_to_string(&p).unwrap();
        let mut rest = src.as_str();
        while let Some(at) = rest.find(".route(") {
            let stmt = balanced(&rest[at + ".route".len()..]);
            let path = first_literal(stmt);
            for m in methods_in(stmt) {
                found.insert((m, path.clone()));
            }
            rest = &rest[at + 1..];
        }
        let mut rest = src.as_str();
        while let Some(at) = rest.find("utoipa::path(") {
            let attr = balanced(&rest[at + "utoipa::path".len()..]);
            let method = attr[1..].split(',').next().unwrap().trim().to_ascii_uppercase();
            let path = first_literal(&attr[attr.find("path =").unwrap()..]);
            found.insert((method, path));
            rest = &rest[at + 1..];
        }
    }
    found
}

/// `(...)` from its opening parenthesis to the matching one (string literals skipped).
fn balanced(s: &str) -> &str {
    let (mut depth, mut in_str, mut prev) = (0, false, ' ');
    for (i, c) in s.char_indices() {
        match c {
            '"' if prev != '\\' => in_str = !in_str,
            '(' if !in_str => depth += 1,
            ')' if !in_str => {
                depth -= 1;
                if depth == 0 {
                    return &s[..=i];
                }
            }
            _ => {}
        }
        prev = c;
    }
    panic!("unbalanced: {}", &s[..s.len().min(80)]);
}

fn first_literal(s: &str) -> String {
    let start = s.find('"').unwrap() + 1;
    s[start..start + s[start..].find('"').unwrap()].to_owned()
}

/// The HTTP methods of a `.route(...)` statement: `get(`, `.post(`, `routing::any(` … at the top
/// level of its method router.
fn methods_in(stmt: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (name, method) in [("get", "GET"), ("post", "POST"), ("put", "PUT"), ("delete", "DELETE"), ("any", "*")] {
        let pat = format!("{name}(");
        let mut from = 0;
        while let Some(i) = stmt[from..].find(&pat) {
            let i = from + i;
            let before = stmt[..i].chars().last().unwrap_or(' ');
            if !before.is_alphanumeric() && before != '_' {
                out.push(method.to_owned());
            }
            from = i + 1;
        }
    }
    out
}

#[test]
fn every_route_of_the_source_is_in_the_table() {
    let declared = declared_routes();
    let table: BTreeSet<(String, String)> = TABLE.iter().map(|(m, p, _)| (m.to_string(), p.to_string())).collect();
    assert_eq!(table.len(), TABLE.len(), "a route is twice in the table");
    let missing: Vec<_> = declared.difference(&table).collect();
    assert!(missing.is_empty(), "routes without a row in tests/roles.rs's TABLE (and web::access::RULES): {missing:?}");
    let gone: Vec<_> = table.difference(&declared).collect();
    assert!(gone.is_empty(), "rows for routes the source no longer declares: {gone:?}");
    assert!(declared.len() > 100, "the source scan found only {} routes", declared.len());
}

/// The service and, per role, a staff account's session cookie and CSRF token and its API token.
struct App {
    app: TestApp,
    signed: Vec<(Role, String, String, String)>,
}

impl std::ops::Deref for App {
    type Target = TestApp;
    fn deref(&self) -> &TestApp {
        &self.app
    }
}

fn app() -> App {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let mut signed = Vec::new();
    {
        let conn = harness::open_db(&db);
        let now = chrono::Utc::now();
        for role in Role::ALL {
            let email = format!("{role}@coe.int");
            let (m, _) = attest::staff::add(&conn, &email, role, "test", now).unwrap();
            attest::store::staff::set_password(
                &conn,
                m.id,
                &attest::staff::hash_password("a long staff password").unwrap(),
            )
            .unwrap();
            let (_, s) =
                attest::staff::login(&conn, &email, "a long staff password", now).unwrap().signed_in().unwrap();
            let token = attest::staff::create_token(&conn, &email, "t", None, "test", now).unwrap();
            signed.push((role, s.cookie.expose().to_owned(), s.csrf, token.expose().to_owned()));
        }
    }
    let app = TestApp::on(dir, db).config(|c| c.code_lookups_per_minute = 100).build();
    App { app, signed }
}

/// What the access check made of a request.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Reached the handler (which may still answer 404, 422, or 403 for a stale CSRF token).
    Through,
    /// Refused for the role: 403 with the role page or the API's role error.
    Refused,
    /// Sent to sign in (console) or 401 (API).
    SignIn,
    /// Refused to everyone because `web::access::RULES` has no row for the route.
    NoRule,
}

async fn outcome(app: &App, method: &str, uri: &str, who: Option<&(Role, String, String, String)>) -> Outcome {
    let method = if method == "*" { "PATCH" } else { method };
    let mut req = Request::builder().method(method).uri(uri);
    if let Some((_, cookie, _, token)) = who {
        if uri.starts_with("/api/") {
            req = req.header(header::AUTHORIZATION, format!("Bearer {token}"));
        } else {
            req = req.header(header::COOKIE, format!("attest_session={cookie}"));
        }
    }
    // Forms carry a wrong CSRF token: a handler reached refuses them itself (403, "form expired"),
    // so nothing changes while the walk goes on (sign-out included).
    let req = if method == "GET" {
        req.body(Body::empty()).unwrap()
    } else {
        req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded").body(Body::from("csrf=stale")).unwrap()
    };
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let location = res.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let body = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
    let body = String::from_utf8_lossy(&body);
    if status == StatusCode::UNAUTHORIZED && uri.starts_with("/api/")
        || status.is_redirection() && location.starts_with("/staff/login")
    {
        return Outcome::SignIn;
    }
    if status == StatusCode::FORBIDDEN && body.contains("no access rule") {
        return Outcome::NoRule;
    }
    if status == StatusCode::FORBIDDEN
        && (body.contains("Your role does not allow this") || body.contains("role; the token acts as"))
    {
        return Outcome::Refused;
    }
    Outcome::Through
}

fn concrete(template: &str) -> String {
    template
        .replace("{*rest}", "no/such/thing")
        .replace("{slug}", "no-such-event")
        .replace("{event}", "no-such-event")
        .replace("{id}", "1")
        .replace("{code}", "fr")
        .replace("{token}", "x")
        .replace("{list}", "1")
        .replace("{link}", "x")
        .replace("{file}", "x.png")
        .replace("{a}", "a@example.org")
        .replace("{b}", "b@example.org")
}

#[tokio::test]
async fn every_route_allows_or_refuses_each_role_as_the_roles_say() {
    let app = app();
    let mut wrong = Vec::new();
    for (method, template, who) in TABLE {
        let uri = concrete(template);
        for caller in [None, Some(Role::Viewer), Some(Role::Issuer), Some(Role::Admin)] {
            let signed = caller.map(|r| app.signed.iter().find(|s| s.0 == r).unwrap());
            let expected = match (who, caller) {
                (Anyone, _) => Outcome::Through,
                (AtLeast(_), None) => Outcome::SignIn,
                (AtLeast(need), Some(r)) if r >= *need => Outcome::Through,
                (AtLeast(_), Some(_)) => Outcome::Refused,
            };
            let got = outcome(&app, method, &uri, signed).await;
            if got != expected {
                wrong.push(format!("{method} {uri} as {caller:?}: expected {expected:?}, got {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong:\n{}", wrong.len(), wrong.join("\n"));
}

/// The console's forms whose token is read from a multipart body, after the files: refused with
/// a wrong token by their own handlers (`console::forms_without_the_session_token_are_refused…`).
const MULTIPART_FORMS: &[&str] = &["/staff/events/{slug}/uploads", "/staff/designs/{id}"];

/// A wrong token and every field a console form requires (a form missing one is refused for its
/// shape first, 422, as axum's `Form` refuses it): so the token is what each refuses.
const FORGED_FORM: &str = "csrf=stale&reason=r&name=n&language=en&event=e&design=&certificate=c&mode=new\
    &pending=p&timezone=UTC&issuer=i&issuer_short=s&default_design=";

/// Every other console form, posted by an admin with a token that is not the session's, is
/// refused as forged (403, "did not come from this site") before its handler reads anything:
/// the check is the `StaffForm` extractor's, so a new form cannot leave it out. Sign-in and
/// account setup come before a session and check their own double-submit token.
#[tokio::test]
async fn every_console_form_refuses_a_token_that_is_not_the_sessions() {
    let app = app();
    let (_, cookie, _, _) = app.signed.iter().find(|s| s.0 == Role::Admin).unwrap();
    let mut through = Vec::new();
    let forms = TABLE.iter().filter(|(m, p, who)| {
        *m == "POST" && p.starts_with("/staff/") && !matches!(who, Anyone) && !MULTIPART_FORMS.contains(p)
    });
    for (_, template, _) in forms {
        let req = Request::post(concrete(template))
            .header(header::COOKIE, format!("attest_session={cookie}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(FORGED_FORM))
            .unwrap();
        let res = app.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), 64 << 20).await.unwrap();
        if status != StatusCode::FORBIDDEN || !String::from_utf8_lossy(&body).contains("did not come from this site") {
            through.push(format!("POST {template}: {status}"));
        }
    }
    assert!(through.is_empty(), "forms not refused for their token:\n{}", through.join("\n"));
}

#[tokio::test]
async fn the_openapi_document_lists_the_api_rows_and_a_403_where_a_role_can_be_refused() {
    let app = app();
    let res =
        app.router.clone().oneshot(Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await.unwrap();
    let doc: serde_json::Value =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 16 << 20).await.unwrap()).unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let method = method.to_ascii_uppercase();
            let row = TABLE.iter().find(|(m, p, _)| *m == method && p == path);
            let Some((_, _, who)) = row else { panic!("{method} {path} is documented but not in the table") };
            let has_403 = op["responses"].get("403").is_some();
            let can_refuse = matches!(who, AtLeast(r) if *r > Role::Viewer);
            assert_eq!(
                has_403, can_refuse,
                "{method} {path}: 403 documented {has_403}, role can be refused {can_refuse}"
            );
            documented.insert((method, path.clone()));
        }
    }
    let api_rows =
        TABLE.iter().filter(|(_, p, _)| p.starts_with("/api/v1/") && !p.contains("{*") && !p.ends_with("openapi.json"));
    for (m, p, _) in api_rows {
        assert!(documented.contains(&(m.to_string(), p.to_string())), "{m} {p} is served but not documented");
    }
}

#[tokio::test]
async fn a_token_made_below_its_owner_is_refused_what_the_owner_could_do() {
    let app = app();
    let conn = harness::open_db(&app.db);
    let low = attest::staff::create_token(
        &conn,
        "admin@coe.int",
        "read-only",
        Some(Role::Viewer),
        "test",
        chrono::Utc::now(),
    )
    .unwrap();
    let who = (Role::Viewer, String::new(), String::new(), low.expose().to_owned());
    assert_eq!(outcome(&app, "GET", "/api/v1/events", Some(&who)).await, Outcome::Through);
    assert_eq!(outcome(&app, "POST", "/api/v1/events", Some(&who)).await, Outcome::Refused);
    assert_eq!(outcome(&app, "PUT", "/api/v1/organisation", Some(&who)).await, Outcome::Refused);
    // And an issuer moved down to viewer loses the issuer's rights at once, session and token.
    attest::staff::set_role(&conn, "issuer@coe.int", Role::Viewer, "test", chrono::Utc::now()).unwrap();
    let issuer = app.signed.iter().find(|s| s.0 == Role::Issuer).unwrap();
    assert_eq!(outcome(&app, "POST", "/staff/events", Some(issuer)).await, Outcome::Refused);
    assert_eq!(outcome(&app, "POST", "/api/v1/events", Some(issuer)).await, Outcome::Refused);
}

#[tokio::test]
async fn the_audit_names_the_account_and_the_role_it_acted_with() {
    let app = app();
    let issuer = app.signed.iter().find(|s| s.0 == Role::Issuer).unwrap();
    let req = Request::post("/api/v1/events")
        .header(header::AUTHORIZATION, format!("Bearer {}", issuer.3))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"slug":"echr-2026","title":"Freedom of expression","timezone":"Europe/Paris"}"#))
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let admin = app.signed.iter().find(|s| s.0 == Role::Admin).unwrap();
    let req = Request::get("/api/v1/audit")
        .header(header::AUTHORIZATION, format!("Bearer {}", admin.3))
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    let entries: Vec<serde_json::Value> =
        serde_json::from_slice(&axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap()).unwrap();
    let created = entries.iter().find(|e| e["subject"] == "echr-2026").expect("the event's creation is audited");
    assert_eq!(created["actor"], "issuer@coe.int");
    assert_eq!(created["role"], "issuer");
}

#[test]
fn accounts_from_before_roles_become_admins() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        // A database from before roles (migration 11: before 0012 too, which it also gets).
        let conn = harness::app::open_db_at_version(&path, 11);
        conn.execute_for_tests(
            "INSERT INTO staff (email, created_at) VALUES ('old@coe.int', '2025-01-01T00:00:00Z')",
            (),
        )
        .unwrap();
        conn.execute_for_tests(
            "INSERT INTO api_tokens (token_sha256, staff_id, label, created_at) VALUES ('x', 1, 'old', '2025-01-01T00:00:00Z')",
            (),
        )
        .unwrap();
    }
    let conn = harness::open_db(&path);
    let acct = attest::store::staff::by_email(&conn, "old@coe.int").unwrap().unwrap();
    assert_eq!(acct.role, Role::Admin);
    // The old token acts with its owner's role.
    let (_, ceiling) = attest::store::staff::token(&conn, "x", harness::now()).unwrap().unwrap();
    assert_eq!(ceiling, None);
}

#[test]
fn staff_add_gives_the_role_asked_for_and_staff_role_changes_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("attest.sqlite3");
    let run = |args: &[&str]| {
        let out =
            std::process::Command::new(env!("CARGO_BIN_EXE_attest")).args(args).env("ATTEST_DB", &db).output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
        )
    };
    // The installation is set up first (`serve` or `migrate`): `staff add` makes no database.
    assert!(run(&["migrate"]).0);
    assert!(run(&["staff", "add", "intern@coe.int", "--role", "viewer"]).0);
    assert!(run(&["staff", "add", "officer@coe.int"]).0);
    let (ok, out) = run(&["staff", "add", "x@coe.int", "--role", "boss"]);
    assert!(!ok && out.contains("boss") && out.contains("admin, issuer or viewer"), "{out}");
    let list = run(&["staff", "list"]).1;
    let role_of =
        |email: &str| list.lines().find(|l| l.contains(email)).unwrap().split_whitespace().nth(1).unwrap().to_owned();
    assert_eq!(role_of("intern@coe.int"), "viewer");
    assert_eq!(role_of("officer@coe.int"), "issuer", "issuer is the default");
    assert!(run(&["staff", "role", "intern@coe.int", "issuer"]).0);
    // A token is made with the account's role, never above it.
    let (ok, out) = run(&["staff", "token", "intern@coe.int", "--role", "admin"]);
    assert!(!ok && out.contains("higher role"), "{out}");
    let list = run(&["staff", "list"]).1;
    assert_eq!(list.lines().find(|l| l.contains("intern@coe.int")).unwrap().split_whitespace().nth(1), Some("issuer"));
    let conn = harness::open_db(&db);
    let audited: String =
        conn.row_for_tests("SELECT detail FROM audit WHERE action = 'staff.role'", (), |r| r.get(0)).unwrap();
    assert_eq!(audited, "viewer -> issuer");
}

#[tokio::test]
async fn with_password_sign_in_switched_off_the_form_is_gone_and_a_post_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let link = {
        let conn = harness::open_db(&db);
        let (_, link) = attest::staff::add(&conn, "a@coe.int", Role::Admin, "test", chrono::Utc::now()).unwrap();
        link.expose().to_owned()
    };
    let app = TestApp::on(dir, db).pool(1).sign_in(None, false).build();
    let router = app.router.clone();
    let page = router.clone().oneshot(Request::get("/staff/login").body(Body::empty()).unwrap()).await.unwrap();
    let page = String::from_utf8(axum::body::to_bytes(page.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    assert!(!page.contains("type=\"password\""), "{page}");
    for uri in ["/staff/login".to_owned(), format!("/staff/setup/{link}")] {
        let post = Request::post(&uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("csrf=x&email=a%40coe.int&password=a+long+staff+password&repeat=a+long+staff+password"))
            .unwrap();
        let res = router.clone().oneshot(post).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{uri}");
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("switched off"), "{uri}");
    }
}

/// A console page as `role` sees it.
async fn page_as(app: &App, role: Role, uri: &str) -> String {
    let (_, cookie, _, _) = app.signed.iter().find(|s| s.0 == role).unwrap();
    let res = harness::app::send(app, harness::app::get(uri, &format!("attest_session={cookie}"))).await;
    assert_eq!(res.status, StatusCode::OK, "{uri} as {role}: {}", res.body);
    res.body
}

/// Pages offer only what the signed-in role may do (probe 19, finding 13: a viewer saw "Upload
/// and import", "Issue N certificates" and the revoke and reissue forms, each answering 403),
/// and a viewer still sees what they may read; an issuer sees the actions.
#[tokio::test]
async fn pages_offer_a_viewer_no_action_and_an_issuer_the_actions_of_the_role() {
    let app = app();
    let keys = harness::app::keys_for(&app.db);
    let cert: String = {
        let mut db = harness::Db::at(&app.db);
        db.webinar("open", &keys);
        db.issued_webinar("done", &keys);
        db.conn.row_for_tests("SELECT id FROM certificates WHERE status = 'valid' LIMIT 1", (), |r| r.get(0)).unwrap()
    };
    let pages = [
        (
            "/staff/events/open".to_owned(),
            vec![
                "action=\"/staff/events/open/uploads\"",
                "action=\"/staff/events/open/issue\"",
                "href=\"/staff/events/open/edit\"",
                "href=\"/staff/events/open/design\"",
            ],
            vec!["href=\"/staff/events/open/attendance\"", "href=\"/staff/events/open/certificates\""],
        ),
        (
            "/staff/events/done".to_owned(),
            vec!["href=\"/staff/events/done/certificates.pdf\"", "Send by email"],
            vec!["href=\"/staff/events/done/certificates.zip\"", "href=\"/staff/events/done/delivery\""],
        ),
        (format!("/staff/certificates/{cert}"), vec!["/reissue\"", "/revoke\""], vec!["/pdf\"", "href=\"/v/"]),
        ("/staff/events".to_owned(), vec!["href=\"/staff/events/new\""], vec!["href=\"/staff/events/open\""]),
        ("/staff/events/open/attendance".to_owned(), vec!["action=\"/staff/events/open/override\""], vec!["<table"]),
        ("/staff/events/done/delivery".to_owned(), vec!["action=\"/staff/events/done/delivery\""], vec!["<table"]),
        ("/staff/series".to_owned(), vec!["action=\"/staff/series\""], vec!["<h1>"]),
    ];
    for (uri, actions, reads) in &pages {
        let viewer = page_as(&app, Role::Viewer, uri).await;
        let issuer = page_as(&app, Role::Issuer, uri).await;
        for a in actions {
            assert!(!viewer.contains(a), "a viewer is offered {a} on {uri}");
            assert!(issuer.contains(a), "an issuer is not offered {a} on {uri}");
        }
        for r in reads {
            assert!(viewer.contains(r), "a viewer no longer sees {r} on {uri}");
        }
    }
    // Designs and the organisation are an admin's: an issuer reads them without their buttons.
    let org = page_as(&app, Role::Issuer, "/staff/organisation").await;
    assert!(org.contains("name=\"issuer\"") && !org.contains("Save organisation"), "{org}");
    assert!(page_as(&app, Role::Admin, "/staff/organisation").await.contains("Save organisation"));
    assert!(!page_as(&app, Role::Issuer, "/staff/designs").await.contains("action=\"/staff/designs\""));
}
