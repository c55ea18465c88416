//! `attest serve [--addr 127.0.0.1:8080] [--demo]`.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Args;
use rusqlite::Connection;

use crate::attendance::Rule;
use crate::import::ImportOptions;
use crate::issuance::{self, Issuer};
use crate::store::{self, events::NewEvent, imports::Upload};
use crate::{signing, web};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "ATTEST_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Load a demo event from the sample export shipped in assets/demo and issue its
    /// certificates, so everything can be tried at once.
    #[arg(long)]
    pub demo: bool,
    /// Certificate-code lookups (and certificate requests) allowed per client and minute.
    #[arg(long, env = "ATTEST_CODE_LOOKUPS_PER_MINUTE", default_value_t = 10)]
    pub code_lookups_per_minute: u32,
    /// SMTP server for attendees' mail: smtp://localhost:25 (a local relay),
    /// smtp://user:password@host:587?tls=required (STARTTLS) or smtps://user:password@host:465.
    /// Without it, messages are written as .eml files to the outbox folder.
    #[arg(long, env = "ATTEST_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// Folder for .eml files when no SMTP relay is set (default: outbox/ beside the database).
    #[arg(long, env = "ATTEST_OUTBOX")]
    pub outbox: Option<PathBuf>,
    /// Reverse proxy addresses whose X-Forwarded-For header names the client (rate limits work
    /// per client behind the proxy). Comma-separated in the environment variable.
    #[arg(long = "trusted-proxy", env = "ATTEST_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Seconds a verification verdict is reused for the same token (0: check every time). A
    /// revocation made outside this server (the CLI) shows after at most this long.
    #[arg(long, env = "ATTEST_VERDICT_CACHE_SECONDS", default_value_t = 2)]
    pub verdict_cache_seconds: u64,
    /// Sender of attendees' mail.
    #[arg(long, env = "ATTEST_MAIL_FROM", default_value = "attest <no-reply@localhost>")]
    pub mail_from: String,
}

const DEMO_SLUG: &str = "demo-help-2025-03-14";

/// Creates the demo event (once), imports the shipped export and issues certificates.
fn demo(conn: &mut Connection, ctx: &super::CliContext, now: DateTime<Utc>) -> anyhow::Result<Vec<(String, String)>> {
    let event = match store::events::get(conn, DEMO_SLUG) {
        Ok(e) => e,
        Err(_) => store::events::create(
            conn,
            &NewEvent {
                slug: DEMO_SLUG.into(),
                title: "Online seminar: Freedom of expression, hate speech and the ECHR".into(),
                series: Some("HELP online seminars (demo data)".into()),
                starts_at: None,
                ends_at: None,
                timezone: chrono_tz::Europe::Paris,
                language: "en".into(),
                rule: Rule::MinPercent(75),
                panelists_eligible: false,
                template: None,
            },
            "cli",
            now,
        )?,
    };
    let path = super::issue::shipped(&ctx.assets, "assets").join("demo/webinar_attendee_report.csv");
    let bytes = std::fs::read(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let opts = ImportOptions {
        tz: event.tz(),
        date_order: None,
        meeting: None,
        event_title: Some(event.title.clone()),
        event_window: None,
    };
    store::imports::import_files(
        conn,
        &event,
        &[Upload { file_name: "webinar_attendee_report.csv", bytes: &bytes }],
        &opts,
        false,
        "cli",
        now,
    )?;
    let renderer = super::issue::renderer(&ctx.assets, &ctx.fonts)?;
    let secret = signing::active(conn, &signing::keys_dir(&ctx.db), now)?;
    let settings = ctx.settings();
    let pdf =
        crate::pdf_signature::active(&signing::keys_dir(&ctx.db), &settings.issuer, now)?.with_tsa(ctx.tsa_url.clone());
    let issuer = Issuer { renderer: &renderer, secret: &secret, pdf: &pdf, settings: &settings, actor: "cli" };
    issuance::issue_event(conn, issuer, &event, false, now, &|_| {})?;
    let certs = store::certificates::for_event(conn, event.id)?;
    Ok(certs
        .into_iter()
        .filter(|c| c.status == "valid")
        .take(3)
        .map(|c| (c.name, issuance::verify_url(&settings.public_url, &c.token)))
        .collect())
}

pub fn run(
    conn: &mut Connection,
    ctx: &super::CliContext,
    args: ServeArgs,
    now: DateTime<Utc>,
) -> anyhow::Result<ExitCode> {
    let samples = if args.demo { demo(conn, ctx, now)? } else { Vec::new() };
    // The first start creates the signing key, so that /.well-known/jwks.json is never empty.
    signing::active(conn, &signing::keys_dir(&ctx.db), now)?;
    // No staff account yet: a one-time link to create the first one (never a default password).
    let first_run = crate::staff::first_run_link(conn, now)?;
    let outbox = args.outbox.clone().unwrap_or_else(|| signing::keys_dir(&ctx.db).with_file_name("outbox"));
    let opts = web::ServeOptions {
        addr: args.addr,
        db: ctx.db.clone(),
        config: web::WebConfig {
            public_url: ctx.public_url.clone(),
            issuer: ctx.issuer.clone(),
            code_lookups_per_minute: args.code_lookups_per_minute,
            mail_from: args.mail_from.clone(),
            link_hours: 72,
            max_upload_bytes: crate::import::MAX_UPLOAD_BYTES,
            trusted_proxies: args.trusted_proxies.clone(),
            verdict_ttl: std::time::Duration::from_secs(args.verdict_cache_seconds),
        },
        smtp_url: args.smtp_url.clone(),
        outbox: outbox.clone(),
    };
    let issuing = web::Issuing {
        renderer: super::issue::renderer(&ctx.assets, &ctx.fonts)?,
        keys_dir: signing::keys_dir(&ctx.db),
        settings: ctx.settings(),
    };
    let mail = match &args.smtp_url {
        Some(url) => format!("mail goes through {}", web::redacted_smtp_url(url)),
        None => format!("mail is written to {} (no --smtp-url)", outbox.display()),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(web::serve(opts, Some(issuing), |addr| {
        println!("attest is listening on http://{addr}/ (database {})", ctx.db.display());
        println!("  verify a certificate:  http://{addr}/verify");
        println!("  attendees ask for their certificate: http://{addr}/request ({mail})");
        println!("  public keys (JWK set): http://{addr}/.well-known/jwks.json");
        if !samples.is_empty() {
            println!("demo event {DEMO_SLUG}: certificates issued from assets/demo; open one of them:");
            for (name, url) in &samples {
                println!("  {name}: {url}");
            }
            println!("  or from a terminal: attest verify {}", samples[0].1);
            println!("  or ask for one at /request with zaneta.wojcik@example.pl and read the mail in the outbox");
        }
        match &first_run {
            Some(link) => {
                println!("  staff console: http://{addr}/staff");
                println!("  no staff account yet: create the first one here (one-time link, valid 24 hours):");
                println!("    http://{addr}/staff/setup/{}", link.expose());
            }
            None => println!("  staff console: http://{addr}/staff (accounts: attest staff add EMAIL)"),
        }
        println!("stop with Ctrl-C");
    }))?;
    Ok(ExitCode::SUCCESS)
}
