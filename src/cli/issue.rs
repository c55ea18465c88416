//! `attest issue SLUG --out DIR`, `attest reissue ID`, `attest revoke ID`, `attest audit`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Args;

use crate::issuance::{self, CertificateId, grouped};
use crate::store::{self, Conn};

#[derive(Debug, Args)]
pub struct IssueArgs {
    pub slug: String,
    /// Folder for the PDFs and manifest.csv (not needed with --dry-run).
    #[arg(long, required_unless_present = "dry_run")]
    pub out: Option<PathBuf>,
    /// Also write a ZIP of the PDFs and the manifest.
    #[arg(long)]
    pub zip: Option<PathBuf>,
    /// Show who would receive a certificate, issue nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ReissueArgs {
    /// The certificate code (as printed, dashes optional).
    pub id: String,
    /// The corrected name, exactly as it must be printed.
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long, value_enum)]
    pub language: Option<crate::language::Language>,
    /// Write the new PDF into this folder.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RevokeArgs {
    pub id: String,
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Args)]
pub struct PrintArgs {
    pub slug: String,
    /// Where to write the merged PDF (default: SLUG-print.pdf in the current folder).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run_print(conn: &Conn, args: PrintArgs) -> anyhow::Result<ExitCode> {
    let event = store::events::get(conn, &args.slug)?;
    let file = issuance::print_file(conn, &event)?;
    let out = args.out.unwrap_or_else(|| PathBuf::from(format!("{}-print.pdf", event.slug)));
    let tmp = out.with_extension("part");
    std::fs::write(&tmp, &file.bytes)
        .and_then(|()| std::fs::rename(&tmp, &out))
        .with_context(|| format!("writing {}", out.display()))?;
    println!(
        "{}: {} page(s), one per valid certificate, {} KiB. The merged file is for printing: it carries no PDF \
         signature (each certificate's own PDF does); every page keeps its QR code.",
        out.display(),
        file.pages,
        file.bytes.len().div_ceil(1024)
    );
    Ok(ExitCode::SUCCESS)
}

pub fn parse_id(input: &str) -> anyhow::Result<String> {
    CertificateId::parse(input).map(|id| id.code()).with_context(|| format!("\"{input}\" is not a certificate code"))
}

pub fn run_issue(conn: &mut Conn, ctx: &super::CliContext, args: IssueArgs) -> anyhow::Result<ExitCode> {
    let event = store::events::get(conn, &args.slug)?;
    let Some(out) = args.out.as_deref().filter(|_| !args.dry_run) else {
        // The dry run warns of a missing public URL too, before the real issue.
        ctx.issuing_settings();
        let (_, report) = issuance::plan(conn, &event, Some(&ctx.renderer()?))?;
        for p in &report.issued {
            println!("would issue: {} <{}> {} min", p.name, p.email.as_deref().unwrap_or("-"), p.minutes);
        }
        println!(
            "{} to issue, {} already issued, {} not eligible (dry run: nothing issued)",
            report.issued.len(),
            report.already,
            report.not_eligible
        );
        // Where staff look before issuing: the real run said it only after the certificates
        // were made (a name Excel had turned into "????" among them).
        if !report.with_review.is_empty() {
            println!(
                "note: {} of them have open review items, which the issue does not wait for: {} (see attest people review {}; set them with attest override first)",
                report.with_review.len(),
                report.with_review.join(", "),
                event.slug
            );
        }
        unprintable(&report);
        return Ok(ExitCode::SUCCESS);
    };
    let signing = ctx.signing(conn)?;
    let issuer = signing.issuer();
    let (_, plan) = issuance::plan(conn, &event, Some(issuer.renderer))?;
    let bar = (std::io::stderr().is_terminal() && !plan.issued.is_empty()).then(|| {
        let b = indicatif::ProgressBar::new(plan.issued.len() as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} certificates ({per_sec}, {eta} left)")
                .expect("valid template"),
        );
        b
    });
    let (report, export) = issuance::issue_and_export(
        conn,
        issuer,
        &event,
        ctx.now,
        &|n| {
            if let Some(b) = &bar {
                b.set_position(n as u64);
            }
        },
        out,
        args.zip.as_deref(),
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if report.issued.is_empty() {
        println!(
            "{}: nothing new to issue ({} already issued, {} not eligible)",
            event.slug, report.already, report.not_eligible
        );
    } else {
        println!(
            "{}: issued {} certificate(s) ({} already issued, {} not eligible), signed with key {}",
            event.slug,
            report.issued.len(),
            report.already,
            report.not_eligible,
            issuer.secret.kid()
        );
    }
    if !report.with_review.is_empty() {
        println!("note: {} of them had open review items: {}", report.with_review.len(), report.with_review.join(", "));
    }
    unprintable(&report);
    println!(
        "{} PDF(s) written to {}, {} already there; manifest {}",
        export.files_written,
        out.display(),
        export.files_present,
        export.manifest.display()
    );
    if let Some(z) = export.zip {
        println!("ZIP: {}", z.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_reissue(conn: &mut Conn, ctx: &super::CliContext, args: ReissueArgs) -> anyhow::Result<ExitCode> {
    let id = parse_id(&args.id)?;
    let signing = ctx.signing(conn)?;
    let new = issuance::reissue(conn, signing.issuer(), &id, args.name.as_deref(), args.language, ctx.now)?;
    let old = store::certificates::get(conn, &id)?.map(|c| c.status).unwrap_or_default();
    let then = if old == "revoked" { "stays revoked" } else { "is now superseded by it" };
    println!("certificate {} issued for \"{}\"; {} {then}", grouped(&new.id), new.name, grouped(&id));
    match args.out {
        Some(dir) => {
            std::fs::create_dir_all(&dir)?;
            let path = dir.join(&new.file_name);
            std::fs::write(&path, store::certificates::pdf(conn, &new.id)?.expect("stored"))?;
            println!("written to {}", path.display());
        }
        // The holder's file now verifies as superseded: say where the new one is.
        None => println!(
            "its PDF is stored (no --out given): the console's certificate page, GET /api/v1/certificates/{}/pdf, \
             or `attest send` to mail it",
            new.id
        ),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_revoke(conn: &mut Conn, args: RevokeArgs, now: DateTime<Utc>) -> anyhow::Result<ExitCode> {
    let id = parse_id(&args.id)?;
    let c = store::certificates::revoke(conn, &id, &args.reason, "cli", now)?;
    println!("certificate {} of {} revoked: {}", grouped(&c.id), c.name, args.reason.trim());
    Ok(ExitCode::SUCCESS)
}

pub fn run_audit(conn: &Conn, limit: usize) -> anyhow::Result<ExitCode> {
    let rows: Vec<Vec<String>> = store::certificates::audit_log(conn, limit)?
        .into_iter()
        .map(|a| vec![a.at, a.actor, a.action, a.subject, a.detail])
        .collect();
    print!("{}", super::table(&["AT (UTC)", "WHO", "ACTION", "SUBJECT", "DETAIL"], &rows));
    Ok(ExitCode::SUCCESS)
}

/// Says who was not issued because the certificate's fonts cannot print their names.
fn unprintable(report: &issuance::IssueReport) {
    if !report.unprintable.is_empty() {
        println!(
            "not issued: {} eligible person(s) whose names hold characters no font of the certificate has (they would \
             print as empty boxes): {}; a font for that script has to be added to attest (fonts/README.md)",
            report.unprintable.len(),
            report.unprintable.join(", ")
        );
    }
}
