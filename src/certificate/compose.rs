//! The words of one certificate: its content sanitised and checked, its dates and times written
//! the template's way, and the template's (or the design's) texts filled with them.
//!
//! What it deliberately does not do: choose the template or the design, lay anything out, or
//! render: [`super::Renderer`] does, with what this returns. Everything here is a pure function
//! of the content, the template and the design's wording.

use chrono::{Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike};

use super::design::DesignSpec;
use super::layout::{Part, SignatoryPart};
use super::shape::sanitize;
use super::template::{DateFormat, Template, fill};
use super::{CertificateContent, RenderError, SeriesContent};

/// The certificate's facts as printed: sanitised, dates and times in the template's words.
pub(super) struct Facts {
    pub name: String,
    pub title: String,
    pub series: Option<String>,
    pub code: String,
    pub issuer: String,
    date: String,
    start: String,
    end: String,
    utc_offset: String,
    issued_date: String,
    minutes: String,
}

impl Facts {
    /// Sanitises `c` and writes its dates in `dates`' words: an empty name, an event that ends
    /// before it starts, an unknown zone or a start time that does not exist in it is an error.
    pub fn new(c: &CertificateContent, dates: &DateFormat) -> Result<Facts, RenderError> {
        let name = sanitize(&c.name);
        if name.is_empty() {
            return Err(RenderError::InvalidContent("empty attendee name".into()));
        }
        if c.ends_local < c.starts_local {
            return Err(RenderError::InvalidContent("event ends before it starts".into()));
        }
        let tz: chrono_tz::Tz = c.timezone.parse().map_err(|_| RenderError::UnknownTimezone(c.timezone.clone()))?;
        let start = tz.from_local_datetime(&c.starts_local).earliest().ok_or_else(|| {
            RenderError::InvalidContent(format!("start time {} does not exist in {}", c.starts_local, c.timezone))
        })?;
        let offset_secs = start.offset().fix().local_minus_utc();
        let utc_offset = format!(
            "{}{:02}:{:02}",
            if offset_secs < 0 { '-' } else { '+' },
            offset_secs.abs() / 3600,
            offset_secs.abs() % 3600 / 60
        );
        let end = if c.ends_local.date() == c.starts_local.date() {
            format_time(dates, c.ends_local)
        } else {
            format!("{} {}", format_date(dates, c.ends_local.date()), format_time(dates, c.ends_local))
        };
        Ok(Facts {
            name,
            title: sanitize(&c.event_title),
            series: c.series.as_deref().map(sanitize).filter(|s| !s.is_empty()),
            code: sanitize(&c.certificate_code),
            issuer: sanitize(&c.issuer),
            date: format_date(dates, c.starts_local.date()),
            start: format_time(dates, c.starts_local),
            end,
            utc_offset,
            issued_date: format_date(dates, c.issued_at.with_timezone(&tz).date_naive()),
            minutes: c.minutes_attended.to_string(),
        })
    }

    /// The placeholders the template's texts may use, with their values.
    pub fn vars<'a>(&'a self, timezone: &'a str) -> [(&'a str, &'a str); 12] {
        [
            ("name", &self.name),
            ("title", &self.title),
            ("series", self.series.as_deref().unwrap_or("")),
            ("minutes", &self.minutes),
            ("date", &self.date),
            ("start", &self.start),
            ("end", &self.end),
            ("timezone", timezone),
            ("utc_offset", &self.utc_offset),
            ("code", &self.code),
            ("issued_date", &self.issued_date),
            ("issuer", &self.issuer),
        ]
    }
}

/// A date in the template's words ("14 March 2025").
fn format_date(dates: &DateFormat, d: NaiveDate) -> String {
    fill(
        &dates.date,
        &[
            ("day", &d.day().to_string()),
            ("month", &dates.months[d.month0() as usize]),
            ("year", &d.year().to_string()),
        ],
    )
}

/// A time of day in the template's words ("14:30", "14 h 30").
fn format_time(dates: &DateFormat, tm: NaiveDateTime) -> String {
    fill(
        &dates.time,
        &[("HH", &format!("{:02}", tm.hour())), ("H", &tm.hour().to_string()), ("mm", &format!("{:02}", tm.minute()))],
    )
}

/// Every text of the page and the PDF's metadata, filled.
pub(super) struct Wording {
    pub heading: String,
    pub intro: String,
    pub body: String,
    pub event: String,
    /// The series' line under the event; not on a series certificate, whose body names it.
    pub series_line: Option<String>,
    pub when: String,
    pub attendance: String,
    pub code_label: String,
    pub verify: String,
    pub issued: String,
    /// A series certificate's sessions, one line each.
    pub sessions: Vec<String>,
    pub pdf_title: String,
    pub pdf_subject: String,
}

impl Wording {
    /// The texts of template `t` (named `key`, for errors), the design's wording in `language`
    /// replacing the heading and the sentences around the name where it has them, filled from
    /// `facts` (`timezone` is the event's zone as named); a series certificate's body, sessions
    /// and attendance from the template's series texts.
    pub fn new(
        t: &Template,
        key: &str,
        design: Option<&DesignSpec>,
        language: &str,
        facts: &Facts,
        timezone: &str,
        series_content: Option<&SeriesContent>,
    ) -> Result<Wording, RenderError> {
        let vars = facts.vars(timezone);
        let wording = design.and_then(|d| d.wording.get(language));
        let pick = |mine: Option<&String>, theirs: &str| -> String {
            mine.filter(|s| !s.trim().is_empty()).cloned().unwrap_or_else(|| theirs.to_string())
        };
        let f = |s: &str| fill(s, &vars);
        let tx = &t.texts;
        let mut w = Wording {
            heading: f(&pick(wording.map(|w| &w.heading), &tx.heading)),
            intro: f(&pick(wording.map(|w| &w.before_name), &tx.intro)),
            body: f(&pick(wording.map(|w| &w.after_name), &tx.body)),
            event: f(&tx.event),
            series_line: facts.series.as_ref().map(|_| f(&tx.series)),
            when: f(&tx.when),
            attendance: f(&tx.attendance),
            code_label: f(&tx.code_label),
            verify: f(&tx.verify),
            issued: f(&tx.issued),
            sessions: Vec::new(),
            pdf_title: f(&tx.pdf_title),
            pdf_subject: f(&tx.pdf_subject),
        };
        if let Some(sc) = series_content {
            let se = t.series.as_ref().ok_or_else(|| RenderError::Template {
                template: key.to_string(),
                message: "it has no [series] texts, so it cannot print a series certificate".into(),
            })?;
            let (count, total) = (sc.sessions.len().to_string(), sc.total_sessions.to_string());
            let mut svars: Vec<(&str, &str)> = vars.to_vec();
            svars.extend([("count", count.as_str()), ("total", total.as_str())]);
            let g = |s: &str| fill(s, &svars);
            for (d, title) in &sc.sessions {
                w.sessions
                    .push(fill(&se.session, &[("date", &format_date(&t.dates, *d)), ("title", &sanitize(title))]));
            }
            w.pdf_subject = g(&se.pdf_subject);
            (w.body, w.when, w.attendance) = (g(&se.body), g(&se.sessions), g(&se.attendance));
            w.series_line = None;
        }
        Ok(w)
    }
}

/// The signatories (name, title) the page shows: the design's, each title in `language` (else
/// English), or the template's one if it names one (the built-in templates do not).
pub(super) fn signatories(design: Option<&DesignSpec>, t: &Template, language: &str) -> Vec<(String, String)> {
    match design {
        Some(d) => d
            .signatories
            .iter()
            .map(|s| {
                let title = s.title.get(language).filter(|t| !t.trim().is_empty()).or_else(|| s.title.get("en"));
                (sanitize(&s.name), sanitize(title.map_or("", String::as_str)))
            })
            .collect(),
        None => t.signatory.iter().map(|s| (sanitize(&s.name), sanitize(&s.title))).collect(),
    }
}

/// The pictures' alternative texts, in the template's language: the first of `logos` logos is
/// the organiser's (the only organisation a design names), the others are partners'; then each
/// signatory's signature and the QR code.
pub(super) fn alt_texts(
    t: &Template,
    vars: &[(&str, &str)],
    verify_url: &str,
    logos: usize,
    signatories: &[(String, String)],
) -> Vec<(Part, String)> {
    let alt_of = |s: &str, signatory: &str| {
        let mut v = vars.to_vec();
        v.extend([("signatory", signatory), ("url", verify_url)]);
        fill(s, &v)
    };
    let mut alt: Vec<(Part, String)> = Vec::with_capacity(8);
    for i in 0..logos {
        let text = if i == 0 { &t.alt.logo } else { &t.alt.partner_logo };
        alt.push((Part::Logo(i as u8), alt_of(text, "")));
    }
    for (i, (name, _)) in signatories.iter().enumerate() {
        alt.push((Part::Signatory(i as u8, SignatoryPart::Signature), alt_of(&t.alt.signature, name)));
    }
    alt.push((Part::Qr, alt_of(&t.alt.qr, "")));
    alt
}
