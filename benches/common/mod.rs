//! What the benchmarks share: the event they import into, the names of its attendees and how
//! they time a stage. A module (not a bench target: cargo only takes `benches/*.rs`), included
//! with `mod common;` (and by `examples/bench_render.rs` through `#[path]`).

#![allow(dead_code, reason = "each benchmark uses part of it; `expect` would fail in the ones that use all")]

use attest::store::{self, Conn, events::Event, events::NewEvent};

/// A new event's settings as most benchmarks want them: a Paris webinar in English under the
/// default rule (75 %), its window from the exports. Callers change fields with `..`.
pub fn new_event(slug: &str, title: &str) -> NewEvent {
    NewEvent::new(slug, title, chrono_tz::Europe::Paris)
}

/// The issuer the issuing benchmarks sign as: the command line's defaults, a local address (nothing
/// visits it) and no time-stamp authority.
pub fn settings() -> attest::issuance::Settings {
    attest::issuance::Settings::default()
}

/// The database a benchmark writes to: a new SQLite file `bench.sqlite3` in `dir`, or, when
/// `ATTEST_BENCH_POSTGRES_URL` names a PostgreSQL server (`postgres://attest@127.0.0.1:54329/postgres`),
/// a new database there, so that the same benchmark measures either engine.
pub fn database(dir: &std::path::Path) -> Conn {
    let Some(server) = std::env::var("ATTEST_BENCH_POSTGRES_URL").ok().filter(|v| !v.is_empty()) else {
        return store::open(&dir.join("bench.sqlite3")).expect("a new database file");
    };
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!("bench_{}_{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).expect("the PostgreSQL server");
    admin.batch_execute(&format!("CREATE DATABASE {name}")).expect("a new database");
    let base = server.rsplit_once('/').map_or(server.as_str(), |(b, _)| b);
    store::open(std::path::Path::new(&format!("{base}/{name}"))).expect("the new database")
}

/// Which engine [`database`] gives, for the benchmarks' output.
pub fn engine() -> &'static str {
    if std::env::var("ATTEST_BENCH_POSTGRES_URL").is_ok_and(|v| !v.is_empty()) { "PostgreSQL" } else { "SQLite" }
}

/// Creates `event` in `conn`, as `actor`, now.
pub fn create(conn: &Conn, event: &NewEvent, actor: &str) -> Event {
    store::events::create(conn, event, actor, chrono::Utc::now()).expect("a fresh database takes the event")
}

/// The median of `v` (sorted in place).
pub fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Imports one file into `event` as `attest import` does (every row kept, bad rows refused),
/// and answers what happened to it.
pub fn import(
    conn: &mut Conn,
    event: &Event,
    file_name: &str,
    bytes: &[u8],
    opts: &attest::import::ImportOptions,
) -> store::imports::Outcome {
    let upload = store::imports::Upload { file_name, bytes };
    store::imports::import_files(conn, event, &[upload], opts, false, "bench", chrono::Utc::now())
        .expect("the benchmark's export imports")
        .remove(0)
}

/// Given names in many scripts (Latin with diacritics, Cyrillic, Greek, Georgian, Armenian,
/// Arabic, Hebrew, Vietnamese, Han): a benchmark shapes and embeds the glyphs a real list of
/// attendees needs, not only ASCII.
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
    "Jean-Luc",
    "Ingrid",
    "Pál",
];

/// Family names in the same scripts as [`GIVEN`].
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
    "García López",
    "van der Berg",
];

/// The `i`th attendee's name: each given name with each family name before a pair repeats.
pub fn attendee_name(i: usize) -> String {
    format!("{} {}", GIVEN[i % GIVEN.len()], FAMILY[(i / GIVEN.len()) % FAMILY.len()])
}
