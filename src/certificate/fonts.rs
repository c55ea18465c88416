//! Font files, parsed once, and the per-role fallback chains.
//!
//! A certificate mixes a display face (heading, attendee name) with a text face
//! (everything else). Attendee names come in any script, so each role is a
//! *chain* of faces: the first face that has a glyph for a character wins
//! (see `shape::itemize`). The chains are fixed in code on purpose: they are a
//! typographic decision tied to the files shipped in `fonts/`, not something a
//! template author should have to get right.

use std::borrow::Cow;

use self_cell::self_cell;

use super::RenderError;

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

/// The fallback chains, by file name under the fonts directory. The last entry
/// (Droid Sans Fallback) covers CJK; it has a single weight, which is an
/// accepted compromise against shipping a 20 MB CJK family.
const CHAINS: [&[&str]; 2] = [
    &[
        "NotoSans-Regular.ttf",
        "NotoSansGeorgian-Regular.ttf",
        "NotoSansArmenian-Regular.ttf",
        "NotoSansArabic-Regular.ttf",
        "NotoSansHebrew-Regular.ttf",
        "DroidSansFallbackFull.ttf",
    ],
    &[
        "NotoSerif-Bold.ttf",
        "NotoSerifGeorgian-Bold.ttf",
        "NotoSerifArmenian-Bold.ttf",
        "NotoNaskhArabic-Bold.ttf",
        "NotoSerifHebrew-Bold.ttf",
        "DroidSansFallbackFull.ttf",
    ],
];

type RbFace<'a> = rustybuzz::Face<'a>;

self_cell!(
    /// Font bytes plus the rustybuzz face borrowing them, so that a face is
    /// parsed exactly once per process instead of once per shaping call. The
    /// bytes are borrowed from the binary when the font could not be stripped.
    struct FaceCell {
        owner: Cow<'static, [u8]>,
        #[covariant]
        dependent: RbFace,
    }
);

/// Metrics the PDF font descriptor needs, read once.
#[derive(Debug, Clone)]
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
    fn load(file_name: &str, bytes: Cow<'static, [u8]>) -> Result<Self, RenderError> {
        let file_name = file_name.to_string();
        let unparseable =
            || RenderError::Font { file: file_name.clone(), message: "not a parseable TrueType/OpenType font".into() };
        let (ps_name, metrics) = {
            let face = rustybuzz::Face::from_slice(&bytes, 0).ok_or_else(unparseable)?;
            if face.tables().glyf.is_none() {
                // Embedding writes /FontFile2 (TrueType outlines). CFF-flavoured
                // fonts would need /FontFile3 and are not shipped.
                return Err(RenderError::Font {
                    file: file_name,
                    message: "only TrueType (glyf) outlines are supported".into(),
                });
            }
            (ps_name(&face, &file_name), metrics(&face))
        };
        // What a PDF never needs (hinting, glyph names, the name table) is
        // removed once here rather than from every subset: the subsetter then
        // reads a smaller font, and shaping does not use any of it.
        let bytes = super::embed::strip_unused(&bytes, true).map(Cow::Owned).unwrap_or(bytes);
        let cell = FaceCell::try_new(bytes, |b| rustybuzz::Face::from_slice(b, 0).ok_or_else(unparseable))?;
        Ok(Face { file_name, ps_name, metrics, cell })
    }

    /// The shaping face.
    pub fn rb(&self) -> &rustybuzz::Face<'_> {
        self.cell.borrow_dependent()
    }

    /// The font file, without hinting, glyph names and `name` table.
    pub fn bytes(&self) -> &[u8] {
        self.cell.borrow_owner()
    }

    pub fn has_glyph(&self, c: char) -> bool {
        self.rb().glyph_index(c).is_some()
    }
}

/// The PostScript name, made safe for a PDF name (no whitespace or
/// delimiters), or the file name.
fn ps_name(face: &rustybuzz::Face<'_>, file_name: &str) -> String {
    let name = face
        .names()
        .into_iter()
        .find(|n| n.name_id == ttf_name_id::POST_SCRIPT_NAME && n.is_unicode())
        .and_then(|n| n.to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| file_name.trim_end_matches(".ttf").to_string());
    name.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

fn metrics(face: &rustybuzz::Face<'_>) -> FaceMetrics {
    let bb = face.global_bounding_box();
    // hhea's caret slope is not exposed by ttf-parser; derive the same
    // vector from post.italicAngle (degrees, negative for right-leaning).
    let angle = face.italic_angle().to_radians();
    let (caret_rise, caret_run) = if angle == 0.0 { (1, 0) } else { (1000, (-angle.tan() * 1000.0).round() as i16) };
    FaceMetrics {
        units_per_em: face.units_per_em() as u16,
        ascender: face.ascender(),
        descender: face.descender(),
        bbox: (bb.x_min, bb.y_min, bb.x_max, bb.y_max),
        weight: face.weight().to_number(),
        caret_rise,
        caret_run,
    }
}

/// `ttf_parser::name_id` without depending on ttf-parser directly.
mod ttf_name_id {
    pub const POST_SCRIPT_NAME: u16 = 6;
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
}
