//! Bulk issue benchmark: 1,000 eligible attendees with names in many scripts, issued end to end
//! (attendance decision, signing, rendering, storing record and PDF, writing the files and the
//! manifest), in several rounds (`ROUNDS`, default 5). Prints certificates per second and the
//! PDF sizes.
//!
//! Run with `cargo bench --bench issue`. A benchmark, not a test: nothing here asserts a time.

#![expect(clippy::unwrap_used, reason = "a benchmark stops at the first thing that fails; its message is the report")]

mod common;

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use attest::certificate::Renderer;
use attest::import::ImportOptions;
use attest::issuance::{self, Issuer, Settings};
use attest::store::{self, Conn, events::NewEvent};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PEOPLE: usize = 1000;

fn main() {
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("attest-bench-issue-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut conn = common::database(&dir);
    println!("engine: {}", common::engine());
    let now = chrono::Utc::now();
    let mut csv = String::from("Name (Original Name),User Email,Join Time,Leave Time\n");
    for i in 0..PEOPLE {
        let name = common::attendee_name(i);
        let _ = writeln!(csv, "\"{name}\",p{i}@example.org,2025-03-14 09:0{}:00,2025-03-14 10:40:00", i % 10);
    }
    let opts = ImportOptions::in_zone(chrono_tz::UTC);

    let t = Instant::now();
    let renderer = Renderer::load(&root.join("assets"), &root.join("fonts")).unwrap();
    let load = t.elapsed();
    let secret = attest::trust::token::active(&conn, &dir.join("keys"), now).unwrap();
    let settings: Settings = common::settings();
    // Every PDF is signed (PAdES, ECDSA P-256), as `attest issue` does.
    let pdf = attest::trust::pdf_signature::active(&dir.join("keys"), &settings.issuer, now).unwrap();
    let issuer = Issuer { renderer: &renderer, secret: &secret, pdf: &pdf, settings: &settings, actor: "cli" };
    println!("renderer load (fonts, templates, logos): {:.0} ms (once per process)", load.as_secs_f64() * 1e3);

    // Each round is a new event with the same 1,000 attendees, issued as `attest issue --out`
    // does: decide, sign, render, store, and write the PDFs and the manifest. The files go under
    // the target directory, not /tmp: creating a thousand files in a directory of a file system
    // where many were recently created and deleted (as /tmp is on a build machine) measured up
    // to eight times slower on ext4, which says more about /tmp than about attest. They are
    // deleted only at the end, for the same reason.
    let mut times = Vec::with_capacity(rounds);
    let mut sizes: Vec<u64> = Vec::new();
    for round in 0..rounds {
        let event = store::events::create(
            &conn,
            &NewEvent {
                series: Some("HELP online seminars".into()),
                starts_at: Some("2025-03-14T09:00:00Z".parse().unwrap()),
                ends_at: Some("2025-03-14T10:40:00Z".parse().unwrap()),
                ..common::new_event(
                    &format!("bench-{round}"),
                    "Online seminar: Freedom of expression, hate speech and the ECHR",
                )
            },
            "cli",
            now,
        )
        .unwrap();
        common::import(&mut conn, &event, "bench.csv", csv.as_bytes(), &opts);
        let out = dir.join(format!("out-{round}"));
        let t = Instant::now();
        let (report, x) = issuance::issue_and_export(&mut conn, issuer, &event, now, &|_| {}, &out, None).unwrap();
        let took = t.elapsed();
        assert_eq!((report.issued.len(), x.files_written), (PEOPLE, PEOPLE));
        println!("round {round}: {PEOPLE} certificates in {:.0} ms", took.as_secs_f64() * 1e3);
        times.push(took.as_secs_f64());
        if round == 0 {
            sizes = std::fs::read_dir(&out)
                .unwrap()
                .filter_map(|e| e.ok())
                .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
                .map(|e| e.metadata().unwrap().len())
                .collect();
            // One PDF to look at (`qpdf --json`, `pdftoppm`): ATTEST_BENCH_SAMPLE=path.
            if let Some(to) = std::env::var_os("ATTEST_BENCH_SAMPLE") {
                let first = std::fs::read_dir(&out).unwrap().filter_map(|e| e.ok()).map(|e| e.path());
                let pdf = first.filter(|p| p.extension().is_some_and(|x| x == "pdf")).min().unwrap();
                std::fs::copy(pdf, to).unwrap();
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let median = times[times.len() / 2];
    println!(
        "end to end (decide, sign, render, store, write files and manifest): median {:.0} certificates/s, best {:.0}",
        PEOPLE as f64 / median,
        PEOPLE as f64 / times[0]
    );
    let avg = sizes.iter().sum::<u64>() as f64 / sizes.len() as f64;
    println!(
        "PDF size: average {:.1} KiB ({avg:.0} bytes), largest {:.1} KiB",
        avg / 1024.0,
        *sizes.iter().max().unwrap() as f64 / 1024.0
    );

    trust_formats(&conn, &format!("bench-{}", rounds - 1), &dir.join("keys"), &renderer, &pdf, now);
    std::fs::remove_dir_all(&dir).ok();
}

/// What each trust format costs per certificate, on one thread, over event `slug`'s
/// certificates: signing a PDF (PAdES), and what a verifier pays for a credential's proof and a
/// PDF's signature.
fn trust_formats(
    conn: &Conn,
    slug: &str,
    keys_dir: &Path,
    renderer: &Renderer,
    pdf: &attest::trust::pdf_signature::PdfSigner,
    now: chrono::DateTime<chrono::Utc>,
) {
    let last = store::events::get(conn, slug).unwrap();
    let certs = store::certificates::for_event(conn, last.id).unwrap();
    let keys = attest::trust::token::key_set(conn).unwrap();
    let credentials: Vec<String> =
        certs.iter().map(|c| store::certificates::credential(conn, &c.id).unwrap().unwrap()).collect();
    let pdfs: Vec<Vec<u8>> = certs.iter().map(|c| store::certificates::pdf(conn, &c.id).unwrap().unwrap()).collect();
    let per = |t: Instant, n: usize| t.elapsed().as_secs_f64() * 1e6 / n as f64;
    let t = Instant::now();
    for c in &credentials {
        attest::trust::credential::verify(c.as_bytes(), &keys).unwrap();
    }
    println!(
        "credential verification (parse, N-Quads, RDFC-1.0 labels, SHA-256, Ed25519): {:.0} µs each",
        per(t, credentials.len())
    );
    let roots = attest::trust::pdf_signature::own_roots(keys_dir);
    let t = Instant::now();
    for p in &pdfs {
        assert!(attest::trust::pdf_signature::verify(p, &roots).unwrap().valid);
    }
    println!("PDF signature verification (ByteRange, digest, ECDSA, chain): {:.0} µs each", per(t, pdfs.len()));
    let prepared = renderer.render_for_signing(&sample(), None, &pdf.field(now)).unwrap();
    let mut copies = vec![prepared; PEOPLE];
    let t = Instant::now();
    for c in &mut copies {
        pdf.sign(c).unwrap();
    }
    println!("PDF signing (hash the ranges, CMS, ECDSA P-256, fill /Contents): {:.0} µs each", per(t, copies.len()));
}

/// One certificate's content, to time the PDF signature alone.
fn sample() -> attest::certificate::CertificateContent {
    let url = "http://127.0.0.1:8080/v/eyJhbGciOiJFZERTQSJ9.e30.c2ln".into();
    attest::certificate::CertificateContent::sample("Αλέξανδρος Παπαδόπουλος", "en", url)
}
