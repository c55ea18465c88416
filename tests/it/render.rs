//! End-to-end tests: render certificates, parse the PDF back with lopdf and
//! check what a reader (human or program) would get.

use crate::harness;

use crate::harness::renderer;

use attest::certificate::layout::{Item, PAGE_H, PAGE_W};
use attest::certificate::{CertificateContent, RenderError, Renderer};
use chrono::NaiveDate;
use lopdf::{Document, Object};

const NAMES: &[&str] = &[
    "Wójcik, Żaneta",
    "Ольга Петрова",
    "Αλέξανδρος Παπαδόπουλος",
    "Ayşe Yılmaz",
    "ნინო ბერიძე",
    "Արամ Պետրոսյան",
    "محمد العلوي",
    "José Ñúñez",
    "Siobhán Ó Briain",
    "Nguyễn Thị Minh Khai",
    "דוד לוי",
    "王小明",
    "Hans-Jürgen Müller",
    // Scripts the certificate printed as empty boxes before their fonts were shipped, and a
    // Korean name whose first syllable Droid Sans Fallback also has (it came out in two faces).
    "김민준",
    "이가영",
    "สมชาย ใจดี",
    "प्रिया शर्मा",
    "সুমন রায়",
    "தமிழ்செல்வி",
    "አበበ ቢቂላ",
    "ශ්‍රියානි පෙරේරා",
    "សុខ ចាន់",
];

/// A verification URL of `len` bytes shaped like the real thing (base64url JWS).
fn url(len: usize) -> String {
    let mut u = String::from("http://127.0.0.1:8080/v/eyJhbGciOiJFZERTQSIsImtpZCI6ImsxIn0.");
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut i = 7usize;
    while u.len() < len {
        u.push(alphabet[i % alphabet.len()] as char);
        i = (i * 31 + 17) % 1_000_003;
    }
    u
}

fn content(name: &str, language: &str) -> CertificateContent {
    harness::seminar_content(name, language, url(330))
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).expect("dangling reference"),
        other => other,
    }
}

fn text_of(o: &Object) -> String {
    match o {
        Object::String(b, _) if b.starts_with(&[0xfe, 0xff]) => {
            let u: Vec<u16> = b[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            String::from_utf16(&u).unwrap()
        }
        Object::String(b, _) => String::from_utf8(b.clone()).unwrap(),
        other => panic!("not a string: {other:?}"),
    }
}

fn font_dicts(doc: &Document) -> Vec<&lopdf::Dictionary> {
    let page = *doc.get_pages().values().next().unwrap();
    doc.get_page_fonts(page).unwrap().into_values().collect()
}

#[test]
fn one_a4_landscape_page_with_metadata() {
    let pdf = renderer().render(&content("Hans-Jürgen Müller", "en")).unwrap();
    let doc = Document::load_mem(&pdf).unwrap();
    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let page = doc.get_dictionary(*pages.values().next().unwrap()).unwrap();
    let mb: Vec<f32> =
        page.get(b"MediaBox").unwrap().as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect();
    assert_eq!(mb[0], 0.0);
    assert_eq!(mb[1], 0.0);
    assert!((mb[2] - 841.89).abs() < 0.5, "width {}", mb[2]);
    assert!((mb[3] - 595.28).abs() < 0.5, "height {}", mb[3]);

    let info = deref(&doc, doc.trailer.get(b"Info").unwrap()).as_dict().unwrap();
    assert_eq!(text_of(info.get(b"Author").unwrap()), "Council of Europe");
    assert_eq!(text_of(info.get(b"Title").unwrap()), "Certificate of attendance – Hans-Jürgen Müller");
    assert!(text_of(info.get(b"Subject").unwrap()).contains("Freedom of expression"));
    assert_eq!(text_of(info.get(b"CreationDate").unwrap()), "D:20250314120500Z");
    assert!(info.has(b"ModDate"));

    // Tagged (see the structure tests below), the title shown as the window's title, tabbing in
    // structure order.
    let catalog = deref(&doc, doc.trailer.get(b"Root").unwrap()).as_dict().unwrap();
    let prefs = deref(&doc, catalog.get(b"ViewerPreferences").unwrap()).as_dict().unwrap();
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    let marked = deref(&doc, catalog.get(b"MarkInfo").unwrap()).as_dict().unwrap();
    assert!(marked.get(b"Marked").unwrap().as_bool().unwrap());
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    assert_eq!(page.get(b"Tabs").unwrap().as_name().unwrap(), b"S");
    assert_eq!(page.get(b"StructParents").unwrap().as_i64().unwrap(), 0);
}

#[test]
fn fonts_are_embedded_as_subsets_with_tounicode() {
    for name in NAMES {
        let pdf = renderer().render(&content(name, "en")).unwrap();
        let doc = Document::load_mem(&pdf).unwrap();
        let fonts = font_dicts(&doc);
        assert!(fonts.len() >= 2, "{name}: {} fonts", fonts.len());
        for f in fonts {
            assert_eq!(f.get(b"Subtype").unwrap().as_name().unwrap(), b"Type0");
            let base = f.get(b"BaseFont").unwrap().as_name().unwrap();
            assert!(
                base.len() > 7 && base[..6].iter().all(u8::is_ascii_uppercase) && base[6] == b'+',
                "{name}: BaseFont {} lacks a subset tag",
                String::from_utf8_lossy(base)
            );
            assert!(f.has(b"ToUnicode"), "{name}: no ToUnicode");
            let desc_font = deref(&doc, &f.get(b"DescendantFonts").unwrap().as_array().unwrap()[0]).as_dict().unwrap();
            let fd = deref(&doc, desc_font.get(b"FontDescriptor").unwrap()).as_dict().unwrap();
            let ff = deref(&doc, fd.get(b"FontFile2").expect("FontFile2")).as_stream().unwrap();
            let program = ff.decompressed_content().unwrap();
            assert!(program.len() > 200, "{name}: empty font program");
            // A subset, not the whole file: the smallest full font shipped is
            // ~25 KB, the CJK one 4 MB.
            assert!(program.len() < 24_000, "{name}: {} embeds {} bytes", String::from_utf8_lossy(base), program.len());
        }
    }
}

fn is_rtl(s: &str) -> bool {
    s.chars().any(|c| ('\u{0590}'..='\u{08FF}').contains(&c))
}

/// Every character of every name has a glyph in a font of the certificate (Korean, Thai and
/// Devanagari names printed as empty boxes, with no word), and one face prints a whole word.
#[test]
fn every_script_has_a_font_and_a_word_one_face() {
    let r = renderer();
    for name in NAMES {
        assert_eq!(r.unprintable(name), None, "{name}");
        let (_, page) = r.render_with_layout(&content(name, "en")).unwrap();
        let runs: Vec<_> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { line, .. } if name.split_whitespace().any(|w| line.text.contains(w)) => Some(line),
                _ => None,
            })
            .collect();
        assert!(!runs.is_empty(), "{name}: no text item holds it");
        for line in runs {
            assert!(line.glyphs.iter().all(|g| g.gid != 0), "{name}: a .notdef glyph");
            let faces: std::collections::HashSet<u16> = line.glyphs.iter().map(|g| g.face).collect();
            assert!(line.text != *name || name.contains(' ') || faces.len() == 1, "{name}: {faces:?}");
        }
    }
    // A script no shipped font has (Tibetan) is refused, naming the character, not the person.
    let err = r.render(&content("བཀྲ་ཤིས", "en")).unwrap_err();
    assert!(matches!(&err, RenderError::InvalidContent(m) if m.contains("U+0F56") && !m.contains("བཀྲ")), "{err}");
}

/// Scripts whose vowel signs are drawn before the consonant they follow (Devanagari, Bengali,
/// Tamil, Sinhala, Khmer …): their glyphs in drawing order are not the text, which the page
/// gives readers as an actual text (poppler's pdftotext reads it, below); lopdf reads glyphs.
fn reordered(s: &str) -> bool {
    s.chars().any(|c| ('\u{0900}'..='\u{0DFF}').contains(&c) || ('\u{1780}'..='\u{17FF}').contains(&c))
}

#[test]
fn names_come_back_from_the_text_layer() {
    for name in NAMES.iter().filter(|n| !reordered(n)) {
        let pdf = renderer().render(&content(name, "en")).unwrap();
        let doc = Document::load_mem(&pdf).unwrap();
        let text = doc.extract_text(&[1]).unwrap();
        if is_rtl(name) {
            // lopdf reads in content order, which is visual order for
            // right-to-left runs; the ToUnicode map must still give back the
            // base letters of every contextual form and ligature.
            let rtl_chars = |s: &str| {
                let mut v: Vec<char> = s.chars().filter(|c| is_rtl(&c.to_string())).collect();
                v.sort_unstable();
                v
            };
            assert_eq!(rtl_chars(&text), rtl_chars(name), "{name}: extracted {text:?}");
        } else {
            assert!(text.contains(name), "{name} not in extracted text:\n{text}");
        }
    }
}

/// poppler's pdftotext is what people (and many indexers) use; it must give
/// every name back in logical order, right-to-left ones included. Without
/// poppler-utils (`.ci/run` installs it) the names are checked with lopdf, in
/// visual order.
#[test]
fn pdftotext_gives_names_in_logical_order() {
    for name in NAMES {
        for lang in ["en", "fr", "es"] {
            let (text, logical) = harness::pdf_text(&renderer().render(&content(name, lang)).unwrap());
            assert!(harness::holds_name(&text, name, logical), "{lang} {name}: got\n{text}");
        }
    }
}

#[test]
fn language_templates_are_used() {
    for (lang, heading, body) in [
        ("en", "Certificate of attendance", "14 March 2025"),
        ("fr", "Certificat de participation", "14 mars 2025"),
        ("es", "Certificado de asistencia", "14 de marzo de 2025"),
    ] {
        let pdf = renderer().render(&content("Ana Silva", lang)).unwrap();
        let text = Document::load_mem(&pdf).unwrap().extract_text(&[1]).unwrap();
        assert!(text.contains(heading), "{lang}: {text}");
        assert!(text.contains(body), "{lang}: {text}");
        assert!(text.contains("7KQ2-M9XD-3F8A-WC1T-PX4N"));
        assert!(text.contains("98"));
        // All of the page's text, from fixed content: any change of wording shows in review.
        insta::assert_snapshot!(format!("certificate_text_{lang}"), text);
    }
}

#[test]
fn a_120_character_name_stays_on_the_page() {
    let name: String = "Maximiliana Alexandrina Konstantinopoulou-Wolfeschlegelsteinhausenberger de la Santísima Trinidad y Fernández-Ötztal Beaumont"
        .chars()
        .take(120)
        .collect();
    assert_eq!(name.chars().count(), 120);
    let spaceless: String = "W".repeat(120);
    for n in [name.as_str(), spaceless.as_str()] {
        let (pdf, page) = renderer().render_with_layout(&content(n, "en")).unwrap();
        // Inside the inner frame (25 pt from the edge) with room to spare.
        for (text, (x0, y0, x1, y1)) in page.text_boxes() {
            assert!(x0 >= 30.0 && x1 <= PAGE_W - 30.0, "{text:?} overflows horizontally: {x0}..{x1}");
            assert!(y0 >= 30.0 && y1 <= PAGE_H - 30.0, "{text:?} overflows vertically: {y0}..{y1}");
        }
        // The name is all there, just smaller.
        let name_size: Vec<f32> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { line, size, .. } if n.contains(line.text.as_str()) && line.text.len() > 20 => Some(*size),
                _ => None,
            })
            .collect();
        assert!(!name_size.is_empty());
        assert!(name_size.iter().all(|s| *s >= 8.0), "unreadably small: {name_size:?}");
        let text = Document::load_mem(&pdf).unwrap().extract_text(&[1]).unwrap();
        let squashed: String = text.split_whitespace().collect();
        let want: String = n.split_whitespace().collect();
        assert!(squashed.contains(&want), "long name not in text layer");
        // A long name makes a long title in the metadata: poppler must read it without
        // complaint (it once printed syntax errors for this very name).
        let (text, _) = harness::pdf_text(&pdf);
        assert!(text.split_whitespace().collect::<String>().contains(&want));
    }
}

/// Rasterises a module matrix (with a 4-module quiet zone) and decodes it.
fn decode_matrix(width: usize, dark: impl Fn(usize, usize) -> bool) -> String {
    let scale = 4;
    let n = (width + 8) * scale;
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(n, n, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let inside = (4..width + 4).contains(&mx) && (4..width + 4).contains(&my);
        if inside && dark(mx - 4, my - 4) { 0 } else { 255 }
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "expected one QR code");
    grids[0].decode().expect("QR decodes").1
}

#[test]
fn qr_code_is_the_verify_url_at_version_13_or_less() {
    let c = content("Ольга Петрова", "en");
    assert_eq!(c.verify_url.len(), 330);
    let (pdf, page) = renderer().render_with_layout(&c).unwrap();
    let q = &page.qr;
    assert!(q.version <= 13, "QR version {} for a 330-byte URL", q.version);
    assert_eq!(decode_matrix(q.width, |x, y| q.is_dark(x, y)), c.verify_url);

    // What is drawn in the PDF: the QR form XObject's rectangles, painted
    // back onto a grid, are exactly the module matrix (so they decode too).
    let doc = Document::load_mem(&pdf).unwrap();
    let form = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .find(|s| s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Form"))
        .expect("QR form XObject");
    let ops = lopdf::content::Content::decode(&form.decompressed_content().unwrap()).unwrap().operations;
    let n = q.total_modules();
    let mut grid = vec![false; n * n];
    let mut fills = 0;
    for op in &ops {
        match op.operator.as_str() {
            "re" => {
                let v: Vec<usize> = op.operands.iter().map(|o| o.as_float().unwrap() as usize).collect();
                for y in v[1]..v[1] + v[3] {
                    for x in v[0]..v[0] + v[2] {
                        grid[(n - 1 - y) * n + x] = true;
                    }
                }
            }
            "f" => fills += 1,
            "g" => {}
            other => panic!("unexpected operator {other} in QR form"),
        }
    }
    assert_eq!(fills, 1);
    let drawn = decode_matrix(q.width, |x, y| grid[(y + 4) * n + x + 4]);
    assert_eq!(drawn, c.verify_url);

    // At least 35 mm wide on paper.
    let module = page
        .items
        .iter()
        .find_map(|i| match i {
            Item::Qr { module, .. } => Some(*module),
            _ => None,
        })
        .unwrap();
    let mm = module * q.width as f32 / 72.0 * 25.4;
    assert!(mm >= 35.0, "QR symbol is {mm} mm");

    // And it is a link to the same URL, over the code (round 20: a screen-reader user, who
    // cannot scan it, had no link to open), described in words.
    let links: Vec<&lopdf::Dictionary> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Link"))
        .collect();
    assert_eq!(links.len(), 1, "one link annotation");
    let action = links[0].get(b"A").and_then(Object::as_dict).unwrap();
    assert_eq!(action.get(b"URI").and_then(Object::as_str).unwrap(), c.verify_url.as_bytes());
    let rect: Vec<f32> =
        links[0].get(b"Rect").and_then(Object::as_array).unwrap().iter().map(|v| v.as_float().unwrap()).collect();
    let (x0, y0, x1, y1) = page.items.iter().find(|i| matches!(i, Item::Qr { .. })).unwrap().bbox(q.total_modules());
    for (got, want) in rect.iter().zip([x0, y0, x1, y1]) {
        assert!((got - want).abs() < 0.01, "link {rect:?} over the code at {:?}", (x0, y0, x1, y1));
    }
    assert!(links[0].get(b"Contents").is_ok(), "the link is described");
}

#[test]
fn output_is_deterministic_and_small() {
    let c = content("Siobhán Ó Briain", "fr");
    let a = renderer().render(&c).unwrap();
    let b = renderer().render(&c).unwrap();
    assert_eq!(a, b);
    // Budget: 20 KiB for the PDF with organiser logos (here two, and a
    // signature image).
    assert!(a.len() < 20 * 1024, "{} bytes", a.len());
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let r = renderer();
    let mut c = content("A", "en");
    c.timezone = "Mars/Olympus_Mons".into();
    assert!(matches!(r.render(&c), Err(RenderError::UnknownTimezone(_))));
    let mut c = content("A", "de");
    c.template = None;
    assert!(matches!(r.render(&c), Err(RenderError::UnknownTemplate(_))));
    let c = content(" \n\t ", "en");
    assert!(matches!(r.render(&c), Err(RenderError::InvalidContent(_))));
    let mut c = content("A", "en");
    c.ends_local = c.starts_local - chrono::Duration::minutes(1);
    assert!(matches!(r.render(&c), Err(RenderError::InvalidContent(_))));
    // Spring-forward gap in Paris: 02:30 does not exist on 30 March 2025.
    let mut c = content("A", "en");
    c.starts_local = NaiveDate::from_ymd_opt(2025, 3, 30).unwrap().and_hms_opt(2, 30, 0).unwrap();
    c.ends_local = c.starts_local + chrono::Duration::minutes(60);
    assert!(matches!(r.render(&c), Err(RenderError::InvalidContent(_))));
    // Control characters in a name are neutralised, not printed.
    let pdf = r.render(&content("Anna\nMaria", "en")).unwrap();
    let text = Document::load_mem(&pdf).unwrap().extract_text(&[1]).unwrap();
    assert!(text.contains("Anna Maria"));
}

#[test]
fn template_override_and_thread_safety() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Renderer>();
    assert_eq!(renderer().template_names(), vec!["en", "es", "fr"]);
    let mut c = content("Ana Silva", "en");
    c.template = Some("fr".into());
    let pdf = renderer().render(&c).unwrap();
    let text = Document::load_mem(&pdf).unwrap().extract_text(&[1]).unwrap();
    assert!(text.contains("Certificat de participation"), "{text}");
    // Rendering from several threads at once gives the same bytes.
    let c = content("Nguyễn Thị Minh Khai", "es");
    let reference = renderer().render(&c).unwrap();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| assert_eq!(renderer().render(&c).unwrap(), reference));
        }
    });
}

/// The dictionaries go compressed into an object stream, with a cross-reference stream
/// (PDF 1.5), and the subset of a face only the texts every certificate of an event repeat use
/// is the same bytes in every certificate; the face of the name and code gets one subset per
/// certificate, which also holds the heading's glyphs of that face (never two subsets of one
/// face carrying the same outlines twice).
#[test]
fn compact_pdf_1_5_with_shared_font_subsets() {
    let programs = |pdf: &[u8]| -> Vec<Vec<u8>> {
        let has = |s: &[u8]| pdf.windows(s.len()).any(|w| w == s);
        assert!(has(b"/Type/ObjStm") && has(b"/Type/XRef"));
        let doc = Document::load_mem(pdf).unwrap();
        assert_eq!(doc.version, "1.5");
        font_dicts(&doc)
            .into_iter()
            .map(|f| {
                let cid = deref(&doc, &f.get(b"DescendantFonts").unwrap().as_array().unwrap()[0]).as_dict().unwrap();
                let fd = deref(&doc, cid.get(b"FontDescriptor").unwrap()).as_dict().unwrap();
                deref(&doc, fd.get(b"FontFile2").unwrap()).as_stream().unwrap().content.clone()
            })
            .collect()
    };
    let mut a = content("Siobhán Ó Briain", "en");
    a.certificate_code = "AAAA-BBBB-CCCC-DDDD-EEEE".into();
    let b = content("Hans-Jürgen Müller", "en");
    let (pa, pb) = (programs(&renderer().render(&a).unwrap()), programs(&renderer().render(&b).unwrap()));
    assert_eq!((pa.len(), pb.len()), (2, 2), "the text face's shared subset, and the display face's own");
    assert_eq!(pa.iter().filter(|p| pb.contains(p)).count(), 1, "the text face's subset is shared");
    // The certificate's own subset holds the name's, the code's and the heading's glyphs of the
    // display face, and not the text face's (the title and body): a few kilobytes.
    let own = pa.iter().find(|p| !pb.contains(p)).unwrap();
    assert!(own.len() < 4500, "own subset of {} bytes", own.len());
}

/// Names in Latin, Cyrillic, Greek and Arabic, for the structure tests.
const SCRIPTS: &[&str] = &["Siobhán Ó Briain", "Ольга Петрова", "Αλέξανδρος Παπαδόπουλος", "محمد العلوي"];

/// The built-in design (an installation that never made one) prints the organisation's name
/// (at the top, where a design's logos go, and in the footer) and nothing invented: no logo, no signatory, no signature, no "placeholder", read back by
/// poppler and pdf.js as well as from the layout. Checked to fail with the templates shipped
/// before issue 21 (two placeholder logos and "A. N. Other").
#[test]
fn the_built_in_design_invents_no_signatory_and_no_logo() {
    let c = content("Ольга Петрова", "en");
    for lang in ["en", "fr", "es"] {
        let (pdf, page) = renderer().render_with_layout(&content("Ольга Петрова", lang)).unwrap();
        let images = page.items.iter().filter(|i| matches!(i, Item::Image { .. })).count();
        assert_eq!(images, 0, "{lang}: no logo and no signature image");
        let (text, _) = harness::pdf_text(&pdf);
        for invented in ["A. N. Other", "placeholder", "Organiser", "Co-organiser", "Head of the Training"] {
            assert!(!text.contains(invented), "{lang}: {invented:?} printed: {text}");
        }
        assert!(text.contains("Council of Europe"), "{lang}: the organisation's name: {text}");
    }
    let pdf = renderer().render(&c).unwrap();
    if let Some((tagged, elements)) = harness::poppler_structure(&pdf) {
        assert!(tagged);
        let roles: Vec<&str> = elements.iter().map(|e| e.role.as_str()).collect();
        assert_eq!(
            roles,
            ["P", "H1", "P", "P", "P", "P", "P", "P", "P", "P", "P", "P", "P", "Figure", "Link", "Object"]
        );
        assert_eq!(elements[0].text, "Council of Europe", "the organisation first, where the logos would be");
        assert!(elements.iter().all(|e| !e.text.contains("A. N. Other")));
    }
    if let Some((_, _, elements)) = harness::pdfjs_structure(&pdf) {
        let alts: Vec<&str> = elements.iter().filter_map(|e| e.alt.as_deref()).collect();
        assert_eq!(alts, [QR_ALT, QR_ALT], "the QR code and its link");
    }
}

/// The QR code's alternative text, and its link's, in English: short, not the URL's 330
/// characters spelled out (round 20).
const QR_ALT: &str = "QR code linking to the verification page of this certificate";

/// The structure elements of an English certificate from `content` with two logos and a
/// signatory (`harness::signed_renderer`), in reading order, as pdf.js gives them: the last, the
/// QR code's link (poppler adds its annotation, an `Object`).
const ROLES: &[&str] = &[
    "Figure", "Figure", "H1", "P", "P", "P", "P", "P", "P", "P", "Figure", "P", "P", "P", "P", "P", "P", "Figure",
    "Link",
];

/// The texts a reader of the structure should get for `content(name, "en")`, in reading order
/// (figures have none).
fn reading_order(name: &str) -> Vec<String> {
    let c = content(name, "en");
    [
        "",
        "",
        "Certificate of attendance",
        "This is to certify that",
        name,
        "attended the online seminar",
        &c.event_title,
        "HELP online seminars",
        "held on 14 March 2025, 10:00–11:40 (Europe/Paris, UTC+01:00)",
        "Time attended: 98 minutes",
        "",
        "A. N. Other",
        "Head of the Training Programme (placeholder)",
        "Council of Europe, issued on 14 March 2025",
        "Certificate code",
        &c.certificate_code,
        "To verify this certificate, scan the QR code or open the link it contains.",
        "",
        "",
    ]
    .map(str::to_owned)
    .to_vec()
}

/// poppler (`pdfinfo`) finds the certificate tagged, and reads the heading, the name, the event,
/// the date and the signatory in reading order, in elements of the right roles. Checked to fail
/// on an untagged certificate (before the structure tree: "Tagged: no" and no elements).
#[test]
fn poppler_reads_a_tagged_page_in_reading_order() {
    for name in SCRIPTS {
        let pdf = harness::signed_renderer().render(&content(name, "en")).unwrap();
        let Some((tagged, elements)) = harness::poppler_structure(&pdf) else { return };
        assert!(tagged, "{name}: pdfinfo says the PDF is not tagged");
        let roles: Vec<&str> = elements.iter().map(|e| e.role.as_str()).collect();
        assert_eq!(roles, [ROLES, &["Object"]].concat(), "{name}");
        let mut texts: Vec<String> = elements.into_iter().map(|e| e.text).collect();
        assert_eq!(texts.pop().as_deref(), Some(""), "{name}: the link's annotation has no text");
        // poppler's structure text takes the glyphs in drawing order, which for a right-to-left
        // run is visual order (pdftotext and pdf.js give it back in logical order, and the
        // element carries it as /ActualText, which poppler does not print).
        if is_rtl(name) {
            texts[4] = texts[4].chars().rev().collect();
        }
        assert_eq!(texts, reading_order(name), "{name}");
    }
}

/// pdf.js, what Firefox gives screen readers, reads the same structure: the same order, the
/// names exactly (right-to-left ones in logical order), and the alternative texts of the logos,
/// the signature and the QR code, in the certificate's language. Checked to fail on an untagged
/// certificate (no structure tree: no elements).
#[test]
fn pdfjs_reads_the_reading_order_and_the_alternative_texts() {
    for name in SCRIPTS {
        let c = content(name, "en");
        let pdf = harness::signed_renderer().render(&c).unwrap();
        let Some((marked, lang, elements)) = harness::pdfjs_structure(&pdf) else { return };
        assert!(marked, "{name}: not marked as tagged");
        assert_eq!(lang, "en");
        let roles: Vec<&str> = elements.iter().map(|e| e.role.as_str()).collect();
        assert_eq!(roles, ROLES, "{name}");
        let texts: Vec<String> = elements.iter().map(|e| e.text.clone()).collect();
        assert_eq!(texts, reading_order(name), "{name}");
        let alts: Vec<(usize, &str)> =
            elements.iter().enumerate().filter_map(|(i, e)| Some((i, e.alt.as_deref()?))).collect();
        let mut expected = vec![
            (0, "Logo of the organiser, Council of Europe"),
            (1, "Logo of a partner organisation"),
            (10, "Signature of A. N. Other"),
            (17, QR_ALT),
            (18, QR_ALT),
        ];
        // A right-to-left name also carries its logical text (/ActualText), which pdf.js gives
        // as the element's alternative text.
        if is_rtl(name) {
            expected.insert(2, (4, name));
        }
        assert_eq!(alts, expected, "{name}");
    }
    let c = content("Ольга Петрова", "fr");
    let Some((_, lang, elements)) = harness::pdfjs_structure(&harness::signed_renderer().render(&c).unwrap()) else {
        return;
    };
    assert_eq!(lang, "fr");
    let alts: Vec<&str> = elements.iter().filter_map(|e| e.alt.as_deref()).collect();
    assert_eq!(
        alts,
        [
            "Logo de l’organisateur, Council of Europe",
            "Logo d’une organisation partenaire",
            "Signature de A. N. Other",
            "Code QR menant à la page de vérification de ce certificat",
            "Code QR menant à la page de vérification de ce certificat",
        ]
    );
}

/// Right-to-left names whose glyphs are not one a letter: pointed Hebrew (a letter and its
/// points, each a glyph), an Arabic name with the `الله` ligature, and vowelled Arabic. poppler
/// read `שָׁלוֹם כֹּהֵן` as `שלו ֹם כּ ֹהֵ ן` with a stray `ָׁ` (and before, control characters: the
/// points' glyphs had no text), and `عبد الله` as `عبد اهلل` in poppler and pdf.js alike. poppler
/// must give each back exactly; pdf.js, which reads the glyphs, the same text up to the order of
/// a letter's points (canonically equivalent: the same text to Unicode). Not yet: pdf.js puts a
/// mark that ends a name (`عَلِيّ`'s shadda, drawn first) before it.
#[test]
fn right_to_left_names_with_points_and_ligatures_come_back_as_written() {
    use unicode_normalization::UnicodeNormalization;
    for name in ["שָׁלוֹם כֹּהֵן", "محمد بن عبد الله الهاشمي", "مُحَمَّد عَلِيّ", "مُحَمَّد عَلِي", "فاطمه زهرا"]
    {
        let pdf = renderer().render(&content(name, "en")).unwrap();
        let (text, logical) = harness::pdf_text(&pdf);
        if logical {
            // A name ending in a mark is followed by an invisible right-to-left mark (see
            // `actual_text`).
            assert!(
                text.lines().any(|l| l.trim().trim_end_matches('\u{200F}') == name),
                "{name}: poppler gave\n{text}"
            );
        }
        let ends_in_a_mark = name.ends_with('\u{651}');
        let Some((_, _, elements)) = harness::pdfjs_structure(&pdf).filter(|_| !ends_in_a_mark) else { continue };
        let nfc = |s: &str| s.nfc().collect::<String>();
        let texts: Vec<&str> = elements.iter().map(|e| e.text.as_str()).collect();
        assert!(texts.iter().any(|t| nfc(t) == nfc(name)), "{name}: pdf.js gave {texts:?}");
    }
}

/// The verification hint, two lines in French and Spanish, is read first line first: its lines
/// were placed from the bottom up and read in that order ("code QR ou ouvrez le lien qu’il
/// contient. Pour vérifier ce certificat, scannez le"), in poppler and pdf.js alike.
#[test]
fn a_two_line_verification_hint_reads_in_order() {
    for (lang, start) in [("fr", "Pour vérifier ce certificat"), ("es", "Para verificar este certificado")] {
        let pdf = renderer().render(&content("Ольга Петрова", lang)).unwrap();
        let Some((_, _, elements)) = harness::pdfjs_structure(&pdf) else { return };
        let hint = elements.iter().map(|e| e.text.as_str()).find(|t| t.contains("QR")).unwrap();
        assert!(hint.starts_with(start), "{lang}: {hint:?}");
    }
}

/// The Chinese, Japanese and Korean faces have one weight: in a bold line (the name) their
/// outlines are stroked as well as filled, or such a name printed lighter than every other
/// script's, and "Li Wei 李伟" changed weight halfway (round 20). Only there: a Latin name, and
/// the body text after the name, are filled only.
#[test]
fn names_in_a_face_of_one_weight_are_emboldened_and_nothing_else_is() {
    let stream = |name: &str| {
        let pdf = renderer().render(&content(name, "en")).unwrap();
        let doc = Document::load_mem(&pdf).unwrap();
        let (_, page) = doc.get_pages().into_iter().next().unwrap();
        String::from_utf8_lossy(&doc.get_page_content(page)).into_owned()
    };
    for name in ["王小明", "김민준", "Li Wei 李伟"] {
        let s = stream(name);
        assert_eq!(s.matches("2 Tr").count(), 1, "{name}: one emboldened run");
        let (before, after) = s.split_once("2 Tr").unwrap();
        assert!(before.ends_with(" w\n") || before.trim_end().ends_with(" w"), "{name}: an outline width set first");
        assert!(after.contains("0 Tr"), "{name}: filled only again after the name");
    }
    assert!(!stream("Ольга Петрова").contains(" Tr"), "a name in a face with a bold weight");
}
