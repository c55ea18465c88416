//! Staff sign-in through a real OpenID provider (npm `oidc-provider`, started by each test on
//! 127.0.0.1 from `tests/oidc/provider.mjs`), attest served on 127.0.0.1 too: from the sign-in
//! button to a staff session whose rights come from the provider's role claim; then each way a
//! sign-in must be refused, each its own test: a missing or wrong state, a wrong nonce, an
//! id_token whose signature, audience or issuer is wrong, an expired one, a code used twice, a
//! user without an attest role. Skipped, saying so, without Node and the package (`.ci/run`
//! installs them and sets `ATTEST_REQUIRE_TOOLS`, which makes a missing one a failure).

use crate::harness;

use crate::harness::oidc::{Browser, Provider};
use attest::staff::Role;
use attest::web::oidc::NewAccounts;

struct Setup {
    attest: String,
    db: std::path::PathBuf,
    _provider: Provider,
    _dir: tempfile::TempDir,
}

async fn setup(tamper: Option<&str>, new_accounts: NewAccounts) -> Option<Setup> {
    let (listener, url) = harness::oidc::listener();
    let provider = Provider::start(&url, tamper)?;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("attest.sqlite3");
    harness::open_db(&db);
    harness::oidc::serve(listener, db.clone(), &url, provider.config(new_accounts)).await;
    Some(Setup { attest: url, db, _provider: provider, _dir: dir })
}

/// Signs `user` in and returns the browser with its session, and the callback's answer.
async fn sign_in(s: &Setup, user: &str) -> (Browser, harness::oidc::Res) {
    let mut b = Browser::default();
    let callback = b.through_provider(&s.attest, user).await;
    let res = b.get(&callback).await;
    (b, res)
}

fn audit(s: &Setup, action: &str) -> Vec<(String, String, String)> {
    let conn = harness::open_db(&s.db);
    conn.rows_for_tests("SELECT actor, subject, detail FROM audit WHERE action = ?1 ORDER BY id", [action], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
    .unwrap()
}

/// What a refused callback must look like: the status, the page's reason, audited.
async fn refused(s: &Setup, res: &harness::oidc::Res, status: u16, code: &str) {
    assert_eq!(res.status, status, "{}\n{:?}", res.body, audit(s, "staff.sso_refused"));
    assert!(res.body.contains("Sign-in did not go through"), "{}", res.body);
    assert!(res.body.contains(&format!("Reason code: {code}.")), "{}", res.body);
    assert!(res.cookie("attest_session").is_none(), "no session after a refusal");
    let refusals = audit(s, "staff.sso_refused");
    assert!(refusals.iter().any(|(_, _, d)| d.starts_with(&format!("{code}:"))), "{refusals:?}");
    let conn = harness::open_db(&s.db);
    let sessions: i64 = conn.row_for_tests("SELECT count(*) FROM staff_sessions", (), |r| r.get(0)).unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn the_sign_in_button_leads_through_the_provider_to_a_session_whose_role_comes_from_the_claim() {
    let Some(s) = setup(None, NewAccounts::Create).await else { return };
    let mut b = Browser::default();
    let login = b.get(&format!("{}/staff/login", s.attest)).await;
    assert!(login.body.contains("Sign in with Council of Europe account"), "{}", login.body);

    let (mut vera, res) = sign_in(&s, "vera").await;
    assert_eq!(res.status, 303, "{}", res.body);
    assert!(res.location.ends_with("/staff/events"), "{}", res.location);
    assert!(res.cookie("attest_session").is_some());
    // A viewer reads, and is refused a change.
    let events = vera.get(&format!("{}/staff/events", s.attest)).await;
    assert_eq!(events.status, 200, "{}", events.body);
    let create = vera.request("POST", &format!("{}/staff/events", s.attest), Some("csrf=x")).await;
    assert_eq!(create.status, 403);
    assert!(create.body.contains("Your role does not allow this"), "{}", create.body);
    // An issuer may: the handler is reached (and refuses the stale form itself).
    let (mut ivo, _) = sign_in(&s, "ivo").await;
    let create = ivo.request("POST", &format!("{}/staff/events", s.attest), Some("csrf=x")).await;
    assert!(!create.body.contains("Your role does not allow this"), "{}", create.body);

    // Accounts are keyed on the tenant and object ids, with the role the claim gave.
    let conn = harness::open_db(&s.db);
    let (subject, role): (String, String) = conn
        .row_for_tests("SELECT subject, role FROM staff WHERE email = 'vera.viewer@coe.int'", (), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(subject, "entra:3f2504e0-4f89-41d3-9a0c-0305e82c3301:00000000-0000-0000-0000-0000000000c3");
    assert_eq!(role, "viewer");
    // Signing in again finds the same account, not a new one.
    let _ = sign_in(&s, "vera").await;
    let n: i64 = conn.row_for_tests("SELECT count(*) FROM staff", (), |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
    assert_eq!(attest::store::staff::by_subject(&conn, &subject).unwrap().unwrap().role, Role::Viewer);
}

#[tokio::test]
async fn a_callback_with_a_missing_or_wrong_state_is_refused() {
    let Some(s) = setup(None, NewAccounts::Create).await else { return };
    let mut b = Browser::default();
    let callback = b.through_provider(&s.attest, "ana").await;
    let (base, query) = callback.split_once('?').unwrap();
    let without: Vec<&str> = query.split('&').filter(|p| !p.starts_with("state=")).collect();
    let res = b.get(&format!("{base}?{}", without.join("&"))).await;
    refused(&s, &res, 400, "state").await;
    let wrong = callback.replace("state=", "state=forged");
    let res = b.get(&wrong).await;
    refused(&s, &res, 400, "state").await;
    // Another browser (without the state cookie) cannot use this one's callback either.
    let res = Browser::default().get(&callback).await;
    refused(&s, &res, 400, "state").await;
}

/// Signs in through a provider that gets the ID token wrong in the way `fault` names: refused
/// with 403, and the audit line says `why`.
async fn id_token_refused(fault: &str, why: &str) {
    let Some(s) = setup(Some(fault), NewAccounts::Create).await else { return };
    let (_, res) = sign_in(&s, "ana").await;
    refused(&s, &res, 403, "id_token").await;
    assert!(audit(&s, "staff.sso_refused")[0].2.contains(why), "{:?}", audit(&s, "staff.sso_refused"));
}

/// One test per way an ID token can be wrong: `name => (fault, why)` as [`id_token_refused`]
/// takes them. A macro rather than a loop, so that each fault runs and fails on its own.
macro_rules! id_token_refused_tests {
    ($($name:ident => ($fault:literal, $why:literal)),* $(,)?) => {$(
        #[tokio::test]
        async fn $name() {
            id_token_refused($fault, $why).await;
        }
    )*};
}

id_token_refused_tests! {
    an_id_token_with_a_wrong_nonce_is_refused => ("nonce", "nonce"),
    an_id_token_signed_by_another_key_is_refused => ("signature", "Signature"),
    an_id_token_for_another_audience_is_refused => ("audience", "audience"),
    an_id_token_from_another_issuer_is_refused => ("issuer", "issuer"),
    an_expired_id_token_is_refused => ("expired", "Expired"),
}

#[tokio::test]
async fn a_code_used_twice_signs_nobody_in_the_second_time() {
    let Some(s) = setup(None, NewAccounts::Create).await else { return };
    let mut b = Browser::default();
    let callback = b.through_provider(&s.attest, "ana").await;
    let first = b.get(&callback).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let conn = harness::open_db(&s.db);
    conn.execute_for_tests("DELETE FROM staff_sessions", ()).unwrap();
    // The same callback again: its state was used.
    let mut again = Browser::default();
    let start = again.get(&format!("{}/staff/login/oidc", s.attest)).await;
    let state = start.location.split("state=").nth(1).unwrap().split('&').next().unwrap().to_owned();
    let res = b.get(&callback).await;
    refused(&s, &res, 400, "state").await;
    // The code with a fresh, valid state of this browser: the provider refuses the used code.
    let code = callback.split("code=").nth(1).unwrap().split('&').next().unwrap();
    let replay = format!("{}/staff/login/oidc/callback?code={code}&state={state}", s.attest);
    let res = again.get(&replay).await;
    refused(&s, &res, 400, "code").await;
    assert!(
        audit(&s, "staff.sso_refused").last().unwrap().2.contains("invalid_grant"),
        "{:?}",
        audit(&s, "staff.sso_refused")
    );
}

#[tokio::test]
async fn a_user_without_an_attest_role_is_told_why_and_gets_no_account() {
    let Some(s) = setup(None, NewAccounts::Create).await else { return };
    let (_, res) = sign_in(&s, "nora").await;
    refused(&s, &res, 403, "no_role").await;
    assert!(res.body.contains("has no role for attest"), "{}", res.body);
    let conn = harness::open_db(&s.db);
    let n: i64 = conn.row_for_tests("SELECT count(*) FROM staff", (), |r| r.get(0)).unwrap();
    assert_eq!(n, 0);
    // The audit names the provider's subject, not the person.
    let (_, subject, _) = audit(&s, "staff.sso_refused").remove(0);
    assert!(subject.starts_with("entra:") && !subject.contains('@'), "{subject}");
}

#[tokio::test]
async fn with_registered_accounts_only_staff_added_beforehand_come_in() {
    let Some(s) = setup(None, NewAccounts::Registered).await else { return };
    {
        let conn = harness::open_db(&s.db);
        attest::staff::add(&conn, "ivo.issuer@coe.int", Role::Viewer, "test", harness::now()).unwrap();
    }
    let (_, res) = sign_in(&s, "ana").await;
    refused(&s, &res, 403, "not_registered").await;
    let (_, res) = sign_in(&s, "ivo").await;
    assert_eq!(res.status, 303, "{}", res.body);
    // Bound to the subject now, with the role the directory gives.
    let conn = harness::open_db(&s.db);
    let (subject, role): (Option<String>, String) = conn
        .row_for_tests("SELECT subject, role FROM staff WHERE email = 'ivo.issuer@coe.int'", (), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert!(subject.is_some());
    assert_eq!(role, "issuer");
}

/// With `ATTEST_OIDC_NAME` unset, the sign-in button and the refusals say "your organisation's"
/// in words that read, in the page's language (probe 19, finding 14: the default name in
/// English gave "Your account at your organisation's account has no role for attest"). Needs no
/// provider: one that cannot be reached is refused with the same words.
#[tokio::test]
async fn an_unnamed_provider_is_said_in_the_pages_words() {
    let config = attest::web::oidc::OidcConfig {
        issuer: "http://127.0.0.1:1/unreachable".into(),
        client_id: "attest".into(),
        client_secret: attest::web::oidc::ClientSecretValue::new("secret".into()),
        roles_claim: "roles".into(),
        admin_value: "Attest.Admin".into(),
        issuer_value: "Attest.Issuer".into(),
        viewer_value: "Attest.Viewer".into(),
        display_name: String::new(),
        new_accounts: NewAccounts::Create,
    };
    let app = harness::TestApp::new().sign_in(Some(config), true).build();
    let get = |uri: &str, lang: &str| {
        axum::http::Request::get(uri).header("accept-language", lang).body(axum::body::Body::empty()).unwrap()
    };
    let login = app.send(get("/staff/login", "en")).await.body;
    assert!(
        login.contains("Sign in with your organisation&#39;s account")
            || login.contains("Sign in with your organisation's account"),
        "{login}"
    );
    let refused = harness::page_text(&app.send(get("/staff/login/oidc", "en")).await.body);
    assert!(refused.contains("Your organisation's sign-in service cannot be reached"), "{refused}");
    assert!(!refused.contains("organisation's account"), "{refused}");
    let refused = harness::page_text(&app.send(get("/staff/login/oidc", "fr")).await.body);
    assert!(refused.contains("Votre service de connexion est injoignable"), "{refused}");
}
