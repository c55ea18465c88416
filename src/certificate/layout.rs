//! Page geometry: where every line, rule, image and the QR code go.
//!
//! Produces a flat list of [`Item`]s in PDF points (origin bottom-left) that the
//! PDF writer turns into operators. Keeping layout free of PDF concerns makes it
//! testable (e.g. "a 120-character name stays inside the page") without
//! parsing a PDF.
//!
//! Layout policy:
//! * everything in the middle block is centred; the middle block is centred
//!   vertically between the heading and the footer;
//! * the attendee name shrinks to fit the line, falls back to two lines below
//!   `name_min_size_pt`, and shrinks further if even that does not fit: it
//!   never overflows;
//! * other free texts (event title, series, signatory title, verification
//!   hint) wrap on spaces (or between characters for scripts without spaces)
//!   and shrink when they exceed their line budget.

use std::sync::Arc;

use super::fonts::{FontSet, Role};
use super::shape::{Memo, ShapeCache, ShapedLine, shape_line};
use super::template::{LayoutParams, Rgb};

/// A4 landscape, in points.
pub const PAGE_W: f32 = 841.89;
pub const PAGE_H: f32 = 595.28;
const MM: f32 = 72.0 / 25.4;

/// Content margin (frame sits inside the margin band).
const MARGIN: f32 = 46.0;
const FRAME_OUTER: f32 = 20.0;
const FRAME_INNER: f32 = 25.0;
const LOGO_BOX_H: f32 = 50.0;
const LOGO_BOX_W: f32 = 150.0;
/// The width of the middle block's text: the page inside its margins, less 60 pt.
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN - 60.0;

/// What a text line or an image is on the page, for the PDF's structure tree: its role (a
/// heading, a paragraph, a figure) and its place in the reading order, which is this type's
/// order (derived: variants in declaration order, then their fields). A paragraph of several
/// lines is several items of one part. Frames and rules have none: they are decoration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The issuing organisation's name, where a page without logos has them.
    Organisation,
    /// The n-th logo, left to right.
    Logo(u8),
    Heading,
    /// The line under the heading ("Co-organised with …").
    Line,
    Intro,
    Name,
    Body,
    Event,
    Series,
    When,
    /// The n-th session of a series certificate.
    Session(u16),
    Attendance,
    /// The n-th signatory's signature image, name and title, in that order.
    Signatory(u8, SignatoryPart),
    Issued,
    CodeLabel,
    Code,
    Verify,
    /// The QR code (an [`Item::Qr`]).
    Qr,
}

/// The parts of one signatory, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SignatoryPart {
    Signature,
    Name,
    Title,
}

/// Something to draw.
#[derive(Debug, Clone)]
pub enum Item {
    /// One shaped line; `(x, y)` is the left end of the baseline. `varies`
    /// marks the texts that are different on every certificate of an event
    /// (the name and the code): the PDF writer gives their glyphs a font
    /// subset of the certificate's own, and shares the subsets of the other
    /// texts between certificates.
    Text { line: Arc<ShapedLine>, x: f32, y: f32, size: f32, color: Rgb, varies: bool, part: Part },
    /// A straight stroked line.
    Rule { from: (f32, f32), to: (f32, f32), width: f32, color: Rgb },
    /// A stroked rectangle.
    Frame { x: f32, y: f32, w: f32, h: f32, width: f32, color: Rgb },
    /// An image asset, by index, scaled into the box.
    Image { asset: usize, x: f32, y: f32, w: f32, h: f32, part: Part },
    /// The QR code; `(x, y)` is the bottom-left corner of the quiet zone and
    /// `module` the module size in points.
    Qr { x: f32, y: f32, module: f32 },
}

impl Item {
    /// Bounding box `(x0, y0, x1, y1)`; for text, the advance box from
    /// descender to ascender (approximated as -0.3 em .. 1.0 em).
    pub fn bbox(&self, qr_modules: usize) -> (f32, f32, f32, f32) {
        match self {
            Item::Text { line, x, y, size, .. } => (*x, y - 0.3 * size, x + line.width * size, y + size),
            Item::Rule { from, to, .. } => (from.0.min(to.0), from.1.min(to.1), from.0.max(to.0), from.1.max(to.1)),
            Item::Frame { x, y, w, h, .. } | Item::Image { x, y, w, h, .. } => (*x, *y, x + w, y + h),
            Item::Qr { x, y, module } => {
                let s = module * qr_modules as f32;
                (*x, *y, x + s, y + s)
            }
        }
    }
}

/// The strings to lay out, already substituted from the template.
#[derive(Debug, Clone)]
pub struct Texts<'a> {
    /// The issuing organisation's name, printed at the top of a page that has no logos (the
    /// built-in design): a certificate says who issues it where the eye starts, not only in the
    /// footer's small print.
    pub organisation: &'a str,
    pub heading: &'a str,
    pub intro: &'a str,
    pub name: &'a str,
    pub body: &'a str,
    pub event: &'a str,
    pub series: Option<&'a str>,
    pub when: &'a str,
    pub attendance: &'a str,
    /// An optional line under the heading ("Co-organised with …", "Funded by …").
    pub line: Option<&'a str>,
    /// Signatories, left to right: (name, title). One keeps the shipped layout; two or three
    /// share the footer's left part.
    pub signatories: Vec<(&'a str, &'a str)>,
    pub code_label: &'a str,
    pub code: &'a str,
    pub verify: &'a str,
    pub issued: &'a str,
    /// A series certificate's sessions, one line each, printed between `when` (their heading)
    /// and `attendance`; empty for an event's certificate.
    pub sessions: &'a [String],
}

/// Images available to this page: indices into the renderer's asset list and
/// their aspect ratios (width / height).
#[derive(Debug, Clone, Default)]
pub struct PageImages {
    pub logos: Vec<(usize, f32)>,
    /// One entry per signatory (same order as [`Texts::signatories`]).
    pub signatures: Vec<Option<(usize, f32)>>,
}

pub struct Colors {
    pub accent: Rgb,
    pub text: Rgb,
    pub muted: Rgb,
}

/// Key of a wrapped paragraph: role, text, size and width (as bits) and the
/// line budget.
type ParaKey = (Role, String, u32, u32, usize);
/// Wrapped paragraphs, memoised: wrapping measures every word and balances
/// lines, which is worth doing once per distinct text, not per certificate.
pub type ParagraphCache = Memo<ParaKey, (Vec<Arc<ShapedLine>>, f32)>;

pub struct Layouter<'a> {
    pub fonts: &'a FontSet,
    pub cache: &'a ShapeCache,
    pub paragraphs: &'a ParagraphCache,
    pub params: &'a LayoutParams,
    pub colors: Colors,
}

/// A block of centred lines sharing one size, role and colour.
struct Block {
    lines: Vec<Arc<ShapedLine>>,
    size: f32,
    color: Rgb,
    /// Baseline-to-baseline distance.
    leading: f32,
    /// Extra space above the block.
    gap_before: f32,
    part: Part,
}

/// A laid-out list of sessions: each line with its x and its distance below the list's top.
struct SessionList {
    lines: Vec<(Arc<ShapedLine>, f32, f32)>,
    size: f32,
    leading: f32,
    height: f32,
}

impl Block {
    fn height(&self) -> f32 {
        self.leading * self.lines.len() as f32
    }
}

impl Layouter<'_> {
    fn shaped(&self, role: Role, text: &str) -> Arc<ShapedLine> {
        self.cache.get_or_shape(self.fonts, role, text)
    }

    /// Splits `text` into lines no wider than `max_em` (in em at size 1).
    /// Break opportunities are spaces, and between characters of a token that
    /// is itself too wide (CJK has no spaces). Widths are measured per token
    /// through the shape cache, so repeated texts cost only lookups.
    fn wrap(&self, role: Role, text: &str, max_em: f32) -> Vec<String> {
        let space = self.shaped(role, " ").width;
        let mut lines: Vec<String> = Vec::new();
        let mut cur = String::new();
        let mut cur_w = 0.0f32;
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            let w = self.shaped(role, word).width;
            if cur.is_empty() && w <= max_em {
                cur.push_str(word);
                cur_w = w;
            } else if !cur.is_empty() && cur_w + space + w <= max_em {
                cur.push(' ');
                cur.push_str(word);
                cur_w += space + w;
            } else if w <= max_em {
                lines.push(std::mem::take(&mut cur));
                cur.push_str(word);
                cur_w = w;
            } else {
                // Token wider than a line: break between characters.
                if !cur.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                cur_w = 0.0;
                let mut buf = [0u8; 4];
                for c in word.chars() {
                    let cw = self.shaped(role, c.encode_utf8(&mut buf)).width;
                    if !cur.is_empty() && cur_w + cw > max_em {
                        lines.push(std::mem::take(&mut cur));
                        cur_w = 0.0;
                    }
                    cur.push(c);
                    cur_w += cw;
                }
            }
        }
        if !cur.is_empty() {
            lines.push(cur);
        }
        lines
    }

    /// Wraps into at most `max_lines` lines, shrinking the size (down to 70 %)
    /// if needed, with lines balanced in length (no lone last word); a line
    /// still too wide (a single unbreakable token) shrinks the whole paragraph
    /// so that nothing ever exceeds `max_w`.
    fn paragraph(
        &self,
        role: Role,
        text: &str,
        size: f32,
        max_w: f32,
        max_lines: usize,
    ) -> (Vec<Arc<ShapedLine>>, f32) {
        let key = (role, text.to_string(), size.to_bits(), max_w.to_bits(), max_lines);
        if let Some(hit) = self.paragraphs.get(&key) {
            return hit;
        }
        let mut s = size;
        let result = loop {
            let mut lines = self.wrap(role, text, max_w / s);
            if lines.len() <= max_lines || s <= size * 0.7 {
                if lines.len() > 1 {
                    // Balance: the narrowest width that still gives the same
                    // number of lines.
                    let n = lines.len();
                    let (mut lo, mut hi) = (max_w / s * 0.4, max_w / s);
                    for _ in 0..10 {
                        let mid = (lo + hi) / 2.0;
                        if self.wrap(role, text, mid).len() <= n {
                            hi = mid;
                        } else {
                            lo = mid;
                        }
                    }
                    lines = self.wrap(role, text, hi);
                }
                let shaped: Vec<_> = lines.iter().map(|l| self.shaped(role, l)).collect();
                // Guarantee: never wider than max_w.
                let widest = shaped.iter().map(|l| l.width).fold(0.0, f32::max);
                let s = if widest * s > max_w { max_w / widest } else { s };
                break (shaped, s);
            }
            s *= 0.92;
        };
        self.paragraphs.insert(key, result.clone());
        result
    }

    /// The attendee name: one line shrunk to fit, or two lines when one line
    /// would go below the minimum size (22 pt in the shipped templates: at 16 pt,
    /// the event title's size, a 60-character name no longer told at a glance
    /// whose certificate it is). Never wider than `max_w`.
    fn name_block(&self, name: &str, max_w: f32) -> (Vec<Arc<ShapedLine>>, f32) {
        let p = self.params;
        // Names are unique per certificate: shape without polluting the cache.
        let one = Arc::new(shape_line(self.fonts, Role::Display, name));
        let fit1 = if one.width > 0.0 { max_w / one.width } else { p.name_size_pt };
        let size1 = fit1.min(p.name_size_pt);
        if size1 >= p.name_min_size_pt {
            return (vec![one], size1);
        }
        // Two lines, split where the widths balance best: at a space, or —
        // for a name without spaces (CJK, or pathological input) — between
        // characters.
        let mut candidates: Vec<usize> = name.match_indices(' ').map(|(i, _)| i).collect();
        if candidates.is_empty() {
            // Only around the middle: each candidate costs two shapings.
            let n = name.chars().count();
            candidates = name
                .char_indices()
                .enumerate()
                .filter(|(k, _)| (n / 2).abs_diff(*k) <= 8 && *k > 0)
                .map(|(_, (i, _))| i)
                .collect();
        }
        let mut best: Option<(f32, usize)> = None;
        for i in candidates {
            let a = shape_line(self.fonts, Role::Display, name[..i].trim_end()).width;
            let b = shape_line(self.fonts, Role::Display, name[i..].trim_start()).width;
            let w = a.max(b);
            if best.is_none_or(|(bw, _)| w < bw) {
                best = Some((w, i));
            }
        }
        let Some((_, split)) = best else {
            return (vec![one], size1);
        };
        let l1 = Arc::new(shape_line(self.fonts, Role::Display, name[..split].trim_end()));
        let l2 = Arc::new(shape_line(self.fonts, Role::Display, name[split..].trim_start()));
        let widest = l1.width.max(l2.width).max(f32::EPSILON);
        let size2 = (max_w / widest).min(p.name_min_size_pt);
        if size2 > size1 { (vec![l1, l2], size2) } else { (vec![one], size1) }
    }

    /// A series certificate's sessions: a left-aligned list centred on the page, in two columns
    /// beyond five sessions, at `size` or smaller (down to 6.5 pt) so that it fits `room`; a line
    /// still too wide for its column is cut with "…".
    fn session_list(&self, texts: &[String], size: f32, room: f32, content_w: f32, _color: Rgb) -> SessionList {
        let columns = if texts.len() > 5 { 2 } else { 1 };
        let rows = texts.len().div_ceil(columns);
        let gutter = 24.0;
        let col_w = (content_w - gutter * (columns - 1) as f32) / columns as f32;
        let mut s = size;
        while s > 6.5 && rows as f32 * s * 1.3 > room {
            s -= 0.25;
        }
        let fit = |text: &str| -> Arc<ShapedLine> {
            let line = self.shaped(Role::Text, text);
            if line.width * s <= col_w {
                return line;
            }
            let chars: Vec<char> = text.chars().collect();
            let mut keep = chars.len();
            loop {
                keep = keep.saturating_sub(1);
                let cut: String = chars[..keep].iter().collect::<String>().trim_end().to_owned() + "…";
                let line = self.shaped(Role::Text, &cut);
                if keep == 0 || line.width * s <= col_w {
                    return line;
                }
            }
        };
        let lines: Vec<Arc<ShapedLine>> = texts.iter().map(|t| fit(t)).collect();
        let widest = lines.iter().map(|l| l.width * s).fold(0.0, f32::max);
        let block_w = widest * columns as f32 + gutter * (columns - 1) as f32;
        let left = (PAGE_W - block_w) / 2.0;
        let leading = s * 1.3;
        let placed = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| (l, left + (i / rows) as f32 * (widest + gutter), (i % rows) as f32 * leading))
            .collect();
        SessionList { lines: placed, size: s, leading, height: rows as f32 * leading }
    }

    /// Lays out the whole page: the frame, the header, the QR code, the middle block, then the
    /// footer's signatories and its right-hand text. The items' order is the drawing order (and
    /// so the PDF's bytes): each step appends its own.
    pub fn layout(&self, t: &Texts<'_>, images: &PageImages, qr_width_modules: usize) -> Vec<Item> {
        let mut items = Vec::with_capacity(48);
        if self.params.frame {
            self.frame(&mut items);
        }
        let middle_top = self.header(t, images, &mut items);
        let qr = self.qr(qr_width_modules);
        items.push(Item::Qr { x: qr.x, y: qr.y, module: qr.module });
        let footer_top = qr.y + qr.total + 4.0;
        self.middle(t, middle_top, footer_top, &mut items);
        let (right, text_w) = self.signatories(t, images, &qr, &mut items);
        self.footer_right(t, &qr, right, text_w, &mut items);
        items
    }

    /// The double frame around the page.
    fn frame(&self, items: &mut Vec<Item>) {
        // Outer line heavier than the inner one; both inset equally on every side.
        for (inset, width) in [(FRAME_OUTER, 1.6), (FRAME_INNER, 0.5)] {
            items.push(Item::Frame {
                x: inset,
                y: inset,
                w: PAGE_W - 2.0 * inset,
                h: PAGE_H - 2.0 * inset,
                width,
                color: self.colors.accent,
            });
        }
    }

    /// Header: logos left and right, heading centred below, and the optional line under it.
    /// Returns the top of the middle block.
    fn header(&self, t: &Texts<'_>, images: &PageImages, items: &mut Vec<Item>) -> f32 {
        let p = self.params;
        let c = &self.colors;
        let logo_top = PAGE_H - MARGIN;
        let n_logos = images.logos.len();
        // Three or four logos share the header in equal slots, each centred in its own.
        let slot_gap = 24.0;
        let slot_w = (PAGE_W - 2.0 * MARGIN - slot_gap * (n_logos.max(1) - 1) as f32) / n_logos.max(1) as f32;
        for (i, &(asset, aspect)) in images.logos.iter().enumerate() {
            let (mut w, mut h) = (LOGO_BOX_H * aspect, LOGO_BOX_H);
            if w > LOGO_BOX_W {
                w = LOGO_BOX_W;
                h = w / aspect;
            }
            let x = if n_logos > 2 {
                MARGIN + i as f32 * (slot_w + slot_gap) + (slot_w - w) / 2.0
            } else if i == 0 {
                MARGIN
            } else {
                PAGE_W - MARGIN - w
            };
            items.push(Item::Image { asset, x, y: logo_top - h, w, h, part: Part::Logo(i as u8) });
        }
        if n_logos == 0 && !t.organisation.trim().is_empty() {
            // The logo band's place, the name centred in it at the title's size.
            let (l, s) = self.paragraph(Role::Display, t.organisation.trim(), p.title_size_pt, CONTENT_W, 1);
            let base = logo_top - LOGO_BOX_H / 2.0 - s * 0.35;
            for l in l {
                items.push(centred(l, base, s, c.accent, Part::Organisation));
            }
        }
        let content_w = CONTENT_W;
        let (heading, heading_size) = self.paragraph(Role::Display, t.heading, p.heading_size_pt, content_w, 1);
        // Logos in the middle sit above the heading: keep its ascenders clear of them.
        let clear = if n_logos > 2 { heading_size * 0.3 } else { 0.0 };
        let heading_base = logo_top - LOGO_BOX_H - 4.0 - heading_size * 0.75 - clear;
        for l in heading {
            items.push(centred(l, heading_base, heading_size, c.accent, Part::Heading));
        }
        let mut middle_top = heading_base - heading_size * 0.35 - 14.0;
        if let Some(line) = t.line.filter(|l| !l.is_empty()) {
            let (l, s) = self.paragraph(Role::Text, line, p.body_size_pt - 1.0, content_w, 1);
            let base = heading_base - heading_size * 0.35 - 4.0 - s * 0.9;
            for l in l {
                items.push(centred(l, base, s, c.muted, Part::Line));
            }
            middle_top = base - s * 0.3 - 12.0;
        }
        middle_top
    }

    /// Footer geometry (needed to know how much room the middle block has): where the QR code
    /// goes, bottom right.
    fn qr(&self, qr_width_modules: usize) -> QrPlace {
        let qr_symbol = self.params.qr_size_mm * MM;
        let module = qr_symbol / qr_width_modules as f32;
        let total = module * (qr_width_modules + 2 * super::qr::QUIET_ZONE) as f32;
        let x = PAGE_W - MARGIN - total + 4.0 * module;
        let y = MARGIN - 4.0 * module;
        QrPlace { x, y, module, total }
    }

    /// The middle block's paragraphs, top to bottom, the attendance sentence apart (the session
    /// list, when there is one, goes before it).
    fn middle_blocks(&self, t: &Texts<'_>) -> (Vec<Block>, Block) {
        let p = self.params;
        let c = &self.colors;
        let mut blocks: Vec<Block> = vec![self.body_block(t.intro, c.muted, 0.0, Part::Intro)];
        let (name, name_size) = self.name_block(t.name, CONTENT_W);
        // Two lines of a name apart by more than its glyphs' full height (1.36 em in the
        // display face): at 1.25 em a descender of the first could touch an accent of the second.
        let leading = name_size * if name.len() > 1 { 1.4 } else { 1.25 };
        blocks.push(Block { lines: name, size: name_size, color: c.text, leading, gap_before: 12.0, part: Part::Name });
        blocks.push(self.body_block(t.body, c.text, 26.0, Part::Body));
        let (ev, s) = self.paragraph(Role::Display, t.event, p.title_size_pt, CONTENT_W, 3);
        blocks.push(Block { lines: ev, size: s, color: c.text, leading: s * 1.3, gap_before: 4.0, part: Part::Event });
        if let Some(series) = t.series {
            blocks.push(self.body_block(series, c.muted, 2.0, Part::Series));
        }
        blocks.push(self.body_block(t.when, c.text, 16.0, Part::When));
        let attendance = self.body_block(t.attendance, c.text, 2.0, Part::Attendance);
        (blocks, attendance)
    }

    /// A paragraph of body text, at most two lines: the shape of every block of the middle but
    /// the name and the event's title, so that their size and leading stay the same.
    fn body_block(&self, text: &str, color: Rgb, gap_before: f32, part: Part) -> Block {
        let (lines, size) = self.paragraph(Role::Text, text, self.params.body_size_pt, CONTENT_W, 2);
        Block { lines, size, color, leading: size * 1.35, gap_before, part }
    }

    /// Middle block: the paragraphs and the session list between `middle_top` and `footer_top`,
    /// centred vertically (the gaps squeezed when it is too tall), and a short rule under the
    /// name.
    fn middle(&self, t: &Texts<'_>, middle_top: f32, footer_top: f32, items: &mut Vec<Item>) {
        let c = &self.colors;
        let body = self.params.body_size_pt;
        let (mut blocks, attendance) = self.middle_blocks(t);
        let avail = middle_top - footer_top;
        let mut list = None;
        if !t.sessions.is_empty() {
            let others: f32 = blocks.iter().chain([&attendance]).map(|b| b.height() + b.gap_before).sum();
            list = Some(self.session_list(t.sessions, body - 1.0, avail - others - 10.0, CONTENT_W, c.text));
        }
        blocks.push(attendance);
        let list_at = blocks.len() - 1;
        let total: f32 = blocks.iter().map(|b| b.height() + b.gap_before).sum::<f32>()
            + list.as_ref().map_or(0.0, |l: &SessionList| l.height + 6.0);
        // Centre the block vertically; if it is too tall, squeeze the gaps.
        let squeeze = if total > avail {
            let gaps: f32 = blocks.iter().map(|b| b.gap_before).sum();
            ((gaps - (total - avail)) / gaps.max(1.0)).max(0.0)
        } else {
            1.0
        };
        let total_sq: f32 = blocks.iter().map(|b| b.height() + b.gap_before * squeeze).sum::<f32>()
            + list.as_ref().map_or(0.0, |l| l.height + 6.0 * squeeze);
        let mut y = middle_top - ((avail - total_sq) / 2.0).max(0.0);
        let mut rule_after_name: Option<f32> = None;
        for (i, b) in blocks.into_iter().enumerate() {
            if let (Some(l), true) = (&list, i == list_at) {
                y -= 6.0 * squeeze;
                for (k, (line, x, dy)) in l.lines.iter().enumerate() {
                    items.push(Item::Text {
                        line: Arc::clone(line),
                        x: *x,
                        y: y - dy - l.leading * 0.78,
                        size: l.size,
                        color: c.text,
                        varies: true,
                        part: Part::Session(k as u16),
                    });
                }
                y -= l.height;
            }
            y -= b.gap_before * squeeze;
            for l in b.lines {
                // First baseline sits one "cap height" below the top of the line box.
                let base = y - b.leading * 0.78;
                items.push(centred(l, base, b.size, b.color, b.part));
                y -= b.leading;
            }
            if b.part == Part::Name {
                // Below the descenders of the name (leading is 1.25 em, the
                // baseline sits at 0.78 of it, descenders reach ~0.3 em).
                rule_after_name = Some(y - b.size * 0.275 - 2.0);
            }
        }
        if let Some(ry) = rule_after_name {
            items.push(Item::Rule {
                from: (PAGE_W / 2.0 - 70.0, ry),
                to: (PAGE_W / 2.0 + 70.0, ry),
                width: 0.8,
                color: c.accent,
            });
        }
    }

    /// Footer, left: per signatory a signature, a rule, the name and the title. One signatory
    /// has 230 pt; two or three share the room left of a narrower text column. Returns the right
    /// edge of the footer's text column and its width.
    fn signatories(&self, t: &Texts<'_>, images: &PageImages, qr: &QrPlace, items: &mut Vec<Item>) -> (f32, f32) {
        let p = self.params;
        let c = &self.colors;
        let body = p.body_size_pt;
        let n_sig = t.signatories.len().max(1);
        let sig_x = MARGIN + 8.0;
        let right = qr.x - 4.0 * qr.module - 6.0;
        let text_w = if n_sig == 1 { 300.0 } else { 200.0 };
        let sig_gap = 18.0;
        let sig_w = if n_sig == 1 {
            230.0
        } else {
            (right - text_w - 18.0 - sig_x - sig_gap * (n_sig - 1) as f32) / n_sig as f32
        };
        let rule_y = MARGIN + 44.0;
        // One size for every signatory's name, and one for every title: the smallest that any of
        // them needs to fit, so a long name does not look less important than its neighbours.
        let name_size = t
            .signatories
            .iter()
            .map(|&(name, _)| self.paragraph(Role::Display, name, body - 1.5, sig_w, 1).1)
            .fold(body - 1.5, f32::min);
        let title_size = t
            .signatories
            .iter()
            .map(|&(_, title)| self.paragraph(Role::Text, title, p.small_size_pt + 0.5, sig_w, 2).1)
            .fold(p.small_size_pt + 0.5, f32::min);
        for (i, &(name, title)) in t.signatories.iter().enumerate() {
            let x0 = sig_x + i as f32 * (sig_w + sig_gap);
            if let Some((asset, aspect)) = images.signatures.get(i).copied().flatten() {
                let h = 42.0f32;
                let w = (h * aspect).min(sig_w - 20.0);
                let h = w / aspect;
                items.push(Item::Image {
                    asset,
                    x: x0 + 10.0,
                    y: rule_y + 2.0,
                    w,
                    h,
                    part: Part::Signatory(i as u8, SignatoryPart::Signature),
                });
            }
            items.push(Item::Rule { from: (x0, rule_y), to: (x0 + sig_w, rule_y), width: 0.6, color: c.muted });
            let (n, s) = self.paragraph(Role::Display, name, name_size, sig_w, 1);
            let mut y = rule_y - 14.0;
            for l in n {
                items.push(left(l, x0, y, s, c.text, Part::Signatory(i as u8, SignatoryPart::Name)));
                y -= s * 1.3;
            }
            let (st, s) = self.paragraph(Role::Text, title, title_size, sig_w, 2);
            for l in st {
                items.push(left(l, x0, y, s, c.muted, Part::Signatory(i as u8, SignatoryPart::Title)));
                y -= s * 1.3;
            }
        }
        (right, text_w)
    }

    /// Footer, right: issued date, certificate code and verification hint, right-aligned at
    /// `right` next to the QR code, the last baseline level with the QR symbol's bottom edge.
    fn footer_right(&self, t: &Texts<'_>, qr: &QrPlace, right: f32, text_w: f32, items: &mut Vec<Item>) {
        let c = &self.colors;
        let small = self.params.small_size_pt;
        let mut lines: Vec<(Arc<ShapedLine>, f32, Rgb, Part)> = Vec::new();
        let (l, s) = self.paragraph(Role::Text, t.issued, small, text_w, 1);
        lines.extend(l.into_iter().map(|l| (l, s, c.muted, Part::Issued)));
        let (l, s) = self.paragraph(Role::Text, t.code_label, small, text_w, 1);
        lines.extend(l.into_iter().map(|l| (l, s, c.muted, Part::CodeLabel)));
        let (l, s) = self.paragraph(Role::Display, t.code, small + 1.5, text_w, 2);
        lines.extend(l.into_iter().map(|l| (l, s, c.text, Part::Code)));
        let (l, s) = self.paragraph(Role::Text, t.verify, small, text_w, 3);
        lines.extend(l.into_iter().map(|l| (l, s, c.muted, Part::Verify)));
        // Bottom-align the last baseline with the QR symbol's bottom edge: placed from the
        // bottom up, added from the top down, as they are read (added bottom up, the French
        // and Spanish two-line hint was read second line first).
        let mut y = qr.y + 4.0 * qr.module + 1.0;
        let mut ys: Vec<f32> = lines
            .iter()
            .rev()
            .map(|(_, s, _, _)| {
                let at = y;
                y += s * 1.35;
                at
            })
            .collect();
        ys.reverse();
        for ((l, s, col, part), y) in lines.into_iter().zip(ys) {
            let x = right - l.width * s;
            items.push(Item::Text { line: l, x, y, size: s, color: col, varies: part == Part::Code, part });
        }
    }
}

/// Where the QR code sits: its symbol's origin (`x`, `y`, inside the quiet zone), one module's
/// size, and the whole code's side with its quiet zone, in points.
struct QrPlace {
    x: f32,
    y: f32,
    module: f32,
    total: f32,
}

/// A line centred on the page; the name's lines are the ones that vary per certificate.
fn centred(line: Arc<ShapedLine>, y: f32, size: f32, color: Rgb, part: Part) -> Item {
    let x = (PAGE_W - line.width * size) / 2.0;
    Item::Text { line, x, y, size, color, varies: part == Part::Name, part }
}

fn left(line: Arc<ShapedLine>, x: f32, y: f32, size: f32, color: Rgb, part: Part) -> Item {
    Item::Text { line, x, y, size, color, varies: false, part }
}
