//! `attest verify FILE.pdf|FILE.json|URL|TOKEN|CODE [--json] [--jwks FILE]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::store::Conn;
use crate::trust::token::{self, KeySet};
use crate::verification::{self, Source, Status};

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A certificate PDF, its digital credential (JSON), a verify URL, a token, or a printed
    /// certificate code.
    pub input: String,
    #[arg(long)]
    pub json: bool,
    /// Check offline against a published JWK set instead of this installation's database:
    /// the signature is checked, revocation cannot be.
    #[arg(long)]
    pub jwks: Option<PathBuf>,
}

/// Mistakes in what was typed, said as such: they were answered "not genuine", which tells a
/// verifier the certificate is forged. A file name that names no file, and a code of the
/// printed shape that is not a code (a mistyped last character breaks its padding bits).
fn input_mistake(input: &str, path: &std::path::Path) -> anyhow::Result<()> {
    let file_like = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf") || e.eq_ignore_ascii_case("json"))
        || (input.contains(std::path::MAIN_SEPARATOR) && !input.contains("://"));
    if file_like && !path.exists() {
        anyhow::bail!("{input}: no such file");
    }
    let symbols: String = input.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    let code_like = symbols.len() == 26 && symbols.chars().all(|c| c.is_ascii_alphanumeric()) && !path.exists();
    if code_like && crate::issuance::CertificateId::parse(input).is_none() {
        anyhow::bail!(
            "{input}: not a certificate code as printed: a character was mistyped (compare it with the \
             certificate, letter by letter; the last one is most often at fault)"
        );
    }
    Ok(())
}

fn key_set_from_jwks(path: &PathBuf) -> anyhow::Result<KeySet> {
    use base64::Engine;
    let text = std::fs::read_to_string(path).with_context(|| format!("{}: cannot read", path.display()))?;
    let v: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    let mut set = KeySet::default();
    for k in v["keys"].as_array().into_iter().flatten() {
        if k["kty"] != "OKP" || k["crv"] != "Ed25519" {
            continue;
        }
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(k["x"].as_str().unwrap_or_default())?;
        let key = ed25519_dalek::VerifyingKey::from_bytes(
            &x.try_into().map_err(|_| anyhow::anyhow!("{}: a key is not 32 bytes", path.display()))?,
        )?;
        set.insert(k["kid"].as_str().unwrap_or_default().to_owned(), key);
    }
    anyhow::ensure!(!set.is_empty(), "{}: no Ed25519 keys in this JWK set", path.display());
    Ok(set)
}

/// `conn`: this installation's database; `None` with `--jwks`, which needs none (a verifier
/// outside the issuer has no database, and one must not be made for them).
pub fn run(conn: Option<&Conn>, keys_dir: Option<&std::path::Path>, args: VerifyArgs) -> anyhow::Result<ExitCode> {
    let (keys, db) = match (&args.jwks, conn) {
        (Some(p), _) => (key_set_from_jwks(p)?, None),
        (None, Some(conn)) => (token::key_set(conn)?, Some(conn)),
        (None, None) => anyhow::bail!("verifying against this installation needs its database (--db)"),
    };
    let path = PathBuf::from(&args.input);
    input_mistake(&args.input, &path)?;
    // A PDF's signature is reported for PDFs only: a credential said "PDF signature: none".
    let mut was_pdf = false;
    let report = if path.is_file() {
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let bytes = std::fs::read(&path).with_context(|| format!("{}: cannot read", path.display()))?;
        if verification::looks_like_json(&bytes) || path.extension().is_some_and(|e| e == "json") {
            anyhow::ensure!(
                size <= crate::trust::credential::MAX_CREDENTIAL_BYTES as u64,
                "{}: {size} bytes; a credential is at most {} bytes",
                path.display(),
                crate::trust::credential::MAX_CREDENTIAL_BYTES
            );
            verification::verify_credential(&keys, db, &bytes)?
        } else {
            was_pdf = true;
            let roots = keys_dir.map(crate::trust::pdf_signature::own_roots).unwrap_or_default();
            verification::verify_pdf(&keys, db, &bytes, &roots)?
        }
    } else if let Some(conn) = db.filter(|_| crate::issuance::CertificateId::parse(&args.input).is_some()) {
        verification::by_code(&keys, conn, &args.input)?
    } else {
        verification::verify(&keys, db, Source::Token(&args.input))?
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        match &report.status {
            Status::Valid => println!(
                "valid{}",
                if report.checked_against_records { "" } else { " signature (checked offline: revocation not known)" }
            ),
            Status::Revoked { revoked_at, reason } => println!("revoked on {revoked_at}: {reason}"),
            Status::Superseded { superseded_by } => println!("superseded by certificate {superseded_by}"),
            Status::NotGenuine { why } => println!("not genuine: {why}"),
        }
        if let Some(c) = &report.certificate {
            println!(
                "  certificate {}\n  name        {}\n  event       {}\n  date        {}\n  minutes     {}\n  issuer      {}\n  key         {}",
                c.certificate, c.name, c.event, c.date, c.minutes, c.issuer, c.key_id
            );
        }
    }
    if !args.json && was_pdf {
        match &report.pdf_signature {
            None => println!("PDF signature: none (the file carries no PDF signature)"),
            Some(s) => {
                match (&s.problem, s.modified_after_signing) {
                    (Some(why), _) => println!("PDF signature: NOT VALID: {why}"),
                    (None, true) => {
                        println!("PDF signature: valid for the signed part, but bytes were added after signing")
                    }
                    (None, false) => println!("PDF signature: valid, the file is exactly as signed"),
                }
                let chain = match (&s.root, s.chains_to_attest) {
                    (_, true) => "this installation's root".to_owned(),
                    (Some(r), false) => format!("another root: {r}"),
                    (None, false) => "unknown".to_owned(),
                };
                println!(
                    "  signer      {}\n  fingerprint {}\n  chains to   {}\n  signed at   {}",
                    s.signer,
                    s.fingerprint,
                    chain,
                    s.signed_at_iso.as_deref().or(s.signed_at.as_deref()).unwrap_or("unknown")
                );
            }
        }
    }
    let pdf_ok = report.pdf_signature.as_ref().is_none_or(|s| s.valid && !s.modified_after_signing);
    Ok(if report.status == Status::Valid && pdf_ok { ExitCode::SUCCESS } else { ExitCode::from(1) })
}
