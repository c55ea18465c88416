//! Forms sent back (issue 21, item 1): a console form posted with a bad value answers 422 with
//! the same form again, what was typed kept, the message next to the field (`aria-invalid`,
//! `aria-describedby`) and in a summary at the top (`role="alert"`), in the console's words in
//! English and French, never a separate "That did not work" page or the library's internal
//! text. One test per kind of form. Each was checked to fail on the separate error page that
//! came before (no kept value, no `aria-invalid`, status 422 but the "← Back" page).

use crate::harness;

use attest::staff::Role;
use axum::http::StatusCode;
use harness::{Res, Session, TestApp, enc, get, send};

const EMAIL: &str = "staff@coe.int";
const PASSWORD: &str = "a long staff password";

fn app() -> TestApp {
    TestApp::new().issuing().staff(EMAIL, Role::Admin, Some(PASSWORD)).build()
}

/// [`app`] with its admin signed in, landing on the events.
async fn signed_in() -> (TestApp, Session) {
    let app = app();
    let s = app.sign_in().await;
    (app, s)
}

/// A button's refusal shown on the page the button is on: a summary at the top, `on` (something
/// only that page has) present, and no separate "That did not work" page.
#[track_caller]
fn refused_on_page(res: &Res, on: &str) {
    assert!(res.body.contains("class=\"error-summary\" role=\"alert\""), "no summary: {}", res.body);
    assert!(res.body.contains(on), "not on the page with {on}: {}", res.body);
    assert!(!res.body.contains("That did not work"), "{}", res.body);
}

/// The answer is the form again: 422, a summary, the field marked and described, no error page.
#[track_caller]
fn sent_back(res: &Res, field: &str, message: &str) {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("class=\"error-summary\" role=\"alert\""), "no summary: {}", res.body);
    assert!(res.body.contains(&format!("href=\"#{field}\"")), "the summary links to {field}: {}", res.body);
    let at = res.body.find(&format!("id=\"{field}\"")).unwrap_or_else(|| panic!("no field {field}: {}", res.body));
    let tag = &res.body[at..at + res.body[at..].find('>').unwrap()];
    assert!(tag.contains("aria-invalid=\"true\""), "{field} not marked: {tag}");
    assert!(tag.contains(&format!("{field}-error")), "{field} not described: {tag}");
    let note = format!("id=\"{field}-error\"");
    let at = res.body.find(&note).unwrap_or_else(|| panic!("no message under {field}: {}", res.body));
    assert!(res.body[at..].split("</p>").next().unwrap().contains(message), "{field}: {}", &res.body[at..]);
    assert!(!res.body.contains("That did not work") && !res.body.contains("class=\"card problem\""), "{}", res.body);
}

/// The value a text field of the page holds.
#[track_caller]
fn value_of(res: &Res, field: &str) -> String {
    let at = res.body.find(&format!("id=\"{field}\"")).unwrap_or_else(|| panic!("no field {field}: {}", res.body));
    let tag = &res.body[at..at + res.body[at..].find('>').unwrap()];
    tag.split("value=\"").nth(1).map(|v| v.split('"').next().unwrap().to_owned()).unwrap_or_default()
}

fn french(s: &Session) -> Session {
    Session { cookie: format!("{}; attest_lang=fr", s.cookie), csrf: s.csrf.clone() }
}

const EVENT: &str = "title=My+seminar&series=&starts=2025-03-14T10%3A00&ends=2025-03-14T12%3A00&language=en&rule_kind=min_percent&template=&teams_presenters=auto";

#[tokio::test]
async fn the_event_form_comes_back_with_what_was_typed_and_each_problem_beside_its_field() {
    let (app, s) = signed_in().await;
    let res =
        send(&app, s.form("/staff/events", &format!("slug=Bad+Slug&{EVENT}&timezone=Mars%2FOlympus&rule_value=abc")))
            .await;
    sent_back(&res, "slug", "lower-case letters");
    sent_back(&res, "timezone", "“Mars/Olympus” is not a time zone");
    sent_back(&res, "rule_value", "“abc” is not a whole number");
    assert_eq!(value_of(&res, "title"), "My seminar");
    assert_eq!(value_of(&res, "slug"), "Bad Slug");
    assert_eq!(value_of(&res, "starts"), "2025-03-14T10:00");
    assert_eq!(app.count("SELECT COUNT(*) FROM events"), 0);
    // In French, in French words.
    let res =
        send(&app, french(&s).form("/staff/events", &format!("slug=ok&{EVENT}&timezone=Mars%2FOlympus&rule_value=75")))
            .await;
    sent_back(&res, "timezone", "n’est pas un fuseau horaire");
    assert!(res.body.contains("Rien n’a encore été enregistré"), "{}", res.body);
    // A short name taken; then the edit form: the end before the start.
    let ok =
        send(&app, s.form("/staff/events", &format!("slug=ev&{EVENT}&timezone=Europe%2FParis&rule_value=75"))).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let res =
        send(&app, s.form("/staff/events", &format!("slug=ev&{EVENT}&timezone=Europe%2FParis&rule_value=75"))).await;
    sent_back(&res, "slug", "already used by another event");
    let edit = EVENT.replace("ends=2025-03-14T12", "ends=2025-03-14T09").replace("My+seminar", "Renamed");
    let res =
        send(&app, s.form("/staff/events/ev/edit", &format!("{edit}&timezone=Europe%2FParis&rule_value=75"))).await;
    sent_back(&res, "ends", "The end must come after the start.");
    assert_eq!(value_of(&res, "title"), "Renamed");
    assert_eq!(app.count("SELECT COUNT(*) FROM events WHERE title = 'My seminar'"), 1);
}

#[tokio::test]
async fn the_design_forms_come_back_keeping_the_good_images_and_naming_the_one_to_choose_again() {
    let app = app();
    let s = app.sign_in_landing("/staff/designs").await;
    let res = send(&app, s.form("/staff/designs", "name=+")).await;
    sent_back(&res, "name", "This is required.");
    let made = send(&app, s.form("/staff/designs", "name=GLACY%2B")).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id: i64 = made.location().trim_end_matches("?done=design-created").rsplit('/').next().unwrap().parse().unwrap();
    let good = harness::grey_png(300, 100, 200);
    let fields = [
        ("csrf", s.csrf.as_str()),
        ("name", "GLACY+ webinars"),
        ("sig_name_0", "Alexander Seger"),
        ("sig_title_0_en", "Head of the Cybercrime Division"),
    ];
    let html: &[u8] = b"<!DOCTYPE html><html><body>not a logo</body></html>";
    let files: [harness::app::FilePart; 2] =
        [("logo_0", "coe.png", "image/png", &good), ("logo_1", "page.png", "image/png", html)];
    let uri = format!("/staff/designs/{id}");
    let res = send(&app, harness::multipart_post(&uri, &s.cookie, &fields, &files)).await;
    sent_back(&res, "logo_1", "Choose the file again");
    assert!(res.body.contains("not a PNG or JPEG image"), "{}", res.body);
    assert_eq!(value_of(&res, "name"), "GLACY+ webinars");
    assert_eq!(value_of(&res, "sig_name_0"), "Alexander Seger");
    assert_eq!(value_of(&res, "sig_title_0_en"), "Head of the Cybercrime Division");
    // The good logo is kept on the server and in the form: sent again without choosing it, it is saved.
    assert!(res.body.contains("are kept"), "{}", res.body);
    let keep = "name=\"logo_keep_0\" value=\"";
    let at = res.body.find(keep).expect("the good logo kept") + keep.len();
    let sha = res.body[at..].split('"').next().unwrap().to_owned();
    assert_eq!(sha.len(), 64, "{sha}");
    assert_eq!(app.count("SELECT COUNT(*) FROM design_versions"), 1);
    let again = [
        ("csrf", s.csrf.as_str()),
        ("name", "GLACY+ webinars"),
        ("logo_keep_0", sha.as_str()),
        ("sig_name_0", "Alexander Seger"),
    ];
    let res = send(&app, harness::multipart_post(&uri, &s.cookie, &again, &[])).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.count("SELECT MAX(version) FROM design_versions"), 2);
    let page = send(&app, get(&uri, &s.cookie)).await;
    assert!(page.body.contains(&format!("name=\"logo_keep_0\" value=\"{sha}\"")), "{}", page.body);
}

#[tokio::test]
async fn the_organisation_has_its_own_page_with_its_values_and_a_contact_the_verify_page_links_to() {
    let app = app();
    let s = app.sign_in_landing("/staff/organisation").await;
    let page = send(&app, get("/staff/organisation", &s.cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    // The name certificates print today, not an empty field with a placeholder.
    assert_eq!(value_of(&page, "issuer"), harness::settings().issuer);
    assert!(!page.body.contains("bytes"), "{}", page.body);
    let designs = send(&app, get("/staff/designs", &s.cookie)).await;
    assert!(designs.body.contains("href=\"/staff/organisation\""), "{}", designs.body);

    let bad = "issuer=Council+of+Europe&issuer_short=Conseil+de+l%E2%80%99Europe+%C3%A9%C3%A9&contact=write+to+us&default_design=";
    let res = send(&app, s.form("/staff/organisation", bad)).await;
    sent_back(&res, "contact", "is not an email address or an https:// address");
    sent_back(&res, "issuer_short", "at most 20 letters");
    assert_eq!(value_of(&res, "contact"), "write to us");
    assert_eq!(value_of(&res, "issuer"), "Council of Europe");
    assert_eq!(app.count("SELECT COUNT(*) FROM organisation"), 0);

    // The name in French and Spanish: empty, each says what its certificates print meanwhile.
    assert_eq!(value_of(&page, "issuer_fr"), "");
    assert!(page.body.contains("certificates in that language print “Conseil de l’Europe”"), "{}", page.body);
    let good = format!(
        "issuer=Council+of+Europe&issuer_fr=&issuer_es={}&issuer_short=CoE&contact={}&default_design=",
        enc("Consejo de Europa (CdE)"),
        enc("help@coe.int")
    );
    let res = send(&app, s.form("/staff/organisation", &good)).await;
    assert_eq!(res.location(), "/staff/organisation?done=organisation-saved", "{}", res.body);
    let page = send(&app, get("/staff/organisation", &s.cookie)).await;
    assert_eq!(value_of(&page, "issuer_es"), "Consejo de Europa (CdE)");
    // A mistyped code: the "not genuine" page says whom to contact, with the link.
    let res = send(&app, harness::form("/verify/code?lang=fr", "", "code=AAAA-BBBB-CCCC")).await;
    assert!(res.body.contains("href=\"mailto:help@coe.int\">Contacter Conseil de l’Europe</a>"), "{}", res.body);
    let home = send(&app, get("/verify?lang=es", "")).await;
    assert!(
        home.body.contains("href=\"mailto:help@coe.int\">Contactar con Consejo de Europa (CdE)</a>"),
        "{}",
        home.body
    );
}

async fn event_with_people(app: &TestApp, s: &Session) {
    let ok =
        send(app, s.form("/staff/events", &format!("slug=ev&{EVENT}&timezone=Europe%2FParis&rule_value=75"))).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let fields = [("csrf", s.csrf.as_str()), ("timezone", "Europe/Paris")];
    let res = send(
        app,
        harness::multipart_post(
            "/staff/events/ev/uploads",
            &s.cookie,
            &fields,
            &[("files", "report.csv", "text/csv", &csv)],
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
}

#[tokio::test]
async fn the_attendance_corrections_come_back_with_the_person_still_chosen() {
    let (app, s) = signed_in().await;
    event_with_people(&app, &s).await;
    let jose = enc("email:jose.nunez@example.es");
    let res = send(&app, s.form("/staff/events/ev/override", &format!("person={jose}&eligible=no&reason=+"))).await;
    sent_back(&res, "o-reason", "Give a reason");
    assert!(res.body.contains("value=\"email:jose.nunez@example.es\" selected"), "{}", res.body);
    assert!(res.body.contains("value=\"no\" selected"), "{}", res.body);
    let res = send(&app, french(&s).form("/staff/events/ev/link", &format!("a={jose}&b={jose}&reason=same"))).await;
    sent_back(&res, "l-b", "Choisissez deux personnes différentes.");
    assert_eq!(value_of(&res, "l-reason"), "same");
    let res = send(&app, s.form("/staff/events/ev/link", "a=email%3Anobody%40x.org&b=name%3Ax&reason=r")).await;
    sent_back(&res, "l-a", "not in the event any more");
    assert!(!res.body.contains("no person under"), "{}", res.body);
    // José is joined to no one: separating him changes nothing, and the page says so in French
    // for French staff (it said the split was done).
    let res = send(&app, french(&s).form("/staff/events/ev/split", &format!("key={jose}&reason=deux"))).await;
    sent_back(&res, "s-key", "la séparer ne change rien");
}

#[tokio::test]
async fn the_upload_form_keeps_its_choices_and_asks_for_the_file_again() {
    let (app, s) = signed_in().await;
    event_with_people(&app, &s).await;
    let fields = [
        ("csrf", s.csrf.as_str()),
        ("timezone", "Mars/Olympus"),
        ("date_order", "dmy"),
        ("encoding", "klingon"),
        ("skip_bad_rows", "on"),
    ];
    let res = send(&app, harness::multipart_post("/staff/events/ev/uploads", &s.cookie, &fields, &[])).await;
    sent_back(&res, "files", "at least one export");
    sent_back(&res, "timezone", "is not a time zone");
    sent_back(&res, "encoding", "Choose an encoding from the list");
    assert_eq!(value_of(&res, "timezone"), "Mars/Olympus");
    assert!(res.body.contains("value=\"dmy\" selected"), "{}", res.body);
    let fields = [("csrf", s.csrf.as_str()), ("timezone", "Europe/Paris")];
    let junk: &[u8] = b"this is not an attendance export\n";
    let res = send(
        &app,
        harness::multipart_post(
            "/staff/events/ev/uploads",
            &s.cookie,
            &fields,
            &[("files", "notes.csv", "text/csv", junk)],
        ),
    )
    .await;
    sent_back(&res, "files", "Choose the file again");
}

#[tokio::test]
async fn the_series_forms_come_back_with_what_was_typed() {
    let (app, s) = signed_in().await;
    let res = send(&app, s.form("/staff/series", "slug=No+Spaces&title=Cybercrime+2020&language=fr")).await;
    sent_back(&res, "s-slug", "lower-case letters");
    assert_eq!(value_of(&res, "s-title"), "Cybercrime 2020");
    assert!(res.body.contains("value=\"fr\" selected"), "{}", res.body);
    let ok = send(&app, s.form("/staff/series", "slug=cyber&title=Cybercrime+2020&language=en")).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let res = send(&app, s.form("/staff/series/cyber/rule", "at_least=two")).await;
    sent_back(&res, "r-at_least", "“two” is not a number of sessions");
    assert_eq!(value_of(&res, "r-at_least"), "two");
    // A button with nothing to type: "Issue" on a series without events is refused on the
    // series page itself, above the button, with the conflict's status (was the separate
    // "That did not work" page).
    let res = send(&app, s.form("/staff/series/cyber/issue", "")).await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert!(res.body.contains("has no events"), "{}", res.body);
    refused_on_page(&res, "action=\"/staff/series/cyber/issue\"");
}

#[tokio::test]
async fn the_delivery_page_says_what_was_refused_on_the_page_itself() {
    let (app, s) = signed_in().await;
    event_with_people(&app, &s).await;
    let res = send(&app, s.form("/staff/events/ev/delivery/resend", "certificate=NOPE&attach_pdf=")).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    refused_on_page(&res, "<h1>Email delivery</h1>");
}

#[tokio::test]
async fn the_certificate_forms_come_back_with_the_reason_or_the_name_kept() {
    let (app, s) = signed_in().await;
    let mut db = harness::Db::at(&app.db);
    db.issued_webinar("echr", &harness::app::keys_for(&app.db));
    let id: String = db.conn.row_for_tests("SELECT id FROM certificates LIMIT 1", (), |r| r.get(0)).unwrap();
    let uri = format!("/staff/certificates/{id}");
    let res = send(&app, s.form(&format!("{uri}/revoke"), "reason=+")).await;
    sent_back(&res, "v-reason", "Give the reason");
    let res = send(&app, french(&s).form(&format!("{uri}/reissue"), "name=+&language=es")).await;
    sent_back(&res, "r-name", "Indiquez le nom à imprimer.");
    assert!(res.body.contains("value=\"es\" lang=\"es\" selected"), "{}", res.body);
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates WHERE status <> 'valid'"), 0);
}

/// Choosing an event's design that is not there (a list older than a design's removal, or a
/// crafted post) is refused on the design choice page itself, not on a separate error page.
#[tokio::test]
async fn a_refused_design_choice_is_said_on_the_choice_page() {
    let (app, s) = signed_in().await;
    let ok =
        send(&app, s.form("/staff/events", &format!("slug=ev&{EVENT}&timezone=Europe%2FParis&rule_value=75"))).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let res = send(&app, s.form("/staff/events/ev/design", "design=99999")).await;
    assert!(res.status.is_client_error(), "{}: {}", res.status, res.body);
    refused_on_page(&res, "action=\"/staff/events/ev/design\"");
}
