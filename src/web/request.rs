//! Attendee self-service: ask for one's certificate by email.
//!
//! The page answers exactly the same whether or not the address attended, so nobody can learn
//! who attended by asking. The work (decision, issue if needed, link, mail) happens after the
//! response, in the background. The mail holds a one-time link that expires; only the hash of its
//! secret is stored. Requests are rate-limited per address and per client.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use super::i18n::Key;
use super::verify::{ClientIp, LangQuery, lang, page};
use super::{AppState, WebError};
use crate::issuance::Issuer;
use crate::store;

pub use crate::delivery::mailer::{Mailer, redacted};

#[derive(Debug, Deserialize)]
pub struct RequestForm {
    event: String,
    email: String,
}

fn form(lang: super::Lang, events: &[(String, String)]) -> Markup {
    html! {
        h1 { (lang.t(Key::RequestTitle)) }
        p { (lang.t(Key::RequestIntro)) }
        section.card {
            form method="post" action={ "/request?lang=" (lang.code()) } {
                label for="event" { (lang.t(Key::Event)) }
                select #event name="event" required {
                    @for (slug, title) in events { option value=(slug) { (title) } }
                }
                label for="email" { (lang.t(Key::EmailLabel)) }
                input #email type="email" name="email" autocomplete="email" required;
                button type="submit" { (lang.t(Key::Send)) }
            }
        }
    }
}

async fn events(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    let list = state.blocking(|c, _| store::events::list(c)).await??;
    Ok(list.into_iter().map(|e| (e.slug, e.title)).collect())
}

/// `GET /request`
pub async fn show(
    State(state): State<AppState>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Markup, WebError> {
    let lang = lang(&q, &headers);
    let events = events(&state).await?;
    Ok(page(lang, lang.t(Key::RequestTitle), "/request", form(lang, &events)))
}

/// `POST /request`: always the same answer; the work happens afterwards.
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
    axum::Form(f): axum::Form<RequestForm>,
) -> Result<Response, WebError> {
    let lang = lang(&q, &headers);
    let Some(email) = crate::attendance::plausible_email(&f.email) else {
        let body =
            page(lang, lang.t(Key::RequestTitle), "/request", html! { section.card { p { (lang.t(Key::BadEmail)) } } });
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
    };
    if !state.request_allowed(&client, &email) {
        let body =
            page(lang, lang.t(Key::RequestTitle), "/request", html! { section.card { p { (lang.t(Key::TooMany)) } } });
        return Ok((StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "3600")], body).into_response());
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
    let body = page(
        lang,
        lang.t(Key::RequestTitle),
        "/request",
        html! {
            section.card { p { (lang.t(Key::RequestSent)) } }
        },
    );
    Ok(body.into_response())
}

impl AppState {
    fn request_allowed(&self, client: &str, email: &str) -> bool {
        self.inner.request_client_limiter.check_key(&client.to_owned()).is_ok()
            && self.inner.request_address_limiter.check_key(&email.to_owned()).is_ok()
    }
}

fn process(conn: &mut rusqlite::Connection, state: &AppState, slug: &str, email: &str) -> anyhow::Result<()> {
    let Some(issuing) = &state.inner.issuing else {
        anyhow::bail!("certificate issuing is not configured on this server")
    };
    let Ok(event) = store::events::get(conn, slug) else { return Ok(()) };
    let now = Utc::now();
    let secret = crate::signing::active(conn, &issuing.keys_dir, now)?;
    let pdf = crate::pdf_signature::active(&issuing.keys_dir, &issuing.settings.issuer, now)?
        .with_tsa(issuing.settings.tsa_url.clone());
    let issuer = Issuer {
        renderer: &issuing.renderer,
        secret: &secret,
        pdf: &pdf,
        settings: &issuing.settings,
        actor: "self-service",
    };
    let Some(cert) = crate::issuance::issue_for(conn, issuer, &event, &format!("email:{email}"), now)? else {
        return Ok(());
    };
    let mut secret_bytes = [0u8; 32];
    getrandom::fill(&mut secret_bytes).map_err(|e| anyhow::anyhow!("random: {e}"))?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret_bytes);
    let expires = now + chrono::Duration::hours(state.config().link_hours);
    store::certificates::create_link(conn, &cert.id, &store::imports::sha256_hex(token.as_bytes()), now, expires)?;
    let link = format!("{}/download/{token}", state.config().public_url.trim_end_matches('/'));
    // The same mail as bulk delivery sends, in the certificate's language.
    let settings = crate::delivery::MailSettings {
        public_url: state.config().public_url.clone(),
        issuer: state.config().issuer.clone(),
        mail_from: state.config().mail_from.clone(),
        link_hours: state.config().link_hours,
    };
    let message_id = crate::delivery::message_id(&settings.mail_from)?;
    let msg = crate::delivery::message::compose(&cert, &event.title, &link, expires, None, &message_id, &settings)?;
    state.inner.mailer.send(&msg).map_err(|e| anyhow::anyhow!("sending mail: {e}"))?;
    tracing::info!(event = %event.slug, certificate = %cert.id, "download link sent");
    Ok(())
}

/// `GET /download/{token}`: the PDF, once.
pub async fn download(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let lang = lang(&q, &headers);
    let hash = store::imports::sha256_hex(token.as_bytes());
    let found = state
        .blocking(move |c, _| -> Result<Option<(String, Vec<u8>)>, store::StoreError> {
            let Some(id) = store::certificates::take_link(c, &hash, Utc::now())? else { return Ok(None) };
            let cert = store::certificates::get(c, &id)?.expect("links point to certificates");
            Ok(store::certificates::pdf(c, &id)?.map(|pdf| (cert.file_name, pdf)))
        })
        .await??;
    match found {
        Some((name, pdf)) => {
            let ascii: String =
                name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' || c == '-' { c } else { '_' }).collect();
            let encoded: String = name
                .bytes()
                .map(|b| {
                    if b.is_ascii_alphanumeric() || b == b'.' || b == b'-' {
                        (b as char).to_string()
                    } else {
                        format!("%{b:02X}")
                    }
                })
                .collect();
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
        None => {
            let body = page(
                lang,
                lang.t(Key::RequestTitle),
                "/request",
                html! { section.card { p { (lang.t(Key::LinkGone)) " " a href={ "/request?lang=" (lang.code()) } { (lang.t(Key::AskAgain)) } } } },
            );
            Ok((StatusCode::GONE, body).into_response())
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn smtp_passwords_are_not_shown() {
        assert_eq!(super::redacted("smtps://ops:s3cret@mail.example.org:465"), "smtps://…@mail.example.org:465");
        assert_eq!(super::redacted("smtp://localhost:25"), "smtp://localhost:25");
        assert!(super::Mailer::from_config(Some("smtps://ops:s3cret@mail.example.org:465"), "o".into()).is_ok());
        let err = super::Mailer::from_config(Some("ftp://ops:s3cret@x"), "o".into()).err().unwrap().to_string();
        assert!(!err.contains("s3cret"), "{err}");
    }
}
