//! From the bytes of an upload to rows of cells with their physical line numbers.
//!
//! Exports arrive as staff downloaded (and often re-saved) them: UTF-8 with zero, one or two
//! BOMs, UTF-16 LE/BE (Teams), the code page of Excel's language after a round trip; `,`, `;` or tab
//! delimited; CRLF, LF or lone CR. This module undoes all of that and nothing more: it does not
//! know what a header or a participant is (that is `headers` and the family parsers).

use std::borrow::Cow;

use csv::StringRecord;
use encoding_rs::{Encoding, SHIFT_JIS, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// Why bytes could not be turned into text at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    Empty,
    Binary(&'static str),
    BadUtf16,
    /// Staff named the encoding, and the bytes from this line on are not of it.
    NotOf {
        encoding: &'static str,
        line: usize,
    },
}

/// One way of reading the bytes as text. Several candidates exist when the bytes are not UTF-8:
/// the caller keeps the first one in which a known header is found, because only content can
/// tell cp1252 from Shift-JIS.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    /// Borrowed from the upload when it is UTF-8 already (nearly always): no copy of a large
    /// file is made.
    pub text: Cow<'a, str>,
    pub encoding: &'static str,
    /// Why this encoding was chosen, for the import report.
    pub why: String,
    /// Lines (1-based, as [`records`] counts them) holding byte sequences that are not UTF-8 in a
    /// file that is UTF-8, each replaced by U+FFFD: the caller refuses or reports those rows.
    pub damaged_lines: Vec<usize>,
    /// The bytes were not UTF-8 and said nothing of their code page: this one was guessed from
    /// their letters, and names may read otherwise in a neighbouring code page
    /// (the import checks them against those, in `import/code_pages.rs`).
    pub guessed: bool,
}

impl<'a> Decoded<'a> {
    fn new(text: Cow<'a, str>, encoding: &'static str, why: impl Into<String>) -> Self {
        Decoded { text, encoding, why: why.into(), damaged_lines: Vec::new(), guessed: false }
    }
}

/// Reads the bytes in the encoding staff named (`--encoding`, after a guess read names wrong),
/// whatever their letters suggest; without one, as [`decode`] guesses. A UTF-16 byte-order mark
/// still decides: it cannot be mistaken.
pub fn decode_as<'a>(bytes: &'a [u8], named: Option<&'static Encoding>) -> Result<Vec<Decoded<'a>>, TextProblem> {
    let Some(enc) = named.filter(|_| !bytes.starts_with(&[0xFF, 0xFE]) && !bytes.starts_with(&[0xFE, 0xFF])) else {
        return decode(bytes);
    };
    let (rest, _) = text_after_boms(bytes)?;
    let (text, malformed) = enc.decode_without_bom_handling(rest);
    if malformed {
        // Where: the first line holding a byte the encoding has no character for.
        let line = text.find('\u{FFFD}').map_or(1, |at| line_starts(&text).partition_point(|&s| s <= at));
        return Err(TextProblem::NotOf { encoding: label(enc), line });
    }
    let why = format!("read as {}, the encoding staff named", label(enc));
    non_empty(vec![Decoded::new(Cow::Owned(text.into_owned()), label(enc), why)])
}

/// An encoding named by staff (`--encoding`, the API's and the console's field): any label the
/// WHATWG Encoding Standard knows (`windows-1250`, `cp1250`, `latin2`, `macintosh`, `shift_jis`,
/// `utf-8`, ...).
pub fn encoding_named(name: &str) -> Result<&'static Encoding, String> {
    Encoding::for_label(name.trim().as_bytes()).filter(|e| *e != encoding_rs::REPLACEMENT).ok_or_else(|| {
        format!(
            "\"{name}\" is not an encoding attest knows: use a name such as utf-8, windows-1252 (Western \
             European), windows-1250 (Central European), windows-1251 (Cyrillic), windows-1253 (Greek), \
             windows-1254 (Turkish), windows-1257 (Baltic), macintosh (Mac Roman) or shift_jis"
        )
    })
}

/// The bytes after their UTF-8 byte-order marks (Excel and re-saves leave one or two), and how
/// many there were; a file staff uploaded by mistake (a ZIP, a PDF, an image) is refused here.
fn text_after_boms(bytes: &[u8]) -> Result<(&[u8], usize), TextProblem> {
    let mut rest = bytes;
    let mut boms = 0;
    while let Some(r) = rest.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        rest = r;
        boms += 1;
    }
    match binary_kind(rest) {
        Some(kind) => Err(TextProblem::Binary(kind)),
        None => Ok((rest, boms)),
    }
}

/// Reads the bytes as text; returns every plausible decoding, best first.
pub fn decode(bytes: &[u8]) -> Result<Vec<Decoded<'_>>, TextProblem> {
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return utf16(&bytes[2..], UTF_16LE, "utf-16le");
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return utf16(&bytes[2..], UTF_16BE, "utf-16be");
    }
    // UTF-16 without a BOM: ASCII text has a zero in every other byte.
    if bytes.len() >= 4 && bytes[0] != 0 && bytes[1] == 0 && bytes[2] != 0 && bytes[3] == 0 {
        return utf16(bytes, UTF_16LE, "utf-16le");
    }
    if bytes.len() >= 4 && bytes[0] == 0 && bytes[1] != 0 && bytes[2] == 0 && bytes[3] != 0 {
        return utf16(bytes, UTF_16BE, "utf-16be");
    }
    let (rest, boms) = text_after_boms(bytes)?;
    let encoding = match boms {
        0 => "utf-8",
        1 => "utf-8 (BOM)",
        _ => "utf-8 (several BOMs)",
    };
    match std::str::from_utf8(rest) {
        Ok(text) => {
            let why =
                if boms > 0 { "the file starts with a UTF-8 byte-order mark" } else { "every byte sequence is UTF-8" };
            non_empty(vec![Decoded::new(Cow::Borrowed(text), encoding, why)])
        }
        Err(first) => {
            // A file that says it is UTF-8 (its byte-order mark), or that is mostly UTF-8, with a
            // few damaged sequences is still UTF-8: reading the whole file as cp1252 instead
            // garbled every name ("Å»aneta WÃ³jcik") without a word. The damaged sequences
            // become U+FFFD and their lines are reported.
            let (multibyte, invalid) = utf8_census(rest);
            if boms > 0 || multibyte > invalid {
                let (text, damaged_at) = utf8_replacing(rest);
                let starts = line_starts(&text);
                let mut damaged_lines: Vec<usize> =
                    damaged_at.iter().map(|&at| starts.partition_point(|&s| s <= at)).collect();
                damaged_lines.dedup();
                let why = format!(
                    "{}, but {invalid} byte sequence(s) on line(s) {} are not UTF-8: replaced by \u{FFFD}",
                    if boms > 0 {
                        "the file starts with a UTF-8 byte-order mark"
                    } else {
                        "the file is UTF-8 (its accented letters are UTF-8)"
                    },
                    list_lines(&damaged_lines),
                );
                let mut d = Decoded::new(Cow::Owned(text), encoding, why);
                d.damaged_lines = damaged_lines;
                return non_empty(vec![d]);
            }
            let line = line_starts(&String::from_utf8_lossy(&rest[..first.valid_up_to()])).len();
            non_empty(legacy(rest, line))
        }
    }
}

/// The readings of bytes that are not UTF-8, best first: the encoding Mozilla's detector
/// (chardetng, Firefox's) finds in the letters, then cp1252 and Shift-JIS, the two Excel most
/// often saves in. Excel saves a CSV in the Windows code page of its language, so one fixed guess
/// garbled everyone else's names: a Polish re-save (cp1250) gave `£ukasz Wiœniewski`, a Turkish
/// one (cp1254) `Ayþe`, with no word. `line`: the first line that is not UTF-8, for the report.
fn legacy(rest: &[u8], line: usize) -> Vec<Decoded<'static>> {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(rest, true);
    let guessed = detector.guess(None, chardetng::Utf8Detection::Deny);
    let mut out: Vec<Decoded<'static>> = Vec::new();
    for enc in [guessed, WINDOWS_1252, SHIFT_JIS] {
        if out.iter().any(|d| d.encoding == label(enc)) {
            continue;
        }
        if let Some(text) = enc.decode_without_bom_handling_and_without_replacement(rest) {
            let why = if enc == guessed {
                format!(
                    "not UTF-8 (from line {line}) and no byte-order mark: read as {}, the encoding its letters \
                     point to (Excel saves CSV files in the Windows code page of its language)",
                    label(enc)
                )
            } else {
                format!("not UTF-8 (from line {line}) and no byte-order mark: read as {}", label(enc))
            };
            let mut d = Decoded::new(Cow::Owned(text.into_owned()), label(enc), why);
            d.guessed = true;
            out.push(d);
        }
    }
    out
}

/// An encoding's name as the import report gives it: the WHATWG name, but `shift_jis` as
/// attest always wrote it.
pub(super) fn label(enc: &'static Encoding) -> &'static str {
    if enc == SHIFT_JIS { "shift_jis" } else { enc.name() }
}

/// Valid multi-byte UTF-8 characters and invalid sequences in `bytes`. A legacy (cp1252)
/// file has almost no valid multi-byte sequences: its accented letters are single bytes that
/// UTF-8 never allows alone.
fn utf8_census(bytes: &[u8]) -> (usize, usize) {
    let (mut multibyte, mut invalid) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    (multibyte, invalid)
}

/// The text with every invalid sequence replaced by U+FFFD, and where each replacement is.
fn utf8_replacing(bytes: &[u8]) -> (String, Vec<usize>) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut at = Vec::new();
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            at.push(text.len());
            text.push('\u{FFFD}');
        }
    }
    (text, at)
}

/// `3, 7, 12` (the first ten, then how many more).
pub fn list_lines(lines: &[usize]) -> String {
    let mut s = lines.iter().take(10).map(ToString::to_string).collect::<Vec<_>>().join(", ");
    if lines.len() > 10 {
        s.push_str(&format!(" and {} more", lines.len() - 10));
    }
    s
}

fn utf16(bytes: &[u8], enc: &'static Encoding, label: &'static str) -> Result<Vec<Decoded<'static>>, TextProblem> {
    let text = enc.decode_without_bom_handling_and_without_replacement(bytes).ok_or(TextProblem::BadUtf16)?;
    let text = text.trim_start_matches('\u{FEFF}').to_owned();
    non_empty(vec![Decoded::new(Cow::Owned(text), label, "UTF-16, as Teams and Webex write their reports")])
}

fn non_empty(candidates: Vec<Decoded>) -> Result<Vec<Decoded>, TextProblem> {
    match candidates.first() {
        Some(d) if d.text.chars().any(|c| !c.is_whitespace() && !",;\t\"".contains(c)) => Ok(candidates),
        _ => Err(TextProblem::Empty),
    }
}

/// Recognises the files staff most often upload by mistake, and anything else that is not text.
fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (
            b"PK\x03\x04",
            "a ZIP archive, not an Excel or OpenDocument workbook attest can read: export the report as CSV (or save it as .xlsx)",
        ),
        (b"\xD0\xCF\x11\xE0", "an old Office file that is not a workbook attest can read: save it as CSV or .xlsx"),
        (b"%PDF", "a PDF document, not a CSV export: download the participants report as CSV"),
        (b"\x89PNG", "a PNG image, not a CSV export: download the participants report as CSV"),
        (b"\xFF\xD8\xFF", "a JPEG image, not a CSV export: download the participants report as CSV"),
    ];
    for (sig, what) in SIGNATURES {
        if bytes.starts_with(sig) {
            return Some(what);
        }
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let control = head.iter().filter(|&&b| b < 0x09 || (0x0E..0x20).contains(&b) && b != 0x1B).count();
    // A stray NUL inside a name is survivable; a file of them is not text.
    if control > 8 && control * 50 > head.len() {
        return Some("a binary file, not a CSV export: download the participants report as CSV");
    }
    None
}

/// One row of cells, as the CSV reader saw it, with the physical line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// 1-based physical line number in the decoded text (CRLF, LF and lone CR all count once).
    pub line: usize,
    /// The cells in one buffer: a `String` per cell was 800,000 allocations for a 100,000-row
    /// export.
    pub fields: StringRecord,
    /// Set when the row's quotes never close (a truncated file or a stray quote).
    pub unterminated_quote: bool,
}

impl Record {
    /// True for blank and padding rows such as `,,,,,,`.
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }

    /// The cell at `i`, trimmed, or "" past the end (rows are often narrower than headers).
    pub fn cell(&self, i: usize) -> &str {
        self.fields.get(i).map(str::trim).unwrap_or("")
    }

    /// Number of cells up to the last non-empty one.
    pub fn width(&self) -> usize {
        (0..self.fields.len()).rfind(|&i| !self.cell(i).is_empty()).map_or(0, |i| i + 1)
    }
}

/// Guesses the delimiter from the start of the text: candidates ordered by how often they occur
/// outside quotes. The caller tries them in order and keeps the first that yields a known header.
pub fn delimiter_candidates(text: &str) -> Vec<u8> {
    let head: String = text.chars().take(8192).collect();
    let mut counts = [(b'\t', 0usize), (b';', 0), (b',', 0)];
    let mut in_quotes = false;
    for c in head.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\t' if !in_quotes => counts[0].1 += 1,
            ';' if !in_quotes => counts[1].1 += 1,
            ',' if !in_quotes => counts[2].1 += 1,
            _ => {}
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    counts.iter().map(|(d, _)| *d).collect()
}

/// Splits text into records. Blank lines are dropped by the CSV reader; padding rows of empty
/// cells are kept (the caller decides what they mean).
///
/// A large text is split on both cores: the second half from the first line start after the
/// middle, read as if a record began there, while the first half is read up to it. Whether one
/// does is known only when the first half's reading gets there (a quoted cell may hold line
/// breaks): if its last record runs past that line start, the second half's records are thrown
/// away and the text is read again in one go. A 100,000-row export was a ninth of its import's
/// time here.
pub fn records(text: &str, delimiter: u8, limit: Option<usize>) -> Vec<Record> {
    match limit.is_none().then(|| halfway(text)).flatten() {
        Some(split) => {
            let (first, second) = std::thread::scope(|s| {
                let second = s.spawn(|| read_part(text, split, None, delimiter, None));
                (read_part(text, 0, Some(split), delimiter, None), second.join())
            });
            match (first, second) {
                (Some(mut first), Ok(Some(second))) => {
                    let lines = first.lines;
                    first.records.extend(second.records.into_iter().map(|mut r| {
                        r.line += lines;
                        r
                    }));
                    Some(Part { last_start: second.last_start.or(first.last_start), ..first })
                }
                _ => read_part(text, 0, None, delimiter, None),
            }
        }
        None => read_part(text, 0, None, delimiter, limit),
    }
    .map_or_else(Vec::new, |p| p.finish(text, delimiter))
}

/// The records read from one part of a text, with the lines that part spans and where its
/// last record starts (`None` when the reading stopped before the end of the text).
struct Part {
    records: Vec<Record>,
    lines: usize,
    last_start: Option<usize>,
}

impl Part {
    /// The records, the last one marked if its quote never closed (only the last record can
    /// swallow an unclosed quote: the reader runs to the end of input).
    fn finish(self, text: &str, delimiter: u8) -> Vec<Record> {
        let mut records = self.records;
        if let (Some(last), Some(start)) = (records.last_mut(), self.last_start) {
            last.unterminated_quote = quote_left_open(&text[start..], delimiter);
        }
        records
    }
}

/// Texts from this size on are read in two halves.
const TWO_HALVES_FROM: usize = 1 << 20;

/// The first line start after the middle of a large text whose line holds something (a blank
/// line is skipped by the reader, and a byte-order mark would be dropped there); `None` for a
/// smaller text or one without such a line.
fn halfway(text: &str) -> Option<usize> {
    if text.len() < TWO_HALVES_FROM {
        return None;
    }
    let bytes = text.as_bytes();
    let mut from = text.len() / 2;
    while let Some(nl) = memchr::memchr(b'\n', &bytes[from..]) {
        let at = from + nl + 1;
        if !matches!(bytes.get(at), None | Some(b'\r' | b'\n' | 0xEF)) {
            return Some(at);
        }
        from = at;
    }
    None
}

/// Reads the records of `text` that start at `from` or after, with their line numbers counted
/// from `from` (which starts a line). With `stop` (a line start), reads only those that start
/// before it: `None` when no record starts exactly there (one runs past it, or to the end).
///
/// Lines are counted as the records come, over the bytes between one record's start and the
/// next: detection reads 200 records of a 100,000-row file, and numbering every line of the
/// file first made each detection a pass over all of it.
fn read_part(text: &str, from: usize, stop: Option<usize>, delimiter: u8, limit: Option<usize>) -> Option<Part> {
    let bytes = text.as_bytes();
    // Detection reads a few hundred records only: there the checks run per record, not over
    // the whole file.
    let part = &bytes[from..stop.unwrap_or(bytes.len())];
    let whole_clean = limit.is_none() && !suspect(part);
    // Cells that Excel wrapped as formulas to keep them text (`="2021-06-14 17:02:26"`): looked
    // for once in the whole text, so that files without any pay nothing per record.
    let formulas = limit.is_some() || memchr::memmem::find(part, b"=\"").is_some();
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(&bytes[from..]);
    let mut records = Vec::new();
    let mut last_start = None;
    // The line `counted.0` is on: `counted.1`.
    let mut counted = (from, 1);
    let mut line_of = |start: usize| {
        counted = (start, counted.1 + line_breaks(&bytes[counted.0..start]));
        counted.1
    };
    let mut rec = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            // The reader only fails on invalid UTF-8, which `decode` has ruled out; stop rather
            // than loop if it ever happens.
            Err(_) => break,
        }
        // The reader reports where it started reading, which is before any blank lines it
        // skipped (and before the LF of a CRLF it ended the previous record on).
        let mut start = from + rec.position().map_or(0, |p| p.byte() as usize);
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        match stop {
            // The lines before the next part's first.
            Some(stop) if start == stop => return Some(Part { records, lines: line_of(stop) - 1, last_start }),
            Some(stop) if start > stop => return None,
            _ => {}
        }
        let line = line_of(start);
        let mut fields = if whole_clean { rec.clone() } else { clean(&rec) };
        if formulas && fields.iter().any(|f| formula_text(f).is_some()) {
            fields = fields.iter().map(|f| formula_text(f).unwrap_or_else(|| f.to_owned())).collect();
        }
        records.push(Record { line, fields, unterminated_quote: false });
        last_start = Some(start);
        if limit.is_some_and(|l| records.len() >= l) {
            // Not read to the end: its last record's quotes are not known to stay open.
            last_start = None;
            break;
        }
    }
    let lines = counted.1;
    stop.is_none().then_some(Part { records, lines, last_start })
}

/// The line breaks in `bytes`: CRLF, LF and a lone CR each count once.
fn line_breaks(bytes: &[u8]) -> usize {
    let lone_cr = memchr::memchr_iter(b'\r', bytes).filter(|&i| bytes.get(i + 1) != Some(&b'\n')).count();
    memchr::memchr_iter(b'\n', bytes).count() + lone_cr
}

/// A copy of the record with [`clean_cell`] applied to every cell. Most records hold no control
/// character at all; that is checked on the record's bytes at once (`0xC2` leads the C1 controls,
/// and a few printable characters, which then take the exact path).
fn clean(rec: &StringRecord) -> StringRecord {
    if suspect(rec.as_slice().as_bytes()) { rec.iter().map(clean_cell).collect() } else { rec.clone() }
}

/// Whether `bytes` may hold a control character. Written without an early exit inside each
/// block so that it compiles to vector instructions: the whole text is checked first, and a
/// text without any (nearly every export) skips the check per record.
fn suspect(bytes: &[u8]) -> bool {
    bytes.chunks(64).any(|block| {
        block.iter().fold(false, |acc, &b| {
            acc | ((b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t')) | (b == 0x7F) | (b == 0xC2)
        })
    })
}

/// The text inside a cell that Excel wrote as a formula returning text, `="…"` (with `""` for a
/// quote inside), which keeps a date or an ID from being reformatted when the file is opened.
/// Any other cell, formulas that compute something included, is `None` and kept as it is.
pub fn formula_text(cell: &str) -> Option<String> {
    let t = cell.trim();
    let inner = t.strip_prefix("=\"")?.strip_suffix('"')?;
    // A lone quote inside would mean the formula goes on after the string (`="a"&B2`).
    if inner.replace("\"\"", "").contains('"') {
        return None;
    }
    Some(inner.replace("\"\"", "\""))
}

/// Drops control characters (a NUL or a vertical tab in a name) but keeps line breaks that a
/// quoted cell may legitimately hold.
fn clean_cell(s: &str) -> String {
    if s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        s.chars().filter(|c| !c.is_control() || *c == '\n').collect()
    } else {
        s.to_owned()
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = Vec::with_capacity(bytes.len() / 64);
    starts.push(0);
    let mut ends = memchr::memchr2_iter(b'\r', b'\n', bytes);
    while let Some(i) = ends.next() {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            ends.next();
            starts.push(i + 2);
        } else {
            starts.push(i + 1);
        }
    }
    starts
}

/// Follows RFC 4180 quoting over the raw tail of the file and reports whether a quoted field is
/// still open at the end.
fn quote_left_open(raw: &str, delimiter: u8) -> bool {
    let bytes = raw.as_bytes();
    let (mut in_quotes, mut field_start) = (false, true);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if in_quotes {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                }
            }
        } else if b == b'"' && field_start {
            in_quotes = true;
            field_start = false;
        } else {
            field_start = b == delimiter || b == b'\n' || b == b'\r';
        }
        i += 1;
    }
    in_quotes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Detection reads the first records only: the last of them is not taken for one whose quote
    /// never closes because a quote stays open further on (nor is the rest of the text read).
    #[test]
    fn the_first_records_alone_say_nothing_of_a_quote_left_open_later() {
        let text = "a,b\nc,d\n\"open,e\n";
        let head = records(text, b',', Some(2));
        assert_eq!(head.len(), 2);
        assert!(!head[1].unterminated_quote);
        assert!(records(text, b',', None)[2].unterminated_quote);
    }

    /// A large text read in two halves gives exactly the records one reading gives: lines
    /// counted across the halves, CRLF, blank lines and a byte-order mark at the middle, a
    /// quoted cell whose line breaks cross it (read again in one go), an unclosed quote at the
    /// end, and one before the middle, which swallows the rest of the text.
    #[test]
    fn a_large_text_read_in_two_halves_reads_as_in_one() {
        let row = |i: usize| format!("Person {i},p{i}@example.org,\"03/14/2025 10:00:00 AM\",90");
        let body = |n: usize, eol: &str| (0..n).map(|i| row(i) + eol).collect::<String>();
        let n = TWO_HALVES_FROM / 40;
        let mut crossing = body(n / 2, "\n");
        crossing.push_str("\"a cell\n");
        crossing.push_str(&"with\nline breaks\n".repeat(n / 4));
        crossing.push_str("\",end\n");
        crossing.push_str(&body(n / 2, "\n"));
        let half = body(n, "\n");
        let blank_middle =
            format!("{}\n\n\u{feff}x,y\n\n{}", &half[..half.len() / 2 + 60].rsplit_once('\n').unwrap().0, half);
        // Rows without quotes of their own after it: nothing closes it.
        let unquoted = body(n / 2, "\n").replace('"', "");
        let swallowed = unquoted.clone() + "\"never closed\n" + &unquoted;
        let unclosed = body(n, "\n") + "\"unclosed,cell\nrest";
        for text in [body(n, "\n"), body(n, "\r\n"), blank_middle, crossing, unclosed, swallowed] {
            assert!(halfway(&text).is_some());
            let one = read_part(&text, 0, None, b',', None).unwrap().finish(&text, b',');
            let two = records(&text, b',', None);
            assert_eq!(two.len(), one.len());
            assert!(two == one, "the halves read differently");
        }
    }

    #[test]
    fn two_utf8_boms_are_both_stripped() {
        let d = decode(b"\xEF\xBB\xBF\xEF\xBB\xBFName,Join\n").unwrap();
        assert_eq!(d[0].text, "Name,Join\n");
        assert_eq!(d[0].encoding, "utf-8 (several BOMs)");
    }

    #[test]
    fn utf16_le_with_bom_is_decoded() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Name\tRole\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d[0].text, "Name\tRole\r\n");
        assert_eq!(d[0].encoding, "utf-16le");
    }

    #[test]
    fn cp1252_is_offered_when_bytes_are_not_utf8() {
        let d = decode(b"Mar\xEDa;Pe\xF1a\r\n").unwrap();
        assert_eq!(d[0].text, "María;Peña\r\n");
    }

    #[test]
    fn a_file_with_a_utf8_bom_stays_utf8_whatever_its_damage() {
        // One invalid sequence (a lone surrogate's bytes) used to switch the whole file to cp1252.
        let mut bytes = b"\xEF\xBB\xBFName,Email\n\xC5\xBBaneta W\xC3\xB3jcik,z@x.pl\n".to_vec();
        bytes.extend_from_slice(b"Bad \xED\xA0\x80 name,b@x.pl\nAnna,a@x.pl\n");
        let d = decode(&bytes).unwrap();
        assert_eq!(d.len(), 1, "no other reading is offered");
        assert_eq!(d[0].encoding, "utf-8 (BOM)");
        assert!(d[0].text.contains("Żaneta Wójcik"), "{}", d[0].text);
        assert!(d[0].text.contains("Bad \u{FFFD}"), "{}", d[0].text);
        assert_eq!(d[0].damaged_lines, vec![3]);
        assert!(d[0].why.contains("line(s) 3"), "{}", d[0].why);
    }

    #[test]
    fn mostly_utf8_without_a_bom_is_utf8_with_the_damage_located() {
        let bytes = b"Name\nZo\xC3\xAB\nRen\xC3\xA9e\nbad \xFF\n".to_vec();
        let d = decode(&bytes).unwrap();
        assert_eq!(d[0].encoding, "utf-8");
        assert_eq!(d[0].damaged_lines, vec![4]);
    }

    #[test]
    fn a_legacy_file_says_why_it_was_read_as_cp1252() {
        let d = decode(b"Name\nMar\xEDa\n").unwrap();
        assert_eq!(d[0].encoding, "windows-1252");
        assert!(d[0].why.contains("not UTF-8 (from line 2)"), "{}", d[0].why);
        assert!(d[0].damaged_lines.is_empty());
    }

    #[test]
    fn accented_latin_that_is_also_valid_shift_jis_stays_cp1252() {
        // `é` + `l` and `è` + `v` are also Shift-JIS kanji.
        let (bytes, _, _) = WINDOWS_1252.encode("Name\nH\u{e9}l\u{e8}ne Lef\u{e8}vre\n");
        let d = decode(&bytes).unwrap();
        assert!(d.iter().any(|c| c.encoding == "shift_jis"), "both readings are offered");
        assert_eq!(d[0].encoding, "windows-1252");
        assert_eq!(d[0].text, "Name\nHélène Lefèvre\n");
    }

    #[test]
    fn xlsx_and_empty_files_are_named() {
        assert!(matches!(decode(b""), Err(TextProblem::Empty)));
        assert!(matches!(decode(b"PK\x03\x04rest"), Err(TextProblem::Binary(w)) if w.contains("xlsx")));
        assert!(matches!(decode(b" ,,\r\n,,\n"), Err(TextProblem::Empty)));
    }

    #[test]
    fn lone_cr_crlf_and_lf_each_count_as_one_line() {
        let recs = records("a,b\rc,d\r\ne,f\ng,h", b',', None);
        let lines: Vec<usize> = recs.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 4]);
    }

    #[test]
    fn control_characters_are_dropped_wherever_they_are() {
        // The whole text is checked in blocks of 64 bytes: put the NUL and the vertical tab
        // well past the first block, and a C1 control (U+0085, after the 0xC2 lead byte) too.
        let mut text = "Name,Email\n".repeat(20);
        text.push_str("Ma\u{0}rie\u{b},x\u{85}y\n\"two\nlines\",z\n");
        let recs = records(&text, b',', None);
        assert_eq!(recs[20].fields.get(0), Some("Marie"));
        assert_eq!(recs[20].fields.get(1), Some("xy"));
        // A line break inside a quoted cell is kept.
        assert_eq!(recs[21].fields.get(0), Some("two\nlines"));
        assert_eq!((recs[20].line, recs[21].line), (21, 22));
        // Nothing to clean: cells are returned as they were, tabs and all.
        assert_eq!(records("a\tb,c\n", b',', None)[0].fields.get(0), Some("a\tb"));
    }

    #[test]
    fn blank_lines_keep_later_line_numbers_right() {
        let recs = records("a,b\n\n\nc,d\n", b',', None);
        assert_eq!(recs[1].line, 4);
    }

    #[test]
    fn unclosed_quote_at_end_is_flagged() {
        let recs = records("a,b\n\"Dupont, Ma", b',', None);
        assert!(recs.last().unwrap().unterminated_quote);
        let ok = records("a,b\n\"Dupont, Marie\",x\n", b',', None);
        assert!(!ok.last().unwrap().unterminated_quote);
        let escaped = records("a,b\n\"say \"\"hi\"\"\",x", b',', None);
        assert!(!escaped.last().unwrap().unterminated_quote);
    }

    #[test]
    fn cells_excel_wrapped_as_formulas_are_read_as_their_text() {
        // Unquoted (as Excel writes it) and quoted (as a CSV writer escapes it), in any column.
        let recs =
            records("Name,Join\nAna,=\"2021-06-14 17:02:26\"\n\"=\"\"Bo \"\"\"\"B\"\"\"\"\"\"\",x\n", b',', None);
        assert_eq!(recs[1].fields.get(1), Some("2021-06-14 17:02:26"));
        assert_eq!(recs[2].fields.get(0), Some("Bo \"B\""));
        // A formula that computes something is left alone.
        assert_eq!(formula_text("=\"a\"&B2"), None);
        assert_eq!(formula_text("=SUM(A1:A3)"), None);
        assert_eq!(records("a,=b\n", b',', None)[0].fields.get(1), Some("=b"));
    }

    #[test]
    fn delimiter_with_most_unquoted_hits_comes_first() {
        assert_eq!(delimiter_candidates("a;b;c\n\"x,y\";2;3")[0], b';');
        assert_eq!(delimiter_candidates("a\tb\tc")[0], b'\t');
    }
}
