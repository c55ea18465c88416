//! The PDF file's bytes: object numbers, stream and plain objects, the object stream for the
//! small dictionaries, the cross-reference stream; and the PDF syntax of numbers and strings,
//! written without `fmt` (this runs thousands of times per certificate).
//!
//! What it deliberately does not do: know what the objects mean (that is [`super`]'s), or write
//! anything but PDF 1.5 with one object stream.

use super::LEVEL;
use crate::certificate::image::deflate;

/// Where an object is, for the cross-reference stream.
#[derive(Clone, Copy)]
enum Loc {
    /// Byte offset in the file.
    File(usize),
    /// Index in the object stream.
    Packed(usize),
}

/// Serialises one document: stream objects straight into the file, the other
/// objects into an object stream, then the cross-reference stream.
pub(super) struct Writer {
    out: Vec<u8>,
    /// By object number - 1; `None` until written.
    locs: Vec<Option<Loc>>,
    /// Object stream body, and each packed object's number and offset in it.
    packed: Vec<u8>,
    packed_index: Vec<(u32, usize)>,
}

impl Writer {
    pub(super) fn new() -> Self {
        let mut out = Vec::with_capacity(24 * 1024);
        // A comment with bytes above 127 tells transfer tools the file is binary.
        out.extend_from_slice(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n");
        Writer { out, locs: Vec::with_capacity(40), packed: Vec::with_capacity(4096), packed_index: Vec::new() }
    }

    pub(super) fn alloc(&mut self) -> u32 {
        self.locs.push(None);
        self.locs.len() as u32
    }

    /// Writes a stream object: `dict` holds its entries except `/Length`.
    pub(super) fn stream(&mut self, n: u32, dict: &[u8], data: &[u8]) {
        self.locs[n as usize - 1] = Some(Loc::File(self.out.len()));
        let o = &mut self.out;
        int(o, i64::from(n));
        o.extend_from_slice(b" 0 obj\n<<");
        o.extend_from_slice(dict);
        o.extend_from_slice(b"/Length ");
        int(o, data.len() as i64);
        o.extend_from_slice(b">>stream\n");
        o.extend_from_slice(data);
        o.extend_from_slice(b"\nendstream\nendobj\n");
    }

    /// Writes a plain (uncompressed) object.
    pub(super) fn object(&mut self, n: u32, value: &[u8]) {
        self.locs[n as usize - 1] = Some(Loc::File(self.out.len()));
        int(&mut self.out, i64::from(n));
        self.out.extend_from_slice(b" 0 obj\n");
        self.out.extend_from_slice(value);
        self.out.extend_from_slice(b"\nendobj\n");
    }

    /// Starts object `n` in the object stream; the caller writes its value.
    pub(super) fn packed(&mut self, n: u32) -> &mut Vec<u8> {
        self.locs[n as usize - 1] = Some(Loc::Packed(self.packed_index.len()));
        if !self.packed.is_empty() {
            self.packed.push(b'\n');
        }
        self.packed_index.push((n, self.packed.len()));
        &mut self.packed
    }

    /// Writes the object stream and the cross-reference stream (which also
    /// serves as the trailer) and returns the file.
    pub(super) fn finish(mut self, root: u32, info: u32, id: &str) -> Vec<u8> {
        let objstm = self.alloc();
        let mut header = Vec::with_capacity(self.packed_index.len() * 8);
        for (n, at) in &self.packed_index {
            int(&mut header, i64::from(*n));
            header.push(b' ');
            int(&mut header, *at as i64);
            header.push(b' ');
        }
        let first = header.len();
        header.extend_from_slice(&self.packed);
        let dict = format!("/Type/ObjStm/N {}/First {first}/Filter/FlateDecode", self.packed_index.len());
        self.stream(objstm, dict.as_bytes(), &deflate(&header, LEVEL));

        let xref = self.alloc();
        let xref_at = self.out.len();
        self.locs[xref as usize - 1] = Some(Loc::File(xref_at));
        // Field widths: type (1 byte), offset or object stream number (as few
        // bytes as the file needs), generation or index (2 bytes).
        let off_bytes = (usize::BITS - xref_at.leading_zeros()).div_ceil(8).max(1) as usize;
        let size = self.locs.len() + 1;
        let mut rows = Vec::with_capacity(size * (off_bytes + 3));
        let mut row = |kind: u8, field2: usize, field3: u16| {
            rows.push(kind);
            rows.extend_from_slice(&field2.to_be_bytes()[usize::BITS as usize / 8 - off_bytes..]);
            rows.extend_from_slice(&field3.to_be_bytes());
        };
        row(0, 0, 0xffff);
        for loc in &self.locs {
            match loc.expect("every allocated object is written") {
                Loc::File(at) => row(1, at, 0),
                Loc::Packed(i) => row(2, objstm as usize, i as u16),
            }
        }
        // Written once a document: `format!` reads better than the byte pushes of the hot paths.
        let dict = format!(
            "/Type/XRef/Size {size}/W[1 {off_bytes} 2]/Root {root} 0 R/Info {info} 0 R/ID[<{id}><{id}>]/Filter/FlateDecode"
        );
        self.stream(xref, dict.as_bytes(), &deflate(&rows, LEVEL));
        self.out.extend_from_slice(b"startxref\n");
        int(&mut self.out, xref_at as i64);
        self.out.extend_from_slice(b"\n%%EOF\n");
        self.out
    }
}

/// Copies a pre-serialised object, putting `refs` (as `N 0 R`) into its `\0` slots in order.
pub(super) fn fill_refs(o: &mut Vec<u8>, template: &[u8], refs: &[u32]) {
    let mut refs = refs.iter();
    for (i, part) in template.split(|&b| b == 0).enumerate() {
        if i > 0 {
            int(o, i64::from(*refs.next().expect("one reference per slot")));
        }
        o.extend_from_slice(part);
    }
}

pub(super) fn reference(o: &mut Vec<u8>, n: u32) {
    int(o, i64::from(n));
    o.extend_from_slice(b" 0 R");
}

/// References separated by single spaces: the contents of a PDF array of objects (`/K[…]`,
/// a number tree's values), without the brackets the caller writes.
pub(super) fn references(o: &mut Vec<u8>, nums: impl IntoIterator<Item = u32>) {
    for (k, n) in nums.into_iter().enumerate() {
        if k > 0 {
            o.push(b' ');
        }
        reference(o, n);
    }
}

/// An integer, without `fmt` (this runs thousands of times per certificate).
pub(super) fn int(o: &mut Vec<u8>, v: i64) {
    if v < 0 {
        o.push(b'-');
    }
    let mut digits = [0u8; 20];
    let mut n = v.unsigned_abs();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    o.extend_from_slice(&digits[i..]);
}

/// A real number rounded to `places` decimals (at most 4), trailing zeros
/// dropped. Two decimals are 1/100 pt: invisible, and keep the stream short.
pub(super) fn num(o: &mut Vec<u8>, v: f32, places: u32) {
    let scale = 10i64.pow(places);
    let scaled = (f64::from(v) * scale as f64).round() as i64;
    if scaled < 0 {
        o.push(b'-');
    }
    let abs = scaled.unsigned_abs() as i64;
    int(o, abs / scale);
    let mut frac = abs % scale;
    if frac != 0 {
        let mut places = places;
        while frac % 10 == 0 {
            frac /= 10;
            places -= 1;
        }
        o.push(b'.');
        let at = o.len();
        int(o, frac);
        // Leading zeros of the fraction (e.g. .05).
        let missing = places as usize - (o.len() - at);
        o.splice(at..at, std::iter::repeat_n(b'0', missing));
    }
}

/// A literal string, with the characters that would end or escape it escaped.
pub(super) fn literal(o: &mut Vec<u8>, bytes: &[u8]) {
    o.push(b'(');
    for &b in bytes {
        match b {
            b'(' | b')' | b'\\' => o.extend_from_slice(&[b'\\', b]),
            // A bare carriage return would be read as a line end.
            b'\r' => o.extend_from_slice(b"\\r"),
            _ => o.push(b),
        }
    }
    o.push(b')');
}

/// A PDF text string: ASCII as is, anything else as UTF-16BE with BOM.
pub(super) fn text_string(o: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        literal(o, s.as_bytes());
    } else {
        let mut v = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_be_bytes());
        }
        literal(o, &v);
    }
}

/// `D:YYYYMMDDHHmmSSZ` in UTC.
pub(super) fn pdf_date(unix: i64) -> String {
    chrono::DateTime::<chrono::Utc>::from_timestamp(unix, 0).unwrap_or_default().format("D:%Y%m%d%H%M%SZ").to_string()
}

pub(super) fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut o = Vec::new();
        f(&mut o);
        String::from_utf8(o).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_their_places() {
        assert_eq!(s(|o| num(o, 841.89, 2)), "841.89");
        assert_eq!(s(|o| num(o, 12.5, 2)), "12.5");
        assert_eq!(s(|o| num(o, 3.0, 2)), "3");
        assert_eq!(s(|o| num(o, -0.05, 2)), "-0.05");
        assert_eq!(s(|o| num(o, 1.478_945_6, 4)), "1.4789");
        assert_eq!(s(|o| num(o, 0.122, 3)), "0.122");
        assert_eq!(s(|o| int(o, -120)), "-120");
        assert_eq!(s(|o| int(o, 0)), "0");
    }

    #[test]
    fn literal_strings_escape_delimiters() {
        assert_eq!(s(|o| literal(o, b"a(b)c\\d\re")), "(a\\(b\\)c\\\\d\\re)");
    }

    #[test]
    fn references_fill_slots_in_order() {
        assert_eq!(s(|o| fill_refs(o, b"<</A \0 0 R/B \0 0 R>>", &[7, 12])), "<</A 7 0 R/B 12 0 R>>");
    }
}
