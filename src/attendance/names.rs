//! Names and addresses as people are matched by them: case folding, role and guest tags,
//! devices, renames, notes and roll-call prefixes in display names; addresses trimmed and lower
//! cased.
//!
//! Shared by the event decision (grouping rows into people), the series decision (matching
//! people across events), the importer (host suffixes) and the store (name keys). It only
//! *reads* names; it does not decide who is whom: that is the `people` phase's work,
//! where a name joins someone only when exactly one person bears it.

use unicode_normalization::UnicodeNormalization;

use super::callers::{is_telephone_number, masked_number, number_in_scientific_notation, strip_tel};

/// An address as people are matched by it (trimmed, lower case), if it looks like one: the
/// check the request form and staff accounts share. Deliverability is the mail server's to judge.
pub fn plausible_email(s: &str) -> Option<String> {
    let e = s.trim().to_lowercase();
    let ok = e.len() <= 254 && e.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'));
    ok.then_some(e)
}

/// Characters a name carries but nobody reads: the direction marks and embeddings a
/// right-to-left name is typed or pasted with (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069),
/// zero-width spaces, word joiners, byte-order marks and soft hyphens. The joiners that shape
/// Persian and Indic names (U+200C, U+200D) are letters' business, and kept.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{AD}')
}

/// Emoji and the pictographs beside them (`Maria 🌻`, `Jean ✈️`, a flag): Zoom and Teams display
/// names carry them, a certificate does not, and no font of the certificate has them (they
/// printed as empty boxes). Regional indicators (flags), skin tones, tags and keycaps included.
fn pictograph(c: char) -> bool {
    matches!(c, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}' | '\u{E0020}'..='\u{E007F}' | '\u{20E3}')
}

/// `display` without its pictographs, the variation selectors and joiners that bind them, and the
/// white space they leave, collapsed; a joiner between letters (Persian, Indic) is kept.
fn without_pictographs(display: &str) -> String {
    let chars: Vec<char> = display.chars().collect();
    let near_pictograph = |i: usize| {
        i.checked_sub(1).is_some_and(|j| pictograph(chars[j])) || chars.get(i + 1).is_some_and(|&n| pictograph(n))
    };
    let kept: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, &c)| {
            let binds_a_pictograph = matches!(c, '\u{FE0F}' | '\u{200D}') && near_pictograph(i);
            !pictograph(c) && !binds_a_pictograph
        })
        .map(|(_, &c)| c)
        .collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Unicode NFKC, case-folded, whitespace collapsed: the form names are compared in.
///
/// Lower-casing is not case folding: `STRAUSS` and `Strauß`, `ΠΑΠΑΣ` and `Παπας` (final
/// sigma) are one name written in capitals, and were two people. The few characters whose full
/// case folding differs from their lower case in names are folded here.
pub fn normalise_name(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut push = |c: char| {
        if invisible(c) {
            // Not part of the name: the same name with and without a mark is one person.
        } else if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    };
    // NFKC is the identity on ASCII, and most names in an export are ASCII.
    if s.is_ascii() {
        s.chars().map(|c| c.to_ascii_lowercase()).for_each(&mut push);
    } else {
        for c in s.nfkc().flat_map(char::to_lowercase) {
            match c {
                'ß' => "ss".chars().for_each(&mut push),
                'ς' => push('σ'),
                'ſ' => push('s'),
                c => push(c),
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The form names are matched in: [`normalise_name`]'s, and beyond it what one name written two
/// ways differs by where a script's own rules make the difference no difference:
/// - Turkish `İ` and `ı`: a name typed in capitals, `İBRAHİM`, was `i̇brahim` (case folding gives
///   `i` and a combining dot) beside `ibrahim`; and `YILMAZ` is `Yılmaz` typed without a Turkish
///   keyboard. Both fold to `i`.
/// - Greek accents: Greek orthography writes capitals without them (`ΣΟΦΙΑ ΠΑΠΑ` is `Σοφία
///   Παπά`), so tonos, dialytika and the polytonic marks are dropped from Greek letters.
/// - The space between a Chinese, Japanese or Korean family and given name, which is optional
///   (`田中 誠` and `田中誠`, `김 민준` and `김민준`).
///
/// Latin accents are kept: `ñ`, `ş`, `ø`, `ä` are other letters in the languages that write them,
/// and two names that differ only by one (`Peña` and `Pena`, `Şahin` and `Sahin`) are often two
/// families; a guest merged on that guess would add a stranger's time to a person, with a note
/// and no review. Staff link such rows (`attest people link`).
pub fn matching_form(normalised: &str) -> String {
    let cjk_char = |c: char| east_asian(c) || ('\u{F900}'..='\u{FAFF}').contains(&c);
    let greek = |c: char| matches!(c, '\u{0370}'..='\u{03FF}' | '\u{1F00}'..='\u{1FFF}');
    // Most names have none of what is folded here (every row's name is asked, twice): copied as
    // they are, with no walk through their characters.
    if normalised.is_ascii() || !normalised.chars().any(|c| c == 'ı' || c == '\u{307}' || greek(c) || cjk_char(c)) {
        return normalised.to_owned();
    }
    let chars: Vec<char> = normalised.chars().collect();
    let cjk = |c: Option<&char>| c.is_some_and(|&c| cjk_char(c));
    let mut out = String::with_capacity(normalised.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            ' ' if cjk(i.checked_sub(1).and_then(|j| chars.get(j))) && cjk(chars.get(i + 1)) => {}
            'ı' => out.push('i'),
            // The dot case folding leaves after `i` from `İ`.
            '\u{307}' if out.ends_with('i') => {}
            c if greek(c) => unicode_normalization::char::decompose_canonical(c, |d| {
                if !('\u{300}'..='\u{36F}').contains(&d) {
                    out.push(d);
                }
            }),
            c => out.push(c),
        }
    }
    out
}

/// Suffixes that mark the host (Zoom adds some, hosts type others, GoTo Meeting's attendee list
/// marks its organiser); the importer gives such rows the host role, in every family, and names
/// are compared without them.
pub const HOST_SUFFIXES: &[&str] = &[
    "(host)",
    "(organizer)",
    "(organiser)",
    "(organisateur)",
    "(organisatrice)",
    "(organizador)",
    "(organizadora)",
    // The Polish, Romanian and Czech word (Teams' Polish role name, words.rs).
    "(organizator)",
    "(co-host)",
    "(cohost)",
    "(hôte)",
    "(co-hôte)",
    "(anfitrión)",
    "(coanfitrión)",
    "(ホスト)",
    "(共同ホスト)",
    // Zoom's host and co-host in its localized help article "Enabling and adding a co-host"
    // (support.zoom.com): Korean KB0066644, Chinese simplified KB0066655 and traditional
    // KB0066654, Brazilian Portuguese KB0066649, Polish KB0066646 ("Role na spotkaniu":
    // prowadzący, współprowadzący), Russian KB0066653; German Zoom says `Host`, `Co-Host` (KB0066648,
    // above). That an export tags names with them as the English one does `(Host)` is a tester's
    // file, by analogy with the Japanese `(ホスト)`: unknown, a co-host was an eligible attendee
    // whose certificate would have read "공동 호스트", the tag taken for the original name.
    "(호스트)",
    "(공동 호스트)",
    "(主持人)",
    "(联席主持人)",
    "(聯席主持人)",
    "(anfitrião)",
    "(coanfitrião)",
    "(prowadzący)",
    "(współprowadzący)",
    "(организатор)",
    "(соорганизатор)",
    // Webex's German host and co-host (help.webex.com de-de, as in import/words.rs); a tester's
    // file tagged a name so.
    "(gastgeber)",
    "(mitgastgeber)",
];

/// Suffixes that mark a guest or an external participant (Teams), not part of the name.
///
/// The Japanese, Brazilian Portuguese and Russian labels are Microsoft's own, from its localized
/// Teams admin article "Guest access in Microsoft Teams" (MicrosoftDocs/OfficeDocs-SkypeForBusiness
/// `-pr.ja-JP`, `-pr.pt-BR`, `-pr.ru-RU`, `Teams/guest-access.md`: a guest's name "includes the
/// label (Guest)"): `(ゲスト)`, `(Convidado)`, `(Гость)`.
const GUEST_SUFFIXES: &[&str] = &[
    "(guest)",
    "(invité)",
    "(invitado)",
    "(gast)",
    "(ext)",
    "(external)",
    "(externe)",
    "(externo)",
    "(extern)",
    // Teams' label for a participant whose identity it could not verify: printed, a certificate
    // read "Unverified", and two such guests were one person.
    "(unverified)",
    "(ゲスト)",
    "(convidado)",
    "(гость)",
];

/// Words that name a device rather than a person: `iPhone (Brian Smith)`, `Eric's iPad (Clapton)`.
const DEVICES: &[&str] = &[
    "iphone",
    "ipad",
    "android",
    "galaxy",
    "samsung",
    "pixel",
    "phone",
    "mobile",
    "tablet",
    "macbook",
    "laptop",
    "pc",
    "huawei",
    "xiaomi",
    "zoom rooms",
    "zoomroom",
];

/// The display name as printed: the role and guest tags platforms and directories append
/// (`(Guest)`, `(Invité)`, `(EXT)`, `(Host)`) taken off, the rest as written. A certificate read
/// "Jean-Noël Lefèvre (Invité)".
fn without_tags(display: &str) -> &str {
    let mut n = display.trim();
    loop {
        let before = n.len();
        for t in HOST_SUFFIXES.iter().chain(GUEST_SUFFIXES) {
            let cut = n.len().saturating_sub(t.len());
            if n.is_char_boundary(cut) && n[cut..].to_lowercase() == *t && cut > 0 {
                n = n[..cut].trim_end();
            }
        }
        if n.len() == before {
            return n;
        }
    }
}

/// The display name as a certificate prints it: `without_tags`, then one name of Zoom's
/// `Current (Original)`: `Robert FRANK (Robert Frank)` (a rename to the same name) is
/// `Robert FRANK`, `iPhone (Brian Smith)` is `Brian Smith`, `Priya (she/her)` is `Priya`, and of a
/// rename to another name the fuller one (more letters; the current one on a tie):
/// `Sofia R (Sofia Rossi)` is `Sofia Rossi`, whose account it is, and `Maria García-López (Maria)`
/// is `Maria García-López`, as she renamed herself. The certificate printed both, parentheses
/// and all; a person who wants the other asks for a reissue.
pub fn printed_name(display: &str) -> String {
    let visible: String;
    let display = if display.chars().any(|c| invisible(c) || pictograph(c)) {
        visible = without_pictographs(display).chars().filter(|&c| !invisible(c)).collect();
        &visible
    } else {
        display
    };
    let n = without_tags(display);
    // Zoom writes a space before the parenthesis: `+SUM(1)` is a name, not a rename.
    if let Some(open) = n.rfind(" (").map(|i| i + 1).filter(|_| n.ends_with(')')) {
        let (outer, inner) = (n[..open].trim(), n[open + 1..n.len() - 1].trim());
        match parenthesised(&normalise_name(n)) {
            Some(Paren::Device { .. }) if !inner.is_empty() => return inner.to_owned(),
            Some(Paren::Note { .. }) if !outer.is_empty() => return outer.to_owned(),
            // A number and one word (`+385 1 2345 678 (Zagreb)`): a caller and their place, no
            // name; printed "Zagreb", the caller was certified (round 25).
            Some(Paren::Rename { .. }) if is_telephone_number(outer) && inner.split_whitespace().count() < 2 => {}
            Some(Paren::Rename { .. }) if !outer.is_empty() && !inner.is_empty() => {
                return renamed(outer, inner).to_owned();
            }
            _ => {}
        }
    }
    n.to_owned()
}

/// Which name of Zoom's `Current (Original)` a certificate prints, when both look like names.
/// The fuller of the two when they share a word (`Sofia R (Sofia Rossi)`, `Maria García-López
/// (Maria)`): the same person's name, once in full; but a single word in brackets is no fuller
/// name than the one before it (`Ioana (Invitat)` printed "Invitat"). Two that share no word are
/// not two forms of one name, unless one is the other's initials (`JL (Jean-Luc Picard)`): the
/// brackets hold what people add to theirs (`Olena Petrenko (Ministry of Justice of Ukraine)`,
/// `Karim (Interprète arabe-français)`, printed as the ministry and the job), so the name
/// outside them is printed; unless that one has digits and the other not (`Georgia Tech Room 3
/// (Li Na)`: a room's name, the person's in brackets).
/// Two in different scripts are one name written twice, and the fuller is printed.
fn renamed<'a>(outer: &'a str, inner: &'a str) -> &'a str {
    let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
    let numbered = |s: &str| s.chars().any(|c| c.is_ascii_digit());
    if numbered(outer) && !numbered(inner) {
        return inner;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == '-').filter(|w| !w.is_empty()).map(str::to_lowercase).collect()
    };
    let inner_words = words(inner);
    // A name and its transliteration (`أحمد (Ahmed Hassan)`, `Иван (Ivan Petrov)`) share no
    // word but are one name in two scripts: the fuller is printed, as before.
    let latin = |s: &str| s.chars().filter(|c| c.is_alphabetic()).all(|c| c < '\u{0250}');
    // Initials of the name in brackets (`JL (Jean-Luc Picard)`) are that name, shortened: the
    // initials were printed (round 23).
    let initials: String = inner_words.iter().filter_map(|w| w.chars().next()).collect();
    let outer_letters: String = outer.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    let abbreviates = outer_letters.chars().count() >= 2 && initials.starts_with(&outer_letters);
    let shared = words(outer).iter().any(|w| inner_words.contains(w)) || latin(outer) != latin(inner) || abbreviates;
    let fuller = letters(inner) > letters(outer) && inner.split_whitespace().nth(1).is_some();
    if shared && fuller { inner } else { outer }
}

/// A letter of Japanese kana, the CJK ideographs (and extension A) or Korean Hangul: the
/// scripts whose names are written family name first and with no space needed between parts.
fn east_asian(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{1100}'..='\u{11FF}' | '\u{AC00}'..='\u{D7AF}')
}

/// A name given in parts, the first (given) and the last (family) name, as it is written: given
/// name first, but family name first and no space between when both are in Chinese, Japanese or
/// Korean script, as those names are written (`王小明`, which was printed `小明 王`, then
/// `王 小明`, a space its bearer never wrote). Either part may be missing; empty parts are left
/// out.
pub fn given_and_family(first: Option<&str>, last: Option<&str>) -> String {
    let (first, last) = (first.map(str::trim).filter(|s| !s.is_empty()), last.map(str::trim).filter(|s| !s.is_empty()));
    let all_east_asian = |s: &str| s.chars().filter(|c| c.is_alphabetic()).all(east_asian);
    match (first, last) {
        (Some(f), Some(l)) if all_east_asian(f) && all_east_asian(l) => format!("{l}{f}"),
        _ => [first, last].into_iter().flatten().collect::<Vec<_>>().join(" "),
    }
}

/// `Anonymous`: the name Teams gives an attendee of a town hall or webinar who joined without
/// signing in and without a name, in its interface languages (`Anonyme`, `Anónimo`, `Anonym`,
/// `Anonimo`, `Anônimo`, `Anoniem`, `Anonimowy`). It names nobody, and two of them are not one
/// person (two were merged, and a certificate made out to "Anonymous").
pub fn anonymous(name: &str) -> bool {
    let n = normalise_name(name);
    let n = n.trim_end_matches(|c: char| c.is_ascii_digit() || c == ' ' || c == '_' || c == '#');
    ["anonymous", "anonyme", "anónimo", "anonym", "anonimo", "anônimo", "anoniem", "anonimowy", "unknown", "inconnu"]
        .contains(&n)
}

/// `iPhone de Paulo`, `Galaxy S21 Ultra`, `Eric's iPad`: a device's name, which a participant who
/// never set one joins under. It names the device, not the person: a certificate cannot be made
/// out to it as it stands (such rows were eligible with nothing to review).
pub fn device_name(name: &str) -> bool {
    let n = name.to_lowercase();
    let words: Vec<&str> = n.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    const ANYWHERE: &[&str] =
        &["iphone", "ipad", "android", "galaxy", "macbook", "huawei", "xiaomi", "redmi", "oneplus"];
    const FIRST: &[&str] = &["pixel", "samsung", "tablet", "laptop", "pc", "phone", "mobile", "desktop"];
    words.iter().any(|w| ANYWHERE.contains(w)) || words.first().is_some_and(|w| FIRST.contains(w))
}

/// Why a display name names nobody and cannot tell two people apart, when it is such a name: it
/// is only the `?` (or, from Excel for Mac, `_`) that Excel writes for each letter its code page
/// lacks (`??`, `???? ???`, `__`), an error value Excel wrote for a cell it read as a formula
/// (`#NUL!`, `#NOM?`, `#NAME?`, `#N/A`), or a telephone number whose digits are lost (hidden, or
/// written in scientific notation). Two rows of such a name are not one person by it (two Chinese
/// guests saved as `??` were one person, certified as "??"), and no certificate is made out to it.
/// A whole telephone number is not here: it names one line, and its rows are one caller's.
pub fn lost_name(name: &str) -> Option<&'static str> {
    // Asked of every row several times while people are grouped: a name with no placeholder
    // or `#` that is no number (nearly all of them, full-width forms included) is ruled out
    // before its key is made, which cost a 50,000-person decision half again its time.
    let placeholder_or_error = name.contains(['?', '_', '#', '？', '＿', '＃']);
    let digits = name.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
    // A number, masked or in scientific notation, has no letters but a mask's `x` or an `E`.
    let number = digits
        && (name.chars().filter(|c| c.is_alphabetic()).all(|c| matches!(c, 'x' | 'X' | 'e' | 'E'))
            || name.trim_start().get(..4).is_some_and(|p| p.eq_ignore_ascii_case("tel:")));
    if !placeholder_or_error && !number {
        return None;
    }
    let n = name_key(name);
    let n = n.trim();
    if !n.is_empty()
        && n.chars().any(|c| matches!(c, '?' | '_'))
        && n.chars().all(|c| matches!(c, '?' | '_') || c.is_whitespace() || (c.is_ascii_punctuation() && c != '#'))
    {
        return Some("Excel writes \"?\", or \"_\" on a Mac, for each letter its code page lacks");
    }
    if excel_error_value(n) {
        return Some("an error value Excel wrote for a cell it read as a formula");
    }
    let number = strip_tel(n);
    if masked_number(number) || number_in_scientific_notation(number) {
        return Some("a telephone number whose digits are hidden or lost");
    }
    None
}

/// An error value as Excel writes it in a cell it could not compute, in any of its languages:
/// `#` and one word ending in `!` or `?` (`#NULL!`, `#NAME?`, `#VALUE!`, `#REF!`, `#DIV/0!`,
/// `#NUM!`; French `#NUL!`, `#NOM?`, `#VALEUR!`; German `#WERT!`, `#BEZUG!`; Spanish `#¡VALOR!`,
/// `#¿NOMBRE?`; Russian `#ИМЯ?`), or "not available" (`#N/A`; German `#NV`, Italian and
/// Portuguese `#N/D`, Dutch `#N/B`, Russian `#Н/Д`). The words are Microsoft's localized Excel
/// error names as its support articles in those languages print them; the shape, rather than a
/// list, is what is tested, so that a language not listed is read too.
fn excel_error_value(n: &str) -> bool {
    let Some(rest) = n.strip_prefix('#') else { return false };
    let letters = rest.chars().filter(|c| c.is_alphabetic()).count();
    let short = (2..=16).contains(&rest.chars().count()) && !rest.chars().any(char::is_whitespace);
    let not_available = rest.split_once('/').is_some_and(|(a, b)| {
        (1..=2).contains(&a.chars().count()) && (1..=2).contains(&b.chars().count()) && !b.ends_with('0')
    });
    short
        && letters >= 1
        && (rest.ends_with('!') || rest.ends_with('?') || not_available || rest.eq_ignore_ascii_case("nv"))
}

/// Whether two display names are one name (equal [`name_key`]s in their [`matching_form`]). The keys, which cost a copy
/// each, are made only when the names' first letters agree: a check run on every row of an
/// import (is this the host the meeting block names?) rules most rows out without them.
pub fn same_name(a: &str, b: &str) -> bool {
    let initial = |s: &str| {
        s.nfkc()
            .find(|c| c.is_alphabetic())
            .and_then(|c| c.to_lowercase().next())
            .map(|c| matching_form(&c.to_string()))
    };
    initial(a).is_some() && initial(a) == initial(b) && matching_form(&name_key(a)) == matching_form(&name_key(b))
}

/// The display name without role tags, normalised: the key of a guest.
pub fn name_key(display: &str) -> String {
    let mut n = normalise_name(display);
    loop {
        let before = n.len();
        for t in HOST_SUFFIXES.iter().chain(GUEST_SUFFIXES) {
            if let Some(s) = n.strip_suffix(t) {
                n = s.trim_end().to_owned();
            }
        }
        if n.len() == before {
            return n;
        }
    }
}

/// Every form of a display name worth matching, in its [`matching_form`]: `Current (Original)` gives both names,
/// `iPhone (Name)` gives the name only, `Name (she/her)` the name only, `Last, First` also
/// `first last`, and roll-call prefixes (`015_Loki`, `R_23_Name`) are dropped.
pub fn name_variants(display: &str) -> Vec<String> {
    let n = matching_form(&name_key(display));
    let mut out = Vec::new();
    let mut push = |s: &str| {
        let s = s.trim().trim_matches(|c: char| c == ',' || c == '-').trim().to_owned();
        if s.chars().count() >= 2 && !out.contains(&s) {
            out.push(s);
        }
    };
    let bases = match parenthesised(&n) {
        Some(Paren::Device { person }) => vec![person],
        Some(Paren::Note { person }) => vec![person],
        Some(Paren::Rename { current, original }) => vec![current, original],
        None => vec![n.clone()],
    };
    for b in bases {
        push(&b);
        let unprefixed = strip_roll_prefix(&b);
        push(&unprefixed);
        if let Some((last, first)) = unprefixed.split_once(',') {
            push(&format!("{} {}", first.trim(), last.trim()));
        }
    }
    out
}

/// What the parentheses closing a (normalised) display name mean.
enum Paren {
    /// `iPhone (Brian Smith)`: the device's owner inside.
    Device { person: String },
    /// `priya (she/her)`: a note after the name.
    Note { person: String },
    /// `Loki (Loki Laufeyson)`: Zoom's `Current (Original)` after a rename.
    Rename { current: String, original: String },
}

fn parenthesised(n: &str) -> Option<Paren> {
    let open = n.rfind('(').filter(|_| n.ends_with(')'))?;
    let outer = n[..open].trim().to_owned();
    let inner = n[open + 1..n.len() - 1].trim().to_owned();
    let is_device = DEVICES.iter().any(|d| {
        outer == *d || outer.strip_suffix(d).is_some_and(|owner| owner.ends_with("'s ") || owner.ends_with("’s "))
    });
    Some(if is_device {
        Paren::Device { person: inner }
    } else if inner.contains('/') || inner.is_empty() {
        Paren::Note { person: outer }
    } else {
        Paren::Rename { current: outer, original: inner }
    })
}

/// The name a guest row was known by before a rename (or behind a device or a note), when its
/// name key says so: `loki (loki laufeyson)` → `loki laufeyson`.
pub(super) fn earlier_name(key: &str) -> Option<String> {
    match parenthesised(key)? {
        Paren::Device { person } | Paren::Note { person } => Some(person),
        Paren::Rename { original, .. } => Some(original),
    }
}

/// `015_loki` → `loki`, `r_23_givenl_familyl` → `givenl familyl`.
fn strip_roll_prefix(s: &str) -> String {
    let mut rest = s;
    loop {
        let trimmed = rest.trim_start_matches(|c: char| c.is_ascii_digit());
        let trimmed = if trimmed.len() == rest.len()
            && rest.len() > 2
            && rest.as_bytes()[1] == b'_'
            && rest.as_bytes()[0].is_ascii_alphabetic()
        {
            &rest[1..]
        } else {
            trimmed
        };
        match trimmed.strip_prefix('_') {
            Some(t) if trimmed.len() != rest.len() => rest = t,
            _ => break,
        }
    }
    rest.replace('_', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An optional address as people are matched by it: trimmed, lower case, `None` when empty.
pub(super) fn lower(s: &Option<String>) -> Option<String> {
    s.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::callers::unnamed_caller;

    #[test]
    fn printed_names_lose_the_tags_platforms_append_and_nothing_else() {
        let cases = [
            ("Sara Cohen (Guest)", "Sara Cohen"),
            ("Jean-Noël Lefèvre (Invité)", "Jean-Noël Lefèvre"),
            ("Ibasco, Christian (EXT) ", "Ibasco, Christian"),
            ("HELP Secretariat (Host) (Guest)", "HELP Secretariat"),
            ("이은 (공동 호스트)", "이은"),
            ("김호 (호스트)", "김호"),
            ("王伟 (主持人)", "王伟"),
            ("李娜 (联席主持人)", "李娜"),
            ("João Silva (Anfitrião)", "João Silva"),
            ("Anna Nowak (Prowadzący)", "Anna Nowak"),
            ("Ирина Смирнова (Соорганизатор)", "Ирина Смирнова"),
            ("Hans Meier (Gastgeber)", "Hans Meier"),
            ("Robert FRANK (Robert Frank)", "Robert FRANK (Robert Frank)"),
            // A tag alone is all the name there is.
            ("(Guest)", "(Guest)"),
            ("Żaneta", "Żaneta"),
            ("Eva Novak (ゲスト)", "Eva Novak"),
            ("Eva Novak (Convidado)", "Eva Novak"),
            ("Ева Новак (Гость)", "Ева Новак"),
        ];
        for (display, printed) in cases {
            assert_eq!(without_tags(display), printed, "{display}");
        }
    }

    #[test]
    fn east_asian_names_put_the_family_name_first_and_others_the_given_name() {
        assert_eq!(given_and_family(Some("太郎"), Some("山田")), "山田太郎");
        assert_eq!(given_and_family(Some("小明"), Some("王")), "王小明");
        assert_eq!(given_and_family(Some("민준"), Some("김")), "김민준");
        assert_eq!(given_and_family(Some("Ana"), Some("Lima")), "Ana Lima");
        assert_eq!(given_and_family(Some("Taro"), Some("山田")), "Taro 山田");
        assert_eq!(given_and_family(Some(" "), Some("Lima")), "Lima");
        assert_eq!(given_and_family(None, None), "");
    }

    #[test]
    fn device_names_are_told_from_peoples() {
        for device in
            ["iPhone de Paulo", "Galaxy S21 Ultra", "Eric's iPad", "Samsung SM-A525F", "Pixel 7", "HUAWEI P30"]
        {
            assert!(device_name(device), "{device}");
        }
        for person in ["Paulo Pixel", "Ana Galaxia", "Iphigénie Martin", "Samsun Demir", "Mobilia Ruiz"] {
            assert!(!device_name(person), "{person}");
        }
    }

    #[test]
    fn printed_names_say_plainly_what_the_parentheses_say() {
        let cases = [
            ("Robert FRANK (Robert Frank)", "Robert FRANK"),
            ("iPhone (Brian Smith)", "Brian Smith"),
            ("Eric's iPad (Eric Clapton)", "Eric Clapton"),
            ("Priya Patel (she/her) (Guest)", "Priya Patel"),
            ("Sofia R (Sofia Rossi)", "Sofia Rossi"),
            ("Maria García-López (Maria)", "Maria García-López"),
            ("Loki (Loki Laufeyson)", "Loki Laufeyson"),
            // Initials of the name in brackets: that name.
            ("JL (Jean-Luc Picard)", "Jean-Luc Picard"),
            ("J.P. (Jan Peters)", "Jan Peters"),
            ("Al (Ministry of Justice)", "Al"),
            ("Ioana (Invitat)", "Ioana"),
            ("Ana Ruiz (UNESCO)", "Ana Ruiz"),
            // Two names sharing no word: what people add to theirs in brackets, not a rename.
            ("Olena Petrenko (Ministry of Justice of Ukraine)", "Olena Petrenko"),
            ("Karim (Interprète arabe-français)", "Karim"),
            ("Marta (Conseil de l'Europe - Bureau de Tbilissi)", "Marta"),
            ("Georgia Tech Room 3 (Li Na)", "Li Na"),
            // One name in two scripts: the fuller.
            ("أحمد (Ahmed Hassan)", "Ahmed Hassan"),
            ("Иван (Ivan Petrov)", "Ivan Petrov"),
            // No space before the parenthesis: not Zoom's.
            ("+SUM(1)", "+SUM(1)"),
            ("Ana Ruiz", "Ana Ruiz"),
            // Direction marks are not printed; a Persian joiner is part of the name.
            ("\u{200F}משה כהן\u{200F}", "משה כהן"),
            ("علی\u{200C}رضا", "علی\u{200C}رضا"),
            // Emoji are not printed (no font of the certificate has them: empty boxes); a joiner
            // inside an Indic name stays.
            ("Maria 🌻 Rossi", "Maria Rossi"),
            ("Jean ✈\u{FE0F} Dupont 👨\u{200D}👩\u{200D}👧", "Jean Dupont"),
            ("🇫🇷 Lucie Martin 👋🏽", "Lucie Martin"),
            ("क्\u{200D}ष Rao", "क्\u{200D}ष Rao"),
        ];
        for (display, printed) in cases {
            assert_eq!(printed_name(display), printed, "{display}");
        }
        assert_eq!(normalise_name("\u{200F}משה כהן"), normalise_name("משה כהן"));
    }

    #[test]
    fn names_that_name_nobody_are_told_from_names() {
        for lost in [
            "??",
            "???? ???",
            "__",
            "?? (Guest)",
            "#NUL!",
            "#NOM?",
            "#NAME?",
            "#N/A",
            "#VALUE!",
            "#REF!",
            "#WERT!",
            "#NV",
            "#¡VALOR!",
            "#¿NOMBRE?",
            "#ИМЯ?",
            "#Н/Д",
            "#DIV/0!",
            "4,4779E+11",
            "4.4779E+11",
            "+33 1 ** ** ** 89",
            "+1 206-***-**00",
            "+4021*****67",
        ] {
            assert!(lost_name(lost).is_some(), "{lost}");
        }
        for name in
            ["Ana ?", "Olga (????)", "Dvo?áková", "#1 Fan", "Ana Ruiz", "Agent 007", "+33 1 23 45 67 89", "E+11"]
        {
            assert!(lost_name(name).is_none(), "{name}");
        }
        for caller in [
            "tel:+33123456789",
            "4,4779E+11",
            "+33 1 ** ** ** 89",
            "+4021*****67",
            "Dial-in +33 1 23 45 67 89",
            "Phone: 0612345678",
            "Téléphone +33 6 12 34 56 78",
        ] {
            assert!(unnamed_caller(caller), "{caller}");
        }
        assert!(!unnamed_caller("1E+3"));
        assert!(!unnamed_caller("Telma Silva"));
    }

    #[test]
    fn names_written_in_capitals_or_without_the_space_match_as_written_otherwise() {
        let same = |a: &str, b: &str| name_variants(a) == name_variants(b) && same_name(a, b);
        assert!(same("İBRAHİM DOĞAN", "İbrahim Doğan"));
        assert!(same("AYŞE YILMAZ", "Ayşe Yılmaz"));
        assert!(same("ΣΟΦΙΑ ΠΑΠΑ", "Σοφία Παπά"));
        assert!(same("田中 誠", "田中誠"));
        assert!(same("김 민준", "김민준"));
        assert!(same("JOHN SMITH", "John Smith"));
        assert!(!same("José Peña", "Jose Pena"), "Latin accents are letters");
        assert!(!same("Wang Fang", "WangFang"), "only between CJK letters");
    }

    #[test]
    fn name_variants_handle_renames_devices_and_notes() {
        assert_eq!(name_variants("015_Loki (Loki Laufeyson)"), vec!["015_loki", "loki", "loki laufeyson"]);
        assert_eq!(name_variants("iPhone (Brian Smith)"), vec!["brian smith"]);
        assert_eq!(name_variants("priya (she/her)"), vec!["priya"]);
        assert_eq!(name_variants("Dupont, Marie"), vec!["dupont, marie", "marie dupont"]);
        assert_eq!(name_variants("HELP Secretariat (Host)"), vec!["help secretariat"]);
        assert_eq!(name_variants("R_23_GivenL_FamilyL"), vec!["r_23_givenl_familyl", "givenl familyl"]);
        assert_eq!(name_key("  José   Ñúñez "), "josé ñúñez");
    }
}
