//! `attest db copy --from FILE --to URL`: moves an installation from SQLite to PostgreSQL
//! (issue 19, item 4). A thin layer over `store::copy`, which copies and checks.
//!
//! Opens its own two databases and never the global `--db`: `run` in `cli/mod.rs` dispatches
//! it before opening (and migrating) that one, which here would be neither side of the copy.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::store::{self, Location};

#[derive(Debug, Subcommand)]
pub enum DbCmd {
    /// Copy every row of a SQLite database into a new PostgreSQL database, in one transaction,
    /// then check row counts and the SHA-256 of every stored PDF, upload and design image.
    /// Refuses a target that holds any row. The signing keys are not in the database: copy or
    /// mount the keys folder too, and give it with --keys.
    Copy {
        /// The SQLite file to copy (it must exist; it is migrated to the latest schema first).
        #[arg(long)]
        from: OsString,
        /// The new PostgreSQL database: postgres://user@host/db?sslmode=verify-full (created
        /// beforehand and empty; attest creates the tables).
        #[arg(long)]
        to: OsString,
    },
}

/// `keys`: `--keys` if given, for the reminder that the folder moves with the database.
pub fn run(cmd: DbCmd, keys: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let DbCmd::Copy { from, to } = cmd;
    let from = Location::parse(&from)?;
    let to = Location::parse(&to)?;
    let Some(path) = from.sqlite_path() else { bail!("--from: {} is not a SQLite file", from.describe()) };
    if !path.is_file() {
        bail!("--from: no SQLite database at {}", path.display());
    }
    if to.sqlite_path().is_some() {
        bail!("--to: {} is not a PostgreSQL URL (postgres://…)", to.describe());
    }
    let source = store::connect(&from).with_context(|| format!("opening {}", from.describe()))?;
    let mut target = store::connect(&to).with_context(|| format!("opening {}", to.describe()))?;
    let report = store::copy::copy(&source, &mut target)
        .with_context(|| format!("copying {} to {}", from.describe(), to.describe()))?;
    println!("copied {} to {}:", from.describe(), to.describe());
    let rows: Vec<Vec<String>> = report.tables.iter().map(|(table, n)| vec![table.clone(), n.to_string()]).collect();
    print!("{}", super::table(&["table", "rows"], &rows));
    println!(
        "{} PDFs, {} uploads, {} images checked (SHA-256); row counts equal in every table",
        report.pdfs, report.uploads, report.images
    );
    let keys = keys.unwrap_or_else(|| crate::trust::token::keys_dir(path));
    println!("{}", keys_reminder(&keys));
    Ok(ExitCode::SUCCESS)
}

/// The signing keys live in files, not in the database: without them the copy verifies nothing.
fn keys_reminder(keys: &Path) -> String {
    format!(
        "the signing keys are not in the database: copy or mount {} where the service runs, and \
         start every instance with --keys pointing at it",
        keys.display()
    )
}
