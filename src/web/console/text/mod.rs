//! Every word the staff console shows, in English and French (the Council of Europe's two
//! official languages), and how numbers and dates are written in each.
//!
//! # The catalogue
//! [`K`] names every string; the `catalogue!` rows (`text/catalogue.rs`) give each key its English and French text side by
//! side, so a key cannot exist in one language only: a row without `fr:` (or `en:`) does not
//! compile. A key no page uses is a `dead_code` warning (a build error under clippy `-D warnings`),
//! because the list of all keys ([`K::ALL`]) exists only in tests. The tests below check what the
//! compiler cannot: no empty text, the same `{placeholders}` in both languages, the same number
//! of plural forms, and French typography.
//!
//! # How to add a string (or move a page's strings here)
//! 1. Add a row under the heading of its page, key in `UpperCamelCase` saying what it is:
//!    `UploadTitle { en: "Upload exports", fr: "Importer des exports" },`
//! 2. In the page, take a [`Tr`] (a signed-in page has it as `user.tr`; before sign-in, take
//!    `tr: Tr` as an extractor argument) and write `(tr.t(K::UploadTitle))` where the literal was.
//! 3. Text with values: name them in braces, `"{file}: {rows} rows read"`, and fill them with
//!    `tr.f(K::RowsRead, &[("file", &name), ("rows", &tr.num(rows))])`. When a value is markup
//!    (a link, `strong`, `code`), use `tr.m(K::…, &[("file", html! { strong { (name) } })])`:
//!    the text around it is escaped, the markup is not. Never build a sentence by gluing
//!    fragments: word order differs between the languages.
//! 4. Counts: write both forms separated by `|`, singular first, the count as `{n}`:
//!    `IssueN { en: "Issue {n} certificate|Issue {n} certificates", fr: "Délivrer {n}\u{a0}certificat|…" }`
//!    and call `tr.n(K::IssueN, count, &[])` (or `tr.nm` for markup). French takes the
//!    singular for 0 and 1, English for 1 only.
//! 5. French typography: a no-break space `\u{a0}` before `:` and inside « », a narrow no-break
//!    space `\u{202f}` before `;` `!` `?` and `\u{a0}` before `%`; the apostrophe is ’. Write
//!    them as these escapes so they can be seen; the test `french_typography_is_consistent`
//!    points at every row that forgets one.
//! 6. Numbers and dates: `tr.num(n)`, `tr.datetime(t)`, `tr.date(t)`, never `format!`.
//! 7. Run `cargo test --lib console::text` and `cargo test --test it console_language::` (it walks
//!    every console page in French and fails on English words left in it; add a new page's URL
//!    to its list).
//!
//! Not here: the public pages (`web::i18n`, three languages), the JSON API's messages, and
//! text the library writes (decision reasons, import and store error details, audit entries):
//! those stay in English and pages mark them `lang="en"`, so browsers and screen readers know.

use std::fmt::Display;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use chrono::{DateTime, TimeZone};
use maud::{Markup, PreEscaped, html};

use crate::web::AppState;

mod catalogue;

pub use catalogue::K;

/// The cookie that keeps the language chosen with the switcher.
pub const LANG_COOKIE: &str = "attest_lang";

/// A language of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// `fr`, `fr-CH`, `FR`… → French; anything else is not a console language.
    pub fn parse(tag: &str) -> Option<Lang> {
        match tag.get(..2)?.to_ascii_lowercase().as_str() {
            "en" if tag.len() == 2 || tag.as_bytes()[2] == b'-' => Some(Lang::En),
            "fr" if tag.len() == 2 || tag.as_bytes()[2] == b'-' => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The cookie set by the switcher, else the browser's languages, else English.
    pub fn of_request(headers: &HeaderMap) -> Lang {
        super::cookie(headers, LANG_COOKIE).as_deref().and_then(Lang::parse).unwrap_or_else(|| {
            let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            crate::web::i18n::negotiate(accept, Lang::parse).unwrap_or(Lang::En)
        })
    }
}

/// The console's words in one language, and where the page is (for the language switcher).
#[derive(Debug, Clone)]
pub struct Tr {
    pub lang: Lang,
    /// The page to come back to after switching language: the request's path and query for a
    /// GET; for a form's answer, the page the form belongs to.
    pub here: String,
    /// What the form before this page did (`?done=…`, see `console::Done`), said by the layout.
    pub done: Option<String>,
}

impl Tr {
    pub fn of(parts: &Parts) -> Tr {
        let done =
            parts.uri.query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("done=")).map(str::to_owned));
        let here = if parts.method == Method::GET {
            // Without `done`: the notice is said once, not again after switching language.
            let path = parts.uri.path();
            let rest: Vec<&str> = parts
                .uri
                .query()
                .unwrap_or("")
                .split('&')
                .filter(|kv| !kv.is_empty() && !kv.starts_with("done="))
                .collect();
            if rest.is_empty() { path.to_owned() } else { format!("{path}?{}", rest.join("&")) }
        } else {
            // `/staff/events/{slug}/override` → `/staff/events/{slug}`: a page that answers GET.
            parts.uri.path().split('/').take(4).collect::<Vec<_>>().join("/")
        };
        Tr { lang: Lang::of_request(&parts.headers), here, done }
    }

    /// The text of a key (for a plural key, its first form).
    pub fn t(&self, k: K) -> &'static str {
        let s = match self.lang {
            Lang::En => k.en(),
            Lang::Fr => k.fr(),
        };
        s.split('|').next().unwrap_or(s)
    }

    /// The text followed by this language's colon (`Role: `, `Rôle\u{a0}: `): a value's label
    /// where no column heads it (the lists of people on a phone).
    pub fn labelled(&self, k: K) -> String {
        format!("{}{}", self.t(k), self.t(K::Colon))
    }

    /// The text with its `{placeholders}` filled in.
    pub fn f(&self, k: K, args: &[(&str, &dyn Display)]) -> String {
        fill(self.t(k), |name, out| match args.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => out.push_str(&v.to_string()),
            None => missing(out, name),
        })
    }

    /// The text, escaped, with markup in its `{placeholders}`.
    pub fn m(&self, k: K, args: &[(&str, Markup)]) -> Markup {
        fill_markup(self.t(k), args)
    }

    /// The form of a plural key for `count`, with `{n}` the count written in this language.
    pub fn n(&self, k: K, count: usize, args: &[(&str, &dyn Display)]) -> String {
        let n = self.num(count);
        fill(self.plural(k, count), |name, out| match args.iter().find(|(a, _)| *a == name) {
            Some((_, v)) => out.push_str(&v.to_string()),
            None if name == "n" => out.push_str(&n),
            None => missing(out, name),
        })
    }

    /// [`Tr::n`] with markup in the placeholders (`{n}` is plain text unless given).
    pub fn nm(&self, k: K, count: usize, args: &[(&str, Markup)]) -> Markup {
        let mut all: Vec<(&str, Markup)> = args.to_vec();
        if !args.iter().any(|(a, _)| *a == "n") {
            all.push(("n", html! { (self.num(count)) }));
        }
        fill_markup(self.plural(k, count), &all)
    }

    fn plural(&self, k: K, count: usize) -> &'static str {
        let s = match self.lang {
            Lang::En => k.en(),
            Lang::Fr => k.fr(),
        };
        let (one, other) = s.split_once('|').unwrap_or((s, s));
        // CLDR: French is singular for 0 and 1, English for 1 only.
        let singular = match self.lang {
            Lang::En => count == 1,
            Lang::Fr => count <= 1,
        };
        if singular { one } else { other }
    }

    /// A whole number with the language's digit grouping: 12,345 or 12 345.
    pub fn num(&self, n: impl Display) -> String {
        let s = n.to_string();
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        let sep = match self.lang {
            Lang::En => ",",
            // The narrow no-break space of the French national printing office's rules.
            Lang::Fr => "\u{202f}",
        };
        let mut out = String::from(sign);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    /// Date and time to the minute: `2025-03-14 10:00` or `14/03/2025 10:00`.
    pub fn datetime<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> String
    where
        Tz::Offset: Display,
    {
        match self.lang {
            Lang::En => t.format("%Y-%m-%d %H:%M").to_string(),
            Lang::Fr => t.format("%d/%m/%Y %H:%M").to_string(),
        }
    }

    /// A stored UTC timestamp (RFC 3339) as [`Tr::datetime`] with seconds; kept as stored if it
    /// does not read.
    pub fn stored(&self, ts: &str) -> String {
        match crate::store::parse_ts(ts) {
            Some(t) => match self.lang {
                Lang::En => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                Lang::Fr => t.format("%d/%m/%Y %H:%M:%S").to_string(),
            },
            None => ts.to_owned(),
        }
    }
}

/// An unknown placeholder stays visible, so a test or a reader notices it.
fn missing(out: &mut String, name: &str) {
    out.push('{');
    out.push_str(name);
    out.push('}');
}

/// Calls `arg` for each `{name}` of `s` and copies the text between them.
fn fill(s: &str, mut arg: impl FnMut(&str, &mut String)) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&rest[..open]);
        arg(&rest[open + 1..close], &mut out);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn fill_markup(s: &str, args: &[(&str, Markup)]) -> Markup {
    let mut out = String::with_capacity(s.len() + 64);
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&html! { (rest[..open]) }.into_string());
        let name = &rest[open + 1..close];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, m)) => out.push_str(&m.0),
            None => missing(&mut out, name),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(&html! { (rest) }.into_string());
    PreEscaped(out)
}

impl FromRequestParts<AppState> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Tr::of(parts))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(lang: Lang) -> Tr {
        Tr { lang, here: "/staff".into(), done: None }
    }

    fn placeholders(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> = s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn every_key_has_text_in_both_languages_with_the_same_placeholders_and_plural_forms() {
        let mut bad = Vec::new();
        for &k in K::ALL {
            let (en, fr) = (k.en(), k.fr());
            if en.trim().is_empty() || fr.trim().is_empty() {
                bad.push(format!("{k:?}: empty text"));
            }
            if placeholders(en) != placeholders(fr) {
                bad.push(format!(
                    "{k:?}: placeholders {:?} in English, {:?} in French",
                    placeholders(en),
                    placeholders(fr)
                ));
            }
            let forms = |s: &str| s.matches('|').count();
            if forms(en) != forms(fr) || forms(en) > 1 {
                bad.push(format!("{k:?}: plural forms differ or more than two"));
            }
            for form in en.split('|').chain(fr.split('|')) {
                if forms(en) == 1 && !form.contains("{n}") {
                    bad.push(format!("{k:?}: the plural form {form:?} does not show {{n}}"));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn french_typography_is_consistent() {
        let mut bad = Vec::new();
        for &k in K::ALL {
            let fr = k.fr();
            let chars: Vec<char> = fr.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                let before = if i > 0 { chars[i - 1] } else { '\0' };
                let after = chars.get(i + 1).copied().unwrap_or(' ');
                let want = match c {
                    // `10:00`, `https://`, `attest:`-like codes and `{placeholder}:` followed by
                    // text stay as they are only when the colon is not punctuation.
                    ':' if after.is_ascii_digit() || after == '/' => None,
                    ':' | '%' | '»' => Some('\u{a0}'),
                    ';' | '!' | '?' => Some('\u{202f}'),
                    _ => None,
                };
                if let Some(w) = want {
                    if before != w && !(i == 0 && c != '»') {
                        bad.push(format!("{k:?}: {c:?} at {i} needs {w:?} before it: {fr:?}"));
                    }
                }
                if c == '«' && after != '\u{a0}' {
                    bad.push(format!("{k:?}: « needs a no-break space after it: {fr:?}"));
                }
                if c == '\'' {
                    bad.push(format!("{k:?}: the French apostrophe is ’: {fr:?}"));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let (en, fr) = (tr(Lang::En), tr(Lang::Fr));
        assert_eq!(en.n(K::IssueN, 0, &[]), "Issue 0 certificates");
        assert_eq!(en.n(K::IssueN, 1, &[]), "Issue 1 certificate");
        assert_eq!(fr.n(K::IssueN, 0, &[]), "Délivrer 0\u{a0}certificat");
        assert_eq!(fr.n(K::IssueN, 1, &[]), "Délivrer 1\u{a0}certificat");
        assert_eq!(fr.n(K::IssueN, 2, &[]), "Délivrer 2\u{a0}certificats");
        assert_eq!(fr.n(K::IssueN, 12345, &[]), "Délivrer 12\u{202f}345\u{a0}certificats");
        assert_eq!(en.n(K::IssueN, 12345, &[]), "Issue 12,345 certificates");
    }

    #[test]
    fn numbers_and_dates_are_written_per_language() {
        let (en, fr) = (tr(Lang::En), tr(Lang::Fr));
        assert_eq!(fr.num(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(en.num(-1234), "-1,234");
        assert_eq!(en.num(999), "999");
        let t = chrono::Utc.with_ymd_and_hms(2025, 3, 4, 9, 5, 0).unwrap();
        assert_eq!(en.datetime(&t), "2025-03-04 09:05");
        assert_eq!(fr.datetime(&t), "04/03/2025 09:05");
        assert_eq!(fr.stored("2025-03-04T09:05:07Z"), "04/03/2025 09:05:07");
        assert_eq!(fr.stored("not a time"), "not a time");
    }

    #[test]
    fn placeholders_take_text_escaped_and_markup_as_is() {
        let fr = tr(Lang::Fr);
        let m = fr.m(K::ForAccount, &[("email", html! { strong { "a<b@x.org" } })]);
        assert_eq!(m.into_string(), "Pour le compte du personnel <strong>a&lt;b@x.org</strong>.");
    }

    #[test]
    fn the_language_comes_from_the_cookie_then_the_browser_then_english() {
        fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.append(*k, v.parse().unwrap());
            }
            m
        }
        assert_eq!(Lang::of_request(&h(&[])), Lang::En);
        assert_eq!(Lang::of_request(&h(&[("accept-language", "fr-CH, fr;q=0.9, en;q=0.8")])), Lang::Fr);
        // Spanish is a public-page language, not a console one: the next choice wins.
        assert_eq!(Lang::of_request(&h(&[("accept-language", "es-ES, fr;q=0.7, en;q=0.5")])), Lang::Fr);
        assert_eq!(Lang::of_request(&h(&[("accept-language", "de, ru")])), Lang::En);
        assert_eq!(Lang::of_request(&h(&[("accept-language", "frx")])), Lang::En);
        let both = h(&[("accept-language", "fr"), ("cookie", "attest_session=x; attest_lang=en")]);
        assert_eq!(Lang::of_request(&both), Lang::En);
        assert_eq!(Lang::of_request(&h(&[("cookie", "attest_lang=fr")])), Lang::Fr);
    }
}
