//! Font files, parsed once, and the per-role fallback chains.
//!
//! A certificate mixes a display face (heading, attendee name) with a text face
//! (everything else). Attendee names come in any script, so each role is a
//! *chain* of faces: the first face that has a glyph for a character wins
//! (see `shape::itemize`). The chains are fixed in code on purpose: they are a
//! typographic decision tied to the files shipped in `fonts/`, not something a
//! template author should have to get right.

use std::borrow::Cow;

use harfrust::{Shaper, ShaperData};
use self_cell::self_cell;
use skrifa::charmap::Charmap;
use skrifa::raw::tables::hmtx::Hmtx;
use skrifa::raw::tables::os2::{Os2, SelectionFlags};
use skrifa::raw::{ReadError, TableProvider};
use skrifa::string::StringId;
use skrifa::{FontRef, GlyphId, MetadataProvider};

use super::RenderError;
use super::shipped::CHAINS;

/// Which typographic role a piece of text plays. Each role has its own chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Body text: Noto Sans Regular and script fallbacks.
    Text,
    /// Heading, attendee name, event title and other emphasis: Noto Serif
    /// Bold and script fallbacks. One emphasis face rather than two keeps a
    /// certificate at three or four embedded subsets (each costs 2-4 KB).
    Display,
}

impl Role {
    pub const ALL: [Role; 2] = [Role::Text, Role::Display];

    fn index(self) -> usize {
        match self {
            Role::Text => 0,
            Role::Display => 1,
        }
    }
}

/// The font bytes and what the shaper reads from them once (table offsets and
/// lookup caches). `ShaperData` holds offsets, not references, so it can live
/// beside the bytes it describes.
struct Owned {
    bytes: Cow<'static, [u8]>,
    shaper_data: ShaperData,
}

/// Views into the bytes, parsed once per face. Building a harfrust `Shaper`
/// reads the cmap, metrics and layout table headers; doing it once here rather
/// than once per shaping call keeps a name's shaping at the cost it had with
/// rustybuzz, whose `Face` was likewise parsed once.
struct Parsed<'a> {
    charmap: Charmap<'a>,
    hmtx: Option<Hmtx<'a>>,
    shaper: Shaper<'a>,
}

self_cell!(
    /// Font bytes plus the parsed views borrowing them, so that a face is
    /// parsed exactly once per process instead of once per shaping call. The
    /// bytes are borrowed from the binary when the font could not be stripped.
    struct FaceCell {
        owner: Owned,
        #[covariant]
        dependent: Parsed,
    }
);

/// Metrics the PDF font descriptor needs, read once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceMetrics {
    pub units_per_em: u16,
    pub ascender: i16,
    pub descender: i16,
    pub bbox: (i16, i16, i16, i16),
    pub weight: u16,
    pub caret_rise: i16,
    pub caret_run: i16,
}

/// One font file.
pub struct Face {
    pub file_name: String,
    /// PostScript name, used (with a subset tag) as the PDF `/BaseFont`.
    pub ps_name: String,
    pub metrics: FaceMetrics,
    cell: FaceCell,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("file_name", &self.file_name)
            .field("ps_name", &self.ps_name)
            .finish_non_exhaustive()
    }
}

impl Face {
    /// Parses a font file's bytes (`file_name` names it in errors).
    fn load(file_name: &str, bytes: Cow<'static, [u8]>) -> Result<Self, RenderError> {
        let file_name = file_name.to_string();
        let unparseable =
            || RenderError::Font { file: file_name.clone(), message: "not a parseable TrueType/OpenType font".into() };
        let (ps_name, metrics) = {
            let font = FontRef::new(&bytes).map_err(|_| unparseable())?;
            if font.glyf().is_err() || font.loca(None).is_err() {
                // Embedding writes /FontFile2 (TrueType outlines). CFF-flavoured
                // fonts would need /FontFile3 and are not shipped.
                return Err(RenderError::Font {
                    file: file_name,
                    message: "only TrueType (glyf) outlines are supported".into(),
                });
            }
            (ps_name(&font, &file_name), metrics(&font).map_err(|_| unparseable())?)
        };
        // What a PDF never needs (hinting, glyph names, the name table) is
        // removed once here rather than from every subset: the subsetter then
        // reads a smaller font, and shaping does not use any of it.
        let bytes = super::embed::strip_unused(&bytes, true).map(Cow::Owned).unwrap_or(bytes);
        let shaper_data = ShaperData::new(&FontRef::new(&bytes).map_err(|_| unparseable())?);
        let cell = FaceCell::try_new(Owned { bytes, shaper_data }, |owned| {
            let font = FontRef::new(&owned.bytes).map_err(|_| unparseable())?;
            let hmtx = font.hmtx().ok();
            let charmap = font.charmap();
            let shaper = owned.shaper_data.shaper(&font).build();
            Ok::<_, RenderError>(Parsed { charmap, hmtx, shaper })
        })?;
        Ok(Face { file_name, ps_name, metrics, cell })
    }

    /// The shaper (harfrust) for this face, in font units.
    pub fn shaper(&self) -> &Shaper<'_> {
        &self.cell.borrow_dependent().shaper
    }

    /// The font file, without hinting, glyph names and `name` table.
    pub fn bytes(&self) -> &[u8] {
        &self.cell.borrow_owner().bytes
    }

    /// The glyph the font's cmap gives `c`, if any.
    pub fn glyph_index(&self, c: char) -> Option<u16> {
        let gid = self.cell.borrow_dependent().charmap.map(c)?.to_u32();
        // A cmap may map a character to .notdef: that is not having a glyph.
        u16::try_from(gid).ok().filter(|&g| g != 0)
    }

    pub fn has_glyph(&self, c: char) -> bool {
        self.glyph_index(c).is_some()
    }

    /// Advance width of a glyph in font units (`hmtx`; glyphs past the last
    /// long metric take its advance, as the format says).
    pub fn advance(&self, gid: u16) -> Option<u16> {
        self.cell.borrow_dependent().hmtx.as_ref()?.advance(GlyphId::new(u32::from(gid)))
    }
}

/// The PostScript name, made safe for a PDF name (no whitespace or
/// delimiters), or the file name.
fn ps_name(font: &FontRef<'_>, file_name: &str) -> String {
    let name = font
        .localized_strings(StringId::POSTSCRIPT_NAME)
        .next()
        .map(|s| s.to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| file_name.trim_end_matches(".ttf").to_string());
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// Reads the descriptor metrics from `head`, `hhea`, `OS/2` and `post`.
///
/// Ascender and descender follow FreeType's choice (sfobjs.c), as ttf-parser
/// did before: the OS/2 typographic values when `USE_TYPO_METRICS` is set
/// (OS/2 version 4 and later), else `hhea`, else OS/2 typographic, else
/// Windows values. skrifa's `Metrics` applies a slightly different rule, so
/// the tables are read directly to keep every PDF descriptor as it was.
fn metrics(font: &FontRef<'_>) -> Result<FaceMetrics, ReadError> {
    let head = font.head()?;
    let hhea = font.hhea()?;
    let os2 = font.os2().ok();
    let use_typo =
        os2.as_ref().is_some_and(|o| o.version() >= 4 && o.fs_selection().contains(SelectionFlags::USE_TYPO_METRICS));
    let pick = |hhea_value: i16, typo: fn(&Os2) -> i16, win: fn(&Os2) -> i16| -> i16 {
        match &os2 {
            Some(o) if use_typo => typo(o),
            Some(o) if hhea_value == 0 => match typo(o) {
                0 => win(o),
                v => v,
            },
            _ => hhea_value,
        }
    };
    let ascender = pick(hhea.ascender().to_i16(), |o| o.s_typo_ascender(), |o| o.us_win_ascent() as i16);
    // usWinDescent is positive below the baseline; the descender is negative.
    let descender = pick(hhea.descender().to_i16(), |o| o.s_typo_descender(), |o| -(o.us_win_descent() as i16));
    // hhea's caret slope is not used: derive the vector from post.italicAngle
    // (degrees, negative for right-leaning), as printpdf does.
    let angle = font.post().map_or(0.0, |p| p.italic_angle().to_f32()).to_radians();
    let (caret_rise, caret_run) = if angle == 0.0 { (1, 0) } else { (1000, (-angle.tan() * 1000.0).round() as i16) };
    Ok(FaceMetrics {
        units_per_em: head.units_per_em(),
        ascender,
        descender,
        bbox: (head.x_min(), head.y_min(), head.x_max(), head.y_max()),
        // Without OS/2, the normal weight (400), as ttf-parser answered.
        weight: os2.as_ref().map_or(400, |o| o.us_weight_class()),
        caret_rise,
        caret_run,
    })
}

/// All faces, deduplicated, and the chains as indices into `faces`.
#[derive(Debug)]
pub struct FontSet {
    pub faces: Vec<Face>,
    chains: [Vec<usize>; 2],
}

impl FontSet {
    /// Reads and parses every face of every chain from `files` (the built-in
    /// fonts or a folder).
    pub fn load(files: &super::Files) -> Result<Self, RenderError> {
        let mut faces: Vec<Face> = Vec::new();
        let mut chains: [Vec<usize>; 2] = Default::default();
        for role in Role::ALL {
            for file in CHAINS[role.index()] {
                let idx = match faces.iter().position(|f| f.file_name == *file) {
                    Some(i) => i,
                    None => {
                        faces.push(Face::load(file, files.read(file, super::shipped::FONTS)?)?);
                        faces.len() - 1
                    }
                };
                chains[role.index()].push(idx);
            }
        }
        Ok(FontSet { faces, chains })
    }

    /// Face indices for a role, in fallback order.
    pub fn chain(&self, role: Role) -> &[usize] {
        &self.chains[role.index()]
    }

    pub fn face(&self, idx: usize) -> &Face {
        &self.faces[idx]
    }

    /// Whether face `idx` serves both chains, in one weight (Droid Sans Fallback, Nanum Gothic):
    /// in a bold line it is drawn emboldened, or a Chinese, Japanese or Korean name printed
    /// lighter than every other script's, and a mixed name changed weight halfway (round 20).
    pub fn one_weight(&self, idx: usize) -> bool {
        self.chains.iter().all(|c| c.contains(&idx))
    }

    /// The characters of `text` that no face of `role`'s chain has a glyph for, each once, in
    /// order: printed, they would be empty boxes. White space and invisible formatting
    /// characters (joiners, direction marks, variation selectors) need none.
    pub fn unprintable(&self, role: Role, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            let invisible = c.is_whitespace()
                || c.is_control()
                || unicode_bidi::bidi_class(c) == unicode_bidi::BidiClass::BN
                || ('\u{FE00}'..='\u{FE0F}').contains(&c)
                || matches!(c, '\u{200E}' | '\u{200F}' | '\u{2066}'..='\u{2069}' | '\u{202A}'..='\u{202E}');
            if !invisible && !out.contains(&c) && !self.chain(role).iter().any(|&f| self.faces[f].has_glyph(c)) {
                out.push(c);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> FontSet {
        FontSet::load(&super::super::Files::Shipped).expect("the built-in fonts load")
    }

    /// The values ttf-parser read for the descriptors before the move to
    /// read-fonts (dumped from the last commit that used it): the PDF font
    /// descriptors, and so every certificate's layout, must not change.
    #[test]
    fn shipped_fonts_read_the_metrics_ttf_parser_read() {
        let fonts = shipped();
        let m = |file: &str| {
            let f = fonts.faces.iter().find(|f| f.file_name == file).expect(file);
            (f.ps_name.as_str(), f.metrics.clone())
        };
        let fm = |units_per_em, ascender, descender, bbox, weight| FaceMetrics {
            units_per_em,
            ascender,
            descender,
            bbox,
            weight,
            caret_rise: 1,
            caret_run: 0,
        };
        for (file, name, metrics) in [
            ("NotoSans-Regular.ttf", "NotoSans-Regular", fm(1000, 1069, -293, (-621, -389, 2800, 1067), 400)),
            (
                "NotoSansArabic-Regular.ttf",
                "NotoSansArabic-Regular",
                fm(1000, 1374, -738, (-220, -548, 7175, 1359), 400),
            ),
            ("NotoNaskhArabic-Bold.ttf", "NotoNaskhArabic-Bold", fm(1000, 1069, -634, (-249, -561, 6239, 1065), 700)),
            ("NotoSerifHebrew-Bold.ttf", "NotoSerifHebrew-Bold", fm(1000, 896, -290, (-210, -290, 874, 889), 700)),
            ("DroidSansFallbackFull.ttf", "DroidSansFallback", fm(256, 267, -68, (0, -61, 257, 231), 400)),
        ] {
            assert_eq!(m(file), (name, metrics), "{file}");
        }
        assert_eq!(fonts.faces.len(), 40, "the two chains share only Droid Sans Fallback and Nanum Gothic");
    }

    #[test]
    fn glyph_lookup_follows_each_faces_cmap() {
        let fonts = shipped();
        let face = |file: &str| fonts.faces.iter().find(|f| f.file_name == file).expect(file);
        let latin = face("NotoSans-Regular.ttf");
        assert!(latin.has_glyph('Ż') && latin.has_glyph('Ω') && latin.has_glyph('Ж'));
        assert!(!latin.has_glyph('王') && !latin.has_glyph('ა') && !latin.has_glyph('ع'));
        assert!(face("DroidSansFallbackFull.ttf").has_glyph('王'));
        assert!(face("NotoSansGeorgian-Regular.ttf").has_glyph('ა'));
        // A character no face maps is not taken for .notdef.
        assert!(fonts.faces.iter().all(|f| !f.has_glyph('\u{10FFFD}')));
        // Advances come from hmtx: 'W' is wider than 'i' in any Latin face.
        let (w, i) = (latin.glyph_index('W').unwrap(), latin.glyph_index('i').unwrap());
        assert!(latin.advance(w).unwrap() > latin.advance(i).unwrap());
    }

    #[test]
    fn bytes_that_are_not_a_font_are_refused_with_the_file_name() {
        let err = Face::load("broken.ttf", Cow::Borrowed(b"not a font at all")).unwrap_err();
        assert!(matches!(&err, RenderError::Font { file, .. } if file == "broken.ttf"), "{err:?}");
    }
}
