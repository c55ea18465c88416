//! The text encodings attest writes into URLs, headers, records and tokens: percent-encoding
//! (RFC 3986), lowercase hex, and RFC 3339 times. One place each, so that a URL built by the
//! console and one built by the public pages escape the same bytes, and every stored or signed
//! time has the same form. The work itself is done by well-kept crates (`percent-encoding`,
//! `hex`, `chrono`); this module only fixes the choices.
//!
//! Not here: base64url (the tokens' and credentials' own, in `trust`), and the CSV quoting of
//! exports (`issuance`).

use chrono::{DateTime, SecondsFormat, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// RFC 3986's unreserved characters stay; every other byte is `%XX`.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// [`UNRESERVED`], and `/` stays too: a console path passed as a `next=` parameter stays
/// readable in the address bar.
const PATH: &AsciiSet = &UNRESERVED.remove(b'/');

/// A file name in a `filename*=UTF-8''…` parameter (RFC 6266): letters, digits, `.` and `-` stay.
const FILE_NAME: &AsciiSet = &NON_ALPHANUMERIC.remove(b'.').remove(b'-');

/// `s` as one URL query value or path segment: every byte but the unreserved ones escaped.
pub fn percent(s: &str) -> String {
    utf8_percent_encode(s, UNRESERVED).to_string()
}

/// `s` as a URL path (its `/` kept), e.g. a slug in `/staff/events/{slug}`, or a `next=` path.
pub fn percent_path(s: &str) -> String {
    utf8_percent_encode(s, PATH).to_string()
}

/// A file name for `Content-Disposition`'s `filename*=UTF-8''…`.
pub fn percent_file_name(s: &str) -> String {
    utf8_percent_encode(s, FILE_NAME).to_string()
}

/// Bytes as lowercase hex: digests, salts, request ids.
pub fn hex(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// A time as RFC 3339 UTC to the second, `2025-03-14T10:00:00Z`: how attest stores, signs and
/// shows times to machines.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// An RFC 3339 time with any offset, as UTC; `None` when it is not one.
pub fn parse_rfc3339(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s).ok().map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_all_but_unreserved_and_paths_keep_their_slashes() {
        assert_eq!(percent("a b/é~_.-"), "a%20b%2F%C3%A9~_.-");
        assert_eq!(percent_path("/staff/events/séminaire 1"), "/staff/events/s%C3%A9minaire%201");
        assert_eq!(percent_file_name("Ana María_2025.pdf"), "Ana%20Mar%C3%ADa%5F2025.pdf");
    }

    #[test]
    fn hex_is_lowercase_and_times_are_utc_to_the_second() {
        assert_eq!(hex(&[0, 0xab, 0xff]), "00abff");
        let t = parse_rfc3339("2025-03-14T11:00:00.5+01:00").expect("a time");
        assert_eq!(rfc3339(t), "2025-03-14T10:00:00Z");
        assert_eq!(parse_rfc3339("14/03/2025"), None);
    }
}
