//! The command line: one file per subcommand, each a thin layer over the library.
//! Errors are `anyhow` with context; `main` prints them on one line and exits non-zero.

mod attendance;
mod event;
mod import;
mod issue;
mod keys;
mod people;
mod serve;
mod staff;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Certificates of attendance for online seminars.
#[derive(Debug, Parser)]
#[command(name = "attest", version, about)]
pub struct Cli {
    /// SQLite database file (created on first use). Signing keys live in `keys/` beside it.
    #[arg(long, global = true, env = "ATTEST_DB", default_value = "db/attest.sqlite3")]
    pub db: PathBuf,
    /// Base URL of the verification service, put in every QR code.
    #[arg(long, global = true, env = "ATTEST_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
    pub public_url: String,
    /// The issuing organisation, printed and signed.
    #[arg(long, global = true, env = "ATTEST_ISSUER", default_value = "Council of Europe")]
    pub issuer: String,
    /// The issuer's short form, carried in the signed token (kept short for the QR code).
    #[arg(long, global = true, env = "ATTEST_ISSUER_SHORT", default_value = "CoE")]
    pub issuer_short: String,
    /// An RFC 3161 time-stamp authority (http:// URL): every PDF signature gets a time-stamp
    /// (PAdES B-T); when it cannot be had, the issue fails rather than signing without one.
    #[arg(long, global = true, env = "ATTEST_TSA_URL")]
    pub tsa_url: Option<String>,
    /// Folder with certificate templates and logos.
    #[arg(long, global = true, env = "ATTEST_ASSETS", default_value = "assets")]
    pub assets: PathBuf,
    /// Folder with the fonts certificates are set in.
    #[arg(long, global = true, env = "ATTEST_FONTS", default_value = "fonts")]
    pub fonts: PathBuf,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database or bring it to the latest schema.
    Migrate,
    /// Create, list and show events.
    #[command(subcommand)]
    Event(event::EventCmd),
    /// Import Zoom or Teams attendance exports into an event.
    Import(import::ImportArgs),
    /// Who attended, with the decision and its reason for each person.
    Attendance(attendance::AttendanceArgs),
    /// Replace the computed decision for one person, with a reason.
    Override(attendance::OverrideArgs),
    /// Link or split people, and list what needs review.
    #[command(subcommand)]
    People(people::PeopleCmd),
    /// Issue certificates to every eligible person of an event who has none yet.
    Issue(issue::IssueArgs),
    /// Issue a corrected certificate in place of one (the old one becomes superseded).
    Reissue(issue::ReissueArgs),
    /// Revoke a certificate, with the reason shown to verifiers.
    Revoke(issue::RevokeArgs),
    /// Check a certificate: a PDF, a verify URL, a token or a printed code.
    Verify(verify::VerifyArgs),
    /// Signing keys: list, rotate, publish.
    #[command(subcommand)]
    Keys(keys::KeysCmd),
    /// Run the web service: public verification page and JSON, JWK set, health check.
    Serve(serve::ServeArgs),
    /// Staff accounts (console logins) and API tokens.
    #[command(subcommand)]
    Staff(staff::StaffCmd),
    /// Copy the database to FILE while it is in use (SQLite online backup).
    Backup { file: PathBuf },
    /// The latest entries of the audit log.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

/// What the certificate commands need besides the database.
pub struct CliContext {
    pub db: PathBuf,
    pub public_url: String,
    pub issuer: String,
    pub issuer_short: String,
    pub assets: PathBuf,
    pub fonts: PathBuf,
    /// RFC 3161 time-stamp authority for PDF signatures (B-T), when configured.
    pub tsa_url: Option<String>,
}

impl CliContext {
    pub fn settings(&self) -> crate::issuance::Settings {
        crate::issuance::Settings {
            public_url: self.public_url.clone(),
            issuer: self.issuer.clone(),
            issuer_short: self.issuer_short.clone(),
            tsa_url: self.tsa_url.clone(),
        }
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    let mut conn = crate::store::open(&cli.db).with_context(|| format!("opening {}", cli.db.display()))?;
    let now = chrono::Utc::now();
    let ctx = CliContext {
        db: cli.db.clone(),
        public_url: cli.public_url,
        issuer: cli.issuer,
        issuer_short: cli.issuer_short,
        assets: cli.assets,
        fonts: cli.fonts,
        tsa_url: cli.tsa_url,
    };
    match cli.command {
        Command::Migrate => {
            println!("database {} is up to date", cli.db.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Event(cmd) => event::run(&conn, &ctx, cmd, now),
        Command::Import(args) => import::run(&mut conn, args, now),
        Command::Attendance(args) => attendance::run(&conn, args),
        Command::Override(args) => attendance::run_override(&conn, args, now),
        Command::People(cmd) => people::run(&conn, cmd, now),
        Command::Issue(args) => issue::run_issue(&mut conn, &ctx, args, now),
        Command::Reissue(args) => issue::run_reissue(&mut conn, &ctx, args, now),
        Command::Revoke(args) => issue::run_revoke(&mut conn, args, now),
        Command::Verify(args) => verify::run(&conn, &cli.db, args),
        Command::Keys(cmd) => keys::run(&conn, &cli.db, &ctx.issuer, cmd, now),
        Command::Audit { limit } => issue::run_audit(&conn, limit),
        Command::Staff(cmd) => staff::run(&conn, &ctx, cmd, now),
        Command::Serve(args) => serve::run(&mut conn, &ctx, args, now),
        Command::Backup { file } => {
            crate::store::backup(&conn, &file)?;
            println!(
                "database copied to {}; also keep a copy of {}",
                file.display(),
                crate::signing::keys_dir(&cli.db).display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Left-aligned text columns, measured in characters.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        let last = cells.len() - 1;
        for (i, c) in cells.into_iter().enumerate() {
            out.push_str(&c);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        out.push('\n');
    };
    line(headers.iter().map(|s| s.to_string()).collect(), &mut out);
    for r in rows {
        line(r.clone(), &mut out);
    }
    out
}
