//! A PNG picture of a certificate page, for staff to look at a design before anything is issued.
//!
//! It draws the very [`Item`]s the PDF writer turns into operators (same layout, same shaped
//! glyphs, same images, same QR matrix) with tiny-skia, a small pure-Rust rasteriser: glyph
//! outlines come from the embedded fonts through skrifa, which the renderer already uses.
//! Rendering the PDF itself would have needed a PDF rasteriser (pdfium, poppler or MuPDF
//! installed on the server, or a much larger pure-Rust PDF engine) to show the same geometry.
//!
//! Deliberately not done: hinting, sub-pixel text or colour management. The preview is a
//! picture for the eye, not a proof of the PDF: tests of the PDF itself read the PDF.

use std::collections::HashMap;

use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use skrifa::{FontRef, GlyphId, MetadataProvider};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke, Transform};

use super::RenderError;
use super::fonts::FontSet;
use super::image::Images;
use super::layout::{Item, PAGE_H, PAGE_W};
use super::qr::{QUIET_ZONE, QrMatrix};
use super::template::Rgb;

/// Draws a glyph outline into a path, from font units at `scale` to page pixels (y down).
struct Pen<'a> {
    path: &'a mut PathBuilder,
    x: f32,
    y: f32,
}

impl OutlinePen for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.path.move_to(self.x + x, self.y - y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.path.line_to(self.x + x, self.y - y);
    }
    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        self.path.quad_to(self.x + cx0, self.y - cy0, self.x + x, self.y - y);
    }
    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.path.cubic_to(self.x + cx0, self.y - cy0, self.x + cx1, self.y - cy1, self.x + x, self.y - y);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

fn paint(c: Rgb) -> Paint<'static> {
    let mut p = Paint::default();
    p.set_color(Color::from_rgba(c.0, c.1, c.2, 1.0).unwrap_or(Color::BLACK));
    p.anti_alias = true;
    p
}

/// An image's pixels, premultiplied as tiny-skia wants them.
fn pixmap_of(png_bytes: &[u8]) -> Option<Pixmap> {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png_bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = dec.read_info().ok()?;
    let mut buf = vec![0u8; reader.output_buffer_size()?];
    let info = reader.next_frame(&mut buf).ok()?;
    let channels = info.color_type.samples();
    let mut pm = Pixmap::new(info.width, info.height)?;
    for (px, out) in buf[..info.buffer_size()].chunks_exact(channels).zip(pm.data_mut().chunks_exact_mut(4)) {
        let (r, g, b, a) = match channels {
            1 => (px[0], px[0], px[0], 255),
            2 => (px[0], px[0], px[0], px[1]),
            3 => (px[0], px[1], px[2], 255),
            _ => (px[0], px[1], px[2], px[3]),
        };
        let pre = |v: u8| ((u16::from(v) * u16::from(a) + 127) / 255) as u8;
        out.copy_from_slice(&[pre(r), pre(g), pre(b), a]);
    }
    Some(pm)
}

/// Rasterises a laid-out page at `dpi` to PNG bytes (RGB, white page).
pub(super) fn rasterize(
    items: &[Item],
    qr: &QrMatrix,
    fonts: &FontSet,
    images: Images<'_>,
    dpi: f32,
) -> Result<Vec<u8>, RenderError> {
    let s = dpi / 72.0;
    let (w, h) = ((PAGE_W * s).round() as u32, (PAGE_H * s).round() as u32);
    let mut pm = Pixmap::new(w, h).ok_or_else(|| RenderError::Pdf("preview size".into()))?;
    pm.fill(Color::WHITE);
    // Page points (origin bottom-left) to pixels (origin top-left).
    let px = |x: f32| x * s;
    let py = |y: f32| (PAGE_H - y) * s;
    let stroke_rect = |pm: &mut Pixmap, path: Option<tiny_skia::Path>, width: f32, c: Rgb| {
        if let Some(path) = path {
            let st = Stroke { width: width * s, ..Stroke::default() };
            pm.stroke_path(&path, &paint(c), &st, Transform::identity(), None);
        }
    };
    let mut outlines: HashMap<u16, FontRef<'_>> = HashMap::new();
    for it in items {
        match it {
            Item::Frame { x, y, w, h, width, color } => {
                if let Some(r) = Rect::from_xywh(px(*x), py(y + h), w * s, h * s) {
                    stroke_rect(&mut pm, Some(PathBuilder::from_rect(r)), *width, *color);
                }
            }
            Item::Rule { from, to, width, color } => {
                let mut pb = PathBuilder::new();
                pb.move_to(px(from.0), py(from.1));
                pb.line_to(px(to.0), py(to.1));
                stroke_rect(&mut pm, pb.finish(), *width, *color);
            }
            Item::Image { asset, x, y, w, h, .. } => {
                let img = images.get(*asset);
                if let Some(src) = pixmap_of(&img.png) {
                    let (sx, sy) = (w * s / src.width() as f32, h * s / src.height() as f32);
                    let t = Transform::from_row(sx, 0.0, 0.0, sy, px(*x), py(y + h));
                    let paint = PixmapPaint { quality: tiny_skia::FilterQuality::Bicubic, ..PixmapPaint::default() };
                    pm.draw_pixmap(0, 0, src.as_ref(), &paint, t, None);
                }
            }
            Item::Qr { x, y, module } => {
                let mut pb = PathBuilder::new();
                let n = qr.total_modules() as f32;
                for row in 0..qr.width {
                    for col in 0..qr.width {
                        if qr.is_dark(col, row) {
                            // Row 0 is the top row; the quiet zone surrounds the symbol.
                            let left = x + (col + QUIET_ZONE) as f32 * module;
                            let top = y + (n - (row + QUIET_ZONE) as f32) * module;
                            if let Some(r) = Rect::from_xywh(px(left), py(top), module * s, module * s) {
                                pb.push_rect(r);
                            }
                        }
                    }
                }
                if let Some(path) = pb.finish() {
                    let mut p = paint(Rgb(0.0, 0.0, 0.0));
                    p.anti_alias = false;
                    pm.fill_path(&path, &p, FillRule::Winding, Transform::identity(), None);
                }
            }
            Item::Text { line, x, y, size, color, .. } => {
                let mut pb = PathBuilder::new();
                let mut pen_x = *x;
                for g in &line.glyphs {
                    let font = match outlines.get(&g.face) {
                        Some(f) => f.clone(),
                        None => {
                            let f = FontRef::new(fonts.face(usize::from(g.face)).bytes())
                                .map_err(|_| RenderError::Pdf("preview: font".into()))?;
                            outlines.insert(g.face, f.clone());
                            f
                        }
                    };
                    if let Some(glyph) = font.outline_glyphs().get(GlyphId::new(u32::from(g.gid))) {
                        let mut pen =
                            Pen { path: &mut pb, x: px(pen_x + g.x_offset * size), y: py(y + g.y_offset * size) };
                        let settings = DrawSettings::unhinted(Size::new(size * s), LocationRef::default());
                        let _ = glyph.draw(settings, &mut pen);
                    }
                    pen_x += g.advance * size;
                }
                if let Some(path) = pb.finish() {
                    pm.fill_path(&path, &paint(*color), FillRule::Winding, Transform::identity(), None);
                }
            }
        }
    }
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for p in pm.data().chunks_exact(4) {
        rgb.extend_from_slice(&p[..3]);
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().map_err(|e| RenderError::Pdf(format!("preview: {e}")))?;
        wr.write_image_data(&rgb).map_err(|e| RenderError::Pdf(format!("preview: {e}")))?;
        wr.finish().map_err(|e| RenderError::Pdf(format!("preview: {e}")))?;
    }
    Ok(out)
}
