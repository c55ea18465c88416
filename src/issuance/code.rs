//! A certificate's code: 128 random bits written in Crockford base32, read back as people type it,
//! and the names made from it (the verify URL, a file name that no other certificate takes).

use super::IssueError;

/// A random 128-bit certificate identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CertificateId(pub [u8; 16]);

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

impl CertificateId {
    pub fn random() -> Result<Self, IssueError> {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b).map_err(|e| IssueError::Invalid(format!("random number generator: {e}")))?;
        Ok(CertificateId(b))
    }

    /// 26 characters of Crockford base32: 128 bits and two zero bits of padding at the end.
    pub fn code(&self) -> String {
        let v = u128::from_be_bytes(self.0);
        (0..26i32)
            .map(|i| {
                let idx = match 123 - 5 * i {
                    shift if shift >= 0 => (v >> shift) & 31,
                    _ => (v << 2) & 31,
                };
                CROCKFORD[idx as usize] as char
            })
            .collect()
    }

    /// Reads a code as people type it: any case, with or without dashes and spaces, `I`/`L`
    /// for 1 and `O` for 0.
    pub fn parse(input: &str) -> Option<Self> {
        let mut symbols = Vec::with_capacity(26);
        for c in input.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c.to_ascii_uppercase() {
                'I' | 'L' => '1',
                'O' => '0',
                c => c,
            };
            symbols.push(CROCKFORD.iter().position(|&x| x as char == c)? as u128);
        }
        let (&last, first) = symbols.split_last().filter(|_| symbols.len() == 26)?;
        if last & 3 != 0 {
            return None; // the padding bits must be zero
        }
        let v = first.iter().fold(0u128, |n, s| (n << 5) | s);
        Some(CertificateId(((v << 3) | (last >> 2)).to_be_bytes()))
    }
}

/// `7KQ2M9XD3F…` → `7KQ2M-9XD3F-8AWC1-T9ZZB-H4QKR2`: five groups that are easy to read aloud.
pub fn grouped(code: &str) -> String {
    let mut out = String::with_capacity(31);
    for (i, c) in code.chars().enumerate() {
        if i > 0 && i % 5 == 0 && i < 25 {
            out.push('-');
        }
        out.push(c);
    }
    out
}

/// The verify URL for a token.
pub fn verify_url(public_url: &str, token: &str) -> String {
    format!("{}/v/{token}", public_url.trim_end_matches('/'))
}

/// A file name from a person's name: letters and digits of any script kept, everything else
/// (path separators, quotes, control characters) replaced, and the start of the code appended
/// so that two people with one name never overwrite each other.
pub fn file_name(name: &str, code: &str) -> String {
    let mut base = String::new();
    for c in name.chars() {
        // The marks and joiners inside a word are part of it: Devanagari's virama is neither
        // letter nor digit, and `प्रिया` was cut into `प_रिया`.
        let mark = unicode_bidi::bidi_class(c) == unicode_bidi::BidiClass::NSM || matches!(c, '\u{200C}' | '\u{200D}');
        if c.is_alphanumeric() || c == '-' || (mark && !base.is_empty() && !base.ends_with('_')) {
            base.push(c);
        } else if !base.ends_with('_') {
            base.push('_');
        }
    }
    let base: String = base.trim_matches(|c| c == '_' || c == '-').chars().take(60).collect();
    let base = if base.is_empty() { "certificate".to_owned() } else { base };
    format!("{base}-{}.pdf", &code[..5])
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_forgive_typing() {
        for seed in [[0u8; 16], [0xFF; 16], *b"0123456789abcdef"] {
            let id = CertificateId(seed);
            let code = id.code();
            assert_eq!(code.len(), 26);
            assert_eq!(CertificateId::parse(&code), Some(id));
            let typed = grouped(&code).to_lowercase().replace('0', "o").replace('1', "l");
            assert_eq!(CertificateId::parse(&typed), Some(id), "{typed}");
        }
        assert_eq!(grouped("ABCDEFGHJKMNPQRSTVWXYZ0123"), "ABCDE-FGHJK-MNPQR-STVWX-YZ0123");
        assert_eq!(CertificateId::parse("ABC"), None);
        assert_eq!(CertificateId::parse("ZZZZZZZZZZZZZZZZZZZZZZZZZZ"), None);
    }

    #[test]
    fn file_names_are_safe_and_unique_per_code() {
        assert_eq!(file_name("Wójcik, Żaneta", "7KQ2M9XD3F"), "Wójcik_Żaneta-7KQ2M.pdf");
        assert_eq!(file_name("../../etc/passwd", "ABCDEFG"), "etc_passwd-ABCDE.pdf");
        assert_eq!(file_name("محمد العلوي", "ABCDEFG"), "محمد_العلوي-ABCDE.pdf");
        assert_eq!(file_name("=cmd|' /C calc'!A0", "ABCDEFG"), "cmd_C_calc_A0-ABCDE.pdf");
        assert_eq!(file_name("\u{0}\u{7}", "ABCDEFG"), "certificate-ABCDE.pdf");
        assert_eq!(file_name("प्रिया शर्मा", "ABCDEFG"), "प्रिया_शर्मा-ABCDE.pdf");
        assert_eq!(file_name("ශ්\u{200D}රියා", "ABCDEFG"), "ශ්\u{200D}රියා-ABCDE.pdf");
    }
}
