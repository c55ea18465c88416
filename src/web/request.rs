//! Attendee self-service: ask for one's certificate by email.
//!
//! The page answers exactly the same whether or not the address attended, so nobody can learn
//! who attended by asking. The work (decision, issue if needed, link, mail) happens after the
//! response, in the background. The mail holds a one-time link that expires; only the hash of its
//! secret is stored. Requests are rate-limited per address and per client.
//!
//! The form's `POST` is answered with a redirect (303) to its thank-you page, `GET
//! /request?sent=1`: reloading that page, or going back to it, sends nothing. Answering the
//! `POST` with the page itself let a reload send the form again, and a second mail.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::i18n::{Key, Words};
use super::verify::{ClientIp, PageLang, page};
use super::{AppState, WebError};
use crate::issuance::Issuer;
use crate::language::Language;
use crate::store;

pub use crate::delivery::mailer::Mailer;

#[derive(Debug, Deserialize)]
pub struct RequestForm {
    event: String,
    email: String,
}

/// `?sent=1` (or `again`, when the address had its three mails this hour): the thank-you page.
#[derive(Debug, Default, Deserialize)]
pub struct SentQuery {
    sent: Option<String>,
}

/// An event as the form lists it: slug, title and the day it was held (in its own zone).
struct Listed {
    slug: String,
    title: String,
    day: Option<chrono::NaiveDate>,
    /// The event's language, which its title is taken to be written in: marked where it is
    /// not the page's, so that a screen reader reads a French title in French on the English
    /// page (WCAG 3.1.2).
    language: Language,
}

/// Up to this many events are listed as radio buttons, whose labels wrap (a phone showed a
/// select's options cut after a few words); beyond it, a select (date first) keeps the page short.
const RADIO_EVENTS: usize = 20;

fn form(lang: Language, events: &[Listed]) -> Markup {
    let label = |e: &Listed| match e.day {
        Some(d) => format!("{} · {}", lang.date(d), e.title),
        None => e.title.clone(),
    };
    html! {
        h1 { (lang.t(Key::RequestTitle)) }
        p { (lang.t(Key::RequestIntro)) }
        section.card {
            @if events.is_empty() {
                p { (lang.t(Key::NoEvents)) }
            } @else {
                form method="post" action={ "/request?lang=" (lang.code()) } {
                    @if events.len() <= RADIO_EVENTS {
                        fieldset.choices {
                            legend { (lang.t(Key::Event)) }
                            @for (i, e) in events.iter().enumerate() {
                                label.choice {
                                    // None chosen beforehand when there are several: an
                                    // attendee who went straight to the address asked for the
                                    // newest seminar, and was told the request was received.
                                    input type="radio" name="event" value=(e.slug) required checked[i == 0 && events.len() == 1];
                                    span {
                                        span.title lang=[(e.language != lang).then(|| e.language.code())] { (e.title) }
                                        @if let Some(d) = e.day { span.when { (lang.date(d)) } }
                                    }
                                }
                            }
                        }
                    } @else {
                        label for="event" { (lang.t(Key::Event)) }
                        select #event name="event" required {
                            @for e in events { option value=(e.slug) { (label(e)) } }
                        }
                    }
                    label for="email" { (lang.t(Key::EmailLabel)) }
                    input #email type="email" name="email" autocomplete="email" required;
                    button type="submit" { (lang.t(Key::Send)) }
                }
            }
        }
    }
}

/// The events, newest first, with the day each was held: the staff's window, else the span of
/// its exports.
async fn events(state: &AppState) -> Result<Vec<Listed>, WebError> {
    let list = state
        .blocking(|c, _| -> Result<_, store::StoreError> {
            let mut out = Vec::new();
            for e in store::events::list(c)? {
                let start = match e.starts_at {
                    Some(t) => Some(t),
                    None => store::events::effective_window(c, &e)?.0.map(|w| w.start),
                };
                let day = start.map(|t| t.with_timezone(&e.tz()).date_naive());
                out.push(Listed { slug: e.slug, title: e.title, day, language: e.language });
            }
            out.sort_by_key(|e| std::cmp::Reverse(e.day));
            Ok(out)
        })
        .await??;
    Ok(list)
}

/// A page of the request form's own, with its heading.
fn request_page(lang: Language, title: &str, body: Markup) -> Markup {
    page(lang, title, "/request", html! { h1 { (title) } (body) })
}

/// `GET /request`, and its thank-you page (`?sent=1`).
pub async fn show(
    State(state): State<AppState>,
    PageLang(lang): PageLang,
    Query(sent): Query<SentQuery>,
) -> Result<Markup, WebError> {
    if let Some(sent) = sent.sent.as_deref() {
        return Ok(request_page(
            lang,
            lang.t(Key::RequestReceived),
            html! {
                section.card {
                    p { (lang.t(Key::RequestSent)) }
                    @if sent == "again" { p { (lang.t(Key::RequestCapped)) } }
                    p { a href={ "/request?lang=" (lang.code()) } { (lang.t(Key::AskAnother)) } }
                }
            },
        ));
    }
    let events = events(&state).await?;
    Ok(page(lang, lang.t(Key::RequestTitle), "/request", form(lang, &events)))
}

/// The answer to a request that was taken: to the thank-you page, by `GET`.
fn thank_you(lang: Language, again: bool) -> Response {
    let to = format!("/request?lang={}&sent={}", lang.code(), if again { "again" } else { "1" });
    axum::response::Redirect::to(&to).into_response()
}

/// `POST /request`: always the same answer; the work happens afterwards.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    PageLang(lang): PageLang,
    axum::Form(f): axum::Form<RequestForm>,
) -> Result<Response, WebError> {
    let Some(email) = crate::attendance::plausible_email(&f.email) else {
        let body = request_page(
            lang,
            lang.t(Key::RequestTitle),
            html! { section.card { p { (lang.t(Key::BadEmail)) " " a href={ "/request?lang=" (lang.code()) } { (lang.t(Key::AskAgain)) } } } },
        );
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    // Per client: a few requests a minute, then 429 for a minute (what the page says).
    if state.inner.request_client_limiter.check_key(&client).is_err() {
        let body =
            request_page(lang, lang.t(Key::RequestTitle), html! { section.card { p { (lang.t(Key::TooMany)) } } });
        return Ok((StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "60")], body).into_response());
    }
    // Per address: at most three mails an hour, so that the form cannot flood a mailbox. Past
    // that the request is answered, not refused, and nothing more is sent: the mails already
    // sent reached the attendee's own mailbox, and the latest one's link works. A refusal here
    // let anyone block an attendee's request for an hour by asking three times in their name.
    if state.inner.request_address_limiter.check_key(&email).is_err() {
        tracing::info!(event = %f.event, "certificate request: address already sent three mails this hour; nothing sent");
        return Ok(thank_you(lang, true));
    }
    let (bg, slug) = (state.clone(), f.event.clone());
    tokio::spawn(async move {
        let slug_for_log = slug.clone();
        let st = bg.clone();
        match bg.blocking(move |conn, _| process(conn, &st, &slug, &email)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(event = %slug_for_log, error = %e, "certificate request not completed"),
            Err(e) => tracing::warn!(event = %slug_for_log, error = ?e, "certificate request task failed"),
        }
    });
    Ok(thank_you(lang, false))
}

fn process(conn: &mut store::Conn, state: &AppState, slug: &str, email: &str) -> anyhow::Result<()> {
    let Some(issuing) = &state.inner.issuing else {
        anyhow::bail!("certificate issuing is not configured on this server")
    };
    let Ok(event) = store::events::get(conn, slug) else { return Ok(()) };
    let now = Utc::now();
    let (secret, pdf) = issuing.signers(conn, now).map_err(anyhow::Error::msg)?;
    let issuer = Issuer {
        renderer: &issuing.renderer,
        secret: &secret,
        pdf: &pdf,
        settings: &issuing.settings,
        actor: "self-service",
    };
    let Some(cert) =
        crate::issuance::issue_for(conn, issuer, &event, &crate::attendance::PersonKey::email(email), now)?
    else {
        return Ok(());
    };
    let mut secret_bytes = [0u8; 32];
    getrandom::fill(&mut secret_bytes).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret_bytes);
    let expires = now + chrono::Duration::hours(state.config().link_hours);
    store::certificates::create_link(conn, &cert.id, &store::imports::sha256_hex(token.as_bytes()), now, expires)?;
    // In the certificate's language, as bulk delivery's link (the page opened in the browser's).
    let link = format!("{}/download/{token}?lang={}", state.config().public_url.trim_end_matches('/'), cert.language);
    // The same mail as bulk delivery sends, in the certificate's language.
    let settings = crate::delivery::MailSettings {
        public_url: state.config().public_url.clone(),
        issuer: store::designs::profile(conn)?.printed_issuer(cert.language, &state.config().issuer),
        mail_from: state.config().mail_from.clone(),
        link_hours: state.config().link_hours,
    };
    let message_id = crate::delivery::message_id(&settings.mail_from)?;
    let msg = crate::delivery::message::compose(&cert, &event.title, &link, expires, None, &message_id, &settings)?;
    state.inner.mailer.send(&msg).map_err(|e| anyhow::anyhow!("sending mail: {e}"))?;
    tracing::info!(event = %event.slug, certificate = %cert.id, "download link sent");
    Ok(())
}

/// `GET` (and `HEAD`) `/download/{token}`: a page with a download button; nothing is spent.
///
/// Mail systems open every link of a message before the reader does (Microsoft Defender Safe
/// Links, corporate gateways), with `HEAD`, `GET` and `Range` requests. Were the `GET` the
/// download, they would spend each attendee's one-time link before the attendee saw it. So the
/// `GET` only shows the page, and the button (a form `POST`, which scanners do not submit)
/// downloads the PDF and spends the link. The alternative, a link usable for its whole validity,
/// would let anyone who sees a forwarded mail download the certificate for days.
pub async fn download_page(
    State(state): State<AppState>,
    Path(token): Path<String>,
    PageLang(lang): PageLang,
) -> Result<Response, WebError> {
    let found = with_link(&state, &token, |c, hash| match store::certificates::peek_link(c, hash, Utc::now())? {
        store::certificates::LinkState::Usable(id) => {
            let cert = store::certificates::get(c, &id)?
                .ok_or_else(|| store::StoreError::NotFound(format!("certificate {id}")))?;
            Ok(Ok(store::events::get_by_id(c, cert.event_id)?.title))
        }
        other => Ok(Err(other)),
    })
    .await?;
    match found {
        Ok(event_title) => {
            let action = format!("/download/{token}?lang={}", lang.code());
            let body = html! {
                h1 { (lang.t(Key::DownloadReady)) }
                section.card {
                    p { strong translate="no" { (event_title) } }
                    form method="post" action=(action) {
                        button type="submit" { (lang.t(Key::DownloadButton)) }
                    }
                    p.muted { (lang.t(Key::DownloadOnce)) }
                }
            };
            Ok(page(lang, lang.t(Key::DownloadReady), "/request", body).into_response())
        }
        Err(state) => Ok(link_gone(lang, &state)),
    }
}

/// Runs `f` off the async workers with the store and the hash of the link's token: only the hash
/// is stored, so a copy of the database cannot be used to download anyone's certificate.
async fn with_link<T: Send + 'static>(
    state: &AppState,
    token: &str,
    f: impl FnOnce(&mut store::Conn, &str) -> Result<T, store::StoreError> + Send + 'static,
) -> Result<T, WebError> {
    let hash = store::imports::sha256_hex(token.as_bytes());
    Ok(state.blocking(move |c, _| f(c, &hash)).await??)
}

/// The page of a link that cannot download any more, saying why and what to do.
fn link_gone(lang: Language, state: &store::certificates::LinkState) -> Response {
    let why = match state {
        store::certificates::LinkState::Replaced => lang.t(Key::LinkReplaced),
        _ => lang.t(Key::LinkGone),
    };
    let body = request_page(
        lang,
        lang.t(Key::RequestTitle),
        html! { section.card { p { (why) " " a href={ "/request?lang=" (lang.code()) } { (lang.t(Key::AskAgain)) } } } },
    );
    (StatusCode::GONE, body).into_response()
}

/// `POST /download/{token}`: the PDF, once (the page's button).
pub async fn download(
    State(state): State<AppState>,
    Path(token): Path<String>,
    PageLang(lang): PageLang,
) -> Result<Response, WebError> {
    let found = with_link(&state, &token, |c, hash| {
        let now = Utc::now();
        // One transaction: a link is spent only with its PDF in hand.
        let tx = c.transaction()?;
        let Some(id) = store::certificates::take_link(&tx, hash, now)? else {
            return Ok(Err(store::certificates::peek_link(&tx, hash, now)?));
        };
        let cert = store::certificates::get(&tx, &id)?
            .ok_or_else(|| store::StoreError::NotFound(format!("certificate {id}")))?;
        let pdf = store::certificates::pdf(&tx, &id)?
            .ok_or_else(|| store::StoreError::NotFound(format!("the PDF of certificate {id}")))?;
        tx.commit()?;
        Ok(Ok((cert.file_name, pdf)))
    })
    .await?;
    match found {
        Ok((name, pdf)) => {
            let ascii: String =
                name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
            let encoded = crate::encoding::percent_file_name(&name);
            let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
            Ok((
                [
                    (header::CONTENT_TYPE, "application/pdf".to_owned()),
                    (header::CONTENT_DISPOSITION, disposition),
                    (header::CACHE_CONTROL, "no-store".to_owned()),
                ],
                pdf,
            )
                .into_response())
        }
        Err(state) => Ok(link_gone(lang, &state)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn smtp_passwords_are_not_shown() {
        assert_eq!(
            crate::delivery::mailer::redacted("smtps://ops:s3cret@mail.example.org:465"),
            "smtps://…@mail.example.org:465"
        );
        assert_eq!(crate::delivery::mailer::redacted("smtp://localhost:25"), "smtp://localhost:25");
        assert!(super::Mailer::from_config(Some("smtps://ops:s3cret@mail.example.org:465"), "o".into()).is_ok());
        let err = super::Mailer::from_config(Some("ftp://ops:s3cret@x"), "o".into()).err().unwrap().to_string();
        assert!(!err.contains("s3cret"), "{err}");
    }
}
