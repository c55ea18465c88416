//! `attest keys list|rotate|jwks`.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use rusqlite::Connection;

use crate::signing;

#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// The signing keys, active and retired.
    List,
    /// Retire the active key and create a new one; what the old key signed stays valid.
    Rotate,
    /// Print the public keys as a JWK set (RFC 8037), for offline verifiers.
    Jwks,
}

pub fn run(conn: &Connection, db: &Path, cmd: KeysCmd, now: DateTime<Utc>) -> anyhow::Result<ExitCode> {
    let dir = signing::keys_dir(db);
    match cmd {
        KeysCmd::List => {
            // The first listing creates the key, like the first issue would.
            signing::active(conn, &dir, now)?;
            let rows: Vec<Vec<String>> = signing::list(conn, Some(&dir))?
                .into_iter()
                .map(|k| {
                    vec![
                        k.kid,
                        k.created_at.format("%Y-%m-%d %H:%M").to_string(),
                        k.retired_at.map_or("active".into(), |t| format!("retired {}", t.format("%Y-%m-%d"))),
                        if k.private_key_present { "present".into() } else { "absent".into() },
                    ]
                })
                .collect();
            print!("{}", super::table(&["KID", "CREATED (UTC)", "STATE", "PRIVATE KEY FILE"], &rows));
            println!("private keys are in {} (mode 0600); never share them", dir.display());
        }
        KeysCmd::Rotate => {
            let k = signing::rotate(conn, &dir, now)?;
            println!("new signing key {}; earlier keys are retired and keep verifying", k.kid());
        }
        KeysCmd::Jwks => {
            signing::active(conn, &dir, now)?;
            println!("{}", serde_json::to_string_pretty(&signing::key_set(conn)?.jwks())?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
