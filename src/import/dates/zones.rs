//! The zones a file names: a zone or offset written as a label (GoTo's summary block, a header's
//! `Join Time (UTC)`), and the abbreviations written after a time (`10:00 AM CET`): the ones
//! that name one offset, and the ones that name several zones, read only where the import's
//! zone is called so.

use chrono_tz::Tz;

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

/// A zone as a file writes it (GoTo's summary block): a zone name (`Europe/Brussels`, `(GMT+01:00) Europe/Paris`) or a
/// fixed offset in whole hours (`GMT+01:00`, `UTC-5`).
pub fn zone(s: &str) -> Option<Tz> {
    let named = s
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ','))
        .filter(|t| t.contains('/'))
        .find_map(|t| t.parse::<Tz>().ok());
    if named.is_some() {
        return named;
    }
    if let Some(tz) = zone_of_cities(s) {
        return Some(tz);
    }
    let up = s.to_ascii_uppercase();
    let at = up.find("GMT").or_else(|| up.find("UTC"))?;
    let rest = up[at + 3..].trim_start();
    let sign = match rest.chars().next() {
        Some('+') => 1,
        Some('-') => -1,
        _ => return Some(chrono_tz::UTC),
    };
    let digits: String = rest[1..].chars().take_while(char::is_ascii_digit).collect();
    let hours: i32 = digits.parse().ok()?;
    let minutes = rest[1 + digits.len()..].strip_prefix(':').map_or("", |m| m.get(..2).unwrap_or(""));
    if !(minutes.is_empty() || minutes == "00") || hours > 14 {
        return None;
    }
    if hours == 0 {
        return Some(chrono_tz::UTC);
    }
    // The `Etc` zones count the other way round: GMT+1 is `Etc/GMT-1`.
    format!("Etc/GMT{}{hours}", if sign > 0 { '-' } else { '+' }).parse().ok()
}

/// The zone of a label in the Windows style GoTo's scheduler writes (`(GMT+01:00) Brussels,
/// Copenhagen, Madrid, Paris`, `(UTC-05:00) Eastern Time (US & Canada)`): the first of its
/// places that names a zone (`Europe/Brussels`), whose summer time the label's offset leaves
/// out. Read as the fixed offset, a June seminar was an hour off and everyone absent.
fn zone_of_cities(s: &str) -> Option<Tz> {
    // Only a label with its offset in brackets: a bare `GMT` is no place.
    let (_, places) = s.split_once(')')?;
    let by_region = [
        ("eastern time", chrono_tz::America::New_York),
        ("central time", chrono_tz::America::Chicago),
        ("mountain time", chrono_tz::America::Denver),
        ("pacific time", chrono_tz::America::Los_Angeles),
    ];
    let lower = s.to_lowercase();
    if let Some((_, tz)) = by_region.iter().find(|(name, _)| lower.contains(name)) {
        return Some(*tz);
    }
    places.split([',', '/']).map(str::trim).filter(|p| p.len() > 2).find_map(|place| {
        let city = place.replace(' ', "_");
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| {
                !tz.name().starts_with("Etc/")
                    && tz.name().contains('/')
                    && tz.name().rsplit('/').next().is_some_and(|c| c.eq_ignore_ascii_case(&city))
            })
            .copied()
    })
}

/// The zone of a fixed UTC offset in whole hours (`3600` is `Etc/GMT-1`: the `Etc` zones count
/// the other way round), `None` for part hours.
pub fn fixed_offset(seconds: i32) -> Option<Tz> {
    if seconds % 3600 != 0 {
        return None;
    }
    match seconds / 3600 {
        0 => Some(chrono_tz::UTC),
        hours => format!("Etc/GMT{:+}", -hours).parse().ok(),
    }
}

/// The zone a column's header names in brackets at its end (`Join Time (UTC)`, `Heure
/// d'arrivée (UTC+01:00)`, `Beitritt [MEZ]`, `Join time (Europe/Paris)`), and the header without
/// it: the column's times are written in that zone, whatever the upload's, and the rest of the
/// header is the column's name. Read as the upload's zone, the times of a `Join Time (UTC)`
/// export were an hour off. Only a bracket that is a zone and nothing else: `(Outcome)` holds
/// the letters `UTC` and is no zone.
pub fn zone_in_header(header: &str) -> Option<(Tz, &str)> {
    let h = header.trim_end();
    let open = match h.chars().last()? {
        ')' => '(',
        ']' => '[',
        _ => return None,
    };
    let at = h.rfind(open)?;
    let inner = h[at + 1..h.len() - 1].trim();
    let up = inner.to_ascii_uppercase();
    let offset_only = |rest: &str| rest.trim().chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | ':'));
    let tz = if inner.contains('/') {
        inner.parse::<Tz>().ok()?
    } else if (up.starts_with("UTC") || up.starts_with("GMT")) && offset_only(&up[3..]) {
        zone(&up)?
    } else {
        fixed_offset(zone_abbreviation(inner)?)?
    };
    Some((tz, h[..at].trim_end()))
}
