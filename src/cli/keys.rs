//! `attest keys list|rotate|jwks|pdf-chain`.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Subcommand;
use rusqlite::Connection;

use crate::{pdf_signature, signing};

#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// The signing keys, active and retired.
    List,
    /// Retire the active key and create a new one; what the old key signed stays valid.
    Rotate,
    /// Print the public keys as a JWK set (RFC 8037), for offline verifiers.
    Jwks,
    /// Print the certificate chain that signs PDFs (PEM, leaf first, root last): add the root to
    /// a PDF reader's trusted certificates.
    PdfChain,
    /// Sign PDFs with the organisation's own certificate (one a PDF reader already trusts):
    /// an ECDSA P-256 private key and its certificate chain, both PEM, leaf first.
    PdfImport {
        /// The private key, PEM (PKCS#8 or SEC1). Unencrypted: keep the file private.
        #[arg(long)]
        key: std::path::PathBuf,
        /// The certificate chain, PEM: the signer's certificate first, then its issuers.
        #[arg(long)]
        chain: std::path::PathBuf,
    },
}

pub fn run(conn: &Connection, db: &Path, issuer: &str, cmd: KeysCmd, now: DateTime<Utc>) -> anyhow::Result<ExitCode> {
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
            // The PDF identity, created on first use too.
            pdf_signature::active(&dir, issuer, now)?;
            if let Some(p) = pdf_signature::info(&dir)? {
                println!("\nPDF signatures (PAdES):");
                println!("  signer       {}", p.subject);
                println!("  issued by    {}", p.issuer);
                println!("  fingerprint  {} (SHA-256)", p.fingerprint);
                println!("  valid        {} to {}", p.not_before, p.not_after);
                println!("  chain        {} certificates (attest keys pdf-chain)", p.chain_len);
            }
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
        KeysCmd::PdfImport { key, chain } => {
            use anyhow::Context;
            let key_pem = std::fs::read_to_string(&key).with_context(|| format!("{}: cannot read", key.display()))?;
            let chain_pem = std::fs::read(&chain).with_context(|| format!("{}: cannot read", chain.display()))?;
            std::fs::create_dir_all(&dir)?;
            let info = pdf_signature::import_pem(&dir, &key_pem, &chain_pem, now)
                .map_err(|e| anyhow::anyhow!("{e}; the PDF signing identity is unchanged"))?;
            println!("PDFs are now signed by {} (fingerprint {})", info.subject, info.fingerprint);
        }
        KeysCmd::PdfChain => {
            pdf_signature::active(&dir, issuer, now)?;
            print!("{}", pdf_signature::chain_pem(&dir)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}
