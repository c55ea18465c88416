//! `attest import SLUG FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use clap::Args;

use crate::attendance::{ConnectionKind, Role};
use crate::import::dates::DateOrder;
use crate::import::{ImportOptions, MAX_UPLOAD_BYTES, PresenterReading, mapping};
use crate::store::Conn;
use crate::store::{self, imports::Outcome, imports::Upload};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The event the exports belong to.
    pub slug: String,
    /// One or more export files (several for a meeting that restarted). All land or none.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Zone the export's times are written in (the downloader's zone). Default: the event's.
    #[arg(long)]
    pub tz: Option<String>,
    /// Day/month order when the file's own dates cannot decide it.
    #[arg(long, value_parser = clap::value_parser!(DateOrderArg))]
    pub date_order: Option<DateOrderArg>,
    /// Active Hosts exports with several meetings: the meeting ID to import.
    #[arg(long)]
    pub meeting: Option<String>,
    /// Import the readable rows and store unreadable ones as errors, instead of refusing the file.
    #[arg(long)]
    pub skip_bad_rows: bool,
    /// Print the import report as JSON.
    #[arg(long)]
    pub json: bool,
    /// For a file whose headers attest does not know: which column holds each field, as
    /// `name=1,email=2,join=3,leave=4` (numbers from 1, or header texts; duration, role, waiting
    /// and date optional, date being each row's day beside times of day; a name in two columns,
    /// first and last, as name=1+2). The mapping is remembered for files with the same header row.
    #[arg(long, value_parser = parse_columns)]
    pub columns: Option<ColumnsArg>,
    /// Use the columns attest inferred for a file of unknown headers, after reviewing them with
    /// `--dry-run`. The mapping is remembered for files with the same header row.
    #[arg(long)]
    pub accept_inferred: bool,
    /// The day of the meeting, for exports whose rows hold times of day only (Google Meet) and
    /// whose file name does not start with it.
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    /// The files' text encoding, for a file that is not UTF-8 and whose names the guessed code
    /// page read wrong (the import report sends such names to review with both readings):
    /// windows-1252, windows-1250, windows-1254, macintosh, ... Default: UTF-8, else guessed.
    #[arg(long, value_parser = crate::import::text::encoding_named)]
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Read the files and print what would be imported (or the inferred columns), storing nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `--columns`, parsed.
#[derive(Debug, Clone)]
pub struct ColumnsArg(pub Vec<(mapping::Field, mapping::ColumnSpec)>, pub Option<mapping::Actions>);

fn parse_columns(s: &str) -> Result<ColumnsArg, String> {
    mapping::parse_columns_and_actions(s).map(|(c, a)| ColumnsArg(c, a))
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum DateOrderArg {
    Mdy,
    Dmy,
    Ymd,
}

impl From<DateOrderArg> for DateOrder {
    fn from(a: DateOrderArg) -> Self {
        match a {
            DateOrderArg::Mdy => DateOrder::Mdy,
            DateOrderArg::Dmy => DateOrder::Dmy,
            DateOrderArg::Ymd => DateOrder::Ymd,
        }
    }
}

pub fn run(conn: &mut Conn, args: ImportArgs, now: DateTime<Utc>) -> anyhow::Result<ExitCode> {
    let event = store::events::get(conn, &args.slug)?;
    let tz = match &args.tz {
        Some(t) => super::event::parse_tz(t)?,
        None => event.tz(),
    };
    let mut contents = Vec::new();
    for path in &args.files {
        let size = std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?.len();
        if size as usize > MAX_UPLOAD_BYTES {
            anyhow::bail!(
                "{}: {size} bytes is over the upload limit of {MAX_UPLOAD_BYTES} bytes; export the one meeting's report, or split the file by meeting",
                path.display()
            );
        }
        let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
        let name =
            path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.display().to_string());
        contents.push((name, bytes));
    }
    let uploads: Vec<Upload> = contents.iter().map(|(n, b)| Upload { file_name: n, bytes: b }).collect();
    let opts = ImportOptions {
        tz,
        date_order: args.date_order.map(Into::into),
        meeting: args.meeting.clone(),
        event_title: Some(event.title.clone()),
        event_window: event.window().map(|w| (w.start, w.end)),
        max_rows: None,
        columns: args.columns.clone().map(|c| c.0),
        actions: args.columns.clone().and_then(|c| c.1),
        accept_inferred: args.accept_inferred,
        known_mappings: Vec::new(),
        meeting_date: args.date,
        encoding: args.encoding,
    };
    if args.dry_run {
        return dry_run(conn, &contents, opts, args.skip_bad_rows);
    }
    let outcomes = store::imports::import_files(conn, &event, &uploads, &opts, args.skip_bad_rows, "cli", now)?;
    tracing::info!(event = %event.slug, files = outcomes.len(), "import finished");
    if args.json {
        println!("{}", serde_json::to_string_pretty(&outcomes)?);
        return Ok(ExitCode::SUCCESS);
    }
    for o in outcomes {
        match o {
            Outcome::AlreadyImported { file, imported_at, .. } => {
                println!("{file}: already imported into {} on {imported_at}; nothing changed", event.slug);
            }
            Outcome::Duplicate { file, same_as } => println!("{file}: same bytes as {same_as}; imported once"),
            Outcome::Imported(s) => {
                println!(
                    "{}: imported as {} ({}); {}, delimiter {}, times in {}{}",
                    s.file,
                    s.format,
                    s.variant,
                    s.encoding,
                    s.delimiter,
                    crate::import::zone_label(&s.timezone),
                    s.date_order.map(|o| format!(", dates {o}")).unwrap_or_default()
                );
                if let (Some(start), Some(end)) = (&s.meeting_start, &s.meeting_end) {
                    println!(
                        "  session in the export header: {start} to {end}{}",
                        s.topic.as_ref().map(|t| format!(" \"{t}\"")).unwrap_or_default()
                    );
                }
                println!("  encoding: {} ({})", s.encoding, s.encoding_why);
                let c = &s.counts;
                println!(
                    "  {} rows: {} imported, {} skipped, {} refused, {} headers and context, {} blank; {} connections",
                    c.rows, c.imported, c.skipped, c.refused, c.context, c.blank, s.connections
                );
                for (line, note) in &s.skipped {
                    println!("  skipped line {line}: {note}");
                }
                for e in &s.errors {
                    println!("  ERROR {}: {e}", s.file);
                }
                if let Some(p) = &s.presenters {
                    println!("  roles: {p}");
                }
                for w in &s.warnings {
                    println!("  note: {w}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads each file as an import would and prints what it found; stores nothing.
fn dry_run(
    conn: &Conn,
    contents: &[(String, Vec<u8>)],
    mut opts: ImportOptions,
    skip_bad_rows: bool,
) -> anyhow::Result<ExitCode> {
    if opts.columns.is_none() {
        opts.known_mappings = store::imports::column_mappings(conn)?;
    }
    let mut ok = true;
    for (name, bytes) in contents {
        match crate::import::parse(name, bytes, &opts, skip_bad_rows) {
            Ok(p) => {
                println!(
                    "{name}: would import as {} ({}); {}, delimiter {}",
                    p.format.as_str(),
                    p.variant,
                    p.encoding,
                    if p.delimiter == '\t' { "tab".to_owned() } else { p.delimiter.to_string() }
                );
                println!("  {} connections; {} warnings", p.connections.len(), p.warnings.len());
                // Connections with times first: a Teams report lists its participants, without
                // times, above the rows that give them.
                let timed = p.connections.iter().filter(|c| c.join.is_some() && c.leave.is_some());
                let shown: Vec<_> = if timed.clone().next().is_some() {
                    timed.take(5).collect()
                } else {
                    p.connections.iter().take(5).collect()
                };
                for c in shown {
                    // As the import reads it: a Teams meeting report's presenters are attendees,
                    // and a row of a total or a registration has no times to show.
                    let role = match (c.role, p.presenters) {
                        (Role::Panelist, Some(PresenterReading::Attendee)) => "presenter, read as attendee",
                        (role, _) => role.as_str(),
                    };
                    let times = match (c.join, c.leave, c.kind) {
                        (Some(j), Some(l), ConnectionKind::Total) => format!(
                            "{} min in all, in the meeting of {} → {}",
                            c.total_seconds.unwrap_or_default() / 60,
                            j.to_rfc3339(),
                            l.to_rfc3339()
                        ),
                        (Some(j), Some(l), _) => format!("{} → {}", j.to_rfc3339(), l.to_rfc3339()),
                        (_, _, ConnectionKind::Registration) => "listed, no times".to_owned(),
                        _ => match c.total_seconds {
                            Some(s) => format!("{} min in all, no times", s / 60),
                            None => "no times".to_owned(),
                        },
                    };
                    println!("  line {}: {} {} {times} ({role})", c.at.line, c.name, c.email.as_deref().unwrap_or("-"),);
                }
                for w in &p.warnings {
                    println!("  note: {w}");
                }
            }
            Err(e) => {
                ok = false;
                println!("{e}");
            }
        }
    }
    println!("dry run: nothing was stored");
    Ok(if ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
