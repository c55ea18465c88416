//! The default templates, logos and fonts, compiled into the binary, and where the renderer
//! reads its files from: these, or folders an operator names (`--assets`, `--fonts`).
//!
//! Compiled in so that a binary copied to a server, or installed with `cargo install`, renders
//! certificates without the source tree: looking the files up through the build machine's
//! `CARGO_MANIFEST_DIR`, or taking a folder that happens to be called `assets` in the current
//! directory, made `attest issue` fail (or silently use someone else's files) anywhere else.
//!
//! The files are `include_bytes!` statics: they sit in the binary's read-only data, which the
//! kernel pages in only when the renderer first reads them, and they are borrowed, not read into
//! the heap (the font loader still writes its own stripped copy of each face, as it did for files
//! read from disk). They add about 5.6 MB to the binary, 4 MB of it the CJK face; a compressed
//! copy would save about half and cost a decompression into the heap at every start, so they are
//! kept as they are.
//!
//! Deliberately not done: mixing the two sources. A folder given explicitly is the whole set
//! (a template there that names a logo needs the logo there too), so what a certificate shows
//! never depends on which files happen to be missing.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use super::RenderError;

/// Where the renderer reads templates and images (assets) or fonts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Files {
    /// The defaults compiled into the binary.
    Shipped,
    /// A folder laid out as the source tree's `assets/` (templates in `templates/*.toml`,
    /// images beside them) or `fonts/` (the files the fallback chains name).
    Dir(PathBuf),
}

impl Files {
    /// The folder when one is given, else the shipped defaults.
    pub fn or_shipped(dir: Option<&Path>) -> Files {
        dir.map_or(Files::Shipped, |d| Files::Dir(d.to_owned()))
    }

    /// Where a file comes from, for messages.
    pub fn describe(&self) -> String {
        match self {
            Files::Shipped => "the files built into attest".into(),
            Files::Dir(d) => d.display().to_string(),
        }
    }

    /// A path for error messages about the file `name`.
    pub(super) fn path(&self, name: &str) -> PathBuf {
        match self {
            Files::Shipped => Path::new("(built in)").join(name),
            Files::Dir(d) => d.join(name),
        }
    }

    /// The bytes of `name` (a font or an image file name): borrowed from the binary, or read
    /// from the folder.
    pub(super) fn read(
        &self,
        name: &str,
        shipped: &[(&str, &'static [u8])],
    ) -> Result<Cow<'static, [u8]>, RenderError> {
        match self {
            Files::Shipped => {
                shipped.iter().find(|(n, _)| *n == name).map(|(_, b)| Cow::Borrowed(*b)).ok_or_else(|| {
                    RenderError::Io { path: self.path(name), source: std::io::ErrorKind::NotFound.into() }
                })
            }
            Files::Dir(d) => {
                let path = d.join(name);
                std::fs::read(&path).map(Cow::Owned).map_err(|e| RenderError::Io { path, source: e })
            }
        }
    }

    /// Whether a certificate template of this name (a file stem) exists.
    pub fn has_template(&self, name: &str) -> bool {
        match self {
            Files::Shipped => TEMPLATES.iter().any(|(n, _)| *n == name),
            Files::Dir(d) => d.join("templates").join(format!("{name}.toml")).is_file(),
        }
    }
}

macro_rules! shipped {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!("../../", $dir, "/", $name)))),*]
    };
}

/// The fallback chains (`fonts.rs` shapes with them), by file name under the fonts directory,
/// and the shipped fonts they name. One list makes both: a font named in a chain and not
/// shipped, or shipped twice, cannot be written.
macro_rules! chains {
    (regular: [$($regular:literal),+], bold: [$($bold:literal),+], both: [$($both:literal),+] $(,)?) => {
        pub(super) const CHAINS: [&[&str]; 2] = [&[$($regular,)+ $($both,)+], &[$($bold,)+ $($both,)+]];
        pub(super) const FONTS: &[(&str, &[u8])] = shipped!("fonts": $($regular,)+ $($bold,)+ $($both,)+);
    };
}

// A face for each script names are written in: Latin, Greek and Cyrillic, then the others. The
// last two serve both chains with a single weight: Droid Sans Fallback for Chinese and Japanese,
// Nanum Gothic for Korean (Droid has three Hangul syllables of 11,172: Korean names printed as
// empty boxes), an accepted compromise against shipping 20 MB CJK families in two weights. Nanum
// comes after Droid so that Chinese and Japanese names keep Droid's glyphs for Han characters.
chains! {
    regular: [
        "NotoSans-Regular.ttf",
        "NotoSansGeorgian-Regular.ttf",
        "NotoSansArmenian-Regular.ttf",
        "NotoSansArabic-Regular.ttf",
        "NotoSansHebrew-Regular.ttf",
        "NotoSansThai-Regular.ttf",
        "NotoSansDevanagari-Regular.ttf",
        "NotoSansBengali-Regular.ttf",
        "NotoSansGujarati-Regular.ttf",
        "NotoSansGurmukhi-Regular.ttf",
        "NotoSansTamil-Regular.ttf",
        "NotoSansTelugu-Regular.ttf",
        "NotoSansKannada-Regular.ttf",
        "NotoSansMalayalam-Regular.ttf",
        "NotoSansSinhala-Regular.ttf",
        "NotoSansKhmer-Regular.ttf",
        "NotoSansLao-Regular.ttf",
        "NotoSansMyanmar-Regular.ttf",
        "NotoSansEthiopic-Regular.ttf"
    ],
    bold: [
        "NotoSerif-Bold.ttf",
        "NotoSerifGeorgian-Bold.ttf",
        "NotoSerifArmenian-Bold.ttf",
        "NotoNaskhArabic-Bold.ttf",
        "NotoSerifHebrew-Bold.ttf",
        "NotoSerifThai-Bold.ttf",
        "NotoSerifDevanagari-Bold.ttf",
        "NotoSerifBengali-Bold.ttf",
        "NotoSerifGujarati-Bold.ttf",
        "NotoSerifGurmukhi-Bold.ttf",
        "NotoSerifTamil-Bold.ttf",
        "NotoSerifTelugu-Bold.ttf",
        "NotoSerifKannada-Bold.ttf",
        "NotoSerifMalayalam-Bold.ttf",
        "NotoSerifSinhala-Bold.ttf",
        "NotoSerifKhmer-Bold.ttf",
        "NotoSerifLao-Bold.ttf",
        "NotoSerifMyanmar-Bold.ttf",
        "NotoSerifEthiopic-Bold.ttf"
    ],
    both: ["DroidSansFallbackFull.ttf", "NanumGothic.ttf"],
}

/// The images the shipped templates name, by file name relative to `assets/`: none. The built-in
/// templates print the organisation's name and nothing invented (no placeholder logos, no
/// made-up signatory or signature, issue 21); logos and signatures come with a design.
pub(super) const IMAGES: &[(&str, &[u8])] = &[];

/// The templates, by name (file stem), with their TOML.
pub(super) const TEMPLATES: &[(&str, &str)] = &[
    ("en", include_str!("../../assets/templates/en.toml")),
    ("fr", include_str!("../../assets/templates/fr.toml")),
    ("es", include_str!("../../assets/templates/es.toml")),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// A file added to `assets/` or `fonts/` and not listed above would be missing from every
    /// installed binary while working in the source tree.
    #[test]
    fn every_file_of_the_source_folders_is_built_in() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let names = |dir: &Path, ext: &str| -> Vec<String> {
            let mut v: Vec<String> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .filter(|n| n.ends_with(ext))
                .collect();
            v.sort();
            v
        };
        let sorted = |it: &mut dyn Iterator<Item = String>| {
            let mut v: Vec<String> = it.collect();
            v.sort();
            v
        };
        assert_eq!(names(&root.join("fonts"), ".ttf"), sorted(&mut FONTS.iter().map(|(n, _)| n.to_string())));
        assert_eq!(names(&root.join("assets"), ".png"), sorted(&mut IMAGES.iter().map(|(n, _)| n.to_string())));
        assert_eq!(
            names(&root.join("assets/templates"), ".toml"),
            sorted(&mut TEMPLATES.iter().map(|(n, _)| format!("{n}.toml")))
        );
    }
}
