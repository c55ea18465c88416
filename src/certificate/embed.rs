//! Fonts for embedding: subsets, and their PDF objects pre-serialised.
//!
//! printpdf 0.12 only subsets fonts with its `text_layout` feature, which pulls
//! in the azul layout engine; without it, it embeds whole font files (4 MB for
//! the CJK face). So the subsetting happens here, with the `subsetter` crate,
//! and each subset becomes a Type0/Identity-H font with a CIDFontType2
//! descendant, `/W` widths and a ToUnicode CMap, whose dictionaries and
//! compressed streams are serialised *once*, here, and copied into every
//! document that uses them.
//!
//! Size measures, all safe for PDF embedding:
//! * TrueType hinting (`fpgm`, `prep`, `cvt `, per-glyph instructions) is
//!   removed: PDF viewers rasterise at arbitrary scales and the Noto fonts are
//!   designed to render unhinted. This roughly halves a Latin subset.
//! * `name` and the glyph names of `post` (version 2) are dropped: PDF takes
//!   the font name from `/BaseFont` and text from the ToUnicode map.
//! * `.notdef` is emptied unless the text uses it; `loca` is short when the
//!   glyphs fit.
//! * The ToUnicode CMap is written compactly, with ranges (printpdf's, one
//!   line per glyph under a long header, was ~150 bytes more per font).
//!
//! A face used only by texts every certificate of an event repeats gets the
//! same subset every time: those are memoised here, in [`FontCache`]. The
//! faces of the name and code are subset per certificate (see `pdf`).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::RenderError;
use super::fonts::Face;
use super::image::deflate;
use super::shape::Memo;

/// libdeflate level for shared subsets: compressed once per event, so the
/// best.
const SHARED_LEVEL: u8 = 12;

/// A font subset and its PDF objects, ready to copy into a document.
#[derive(Debug)]
pub struct EmbeddedFont {
    /// Original glyph id -> character code (the glyph id in the subset).
    pub code: HashMap<u16, u16>,
    /// Advance of each code as `/W` gives it to viewers, in 1/1000 em.
    pub widths: Vec<f32>,
    /// The Type0 font dictionary (with its CIDFont inline); its two `\0`
    /// slots take the object numbers of the font descriptor and ToUnicode CMap.
    pub font_dict: Vec<u8>,
    /// The font descriptor; its `\0` slot takes the font program's number.
    pub descriptor: Vec<u8>,
    /// The `/FontFile2` stream: dictionary entries and compressed program.
    pub program_dict: Vec<u8>,
    pub program: Vec<u8>,
    /// The compressed ToUnicode CMap.
    pub cmap: Vec<u8>,
}

/// Subsets `face` to the glyphs in `glyphs` (original glyph id -> the text it
/// stands for; `""` for glyphs that carry no text of their own) and builds
/// its PDF objects, compressed at libdeflate `level`.
pub fn embed(face: &Face, glyphs: &BTreeMap<u16, &str>, level: u8) -> Result<EmbeddedFont, RenderError> {
    let gids: Vec<u16> = glyphs.keys().copied().collect();
    let sub = subset(face, &gids)?;
    let name = format!("{}+{}", subset_tag(&face.file_name, &gids), face.ps_name);
    let m = &face.metrics;
    let upm = f32::from(m.units_per_em.max(1));
    let scale = |v: i16| (f32::from(v) * 1000.0 / upm).round() as i64;

    let mut widths = vec![0.0f32; sub.widths.keys().next_back().map_or(0, |&n| n as usize + 1)];
    for (&code, &w) in &sub.widths {
        // Whole units, as written into /W below; the content stream's kerning
        // is computed against exactly these numbers.
        widths[code as usize] = (f32::from(w) * 1000.0 / upm).trunc();
    }
    let w_array: Vec<String> = widths.iter().map(|w| format!("{w}")).collect();

    let font_dict = format!(
        "<</Type/Font/Subtype/Type0/BaseFont/{name}/Encoding/Identity-H/DescendantFonts[<</Type/Font\
         /Subtype/CIDFontType2/BaseFont/{name}/CIDSystemInfo<</Registry(Adobe)/Ordering(Identity)/Supplement 0>>\
         /FontDescriptor \0 0 R/CIDToGIDMap/Identity/W[0[{}]]>>]/ToUnicode \0 0 R>>",
        w_array.join(" ")
    );

    // The same descriptor values printpdf 0.12 derives (PDF 32000-1 §9.8).
    let italic_angle = if m.caret_rise == 0 {
        0
    } else {
        (-f32::from(m.caret_run).atan2(f32::from(m.caret_rise)).to_degrees()).round() as i64
    };
    let flags = 32 | if italic_angle != 0 { 64 } else { 0 };
    let stem_v = if m.weight == 0 { 80 } else { 50 + (f32::from(m.weight) / 65.0).powi(2).round() as i64 };
    let descriptor = format!(
        "<</Type/FontDescriptor/FontName/{name}/Flags {flags}/FontBBox[{} {} {} {}]/ItalicAngle {italic_angle}\
         /Ascent {}/Descent {}/CapHeight {}/StemV {stem_v}/FontFile2 \0 0 R>>",
        scale(m.bbox.0),
        scale(m.bbox.1),
        scale(m.bbox.2),
        scale(m.bbox.3),
        scale(m.ascender),
        scale(m.descender),
        scale(m.ascender),
    );

    let mut mappings = BTreeMap::new();
    for (gid, &text) in glyphs {
        if let (Some(&code), false) = (sub.new_gid.get(gid), text.is_empty()) {
            mappings.insert(code, text);
        }
    }
    let program = deflate(&sub.program, level);
    Ok(EmbeddedFont {
        code: sub.new_gid,
        widths,
        font_dict: font_dict.into_bytes(),
        descriptor: descriptor.into_bytes(),
        program_dict: format!("/Length1 {}/Filter/FlateDecode", sub.program.len()).into_bytes(),
        program,
        cmap: deflate(&to_unicode(&mappings), level),
    })
}

/// A ToUnicode CMap (PDF 32000-1 §9.10.3) for two-byte codes: runs of
/// consecutive codes standing for consecutive characters as `bfrange`
/// lines, every other code as a `bfchar` line.
fn to_unicode(map: &BTreeMap<u16, &str>) -> Vec<u8> {
    // (first code, last code, UTF-16 of the first code's text)
    let mut runs: Vec<(u16, u16, Vec<u16>)> = Vec::with_capacity(map.len());
    for (&code, text) in map {
        let units: Vec<u16> = text.encode_utf16().collect();
        if let Some((first, last, start)) = runs.last_mut()
            && let ([s], [u]) = (start.as_slice(), units.as_slice())
            // A range may only vary the last byte of code and character.
            && code == *last + 1
            && code >> 8 == *first >> 8
            && u32::from(*u) == u32::from(*s) + u32::from(code - *first)
            && *u >> 8 == *s >> 8
        {
            *last = code;
            continue;
        }
        runs.push((code, code, units));
    }
    let hex = |o: &mut String, units: &[u16]| {
        o.push('<');
        for u in units {
            o.push_str(&format!("{u:04X}"));
        }
        o.push('>');
    };
    let mut o = String::with_capacity(300 + 16 * runs.len());
    // Whitespace between all tokens and line ends where the Adobe examples
    // have them: some readers' CMap parsers (lopdf's among them) need it.
    o.push_str(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let (ranges, chars): (Vec<_>, Vec<_>) = runs.iter().partition(|r| r.0 != r.1);
    // At most 100 lines per block.
    for block in chars.chunks(100) {
        o.push_str(&format!("{} beginbfchar\n", block.len()));
        for (code, _, units) in block {
            hex(&mut o, &[*code]);
            o.push(' ');
            hex(&mut o, units);
            o.push('\n');
        }
        o.push_str("endbfchar\n");
    }
    for block in ranges.chunks(100) {
        o.push_str(&format!("{} beginbfrange\n", block.len()));
        for (first, last, units) in block {
            hex(&mut o, &[*first]);
            o.push(' ');
            hex(&mut o, &[*last]);
            o.push(' ');
            hex(&mut o, units);
            o.push('\n');
        }
        o.push_str("endbfrange\n");
    }
    o.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    o.into_bytes()
}

/// A subset font program plus what the PDF writer needs to address it.
#[derive(Debug)]
struct SubsetFont {
    /// The TrueType program to embed.
    program: Vec<u8>,
    /// Original glyph id -> glyph id in `program`.
    new_gid: HashMap<u16, u16>,
    /// Advance widths in font units, by new glyph id.
    widths: BTreeMap<u16, u16>,
}

/// Builds the subset of `face` containing `gids` (sorted, deduplicated).
fn subset(face: &Face, gids: &[u16]) -> Result<SubsetFont, RenderError> {
    let mut mapper = subsetter::GlyphRemapper::new();
    mapper.remap(0); // .notdef must stay glyph 0
    for g in gids {
        mapper.remap(*g);
    }
    let raw = subsetter::subset(face.bytes(), 0, &mapper).map_err(|e| RenderError::Font {
        file: face.file_name.clone(),
        message: format!("subsetting failed: {e:?}"),
    })?;
    let program = strip_unused(&raw, gids.contains(&0)).ok_or_else(|| RenderError::Font {
        file: face.file_name.clone(),
        message: "malformed subset (could not strip hinting)".into(),
    })?;
    let mut new_gid = HashMap::with_capacity(gids.len());
    let mut widths = BTreeMap::new();
    for &g in std::iter::once(&0u16).chain(gids) {
        let n = mapper.get(g).unwrap_or(0);
        new_gid.insert(g, n);
        let adv = face.advance(g).unwrap_or(0);
        widths.insert(n, adv);
    }
    Ok(SubsetFont { program, new_gid, widths })
}

/// Deterministic tag: same face and glyph set give the same tag, different
/// sets (almost always) differ, as the PDF spec recommends.
fn subset_tag(file: &str, gids: &[u16]) -> String {
    // FNV-1a, stable across Rust versions (unlike `DefaultHasher`).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in file.bytes().chain(gids.iter().flat_map(|g| g.to_be_bytes())) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..6).map(|i| (b'A' + ((h >> (i * 8)) % 26) as u8) as char).collect()
}

/// A shared subset with the glyphs (and texts) it was built for.
type Shared = Arc<(Vec<(u16, String)>, Arc<EmbeddedFont>)>;

/// Subsets of the faces only the texts every certificate of an event repeats
/// use, memoised: they get the same glyphs every time, so they are subset and
/// compressed once.
///
/// Looked up once per face and certificate, so the key is cheap: the face and
/// a 64-bit fingerprint of its glyphs and their texts, with the glyphs
/// themselves compared on a hit. (Keying by the glyph map itself cost fifty
/// string allocations and a SipHash over all of them per lookup.)
#[derive(Debug)]
pub struct FontCache {
    memo: Memo<(usize, u64), Shared>,
}

impl Default for FontCache {
    fn default() -> Self {
        FontCache { memo: Memo::new(512) }
    }
}

impl FontCache {
    pub fn get_or_embed(
        &self,
        face_idx: usize,
        face: &Face,
        glyphs: &BTreeMap<u16, &str>,
    ) -> Result<Arc<EmbeddedFont>, RenderError> {
        let key = (face_idx, fingerprint(glyphs));
        if let Some(hit) = self.memo.get(&key)
            && hit.0.len() == glyphs.len()
            && hit.0.iter().zip(glyphs).all(|((g, t), (h, u))| g == h && t == u)
        {
            return Ok(hit.1.clone());
        }
        let built = Arc::new(embed(face, glyphs, SHARED_LEVEL)?);
        let owned = glyphs.iter().map(|(&g, &t)| (g, t.to_owned())).collect();
        self.memo.insert(key, Arc::new((owned, built.clone())));
        Ok(built)
    }
}

/// FNV-1a over glyph ids and their texts.
fn fingerprint(glyphs: &BTreeMap<u16, &str>) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (g, t) in glyphs {
        for b in g.to_le_bytes().into_iter().chain(t.bytes()).chain([0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

// ---------------------------------------------------------------------------
// sfnt rewriting: drop hinting tables, glyph instructions and glyph names.

/// Tables a PDF viewer never reads from an embedded CIDFontType2 program:
/// hinting (`fpgm`, `prep`, `cvt `, device metrics) and `name` (PDF takes
/// the font name from `/BaseFont`; ISO 32000-1 §9.9 lists the required tables,
/// and `name` is not one). Dropping `name` saves ~0.7 KB per subset.
const DROP_TABLES: [&[u8; 4]; 7] = [b"fpgm", b"prep", b"cvt ", b"hdmx", b"LTSH", b"VDMX", b"name"];

fn be16(b: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(o..o + 2)?.try_into().ok()?))
}
fn be32(b: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(o..o + 4)?.try_into().ok()?))
}

/// Returns a copy of the TrueType font without hinting, `name` table and
/// glyph names, and with an empty `.notdef` unless `keep_notdef` (the text
/// draws it for characters no font has). `None` if the font is not a
/// well-formed `glyf` font (the caller reports an error).
pub(super) fn strip_unused(font: &[u8], keep_notdef: bool) -> Option<Vec<u8>> {
    let num_tables = be16(font, 4)? as usize;
    let mut tables: Vec<([u8; 4], Vec<u8>)> = Vec::with_capacity(num_tables);
    for i in 0..num_tables {
        let rec = 12 + 16 * i;
        let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
        let off = be32(font, rec + 8)? as usize;
        let len = be32(font, rec + 12)? as usize;
        let data = font.get(off..off.checked_add(len)?)?;
        if DROP_TABLES.contains(&&tag) {
            continue;
        }
        if &tag == b"post" && data.len() >= 32 {
            // Version 3: the same header, no glyph names (~100-300 bytes).
            let mut post = data[..32].to_vec();
            post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());
            tables.push((tag, post));
            continue;
        }
        tables.push((tag, data.to_vec()));
    }
    let find = |t: &[u8; 4], tables: &[([u8; 4], Vec<u8>)]| tables.iter().position(|(tag, _)| tag == t);
    let head_i = find(b"head", &tables)?;
    let loca_i = find(b"loca", &tables)?;
    let glyf_i = find(b"glyf", &tables)?;
    let long_loca = be16(&tables[head_i].1, 50)? == 1;

    // Old glyph offsets.
    let loca = &tables[loca_i].1;
    let n_offsets = if long_loca { loca.len() / 4 } else { loca.len() / 2 };
    let mut offsets = Vec::with_capacity(n_offsets);
    for i in 0..n_offsets {
        offsets.push(if long_loca { be32(loca, i * 4)? as usize } else { be16(loca, i * 2)? as usize * 2 });
    }
    let glyf = &tables[glyf_i].1;
    let mut new_glyf = Vec::with_capacity(glyf.len());
    let mut new_offsets = Vec::with_capacity(offsets.len());
    for (i, w) in offsets.windows(2).enumerate() {
        new_offsets.push(new_glyf.len());
        let g = glyf.get(w[0]..w[1])?;
        if !g.is_empty() && (i > 0 || keep_notdef) {
            strip_glyph(g, &mut new_glyf)?;
            // Even offsets, as the short `loca` format requires.
            if new_glyf.len() % 2 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_offsets.push(new_glyf.len());
    // Short offsets (halved, two bytes) when the glyphs fit in 128 KB.
    let short = new_glyf.len() / 2 <= usize::from(u16::MAX);
    let mut new_loca = Vec::with_capacity(new_offsets.len() * if short { 2 } else { 4 });
    for off in new_offsets {
        if short {
            new_loca.extend_from_slice(&((off / 2) as u16).to_be_bytes());
        } else {
            new_loca.extend_from_slice(&(off as u32).to_be_bytes());
        }
    }
    tables[glyf_i].1 = new_glyf;
    tables[loca_i].1 = new_loca;
    let head = &mut tables[head_i].1;
    head.get_mut(50..52)?.copy_from_slice(&u16::from(!short).to_be_bytes()); // indexToLocFormat
    head.get_mut(8..12)?.copy_from_slice(&[0; 4]); // checkSumAdjustment, set below
    if let Some(maxp_i) = find(b"maxp", &tables) {
        let maxp = &mut tables[maxp_i].1;
        if maxp.len() >= 32 {
            // maxSizeOfInstructions, then maxStackElements etc. are harmless;
            // only the instruction size must not lie about what is left.
            maxp[26..28].copy_from_slice(&0u16.to_be_bytes());
        }
    }
    Some(write_sfnt(&mut tables))
}

fn strip_glyph(g: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let contours = be16(g, 0)? as i16;
    if contours >= 0 {
        let n = contours as usize;
        let ins_len_at = 10 + 2 * n;
        let ins_len = be16(g, ins_len_at)? as usize;
        out.extend_from_slice(g.get(..ins_len_at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(g.get(ins_len_at + 2 + ins_len..)?);
    } else {
        const ARGS_ARE_WORDS: u16 = 0x0001;
        const HAVE_SCALE: u16 = 0x0008;
        const MORE: u16 = 0x0020;
        const XY_SCALE: u16 = 0x0040;
        const TWO_BY_TWO: u16 = 0x0080;
        const HAVE_INSTRUCTIONS: u16 = 0x0100;
        let start = out.len();
        out.extend_from_slice(g.get(..10)?);
        let mut p = 10;
        loop {
            let flags = be16(g, p)?;
            let mut len = 4 + if flags & ARGS_ARE_WORDS != 0 { 4 } else { 2 };
            if flags & HAVE_SCALE != 0 {
                len += 2;
            } else if flags & XY_SCALE != 0 {
                len += 4;
            } else if flags & TWO_BY_TWO != 0 {
                len += 8;
            }
            let at = out.len();
            out.extend_from_slice(g.get(p..p + len)?);
            let cleared = flags & !HAVE_INSTRUCTIONS;
            out[at..at + 2].copy_from_slice(&cleared.to_be_bytes());
            p += len;
            if flags & MORE == 0 {
                break;
            }
        }
        debug_assert!(out.len() > start);
    }
    Some(())
}

fn checksum(data: &[u8]) -> u32 {
    let mut sum = 0u32;
    for chunk in data.chunks(4) {
        let mut w = [0u8; 4];
        w[..chunk.len()].copy_from_slice(chunk);
        sum = sum.wrapping_add(u32::from_be_bytes(w));
    }
    sum
}

fn write_sfnt(tables: &mut [([u8; 4], Vec<u8>)]) -> Vec<u8> {
    tables.sort_by_key(|t| t.0);
    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let search_range = pow * 16;
    let mut out = Vec::with_capacity(12 + 16 * tables.len() + tables.iter().map(|t| t.1.len() + 3).sum::<usize>());
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&search_range.to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(n * 16 - search_range).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_offset = None;
    for (tag, data) in tables.iter() {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_offset = Some(offset);
        }
        offset += (data.len() + 3) & !3;
    }
    for (_, data) in tables.iter() {
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(h) = head_offset {
        let adj = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[h + 8..h + 12].copy_from_slice(&adj.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_is_six_uppercase_letters_and_deterministic() {
        let a = subset_tag("X.ttf", &[1, 2, 3]);
        assert_eq!(a.len(), 6);
        assert!(a.bytes().all(|b| b.is_ascii_uppercase()));
        assert_eq!(a, subset_tag("X.ttf", &[1, 2, 3]));
        assert_ne!(a, subset_tag("X.ttf", &[1, 2, 4]));
    }

    #[test]
    fn to_unicode_uses_ranges_for_consecutive_letters_only() {
        let map: BTreeMap<u16, &str> = [(1, "a"), (2, "b"), (3, "c"), (4, "x"), (5, "fi"), (6, "\u{1F600}")].into();
        let cmap = String::from_utf8(to_unicode(&map)).unwrap();
        assert!(cmap.contains("1 beginbfrange\n<0001> <0003> <0061>\nendbfrange"), "{cmap}");
        assert!(
            cmap.contains("3 beginbfchar\n<0004> <0078>\n<0005> <00660069>\n<0006> <D83DDE00>\nendbfchar"),
            "{cmap}"
        );
    }

    #[test]
    fn checksum_pads() {
        assert_eq!(checksum(&[0, 0, 0, 1]), 1);
        assert_eq!(checksum(&[0, 0, 0, 1, 1]), 1 + 0x0100_0000);
    }
}
