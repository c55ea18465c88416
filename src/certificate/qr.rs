//! QR code for the verification URL, drawn as vector paths.
//!
//! The `qrcode` crate computes the symbol; we only replace its mask selection.
//! `QrCode::new` scores the eight masks with a penalty function that boxes a
//! closure per module and costs ~3.5 ms per symbol at version 13-14, which on
//! its own would cap throughput at ~300 certificates/s per core. The penalty
//! rules below are the same ISO/IEC 18004 §7.8.3 rules computed over a flat
//! byte matrix (~0.1 ms for all eight masks), so the chosen mask is the
//! standard's choice, just faster.
//!
//! Not done here: rendering to raster images (the PDF gets paths, which stay
//! sharp at any print resolution and are smaller than an image).

use std::sync::OnceLock;

use qrcode::canvas::{Canvas, MaskPattern, Module};
use qrcode::{Color, EcLevel, Version};

use super::RenderError;

/// Quiet zone in modules, as required by the standard.
pub const QUIET_ZONE: usize = 4;

const MASKS: [MaskPattern; 8] = [
    MaskPattern::Checkerboard,
    MaskPattern::HorizontalLines,
    MaskPattern::VerticalLines,
    MaskPattern::DiagonalLines,
    MaskPattern::LargeCheckerboard,
    MaskPattern::Fields,
    MaskPattern::Diamonds,
    MaskPattern::Meadow,
];

/// The module matrix of a QR symbol (quiet zone not included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Symbol version (1..=40).
    pub version: u8,
    /// Modules per side, quiet zone excluded.
    pub width: usize,
    /// Row-major, `true` = dark; row 0 is the top row.
    pub dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `data` in byte mode at error-correction level M, in the
    /// smallest version that fits.
    pub fn encode(data: &[u8]) -> Result<Self, RenderError> {
        let ec = EcLevel::M;
        let qr_err = |e: qrcode::types::QrError| RenderError::Qr(e.to_string());
        let bits = byte_mode_bits(data, ec).map_err(qr_err)?;
        let version = bits.version();
        let Version::Normal(v) = version else {
            return Err(RenderError::Qr("unexpected Micro QR version".into()));
        };
        let raw = bits.into_bytes();
        let (codewords, ecc) = qrcode::ec::construct_codewords(&raw, version, ec).map_err(qr_err)?;

        let width = version.width() as usize;
        let mut dark = Vec::with_capacity(width * width);
        if width <= 128 {
            let t = template(version, width);
            for r in best_masked_rows(&t.place(&codewords, &ecc), t, width) {
                dark.extend((0..width).map(|x| (r >> x) & 1 == 1));
            }
        } else {
            let mut canvas = Canvas::new(version, ec);
            canvas.draw_all_functional_patterns();
            canvas.draw_data(&codewords, &ecc);
            canvas.apply_mask(best_mask_slow(&canvas, width));
            dark.extend(canvas.into_colors().into_iter().map(|m| m == Color::Dark));
        }
        Ok(QrMatrix { version: v as u8, width, dark })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// Side of the drawn square in modules, quiet zone included.
    pub fn total_modules(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// PDF content stream drawing the dark modules in a coordinate system of one
    /// unit per module, origin at the bottom-left corner of the quiet zone.
    ///
    /// Each horizontal run of dark modules is a rectangle; a run repeated at the
    /// same position in the following rows is merged into one taller rectangle
    /// (finder patterns, timing columns, vertical strokes). All rectangles are
    /// filled by a single `f`, so anti-aliasing viewers show no seams between
    /// modules. Numbers are small integers, written without `fmt`.
    pub fn to_content_stream(&self) -> Vec<u8> {
        let w = self.width;
        // About 1,100 rectangles of ~13 bytes for a version-13 symbol.
        let mut out = Vec::with_capacity(w * w * 3 + 16);
        out.extend_from_slice(b"0 g\n");
        // Open rectangles: (x0, len, first row), sorted by x0.
        let mut open: Vec<(usize, usize, usize)> = Vec::with_capacity(w);
        let mut next: Vec<(usize, usize, usize)> = Vec::with_capacity(w);
        let mut runs: Vec<(usize, usize)> = Vec::with_capacity(w);
        let mut rects: Vec<[u8; 4]> = Vec::with_capacity(w * w / 4);
        for row in 0..=w {
            runs.clear();
            if row < w {
                let line = &self.dark[row * w..(row + 1) * w];
                let mut x = 0;
                while x < w {
                    match line[x..].iter().position(|&d| d) {
                        None => break,
                        Some(skip) => x += skip,
                    }
                    let len = line[x..].iter().position(|&d| !d).unwrap_or(w - x);
                    runs.push((x, len));
                    x += len;
                }
            }
            next.clear();
            let mut i = 0;
            for &(x0, len) in &runs {
                // Close open rectangles that end before this run.
                while i < open.len() && open[i].0 < x0 {
                    rects.push(rect(open[i], row, w));
                    i += 1;
                }
                if i < open.len() && open[i].0 == x0 && open[i].1 == len {
                    next.push(open[i]);
                    i += 1;
                } else {
                    if i < open.len() && open[i].0 == x0 {
                        rects.push(rect(open[i], row, w));
                        i += 1;
                    }
                    next.push((x0, len, row));
                }
            }
            for r in &open[i..] {
                rects.push(rect(*r, row, w));
            }
            std::mem::swap(&mut open, &mut next);
        }
        // Grouped by size (a stable sort: within a size, the order they closed in, row by
        // row): a group's lines then end alike (` 1 1 re`), which deflate turns into short
        // back-references. About 5 % off the compressed drawing; the shape is the same union.
        rects.sort_by_key(|r| (r[2], r[3]));
        for r in &rects {
            emit_rect(&mut out, *r);
        }
        out.extend_from_slice(b"f\n");
        out
    }
}

/// The rectangle `[x y w h]` in drawing coordinates (with the quiet zone, y upwards) of a run
/// `(x0, len)` spanning rows `top..end` (exclusive). Each fits a byte: a symbol is at most 185
/// modules wide with its quiet zone.
fn rect((x0, len, top): (usize, usize, usize), end: usize, w: usize) -> [u8; 4] {
    let y = w - end + QUIET_ZONE;
    [(x0 + QUIET_ZONE) as u8, y as u8, len as u8, (end - top) as u8]
}

/// Writes `x y w h re`. A thousand of these per certificate: the (at most three-digit) numbers
/// are written into one stack buffer, with one copy into `out`.
fn emit_rect(out: &mut Vec<u8>, r: [u8; 4]) {
    let mut buf = [0u8; 4 * 4 + 3];
    let mut n = 0;
    for v in r {
        n += push_small(&mut buf[n..], usize::from(v));
        buf[n] = b' ';
        n += 1;
    }
    buf[n..n + 3].copy_from_slice(b"re\n");
    out.extend_from_slice(&buf[..n + 3]);
}

/// Writes `v` (below 1,000: a symbol is at most 185 modules with its quiet
/// zone) in decimal at the start of `buf`; returns the number of digits.
fn push_small(buf: &mut [u8], v: usize) -> usize {
    debug_assert!(v < 1000);
    if v < 10 {
        buf[0] = b'0' + v as u8;
        1
    } else if v < 100 {
        buf[0] = b'0' + (v / 10) as u8;
        buf[1] = b'0' + (v % 10) as u8;
        2
    } else {
        buf[0] = b'0' + (v / 100) as u8;
        buf[1] = b'0' + (v / 10 % 10) as u8;
        buf[2] = b'0' + (v % 10) as u8;
        3
    }
}

/// The data in byte mode, in the smallest version it fits. The crate's
/// mixed-mode segmentation (`encode_auto`) switches to numeric or
/// alphanumeric mode for short digit or upper-case runs, and for base64url
/// JWS tokens pays more in mode headers than it saves: a 326-byte verify URL
/// needs version 14 with it and fits version 13 in byte mode. Byte mode is
/// also what `MAX_QR_BYTES` counts in.
fn byte_mode_bits(data: &[u8], ec: EcLevel) -> qrcode::QrResult<qrcode::bits::Bits> {
    let mut last = Err(qrcode::types::QrError::DataTooLong);
    for v in 1..=40 {
        let mut b = qrcode::bits::Bits::new(Version::Normal(v));
        match b.push_byte_data(data).and_then(|()| b.push_terminator(ec)) {
            Ok(()) => return Ok(b),
            Err(e) => last = Err(e),
        }
    }
    last
}

/// What every symbol of one version shares: the function patterns and the
/// order in which data modules are filled.
struct Template {
    /// Function-pattern modules as row and column bit sets: exempt from
    /// masking. (The crate's `is_functional` leaves out the version
    /// information blocks, which are drawn here all the same.)
    func_rows: Box<[u128]>,
    func_cols: Box<[u128]>,
    /// The function patterns' dark modules, by row (format information left
    /// light: it depends on the mask and is drawn with it).
    dark: Box<[u128]>,
    /// Data modules `(x, y)` in placement order (ISO/IEC 18004 §7.7.3: two-
    /// module columns from the right, upwards then downwards, skipping the
    /// vertical timing pattern).
    data: Box<[(u8, u8)]>,
}

impl Template {
    /// The unmasked symbol: function patterns, then the bits of the data and
    /// error-correction codewords, most significant first, along the
    /// placement order. Remainder modules stay light.
    fn place(&self, codewords: &[u8], ecc: &[u8]) -> Vec<u128> {
        let mut rows = self.dark.to_vec();
        let mut at = self.data.iter();
        for byte in codewords.iter().chain(ecc) {
            for bit in (0..8).rev() {
                let Some(&(x, y)) = at.next() else { return rows };
                rows[usize::from(y)] |= u128::from((byte >> bit) & 1) << x;
            }
        }
        rows
    }
}

/// The template of `version` (symbols up to 128 modules wide), built once.
fn template(version: Version, w: usize) -> &'static Template {
    static TABLE: [OnceLock<Template>; 41] = [const { OnceLock::new() }; 41];
    let Version::Normal(v) = version else { unreachable!("only normal QR versions are produced") };
    TABLE[v as usize].get_or_init(|| {
        let mut canvas = Canvas::new(version, EcLevel::M);
        canvas.draw_all_functional_patterns();
        let mut func_rows = vec![0u128; w];
        let mut func_cols = vec![0u128; w];
        let mut dark = vec![0u128; w];
        for (y, (row, dark_row)) in func_rows.iter_mut().zip(&mut dark).enumerate() {
            for (x, col) in func_cols.iter_mut().enumerate() {
                let m = canvas.get(x as i16, y as i16);
                if m != Module::Empty {
                    *row |= 1u128 << x;
                    *col |= 1u128 << y;
                }
                if matches!(m, Module::Masked(Color::Dark) | Module::Unmasked(Color::Dark)) {
                    *dark_row |= 1u128 << x;
                }
            }
        }
        let mut data = Vec::with_capacity(w * w);
        let mut right = w - 1;
        let mut upward = true;
        loop {
            for i in 0..w {
                let y = if upward { w - 1 - i } else { i };
                for x in [right, right - 1] {
                    if (func_rows[y] >> x) & 1 == 0 {
                        data.push((x as u8, y as u8));
                    }
                }
            }
            upward = !upward;
            if right < 3 {
                break;
            }
            right -= 2;
            if right == 6 {
                right = 5;
            }
        }
        Template { func_rows: func_rows.into(), func_cols: func_cols.into(), dark: dark.into(), data: data.into() }
    })
}

/// Scores all eight masks on bit rows (symbols up to 128 modules wide, i.e.
/// version 27) and returns the rows of the best masked symbol. The masked
/// symbol is `data XOR mask` outside function patterns plus the format
/// information for that mask; a unit test checks that this is exactly what the
/// crate's `apply_mask` draws.
fn best_masked_rows(base_rows: &[u128], t: &Template, w: usize) -> Vec<u128> {
    let (func_rows, func_cols) = (&t.func_rows[..], &t.func_cols[..]);
    let mut base_cols = vec![0u128; w];
    for (y, r) in base_rows.iter().enumerate() {
        let mut bits = *r;
        while bits != 0 {
            let x = bits.trailing_zeros() as usize;
            base_cols[x] |= 1u128 << y;
            bits &= bits - 1;
        }
    }
    let (mask_r, mask_c) = mask_bits();
    let full: u128 = if w == 128 { !0 } else { (1u128 << w) - 1 };
    let mut best = (u32::MAX, 0usize);
    let mut rows = vec![0u128; w];
    let mut cols = vec![0u128; w];
    for p in 0..8 {
        masked(&mut rows, base_rows, &mask_r[p], func_rows, full);
        masked(&mut cols, &base_cols, &mask_c[p], func_cols, full);
        for (x, y, dark) in format_modules(w, p as u32) {
            set_bit(&mut rows[y], x, dark);
            set_bit(&mut cols[x], y, dark);
        }
        let score = penalty_bits(&rows, &cols, w);
        if score < best.0 {
            best = (score, p);
        }
    }
    masked(&mut rows, base_rows, &mask_r[best.1], func_rows, full);
    for (x, y, dark) in format_modules(w, best.1 as u32) {
        set_bit(&mut rows[y], x, dark);
    }
    rows
}

fn masked(out: &mut [u128], base: &[u128], mask: &[u128; 128], func: &[u128], full: u128) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = base[i] ^ (mask[i] & !func[i] & full);
    }
}

fn set_bit(v: &mut u128, i: usize, on: bool) {
    if on {
        *v |= 1u128 << i;
    } else {
        *v &= !(1u128 << i);
    }
}

/// Reference path for very large symbols: the crate's masking, scored with the
/// same rules on a byte matrix.
fn best_mask_slow(canvas: &Canvas, w: usize) -> MaskPattern {
    let mut best = (u32::MAX, MASKS[0]);
    for mask in MASKS {
        let mut c = canvas.clone();
        c.apply_mask(mask);
        let dark: Vec<bool> = c.into_colors().into_iter().map(|m| m == Color::Dark).collect();
        let score = penalty_bytes(&dark, w);
        if score < best.0 {
            best = (score, mask);
        }
    }
    best.1
}

#[cfg(test)]
fn to_rows(colors: &[Color], w: usize) -> Vec<u128> {
    colors
        .chunks_exact(w)
        .map(|row| row.iter().enumerate().fold(0u128, |acc, (x, c)| acc | (u128::from(*c == Color::Dark) << x)))
        .collect()
}

/// The eight mask patterns (ISO/IEC 18004 Table 10) as 128x128 bit rows and
/// bit columns.
fn mask_bits() -> (&'static [[u128; 128]; 8], &'static [[u128; 128]; 8]) {
    type Tables = (Box<[[u128; 128]; 8]>, Box<[[u128; 128]; 8]>);
    static BITS: OnceLock<Tables> = OnceLock::new();
    let (r, c) = BITS.get_or_init(|| {
        let mut rows = Box::new([[0u128; 128]; 8]);
        let mut cols = Box::new([[0u128; 128]; 8]);
        for p in 0..8 {
            for y in 0..128usize {
                for x in 0..128usize {
                    let on = match p {
                        0 => (x + y) % 2 == 0,
                        1 => y % 2 == 0,
                        2 => x % 3 == 0,
                        3 => (x + y) % 3 == 0,
                        4 => (y / 2 + x / 3) % 2 == 0,
                        5 => (x * y) % 2 + (x * y) % 3 == 0,
                        6 => ((x * y) % 2 + (x * y) % 3) % 2 == 0,
                        _ => ((x + y) % 2 + (x * y) % 3) % 2 == 0,
                    };
                    if on {
                        rows[p][y] |= 1u128 << x;
                        cols[p][x] |= 1u128 << y;
                    }
                }
            }
        }
        (rows, cols)
    });
    (r, c)
}

/// The 31 format-information modules `(x, y, dark)` for level M and mask
/// `p`: both copies of the 15-bit BCH-coded format word (ISO/IEC 18004 §7.9)
/// and the always-dark module.
fn format_modules(w: usize, p: u32) -> impl Iterator<Item = (usize, usize, bool)> {
    let data = p; // level M is 0b00
    let mut rem = data;
    for _ in 0..10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    }
    let bits = ((data << 10) | rem) ^ 0x5412;
    let bit = move |i: usize| (bits >> i) & 1 == 1;
    let first = (0..15).map(move |i| {
        let (x, y) = match i {
            0..=5 => (8, i),
            6 => (8, 7),
            7 => (8, 8),
            8 => (7, 8),
            _ => (14 - i, 8),
        };
        (x, y, bit(i))
    });
    let second = (0..15).map(move |i| {
        let (x, y) = if i < 8 { (w - 1 - i, 8) } else { (8, w - 15 + i) };
        (x, y, bit(i))
    });
    first.chain(second).chain(std::iter::once((8, w - 8, true)))
}

/// ISO/IEC 18004:2015 §7.8.3.1 penalty score (lower is better), bit-parallel
/// over rows and columns.
///
/// Scoring is mostly counting bits: on a CPU with `popcnt` (every x86-64 from
/// the last fifteen years) the same code is compiled to use it, which makes
/// it about twice as fast as the portable bit-twiddling count the baseline
/// target gets.
fn penalty_bits(rows: &[u128], cols: &[u128], w: usize) -> u32 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("popcnt") {
        // SAFETY: the CPU has just been checked for the feature.
        return unsafe { penalty_bits_popcnt(rows, cols, w) };
    }
    penalty_bits_portable(rows, cols, w)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "popcnt")]
fn penalty_bits_popcnt(rows: &[u128], cols: &[u128], w: usize) -> u32 {
    penalty_bits_portable(rows, cols, w)
}

#[inline(always)]
fn penalty_bits_portable(rows: &[u128], cols: &[u128], w: usize) -> u32 {
    let full: u128 = if w == 128 { !0 } else { (1u128 << w) - 1 };
    let mut score = 0u32;
    for line in rows.iter().chain(cols.iter()) {
        score += line_penalty_bits(*line, w, full);
    }
    // N2: 2x2 blocks of one colour.
    let pair = full >> 1;
    for y in 0..w - 1 {
        let (a, b) = (rows[y], rows[y + 1]);
        let same = !(a ^ (a >> 1)) & !(a ^ b) & !(b ^ (b >> 1)) & pair;
        score += 3 * same.count_ones();
    }
    // N4: dark proportion.
    let dark: u32 = rows.iter().map(|r| r.count_ones()).sum();
    let k = (dark as usize * 100 / (w * w)).abs_diff(50) / 5;
    score + 10 * k as u32
}

/// N1 and N3 for one line given as bits (bit x = module x).
#[inline(always)]
fn line_penalty_bits(line: u128, w: usize, full: u128) -> u32 {
    let mut score = 0u32;
    // N1: a run of L >= 5 same-coloured modules scores L - 2 = (number of
    // 5-module windows inside it, L - 4) + 2 per run.
    let _ = w;
    for bits in [line & full, !line & full] {
        let r5 = bits & (bits >> 1) & (bits >> 2) & (bits >> 3) & (bits >> 4);
        let starts = r5 & !(r5 << 1);
        score += r5.count_ones() + 2 * starts.count_ones();
    }
    // N3: dark-light-dark-dark-dark-light-dark starting at x.
    let inv = !line & full;
    let mut m = full;
    for (k, dark) in [true, false, true, true, true, false, true].into_iter().enumerate() {
        m &= (if dark { line } else { inv }) >> k;
    }
    m &= full >> 6;
    while m != 0 {
        let x = m.trailing_zeros() as usize;
        // Four light modules before or after (outside the symbol is light).
        let before = if x >= 4 { (line >> (x - 4)) & 0xF } else { line & ((1u128 << x) - 1) };
        let after = line >> (x + 7) & 0xF;
        if before == 0 || after == 0 {
            score += 40;
        }
        m &= m - 1;
    }
    score
}

/// Same rules on a byte matrix (fallback for versions above 27).
fn penalty_bytes(m: &[bool], w: usize) -> u32 {
    let mut score = 0u32;
    let at = |x: usize, y: usize| m[y * w + x];
    for horizontal in [true, false] {
        for i in 0..w {
            let line: Vec<bool> = (0..w).map(|j| if horizontal { at(j, i) } else { at(i, j) }).collect();
            let mut run = 1u32;
            for j in 1..w {
                if line[j] == line[j - 1] {
                    run += 1;
                } else {
                    if run >= 5 {
                        score += run - 2;
                    }
                    run = 1;
                }
            }
            if run >= 5 {
                score += run - 2;
            }
            const PAT: [bool; 7] = [true, false, true, true, true, false, true];
            for j in 0..w - 6 {
                if line[j..j + 7] == PAT {
                    let before = line[j.saturating_sub(4)..j].iter().all(|d| !d);
                    let after = line[(j + 7).min(w)..(j + 11).min(w)].iter().all(|d| !d);
                    if before || after {
                        score += 40;
                    }
                }
            }
        }
    }
    for y in 0..w - 1 {
        for x in 0..w - 1 {
            let c = at(x, y);
            if c == at(x + 1, y) && c == at(x, y + 1) && c == at(x + 1, y + 1) {
                score += 3;
            }
        }
    }
    let dark = m.iter().filter(|d| **d).count();
    let k = (dark * 100 / m.len()).abs_diff(50) / 5;
    score + 10 * k as u32
}

#[cfg(test)]
#[expect(clippy::needless_range_loop, reason = "2-D grids read clearer with indices")]
mod tests {
    use super::*;

    #[test]
    fn short_url_is_small_version() {
        let q = QrMatrix::encode(b"http://127.0.0.1:8080/v/abc").unwrap();
        assert!(q.version <= 3);
        assert_eq!(q.dark.len(), q.width * q.width);
        // Finder pattern corner is dark.
        assert!(q.is_dark(0, 0));
    }

    #[test]
    fn jws_url_of_331_bytes_fits_version_13() {
        let mut url = String::from("http://127.0.0.1:8080/v/eyJhbGciOiJFZERTQSJ9.");
        let alphabet = b"AbC0dEf1GhI2jKl3MnO4pQr5StU6vWx7Yz8-_9";
        let mut i = 0;
        while url.len() < 331 {
            url.push(alphabet[i % alphabet.len()] as char);
            i += 7;
        }
        let q = QrMatrix::encode(url.as_bytes()).unwrap();
        assert_eq!(q.version, 13);
        url.push('x');
        assert_eq!(QrMatrix::encode(url.as_bytes()).unwrap().version, 14);
    }

    /// Placing codewords along the cached template gives exactly the
    /// symbol the crate draws, for every version the template serves.
    #[test]
    fn template_placement_matches_crate() {
        for v in 1..=27i16 {
            let version = Version::Normal(v);
            let w = version.width() as usize;
            let mut b = qrcode::bits::Bits::new(version);
            // Room for the byte-mode header (at most 20 bits) and the data.
            let len = b.max_len(EcLevel::M).unwrap() / 8 - 3;
            let raw: Vec<u8> = (0..len).map(|i| (i * 37 + v as usize) as u8).collect();
            b.push_byte_data(&raw).unwrap();
            b.push_terminator(EcLevel::M).unwrap();
            let (cw, ec) = qrcode::ec::construct_codewords(&b.into_bytes(), version, EcLevel::M).unwrap();
            let mut canvas = Canvas::new(version, EcLevel::M);
            canvas.draw_all_functional_patterns();
            canvas.draw_data(&cw, &ec);
            assert_eq!(template(version, w).place(&cw, &ec), to_rows(&canvas.into_colors(), w), "version {v}");
        }
    }

    /// The fast scorer's idea of each masked symbol must be exactly what the
    /// crate draws, and its penalty must equal the byte-matrix reference.
    #[test]
    fn fast_masking_matches_crate() {
        for (len, v) in [(20usize, 2i16), (120, 8), (326, 13)] {
            let data: Vec<u8> = (0..len).map(|i| b"aZ09-_.x"[i % 8]).collect();
            let mut b = qrcode::bits::Bits::new(Version::Normal(v));
            b.push_byte_data(&data).unwrap();
            b.push_terminator(EcLevel::M).unwrap();
            let version = b.version();
            let raw = b.into_bytes();
            let (cw, ec) = qrcode::ec::construct_codewords(&raw, version, EcLevel::M).unwrap();
            let mut canvas = Canvas::new(version, EcLevel::M);
            canvas.draw_all_functional_patterns();
            canvas.draw_data(&cw, &ec);
            let w = version.width() as usize;
            let t = template(version, w);
            let (func, func_cols) = (&t.func_rows[..], &t.func_cols[..]);
            let base = to_rows(&canvas.clone().into_colors(), w);
            let full = (1u128 << w) - 1;
            for (p, mask) in MASKS.iter().enumerate() {
                let mut rows = vec![0u128; w];
                masked(&mut rows, &base, &mask_bits().0[p], func, full);
                for (x, y, dark) in format_modules(w, p as u32) {
                    set_bit(&mut rows[y], x, dark);
                }
                let mut c = canvas.clone();
                c.apply_mask(*mask);
                let colors = c.into_colors();
                assert_eq!(rows, to_rows(&colors, w), "version {v} mask {p}");
                let mut cols = vec![0u128; w];
                for (y, r) in rows.iter().enumerate() {
                    for x in 0..w {
                        if (r >> x) & 1 == 1 {
                            cols[x] |= 1u128 << y;
                        }
                    }
                }
                // Column functional bits agree with row functional bits.
                for x in 0..w {
                    for y in 0..w {
                        assert_eq!((func[y] >> x) & 1, (func_cols[x] >> y) & 1);
                    }
                }
                let bools: Vec<bool> = colors.iter().map(|c| *c == Color::Dark).collect();
                assert_eq!(penalty_bits(&rows, &cols, w), penalty_bytes(&bools, w), "version {v} mask {p}");
            }
            // And the encoder's final choice is the minimum-penalty mask.
            let chosen = best_masked_rows(&base, t, w);
            let best = MASKS
                .iter()
                .map(|m| {
                    let mut c = canvas.clone();
                    c.apply_mask(*m);
                    let colors = c.into_colors();
                    let b: Vec<bool> = colors.iter().map(|c| *c == Color::Dark).collect();
                    (penalty_bytes(&b, w), to_rows(&colors, w))
                })
                .min_by_key(|(s, _)| *s)
                .unwrap();
            assert_eq!(chosen, best.1);
        }
    }

    /// Painting the emitted rectangles reproduces the module matrix exactly,
    /// with no overlaps.
    #[test]
    fn rectangles_reproduce_matrix() {
        let q = QrMatrix::encode(b"http://127.0.0.1:8080/v/eyJhbGciOiJFZERTQSJ9.x-Y_z0123456789abcdefABCDEF").unwrap();
        let n = q.total_modules();
        let mut grid = vec![0u8; n * n];
        let s = String::from_utf8(q.to_content_stream()).unwrap();
        for l in s.lines().filter(|l| l.ends_with(" re")) {
            let v: Vec<usize> = l.split(' ').take(4).map(|t| t.parse().unwrap()).collect();
            for y in v[1]..v[1] + v[3] {
                for x in v[0]..v[0] + v[2] {
                    grid[(n - 1 - y) * n + x] += 1;
                }
            }
        }
        for y in 0..n {
            for x in 0..n {
                let inside = (QUIET_ZONE..n - QUIET_ZONE).contains(&x) && (QUIET_ZONE..n - QUIET_ZONE).contains(&y);
                let want = inside && q.is_dark(x - QUIET_ZONE, y - QUIET_ZONE);
                assert_eq!(grid[y * n + x], u8::from(want), "module {x},{y}");
            }
        }
    }

    #[test]
    fn content_stream_has_one_fill() {
        let q = QrMatrix::encode(b"hello").unwrap();
        let s = String::from_utf8(q.to_content_stream()).unwrap();
        assert_eq!(s.matches("\nf\n").count(), 1);
        assert!(s.contains(" re\n"));
    }
}
