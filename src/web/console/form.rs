//! A form sent back to the person who filled it: what they entered, kept, and what is wrong
//! with it, said next to each field and in a summary at the top of the form.
//!
//! A refused form answers 422 with its own page again (never a separate error page with only
//! "← Back": that lost what was typed and the chosen files). Pages render their forms from a
//! [`Sent`]: [`Sent::default`] on a GET, the posted values and the refusals after a POST. Fields
//! are named by their element `id` (the summary links to them), so two forms on one page that
//! both have a "reason" keep theirs apart (`o-reason`, `l-reason`).
//!
//! Files cannot be put back into a file input (browsers forbid it). Forms whose files are
//! images of a design keep the ones that were fine on the server and say so; a file that was
//! itself refused, or an export that could not be read, is named with "choose the file again".
//!
//! Messages come from the console catalogue. Library text (the store's checks, in English) is
//! shown only when no check of the console's own caught the problem first, marked `lang="en"`.

use std::collections::HashMap;

use maud::{Markup, html};

use super::text::{K, Tr};

/// What a form posted and, when it was refused, why.
#[derive(Debug, Default, Clone)]
pub(super) struct Sent {
    /// Posted values by element id.
    values: HashMap<String, String>,
    /// (element id, message) in the order of the form; an empty id is about the whole form.
    errors: Vec<(String, String)>,
    /// The message is the library's English text.
    english: Vec<bool>,
    /// Which of a page's forms was sent (its ids' prefix), for pages with several.
    form: &'static str,
}

impl Sent {
    /// The posted fields, each named `prefix` + its name (the element ids of the form).
    pub fn posted(prefix: &str, fields: impl IntoIterator<Item = (String, String)>) -> Sent {
        let values =
            fields.into_iter().filter(|(k, _)| k != "csrf").map(|(k, v)| (format!("{prefix}{k}"), v)).collect();
        Sent { values, ..Sent::default() }
    }

    /// Marks which of the page's forms this is (its ids' prefix).
    pub fn in_form(mut self, prefix: &'static str) -> Sent {
        self.form = prefix;
        self
    }

    pub fn form(&self) -> &'static str {
        self.form
    }

    /// Says what is wrong with field `id` (empty: the form as a whole).
    pub fn refuse(&mut self, id: &str, message: impl Into<String>) {
        self.errors.push((id.to_owned(), message.into()));
        self.english.push(false);
    }

    /// A refusal in the library's words (English), for what no console check foresaw.
    pub fn refuse_english(&mut self, id: &str, message: impl Into<String>) {
        self.errors.push((id.to_owned(), message.into()));
        self.english.push(true);
    }

    pub fn refused(&self) -> bool {
        !self.errors.is_empty()
    }

    /// The posted value of `id`, trimmed, if any.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.values.get(id).map(|v| v.trim())
    }

    /// The posted value of `id` as typed, else `default` (what the page shows when not sent back).
    pub fn val(&self, id: &str, default: impl Into<String>) -> String {
        match self.values.get(id) {
            Some(v) => v.clone(),
            None => default.into(),
        }
    }

    /// Whether a checkbox is ticked: as posted when the form was sent back, else `default`.
    pub fn checked(&self, id: &str, default: bool) -> bool {
        if self.values.is_empty() { default } else { self.values.contains_key(id) }
    }

    /// Sets a value the re-rendered form should carry (a kept file's id).
    pub fn keep(&mut self, id: &str, value: String) {
        self.values.insert(id.to_owned(), value);
    }

    fn error(&self, id: &str) -> Option<(usize, &str)> {
        self.errors.iter().enumerate().find(|(_, (f, _))| f == id).map(|(i, (_, m))| (i, m.as_str()))
    }

    /// `aria-invalid` of field `id`.
    pub fn invalid(&self, id: &str) -> Option<&'static str> {
        self.error(id).map(|_| "true")
    }

    /// `aria-describedby` of field `id`: its message.
    pub fn described(&self, id: &str) -> Option<String> {
        self.error(id).map(|_| format!("{id}-error"))
    }

    /// The message under field `id`, if it was refused.
    pub fn note(&self, id: &str) -> Markup {
        html! {
            @if let Some((i, m)) = self.error(id) {
                p.field-error id={ (id) "-error" } lang=[self.english[i].then_some("en")] { (m) }
            }
        }
    }

    /// The summary at the top of a refused form: each problem, linked to its field.
    pub fn summary(&self, tr: &Tr) -> Markup {
        html! {
            @if self.refused() {
                div.error-summary role="alert" tabindex="-1" {
                    h2 { (tr.t(K::FormRefusedTitle)) }
                    ul {
                        @for (i, (id, m)) in self.errors.iter().enumerate() {
                            li lang=[self.english[i].then_some("en")] {
                                @if id.is_empty() { (m) } @else { a href={ "#" (id) } { (m) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A posted urlencoded body as (name, value) pairs, in order (repeated names stay repeated).
pub(super) type Fields = Vec<(String, String)>;

/// The value of `name` among posted fields, or "".
pub(super) fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
}

impl Sent {
    /// A refusal the library made after the console's own checks passed: a caller's mistake
    /// (4xx) is said in the summary in the library's words; anything else is ours, and becomes
    /// the usual 5xx page with a request id (`Err`).
    pub fn refuse_from(&mut self, e: impl Into<crate::web::WebError>) -> Result<(), crate::web::WebError> {
        match e.into() {
            crate::web::WebError::Status(code, msg) if code.is_client_error() => {
                self.refuse_english("", msg);
                Ok(())
            }
            other => Err(other),
        }
    }
}

/// The page of a button the library refused (an event already being issued elsewhere, a series
/// with no events): the page the button is on, with the refusal said beside it, answered with the
/// refusal's own status (409 for a conflict) rather than a separate error page.
pub(super) fn refused_on(code: axum::http::StatusCode, page: axum::response::Response) -> axum::response::Response {
    let (mut parts, body) = page.into_parts();
    parts.status = code;
    axum::response::Response::from_parts(parts, body)
}

impl Sent {
    /// A refusal with nothing posted to send back (a button: issue, reissue, send again): the
    /// library's refusal said in form `form` (`""`: above the page's forms), and the status it
    /// came with, for the page the button is on. `Err` as for [`Sent::refuse_from`].
    pub fn refusal(
        form: &'static str,
        e: impl Into<crate::web::WebError>,
    ) -> Result<(axum::http::StatusCode, Sent), crate::web::WebError> {
        let e = e.into();
        let code = match &e {
            crate::web::WebError::Status(code, _) => *code,
            _ => axum::http::StatusCode::INTERNAL_SERVER_ERROR,
        };
        let mut sent = Sent::default().in_form(form);
        sent.refuse_from(e)?;
        Ok((code, sent))
    }
}

/// The answer for a refused form: 422 with the page that holds it.
pub(super) fn sent_back(page: Markup) -> axum::response::Response {
    use axum::response::IntoResponse;
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// [`sent_back`] for a page already made into a response: its status becomes 422.
pub(super) fn sent_back_response(page: axum::response::Response) -> axum::response::Response {
    let (mut parts, body) = page.into_parts();
    parts.status = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    axum::response::Response::from_parts(parts, body)
}
