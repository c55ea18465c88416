//! Logo and signature images: decoded and compressed once at load time.
//!
//! A PNG is decoded to 8-bit samples, split into colour and alpha, and each
//! plane is deflated at the best compression level *once*. Every certificate
//! then embeds the same pre-compressed bytes as an image XObject (with an
//! `/SMask` when the PNG has transparency). Re-encoding the logo per document
//! was a large part of the per-certificate cost in the prototype.
//!
//! Not supported on purpose: JPEG (no codec dependency; convert logos to PNG),
//! 16-bit precision (reduced to 8 bits) and interlacing-specific handling
//! beyond what the `png` crate does.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use printpdf::{DictItem, ExternalStream, ExternalXObject};

use super::RenderError;

/// An image ready to be placed in any number of documents.
#[derive(Debug, Clone)]
pub struct ImageAsset {
    pub width: u32,
    pub height: u32,
    /// Image XObject with pre-compressed data (and soft mask).
    pub xobject: ExternalXObject,
}

impl ImageAsset {
    pub fn load_png(path: &Path) -> Result<Self, RenderError> {
        let err = |m: String| RenderError::Image { path: path.to_path_buf(), message: m };
        let file = std::fs::File::open(path).map_err(|e| RenderError::Io { path: path.to_path_buf(), source: e })?;
        let mut dec = png::Decoder::new(std::io::BufReader::new(file));
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

        let mut dict = image_dict(w, h, colour_channels, if colour_channels == 3 { "DeviceRGB" } else { "DeviceGray" });
        if has_alpha {
            let smask = ExternalStream {
                dict: image_dict(w, h, 1, "DeviceGray"),
                content: deflate_best(&png_predict(&alpha, w as usize, 1)),
                compress: false,
            };
            dict.insert("SMask".into(), DictItem::Stream { stream: smask });
        }
        let stream = ExternalStream {
            dict,
            content: deflate_best(&png_predict(&colour, w as usize, colour_channels)),
            compress: false,
        };
        Ok(ImageAsset {
            width: w,
            height: h,
            xobject: ExternalXObject { stream, width: None, height: None, dpi: None },
        })
    }

    /// Width / height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height.max(1) as f32
    }
}

fn image_dict(w: u32, h: u32, colors: usize, colour_space: &str) -> BTreeMap<String, DictItem> {
    let mut d = BTreeMap::new();
    d.insert("Type".into(), DictItem::Name(b"XObject".to_vec()));
    d.insert("Subtype".into(), DictItem::Name(b"Image".to_vec()));
    d.insert("Width".into(), DictItem::Int(i64::from(w)));
    d.insert("Height".into(), DictItem::Int(i64::from(h)));
    d.insert("ColorSpace".into(), DictItem::Name(colour_space.as_bytes().to_vec()));
    d.insert("BitsPerComponent".into(), DictItem::Int(8));
    d.insert("Filter".into(), DictItem::Name(b"FlateDecode".to_vec()));
    let mut parms = BTreeMap::new();
    parms.insert("Predictor".into(), DictItem::Int(15));
    parms.insert("Colors".into(), DictItem::Int(colors as i64));
    parms.insert("BitsPerComponent".into(), DictItem::Int(8));
    parms.insert("Columns".into(), DictItem::Int(i64::from(w)));
    d.insert("DecodeParms".into(), DictItem::Dict { map: parms });
    d
}

/// PNG row filtering (what `/Predictor 15` decodes): per row, the filter with
/// the smallest sum of absolute residuals, the usual libpng heuristic. Logos
/// are flat-colour artwork, where this typically halves the deflated size.
fn png_predict(data: &[u8], width: usize, bpp: usize) -> Vec<u8> {
    let stride = width * bpp;
    let mut out = Vec::with_capacity(data.len() + data.len() / stride.max(1) + 1);
    let zero = vec![0u8; stride];
    let mut cand: [Vec<u8>; 5] = Default::default();
    for (r, row) in data.chunks_exact(stride).enumerate() {
        let prev = if r == 0 { &zero[..] } else { &data[(r - 1) * stride..r * stride] };
        for (f, c) in cand.iter_mut().enumerate() {
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
        let cost = |c: &Vec<u8>| c.iter().map(|&v| u32::from((v as i8).unsigned_abs())).sum::<u32>();
        let best = (0..5).min_by_key(|&f| cost(&cand[f])).unwrap_or(0);
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
    deflate(data, 9)
}

/// Zlib-compresses `data`. The compressor state (window and hash tables,
/// ~300 KB) is kept per thread and level and reset between uses: allocating
/// and zeroing it costs as much as compressing a 5 KB stream.
pub(crate) fn deflate(data: &[u8], level: u32) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress, Status};
    thread_local! {
        static COMPRESSORS: std::cell::RefCell<Vec<(u32, Compress)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|cell| {
        let mut all = cell.borrow_mut();
        let idx = match all.iter().position(|(l, _)| *l == level) {
            Some(i) => i,
            None => {
                all.push((level, Compress::new(Compression::new(level), true)));
                all.len() - 1
            }
        };
        let comp = &mut all[idx].1;
        comp.reset();
        let mut out = Vec::with_capacity(data.len() / 2 + 128);
        loop {
            let consumed = comp.total_in() as usize;
            if out.capacity() - out.len() < 256 {
                out.reserve(out.capacity().max(1024));
            }
            match comp.compress_vec(&data[consumed..], &mut out, FlushCompress::Finish) {
                Ok(Status::StreamEnd) => break,
                Ok(_) => {}
                // Compressing from memory into a growable buffer cannot fail;
                // fall back to a fresh one-shot compressor if it ever does.
                Err(_) => {
                    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), Compression::new(level));
                    e.write_all(data).expect("in-memory write");
                    return e.finish().expect("in-memory write");
                }
            }
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deflate_round_trips_and_reuses_state() {
        use std::io::Read;
        for round in 0..3 {
            let data: Vec<u8> = (0..20_000u32).map(|i| (i * 7 % 251) as u8 ^ round).collect();
            let c = deflate(&data, 6);
            let mut d = Vec::new();
            flate2::read::ZlibDecoder::new(&c[..]).read_to_end(&mut d).unwrap();
            assert_eq!(d, data);
        }
    }

    #[test]
    fn predictor_rows_have_filter_bytes() {
        let img = vec![10u8; 4 * 3];
        let p = png_predict(&img, 4, 1);
        assert_eq!(p.len(), 3 * 5);
    }
}
