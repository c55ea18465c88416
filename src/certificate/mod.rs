//! PDF certificates of attendance.
//!
//! This module turns one [`CertificateContent`] (who attended what, when, for
//! how long, and the already-signed verification URL) into a one-page A4
//! landscape PDF: organisers' logos, a heading and wording taken from a
//! per-language template (`assets/templates/{en,fr,es}.toml`), the attendee's
//! name set large (any script: Latin, Greek, Cyrillic, Georgian, Armenian,
//! Arabic and Hebrew right-to-left, CJK), event details in the event's time
//! zone, the signatory, the certificate code and a vector QR code of the
//! verification URL.
//!
//! Design constraints that shaped it:
//! * **Throughput.** Certificates are issued in batches after an event, so
//!   [`Renderer`] does all expensive work once: fonts are read and parsed at
//!   [`Renderer::load`], logos are decoded, compressed and serialised as PDF
//!   objects once, templates are parsed and validated once; shaped template
//!   text and the font subsets of the texts an event's certificates share
//!   (with their serialised, compressed PDF objects) are memoised across
//!   certificates. Per certificate, only the name and code are subset, and
//!   the PDF is written by hand (`pdf`). A `Renderer` is `Send + Sync`; share
//!   one behind an `Arc` across worker threads.
//! * **Text fidelity.** Text is shaped with harfrust after bidi reordering
//!   (unicode-bidi), with per-character font fallback; fonts are embedded as
//!   subsets with a ToUnicode map, so copying or extracting the name gives back
//!   exactly the characters that were passed in. Right-to-left runs are drawn
//!   in visual order (as every PDF producer does); bidi-aware extractors
//!   (poppler's `pdftotext`, Acrobat) return them in logical order, extractors
//!   that read in content order (MuPDF, `pdftotext -raw`) return the words
//!   right-to-left.
//! * **Small files.** Subset, unhinted fonts; vector QR; images packed to
//!   the bits they need; PDF 1.5 object and cross-reference streams.
//!
//! Deliberately *not* done here:
//! * no signing, no key material, no URL or code generation: the verification
//!   URL (with its JWS) and the certificate code are inputs;
//! * no storage, e-mailing or HTTP;
//! * no PDF/A or PDF/UA conformance (no XMP metadata or output intent),
//!   though the page is tagged (`pdf`: structure tree in reading order,
//!   alternative texts from the template's `[alt]`); no digital PDF
//!   signature (the caller's, `trust::pdf_signature`);
//! * no hyphenation or justification; vertical text is not supported;
//! * no emoji or scripts outside the shipped fonts (Latin, Greek, Cyrillic,
//!   Georgian, Armenian, Arabic, Hebrew, CJK): such characters print as the
//!   font's empty box rather than failing the certificate.
//!
//! Where things are: `compose` writes the certificate's words (facts, dates, the template's or
//! the design's texts), `layout` places them, `shape` and `fonts` shape text, `embed` subsets
//! fonts, `image` and `qr` the pictures, `pdf/` writes the file (`pdf/structure.rs` its tag
//! tree, `pdf/content.rs` the page's operators, `pdf/writer.rs` the PDF syntax).
//!
//! printpdf's part: it builds the ToUnicode CMaps. Its document model did the
//! rest until serialising by hand made rendering about three times faster
//! (see `pdf`). Keep it with `default-features = false`: its
//! `text_layout`/`html` features would pull in the azul layout engine.

mod compose;
pub mod design;
mod embed;
pub mod fonts;
mod image;
pub mod layout;
mod pdf;
pub mod preview;
pub use pdf::Attachment;
pub mod qr;
pub mod shape;
mod shipped;
pub mod template;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;

use self::compose::{Facts, Wording};
use self::design::DesignSpec;
use self::embed::FontCache;
use self::fonts::FontSet;
use self::image::{ImageAsset, Images};
use self::layout::{Item, Layouter, PageImages, Texts};
use self::pdf::Meta;
use self::qr::QrMatrix;
use self::shape::{ShapeCache, sanitize};
use self::template::{LoadedTemplate, Rgb};

pub use self::shipped::Files;

/// Everything printed on one certificate.
#[derive(Debug, Clone, PartialEq)]
pub struct CertificateContent {
    /// `"en"`, `"fr"` or `"es"`: selects `assets/templates/{language}.toml`.
    pub language: String,
    /// Optional template name (file stem under `assets/templates/`) overriding
    /// the language default, e.g. a co-branded variant; or a design version
    /// prepared with [`Renderer::prepare_design`], named by
    /// [`design::template_name`] (laid over the language's template).
    pub template: Option<String>,
    /// Attendee name exactly as it should be printed.
    pub name: String,
    pub event_title: String,
    pub series: Option<String>,
    /// Event start and end as wall-clock time in `timezone`.
    pub starts_local: NaiveDateTime,
    pub ends_local: NaiveDateTime,
    /// IANA zone name, e.g. `"Europe/Paris"`.
    pub timezone: String,
    pub minutes_attended: u32,
    /// Printed as text under the QR code.
    pub certificate_code: String,
    /// Encoded in the QR code. Keep it at or under 331 bytes to stay within QR
    /// version 13 at error-correction level M.
    pub verify_url: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    /// Issuing organisation; becomes the PDF `/Author`.
    pub issuer: String,
}

impl CertificateContent {
    /// A fixed sample: the HELP seminar on the ECHR of 14 March 2025 (10:00-11:40 Paris time, 98
    /// minutes attended), for `name` in `language`, pointing to `verify_url`. The sample renders
    /// (`examples/render`), the benchmarks and the tests print it, so that renderings compare
    /// from one run to the next.
    pub fn sample(name: &str, language: &str, verify_url: String) -> CertificateContent {
        let day = chrono::NaiveDate::from_ymd_opt(2025, 3, 14).unwrap_or_default();
        let at = |h, m| day.and_hms_opt(h, m, 0).unwrap_or_default();
        CertificateContent {
            language: language.into(),
            template: None,
            name: name.into(),
            event_title: "Online seminar: Freedom of expression, hate speech and the ECHR".into(),
            series: Some("HELP online seminars".into()),
            starts_local: at(10, 0),
            ends_local: at(11, 40),
            timezone: "Europe/Paris".into(),
            minutes_attended: 98,
            certificate_code: "7KQ2-M9XD-3F8A-WC1T-PX4N".into(),
            verify_url,
            issued_at: at(12, 5).and_utc(),
            issuer: "Council of Europe".into(),
        }
    }
}

/// What a series certificate prints beyond [`CertificateContent`] (whose `event_title` is then
/// the series' title and `minutes_attended` the total): the sessions attended, listed in place
/// of one session's date and time, with the wording of the template's `[series]` table.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesContent {
    /// Date (in the session's zone) and title of each session attended, in order.
    pub sessions: Vec<(chrono::NaiveDate, String)>,
    /// How many sessions the series had.
    pub total_sessions: usize,
}

/// Why a certificate could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("font {file}: {message}")]
    Font { file: String, message: String },
    #[error("image {path}: {message}")]
    Image { path: PathBuf, message: String },
    #[error("template {template}: {message}")]
    Template { template: String, message: String },
    #[error("no template for language or name {0:?}")]
    UnknownTemplate(String),
    #[error("unknown time zone {0:?}")]
    UnknownTimezone(String),
    #[error("invalid certificate content: {0}")]
    InvalidContent(String),
    #[error("QR code: {0}")]
    Qr(String),
    #[error("PDF generation: {0}")]
    Pdf(String),
}

/// Renders certificates. Load once, render many times, from many threads.
pub struct Renderer {
    fonts: FontSet,
    templates: HashMap<String, LoadedTemplate>,
    images: Vec<ImageAsset>,
    /// Template name -> indices into `images` for its logos and signature.
    template_images: HashMap<String, PageImages>,
    shape_cache: ShapeCache,
    paragraph_cache: layout::ParagraphCache,
    /// Font subsets of the texts an event's certificates share, with their
    /// PDF objects serialised and compressed.
    font_cache: FontCache,
    /// Design versions prepared for rendering, by (design id, version). Versions are
    /// immutable, so an entry never goes stale; there are as many as versions used.
    designs: RwLock<HashMap<(i64, i64), Arc<PreparedDesign>>>,
}

/// A design version ready to render: its images decoded and compressed once.
#[derive(Debug)]
struct PreparedDesign {
    spec: DesignSpec,
    images: Vec<ImageAsset>,
    /// Indices into `images`, with aspect ratios.
    logos: Vec<(usize, f32)>,
    signatures: Vec<Option<(usize, f32)>>,
    colors: [Option<Rgb>; 3],
}

impl std::fmt::Debug for Renderer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("faces", &self.fonts.faces.len())
            .field("templates", &self.templates.keys().collect::<Vec<_>>())
            .field("images", &self.images.len())
            .finish_non_exhaustive()
    }
}

impl Renderer {
    /// Loads fonts from `fonts_dir`, templates from `assets_dir/templates/` and
    /// every image the templates reference from `assets_dir`. Fails on the first
    /// missing or invalid file, so a broken deployment fails at start-up.
    pub fn load(assets_dir: &Path, fonts_dir: &Path) -> Result<Self, RenderError> {
        Self::load_from(&Files::Dir(assets_dir.to_owned()), &Files::Dir(fonts_dir.to_owned()))
    }

    /// With the templates, logos and fonts built into the binary.
    pub fn shipped() -> Result<Self, RenderError> {
        Self::load_from(&Files::Shipped, &Files::Shipped)
    }

    /// Templates and images from `assets`, fonts from `fonts`: each the built-in
    /// set or a folder (see [`Files`]).
    pub fn load_from(assets: &Files, fonts: &Files) -> Result<Self, RenderError> {
        let fonts = FontSet::load(fonts)?;
        let templates = match assets {
            Files::Shipped => template::load_shipped()?,
            Files::Dir(dir) => template::load_all(&dir.join("templates"))?,
        };
        let mut images: Vec<ImageAsset> = Vec::new();
        let mut by_file: HashMap<String, usize> = HashMap::new();
        let mut load_image = |file: &str, images: &mut Vec<ImageAsset>| -> Result<(usize, f32), RenderError> {
            if let Some(&i) = by_file.get(file) {
                return Ok((i, images[i].aspect()));
            }
            let img = ImageAsset::from_png(&assets.read(file, shipped::IMAGES)?, &assets.path(file))?;
            let aspect = img.aspect();
            images.push(img);
            by_file.insert(file.to_string(), images.len() - 1);
            Ok((images.len() - 1, aspect))
        };
        let mut template_images = HashMap::new();
        let mut names: Vec<&String> = templates.keys().collect();
        names.sort();
        for name in names {
            let t = &templates[name].t;
            let mut pi = PageImages::default();
            for logo in &t.logos {
                pi.logos.push(load_image(logo, &mut images)?);
            }
            if let Some(signatory) = &t.signatory {
                let sig = signatory.signature_image.as_deref().filter(|s| !s.is_empty());
                pi.signatures.push(sig.map(|s| load_image(s, &mut images)).transpose()?);
            }
            template_images.insert(name.clone(), pi);
        }
        Ok(Renderer {
            fonts,
            templates,
            images,
            template_images,
            shape_cache: ShapeCache::default(),
            paragraph_cache: layout::ParagraphCache::new(2048),
            font_cache: FontCache::default(),
            designs: RwLock::new(HashMap::new()),
        })
    }

    /// Whether design version `key` (design id, version) is prepared.
    pub fn has_design(&self, key: (i64, i64)) -> bool {
        self.designs.read().unwrap_or_else(|e| e.into_inner()).contains_key(&key)
    }

    /// Prepares design version `key` for rendering: `image` gives the stored PNG of each image
    /// id the spec names. Certificates then select it with [`design::template_name`].
    pub fn prepare_design(
        &self,
        key: (i64, i64),
        spec: &DesignSpec,
        image: &dyn Fn(&str) -> Option<Vec<u8>>,
    ) -> Result<(), RenderError> {
        if self.has_design(key) {
            return Ok(());
        }
        let bad = |m: String| RenderError::Template { template: design::template_name(key.0, key.1), message: m };
        spec.validate(&|_| true).map_err(bad)?;
        let mut images = Vec::new();
        let mut by_id: HashMap<String, (usize, f32)> = HashMap::new();
        let mut load = |id: &str, images: &mut Vec<ImageAsset>| -> Result<(usize, f32), RenderError> {
            if let Some(&hit) = by_id.get(id) {
                return Ok(hit);
            }
            let bytes = image(id).ok_or_else(|| bad(format!("image {id} is not stored")))?;
            let img = ImageAsset::from_png(&bytes, Path::new(id))?;
            let entry = (images.len(), img.aspect());
            images.push(img);
            by_id.insert(id.to_owned(), entry);
            Ok(entry)
        };
        let mut logos = Vec::new();
        for l in &spec.logos {
            logos.push(load(l, &mut images)?);
        }
        let mut signatures = Vec::new();
        for s in &spec.signatories {
            signatures.push(s.signature.as_deref().map(|id| load(id, &mut images)).transpose()?);
        }
        let color = |c: &str| (!c.is_empty()).then(|| template::parse_color(c)).transpose().map_err(bad);
        let colors = [color(&spec.colors.accent)?, color(&spec.colors.text)?, color(&spec.colors.muted)?];
        let prepared = PreparedDesign { spec: spec.clone(), images, logos, signatures, colors };
        self.designs.write().unwrap_or_else(|e| e.into_inner()).insert(key, Arc::new(prepared));
        Ok(())
    }

    /// Names of the loaded templates.
    pub fn template_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.templates.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// Renders one certificate to PDF bytes.
    pub fn render(&self, c: &CertificateContent) -> Result<Vec<u8>, RenderError> {
        let (pdf, _) = self.render_with_layout(c)?;
        Ok(pdf)
    }

    /// Like [`Renderer::render`], also returning the page layout and the QR
    /// matrix (for tests and diagnostics: geometry checks without parsing PDF).
    pub fn render_with_layout(&self, c: &CertificateContent) -> Result<(Vec<u8>, RenderedPage), RenderError> {
        self.render_inner(c, None, None, None)
    }

    /// A series certificate's page and layout, unsigned (for tests and previews).
    pub fn render_series_with_layout(
        &self,
        c: &CertificateContent,
        series: &SeriesContent,
    ) -> Result<(Vec<u8>, RenderedPage), RenderError> {
        self.render_inner(c, Some(series), None, None)
    }

    /// [`Renderer::render_for_signing`] for a series certificate.
    pub fn render_series_for_signing(
        &self,
        c: &CertificateContent,
        series: &SeriesContent,
        attachment: Option<Attachment>,
        signature: &[u8],
    ) -> Result<Vec<u8>, RenderError> {
        Ok(self.render_inner(c, Some(series), attachment, Some(signature))?.0)
    }

    /// A PNG picture of the certificate at `dpi` (see `preview`): what staff look at before
    /// issuing with a design.
    pub fn preview_png(&self, c: &CertificateContent, dpi: f32) -> Result<Vec<u8>, RenderError> {
        let (_, page) = self.render_inner(c, None, None, None)?;
        let design = c
            .template
            .as_deref()
            .and_then(design::parse_template_name)
            .and_then(|k| self.designs.read().unwrap_or_else(|e| e.into_inner()).get(&k).cloned());
        let images = Images { base: &self.images, extra: design.as_ref().map_or(&[][..], |d| &d.images[..]) };
        preview::rasterize(&page.items, &page.qr, &self.fonts, images, dpi)
    }

    /// Renders one certificate with a file embedded in it (the digital credential) and a hidden
    /// signature field whose value is `signature`: the signature dictionary with its
    /// placeholders ([`crate::trust::pdf_signature::PdfSigner::field`]), for the signer to fill. The
    /// attachment is written before the signature, so the signature covers it.
    pub fn render_for_signing(
        &self,
        c: &CertificateContent,
        attachment: Option<Attachment>,
        signature: &[u8],
    ) -> Result<Vec<u8>, RenderError> {
        Ok(self.render_inner(c, None, attachment, Some(signature))?.0)
    }

    /// Why `name` cannot be printed, if it cannot: it holds characters that no shipped font
    /// (nor `--fonts`) has, which would print as empty boxes. Names the characters by code point
    /// only, so that the message can reach a log.
    pub fn unprintable(&self, name: &str) -> Option<String> {
        let missing = self.fonts.unprintable(fonts::Role::Display, &sanitize(name));
        let first = missing.first()?;
        Some(format!(
            "the name holds {} character(s) that no font of the certificate has (U+{:04X}{}): they would print as \
             empty boxes; a font for that script has to be added to attest (fonts/README.md)",
            missing.len(),
            u32::from(*first),
            if missing.len() > 1 { " and others" } else { "" }
        ))
    }

    /// Renders `c` (a series certificate when `series_content` is given): its template and
    /// design, its words ([`compose`]), the layout, then the PDF with `attachment` and the
    /// signature dictionary `signature`.
    fn render_inner(
        &self,
        c: &CertificateContent,
        series_content: Option<&SeriesContent>,
        attachment: Option<Attachment>,
        signature: Option<&[u8]>,
    ) -> Result<(Vec<u8>, RenderedPage), RenderError> {
        let (key, design, tpl) = self.template_for(c)?;
        let t = &tpl.t;
        let spec = design.as_ref().map(|d| &d.spec);
        let facts = Facts::new(c, &t.dates)?;
        if let Some(why) = self.unprintable(&c.name) {
            return Err(RenderError::InvalidContent(why));
        }
        let words = Wording::new(t, key, spec, &c.language, &facts, &c.timezone, series_content)?;
        let signatories = compose::signatories(spec, t, &c.language);
        let line = spec.and_then(|d| d.line.get(&c.language)).map(|l| sanitize(l));
        let colors = design.as_ref().map_or([None; 3], |d| d.colors);

        let qr = QrMatrix::encode(c.verify_url.as_bytes())?;

        let layouter = Layouter {
            fonts: &self.fonts,
            cache: &self.shape_cache,
            paragraphs: &self.paragraph_cache,
            params: &t.layout,
            colors: layout::Colors {
                accent: colors[0].unwrap_or(tpl.accent),
                text: colors[1].unwrap_or(tpl.text),
                muted: colors[2].unwrap_or(tpl.muted),
            },
        };
        let texts = Texts {
            organisation: &facts.issuer,
            heading: &words.heading,
            intro: &words.intro,
            name: &facts.name,
            body: &words.body,
            event: &words.event,
            series: words.series_line.as_deref(),
            when: &words.when,
            attendance: &words.attendance,
            line: line.as_deref(),
            signatories: signatories.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect(),
            code_label: &words.code_label,
            code: &facts.code,
            verify: &words.verify,
            issued: &words.issued,
            sessions: &words.sessions,
        };
        let page_images = self.page_images(design.as_deref(), key);
        let items = layouter.layout(&texts, &page_images, qr.width);
        let alt = compose::alt_texts(t, &facts.vars(&c.timezone), &c.verify_url, page_images.logos.len(), &signatories);

        let meta = Meta {
            title: &words.pdf_title,
            author: &facts.issuer,
            subject: &words.pdf_subject,
            keywords: &facts.code,
            verify_url: &c.verify_url,
            language: &t.language,
            created_unix: c.issued_at.timestamp(),
            id_seed: &facts.code,
            attachment,
            signature,
            alt: &alt,
        };
        let images = Images { base: &self.images, extra: design.as_ref().map_or(&[][..], |d| &d.images[..]) };
        let bytes = pdf::write_pdf(&self.fonts, &self.font_cache, &items, images, &qr, &meta)?;
        Ok((bytes, RenderedPage { items, qr }))
    }

    /// The template `c` names (its language's by default) and, when the name is a design's,
    /// that design laid over the template of `c`'s language; the key the template was found by.
    fn template_for<'a>(
        &'a self,
        c: &'a CertificateContent,
    ) -> Result<(&'a str, Option<Arc<PreparedDesign>>, &'a LoadedTemplate), RenderError> {
        let mut key = c.template.as_deref().unwrap_or(&c.language);
        let design = match design::parse_template_name(key) {
            Some(k) => {
                key = c.language.as_str();
                let found = self.designs.read().unwrap_or_else(|e| e.into_inner()).get(&k).cloned();
                Some(found.ok_or_else(|| RenderError::UnknownTemplate(design::template_name(k.0, k.1)))?)
            }
            None => None,
        };
        let tpl = self.templates.get(key).ok_or_else(|| RenderError::UnknownTemplate(key.to_string()))?;
        Ok((key, design, tpl))
    }

    /// The logos and signature images of a page: the design's (indices after the renderer's own
    /// images), or the template's.
    fn page_images(&self, design: Option<&PreparedDesign>, key: &str) -> PageImages {
        let base = self.images.len();
        match design {
            Some(d) => PageImages {
                logos: d.logos.iter().map(|&(i, a)| (base + i, a)).collect(),
                signatures: d.signatures.iter().map(|s| s.map(|(i, a)| (base + i, a))).collect(),
            },
            None => self.template_images.get(key).cloned().unwrap_or_default(),
        }
    }
}

/// The geometry of a rendered page, for tests and diagnostics.
#[derive(Debug, Clone)]
pub struct RenderedPage {
    pub items: Vec<Item>,
    pub qr: QrMatrix,
}

impl RenderedPage {
    /// Text items as (logical text, bounding box).
    pub fn text_boxes(&self) -> Vec<(String, (f32, f32, f32, f32))> {
        self.items
            .iter()
            .filter_map(|i| match i {
                Item::Text { line, .. } => Some((line.text.clone(), i.bbox(self.qr.total_modules()))),
                _ => None,
            })
            .collect()
    }
}
