//! The command line: one file per subcommand, each a thin layer over the library.
//! Errors are `anyhow` with context; `main` prints them on one line and exits non-zero.

mod attendance;
mod event;
mod import;
mod people;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Certificates of attendance for online seminars.
#[derive(Debug, Parser)]
#[command(name = "attest", version, about)]
pub struct Cli {
    /// SQLite database file (created on first use).
    #[arg(long, global = true, env = "ATTEST_DB", default_value = "db/attest.sqlite3")]
    pub db: PathBuf,
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
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    use anyhow::Context;
    let mut conn = crate::store::open(&cli.db).with_context(|| format!("opening {}", cli.db.display()))?;
    let now = chrono::Utc::now();
    match cli.command {
        Command::Migrate => {
            println!("database {} is up to date", cli.db.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Event(cmd) => event::run(&conn, cmd, now),
        Command::Import(args) => import::run(&mut conn, args, now),
        Command::Attendance(args) => attendance::run(&conn, args),
        Command::Override(args) => attendance::run_override(&conn, args, now),
        Command::People(cmd) => people::run(&conn, cmd, now),
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
