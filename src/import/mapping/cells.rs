//! What a cell holds (a date-time, an email, a telephone number, a duration) and what a column's
//! cells add up to: the facts both the table's search and the inference read.

use std::collections::HashSet;

use crate::import::dates::{DateOrder, Stamp};
use crate::import::minutes_slack;
use crate::import::parse_hms;
use crate::import::text::Record;

/// Whether a cell is a date-time (or a time) the importer can read: a time has a colon, or
/// dots after a date (`14.3.2025 10.00.00`, Finnish), or their full-width forms (`１０：００`).
pub(super) fn stamp(cell: &str) -> Option<Stamp> {
    if cell.is_empty() || !cell.bytes().any(|b| b == b':' || b == b'.') && !cell.contains(['：', '．']) {
        return None;
    }
    Stamp::parse(cell).ok()
}

pub(super) use crate::attendance::is_telephone_number as is_phone;

pub(super) fn is_email(cell: &str) -> bool {
    let Some(at) = cell.find('@') else { return false };
    at > 0 && cell[at + 1..].contains('.') && !cell.contains(' ')
}

/// A duration cell in seconds, its bare numbers in `unit` ([`header_unit`]): whole minutes
/// (Zoom) or written out (`1h 2m 3s`, `2 godz. 18 min`).
pub(super) fn duration_seconds(cell: &str, unit: i64) -> Option<(i64, i64)> {
    stated_seconds(cell, unit).map(|s| slack(cell, unit)(s))
}

/// A duration cell's seconds as written, a bare number counting `unit` seconds each.
pub(super) fn stated_seconds(cell: &str, unit: i64) -> Option<i64> {
    match cell.trim().parse::<i64>() {
        Ok(n) => (n >= 0).then_some(n * unit),
        Err(_) => parse_hms(cell),
    }
}

/// How far a duration cell's join to leave may differ from it: Zoom's whole minutes are rounded
/// up; a written duration, or a number of seconds, is to the second.
pub(super) fn slack(cell: &str, unit: i64) -> fn(i64) -> (i64, i64) {
    if unit >= 60 && cell.trim().parse::<i64>().is_ok() { minutes_slack } else { |s| (s - 1, s + 1) }
}

/// The seconds a bare number counts in a duration column under `header`: the unit its last
/// word or bracket names ([`explicit_unit`]), else minutes, as Zoom's.
pub(super) fn header_unit(header: &str) -> i64 {
    explicit_unit(header).unwrap_or(60)
}

/// The unit a duration column's header names in its last bracket or last word (`Attendance
/// duration (seconds)`, `Kesto (s)`, `Dauer (Sek.)`, `時間（秒）`, `Трајање (секунде)`), if any.
/// Read as minutes, a Livestorm report's 4,440 seconds were 74 hours, and a 74-minute attendee
/// was certified; a Serbian list's 150 seconds were 150 minutes, and a viewer of two and a half
/// minutes was certified (round 24).
///
/// The words are the duration units of [`UNITS`](crate::import::words::UNITS) and CLDR's long
/// and short names of the second, minute and hour in the working languages, the interface
/// languages of issue #22 and the EU's and the Council of Europe's other languages. A header
/// that is one word names the column, not a unit (Japanese `時間` is "time", not "hours"),
/// unless that word is the second or the minute (`Seconds`, `Sekunden`).
pub(super) fn explicit_unit(header: &str) -> Option<i64> {
    #[rustfmt::skip]
    const LONG: &[(&str, i64)] = &[
        ("secondes", 1), ("segundos", 1), ("sekunden", 1), ("secondi", 1), ("seconden", 1),
        ("sekund", 1), ("sekundy", 1), ("sekunde", 1), ("secunde", 1), ("saniye", 1), ("секунд", 1),
        ("секунды", 1), ("секунди", 1), ("ثانية", 1), ("ثوان", 1), ("секунде", 1), ("сек", 1),
        ("δευτερόλεπτα", 1), ("δευτ", 1), ("másodperc", 1), ("mp", 1), ("sekuntia", 1),
        ("sekunnit", 1), ("sekuntit", 1), ("sekunder", 1), ("giây", 1), ("วินาที", 1), ("שניות", 1),
        ("सेकंड", 1), ("sekundit", 1), ("sekundės", 1), ("sekundžių", 1), ("sekundes", 1),
        ("sekúnd", 1), ("sekundi", 1), ("detik", 1), ("segons", 1),
        ("minuten", 60), ("minutos", 60), ("minuti", 60), ("minuty", 60), ("minut", 60),
        ("dakika", 60), ("минут", 60), ("минута", 60), ("минуты", 60), ("хвилин", 60),
        ("хвилини", 60), ("минуте", 60), ("минути", 60), ("мин", 60), ("λεπτά", 60), ("λεπ", 60),
        ("perc", 60), ("minuuttia", 60), ("minuutit", 60), ("minuter", 60), ("minutter", 60),
        ("phút", 60), ("นาที", 60), ("דקות", 60), ("मिनट", 60), ("minutit", 60), ("minutės", 60),
        ("minučių", 60), ("minūtes", 60), ("minút", 60), ("menit", 60), ("minit", 60), ("minuts", 60),
        ("دقيقة", 60), ("دقائق", 60), ("minute", 60),
        ("heures", 3600), ("horas", 3600), ("stunden", 3600), ("ore", 3600), ("uren", 3600),
        ("godziny", 3600), ("hodiny", 3600), ("часов", 3600), ("годин", 3600), ("часа", 3600),
        ("сати", 3600), ("ώρες", 3600), ("óra", 3600), ("tuntia", 3600), ("timmar", 3600),
        ("timer", 3600), ("giờ", 3600), ("ชั่วโมง", 3600), ("שעות", 3600), ("घंटे", 3600),
        ("tundi", 3600), ("valandos", 3600), ("stundas", 3600), ("jam", 3600), ("hores", 3600),
        ("ساعات", 3600), ("ساعة", 3600),
    ];
    // In the last bracket, else the last of two words or more.
    let bracket = header.rfind(['(', '（', '[']).map(|at| &header[at..]);
    let words: Vec<&str> = bracket
        .unwrap_or(header)
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty())
        .collect();
    let (last, alone) = match (bracket, words.as_slice()) {
        (Some(_), [.., w]) | (None, [_, .., w]) => (w.to_lowercase(), false),
        (None, [w]) => (w.to_lowercase(), true),
        _ => return None,
    };
    let unit = crate::import::words::UNITS.iter().chain(LONG).find(|(u, _)| *u == last).map(|&(_, seconds)| seconds)?;
    (!alone || unit < 3600 && last.chars().count() > 1).then_some(unit)
}

/// The days a cell names, when it is a date and no time of day (`26.11.2026`, `2026-11-26`, or
/// a workbook's date cell at midnight), read in `order`: both readings, day first then month
/// first, when the order is not decided and the cell reads both ways.
pub(super) fn day_readings(cell: &str, order: Option<DateOrder>) -> Vec<chrono::NaiveDate> {
    let Some(st) = Stamp::parse_day(cell.trim()).ok().filter(Stamp::has_date) else { return Vec::new() };
    let readings = match st.resolve(order, None) {
        Ok(t) => vec![t],
        Err(_) => [DateOrder::Dmy, DateOrder::Mdy].iter().filter_map(|o| st.resolve(Some(*o), None).ok()).collect(),
    };
    readings.into_iter().filter(|t| t.time() == chrono::NaiveTime::MIN).map(|t| t.date()).collect()
}

/// A column of days, one cell a row (`cells`): each cell's readings ([`day_readings`]) when the
/// column is filled on two rows in three at least and nearly all its filled cells are days.
pub(super) fn column_of_days(cells: &[&str], order: Option<DateOrder>) -> Option<Vec<Vec<chrono::NaiveDate>>> {
    let dates: Vec<Vec<chrono::NaiveDate>> = cells.iter().map(|c| day_readings(c, order)).collect();
    let filled = cells.iter().filter(|c| !c.trim().is_empty()).count();
    let dated = dates.iter().filter(|d| !d.is_empty()).count();
    (filled * 3 >= cells.len() * 2 && dated * 10 >= filled * 9 && dated > 0).then_some(dates)
}

/// Whether a column headed `header` of yes and no is Czech or Slovak Zoom's guest column, `Host`
/// (a guest, in Czech), not a column saying who hosted: its words are Czech or Slovak (`Ano`,
/// `Áno`, `Ne`, `Nie`). An English `Host` column of `Yes` and `No` says who hosted.
pub(super) fn czech_guest_column<'a>(header: &str, mut cells: impl Iterator<Item = &'a str>) -> bool {
    crate::import::headers::normalise(header) == "host"
        && cells.any(|c| matches!(crate::import::headers::normalise(c).as_str(), "ano" | "áno" | "ne" | "nie"))
}

/// The role a column of yes and no says yes to: its header's role word, when that is not the
/// attendee's, and the column is not Czech and Slovak Zoom's guest column ([`czech_guest_column`]).
/// BigBlueButton's `Moderator`, offered as a waiting room, was certified (round 24). The one rule
/// the inference proposes and the mapped reading applies.
pub(super) fn header_role<'a>(header: &str, cells: impl Iterator<Item = &'a str>) -> Option<crate::attendance::Role> {
    if czech_guest_column(header, cells) {
        return None;
    }
    crate::import::words::mapped_role(header).filter(|r| *r != crate::attendance::Role::Attendee)
}

/// Whether a cell is a no in a language attest has the words of (a guest or waiting-room
/// column's other word).
pub(super) fn is_no(w: &str) -> bool {
    matches!(
        crate::import::headers::normalise(w).as_str(),
        "no" | "non"
            | "nein"
            | "não"
            | "n"
            | "false"
            | "нет"
            | "ні"
            | "nie"
            | "nu"
            | "ne"
            | "否"
            | "لا"
            | "いいえ"
            | "아니요"
            | "nee"
            | "nej"
            | "nei"
            | "όχι"
            | "hayır"
            | "nem"
            | "ei"
            | "tidak"
            | "không"
    )
}

/// What the filled cells of a column look like.
pub(super) struct Profile {
    pub(super) filled: usize,
    pub(super) emails: usize,
    pub(super) stamps: usize,
    pub(super) durations: usize,
    pub(super) distinct: usize,
    pub(super) letters: usize,
    /// Cells that are a telephone number: the name Zoom gives a dial-in caller.
    pub(super) phones: usize,
    pub(super) roles: usize,
    /// Cells shaped like a duration written in words of any language ([`measure`]).
    pub(super) measures: usize,
    /// Cells whose letters a code page lost ([`letters_lost`]): names, to tell a column by.
    pub(super) lost: usize,
    /// Cells that are an identifier ([`identifier`]): no name, however many values they have.
    pub(super) ids: usize,
}

impl Profile {
    /// What the filled cells of column `p` look like.
    pub(super) fn of(rows: &[&Record], p: usize) -> Profile {
        let cells: Vec<&str> = rows.iter().map(|r| r.cell(p)).filter(|c| !c.is_empty() && *c != "--").collect();
        let distinct: HashSet<String> = cells.iter().map(|c| c.to_lowercase()).collect();
        Profile {
            filled: cells.len(),
            emails: cells.iter().filter(|c| is_email(c)).count(),
            stamps: cells.iter().filter(|c| stamp(c).is_some()).count(),
            durations: cells.iter().filter(|c| duration_seconds(c, 60).is_some()).count(),
            distinct: distinct.len(),
            letters: cells.iter().filter(|c| c.chars().any(char::is_alphabetic)).count(),
            phones: cells.iter().filter(|c| is_phone(c)).count(),
            roles: cells.iter().filter(|c| crate::import::words::role(c).is_some()).count(),
            measures: cells.iter().filter(|c| measure(c)).count(),
            lost: cells.iter().filter(|c| letters_lost(c)).count(),
            ids: cells.iter().filter(|c| identifier(c)).count(),
        }
    }
}

/// Which word of a waiting-room column says "in the waiting room".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum WaitingWord {
    /// A yes attest knows ([`crate::import::yes`]).
    Known,
    /// The rarer of the column's two words, in a language attest has no yes for (`Ya`/`Tidak`,
    /// `Có`/`Không`): each person who waited has a row while waiting and a row after being
    /// admitted, so the waiting word is the rarer; a column staff named was ignored, and the
    /// waiting time certified.
    Rarer(String),
    /// Words attest cannot tell apart (one, or more than two, none a yes it knows; or two as
    /// frequent as each other).
    Unknown(Vec<String>),
}

impl WaitingWord {
    /// What column `p` of `rows` says "waiting" with.
    pub(super) fn of(rows: &[&Record], p: usize) -> WaitingWord {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for c in rows.iter().map(|r| r.cell(p).trim()).filter(|c| !c.is_empty() && *c != "--") {
            let full = counts.len() >= 8;
            match counts.iter_mut().find(|(w, _)| w == c) {
                Some((_, n)) => *n += 1,
                // A column of many words (a name column named by mistake) is none of this:
                // counted to the end, each new word searched all before it.
                None if full => break,
                None => counts.push((c.to_owned(), 1)),
            }
        }
        if counts.iter().any(|(w, _)| crate::import::yes(w)) {
            return WaitingWord::Known;
        }
        match counts.as_slice() {
            [(a, na), (b, nb)] if na != nb => WaitingWord::Rarer(if na < nb { a.clone() } else { b.clone() }),
            _ => WaitingWord::Unknown(counts.into_iter().map(|(w, _)| w).collect()),
        }
    }

    /// Whether `cell` says "in the waiting room".
    pub(super) fn says(&self, cell: &str) -> bool {
        match self {
            WaitingWord::Known => crate::import::yes(cell),
            WaitingWord::Rarer(w) => cell.trim() == w,
            WaitingWord::Unknown(_) => false,
        }
    }
}

/// Whether a cell is an identifier, not a name: one word of four characters or more mixing
/// digits with letters (a session's or participant's GUID, a hex id). A column of connection
/// ids has more distinct values than the names of people who reconnect, and was taken for the
/// name: the certificates went to GUIDs. (From six characters, as it was, a tester's event log's
/// `a1f3` and `c9d0` were names, round 23.)
pub(super) fn identifier(cell: &str) -> bool {
    let cell = cell.trim();
    cell.chars().count() >= 4
        && !cell.chars().any(char::is_whitespace)
        && cell.chars().any(|c| c.is_ascii_digit())
        && cell.chars().any(|c| c.is_ascii_alphabetic())
        && cell.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '{' | '}' | ':' | '.'))
        && !is_email(cell)
}

/// Whether a cell is words whose every letter a code page lost: Excel, saving a CSV in its
/// Windows code page, writes `?` (on a Mac `_`) for each letter the page lacks, so a Greek name
/// in a Czech file is `???????? ??????`. One such name in seven took the name column below the
/// share of words a name column needs, and the certificates went to email addresses.
pub(in crate::import) fn letters_lost(cell: &str) -> bool {
    cell.chars().any(|c| matches!(c, '?' | '_' | '\u{FFFD}'))
        && cell.chars().all(|c| matches!(c, '?' | '_' | '\u{FFFD}' | '.' | '-' | '\'') || c.is_whitespace())
}

/// Whether a cell is shaped like a duration written in words, in a language whose unit words
/// attest may not know (`1 h 5 min 3 s`, `1시간 55분 0초`, `1 س 55 د 0 ث`): two numbers or more,
/// each followed by a short word. Names carry no such numbers: a column of these is no name.
pub(super) fn measure(cell: &str) -> bool {
    let (mut numbers, mut word, mut letters) = (0, 0, false);
    let mut in_number = false;
    for c in cell.chars() {
        if c.is_ascii_digit() {
            if !in_number {
                numbers += 1;
                word = 0;
            }
            in_number = true;
        } else {
            in_number = false;
            if c.is_alphabetic() {
                letters = true;
                word += 1;
                if word > 6 || numbers == 0 {
                    return false;
                }
            } else if !c.is_whitespace() && c != '.' {
                return false;
            }
        }
    }
    numbers >= 2 && letters
}

/// `n` of `of` is most of them (nine in ten).
pub(in crate::import) fn most(n: usize, of: usize) -> bool {
    of > 0 && n * 10 >= of * 9
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_duration_headers_unit_is_its_last_bracket_or_last_word() {
        for (header, unit) in [
            ("Attendance duration (seconds)", 1),
            ("Kesto (s)", 1),
            ("Dauer (Sek.)", 1),
            ("時間（秒）", 1),
            ("Durée en secondes", 1),
            ("Duration (Minutes)", 60),
            ("Durata", 60),
            ("時間", 60),
            ("Minuten", 60),
            ("Czas (godziny)", 3600),
            ("Трајање (секунде)", 1),
            ("Продължителност (сек.)", 1),
            ("Διάρκεια (δευτερόλεπτα)", 1),
            ("Időtartam (másodperc)", 1),
            ("Kesto (sekuntia)", 1),
            ("Varaktighet (sekunder)", 1),
            ("Thời lượng (giây)", 1),
            ("ระยะเวลา (วินาที)", 1),
            ("משך (שניות)", 1),
            ("अवधि (सेकंड)", 1),
            ("Kestus (sekundit)", 1),
            ("Trukmė (sekundės)", 1),
            ("Ilgums (sekundes)", 1),
            ("Seconds", 1),
            ("Sekunden", 1),
            ("Durée (min)", 60),
        ] {
            assert_eq!(header_unit(header), unit, "{header}");
        }
    }

    use super::*;

    #[test]
    fn durations_written_in_any_language_are_measures_and_names_are_not() {
        for cell in ["1 h 5 min 3 s", "1시간 55분 0초", "1 س 55 د 0 ث", "2 godz. 18 min 8 s", "50 د 0 ث"] {
            assert!(measure(cell), "{cell}");
        }
        for cell in ["Ana Ruiz", "Call-In User_3", "+33 1 23 45 67 89", "Room 12", "Anna 2 Kowalska-Nowakowska 3", "90"]
        {
            assert!(!measure(cell), "{cell}");
        }
    }
}
