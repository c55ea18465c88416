//! Text shaping: bidi reordering, per-character font fallback and OpenType
//! shaping with harfrust (the HarfBuzz project's Rust port; it replaced
//! rustybuzz, unmaintained since 2026, RUSTSEC-2026-0206).
//!
//! The output of this module is a line of *positioned glyphs in visual order*
//! (left to right on the page), each glyph remembering which logical characters
//! it stands for. The PDF writer needs both: the glyph order to draw, and the
//! character mapping to build a ToUnicode CMap so that copy/paste and
//! `pdftotext` give back the name as typed (Arabic contextual forms and
//! ligatures map back to their base letters).
//!
//! Deliberately not done here: line breaking (see `layout`), vertical text, and
//! justification.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use harfrust::{Direction, ShapeOptions, UnicodeBuffer};
use unicode_bidi::{BidiClass, ParagraphBidiInfo, bidi_class};

use super::fonts::{FontSet, Role};

/// One positioned glyph. Distances are in em (font size 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Index into [`FontSet::faces`].
    pub face: u16,
    /// Glyph id in the *original* font (the PDF writer renumbers per subset).
    pub gid: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
    /// Byte range of the logical text this glyph stands for. Exactly one glyph
    /// per shaping cluster carries the cluster's text; the others are empty.
    pub text: (u32, u32),
}

/// A shaped single line.
#[derive(Debug, Clone, Default)]
pub struct ShapedLine {
    /// The logical text (what a reader should get back when extracting).
    pub text: String,
    /// Glyphs in visual order.
    pub glyphs: Vec<Glyph>,
    /// Total advance in em.
    pub width: f32,
}

impl ShapedLine {
    /// The logical text a glyph stands for ("" for the non-first glyphs of a
    /// cluster).
    pub fn glyph_text(&self, g: &Glyph) -> &str {
        self.text.get(g.text.0 as usize..g.text.1 as usize).unwrap_or("")
    }
}

/// Replaces control characters (newlines, tabs, NUL …) by spaces and trims, so
/// that user-supplied strings can never break the single-line layout.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        out.push(if c.is_control() { ' ' } else { c });
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() { out } else { trimmed.to_string() }
}

/// Shapes one line of text with the fallback chain of `role`.
pub fn shape_line(fonts: &FontSet, role: Role, text: &str) -> ShapedLine {
    let mut line = ShapedLine { text: text.to_string(), glyphs: Vec::with_capacity(text.len()), width: 0.0 };
    if text.is_empty() {
        return line;
    }
    let chain = fonts.chain(role);
    let has_rtl = text.chars().any(|c| {
        matches!(bidi_class(c), BidiClass::R | BidiClass::AL | BidiClass::AN | BidiClass::RLE | BidiClass::RLO)
            || c == '\u{2067}'
    });
    if !has_rtl {
        for (range, face) in itemize(fonts, chain, text, 0..text.len()) {
            shape_segment(fonts, face, text, range, false, &mut line.glyphs);
        }
    } else {
        let info = ParagraphBidiInfo::new(text, None);
        let (levels, runs) = info.visual_runs(0..text.len());
        for run in runs {
            let rtl = levels[run.start].is_rtl();
            let mut segs = itemize(fonts, chain, text, run);
            if rtl {
                // Within a right-to-left run the font segments are laid out from
                // right to left too; the shaper already reverses the glyphs
                // *inside* each segment.
                segs.reverse();
            }
            for (range, face) in segs {
                shape_segment(fonts, face, text, range, rtl, &mut line.glyphs);
            }
        }
    }
    line.width = line.glyphs.iter().map(|g| g.advance).sum();
    line
}

/// Splits `range` of `text` into runs of characters rendered by the same face:
/// the first face of the chain that has every letter of the word, else the first
/// that has the character. Marks, joiners and neutral characters (spaces,
/// punctuation, digits) stay with the current face when it can render them, so
/// that e.g. the space inside an Arabic name is shaped together with the Arabic
/// letters around it. A word is taken whole because two faces may share a few
/// characters: Droid Sans Fallback has `가` and no other Hangul syllable, and
/// `가영` came out in two typefaces.
fn itemize(fonts: &FontSet, chain: &[usize], text: &str, range: Range<usize>) -> Vec<(Range<usize>, usize)> {
    let mut out: Vec<(Range<usize>, usize)> = Vec::new();
    let mut current: Option<usize> = None;
    // The face of the word being read, and where that word ends.
    let mut word: Option<(usize, Option<usize>)> = None;
    for (i, c) in text[range.clone()].char_indices() {
        let pos = range.start + i;
        let cls = bidi_class(c);
        let inherit = matches!(cls, BidiClass::NSM | BidiClass::BN) || ('\u{FE00}'..='\u{FE0F}').contains(&c);
        let strong = matches!(cls, BidiClass::L | BidiClass::R | BidiClass::AL);
        if word.is_some_and(|(end, _)| pos >= end) {
            word = None;
        }
        let face = match current {
            Some(cur) if inherit => cur,
            Some(cur) if !strong && fonts.face(cur).has_glyph(c) => cur,
            _ => {
                let (_, whole) = *word.get_or_insert_with(|| word_face(fonts, chain, text, pos..range.end));
                whole.unwrap_or_else(|| chain.iter().copied().find(|&f| fonts.face(f).has_glyph(c)).unwrap_or(chain[0]))
            }
        };
        match out.last_mut() {
            Some((r, f)) if *f == face => r.end = pos + c.len_utf8(),
            _ => out.push((pos..pos + c.len_utf8(), face)),
        }
        current = Some(face);
    }
    out
}

/// Where the word starting in `range` ends (at white space), and the first face of `chain`
/// that has all its letters, if one does.
fn word_face(fonts: &FontSet, chain: &[usize], text: &str, range: Range<usize>) -> (usize, Option<usize>) {
    let rest = &text[range.clone()];
    let end = range.start + rest.find(char::is_whitespace).unwrap_or(rest.len());
    let letters = || {
        text[range.start..end].chars().filter(|&c| matches!(bidi_class(c), BidiClass::L | BidiClass::R | BidiClass::AL))
    };
    let face = chain.iter().copied().find(|&f| letters().all(|c| fonts.face(f).has_glyph(c)));
    (end, face)
}

fn shape_segment(fonts: &FontSet, face_idx: usize, text: &str, range: Range<usize>, rtl: bool, out: &mut Vec<Glyph>) {
    let face = fonts.face(face_idx);
    let upm = f32::from(face.metrics.units_per_em);
    let seg = &text[range.clone()];
    let mut buf = UnicodeBuffer::new();
    buf.push_str(seg);
    buf.set_direction(if rtl { Direction::RightToLeft } else { Direction::LeftToRight });
    buf.guess_segment_properties();
    // No scale: positions come back in font units, divided by the em below.
    let shaped = face.shaper().shape(buf, ShapeOptions::new());
    let infos = shaped.glyph_infos();
    let positions = shaped.glyph_positions();

    // Cluster ends: the next larger cluster start (clusters are byte offsets
    // into `seg`, monotonic in logical order).
    let mut starts: Vec<u32> = infos.iter().map(|i| i.cluster).collect();
    starts.sort_unstable();
    starts.dedup();
    let end_of = |start: u32| -> u32 {
        match starts.binary_search(&start) {
            Ok(i) if i + 1 < starts.len() => starts[i + 1],
            _ => seg.len() as u32,
        }
    };
    let base = range.start as u32;
    let mut seen: Vec<u32> = Vec::with_capacity(starts.len());
    for (info, pos) in infos.iter().zip(positions) {
        let text_range = if seen.contains(&info.cluster) {
            (0, 0)
        } else {
            seen.push(info.cluster);
            (base + info.cluster, base + end_of(info.cluster))
        };
        out.push(Glyph {
            face: face_idx as u16,
            gid: info.glyph_id as u16,
            advance: pos.x_advance as f32 / upm,
            x_offset: pos.x_offset as f32 / upm,
            y_offset: pos.y_offset as f32 / upm,
            text: text_range,
        });
    }
}

/// A small thread-safe memo table. Bounded: when full it is simply cleared,
/// which keeps the worst case (all-different inputs) at the uncached cost and
/// memory flat, with no eviction bookkeeping on the hot path.
#[derive(Debug)]
pub struct Memo<K, V> {
    map: Mutex<HashMap<K, V>>,
    max: usize,
}

impl<K: std::hash::Hash + Eq, V: Clone> Memo<K, V> {
    pub fn new(max: usize) -> Self {
        Memo { map: Mutex::new(HashMap::new()), max }
    }

    pub fn get(&self, k: &K) -> Option<V> {
        self.lock().get(k).cloned()
    }

    pub fn insert(&self, k: K, v: V) {
        let mut map = self.lock();
        if map.len() >= self.max {
            map.clear();
        }
        map.insert(k, v);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, V>> {
        // Inserts are atomic, so a lock poisoned by a panic elsewhere still
        // guards a consistent map.
        self.map.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Memoises shaped lines. Template wording, event titles and dates repeat for
/// every certificate of an event, so after the first certificate only the
/// attendee name is shaped.
#[derive(Debug)]
pub struct ShapeCache {
    memo: Memo<(Role, String), Arc<ShapedLine>>,
}

impl Default for ShapeCache {
    fn default() -> Self {
        ShapeCache { memo: Memo::new(4096) }
    }
}

impl ShapeCache {
    pub fn get_or_shape(&self, fonts: &FontSet, role: Role, text: &str) -> Arc<ShapedLine> {
        let key = (role, text.to_string());
        if let Some(hit) = self.memo.get(&key) {
            return hit;
        }
        let shaped = Arc::new(shape_line(fonts, role, text));
        self.memo.insert(key, shaped.clone());
        shaped
    }
}
