//! The staff console in French and English, in process: the browser's `Accept-Language`
//! chooses, the switcher's cookie overrides it and persists, English stays the default, and a
//! walk through every console page in French finds no English word outside what is marked as
//! data (`translate="no"`, names in `bdi`, `code`) or as the library's English (`lang="en"`).

use crate::harness;

use attest::staff::Role;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use harness::{Res, TestApp, csrf_in, enc, send};

const EMAIL: &str = "personnel@coe.int";
const PASSWORD: &str = "un mot de passe assez long";

/// The service with issuing, one admin with a password, and a second account invited but not
/// set up (to walk the setup page).
fn app() -> TestApp {
    TestApp::new()
        .issuing()
        .staff(EMAIL, Role::Admin, Some(PASSWORD))
        .staff("collegue@coe.int", Role::Admin, None)
        .build()
}

/// A browser: its cookies and its languages.
#[derive(Clone)]
struct Browser {
    cookie: String,
    accept: &'static str,
    csrf: String,
}

impl Browser {
    fn get(&self, uri: &str) -> Request<Body> {
        Request::get(uri)
            .header(header::COOKIE, &self.cookie)
            .header(header::ACCEPT_LANGUAGE, self.accept)
            .body(Body::empty())
            .unwrap()
    }

    fn post(&self, uri: &str, body: &str) -> Request<Body> {
        Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, &self.cookie)
            .header(header::ACCEPT_LANGUAGE, self.accept)
            .body(Body::from(body.to_owned()))
            .unwrap()
    }

    /// [`Browser::post`] of a form with this browser's CSRF token before `fields` ("" for none).
    fn form(&self, uri: &str, fields: &str) -> Request<Body> {
        let body =
            if fields.is_empty() { format!("csrf={}", self.csrf) } else { format!("csrf={}&{fields}", self.csrf) };
        self.post(uri, &body)
    }

    fn upload(&self, uri: &str, name: &str, bytes: &[u8]) -> Request<Body> {
        let fields = [("csrf", self.csrf.as_str()), ("timezone", "Europe/Paris")];
        let (content_type, body) = harness::multipart(&fields, &[("files", name, "text/csv", bytes)]);
        Request::post(uri)
            .header(header::CONTENT_TYPE, content_type)
            .header(header::COOKIE, &self.cookie)
            .header(header::ACCEPT_LANGUAGE, self.accept)
            .body(Body::from(body))
            .unwrap()
    }
}

fn html_lang(body: &str) -> &str {
    let at = body.find("<html lang=\"").expect("an html element with lang") + 12;
    &body[at..at + body[at..].find('"').unwrap()]
}

/// Signs in with the given browser languages (and cookie, e.g. the switcher's).
async fn sign_in(app: &TestApp, accept: &'static str, cookie: &str) -> Browser {
    let anon = Browser { cookie: cookie.to_owned(), accept, csrf: String::new() };
    let page = send(app, anon.get("/staff/login")).await;
    let form_cookie = page.cookie("attest_form").unwrap().split(';').next().unwrap().to_owned();
    let with_form = Browser { cookie: format!("{cookie}; {form_cookie}"), ..anon.clone() };
    let res = send(
        app,
        with_form.post(
            "/staff/login",
            &format!("csrf={}&email={}&password={}", csrf_in(&page.body), enc(EMAIL), enc(PASSWORD)),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let session = res.cookie("attest_session").unwrap().split(';').next().unwrap().to_owned();
    let mut b = Browser { cookie: format!("{cookie}; {session}"), accept, csrf: String::new() };
    b.csrf = csrf_in(&send(app, b.get("/staff/events")).await.body);
    b
}

#[tokio::test]
async fn the_browser_s_languages_choose_french_and_anything_else_is_english() {
    let app = app();
    for (accept, lang, words) in [
        ("fr-CH, fr;q=0.9, en;q=0.8", "fr", ["Connexion du personnel", "Se connecter", "Mot de passe"]),
        ("fr", "fr", ["Connexion du personnel", "Se connecter", "Mot de passe"]),
        // Spanish is not a console language: the browser's next choice, French, wins.
        ("es-ES, fr;q=0.7", "fr", ["Connexion du personnel", "Se connecter", "Mot de passe"]),
        ("en-GB, fr;q=0.9", "en", ["Staff sign-in", "Sign in", "Password"]),
        ("de-DE, de;q=0.9", "en", ["Staff sign-in", "Sign in", "Password"]),
        ("", "en", ["Staff sign-in", "Sign in", "Password"]),
    ] {
        let b = Browser { cookie: String::new(), accept, csrf: String::new() };
        let page = send(&app, b.get("/staff/login")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(html_lang(&page.body), lang, "{accept}");
        for w in words {
            assert!(page.body.contains(w), "{accept}: {w} missing in {}", page.body);
        }
    }
    // Signed in, the same: French pages for a French browser, English for the others.
    let fr = sign_in(&app, "fr", "").await;
    let page = send(&app, fr.get("/staff/events")).await;
    assert_eq!(html_lang(&page.body), "fr");
    assert!(page.body.contains("Nouvel événement") && page.body.contains("Journal d’audit"), "{}", page.body);
    let en = sign_in(&app, "en-US", "").await;
    let page = send(&app, en.get("/staff/events")).await;
    assert_eq!(html_lang(&page.body), "en");
    assert!(page.body.contains("New event") && page.body.contains("Audit log"), "{}", page.body);
}

#[tokio::test]
async fn the_switcher_keeps_the_chosen_language_in_a_cookie_over_the_browser_s() {
    let app = app();
    let b = Browser { cookie: String::new(), accept: "en", csrf: String::new() };
    // Every page, including sign-in, links to both languages and comes back to itself.
    let login = send(&app, b.get("/staff/login?next=/staff/audit")).await;
    assert!(
        login.body.contains("href=\"/staff/language/fr?next=/staff/login%3Fnext%3D/staff/audit\""),
        "{}",
        login.body
    );
    let res = send(&app, b.get("/staff/language/fr?next=/staff/login%3Fnext%3D/staff/audit")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/staff/login?next=/staff/audit");
    let cookie = res.cookie("attest_lang").unwrap();
    for part in ["attest_lang=fr", "Path=/staff", "Max-Age=31536000", "HttpOnly", "SameSite=Lax"] {
        assert!(cookie.contains(part), "{cookie}");
    }
    let chosen = cookie.split(';').next().unwrap();
    // The cookie wins over an English browser, before and after sign-in.
    let login = send(&app, Browser { cookie: chosen.into(), ..b.clone() }.get("/staff/login")).await;
    assert_eq!(html_lang(&login.body), "fr");
    assert!(login.body.contains("Se connecter"));
    let s = sign_in(&app, "en", chosen).await;
    for uri in ["/staff/events", "/staff/events/new", "/staff/audit"] {
        let page = send(&app, s.get(uri)).await;
        assert_eq!(html_lang(&page.body), "fr", "{uri}");
        assert!(page.body.contains(&format!("href=\"/staff/language/en?next={uri}\"")), "{uri}: {}", page.body);
    }
    // And back to English over a French browser.
    let res = send(&app, Browser { accept: "fr", ..s.clone() }.get("/staff/language/en?next=/staff/events")).await;
    let english = res.cookie("attest_lang").unwrap().split(';').next().unwrap().to_owned();
    assert_eq!(english, "attest_lang=en");
    let page = send(
        &app,
        Browser { cookie: s.cookie.replace(chosen, &english), accept: "fr", csrf: String::new() }.get("/staff/events"),
    )
    .await;
    assert_eq!(html_lang(&page.body), "en");
    assert!(page.body.contains("New event"));
    // Only local console paths are followed, and only the console's languages exist.
    let res = send(&app, b.get("/staff/language/fr?next=https://evil.example/")).await;
    assert_eq!(res.location(), "/staff/events");
    assert_eq!(send(&app, b.get("/staff/language/es")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(send(&app, b.get("/staff/language/fr-CH")).await.status, StatusCode::NOT_FOUND);
}

/// Words that would betray English on a French page. French words that English shares
/// (date, format, minutes, code, session, zone, pages, question, public, audit, local, second, or,
/// on…)
/// are not in the list.
const ENGLISH: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "are",
    "with",
    "from",
    "for",
    "by",
    "not",
    "no",
    "yet",
    "this",
    "that",
    "these",
    "at",
    "be",
    "was",
    "were",
    "has",
    "have",
    "been",
    "it",
    "its",
    "you",
    "your",
    "our",
    "what",
    "when",
    "who",
    "why",
    "which",
    "how",
    "all",
    "one",
    "event",
    "events",
    "certificate",
    "certificates",
    "attendance",
    "sign",
    "signed",
    "upload",
    "uploaded",
    "download",
    "issue",
    "issued",
    "issuing",
    "name",
    "email",
    "rule",
    "back",
    "save",
    "create",
    "edit",
    "reason",
    "language",
    "people",
    "person",
    "eligible",
    "review",
    "file",
    "files",
    "status",
    "password",
    "link",
    "split",
    "revoke",
    "revoked",
    "reissue",
    "valid",
    "detail",
    "subject",
    "key",
    "keys",
    "first",
    "value",
    "time",
    "least",
    "many",
    "import",
    "imported",
    "rows",
    "row",
    "line",
    "column",
    "problem",
    "done",
    "see",
    "open",
    "staff",
    "log",
    "out",
    "new",
    "only",
    "here",
    "drop",
    "click",
    "choose",
    "order",
    "day",
    "month",
    "year",
    "meeting",
    "stopped",
    "kept",
    "again",
    "nothing",
    "changed",
    "same",
    "bytes",
    "once",
    "template",
    "series",
    "optional",
    "starts",
    "ends",
    "short",
    "used",
    "panelists",
    "panelist",
    "host",
    "attendee",
    "decision",
    "override",
    "shown",
    "recorded",
    "superseded",
    "encoding",
    "delimiter",
    "connections",
    "before",
    "whole",
    "printed",
    "verify",
    "signing",
    "lang",
    "when",
    "wrong",
];

/// Text a French reader reads on the page: text nodes and the `placeholder`, `title` and
/// `aria-label` attributes, outside elements that hold data or the library's English.
fn french_text(html: &str) -> Vec<String> {
    let decode = |s: &str| {
        s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
    };
    let attr = |tag: &str, name: &str| -> Option<String> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(decode(&tag[at..at + tag[at..].find('"')?]))
    };
    const VOID: &[&str] = &["meta", "link", "input", "br", "hr", "img", "!DOCTYPE"];
    const DATA: &[&str] = &["code", "bdi", "datalist", "script", "style"];
    let mut out = Vec::new();
    // (tag, skipped)
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let skipped = stack.last().is_some_and(|(_, s)| *s);
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').expect("a closed tag");
                let tag = &rest[1..end];
                rest = &rest[end + 1..];
                if let Some(closing) = tag.strip_prefix('/') {
                    while let Some((t, _)) = stack.pop() {
                        if t == closing {
                            break;
                        }
                    }
                    continue;
                }
                let name: String = tag.chars().take_while(|c| !c.is_whitespace()).collect();
                let lang = attr(tag, "lang");
                let skip = skipped
                    || DATA.contains(&name.as_str())
                    || attr(tag, "translate").as_deref() == Some("no")
                    || lang.as_deref().is_some_and(|l| l != "fr");
                if !skip {
                    out.extend(["placeholder", "title", "aria-label"].iter().filter_map(|a| attr(tag, a)));
                }
                if !VOID.contains(&name.as_str()) {
                    stack.push((name, skip));
                }
            }
            next => {
                let end = next.unwrap_or(rest.len());
                let text = decode(&rest[..end]);
                if !skipped && !text.trim().is_empty() {
                    out.push(text.trim().to_owned());
                }
                rest = &rest[end..];
            }
        }
    }
    out
}

fn english_words(html: &str) -> Vec<String> {
    french_text(html)
        .into_iter()
        .filter(|t| t.split(|c: char| !c.is_alphanumeric()).any(|w| ENGLISH.contains(&w.to_lowercase().as_str())))
        .collect()
}

#[test]
fn the_english_detector_finds_english_and_passes_data_and_marked_text() {
    let page = r#"<html lang="fr"><body><h1>Événements</h1><p>Saved <strong>the</strong> event</p>
        <td translate="no">Freedom of expression</td><td lang="en">attended 5 of 10 minutes</td>
        <bdi>John of the Hills</bdi><code>attest staff add</code><input placeholder="issued in error">
        <p>Minutes de présence</p></body></html>"#;
    assert_eq!(english_words(page), vec!["the".to_owned(), "event".to_owned(), "issued in error".to_owned()]);
}

/// Every console page, in French, with data in it: no English left outside what is marked.
#[tokio::test]
async fn every_console_page_in_french_is_french() {
    let app = app();
    let mut pages: Vec<(String, Res)> = Vec::new();
    // Before sign-in: sign-in, a wrong password, the setup page, a used link.
    pages_before_sign_in(&app, &mut pages).await;
    // Signed in: an event with its pages, an import, the date question, attendance, issuing.
    let s = sign_in(&app, "fr-FR,fr;q=0.9", "").await;
    event_pages(&app, &s, &mut pages).await;
    other_pages(&app, &s, &mut pages).await;
    no_english_on(&pages);
    // Answers that are not pages are French too.
    let forged = send(
        &app,
        s.post(
            "/staff/events",
            "csrf=forged&slug=x&title=x&timezone=UTC&language=fr&rule_kind=min_percent&rule_value=1",
        ),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("Ce formulaire a expiré"), "{}", forged.body);
    let missing = send(&app, s.get("/staff/events/inconnu")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Aucun événement"), "{}", missing.body);
}

/// The pages before sign-in: sign-in, a wrong password, the setup page (and a weak password on
/// it), a used link.
async fn pages_before_sign_in(app: &TestApp, pages: &mut Vec<(String, Res)>) {
    let anon = Browser { cookie: String::new(), accept: "fr-FR,fr;q=0.9", csrf: String::new() };
    let login = send(app, anon.get("/staff/login")).await;
    let fc = login.cookie("attest_form").unwrap().split(';').next().unwrap().to_owned();
    let wrong = send(
        app,
        Browser { cookie: fc.clone(), ..anon.clone() }
            .post("/staff/login", &format!("csrf={}&email={}&password=faux", csrf_in(&login.body), enc(EMAIL))),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("Adresse électronique ou mot de passe incorrect."));
    pages.push(("/staff/login".into(), login));
    pages.push(("/staff/login (wrong password)".into(), wrong));
    let setup_uri = format!("/staff/setup/{}", app.setup_links[0]);
    let setup = send(app, anon.get(&setup_uri)).await;
    let sfc = setup.cookie("attest_form").unwrap().split(';').next().unwrap().to_owned();
    let short = send(
        app,
        Browser { cookie: sfc, ..anon.clone() }
            .post(&setup_uri, &format!("csrf={}&password=court&repeat=court", csrf_in(&setup.body))),
    )
    .await;
    assert!(short.body.contains("trop court"), "{}", short.body);
    pages.push((setup_uri.clone(), setup));
    pages.push(("setup (weak password)".into(), short));
    pages.push(("/staff/setup/unknown".into(), send(app, anon.get("/staff/setup/unknown")).await));
}

/// An event made through the form, two imports, the date question, a refused correction and a
/// bulk issue with its progress pages.
async fn event_pages(app: &TestApp, s: &Browser, pages: &mut Vec<(String, Res)>) {
    let body = format!(
        "csrf={}&slug=liberte&title={}&series=HELP&starts=2025-03-14T10%3A00&ends=2025-03-14T11%3A45&timezone=Europe%2FParis&language=fr&rule_kind=min_percent&rule_value=75&template=",
        s.csrf,
        enc("Liberté d’expression")
    );
    let res = send(app, s.post("/staff/events", &body)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let csv = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    let report = send(app, s.upload("/staff/events/liberte/uploads", "rapport.csv", &csv)).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    assert!(report.body.contains("16\u{a0}lignes"), "{}", report.body);
    pages.push(("import report".into(), report));
    let again = send(app, s.upload("/staff/events/liberte/uploads", "rapport.csv", &csv)).await;
    assert!(again.body.contains("Déjà importé le"), "{}", again.body);
    pages.push(("import report (again)".into(), again));
    let resaved = harness::fixture("meeting_report_excel_resaved_own.csv");
    let question = send(app, s.upload("/staff/events/liberte/uploads", "reenregistre.csv", &resaved)).await;
    assert_eq!(question.status, StatusCode::ACCEPTED, "{}", question.body);
    pages.push(("the date-order question".into(), question));
    let none = send(app, s.upload("/staff/events/liberte/uploads", "", b"")).await;
    pages.push(("no file".into(), none));
    let gone = send(app, s.form("/staff/events/liberte/uploads/answer", "pending=x&timezone=UTC")).await;
    assert_eq!(gone.status, StatusCode::GONE);
    pages.push(("answer after an hour".into(), gone));
    let bad_link =
        send(app, s.form("/staff/events/liberte/link", "a=email%3Anobody%40x.org&b=name%3Ax&reason=r")).await;
    assert_eq!(bad_link.status, StatusCode::UNPROCESSABLE_ENTITY);
    pages.push(("a refused correction".into(), bad_link));
    let res = send(app, s.form("/staff/events/liberte/issue", "")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mut progress = send(app, s.get("/staff/events/liberte/issue")).await;
    for _ in 0..300 {
        if progress.body.contains("Certificats délivrés") {
            break;
        }
        pages.push(("issue in progress".into(), progress));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        progress = send(app, s.get("/staff/events/liberte/issue")).await;
    }
    assert!(progress.body.contains("Certificats délivrés"), "{}", progress.body);
    pages.push(("issue done".into(), progress));
}

/// A revoked and a reissued certificate, a series and a design, then every page of the console
/// with that data in it.
async fn other_pages(app: &TestApp, s: &Browser, pages: &mut Vec<(String, Res)>) {
    let conn = harness::open_db(&app.db);
    let ids: Vec<String> =
        conn.rows_for_tests("SELECT id FROM certificates ORDER BY id LIMIT 2", (), |r| r.get(0)).unwrap();
    let res =
        send(app, s.form(&format!("/staff/certificates/{}/revoke", ids[0]), "reason=d%C3%A9livr%C3%A9+par+erreur"))
            .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res =
        send(app, s.form(&format!("/staff/certificates/{}/reissue", ids[1]), "name=Ana+Garc%C3%ADa&language=fr")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let reissued = res.location().to_owned();
    // A series with the event, so its page has a rule, decisions and the event list.
    let res = send(app, s.form("/staff/series", "slug=s2025&title=Cycle+2025&language=fr")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = send(app, s.form("/staff/series/s2025/events", "event=liberte")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // A design, so its page (logos, signatories, wording, preview) is walked too.
    let res = send(app, s.form("/staff/designs", "name=Mod%C3%A8le+2025")).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let design = res.location().to_owned();
    for uri in [
        "/staff/designs".to_owned(),
        "/staff/organisation".to_owned(),
        design,
        "/staff/events/liberte/design".to_owned(),
        "/staff/events/liberte/redesign".to_owned(),
        "/staff/series".to_owned(),
        "/staff/series/s2025".to_owned(),
        "/staff/events".to_owned(),
        "/staff/events/new".to_owned(),
        "/staff/events/liberte".to_owned(),
        "/staff/events/liberte/edit".to_owned(),
        "/staff/events/liberte/attendance".to_owned(),
        "/staff/events/liberte/certificates".to_owned(),
        "/staff/events/liberte/delivery".to_owned(),
        format!("/staff/certificates/{}", ids[0]),
        format!("/staff/certificates/{}", ids[1]),
        reissued,
        "/staff/audit".to_owned(),
    ] {
        let page = send(app, s.get(&uri)).await;
        assert_eq!(page.status, StatusCode::OK, "{uri}");
        pages.push((uri, page));
    }
}

/// Every page is `lang="fr"`, has the switcher, and holds no English outside what is marked;
/// numbers and plurals are written as French writes them.
fn no_english_on(pages: &[(String, Res)]) {
    let mut english = Vec::new();
    for (what, page) in pages {
        assert_eq!(html_lang(&page.body), "fr", "{what}");
        assert!(page.body.contains("href=\"/staff/language/en?next="), "{what}: no switcher");
        for t in english_words(&page.body) {
            english.push(format!("{what}: {t:?}"));
        }
    }
    assert!(english.is_empty(), "English on French pages:\n{}", english.join("\n"));
    // Numbers and plurals as French writes them.
    let overview = &pages.iter().find(|(w, _)| w == "/staff/events/liberte").unwrap().1.body;
    assert!(overview.contains("13\u{a0}personnes"), "{overview}");
    assert!(overview.contains("d’après l’événement"), "{overview}");
    assert!(overview.contains("14/03/2025 10:00"), "{overview}");
}
