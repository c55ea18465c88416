//! Bulk issue benchmark: 1,000 eligible attendees with names in many scripts, issued end to end
//! (attendance decision, signing, rendering, storing record and PDF, writing the files and the
//! manifest), in several rounds (`ROUNDS`, default 5). Prints certificates per second and the
//! PDF sizes.
//!
//! Run with `cargo bench --bench issue`. A benchmark, not a test: nothing here asserts a time.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use attest::certificate::Renderer;
use attest::import::ImportOptions;
use attest::issuance::{self, Issuer, Settings};
use attest::store::{self, events::NewEvent, imports::Upload};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PEOPLE: usize = 1000;

const GIVEN: &[&str] = &[
    "Żaneta",
    "Ольга",
    "Αλέξανδρος",
    "Ayşe",
    "ნინო",
    "Արամ",
    "محمد",
    "José",
    "Siobhán",
    "Nguyễn Thị",
    "דוד",
    "王",
    "Hans-Jürgen",
    "Mario",
    "Aminata",
];
const FAMILY: &[&str] = &[
    "Wójcik",
    "Петрова",
    "Παπαδόπουλος",
    "Yılmaz",
    "ბერიძე",
    "Պետրոսյան",
    "العلوي",
    "Ñúñez",
    "Ó Briain",
    "Minh Khai",
    "לוי",
    "小明",
    "Müller",
    "Vega",
    "Diallo",
];

fn main() {
    let rounds: usize = std::env::var("ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("attest-bench-issue-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut conn = store::open(&dir.join("bench.sqlite3")).unwrap();
    let now = chrono::Utc::now();
    let mut csv = String::from("Name (Original Name),User Email,Join Time,Leave Time\n");
    for i in 0..PEOPLE {
        let name = format!("{} {}", GIVEN[i % GIVEN.len()], FAMILY[(i / GIVEN.len()) % FAMILY.len()]);
        let _ = writeln!(csv, "\"{name}\",p{i}@example.org,2025-03-14 09:0{}:00,2025-03-14 10:40:00", i % 10);
    }
    let opts = ImportOptions::in_zone(chrono_tz::UTC);

    let t = Instant::now();
    let renderer = Renderer::load(&root.join("assets"), &root.join("fonts")).unwrap();
    let load = t.elapsed();
    let secret = attest::signing::active(&conn, &dir.join("keys"), now).unwrap();
    let settings = Settings {
        public_url: "http://127.0.0.1:8080".into(),
        issuer: "Council of Europe".into(),
        issuer_short: "CoE".into(),
        tsa_url: None,
    };
    // Every PDF is signed (PAdES, ECDSA P-256), as `attest issue` does.
    let pdf = attest::pdf_signature::active(&dir.join("keys"), &settings.issuer, now).unwrap();
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
                slug: format!("bench-{round}"),
                title: "Online seminar: Freedom of expression, hate speech and the ECHR".into(),
                series: Some("HELP online seminars".into()),
                starts_at: Some("2025-03-14T09:00:00Z".parse().unwrap()),
                ends_at: Some("2025-03-14T10:40:00Z".parse().unwrap()),
                timezone: chrono_tz::Europe::Paris,
                language: "en".into(),
                rule: attest::attendance::Rule::MinPercent(75),
                panelists_eligible: false,
                template: None,
            },
            "cli",
            now,
        )
        .unwrap();
        store::imports::import_files(
            &mut conn,
            &event,
            &[Upload { file_name: "bench.csv", bytes: csv.as_bytes() }],
            &opts,
            false,
            "cli",
            now,
        )
        .unwrap();
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
        "PDF size: average {:.1} KiB, largest {:.1} KiB",
        avg / 1024.0,
        *sizes.iter().max().unwrap() as f64 / 1024.0
    );
    std::fs::remove_dir_all(&dir).ok();
}
