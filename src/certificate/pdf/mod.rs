//! Turns a laid-out page into PDF bytes, serialised here by hand.
//!
//! The page is described with printpdf's operator types ([`printpdf::Op`]),
//! as before; what changed is who serialises the document. Building it
//! through printpdf's document model and then lopdf's writer cost about half
//! of the render time: every object rebuilt, cloned and formatted per
//! certificate, every number through `fmt`. But the document is always the
//! same shape (one page, a few fonts, the logos, a QR form), and most of its
//! bytes are the same for every certificate of an event. So what does not
//! depend on the attendee is serialised once and copied: image XObjects at
//! load (`image`), font subsets with their dictionaries, widths, compressed
//! programs and CMaps once per event (`embed`). Per certificate, only the
//! operators of the page, the QR drawing, the subsets of the faces the name
//! and code use, and a few small dictionaries are written, here.
//!
//! The file is PDF 1.5: the small dictionaries (catalog, page, fonts,
//! descriptors) go compressed into one object stream, and the
//! cross-reference table is a compressed stream too. That saves about 1.5 KB
//! of a ~20 KB certificate; readers from 2003 on (Acrobat 6, poppler, pdf.js,
//! PDFium, lopdf) read it.
//!
//! The file is a Tagged PDF: every text line and picture is marked content
//! (`BDC`/`EMC` with an MCID) of one element of a structure tree that gives
//! the page's reading order (logos, heading as `H1`, the middle block, the
//! signatories, the footer, the QR code: [`Part`]'s order) and each figure's
//! alternative text; frames and rules are artifacts. That is what a screen
//! reader (through Acrobat, or Firefox's pdf.js) reads instead of guessing from
//! positions. About 0.4 KB of a certificate.
//!
//! Here: the document's objects, in a fixed order. `content`: the page's operators and their
//! serialisation; `structure`: the structure tree; `writer`: object numbers, the object and
//! cross-reference streams, and PDF's number and string syntax.

use std::collections::BTreeMap;
use std::sync::Arc;

mod content;
mod structure;
mod writer;

use self::content::{content_stream, page_ops};
use self::structure::write_structure;
use self::writer::{Writer, fill_refs, fnv1a, int, literal, num, pdf_date, reference, references, text_string};
use super::RenderError;
use super::embed::{EmbeddedFont, FontCache, embed};
use super::fonts::FontSet;
use super::image::{Images, deflate};
use super::layout::{Item, PAGE_H, PAGE_W, Part};
use super::qr::QrMatrix;

/// libdeflate level for the per-certificate streams (page content, QR
/// drawing, credential, object and cross-reference streams). Deflate is the
/// largest single cost of a certificate; measured on the QR path's ~14 KB of
/// `x y w h re` lines (most of these bytes): level 1 3.6 KB in 70 µs,
/// level 3 3.1 KB in 130 µs, level 6 3.0 KB in 230 µs. Level 6 since the
/// signature and the credential joined the PDF: the 100 µs buy back part of
/// the 22 KiB size budget (README, Benchmarks), and issuing stays well above
/// 1,000 certificates a second.
const LEVEL: u8 = 6;

/// libdeflate level for the certificate's own font subsets. Once the name's
/// few glyphs barely compressed (level 1 was within 3 % of level 6, in half
/// the time); since a face's own subset also holds the heading's glyphs of
/// that face (see `FontUse`), it is ~5 KB and level 6 saves ~100 bytes.
const OWN_FONT_LEVEL: u8 = 6;

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
    /// The signature dictionary to write, with its placeholders
    /// ([`crate::trust::pdf_signature::PdfSigner::field`]), or `None` for an unsigned file. The page
    /// then gets a hidden signature field pointing at it; filling the placeholders is the
    /// signer's job, after the file is written.
    pub signature: Option<&'a [u8]>,
    /// A file carried inside the PDF (the certificate's digital credential), if any.
    pub attachment: Option<Attachment<'a>>,
    /// The alternative text of each figure (logos, signature images, the QR code): what a
    /// screen reader says instead of the picture.
    pub alt: &'a [(Part, String)],
}

/// A file embedded as an associated file (PDF 2.0 `/AF`, as Factur-X embeds its XML): in the
/// catalog's `/AF` and `/Names /EmbeddedFiles`, with `/AFRelationship /Alternative`. Written
/// before any signature is applied, so a signature covers it.
#[derive(Debug, Clone, Copy)]
pub struct Attachment<'a> {
    /// File name, ASCII (`/F` and `/UF`).
    pub file_name: &'a str,
    /// MIME type as a PDF name, the slash written `#2F`: `application#2Fvc`.
    pub mime_name: &'a str,
    pub description: &'a str,
    pub data: &'a [u8],
}

/// Glyphs of one face, with the one Unicode string each maps back to (a
/// ToUnicode CMap maps a code the same way everywhere in the font).
type Glyphs<'a> = BTreeMap<u16, &'a str>;

/// Per-document font bookkeeping: which glyphs of which face each subset
/// holds. A face used only by texts every certificate of an event repeats has
/// a *shared* subset, the same bytes every time and so built once (see
/// `FontCache`). A face the name or code needs has one *own* subset, built for
/// this certificate, holding the name's and code's glyphs and those of the
/// shared texts in that face too: the name stays one run of one font (text
/// extractors that split words at font changes, lopdf's among them, give it
/// back whole), and the heading's glyphs are not carried twice, in a second
/// subset of the same face (1.5 KB of every certificate, whose code is always
/// in the heading's face). The price is subsetting the heading's few dozen
/// glyphs per certificate; the body text's face (never the name's, with the
/// shipped templates) stays shared.
#[derive(Default)]
struct FontUse<'a> {
    shared: BTreeMap<usize, Glyphs<'a>>,
    own: BTreeMap<usize, Glyphs<'a>>,
}

impl<'a> FontUse<'a> {
    fn collect(items: &'a [Item]) -> Self {
        let mut usage = FontUse::default();
        for it in items {
            let Item::Text { line, varies: own, .. } = it else { continue };
            let faces = if *own { &mut usage.own } else { &mut usage.shared };
            for g in &line.glyphs {
                let t = line.glyph_text(g);
                let m = faces.entry(g.face as usize).or_default();
                match m.get_mut(&g.gid) {
                    Some(existing) if existing.is_empty() && !t.is_empty() => *existing = t,
                    Some(_) => {}
                    None => {
                        m.insert(g.gid, t);
                    }
                }
            }
        }
        // A face the name or code needs carries the shared texts' glyphs of that face too, in
        // one subset: the heading and the name share most letters, and two subsets of one face
        // carried those outlines twice, with a second program, CMap and font dictionary (about
        // 1.5 KB of every certificate, whose code is always in the heading's face). The price
        // is subsetting those few dozen glyphs per certificate instead of once per event.
        let both: Vec<usize> = usage.shared.keys().filter(|f| usage.own.contains_key(f)).copied().collect();
        for face in both {
            let shared = usage.shared.remove(&face).unwrap_or_default();
            let own = usage.own.entry(face).or_default();
            for (gid, t) in shared {
                match own.get_mut(&gid) {
                    Some(existing) if existing.is_empty() && !t.is_empty() => *existing = t,
                    Some(_) => {}
                    None => {
                        own.insert(gid, t);
                    }
                }
            }
        }
        usage
    }
}

/// A font as used in one document: its resource name is `/F{index}`.
struct DocFont {
    face: usize,
    /// This certificate's own subset (the name's and code's), not the shared one.
    own: bool,
    font: Arc<EmbeddedFont>,
    /// A face of one weight serving the bold chain too ([`FontSet::one_weight`]): emboldened in
    /// display lines.
    one_weight: bool,
}

/// The certificate's PDF: the page's items drawn with `fonts` (subsets from `cache` where the
/// text repeats across an event), its images and QR code, tagged, with the information
/// dictionary, the attachment and the signature field of `meta`.
///
/// Object numbers are allocated in a fixed order (the objects everything points to, the streams,
/// the structure tree, then the small dictionaries), so the same input gives the same bytes: the
/// published test vectors depend on it.
pub fn write_pdf(
    fonts: &FontSet,
    cache: &FontCache,
    items: &[Item],
    images: Images<'_>,
    qr: &QrMatrix,
    meta: &Meta<'_>,
) -> Result<Vec<u8>, RenderError> {
    let doc_fonts = doc_fonts(fonts, cache, items)?;
    let used_images = used_images(items);

    let mut w = Writer::new();
    // Fixed numbers for the objects everything else points to.
    let (catalog, pages, page, info) = (w.alloc(), w.alloc(), w.alloc(), w.alloc());
    // The hidden signature field (a widget annotation) and its value, the signature dictionary.
    let sig = meta.signature.map(|dict| (w.alloc(), w.alloc(), dict));
    // The QR code is also a link to the verify page: a screen-reader user or anyone reading the
    // file on screen cannot scan it, and the text under it says to open the link it contains.
    let link = qr_link(items, qr, meta).map(|l| (w.alloc(), l));

    // Streams: they cannot go into the object stream.
    let (ops, marked) = page_ops(items, &doc_fonts);
    let content = content_stream(&ops)?;
    let content_num = w.alloc();
    w.stream(content_num, b"/Filter/FlateDecode", &deflate(&content, LEVEL));
    let qr_num = write_qr(&mut w, qr);
    let image_nums = write_images(&mut w, &images, &used_images);
    let font_nums = write_fonts(&mut w, &doc_fonts);
    let attached = meta.attachment.map(|a| write_attachment(&mut w, a));

    let struct_root =
        write_structure(&mut w, items, &marked, meta.alt, page, link.as_ref().map(|(n, l)| (*n, l.alt.as_str())));

    // The small dictionaries, into the object stream.
    let widget = sig.map(|(widget, _, _)| widget);
    write_catalog(&mut w, catalog, pages, attached, meta.language, struct_root, widget);
    write_page(
        &mut w,
        Page {
            page,
            pages,
            content: content_num,
            qr: qr_num,
            fonts: &font_nums,
            images: &image_nums,
            annots: widget.into_iter().chain(link.as_ref().map(|(n, _)| *n)).collect(),
        },
    );
    if let Some((n, l)) = &link {
        write_link(&mut w, *n, l, page);
    }
    if let Some((widget, value, dict)) = sig {
        // Invisible (zero rectangle) and printed never shown: F 132 is Print + Locked.
        let template = b"<</Type/Annot/Subtype/Widget/FT/Sig/T(Signature1)/F 132/Rect[0 0 0 0]/P \0 0 R/V \0 0 R>>";
        fill_refs(w.packed(widget), template, &[page, value]);
        // The signature dictionary cannot go into the object stream: its /Contents must be
        // bytes of the file, outside the signed ranges.
        w.object(value, dict);
    }

    // The information dictionary stays outside the object stream and any
    // compression: a damaged file then still gives its token to a plain byte
    // search (`verification::token_from_pdf`), so a verifier can say "altered".
    // Not first in the file: poppler probes the first object for a
    // linearization dictionary within a short window, and a long name's title
    // made that probe print syntax errors.
    let mut info_bytes = Vec::with_capacity(768);
    info_dict(&mut info_bytes, meta);
    w.object(info, &info_bytes);

    // Deterministic document ID.
    let id = format!("{:016x}{:016x}", fnv1a(meta.id_seed.as_bytes()), meta.created_unix);
    Ok(w.finish(catalog, info, &id))
}

/// The fonts of one document, in resource order (`/F0`, `/F1`, …): the shared subsets (from the
/// event's cache), then this certificate's own.
fn doc_fonts(fonts: &FontSet, cache: &FontCache, items: &[Item]) -> Result<Vec<DocFont>, RenderError> {
    let usage = FontUse::collect(items);
    let mut doc_fonts: Vec<DocFont> = Vec::with_capacity(usage.shared.len() + usage.own.len());
    for (face_idx, glyphs) in usage.shared {
        let font = cache.get_or_embed(face_idx, fonts.face(face_idx), &glyphs)?;
        doc_fonts.push(DocFont { face: face_idx, own: false, font, one_weight: fonts.one_weight(face_idx) });
    }
    for (face_idx, glyphs) in &usage.own {
        let face_idx = *face_idx;
        // Unique to this certificate: not worth a cache entry.
        let font = Arc::new(embed(fonts.face(face_idx), glyphs, OWN_FONT_LEVEL)?);
        doc_fonts.push(DocFont { face: face_idx, own: true, font, one_weight: fonts.one_weight(face_idx) });
    }
    Ok(doc_fonts)
}

/// The image assets the page draws, each once, in asset order.
fn used_images(items: &[Item]) -> Vec<usize> {
    let mut used_images: Vec<usize> = items
        .iter()
        .filter_map(|i| match i {
            Item::Image { asset, .. } => Some(*asset),
            _ => None,
        })
        .collect();
    used_images.sort_unstable();
    used_images.dedup();
    used_images
}

/// The QR code as a form XObject one unit per module; its object number.
fn write_qr(w: &mut Writer, qr: &QrMatrix) -> u32 {
    let qr_num = w.alloc();
    let qr_n = qr.total_modules();
    let qr_dict = format!("/Type/XObject/Subtype/Form/BBox[0 0 {qr_n} {qr_n}]/Filter/FlateDecode");
    w.stream(qr_num, qr_dict.as_bytes(), &deflate(&qr.to_content_stream(), LEVEL));
    qr_num
}

/// The image XObjects (serialised once at load), each after its soft mask; each asset with its
/// object number.
fn write_images(w: &mut Writer, images: &Images<'_>, used: &[usize]) -> Vec<(usize, u32)> {
    let mut image_nums = Vec::with_capacity(used.len());
    for &a in used {
        let img = images.get(a);
        let mask = img.mask.as_ref().map(|m| {
            let n = w.alloc();
            w.stream(n, &m.dict, &m.data);
            n
        });
        let n = w.alloc();
        match mask {
            Some(m) => {
                let mut dict = img.image.dict.clone();
                dict.extend_from_slice(b"/SMask ");
                int(&mut dict, i64::from(m));
                dict.extend_from_slice(b" 0 R");
                w.stream(n, &dict, &img.image.data);
            }
            None => w.stream(n, &img.image.dict, &img.image.data),
        }
        image_nums.push((a, n));
    }
    image_nums
}

/// Each font's program, CMap, descriptor and dictionary (pre-serialised, with its references
/// filled in); the dictionaries' object numbers, in resource order.
fn write_fonts(w: &mut Writer, doc_fonts: &[DocFont]) -> Vec<u32> {
    let mut font_nums = Vec::with_capacity(doc_fonts.len());
    for df in doc_fonts {
        let f = &df.font;
        let (program, cmap, descriptor, dict) = (w.alloc(), w.alloc(), w.alloc(), w.alloc());
        w.stream(program, &f.program_dict, &f.program);
        w.stream(cmap, b"/Filter/FlateDecode", &f.cmap);
        fill_refs(w.packed(descriptor), &f.descriptor, &[program]);
        fill_refs(w.packed(dict), &f.font_dict, &[descriptor, cmap]);
        font_nums.push(dict);
    }
    font_nums
}

/// The embedded file and its file specification; the specification's number and the file name.
fn write_attachment<'a>(w: &mut Writer, a: Attachment<'a>) -> (u32, &'a str) {
    let file = w.alloc();
    let mut dict = Vec::with_capacity(96);
    dict.extend_from_slice(b"/Type/EmbeddedFile/Subtype/");
    dict.extend_from_slice(a.mime_name.as_bytes());
    dict.extend_from_slice(b"/Params<</Size ");
    int(&mut dict, a.data.len() as i64);
    dict.extend_from_slice(b">>/Filter/FlateDecode");
    w.stream(file, &dict, &deflate(a.data, LEVEL));
    let spec = w.alloc();
    let o = w.packed(spec);
    o.extend_from_slice(b"<</Type/Filespec/F");
    literal(o, a.file_name.as_bytes());
    o.extend_from_slice(b"/UF");
    literal(o, a.file_name.as_bytes());
    o.extend_from_slice(b"/Desc");
    literal(o, a.description.as_bytes());
    o.extend_from_slice(b"/AFRelationship/Alternative/EF<</F ");
    reference(o, file);
    o.extend_from_slice(b"/UF ");
    reference(o, file);
    o.extend_from_slice(b">>>>");
    (spec, a.file_name)
}

/// The document catalog: pages, the attachment, language, tagging, and the form of the
/// signature field when there is one.
fn write_catalog(
    w: &mut Writer,
    catalog: u32,
    pages: u32,
    attached: Option<(u32, &str)>,
    language: &str,
    struct_root: u32,
    widget: Option<u32>,
) {
    let o = w.packed(catalog);
    o.extend_from_slice(b"<</Type/Catalog/Pages ");
    reference(o, pages);
    if let Some((spec, name)) = attached {
        o.extend_from_slice(b"/AF[");
        reference(o, spec);
        o.extend_from_slice(b"]/Names<</EmbeddedFiles<</Names[");
        literal(o, name.as_bytes());
        reference(o, spec);
        o.extend_from_slice(b"]>>>>");
    }
    o.extend_from_slice(b"/Lang");
    literal(o, language.as_bytes());
    // Tagged: the structure tree gives the reading order and the figures' alternative texts;
    // a viewer shows the title (the information dictionary's) rather than the file name.
    o.extend_from_slice(b"/MarkInfo<</Marked true>>/StructTreeRoot ");
    reference(o, struct_root);
    o.extend_from_slice(b"/ViewerPreferences<</DisplayDocTitle true>>");
    if let Some(widget) = widget {
        // SigFlags 3: the document has signatures, and is to be changed only by appending.
        o.extend_from_slice(b"/AcroForm<</Fields[");
        reference(o, widget);
        o.extend_from_slice(b"]/SigFlags 3>>");
    }
    o.extend_from_slice(b">>");
}

/// The object numbers the page tree and the page point to.
struct Page<'a> {
    page: u32,
    pages: u32,
    content: u32,
    qr: u32,
    fonts: &'a [u32],
    images: &'a [(usize, u32)],
    /// The signature field's widget and the QR code's link, those there are.
    annots: Vec<u32>,
}

/// The page tree and the one page: size, resources, contents, its place in the structure tree,
/// and its annotations.
fn write_page(w: &mut Writer, p: Page<'_>) {
    let o = w.packed(p.pages);
    o.extend_from_slice(b"<</Type/Pages/Kids[");
    reference(o, p.page);
    o.extend_from_slice(b"]/Count 1>>");
    let o = w.packed(p.page);
    o.extend_from_slice(b"<</Type/Page/Parent ");
    reference(o, p.pages);
    o.extend_from_slice(b"/MediaBox[0 0 ");
    num(o, PAGE_W, 2);
    o.push(b' ');
    num(o, PAGE_H, 2);
    o.extend_from_slice(b"]/Resources<</Font<<");
    for (i, n) in p.fonts.iter().enumerate() {
        o.extend_from_slice(b"/F");
        int(o, i as i64);
        o.push(b' ');
        reference(o, *n);
    }
    o.extend_from_slice(b">>/XObject<</Qr ");
    reference(o, p.qr);
    for (a, n) in p.images {
        o.extend_from_slice(b"/Im");
        int(o, *a as i64);
        o.push(b' ');
        reference(o, *n);
    }
    o.extend_from_slice(b">>>>/Contents ");
    reference(o, p.content);
    // Tab through the page in the structure's order.
    o.extend_from_slice(b"/StructParents 0/Tabs/S");
    if !p.annots.is_empty() {
        o.extend_from_slice(b"/Annots[");
        references(o, p.annots.iter().copied());
        o.push(b']');
    }
    o.extend_from_slice(b">>");
}

/// The QR code's link: where it is on the page, where it goes, and what it is said to be.
struct QrLink {
    rect: (f32, f32, f32, f32),
    url: String,
    alt: String,
}

/// The QR code's link, when the page has a QR code and the certificate a verify URL.
fn qr_link(items: &[Item], qr: &QrMatrix, meta: &Meta<'_>) -> Option<QrLink> {
    if meta.verify_url.is_empty() || !meta.verify_url.is_ascii() {
        return None;
    }
    let rect = items.iter().find(|i| matches!(i, Item::Qr { .. }))?.bbox(qr.total_modules());
    let alt = meta.alt.iter().find(|(p, _)| *p == Part::Qr).map(|(_, a)| a.clone()).unwrap_or_default();
    Some(QrLink { rect, url: meta.verify_url.to_owned(), alt })
}

/// The link annotation over the QR code: no border, printed, described by `/Contents` (what
/// PDF/UA asks of an annotation), and `/StructParent 1` for its `Link` element.
fn write_link(w: &mut Writer, n: u32, l: &QrLink, page: u32) {
    let o = w.packed(n);
    o.extend_from_slice(b"<</Type/Annot/Subtype/Link/F 4/Border[0 0 0]/Rect[");
    let (x0, y0, x1, y1) = l.rect;
    for (k, v) in [x0, y0, x1, y1].into_iter().enumerate() {
        if k > 0 {
            o.push(b' ');
        }
        num(o, v, 2);
    }
    o.extend_from_slice(b"]/Contents");
    text_string(o, &l.alt);
    fill_refs(o, b"/StructParent 1/P \0 0 R/A<</S/URI/URI", &[page]);
    literal(o, l.url.as_bytes());
    o.extend_from_slice(b">>>>");
}

/// The document information dictionary: title, author, subject, keywords,
/// dates and the certificate's token.
fn info_dict(o: &mut Vec<u8>, meta: &Meta<'_>) {
    let date = pdf_date(meta.created_unix);
    let token = meta.verify_url.rsplit_once("/v/").map_or(meta.verify_url, |(_, t)| t);
    o.extend_from_slice(b"<</Title");
    text_string(o, meta.title);
    o.extend_from_slice(b"/Author");
    text_string(o, meta.author);
    o.extend_from_slice(b"/Subject");
    text_string(o, meta.subject);
    o.extend_from_slice(b"/Keywords");
    text_string(o, meta.keywords);
    o.extend_from_slice(b"/Creator(attest)/Producer(attest certificate renderer)/CreationDate");
    literal(o, date.as_bytes());
    o.extend_from_slice(b"/ModDate");
    literal(o, date.as_bytes());
    o.extend_from_slice(b"/AttestToken");
    literal(o, token.as_bytes());
    o.extend_from_slice(b">>");
}
