//! `attest send SLUG [--dry-run] [--attach-pdf] [--retry-failed] [--resend CODE]...`: mail each
//! valid certificate of an event to its holder, in the foreground, through the SMTP server (or
//! the outbox folder) `serve` uses. The same records as the console's "Send", so the two can
//! run at once without mailing anyone twice (see `crate::delivery`).

use std::cell::RefCell;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use crate::delivery::{self, Mailer, Mode};
use crate::store::Conn;
use crate::store::{self, deliveries};

/// Where attendees' mail goes and how fast: one set of options for `serve` (the console's and
/// the API's sending) and `send` (the command line's), so that the two cannot be configured to
/// disagree by a typo in one of them.
#[derive(Debug, Args)]
pub struct MailArgs {
    /// SMTP server for attendees' mail: smtp://localhost:25 (a local relay),
    /// smtp://user:password@host:587?tls=required (STARTTLS) or smtps://user:password@host:465.
    /// Without it, messages are written as .eml files to the outbox folder.
    #[arg(long, env = "ATTEST_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Folder for .eml files when no SMTP relay is set (default: outbox/ beside the database).
    #[arg(long, env = "ATTEST_OUTBOX")]
    pub outbox: Option<PathBuf>,
    /// Sender of attendees' mail.
    #[arg(long, env = "ATTEST_MAIL_FROM", default_value = "attest <no-reply@localhost>")]
    pub mail_from: String,
    /// Bulk delivery's sending rate, mails per minute (0: no limit); under `serve`, for the whole
    /// server.
    #[arg(long, env = "ATTEST_MAIL_PER_MINUTE", default_value_t = delivery::DEFAULT_PER_MINUTE)]
    pub mail_per_minute: u32,
}

impl MailArgs {
    /// The outbox folder: the one given, else `outbox/` beside the database (next to the keys).
    pub fn outbox(&self, ctx: &super::CliContext) -> anyhow::Result<PathBuf> {
        Ok(match self.outbox.clone() {
            Some(dir) => dir,
            None => ctx.keys()?.with_file_name("outbox"),
        })
    }

    /// Where the mail goes, in words fit for a terminal: the SMTP URL without its password, or
    /// the outbox folder.
    pub fn via(&self, outbox: &std::path::Path) -> String {
        match &self.smtp_url {
            Some(url) => delivery::mailer::redacted(url),
            None => outbox.display().to_string(),
        }
    }
}

#[derive(Debug, Args)]
pub struct SendArgs {
    pub slug: String,
    /// Say who would be mailed; queue and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Attach the PDF to each mail as well as the download link.
    #[arg(long)]
    pub attach_pdf: bool,
    /// Queue again only the certificates whose last mail failed.
    #[arg(long, conflicts_with = "resend")]
    pub retry_failed: bool,
    /// Mail this certificate again although it may have been received (repeatable).
    #[arg(long, value_name = "CODE")]
    pub resend: Vec<String>,
    #[command(flatten)]
    pub mail: MailArgs,
    /// Hours each download link stays valid.
    #[arg(long, default_value_t = 72)]
    pub link_hours: i64,
    /// Seconds after which a mail left "sending" by a stopped sender counts as unknown.
    #[arg(long, env = "ATTEST_DELIVERY_STALE_SECONDS", default_value_t = delivery::STALE_AFTER.as_secs())]
    pub stale_after: u64,
}

pub fn run(conn: &mut Conn, ctx: &super::CliContext, args: SendArgs) -> anyhow::Result<ExitCode> {
    let event = store::events::get(conn, &args.slug)?;
    let mode = if args.retry_failed { Mode::RetryFailed } else { Mode::New };
    if args.dry_run {
        let counts = deliveries::counts(conn, event.id)?;
        let n = if mode == Mode::New { counts.not_sent + args.resend.len() } else { counts.failed };
        println!(
            "{}: {n} certificate(s) would be mailed (dry run: nothing queued or sent); so far {} sent, {} failed, {} unknown, {} queued; {} valid without an email",
            event.slug, counts.sent, counts.failed, counts.unknown, counts.queued, counts.without_email
        );
        return Ok(ExitCode::SUCCESS);
    }
    // The links in the mails point at the public URL: the default one only works on this machine.
    let Some(public_url) = ctx.public_url.clone() else {
        anyhow::bail!(
            "attest send needs --public-url (ATTEST_PUBLIC_URL): the download links in the mails point there"
        );
    };
    let outbox = args.mail.outbox(ctx)?;
    let mailer = Mailer::from_config(args.mail.smtp_url.as_deref(), outbox.clone())?;
    let queued = if args.resend.is_empty() {
        delivery::queue(conn, &event, mode, args.attach_pdf, "cli", ctx.now)?
    } else {
        for code in &args.resend {
            let id = super::issue::parse_id(code)?;
            let c = deliveries::queue_resend(conn, &id, args.attach_pdf, "cli", ctx.now)
                .with_context(|| format!("resending {code}"))?;
            anyhow::ensure!(c.event_id == event.id, "certificate {code} is not of event {}", event.slug);
        }
        args.resend.len()
    };
    let counts = deliveries::counts(conn, event.id)?;
    let total = counts.queued;
    let settings = delivery::MailSettings {
        public_url,
        issuer: ctx.issuer.clone(),
        mail_from: args.mail.mail_from.clone(),
        link_hours: args.link_hours,
    };
    let bar = (std::io::stderr().is_terminal() && total > 0).then(|| {
        let b = indicatif::ProgressBar::new(total as u64);
        b.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} mails ({per_sec}, {eta} left)")
                .expect("valid template"),
        );
        b
    });
    let db = RefCell::new(conn);
    let pace = delivery::Pace::per_minute(args.mail.mail_per_minute);
    let report = delivery::send_queued(
        &db,
        &event,
        &mailer,
        &pace,
        &settings,
        std::time::Duration::from_secs(args.stale_after),
        &|| {
            if let Some(b) = &bar {
                b.inc(1);
            }
        },
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let conn = db.into_inner();
    let after = deliveries::counts(conn, event.id)?;
    let via = args.mail.via(&outbox);
    println!(
        "{}: {queued} queued, {} sent, {} failed this run (via {via}); in all {} sent, {} failed, {} unknown; {} valid without an email",
        event.slug, report.sent, report.failed, after.sent, after.failed, after.unknown, after.without_email
    );
    if report.marked_unknown > 0 || after.unknown > 0 {
        println!(
            "note: {} mail(s) are unknown: a sender stopped after taking them, so they may have been delivered; \
             find their Message-ID in the mail server's log, then `attest send {} --resend CODE` if need be",
            after.unknown, event.slug
        );
    }
    if after.failed > 0 {
        println!(
            "{} failed: see `attest send {} --dry-run` and the console; `--retry-failed` sends them again",
            after.failed, event.slug
        );
    }
    Ok(if report.failed > 0 { ExitCode::from(2) } else { ExitCode::SUCCESS })
}
