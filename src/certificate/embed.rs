//! Font subsetting for embedding.
//!
//! printpdf 0.12 only subsets fonts with its `text_layout` feature, which pulls
//! in the azul layout engine; without it, it embeds whole font files (4 MB for
//! the CJK face). So the subsetting happens here, with the `subsetter` crate,
//! and printpdf receives a font that *is* the subset: it embeds it as-is as a
//! `/FontFile2`, writes `/W` from the subset's advance widths and builds the
//! ToUnicode CMap from the text we attach to each glyph.
//!
//! Two extra size measures, both safe for PDF embedding:
//! * TrueType hinting (`fpgm`, `prep`, `cvt `, per-glyph instructions) is
//!   removed: PDF viewers rasterise at arbitrary scales and the Noto fonts are
//!   designed to render unhinted. This roughly halves a Latin subset.
//! * Subsets are memoised by (face, glyph set): the text face of a batch of
//!   certificates for one event uses the same glyphs every time.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use super::RenderError;
use super::fonts::Face;
use super::shape::Memo;

/// A subset font program plus what the PDF writer needs to address it.
#[derive(Debug)]
pub struct SubsetFont {
    /// Six upper-case letters, derived from the glyph set (ISO 32000-1 §9.6.4).
    pub tag: String,
    /// The TrueType program to embed.
    pub program: Vec<u8>,
    /// Original glyph id -> glyph id in `program`.
    pub new_gid: HashMap<u16, u16>,
    /// Advance widths in font units, by new glyph id.
    pub widths: BTreeMap<u16, u16>,
}

/// Builds the subset of `face` containing `gids` (sorted, deduplicated).
pub fn subset(face: &Face, gids: &[u16]) -> Result<SubsetFont, RenderError> {
    let mut mapper = subsetter::GlyphRemapper::new();
    mapper.remap(0); // .notdef must stay glyph 0
    for g in gids {
        mapper.remap(*g);
    }
    let raw = subsetter::subset(face.bytes(), 0, &mapper).map_err(|e| RenderError::Font {
        file: face.file_name.clone(),
        message: format!("subsetting failed: {e:?}"),
    })?;
    let program = strip_hinting(&raw).ok_or_else(|| RenderError::Font {
        file: face.file_name.clone(),
        message: "malformed subset (could not strip hinting)".into(),
    })?;
    let rb = face.rb();
    let mut new_gid = HashMap::with_capacity(gids.len());
    let mut widths = BTreeMap::new();
    for &g in std::iter::once(&0u16).chain(gids) {
        let n = mapper.get(g).unwrap_or(0);
        new_gid.insert(g, n);
        let adv = rb.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(g)).unwrap_or(0);
        widths.insert(n, adv);
    }
    Ok(SubsetFont { tag: subset_tag(&face.file_name, gids), program, new_gid, widths })
}

/// Deterministic tag: same face and glyph set give the same tag, different sets
/// (almost always) differ, as the PDF spec recommends.
fn subset_tag(file: &str, gids: &[u16]) -> String {
    // FNV-1a, stable across Rust versions (unlike `DefaultHasher`).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in file.bytes().chain(gids.iter().flat_map(|g| g.to_be_bytes())) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..6).map(|i| (b'A' + ((h >> (i * 8)) % 26) as u8) as char).collect()
}

/// Memoised subsets, keyed by face index and glyph set.
#[derive(Debug)]
pub struct SubsetCache {
    memo: Memo<(usize, Vec<u16>), Arc<SubsetFont>>,
}

impl Default for SubsetCache {
    fn default() -> Self {
        SubsetCache { memo: Memo::new(512) }
    }
}

impl SubsetCache {
    pub fn get_or_build(&self, face_idx: usize, face: &Face, gids: Vec<u16>) -> Result<Arc<SubsetFont>, RenderError> {
        let key = (face_idx, gids);
        if let Some(hit) = self.memo.get(&key) {
            return Ok(hit);
        }
        let built = Arc::new(subset(face, &key.1)?);
        self.memo.insert(key, built.clone());
        Ok(built)
    }
}

// ---------------------------------------------------------------------------
// sfnt rewriting: drop hinting tables and glyph instructions.

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

/// Returns a copy of the TrueType font without hinting. `None` if the font is
/// not a well-formed `glyf` font (the caller reports an error).
fn strip_hinting(font: &[u8]) -> Option<Vec<u8>> {
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
    let mut new_loca = Vec::with_capacity(offsets.len() * 4);
    for w in offsets.windows(2) {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let g = glyf.get(w[0]..w[1])?;
        if !g.is_empty() {
            strip_glyph(g, &mut new_glyf)?;
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    tables[glyf_i].1 = new_glyf;
    tables[loca_i].1 = new_loca;
    let head = &mut tables[head_i].1;
    head.get_mut(50..52)?.copy_from_slice(&1u16.to_be_bytes()); // long loca
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
    fn checksum_pads() {
        assert_eq!(checksum(&[0, 0, 0, 1]), 1);
        assert_eq!(checksum(&[0, 0, 0, 1, 1]), 1 + 0x0100_0000);
    }
}
