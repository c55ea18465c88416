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
    /// per shaping cluster carries the cluster's text; the others are empty. In a
    /// right-to-left cluster whose glyphs each draw one of its characters (a
    /// Hebrew letter and its points), each glyph carries its own character.
    pub text: (u32, u32),
    /// The range is in [`ShapedLine::reversed`], not in the logical text: a
    /// right-to-left cluster drawn by one glyph (the Arabic `لله` ligature).
    pub reversed: bool,
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
    /// The text of right-to-left clusters drawn with one glyph, each written
    /// backwards: text extractors read glyphs in drawing order and reverse a
    /// right-to-left run character by character, so a ligature mapped to its
    /// text as written came back backwards (`الله` as `اهلل`).
    pub reversed: String,
    /// Shaped with the display (bold) chain: a face of that chain with one weight only (the
    /// Chinese, Japanese and Korean faces) is drawn emboldened ([`FontSet::one_weight`]).
    pub display: bool,
}

impl ShapedLine {
    /// The text a glyph maps back to ("" for the glyphs of a cluster that carry
    /// none).
    pub fn glyph_text(&self, g: &Glyph) -> &str {
        let from = if g.reversed { &self.reversed } else { &self.text };
        from.get(g.text.0 as usize..g.text.1 as usize).unwrap_or("")
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
    let mut line = ShapedLine {
        text: text.to_string(),
        glyphs: Vec::with_capacity(text.len()),
        width: 0.0,
        reversed: String::new(),
        display: role == Role::Display,
    };
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
            shape_segment(fonts, face, text, range, false, &mut line);
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
                shape_segment(fonts, face, text, range, rtl, &mut line);
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

fn shape_segment(fonts: &FontSet, face_idx: usize, text: &str, range: Range<usize>, rtl: bool, line: &mut ShapedLine) {
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
    let first = line.glyphs.len();
    let mut seen: Vec<u32> = Vec::with_capacity(starts.len());
    for (info, pos) in infos.iter().zip(positions) {
        let text_range = if seen.contains(&info.cluster) {
            (0, 0)
        } else {
            seen.push(info.cluster);
            (base + info.cluster, base + end_of(info.cluster))
        };
        line.glyphs.push(Glyph {
            face: face_idx as u16,
            gid: info.glyph_id as u16,
            advance: pos.x_advance as f32 / upm,
            x_offset: pos.x_offset as f32 / upm,
            y_offset: pos.y_offset as f32 / upm,
            text: text_range,
            reversed: false,
        });
    }
    if rtl {
        right_to_left_texts(face, line, first);
    }
}

/// A character of a line and where it starts in its text.
type Char = (usize, char);

/// Gives glyph `k` of `line` the characters `chars` (logical order): one as it is, several
/// written backwards (see [`right_to_left_texts`]).
fn give(line: &mut ShapedLine, k: usize, chars: &[Char]) {
    match chars {
        [(o, c)] => line.glyphs[k].text = (*o as u32, (o + c.len_utf8()) as u32),
        _ => {
            let from = line.reversed.len() as u32;
            line.reversed.extend(chars.iter().rev().map(|&(_, c)| c));
            line.glyphs[k].text = (from, line.reversed.len() as u32);
            line.glyphs[k].reversed = true;
        }
    }
}

/// Gives the right-to-left glyphs from `first` on texts that read back in logical order once
/// a text extractor has reversed the run (poppler and pdf.js read a right-to-left run's glyphs
/// in drawing order and reverse them character by character). A cluster's text on its first
/// glyph alone is right for one character; for more, pointed Hebrew (`כֹּ`) and vowelled Arabic
/// left the marks' glyphs with no text (pdf.js read control characters) and the letter mapped
/// to one pointing wherever the font drew it, and a ligature came back backwards (`الله` as
/// `اهلل`). So a glyph that is the font's own glyph for one of the cluster's characters (a
/// point, a vowel mark, an unchanged letter) carries that character, and the glyph left (a
/// letter in its contextual form, a ligature) the characters left, written backwards.
fn right_to_left_texts(face: &super::fonts::Face, line: &mut ShapedLine, first: usize) {
    let mut i = first;
    while i < line.glyphs.len() {
        // The cluster's glyphs: the one carrying its text and the empty ones after it.
        let Some(at) = line.glyphs[i..].iter().position(|g| g.text.1 > g.text.0).map(|p| i + p) else { break };
        let lead = line.glyphs[at];
        let mut end = at + 1;
        while end < line.glyphs.len() && line.glyphs[end].text.1 == line.glyphs[end].text.0 {
            end += 1;
        }
        let (start, stop) = (lead.text.0 as usize, lead.text.1 as usize);
        let chars: Vec<Char> = line.text[start..stop].char_indices().map(|(o, c)| (start + o, c)).collect();
        if chars.len() > 1 {
            // Each glyph that is the font's own glyph for one of the characters (a point, a
            // vowel mark) carries it; the one glyph left (the letter in its contextual form,
            // or a ligature) carries the characters left, written backwards.
            let mut free = chars;
            let mut left: Vec<usize> = Vec::new();
            for k in at..end {
                match free.iter().position(|&(_, c)| face.glyph_index(c) == Some(line.glyphs[k].gid)) {
                    Some(p) => {
                        let (o, c) = free.remove(p);
                        line.glyphs[k].text = (o as u32, (o + c.len_utf8()) as u32);
                    }
                    None => left.push(k),
                }
            }
            for &k in &left {
                line.glyphs[k].text = (0, 0);
            }
            // Two glyphs left, one without an advance: a mark (Arabic's shadda and fatha drawn
            // as one) over a letter. The mark glyph carries the marks left, the other the rest.
            let mark = |c: char| bidi_class(c) == BidiClass::NSM;
            if let [a, b] = left[..] {
                let (marks, letters): (Vec<Char>, Vec<Char>) = free.iter().partition(|&&(_, c)| mark(c));
                let flat = |k: usize| line.glyphs[k].advance == 0.0;
                let (m, l) = match (flat(a), flat(b)) {
                    (true, false) => (a, b),
                    (false, true) => (b, a),
                    _ => (usize::MAX, usize::MAX),
                };
                if m != usize::MAX && !marks.is_empty() && !letters.is_empty() {
                    give(line, m, &marks);
                    give(line, l, &letters);
                    free.clear();
                }
            }
            match (left.first(), &free[..]) {
                (Some(&k), [_, ..]) => give(line, k, &free),
                // Every glyph matched a character, and characters are left (none drawn by a
                // glyph of their own): the lead glyph keeps the whole cluster's text.
                (None, [_, ..]) => {
                    for k in at..end {
                        line.glyphs[k].text = (0, 0);
                    }
                    let whole: Vec<Char> = line.text[start..stop].char_indices().map(|(o, c)| (start + o, c)).collect();
                    give(line, at, &whole);
                }
                _ => {}
            }
        }
        i = end;
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
