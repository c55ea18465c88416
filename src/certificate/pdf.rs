//! Turns a laid-out page into PDF bytes with printpdf.
//!
//! printpdf builds the document model (fonts as Type0/Identity-H with
//! ToUnicode, XObjects, the content stream, metadata). Two things are done
//! around it, both for speed and size:
//! * fonts are handed to printpdf already subset (see `embed`);
//! * printpdf's own `optimize` pass deflates every stream at the *best* level on
//!   every save, which dominated the prototype's cost. It is disabled, and the
//!   streams are compressed here instead: font programs and ToUnicode CMaps
//!   through a content-addressed cache (identical for every certificate of an
//!   event), the per-certificate page and QR streams at a fast level.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use printpdf::{
    Codepoint, Color, DictItem, ExternalStream, ExternalXObject, FontId, Line, LinePoint, Op, PaintMode, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, TextItem, TextMatrix, XObject, XObjectId,
    XObjectTransform,
};

use super::RenderError;
use super::embed::{SubsetCache, SubsetFont};
use super::fonts::FontSet;
use super::image::{ImageAsset, deflate};
use super::layout::{Item, PAGE_H, PAGE_W};
use super::qr::QrMatrix;
use super::shape::Memo;
use super::template::Rgb;

/// Deflate level for per-certificate streams (page content, QR). With the
/// zlib-rs backend level 6 costs tens of microseconds on these 5-15 KB streams
/// and is ~25 % smaller than level 1 (whose fast strategy does poorly on the
/// repetitive QR path).
const FAST_LEVEL: u32 = 6;
/// The QR path (~14 KB of `x y w h re` lines) is the largest per-certificate
/// stream. Level 2 (zlib's greedy "fast" strategy) compresses it in less than
/// half the time of level 6 for ~0.5 KB more output.
const QR_LEVEL: u32 = 2;
/// Deflate level for cached streams (fonts, CMaps): paid once per glyph set.
const CACHED_LEVEL: u32 = 6;

/// Document information dictionary values.
pub struct Meta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: &'a str,
    /// Also stored in the document information as `/AttestToken`, so a verifier holding only
    /// the file (no camera) can check it: `attest verify FILE.pdf`.
    pub verify_url: &'a str,
    pub language: &'a str,
    pub created_unix: i64,
    /// Stable per certificate; used for the trailer `/ID`.
    pub id_seed: &'a str,
}

/// Raw stream bytes and their compressed form.
type Compressed = Vec<(Arc<[u8]>, Arc<[u8]>)>;

/// Compressed-stream cache keyed by content (hash, then full comparison).
#[derive(Debug)]
pub struct StreamCache {
    memo: Memo<u64, Compressed>,
}

impl Default for StreamCache {
    fn default() -> Self {
        StreamCache { memo: Memo::new(1024) }
    }
}

impl StreamCache {
    fn compressed(&self, raw: &[u8]) -> Arc<[u8]> {
        let h = fnv1a(raw);
        let mut bucket = self.memo.get(&h).unwrap_or_default();
        if let Some((_, c)) = bucket.iter().find(|(r, _)| **r == *raw) {
            return c.clone();
        }
        let c: Arc<[u8]> = deflate(raw, CACHED_LEVEL).into();
        bucket.push((raw.into(), c.clone()));
        self.memo.insert(h, bucket);
        c
    }
}

fn fnv1a(data: &[u8]) -> u64 {
    // Hashing 8 bytes at a time keeps this well under a microsecond for a
    // typical 10 KB font program; collisions are resolved by full comparison.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = data.chunks_exact(8);
    for c in &mut chunks {
        h ^= u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    for b in chunks.remainder() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h ^ data.len() as u64
}

pub struct Caches {
    pub subsets: SubsetCache,
    pub streams: StreamCache,
}

/// Per-document font bookkeeping: which glyphs of which face are used, and the
/// one Unicode string each glyph maps back to (a ToUnicode CMap maps a glyph
/// code the same way everywhere in the document).
struct FontUse {
    /// face index -> (original gid -> text)
    glyphs: BTreeMap<usize, BTreeMap<u16, String>>,
}

impl FontUse {
    fn collect(items: &[Item]) -> Self {
        let mut glyphs: BTreeMap<usize, BTreeMap<u16, String>> = BTreeMap::new();
        for it in items {
            if let Item::Text { line, .. } = it {
                for g in &line.glyphs {
                    let t = line.glyph_text(g);
                    let m = glyphs.entry(g.face as usize).or_default();
                    match m.get_mut(&g.gid) {
                        Some(existing) if existing.is_empty() && !t.is_empty() => *existing = t.to_string(),
                        Some(_) => {}
                        None => {
                            m.insert(g.gid, t.to_string());
                        }
                    }
                }
            }
        }
        FontUse { glyphs }
    }
}

struct DocFont {
    id: FontId,
    subset: Arc<SubsetFont>,
    upm: f32,
    /// original gid -> text for ToUnicode (canonical per document)
    text: BTreeMap<u16, String>,
}

pub fn write_pdf(
    fonts: &FontSet,
    caches: &Caches,
    items: &[Item],
    images: &[ImageAsset],
    qr: &QrMatrix,
    meta: &Meta<'_>,
    object_streams: bool,
) -> Result<Vec<u8>, RenderError> {
    let mut doc = PdfDocument::new(meta.title);

    // Fonts: subset every face that is used, register it with printpdf.
    let usage = FontUse::collect(items);
    let mut doc_fonts: HashMap<usize, DocFont> = HashMap::new();
    for (face_idx, glyph_text) in usage.glyphs {
        let face = fonts.face(face_idx);
        let gids: Vec<u16> = glyph_text.keys().copied().collect();
        let subset = caches.subsets.get_or_build(face_idx, face, gids)?;
        let m = &face.metrics;
        let parsed = printpdf::ParsedFont {
            original_bytes: subset.program.clone(),
            font_index: 0,
            font_name: Some(format!("{}+{}", subset.tag, face.ps_name)),
            codepoint_to_glyph: BTreeMap::new(),
            glyph_widths: subset.widths.clone(),
            units_per_em: m.units_per_em,
            font_metrics: printpdf::FontMetrics { ascent: m.ascender, descent: m.descender },
            font_type: printpdf::FontType::TrueType,
            pdf_font_metrics: printpdf::PdfFontMetricsStub {
                units_per_em: m.units_per_em,
                x_min: m.bbox.0,
                y_min: m.bbox.1,
                x_max: m.bbox.2,
                y_max: m.bbox.3,
                caret_slope_rise: m.caret_rise,
                caret_slope_run: m.caret_run,
                us_weight_class: m.weight,
            },
        };
        let id = FontId(format!("F{face_idx}"));
        doc.resources.fonts.map.insert(id.clone(), printpdf::PdfFont::new(parsed));
        doc_fonts.insert(face_idx, DocFont { id, subset, upm: f32::from(m.units_per_em), text: glyph_text });
    }

    // XObjects: images (pre-compressed) and the QR form.
    let mut used_images: Vec<usize> = items
        .iter()
        .filter_map(|i| match i {
            Item::Image { asset, .. } => Some(*asset),
            _ => None,
        })
        .collect();
    used_images.sort_unstable();
    used_images.dedup();
    for a in &used_images {
        doc.resources.xobjects.map.insert(XObjectId(format!("Im{a}")), XObject::External(images[*a].xobject.clone()));
    }
    let qr_n = qr.total_modules() as i64;
    let mut qr_dict = BTreeMap::new();
    qr_dict.insert("Type".into(), DictItem::Name(b"XObject".to_vec()));
    qr_dict.insert("Subtype".into(), DictItem::Name(b"Form".to_vec()));
    qr_dict.insert(
        "BBox".into(),
        DictItem::Array(vec![DictItem::Int(0), DictItem::Int(0), DictItem::Int(qr_n), DictItem::Int(qr_n)]),
    );
    qr_dict.insert("Filter".into(), DictItem::Name(b"FlateDecode".to_vec()));
    doc.resources.xobjects.map.insert(
        XObjectId("Qr".into()),
        XObject::External(ExternalXObject {
            stream: ExternalStream {
                dict: qr_dict,
                content: deflate(&qr.to_content_stream(), QR_LEVEL),
                compress: false,
            },
            width: None,
            height: None,
            dpi: None,
        }),
    );

    let ops = page_ops(items, &doc_fonts);
    doc.pages.push(PdfPage::new(printpdf::Mm::from(Pt(PAGE_W)), printpdf::Mm::from(Pt(PAGE_H)), ops));

    let info = &mut doc.metadata.info;
    info.author = meta.author.to_string();
    info.subject = meta.subject.to_string();
    info.keywords = vec![meta.keywords.to_string()];
    info.creator = "attest".into();
    info.producer = "attest certificate renderer (printpdf 0.12)".into();
    let ts = printpdf::OffsetDateTime::from_unix_timestamp(meta.created_unix)
        .map_err(|e| RenderError::Pdf(e.to_string()))?;
    info.creation_date = ts;
    info.modification_date = ts;
    info.metadata_date = ts;

    let opts = PdfSaveOptions { optimize: false, subset_fonts: false, secure: true, image_optimization: None };
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut warnings);
    if let Some(w) = warnings.iter().find(|w| w.severity == printpdf::PdfParseErrorSeverity::Error) {
        return Err(RenderError::Pdf(w.msg.clone()));
    }
    finish(&mut lo, caches, meta, object_streams)?;
    let mut out = Vec::with_capacity(24 * 1024);
    if object_streams {
        // The ~30 small dictionaries (fonts, descriptors, widths, page, info)
        // compressed together in an object stream, with a cross-reference
        // stream: ~1.6 KB smaller, but lopdf's object-stream writer costs
        // ~0.3 ms per document (a third more render time).
        let save =
            lopdf::SaveOptions::builder().use_object_streams(true).use_xref_streams(true).compression_level(4).build();
        lo.save_with_options(&mut out, save)
    } else {
        lo.save_to(&mut out)
    }
    .map_err(|e| RenderError::Pdf(e.to_string()))?;
    Ok(out)
}

/// Post-processing on the lopdf document printpdf produced.
fn finish(lo: &mut lopdf::Document, caches: &Caches, meta: &Meta<'_>, object_streams: bool) -> Result<(), RenderError> {
    use lopdf::Object;
    // Image soft masks need PDF 1.4, object and cross-reference streams 1.5.
    lo.version = if object_streams { "1.5" } else { "1.4" }.into();
    for obj in lo.objects.values_mut() {
        let Object::Stream(s) = obj else { continue };
        if s.dict.has(b"Filter") {
            continue;
        }
        // Font programs (Length1) and ToUnicode CMaps repeat across
        // certificates: cache them. Everything else is per certificate.
        let is_font_program = s.dict.has(b"Length1");
        let is_cmap = s.content.starts_with(b"/CIDInit");
        let compressed: Vec<u8> = if is_font_program || is_cmap {
            caches.streams.compressed(&s.content).to_vec()
        } else {
            deflate(&s.content, FAST_LEVEL)
        };
        if compressed.len() < s.content.len() {
            s.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            s.set_content(compressed);
        }
    }
    // Empty resource dictionaries and annotation arrays printpdf always writes
    // are harmless; the catalog gets the document language for accessibility.
    if let Ok(root) = lo.trailer.get(b"Root").and_then(Object::as_reference)
        && let Ok(Object::Dictionary(cat)) = lo.get_object_mut(root)
    {
        cat.set("Lang", Object::String(meta.language.as_bytes().to_vec(), lopdf::StringFormat::Literal));
    }
    // A compact information dictionary: printpdf writes every string as
    // UTF-16 hex plus empty PDF/X keys (~1.9 KB); literal strings in
    // PDFDocEncoding (ASCII) or binary UTF-16BE literals are a third of that.
    if let Ok(info_id) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        let date = pdf_date(meta.created_unix);
        let mut d = lopdf::Dictionary::new();
        d.set("Title", text_string(meta.title));
        d.set("Author", text_string(meta.author));
        d.set("Subject", text_string(meta.subject));
        d.set("Keywords", text_string(meta.keywords));
        d.set("Creator", text_string("attest"));
        d.set("Producer", text_string("attest certificate renderer (printpdf 0.12)"));
        d.set("CreationDate", Object::string_literal(date.clone()));
        d.set("ModDate", Object::string_literal(date));
        lo.objects.insert(info_id, Object::Dictionary(d));
    }
    if let Ok(info) = lo.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(Object::Dictionary(d)) = lo.get_object_mut(info) {
            let token = meta.verify_url.rsplit_once("/v/").map_or(meta.verify_url, |(_, t)| t);
            d.set("AttestToken", Object::String(token.as_bytes().to_vec(), lopdf::StringFormat::Literal));
        }
    }
    // Deterministic document ID (printpdf's is a process-wide counter).
    let id = format!("{:016x}{:016x}", fnv1a(meta.id_seed.as_bytes()), meta.created_unix);
    let id_obj = Object::String(id.into_bytes(), lopdf::StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![id_obj.clone(), id_obj]));
    Ok(())
}

/// A PDF text string: ASCII as is, anything else as UTF-16BE with BOM.
fn text_string(s: &str) -> lopdf::Object {
    let bytes = if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        s.as_bytes().to_vec()
    } else {
        let mut v = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        v
    };
    lopdf::Object::String(bytes, lopdf::StringFormat::Literal)
}

/// `D:YYYYMMDDHHmmSSZ` in UTC.
fn pdf_date(unix: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp(unix, 0).unwrap_or_default().format("D:%Y%m%d%H%M%SZ").to_string()
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

fn pt(x: f32, y: f32) -> Point {
    Point { x: Pt(round2(x)), y: Pt(round2(y)) }
}

/// Two decimals are 1/100 pt: invisible, and keeps the content stream short.
fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn page_ops(items: &[Item], fonts: &HashMap<usize, DocFont>) -> Vec<Op> {
    let mut ops = Vec::with_capacity(256);
    // Graphics first (frame, rules, images, QR), then all text in one BT/ET.
    for it in items {
        match it {
            Item::Frame { x, y, w, h, width, color: c } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(round2(*x)),
                        y: Pt(round2(*y)),
                        width: Pt(round2(*w)),
                        height: Pt(round2(*h)),
                        mode: Some(PaintMode::Stroke),
                        winding_order: None,
                    },
                });
            }
            Item::Rule { from, to, width, color: c } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint { p: pt(from.0, from.1), bezier: false },
                            LinePoint { p: pt(to.0, to.1), bezier: false },
                        ],
                        is_closed: false,
                    },
                });
            }
            Item::Image { asset, x, y, w, h } => {
                ops.push(Op::UseXobject {
                    id: XObjectId(format!("Im{asset}")),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(round2(*x))),
                        translate_y: Some(Pt(round2(*y))),
                        scale_x: Some(round2(*w)),
                        scale_y: Some(round2(*h)),
                        no_auto_scale: true,
                        ..Default::default()
                    },
                });
            }
            Item::Qr { x, y, module } => {
                ops.push(Op::UseXobject {
                    id: XObjectId("Qr".into()),
                    transform: XObjectTransform {
                        translate_x: Some(Pt(round2(*x))),
                        translate_y: Some(Pt(round2(*y))),
                        scale_x: Some(*module),
                        scale_y: Some(*module),
                        no_auto_scale: true,
                        ..Default::default()
                    },
                });
            }
            Item::Text { .. } => {}
        }
    }

    ops.push(Op::StartTextSection);
    let mut cur_color: Option<Rgb> = None;
    let mut cur_font: Option<(usize, f32)> = None;
    for it in items {
        let Item::Text { line, x, y, size, color: c } = it else {
            continue;
        };
        if line.glyphs.is_empty() {
            continue;
        }
        if cur_color != Some(*c) {
            ops.push(Op::SetFillColor { col: color(*c) });
            cur_color = Some(*c);
        }
        let size = round2(*size);
        let mut pen = *x; // exact pen position in points
        let mut i = 0;
        while i < line.glyphs.len() {
            let face = line.glyphs[i].face as usize;
            let Some(df) = fonts.get(&face) else {
                i += 1;
                continue;
            };
            if cur_font != Some((face, size)) {
                ops.push(Op::SetFont { font: PdfFontHandle::External(df.id.clone()), size: Pt(size) });
                cur_font = Some((face, size));
            }
            // One positioned run: consecutive glyphs of this face without
            // mark offsets. The PDF advances each glyph by its /W width; the
            // TJ adjustment after it corrects to the shaped advance (kerning,
            // contextual forms). Adjustments are integers in 1/1000 em with
            // the rounding error carried forward, so nothing drifts.
            let mut run: Vec<Codepoint> = Vec::new();
            let run_start = pen;
            let mut emitted = 0.0f32; // pen advance the viewer will apply, in 1/1000 em
            let mut exact = 0.0f32;
            let first = &line.glyphs[i];
            let offset_glyph = first.x_offset != 0.0 || first.y_offset != 0.0;
            let mut j = i;
            while j < line.glyphs.len() {
                let g = &line.glyphs[j];
                if g.face as usize != face {
                    break;
                }
                let has_offset = g.x_offset != 0.0 || g.y_offset != 0.0;
                if j > i && (has_offset || offset_glyph) {
                    break;
                }
                let new_gid = df.subset.new_gid.get(&g.gid).copied().unwrap_or(0);
                let w_units = df.subset.widths.get(&new_gid).copied().unwrap_or(0);
                // Same truncation printpdf uses to write /W.
                let w_pdf = (f32::from(w_units) * 1000.0 / df.upm).trunc();
                emitted += w_pdf;
                exact += g.advance * 1000.0;
                let kern = (emitted - exact).round();
                emitted -= kern;
                let text = df.text.get(&g.gid).cloned().unwrap_or_default();
                run.push(Codepoint { gid: new_gid, offset: kern, cid: Some(text) });
                j += 1;
            }
            let (dx, dy) = if offset_glyph { (first.x_offset * size, first.y_offset * size) } else { (0.0, 0.0) };
            ops.push(Op::SetTextMatrix {
                matrix: TextMatrix::Translate(Pt(round2(run_start + dx)), Pt(round2(y + dy))),
            });
            ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(run)] });
            pen = run_start + exact / 1000.0 * size;
            i = j;
        }
    }
    ops.push(Op::EndTextSection);
    ops
}
