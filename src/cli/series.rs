//! `attest series ...`: create a series, add or remove its events, set its rule, see its
//! decisions, issue its certificates. A thin layer over `store::series` and `issuance::series`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;

use crate::attendance::series::SeriesRule;
use crate::issuance;
use crate::store::{self, Conn};

#[derive(Debug, Subcommand)]
pub enum SeriesCmd {
    /// Create a series (its rule is "all sessions" until `set-rule`).
    Create {
        slug: String,
        #[arg(long)]
        title: String,
        /// Language of its certificates.
        #[arg(long, value_enum, default_value = "en")]
        language: crate::language::Language,
    },
    /// List the series with their events and rule.
    List,
    /// Add an event to the series.
    AddEvent { slug: String, event: String },
    /// Take an event out of the series (certificates issued keep the sessions they list).
    RemoveEvent { slug: String, event: String },
    /// The series' rule: `--at-least N` of its events, or `--all`.
    SetRule {
        slug: String,
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        at_least: Option<u32>,
        #[arg(long)]
        all: bool,
    },
    /// Two addresses are one person for the series (someone who came to one session from one
    /// address and to another from a second), with why; each must be someone's in its events.
    Link(super::people::LinkArgs),
    /// Take back a link between two addresses.
    Unlink { slug: String, a: String, b: String },
    /// Who is eligible for the series' certificate, with the reason; `--json` for one JSON array.
    Decisions {
        slug: String,
        #[arg(long)]
        json: bool,
    },
    /// Issue the series' certificates to everyone eligible who holds none.
    Issue {
        slug: String,
        /// Folder for the PDFs of the series' valid certificates.
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long)]
        dry_run: bool,
    },
}

pub fn run(conn: &mut Conn, ctx: &super::CliContext, cmd: SeriesCmd) -> anyhow::Result<ExitCode> {
    let now = ctx.now;
    match cmd {
        SeriesCmd::Create { slug, title, language } => {
            let s = store::series::create(conn, &slug, &title, language, "cli", now)?;
            println!("series {} created: \"{}\"; rule: {}", s.slug, s.title, s.rule.describe(0));
        }
        SeriesCmd::List => {
            for s in store::series::list(conn)? {
                let evs = store::series::events(conn, &s)?;
                let slugs: Vec<&str> = evs.iter().map(|e| e.slug.as_str()).collect();
                println!("{}\t{}\t{}\t{}", s.slug, s.title, s.rule.describe(evs.len()), slugs.join(","));
            }
        }
        SeriesCmd::AddEvent { slug, event } => {
            let s = store::series::get(conn, &slug)?;
            store::series::add_event(conn, &s, &event, "cli", now)?;
            println!("event {event} added to series {slug}");
        }
        SeriesCmd::RemoveEvent { slug, event } => {
            let s = store::series::get(conn, &slug)?;
            store::series::remove_event(conn, &s, &event, "cli", now)?;
            println!("event {event} removed from series {slug}");
        }
        SeriesCmd::SetRule { slug, at_least, all } => {
            let s = store::series::get(conn, &slug)?;
            let rule = match (at_least, all) {
                (Some(n), false) => SeriesRule::AtLeast(n),
                _ => SeriesRule::All,
            };
            let s = store::series::set_rule(conn, &s, rule, "cli", now)?;
            let n = store::series::events(conn, &s)?.len();
            println!("series {slug}: rule {}", s.rule.describe(n));
        }
        SeriesCmd::Link(super::people::LinkArgs { slug, a, b, reason }) => {
            let s = store::series::get(conn, &slug)?;
            let l = issuance::series::link(conn, &s, (&a, &b), &reason, "cli", now)?;
            println!("series {slug}: {} and {} are one person", l.a, l.b);
        }
        SeriesCmd::Unlink { slug, a, b } => {
            let s = store::series::get(conn, &slug)?;
            store::series::unlink(conn, &s, &a, &b, "cli", now)?;
            println!("series {slug}: {} and {} are no longer linked", a.trim(), b.trim());
        }
        SeriesCmd::Decisions { slug, json } => {
            let s = store::series::get(conn, &slug)?;
            let decisions = issuance::series::decisions(conn, &s)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&decisions)?);
            } else {
                for d in &decisions {
                    let mark = if d.eligible { "eligible" } else { "not eligible" };
                    println!("{}\t{}\t{mark}\t{}", d.name, d.email.as_deref().unwrap_or("-"), d.reason);
                    for r in &d.review {
                        println!("\treview: {r}");
                    }
                }
            }
        }
        SeriesCmd::Issue { slug, out, dry_run } => {
            let s = store::series::get(conn, &slug)?;
            let signing = ctx.signing(conn)?;
            let report = issuance::series::issue_series(conn, signing.issuer(), &s, dry_run, now)?;
            let verb = if dry_run { "would issue" } else { "issued" };
            for p in &report.issued {
                println!("{verb}: {} <{}> {} min", p.name, p.email.as_deref().unwrap_or("-"), p.minutes);
            }
            println!(
                "series {}: {verb} {} certificate(s) ({} already issued, {} not eligible)",
                s.slug,
                report.issued.len(),
                report.already,
                report.not_eligible
            );
            if let (Some(dir), false) = (out, dry_run) {
                std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
                let mut n = 0;
                for c in store::series::certificates(conn, &s)?.into_iter().filter(|c| c.status == "valid") {
                    let bytes = crate::store::certificates::pdf(conn, &c.id)?.context("stored with its record")?;
                    let path = dir.join(&c.file_name);
                    std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
                    n += 1;
                }
                println!("{n} PDF(s) written to {}", dir.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
