//! Series of events in the console (issue 12): the list and a form to create one; a series'
//! page with its events, its rule, every person's decision with its sentence, issuing, and its
//! certificates (each opens the certificate page shared with events, where it is revoked or
//! reissued).
//!
//! Every string a person reads comes from the console catalogue ([`super::text`]), the rule's
//! wording too. Decision sentences are the library's (English, marked `lang="en"`).
//! Not here: editing a series' title or slug, deleting a series.

use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};

use super::form::{Fields, Sent, field, refused_on, sent_back};
use super::text::{K, Tr};
use super::{Done, PostedOn, StaffForm, StaffUser, UserOn};
use crate::attendance::series::{Link, SeriesDecision, SeriesRule};
use crate::issuance;
use crate::language::Language;
use crate::store::{self, certificates::Certificate, events::Event};
use crate::web::{AppState, WebError};

struct Page {
    series: store::series::Series,
    events: Vec<Event>,
    all_events: Vec<Event>,
    decisions: Vec<SeriesDecision>,
    links: Vec<Link>,
    certificates: Vec<Certificate>,
}

async fn list(State(state): State<AppState>, user: StaffUser) -> Result<Markup, WebError> {
    list_page(&state, &user, &Sent::default()).await
}

/// The list of series and the form to create one (`sent`: that form sent back).
async fn list_page(state: &AppState, user: &StaffUser, sent: &Sent) -> Result<Markup, WebError> {
    let all = state
        .blocking(|c, _| -> Result<_, store::StoreError> {
            store::series::list(c)?
                .into_iter()
                .map(|s| Ok((store::series::events(c, &s)?, s)))
                .collect::<Result<Vec<_>, _>>()
        })
        .await??;
    let tr = &user.tr;
    let body = html! {
        h1 { (tr.t(K::SeriesTitle)) }
        p.muted { (tr.t(K::SeriesIntro)) }
        section.card {
            @if all.is_empty() { p { (tr.t(K::SeriesNoneYet)) } } @else {
                table {
                    thead { tr { th { (tr.t(K::SeriesColumn)) } th { (tr.t(K::SeriesRuleColumn)) } th { (tr.t(K::SeriesEventsColumn)) } } }
                    tbody {
                        @for (evs, s) in &all {
                            tr {
                                td { a href={ "/staff/series/" (s.slug) } { (s.title) } br; code.small { (s.slug) } }
                                td { (rule_words(tr, s.rule, evs.len())) }
                                td { (evs.len()) }
                            }
                        }
                    }
                }
            }
        }
        @if user.may("POST", "/staff/series") { form.card method="post" action="/staff/series" novalidate {
            h2 { (tr.t(K::SeriesCreate)) }
            (sent.summary(tr))
            (user.csrf_field())
            label for="s-slug" { (tr.t(K::SeriesSlug)) }
            input #s-slug type="text" name="slug" required pattern="[a-z0-9_-]{1,64}" placeholder="cybercrime-2020"
                value=(sent.val("s-slug", "")) aria-invalid=[sent.invalid("s-slug")] aria-describedby=[sent.described("s-slug")];
            (sent.note("s-slug"))
            label for="s-title" { (tr.t(K::SeriesTitleLabel)) }
            input #s-title type="text" name="title" required maxlength="300"
                value=(sent.val("s-title", "")) aria-invalid=[sent.invalid("s-title")] aria-describedby=[sent.described("s-title")];
            (sent.note("s-title"))
            label for="s-language" { (tr.t(K::SeriesLanguage)) }
            @let lang = sent.val("s-language", "en");
            select #s-language name="language" { @for l in Language::ALL { option value=(l.code()) selected[l.code() == lang] { (l.name()) } } }
            button type="submit" { (tr.t(K::SeriesCreateButton)) }
        } }
    };
    Ok(user.page(tr.t(K::SeriesTitle), body))
}

async fn page(UserOn(state, user, slug): UserOn) -> Result<Markup, WebError> {
    series_page(&state, &user, slug, &Sent::default()).await
}

/// One series' page; `sent`: one of its forms sent back with what was wrong.
async fn series_page(state: &AppState, user: &StaffUser, slug: String, sent: &Sent) -> Result<Markup, WebError> {
    let p = state
        .blocking(move |c, _| -> Result<Page, store::StoreError> {
            let series = store::series::get(c, &slug)?;
            Ok(Page {
                events: store::series::events(c, &series)?,
                all_events: store::events::list(c)?,
                decisions: issuance::series::decisions(c, &series)?,
                links: store::series::links(c, &series)?,
                certificates: store::series::certificates(c, &series)?,
                series,
            })
        })
        .await??;
    let base = format!("/staff/series/{}", p.series.slug);
    let eligible = p.decisions.iter().filter(|d| d.eligible).count();
    let others: Vec<&Event> = p.all_events.iter().filter(|e| !p.events.iter().any(|x| x.id == e.id)).collect();
    let dates: std::collections::HashMap<i64, String> =
        p.events.iter().filter_map(|e| Some((e.id, e.starts_at?.format("%Y-%m-%d").to_string()))).collect();
    let rule_value = sent.val("r-at_least", p.series.rule.min_sessions().map(|n| n.to_string()).unwrap_or_default());
    let tr = &user.tr;
    let body = html! {
        p.crumbs { a href="/staff/series" { (tr.t(K::SeriesBack)) } }
        h1 { (p.series.title) }
        div.grid3 {
            section.card {
                h2 { (tr.t(K::SeriesEventsColumn)) }
                @if p.events.is_empty() { p { (tr.t(K::SeriesNoEvents)) } }
                ol {
                    @for e in &p.events {
                        li {
                            a href={ "/staff/events/" (e.slug) } { (e.title) }
                            " · " (dates.get(&e.id).map(String::as_str).unwrap_or("")) " "
                            @if user.may("POST", "/staff/series/{slug}/events/remove") { form.inline method="post" action={ (base) "/events/remove" } {
                                (user.csrf_field())
                                input type="hidden" name="event" value=(e.slug);
                                button.secondary.small type="submit" { (tr.t(K::SeriesRemove)) }
                            } }
                        }
                    }
                }
            }
            @if user.may("POST", "/staff/series/{slug}/events") { form.card method="post" action={ (base) "/events" } {
                h2 { (tr.t(K::SeriesAddEvent)) }
                @if sent.form() == "e-" { (sent.summary(tr)) }
                (user.csrf_field())
                @if others.is_empty() { p.muted { (tr.t(K::SeriesAllAdded)) } } @else {
                    label for="e-event" { (tr.t(K::SeriesEvent)) }
                    select #e-event name="event" required {
                        @for e in &others { option value=(e.slug) { (e.title) " (" (e.slug) ")" } }
                    }
                    button.secondary type="submit" { (tr.t(K::SeriesAdd)) }
                }
            } }
            @if !user.may("POST", "/staff/series/{slug}/rule") {
                section.card { h2 { (tr.t(K::SeriesRuleColumn)) (tr.t(K::Colon)) (rule_words(tr, p.series.rule, p.events.len())) } }
            } @else { form.card method="post" action={ (base) "/rule" } novalidate {
                h2 { (tr.t(K::SeriesRuleColumn)) (tr.t(K::Colon)) (rule_words(tr, p.series.rule, p.events.len())) }
                @if sent.form() == "r-" { (sent.summary(tr)) }
                (user.csrf_field())
                p.muted { (tr.t(K::SeriesRuleHelp)) }
                label for="r-at_least" { (tr.t(K::SeriesAtLeast)) }
                input #r-at_least type="number" name="at_least" min="1" value=(rule_value)
                    aria-invalid=[sent.invalid("r-at_least")] aria-describedby=[sent.described("r-at_least")];
                (sent.note("r-at_least"))
                button.secondary type="submit" { (tr.t(K::SeriesSaveRule)) }
            } }
        }
        section.card {
            h2 { (tr.t(K::SeriesDecisions)) }
            p { (tr.nm(K::SeriesPeopleEligible, p.decisions.len(), &[("eligible", html! { strong { (tr.num(eligible)) } })])) }
            // Stacked on a phone, as the event's attendance list (people.rs).
            div.scroll tabindex="0" {
                table.people.stacks role="table" {
                    thead role="rowgroup" { tr role="row" { th role="columnheader" { (tr.t(K::Name)) } th role="columnheader" { (tr.t(K::EmailColumn)) } th.num role="columnheader" { (tr.t(K::SeriesSessions)) } th role="columnheader" { (tr.t(K::Decision)) } th role="columnheader" { (tr.t(K::Why)) } } }
                    tbody role="rowgroup" {
                        @for d in &p.decisions {
                            tr role="row" class=(if d.eligible { "yes" } else { "no" }) {
                                td role="cell" { bdi { (d.name) } br; code.small { (d.key) } }
                                td role="cell" translate="no" data-label=(tr.labelled(K::EmailColumn)) { (d.email.as_deref().unwrap_or("—")) }
                                td.num role="cell" data-label=(tr.labelled(K::SeriesSessions)) { (tr.num(d.attended.len())) "/" (tr.num(p.events.len())) }
                                td role="cell" data-label=(tr.labelled(K::Decision)) { @if d.eligible { span.ok { (tr.t(K::EligibleWord)) } } @else { span.no { (tr.t(K::NotEligibleWord)) } } }
                                td role="cell" data-label=(tr.labelled(K::Why)) { span lang="en" { (d.reason) } @if !d.review.is_empty() { br; span.warn { (tr.t(K::ReviewMark)) (tr.t(K::Colon)) span lang="en" { (d.review.join("; ")) } } } }
                            }
                        }
                    }
                }
            }
        }
        (links_card(user, &base, &p, sent))
        section.card {
            h2 { (tr.t(K::SeriesCertificates)) }
            p.muted { (tr.t(K::SeriesIssueHelp)) }
            @if sent.form() == "i-" { (sent.summary(tr)) }
            @if user.may("POST", "/staff/series/{slug}/issue") {
                form method="post" action={ (base) "/issue" } {
                    (user.csrf_field())
                    button type="submit" { (tr.t(K::SeriesIssueButton)) }
                }
            }
            h3 { (tr.t(K::SeriesIssued)) }
            @if p.certificates.is_empty() { p { (tr.t(K::SeriesNoCertificates)) } } @else {
                table {
                    thead { tr { th { (tr.t(K::Code)) } th { (tr.t(K::Name)) } th.num { (tr.t(K::Minutes)) } th { (tr.t(K::Status)) } } }
                    tbody {
                        @for c in &p.certificates {
                            tr {
                                td { a href={ "/staff/certificates/" (c.id) } { code { (issuance::grouped(&c.id)) } } }
                                td { bdi { (c.name) } }
                                td.num { (c.minutes) }
                                td { (super::certificates::status(tr, &c.status)) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(user.page(&p.series.title, body))
}

/// The series' links between two addresses of one person: the form that makes one (every address
/// of the series' people to choose from, by name), and those made, each with its undo button.
fn links_card(user: &StaffUser, base: &str, p: &Page, sent: &Sent) -> Markup {
    let tr = &user.tr;
    let mut addresses: Vec<(&str, &str)> = p
        .decisions
        .iter()
        .flat_map(|d| d.keys.iter().filter_map(|k| k.address()).map(move |a| (d.name.as_str(), a)))
        .collect();
    addresses.sort();
    let select = |id: &str, name: &str| {
        let chosen = sent.get(id);
        html! {
            select id=(id) name=(name) required aria-invalid=[sent.invalid(id)] aria-describedby=[sent.described(id)] {
                // Nothing chosen until staff choose: two selects on one first address only
                // asked to choose again.
                option value="" { (tr.t(K::SeriesChooseAddress)) }
                @for (who, a) in &addresses { option value=(a) selected[chosen == Some(*a)] { (who) " <" (a) ">" } }
            }
            (sent.note(id))
        }
    };
    let may_change = user.may("POST", "/staff/series/{slug}/links");
    html! {
        section.card #links {
            h2 { (tr.t(K::SeriesLinkTitle)) }
            p.muted { (tr.t(K::SeriesLinkHelp)) }
            @if !p.links.is_empty() {
                h3 { (tr.t(K::SeriesLinked)) }
                ul {
                    @for l in &p.links {
                        li {
                            code translate="no" { (l.a) } " = " code translate="no" { (l.b) } " · " bdi { (l.reason) } " "
                            @if may_change { form.inline method="post" action={ (base) "/links/remove" } {
                                (user.csrf_field())
                                input type="hidden" name="a" value=(l.a);
                                input type="hidden" name="b" value=(l.b);
                                // Named with its pair: a list of "Undo" buttons says nothing to a screen reader.
                                button.secondary.small type="submit" aria-label={ (tr.t(K::SeriesUnlink)) " " (l.a) " = " (l.b) } { (tr.t(K::SeriesUnlink)) }
                            } }
                        }
                    }
                }
            }
            @if may_change && addresses.len() > 1 {
                form method="post" action={ (base) "/links" } novalidate {
                    @if sent.form() == "l-" { (sent.summary(tr)) }
                    (user.csrf_field())
                    label for="l-a" { (tr.t(K::SeriesLinkFirst)) }
                    (select("l-a", "a"))
                    label for="l-b" { (tr.t(K::SeriesLinkSecond)) }
                    (select("l-b", "b"))
                    label for="l-reason" { (tr.t(K::Reason)) }
                    input #l-reason type="text" name="reason" required value=(sent.val("l-reason", ""))
                        aria-invalid=[sent.invalid("l-reason")] aria-describedby=[sent.described("l-reason")];
                    (sent.note("l-reason"))
                    button.secondary type="submit" { (tr.t(K::LinkButton)) }
                }
            }
        }
    }
}

/// The rule in the page's language: "at least 3 of the 4 sessions", "all 4 sessions".
fn rule_words(tr: &Tr, rule: SeriesRule, total: usize) -> String {
    match (rule.min_sessions(), total) {
        (Some(n), 0) => tr.n(K::SeriesRuleAtLeastN, n as usize, &[]),
        (None, 0) => tr.t(K::SeriesRuleAll).to_owned(),
        (Some(n), _) => tr.n(K::SeriesRuleAtLeastOf, total, &[("at_least", &tr.num(n))]),
        (None, _) => tr.n(K::SeriesRuleAllOf, total, &[]),
    }
}

async fn create(State(state): State<AppState>, StaffForm(user, f): StaffForm<Fields>) -> Result<Response, WebError> {
    let tr = &user.tr;
    let mut sent = Sent::posted("s-", f.iter().cloned());
    let slug = field(&f, "slug").trim().to_owned();
    let ok = !slug.is_empty()
        && slug.len() <= 64
        && slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !ok {
        sent.refuse("s-slug", tr.t(K::FormSlug));
    }
    let title = field(&f, "title").trim().to_owned();
    if title.is_empty() {
        sent.refuse("s-title", tr.t(K::FormTitleEmpty));
    } else if title.chars().count() > 300 {
        sent.refuse("s-title", tr.f(K::FormTooLong, &[("n", &300)]));
    }
    if !sent.refused() {
        let actor = user.member.email.clone();
        let language = field(&f, "language").to_owned();
        let s2 = slug.clone();
        let done = state
            .blocking(move |c, _| store::series::create(c, &s2, &title, language.parse()?, &actor, Utc::now()))
            .await?;
        match done {
            Ok(s) => return Ok(Done::SeriesCreated.on(&format!("/staff/series/{}", s.slug)).into_response()),
            Err(store::StoreError::Conflict(_)) => sent.refuse("s-slug", tr.f(K::FormSeriesTaken, &[("slug", &slug)])),
            Err(e) => sent.refuse_from(e)?,
        }
    }
    Ok(sent_back(list_page(&state, &user, &sent).await?))
}

/// Runs a change to the series and goes back to its page; refused, the page comes back with
/// the form as posted and what was wrong.
async fn change(
    state: AppState,
    user: StaffUser,
    slug: String,
    mut sent: Sent,
    f: impl FnOnce(&store::Conn, &store::series::Series, &str) -> Result<(), store::StoreError> + Send + 'static,
) -> Result<Response, WebError> {
    if !sent.refused() {
        let actor = user.member.email.clone();
        let s = slug.clone();
        let done =
            state.blocking(move |c, _| store::series::get(c, &s).and_then(|series| f(c, &series, &actor))).await?;
        match done {
            Ok(()) => return Ok(Done::SeriesSaved.on(&format!("/staff/series/{slug}")).into_response()),
            Err(e) => sent.refuse_from(e)?,
        }
    }
    Ok(sent_back(series_page(&state, &user, slug, &sent).await?))
}

/// The POST handler of both membership forms, each route giving its `op` for the form's event
/// (rather than a handler each that only passed its `op` on).
async fn membership(
    PostedOn(state, slug, user, f): PostedOn<Fields>,
    op: store::series::Membership,
) -> Result<Response, WebError> {
    let sent = Sent::posted("e-", f.iter().cloned()).in_form("e-");
    let event = field(&f, "event").to_owned();
    change(state, user, slug, sent, move |c, s, actor| op(c, s, &event, actor, Utc::now())).await
}

async fn set_rule(PostedOn(state, slug, user, f): PostedOn<Fields>) -> Result<Response, WebError> {
    let mut sent = Sent::posted("r-", f.iter().cloned()).in_form("r-");
    let rule = match field(&f, "at_least").trim() {
        "" => Some(SeriesRule::All),
        n => match n.parse::<u32>() {
            Ok(k) if k >= 1 => Some(SeriesRule::AtLeast(k)),
            _ => {
                sent.refuse("r-at_least", user.tr.f(K::FormSessions, &[("value", &n)]));
                None
            }
        },
    };
    change(state, user, slug, sent, move |c, s, actor| match rule {
        Some(rule) => store::series::set_rule(c, s, rule, actor, Utc::now()).map(|_| ()),
        None => Ok(()),
    })
    .await
}

async fn link(PostedOn(state, slug, user, f): PostedOn<Fields>) -> Result<Response, WebError> {
    let mut sent = Sent::posted("l-", f.iter().cloned()).in_form("l-");
    let (a, b, reason) = (field(&f, "a").to_owned(), field(&f, "b").to_owned(), field(&f, "reason").to_owned());
    if a.trim().eq_ignore_ascii_case(b.trim()) {
        sent.refuse("l-b", user.tr.t(K::FormSameAddress));
    }
    if reason.trim().is_empty() {
        sent.refuse("l-reason", user.tr.t(K::FormReasonRequired));
    }
    change(state, user, slug, sent, move |c, s, actor| {
        issuance::series::link(c, s, (&a, &b), &reason, actor, Utc::now()).map(|_| ())
    })
    .await
}

async fn unlink(PostedOn(state, slug, user, f): PostedOn<Fields>) -> Result<Response, WebError> {
    let (a, b) = (field(&f, "a").to_owned(), field(&f, "b").to_owned());
    let sent = Sent::default().in_form("l-");
    change(state, user, slug, sent, move |c, s, actor| store::series::unlink(c, s, &a, &b, actor, Utc::now())).await
}

async fn issue_all(PostedOn(state, slug, user, _): PostedOn<super::NoFields>) -> Result<Response, WebError> {
    let s = slug.clone();
    let done = state
        .with_issuer(user.member.email.clone(), move |c, issuer, now| {
            let series = store::series::get(c, &s)?;
            issuance::series::issue_series(c, issuer, &series, false, now)
        })
        .await?;
    let back = format!("/staff/series/{slug}");
    match done {
        Ok(_) => Ok(Done::SeriesIssued.on(&back).into_response()),
        Err(e) => {
            // Said on the series page, above the button that was pressed.
            let (code, sent) = Sent::refusal("i-", e)?;
            Ok(refused_on(code, series_page(&state, &user, slug, &sent).await?.into_response()))
        }
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/staff/series", get(list).post(create))
        .route("/staff/series/{slug}", get(page))
        .route("/staff/series/{slug}/events", post(|p| membership(p, store::series::add_event)))
        .route("/staff/series/{slug}/events/remove", post(|p| membership(p, store::series::remove_event)))
        .route("/staff/series/{slug}/rule", post(set_rule))
        .route("/staff/series/{slug}/links", post(link))
        .route("/staff/series/{slug}/links/remove", post(unlink))
        .route("/staff/series/{slug}/issue", post(issue_all))
}
