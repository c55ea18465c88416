//! `attest attendance SLUG [--json]` and `attest override`.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Args;
use serde::Serialize;

use crate::attendance::{Decision, PersonKey, Role, Source};
use crate::store;
use crate::store::Conn;

#[derive(Debug, Args)]
pub struct AttendanceArgs {
    pub slug: String,
    /// One JSON array, one object per person.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct OverrideArgs {
    pub slug: String,
    /// The person: an email, `name:…`, or a key from `attest attendance`.
    pub person: String,
    /// The decision to record: true, false, or auto (back to what the attendance data says).
    #[arg(long, value_parser = eligible_arg)]
    pub eligible: Eligible,
    /// Why (kept in the audit log and shown in the reason).
    #[arg(long)]
    pub reason: String,
}

/// `--eligible`: staff's answer, or `auto` for none.
#[derive(Debug, Clone, Copy)]
pub struct Eligible(pub Option<bool>);

fn eligible_arg(s: &str) -> Result<Eligible, String> {
    match s {
        "true" => Ok(Eligible(Some(true))),
        "false" => Ok(Eligible(Some(false))),
        "auto" => Ok(Eligible(None)),
        _ => Err(format!("\"{s}\": use true, false or auto (back to what the attendance data says)")),
    }
}

/// The JSON contract of `attest attendance --json`: one object per person.
#[derive(Serialize)]
struct PersonJson<'a> {
    name: &'a str,
    email: Option<&'a str>,
    role: Role,
    attended_seconds: i64,
    eligible: bool,
    reason: &'a str,
    sources: &'a [Source],
    key: &'a PersonKey,
    review: &'a [String],
    overridden: bool,
}

pub fn run(conn: &Conn, args: AttendanceArgs) -> anyhow::Result<ExitCode> {
    let event = store::events::get(conn, &args.slug)?;
    let decisions = store::people::decisions(conn, &event)?;
    if args.json {
        let out: Vec<PersonJson> = decisions.iter().map(to_json).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    let (window, source) = store::events::effective_window(conn, &event)?;
    match window {
        Some(w) => println!(
            "{}: window {} to {} UTC ({} min, from the {source}); rule: {}",
            event.slug,
            w.start.format("%Y-%m-%d %H:%M:%S"),
            w.end.format("%H:%M:%S"),
            w.seconds() / 60,
            event.rule.describe()
        ),
        None => println!("{}: window unknown, attendance not clipped; rule: {}", event.slug, event.rule.describe()),
    }
    let rows: Vec<Vec<String>> = decisions
        .iter()
        .map(|d| {
            vec![
                d.name.clone(),
                d.email.clone().unwrap_or_else(|| "-".into()),
                d.role.as_str().into(),
                format!("{}:{:02}", d.attended_seconds / 60, d.attended_seconds % 60),
                if d.eligible { "yes".into() } else { "no".into() },
                d.reason.clone(),
            ]
        })
        .collect();
    print!("{}", super::table(&["NAME", "EMAIL", "ROLE", "MIN:SS", "ELIGIBLE", "REASON"], &rows));
    let eligible = decisions.iter().filter(|d| d.eligible).count();
    let review: Vec<&Decision> = decisions.iter().filter(|d| !d.review.is_empty()).collect();
    println!(
        "{} people, {} eligible, {} to review{}",
        decisions.len(),
        eligible,
        review.len(),
        if review.is_empty() { "" } else { " (attest people review SLUG)" }
    );
    Ok(ExitCode::SUCCESS)
}

fn to_json(d: &Decision) -> PersonJson<'_> {
    PersonJson {
        name: &d.name,
        email: d.email.as_deref(),
        role: d.role,
        attended_seconds: d.attended_seconds,
        eligible: d.eligible,
        reason: &d.reason,
        sources: &d.sources,
        key: &d.key,
        review: &d.review,
        overridden: d.overridden,
    }
}

pub fn run_override(conn: &Conn, args: OverrideArgs, now: DateTime<Utc>) -> anyhow::Result<ExitCode> {
    let event = store::events::get(conn, &args.slug)?;
    let d = store::people::person(conn, &event, &args.person)?;
    store::people::decide_person(conn, &event, &d.key, args.eligible.0, &args.reason, "cli", now)?;
    println!(
        "{}: {} is now {} (\"{}\")",
        event.slug,
        d.name,
        match args.eligible.0 {
            Some(true) => "eligible",
            Some(false) => "not eligible",
            None => "decided by the attendance data again",
        },
        args.reason
    );
    Ok(ExitCode::SUCCESS)
}
