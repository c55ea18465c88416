//! Logo and signature images: decoded, re-encoded and compressed once, at load.
//!
//! A PNG is decoded to 8-bit samples and split into colour and alpha planes.
//! Each plane is then stored as compactly as it can be *without losing
//! anything*, since every certificate carries the same bytes:
//! * samples that only use 2, 4 or 16 evenly spaced levels (a 4-bit greyscale
//!   logo, a two-tone mask) are packed at 1, 2 or 4 bits per component;
//! * under a soft mask, the colour of fully transparent pixels is invisible,
//!   so it is replaced by the colour of the pixel before it (a one-colour
//!   signature's colour plane then deflates to a few bytes);
//! * rows are PNG-filtered (`/Predictor 15`) and deflated at the best level,
//!   trying the usual row-filter strategies and keeping the smallest result.
//!
//! The renderer embeds the result as an image XObject (with an `/SMask` when
//! the PNG has transparency). Nothing is resampled: the shipped logos print
//! at ~170 dpi, the signature at ~140 dpi.
//!
//! Not supported on purpose: JPEG here (uploaded JPEGs are converted to PNG when they are
//! checked, in `design`),
//! 16-bit precision (reduced to 8 bits) and interlacing-specific handling
//! beyond what the `png` crate does.

use std::path::Path;

use super::RenderError;

/// One image plane ready to embed: dictionary entries (everything except
/// `/Length` and `/SMask`) and the compressed samples.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub dict: Vec<u8>,
    pub data: Vec<u8>,
}

/// An image ready to be placed in any number of documents.
#[derive(Debug, Clone)]
pub struct ImageAsset {
    pub width: u32,
    pub height: u32,
    /// The colour (or grey) samples.
    pub image: Encoded,
    /// The alpha channel as a soft mask, when the PNG has transparency.
    pub mask: Option<Encoded>,
    /// The PNG it was decoded from, for the preview raster (`preview`), which draws pixels.
    pub png: std::sync::Arc<[u8]>,
}

/// The images one document may use: the renderer's own, then those of a prepared design,
/// numbered on from them.
#[derive(Debug, Clone, Copy)]
pub struct Images<'a> {
    pub base: &'a [ImageAsset],
    pub extra: &'a [ImageAsset],
}

impl Images<'_> {
    /// Image `i` of the combined numbering.
    pub fn get(&self, i: usize) -> &ImageAsset {
        if i < self.base.len() { &self.base[i] } else { &self.extra[i - self.base.len()] }
    }
}

impl ImageAsset {
    /// Decodes a PNG file's bytes; `path` names it in errors.
    pub fn from_png(bytes: &[u8], path: &Path) -> Result<Self, RenderError> {
        let err = |m: String| RenderError::Image { path: path.to_path_buf(), message: m };
        let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
        dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = dec.read_info().map_err(|e| err(e.to_string()))?;
        let size = reader.output_buffer_size().ok_or_else(|| err("image too large".into()))?;
        let mut buf = vec![0u8; size];
        let info = reader.next_frame(&mut buf).map_err(|e| err(e.to_string()))?;
        buf.truncate(info.buffer_size());
        let (w, h) = (info.width, info.height);
        let channels = match info.color_type {
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            png::ColorType::Indexed => return Err(err("palette not expanded".into())),
        };
        let has_alpha = channels == 2 || channels == 4;
        let colour_channels = if channels >= 3 { 3 } else { 1 };
        let pixels = (w as usize) * (h as usize);
        let mut colour = Vec::with_capacity(pixels * colour_channels);
        let mut alpha = Vec::with_capacity(if has_alpha { pixels } else { 0 });
        for px in buf.chunks_exact(channels) {
            colour.extend_from_slice(&px[..colour_channels]);
            if has_alpha {
                alpha.push(px[channels - 1]);
            }
        }
        // An alpha channel that is fully opaque is dropped: no soft mask needed.
        let has_alpha = has_alpha && alpha.iter().any(|a| *a != 255);
        if has_alpha {
            hide_transparent_colour(&mut colour, &alpha, colour_channels);
        }
        let space = if colour_channels == 3 { "DeviceRGB" } else { "DeviceGray" };
        Ok(ImageAsset {
            width: w,
            height: h,
            image: encode_plane(&colour, w, h, colour_channels, space),
            mask: has_alpha.then(|| encode_plane(&alpha, w, h, 1, "DeviceGray")),
            png: bytes.into(),
        })
    }

    /// Width / height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height.max(1) as f32
    }
}

/// Gives every fully transparent pixel the colour of the pixel before it (in
/// raster order; the first visible colour before any), which no viewer can
/// show and which leaves runs the row filters turn into zeros.
fn hide_transparent_colour(colour: &mut [u8], alpha: &[u8], channels: usize) {
    let Some(first) = alpha.iter().position(|&a| a != 0) else { return };
    let mut fill = colour[first * channels..(first + 1) * channels].to_vec();
    for (px, &a) in colour.chunks_exact_mut(channels).zip(alpha) {
        if a == 0 {
            px.copy_from_slice(&fill);
        } else {
            fill.copy_from_slice(px);
        }
    }
}

/// The fewest bits per sample (1, 2, 4 or 8) that represent every 8-bit
/// sample exactly: with `d` bits, level `k` decodes to `k * 255 / (2^d - 1)`.
fn bits_needed(samples: &[u8]) -> u8 {
    for bits in [1u8, 2, 4] {
        let step = 255 / ((1u16 << bits) - 1) as u8;
        if samples.iter().all(|s| s % step == 0) {
            return bits;
        }
    }
    8
}

/// Packs 8-bit samples to `bits` per sample, each row starting on a byte.
fn pack(samples: &[u8], row_samples: usize, bits: u8) -> Vec<u8> {
    if bits == 8 {
        return samples.to_vec();
    }
    let step = 255 / ((1u16 << bits) - 1) as u8;
    let row_bytes = (row_samples * bits as usize).div_ceil(8);
    let mut out = Vec::with_capacity(samples.len() / row_samples.max(1) * row_bytes);
    for row in samples.chunks_exact(row_samples) {
        let start = out.len();
        out.resize(start + row_bytes, 0);
        for (i, s) in row.iter().enumerate() {
            let bit = i * bits as usize;
            out[start + bit / 8] |= (s / step) << (8 - bits as usize - bit % 8);
        }
    }
    out
}

fn encode_plane(samples: &[u8], w: u32, h: u32, channels: usize, colour_space: &str) -> Encoded {
    let bits = bits_needed(samples);
    let row_samples = w as usize * channels;
    let packed = pack(samples, row_samples, bits);
    let row_bytes = (row_samples * bits as usize).div_ceil(8);
    // PNG filters work on whole bytes: a "pixel" is at least one byte.
    let bpp = (channels * bits as usize).div_ceil(8);
    // The filter is chosen at a quick level, and only the winner compressed
    // at the best (which takes as long as all the trials together).
    let filtered = [Filter::Heuristic, Filter::All(0), Filter::All(1), Filter::All(2), Filter::All(3), Filter::All(4)]
        .into_iter()
        .map(|f| png_predict(&packed, row_bytes, bpp, f))
        .min_by_key(|rows| deflate(rows, 6).len())
        .unwrap_or_default();
    let data = deflate_best(&filtered);
    let dict = format!(
        "/Type/XObject/Subtype/Image/Width {w}/Height {h}/ColorSpace/{colour_space}/BitsPerComponent {bits}\
         /Filter/FlateDecode/DecodeParms<</Predictor 15/Colors {channels}/BitsPerComponent {bits}/Columns {w}>>"
    );
    Encoded { dict: dict.into_bytes(), data }
}

/// How rows are filtered before deflating.
#[derive(Clone, Copy)]
enum Filter {
    /// Per row, the filter with the smallest sum of absolute residuals (the
    /// libpng heuristic).
    Heuristic,
    /// The same PNG filter type for every row.
    All(u8),
}

/// PNG row filtering, what `/Predictor 15` decodes. Logos are flat-colour
/// artwork, where filtering typically halves the deflated size.
fn png_predict(data: &[u8], stride: usize, bpp: usize, filter: Filter) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + data.len() / stride.max(1) + 1);
    let zero = vec![0u8; stride];
    let mut cand: [Vec<u8>; 5] = Default::default();
    for (r, row) in data.chunks_exact(stride).enumerate() {
        let prev = if r == 0 { &zero[..] } else { &data[(r - 1) * stride..r * stride] };
        for (f, c) in cand.iter_mut().enumerate() {
            if matches!(filter, Filter::All(only) if only as usize != f) {
                continue;
            }
            c.clear();
            for i in 0..stride {
                let a = if i >= bpp { row[i - bpp] } else { 0 };
                let b = prev[i];
                let cc = if i >= bpp { prev[i - bpp] } else { 0 };
                let pred = match f {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                    _ => paeth(a, b, cc),
                };
                c.push(row[i].wrapping_sub(pred));
            }
        }
        let best = match filter {
            Filter::All(f) => f as usize,
            Filter::Heuristic => {
                let cost = |c: &Vec<u8>| c.iter().map(|&v| u32::from((v as i8).unsigned_abs())).sum::<u32>();
                (0..5).min_by_key(|&f| cost(&cand[f])).unwrap_or(0)
            }
        };
        out.push(best as u8);
        out.extend_from_slice(&cand[best]);
    }
    out
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Zlib at the best level: done once per asset, so the cost does not matter.
pub(crate) fn deflate_best(data: &[u8]) -> Vec<u8> {
    deflate(data, 12)
}

/// Zlib-compresses `data` with libdeflate at `level` (0-12).
///
/// libdeflate compresses a whole buffer in one call, which is all a PDF
/// stream needs, and measured on a certificate's streams it is both faster
/// and tighter than zlib's streaming design (zlib-rs): the 14 KB QR path at
/// level 3 in the time zlib-rs took at level 2, 20 % smaller; a font subset at
/// level 1 half as fast to write as zlib-rs at level 6, as small. The
/// compressor (~1 MB of tables at the high levels) is kept per thread and
/// level.
pub(crate) fn deflate(data: &[u8], level: u8) -> Vec<u8> {
    use libdeflater::{CompressionLvl, Compressor};
    thread_local! {
        static COMPRESSORS: std::cell::RefCell<Vec<(u8, Compressor)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|cell| {
        let mut all = cell.borrow_mut();
        let idx = match all.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                let lvl = CompressionLvl::new(i32::from(level.min(12))).unwrap_or_default();
                all.push((level, Compressor::new(lvl)));
                all.len() - 1
            }
        };
        let comp = &mut all[idx].1;
        let mut out = vec![0u8; comp.zlib_compress_bound(data.len())];
        // The bound is what the worst case needs, so this cannot run out of room.
        let n = comp.zlib_compress(data, &mut out).expect("output sized by zlib_compress_bound");
        out.truncate(n);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deflate_round_trips_and_reuses_state() {
        for round in 0..3 {
            let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8 ^ round).collect();
            let c = deflate(&data, 6);
            assert!(c.len() < data.len() / 2, "{} bytes", c.len());
            let mut d = vec![0u8; data.len()];
            let n = libdeflater::Decompressor::new().zlib_decompress(&c, &mut d).unwrap();
            assert_eq!(&d[..n], &data[..]);
        }
    }

    #[test]
    fn predictor_rows_have_filter_bytes() {
        let img = vec![10u8; 4 * 3];
        let p = png_predict(&img, 4, 1, Filter::Heuristic);
        assert_eq!(p.len(), 3 * 5);
    }

    #[test]
    fn four_bit_greys_pack_two_to_a_byte() {
        let grey = [0u8, 17, 34, 255, 0];
        assert_eq!(bits_needed(&grey), 4);
        assert_eq!(pack(&grey, 5, 4), vec![0x01, 0x2F, 0x00]);
        assert_eq!(bits_needed(&[0, 255, 255]), 1);
        assert_eq!(pack(&[0, 255, 255], 3, 1), vec![0b0110_0000]);
        assert_eq!(bits_needed(&[0, 16]), 8);
    }

    #[test]
    fn transparent_pixels_take_the_previous_colour() {
        let mut grey = vec![0, 41, 0, 0, 41, 7];
        let alpha = [0, 255, 0, 0, 128, 0];
        hide_transparent_colour(&mut grey, &alpha, 1);
        assert_eq!(grey, vec![41, 41, 41, 41, 41, 41]);
    }
}
