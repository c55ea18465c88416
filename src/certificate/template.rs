//! Per-language certificate templates (`assets/templates/*.toml`).
//!
//! Staff edit wording, signatory, logos, colours and a few layout numbers in
//! these files; the code only knows the *slots* (heading, intro, …) and the
//! placeholders each slot may use. Everything is validated once at load time so
//! that a typo in a template fails `Renderer::load` (at deploy/start-up) rather
//! than the thousandth certificate of a batch.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::RenderError;

/// Placeholders every text slot may use. Kept deliberately small: a template is
/// wording, not a programming language.
const EVENT_VARS: &[&str] = &[
    "name",
    "title",
    "series",
    "minutes",
    "date",
    "start",
    "end",
    "timezone",
    "utc_offset",
    "code",
    "issued_date",
    "issuer",
];

/// Placeholders of the date pattern.
const DATE_VARS: &[&str] = &["day", "month", "year"];
/// Placeholders of the time pattern.
const TIME_VARS: &[&str] = &["HH", "H", "mm"];

/// One loaded template (one TOML file).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// BCP-47-ish language tag written into the PDF catalog (`/Lang`).
    pub language: String,
    pub texts: Texts,
    pub dates: DateFormat,
    /// The one signatory of a certificate printed without a design; none by default: the
    /// built-in templates invent no name (a design names the real signatories).
    #[serde(default)]
    pub signatory: Option<Signatory>,
    /// Organiser logos, file names relative to the assets directory, drawn left
    /// then right in the header. Zero (the built-in templates), one or two.
    #[serde(default)]
    pub logos: Vec<String>,
    #[serde(default)]
    pub colors: Colors,
    #[serde(default)]
    pub layout: LayoutParams,
    /// The wording of a series certificate; a template without it cannot print one.
    #[serde(default)]
    pub series: Option<SeriesTexts>,
    /// What a screen reader says for the pictures; English unless the template says otherwise.
    #[serde(default)]
    pub alt: AltTexts,
}

/// The alternative texts of the certificate's pictures, written into the PDF's structure tree.
/// Placeholders: those of the texts, and `{signatory}` (the signatory's name) and `{url}` (the
/// verification URL the QR code holds).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AltTexts {
    /// The first logo, the organiser's.
    pub logo: String,
    /// Any other logo: the design knows no more about it than that it is a partner's.
    pub partner_logo: String,
    /// A signatory's signature image.
    pub signature: String,
    pub qr: String,
}

impl Default for AltTexts {
    fn default() -> Self {
        Self {
            logo: "Logo of the organiser, {issuer}".into(),
            partner_logo: "Logo of a partner organisation".into(),
            signature: "Signature of {signatory}".into(),
            qr: "QR code linking to the verification page of this certificate".into(),
        }
    }
}

/// Placeholders the alternative texts have beyond [`EVENT_VARS`]: they are checked against both,
/// so that a placeholder added to the texts cannot be forgotten in the alternative texts.
const ALT_ONLY_VARS: &[&str] = &["signatory", "url"];

/// The wording of a series certificate (issue 12), which lists the sessions attended instead of
/// one session's time. Placeholders: those of `EVENT_VARS` (`{title}` is the series' title,
/// `{minutes}` the total) and `{count}`, `{total}`; in `session`, `{date}` and `{title}` are the
/// session's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesTexts {
    /// e.g. "attended the series of online seminars".
    pub body: String,
    /// Above the list, e.g. "{count} of its {total} sessions:".
    pub sessions: String,
    /// One line per session, e.g. "{date} · {title}".
    pub session: String,
    pub attendance: String,
    pub pdf_subject: String,
}

/// Placeholders of a series certificate's texts.
pub const SERIES_VARS: &[&str] =
    &["name", "title", "minutes", "count", "total", "date", "code", "issued_date", "issuer"];

/// The wording. Every string may contain `{placeholder}`s from `EVENT_VARS`;
/// `{{` and `}}` produce literal braces.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub heading: String,
    pub intro: String,
    pub body: String,
    /// Line(s) with the event title; usually just `"{title}"`.
    pub event: String,
    /// Used only when the event belongs to a series.
    pub series: String,
    pub when: String,
    pub attendance: String,
    pub code_label: String,
    pub verify: String,
    pub issued: String,
    pub pdf_title: String,
    pub pdf_subject: String,
}

/// Date and time formatting. Kept in the template instead of relying on a
/// locale database: three languages do not justify ICU, and staff can fix a
/// month name without a release.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateFormat {
    /// January..December.
    pub months: Vec<String>,
    /// e.g. `"{day} {month} {year}"`.
    pub date: String,
    /// e.g. `"{HH}:{mm}"` or `"{H} h {mm}"`.
    pub time: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signatory {
    pub name: String,
    pub title: String,
    /// Optional signature image (PNG, transparent background), relative to the
    /// assets directory.
    #[serde(default)]
    pub signature_image: Option<String>,
}

/// Colours as `#rrggbb`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Colors {
    pub accent: String,
    pub text: String,
    pub muted: String,
}

impl Default for Colors {
    fn default() -> Self {
        Self { accent: "#1f3a6e".into(), text: "#1d1d1f".into(), muted: "#5a5f6b".into() }
    }
}

/// The few layout numbers staff may reasonably want to tune.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LayoutParams {
    pub heading_size_pt: f32,
    pub name_size_pt: f32,
    /// Below this size a long name is split over two lines instead of shrinking
    /// further (it still shrinks below if two lines are not enough).
    pub name_min_size_pt: f32,
    pub title_size_pt: f32,
    pub body_size_pt: f32,
    pub small_size_pt: f32,
    /// Width of the QR symbol itself, quiet zone excluded. At least 35 mm.
    pub qr_size_mm: f32,
    /// Draw the double frame around the page.
    pub frame: bool,
}

impl Default for LayoutParams {
    fn default() -> Self {
        Self {
            heading_size_pt: 28.0,
            name_size_pt: 32.0,
            name_min_size_pt: 22.0,
            title_size_pt: 16.0,
            body_size_pt: 12.5,
            small_size_pt: 8.5,
            qr_size_mm: 36.0,
            frame: true,
        }
    }
}

/// RGB in 0..=1, parsed from the template once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

/// A template after validation, with colours parsed.
#[derive(Debug, Clone)]
pub struct LoadedTemplate {
    pub name: String,
    pub t: Template,
    pub accent: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
}

/// Parses the templates built into the binary, keyed by name.
pub fn load_shipped() -> Result<HashMap<String, LoadedTemplate>, RenderError> {
    super::shipped::TEMPLATES.iter().map(|(name, src)| Ok((name.to_string(), parse(name, src)?))).collect()
}

/// Loads every `*.toml` in `dir`, keyed by file stem (`en`, `fr`, …).
pub fn load_all(dir: &Path) -> Result<HashMap<String, LoadedTemplate>, RenderError> {
    let entries = std::fs::read_dir(dir).map_err(|e| RenderError::Io { path: dir.to_path_buf(), source: e })?;
    let mut out = HashMap::new();
    for entry in entries {
        let entry = entry.map_err(|e| RenderError::Io { path: dir.to_path_buf(), source: e })?;
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let src = std::fs::read_to_string(&path).map_err(|e| RenderError::Io { path: path.clone(), source: e })?;
        let t = parse(stem, &src)?;
        out.insert(stem.to_string(), t);
    }
    Ok(out)
}

/// `[("heading", &tx.heading), …]`: the named fields of `tx`, each beside its name, for the checks
/// whose messages say which field is wrong (the name cannot drift from the field it labels).
macro_rules! named {
    ($s:ident: $($f:ident),+ $(,)?) => {
        [$((stringify!($f), &$s.$f)),+]
    };
}

/// Parses and validates one template.
pub fn parse(name: &str, src: &str) -> Result<LoadedTemplate, RenderError> {
    let bad = |msg: String| RenderError::Template { template: name.to_string(), message: msg };
    let t: Template = toml::from_str(src).map_err(|e| bad(e.to_string()))?;

    let tx = &t.texts;
    #[rustfmt::skip] // rustfmt leaves a macro's own syntax on one line, past the width
    let texts = named!(tx: heading, intro, body, event, series, when, attendance, code_label, verify, issued,
                       pdf_title, pdf_subject);
    for (slot, s) in texts {
        check_placeholders(s, EVENT_VARS).map_err(|m| bad(format!("texts.{slot}: {m}")))?;
    }
    if let Some(se) = &t.series {
        for (slot, v) in named!(se: body, sessions, session, attendance, pdf_subject) {
            check_placeholders(v, SERIES_VARS).map_err(|m| bad(format!("series.{slot}: {m}")))?;
        }
    }
    let alt = &t.alt;
    for (slot, v) in named!(alt: logo, partner_logo, signature, qr) {
        check_placeholders_among(v, &[EVENT_VARS, ALT_ONLY_VARS]).map_err(|m| bad(format!("alt.{slot}: {m}")))?;
    }
    check_placeholders(&t.dates.date, DATE_VARS).map_err(|m| bad(format!("dates.date: {m}")))?;
    check_placeholders(&t.dates.time, TIME_VARS).map_err(|m| bad(format!("dates.time: {m}")))?;
    if t.dates.months.len() != 12 {
        return Err(bad(format!("dates.months must list 12 months, found {}", t.dates.months.len())));
    }
    if t.logos.len() > 2 {
        return Err(bad("at most two logos are supported".into()));
    }
    let l = &t.layout;
    if l.qr_size_mm < 35.0 {
        return Err(bad("layout.qr_size_mm must be at least 35 (scannability from paper)".into()));
    }
    for (k, v) in [
        ("heading_size_pt", l.heading_size_pt),
        ("name_size_pt", l.name_size_pt),
        ("name_min_size_pt", l.name_min_size_pt),
        ("title_size_pt", l.title_size_pt),
        ("body_size_pt", l.body_size_pt),
        ("small_size_pt", l.small_size_pt),
    ] {
        if !(4.0..=72.0).contains(&v) {
            return Err(bad(format!("layout.{k} = {v} is outside 4..72 pt")));
        }
    }
    let accent = parse_color(&t.colors.accent).map_err(|m| bad(format!("colors.accent: {m}")))?;
    let text = parse_color(&t.colors.text).map_err(|m| bad(format!("colors.text: {m}")))?;
    let muted = parse_color(&t.colors.muted).map_err(|m| bad(format!("colors.muted: {m}")))?;
    Ok(LoadedTemplate { name: name.to_string(), t, accent, text, muted })
}

pub(super) fn parse_color(s: &str) -> Result<Rgb, String> {
    let hex = s
        .strip_prefix('#')
        .filter(|h| h.len() == 6 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| format!("{s:?} is not #rrggbb"))?;
    // Three decimals are below the 8-bit colour step and keep operators short.
    let c = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map(|v| (f32::from(v) / 255.0 * 1000.0).round() / 1000.0);
    Ok(Rgb(c(0).map_err(|e| e.to_string())?, c(2).map_err(|e| e.to_string())?, c(4).map_err(|e| e.to_string())?))
}

/// Iterates over a template string as literal pieces and placeholder names.
enum Piece<'a> {
    Lit(&'a str),
    Var(&'a str),
}

fn pieces(s: &str) -> impl Iterator<Item = Result<Piece<'_>, String>> {
    let mut rest = s;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        if let Some(r) = rest.strip_prefix("{{") {
            rest = r;
            return Some(Ok(Piece::Lit("{")));
        }
        if let Some(r) = rest.strip_prefix("}}") {
            rest = r;
            return Some(Ok(Piece::Lit("}")));
        }
        if let Some(r) = rest.strip_prefix('{') {
            return match r.find('}') {
                Some(end) => {
                    let var = &r[..end];
                    rest = &r[end + 1..];
                    Some(Ok(Piece::Var(var)))
                }
                None => {
                    rest = "";
                    Some(Err("unclosed '{'".to_string()))
                }
            };
        }
        if rest.starts_with('}') {
            rest = "";
            return Some(Err("stray '}' (write '}}' for a literal brace)".to_string()));
        }
        let end = rest.find(['{', '}']).unwrap_or(rest.len());
        let (lit, r) = rest.split_at(end);
        rest = r;
        Some(Ok(Piece::Lit(lit)))
    })
}

/// Checks the placeholders of a text slot (a design's wording uses the same ones).
pub(super) fn check_event_placeholders(s: &str) -> Result<(), String> {
    check_placeholders(s, EVENT_VARS)
}

fn check_placeholders(s: &str, allowed: &[&str]) -> Result<(), String> {
    check_placeholders_among(s, &[allowed])
}

/// Like [`check_placeholders`] with the allowed names given as several lists, in the order the
/// error message names them.
fn check_placeholders_among(s: &str, sets: &[&[&str]]) -> Result<(), String> {
    let allowed = sets.iter().flat_map(|set| set.iter());
    for p in pieces(s) {
        if let Piece::Var(v) = p?
            && !allowed.clone().any(|a| *a == v)
        {
            return Err(format!(
                "unknown placeholder {{{v}}}; allowed: {}",
                allowed.copied().collect::<Vec<_>>().join(", ")
            ));
        }
    }
    Ok(())
}

/// Substitutes placeholders. Templates were validated at load, so an unknown
/// name here can only come from a code path passing a smaller `vars` set; it is
/// rendered empty rather than failing a certificate.
pub fn fill(s: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(s.len() + 32);
    for p in pieces(s).flatten() {
        match p {
            Piece::Lit(l) => out.push_str(l),
            Piece::Var(v) => {
                if let Some((_, val)) = vars.iter().find(|(k, _)| *k == v) {
                    out.push_str(val);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_and_escape() {
        assert_eq!(fill("{{x}} {a}-{b}", &[("a", "1"), ("b", "2")]), "{x} 1-2");
    }

    #[test]
    fn rejects_unknown_placeholder() {
        assert!(check_placeholders("hello {nmae}", EVENT_VARS).is_err());
        assert!(check_placeholders("hello {name", EVENT_VARS).is_err());
        assert!(check_placeholders("hello {name}", EVENT_VARS).is_ok());
    }

    #[test]
    fn a_wrong_placeholder_is_named_by_its_section_and_field() {
        let en = include_str!("../../assets/templates/en.toml");
        for (line, field) in [
            ("heading = ", "texts.heading"),
            // The first `pdf_subject` is the texts' one; the series has its own.
            ("pdf_subject = ", "texts.pdf_subject"),
            ("session = ", "series.session"),
            ("qr = ", "alt.qr"),
        ] {
            assert!(en.contains(line), "{line}");
            let broken = en.replacen(line, &format!("{line}\"{{nope}}\" #"), 1);
            let err = parse("en", &broken).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(err.contains(&format!("{field}: ")), "{field} in: {err}");
        }
    }

    #[test]
    fn colors() {
        assert_eq!(parse_color("#ff0000").unwrap(), Rgb(1.0, 0.0, 0.0));
        assert!(parse_color("red").is_err());
    }
}
