//! `attest serve [--addr 127.0.0.1:8080] [--demo]`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Args;

use crate::import::ImportOptions;
use crate::issuance::{self, Issuer};
use crate::store::Conn;
use crate::store::{self, events::NewEvent, imports::Upload};
use crate::trust::token;
use crate::web;

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on: IP:PORT, [IPv6]:PORT, or a host name that resolves (localhost:8080).
    #[arg(long, env = "ATTEST_ADDR", default_value = "127.0.0.1:8080", value_parser = listen_addr)]
    pub addr: SocketAddr,
    /// Load a demo event from the sample export built into attest (the source tree's
    /// assets/demo) and issue its certificates, so everything can be tried at once.
    #[arg(long)]
    pub demo: bool,
    /// Certificate-code lookups (and certificate requests) allowed per client and minute.
    #[arg(long, env = "ATTEST_CODE_LOOKUPS_PER_MINUTE", default_value_t = 10)]
    pub code_lookups_per_minute: u32,
    /// Reverse proxy addresses whose X-Forwarded-For header names the client (rate limits work
    /// per client behind the proxy). Comma-separated in the environment variable.
    #[arg(long = "trusted-proxy", env = "ATTEST_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Seconds a finished verification answer is reused for the same token (0: never). Statuses
    /// are kept coherent apart from it: a revocation through this server shows at once, one
    /// made with the CLI within about a tenth of a second.
    #[arg(long, env = "ATTEST_VERDICT_CACHE_SECONDS", default_value_t = 2)]
    pub verdict_cache_seconds: u64,
    #[command(flatten)]
    pub mail: super::send::MailArgs,
    /// Most rows one uploaded export may have (console and API); larger files are refused with
    /// a message saying so. The command line's `attest import` has no limit.
    #[arg(long, env = "ATTEST_MAX_IMPORT_ROWS", default_value_t = web::DEFAULT_MAX_IMPORT_ROWS)]
    pub max_import_rows: usize,
    #[command(flatten)]
    pub sign_in: SignInArgs,
    /// Serve /metrics (Prometheus text format) to `Authorization: Bearer <this token>`; without
    /// it /metrics is not served. Set it in the environment (an environment file), not a flag.
    #[arg(long, env = "ATTEST_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
}

/// How staff sign in. The client secret is read from `ATTEST_OIDC_CLIENT_SECRET` or from the
/// file `--oidc-client-secret-file` names, never from a flag: a command line shows in `ps` and in
/// shell history.
#[derive(Debug, Args)]
pub struct SignInArgs {
    /// The OpenID provider's issuer, as its discovery document spells it; turns on sign-in
    /// through it. Entra ID: https://login.microsoftonline.com/<tenant-id>/v2.0 (a single tenant:
    /// the multi-tenant "common" document's issuer cannot be checked).
    #[arg(long, env = "ATTEST_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,
    /// attest's client (application) id at the provider.
    #[arg(long, env = "ATTEST_OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,
    /// A file holding the client secret (else ATTEST_OIDC_CLIENT_SECRET).
    #[arg(long, env = "ATTEST_OIDC_CLIENT_SECRET_FILE")]
    pub oidc_client_secret_file: Option<PathBuf>,
    /// The id_token claim that holds staff's roles (Entra app roles: roles).
    #[arg(long, env = "ATTEST_OIDC_ROLES_CLAIM", default_value = "roles")]
    pub oidc_roles_claim: String,
    /// The claim value that means admin.
    #[arg(long, env = "ATTEST_OIDC_ADMIN_ROLE", default_value = "Attest.Admin")]
    pub oidc_admin_role: String,
    /// The claim value that means issuer.
    #[arg(long, env = "ATTEST_OIDC_ISSUER_ROLE", default_value = "Attest.Issuer")]
    pub oidc_issuer_role: String,
    /// The claim value that means viewer.
    #[arg(long, env = "ATTEST_OIDC_VIEWER_ROLE", default_value = "Attest.Viewer")]
    pub oidc_viewer_role: String,
    /// The provider's name, on the sign-in button and in its refusals ("Microsoft Entra ID").
    /// Unset, the console says "your organisation's account" in the page's language.
    #[arg(long, env = "ATTEST_OIDC_NAME")]
    pub oidc_name: Option<String>,
    /// Who may come in the first time: `create` (anyone with a role claim gets an account) or
    /// `registered` (only staff added beforehand with attest staff add).
    #[arg(long, env = "ATTEST_OIDC_NEW_ACCOUNTS", default_value = "create", value_parser = ["create", "registered"])]
    pub oidc_new_accounts: String,
    /// Sign-in with a password (on by default, for small installations): `false` leaves only the
    /// OpenID provider.
    #[arg(long, env = "ATTEST_PASSWORD_LOGIN", default_value_t = true, action = clap::ArgAction::Set)]
    pub password_login: bool,
}

impl SignInArgs {
    /// The provider's settings, or `None` when no issuer is set.
    pub fn oidc(&self) -> anyhow::Result<Option<web::oidc::OidcConfig>> {
        let Some(issuer) = self.oidc_issuer.clone() else {
            anyhow::ensure!(
                self.password_login,
                "ATTEST_PASSWORD_LOGIN=false needs an OpenID provider (ATTEST_OIDC_ISSUER)"
            );
            return Ok(None);
        };
        let client_id =
            self.oidc_client_id.clone().context("ATTEST_OIDC_ISSUER is set: set ATTEST_OIDC_CLIENT_ID too")?;
        let secret = match (&self.oidc_client_secret_file, std::env::var("ATTEST_OIDC_CLIENT_SECRET")) {
            (Some(path), _) => std::fs::read_to_string(path)
                .with_context(|| format!("reading the client secret from {}", path.display()))?
                .trim()
                .to_owned(),
            (None, Ok(s)) => s,
            (None, Err(_)) => anyhow::bail!(
                "ATTEST_OIDC_ISSUER is set: give the client secret in ATTEST_OIDC_CLIENT_SECRET or a file (ATTEST_OIDC_CLIENT_SECRET_FILE)"
            ),
        };
        anyhow::ensure!(!secret.is_empty(), "the OpenID client secret is empty");
        Ok(Some(web::oidc::OidcConfig {
            issuer,
            client_id,
            client_secret: web::oidc::ClientSecretValue::new(secret),
            roles_claim: self.oidc_roles_claim.clone(),
            admin_value: self.oidc_admin_role.clone(),
            issuer_value: self.oidc_issuer_role.clone(),
            viewer_value: self.oidc_viewer_role.clone(),
            display_name: self.oidc_name.clone().unwrap_or_default(),
            new_accounts: if self.oidc_new_accounts == "registered" {
                web::oidc::NewAccounts::Registered
            } else {
                web::oidc::NewAccounts::Create
            },
        }))
    }
}

const DEMO_SLUG: &str = "demo-help-2025-03-14";

/// The demo's Zoom export, built in like the templates and fonts: `--demo` works wherever the
/// binary is. It is sample data, not an asset, so `--assets` does not replace it.
const DEMO_EXPORT: &[u8] = include_bytes!("../../assets/demo/webinar_attendee_report.csv");

/// Creates the demo event (once), imports the shipped export and issues certificates.
fn demo(
    conn: &mut Conn,
    ctx: &super::CliContext,
    settings: &issuance::Settings,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<(String, String)>> {
    // The demo's people are fictitious, and its certificates are signed with this installation's
    // key: in a database that holds real events they would be genuine certificates for people
    // who do not exist. A database of its own, or one with only the demo in it.
    let others = store::events::list(conn)?.into_iter().filter(|e| e.slug != DEMO_SLUG).count();
    anyhow::ensure!(
        others == 0,
        "--demo issues certificates to fictitious people, signed with this installation's key, and this database \
         holds {others} event(s) of its own: start the demo on a database of its own (--db demo.sqlite3, or \
         ATTEST_DB), or start without --demo"
    );
    let event = match store::events::get(conn, DEMO_SLUG) {
        Ok(e) => e,
        Err(_) => store::events::create(
            conn,
            &NewEvent {
                series: Some("HELP online seminars (demo data)".into()),
                ..NewEvent::new(
                    DEMO_SLUG,
                    "Online seminar: Freedom of expression, hate speech and the ECHR",
                    chrono_tz::Europe::Paris,
                )
            },
            "cli",
            now,
        )?,
    };
    let opts = ImportOptions {
        tz: event.tz(),
        date_order: None,
        meeting: None,
        event_title: Some(event.title.clone()),
        event_window: None,
        max_rows: None,
        columns: None,
        accept_inferred: false,
        known_mappings: Vec::new(),
        actions: None,
        meeting_date: None,
        encoding: None,
    };
    store::imports::import_files(
        conn,
        &event,
        &[Upload { file_name: "webinar_attendee_report.csv", bytes: DEMO_EXPORT }],
        &opts,
        false,
        "cli",
        now,
    )?;
    let renderer = ctx.renderer()?;
    let secret = token::active(conn, &ctx.keys()?, now)?;
    let pdf = crate::trust::pdf_signature::active(&ctx.keys()?, &settings.issuer, now)?.with_tsa(ctx.tsa_url.clone());
    let issuer = Issuer { renderer: &renderer, secret: &secret, pdf: &pdf, settings, actor: "cli" };
    issuance::issue_event(conn, issuer, &event, false, now, &|_| {})?;
    let certs = store::certificates::for_event(conn, event.id)?;
    Ok(certs
        .into_iter()
        .filter(|c| c.status == "valid")
        .take(3)
        .map(|c| (c.name, issuance::verify_url(&settings.public_url, &c.token)))
        .collect())
}

/// `--addr`: an address, or a host name and port resolved once here (`localhost:8080` was
/// refused as "invalid socket address syntax"). One address is bound, the first IPv4 one the
/// name resolves to when there is one (`localhost` is 127.0.0.1 as often as ::1), so that the
/// address printed is the one a browser on this machine tries first.
fn listen_addr(s: &str) -> Result<SocketAddr, String> {
    if let Ok(addr) = s.parse() {
        return Ok(addr);
    }
    let expected = "expected HOST:PORT, e.g. 127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080 or localhost:8080";
    if s.rsplit_once(':').is_none_or(|(_, port)| port.parse::<u16>().is_err()) {
        return Err(format!("{expected}: no port in {s:?}"));
    }
    let found: Vec<SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(s)
        .map_err(|e| format!("{expected}: cannot resolve {s:?}: {e}"))?
        .collect();
    found
        .iter()
        .find(|a| a.is_ipv4())
        .or(found.first())
        .copied()
        .ok_or_else(|| format!("{expected}: {s:?} resolves to no address"))
}

/// The public URL when none is set: the address actually bound (so `--addr 127.0.0.1:0` gets the
/// port the system chose), with the loopback address in place of an unspecified one (`0.0.0.0`,
/// `::`), which no browser can open.
pub fn url_of(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, addr.port()))
}

pub fn run(conn: &mut Conn, ctx: &super::CliContext, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let now = ctx.now;
    // Bound before anything is issued: without --public-url, the links printed and put in the
    // demo's QR codes are those of the address actually bound, not a default port.
    let listener = std::net::TcpListener::bind(args.addr).with_context(|| format!("listening on {}", args.addr))?;
    let bound = listener.local_addr()?;
    let public_url = ctx.public_url.clone().unwrap_or_else(|| url_of(bound));
    let settings = ctx.settings_at(&public_url);
    let samples = if args.demo { demo(conn, ctx, &settings, now)? } else { Vec::new() };
    // The first start creates the signing key, so that /.well-known/jwks.json is never empty,
    // and the PDF signing identity, which the first issue made before: two servers on one
    // database both made one at their first issue, and the later one failed on the files the
    // other had just written. Under the database's writer lock, so that two servers started at
    // the same moment make one of each: the second finds what the first made.
    let keys = ctx.keys()?;
    let secret = conn.exclusively(|| -> anyhow::Result<_> {
        let secret = token::active(conn, &keys, now)?;
        crate::trust::pdf_signature::active(&keys, &settings.issuer, now)?;
        Ok(secret)
    })?;
    // Certificates issued before credentials existed get theirs (once; later starts find none).
    let backfilled = crate::issuance::backfill_credentials(conn, &secret, &settings, now)?;
    if backfilled > 0 {
        println!("{backfilled} certificate(s) issued before credentials existed now have one");
    }
    // No staff account yet: a one-time link to create the first one (never a default password).
    let first_run = crate::staff::first_run_link(conn, now)?;
    let outbox = args.mail.outbox(ctx)?;
    let opts = web::ServeOptions {
        db: ctx.db.clone(),
        config: web::WebConfig {
            public_url: public_url.clone(),
            issuer: ctx.issuer.clone(),
            code_lookups_per_minute: args.code_lookups_per_minute,
            mail_from: args.mail.mail_from.clone(),
            link_hours: 72,
            max_upload_bytes: crate::import::MAX_UPLOAD_BYTES,
            trusted_proxies: args.trusted_proxies.clone(),
            verdict_ttl: std::time::Duration::from_secs(args.verdict_cache_seconds),
            mail_per_minute: args.mail.mail_per_minute,
            max_import_rows: args.max_import_rows,
        },
        smtp_url: args.mail.smtp_url.clone(),
        outbox: outbox.clone(),
        oidc: args.sign_in.oidc()?,
        password_login: args.sign_in.password_login,
        metrics_token: args.metrics_token.clone(),
    };
    let issuing = web::Issuing { renderer: ctx.renderer()?, keys_dir: ctx.keys()?, settings };
    let mail = match &args.mail.smtp_url {
        Some(_) => format!("mail goes through {}", args.mail.via(&outbox)),
        None => format!("mail is written to {} (no --smtp-url)", outbox.display()),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let unreachable = ctx.public_url.is_none() && bound.ip().is_unspecified();
    runtime.block_on(web::serve(listener, opts, Some(issuing), |addr| {
        let base = public_url.trim_end_matches('/');
        println!("attest is listening on http://{addr}/ (database {})", ctx.db.describe());
        if unreachable {
            println!("  note: no --public-url, so links and QR codes use {base}, which only this machine can open");
        }
        println!("  verify a certificate:  {base}/verify");
        println!("  attendees ask for their certificate: {base}/request ({mail})");
        println!("  public keys (JWK set): {base}/.well-known/jwks.json");
        if !samples.is_empty() {
            println!("demo event {DEMO_SLUG}: certificates issued from the built-in sample export; open one of them:");
            for (name, url) in &samples {
                println!("  {name}: {url}");
            }
            println!("  or from a terminal: attest verify {}", samples[0].1);
            println!("  or ask for one at /request with zaneta.wojcik@example.pl and read the mail in the outbox");
        }
        match &first_run {
            Some(link) => {
                println!("  staff console: {base}/staff");
                println!("  no staff account yet: create the first one here (one-time link, valid 24 hours):");
                println!("    {base}/staff/setup/{}", link.expose());
            }
            None => println!("  staff console: {base}/staff (accounts: attest staff add EMAIL)"),
        }
        // Named here: a tester found the API's document only by guessing its address.
        println!("  JSON API for scripts: {base}/api/v1/openapi.json (bearer tokens: attest staff token EMAIL)");
        println!("stop with Ctrl-C");
    }))?;
    Ok(ExitCode::SUCCESS)
}
