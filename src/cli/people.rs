//! `attest people link|split|review`.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};

use crate::store;
use crate::store::Conn;

/// Two names of one person in an event (`people link`) or a series (`series link`), with why.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The event's or the series' short name.
    pub slug: String,
    pub a: String,
    pub b: String,
    #[arg(long)]
    pub reason: String,
}

#[derive(Debug, Subcommand)]
pub enum PeopleCmd {
    /// The rows under two keys are one person (e.g. a guest name and a registrant's email).
    Link(LinkArgs),
    /// The rows under a key are a person of their own (undo a merge by name or email).
    Split {
        slug: String,
        key: String,
        #[arg(long)]
        reason: String,
    },
    /// People whose identity or times need a look before certificates are issued.
    Review { slug: String },
    /// Print one attendee's certificate in another language than the event's.
    Language {
        slug: String,
        person: String,
        #[arg(value_enum)]
        language: crate::language::Language,
    },
}

pub fn run(conn: &Conn, cmd: PeopleCmd, now: DateTime<Utc>) -> anyhow::Result<ExitCode> {
    match cmd {
        PeopleCmd::Link(LinkArgs { slug, a, b, reason }) => {
            let event = store::events::get(conn, &slug)?;
            let (a, b) = store::people::link(conn, &event, &a, &b, &reason, "cli", now)?;
            println!("{slug}: linked {a} and {b}");
        }
        PeopleCmd::Split { slug, key, reason } => {
            let event = store::events::get(conn, &slug)?;
            let key = store::people::split(conn, &event, &key, &reason, "cli", now)?;
            println!("{slug}: rows under {key} now stand alone");
        }
        PeopleCmd::Language { slug, person, language } => {
            let event = store::events::get(conn, &slug)?;
            let d = store::people::person(conn, &event, &person)?;
            store::people::set_language(conn, &event, &d.key, language, "cli", now)?;
            // A certificate already issued keeps its language: saying "will be" of it misled.
            let issued: Vec<_> = store::certificates::for_event(conn, event.id)?
                .into_iter()
                .filter(|c| c.status == "valid" && d.keys.contains(&c.person_key))
                .collect();
            match issued.first() {
                Some(c) if c.language != language => println!(
                    "{slug}: {}'s next certificate will be in {language}; the one issued ({}) stays in {}: \
                     attest reissue {} --language {language} replaces it",
                    d.name,
                    crate::issuance::grouped(&c.id),
                    c.language,
                    crate::issuance::grouped(&c.id)
                ),
                _ => println!("{slug}: {}'s certificate will be in {language}", d.name),
            }
        }
        PeopleCmd::Review { slug } => {
            let event = store::events::get(conn, &slug)?;
            let decisions = store::people::decisions(conn, &event)?;
            let mut n = 0;
            for d in decisions.iter().filter(|d| !d.review.is_empty()) {
                n += 1;
                println!(
                    "{} [{}] ({})",
                    d.name,
                    d.key,
                    d.keys.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
                );
                for r in &d.review {
                    println!("  - {r}");
                }
            }
            // Rows refused at import and kept as errors: the people they name are in no
            // decision, so nothing above says they are missing.
            let refused = store::imports::refused_rows(conn, &event)?;
            if !refused.is_empty() {
                println!(
                    "rows refused at import, not counted ({}): correct the file and import it again",
                    refused.len()
                );
                for (file, line, why) in &refused {
                    println!("  - {file}:{line}: {why}");
                }
            }
            // Valid certificates of people the attendance no longer finds eligible (an override
            // or a correction after the issue): they stayed valid with nothing said.
            let stale = crate::issuance::stale::among(conn, &event, &decisions)?;
            if !stale.is_empty() {
                println!(
                    "valid certificates of people no longer eligible ({}): revoke each that is not due \
                     (attest revoke CODE --reason ...)",
                    stale.len()
                );
                for c in &stale {
                    println!("  - {} {} [{}]", crate::issuance::grouped(&c.id), c.name, c.person_key);
                }
            }
            if n == 0 && refused.is_empty() && stale.is_empty() {
                println!("{slug}: nothing to review");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
