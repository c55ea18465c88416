//! Telephone callers nobody identified, told from names: the number Zoom names a caller by, the
//! placeholders Zoom and Webex give, numbers after a word for a telephone in the seminars'
//! languages or beside one word (a place, a line's label), numbers whose digits are hidden or
//! lost to Excel's scientific notation. No certificate can be made out to such a name until staff
//! say who it is; a name that holds a number beside more words is looked at ([`holds_a_number`]).

/// `+33 1 23 45 67 89`, `(202) 555-0143`: digits and the signs numbers are written with. Zoom
/// names a caller it cannot identify by the number.
pub fn is_telephone_number(s: &str) -> bool {
    s.chars().filter(char::is_ascii_digit).count() >= 6 && s.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

/// A name that stands for a telephone caller nobody identified: the number, or the placeholder
/// Zoom and Webex give (`Call-In User_1`, as public attendance scripts list it), the number as
/// Microsoft Graph writes a phone identity (`tel:+33123456789`), a number whose digits are hidden
/// ([`masked_number`]) or one Excel wrote in scientific notation ([`number_in_scientific_notation`]),
/// after a word saying it is a telephone's (`Telefon: …`, `電話 …`) or beside one word, a place
/// or a line's label (`+385 1 2345 678 (Zagreb)`, `GSM +32 …`). No certificate can be made out to it.
pub fn unnamed_caller(name: &str) -> bool {
    let n = name.trim();
    let placeholder = n
        .to_lowercase()
        .strip_prefix("call-in user")
        .is_some_and(|rest| rest.trim_start_matches(['_', ' ']).chars().all(|c| c.is_ascii_digit()));
    let a_number = |s: &str| {
        let number = strip_tel(s);
        is_telephone_number(number) || masked_number(number) || number_in_scientific_notation(number)
    };
    placeholder || a_number(n) || after_phone_word(n).is_some_and(a_number) || beside_one_word(n).is_some_and(a_number)
}

/// Whether a name holds a telephone number of eight digits or more beside its words (`Salle
/// Rhin +33 1 40 00 00 00`, `Anna Kowalska +48 600 123 456`): a line's label or a person who typed
/// their number, which staff look at before a certificate is made out to it.
pub fn holds_a_number(name: &str) -> bool {
    let mut digits = 0;
    for c in name.chars() {
        match c {
            '0'..='9' => digits += 1,
            ' ' | '+' | '-' | '(' | ')' | '.' => {}
            _ => digits = 0,
        }
        if digits >= 8 {
            return true;
        }
    }
    false
}

/// The number of a name that is a number and one word before or after it (`Paris +33 1 23 45 67
/// 89`, `+33 1 23 45 67 89 - Lyon`, `GSM +32 475 12 34 56`, `+385 1 2345 678 (Zagreb)`): a place
/// or a line's label, no one's name; each was certified (round 25 and its re-test). Two words
/// (`Anna Kowalska +48 600 123 456`) are a person who typed their number.
fn beside_one_word(n: &str) -> Option<&str> {
    let number_sign = |c: char| c.is_ascii_digit() || "+-().".contains(c);
    let first = n.find(|c: char| c.is_ascii_digit() || c == '+')?;
    let last = n.rfind(|c: char| c.is_ascii_digit())? + 1;
    let (before, number, after) = (&n[..first], &n[first..last], &n[last..]);
    fn gap(s: &str) -> &str {
        s.trim_matches(|c: char| c.is_whitespace() || "-–:()[],".contains(c))
    }
    let word = |s: &str| !s.is_empty() && !s.contains(char::is_whitespace) && s.chars().all(char::is_alphabetic);
    let sides = (gap(before), gap(after));
    let one_word = match sides {
        ("", w) | (w, "") => word(w),
        _ => false,
    };
    (one_word && number.chars().all(|c| number_sign(c) || c == ' ')).then_some(number.trim())
}

/// The name after a word that says it is a telephone's (`Dial-in +33 1 23 45 67 89`, `Phone
/// 0612345678`, `Telefon: +49 30 123456`, `Τηλέφωνο …`, `電話 …`), when it is one: a tester's Meet
/// report listed a caller so, certified for 90 minutes under the number (round 23), and the word
/// in Finnish, German, Greek, Russian, Swahili or Japanese certified the caller again (round 25:
/// `tel` was taken for the start of `Telefon`, and the other words were missing). The words are
/// "telephone", "phone", "mobile" and their abbreviations in the languages of the seminars'
/// officials (dictionary words: no export naming a caller so was found).
fn after_phone_word(n: &str) -> Option<&str> {
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "dial-in", "dial in", "dialin", "phone", "telephone", "tel.", "tel", "caller", "call-in", "mobile",
        "mob.", "cell", "cellphone", "téléphone", "tél.", "tél", "portable", "teléfono", "móvil", "celular",
        "telefone", "telemóvel", "telefono", "cellulare", "telefon", "handy", "mobil", "einwahl", "telefoon",
        "mobiel", "komórka", "telefón", "puhelin", "puh.", "tfn", "tlf", "telefonas", "tālrunis", "tālr.",
        "telefoni", "τηλέφωνο", "τηλ.", "телефон", "тел.", "тел", "моб.", "هاتف", "טלפון", "تلفن", "फ़ोन",
        "फोन", "टेलीफ़ोन", "ফোন", "電話", "电话", "전화", "điện thoại", "โทรศัพท์", "telepon", "simu",
        "nambari ya simu", "ტელეფონი", "հեռախոս", "zoom phone", "cell phone", "mobile phone", "conference phone",
        "telephone user", "phone user", "phone line",
    ];
    let lower = n.to_lowercase();
    WORDS.iter().filter(|w| lower.starts_with(*w)).find_map(|w| {
        // The word's length in the name as written (lower case may be longer or shorter).
        let chars = w.chars().count();
        let at = n.char_indices().nth(chars).map_or(n.len(), |(i, _)| i);
        // A word, not the start of a longer one (`tel` of `Telefon`).
        if n[at..].starts_with(char::is_alphabetic) {
            return None;
        }
        let rest = n[at..].trim_start_matches([':', ' ', '.', '\u{a0}', '：']);
        rest.starts_with(|c: char| c.is_ascii_digit() || "+(".contains(c)).then_some(rest)
    })
}

/// `tel:+33123456789` → `+33123456789`: the `tel:` URI (RFC 3966) in which Microsoft Graph
/// names a phone participant's identity.
pub(super) fn strip_tel(n: &str) -> &str {
    match n.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("tel:") => n[4..].trim(),
        _ => n,
    }
}

/// `+33 1 ** ** ** 89`, `+1 206-***-**00`, `+4021*****67`: a dial-in caller's number with digits
/// hidden (Teams' `MaskPstnNumbersType` setting masks them for external users by default; Zoom
/// masks callers' numbers in its participant lists when its account setting says so). The mask
/// character is a tester's guess (`*`; `x` and `•` are taken too): no export showing one was found.
pub fn masked_number(s: &str) -> bool {
    let s = strip_tel(s.trim());
    let masks = s.chars().filter(|c| matches!(c, '*' | 'x' | 'X' | '•')).count();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    masks >= 2
        && digits >= 2
        && masks + digits >= 6
        && s.chars().all(|c| c.is_ascii_digit() || matches!(c, '*' | 'x' | 'X' | '•') || " +-().".contains(c))
}

/// `4,4779E+11`, `4.4779E+11`: a telephone number of twelve digits as Excel's General format
/// shows it, and writes it into a CSV it saves (it reads `+447790012345` as a number). The digits
/// after the fifth are gone: two callers can share the text.
pub fn number_in_scientific_notation(s: &str) -> bool {
    let s = s.trim().trim_start_matches('+');
    let Some((mantissa, exponent)) = s.split_once(['E', 'e']) else { return false };
    let (whole, fraction) = mantissa.split_once(['.', ',']).unwrap_or((mantissa, "0"));
    let digits = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit());
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    digits(whole) && digits(fraction) && digits(exponent) && exponent.parse::<u32>().is_ok_and(|e| e >= 5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::names::printed_name;

    #[test]
    fn callers_nobody_identified_are_told_from_names() {
        for caller in ["+33 1 23 45 67 89", "(202) 555-0143", "Call-In User_1", "call-in user 12"] {
            assert!(unnamed_caller(caller), "{caller}");
        }
        for name in ["Ana Ruiz", "Call-in User Support Desk", "R2-D2", "Agent 007", "Loki (iPhone)"] {
            assert!(!unnamed_caller(name), "{name}");
        }
        // After the word for a telephone in another language, or before a place (round 25).
        let round_25 = [
            "Puhelin +358 9 1234 567",
            "Telefon: +49 30 123456",
            "Tél. +33 1 23 45 67 89",
            "Τηλέφωνο +30 21 0123 4567",
            "Телефон +7 495 123-45-67",
            "Simu: +255 22 211 1234",
            "Nambari ya simu +254 20 1234567",
            "電話 +81 3-1234-5678",
            "फ़ोन: +91 11 2345 6789",
            "+385 1 2345 678 (Zagreb)",
        ];
        for caller in round_25 {
            assert!(unnamed_caller(caller), "{caller}");
        }
        // Beside one word, a place or a line's label (round 25's re-test).
        for caller in
            ["GSM +32 475 12 34 56", "Audio +33 1 40 00 00 00", "Paris +33 1 23 45 67 89", "+33 1 23 45 67 89 - Lyon"]
        {
            assert!(unnamed_caller(caller), "{caller}");
        }
        for caller in ["Zoom Phone +1 555 123 4567", "Cell Phone +1 555 987 6543", "Conference Phone +33 1 40 00 00 00"]
        {
            assert!(unnamed_caller(caller), "{caller}");
        }
        // A number beside two words or more is a person's or a line's: looked at, not refused.
        assert!(holds_a_number("Salle Rhin +33 3 88 41 20 00") && holds_a_number("Anna Kowalska +48 600 123 456"));
        assert!(!holds_a_number("Li Wei 2") && !holds_a_number("Room 3 (Li Na)"));
        let people = ["Anna Kowalska +48 600 123 456", "Room 1234567 Ana Ruiz", "Agent 007"];
        for name in people.into_iter().chain(["Telefonica Madrid", "Tel Aviv Office", "Simu Liu", "Anna (Zagreb)"]) {
            assert!(!unnamed_caller(name), "{name}");
        }
        // A number with one word in brackets prints whole, for the caller to be told; a caller
        // the host renamed to a name prints the name.
        assert_eq!(printed_name("+385 1 2345 678 (Zagreb)"), "+385 1 2345 678 (Zagreb)");
        assert_eq!(printed_name("+385 1 2345 678 (Ana Horvat)"), "Ana Horvat");
    }
}
