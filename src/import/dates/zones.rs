//! Zone abbreviations written after a time (`10:00 AM CET`): the ones that name one offset, and
//! the ones that name several zones, read only where the import's zone is called so.

/// The UTC offset, in seconds, of a zone abbreviation written after a time (GoTo Webinar writes
/// `Mar 14, 2025 10:00 AM CET`), from the IANA time zone database's abbreviations, and the
/// German ones of CLDR's European metazones (`MEZ`, `MESZ`, `OEZ`, `OESZ`, `WEZ`, `WESZ`: a
/// German GoTo report's `14.03.2025 10:00 MEZ` was refused). Only those that name one offset:
/// `CST` (the US, China, Cuba) and `IST` (India, Ireland, Israel) are left out here: [`place`](super::place)
/// reads them in the import's zone when it is called so on the day.
pub fn zone_abbreviation(word: &str) -> Option<i32> {
    let hours = match word.to_ascii_lowercase().as_str() {
        "z" | "utc" | "gmt" | "wet" | "wez" => 0,
        "west" | "bst" | "cet" | "met" | "wesz" | "mez" => 1,
        "cest" | "mest" | "eet" | "mesz" | "oez" => 2,
        "eest" | "msk" | "oesz" => 3,
        "edt" => -4,
        "est" | "cdt" => -5,
        "mdt" => -6,
        "mst" | "pdt" => -7,
        "pst" | "akdt" => -8,
        "akst" => -9,
        "hst" => -10,
        "jst" | "kst" => 9,
        "aest" => 10,
        "aedt" => 11,
        "nzst" => 12,
        "nzdt" => 13,
        _ => return None,
    };
    Some(hours * 3600)
}

/// The zone abbreviations that name several zones, each with the zones that write it: a time
/// followed by one is read in the import's zone (`--tz`, the event's) when that zone is called
/// so on the day, and refused otherwise, naming the zones to choose from.
pub(super) const SHARED_ABBREVIATIONS: [(&str, &str); 2] = [
    ("IST", "Asia/Kolkata (India), Europe/Dublin (Ireland, summer) or Asia/Jerusalem (Israel)"),
    ("CST", "America/Chicago (US Central), Asia/Shanghai (China) or America/Havana (Cuba)"),
];

/// The abbreviation as [`SHARED_ABBREVIATIONS`] writes it, if `word` is one.
pub(super) fn shared_abbreviation(word: &str) -> Option<&'static str> {
    SHARED_ABBREVIATIONS.iter().map(|(a, _)| *a).find(|a| a.eq_ignore_ascii_case(word))
}
