//! Real exports that the samples did not cover (issue 14, items 1 to 3): Teams roles read from
//! what the report is, sessions paired within a session, and the other families swept for the
//! same class of error. Every fixture is our own (invented people), in `tests/fixtures/`.

mod common;

use attest::attendance::Role;
use common::{Db, person, summary};

#[test]
fn live_event_viewer_on_two_devices_is_paired_within_each_session() {
    let mut db = Db::new();
    let ev = db.event("live-sessions", Some(("2023-03-14T10:00:00Z", "2023-03-14T12:00:00Z")));
    let out = db.import(&ev, "teams_live_event_interleaved_sessions_own.csv");
    let s = summary(&out);
    assert_eq!(s.format, "teams-live-event-report");
    // Chen's first session has a leave and no join: skipped, and said why.
    assert!(
        s.skipped.iter().any(|(l, n)| *l == 6 && n.contains("leave without an earlier join in its session")),
        "{:?}",
        s.skipped
    );
    // Dara never left: closed at the latest event of the log, and said so.
    assert!(
        s.warnings.iter().any(|w| w.contains("[14]") && w.contains("closed at the last event")),
        "{:?}",
        s.warnings
    );
    let ds = db.decisions(&ev);
    assert_eq!(ds.len(), 5, "{:?}", ds.iter().map(|d| &d.name).collect::<Vec<_>>());
    let team = person(&ds, "Events Team");
    assert_eq!((team.role, team.eligible), (Role::Host, false));
    // Laptop 10:00-10:20, phone 10:30-11:50 (interleaved in the file); day two is outside.
    let ana = person(&ds, "Ana Duarte");
    assert_eq!((ana.attended_seconds, ana.eligible), (100 * 60, true));
    // Two devices overlapping: 10:05-11:00 and 10:45-11:40 count once.
    let bruno = person(&ds, "Bruno Keller");
    assert_eq!((bruno.attended_seconds, bruno.eligible), (95 * 60, true));
    let chen = person(&ds, "Chen Wei");
    assert_eq!((chen.attended_seconds, chen.eligible), (45 * 60, false));
    // 11:30 to the end of the window (the log's latest event is the next day).
    let dara = person(&ds, "Dara Okafor");
    assert_eq!((dara.attended_seconds, dara.eligible), (30 * 60, false));
}

#[test]
fn teams_meeting_report_reads_presenters_as_attendees_and_staff_can_change_it() {
    let mut db = Db::new();
    let ev = db.event("planning", Some(("2023-03-14T14:00:00Z", "2023-03-14T15:00:00Z")));
    let out = db.import(&ev, "teams_meeting_everyone_presenter_own.csv");
    let s = summary(&out);
    assert_eq!(s.format, "teams-attendance-report");
    let reading = s.presenters.as_deref().expect("the report says how Presenter was read");
    assert!(reading.contains("meeting") && reading.contains("Presenter read as attendee"), "{reading}");
    let ds = db.decisions(&ev);
    assert_eq!(ds.len(), 7);
    let ines = person(&ds, "ines.moreau@example.org");
    assert_eq!((ines.role, ines.eligible), (Role::Host, false));
    // (email or name, seconds in the 14:00-15:00 window, eligible at 75 % = 45 min)
    let expected = [
        ("jonas.berg@example.org", 59 * 60 + 55, true),
        // 14:02-14:30 and 14:35:30-15:01 clipped at 15:00.
        ("ada.okoro@example.org", 28 * 60 + 24 * 60 + 30, true),
        ("li.na@partner.example", 30 * 60, false),
        ("pedro.alves@example.org", 50 * 60, true),
        ("Sara Cohen (Guest)", 50 * 60, true),
        ("tom.reed@example.org", 40 * 60, false),
    ];
    for (who, seconds, eligible) in expected {
        let p = person(&ds, who);
        assert_eq!((p.role, p.attended_seconds, p.eligible), (Role::Attendee, seconds, eligible), "{who}");
    }
    assert_eq!(ds.iter().filter(|d| d.eligible).count(), 4);

    // Staff say presenters were chosen in this meeting: they become panelists, not eligible.
    let ev =
        attest::store::events::set_teams_presenters(&db.conn, "planning", "panelist", "cli", common::now()).unwrap();
    let ds = db.decisions(&ev);
    assert_eq!(person(&ds, "jonas.berg@example.org").role, Role::Panelist);
    assert_eq!(ds.iter().filter(|d| d.eligible).count(), 0);
    // And back to the report's own reading.
    let ev = attest::store::events::set_teams_presenters(&db.conn, "planning", "auto", "cli", common::now()).unwrap();
    assert_eq!(db.decisions(&ev).iter().filter(|d| d.eligible).count(), 4);
    assert!(
        attest::store::events::set_teams_presenters(&db.conn, "planning", "everyone", "cli", common::now()).is_err()
    );
}

#[test]
fn teams_webinar_report_keeps_presenters_as_panelists() {
    let mut db = Db::new();
    let ev = db.event("webinar-presenters", None);
    let out = db.import_with(&ev, "teams_webinar_attendance_utf16le_own.csv", None, None).unwrap();
    let reading = summary(&out).presenters.clone().unwrap();
    assert!(reading.contains("webinar") && reading.contains("Presenter read as panelist"), "{reading}");
}

#[test]
fn teams_report_with_a_join_and_no_leave_ends_it_at_the_meeting_end() {
    // Sweep (item 3): a connection still open when the report was taken refused the whole file
    // ("missing leave time"), as a Live Event's did; it now ends at the summary's end time.
    let mut db = Db::new();
    let ev = db.event("budget", Some(("2023-03-14T09:00:00Z", "2023-03-14T10:00:00Z")));
    let out = db.import(&ev, "teams_meeting_still_connected_own.csv");
    let s = summary(&out);
    assert!(s.warnings.iter().any(|w| w.contains("[19]") && w.contains("no leave")), "{:?}", s.warnings);
    let ds = db.decisions(&ev);
    // 09:05-09:20, then 09:22 to the meeting's end at 10:00.
    let yusuf = person(&ds, "yusuf.demir@example.org");
    assert_eq!((yusuf.role, yusuf.attended_seconds, yusuf.eligible), (Role::Attendee, 15 * 60 + 38 * 60, true));
    let eva = person(&ds, "eva.novak@example.org");
    assert_eq!((eva.attended_seconds, eva.eligible), (30 * 60, false));
}

/// The command line, run in-process: `event create --teams-presenters` and `event set` store the
/// reading, and the decisions follow. (In-process rather than through `CARGO_BIN_EXE_attest`: that
/// path is one file in a target directory shared by several worktrees, so another checkout's
/// binary can be found there.)
#[test]
fn cli_event_create_and_set_change_the_presenter_reading() {
    use clap::Parser;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("attest.sqlite3");
    let db = db.to_str().unwrap();
    let run = |args: &[&str]| {
        let cli = attest::cli::Cli::try_parse_from([&["attest", "--db", db][..], args].concat()).unwrap();
        attest::cli::run(cli).unwrap()
    };
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/teams_meeting_everyone_presenter_own.csv");
    #[rustfmt::skip]
    run(&["event", "create", "planning", "--title", "Planning", "--starts", "2023-03-14T14:00", "--ends", "2023-03-14T15:00",
          "--teams-presenters", "panelist"]);
    run(&["import", "planning", fixture.to_str().unwrap()]);
    let eligible = || {
        let conn = attest::store::open(std::path::Path::new(db)).unwrap();
        let ev = attest::store::events::get(&conn, "planning").unwrap();
        (
            ev.teams_presenters.clone(),
            attest::store::people::decisions(&conn, &ev).unwrap().iter().filter(|d| d.eligible).count(),
        )
    };
    assert_eq!(eligible(), ("panelist".to_owned(), 0));
    run(&["event", "set", "planning", "--teams-presenters", "auto"]);
    assert_eq!(eligible(), ("auto".to_owned(), 4));
    assert!(
        attest::cli::Cli::try_parse_from(["attest", "event", "set", "planning", "--teams-presenters", "all"]).is_err()
    );
}
