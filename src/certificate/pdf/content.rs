//! The page's content stream: the laid-out items as printpdf operators (graphics, then all text
//! as positioned glyph runs, each line and picture marked content of its part), and those
//! operators serialised.
//!
//! What it deliberately does not do: shape text or place items (the layout did), or serialise any
//! operator it does not emit itself (an error, not a guess).

use std::collections::BTreeMap;

use printpdf::{
    Codepoint, Color, DictItem, FontId, Line, LinePoint, Op, PaintMode, PdfFontHandle, Point, Pt, Rect, TextItem,
    TextMatrix, TextRenderingMode, XObjectId, XObjectTransform,
};

use super::DocFont;
use super::structure::role;
use super::writer::{int, num, text_string};
use crate::certificate::RenderError;
use crate::certificate::layout::{Item, Part};
use crate::certificate::shape::ShapedLine;
use crate::certificate::template::Rgb;

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

fn pt(x: f32, y: f32) -> Point {
    Point { x: Pt(x), y: Pt(y) }
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
pub(super) fn page_ops(items: &[Item], fonts: &[DocFont]) -> (Vec<Op>, Vec<Part>) {
    let mut ops = Vec::with_capacity(240);
    let mut marked: Vec<Part> = Vec::with_capacity(40);
    graphics_ops(items, &mut ops, &mut marked);
    text_ops(items, fonts, &mut ops, &mut marked);
    (ops, marked)
}

/// The frames, rules, images and the QR code, in the items' order; frames and rules as one
/// artifact per run of them, each image and the QR code marked content of its part (its id the
/// length of `marked` when it starts).
fn graphics_ops(items: &[Item], ops: &mut Vec<Op>, marked: &mut Vec<Part>) {
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
                set_stroke(ops, *c, *width);
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
                set_stroke(ops, *c, *width);
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
}

/// The `/ActualText` a line's glyphs need, if they do not give its text back when read in
/// drawing order through the ToUnicode map: a cluster drawn with several glyphs (Devanagari
/// `प्रि`, whose vowel sign is drawn first) or glyphs drawn out of logical order. poppler then
/// put a space inside `प्रिया` from the glyphs that carry no text; a `/Span` with
/// `/ActualText` around the glyphs gives readers the text as written.
///
/// A right-to-left line's glyphs map back to its text once reversed ([`shape`]'s
/// right-to-left texts); but poppler set pointed Hebrew's and vowelled Arabic's marks apart
/// from their letters (`שָׁלוֹם` read `שלו ֹם` and a stray `ָׁ`). It reverses an actual text as it
/// reverses the glyphs' texts, as if drawn in visual order, so such a line, all right to left,
/// gets its text written backwards. pdf.js reads the glyphs.
///
/// [`shape`]: crate::certificate::shape
fn actual_text(line: &ShapedLine) -> Option<String> {
    let strong = |c: char| unicode_bidi::bidi_class(c);
    use unicode_bidi::BidiClass::{AL, L, NSM, R};
    if line.text.chars().any(|c| matches!(strong(c), R | AL)) {
        let marks = line.text.chars().any(|c| strong(c) == NSM);
        let all_rtl = !line.text.chars().any(|c| strong(c) == L);
        return (marks && all_rtl).then(|| {
            let backwards: String = line.text.chars().rev().collect();
            // A name ending in a mark (`عَلِيّ`) would begin with it: poppler read that mark
            // apart, before the name; a right-to-left mark before it keeps it in the run.
            if backwards.starts_with(|c: char| strong(c) == NSM) { format!("\u{200F}{backwards}") } else { backwards }
        });
    }
    let mut last = 0;
    let scrambled = line.glyphs.iter().any(|g| {
        let out_of_order = g.text.1 > g.text.0 && g.text.0 < last;
        last = last.max(g.text.1);
        g.text.0 == g.text.1 || out_of_order
    });
    scrambled.then(|| line.text.clone())
}

/// How wide the outline that emboldens a face of one weight is, in em: Noto Serif Bold's stems
/// are about six hundredths of an em wider than Noto Sans Regular's, half of it on each side.
const EMBOLDEN: f32 = 0.03;

/// All text in one `BT`/`ET`: each line marked content of its part, drawn as positioned glyph
/// runs of the document's fonts.
fn text_ops(items: &[Item], fonts: &[DocFont], ops: &mut Vec<Op>, marked: &mut Vec<Part>) {
    ops.push(Op::StartTextSection);
    let mut cur_color: Option<Rgb> = None;
    let mut cur_font: Option<(usize, f32)> = None;
    // The outline of emboldened glyphs (colour and width), while they are drawn filled and
    // stroked; `None` while text is only filled.
    let mut cur_bold: Option<(Rgb, f32)> = None;
    for it in items {
        let Item::Text { line, x, y, size, color: c, varies, part } = it else {
            continue;
        };
        if line.glyphs.is_empty() {
            continue;
        }
        ops.push(begin_marked(*part, marked.len()));
        marked.push(*part);
        // A span within the part's content, as poppler reads `/ActualText` only from a `/Span`.
        let actual = actual_text(line);
        if let Some(text) = &actual {
            let text = DictItem::String { data: text.as_bytes().to_vec(), literal: true };
            ops.push(Op::BeginMarkedContentWithProperties {
                tag: "Span".into(),
                properties: DictItem::Dict { map: BTreeMap::from([("ActualText".to_owned(), text)]) },
            });
        }
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
            // A face of one weight in a bold line (a Chinese, Japanese or Korean name) is
            // emboldened by stroking its outlines too, as wide as the bold faces' stems are wider.
            let bold =
                (line.display && fonts[fi].one_weight).then_some((*c, (size * EMBOLDEN * 100.0).round() / 100.0));
            if bold != cur_bold {
                match bold {
                    Some((outline, width)) => {
                        ops.push(Op::SetOutlineColor { col: color(outline) });
                        ops.push(Op::SetOutlineThickness { pt: Pt(width) });
                        if cur_bold.is_none() {
                            ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::FillStroke });
                        }
                    }
                    None => ops.push(Op::SetTextRenderingMode { mode: TextRenderingMode::Fill }),
                }
                cur_bold = bold;
            }
            let (dx, dy) = if offset_glyph { (first.x_offset * size, first.y_offset * size) } else { (0.0, 0.0) };
            ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(run_start + dx), Pt(y + dy)) });
            ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(run)] });
            pen = run_start + exact / 1000.0 * size;
            i = j;
        }
        if actual.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        ops.push(Op::EndMarkedContent);
    }
    ops.push(Op::EndTextSection);
}

/// The `Tr` operator of the text rendering modes [`text_ops`] sets: filled, or filled and stroked.
fn rendering_mode(mode: &TextRenderingMode) -> Result<&'static [u8], RenderError> {
    match mode {
        TextRenderingMode::Fill => Ok(b"0 Tr"),
        TextRenderingMode::FillStroke => Ok(b"2 Tr"),
        other => Err(RenderError::Pdf(format!("unsupported text rendering mode {other:?}"))),
    }
}

/// Serialises the operators [`page_ops`] emits (any other is an error):
/// coordinates to 1/100 pt, colours to three decimals, glyph runs as hex
/// strings with kerning numbers only where needed.
pub(super) fn content_stream(ops: &[Op]) -> Result<Vec<u8>, RenderError> {
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
                o.push(b'/');
                o.extend_from_slice(tag.as_bytes());
                o.extend_from_slice(b"<<");
                match (map.get("MCID"), map.get("ActualText")) {
                    (Some(DictItem::Int(mcid)), None) => {
                        o.extend_from_slice(b"/MCID ");
                        int(&mut o, *mcid);
                    }
                    (None, Some(DictItem::String { data, .. })) => {
                        o.extend_from_slice(b"/ActualText");
                        text_string(&mut o, &String::from_utf8_lossy(data));
                    }
                    _ => return Err(RenderError::Pdf("marked content with neither an MCID nor an actual text".into())),
                }
                o.extend_from_slice(b">>BDC");
            }
            Op::EndMarkedContent => o.extend_from_slice(b"EMC"),
            Op::StartTextSection => o.extend_from_slice(b"BT"),
            Op::SetTextRenderingMode { mode } => o.extend_from_slice(rendering_mode(mode)?),
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
