//! Dates as exports write them, and their conversion to UTC.
//!
//! Reading happens in two steps because the day/month order of `09/10/2021` cannot be known
//! from one cell: [`Stamp::parse`] reads each cell into parts, [`decide_order`] looks at every
//! numeric date of the file at once, and [`Stamp::resolve`] builds the local time. Local times
//! then go through [`localize`] in the import's zone; a time that falls in the repeated hour at
//! the end of DST stays [`Local::Ambiguous`] until [`resolve_interval`] settles it from the row's
//! other time and duration, or flags it. Nothing here guesses row by row.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

mod scripts;
mod zones;

use scripts::digit;
use zones::{SHARED_ABBREVIATIONS, shared_abbreviation};
pub use zones::{fixed_offset, zone, zone_abbreviation, zone_in_header};

/// How `a/b/c` numeric dates are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateOrder {
    Mdy,
    Dmy,
    Ymd,
}

impl DateOrder {
    /// Every order.
    pub const ALL: [DateOrder; 3] = [DateOrder::Mdy, DateOrder::Dmy, DateOrder::Ymd];

    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Mdy => "mdy",
            DateOrder::Dmy => "dmy",
            DateOrder::Ymd => "ymd",
        }
    }
}

impl std::str::FromStr for DateOrder {
    type Err = String;
    /// Any case (`DMY`); the words are [`DateOrder::as_str`]'s.
    fn from_str(s: &str) -> Result<Self, String> {
        let word = s.to_ascii_lowercase();
        DateOrder::ALL
            .into_iter()
            .find(|o| o.as_str() == word)
            .ok_or_else(|| format!("unknown date order \"{s}\" (use mdy, dmy or ymd)"))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DatePart {
    /// `first/second/year` (or `yy/second/third` under `Ymd`), order still open.
    Numeric { first: u32, second: u32, third: u32, third_digits: usize },
    /// Year first with four digits (`2020/12/8`, ISO): never ambiguous.
    YearFirst { y: i32, m: u32, d: u32 },
    /// A month written as a word (`Mar 22, 2025`, `22 Mar 2025`).
    Named { y: i32, m: u32, d: u32 },
}

/// One date-time cell, read but not yet placed in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    date: Option<DatePart>,
    time: NaiveTime,
    /// Offset in seconds when the cell carries one (`Z`, `+02:00`): then it is absolute.
    offset: Option<i32>,
    /// A zone abbreviation after the time that names several zones (`IST`, `CST`): the time is
    /// read in the import's zone, and only if that zone is called so on the day ([`place`]).
    named: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(u32, usize),
    Word(String),
    Sep(char),
}

/// A token as a cell wrote it, for the messages staff read (`unexpected "o"`, not
/// `unexpected Word("o")`).
impl std::fmt::Display for Tok {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Num(v, digits) => write!(f, "\"{v:0digits$}\""),
            Tok::Word(w) => write!(f, "\"{w}\""),
            Tok::Sep(c) => write!(f, "\"{c}\""),
        }
    }
}

fn tokens(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if digit(c).is_some() {
            let (mut v, mut n) = (0u32, 0usize);
            while let Some(&d) = chars.peek() {
                if let Some(x) = digit(d) {
                    v = v.saturating_mul(10).saturating_add(x);
                    n += 1;
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Tok::Num(v, n));
        } else if c.is_alphabetic() {
            let mut w = String::new();
            while let Some(&d) = chars.peek() {
                if d.is_alphabetic() || (d == '.' && !w.is_empty() && w.len() < 3) {
                    w.extend(d.to_lowercase());
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(Tok::Word(w));
        } else {
            // Direction marks (Arabic and Hebrew exports put them around numbers) are no
            // separators; the Arabic comma is a comma.
            match c {
                '\u{200E}' | '\u{200F}' | '\u{061C}' => {}
                '\u{060C}' => out.push(Tok::Sep(',')),
                c if !c.is_whitespace() => out.push(Tok::Sep(c)),
                _ => {}
            }
            chars.next();
        }
    }
    out
}

/// A month's number from its name or abbreviation, lower case, a final dot dropped.
///
/// English, French, Spanish and German were in the table before; the others are CLDR 48's
/// abbreviated month names (format and stand-alone, ICU 78's `Intl.DateTimeFormat(locale,
/// {month: 'short'})`), which a medium date such as pt-BR `14 de set. de 2025 11:25:00` or Polish
/// `14 wrz 2025, 11:25:00` writes: Portuguese, Italian, Polish, Turkish, Swedish, Romanian,
/// Indonesian, Dutch, Hungarian, Ukrainian, Russian and Greek. Unknown, September's seminar was
/// refused where March's, whose abbreviation is English-like, imported. No word stands for two
/// months across these languages (`lis` is November in Polish and Czech alike).
fn month(word: &str) -> Option<u32> {
    const MONTHS: [&[&str]; 12] = [
        &[
            "jan", "january", "janv", "janvier", "ene", "enero", "januar", "jän", "gen", "sty", "oca", "ian", "січ",
            "янв", "ιαν",
        ],
        &[
            "feb", "february", "févr", "fevr", "février", "febrero", "februar", "fev", "lut", "şub", "febr", "лют",
            "февр", "φεβ",
        ],
        &["mar", "march", "mars", "marzo", "mär", "märz", "mrt", "márc", "бер", "март", "μαρ"],
        &["apr", "april", "avr", "avril", "abr", "abril", "kwi", "nis", "ápr", "квіт", "апр", "απρ"],
        &["may", "mai", "mayo", "mag", "maj", "mei", "máj", "трав", "май", "μαΐ", "μαι"],
        &["jun", "june", "juin", "junio", "juni", "giu", "cze", "haz", "iun", "jún", "черв", "июнь", "ιουν"],
        &["jul", "july", "juil", "juillet", "julio", "juli", "lug", "lip", "tem", "iul", "júl", "лип", "июль", "ιουλ"],
        &["aug", "august", "août", "aout", "ago", "agosto", "sie", "ağu", "agu", "серп", "авг", "αυγ"],
        &[
            "sep",
            "sept",
            "september",
            "septembre",
            "septiembre",
            "setiembre",
            "set",
            "wrz",
            "eyl",
            "szept",
            "вер",
            "сент",
            "σεπ",
        ],
        &["oct", "october", "octobre", "octubre", "okt", "oktober", "out", "ott", "paź", "eki", "жовт", "окт", "οκτ"],
        &["nov", "november", "novembre", "noviembre", "lis", "kas", "лист", "нояб", "νοε"],
        &[
            "dec",
            "december",
            "déc",
            "decembre",
            "décembre",
            "dic",
            "diciembre",
            "dez",
            "dezember",
            "gru",
            "ara",
            "des",
            "груд",
            "дек",
            "δεκ",
        ],
    ];
    let w = word.trim_end_matches('.');
    MONTHS.iter().position(|names| names.contains(&w)).map(|i| i as u32 + 1)
}

fn full_year(v: u32, digits: usize) -> i32 {
    if digits <= 2 { 2000 + v as i32 } else { common_era(v as i32) }
}

/// The years of the Buddhist era that are the plausible years of the common era (1990 to
/// 2199): Excel and Google Sheets in a Thai locale write `14/03/2568` for 14 March 2025.
const BUDDHIST_ERA: std::ops::RangeInclusive<i32> = 2533..=2742;

/// A year of the Buddhist era in the common era (543 years earlier); any other year as it is.
/// Refused as implausible, a Thai spreadsheet could not be read at all (round 24).
fn common_era(y: i32) -> i32 {
    if BUDDHIST_ERA.contains(&y) { y - 543 } else { y }
}

impl Stamp {
    /// Reads a cell such as `11/19/2021 09:54:15 AM`, `2/1/2022 10:37`, `Mar 22, 2025 19:13:27`,
    /// `4/17/23, 7:29:57 PM`, `2025-03-14T09:00:00Z`, `14.03.2025 10:00` or a bare `04:53 PM`.
    pub fn parse(s: &str) -> Result<Stamp, String> {
        if let Some(st) = Self::parse_numeric(s.as_bytes()) {
            return Ok(st);
        }
        if let Some(st) = Self::parse_serial(s.trim()) {
            return Ok(st);
        }
        let narrow = scripts::narrow(s);
        let s = narrow.as_ref();
        let toks = tokens(&dotted_meridiem(s));
        if toks.is_empty() {
            return Err("empty".into());
        }
        // The time starts at the first number followed by ':'; else, as Finnish and Danish write
        // it (`14.3.2025 10.00.00`, `14.3.2025 klo 10.00`), at a number after the date (after
        // white space or a word) followed by a dot and two digits.
        let t = (0..toks.len().saturating_sub(1))
            .find(|&i| matches!(toks[i], Tok::Num(..)) && toks[i + 1] == Tok::Sep(':'))
            .or_else(|| {
                (1..toks.len().saturating_sub(2)).find(|&i| {
                    matches!(toks[i], Tok::Num(_, 1 | 2))
                        && matches!(toks[i - 1], Tok::Num(..) | Tok::Word(_))
                        && toks[i + 1] == Tok::Sep('.')
                        && matches!(toks[i + 2], Tok::Num(_, 2))
                })
            })
            .ok_or("no time of day")?;
        let (mut date_toks, time_toks) = toks.split_at(t);
        // Vietnamese writes the time before the date (`11:25:00 14/03/2025`): a numeric date
        // after the time is the date.
        let (date_after, time_toks) = time_then_date(time_toks);
        if date_toks.is_empty() {
            date_toks = date_after;
        } else if !date_after.is_empty() {
            return Err("a date both before and after the time".into());
        }
        // Korean and Japanese write the half of the day before the time (`오후 1:00:00`,
        // `午後 1:00:00`); it is read as if it followed. Left in the date part it was ignored, which
        // put every afternoon twelve hours early.
        let mut time_toks = time_toks.to_vec();
        if let Some(Tok::Word(w)) = date_toks.last() {
            if meridiem(w).is_some() {
                time_toks.push(Tok::Word(w.clone()));
                date_toks = &date_toks[..date_toks.len() - 1];
            }
        }
        let (time, offset, named) = parse_time(&time_toks)?;
        let date = parse_date(date_toks)?;
        Ok(Stamp { date, time, offset, named })
    }

    /// The shape of nearly every cell of a large export, `MM/DD/YYYY HH:MM[:SS][ AM|PM]`, read
    /// without allocating. Anything else returns `None` and goes through the general reader.
    fn parse_numeric(b: &[u8]) -> Option<Stamp> {
        let mut i = 0;
        let num = |i: &mut usize, max: usize| -> Option<(u32, usize)> {
            let start = *i;
            let mut v = 0u32;
            while *i < b.len() && b[*i].is_ascii_digit() && *i - start < max {
                v = v * 10 + (b[*i] - b'0') as u32;
                *i += 1;
            }
            (*i > start).then_some((v, *i - start))
        };
        let (a, na) = num(&mut i, 4)?;
        let sep = *b.get(i)?;
        if !matches!(sep, b'/' | b'-' | b'.') {
            return None;
        }
        i += 1;
        let (m, _) = num(&mut i, 2)?;
        if b.get(i) != Some(&sep) {
            return None;
        }
        i += 1;
        let (c, nc) = num(&mut i, 4)?;
        if b.get(i) != Some(&b' ') {
            return None;
        }
        i += 1;
        let (h, _) = num(&mut i, 2)?;
        if b.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        let (mi, _) = num(&mut i, 2)?;
        let mut sec = 0;
        if b.get(i) == Some(&b':') {
            i += 1;
            sec = num(&mut i, 2)?.0;
        }
        let mut h = h;
        match &b[i..] {
            [] => {}
            [b' ', x, y] if y.eq_ignore_ascii_case(&b'm') && (1..=12).contains(&h) => match x.to_ascii_lowercase() {
                b'a' => h %= 12,
                b'p' => h = h % 12 + 12,
                _ => return None,
            },
            _ => return None,
        }
        let time = NaiveTime::from_hms_opt(h, mi, sec)?;
        let date = if na == 4 {
            DatePart::YearFirst { y: a as i32, m, d: c }
        } else {
            DatePart::Numeric { first: a, second: m, third: c, third_digits: nc }
        };
        Some(Stamp { date: Some(date), time, offset: None, named: None })
    }

    /// A spreadsheet's serial date-time, `45730,4340277778` or `45730.434027778`: what Excel
    /// writes to a CSV when staff set a time column's format to General (days since 1899-12-30,
    /// the time of day as the fraction, to the nearest second). A workbook's own cells are typed
    /// and read in [`super::workbook`]; a CSV's are text, and were refused as "no time of day".
    /// Only with a fraction, and only for days between 1990 and 2199 (the years [`Stamp::resolve`]
    /// accepts): a column of whole numbers (an ID, minutes) is never read as dates.
    fn parse_serial(s: &str) -> Option<Stamp> {
        let (days, fraction) = s.split_once(['.', ','])?;
        let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(days) || !all_digits(fraction) || days.len() > 6 {
            return None;
        }
        let days: i64 = days.parse().ok()?;
        // 32874 is 1990-01-01, 109939 is 2200-12-31.
        if !(32_874..=109_939).contains(&days) {
            return None;
        }
        // The fraction's digits as a part of a day, to the nearest second, without floats: ten
        // digits (what Excel writes) times 86,400 fit in an i128.
        let digits = &fraction[..fraction.len().min(15)];
        let scale = 10i128.pow(digits.len() as u32);
        let seconds = (digits.parse::<i128>().ok()? * 86_400 + scale / 2) / scale;
        let date = NaiveDate::from_ymd_opt(1899, 12, 30)? + chrono::Duration::days(days + (seconds / 86_400) as i64);
        let time = NaiveTime::from_num_seconds_from_midnight_opt((seconds % 86_400) as u32, 0)?;
        let date = DatePart::YearFirst {
            y: chrono::Datelike::year(&date),
            m: chrono::Datelike::month(&date),
            d: chrono::Datelike::day(&date),
        };
        Some(Stamp { date: Some(date), time, offset: None, named: None })
    }

    pub fn has_date(&self) -> bool {
        self.date.is_some()
    }

    /// A time of day without a date (`10:00`, a workbook's time cell): dated by the report.
    pub fn is_time_only(&self) -> bool {
        self.date.is_none()
    }

    /// A cell that names a day: a date and time (a summary's start), a date alone
    /// (`14.03.2025`, read at midnight), or a workbook's date cell, which reads with its
    /// midnight (`2026-11-26 00:00:00`).
    pub fn parse_day(v: &str) -> Result<Stamp, String> {
        Stamp::parse(v).ok().filter(Stamp::has_date).map_or_else(|| Stamp::parse(&format!("{v} 00:00")), Ok)
    }

    /// `(first, second)` of a numeric day/month pair that could be read both ways.
    fn open_pair(&self) -> Option<(u32, u32)> {
        match self.date {
            Some(DatePart::Numeric { first, second, .. }) => Some((first, second)),
            _ => None,
        }
    }

    /// The local date-time, reading numeric dates in `order`; `base` dates a time-only cell.
    pub fn resolve(&self, order: Option<DateOrder>, base: Option<NaiveDate>) -> Result<NaiveDateTime, String> {
        let date = match self.date {
            None => base.ok_or("a time without a date, and no date in the report header")?,
            Some(DatePart::YearFirst { y, m, d }) | Some(DatePart::Named { y, m, d }) => {
                NaiveDate::from_ymd_opt(common_era(y), m, d).ok_or("no such date")?
            }
            Some(DatePart::Numeric { first, second, third, third_digits }) => {
                let order = match order {
                    Some(o) => o,
                    None if first == second => DateOrder::Mdy,
                    None => return Err("day/month order not decided".into()),
                };
                let (y, m, d) = match order {
                    DateOrder::Mdy => (full_year(third, third_digits), first, second),
                    DateOrder::Dmy => (full_year(third, third_digits), second, first),
                    DateOrder::Ymd => (full_year(first, 2), second, third),
                };
                NaiveDate::from_ymd_opt(y, m, d)
                    .ok_or_else(|| format!("no such date when read as {}", order.as_str()))?
            }
        };
        // A damaged cell (`11/12/20204` from `11/12/2020,`) still reads as a date: a year no
        // export can hold is refused here instead of giving a connection thousands of years long
        // (the fuzz test found one).
        if !(1990..=2199).contains(&chrono::Datelike::year(&date)) {
            return Err(format!(
                "year {} is not a plausible year for an attendance export",
                chrono::Datelike::year(&date)
            ));
        }
        Ok(date.and_time(self.time))
    }

    /// Whether the cell's year is one of the Buddhist era (2533 to 2742), read 543 years
    /// earlier: the import report says so.
    pub fn buddhist_era(&self) -> bool {
        match self.date {
            Some(DatePart::YearFirst { y, .. } | DatePart::Named { y, .. }) => BUDDHIST_ERA.contains(&y),
            Some(DatePart::Numeric { first, third, third_digits, .. }) => {
                (third_digits == 4 && BUDDHIST_ERA.contains(&(third as i32))) || BUDDHIST_ERA.contains(&(first as i32))
            }
            None => false,
        }
    }

    /// Offset carried by the cell itself, if any.
    pub fn offset_seconds(&self) -> Option<i32> {
        self.offset
    }
}

/// `Some(false)` for a word meaning before noon, `Some(true)` for after noon: English, Japanese,
/// Korean, Chinese, and the abbreviated day periods of CLDR's Gregorian calendar for Arabic
/// (`ص`, `م`), Greek (`π.μ.`, `μ.μ.`, read whole by [`dotted_meridiem`]), Turkish (`ÖÖ`, `ÖS`),
/// Malay (`PG`, `PTG`: a Malaysian list's `10:00 PG` was refused, round 25) and Vietnamese (`SA`,
/// `CH`).
///
/// Greek also without its dots (`πμ`, `μμ`): Windows' el-GR AM and PM designators, which an
/// Excel re-save writes (`14/3/2025 11:25 πμ`), and ICU's older `el` data.
fn meridiem(w: &str) -> Option<bool> {
    match w {
        "am" | "午前" | "오전" | "上午" | "ص" | "öö" | "πμ" | "pg" | "sa" => Some(false),
        "pm" | "午後" | "오후" | "下午" | "م" | "ös" | "μμ" | "ptg" | "ch" => Some(true),
        _ => None,
    }
}

/// Rewrites `a.m.`, `a. m.`, `p.m.`, `p. m.` (Spanish and English locales of Excel) as `am`/`pm`,
/// which the tokenizer would otherwise split around the dots.
fn dotted_meridiem(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('.') {
        return s.into();
    }
    // Greek: π.μ. and μ.μ. (CLDR), whose letters are not the Latin a and p below.
    if s.contains('μ') {
        let greek = s.replace("π.μ.", " am").replace("μ.μ.", " pm");
        if greek != s {
            return greek.into();
        }
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i].to_ascii_lowercase();
        let starts_word = i == 0 || !chars[i - 1].is_alphabetic();
        if starts_word && (c == 'a' || c == 'p') && chars.get(i + 1) == Some(&'.') {
            let mut j = i + 2;
            while chars.get(j) == Some(&' ') {
                j += 1;
            }
            if chars.get(j).is_some_and(|m| m.eq_ignore_ascii_case(&'m')) {
                j += 1;
                if chars.get(j) == Some(&'.') {
                    j += 1;
                }
                if !chars.get(j).is_some_and(|n| n.is_alphabetic()) {
                    out.push(' ');
                    out.push(c);
                    out.push('m');
                    i = j;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out.into()
}

/// Splits `11:25:00 14/03/2025` into the time's tokens and the date's after it (empty when no
/// date follows): `H:MM[:SS]`, then three numbers joined by `/`, `.` or `-` and nothing else.
fn time_then_date(toks: &[Tok]) -> (&[Tok], &[Tok]) {
    let clock = |n: usize| {
        toks.len() >= n
            && (0..n).all(|i| if i % 2 == 0 { matches!(toks[i], Tok::Num(..)) } else { toks[i] == Tok::Sep(':') })
    };
    let end = if clock(5) {
        5
    } else if clock(3) {
        3
    } else {
        return (&[], toks);
    };
    let rest = &toks[end..];
    let date = matches!(
        rest,
        [Tok::Num(..), Tok::Sep(a), Tok::Num(..), Tok::Sep(b), Tok::Num(..)] | [Tok::Num(..), Tok::Sep(a), Tok::Num(..), Tok::Sep(b), Tok::Num(..), Tok::Sep('.')]
            if a == b && matches!(a, '/' | '.' | '-')
    );
    if date { (rest, &toks[..end]) } else { (&[], toks) }
}

/// The time of a cell's time part, its offset if written, and a shared zone abbreviation if one
/// follows it.
type TimePart = (NaiveTime, Option<i32>, Option<&'static str>);

fn parse_time(toks: &[Tok]) -> Result<TimePart, String> {
    let mut nums = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match &toks[i] {
            Tok::Num(v, _) if nums.len() < 3 => nums.push(*v),
            Tok::Sep(':') | Tok::Sep('.') if nums.len() < 3 => {}
            // Fractional seconds (`10:00:07.250Z`, API dumps): below what attendance counts.
            Tok::Sep('.' | ',') if nums.len() == 3 && matches!(toks.get(i + 1), Some(Tok::Num(..))) => i += 1,
            _ => break,
        }
        i += 1;
    }
    if nums.len() < 2 {
        return Err("incomplete time".into());
    }
    let (mut h, m, sec) = (nums[0], nums[1], nums.get(2).copied().unwrap_or(0));
    let (mut offset, mut named) = (None, None);
    while i < toks.len() {
        match &toks[i] {
            Tok::Word(w) if meridiem(w) == Some(false) => {
                if !(1..=12).contains(&h) {
                    return Err(format!("hour {h} with AM"));
                }
                if h == 12 {
                    h = 0;
                }
            }
            Tok::Word(w) if meridiem(w) == Some(true) => {
                if !(1..=12).contains(&h) {
                    return Err(format!("hour {h} with PM"));
                }
                if h != 12 {
                    h += 12;
                }
            }
            Tok::Word(w) if zone_abbreviation(w).is_some() => offset = zone_abbreviation(w),
            Tok::Word(w) if shared_abbreviation(w).is_some() => named = shared_abbreviation(w),
            Tok::Sep(c @ ('+' | '-')) => {
                let sign = if *c == '-' { -1 } else { 1 };
                let (oh, om) = match (toks.get(i + 1), toks.get(i + 2), toks.get(i + 3)) {
                    (Some(Tok::Num(hh, 2)), Some(Tok::Sep(':')), Some(Tok::Num(mm, 2))) => {
                        i += 3;
                        (*hh, *mm)
                    }
                    (Some(Tok::Num(v, 4)), _, _) => {
                        i += 1;
                        (v / 100, v % 100)
                    }
                    (Some(Tok::Num(hh, _)), _, _) => {
                        i += 1;
                        (*hh, 0)
                    }
                    _ => return Err("bad offset".into()),
                };
                offset = Some(sign * (oh as i32 * 3600 + om as i32 * 60));
            }
            other => return Err(format!("unexpected {other} after the time")),
        }
        i += 1;
    }
    let time = NaiveTime::from_hms_opt(h, m, sec).ok_or_else(|| format!("no such time {h}:{m:02}:{sec:02}"))?;
    Ok((time, offset, named))
}

fn parse_date(toks: &[Tok]) -> Result<Option<DatePart>, String> {
    // Separators between date and time (`,`, `T`) are noise.
    let toks: Vec<&Tok> = toks.iter().filter(|t| !matches!(t, Tok::Sep(',')) && **t != Tok::Word("t".into())).collect();
    if toks.is_empty() {
        return Ok(None);
    }
    let nums: Vec<(u32, usize)> =
        toks.iter().filter_map(|t| if let Tok::Num(v, n) = t { Some((*v, *n)) } else { None }).collect();
    let words: Vec<&str> =
        toks.iter().filter_map(|t| if let Tok::Word(w) = t { Some(w.as_str()) } else { None }).collect();
    let months: Vec<u32> = words.iter().filter_map(|w| month(w)).collect();
    match (nums.as_slice(), months.as_slice()) {
        ([(a, na), (b, _), (c, nc)], []) => {
            if *na == 4 {
                Ok(Some(DatePart::YearFirst { y: *a as i32, m: *b, d: *c }))
            } else {
                Ok(Some(DatePart::Numeric { first: *a, second: *b, third: *c, third_digits: *nc }))
            }
        }
        ([(y, 4), (d, _)], [m]) => Ok(Some(DatePart::Named { y: *y as i32, m: *m, d: *d })),
        ([(d, _), (y, ny)], [m]) => Ok(Some(DatePart::Named { y: full_year(*y, *ny), m: *m, d: *d })),
        _ => Err("unrecognised date".into()),
    }
}

/// What the numeric dates of a whole file say about their order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderVerdict {
    /// No numeric date could be read two ways (or none exists).
    NotNeeded,
    Decided(DateOrder),
    /// All values have day and month ≤ 12: an example value to show.
    Undecided {
        example: String,
    },
    /// One value proves month-first, another day-first.
    Contradictory {
        mdy_example: String,
        dmy_example: String,
    },
}

/// Decides the day/month order for a file from all its date cells (`(cell text, stamp)`).
pub fn decide_order<'a>(stamps: impl Iterator<Item = (&'a str, &'a Stamp)>) -> OrderVerdict {
    decide_order_of(stamps, |text| text)
}

/// [`decide_order`] of stamps known by `C` (a cell of the file), whose text `text` gives only
/// for the examples: looked up for every stamp, it was a fortieth of a large import.
pub fn decide_order_of<'a, C: Copy>(
    stamps: impl Iterator<Item = (C, &'a Stamp)>,
    text: impl Fn(C) -> &'a str,
) -> OrderVerdict {
    let (mut mdy, mut dmy, mut open): (Option<C>, Option<C>, Option<C>) = (None, None, None);
    for (at, st) in stamps {
        if let Some((a, b)) = st.open_pair() {
            if a > 12 && b <= 12 {
                dmy.get_or_insert(at);
            } else if b > 12 && a <= 12 {
                mdy.get_or_insert(at);
            } else if a != b {
                open.get_or_insert(at);
            }
        }
    }
    match (mdy, dmy, open) {
        (Some(m), Some(d), _) => {
            OrderVerdict::Contradictory { mdy_example: text(m).into(), dmy_example: text(d).into() }
        }
        (Some(_), None, _) => OrderVerdict::Decided(DateOrder::Mdy),
        (None, Some(_), _) => OrderVerdict::Decided(DateOrder::Dmy),
        (None, None, Some(e)) => OrderVerdict::Undecided { example: text(e).into() },
        (None, None, None) => OrderVerdict::NotNeeded,
    }
}

/// A local time placed in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Local {
    Single(DateTime<Utc>),
    /// In the hour repeated when DST ends: the earlier and the later reading.
    Ambiguous(DateTime<Utc>, DateTime<Utc>),
}

/// Places a local time in `tz`. A time in the hour skipped when DST starts does not exist there.
pub fn localize(naive: NaiveDateTime, tz: Tz) -> Result<Local, String> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(Local::Single(t.with_timezone(&Utc))),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            Ok(Local::Ambiguous(a.min(b), a.max(b)))
        }
        LocalResult::None => Err(format!(
            "{} does not exist in {} (clocks jump forward then); check the time zone",
            naive.format("%Y-%m-%d %H:%M:%S"),
            tz.name()
        )),
    }
}

/// Reads a cell and places it: absolute when the cell has an offset, else local in `tz`.
pub fn place(st: &Stamp, order: Option<DateOrder>, base: Option<NaiveDate>, tz: Tz) -> Result<Local, String> {
    let naive = st.resolve(order, base)?;
    match (st.offset_seconds(), st.named) {
        (Some(off), _) => Ok(Local::Single(DateTime::<Utc>::from_naive_utc_and_offset(
            naive - chrono::Duration::seconds(off as i64),
            Utc,
        ))),
        (None, None) => localize(naive, tz),
        (None, Some(abbr)) => {
            use chrono_tz::OffsetName;
            let local = localize(naive, tz)?;
            let called = |t: &DateTime<Utc>| tz.offset_from_utc_datetime(&t.naive_utc()).abbreviation() == Some(abbr);
            // The hour a clock goes back twice is told apart by the abbreviation, as by an offset.
            match local.candidates().into_iter().filter(called).collect::<Vec<_>>()[..] {
                [one] => return Ok(Local::Single(one)),
                [_, _] => return Ok(local),
                _ => {}
            }
            let zones = SHARED_ABBREVIATIONS.iter().find(|(a, _)| *a == abbr).map_or("", |(_, z)| z);
            Err(format!(
                "\"{abbr}\" names several zones, and the times are read in {tz}, where {} is not {abbr}: import \
                 again with --tz naming the zone, {zones}",
                naive.date()
            ))
        }
    }
}

impl Local {
    fn candidates(self) -> Vec<DateTime<Utc>> {
        match self {
            Local::Single(t) => vec![t],
            Local::Ambiguous(a, b) => vec![a, b],
        }
    }

    pub fn earliest(self) -> DateTime<Utc> {
        match self {
            Local::Single(t) | Local::Ambiguous(t, _) => t,
        }
    }
}

/// The outcome of placing a join/leave pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    pub join: DateTime<Utc>,
    pub leave: DateTime<Utc>,
    /// Set when DST left two readings that the row could not tell apart: the earlier was stored
    /// and the row needs a person to look at it.
    pub review: Option<String>,
}

/// Chooses the readings of an ambiguous join/leave pair: leave not before join and, when the row
/// states a duration, agreeing with it (`duration_s` is the range that duration allows).
pub fn resolve_interval(join: Local, leave: Local, duration_s: Option<(i64, i64)>) -> Result<Interval, String> {
    let mut fits = Vec::new();
    for j in join.candidates() {
        for l in leave.candidates() {
            let secs = (l - j).num_seconds();
            if secs < 0 {
                continue;
            }
            if let Some((lo, hi)) = duration_s {
                if secs < lo || secs > hi {
                    continue;
                }
            }
            fits.push((j, l));
        }
    }
    if fits.is_empty() && duration_s.is_some() {
        // The duration column can be off (Excel re-saves drop seconds); order alone then decides.
        return resolve_interval(join, leave, None);
    }
    match fits.as_slice() {
        [] => Err("leave time is before join time".into()),
        [(j, l)] => Ok(Interval { join: *j, leave: *l, review: None }),
        [(j, l), ..] => Ok(Interval {
            join: *j,
            leave: *l,
            review: Some(
                "time in the hour repeated when DST ends; the row does not say which: earlier reading stored".into(),
            ),
        }),
    }
}

#[cfg(test)]
mod tests;
