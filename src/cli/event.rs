//! `attest event create|set|list|show`.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use clap::Subcommand;

use crate::attendance::Rule;
use crate::language::Language;
use crate::store::Conn;
use crate::store::{self, events::NewEvent};

#[derive(Debug, Subcommand)]
pub enum EventCmd {
    /// Create an event. Times are given in the event's zone.
    Create {
        /// Short identifier used in commands and URLs, e.g. `help-2025-03-14`.
        slug: String,
        #[arg(long)]
        title: String,
        /// The seminar series, printed on certificates.
        #[arg(long)]
        series: Option<String>,
        /// Start, e.g. 2025-03-14T10:00 (event zone). Without --starts/--ends the window comes
        /// from the exports' headers.
        #[arg(long, requires = "ends")]
        starts: Option<String>,
        #[arg(long, requires = "starts")]
        ends: Option<String>,
        /// IANA time zone of the event, e.g. Europe/Paris.
        #[arg(long, default_value = "UTC")]
        tz: String,
        #[arg(long, value_enum, default_value = "en")]
        language: Language,
        /// Minimum share of the window, in percent (default 75).
        #[arg(long, conflicts_with = "min_minutes")]
        min_percent: Option<u32>,
        /// Minimum minutes attended, instead of a share.
        #[arg(long)]
        min_minutes: Option<u32>,
        /// Panelists receive certificates too.
        #[arg(long)]
        panelists_eligible: bool,
        /// Certificate template (a file stem in assets/templates/) instead of the language's.
        #[arg(long)]
        template: Option<String>,
        /// How a Teams report's "Presenter" role reads: auto (attendee in a meeting, where
        /// everyone presents by default; panelist in a webinar or town hall), attendee or panelist.
        #[arg(long, default_value = "auto", value_parser = store::events::TEAMS_PRESENTERS)]
        teams_presenters: String,
    },
    /// Change an event's settings that do not need the whole form.
    Set {
        slug: String,
        /// How a Teams report's "Presenter" role reads: auto, attendee or panelist. Decisions
        /// change at once; issued certificates keep what they print.
        #[arg(long, value_parser = store::events::TEAMS_PRESENTERS)]
        teams_presenters: String,
    },
    /// List events.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show an event and its uploads.
    Show {
        slug: String,
        #[arg(long)]
        json: bool,
    },
}

pub fn parse_tz(s: &str) -> anyhow::Result<Tz> {
    Ok(store::events::parse_zone(s)?)
}

pub fn local_to_utc(s: &str, tz: Tz) -> anyhow::Result<DateTime<Utc>> {
    Ok(store::events::local_time(s, tz)?)
}

pub fn run(conn: &Conn, ctx: &super::CliContext, cmd: EventCmd) -> anyhow::Result<ExitCode> {
    match cmd {
        EventCmd::Create {
            slug,
            title,
            series,
            starts,
            ends,
            tz,
            language,
            min_percent,
            min_minutes,
            panelists_eligible,
            template,
            teams_presenters,
        } => {
            if let Some(t) = &template {
                anyhow::ensure!(ctx.assets.has_template(t), "no template \"{t}\" in {}", ctx.assets.describe());
            }
            let tz = parse_tz(&tz)?;
            let starts_at = starts.as_deref().map(|s| local_to_utc(s, tz)).transpose()?;
            let ends_at = ends.as_deref().map(|s| local_to_utc(s, tz)).transpose()?;
            let rule = match min_minutes {
                Some(m) => Rule::MinMinutes(m),
                None => Rule::MinPercent(min_percent.unwrap_or(75)),
            };
            let e = store::events::create(
                conn,
                &NewEvent {
                    slug,
                    title,
                    series,
                    starts_at,
                    ends_at,
                    timezone: tz,
                    language,
                    rule,
                    panelists_eligible,
                    template,
                },
                "cli",
                ctx.now,
            )?;
            let e = store::events::set_teams_presenters(conn, &e.slug, &teams_presenters, "cli", ctx.now)?;
            println!("created event {} \"{}\"", e.slug, e.title);
            print_window(&e);
            Ok(ExitCode::SUCCESS)
        }
        EventCmd::Set { slug, teams_presenters } => {
            let e = store::events::set_teams_presenters(conn, &slug, &teams_presenters, "cli", ctx.now)?;
            println!("{}: Teams presenters read as {}", e.slug, e.teams_presenters);
            Ok(ExitCode::SUCCESS)
        }
        EventCmd::List { json } => list(conn, json),
        EventCmd::Show { slug, json } => show(conn, &slug, json),
    }
}

/// `attest event list`: every event, newest first, as a table or JSON.
fn list(conn: &Conn, json: bool) -> anyhow::Result<ExitCode> {
    let events = store::events::list(conn)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&events)?);
    } else if events.is_empty() {
        println!("no events yet: create one with `attest event create SLUG --title ...`");
    } else {
        let rows: Vec<Vec<String>> = events
            .iter()
            .map(|e| {
                vec![
                    e.slug.clone(),
                    e.starts_at
                        .map(|s| s.with_timezone(&e.tz()).format("%Y-%m-%d %H:%M").to_string())
                        .unwrap_or_else(|| "-".into()),
                    e.language.to_string(),
                    e.title.clone(),
                ]
            })
            .collect();
        print!("{}", super::table(&["SLUG", "STARTS (local)", "LANG", "TITLE"], &rows));
    }
    Ok(ExitCode::SUCCESS)
}

/// `attest event show`: one event's settings, its window and where it comes from, its uploads.
fn show(conn: &Conn, slug: &str, json: bool) -> anyhow::Result<ExitCode> {
    let e = store::events::get(conn, slug)?;
    let uploads = store::imports::list_uploads(conn, &e)?;
    let (window, source) = store::events::effective_window(conn, &e)?;
    if json {
        let v = serde_json::json!({
            "event": e,
            "window": window.map(|w| serde_json::json!({"start": w.start, "end": w.end, "source": source})),
            "uploads": uploads,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{} \"{}\"", e.slug, e.title);
    if let Some(s) = &e.series {
        println!("series:    {s}");
    }
    println!("zone:      {}", e.timezone);
    println!("language:  {}", e.language);
    println!("rule:      {}{}", e.rule.describe(), if e.panelists_eligible { " (panelists included)" } else { "" });
    println!("teams presenters: {}", e.teams_presenters);
    match window {
        Some(w) => println!(
            "window:    {} to {} {} ({} min, from the {source})",
            w.start.with_timezone(&e.tz()).format("%Y-%m-%d %H:%M:%S"),
            w.end.with_timezone(&e.tz()).format("%H:%M:%S"),
            e.timezone,
            w.seconds() / 60
        ),
        None => {
            println!("window:    unknown (no --starts/--ends and no export header): attendance is not clipped")
        }
    }
    for u in uploads {
        println!(
            "upload {}: {} [{}] {} rows, {} errors, zone {}, sha256 {}…",
            u.id,
            u.file_name,
            u.format,
            u.rows,
            u.errors,
            u.timezone,
            &u.sha256[..12]
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn print_window(e: &store::events::Event) {
    match e.window() {
        Some(w) => println!(
            "window {} to {} {} ({} min); rule: {}",
            w.start.with_timezone(&e.tz()).format("%Y-%m-%d %H:%M"),
            w.end.with_timezone(&e.tz()).format("%H:%M"),
            e.timezone,
            w.seconds() / 60,
            e.rule.describe()
        ),
        None => println!("window: taken from the exports' headers when imported; rule: {}", e.rule.describe()),
    }
}
