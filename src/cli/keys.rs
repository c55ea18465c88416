//! `attest keys list|rotate|withdraw|jwks|pdf-chain|pdf-import`.

use std::path::Path;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Subcommand;

use crate::store::Conn;
use crate::trust::{pdf_signature, token};

#[derive(Debug, Subcommand)]
pub enum KeysCmd {
    /// The signing keys, active and retired.
    List,
    /// Retire the active key and create a new one, and renew the PDF signing certificate from
    /// the same root (the default identity's; an organisation's own is renewed by importing its
    /// successor); what the old ones signed stays valid.
    Rotate,
    /// Withdraw a retired signing key whose private half leaked, or may have: what it signed
    /// verifies as not genuine from now on (here, on every instance, and with the published JWK
    /// set and DID document), and `--reissue` reissues its valid certificates with the active
    /// key. Rotate first if it is the active key.
    Withdraw(WithdrawArgs),
    /// Print the public keys as a JWK set (RFC 8037), for offline verifiers.
    Jwks,
    /// Print the certificate chain that signs PDFs (PEM, leaf first, root last): add the root to
    /// a PDF reader's trusted certificates.
    PdfChain,
    /// Sign PDFs with the organisation's own certificate (one a PDF reader already trusts):
    /// a PKCS#12 file (`--p12`), or a private key and its certificate chain in PEM. RSA (2048
    /// bits or more), ECDSA P-256 and P-384 keys.
    PdfImport {
        /// A PKCS#12 file (.p12/.pfx) with the key and the chain. Its password is read from
        /// ATTEST_PDF_P12_PASSWORD, else asked on the terminal; never give it as an argument.
        #[arg(long, conflicts_with_all = ["key", "chain"], required_unless_present_all = ["key", "chain"])]
        p12: Option<std::path::PathBuf>,
        /// The private key, PEM (PKCS#8, SEC1 or PKCS#1). Unencrypted: keep the file private.
        #[arg(long, requires = "chain")]
        key: Option<std::path::PathBuf>,
        /// The certificate chain, PEM: the signer's certificate first, then its issuers.
        #[arg(long, requires = "key")]
        chain: Option<std::path::PathBuf>,
    },
}

#[derive(Debug, clap::Args)]
pub struct WithdrawArgs {
    /// The key's id (`attest keys list`). Ids are base64url, so one in 64 begins with `-`:
    /// taken as the id, not as an option.
    #[arg(allow_hyphen_values = true)]
    pub kid: String,
    /// Why, as whoever verifies what it signed will read it (e.g. "private key leaked").
    #[arg(long)]
    pub reason: String,
    /// Reissue every valid certificate it signed with the active key (each superseding its old
    /// one); mail them after with `attest send`.
    #[arg(long)]
    pub reissue: bool,
}

/// `attest keys withdraw KID --reason … [--reissue]`.
pub fn run_withdraw(conn: &mut Conn, ctx: &super::CliContext, args: WithdrawArgs) -> anyhow::Result<ExitCode> {
    let key = crate::store::keys::withdraw(conn, &args.kid, &args.reason, "cli", ctx.now)?;
    let on = key.withdrawn_at.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_default();
    println!(
        "key {} withdrawn on {on} ({}): what it signed verifies as not genuine from now on; it is gone from the JWK \
         set and the DID document (republish them with `attest publish` if you publish files)",
        key.kid,
        key.withdrawn_reason.unwrap_or_default()
    );
    // Its private file, if a copy was left behind (a rotation removes it): nothing may sign
    // with it again.
    let file = ctx.keys()?.join(format!("{}.ed25519", key.kid));
    match std::fs::remove_file(&file) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            eprintln!("warning: could not remove {}: {e}; remove it by hand", file.display())
        }
        _ => {}
    }
    let left = crate::store::certificates::valid_signed_with(conn, &key.kid)?;
    if args.reissue && !left.is_empty() {
        let signing = ctx.signing(conn)?;
        let new = crate::issuance::reissue::reissue_signed_with(conn, signing.issuer(), &key.kid, ctx.now)?;
        println!(
            "certificates reissued with key {}, each superseding its old one: {} (mail them with `attest send`)",
            signing.issuer().secret.kid(),
            new.len()
        );
    } else if !left.is_empty() {
        println!(
            "valid certificates it signed, which now verify as not genuine: {} (reissue them with \
             `attest keys withdraw {} --reason … --reissue`)",
            left.len(),
            key.kid
        );
    } else {
        println!("no valid certificate was signed with it");
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(conn: &Conn, dir: &Path, cmd: KeysCmd, now: DateTime<Utc>) -> anyhow::Result<ExitCode> {
    let dir = dir.to_owned();
    match cmd {
        // Listing reads, and never makes a key: a listing with a mistyped --keys made a new
        // signing key and PDF root there, which then looked like the installation's own.
        // `serve` at its start, or the first issue, makes them.
        KeysCmd::List => {
            let rows: Vec<Vec<String>> = token::list(conn, Some(&dir))?
                .into_iter()
                .map(|info| {
                    let k = info.key;
                    vec![
                        k.kid,
                        k.created_at.format("%Y-%m-%d %H:%M").to_string(),
                        match (k.withdrawn_at, k.retired_at) {
                            (Some(t), _) => format!("withdrawn {}", t.format("%Y-%m-%d")),
                            (None, Some(t)) => format!("retired {}", t.format("%Y-%m-%d")),
                            (None, None) => "active".into(),
                        },
                        if info.private_key_present { "present".into() } else { "absent".into() },
                    ]
                })
                .collect();
            if rows.is_empty() {
                println!("no signing key yet: `attest serve` makes one when it starts, or the first issue");
            } else {
                print!("{}", super::table(&["KID", "CREATED (UTC)", "STATE", "PRIVATE KEY FILE"], &rows));
            }
            if let Some(p) = pdf_signature::info(&dir)? {
                println!("\nPDF signatures (PAdES):");
                println!("  signer       {}", p.subject);
                println!("  issued by    {}", p.issuer);
                println!("  fingerprint  {} (SHA-256)", p.fingerprint);
                println!("  valid        {} to {}", p.not_before, p.not_after);
                println!("  chain        {} certificates (attest keys pdf-chain)", p.chain_len);
            } else {
                println!("\nPDF signatures (PAdES): no signing identity in {} yet", dir.display());
            }
            println!("private keys are in {} (mode 0600); never share them", dir.display());
        }
        KeysCmd::Rotate => {
            let k = token::rotate(conn, &dir, now)?;
            println!(
                "new signing key {}; earlier keys are retired and keep verifying, their private files in {} removed",
                k.kid(),
                dir.display()
            );
            // The PDF signer's certificate lasts 3 years: renewed with the key, from the same root,
            // under the writer lock that `serve` makes the identity under (two rotations at once
            // raced on the signer's files), and audited with it.
            let renewed = conn.exclusively(|| -> anyhow::Result<_> {
                let pdf = pdf_signature::renew_signer(&dir, now)?;
                if let Some(pdf) = &pdf {
                    crate::store::audit(conn, now, "cli", "keys.pdf-renew", &pdf.fingerprint, "")?;
                }
                Ok(pdf)
            })?;
            match renewed {
                Some(pdf) => {
                    println!(
                        "new PDF signing certificate {} (fingerprint {}), valid until {}, from the same root: PDFs signed before keep verifying",
                        pdf.subject, pdf.fingerprint, pdf.not_after
                    );
                }
                None if pdf_signature::info(&dir)?.is_some() => println!(
                    "the PDF signing certificate is the organisation's own: renew it by importing its successor (attest keys pdf-import)"
                ),
                None => {}
            }
        }
        // It may issue, with the whole command line's context: `run_withdraw` runs it.
        KeysCmd::Withdraw(_) => anyhow::bail!("`attest keys withdraw` runs through run_withdraw"),
        KeysCmd::Jwks => {
            println!("{}", serde_json::to_string_pretty(&token::key_set(conn)?.jwks())?);
        }
        KeysCmd::PdfImport { p12, key, chain } => {
            use anyhow::Context;
            let unchanged =
                |e: pdf_signature::ImportError| anyhow::anyhow!("{e}; the PDF signing identity is unchanged");
            let info = match (p12, key, chain) {
                (Some(p12), _, _) => {
                    let bytes = std::fs::read(&p12).with_context(|| format!("{}: cannot read", p12.display()))?;
                    let password = p12_password()?;
                    std::fs::create_dir_all(&dir)?;
                    pdf_signature::import_pkcs12(&dir, &bytes, &password, now)
                        .map_err(|e| anyhow::anyhow!("{}: {e}; the PDF signing identity is unchanged", p12.display()))?
                }
                (None, Some(key), Some(chain)) => {
                    let key_pem =
                        std::fs::read_to_string(&key).with_context(|| format!("{}: cannot read", key.display()))?;
                    let chain_pem =
                        std::fs::read(&chain).with_context(|| format!("{}: cannot read", chain.display()))?;
                    std::fs::create_dir_all(&dir)?;
                    pdf_signature::import_pem(&dir, &key_pem, &chain_pem, now).map_err(unchanged)?
                }
                _ => anyhow::bail!("give --p12 FILE, or --key FILE and --chain FILE"),
            };
            println!("PDFs are now signed by {} (fingerprint {})", info.subject, info.fingerprint);
        }
        KeysCmd::PdfChain => {
            if pdf_signature::info(&dir)?.is_none() {
                anyhow::bail!(
                    "no PDF signing identity in {} yet: `attest serve` makes one when it starts, or the \
                     first issue; or bring your organisation's with `attest keys pdf-import`",
                    dir.display()
                );
            }
            print!("{}", pdf_signature::chain_pem(&dir)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The PKCS#12 password: `ATTEST_PDF_P12_PASSWORD`, else typed on the terminal without echo.
/// Never a command-line argument, which other users could read in the process list.
fn p12_password() -> anyhow::Result<pdf_signature::Password> {
    use std::io::{BufRead, IsTerminal, Write};
    if let Ok(p) = std::env::var("ATTEST_PDF_P12_PASSWORD") {
        return Ok(pdf_signature::Password::new(p));
    }
    if !std::io::stdin().is_terminal() {
        anyhow::bail!("set ATTEST_PDF_P12_PASSWORD to the PKCS#12 password (or run on a terminal to be asked)");
    }
    // `stty` rather than a terminal crate: one call each way, only on this interactive path.
    let stty = |arg: &str| {
        std::fs::File::open("/dev/tty")
            .ok()
            .and_then(|tty| std::process::Command::new("stty").arg(arg).stdin(tty).status().ok())
    };
    eprint!("PKCS#12 password: ");
    std::io::stderr().flush()?;
    stty("-echo");
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    stty("echo");
    eprintln!();
    read?;
    let password = pdf_signature::Password::new(line.trim_end_matches(['\r', '\n']).to_owned());
    // Wipe the line buffer too.
    drop(zeroize::Zeroizing::new(line));
    Ok(password)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    /// A key id is base64url and may begin with `-` (one key in 64): `keys withdraw` must take
    /// it as the id. A CI run failed on exactly this when a fresh test key's id began `-B`.
    #[test]
    fn a_key_id_beginning_with_a_dash_is_taken_as_the_id() {
        let cli = crate::cli::Cli::try_parse_from(["attest", "keys", "withdraw", "-Bq3x", "--reason", "leaked"])
            .expect("parses");
        let crate::cli::Command::Keys(super::KeysCmd::Withdraw(args)) = cli.command else { panic!("{cli:?}") };
        assert_eq!((args.kid.as_str(), args.reason.as_str()), ("-Bq3x", "leaked"));
    }
}
