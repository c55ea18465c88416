//! `attest health [--url URL]`: asks a running attest whether it is ready (`/readyz`), for a
//! container's HEALTHCHECK, where no curl is installed. Exits 0 when it answers 200, else 1.
//!
//! Plain HTTP to the service's own listening address only: the probe runs beside the service,
//! never through a proxy or TLS, so a dozen lines of std are enough (an HTTP client crate would
//! be a dependency for one request).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::Args;

#[derive(Debug, Args)]
pub struct HealthArgs {
    /// What to ask: `http://HOST:PORT/PATH`.
    #[arg(long, default_value = "http://127.0.0.1:8080/readyz")]
    pub url: String,
}

pub fn run(args: HealthArgs) -> anyhow::Result<ExitCode> {
    let rest =
        args.url.strip_prefix("http://").with_context(|| format!("--url {}: use http://HOST:PORT/PATH", args.url))?;
    let (authority, path) = rest.split_once('/').map_or((rest, "/".to_owned()), |(a, p)| (a, format!("/{p}")));
    let addr = authority
        .to_socket_addrs()
        .with_context(|| format!("--url {}: cannot resolve {authority}", args.url))?
        .next()
        .with_context(|| format!("--url {}: no address for {authority}", args.url))?;
    let mut s =
        TcpStream::connect_timeout(&addr, Duration::from_secs(3)).with_context(|| format!("connecting to {addr}"))?;
    s.set_read_timeout(Some(Duration::from_secs(10)))?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n")?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer)?;
    let status = String::from_utf8_lossy(&answer).split(' ').nth(1).unwrap_or("").to_owned();
    let (good, bad, checked) = meaning(&path);
    if status == "200" {
        println!("{good}: {} answered 200{checked}", args.url);
        Ok(ExitCode::SUCCESS)
    } else {
        println!("{bad}: {} answered {}", args.url, if status.is_empty() { "nothing" } else { &status });
        Ok(ExitCode::FAILURE)
    }
}

/// What an answer from `path` says, in words: for a 200, for anything else, and what the 200
/// checked. The answer alone said "ready" whatever was asked, and `/healthz` (the liveness
/// probe) answering 200 read as if the database had been checked.
fn meaning(path: &str) -> (&'static str, &'static str, &'static str) {
    match path.split('?').next().unwrap_or(path) {
        "/readyz" => ("ready", "not ready", " (the service read its database on a new connection)"),
        "/healthz" => ("alive", "not alive", " (the process answers; /readyz is the check of the database)"),
        _ => ("ok", "failed", " (not /readyz: readiness was not checked)"),
    }
}
