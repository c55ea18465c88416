//! The languages certificates are printed in: [`Language`], one type for every layer.
//!
//! A certificate, its mail, an event's and a series' default, an attendee's own choice and the
//! public pages (verification, requests, downloads) all use this set, by design: an attendee who
//! follows a certificate's link reads the page in the certificate's language. Before this type
//! each layer kept its own list (`LANGUAGES` twice, three `contains` checks, two API enums, the
//! CLI's value lists and the public pages' `Lang`), which could drift apart.
//!
//! Deliberately not here: the words and date formats of each language (the public pages' are in
//! `web::i18n`, the certificate's in its templates, the mail's in `delivery::message`), and the
//! staff console's own language (`web::console::text::Lang`, English and French only), which is
//! a different choice: the language staff work in, not the one attendees read.
//!
//! The store maps it to and from its column text (`store`), the CLI lists it as possible values
//! (`cli`), and the API shows it as the schema `Language` (the `ToSchema` derive below).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

// The doc comment below is the OpenAPI schema's description, word for word: keep it one line so
// that `/api/v1/openapi.json` stays as it is. `Default` is English, the default of a new event in
// the CLI and the API.
/// A language certificates and pages are printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    En,
    Fr,
    Es,
}

impl Language {
    /// Every language, in the order choosers list them.
    pub const ALL: [Language; 3] = [Language::En, Language::Fr, Language::Es];

    /// The ISO 639-1 code: what the database, URLs, JSON and the CLI hold.
    pub const fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Fr => "fr",
            Language::Es => "es",
        }
    }

    /// The language's name in itself, as language choosers write it.
    pub const fn name(self) -> &'static str {
        match self {
            Language::En => "English",
            Language::Fr => "Français",
            Language::Es => "Español",
        }
    }

    /// The language of a tag as browsers and links send it (`fr-CH`, `ES`, `es-419`): its first
    /// two letters, in any case; `None` for a language attest does not print. This leniency is
    /// the public pages' (`Accept-Language`, `?lang=`) and theirs only: a stored or typed value
    /// goes through [`FromStr`], which takes the exact code.
    pub fn from_tag(tag: &str) -> Option<Language> {
        let primary = tag.get(..2)?;
        Language::ALL.into_iter().find(|l| primary.eq_ignore_ascii_case(l.code()))
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text that is not the code of a [`Language`]; it says which codes exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("language \"{0}\": use en, fr or es")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    /// The exact code (`en`, `fr`, `es`): a stored or typed value is not guessed at.
    fn from_str(s: &str) -> Result<Language, UnknownLanguage> {
        Language::ALL.into_iter().find(|l| l.code() == s).ok_or_else(|| UnknownLanguage(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_the_same_language() {
        for l in Language::ALL {
            assert_eq!(l.code().parse::<Language>(), Ok(l));
            assert_eq!(l.to_string(), l.code());
            assert_eq!(serde_json::to_string(&l).unwrap(), format!("\"{}\"", l.code()));
            assert_eq!(serde_json::from_str::<Language>(&format!("\"{l}\"")).unwrap(), l);
        }
    }

    #[test]
    fn an_unknown_code_is_an_error_that_lists_the_languages() {
        let e = "de".parse::<Language>().unwrap_err();
        assert_eq!(e.to_string(), "language \"de\": use en, fr or es");
        assert!("EN".parse::<Language>().is_err());
        assert!(" en".parse::<Language>().is_err());
    }

    #[test]
    fn tags_read_by_their_primary_subtag() {
        assert_eq!(Language::from_tag("fr-CH"), Some(Language::Fr));
        assert_eq!(Language::from_tag("ES"), Some(Language::Es));
        assert_eq!(Language::from_tag("en"), Some(Language::En));
        assert_eq!(Language::from_tag("es-419"), Some(Language::Es));
        assert_eq!(Language::from_tag("de-DE"), None);
        assert_eq!(Language::from_tag("e"), None);
        assert_eq!(Language::from_tag(""), None);
    }

    #[test]
    fn names_are_written_in_their_own_language() {
        let names: Vec<_> = Language::ALL.iter().map(|l| l.name()).collect();
        assert_eq!(names, ["English", "Français", "Español"]);
    }
}
