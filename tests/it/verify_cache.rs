//! Verification by URL keeps signature checks and certificates' statuses in memory (so that a
//! stream of different certificates is answered fast): a status that changes must still show at
//! once when it changes through the server, and within the documented bound when another process
//! (the CLI) changes it.

use crate::harness;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use attest::store::{self, certificates::Certificate};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use harness::TestApp;
use tower::ServiceExt;

struct World {
    router: axum::Router,
    db: PathBuf,
    api_token: String,
    certs: Vec<Certificate>,
    /// Keeps the service's folder.
    _app: TestApp,
}

/// The multilingual webinar issued into a database file, and the service on it.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let path = harness::new_db(dir.path());
    let mut db = harness::Db::at(&path);
    let (ev, _) = db.issued_webinar("echr", &dir.path().join("keys"));
    let certs = store::certificates::for_event(&db.conn, ev.id).unwrap();
    // Finished answers are kept 2 s (the default), which must not hide a revocation either.
    let app = TestApp::on(dir, path).staff("ops@coe.int", attest::staff::Role::Admin, None).token().build();
    World { router: app.router.clone(), db: app.db.clone(), api_token: app.token.clone(), certs, _app: app }
}

impl World {
    /// The verdict `GET /v/{token}` answers in JSON.
    async fn status(&self, c: &Certificate, lang: &str) -> String {
        let req = Request::get(format!("/v/{}?lang={lang}", c.token))
            .header(header::ACCEPT, "application/json")
            .body(Body::empty())
            .unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        v["status"].as_str().unwrap().to_owned()
    }

    fn cert(&self, email: &str) -> &Certificate {
        self.certs.iter().find(|c| c.email.as_deref() == Some(email)).unwrap()
    }
}

#[tokio::test]
async fn a_revocation_through_the_server_shows_on_the_very_next_request_though_the_signature_is_cached() {
    let w = world();
    let olga = w.cert("olga.petrova@example.ua");
    let ayse = w.cert("ayse.yilmaz@example.com.tr");
    // Checked once: the signature check, the record and the answer are now in memory.
    for c in [olga, ayse] {
        assert_eq!(w.status(c, "en").await, "valid");
        assert_eq!(w.status(c, "en").await, "valid");
    }
    let req = Request::post(format!("/api/v1/certificates/{}/revoke", olga.id))
        .header(header::AUTHORIZATION, format!("Bearer {}", w.api_token))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"reason":"issued in error"}"#))
        .unwrap();
    assert_eq!(w.router.clone().oneshot(req).await.unwrap().status(), StatusCode::OK);
    // The same question as before, and one never asked (its answer can only come from the
    // record, with the signature check from memory).
    assert_eq!(w.status(olga, "en").await, "revoked");
    assert_eq!(w.status(olga, "fr").await, "revoked");
    // The others are unchanged.
    assert_eq!(w.status(ayse, "en").await, "valid");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revocation_by_another_process_shows_within_a_second() {
    let w = world();
    let olga = w.cert("olga.petrova@example.ua");
    assert_eq!(w.status(olga, "en").await, "valid");
    assert_eq!(w.status(olga, "en").await, "valid");
    // What `attest revoke` does: its own connection to the file.
    let mut cli = harness::open_db(&w.db);
    store::certificates::revoke(&mut cli, &olga.id, "attendance not confirmed", "cli", chrono::Utc::now()).unwrap();
    let start = Instant::now();
    // README (Verification service): about a tenth of a second; a second leaves room for a busy
    // machine, and is half the time finished answers are kept.
    while w.status(olga, "en").await != "revoked" {
        assert!(start.elapsed() < Duration::from_secs(1), "still valid after {:?}", start.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
