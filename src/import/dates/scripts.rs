//! The digits and signs of other scripts in date cells: a digit's value in any of the scripts
//! exports are written in, and full-width forms as their ASCII letters and signs.

/// A digit's value: ASCII, Arabic-Indic (`٠`–`٩`, Arabic Excel and Teams), Extended
/// Arabic-Indic (`۰`–`۹`, Persian and Urdu), or the digits of the Indic scripts, Thai, Lao,
/// Myanmar, Khmer and full-width forms, each a run of ten in Unicode (a Bengali list's
/// `১৪/০৩/২০২৫` was refused as no date, round 25).
pub(super) fn digit(c: char) -> Option<u32> {
    const ZEROS: [u32; 17] = [
        0x660, 0x6F0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xE50, 0xED0, 0x1040, 0x17E0,
        0x1810, 0xFF10,
    ];
    if c.is_ascii_digit() {
        return Some(c as u32 - '0' as u32);
    }
    let c = c as u32;
    ZEROS.iter().find(|&&z| (z..z + 10).contains(&c)).map(|z| c - z)
}

/// `s` with its full-width forms (`２０２５－０３－１４　１０：００`, a Japanese or Chinese re-typed
/// sheet) as their ASCII letters and signs, and the ideographic space as a space: the separators
/// were refused (round 25's re-test). Borrowed when there are none, as in nearly every cell.
pub(super) fn narrow(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| ('\u{FF01}'..='\u{FF5E}').contains(&c) || c == '\u{3000}') {
        return s.into();
    }
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .collect::<String>()
        .into()
}
