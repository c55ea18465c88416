//! The staff console, in process (`tower::ServiceExt::oneshot`): sign-in and its cookie, the
//! CSRF check on every form, sign-in required on every route, and the whole staff journey
//! (create an event, upload, answer the date-order question, attendance, override, issue with
//! progress, ZIP, revoke and reissue), with names escaped and oversized uploads refused.

use crate::harness;

use std::path::Path;

use attest::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use harness::{Res, Session, TestApp, csrf_in, enc, form, get, send};

const EMAIL: &str = "staff@coe.int";
const PASSWORD: &str = "a long staff password";

/// The service with issuing at `public_url`, uploads up to `max_upload_bytes`, and one admin
/// with a password.
fn app_with(public_url: &str, max_upload_bytes: usize) -> TestApp {
    TestApp::new()
        .issuing()
        .public_url(public_url)
        .config(|c| c.max_upload_bytes = max_upload_bytes)
        .staff(EMAIL, Role::Admin, Some(PASSWORD))
        .build()
}

fn app() -> TestApp {
    app_with("http://127.0.0.1:8080", attest::import::MAX_UPLOAD_BYTES)
}

fn upload(uri: &str, s: &Session, files: &[(&str, &[u8])], extra: &[(&str, &str)]) -> Request<Body> {
    let fields: Vec<(&str, &str)> =
        [("csrf", s.csrf.as_str()), ("timezone", "Europe/Paris")].into_iter().chain(extra.iter().copied()).collect();
    let files: Vec<harness::app::FilePart> =
        files.iter().map(|(name, bytes)| ("files", *name, "text/csv", *bytes)).collect();
    harness::multipart_post(uri, &s.cookie, &fields, &files)
}

/// A console signed in, with an event `slug` created through its form: where most tests here
/// start.
async fn with_event(slug: &str) -> (TestApp, Session) {
    let app = app();
    let s = app.sign_in().await;
    create_event(&app, &s, slug).await;
    (app, s)
}

async fn create_event(app: &TestApp, s: &Session, slug: &str) {
    let body = format!(
        "csrf={}&slug={slug}&title=Freedom+of+expression&series=HELP&starts=&ends=&timezone=Europe%2FParis&language=en&rule_kind=min_percent&rule_value=75&template=",
        s.csrf
    );
    let res = send(app, form("/staff/events", &s.cookie, &body)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), format!("/staff/events/{slug}?done=event-created"));
}

#[tokio::test]
async fn every_staff_route_requires_sign_in() {
    let app = app();
    let gets = [
        "/staff",
        "/staff/events",
        "/staff/events/new",
        "/staff/events/x",
        "/staff/events/x/edit",
        "/staff/events/x/attendance",
        "/staff/events/x/issue",
        "/staff/events/x/certificates",
        "/staff/events/x/certificates.zip",
        "/staff/events/x/certificates.pdf",
        "/staff/certificates/x",
        "/staff/certificates/x/pdf",
        "/staff/audit",
    ];
    for uri in gets {
        let res = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        if uri == "/staff" {
            assert_eq!(res.location(), "/staff/events");
            continue;
        }
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(res.location().starts_with("/staff/login?next="), "{uri}: {}", res.location());
    }
    let posts = [
        "/staff/logout",
        "/staff/events",
        "/staff/events/x/edit",
        "/staff/events/x/uploads",
        "/staff/events/x/uploads/answer",
        "/staff/events/x/override",
        "/staff/events/x/link",
        "/staff/events/x/split",
        "/staff/events/x/issue",
        "/staff/certificates/x/revoke",
        "/staff/certificates/x/reissue",
    ];
    for uri in posts {
        let res = send(&app, form(uri, "attest_session=forged", "csrf=x")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(res.location(), "/staff/login?next=/staff", "{uri}");
    }
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_refuses_wrong_passwords() {
    let app = app();
    let page = send(&app, Request::get("/staff/login").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    let form_cookie = page.cookie("attest_form").unwrap();
    assert!(form_cookie.contains("HttpOnly") && form_cookie.contains("SameSite=Strict"));
    let fc = form_cookie.split(';').next().unwrap();
    let token = csrf_in(&page.body);

    let wrong =
        send(&app, form("/staff/login", fc, &format!("csrf={token}&email={EMAIL}&password=wrong+password+here"))).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Wrong email or password."));
    assert!(wrong.cookie("attest_session").is_none());

    // The form's token must match the cookie set with the form (login CSRF).
    let forged = send(
        &app,
        form("/staff/login", "attest_form=other", &format!("csrf={token}&email={EMAIL}&password={}", enc(PASSWORD))),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let ok =
        send(&app, form("/staff/login", fc, &format!("csrf={token}&email={EMAIL}&password={}", enc(PASSWORD)))).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let session = ok.cookie("attest_session").unwrap();
    for part in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(session.contains(part), "{session}");
    }
    assert!(!session.contains("Secure"), "plain HTTP on loopback: {session}");
    // The session's secret is not in the database, only its hash.
    let value = session.split(';').next().unwrap().trim_start_matches("attest_session=");
    assert_eq!(app.count(&format!("SELECT count(*) FROM staff_sessions WHERE token_sha256 = '{value}'")), 0);

    // Signing out ends the session on the server.
    let cookie = format!("attest_session={value}");
    let events = send(&app, get("/staff/events", &cookie)).await;
    let out = send(&app, form("/staff/logout", &cookie, &format!("csrf={}", csrf_in(&events.body)))).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(send(&app, get("/staff/events", &cookie)).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_secure() {
    let app = app_with("https://attest.example.org", 1 << 20);
    let s = app.sign_in().await;
    assert!(!s.cookie.is_empty());
    let page = send(&app, Request::get("/staff/login").body(Body::empty()).unwrap()).await;
    assert!(page.cookie("attest_form").unwrap().contains("; Secure"));
}

#[tokio::test]
async fn forms_without_the_session_token_are_refused_and_change_nothing() {
    let app = app();
    let s = app.sign_in().await;
    let body = "csrf=not-the-token&slug=evil&title=Evil&timezone=UTC&language=en&rule_kind=min_percent&rule_value=1";
    let res = send(&app, form("/staff/events", &s.cookie, body)).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(res.body.contains("did not come from this site"));
    assert_eq!(app.count("SELECT count(*) FROM events"), 0);
    let res = send(&app, form("/staff/events", &s.cookie, &body.replace("csrf=not-the-token&", ""))).await;
    assert!(res.status.is_client_error(), "{}", res.status);
    assert_eq!(app.count("SELECT count(*) FROM events"), 0);
    // Uploads carry the token in the multipart body.
    create_event(&app, &s, "ev").await;
    let bad = Session { cookie: s.cookie.clone(), csrf: "forged".into() };
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let res = send(&app, upload("/staff/events/ev/uploads", &bad, &[("a.csv", &csv)], &[])).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
}

#[tokio::test]
async fn an_oversized_export_is_refused_with_413_and_nothing_is_stored() {
    let app = app_with("http://127.0.0.1:8080", 64 * 1024);
    let s = app.sign_in().await;
    create_event(&app, &s, "ev").await;
    let big = vec![b'a'; 200 * 1024];
    let res = send(&app, upload("/staff/events/ev/uploads", &s, &[("big.csv", &big)], &[])).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
    assert_eq!(app.count("SELECT count(*) FROM raw_rows"), 0);
}

#[tokio::test]
async fn the_console_asks_for_the_date_order_with_an_example_and_then_imports() {
    let (app, s) = with_event("ev").await;
    let csv = harness::fixture("meeting_report_excel_resaved_own.csv");
    let res = send(&app, upload("/staff/events/ev/uploads", &s, &[("resaved.csv", &csv)], &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    assert!(res.body.contains("reads both ways, for example"), "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
    let pending = pending(&res);
    let answer = format!("csrf={}&pending={pending}&date_order=mdy&timezone=Europe%2FParis", s.csrf);
    let res = send(&app, form("/staff/events/ev/uploads/answer", &s.cookie, &answer)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("date order month/day/year"), "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 1);
    // The kept files are used once.
    let again = send(&app, form("/staff/events/ev/uploads/answer", &s.cookie, &answer)).await;
    assert_eq!(again.status, StatusCode::GONE);
}

/// A file Excel saved in cp1250 whose code page the guess got wrong: the report says its names
/// read otherwise in windows-1250, and the upload form's "Text encoding" reads it right.
#[tokio::test]
async fn the_upload_form_reads_a_file_in_the_encoding_staff_choose() {
    let (app, s) = with_event("ev").await;
    let text = "Name (Original Name);User Email;Join Time;Leave Time;Duration (Minutes);Guest\r\n\
                Nagy Győző;gy.nagy@example.hu;14.03.2025 10:00;14.03.2025 11:30;90;No\r\n\
                Kovács Őrs;;14.03.2025 10:10;14.03.2025 10:50;40;Yes\r\n\
                Szabó Ildikó;;14.03.2025 10:00;14.03.2025 11:30;90;Yes\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(text);
    let page = send(&app, get("/staff/events/ev", &s.cookie)).await.body;
    assert!(page.contains("<option value=\"windows-1250\">windows-1250 · Central European (Excel)</option>"), "{page}");
    let res = send(&app, upload("/staff/events/ev/uploads", &s, &[("guessed.csv", &bytes)], &[])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("reads otherwise in another code page (windows-1250)"), "{}", res.body);
    let people = send(&app, get("/staff/events/ev/attendance", &s.cookie)).await.body;
    assert!(people.contains("Nagy Gyõzõ") && people.contains("Nagy Győző&quot; in windows-1250"), "{people}");

    let (app, s) = with_event("ev").await;
    let res =
        send(&app, upload("/staff/events/ev/uploads", &s, &[("named.csv", &bytes)], &[("encoding", "windows-1250")]))
            .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("windows-1250") && !res.body.contains("reads otherwise"), "{}", res.body);
    let people = send(&app, get("/staff/events/ev/attendance", &s.cookie)).await.body;
    assert!(people.contains("Nagy Győző"), "{people}");
}

/// Issue 22: a file whose headers attest does not know. The console shows the first rows and a
/// column selector per field, prefilled with what the cells suggest; staff correct one and
/// confirm; the attendance appears; the next file with the same header row imports at once.
#[tokio::test]
async fn the_console_asks_which_column_holds_what_and_remembers_it() {
    let (app, s) = with_event("lt").await;
    let csv = "Vardas,El. paštas,Prisijungė,Atsijungė\n\
        Ona Kazlauskienė,ona@seimas.example,2024-05-06 10:00:00,2024-05-06 11:30:00\n\
        Jonas Petraitis,jonas@seimas.example,2024-05-06 10:10:00,2024-05-06 10:40:15\n\
        Rūta Žukauskaitė,ruta@seimas.example,2024-05-06 09:55:00,2024-05-06 11:35:00\n";
    let res = send(&app, upload("/staff/events/lt/uploads", &s, &[("ataskaita.csv", csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    assert!(res.body.contains("does not know this file"), "{}", res.body);
    // The preview and the prefilled selectors.
    assert!(res.body.contains("<td translate=\"no\">jonas@seimas.example</td>"), "{}", res.body);
    preselected(&res, &[("name", 0), ("email", 1), ("join", 2), ("leave", 3)]);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
    let pending = pending(&res);
    let answer = format!(
        "csrf={}&pending={pending}&timezone=UTC&col_name=0&col_email=1&col_join=2&col_leave=3&col_duration=&col_role=",
        s.csrf
    );
    let res = send(&app, form("/staff/events/lt/uploads/answer", &s.cookie, &answer)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("mapped-columns"), "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM connections"), 3);
    let people = send(&app, get("/staff/events/lt/attendance", &s.cookie)).await;
    assert!(people.body.contains("Jonas Petraitis"), "{}", people.body);
    // A percentage stays on one line with its sign (the reason wrapped between `99` and `%`).
    assert!(people.body.contains("rule: at least 75\u{a0}%</span>"), "{}", people.body);
    // Next week's file: same header row, imported at once.
    let next = "Vardas,El. paštas,Prisijungė,Atsijungė\n\
        Ona Kazlauskienė,ona@seimas.example,2024-05-13 10:00:00,2024-05-13 10:30:00\n";
    imported_with_remembered_columns(&app, &s, "lt", "ataskaita2.csv", next).await;
}

/// A first and a last name in two columns (a Google Meet report in another language): the
/// question has a selector for the name's second column, and the certificate's name is both
/// (before, staff could choose only one: "Ona" or "Kazlauskienė").
#[tokio::test]
async fn the_column_question_takes_a_name_in_two_columns() {
    let (app, s) = with_event("lt2").await;
    let csv = "Vardas,Pavardė,El. paštas,Prisijungė,Atsijungė\n\
        Ona,Kazlauskienė,ona@seimas.example,2024-05-06 10:00:00,2024-05-06 11:30:00\n\
        Jonas,Petraitis,jonas@seimas.example,2024-05-06 10:10:00,2024-05-06 10:40:15\n\
        Rūta,Žukauskaitė,ruta@seimas.example,2024-05-06 09:55:00,2024-05-06 11:35:00\n";
    let res = send(&app, upload("/staff/events/lt2/uploads", &s, &[("vardai.csv", csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    assert!(res.body.contains("<select id=\"col_name2\" name=\"col_name2\">"), "{}", res.body);
    let res = answer_question(
        &app,
        &s,
        "lt2",
        &res,
        "col_name=0&col_name2=1&col_email=2&col_join=3&col_leave=4&col_duration=&col_role=",
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let people = send(&app, get("/staff/events/lt2/attendance", &s.cookie)).await;
    assert!(people.body.contains("<bdi>Ona Kazlauskienė</bdi>"), "{}", people.body);
}

/// Issue 22, item 3: an event log in a language attest has no words for (Turkish here). The
/// column question shows the action and time columns and, per action word, what it means, with
/// what the cells suggest (a tie here: one person's log starts with a leave, so nothing is
/// preselected); staff choose, the attendance appears, and the words are remembered.
#[tokio::test]
async fn the_console_asks_what_an_event_logs_action_words_mean() {
    let (app, s) = with_event("tr").await;
    let csv = "Ad Soyad,E-posta,Eylem,Zaman\n\
        Elif Kaya,elif@tbmm.example,Katıldı,2024-05-06 10:00:00\n\
        Elif Kaya,elif@tbmm.example,Ayrıldı,2024-05-06 10:30:00\n\
        Mehmet Öz,mehmet@tbmm.example,Ayrıldı,2024-05-06 10:05:00\n\
        Mehmet Öz,mehmet@tbmm.example,Katıldı,2024-05-06 10:20:00\n\
        Deniz Ak,deniz@tbmm.example,Katıldı,2024-05-06 10:01:00\n\
        Deniz Ak,deniz@tbmm.example,Ayrıldı,2024-05-06 10:31:00\n\
        Can Yıldız,can@tbmm.example,Ayrıldı,2024-05-06 10:02:00\n\
        Can Yıldız,can@tbmm.example,Katıldı,2024-05-06 10:12:00\n";
    let res = send(&app, upload("/staff/events/tr/uploads", &s, &[("kayit.csv", csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    preselected(&res, &[("name", 0), ("email", 1), ("action", 2), ("time", 3)]);
    assert!(!res.body.contains("name=\"col_join\""), "no join/leave selectors for a log: {}", res.body);
    assert!(res.body.contains("<strong translate=\"no\">Katıldı</strong> means"), "{}", res.body);
    assert!(res.body.contains("name=\"wordtext_0\" value=\"Ayrıldı\""), "{}", res.body);
    let pending = pending(&res);
    let answer = format!(
        "csrf={}&pending={pending}&timezone=UTC&col_name=0&col_email=1&col_action=2&col_time=3&col_role=\
         &word_0=left&wordtext_0=Ayr%C4%B1ld%C4%B1&word_1=joined&wordtext_1=Kat%C4%B1ld%C4%B1",
        s.csrf
    );
    let res = send(&app, form("/staff/events/tr/uploads/answer", &s.cookie, &answer)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("mapped-columns"), "{}", res.body);
    let people = send(&app, get("/staff/events/tr/attendance", &s.cookie)).await;
    assert!(people.body.contains("Elif Kaya"), "{}", people.body);
    // The same header row next time: imported at once, the words remembered.
    let next = "Ad Soyad,E-posta,Eylem,Zaman\n\
        Elif Kaya,elif@tbmm.example,Katıldı,2024-05-13 10:00:00\n\
        Elif Kaya,elif@tbmm.example,Ayrıldı,2024-05-13 10:45:00\n";
    imported_with_remembered_columns(&app, &s, "tr", "kayit2.csv", next).await;
}

/// Times of day beside a column of each row's day, spanning two days: the question preselects
/// the day column (a selector of its own, "Day of each row's times"), and each row's times are
/// stored on its day (there was no such selector: every row was read on one day).
#[tokio::test]
async fn the_column_question_reads_each_rows_times_on_its_own_day() {
    let (app, s) = with_event("d2").await;
    let csv = "Vardas,Data,Prisijungė,Atsijungė\n\
        Ona Kazlauskienė,2024-05-06,10:00:00,11:30:00\n\
        Jonas Petraitis,2024-05-06,10:10:00,10:40:15\n\
        Rūta Žukauskaitė,2024-05-07,09:55:00,11:35:00\n";
    let res = send(&app, upload("/staff/events/d2/uploads", &s, &[("dienos.csv", csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    preselected(&res, &[("name", 0), ("date", 1), ("join", 2), ("leave", 3)]);
    assert!(res.body.contains("<label for=\"col_date\">Day of each row’s times (optional)</label>"), "{}", res.body);
    let res =
        answer_question(&app, &s, "d2", &res, "col_name=0&col_date=1&col_join=2&col_leave=3&col_duration=&col_role=")
            .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM connections WHERE join_at LIKE '2024-05-07%09:55:00%'"), 1);
    assert_eq!(app.count("SELECT count(*) FROM connections WHERE join_at LIKE '2024-05-06%'"), 2);
}

/// A table of times of day with no day anywhere (no header row, no date in its name): once its
/// columns are confirmed, the console asks for the day, keeping the columns (which a table
/// without a header row cannot remember) for the next attempt. Before, the file was refused with
/// "import again with --date", which the console had no field for: a dead end.
#[tokio::test]
async fn the_console_asks_for_the_day_of_a_file_of_times_of_day() {
    let (app, s) = with_event("day").await;
    let csv = "Ona Kazlauskienė,ona@seimas.example,10:00:00,11:30:00\n\
        Jonas Petraitis,jonas@seimas.example,10:10:00,10:40:15\n\
        Rūta Žukauskaitė,ruta@seimas.example,09:55:00,11:35:00\n";
    let res = send(&app, upload("/staff/events/day/uploads", &s, &[("rows.csv", csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    let res = answer_question(&app, &s, "day", &res, "col_name=0&col_email=1&col_join=2&col_leave=3").await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    assert!(res.body.contains("<label for=\"meeting_date\">Day of the meeting</label>"), "{}", res.body);
    assert!(res.body.contains("holds times of day without a date"), "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
    assert!(res.body.contains("name=\"meeting_date\" required"), "no day to offer: {}", res.body);
    let res = answer_question(&app, &s, "day", &res, "meeting_date=2024-05-06").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM connections WHERE join_at LIKE '2024-05-06%10:10:00%'"), 1);
    // An event whose window staff set: its day is offered, to confirm.
    let body = format!(
        "csrf={}&slug=held&title=Held&series=&starts=2025-03-14T10%3A00&ends=2025-03-14T11%3A40&timezone=Europe%2FParis&language=en&rule_kind=min_percent&rule_value=75&template=",
        s.csrf
    );
    assert_eq!(send(&app, form("/staff/events", &s.cookie, &body)).await.status, StatusCode::SEE_OTHER);
    let res = send(&app, upload("/staff/events/held/uploads", &s, &[("rows2.csv", csv.as_bytes())], &[])).await;
    let res = answer_question(&app, &s, "held", &res, "col_name=0&col_email=1&col_join=2&col_leave=3").await;
    assert!(res.body.contains("name=\"meeting_date\" value=\"2025-03-14\" required"), "{}", res.body);
    // An event created without times whose Zoom export came first: its header's day is offered.
    create_event(&app, &s, "zoomed").await;
    let zoom = harness::fixture("meeting_unique_users_2020_bom_crlf.csv");
    let res = send(&app, upload("/staff/events/zoomed/uploads", &s, &[("zoom.csv", &zoom)], &[])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let res = send(&app, upload("/staff/events/zoomed/uploads", &s, &[("rows3.csv", csv.as_bytes())], &[])).await;
    let res = answer_question(&app, &s, "zoomed", &res, "col_name=0&col_email=1&col_join=2&col_leave=3").await;
    assert!(res.body.contains("name=\"meeting_date\" value=\"2020-09-24\" required"), "{}", res.body);
}

/// A table without a header row: nothing to remember its columns by, so the confirmed columns
/// apply to this import only (and the same file asks again next time).
#[tokio::test]
async fn the_console_confirms_the_columns_of_a_table_without_a_header_row() {
    let (app, s) = with_event("nh").await;
    let csv = "Ona Kazlauskienė,ona@seimas.example,2024-05-06 10:00:00,2024-05-06 11:30:00\n\
        Jonas Petraitis,jonas@seimas.example,2024-05-06 10:10:00,2024-05-06 10:40:15\n\
        Rūta Žukauskaitė,ruta@seimas.example,2024-05-06 09:55:00,2024-05-06 11:35:00\n";
    let res = send(&app, upload("/staff/events/nh/uploads", &s, &[("rows.csv", csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    let pending = pending(&res);
    let answer =
        format!("csrf={}&pending={pending}&timezone=UTC&col_name=0&col_email=1&col_join=2&col_leave=3", s.csrf);
    let res = send(&app, form("/staff/events/nh/uploads/answer", &s.cookie, &answer)).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("mapped-columns"), "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM connections"), 3);
    assert_eq!(app.count("SELECT count(*) FROM column_mappings"), 0);
}

/// Uploads the synthetic webinar report (its people and their times) to the event `slug`.
async fn upload_report(app: &TestApp, s: &Session, slug: &str) -> Res {
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    send(app, upload(&format!("/staff/events/{slug}/uploads"), s, &[("report.csv", &csv)], &[])).await
}

/// Answers the question of `res` (a page of the upload's questions) with `fields`: the column
/// selectors (`col_name=0&…`) or another answer (`meeting_date=…`).
async fn answer_question(app: &TestApp, s: &Session, slug: &str, res: &Res, fields: &str) -> Res {
    let answer = format!("csrf={}&pending={}&timezone=UTC&{fields}", s.csrf, pending(res));
    send(app, form(&format!("/staff/events/{slug}/uploads/answer"), &s.cookie, &answer)).await
}

/// The id of the kept files a question's form carries (its hidden `pending` field).
fn pending(res: &Res) -> &str {
    let at = res.body.find("name=\"pending\" value=\"").unwrap() + 22;
    &res.body[at..at + res.body[at..].find('"').unwrap()]
}

/// The column question's selectors come preselected as the cells suggest: `(field, column)`.
#[track_caller]
fn preselected(res: &Res, expected: &[(&str, usize)]) {
    for (field, col) in expected {
        let select = &res.body[res.body.find(&format!("name=\"col_{field}\"")).unwrap()..];
        let select = &select[..select.find("</select>").unwrap()];
        assert!(select.contains(&format!("<option value=\"{col}\" selected>")), "{field}: {select}");
    }
}

/// The next file with a confirmed header row imports at once, saying its columns were remembered.
async fn imported_with_remembered_columns(app: &TestApp, s: &Session, slug: &str, name: &str, csv: &str) {
    let res = send(app, upload(&format!("/staff/events/{slug}/uploads"), s, &[(name, csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("remembered"), "{}", res.body);
}

/// Polls the progress page until the bulk issue is done.
async fn issue_all(app: &TestApp, s: &Session, slug: &str) -> String {
    let res = send(app, s.form(&format!("/staff/events/{slug}/issue"), "")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), format!("/staff/events/{slug}/issue"));
    for _ in 0..300 {
        let page = send(app, get(&format!("/staff/events/{slug}/issue"), &s.cookie)).await;
        if page.body.contains("Certificates issued") {
            return page.body;
        }
        assert!(page.body.contains("http-equiv=\"refresh\""), "{}", page.body);
        assert!(page.body.contains("<progress"));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the bulk issue did not finish");
}

#[tokio::test]
async fn staff_create_upload_correct_issue_download_revoke_and_reissue() {
    let (app, s) = with_event("echr").await;
    upload_and_correct(&app, &s).await;
    issue_and_download(&app, &s).await;
    names_are_text_on_every_page(&app, &s).await;
    let conn = harness::open_db(&app.db);
    let zaneta: (String, String) = conn
        .row_for_tests("SELECT id, token FROM certificates WHERE name = 'Żaneta Wójcik'", (), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    revoke_one(&app, &s, &zaneta).await;
    reissue_one(&app, &s).await;
    audit_names_and_filters(&app, &s, &zaneta.0).await;
}

#[tokio::test]
async fn events_can_be_edited_and_bad_input_is_explained() {
    let (app, s) = with_event("ev").await;
    let edit = send(&app, get("/staff/events/ev/edit", &s.cookie)).await;
    assert!(edit.body.contains("value=\"Freedom of expression\""));
    let body = format!(
        "csrf={}&title=New+title&series=&starts=2025-03-14T10%3A00&ends=2025-03-14T11%3A40&timezone=Europe%2FParis&language=fr&rule_kind=min_minutes&rule_value=60&template=",
        s.csrf
    );
    let res = send(&app, form("/staff/events/ev/edit", &s.cookie, &body)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = send(&app, get("/staff/events/ev", &s.cookie)).await;
    assert!(
        page.body.contains("New title") && page.body.contains("2025-03-14 10:00 – 11:40 Europe/Paris"),
        "{}",
        page.body
    );
    assert!(page.body.contains("at least 60 min"), "{}", page.body);
    // Ends before it starts: the page says why and the event is unchanged.
    let bad = body.replace("ends=2025-03-14T11%3A40", "ends=2025-03-14T09%3A00");
    let res = send(&app, form("/staff/events/ev/edit", &s.cookie, &bad)).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("The end must come after the start."), "{}", res.body);
}

#[tokio::test]
async fn the_first_account_comes_from_the_setup_link_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = harness::new_db(dir.path());
    let link = attest::staff::first_run_link(&harness::open_db(&db), chrono::Utc::now()).unwrap().unwrap();
    let app = TestApp::on(dir, db.clone())
        .pool(1)
        .config(|c| {
            c.issuer = "CoE".into();
            c.mail_from = "attest <a@example.org>".into();
            c.max_upload_bytes = 1 << 20;
        })
        .build();
    let uri = format!("/staff/setup/{}", link.expose());
    let page = send(&app, Request::get(&uri).body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("create the first staff account"));
    let fc = page.cookie("attest_form").unwrap().split(';').next().unwrap().to_owned();
    let token = csrf_in(&page.body);
    let short =
        send(&app, form(&uri, &fc, &format!("csrf={token}&email=first%40coe.int&password=short&repeat=short"))).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.body.contains("too short"));
    // Long enough, and among the first that guessing tries: refused, the link still unspent.
    let guessed = send(
        &app,
        form(&uri, &fc, &format!("csrf={token}&email=first%40coe.int&password=aaaaaaaaaaaa&repeat=aaaaaaaaaaaa")),
    )
    .await;
    assert_eq!(guessed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(guessed.body.contains("among the first that guessing tries"), "{}", guessed.body);
    assert_eq!(harness::count(&db, "SELECT count(*) FROM staff"), 0);
    let pw = enc("a long enough password");
    let ok =
        send(&app, form(&uri, &fc, &format!("csrf={token}&email=first%40coe.int&password={pw}&repeat={pw}"))).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert!(ok.cookie("attest_session").is_some());
    assert_eq!(
        harness::count(
            &db,
            "SELECT count(*) FROM staff WHERE email = 'first@coe.int' AND password_hash LIKE '$argon2id$%'"
        ),
        1
    );
    let used = send(&app, Request::get(&uri).body(Body::empty()).unwrap()).await;
    assert_eq!(used.status, StatusCode::NOT_FOUND);
}

/// Two addresses of one person linked on a series' page: the form lists the series' addresses by
/// name; one address twice or no reason comes back with the form as sent; linked, the person is
/// one and eligible, the link listed with its reason; undone, two people again. Without the
/// session's CSRF token nothing changes.
#[tokio::test]
async fn a_series_page_links_two_addresses_of_one_person() {
    let app = app();
    {
        let mut db = harness::Db::at(&app.db);
        harness::series_fixture_with_a_second_address(&mut db);
    }
    let s = app.sign_in().await;
    let url = "/staff/series/cybercrime-2020";
    let page = send(&app, get(url, &s.cookie)).await;
    assert!(
        page.body.contains("<option value=\"wei.chen@home.example\">Chen Wei &lt;wei.chen@home.example&gt;</option>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("6 people, <strong>4</strong> eligible."), "{}", page.body);
    let links = || app.count("SELECT count(*) FROM series_links");
    let res = send(
        &app,
        form(&format!("{url}/links"), &s.cookie, "csrf=forged&a=chen@example.org&b=wei.chen@home.example&reason=x"),
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = send(&app, s.form(&format!("{url}/links"), "a=chen%40example.org&b=chen%40example.org&reason=")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("Choose two different addresses.") && res.body.contains("Give a reason"), "{}", res.body);
    assert_eq!(links(), 0);
    let body = format!("a=chen%40example.org&b=wei.chen%40home.example&reason={}", enc("his home address <i>"));
    let res = send(&app, s.form(&format!("{url}/links"), &body)).await;
    assert_eq!(res.location(), format!("{url}?done=series-saved"), "{}", res.body);
    assert_eq!(links(), 1);
    let page = send(&app, get(url, &s.cookie)).await;
    assert!(page.body.contains("5 people, <strong>5</strong> eligible."), "{}", page.body);
    assert!(page.body.contains("his home address &lt;i&gt;"), "{}", page.body);
    let res =
        send(&app, s.form(&format!("{url}/links/remove"), "a=chen%40example.org&b=wei.chen%40home.example")).await;
    assert_eq!(res.location(), format!("{url}?done=series-saved"), "{}", res.body);
    assert_eq!(links(), 0);
    let page = send(&app, get(url, &s.cookie)).await;
    assert!(page.body.contains("6 people, <strong>4</strong> eligible."), "{}", page.body);
}

/// Series in the console (issue 12): every route needs sign-in; every form needs the session's
/// CSRF token and changes nothing without it; staff create a series, add the fixture's events,
/// set the rule, see the decisions with their sentences, issue, and open a certificate.
#[tokio::test]
async fn series_pages_need_sign_in_and_csrf_and_issue_a_series() {
    let app = app();
    for uri in ["/staff/series", "/staff/series/x"] {
        let res = send(&app, Request::get(uri).body(Body::empty()).unwrap()).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert!(res.location().starts_with("/staff/login?next="), "{uri}");
    }
    for uri in [
        "/staff/series",
        "/staff/series/x/events",
        "/staff/series/x/events/remove",
        "/staff/series/x/rule",
        "/staff/series/x/issue",
    ] {
        let res = send(&app, form(uri, "attest_session=forged", "csrf=x")).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{uri}");
        assert_eq!(res.location(), "/staff/login?next=/staff", "{uri}");
    }
    {
        let mut db = harness::Db::at(&app.db);
        harness::series_fixture(&mut db);
    }
    let s = app.sign_in().await;
    let series_count = || app.count("SELECT count(*) FROM series");
    let res = send(&app, form("/staff/series", &s.cookie, "csrf=forged&slug=web-2020&title=Web&language=en")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(series_count(), 1);
    let body = format!("csrf={}&slug=web-2020&title={}&language=en", s.csrf, enc("Seminars 2020 <b>"));
    let res = send(&app, form("/staff/series", &s.cookie, &body)).await;
    assert_eq!(res.location(), "/staff/series/web-2020?done=series-created");
    assert_eq!(series_count(), 2);
    for e in ["s2020-asia", "s2020-africa-en", "s2020-africa-fr", "s2020-latam-en"] {
        let res = send(&app, s.form("/staff/series/web-2020/events", &format!("event={e}"))).await;
        assert_eq!(res.location(), "/staff/series/web-2020?done=series-saved", "{}", res.body);
    }
    let res = send(&app, form("/staff/series/web-2020/rule", &s.cookie, "csrf=forged&at_least=3")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = send(&app, s.form("/staff/series/web-2020/rule", "at_least=9")).await;
    assert!(res.body.contains("the series has 4 event(s)"), "{}", res.body);
    let res = send(&app, s.form("/staff/series/web-2020/rule", "at_least=3")).await;
    assert_eq!(res.location(), "/staff/series/web-2020?done=series-saved");
    let page = send(&app, get("/staff/series/web-2020", &s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert!(page.body.contains("Seminars 2020 &lt;b&gt;"), "the title is escaped");
    assert!(page.body.contains("Rule: at least 3 of the 4 sessions"), "{}", page.body);
    assert!(
        page.body.contains("s2020-africa-fr: counted by a staff override (&quot;joined by phone&quot;)"),
        "{}",
        page.body
    );
    assert!(page.body.contains("5 people, <strong>4</strong> eligible."), "{}", page.body);
    let res = send(&app, form("/staff/series/web-2020/issue", &s.cookie, "csrf=forged")).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.count("SELECT count(*) FROM certificates WHERE series_id IS NOT NULL"), 0);
    let res = send(&app, s.form("/staff/series/web-2020/issue", "")).await;
    assert_eq!(res.location(), "/staff/series/web-2020?done=series-issued", "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM certificates WHERE series_id IS NOT NULL"), 4);
    let page = send(&app, get("/staff/series/web-2020", &s.cookie)).await;
    let at = page.body.find("href=\"/staff/certificates/").expect("a certificate link") + 6;
    let link = &page.body[at..at + page.body[at..].find('"').unwrap()];
    let cert = send(&app, get(link, &s.cookie)).await;
    assert_eq!(cert.status, StatusCode::OK, "{link}");
    let res = send(&app, s.form("/staff/series/web-2020/events/remove", "event=s2020-latam-en")).await;
    assert_eq!(res.location(), "/staff/series/web-2020?done=series-saved");
    // The public verify page of a series certificate lists its sessions.
    let token: String = harness::open_db(&app.db)
        .row_for_tests(
            "SELECT token FROM certificates WHERE series_id IS NOT NULL AND email = 'dalia@example.org'",
            (),
            |r| r.get(0),
        )
        .unwrap();
    let public = send(&app, Request::get(format!("/v/{token}?lang=fr")).body(Body::empty()).unwrap()).await;
    assert_eq!(public.status, StatusCode::OK);
    for needle in [
        "Séances suivies",
        "24 juin 2020 · Seminar with Asia-Pacific countries",
        "9 juillet 2020 · Séminaire avec les pays africains",
        "Seminars 2020 &lt;b&gt;",
    ] {
        assert!(public.body.contains(needle), "{needle:?} not on the verify page: {}", public.body);
    }
    assert!(!public.body.contains("Seminar with Latin American"), "Dalia did not attend it");
    if let Ok(dir) = std::env::var("ATTEST_SERIES_PNG_DIR") {
        let css = format!("file://{}/assets/web/site.css", env!("CARGO_MANIFEST_DIR"));
        std::fs::write(Path::new(&dir).join("verify-series.html"), public.body.replace("/static/site.css", &css))
            .unwrap();
    }
    let list = send(&app, get("/staff/series", &s.cookie)).await;
    assert!(list.body.contains("at least 3 of the 3 sessions"), "{}", list.body);
    if let Ok(dir) = std::env::var("ATTEST_SERIES_PNG_DIR") {
        std::fs::write(
            Path::new(&dir).join("console-series.html"),
            page.body
                .replace("/static/site.css", &format!("file://{}/assets/web/site.css", env!("CARGO_MANIFEST_DIR"))),
        )
        .unwrap();
    }
}

#[tokio::test]
async fn staff_see_how_often_a_certificate_was_verified_and_when_but_not_by_whom() {
    let (app, s) = with_event("echr").await;
    let res = upload_report(&app, &s, "echr").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    issue_all(&app, &s, "echr").await;
    let (id, token): (String, String) = harness::open_db(&app.db)
        .row_for_tests("SELECT id, token FROM certificates ORDER BY id LIMIT 1", (), |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let page = send(&app, get(&format!("/staff/certificates/{id}"), &s.cookie)).await;
    assert!(page.body.contains("not verified yet"), "{}", page.body);
    // Three scans of the QR code (the second and third answered from memory) and a lookup by code.
    for _ in 0..3 {
        assert_eq!(send(&app, get(&format!("/v/{token}"), "")).await.status, StatusCode::OK);
    }
    let by_code = Request::post("/verify/code")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("code={id}")))
        .unwrap();
    assert_eq!(send(&app, by_code).await.status, StatusCode::OK);
    let page = send(&app, get(&format!("/staff/certificates/{id}"), &s.cookie)).await;
    assert!(page.body.contains("verified 4 times, last on"), "{}", page.body);
    // A count and a time: nothing about who asked is kept.
    let conn = harness::open_db(&app.db);
    let columns = harness::app::columns(&conn, "certificate_verifications");
    assert_eq!(columns, ["certificate_id", "count", "last_at"]);
}

// ---------------------------------------------------------------------------------------------
// Issue 23.

/// A sign-in attempt from `client`.
fn sign_in_from(client: &str, fc: &str, token: &str, password: &str) -> Request<Body> {
    let mut req = form("/staff/login", fc, &format!("csrf={token}&email={EMAIL}&password={}", enc(password)));
    let addr: std::net::SocketAddr = format!("{client}:40000").parse().unwrap();
    req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    req
}

/// The sign-in page's pre-session cookie and form token, for attempts sent to `/staff/login`.
async fn login_page(app: &TestApp) -> (String, String) {
    let page = send(app, Request::get("/staff/login").body(Body::empty()).unwrap()).await;
    let fc = page.cookie("attest_form").unwrap().split(';').next().unwrap().to_owned();
    (fc, csrf_in(&page.body))
}

/// Failing on purpose from one client slows that client, not the account's owner elsewhere.
#[tokio::test]
async fn sign_in_throttling_slows_the_attackers_client_not_the_account() {
    let app = app();
    let (fc, token) = login_page(&app).await;
    for _ in 0..10 {
        let res = send(&app, sign_in_from("127.0.0.2", &fc, &token, "wrong password here")).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    let res = send(&app, sign_in_from("127.0.0.2", &fc, &token, PASSWORD)).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS, "the attacker's client is slowed");
    let res = send(&app, sign_in_from("127.0.0.3", &fc, &token, PASSWORD)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "the owner signs in from their own client");
}

/// A refused password sign-in on an account is in the audit log, as the OpenID provider's
/// refusals are (round 19: only the sign-ins that worked were there). An address without an
/// account writes nothing: anyone can type one.
#[tokio::test]
async fn a_refused_sign_in_on_an_account_is_audited_and_one_on_no_account_is_not() {
    let app = app();
    let (fc, token) = login_page(&app).await;
    let res = send(&app, sign_in_from("127.0.0.4", &fc, &token, "wrong password here")).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    let nobody = form("/staff/login", &fc, &format!("csrf={token}&email=nobody%40coe.int&password=whatever+it+is"));
    assert_eq!(send(&app, nobody).await.status, StatusCode::UNAUTHORIZED);
    let refused = "SELECT count(*) FROM audit WHERE action = 'staff.login_refused'";
    assert_eq!(app.count(refused), 1);
    assert_eq!(app.count(&format!("{refused} AND subject = '{EMAIL}' AND detail = 'wrong password'")), 1);
}

#[tokio::test]
async fn a_language_switch_with_a_line_break_in_next_falls_back_to_the_events() {
    let app = app();
    for next in ["/staff/%0d%0aSet-Cookie:%20x=1", "/staff/events%0a", "/staff/%5c%5cevil.example", "//evil.example"] {
        let res =
            send(&app, Request::get(format!("/staff/language/fr?next={next}")).body(Body::empty()).unwrap()).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{next}: {}", res.body);
        assert_eq!(res.location(), "/staff/events", "{next}");
    }
    let res = send(&app, Request::get("/staff/language/fr?next=/staff/audit").body(Body::empty()).unwrap()).await;
    assert_eq!(res.location(), "/staff/audit");
}

#[tokio::test]
async fn a_named_empty_file_is_refused_by_name() {
    let (app, s) = with_event("ev").await;
    let res = send(&app, upload("/staff/events/ev/uploads", &s, &[("participants.csv", b"")], &[])).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("participants.csv") && res.body.contains("empty"), "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 0);
}

#[tokio::test]
async fn the_attendance_page_of_a_large_event_comes_a_page_at_a_time() {
    let app = app();
    let s = app.sign_in().await;
    let body = format!(
        "csrf={}&slug=ev&title=Big&series=&starts=2025-03-14T10%3A00&ends=2025-03-14T11%3A40&timezone=Europe%2FParis&language=en&rule_kind=min_percent&rule_value=75&template=",
        s.csrf
    );
    assert_eq!(send(&app, form("/staff/events", &s.cookie, &body)).await.status, StatusCode::SEE_OTHER);
    let mut csv = String::from("Name (original name),Email,Join time,Leave time,Duration (minutes)\n");
    for p in 0..1200 {
        csv.push_str(&format!("Person {p},p{p}@example.org,03/14/2025 10:00:00,03/14/2025 11:40:00,100\n"));
    }
    let res = send(&app, upload("/staff/events/ev/uploads", &s, &[("big.csv", csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(
        res.body.contains("1,201 in all: 1,200 imported, 0 skipped, 0 refused, 1 headers and context, 0 blank"),
        "{}",
        res.body
    );
    let page1 = send(&app, get("/staff/events/ev/attendance", &s.cookie)).await;
    assert!(page1.body.contains("1,200 people"), "the count is the whole event's");
    assert!(page1.body.contains("Page 1 of 3"));
    assert_eq!(page1.body.matches("<tr role=\"row\" class=").count(), 500);
    let page3 = send(&app, get("/staff/events/ev/attendance?page=3", &s.cookie)).await;
    assert_eq!(page3.body.matches("<tr role=\"row\" class=").count(), 200);
    let first_row = |body: &str| {
        let at = body.find("<tr role=\"row\" class=").unwrap();
        let name_at = at + body[at..].find("<bdi>").unwrap() + 5;
        body[name_at..name_at + body[name_at..].find('<').unwrap()].to_owned()
    };
    assert_ne!(first_row(&page1.body), first_row(&page3.body), "another page, other people");
    let event = send(&app, get("/staff/events/ev", &s.cookie)).await;
    assert!(event.body.contains("1,200 people") && event.body.contains("Issue 1,200 certificates"), "{}", event.body);
}

/// Issue 21: the attendance page in plain words: time attended as "1 h 41 min", no `email:…`
/// key printed under the names, and a "Correct" link on each row that chooses the person in
/// the forms below (lists of people, not keys typed by hand).
#[tokio::test]
async fn the_attendance_page_speaks_of_people_and_hours_not_keys() {
    let (app, s) = with_event("echr").await;
    let res = upload_report(&app, &s, "echr").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = send(&app, get("/staff/events/echr/attendance", &s.cookie)).await;
    // What a reader sees: the text outside tags (titles and option values are not read out).
    let mut text = String::new();
    let mut in_tag = false;
    for ch in page.body.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    assert!(text.contains("1\u{a0}h 41\u{a0}min"), "{text}");
    assert!(!text.contains("101:"), "{text}");
    assert!(!text.contains("email:"), "{text}");
    assert!(!text.to_lowercase().contains(" key"), "{text}");
    let link = "?page=1&amp;person=email%3Ajose.nunez%40example.es#corrections";
    assert!(page.body.contains(link), "{}", page.body);
    let chosen =
        send(&app, get("/staff/events/echr/attendance?page=1&person=email%3Ajose.nunez%40example.es", &s.cookie)).await;
    assert!(chosen.body.contains("<option value=\"email:jose.nunez@example.es\" selected>"), "{}", chosen.body);
}

/// Issue 21: after a change, the page that follows says what happened (in the member's
/// language), once: the form's answer redirects with `?done=…`, unknown words say nothing.
#[tokio::test]
async fn the_page_after_a_change_says_what_happened() {
    let (app, s) = with_event("ev").await;
    let created = send(&app, get("/staff/events/ev?done=event-created", &s.cookie)).await;
    assert!(created.body.contains("<p class=\"notice\" role=\"status\">Event created."), "{}", created.body);
    let body = format!(
        "csrf={}&title=New+title&series=&starts=&ends=&timezone=Europe%2FParis&language=en&rule_kind=min_percent&rule_value=75&template=",
        s.csrf
    );
    let res = send(&app, form("/staff/events/ev/edit", &s.cookie, &body)).await;
    assert_eq!(res.location(), "/staff/events/ev?done=event-saved");
    let page = send(&app, get(res.location(), &s.cookie)).await;
    assert!(page.body.contains("<p class=\"notice\" role=\"status\">Event saved.</p>"), "{}", page.body);
    let french = format!("{}; attest_lang=fr", s.cookie);
    let page = send(&app, get(res.location(), &french)).await;
    assert!(page.body.contains("role=\"status\">Événement enregistré.</p>"), "{}", page.body);
    // The language switcher does not repeat it.
    assert!(!page.body.contains("next=/staff/events/ev?done"), "{}", page.body);
    for quiet in ["/staff/events/ev", "/staff/events/ev?done=anything"] {
        let page = send(&app, get(quiet, &s.cookie)).await;
        assert!(!page.body.contains("class=\"notice\""), "{quiet}: {}", page.body);
    }
    // A correction on the attendance page says which one.
    upload_report(&app, &s, "ev").await;
    let o = format!("csrf={}&person=email%3Ajose.nunez%40example.es&eligible=yes&reason=phone", s.csrf);
    let res = send(&app, form("/staff/events/ev/override", &s.cookie, &o)).await;
    assert_eq!(res.location(), "/staff/events/ev/attendance?done=overridden");
}

/// Two exports uploaded (one with a script tag for a name), the same bytes again, the attendance
/// page, an override with its reason, and an unknown key refused.
async fn upload_and_correct(app: &TestApp, s: &Session) {
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let xss = "Name (Original Name),User Email,Join Time,Leave Time\n\"<script>alert(1)</script>\",x@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:42:00\"\n";
    let res =
        send(app, upload("/staff/events/echr/uploads", s, &[("report.csv", &csv), ("xss.csv", xss.as_bytes())], &[]))
            .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Imported: 16 rows, 16 connections."), "{}", res.body);
    // The same bytes again change nothing and say so.
    let again = send(app, upload("/staff/events/echr/uploads", s, &[("report.csv", &csv)], &[])).await;
    assert!(again.body.contains("Already imported on"), "{}", again.body);
    assert_eq!(app.count("SELECT count(*) FROM uploads"), 2);

    let page = send(app, get("/staff/events/echr/attendance", &s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Żaneta Wójcik"));
    assert!(page.body.contains("attended 101 of 104 minutes"), "{}", page.body);
    // José Ñúñez left early; an override with a reason makes him eligible.
    let res = send(
        app,
        s.form("/staff/events/echr/override", "person=jose.nunez%40example.es&eligible=yes&reason=joined+by+phone"),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = send(app, get("/staff/events/echr/attendance", &s.cookie)).await;
    assert!(page.body.contains("joined by phone"), "{}", page.body);
    // An unknown key is refused with the reason, not stored.
    let res = send(app, s.form("/staff/events/echr/link", "a=email%3Anobody%40x.org&b=name%3Ax&reason=r")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("This person is not in the event any more"), "{}", res.body);
}

/// The bulk issue, then the ZIP with its manifest and the print file.
async fn issue_and_download(app: &TestApp, s: &Session) {
    let done = issue_all(app, s, "echr").await;
    assert!(done.contains("<strong>8</strong> issued"), "{done}");
    let overview = send(app, get("/staff/events/echr", &s.cookie)).await;
    assert!(overview.body.contains("8 valid"), "{}", overview.body);
    assert!(
        !overview.body.contains("form method=\"post\" action=\"/staff/events/echr/issue\""),
        "nothing left to issue"
    );

    let zip = send(app, get("/staff/events/echr/certificates.zip", &s.cookie)).await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.headers[header::CONTENT_TYPE], "application/zip");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes.clone())).unwrap();
    let names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    assert_eq!(names.iter().filter(|n| n.ends_with(".pdf")).count(), 8);
    let mut manifest = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("manifest.csv").unwrap(), &mut manifest).unwrap();
    assert_eq!(manifest.lines().count(), 9);
    assert!(manifest.contains("Żaneta Wójcik"));

    // The print file: one page per valid certificate, not cached.
    let print = send(app, get("/staff/events/echr/certificates.pdf", &s.cookie)).await;
    assert_eq!(print.status, StatusCode::OK);
    assert_eq!(print.headers[header::CONTENT_TYPE], "application/pdf");
    assert_eq!(print.headers[header::CACHE_CONTROL], "no-store");
    assert_eq!(lopdf::Document::load_mem(&print.bytes).unwrap().get_pages().len(), 8);
}

/// Every page shows the script-tag name as text, under a strict content security policy.
async fn names_are_text_on_every_page(app: &TestApp, s: &Session) {
    let conn = harness::open_db(&app.db);
    let xss_id: String =
        conn.row_for_tests("SELECT id FROM certificates WHERE email = 'x@example.org'", (), |r| r.get(0)).unwrap();
    for uri in [
        "/staff/events/echr/attendance".to_owned(),
        "/staff/events/echr/certificates".to_owned(),
        format!("/staff/certificates/{xss_id}"),
    ] {
        let page = send(app, get(&uri, &s.cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        assert!(!page.body.contains("<script>alert(1)</script>"), "{uri}");
        assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{uri}");
        assert!(page.headers[header::CONTENT_SECURITY_POLICY].to_str().unwrap().contains("default-src 'none'"));
    }
}

/// The PDF of one certificate, then revoking it: the public page says revoked at once.
async fn revoke_one(app: &TestApp, s: &Session, zaneta: &(String, String)) {
    let pdf = send(app, get(&format!("/staff/certificates/{}/pdf", zaneta.0), &s.cookie)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    assert!(pdf.headers[header::CONTENT_DISPOSITION].to_str().unwrap().contains("filename*=UTF-8''"));
    // Checked once before revoking: the verdict cache must not keep saying valid afterwards.
    let json =
        |t: &str| Request::get(format!("/v/{t}")).header("accept", "application/json").body(Body::empty()).unwrap();
    assert!(send(app, json(&zaneta.1)).await.body.contains("\"valid\""));
    let res = send(app, s.form(&format!("/staff/certificates/{}/revoke", zaneta.0), "reason=issued+in+error")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let public = send(
        app,
        Request::get(format!("/v/{}", zaneta.1)).header("accept", "application/json").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(public.body.contains("\"revoked\""), "{}", public.body);
}

/// Reissuing another one with a corrected name: the old one is superseded by the new one.
async fn reissue_one(app: &TestApp, s: &Session) {
    let conn = harness::open_db(&app.db);
    let ayse: String =
        conn.row_for_tests("SELECT id FROM certificates WHERE name = 'Ayşe Yılmaz'", (), |r| r.get(0)).unwrap();
    let res = send(
        app,
        s.form(&format!("/staff/certificates/{ayse}/reissue"), &format!("name={}&language=fr", enc("Ayşe Nur Yılmaz"))),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let new_id =
        res.location().trim_start_matches("/staff/certificates/").trim_end_matches("?done=reissued").to_owned();
    let (status, by): (String, String) = conn
        .row_for_tests("SELECT status, superseded_by FROM certificates WHERE id = ?1", [&ayse], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((status.as_str(), by.as_str()), ("superseded", new_id.as_str()));
    let page = send(app, get(&format!("/staff/certificates/{new_id}"), &s.cookie)).await;
    assert!(page.body.contains("Ayşe Nur Yılmaz") && page.body.contains("Français"), "{}", page.body);
}

/// The audit log names the member of staff for each action, names and links subjects, and
/// filters by event, actor and action (issue 21).
async fn audit_names_and_filters(app: &TestApp, s: &Session, zaneta_id: &str) {
    let audit = send(app, get("/staff/audit", &s.cookie)).await;
    for action in harness::LIFECYCLE_ACTIONS {
        assert!(audit.body.contains(action), "{action}: {}", audit.body);
    }
    assert!(audit.body.contains(EMAIL));

    // Issue 21: subjects named and linked, codes as printed, filters by event, actor, action.
    assert!(
        audit.body.contains("<a href=\"/staff/events/echr\" translate=\"no\">Freedom of expression</a>"),
        "{}",
        audit.body
    );
    let code = attest::issuance::grouped(zaneta_id);
    assert!(audit.body.contains(&format!("<code translate=\"no\">{code}</code>")), "{code}: {}", audit.body);
    assert!(!audit.body.contains("database"), "{}", audit.body);
    let res = send(app, s.form("/staff/designs", "name=GLACY%2B")).await;
    let design = res.location().trim_end_matches("?done=design-created").to_owned();
    create_event(app, s, "other").await;
    let audit = send(app, get("/staff/audit", &s.cookie)).await;
    assert!(audit.body.contains(&format!("<a href=\"{design}\" translate=\"no\">GLACY+</a>")), "{}", audit.body);
    let rows = |body: &str, action: &str| body.matches(&format!("<td><code>{action}</code>")).count();
    let revokes = send(app, get("/staff/audit?action=certificate.revoke", &s.cookie)).await;
    assert_eq!((rows(&revokes.body, "certificate.revoke"), rows(&revokes.body, "event.create")), (1, 0));
    let family = send(app, get("/staff/audit?action=certificate", &s.cookie)).await;
    assert_eq!(rows(&family.body, "certificate.reissue"), 1, "{}", family.body);
    let other = send(app, get("/staff/audit?event=other", &s.cookie)).await;
    assert_eq!((rows(&other.body, "event.create"), rows(&other.body, "certificate.revoke")), (1, 0), "{}", other.body);
    let echr = send(app, get("/staff/audit?event=echr", &s.cookie)).await;
    assert_eq!((rows(&echr.body, "event.create"), rows(&echr.body, "certificate.revoke")), (1, 1), "{}", echr.body);
    let nobody = send(app, get("/staff/audit?actor=nobody%40example.org", &s.cookie)).await;
    assert!(nobody.body.contains("No action matches."), "{}", nobody.body);
    let mine = send(app, get(&format!("/staff/audit?actor={}", enc(EMAIL)), &s.cookie)).await;
    assert!(rows(&mine.body, "certificate.revoke") == 1, "{}", mine.body);
}

/// A list of each person's total time (no join or leave) in a language attest has no words for:
/// the console asks with its columns inferred (the duration among them), staff confirm, and
/// the totals are imported. Before, such a file was refused, and the console had no way on.
#[tokio::test]
async fn the_console_confirms_the_columns_of_a_list_of_totals() {
    let (app, s) = with_event("totals").await;
    let csv = "Nimi,Sähköposti,Kesto (minuuttia)\n\
        Aino Virtanen,aino@example.fi,95\n\
        Eero Korhonen,eero@example.fi,40\n\
        Liisa Mäkinen,liisa@example.fi,80\n";
    let res = send(&app, upload("/staff/events/totals/uploads", &s, &[("kesto.csv", csv.as_bytes())], &[])).await;
    assert_eq!(res.status, StatusCode::ACCEPTED, "{}", res.body);
    assert!(res.body.contains("list of each person’s total time"), "{}", res.body);
    let res =
        answer_question(&app, &s, "totals", &res, "col_name=0&col_email=1&col_join=&col_leave=&col_duration=2").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert_eq!(app.count("SELECT count(*) FROM connections WHERE total_seconds = 5700"), 1);
    assert_eq!(app.count("SELECT count(*) FROM column_mappings"), 1);
}
