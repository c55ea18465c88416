//! The command line: one file per subcommand, each a thin layer over the library.
//! Errors are `anyhow` with context; `main` prints them on one line and exits non-zero.

mod attendance;
mod credential;
mod db;
mod event;
mod health;
mod import;
mod issue;
mod keys;
mod people;
mod send;
mod series;
mod serve;
mod staff;
mod vectors;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::certificate::Files;

/// Certificates of attendance for online seminars.
#[derive(Debug, Parser)]
#[command(name = "attest", version, about)]
pub struct Cli {
    /// SQLite file or sqlite: URL (created by `migrate` and `serve` only: the other commands
    /// refuse a file that does not exist), or a PostgreSQL URL
    /// (postgres://user@host/db?sslmode=verify-full&sslrootcert=ca.pem) for several instances.
    #[arg(long, global = true, env = "ATTEST_DB", default_value = "db/attest.sqlite3")]
    pub db: PathBuf,
    /// Folder of the signing keys. Default: `keys/` beside the SQLite file. Required with
    /// PostgreSQL: the one folder (a mounted secret) every instance reads.
    #[arg(long, global = true, env = "ATTEST_KEYS")]
    pub keys: Option<PathBuf>,
    /// Base URL of the verification service, put in every QR code. Default: `serve` uses the
    /// address it listens on; the other commands http://127.0.0.1:8080.
    #[arg(long, global = true, env = "ATTEST_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// The issuing organisation, printed and signed.
    #[arg(long, global = true, env = "ATTEST_ISSUER", default_value = "Council of Europe")]
    pub issuer: String,
    /// The issuer's short form, carried in the signed token (kept short for the QR code).
    #[arg(long, global = true, env = "ATTEST_ISSUER_SHORT", default_value = "CoE")]
    pub issuer_short: String,
    /// An RFC 3161 time-stamp authority (http:// URL): every PDF signature gets a time-stamp
    /// (PAdES B-T); when it cannot be had, the issue fails rather than signing without one.
    #[arg(long, global = true, env = "ATTEST_TSA_URL")]
    pub tsa_url: Option<String>,
    /// Folder with certificate templates (`templates/*.toml`) and the images they name, used
    /// instead of the ones built into attest. Never taken from the current directory unasked.
    #[arg(long, global = true, env = "ATTEST_ASSETS")]
    pub assets: Option<PathBuf>,
    /// Folder with the fonts certificates are set in, used instead of the built-in ones.
    #[arg(long, global = true, env = "ATTEST_FONTS")]
    pub fonts: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the database or bring it to the latest schema.
    Migrate,
    /// Create, list and show events.
    #[command(subcommand)]
    Event(event::EventCmd),
    /// Import attendance exports (Zoom, Teams, Webex, Google Meet, GoTo, workbooks, or any table
    /// through a column mapping) into an event.
    Import(import::ImportArgs),
    /// Who attended, with the decision and its reason for each person.
    Attendance(attendance::AttendanceArgs),
    /// Replace the computed decision for one person, with a reason.
    Override(attendance::OverrideArgs),
    /// Link or split people, and list what needs review.
    #[command(subcommand)]
    People(people::PeopleCmd),
    /// Issue certificates to every eligible person of an event who has none yet.
    Issue(issue::IssueArgs),
    /// Issue a corrected certificate in place of one (the old one becomes superseded).
    Reissue(issue::ReissueArgs),
    /// Revoke a certificate, with the reason shown to verifiers.
    Revoke(issue::RevokeArgs),
    /// All valid certificates of an event merged into one PDF for printing (one page each, in
    /// the order of the attendance list; the merged file carries no PDF signature).
    Print(issue::PrintArgs),
    /// Mail each valid certificate of an event to its holder, once, with a one-time download link.
    Send(send::SendArgs),
    /// Check a certificate: a PDF, its digital credential, a verify URL, a token or a printed code.
    Verify(verify::VerifyArgs),
    /// A certificate's Open Badges 3.0 credential (JSON), for a wallet.
    Credential(credential::CredentialArgs),
    /// Write the issuer's DID document, JWK set and status lists into a folder, as plain files
    /// any web server can serve to verifiers.
    Publish(credential::PublishArgs),
    /// Write the published test vectors (tokens and credentials, valid and broken, with a
    /// manifest of verdicts) into a folder; needs no database.
    Vectors(vectors::VectorsArgs),
    /// Signing keys: list, rotate, withdraw, jwks, pdf-chain, pdf-import.
    #[command(subcommand)]
    Keys(keys::KeysCmd),
    /// Run the web service: public verification page and JSON, JWK set, health check.
    Serve(serve::ServeArgs),
    /// Ask a running attest whether it is ready (its /readyz), for container health checks;
    /// needs no database.
    Health(health::HealthArgs),
    /// Series of events and their certificates (issue 12).
    #[command(subcommand)]
    Series(series::SeriesCmd),
    /// Staff accounts (console logins) and API tokens.
    #[command(subcommand)]
    Staff(staff::StaffCmd),
    /// Copy the database to FILE while it is in use (SQLite `VACUUM INTO`), and check the copy;
    /// keep the `keys/` folder beside the database as well.
    Backup { file: PathBuf },
    /// Move the database: `db copy --from FILE --to postgres://…` (SQLite to PostgreSQL).
    #[command(subcommand)]
    Db(db::DbCmd),
    /// The latest entries of the audit log.
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

/// The public URL of commands that do not listen anywhere, when none is set.
pub use crate::issuance::DEFAULT_PUBLIC_URL;

/// What the certificate commands need besides the database.
pub struct CliContext {
    pub db: crate::store::Location,
    /// `--keys`, or the folder beside the SQLite file; `None` on PostgreSQL without `--keys`.
    keys: Option<PathBuf>,
    /// As given; `None` lets `serve` use the address it is bound to.
    pub public_url: Option<String>,
    pub issuer: String,
    pub issuer_short: String,
    pub assets: Files,
    pub fonts: Files,
    /// RFC 3161 time-stamp authority for PDF signatures (B-T), when configured.
    pub tsa_url: Option<String>,
    /// The moment the command runs, taken once: everything one command records, issues or
    /// signs carries the same time, so the commands read it here rather than beside the context.
    pub now: chrono::DateTime<chrono::Utc>,
}

/// What [`CliContext::signing`] makes, lent to the library as an [`crate::issuance::Issuer`].
pub struct Signing {
    renderer: crate::certificate::Renderer,
    secret: crate::trust::token::PrivateKey,
    pdf: crate::trust::pdf_signature::PdfSigner,
    settings: crate::issuance::Settings,
}

impl Signing {
    /// The issuer the command line acts as.
    pub fn issuer(&self) -> crate::issuance::Issuer<'_> {
        crate::issuance::Issuer {
            renderer: &self.renderer,
            secret: &self.secret,
            pdf: &self.pdf,
            settings: &self.settings,
            actor: "cli",
        }
    }
}

impl CliContext {
    /// The settings certificates are issued with, under the given public URL or the default.
    pub fn settings(&self) -> crate::issuance::Settings {
        self.settings_at(self.public_url.as_deref().unwrap_or(DEFAULT_PUBLIC_URL))
    }

    /// [`Self::settings`] for the commands that print the URL into certificates (QR code,
    /// credential, status list): a warning when it is the default, which only this machine can
    /// open. Certificates issued so went out with a QR code no verifier could follow, and a
    /// printed code cannot be corrected.
    pub fn issuing_settings(&self) -> crate::issuance::Settings {
        self.warn_default_public_url("QR codes and credentials name", "verifiers use", " before issuing for real");
        self.settings()
    }

    /// The warning, on stderr, of a command that prints an address under the public URL when
    /// none is set: `printed` is what names it, `who` who must reach it, `then` when it matters.
    /// One warning for every such command: `staff add` printed a setup link naming
    /// http://127.0.0.1:8080 without a word, which `issue` warned of.
    pub fn warn_default_public_url(&self, printed: &str, who: &str, then: &str) {
        if self.public_url.is_none() {
            eprintln!(
                "warning: no --public-url (or ATTEST_PUBLIC_URL): {printed} {DEFAULT_PUBLIC_URL}, \
                 which only this machine can open; set it to the address {who} (the one `serve` \
                 is reached at){then}"
            );
        }
    }

    pub fn settings_at(&self, public_url: &str) -> crate::issuance::Settings {
        crate::issuance::Settings {
            public_url: public_url.to_owned(),
            issuer: self.issuer.clone(),
            issuer_short: self.issuer_short.clone(),
            tsa_url: self.tsa_url.clone(),
        }
    }

    /// The folder of the signing keys: `--keys`, else `keys/` beside the SQLite file. On
    /// PostgreSQL there is no such place, and guessing one would let an instance create keys
    /// of its own beside those every other instance uses: an error says to give `--keys`.
    pub fn keys(&self) -> anyhow::Result<PathBuf> {
        self.keys.clone().ok_or_else(|| {
            anyhow::anyhow!(
                "with PostgreSQL, give the signing keys' folder with --keys DIR (or ATTEST_KEYS): \
                 the one folder every instance reads"
            )
        })
    }

    /// What a command issues with, made once: the renderer, the active token key, the PDF
    /// signer (time-stamped when an authority is set) and the issuing settings.
    pub fn signing(&self, conn: &crate::store::Conn) -> anyhow::Result<Signing> {
        let now = self.now;
        let settings = self.issuing_settings();
        let keys = self.keys()?;
        Ok(Signing {
            renderer: self.renderer()?,
            secret: crate::trust::token::active(conn, &keys, now)?,
            pdf: crate::trust::pdf_signature::active(&keys, &settings.issuer, now)?.with_tsa(self.tsa_url.clone()),
            settings,
        })
    }

    /// The certificate renderer, with the built-in files or the folders given.
    pub fn renderer(&self) -> anyhow::Result<crate::certificate::Renderer> {
        use anyhow::Context;
        crate::certificate::Renderer::load_from(&self.assets, &self.fonts).with_context(|| {
            format!("loading templates from {} and fonts from {}", self.assets.describe(), self.fonts.describe())
        })
    }
}

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    // Test vectors come from throwaway keys, never from this installation: no database opened.
    if let Command::Vectors(args) = cli.command {
        return vectors::run(args);
    }
    // The probe asks the running service; opening (and migrating) the database here could
    // contend with it.
    if let Command::Health(args) = cli.command {
        return health::run(args);
    }
    // A copy names both its databases; `--db` is neither, and opening it would create or
    // migrate a database nobody asked for.
    if let Command::Db(cmd) = cli.command {
        return db::run(cmd, cli.keys);
    }
    // Read before anything is opened: a URL of an engine this build does not have is refused
    // here, not taken for a path. The error names the engine, never the URL (it may hold a
    // password).
    let db = crate::store::Location::parse(cli.db.as_os_str())?;
    let keys = cli.keys.or_else(|| db.sqlite_path().map(crate::trust::token::keys_dir));
    // Offline verification reads a published JWK set, not this installation: a verifier has no
    // database (the README promises it needs none), and one must not be made in their folder.
    let command = match cli.command {
        Command::Verify(args) if args.jwks.is_some() => return verify::run(None, keys.as_deref(), args),
        command => command,
    };
    let mut conn = open(&db, &command)?;
    let now = chrono::Utc::now();
    let ctx = CliContext {
        db: db.clone(),
        keys,
        public_url: cli.public_url,
        issuer: cli.issuer,
        issuer_short: cli.issuer_short,
        assets: Files::or_shipped(cli.assets.as_deref()),
        fonts: Files::or_shipped(cli.fonts.as_deref()),
        tsa_url: cli.tsa_url,
        now,
    };
    match command {
        Command::Migrate => {
            println!("database {} is up to date", db.describe());
            Ok(ExitCode::SUCCESS)
        }
        Command::Event(cmd) => event::run(&conn, &ctx, cmd),
        Command::Import(args) => import::run(&mut conn, args, now),
        Command::Attendance(args) => attendance::run(&conn, args),
        Command::Override(args) => attendance::run_override(&conn, args, now),
        Command::People(cmd) => people::run(&conn, cmd, now),
        Command::Issue(args) => issue::run_issue(&mut conn, &ctx, args),
        Command::Reissue(args) => issue::run_reissue(&mut conn, &ctx, args),
        Command::Revoke(args) => issue::run_revoke(&mut conn, args, now),
        Command::Print(args) => issue::run_print(&conn, args),
        Command::Send(args) => send::run(&mut conn, &ctx, args),
        Command::Verify(args) => verify::run(Some(&conn), ctx.keys.as_deref(), args),
        Command::Credential(args) => credential::run(&mut conn, &ctx, args),
        Command::Publish(args) => credential::run_publish(&mut conn, &ctx, args),
        Command::Keys(keys::KeysCmd::Withdraw(args)) => keys::run_withdraw(&mut conn, &ctx, args),
        Command::Keys(cmd) => keys::run(&conn, &ctx.keys()?, cmd, now),
        Command::Audit { limit } => issue::run_audit(&conn, limit),
        Command::Staff(cmd) => staff::run(&mut conn, &ctx, cmd),
        Command::Serve(args) => serve::run(&mut conn, &ctx, args),
        Command::Series(cmd) => series::run(&mut conn, &ctx, cmd),
        Command::Vectors(_) | Command::Health(_) | Command::Db(_) => {
            unreachable!("handled before the database is opened")
        }
        Command::Backup { file } => {
            crate::store::backup(&conn, &file)?;
            println!(
                "database copied to {} (integrity check: ok); also keep a copy of {}",
                file.display(),
                ctx.keys()?.display()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The database `--db` names, opened and migrated. Only `migrate` and `serve` (the README's
/// first command, `serve --demo`, on a fresh machine) may create a SQLite file: any other
/// command on a path with no file is refused, before anything (the file, its folder, a keys
/// folder) is made. A typo in `--db` or `ATTEST_DB` used to open a new, empty installation: a
/// backup of it reported success, `keys list` made new keys, and a command run after the live
/// file was lost recreated it empty under the running service.
fn open(db: &crate::store::Location, command: &Command) -> anyhow::Result<crate::store::Conn> {
    use anyhow::Context;
    let sets_up = matches!(command, Command::Migrate | Command::Serve(_));
    if let Some(path) = db.sqlite_path().filter(|p| !sets_up && !p.exists()) {
        anyhow::bail!("no database at {}: check --db / ATTEST_DB, or create one with `attest migrate`", path.display());
    }
    let conn = if sets_up { crate::store::connect(db) } else { crate::store::connect_existing(db) };
    conn.with_context(|| format!("opening {}", db.describe()))
}

/// Left-aligned text columns, measured in characters.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let mut out = String::new();
    let line = |cells: Vec<String>, out: &mut String| {
        let last = cells.len() - 1;
        for (i, c) in cells.into_iter().enumerate() {
            out.push_str(&c);
            if i < last {
                out.push_str(&" ".repeat(widths[i] - c.chars().count() + 2));
            }
        }
        out.push('\n');
    };
    line(headers.iter().map(|s| s.to_string()).collect(), &mut out);
    for r in rows {
        line(r.clone(), &mut out);
    }
    out
}

/// The certificate languages as clap's possible values (`--language en|fr|es`): the codes, in
/// [`Language::ALL`](crate::language::Language::ALL)'s order, so that `--help` lists them and a typo is refused with that list.
/// Here rather than a derive on `Language`: the domain type does not depend on clap.
impl clap::ValueEnum for crate::language::Language {
    fn value_variants<'a>() -> &'a [Self] {
        &crate::language::Language::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.code()))
    }
}
