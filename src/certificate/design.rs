//! Certificate designs staff manage (logos, a "co-organised with" line, signatories, wording,
//! colours), laid over a shipped language template, and the checks every uploaded image passes.
//!
//! A design is a [`DesignSpec`] (what staff edit, stored as JSON) plus images addressed by the
//! SHA-256 of attest's own re-encoding of them. The renderer prepares a design version once
//! ([`super::Renderer::prepare_design`]) and renders any certificate whose `template` is
//! [`template_name`] of it: the language's shipped template gives the date formats, the footer
//! wording and the layout numbers; the design replaces the logos, the signatories, the colours
//! and, per language where given, the heading and the lines before and after the name.
//!
//! Uploaded images ([`check_image`]): the type is sniffed from the bytes (never the name or the
//! declared type), only PNG and JPEG are taken, the byte size and the pixel count are limited
//! *before* decoding, the image is decoded in full (a truncated file is refused, not padded)
//! and re-encoded as an 8-bit PNG: what is stored and served is never what was uploaded.
//! JPEG is decoded by zune-jpeg (pure Rust, maintained, no C codec); PNG by the `png` crate the
//! renderer already uses.
//!
//! Deliberately not done: SVG or any vector logo (a rasteriser and a sanitiser for a logo are
//! not worth their risk), resampling (a 4-megapixel logo is printed as is, at high resolution),
//! colour management (ICC profiles are dropped; CMYK JPEGs are refused).

use std::collections::BTreeMap;

use crate::language::Language;
use serde::{Deserialize, Serialize};

/// Logos a design may carry (all in the header).
pub const MAX_LOGOS: usize = 4;
/// Signatories a design may carry (in the footer).
pub const MAX_SIGNATORIES: usize = 3;
/// Largest image file accepted.
pub const MAX_IMAGE_BYTES: usize = 1024 * 1024;
/// Largest image accepted, in pixels: a 2000 × 2000 logo prints at over 600 dpi already.
pub const MAX_IMAGE_PIXELS: u64 = 4_000_000;
/// Longest side accepted, in pixels.
pub const MAX_IMAGE_SIDE: u32 = 4000;
/// Longest text (a name, a title, a line) a design may hold, in characters.
pub const MAX_TEXT_CHARS: usize = 200;

/// What staff edit. Stored as JSON in `design_versions.spec`; every saved state is a version.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DesignSpec {
    /// Logos, left to right: SHA-256 of images uploaded to this server (at most four).
    #[serde(default)]
    pub logos: Vec<String>,
    /// Per language (`en`, `fr`, `es`): an optional line under the heading, such as
    /// "Co-organised with Parliamentarians for Global Action" or "Funded by the European Union".
    #[serde(default)]
    pub line: BTreeMap<String, String>,
    /// One to three signatories, left to right.
    #[serde(default)]
    pub signatories: Vec<SignatorySpec>,
    /// Per language: the wording replacing the shipped template's (empty fields keep it).
    #[serde(default)]
    pub wording: BTreeMap<String, Wording>,
    /// Colours as `#rrggbb`; empty keeps the template's.
    #[serde(default)]
    pub colors: ColorSpec,
}

/// One signatory.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatorySpec {
    /// Printed under the signature, as written.
    pub name: String,
    /// The function, per language (`en`, `fr`, `es`); a language without one uses English.
    #[serde(default)]
    pub title: BTreeMap<String, String>,
    /// SHA-256 of an uploaded signature image, if any.
    #[serde(default)]
    pub signature: Option<String>,
}

/// The main wording of one language. Placeholders as in the templates (`{title}`, `{date}` …).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Wording {
    /// The heading, e.g. "Certificate of attendance".
    #[serde(default)]
    pub heading: String,
    /// The line before the name, e.g. "This is to certify that".
    #[serde(default)]
    pub before_name: String,
    /// The line after the name, e.g. "attended the online seminar".
    #[serde(default)]
    pub after_name: String,
}

/// Colours as `#rrggbb`; an empty string keeps the template's colour.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ColorSpec {
    #[serde(default)]
    pub accent: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub muted: String,
}

/// The template name that selects a prepared design version when rendering.
pub fn template_name(design_id: i64, version: i64) -> String {
    format!("design:{design_id}@{version}")
}

/// The design version a template name selects, if it names one.
pub fn parse_template_name(name: &str) -> Option<(i64, i64)> {
    let (id, v) = name.strip_prefix("design:")?.split_once('@')?;
    Some((id.parse().ok()?, v.parse().ok()?))
}

impl DesignSpec {
    /// Checks the limits and the wording's placeholders; `known` says whether an image id is
    /// stored. The message names the field.
    pub fn validate(&self, known: &dyn Fn(&str) -> bool) -> Result<(), String> {
        if self.logos.len() > MAX_LOGOS {
            return Err(format!("logos: at most {MAX_LOGOS}, found {}", self.logos.len()));
        }
        for (i, l) in self.logos.iter().enumerate() {
            if !known(l) {
                return Err(format!("logos[{i}]: no uploaded image {l:?}"));
            }
        }
        // None is allowed: an organisation that signs nothing by hand prints no invented name.
        if self.signatories.len() > MAX_SIGNATORIES {
            return Err(format!("signatories: at most {MAX_SIGNATORIES}, found {}", self.signatories.len()));
        }
        let text = |field: &str, s: &str| -> Result<(), String> {
            if s.chars().count() > MAX_TEXT_CHARS {
                return Err(format!("{field}: at most {MAX_TEXT_CHARS} characters"));
            }
            if s.chars().any(char::is_control) {
                return Err(format!("{field}: no line breaks or control characters"));
            }
            Ok(())
        };
        let lang = |field: &str, l: &str| -> Result<(), String> {
            // Wording may be given for the languages of the shipped templates.
            match l.parse::<Language>() {
                Ok(_) => Ok(()),
                Err(_) => Err(format!(
                    "{field}: unknown language {l:?}; use one of {}",
                    Language::ALL.map(Language::code).join(", ")
                )),
            }
        };
        for (l, s) in &self.line {
            lang("line", l)?;
            text(&format!("line.{l}"), s)?;
        }
        for (i, s) in self.signatories.iter().enumerate() {
            if s.name.trim().is_empty() {
                return Err(format!("signatories[{i}].name: required"));
            }
            text(&format!("signatories[{i}].name"), &s.name)?;
            for (l, t) in &s.title {
                lang(&format!("signatories[{i}].title"), l)?;
                text(&format!("signatories[{i}].title.{l}"), t)?;
            }
            if let Some(sig) = &s.signature
                && !known(sig)
            {
                return Err(format!("signatories[{i}].signature: no uploaded image {sig:?}"));
            }
        }
        for (l, w) in &self.wording {
            lang("wording", l)?;
            for (k, s) in [("heading", &w.heading), ("before_name", &w.before_name), ("after_name", &w.after_name)] {
                let field = format!("wording.{l}.{k}");
                text(&field, s)?;
                super::template::check_event_placeholders(s).map_err(|m| format!("{field}: {m}"))?;
            }
        }
        for (k, c) in [("accent", &self.colors.accent), ("text", &self.colors.text), ("muted", &self.colors.muted)] {
            if !c.is_empty() {
                super::template::parse_color(c).map_err(|m| format!("colors.{k}: {m}"))?;
            }
        }
        Ok(())
    }

    /// Every image the design uses.
    pub fn assets(&self) -> Vec<String> {
        let mut v: Vec<String> =
            self.logos.iter().cloned().chain(self.signatories.iter().filter_map(|s| s.signature.clone())).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// An uploaded image after the checks: attest's PNG of it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedImage {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Why an uploaded image was refused. The messages are for staff and name no file system path.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImageError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {0} bytes; images of at most {MAX_IMAGE_BYTES} bytes (1 MiB) are accepted")]
    TooLarge(usize),
    #[error("the file is {0}, not a PNG or JPEG image: save the logo as PNG or JPEG")]
    NotAnImage(&'static str),
    #[error(
        "the image is {0} × {1} pixels; at most {MAX_IMAGE_PIXELS} pixels and {MAX_IMAGE_SIDE} pixels a side are accepted: scale it down"
    )]
    TooManyPixels(u32, u32),
    /// The second field is the decoder's own words, for the log: they name the library's
    /// internals ("marker", "Huffman table"), which staff cannot act on.
    #[error(
        "the {0} image cannot be read: the file is damaged or cut short. Open it in an image editor and save it again as PNG or JPEG"
    )]
    Damaged(&'static str, String),
}

/// What the first bytes of a refused file look like, for the message.
fn sniff_other(bytes: &[u8]) -> &'static str {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    let head = head.trim_start_matches('\u{feff}').trim_start();
    if head.contains("<svg") {
        "an SVG drawing"
    } else if head.starts_with("<!doctype html") || head.contains("<html") || head.contains("<script") {
        "an HTML page"
    } else if head.starts_with('<') {
        "an XML document"
    } else if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.starts_with(b"GIF8") {
        "a GIF image"
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        "a WebP image"
    } else {
        "of an unknown type"
    }
}

/// Checks an uploaded logo or signature and re-encodes it (see the module documentation).
pub fn check_image(bytes: &[u8]) -> Result<CheckedImage, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty);
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(ImageError::TooLarge(bytes.len()));
    }
    let limit = |w: u32, h: u32| {
        if w == 0
            || h == 0
            || w > MAX_IMAGE_SIDE
            || h > MAX_IMAGE_SIDE
            || u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS
        {
            Err(ImageError::TooManyPixels(w, h))
        } else {
            Ok(())
        }
    };
    let (w, h, channels, pixels) = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        let bad = |e: png::DecodingError| ImageError::Damaged("PNG", e.to_string());
        let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
        dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = dec.read_info().map_err(bad)?;
        let (w, h) = (reader.info().width, reader.info().height);
        limit(w, h)?;
        let size = reader.output_buffer_size().ok_or(ImageError::TooManyPixels(w, h))?;
        let mut buf = vec![0u8; size];
        let info = reader.next_frame(&mut buf).map_err(bad)?;
        buf.truncate(info.buffer_size());
        // A PNG stream must end with IEND: a file cut after the pixels is damaged too.
        reader.finish().map_err(bad)?;
        let channels = match info.color_type {
            png::ColorType::Grayscale => 1,
            png::ColorType::GrayscaleAlpha => 2,
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            png::ColorType::Indexed => return Err(ImageError::Damaged("PNG", "palette not expanded".into())),
        };
        (w, h, channels, buf)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        use zune_jpeg::zune_core::bytestream::ZCursor;
        use zune_jpeg::zune_core::colorspace::ColorSpace;
        use zune_jpeg::zune_core::options::DecoderOptions;
        let bad = |e: zune_jpeg::errors::DecodeErrors| ImageError::Damaged("JPEG", e.to_string());
        // Strict: a truncated file is an error, not an image padded with grey.
        let options = DecoderOptions::default()
            .set_strict_mode(true)
            .jpeg_set_out_colorspace(ColorSpace::RGB)
            .set_max_width(MAX_IMAGE_SIDE as usize)
            .set_max_height(MAX_IMAGE_SIDE as usize);
        let mut dec = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
        dec.decode_headers().map_err(|e| match e {
            zune_jpeg::errors::DecodeErrors::LargeDimensions(_) => ImageError::TooManyPixels(0, 0),
            other => bad(other),
        })?;
        let (w, h) = dec.dimensions().ok_or_else(|| ImageError::Damaged("JPEG", "no dimensions".into()))?;
        limit(w as u32, h as u32)?;
        let pixels = dec.decode().map_err(bad)?;
        if !jpeg_ends_with_eoi(bytes) {
            return Err(ImageError::Damaged("JPEG", "the file ends before its end-of-image marker".into()));
        }
        (w as u32, h as u32, 3, pixels)
    } else {
        return Err(ImageError::NotAnImage(sniff_other(bytes)));
    };
    if pixels.len() != w as usize * h as usize * channels {
        return Err(ImageError::Damaged("image", "unexpected pixel data size".into()));
    }
    let color = match channels {
        1 => png::ColorType::Grayscale,
        2 => png::ColorType::GrayscaleAlpha,
        3 => png::ColorType::Rgb,
        _ => png::ColorType::Rgba,
    };
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, w, h);
        enc.set_color(color);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_compression(png::Compression::High);
        let mut writer = enc.write_header().map_err(|e| ImageError::Damaged("image", e.to_string()))?;
        writer.write_image_data(&pixels).map_err(|e| ImageError::Damaged("image", e.to_string()))?;
        writer.finish().map_err(|e| ImageError::Damaged("image", e.to_string()))?;
    }
    Ok(CheckedImage { png, width: w, height: h })
}

/// Whether the last marker of a JPEG file is end-of-image (trailing zero padding allowed).
fn jpeg_ends_with_eoi(bytes: &[u8]) -> bool {
    let end = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
    end >= 2 && bytes[end - 2..end] == [0xFF, 0xD9]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(w: u32, h: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(png::ColorType::Rgb);
        let mut wr = enc.write_header().unwrap();
        wr.write_image_data(&vec![200u8; (w * h * 3) as usize]).unwrap();
        wr.finish().unwrap();
        out
    }

    #[test]
    fn a_png_is_re_encoded_not_passed_through() {
        let mut src = png_of(40, 20);
        // Bytes after IEND (where a polyglot file hides its second self) are not kept.
        src.extend_from_slice(b"<html><script>alert(1)</script></html>");
        let checked = check_image(&src).unwrap();
        assert_eq!((checked.width, checked.height), (40, 20));
        assert!(checked.png.starts_with(b"\x89PNG"));
        assert!(!checked.png.windows(6).any(|w| w == b"<html>"));
    }

    #[test]
    fn html_svg_and_huge_images_are_refused_with_their_reason() {
        assert_eq!(
            check_image(b"<!DOCTYPE html><html><script>alert(1)</script>"),
            Err(ImageError::NotAnImage("an HTML page"))
        );
        assert_eq!(
            check_image(br#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>"#),
            Err(ImageError::NotAnImage("an SVG drawing"))
        );
        let big = png_of(8000, 5000);
        assert!(matches!(check_image(&big), Err(ImageError::TooManyPixels(8000, 5000))), "{:?}", check_image(&big));
        let whole = png_of(50, 50);
        assert!(matches!(check_image(&whole[..whole.len() - 30]), Err(ImageError::Damaged("PNG", _))));
    }

    #[test]
    fn template_names_round_trip() {
        assert_eq!(parse_template_name(&template_name(3, 12)), Some((3, 12)));
        assert_eq!(parse_template_name("en"), None);
    }
}
