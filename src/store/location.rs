//! Where the database is: what `--db` / `ATTEST_DB` names, read once at start.
//!
//! A path, or a `sqlite:` URL (`sqlite:db/attest.sqlite3`, `sqlite:///srv/attest/attest.sqlite3`),
//! is a SQLite file, attest's embedded default. `postgres://…` (or `postgresql://…`) is a
//! PostgreSQL database, for several instances. Any other `scheme://…` is refused with an error
//! that names the engine, rather than taken for a path (it used to create a SQLite file under a
//! folder named `mysql:`).
//!
//! Deliberately not done: echoing the value in an error. A database URL may carry a password;
//! errors name the scheme only.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use super::{Result, StoreError};

/// The database attest runs on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file (created by `attest migrate` and `serve` only), with the signing keys in
    /// `keys/` beside it.
    Sqlite(PathBuf),
    /// A PostgreSQL database, as a libpq-style URL (it may hold a password: never shown).
    Postgres(String),
}

impl Location {
    /// Reads a `--db` value: a path or a `sqlite:` URL; any other `scheme://` is refused.
    pub fn parse(value: &OsStr) -> Result<Location> {
        // A path that is not UTF-8 cannot be a URL.
        let Some(text) = value.to_str() else { return Ok(Location::Sqlite(PathBuf::from(value))) };
        if let Some(rest) = text.strip_prefix("sqlite:") {
            // `sqlite:///abs` is the absolute path `/abs`, `sqlite://rel` and `sqlite:rel` the
            // relative one, as sqlx and SQLAlchemy read them.
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() || path.contains('?') {
                return Err(StoreError::Invalid(
                    "the database (--db / ATTEST_DB): a sqlite: URL names a file, without options \
                     (sqlite:db/attest.sqlite3 or sqlite:///absolute/path)"
                        .into(),
                ));
            }
            return Ok(Location::Sqlite(PathBuf::from(path)));
        }
        match scheme(text) {
            Some(scheme) if matches!(scheme.to_ascii_lowercase().as_str(), "postgres" | "postgresql") => {
                Ok(Location::Postgres(text.to_owned()))
            }
            Some(scheme) => Err(StoreError::Invalid(format!(
                "the database (--db / ATTEST_DB) names {}: attest runs on SQLite (a file path or a \
                 sqlite: URL) or PostgreSQL (postgres://…)",
                engine(scheme)
            ))),
            None => Ok(Location::Sqlite(PathBuf::from(value))),
        }
    }

    /// The SQLite file; `None` for PostgreSQL.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            Location::Sqlite(p) => Some(p),
            Location::Postgres(_) => None,
        }
    }

    /// The location as messages and logs may show it: the file, or the PostgreSQL server and
    /// database without user or password.
    pub fn describe(&self) -> String {
        match self {
            Location::Sqlite(p) => p.display().to_string(),
            Location::Postgres(url) => {
                let rest = url.split_once("://").map_or("", |(_, r)| r);
                let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
                let rest = rest.split_once('?').map_or(rest, |(r, _)| r);
                format!("PostgreSQL {rest}")
            }
        }
    }
}

/// Which file a SQLite path names (its device and inode). A restore that puts a copy in place
/// of the database while a server runs (the README says to stop it first) leaves that server on
/// the file it opened, writing where nothing else will ever read: comparing identities is how
/// it notices.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct FileId(u64, u64);

impl Location {
    /// The identity of the file the SQLite path names now; `None` on PostgreSQL, when nothing is
    /// there, or on a system without inodes.
    pub fn file_id(&self) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(self.sqlite_path()?).ok()?;
            Some(FileId(m.dev(), m.ino()))
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// Whether the path no longer names `opened`, the file connections opened (replaced or
    /// removed); false when nothing was opened by identity.
    pub fn replaced_since(&self, opened: Option<FileId>) -> bool {
        opened.is_some() && self.file_id() != opened
    }
}

/// The scheme of `scheme://…` (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`), if the
/// value has that form. A Windows drive (`C:\…`) and a plain path have none.
fn scheme(text: &str) -> Option<&str> {
    let (scheme, _) = text.split_once("://")?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then_some(scheme)
}

/// The engine a scheme names, as people call it, with the scheme as typed.
fn engine(scheme: &str) -> String {
    let name = match scheme.to_ascii_lowercase().as_str() {
        "postgres" | "postgresql" => "PostgreSQL",
        "mysql" => "MySQL",
        "mariadb" => "MariaDB",
        "sqlserver" | "mssql" => "SQL Server",
        _ => "an engine attest does not know",
    };
    format!("{name} ({scheme}://…)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Location> {
        Location::parse(OsStr::new(s))
    }

    #[test]
    fn paths_and_sqlite_urls_are_sqlite_files() {
        for (value, path) in [
            ("db/attest.sqlite3", "db/attest.sqlite3"),
            ("/srv/attest/attest.sqlite3", "/srv/attest/attest.sqlite3"),
            ("sqlite:db/attest.sqlite3", "db/attest.sqlite3"),
            ("sqlite:///srv/attest/a.sqlite3", "/srv/attest/a.sqlite3"),
            ("sqlite://rel.sqlite3", "rel.sqlite3"),
            ("C:\\attest\\a.sqlite3", "C:\\attest\\a.sqlite3"),
            ("odd:name.sqlite3", "odd:name.sqlite3"),
        ] {
            assert_eq!(parse(value).unwrap(), Location::Sqlite(path.into()), "{value}");
        }
    }

    #[test]
    fn postgres_urls_are_postgres_and_are_described_without_their_password() {
        let url = "postgres://attest:s3cret@db.example.org:5432/attest?sslmode=require";
        assert_eq!(parse(url).unwrap(), Location::Postgres(url.into()));
        assert_eq!(parse("postgresql://h/d").unwrap(), Location::Postgres("postgresql://h/d".into()));
        let shown = parse(url).unwrap().describe();
        assert_eq!(shown, "PostgreSQL db.example.org:5432/attest");
    }

    #[test]
    fn another_engine_is_refused_by_name_without_echoing_the_url() {
        let e = parse("mysql://attest:s3cret@db.example.org/attest").unwrap_err().to_string();
        assert!(e.contains("names MySQL (mysql://…)"), "{e}");
        assert!(e.contains("attest runs on SQLite"), "{e}");
        assert!(!e.contains("s3cret") && !e.contains("db.example.org"), "{e}");
        let other = parse("redis://h").unwrap_err().to_string();
        assert!(other.contains("an engine attest does not know (redis://…)"), "{other}");
        assert!(parse("sqlite:").is_err() && parse("sqlite:a.db?mode=ro").is_err());
    }
}
