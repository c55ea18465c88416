//! Throughput benchmark: renders N certificates (default 1,000) with varied
//! names, single-threaded and then on all cores, and prints certificates per
//! second and the average PDF size.
//!
//! cargo run --release --example bench_render -- [count]

#[path = "../benches/common/mod.rs"]
mod common;

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use attest::certificate::{CertificateContent, Renderer};
use chrono::{NaiveDate, TimeZone, Utc};

// The allocator is the application's choice, not the library's. glibc malloc
// costs ~15 % of render time here (printpdf and lopdf build many small
// objects); with mimalloc the same work is ~15-20 % faster. Comment these two
// lines out to measure with the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn content(i: usize) -> CertificateContent {
    let day = NaiveDate::from_ymd_opt(2025, 3, 14).expect("date");
    let lang = ["en", "fr", "es"][i % 3];
    let name = common::attendee_name(i);
    let code = format!("7KQ2-M9XD-{:04X}-WC1T-{:04X}", i % 65536, (i * 7919) % 65536);
    let jws = format!(
        "eyJhbGciOiJFZERTQSIsImtpZCI6ImF0dGVzdC0yMDI1LTAxIn0.eyJjIjoi{code}IiwibiI6Ik9sZ2EgUGV0cm92YSIsImUiOiJoZWxwLTIwMjUtMDMtMTQiLCJtIjo5OCwiaWF0IjoxNzQxOTU0MzAwfQ.Q2s8V7lRyJ0wq3mN5bX1zK9pT4uE6hA2cD8fG0jL3oP7sR1tU5vW9xY2zA4bC6dE8fG0hI2jK4lM6nO8pQ0rS2tU4vW6xY8zA0bC2dE{i:06}"
    );
    CertificateContent {
        language: lang.into(),
        template: None,
        name,
        event_title: "Online seminar: Freedom of expression, hate speech and the ECHR".into(),
        series: Some("HELP online seminars".into()),
        starts_local: day.and_hms_opt(10, 0, 0).expect("time"),
        ends_local: day.and_hms_opt(11, 40, 0).expect("time"),
        timezone: "Europe/Paris".into(),
        minutes_attended: 60 + (i % 40) as u32,
        certificate_code: code,
        verify_url: format!("http://127.0.0.1:8080/v/{jws}"),
        issued_at: Utc.with_ymd_and_hms(2025, 3, 14, 12, 5, 0).single().expect("valid"),
        issuer: "Council of Europe".into(),
    }
}

/// CPU time of this process (all threads), from /proc/self/stat, in seconds.
/// Wall-clock rates are misleading on a machine shared with other builds;
/// certificates per CPU-second are not.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    ticks / 100.0 // USER_HZ is 100 on Linux
}

/// Runs `f`; with what it returns, the wall-clock and the CPU seconds (every thread's) it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, f64, f64) {
    let t = Instant::now();
    let cpu0 = cpu_seconds();
    let out = f();
    (out, t.elapsed().as_secs_f64(), cpu_seconds() - cpu0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // CERT_ASSETS=<dir> measures another asset set (e.g. one logo only).
    let assets = std::env::var_os("CERT_ASSETS").map(std::path::PathBuf::from).unwrap_or_else(|| root.join("assets"));
    let t = Instant::now();
    let renderer = Arc::new(Renderer::load(&assets, &root.join("fonts"))?);
    println!("assets: {}", assets.display());
    println!("load: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let inputs: Vec<CertificateContent> = (0..n).map(content).collect();
    println!("verify URL length: {} bytes", inputs[0].verify_url.len());

    // Warm-up (first certificate per language fills the caches).
    for c in inputs.iter().take(3) {
        renderer.render(c)?;
    }

    let (rendered, secs, cpu) = timed(|| -> Result<_, attest::certificate::RenderError> {
        let (mut bytes, mut max) = (0usize, 0usize);
        for c in &inputs {
            let pdf = renderer.render(c)?;
            bytes += pdf.len();
            max = max.max(pdf.len());
        }
        Ok((bytes, max))
    });
    let (bytes, max) = rendered?;
    println!(
        "1 thread : {n} certificates in {:.3} s = {:.0} certs/s ({:.0} per CPU-second), {:.3} ms each; avg {:.1} KiB, max {:.1} KiB",
        secs,
        n as f64 / secs,
        n as f64 / cpu.max(1e-9),
        secs * 1e3 / n as f64,
        bytes as f64 / n as f64 / 1024.0,
        max as f64 / 1024.0
    );

    let threads = std::thread::available_parallelism().map(|p| p.get()).unwrap_or(2);
    let ((), secs, cpu) = timed(|| {
        std::thread::scope(|s| {
            for k in 0..threads {
                let r = renderer.clone();
                let inputs = &inputs;
                s.spawn(move || {
                    for c in inputs.iter().skip(k).step_by(threads) {
                        r.render(c).expect("render");
                    }
                });
            }
        })
    });
    println!(
        "{threads} threads: {n} certificates in {:.3} s = {:.0} certs/s wall-clock; {:.0} certs per CPU-second",
        secs,
        n as f64 / secs,
        n as f64 / cpu.max(1e-9)
    );
    println!("load average: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
    Ok(())
}
