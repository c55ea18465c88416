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

use std::collections::BTreeMap;
use std::sync::Arc;

use printpdf::{
    Codepoint, Color, DictItem, FontId, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, TextItem,
    TextMatrix, XObjectId, XObjectTransform,
};
use unicode_bidi::{BidiClass, bidi_class};

use super::RenderError;
use super::embed::{EmbeddedFont, FontCache, embed};
use super::fonts::FontSet;
use super::image::{Images, deflate};
use super::layout::{Item, PAGE_H, PAGE_W, Part, SignatoryPart};
use super::qr::QrMatrix;
use super::template::Rgb;

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
}

pub fn write_pdf(
    fonts: &FontSet,
    cache: &FontCache,
    items: &[Item],
    images: Images<'_>,
    qr: &QrMatrix,
    meta: &Meta<'_>,
) -> Result<Vec<u8>, RenderError> {
    let usage = FontUse::collect(items);
    let mut doc_fonts: Vec<DocFont> = Vec::with_capacity(usage.shared.len() + usage.own.len());
    for (face_idx, glyphs) in usage.shared {
        let font = cache.get_or_embed(face_idx, fonts.face(face_idx), &glyphs)?;
        doc_fonts.push(DocFont { face: face_idx, own: false, font });
    }
    for (face_idx, glyphs) in &usage.own {
        let face_idx = *face_idx;
        // Unique to this certificate: not worth a cache entry.
        let font = Arc::new(embed(fonts.face(face_idx), glyphs, OWN_FONT_LEVEL)?);
        doc_fonts.push(DocFont { face: face_idx, own: true, font });
    }
    let mut used_images: Vec<usize> = items
        .iter()
        .filter_map(|i| match i {
            Item::Image { asset, .. } => Some(*asset),
            _ => None,
        })
        .collect();
    used_images.sort_unstable();
    used_images.dedup();

    let mut w = Writer::new();
    // Fixed numbers for the objects everything else points to.
    let (catalog, pages, page, info) = (w.alloc(), w.alloc(), w.alloc(), w.alloc());
    // The hidden signature field (a widget annotation) and its value, the signature dictionary.
    let sig = meta.signature.map(|dict| (w.alloc(), w.alloc(), dict));

    // Streams: they cannot go into the object stream.
    let (ops, marked) = page_ops(items, &doc_fonts);
    let content = content_stream(&ops)?;
    let content_num = w.alloc();
    w.stream(content_num, b"/Filter/FlateDecode", &deflate(&content, LEVEL));
    let qr_num = w.alloc();
    let qr_n = qr.total_modules();
    let mut qr_dict = Vec::with_capacity(64);
    qr_dict.extend_from_slice(b"/Type/XObject/Subtype/Form/BBox[0 0 ");
    int(&mut qr_dict, qr_n as i64);
    qr_dict.push(b' ');
    int(&mut qr_dict, qr_n as i64);
    qr_dict.extend_from_slice(b"]/Filter/FlateDecode");
    w.stream(qr_num, &qr_dict, &deflate(&qr.to_content_stream(), LEVEL));
    let mut image_nums = Vec::with_capacity(used_images.len());
    for &a in &used_images {
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
    let mut font_nums = Vec::with_capacity(doc_fonts.len());
    for df in &doc_fonts {
        let f = &df.font;
        let (program, cmap, descriptor, dict) = (w.alloc(), w.alloc(), w.alloc(), w.alloc());
        w.stream(program, &f.program_dict, &f.program);
        w.stream(cmap, b"/Filter/FlateDecode", &f.cmap);
        fill_refs(w.packed(descriptor), &f.descriptor, &[program]);
        fill_refs(w.packed(dict), &f.font_dict, &[descriptor, cmap]);
        font_nums.push(dict);
    }

    let attached = meta.attachment.map(|a| {
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
    });

    // The structure tree (Tagged PDF): one element per part of the page, in reading order
    // (`Part`'s order, not the drawing order), under one Document element; each element holds
    // the marked-content ids of its lines, a figure its alternative text. The parent tree maps
    // the ids back to their elements, for readers going from the page to the structure (pdf.js
    // builds its tree that way, and needs `/P` and `/Pg` on every element).
    let mut elements: BTreeMap<Part, Vec<u32>> = BTreeMap::new();
    for (mcid, part) in marked.iter().enumerate() {
        elements.entry(*part).or_default().push(mcid as u32);
    }
    // Right-to-left lines are drawn in visual order (see `shape`); readers of the structure
    // that take the text in drawing order (poppler's structure text) would give such a part
    // backwards, so it carries its logical text too.
    let mut actual: BTreeMap<Part, String> = BTreeMap::new();
    for it in items {
        if let Item::Text { line, part, .. } = it
            && !line.glyphs.is_empty()
        {
            let t = actual.entry(*part).or_default();
            if !t.is_empty() {
                t.push(' ');
            }
            t.push_str(&line.text);
        }
    }
    actual.retain(|_, t| t.chars().any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL)));
    let (struct_root, document) = (w.alloc(), w.alloc());
    let element_nums: BTreeMap<Part, u32> = elements.keys().map(|p| (*p, w.alloc())).collect();
    for (part, mcids) in &elements {
        let o = w.packed(element_nums[part]);
        o.extend_from_slice(b"<</S/");
        o.extend_from_slice(role(*part));
        o.extend_from_slice(b"/P ");
        reference(o, document);
        o.extend_from_slice(b"/Pg ");
        reference(o, page);
        if let Some((_, alt)) = meta.alt.iter().find(|(p, _)| p == part) {
            o.extend_from_slice(b"/Alt");
            text_string(o, alt);
        }
        if let Some(text) = actual.get(part) {
            o.extend_from_slice(b"/ActualText");
            text_string(o, text);
        }
        o.extend_from_slice(b"/K");
        if let [one] = mcids[..] {
            o.push(b' ');
            int(o, i64::from(one));
        } else {
            o.push(b'[');
            for (k, mcid) in mcids.iter().enumerate() {
                if k > 0 {
                    o.push(b' ');
                }
                int(o, i64::from(*mcid));
            }
            o.push(b']');
        }
        o.extend_from_slice(b">>");
    }
    let o = w.packed(document);
    o.extend_from_slice(b"<</S/Document/P ");
    reference(o, struct_root);
    o.extend_from_slice(b"/K[");
    for (k, n) in element_nums.values().enumerate() {
        if k > 0 {
            o.push(b' ');
        }
        reference(o, *n);
    }
    o.extend_from_slice(b"]>>");
    let o = w.packed(struct_root);
    o.extend_from_slice(b"<</Type/StructTreeRoot/K ");
    reference(o, document);
    // The page's `/StructParents 0`: its marked-content ids, in order, to their elements.
    o.extend_from_slice(b"/ParentTree<</Nums[0[");
    for (k, part) in marked.iter().enumerate() {
        if k > 0 {
            o.push(b' ');
        }
        reference(o, element_nums[part]);
    }
    o.extend_from_slice(b"]]>>>>");

    // The small dictionaries, into the object stream.
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
    literal(o, meta.language.as_bytes());
    // Tagged: the structure tree gives the reading order and the figures' alternative texts;
    // a viewer shows the title (the information dictionary's) rather than the file name.
    o.extend_from_slice(b"/MarkInfo<</Marked true>>/StructTreeRoot ");
    reference(o, struct_root);
    o.extend_from_slice(b"/ViewerPreferences<</DisplayDocTitle true>>");
    if let Some((widget, _, _)) = sig {
        // SigFlags 3: the document has signatures, and is to be changed only by appending.
        o.extend_from_slice(b"/AcroForm<</Fields[");
        reference(o, widget);
        o.extend_from_slice(b"]/SigFlags 3>>");
    }
    o.extend_from_slice(b">>");
    let o = w.packed(pages);
    o.extend_from_slice(b"<</Type/Pages/Kids[");
    reference(o, page);
    o.extend_from_slice(b"]/Count 1>>");
    let o = w.packed(page);
    o.extend_from_slice(b"<</Type/Page/Parent ");
    reference(o, pages);
    o.extend_from_slice(b"/MediaBox[0 0 ");
    num(o, PAGE_W, 2);
    o.push(b' ');
    num(o, PAGE_H, 2);
    o.extend_from_slice(b"]/Resources<</Font<<");
    for (i, n) in font_nums.iter().enumerate() {
        o.extend_from_slice(b"/F");
        int(o, i as i64);
        o.push(b' ');
        reference(o, *n);
    }
    o.extend_from_slice(b">>/XObject<</Qr ");
    reference(o, qr_num);
    for (a, n) in &image_nums {
        o.extend_from_slice(b"/Im");
        int(o, *a as i64);
        o.push(b' ');
        reference(o, *n);
    }
    o.extend_from_slice(b">>>>/Contents ");
    reference(o, content_num);
    // Tab through the page in the structure's order.
    o.extend_from_slice(b"/StructParents 0/Tabs/S");
    if let Some((widget, _, _)) = sig {
        o.extend_from_slice(b"/Annots[");
        reference(o, widget);
        o.push(b']');
    }
    o.extend_from_slice(b">>");
    if let Some((widget, value, dict)) = sig {
        // Invisible (zero rectangle) and printed never shown: F 132 is Print + Locked.
        let o = w.packed(widget);
        o.extend_from_slice(b"<</Type/Annot/Subtype/Widget/FT/Sig/T(Signature1)/F 132/Rect[0 0 0 0]/P ");
        reference(o, page);
        o.extend_from_slice(b"/V ");
        reference(o, value);
        o.extend_from_slice(b">>");
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

/// Where an object is, for the cross-reference stream.
#[derive(Clone, Copy)]
enum Loc {
    /// Byte offset in the file.
    File(usize),
    /// Index in the object stream.
    Packed(usize),
}

/// Serialises one document: stream objects straight into the file, the other
/// objects into an object stream, then the cross-reference stream.
struct Writer {
    out: Vec<u8>,
    /// By object number - 1; `None` until written.
    locs: Vec<Option<Loc>>,
    /// Object stream body, and each packed object's number and offset in it.
    packed: Vec<u8>,
    packed_index: Vec<(u32, usize)>,
}

impl Writer {
    fn new() -> Self {
        let mut out = Vec::with_capacity(24 * 1024);
        // A comment with bytes above 127 tells transfer tools the file is binary.
        out.extend_from_slice(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n");
        Writer { out, locs: Vec::with_capacity(40), packed: Vec::with_capacity(4096), packed_index: Vec::new() }
    }

    fn alloc(&mut self) -> u32 {
        self.locs.push(None);
        self.locs.len() as u32
    }

    /// Writes a stream object: `dict` holds its entries except `/Length`.
    fn stream(&mut self, n: u32, dict: &[u8], data: &[u8]) {
        self.locs[n as usize - 1] = Some(Loc::File(self.out.len()));
        let o = &mut self.out;
        int(o, i64::from(n));
        o.extend_from_slice(b" 0 obj\n<<");
        o.extend_from_slice(dict);
        o.extend_from_slice(b"/Length ");
        int(o, data.len() as i64);
        o.extend_from_slice(b">>stream\n");
        o.extend_from_slice(data);
        o.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Writes a plain (uncompressed) object.
    fn object(&mut self, n: u32, value: &[u8]) {
        self.locs[n as usize - 1] = Some(Loc::File(self.out.len()));
        int(&mut self.out, i64::from(n));
        self.out.extend_from_slice(b" 0 obj\n");
        self.out.extend_from_slice(value);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// Starts object `n` in the object stream; the caller writes its value.
    fn packed(&mut self, n: u32) -> &mut Vec<u8> {
        self.locs[n as usize - 1] = Some(Loc::Packed(self.packed_index.len()));
        if !self.packed.is_empty() {
            self.packed.push(b'\n');
        }
        self.packed_index.push((n, self.packed.len()));
        &mut self.packed
    }

    /// Writes the object stream and the cross-reference stream (which also
    /// serves as the trailer) and returns the file.
    fn finish(mut self, root: u32, info: u32, id: &str) -> Vec<u8> {
        let objstm = self.alloc();
        let mut header = Vec::with_capacity(self.packed_index.len() * 8);
        for (n, at) in &self.packed_index {
            int(&mut header, i64::from(*n));
            header.push(b' ');
            int(&mut header, *at as i64);
            header.push(b' ');
        }
        let first = header.len();
        header.extend_from_slice(&self.packed);
        let mut dict = Vec::with_capacity(64);
        dict.extend_from_slice(b"/Type/ObjStm/N ");
        int(&mut dict, self.packed_index.len() as i64);
        dict.extend_from_slice(b"/First ");
        int(&mut dict, first as i64);
        dict.extend_from_slice(b"/Filter/FlateDecode");
        self.stream(objstm, &dict, &deflate(&header, LEVEL));

        let xref = self.alloc();
        let xref_at = self.out.len();
        self.locs[xref as usize - 1] = Some(Loc::File(xref_at));
        // Field widths: type (1 byte), offset or object stream number (as few
        // bytes as the file needs), generation or index (2 bytes).
        let off_bytes = (usize::BITS - xref_at.leading_zeros()).div_ceil(8).max(1) as usize;
        let size = self.locs.len() + 1;
        let mut rows = Vec::with_capacity(size * (off_bytes + 3));
        let mut row = |kind: u8, field2: usize, field3: u16| {
            rows.push(kind);
            rows.extend_from_slice(&field2.to_be_bytes()[usize::BITS as usize / 8 - off_bytes..]);
            rows.extend_from_slice(&field3.to_be_bytes());
        };
        row(0, 0, 0xffff);
        for loc in &self.locs {
            match loc.expect("every allocated object is written") {
                Loc::File(at) => row(1, at, 0),
                Loc::Packed(i) => row(2, objstm as usize, i as u16),
            }
        }
        let mut dict = Vec::with_capacity(128);
        dict.extend_from_slice(b"/Type/XRef/Size ");
        int(&mut dict, size as i64);
        dict.extend_from_slice(b"/W[1 ");
        int(&mut dict, off_bytes as i64);
        dict.extend_from_slice(b" 2]/Root ");
        reference(&mut dict, root);
        dict.extend_from_slice(b"/Info ");
        reference(&mut dict, info);
        dict.extend_from_slice(b"/ID[<");
        dict.extend_from_slice(id.as_bytes());
        dict.extend_from_slice(b"><");
        dict.extend_from_slice(id.as_bytes());
        dict.extend_from_slice(b">]/Filter/FlateDecode");
        self.stream(xref, &dict, &deflate(&rows, LEVEL));
        self.out.extend_from_slice(b"startxref\n");
        int(&mut self.out, xref_at as i64);
        self.out.extend_from_slice(b"\n%%EOF\n");
        self.out
    }
}

/// Copies a pre-serialised object, putting `refs` (as `N 0 R`) into its `\0` slots in order.
fn fill_refs(o: &mut Vec<u8>, template: &[u8], refs: &[u32]) {
    let mut refs = refs.iter();
    for (i, part) in template.split(|&b| b == 0).enumerate() {
        if i > 0 {
            int(o, i64::from(*refs.next().expect("one reference per slot")));
        }
        o.extend_from_slice(part);
    }
}

fn reference(o: &mut Vec<u8>, n: u32) {
    int(o, i64::from(n));
    o.extend_from_slice(b" 0 R");
}

/// An integer, without `fmt` (this runs thousands of times per certificate).
fn int(o: &mut Vec<u8>, v: i64) {
    if v < 0 {
        o.push(b'-');
    }
    let mut digits = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    o.extend_from_slice(&digits[i..]);
}

/// A real number rounded to `places` decimals (at most 4), trailing zeros
/// dropped. Two decimals are 1/100 pt: invisible, and keep the stream short.
fn num(o: &mut Vec<u8>, v: f32, places: u32) {
    let scale = 10i64.pow(places);
    let scaled = (f64::from(v) * scale as f64).round() as i64;
    if scaled < 0 {
        o.push(b'-');
    }
    let abs = scaled.unsigned_abs() as i64;
    int(o, abs / scale);
    let mut frac = abs % scale;
    if frac != 0 {
        let mut places = places;
        while frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        o.push(b'.');
        let at = o.len();
        int(o, frac);
        // Leading zeros of the fraction (e.g. .05).
        let missing = places as usize - (o.len() - at);
        o.splice(at..at, std::iter::repeat_n(b'0', missing));
    }
}

/// A literal string, with the characters that would end or escape it escaped.
fn literal(o: &mut Vec<u8>, bytes: &[u8]) {
    o.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => o.extend_from_slice(&[b'\\', b]),
            // A bare carriage return would be read as a line end.
            b'\r' => o.extend_from_slice(b"\\r"),
            _ => o.push(b),
        }
    }
    o.push(b')');
}

/// A PDF text string: ASCII as is, anything else as UTF-16BE with BOM.
fn text_string(o: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        literal(o, s.as_bytes());
    } else {
        let mut v = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        literal(o, &v);
    }
}

/// `D:YYYYMMDDHHmmSSZ` in UTC.
fn pdf_date(unix: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp(unix, 0).unwrap_or_default().format("D:%Y%m%d%H%M%SZ").to_string()
}

fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

fn pt(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
}

/// The structure type of a part of the page.
fn role(part: Part) -> &'static [u8] {
    match part {
        Part::Heading => b"H1",
        Part::Logo(_) | Part::Signatory(_, SignatoryPart::Signature) | Part::Qr => b"Figure",
        _ => b"P",
    }
}

/// Marks the content of `part` with marked-content id `mcid` (`/P <</MCID 3>>BDC`).
fn begin_marked(part: Part, mcid: usize) -> Op {
    let mut map = BTreeMap::new();
    map.insert("MCID".to_owned(), DictItem::Int(mcid as i64));
    Op::BeginMarkedContentWithProperties {
        tag: String::from_utf8_lossy(role(part)).into_owned(),
        properties: DictItem::Dict { map },
    }
}

/// The page as printpdf operators: graphics first (frame, rules, images, QR),
/// then all text in one `BT`/`ET`; and the part of the page each marked-content
/// id (the index) shows. Every text line and image is marked content of its
/// part; frames and rules are artifacts (decoration a screen reader skips).
fn page_ops(items: &[Item], fonts: &[DocFont]) -> (Vec<Op>, Vec<Part>) {
    let mut ops = Vec::with_capacity(240);
    let mut marked: Vec<Part> = Vec::with_capacity(40);
    let mut artifact = false;
    let mut stroke: Option<(Rgb, f32)> = None;
    let mut set_stroke = |ops: &mut Vec<Op>, c: Rgb, width: f32| {
        if stroke.is_none_or(|(sc, _)| sc != c) {
            ops.push(Op::SetOutlineColor { col: color(c) });
        }
        if stroke.is_none_or(|(_, sw)| sw != width) {
            ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        }
        stroke = Some((c, width));
    };
    let place = |id: String, (sx, sy, x, y): (f32, f32, f32, f32)| Op::UseXobject {
        id: XObjectId(id),
        transform: XObjectTransform {
            translate_x: Some(Pt(x)),
            translate_y: Some(Pt(y)),
            scale_x: Some(sx),
            scale_y: Some(sy),
            no_auto_scale: true,
            ..Default::default()
        },
    };
    for it in items {
        let decoration = matches!(it, Item::Frame { .. } | Item::Rule { .. });
        if decoration && !artifact {
            ops.push(Op::BeginMarkedContent { tag: "Artifact".into() });
        } else if !decoration && artifact {
            ops.push(Op::EndMarkedContent);
        }
        artifact = decoration;
        match it {
            Item::Frame { x, y, w, h, width, color: c } => {
                set_stroke(&mut ops, *c, *width);
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(*x),
                        y: Pt(*y),
                        width: Pt(*w),
                        height: Pt(*h),
                        mode: Some(PaintMode::Stroke),
                        winding_order: None,
                    },
                });
            }
            Item::Rule { from, to, width, color: c } => {
                set_stroke(&mut ops, *c, *width);
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
            Item::Image { asset, x, y, w, h, part } => {
                ops.push(begin_marked(*part, marked.len()));
                marked.push(*part);
                ops.push(place(format!("Im{asset}"), (*w, *h, *x, *y)));
                ops.push(Op::EndMarkedContent);
            }
            Item::Qr { x, y, module } => {
                ops.push(begin_marked(Part::Qr, marked.len()));
                marked.push(Part::Qr);
                ops.push(place("Qr".into(), (*module, *module, *x, *y)));
                ops.push(Op::EndMarkedContent);
            }
            Item::Text { .. } => {}
        }
    }
    if artifact {
        ops.push(Op::EndMarkedContent);
    }

    ops.push(Op::StartTextSection);
    let mut cur_color: Option<Rgb> = None;
    let mut cur_font: Option<(usize, f32)> = None;
    for it in items {
        let Item::Text { line, x, y, size, color: c, varies, part } = it else {
            continue;
        };
        if line.glyphs.is_empty() {
            continue;
        }
        ops.push(begin_marked(*part, marked.len()));
        marked.push(*part);
        if cur_color != Some(*c) {
            ops.push(Op::SetFillColor { col: color(*c) });
            cur_color = Some(*c);
        }
        let size = (*size * 100.0).round() / 100.0;
        // A shared text whose face also has the name's subset is drawn from that one subset.
        let font_of = |i: usize| {
            let face = usize::from(line.glyphs[i].face);
            fonts
                .iter()
                .position(|f| f.face == face && f.own == *varies)
                .or_else(|| fonts.iter().position(|f| f.face == face && f.own))
        };
        let mut pen = *x; // exact pen position in points
        let mut i = 0;
        while i < line.glyphs.len() {
            let Some(fi) = font_of(i) else {
                i += 1;
                continue;
            };
            let df = &fonts[fi].font;
            if cur_font != Some((fi, size)) {
                ops.push(Op::SetFont { font: PdfFontHandle::External(FontId(format!("F{fi}"))), size: Pt(size) });
                cur_font = Some((fi, size));
            }
            // One positioned run: consecutive glyphs of this font without
            // mark offsets. The viewer advances each glyph by its /W width;
            // the TJ adjustment after it corrects to the shaped advance
            // (kerning, contextual forms). Adjustments are integers in 1/1000
            // em with the rounding error carried forward, so nothing drifts.
            let mut run: Vec<Codepoint> = Vec::new();
            let run_start = pen;
            let mut emitted = 0.0f32; // pen advance the viewer will apply, in 1/1000 em
            let mut exact = 0.0f32;
            let first = &line.glyphs[i];
            let offset_glyph = first.x_offset != 0.0 || first.y_offset != 0.0;
            let mut j = i;
            while j < line.glyphs.len() {
                let g = &line.glyphs[j];
                let has_offset = g.x_offset != 0.0 || g.y_offset != 0.0;
                if j > i && (has_offset || offset_glyph || font_of(j) != Some(fi)) {
                    break;
                }
                let code = df.code.get(&g.gid).copied().unwrap_or(0);
                emitted += df.widths.get(usize::from(code)).copied().unwrap_or(0.0);
                exact += g.advance * 1000.0;
                let kern = (emitted - exact).round();
                emitted -= kern;
                run.push(Codepoint { gid: code, offset: kern, cid: None });
                j += 1;
            }
            let (dx, dy) = if offset_glyph { (first.x_offset * size, first.y_offset * size) } else { (0.0, 0.0) };
            ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(run_start + dx), Pt(y + dy)) });
            ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(run)] });
            pen = run_start + exact / 1000.0 * size;
            i = j;
        }
        ops.push(Op::EndMarkedContent);
    }
    ops.push(Op::EndTextSection);
    (ops, marked)
}

/// Serialises the operators [`page_ops`] emits (any other is an error):
/// coordinates to 1/100 pt, colours to three decimals, glyph runs as hex
/// strings with kerning numbers only where needed.
fn content_stream(ops: &[Op]) -> Result<Vec<u8>, RenderError> {
    let mut o = Vec::with_capacity(6 * 1024);
    let rgb = |o: &mut Vec<u8>, col: &Color, op: &[u8]| match col {
        Color::Rgb(c) => {
            for v in [c.r, c.g, c.b] {
                num(o, v, 3);
                o.push(b' ');
            }
            o.extend_from_slice(op);
            Ok(())
        }
        other => Err(RenderError::Pdf(format!("unsupported colour {other:?}"))),
    };
    for op in ops {
        match op {
            Op::SetOutlineColor { col } => rgb(&mut o, col, b"RG")?,
            Op::SetFillColor { col } => rgb(&mut o, col, b"rg")?,
            Op::SetOutlineThickness { pt } => {
                num(&mut o, pt.0, 2);
                o.extend_from_slice(b" w");
            }
            Op::DrawRectangle { rectangle: r } => {
                for v in [r.x, r.y, r.width, r.height] {
                    num(&mut o, v.0, 2);
                    o.push(b' ');
                }
                o.extend_from_slice(if r.mode == Some(PaintMode::Stroke) { b"re S" } else { b"re f" });
            }
            Op::DrawLine { line } => {
                for (k, p) in line.points.iter().enumerate() {
                    num(&mut o, p.p.x.0, 2);
                    o.push(b' ');
                    num(&mut o, p.p.y.0, 2);
                    o.extend_from_slice(if k == 0 { b" m " } else { b" l " });
                }
                o.extend_from_slice(if line.is_closed { b"h S" } else { b"S" });
            }
            Op::UseXobject { id, transform: t } => {
                // Four decimals for the scale: the QR module is ~1.5 pt and
                // the symbol ~70 modules wide.
                o.extend_from_slice(b"q ");
                num(&mut o, t.scale_x.unwrap_or(1.0), 4);
                o.extend_from_slice(b" 0 0 ");
                num(&mut o, t.scale_y.unwrap_or(1.0), 4);
                o.push(b' ');
                num(&mut o, t.translate_x.map_or(0.0, |p| p.0), 2);
                o.push(b' ');
                num(&mut o, t.translate_y.map_or(0.0, |p| p.0), 2);
                o.extend_from_slice(b" cm /");
                o.extend_from_slice(id.0.as_bytes());
                o.extend_from_slice(b" Do Q");
            }
            Op::BeginMarkedContent { tag } => {
                o.push(b'/');
                o.extend_from_slice(tag.as_bytes());
                o.extend_from_slice(b" BMC");
            }
            Op::BeginMarkedContentWithProperties { tag, properties: DictItem::Dict { map } } => {
                let Some(DictItem::Int(mcid)) = map.get("MCID") else {
                    return Err(RenderError::Pdf("marked content without an MCID".into()));
                };
                o.push(b'/');
                o.extend_from_slice(tag.as_bytes());
                o.extend_from_slice(b"<</MCID ");
                int(&mut o, *mcid);
                o.extend_from_slice(b">>BDC");
            }
            Op::EndMarkedContent => o.extend_from_slice(b"EMC"),
            Op::StartTextSection => o.extend_from_slice(b"BT"),
            Op::EndTextSection => o.extend_from_slice(b"ET"),
            Op::SetFont { font: PdfFontHandle::External(id), size } => {
                o.push(b'/');
                o.extend_from_slice(id.0.as_bytes());
                o.push(b' ');
                num(&mut o, size.0, 2);
                o.extend_from_slice(b" Tf");
            }
            Op::SetTextMatrix { matrix: TextMatrix::Translate(x, y) } => {
                o.extend_from_slice(b"1 0 0 1 ");
                num(&mut o, x.0, 2);
                o.push(b' ');
                num(&mut o, y.0, 2);
                o.extend_from_slice(b" Tm");
            }
            Op::ShowText { items } => {
                o.push(b'[');
                let mut open = false;
                for item in items {
                    let TextItem::GlyphIds(glyphs) = item else {
                        return Err(RenderError::Pdf("text must be shaped glyph runs".into()));
                    };
                    for g in glyphs {
                        if !open {
                            o.push(b'<');
                            open = true;
                        }
                        hex4(&mut o, g.gid);
                        if g.offset != 0.0 {
                            o.push(b'>');
                            open = false;
                            int(&mut o, g.offset as i64);
                        }
                    }
                }
                if open {
                    o.push(b'>');
                }
                o.extend_from_slice(b"]TJ");
            }
            other => return Err(RenderError::Pdf(format!("operator not supported by the writer: {other:?}"))),
        }
        o.push(b'\n');
    }
    Ok(o)
}

fn hex4(o: &mut Vec<u8>, v: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        o.push(HEX[usize::from((v >> shift) & 0xf)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut o = Vec::new();
        f(&mut o);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_their_places() {
        assert_eq!(s(|o| num(o, 841.89, 2)), "841.89");
        assert_eq!(s(|o| num(o, 12.5, 2)), "12.5");
        assert_eq!(s(|o| num(o, 3.0, 2)), "3");
        assert_eq!(s(|o| num(o, -0.05, 2)), "-0.05");
        assert_eq!(s(|o| num(o, 1.478_945_6, 4)), "1.4789");
        assert_eq!(s(|o| num(o, 0.122, 3)), "0.122");
        assert_eq!(s(|o| int(o, -120)), "-120");
        assert_eq!(s(|o| int(o, 0)), "0");
    }

    #[test]
    fn literal_strings_escape_delimiters() {
        assert_eq!(s(|o| literal(o, b"a(b)c\\d\re")), "(a\\(b\\)c\\\\d\\re)");
    }

    #[test]
    fn references_fill_slots_in_order() {
        assert_eq!(s(|o| fill_refs(o, b"<</A \0 0 R/B \0 0 R>>", &[7, 12])), "<</A 7 0 R/B 12 0 R>>");
    }
}
