//! Names in a file whose code page was guessed. Excel saves a "CSV" in the Windows code page of
//! its language and says nothing of it; the guess ([`text::decode`](super::text::decode)) is
//! made from the letters, and on a file of a few dozen names it can be wrong in a way nobody
//! sees: the Latin code pages share most bytes, so a Hungarian `Őrs` read as Western European
//! is `Õrs`, a French `Lefèvre` read as Central European is `Lefčvre`, and both look like names.
//! Every name whose bytes read otherwise in a neighbouring code page goes to review with both
//! readings (past twenty such names, the file says so once instead), and the file says how to
//! name the right one.

use encoding_rs::{Encoding, MACINTOSH, WINDOWS_1250, WINDOWS_1252, WINDOWS_1254, WINDOWS_1257};

use super::Ctx;
use super::text::label;

/// The code pages Excel writes Latin names in that a guess most often confuses: Western,
/// Central European and Turkish share ASCII and most accented letters and differ in a few.
const LATIN: [&Encoding; 3] = [WINDOWS_1252, WINDOWS_1250, WINDOWS_1254];

/// How `name` (read as `guessed`) reads in each neighbouring code page where it reads otherwise.
///
/// Two neighbours are compared only for the names whose bytes tell them apart without sending
/// every accented name to review:
/// - Mac Excel's Mac Roman, a neighbour of Western European only, for a name holding bytes
///   0x80–0x9F: there Western has rare letters and punctuation (`Ž`, `ž`, `‰`) where Mac Roman
///   has the common accented ones (`é` is 0x8E).
/// - Baltic (cp1257), for a name holding its `Š`, `Ž`, `Ė`, `Ū` (either case), which nearly
///   every Lithuanian and Latvian name has: Western reads them as the rare `Ð`, `Þ`, `Ë`, `Û`
///   (`Šarūnas` as `Ðarûnas`, `Bērziņš` as `Bçrziòð`, `Kazlauskaitė` as `Kazlauskaitë`, which
///   reads the same in Central European and Turkish, so nothing sent it to review). For every
///   name, Baltic would differ too often: its `į`, `ķ`, `ē`, `ī` are Western's `á`, `í`, `ç`,
///   `î`, and every `José Sánchez` and `François` would go to review. A Turkish guess is left
///   out: there `Š`, `Ž` are bytes of the common `Ğ`, `Ş`, `ğ`, `ş`.
pub(super) fn other_readings(name: &str, guessed: &'static Encoding) -> Vec<(&'static str, String)> {
    if name.is_ascii() || !(LATIN.contains(&guessed) || guessed == WINDOWS_1257) {
        return Vec::new();
    }
    let (bytes, _, unmappable) = guessed.encode(name);
    if unmappable {
        return Vec::new();
    }
    let mac = guessed == WINDOWS_1252 && bytes.iter().any(|b| (0x80..=0x9F).contains(b));
    let baltic = guessed != WINDOWS_1254
        && bytes.iter().any(|b| matches!(b, 0xD0 | 0xDE | 0xF0 | 0xFE | 0xCB | 0xEB | 0xDB | 0xFB));
    let neighbours = LATIN.into_iter().chain(mac.then_some(MACINTOSH)).chain(baltic.then_some(WINDOWS_1257));
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for other in neighbours.filter(|&e| e != guessed) {
        if let Some(read) = other.decode_without_bom_handling_and_without_replacement(&bytes) {
            if read != name && !out.iter().any(|(_, r)| *r == read) {
                out.push((label(other), read.into_owned()));
            }
        }
    }
    out
}

/// Past this many names that read otherwise, the detector had that many words to judge by
/// (it guessed a Hungarian file right from twenty names, wrong from five or ten): the file says
/// so with examples, and its names are not sent to review one by one (a long Spanish file read
/// right would have sent every `ñ` to review).
const REVIEW_AT_MOST: usize = 20;

/// Sends each name that reads otherwise in a neighbouring code page to review, with both
/// readings, and says once for the file how to read it in the right one.
pub(super) fn review_names(ctx: &mut Ctx, encoding: &str) {
    let Some(guessed) = Encoding::for_label(encoding.as_bytes()) else { return };
    let differing: Vec<(usize, Vec<(&'static str, String)>)> = (0..ctx.drafts.len())
        .map(|i| (i, other_readings(&ctx.drafts[i].conn.name, guessed)))
        .filter(|(_, others)| !others.is_empty())
        .collect();
    let Some((first, _)) = differing.first() else { return };
    let mut seen: Vec<&'static str> = Vec::new();
    for (_, others) in &differing {
        for (enc, _) in others {
            if !seen.contains(enc) {
                seen.push(enc);
            }
        }
    }
    let what_to_do = format!(
        "if the other reading is right, import the file again naming its encoding (attest import --encoding {}, \
         the console's \"Text encoding\", the API's encoding field), or save it from Excel as \"CSV UTF-8\"",
        seen[0]
    );
    let n = differing.len();
    if n > REVIEW_AT_MOST {
        let example = &ctx.drafts[*first].conn.name;
        let (enc, other) = &differing[0].1[0];
        ctx.warnings.push(format!(
            "{n} names read otherwise in another code page ({}) than the one guessed for this file ({}), such as \
             \"{example}\", \"{other}\" in {enc}: enough for the guess to be likely right; {what_to_do}",
            seen.join(", "),
            label(guessed),
        ));
        return;
    }
    for (i, others) in differing {
        let d = &mut ctx.drafts[i];
        let alternatives: Vec<String> = others.iter().map(|(enc, read)| format!("\"{read}\" in {enc}")).collect();
        let note = format!(
            "the file is not UTF-8 and its code page was guessed ({}): the name reads \"{}\" there, {}: check it \
             before issuing",
            label(guessed),
            d.conn.name,
            alternatives.join(", ")
        );
        d.conn.add_review(&note);
    }
    ctx.warnings.push(format!(
        "{n} row(s) hold a name that reads otherwise in another code page ({}) than the one guessed for this file \
         ({}): sent to review with both readings; {what_to_do}",
        seen.join(", "),
        label(guessed),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_that_reads_otherwise_in_a_neighbour_gives_each_other_reading() {
        // Hungarian, saved in cp1250 and guessed Western: the cp1250 reading is offered.
        assert_eq!(other_readings("Kovács Õrs", WINDOWS_1252), [("windows-1250", "Kovács Őrs".to_owned())]);
        // French, saved in cp1252 and guessed Central European.
        assert_eq!(other_readings("Hélčne Lefčvre", WINDOWS_1250)[0], ("windows-1252", "Hélène Lefèvre".to_owned()));
        // Turkish, guessed Western: `þ` is cp1254's `ş`.
        assert!(other_readings("Ayþe Yýlmaz", WINDOWS_1252).contains(&("windows-1254", "Ayşe Yılmaz".to_owned())));
        // Lithuanian and Latvian, saved in cp1257 and guessed Western.
        assert!(
            other_readings("Ðarûnas Þukauskas", WINDOWS_1252)
                .contains(&("windows-1257", "Šarūnas Žukauskas".to_owned()))
        );
        assert!(other_readings("Jânis Bçrziòð", WINDOWS_1252).contains(&("windows-1257", "Jānis Bērziņš".to_owned())));
        // `ė` is `ë` in Western, Central European and Turkish alike: only Baltic tells it.
        assert_eq!(
            other_readings("Laura Kazlauskaitë", WINDOWS_1252),
            [("windows-1257", "Laura Kazlauskaitė".to_owned())]
        );
        // Baltic guessed for a Western file: the Western reading is offered.
        assert_eq!(other_readings("Lefčvre", WINDOWS_1257)[0], ("windows-1252", "Lefèvre".to_owned()));
        // Central European guessed for a Baltic file: `š` read as `đ`.
        assert!(
            other_readings("Jurgis Ramanauskas-Vanagas Buđas", WINDOWS_1250)
                .contains(&("windows-1257", "Jurgis Ramanauskas-Vanagas Bušas".to_owned()))
        );
        // Mac Excel's Mac Roman read as Western: `é` was 0x8E, Western's `Ž`.
        assert!(other_readings("HŽlne", WINDOWS_1252).contains(&("macintosh", "Hélne".to_owned())));
    }

    #[test]
    fn names_the_neighbours_read_alike_and_other_scripts_are_left_alone() {
        // `é`, `á`, `ö`, `ü` are the same byte in all three.
        assert!(other_readings("José Müller Sárközi", WINDOWS_1252).is_empty());
        assert!(other_readings("Smith", WINDOWS_1250).is_empty());
        // A Cyrillic or Japanese guess has no Latin neighbour to be confused with.
        assert!(other_readings("Иван Петров", encoding_rs::WINDOWS_1251).is_empty());
        assert!(other_readings("山田太郎", encoding_rs::SHIFT_JIS).is_empty());
        // Baltic is not offered for a name without its `Š`, `Ž`, `š`, `ž`, nor for a Turkish guess.
        assert!(other_readings("Sánchez Kovács", WINDOWS_1252).iter().all(|(e, _)| *e != "windows-1257"));
        assert!(other_readings("Ayşe Ertuğrul", WINDOWS_1254).iter().all(|(e, _)| *e != "windows-1257"));
        // Mac Roman is not offered for a Central European guess, whose 0x80–0x9F are `Š`, `ž`, ...
        assert!(other_readings("Šárka Žáková", WINDOWS_1250).iter().all(|(e, _)| *e != "macintosh"));
    }
}
