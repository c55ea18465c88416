//! PostgreSQL's side of [`super`]: a connection (with TLS as managed services require), its
//! prepared statements, and parameters and rows converted to the column types the server uses.
//!
//! The synchronous `postgres` client (tokio-postgres under a small runtime of its own) keeps
//! the store synchronous on both engines: every store function runs on a blocking thread
//! (`spawn_blocking`) already, and an async store would have changed every caller for one
//! engine's sake.

use std::cell::RefCell;
use std::collections::HashMap;
use std::error::Error;

use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, Statement};

use super::{Param, Row, Value};
use crate::store::{Result, StoreError};

type BoxError = Box<dyn Error + Sync + Send>;

/// An open session with its statements prepared so far (each is parsed and planned by the
/// server once per connection, as rusqlite's statement cache does for SQLite).
pub(in crate::store) struct Session {
    /// What it was opened with: another session to the same database (a lock's own) opens
    /// from it. Never shown: it may hold a password.
    url: String,
    /// `None` only while being dropped.
    client: RefCell<Option<Client>>,
    prepared: RefCell<HashMap<String, Statement>>,
}

impl Session {
    /// Connects to `url` (`postgres://user:password@host:port/db?sslmode=…`).
    ///
    /// TLS: `sslmode=require` or `verify-full` (and `verify-ca`) encrypt and check the server's
    /// certificate, against the CA file `sslrootcert=FILE` if given, else the public roots;
    /// `disable` (a database on the same host or a private network), or no `sslmode` at all,
    /// does not encrypt; `prefer` encrypts, checking, when the server offers TLS. libpq's
    /// `require` encrypts without checking; checking is what a managed service's documentation
    /// asks for, so attest always checks.
    pub(in crate::store) fn connect(url: &str) -> Result<Session> {
        let (config, root_cert) = configured(url)?;
        if let Some(host) = in_clear_over_a_network(&config) {
            static SAID: std::sync::Once = std::sync::Once::new();
            // Once a process: a pool opens a session for each of its threads.
            SAID.call_once(|| {
                tracing::warn!(
                    host = %host,
                    "the connection to PostgreSQL is not encrypted: its password and the attendees' data cross the network in clear; add sslmode=verify-full&sslrootcert=FILE (or sslmode=require) to the URL"
                );
            });
        }
        let tls = tokio_postgres_rustls::MakeRustlsConnect::new(tls_config(root_cert.as_deref())?);
        // As in `blocking`: not on a thread that drives async tasks.
        let client = off_the_runtime(|| config.connect(tls))?;
        Ok(Session { url: url.to_owned(), client: RefCell::new(Some(client)), prepared: RefCell::new(HashMap::new()) })
    }

    /// Runs `f` on the client. The client blocks on a runtime of its own, which tokio forbids
    /// on a thread that drives async tasks. The service reaches the store through
    /// `spawn_blocking`, where it may; a multi-threaded runtime's worker (a test that calls the
    /// store from `async` code) gets it through `block_in_place`; a single-threaded runtime (a
    /// plain `#[tokio::test]`) has neither, and runs it on a thread of its own.
    fn blocking<T: Send>(&self, f: impl FnOnce(&mut Client) -> T + Send) -> T {
        let mut client = self.client.borrow_mut();
        let client = client.as_mut().expect("a session's client lives until it is dropped");
        off_the_runtime(move || f(client))
    }

    fn statement(&self, sql: &str) -> Result<Statement> {
        if let Some(st) = self.prepared.borrow().get(sql) {
            return Ok(st.clone());
        }
        let text = super::dollar_parameters(sql);
        let st = self.blocking(|c| c.prepare(&text))?;
        self.prepared.borrow_mut().insert(sql.to_owned(), st.clone());
        Ok(st)
    }

    pub(in crate::store) fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<usize> {
        let st = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let n = self.blocking(|c| c.execute(&st, &refs))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(in crate::store) fn rows<T>(
        &self,
        sql: &str,
        params: &[Param<'_>],
        mut row: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        let st = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
        let found = self.blocking(|c| c.query(&st, &refs))?;
        found
            .iter()
            .map(|r| {
                let values = (0..r.len()).map(|i| r.try_get::<_, Value>(i)).collect::<Result<Vec<_>, _>>()?;
                row(&Row::new(values))
            })
            .collect()
    }

    /// Runs statements separated by `;` without parameters (transaction control, locks).
    pub(in crate::store) fn batch(&self, sql: &str) -> Result<()> {
        self.blocking(|c| c.batch_execute(sql))?;
        Ok(())
    }

    pub(in crate::store) fn url(&self) -> &str {
        &self.url
    }

    pub(in crate::store) fn is_closed(&self) -> bool {
        self.client.borrow().as_ref().is_none_or(Client::is_closed)
    }
}

impl Drop for Session {
    /// Closing blocks on the client's runtime too: on a thread that drives async tasks (a test
    /// that drops a connection in `#[tokio::test]`) it happens on a thread of its own.
    fn drop(&mut self) {
        let Some(client) = self.client.get_mut().take() else { return };
        off_the_runtime(move || drop(client));
    }
}

/// Runs `f` where blocking is allowed (see [`Session::blocking`]).
fn off_the_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Err(_) => f(),
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        Ok(_) => std::thread::scope(|s| s.spawn(f).join().unwrap_or_else(|p| std::panic::resume_unwind(p))),
    }
}

/// The client's configuration for `url`, with attest's settings, and the CA file it names.
fn configured(url: &str) -> Result<(postgres::Config, Option<String>)> {
    let (plain, root_cert) = split_tls_options(url)?;
    let mut config: postgres::Config =
        plain.parse().map_err(|e| StoreError::Invalid(format!("the PostgreSQL URL (--db / ATTEST_DB): {e}")))?;
    config.application_name("attest");
    // No `sslmode` in the URL: plain, as for a server on the same host or a private network.
    // tokio-postgres would try TLS first (libpq's `prefer`), and attest checks every server
    // certificate it meets, so a server with a certificate of its own would be refused where
    // the URL asked for nothing.
    if !url.contains("sslmode=") {
        config.ssl_mode(postgres::config::SslMode::Disable);
    }
    Ok((config, root_cert))
}

/// Removes the TLS options libpq knows and tokio-postgres does not (`sslmode=verify-full`,
/// `verify-ca`, `sslrootcert`), turning them into `sslmode=require` and a CA file.
fn split_tls_options(url: &str) -> Result<(String, Option<String>)> {
    let Some((base, query)) = url.split_once('?') else { return Ok((url.to_owned(), None)) };
    let mut root = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.split_once('=') {
            Some(("sslrootcert", file)) => {
                let file = percent_encoding::percent_decode_str(file).decode_utf8().map_err(|_| {
                    StoreError::Invalid("the PostgreSQL URL: sslrootcert is not a UTF-8 file name".into())
                })?;
                root = Some(file.into_owned());
            }
            Some(("sslmode", "verify-full" | "verify-ca")) => kept.push("sslmode=require"),
            _ => kept.push(pair),
        }
    }
    let url = if kept.is_empty() { base.to_owned() } else { format!("{base}?{}", kept.join("&")) };
    Ok((url, root))
}

/// Roots to check the server's certificate against: the CA file if given, else the public ones.
fn tls_config(root_cert: Option<&str>) -> Result<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(file) => {
            use rustls::pki_types::pem::PemObject;
            let bad = |e: &dyn std::fmt::Display| {
                StoreError::Invalid(format!("the PostgreSQL CA file (sslrootcert) {file}: {e}"))
            };
            for cert in rustls::pki_types::CertificateDer::pem_file_iter(file).map_err(|e| bad(&e))? {
                roots.add(cert.map_err(|e| bad(&e))?).map_err(|e| bad(&e))?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Invalid(format!("TLS: {e}")))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut bytes::BytesMut) -> std::result::Result<IsNull, BoxError> {
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(i) => match *ty {
                Type::INT8 => i.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                #[expect(clippy::cast_precision_loss, reason = "a whole number bound to a float column")]
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                _ => i.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Param::Real(r) => match *ty {
                Type::FLOAT4 =>
                {
                    #[expect(clippy::cast_possible_truncation, reason = "a REAL column declared FLOAT4")]
                    (r as f32).to_sql(ty, out)
                }
                Type::FLOAT8 => r.to_sql(ty, out),
                _ => r.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Param::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                Type::BYTEA => s.as_bytes().to_sql(ty, out),
                _ => s.to_sql(&Type::TEXT, out),
            },
            Param::Blob(b) => b.to_sql(&Type::BYTEA, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

impl<'a> FromSql<'a> for Value {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(match *ty {
            Type::INT8 => Value::Int(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Int(i16::from_sql(ty, raw)?.into()),
            Type::OID => Value::Int(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Int(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::BYTEA => Value::Blob(raw.to_vec()),
            _ => Value::Text(<&str>::from_sql(&Type::TEXT, raw)?.to_owned()),
        })
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, BoxError> {
        Ok(Value::Null)
    }

    fn accepts(ty: &Type) -> bool {
        !matches!(*ty, Type::NUMERIC)
    }
}

/// The first server `config` reaches over a network without TLS, if any: no `sslmode`, or
/// `disable`, or `prefer` (TLS only if the server offers it), to a host that is neither this
/// machine (loopback) nor a Unix socket. An administrator who moved the database to its own
/// server kept the URL of a local one, and nothing said so.
fn in_clear_over_a_network(config: &postgres::Config) -> Option<String> {
    use postgres::config::{Host, SslMode};
    if !matches!(config.get_ssl_mode(), SslMode::Disable | SslMode::Prefer) {
        return None;
    }
    config.get_hosts().iter().find_map(|h| match h {
        Host::Tcp(name) => {
            let bare = name.trim_start_matches('[').trim_end_matches(']');
            let loopback = bare.eq_ignore_ascii_case("localhost")
                || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
            (!loopback).then(|| name.clone())
        }
        _ => None,
    })
}

/// Whether `e` is a constraint's refusal (class 23: a unique key taken, a foreign key missing).
pub(in crate::store) fn is_constraint(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| c.code().starts_with("23"))
}

/// Whether `e` is a lock wait that ran out (`55P03`, past `lock_timeout`) or a transaction the
/// server ended to let another go on (`40001` serialization failure, `40P01` deadlock).
pub(in crate::store) fn is_busy(e: &postgres::Error) -> bool {
    e.code().is_some_and(|c| matches!(c.code(), "55P03" | "40001" | "40P01"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn libpq_tls_options_become_require_and_a_ca_file() {
        let (url, ca) = super::split_tls_options(
            "postgres://u@db/a?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=5",
        )
        .unwrap();
        assert_eq!(url, "postgres://u@db/a?sslmode=require&connect_timeout=5");
        assert_eq!(ca.as_deref(), Some("/etc/ca.pem"));
        assert_eq!(super::split_tls_options("postgres://u@db/a").unwrap().0, "postgres://u@db/a");
    }

    #[test]
    fn a_remote_server_without_tls_is_named() {
        let in_clear = |url: &str| super::in_clear_over_a_network(&super::configured(url).unwrap().0);
        assert_eq!(in_clear("postgres://u:p@db.example.org/a").as_deref(), Some("db.example.org"));
        assert_eq!(in_clear("postgres://u@10.0.0.5:5432/a?sslmode=disable").as_deref(), Some("10.0.0.5"));
        assert_eq!(in_clear("postgres://u@db.example.org/a?sslmode=prefer").as_deref(), Some("db.example.org"));
        for quiet in [
            "postgres://u@db.example.org/a?sslmode=require",
            "postgres://u@db.example.org/a?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
            "postgres://u@localhost/a",
            "postgres://u@127.0.0.1:54329/a",
            "postgres://u@[::1]/a",
            "postgres://u@%2Frun%2Fpostgresql/a",
        ] {
            assert_eq!(in_clear(quiet), None, "{quiet}");
        }
    }
}
