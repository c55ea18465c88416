//! `attest credential CODE [--out FILE] [--public]` and `attest publish DIR`: the Open Badges
//! credential of a certificate, and the issuer's documents as plain files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::CliContext;
use crate::issuance::{self, Audience};
use crate::store::Conn;
use crate::trust::did::IssuerId;
use crate::trust::token;

#[derive(Debug, Args)]
pub struct CredentialArgs {
    /// The certificate's code, as printed.
    pub code: String,
    /// Write the credential to FILE instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The public form (without the email's identity hash), as `/credentials/{id}` serves it.
    #[arg(long)]
    pub public: bool,
}

pub fn run(conn: &mut Conn, ctx: &CliContext, args: CredentialArgs) -> anyhow::Result<ExitCode> {
    let id = crate::issuance::CertificateId::parse(&args.code)
        .with_context(|| format!("\"{}\" is not a certificate code", args.code))?
        .code();
    let secret = token::active(conn, &ctx.keys()?, ctx.now)?;
    issuance::backfill_credentials(conn, &secret, &ctx.settings(), ctx.now)?;
    let audience = if args.public { Audience::Public } else { Audience::Holder };
    let doc = issuance::credential_of(conn, &secret, &ctx.settings(), &id, audience)?.with_context(|| {
        format!("certificate {} has no credential (no such certificate, or issued before credentials)", args.code)
    })?;
    match args.out {
        Some(path) => {
            std::fs::write(&path, &doc).with_context(|| format!("{}: cannot write", path.display()))?;
            eprintln!("credential of {} written to {}", crate::issuance::grouped(&id), path.display());
        }
        None => println!("{doc}"),
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// The folder to write into (created if needed); serve it as the public URL's root.
    pub dir: PathBuf,
}

fn put(dir: &Path, rel: &str, bytes: &[u8]) -> anyhow::Result<()> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("{}: cannot create", parent.display()))?;
    }
    std::fs::write(&path, bytes).with_context(|| format!("{}: cannot write", path.display()))
}

/// Writes `.well-known/did.json`, `.well-known/jwks.json` and `status/N` (one per status list),
/// byte for byte what `attest serve` answers at the same paths, so any static web server or CDN
/// can answer verifiers without attest.
pub fn run_publish(conn: &mut Conn, ctx: &CliContext, args: PublishArgs) -> anyhow::Result<ExitCode> {
    let secret = token::active(conn, &ctx.keys()?, ctx.now)?;
    // Every certificate in the lists published, those issued before credentials too.
    issuance::backfill_credentials(conn, &secret, &ctx.settings(), ctx.now)?;
    let keys = token::key_set(conn)?;
    let settings = ctx.settings();
    let issuer = IssuerId::new(&settings.public_url, &ctx.issuer);
    put(&args.dir, ".well-known/did.json", crate::trust::did::did_document(&issuer, &keys).to_string().as_bytes())?;
    put(&args.dir, ".well-known/jwks.json", keys.jwks().to_string().as_bytes())?;
    let lists = crate::store::certificates::status_lists(conn)?;
    for list in &lists {
        let doc = issuance::status_list_credential(conn, &secret, &settings, *list)?
            .with_context(|| format!("status list {list} vanished"))?;
        put(&args.dir, &format!("status/{list}"), doc.to_string().as_bytes())?;
    }
    println!(
        "{}: DID document, JWK set and {} status list(s) written; serve the folder at {} (status lists as application/vc)",
        args.dir.display(),
        lists.len(),
        settings.public_url
    );
    Ok(ExitCode::SUCCESS)
}
