//! The JSON API under `/api/v1`, in process: every documented route refuses requests without a
//! valid bearer token, the OpenAPI document lists exactly the routes that exist, and a script can
//! do what staff do in the console (create, import, answer the date question, decide,
//! override, issue, download, revoke, reissue, read the audit log).

use crate::harness;

use attest::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use harness::TestApp;
use serde_json::{Value, json};

/// The bearer token of `/metrics` in these tests.
const METRICS_TOKEN: &str = "metrics-token-for-tests";

/// The service with issuing, one admin ("ops@coe.int", never signed in) and their API token.
fn app() -> TestApp {
    TestApp::new().issuing().staff("ops@coe.int", Role::Admin, None).token().metrics_token(METRICS_TOKEN).build()
}

async fn call(app: &TestApp, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app.send(req).await;
    (res.status, res.headers, res.bytes)
}

fn import_request(app: &TestApp, slug: &str, file: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Request<Body> {
    let (content_type, body) = harness::multipart(fields, &[("files", file, "", bytes)]);
    Request::post(format!("/api/v1/events/{slug}/imports"))
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn every_documented_route_exists_and_requires_a_token() {
    let app = app();
    let (status, headers, bytes) = call(&app, Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let paths = doc["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            operations += 1;
            let uri = path.replace("{slug}", "some-event").replace("{id}", "SOMEID").replace("{event}", "some-event");
            for auth in [None, Some("Bearer attest_forged"), Some("Basic b3BzOnB3")] {
                let mut req = Request::builder().method(method.to_uppercase().as_str()).uri(&uri);
                if let Some(a) = auth {
                    req = req.header(header::AUTHORIZATION, a);
                }
                let (status, headers, body) = call(&app, req.body(Body::empty()).unwrap()).await;
                // 401, not 404 or 405: the documented route is there, and it is closed.
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path} with {auth:?}");
                assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
                let body: Value = serde_json::from_slice(&body).unwrap();
                assert!(body["error"].as_str().unwrap().contains("Bearer"));
            }
        }
    }
    // Everything the console does: events (4), import, attendance, override, link, split,
    // issue, list, zip, print file, one certificate, its PDF, its credential, revoke, reissue,
    // audit; delivery by email (3): start, progress, resend one; series (12): list, create, one,
    // rule, add and remove an event, decisions, links (list, make, take back), issue, list;
    // designs (9): list, create, one,
    // save, upload an image, preview, the organisation (read, save), an event's design, and its
    // certificates reissued with it.
    assert_eq!(operations, 44, "{:?}", paths.keys().collect::<Vec<_>>());
    // The token is stored only as its hash.
    let conn = harness::open_db(&app.db);
    let raw: i64 = conn
        .row_for_tests("SELECT count(*) FROM api_tokens WHERE token_sha256 = ?1", [&app.token], |r| r.get(0))
        .unwrap();
    assert_eq!(raw, 0);
}

#[tokio::test]
async fn a_script_runs_a_webinar_through_the_api() {
    let app = app();
    create_an_event(&app).await;
    import_and_correct(&app).await;
    issue_all(&app).await;
    let (certs, id) = download_everything(&app).await;
    revoke_and_reissue(&app, &certs, &id).await;
    audit_names_every_step(&app).await;
}

/// An event, and the errors a script gets for a duplicate or a missing one.
async fn create_an_event(app: &TestApp) {
    let (status, ev) = app
        .json(
            "POST",
            "/api/v1/events",
            Some(
                json!({"slug": "echr", "title": "Freedom of expression", "timezone": "Europe/Paris", "language": "en"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ev}");
    assert_eq!(ev["rule"], "min_percent");
    assert_eq!(ev["rule_value"], 75);
    let (status, err) = app.json("POST", "/api/v1/events", Some(json!({"slug": "echr", "title": "Again"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    let (status, err) = app.json("GET", "/api/v1/events/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(err["error"].as_str().unwrap().contains("nope"));
    // The year 0 was stored (answered 500), then could not be read back, and every list of
    // events failed with it; a title with a line break would break every certificate's layout.
    for bad in [
        json!({"slug": "y0", "title": "Year zero", "timezone": "Europe/Paris", "starts": "0000-01-01T00:00", "ends": "0000-01-01T01:40"}),
        json!({"slug": "y0", "title": "Two\nlines", "timezone": "Europe/Paris"}),
        // A field the API does not have (a typo of `starts`) was ignored: an event without a time.
        json!({"slug": "y0", "title": "Typo", "timezone": "Europe/Paris", "starts_at": "2025-03-14T10:00"}),
    ] {
        let (status, err) = app.json("POST", "/api/v1/events", Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    }
    // A query parameter the operation does not have (`dryrun` for `dry_run`) was ignored, and
    // the certificates issued for real.
    let (status, err) = app.json("POST", "/api/v1/events/echr/certificates?dryrun=true", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert!(err["error"].as_str().unwrap().contains("dryrun"), "{err}");
    let (status, list) = app.json("GET", "/api/v1/events", None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert!(!list.to_string().contains("\"y0\""), "{list}");
}

/// An export imported, the decisions read, one overridden, a link to nobody refused.
async fn import_and_correct(app: &TestApp) {
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let (status, _, body) = call(app, import_request(app, "echr", "report.csv", &csv, &[])).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let out: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(out[0]["status"], "imported");
    assert_eq!(out[0]["report"]["connections"], 16);

    let (_, people) = app.json("GET", "/api/v1/events/echr/attendance", None).await;
    let people = people.as_array().unwrap();
    let zaneta = people.iter().find(|p| p["name"] == "Żaneta Wójcik").unwrap();
    assert_eq!(zaneta["eligible"], true);
    assert!(zaneta["attended_seconds"].as_i64().unwrap() > 100 * 60);
    // José's decision, set by staff: `true`, `false`, or `"auto"` to take it back.
    let decide_jose = |eligible: Value, reason: &str| {
        let body = json!({"person": "jose.nunez@example.es", "eligible": eligible, "reason": reason});
        app.json("POST", "/api/v1/events/echr/overrides", Some(body))
    };
    let (status, jose) = decide_jose(json!(true), "joined by phone").await;
    assert_eq!(status, StatusCode::OK, "{jose}");
    assert_eq!((jose["eligible"].clone(), jose["overridden"].clone()), (json!(true), json!(true)));
    // Taken back with "auto", and given again: the decision follows the attendance in between.
    let (status, back) = decide_jose(json!("auto"), "mistake").await;
    assert_eq!(status, StatusCode::OK, "{back}");
    assert_eq!(back["overridden"], json!(false), "{back}");
    let (status, err) = decide_jose(json!("maybe"), "r").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    // Said in the API's words, not the type's (`untagged enum EligibleIn`).
    assert!(err["error"].as_str().unwrap().contains("true, false or \"auto\""), "{err}");
    let (status, jose) = decide_jose(json!(true), "joined by phone").await;
    assert_eq!((status, jose["overridden"].clone()), (StatusCode::OK, json!(true)));
    let (status, err) = app
        .json(
            "POST",
            "/api/v1/events/echr/links",
            Some(json!({"a": "email:nobody@example.org", "b": "name:x", "reason": "r"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"].as_str().unwrap().contains("no person"));
}

/// Nothing to print before issuing; a dry run, the issue, and a second one that issues nothing.
async fn issue_all(app: &TestApp) {
    let (status, err) = app.json("GET", "/api/v1/events/echr/certificates.pdf", None).await;
    assert_eq!(status, StatusCode::CONFLICT, "nothing to print before issuing: {err}");
    assert!(err["error"].as_str().unwrap().contains("no valid certificates"));
    let (_, dry) = app.json("POST", "/api/v1/events/echr/certificates?dry_run=true", None).await;
    assert_eq!((dry["issued"].clone(), dry["dry_run"].clone()), (json!(7), json!(true)));
    let (status, issued) = app.json("POST", "/api/v1/events/echr/certificates", None).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    assert_eq!(issued["issued"], 7);
    let (_, again) = app.json("POST", "/api/v1/events/echr/certificates", None).await;
    assert_eq!((again["issued"].clone(), again["already"].clone()), (json!(0), json!(7)));
}

/// The list, one certificate, its PDF, the ZIP and the print file (with its refusals); returns the list and the certificate's id.
async fn download_everything(app: &TestApp) -> (Vec<Value>, String) {
    let (_, certs) = app.json("GET", "/api/v1/events/echr/certificates", None).await;
    let certs = certs.as_array().unwrap();
    assert_eq!(certs.len(), 7);
    let c = certs.iter().find(|c| c["name"] == "Żaneta Wójcik").unwrap();
    assert!(c["verify_url"].as_str().unwrap().starts_with("http://127.0.0.1:8080/v/"));
    let code = c["code"].as_str().unwrap();
    let (status, one) = app.json("GET", &format!("/api/v1/certificates/{code}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["id"], c["id"]);
    let pdf = Request::get(format!("/api/v1/certificates/{}/pdf", c["id"].as_str().unwrap()))
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .body(Body::empty())
        .unwrap();
    let (status, headers, bytes) = call(app, pdf).await;
    assert_eq!((status, headers[header::CONTENT_TYPE].to_str().unwrap()), (StatusCode::OK, "application/pdf"));
    assert_eq!(attest::store::imports::sha256_hex(&bytes), c["pdf_sha256"].as_str().unwrap());
    let zip = Request::get("/api/v1/events/echr/certificates.zip")
        .header(header::AUTHORIZATION, format!("Bearer {}", app.token))
        .body(Body::empty())
        .unwrap();
    let (status, _, bytes) = call(app, zip).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap().len(), 8);
    let print = |slug: &str, auth: bool| {
        let r = Request::get(format!("/api/v1/events/{slug}/certificates.pdf"));
        let r = if auth { r.header(header::AUTHORIZATION, format!("Bearer {}", app.token)) } else { r };
        r.body(Body::empty()).unwrap()
    };
    let (status, headers, bytes) = call(app, print("echr", true)).await;
    assert_eq!((status, headers[header::CONTENT_TYPE].to_str().unwrap()), (StatusCode::OK, "application/pdf"));
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(lopdf::Document::load_mem(&bytes).unwrap().get_pages().len(), 7, "one page per valid certificate");
    assert_eq!(call(app, print("echr", false)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(call(app, print("no-such-event", true)).await.0, StatusCode::NOT_FOUND);
    (certs.clone(), c["id"].as_str().unwrap().to_owned())
}

/// A revocation and a reissue, as the API shows them.
async fn revoke_and_reissue(app: &TestApp, certs: &[Value], id: &str) {
    let (status, revoked) = app
        .json("POST", &format!("/api/v1/certificates/{id}/revoke"), Some(json!({"reason": "issued in error"})))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (revoked["status"].clone(), revoked["revoked_reason"].clone()),
        (json!("revoked"), json!("issued in error"))
    );
    let ayse = certs.iter().find(|c| c["name"] == "Ayşe Yılmaz").unwrap()["id"].as_str().unwrap().to_owned();
    let (status, new) = app
        .json("POST", &format!("/api/v1/certificates/{ayse}/reissue"), Some(json!({"name": "Ayşe Nur Yılmaz"})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{new}");
    assert_eq!(new["name"], "Ayşe Nur Yılmaz");
    let (_, old) = app.json("GET", &format!("/api/v1/certificates/{ayse}"), None).await;
    assert_eq!((old["status"].clone(), old["superseded_by"].clone()), (json!("superseded"), new["id"].clone()));
}

/// The audit log names every step and the token's account.
async fn audit_names_every_step(app: &TestApp) {
    let (_, audit) = app.json("GET", "/api/v1/audit?limit=50", None).await;
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|a| a["action"].as_str().unwrap()).collect();
    for a in harness::LIFECYCLE_ACTIONS {
        assert!(actions.contains(&a), "{a}: {actions:?}");
    }
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["action"] == "certificate.revoke")
            .all(|a| a["actor"] == "ops@coe.int")
    );
}

#[tokio::test]
async fn an_undecidable_file_is_refused_with_what_it_needs_and_then_imported() {
    let app = app();
    app.json("POST", "/api/v1/events", Some(json!({"slug": "ev", "title": "Seminar", "timezone": "Europe/Paris"})))
        .await;
    let csv = harness::fixture("meeting_report_excel_resaved_own.csv");
    let (status, _, body) = call(&app, import_request(&app, "ev", "r.csv", &csv, &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(err["needs"], "date_order");
    assert!(err["example"].as_str().unwrap().contains('/'), "{err}");
    // The next step in this form's fields, not `attest import`'s flags.
    let said = err["error"].as_str().unwrap();
    assert!(said.contains("import again with date_order=mdy or date_order=dmy") && !said.contains("--"), "{said}");
    let (status, _, body) = call(&app, import_request(&app, "ev", "r.csv", &csv, &[("date_order", "mdy")])).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let out: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(out[0]["report"]["date_order"], "mdy");
    let (status, _, _) = call(&app, import_request(&app, "ev", "r.csv", &csv, &[("date_order", "xyz")])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

/// Issue 22: headers attest does not know. The API answers with the inferred columns; once they
/// are confirmed (the console's question, or `attest import --columns`), the same file imports.
#[tokio::test]
async fn unknown_headers_are_refused_with_the_inferred_columns_then_import_once_confirmed() {
    let app = app();
    app.json("POST", "/api/v1/events", Some(json!({"slug": "lt", "title": "Seminar", "timezone": "UTC"}))).await;
    let csv = "Vardas,El. paštas,Prisijungė,Atsijungė\n\
        Ona Kazlauskienė,ona@seimas.example,2024-05-06 10:00:00,2024-05-06 11:30:00\n\
        Jonas Petraitis,jonas@seimas.example,2024-05-06 10:10:00,2024-05-06 10:40:15\n\
        Rūta Žukauskaitė,ruta@seimas.example,2024-05-06 09:55:00,2024-05-06 11:35:00\n";
    let (status, _, body) = call(&app, import_request(&app, "lt", "a.csv", csv.as_bytes(), &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(err["needs"], "columns");
    assert_eq!(err["example"], "name=1,email=2,join=3,leave=4");
    assert!(err["error"].as_str().unwrap().starts_with("a.csv: its header row (line 1)"), "{err}");
    // The whole answer a script gets: the message, the columns attest inferred, the example.
    insta::assert_json_snapshot!("unknown_headers_error", err);
    let conn = harness::open_db(&app.db);
    let header: Vec<String> = ["Vardas", "El. paštas", "Prisijungė", "Atsijungė"].map(String::from).to_vec();
    let mapping = attest::import::mapping::parse_columns_arg("name=1,email=2,join=3,leave=4").unwrap();
    let mapping: Vec<_> = mapping
        .into_iter()
        .map(|(f, c)| match c {
            attest::import::mapping::ColumnSpec::Number(n) => (f, n - 1),
            other => panic!("{other:?}"),
        })
        .collect();
    attest::store::imports::save_mapping(&conn, &header, &mapping, "staff@coe.int", chrono::Utc::now()).unwrap();
    let (status, _, body) = call(&app, import_request(&app, "lt", "a.csv", csv.as_bytes(), &[])).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let out: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(out[0]["report"]["format"], "mapped-columns");
}

/// Issue 22, item 4: an API client confirms the inferred columns itself (`columns`, or
/// `accept_inferred`); the mapping is remembered, so the next file with that header row imports
/// without them. A malformed `columns`, `date` or true/false field is a 422 naming the field.
/// A file that is not UTF-8, read in the encoding named in the `encoding` field: the guess
/// (windows-1252) read this Hungarian name `Gyõzõ`.
#[tokio::test]
async fn the_api_reads_a_file_in_the_encoding_named() {
    let app = app();
    app.json("POST", "/api/v1/events", Some(json!({"slug": "hu", "title": "Seminar", "timezone": "UTC"}))).await;
    let text = "Name (Original Name);User Email;Join Time;Leave Time;Duration (Minutes);Guest\r\n\
                Nagy Győző;gy.nagy@example.hu;14.03.2025 10:00;14.03.2025 11:30;90;No\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(text);
    let (status, _, body) = call(&app, import_request(&app, "hu", "a.csv", &bytes, &[("encoding", "cp1250")])).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let out: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(out[0]["report"]["encoding"], "windows-1250");
    let (_, people) = app.json("GET", "/api/v1/events/hu/attendance", None).await;
    assert!(people.to_string().contains("Nagy Győző"), "{people}");
}

#[tokio::test]
async fn the_api_confirms_a_mapping_itself_and_it_is_remembered() {
    let app = app();
    app.json("POST", "/api/v1/events", Some(json!({"slug": "lt", "title": "Seminar", "timezone": "UTC"}))).await;
    let csv = "Vardas,El. paštas,Prisijungė,Atsijungė\n\
        Ona Kazlauskienė,ona@seimas.example,2024-05-06 10:00:00,2024-05-06 11:30:00\n\
        Jonas Petraitis,jonas@seimas.example,2024-05-06 10:10:00,2024-05-06 10:40:15\n";
    let (status, _, body) = call(&app, import_request(&app, "lt", "a.csv", csv.as_bytes(), &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = serde_json::from_slice(&body).unwrap();
    let example = err["example"].as_str().unwrap().to_owned();
    assert_eq!(example, "name=1,email=2,join=3,leave=4");
    for (field, bad, says) in [
        ("columns", "nom=1", "columns \"nom=1\": \"nom\" is not a field"),
        ("accept_inferred", "yes", "accept_inferred \"yes\": use true or false"),
        ("skip_bad_rows", "1", "skip_bad_rows \"1\": use true or false"),
        ("date", "06/05/2024", "date \"06/05/2024\": use YYYY-MM-DD"),
        ("encoding", "klingon", "encoding \"klingon\" is not an encoding attest knows"),
    ] {
        let (status, _, body) = call(&app, import_request(&app, "lt", "a.csv", csv.as_bytes(), &[(field, bad)])).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let msg: Value = serde_json::from_slice(&body).unwrap();
        assert!(msg["error"].as_str().unwrap().contains(says), "{msg}");
    }
    let (status, _, body) =
        call(&app, import_request(&app, "lt", "a.csv", csv.as_bytes(), &[("columns", example.as_str())])).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    let out: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(out[0]["report"]["format"], "mapped-columns");
    // Another export with the same header row: no columns needed any more.
    let second = "Vardas,El. paštas,Prisijungė,Atsijungė\n\
        Rūta Žukauskaitė,ruta@seimas.example,2024-05-06 09:55:00,2024-05-06 11:35:00\n\
        Jonas Petraitis,jonas@seimas.example,2024-05-06 10:45:00,2024-05-06 11:00:00\n";
    let (status, _, body) = call(&app, import_request(&app, "lt", "b.csv", second.as_bytes(), &[])).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    // And `accept_inferred` alone, for a header row never confirmed.
    app.json("POST", "/api/v1/events", Some(json!({"slug": "lt2", "title": "Seminar", "timezone": "UTC"}))).await;
    let other = csv.replace("Vardas", "Vardas ir pavardė");
    let (status, _, body) =
        call(&app, import_request(&app, "lt2", "c.csv", other.as_bytes(), &[("accept_inferred", "true")])).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
}

#[tokio::test]
async fn staff_data_is_never_stored_in_a_cache() {
    let app = app();
    let bearer = format!("Bearer {}", app.token);
    // Answers with personal data, and the errors beside them (a 401, a 404, a rejection).
    for (uri, auth) in [
        ("/api/v1/events", Some(bearer.as_str())),
        ("/api/v1/audit", Some(bearer.as_str())),
        ("/api/v1/events/nope/attendance", Some(bearer.as_str())),
        ("/api/v1/audit?limit=zero", Some(bearer.as_str())),
        ("/api/v1/certificates/SOMEID", None),
        ("/api/v1/no/such/route", Some(bearer.as_str())),
        ("/staff/login", None),
        ("/staff/events", None),
        ("/download/not-a-link", None),
    ] {
        let mut req = Request::get(uri);
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        let (status, headers, _) = call(&app, req.body(Body::empty()).unwrap()).await;
        assert_eq!(
            headers.get(header::CACHE_CONTROL).map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{uri} ({status})"
        );
    }
    // The public pages and the document may be cached.
    let (_, headers, _) = call(&app, Request::get("/static/site.css").body(Body::empty()).unwrap()).await;
    assert_ne!(headers[header::CACHE_CONTROL], "no-store");
}

#[tokio::test]
async fn every_api_error_is_json_with_a_documented_status() {
    let app = app();
    let doc: Value = {
        let (_, _, bytes) = call(&app, Request::get("/api/v1/openapi.json").body(Body::empty()).unwrap()).await;
        serde_json::from_slice(&bytes).unwrap()
    };
    let bearer = format!("Bearer {}", app.token);
    app.json("POST", "/api/v1/events", Some(json!({"slug": "ev", "title": "Seminar"}))).await;
    /// Method, URI, the documented path, the body with its content type, the status.
    type Case<'a> = (&'a str, &'a str, &'a str, Option<(&'a str, &'a str)>, StatusCode);
    let cases: Vec<Case> = vec![
        // Not JSON, no content type, JSON of the wrong shape, a value outside an enum.
        ("POST", "/api/v1/events", "/api/v1/events", Some(("application/json", "{")), StatusCode::BAD_REQUEST),
        ("POST", "/api/v1/events", "/api/v1/events", Some(("text/plain", "{}")), StatusCode::UNSUPPORTED_MEDIA_TYPE),
        (
            "POST",
            "/api/v1/events",
            "/api/v1/events",
            Some(("application/json", "{\"slug\": 1}")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "PUT",
            "/api/v1/events/ev",
            "/api/v1/events/{slug}",
            Some(("application/json", "{\"title\": \"x\", \"language\": \"de\"}")),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        // A query flag of the wrong type; a limit out of range.
        (
            "POST",
            "/api/v1/events/ev/certificates?dry_run=maybe",
            "/api/v1/events/{slug}/certificates",
            None,
            StatusCode::BAD_REQUEST,
        ),
        ("GET", "/api/v1/audit?limit=0", "/api/v1/audit", None, StatusCode::BAD_REQUEST),
        ("GET", "/api/v1/audit?limit=1001", "/api/v1/audit", None, StatusCode::BAD_REQUEST),
        // Nothing under that name.
        ("GET", "/api/v1/certificates/NOPE", "/api/v1/certificates/{id}", None, StatusCode::NOT_FOUND),
        ("POST", "/api/v1/events/nope/certificates", "/api/v1/events/{slug}/certificates", None, StatusCode::NOT_FOUND),
        // A multipart body that is not one.
        (
            "POST",
            "/api/v1/events/ev/imports",
            "/api/v1/events/{slug}/imports",
            Some(("multipart/form-data; boundary=X", "a,b")),
            StatusCode::BAD_REQUEST,
        ),
        // Not multipart at all (issue 23: the documented 415, before reading).
        (
            "POST",
            "/api/v1/events/ev/imports",
            "/api/v1/events/{slug}/imports",
            Some(("text/csv", "a,b")),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    let mut bodies = Vec::new();
    for (method, uri, path, body, expected) in cases {
        let mut req = Request::builder().method(method).uri(uri).header(header::AUTHORIZATION, &bearer);
        let body = match body {
            Some((ct, b)) => {
                req = req.header(header::CONTENT_TYPE, ct);
                Body::from(b.to_owned())
            }
            None => Body::empty(),
        };
        let (status, headers, bytes) = call(&app, req.body(body).unwrap()).await;
        assert_eq!(status, expected, "{method} {uri}: {}", String::from_utf8_lossy(&bytes));
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{method} {uri}");
        let err: Value = serde_json::from_slice(&bytes).unwrap();
        assert!(err["error"].is_string(), "{method} {uri}: {err}");
        bodies.push(json!({"request": format!("{method} {uri}"), "status": status.as_u16(), "body": err}));
        let documented = &doc["paths"][path][method.to_lowercase()]["responses"][status.as_str()];
        assert!(documented.is_object(), "{method} {path}: {status} is not documented");
    }
    // Every error body, word for word: what a script's author reads.
    insta::assert_json_snapshot!("error_bodies", bodies);
    // A route that does not exist answers JSON too.
    let (status, headers, _) = call(
        &app,
        Request::get("/api/v1/nothing/here").header(header::AUTHORIZATION, &bearer).body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!((status, &headers[header::CONTENT_TYPE]), (StatusCode::NOT_FOUND, &"application/json".parse().unwrap()));
}

#[tokio::test]
async fn a_reissue_in_an_unknown_language_is_refused_not_a_server_error() {
    let app = app();
    app.json("POST", "/api/v1/events", Some(json!({"slug": "echr", "title": "Freedom of expression"}))).await;
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let (status, _, _) = call(&app, import_request(&app, "echr", "report.csv", &csv, &[])).await;
    assert_eq!(status, StatusCode::OK);
    app.json("POST", "/api/v1/events/echr/certificates", None).await;
    let (_, certs) = app.json("GET", "/api/v1/events/echr/certificates", None).await;
    let id = certs[0]["id"].as_str().unwrap().to_owned();
    let uri = format!("/api/v1/certificates/{id}/reissue");
    // Outside the schema's enum: refused by the extractor.
    let (status, err) = app.json("POST", &uri, Some(json!({"language": "xx"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    // A name the schema forbids: control characters, too long, only spaces.
    for name in ["A\u{7}B", &"x".repeat(201), "   "] {
        let (status, err) = app.json("POST", &uri, Some(json!({"name": name}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{name:?}: {err}");
    }
    // Revoked, then issued again: a new certificate, the revoked one staying revoked.
    app.json("POST", &format!("/api/v1/certificates/{id}/revoke"), Some(json!({"reason": "r"}))).await;
    let (status, new) = app.json("POST", &uri, Some(json!({"name": "New Name"}))).await;
    assert_eq!((status, new["status"].clone()), (StatusCode::CREATED, json!("valid")), "{new}");
    let (_, old) = app.json("GET", &format!("/api/v1/certificates/{id}"), None).await;
    assert_eq!(old["status"], "revoked", "{old}");
    let (status, err) =
        app.json("POST", &format!("/api/v1/certificates/{id}/revoke"), Some(json!({"reason": "again"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
}

/// Series (issue 12) through the API: create, add the fixture's four events, set the rule, read
/// the decisions with their sentences, issue (and again: nothing), list the certificates; and
/// the errors, each JSON with its documented status.
#[tokio::test]
async fn a_script_makes_and_issues_a_series() {
    let app = app();
    {
        let mut db = harness::Db::at(&app.db);
        harness::series_fixture(&mut db);
    }
    let (status, body) =
        app.json("POST", "/api/v1/series", Some(json!({"slug": "api-2020", "title": "Seminars 2020"}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["rule"], "all sessions");
    let (status, body) = app.json("POST", "/api/v1/series", Some(json!({"slug": "api-2020", "title": "Again"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"].as_str().unwrap().contains("already exists"));
    let (status, body) = app.json("POST", "/api/v1/series", Some(json!({"slug": "x", "title": "bad\u{7}title"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app.json("PUT", "/api/v1/series/api-2020/rule", Some(json!({"at_least": 3}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no events yet: {body}");
    for e in ["s2020-asia", "s2020-africa-en", "s2020-africa-fr", "s2020-latam-en"] {
        let (status, body) = app.json("PUT", &format!("/api/v1/series/api-2020/events/{e}"), None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, body) = app.json("PUT", "/api/v1/series/api-2020/events/no-such-event", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    let (status, body) = app.json("PUT", "/api/v1/series/api-2020/rule", Some(json!({"at_least": 3}))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["rule"], "at least 3 of the 4 sessions");
    assert_eq!(body["events"], json!(["s2020-asia", "s2020-africa-en", "s2020-africa-fr", "s2020-latam-en"]));
    let (status, body) = app.json("GET", "/api/v1/series/api-2020/decisions", None).await;
    assert_eq!(status, StatusCode::OK);
    let chen = body.as_array().unwrap().iter().find(|d| d["name"] == "Chen Wei").unwrap();
    assert_eq!(chen["eligible"], false);
    assert_eq!(
        chen["reason"],
        "attended 2 of 4 sessions (s2020-asia, s2020-africa-en); rule: at least 3 of the 4 sessions"
    );
    let (status, body) = app.json("POST", "/api/v1/series/api-2020/certificates", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["issued"].as_u64(), body["not_eligible"].as_u64()), (Some(4), Some(1)));
    let (_, body) = app.json("POST", "/api/v1/series/api-2020/certificates", None).await;
    assert_eq!((body["issued"].as_u64(), body["already"].as_u64()), (Some(0), Some(4)));
    let (status, body) = app.json("GET", "/api/v1/series/api-2020/certificates", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().unwrap().len(), 4);
    let (status, body) = app.json("DELETE", "/api/v1/series/api-2020/events/s2020-latam-en", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.json("GET", "/api/v1/series/nope", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["error"].as_str().unwrap().contains("no series"));
    let (status, body) = app.json("GET", "/api/v1/series", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.as_array().unwrap().len(), 2);
}

/// Two addresses of one person linked for a series through the API: refused for an address no
/// one in its events has, for one address twice and without a reason; then listed, the person
/// eligible; taken back (204), and a second time 404.
#[tokio::test]
async fn a_script_links_two_addresses_of_one_person_in_a_series() {
    let app = app();
    {
        let mut db = harness::Db::at(&app.db);
        harness::series_fixture_with_a_second_address(&mut db);
    }
    let url = "/api/v1/series/cybercrime-2020/links";
    let link = |a: &str, b: &str, reason: &str| json!({"a": a, "b": b, "reason": reason});
    for (body, status, said) in [
        (link("chen@example.org", "chen@exmaple.org", "his"), StatusCode::NOT_FOUND, "\"chen@exmaple.org\""),
        (link("chen@example.org", "CHEN@example.org", "his"), StatusCode::UNPROCESSABLE_ENTITY, "same address twice"),
        (link("chen@example.org", "wei.chen@home.example", " "), StatusCode::UNPROCESSABLE_ENTITY, "reason"),
    ] {
        let (got, answer) = app.json("POST", url, Some(body)).await;
        assert_eq!(got, status, "{answer}");
        assert!(answer["error"].as_str().unwrap().contains(said), "{answer}");
    }
    let (status, body) =
        app.json("POST", url, Some(link("wei.chen@home.example", "chen@example.org", "his home"))).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, json!({"a": "chen@example.org", "b": "wei.chen@home.example", "reason": "his home"}));
    let (_, listed) = app.json("GET", url, None).await;
    assert_eq!(listed, json!([body]));
    // Again, with another reason: nothing changes, and the answer says what stands.
    let (status, again) = app.json("POST", url, Some(link("chen@example.org", "wei.chen@home.example", "other"))).await;
    assert_eq!((status, &again), (StatusCode::OK, &body));
    let (_, ds) = app.json("GET", "/api/v1/series/cybercrime-2020/decisions", None).await;
    let chen: Vec<&serde_json::Value> = ds.as_array().unwrap().iter().filter(|d| d["name"] == "Chen Wei").collect();
    assert_eq!(chen.len(), 1, "{ds:#}");
    assert_eq!((&chen[0]["eligible"], &chen[0]["email"]), (&json!(true), &json!("wei.chen@home.example")));

    let one = format!("{url}/chen@example.org/wei.chen@home.example");
    assert_eq!(app.json("DELETE", &one, None).await.0, StatusCode::NO_CONTENT);
    let (status, body) = app.json("DELETE", &one, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(body["error"].as_str().unwrap().contains("are not linked"), "{body}");
}

/// The value of one sample line of a scrape (`name{labels} value`), 0 when absent.
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

/// The scheme of `Authorization` is case-insensitive (RFC 7235 §2.1): `/metrics` and the API
/// take `bearer`, as some clients send it (probe 19, finding 14: 401); the token itself is not.
#[tokio::test]
async fn bearer_in_lower_case_is_accepted_by_metrics_and_the_api() {
    let app = app();
    for scheme in ["Bearer", "bearer", "BEARER"] {
        let scrape = Request::get("/metrics").header(header::AUTHORIZATION, format!("{scheme} {METRICS_TOKEN}"));
        let (status, _, _) = call(&app, scrape.body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "/metrics with {scheme}");
        let list = Request::get("/api/v1/events").header(header::AUTHORIZATION, format!("{scheme} {}", app.token));
        let (status, _, _) = call(&app, list.body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "the API with {scheme}");
    }
    let wrong =
        Request::get("/metrics").header(header::AUTHORIZATION, format!("bearer {}", METRICS_TOKEN.to_uppercase()));
    assert_eq!(call(&app, wrong.body(Body::empty()).unwrap()).await.0, StatusCode::UNAUTHORIZED);
    let other = Request::get("/metrics").header(header::AUTHORIZATION, format!("Basic {METRICS_TOKEN}"));
    assert_eq!(call(&app, other.body(Body::empty()).unwrap()).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn metrics_after_a_journey_count_what_it_did_and_pass_promtool() {
    let app = app();
    // Not public: no token, no metrics.
    let (status, _, _) = call(&app, Request::get("/metrics").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The journey: import (and a file that is no export), issue, verify, revoke, send, a failed
    // sign-in.
    let (status, _) = app
        .json("POST", "/api/v1/events", Some(json!({"slug": "echr", "title": "T", "timezone": "Europe/Paris"})))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let (status, _, _) = call(&app, import_request(&app, "echr", "report.csv", &csv, &[])).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, _) = call(&app, import_request(&app, "echr", "notes.csv", b"not,an\nexport,at all\n", &[])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, issued) = app.json("POST", "/api/v1/events/echr/certificates", None).await;
    assert_eq!((status, issued["issued"].as_u64()), (StatusCode::OK, Some(6)), "{issued}");
    let (_, certs) = app.json("GET", "/api/v1/events/echr/certificates", None).await;
    let certs = certs.as_array().unwrap();
    let path = certs[0]["verify_url"].as_str().unwrap().trim_start_matches("http://127.0.0.1:8080").to_owned();
    for _ in 0..2 {
        let (status, _, _) = call(&app, Request::get(&path).body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
    }
    let id = certs[1]["id"].as_str().unwrap();
    let (status, _) =
        app.json("POST", &format!("/api/v1/certificates/{id}/revoke"), Some(json!({"reason": "duplicate"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.json("POST", "/api/v1/events/echr/deliveries", Some(json!({}))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let (_, v) = app.json("GET", "/api/v1/events/echr/deliveries", None).await;
        if v["running"] == false && v["counts"]["queued"] == 0 && v["counts"]["sending"] == 0 {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "delivery did not finish: {v}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let (_, headers, _) = call(&app, Request::get("/staff/login").body(Body::empty()).unwrap()).await;
    let pre = headers[header::SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let csrf = pre.split_once('=').unwrap().1.to_owned();
    let login = Request::post("/staff/login")
        .header(header::COOKIE, &pre)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}&email=ops%40coe.int&password=not+the+password")))
        .unwrap();
    assert_eq!(call(&app, login).await.0, StatusCode::UNAUTHORIZED);

    let scrape = Request::get("/metrics").header(header::AUTHORIZATION, format!("Bearer {METRICS_TOKEN}"));
    let (status, headers, body) = call(&app, scrape.body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/plain; version=0.0.4; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    let sent: i64 = harness::open_db(&app.db)
        .row_for_tests("SELECT CAST(coalesce(sum(sends), 0) AS BIGINT) FROM deliveries WHERE state = 'sent'", (), |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(sent, 5, "every valid certificate sent");
    for (series, value) in [
        ("attest_certificates_issued_total", 6.0),
        ("attest_certificates_revoked_total", 1.0),
        ("attest_certificates_reissued_total", 0.0),
        ("attest_mails_sent_total", 5.0),
        ("attest_deliveries{state=\"sent\"}", 5.0),
        ("attest_deliveries{state=\"failed\"}", 0.0),
        ("attest_imports_total{format=\"zoom-webinar-attendee-report\",outcome=\"imported\"}", 1.0),
        ("attest_imports_total{format=\"unknown\",outcome=\"refused\"}", 1.0),
        ("attest_verifications_total{channel=\"url\",outcome=\"valid\"}", 2.0),
        ("attest_staff_sign_ins_total{method=\"password\",outcome=\"refused\"}", 1.0),
        ("attest_http_requests_total{method=\"POST\",route=\"/api/v1/events/{slug}/imports\",status=\"200\"}", 1.0),
        ("attest_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/events/{slug}/imports\"}", 2.0),
        ("attest_http_requests_total{method=\"POST\",route=\"/api/v1/events/{slug}/imports\",status=\"422\"}", 1.0),
        ("attest_db_connections{state=\"busy\"}", 0.0),
        ("attest_db_connections{state=\"idle\"}", 2.0),
    ] {
        assert_eq!(sample(&text, series), value, "{series} in\n{text}");
    }
    // Routes by template: no token or id of a verification link in any label.
    let token = path.trim_start_matches("/v/");
    assert!(!text.contains(token) && text.contains("route=\"/v/{token}\""), "{text}");

    // An independent judge of the format.
    let Some(promtool) = harness::tool("promtool", "lint /metrics (Debian package prometheus)") else { return };
    let mut child = std::process::Command::new(promtool)
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && said.trim().is_empty(), "promtool check metrics: {said}\n{text}");
}

#[tokio::test]
async fn readyz_fails_when_the_database_cannot_be_reached_and_healthz_stays_up() {
    let app = app();
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    assert_eq!(call(&app, get("/readyz")).await.0, StatusCode::OK);
    // The volume is gone (here: the file moved away; the PostgreSQL database closed to new
    // sessions); the pool's open connections would not notice.
    harness::app::reachable(&app.db, false);
    let (status, _, body) = call(&app, get("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", String::from_utf8_lossy(&body));
    assert_eq!(call(&app, get("/healthz")).await.0, StatusCode::OK, "the process itself is alive");
    harness::app::reachable(&app.db, true);
    assert_eq!(call(&app, get("/readyz")).await.0, StatusCode::OK);
}

/// `/readyz` logs when readiness changes, once, not at every probe: an orchestrator probing
/// every few seconds while the database was away wrote the same warning each time, and the
/// return to ready was not logged at all.
#[tokio::test]
async fn readyz_logs_each_change_of_readiness_once() {
    if !harness::logs::alone(module_path!(), "readyz_logs_each_change_of_readiness_once") {
        return;
    }
    harness::logs::capture();
    let app = app();
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    let lines = |what: &str| harness::logs::text().lines().filter(|l| l.contains(what)).count();
    assert_eq!(call(&app, get("/readyz")).await.0, StatusCode::OK);
    harness::app::reachable(&app.db, false);
    for _ in 0..3 {
        assert_eq!(call(&app, get("/readyz")).await.0, StatusCode::SERVICE_UNAVAILABLE);
    }
    // SQLite: the file moved away, "replaced or removed"; PostgreSQL: "cannot be reached".
    assert_eq!(lines("not ready: the database"), 1, "{}", harness::logs::text());
    harness::app::reachable(&app.db, true);
    for _ in 0..3 {
        assert_eq!(call(&app, get("/readyz")).await.0, StatusCode::OK);
    }
    assert_eq!(lines("ready again"), 1, "{}", harness::logs::text());
    harness::app::reachable(&app.db, false);
    assert_eq!(call(&app, get("/readyz")).await.0, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(lines("not ready: the database"), 2, "a second outage is said again");
    harness::app::reachable(&app.db, true);
}

/// After a PostgreSQL restart every pooled session is dead, and the client learns it only from
/// the next query: each pooled connection answered one request with a 500, and `/healthz`, the
/// liveness probe, answered 500 during the outage. (Simulated by ending every other session of
/// the test database, as a restart does.)
#[tokio::test]
async fn sessions_postgresql_closed_cost_no_request_an_error() {
    if harness::app::postgres().is_none() {
        eprintln!("skipped on SQLite: PostgreSQL's sessions are what a restart closes");
        return;
    }
    let app = app();
    let (status, _) = app.json("GET", "/api/v1/events", None).await;
    assert_eq!(status, StatusCode::OK);
    let ended: i64 = harness::open_db(&app.db)
        .row_for_tests(
            "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            (),
            |r| r.get(0),
        )
        .unwrap();
    assert!(ended > 0);
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    assert_eq!(call(&app, get("/healthz")).await.0, StatusCode::OK, "the process itself is alive");
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    for _ in 0..8 {
        let (status, body) = app.json("GET", "/api/v1/events", None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 23: answers whose cost does not grow with the event, bodies checked before reading.

/// An event of `people` people (two connections each), imported through the store.
fn big_event(app: &TestApp, slug: &str, people: usize) {
    let mut csv = String::from("Name (original name),Email,Join time,Leave time,Duration (minutes)\n");
    for p in 0..people {
        for (join, leave, minutes) in [("10:00:00", "10:40:00", 40), ("10:45:00", "11:40:00", 55)] {
            csv.push_str(&format!("Person {p},p{p}@example.org,03/14/2025 {join},03/14/2025 {leave},{minutes}\n"));
        }
    }
    let mut conn = harness::open_db(&app.db);
    let now = chrono::Utc::now();
    let ev = attest::store::events::create(
        &conn,
        &attest::store::events::NewEvent {
            starts_at: Some(harness::utc("2025-03-14T10:00:00Z")),
            ends_at: Some(harness::utc("2025-03-14T11:40:00Z")),
            ..harness::new_event(slug, "Big")
        },
        "test",
        now,
    )
    .unwrap();
    let opts = attest::import::ImportOptions::in_zone(chrono_tz::UTC);
    let up = attest::store::imports::Upload { file_name: "big.csv", bytes: csv.as_bytes() };
    attest::store::imports::import_files(&mut conn, &ev, &[up], &opts, false, "test", now).unwrap();
}

#[tokio::test]
async fn the_attendance_list_comes_a_page_at_a_time() {
    let app = app();
    big_event(&app, "big", 2500);
    let get = |uri: String| {
        Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {}", app.token)).body(Body::empty()).unwrap()
    };
    let (status, headers, body) = call(&app, get("/api/v1/events/big/attendance".into())).await;
    assert_eq!(status, StatusCode::OK);
    let page: Vec<Value> = serde_json::from_slice(&body).unwrap();
    assert_eq!(page.len(), 1000, "the default page");
    assert_eq!(headers["x-total-count"], "2500");
    assert_eq!(headers[header::LINK], "</api/v1/events/big/attendance?offset=1000&limit=1000>; rel=\"next\"");
    let (_, headers, body) = call(&app, get("/api/v1/events/big/attendance?offset=2400&limit=500".into())).await;
    let page: Vec<Value> = serde_json::from_slice(&body).unwrap();
    assert_eq!(page.len(), 100);
    assert!(headers.get(header::LINK).is_none(), "no next page after the last");
    // In the attendance list's order: the pages together are the whole list, once.
    let mut names = std::collections::HashSet::new();
    for offset in [0, 1000, 2000] {
        let (_, _, body) = call(&app, get(format!("/api/v1/events/big/attendance?offset={offset}"))).await;
        for p in serde_json::from_slice::<Vec<Value>>(&body).unwrap() {
            assert!(names.insert(p["name"].as_str().unwrap().to_owned()), "{p}");
            assert_eq!(p["attended_seconds"], 95 * 60, "{p}");
        }
    }
    assert_eq!(names.len(), 2500);
    let (status, _, body) = call(&app, get("/api/v1/events/big/attendance?limit=1001".into())).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(String::from_utf8_lossy(&body).contains("\"error\":\"limit: between 1 and 1000\""));
}

#[tokio::test]
async fn stored_decisions_follow_every_change_to_what_they_are_made_from() {
    let app = app();
    big_event(&app, "big", 3);
    let (_, list) = app.json("GET", "/api/v1/events/big/attendance", None).await;
    assert_eq!(list.as_array().unwrap().iter().filter(|p| p["eligible"] == true).count(), 3);
    // An override, a rule change and a new upload each show at once.
    let (status, _) = app
        .json(
            "POST",
            "/api/v1/events/big/overrides",
            Some(serde_json::json!({"person": "p0@example.org", "eligible": false, "reason": "left early, said so"})),
        )
        .await;
    assert!(status.is_success(), "{status}");
    let (_, list) = app.json("GET", "/api/v1/events/big/attendance", None).await;
    assert_eq!(list.as_array().unwrap().iter().filter(|p| p["eligible"] == true).count(), 2);
    let conn = harness::open_db(&app.db);
    conn.execute_for_tests("UPDATE events SET rule_value = 99 WHERE slug = 'big'", ()).unwrap();
    let (_, list) = app.json("GET", "/api/v1/events/big/attendance", None).await;
    assert_eq!(list.as_array().unwrap().iter().filter(|p| p["eligible"] == true).count(), 0, "{list}");
}

#[tokio::test]
async fn bodies_are_checked_before_they_are_read_and_refused_as_json() {
    let app = app();
    let auth = format!("Bearer {}", app.token);
    // Over an operation's own limit by its Content-Length: refused before reading, as JSON.
    let big = vec![b'x'; 2 * 1024 * 1024];
    let (status, headers, body) = call(
        &app,
        Request::post("/api/v1/design-images")
            .header(header::AUTHORIZATION, &auth)
            .header(header::CONTENT_TYPE, "image/png")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big.clone()))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    let err: Value = serde_json::from_slice(&body).unwrap();
    assert!(err["error"].as_str().unwrap().contains("at most 1048576 bytes"), "{err}");
    // The same without a Content-Length (a stream): reading stops at the limit, still JSON.
    let stream = futures_stream(big.clone());
    let (status, headers, _) = call(
        &app,
        Request::post("/api/v1/design-images")
            .header(header::AUTHORIZATION, &auth)
            .header(header::CONTENT_TYPE, "image/png")
            .header(header::TRANSFER_ENCODING, "chunked")
            .body(stream)
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    // A JSON operation given 2 MiB.
    let (status, headers, _) = call(
        &app,
        Request::post("/api/v1/events")
            .header(header::AUTHORIZATION, &auth)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::CONTENT_LENGTH, big.len())
            .body(Body::from(big))
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, headers[header::CONTENT_TYPE].to_str().unwrap()),
        (StatusCode::PAYLOAD_TOO_LARGE, "application/json")
    );
    // The wrong media type: 415, as documented, as JSON.
    for (uri, ty) in [
        ("/api/v1/design-images", "text/html"),
        ("/api/v1/events", "text/plain"),
        ("/api/v1/events/x/imports", "application/json"),
    ] {
        let (status, headers, body) = call(
            &app,
            Request::post(uri)
                .header(header::AUTHORIZATION, &auth)
                .header(header::CONTENT_TYPE, ty)
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{uri}");
        assert_eq!(headers[header::CONTENT_TYPE], "application/json", "{uri}");
        let err: Value = serde_json::from_slice(&body).unwrap();
        assert!(err["error"].as_str().unwrap().contains(ty), "{uri}: {err}");
    }
}

/// A body that arrives in chunks, with no length known beforehand.
fn futures_stream(bytes: Vec<u8>) -> Body {
    let chunks: Vec<Result<axum::body::Bytes, std::io::Error>> =
        bytes.chunks(64 * 1024).map(|c| Ok(axum::body::Bytes::copy_from_slice(c))).collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn the_certificate_list_comes_a_page_at_a_time() {
    let app = app();
    big_event(&app, "big", 3);
    let (status, _) = app.json("POST", "/api/v1/events/big/certificates", None).await;
    assert!(status.is_success(), "{status}");
    let req = |uri: &str| {
        Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {}", app.token)).body(Body::empty()).unwrap()
    };
    let (status, headers, body) = call(&app, req("/api/v1/events/big/certificates?limit=2")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(serde_json::from_slice::<Vec<Value>>(&body).unwrap().len(), 2);
    assert_eq!(headers["x-total-count"], "3");
    assert_eq!(headers[header::LINK], "</api/v1/events/big/certificates?offset=2&limit=2>; rel=\"next\"");
    let (_, headers, body) = call(&app, req("/api/v1/events/big/certificates?offset=2&limit=2")).await;
    assert_eq!(serde_json::from_slice::<Vec<Value>>(&body).unwrap().len(), 1);
    assert!(headers.get(header::LINK).is_none());
}

/// When the stored decisions cannot be written (another process holds the database), the pages
/// still show current counts: decided without the cache, never read stale from it.
#[tokio::test]
async fn a_busy_database_gives_current_decisions_uncached_not_stale_ones() {
    let app = app();
    big_event(&app, "big", 3);
    let reader = harness::open_db(&app.db);
    let ev = attest::store::events::get(&reader, "big").unwrap();
    assert_eq!(attest::store::people::summary(&reader, &ev).unwrap().eligible, 3);
    // A change that makes the stored decisions stale, then a writer that holds the database.
    let writer = harness::open_db(&app.db);
    writer.execute_for_tests("UPDATE events SET rule_value = 99 WHERE slug = 'big'", ()).unwrap();
    writer.execute_for_tests("BEGIN", ()).unwrap();
    writer.execute_for_tests("UPDATE events SET title = title WHERE slug = 'big'", ()).unwrap();
    // The reader gives up on a held lock after 10 ms instead of 5 s.
    if harness::app::postgres().is_some() {
        reader.execute_for_tests("SET lock_timeout = '10ms'", ()).unwrap();
    } else {
        reader.sqlite_for_tests().busy_timeout(std::time::Duration::from_millis(10)).unwrap();
    }
    let ev = attest::store::events::get(&reader, "big").unwrap();
    let s = attest::store::people::summary(&reader, &ev).unwrap();
    assert_eq!((s.people, s.eligible, s.to_issue), (3, 0, 0), "current, though not stored");
    assert!(matches!(
        attest::store::people::ensure_decided(&reader, &ev).unwrap(),
        attest::store::people::Decided::Uncached(_)
    ));
    assert_eq!(attest::store::people::decisions_page(&reader, &ev, 0, 10).unwrap().len(), 3);
    writer.execute_for_tests("COMMIT", ()).unwrap();
    assert!(matches!(
        attest::store::people::ensure_decided(&reader, &ev).unwrap(),
        attest::store::people::Decided::Made(_)
    ));
    assert_eq!(attest::store::people::summary(&reader, &ev).unwrap().eligible, 0);
}

/// A holder overridden to not eligible after the issue kept a valid certificate with nothing
/// said: the API's list marks that certificate `holder_eligible: false` (the others `true`), and
/// the console's certificates page lists it with a link to its page, where it is revoked; once
/// revoked, neither names it.
#[tokio::test]
async fn a_certificate_whose_holder_is_no_longer_eligible_is_named_for_revoking() {
    let app =
        TestApp::new().issuing().staff("ops@coe.int", Role::Admin, Some("a long enough password")).token().build();
    create_an_event(&app).await;
    import_and_correct(&app).await;
    issue_all(&app).await;
    let body = json!({"person": "Żaneta Wójcik", "eligible": false, "reason": "left early, said so"});
    let (status, out) = app.json("POST", "/api/v1/events/echr/overrides", Some(body)).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let (_, certs) = app.json("GET", "/api/v1/events/echr/certificates", None).await;
    let flagged: Vec<(&str, bool)> = certs
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["holder_eligible"].as_bool().unwrap()))
        .filter(|(_, eligible)| !eligible)
        .collect();
    assert_eq!(flagged, [("Żaneta Wójcik", false)], "{certs}");
    let id = certs.as_array().unwrap().iter().find(|c| c["name"] == "Żaneta Wójcik").unwrap()["id"].as_str().unwrap();

    let s = app.sign_in().await;
    let page = harness::send(&app, harness::get("/staff/events/echr/certificates", &s.cookie)).await;
    assert!(page.body.contains("Valid certificates of people no longer eligible (1)"), "{}", page.body);
    assert!(page.body.contains(&format!("href=\"/staff/certificates/{id}\"")), "{}", page.body);

    let (status, _) =
        app.json("POST", &format!("/api/v1/certificates/{id}/revoke"), Some(json!({"reason": "not due"}))).await;
    assert_eq!(status, StatusCode::OK);
    let (_, certs) = app.json("GET", "/api/v1/events/echr/certificates", None).await;
    let revoked = certs.as_array().unwrap().iter().find(|c| c["id"] == id).unwrap();
    assert_eq!(revoked["holder_eligible"], Value::Null, "{revoked}");
    let page = harness::send(&app, harness::get("/staff/events/echr/certificates", &s.cookie)).await;
    assert!(!page.body.contains("no longer eligible"), "{}", page.body);
}

/// A script renames an event after its certificates were issued, sending only the title. The
/// other fields were reset (zone to UTC, language to English, times and series to none) with
/// a 200; now they keep their values. And the verify page showed the new title for the
/// certificates already issued, a title not on the paper; it shows the title as signed.
#[tokio::test]
async fn a_renamed_event_keeps_its_other_fields_and_its_certificates_their_title() {
    let app = app();
    create_an_event(&app).await;
    let fields = json!({"title": "Freedom of expression", "series": "ECHR 2025", "timezone": "Europe/Paris",
        "language": "fr", "starts": "2025-03-14T09:58", "ends": "2025-03-14T11:42", "rule": "min_minutes", "rule_value": 60});
    let (status, before) = app.json("PUT", "/api/v1/events/echr", Some(fields)).await;
    assert_eq!(status, StatusCode::OK, "{before}");
    import_and_correct(&app).await;
    let (status, issued) = app.json("POST", "/api/v1/events/echr/certificates", None).await;
    assert_eq!(status, StatusCode::OK, "{issued}");

    let (status, after) = app.json("PUT", "/api/v1/events/echr", Some(json!({"title": "Freedom of speech"}))).await;
    assert_eq!(status, StatusCode::OK, "{after}");
    for field in ["series", "timezone", "language", "starts", "ends", "rule", "rule_value"] {
        assert_eq!(after[field], before[field], "{field}: {after}");
    }
    assert_eq!(after["title"], "Freedom of speech");
    // A value sent alone keeps the rule's kind (it became a percentage of 90).
    let (_, value) =
        app.json("PUT", "/api/v1/events/echr", Some(json!({"title": "Freedom of speech", "rule_value": 90}))).await;
    assert_eq!((value["rule"].clone(), value["rule_value"].clone()), (json!("min_minutes"), json!(90)), "{value}");
    // `null` still clears what may be cleared.
    let (_, cleared) =
        app.json("PUT", "/api/v1/events/echr", Some(json!({"title": "Freedom of speech", "series": null}))).await;
    assert_eq!((cleared["series"].clone(), cleared["language"].clone()), (Value::Null, json!("fr")), "{cleared}");

    let (_, certs) = app.json("GET", "/api/v1/events/echr/certificates", None).await;
    let url = certs[0]["verify_url"].as_str().unwrap().trim_start_matches("http://127.0.0.1:8080");
    let req = Request::get(url).header(header::ACCEPT, "application/json").body(Body::empty()).unwrap();
    let (status, _, body) = call(&app, req).await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["certificate"]["event"], "Freedom of expression", "{v}");
}

/// An import is answered before SQLite copies its pages from the write-ahead log into the
/// database file (a sixth of a 100,000-row import's time), and the service copies them right
/// after the answer, on its blocking pool: not inside whichever request commits next.
#[tokio::test]
async fn an_import_reaches_the_database_file_after_its_answer() {
    if !harness::app::sqlite_only("the write-ahead log") {
        return;
    }
    let app = app();
    let event = json!({"slug": "big", "title": "Big seminar", "timezone": "Europe/Paris", "language": "en"});
    let (status, ev) = app.json("POST", "/api/v1/events", Some(event)).await;
    assert_eq!(status, StatusCode::CREATED, "{ev}");
    let csv = harness::webinar_report(false, false, 3000, |i| {
        format!("Person {i},p{i}@example.org,\"Mar 14, 2025 10:00:00\",\"Mar 14, 2025 11:40:00\",100")
    });
    let before = std::fs::metadata(&app.db).unwrap().len();
    let (status, _, body) = call(&app, import_request(&app, "big", "report.csv", csv.as_bytes(), &[])).await;
    assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    // No request after it: its commit would run SQLite's automatic checkpoint itself.
    for _ in 0..100 {
        if std::fs::metadata(&app.db).unwrap().len() > before + csv.len() as u64 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the database file stayed at {before} bytes: the import is still only in the write-ahead log");
}

/// A restore over a running server (the README says to stop it first): the pool kept writing
/// to the file it had opened, where nothing would ever read it, and `/readyz`, which opens a
/// connection of its own to the new file, said ready. Now not ready, saying why.
#[tokio::test]
async fn readyz_fails_when_the_database_file_was_replaced_under_the_server() {
    if !harness::app::sqlite_only("a file put in place of the database") {
        return;
    }
    let app = app();
    let get = |uri: &str| Request::get(uri).body(Body::empty()).unwrap();
    assert_eq!(call(&app, get("/readyz")).await.0, StatusCode::OK);
    let copy = app.db.with_extension("restored");
    std::fs::copy(&app.db, &copy).unwrap();
    std::fs::rename(&copy, &app.db).unwrap();
    let (status, _, body) = call(&app, get("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{}", String::from_utf8_lossy(&body));
    assert!(String::from_utf8_lossy(&body).contains("replaced"), "{}", String::from_utf8_lossy(&body));
}
