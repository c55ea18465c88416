//! Writes sample certificates to `target/samples/` (or the directory given as
//! the first argument): one per sample name, in English, plus French and
//! Spanish variants for a few names, and a 120-character name.
//!
//! cargo run --release --example render -- [out_dir]

use std::path::{Path, PathBuf};

use attest::certificate::{CertificateContent, Renderer};

const NAMES: &[(&str, &str)] = &[
    ("polish", "Wójcik, Żaneta"),
    ("cyrillic", "Ольга Петрова"),
    ("greek", "Αλέξανδρος Παπαδόπουλος"),
    ("turkish", "Ayşe Yılmaz"),
    ("georgian", "ნინო ბერიძე"),
    ("armenian", "Արամ Պետրոսյան"),
    ("arabic", "محمد العلوي"),
    ("spanish", "José Ñúñez"),
    ("irish", "Siobhán Ó Briain"),
    ("vietnamese", "Nguyễn Thị Minh Khai"),
    ("hebrew", "דוד לוי"),
    ("cjk", "王小明"),
    ("korean", "김민준"),
    // A Latin name with its Chinese form: two faces, one weight (the Chinese one emboldened).
    ("latin-cjk", "Li Wei 李伟"),
    ("german", "Hans-Jürgen Müller"),
    // Two scripts with faces of their own in one name: two fallback faces, one bidi run each.
    ("greek-arabic", "Νίκος حداد"),
];

fn sample(name: &str, language: &str) -> CertificateContent {
    CertificateContent::sample(name, language, sample_url())
}

/// A verification URL of realistic length (~330 characters).
fn sample_url() -> String {
    let payload = "eyJhbGciOiJFZERTQSIsImtpZCI6ImF0dGVzdC0yMDI1LTAxIn0.eyJjIjoiN0tRMi1NOVhELTNGOEEtV0MxVC1QWDROIiwibiI6Ik9sZ2EgUGV0cm92YSIsImUiOiJoZWxwLTIwMjUtMDMtMTQiLCJtIjo5OCwiaWF0IjoxNzQxOTU0MzAwfQ.Q2s8V7lRyJ0wq3mN5bX1zK9pT4uE6hA2cD8fG0jL3oP7sR1tU5vW9xY2zA4bC6dE8fG0hI2jK4lM6nO8pQ0rS2tU4vW6xY8zA0bC2dE4fG6hI8jK0lM2nO4";
    format!("http://127.0.0.1:8080/v/{payload}")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out: PathBuf = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(|| root.join("target/samples"));
    std::fs::create_dir_all(&out)?;
    let renderer = Renderer::load(&root.join("assets"), &root.join("fonts"))?;
    println!("verify URL: {} characters", sample_url().len());
    let mut jobs: Vec<(String, CertificateContent)> =
        NAMES.iter().map(|(k, n)| (format!("en-{k}"), sample(n, "en"))).collect();
    for (k, n) in [("cyrillic", "Ольга Петрова"), ("arabic", "محمد العلوي"), ("vietnamese", "Nguyễn Thị Minh Khai")]
    {
        jobs.push((format!("fr-{k}"), sample(n, "fr")));
    }
    for (k, n) in [("spanish", "José Ñúñez"), ("hebrew", "דוד לוי"), ("cjk", "王小明")] {
        jobs.push((format!("es-{k}"), sample(n, "es")));
    }
    let long: String = "Maximiliana Alexandrina Konstantinopoulou-Wolfeschlegelsteinhausenberger de la Santísima Trinidad y Fernández-Ötztal Beaumont-Laurentides"
        .chars()
        .take(120)
        .collect();
    assert_eq!(long.chars().count(), 120);
    jobs.push(("en-long".into(), sample(&long, "en")));
    for (file, content) in jobs {
        let (pdf, page) = renderer.render_with_layout(&content)?;
        let path = out.join(format!("{file}.pdf"));
        std::fs::write(&path, &pdf)?;
        println!("{} ({} bytes, QR version {})", path.display(), pdf.len(), page.qr.version);
    }
    Ok(())
}
