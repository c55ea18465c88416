//! Real exports that the samples did not cover (issue 14, items 1 to 3): Teams roles read from
//! what the report is, sessions paired within a session, and the other families swept for the
//! same class of error. Every fixture is our own (invented people), in `tests/fixtures/`.

use crate::harness;

use crate::harness::{assert_decided, person};
use crate::imported::{self, Imported};
use attest::attendance::Role;

#[test]
fn live_event_viewer_on_two_devices_is_paired_within_each_session() {
    let run = imported::fixture("live-sessions", "teams_live_event_interleaved_sessions_own.csv")
        .within("2023-03-14T10:00:00Z", "2023-03-14T12:00:00Z")
        .read_as("teams-live-event-report");
    // Chen's first session has a leave and no join: skipped, and said why.
    run.assert_skipped(6, "leave without an earlier join in its session");
    // Dara never left: closed at the latest event of the log, and said so.
    run.assert_warned(&["[14]", "closed at the last event"]);
    run.assert_people(5);
    let team = run.person("Events Team");
    assert_eq!((team.role, team.eligible), (Role::Host, false));
    assert_decided(
        &run.ds,
        &[
            // Laptop 10:00-10:20, phone 10:30-11:50 (interleaved in the file); day two is outside.
            ("Ana Duarte", 100 * 60, true),
            // Two devices overlapping: 10:05-11:00 and 10:45-11:40 count once.
            ("Bruno Keller", 95 * 60, true),
            ("Chen Wei", 45 * 60, false),
            // 11:30 to the end of the window (the log's latest event is the next day).
            ("Dara Okafor", 30 * 60, false),
        ],
    );
}

#[test]
fn teams_meeting_report_reads_presenters_as_attendees_and_staff_can_change_it() {
    let Imported { db, summary, ds, .. } = imported::fixture("planning", "teams_meeting_everyone_presenter_own.csv")
        .within("2023-03-14T14:00:00Z", "2023-03-14T15:00:00Z")
        .read_as("teams-attendance-report");
    let reading = summary.presenters.as_deref().expect("the report says how Presenter was read");
    assert!(reading.contains("meeting") && reading.contains("Presenter read as attendee"), "{reading}");
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
        // Teams writes "Sara Cohen (Guest)": the tag is not printed on her certificate.
        ("Sara Cohen", 50 * 60, true),
        ("tom.reed@example.org", 40 * 60, false),
    ];
    for (who, seconds, eligible) in expected {
        let p = person(&ds, who);
        assert_eq!((p.role, p.attended_seconds, p.eligible), (Role::Attendee, seconds, eligible), "{who}");
    }
    assert_eq!(ds.iter().filter(|d| d.eligible).count(), 4);

    // Staff say presenters were chosen in this meeting: they become panelists, not eligible.
    let ev =
        attest::store::events::set_teams_presenters(&db.conn, "planning", "panelist", "cli", harness::now()).unwrap();
    let ds = db.decisions(&ev);
    assert_eq!(person(&ds, "jonas.berg@example.org").role, Role::Panelist);
    assert_eq!(ds.iter().filter(|d| d.eligible).count(), 0);
    // And back to the report's own reading.
    let ev = attest::store::events::set_teams_presenters(&db.conn, "planning", "auto", "cli", harness::now()).unwrap();
    assert_eq!(db.decisions(&ev).iter().filter(|d| d.eligible).count(), 4);
    assert!(
        attest::store::events::set_teams_presenters(&db.conn, "planning", "everyone", "cli", harness::now()).is_err()
    );
}

#[test]
fn teams_webinar_report_keeps_presenters_as_panelists() {
    let run = imported::fixture("webinar-presenters", "teams_webinar_attendance_utf16le_own.csv").run();
    let reading = run.summary.presenters.unwrap();
    assert!(reading.contains("webinar") && reading.contains("Presenter read as panelist"), "{reading}");
}

#[test]
fn teams_report_with_a_join_and_no_leave_ends_it_at_the_meeting_end() {
    // Sweep (item 3): a connection still open when the report was taken refused the whole file
    // ("missing leave time"), as a Live Event's did; it now ends at the summary's end time.
    let run = imported::fixture("budget", "teams_meeting_still_connected_own.csv")
        .within("2023-03-14T09:00:00Z", "2023-03-14T10:00:00Z")
        .run();
    run.assert_warned(&["[19]", "no leave"]);
    // 09:05-09:20, then 09:22 to the meeting's end at 10:00.
    assert_eq!(run.verdict("yusuf.demir@example.org"), (Role::Attendee, 15 * 60 + 38 * 60, true));
    let eva = run.person("eva.novak@example.org");
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
    // The installation first: `event create` makes no database.
    run(&["migrate"]);
    #[rustfmt::skip]
    run(&["event", "create", "planning", "--title", "Planning", "--starts", "2023-03-14T14:00", "--ends", "2023-03-14T15:00",
          "--teams-presenters", "panelist"]);
    run(&["import", "planning", fixture.to_str().unwrap()]);
    let eligible = || {
        let conn = harness::open_db(std::path::Path::new(db));
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

#[test]
fn teams_2020_log_pairs_in_time_order_and_counts_two_devices_from_the_first_join() {
    // Sweep (item 3, case a): the 2020 list has no session column. `Joined, Joined, Left, Left`
    // (two devices) dropped the first join; a list re-sorted by action refused the whole file.
    let run = imported::fixture("log-devices", "teams_2020_event_log_devices_own.csv")
        .within("2020-11-17T09:00:00Z", "2020-11-17T10:40:00Z")
        .read_as("teams-attendance-event-log");
    assert_eq!(run.summary.date_order, Some("dmy"));
    // Rossi's first join (line 6) is never left before his next join (line 7).
    run.assert_warned(&["[6]", "next join"]);
    // Dubois is still connected at the end: closed at the log's latest event, 10:40.
    run.assert_warned(&["[15]", "closed at the last event"]);
    // Silva's leave written twice: the second counts nothing, and says so.
    run.assert_skipped(18, "leave without an earlier join");
    run.assert_skipped(11, "paired with the join on line 9");
    run.assert_people(5);
    // Laptop 09:00-09:50 and phone 09:20-10:40: one interval, 09:00-10:40.
    assert_eq!(run.verdict("Keller Anna"), (Role::Attendee, 100 * 60, true));
    // The log has no email: two people sharing a name would look the same, so staff look.
    let keller = &run.person("Keller Anna").review;
    assert!(
        keller.iter().any(|r| r.contains("overlap in time") && r.contains(":2 and ") && r.contains(":3")),
        "{keller:?}"
    );
    // 09:00 until the reconnect at 09:40, then 09:40-10:30; sent to review.
    assert_eq!(run.verdict("Rossi Marco"), (Role::Attendee, 90 * 60, true));
    let rossi = &run.person("Rossi Marco").review;
    assert!(rossi.iter().any(|r| r.contains(":6:") && r.contains("next join (line 7)")), "{rossi:?}");
    run.assert_verdicts(&[
        // Joined 09:00, 09:06; Left 09:05, 10:40 (sorted by action): 09:00-09:05 and 09:06-10:40.
        ("Nowak Ewa", Role::Attendee, 99 * 60, true),
        // 09:10-09:20, then 09:25 to the log's latest event, 10:40.
        ("Dubois Léa", Role::Attendee, 85 * 60, true),
        ("Silva João", Role::Attendee, 30 * 60, false),
    ]);
}

#[test]
fn zoom_webinar_attendee_promoted_to_panelist_keeps_the_role_held_longest() {
    // Sweep (item 3, case b): promoted to panelist for a question, Mario became a panelist for
    // the whole webinar, so not eligible. The role held longest now decides; all time counts.
    let run = imported::fixture("promoted", "webinar_attendee_promoted_panelist_own.csv")
        .within("2020-07-20T15:00:00Z", "2020-07-20T16:40:00Z")
        .read_as("zoom-webinar-attendee-report");
    run.assert_people(6);
    run.assert_verdicts(&[
        ("secretariat@example.org", Role::Host, 100 * 60, false),
        // A speaker who also registered (Attended = No in the attendee section): a panelist.
        ("nadia.haddad@example.org", Role::Panelist, 100 * 60, false),
        // Attendee 15:00-16:05 and 16:20-16:40, panelist 16:05-16:20.
        ("mario.vega@example.cr", Role::Attendee, 100 * 60, true),
        // A rejoin logged 30 s before the old row closed: 15:00-16:30 once.
        ("amara.diallo@example.sn", Role::Attendee, 90 * 60, true),
        ("kofi.mensah@example.gh", Role::Attendee, 0, false),
    ]);
    assert!(!run.person("nadia.haddad@example.org").reason.contains("moved between roles"));
    let mario = run.person("mario.vega@example.cr");
    assert!(
        mario.reason.contains("attendee for 85 min, panelist for 15 min; read as attendee, the role held longest"),
        "{}",
        mario.reason
    );
    // A panelist for part of the session: possibly a speaker, for staff to look at.
    assert_eq!(mario.review.len(), 1, "{:?}", mario.review);
    assert!(mario.review[0].ends_with("if this person was one of the speakers, override (not eligible)"));
    // A speaker who came in through the attendee link: 3 min as attendee in the window, 97 as
    // panelist. A panelist, sent to review since the role decides eligibility.
    let tomas = run.person("tomas.ruiz@example.org");
    assert_eq!(run.verdict("tomas.ruiz@example.org"), (Role::Panelist, 100 * 60, false));
    assert!(tomas.reason.contains("attendee for 3 min, panelist for 97 min; read as panelist"), "{}", tomas.reason);
    assert!(tomas.review.iter().any(|r| r.contains("not eligible as a panelist")), "{:?}", tomas.review);
}

#[test]
fn teams_webinar_attendee_made_presenter_for_a_question_stays_an_attendee() {
    // The same case in a Teams webinar, whose Presenter reads as panelist: the role changes
    // between the In-Meeting Activities rows of one person.
    let run = imported::fixture("apac", "teams_webinar_role_change_own.csv")
        .within("2021-12-13T09:00:00Z", "2021-12-13T10:40:00Z")
        .read_as("teams-attendance-report");
    assert!(run.summary.presenters.as_deref().unwrap().contains("Presenter read as panelist"));
    assert_eq!(run.summary.date_order, Some("mdy"));
    run.assert_people(4);
    run.assert_verdicts(&[
        ("apac@example.org", Role::Host, 100 * 60, false),
        ("lin.wei@example.org", Role::Panelist, 100 * 60, false),
        ("s.tupou@parliament.example.to", Role::Attendee, 75 * 60, true),
    ]);
    let rangi = run.person("rangi.parata@parliament.example.nz");
    assert_eq!(
        (rangi.name.as_str(), rangi.role, rangi.attended_seconds, rangi.eligible),
        ("Rangi Parata", Role::Attendee, 100 * 60, true)
    );
    assert!(rangi.reason.contains("attendee for 90 min, panelist for 10 min; read as attendee"), "{}", rangi.reason);
}

#[test]
fn zoom_meeting_rows_unsorted_on_two_devices_and_outside_the_meeting() {
    // Sweep (item 3) of the participants report with the meeting block: the host known only by
    // the block's User Email, one person's rows out of time order, a second device under the
    // device's name, a guest before the start and after the end, two guests sharing a name.
    let run = imported::fixture("regional-fr", "meeting_participants_2021_unsorted_devices_own.csv")
        .read_as("zoom-meeting-participants");
    // No event window: the meeting block's 08:00-09:40 is the window.
    run.assert_meeting("2020-07-24T08:00:00Z", "2020-07-24T09:40:00Z");
    run.assert_people(6);
    run.assert_verdicts(&[
        ("host.office@example.org", Role::Host, 100 * 60, false),
        // 09:00-09:40 listed before 08:00-08:50.
        ("awa.ndiaye@example.sn", Role::Attendee, 90 * 60, true),
        // A 20-second visit counts 20 seconds, not Zoom's rounded minute.
        ("chidi.okeke@example.ng", Role::Attendee, 69 * 60 + 20, false),
    ]);
    let ds = &run.ds;
    let jean = person(ds, "jean.mbeki@example.cd");
    assert_eq!((jean.name.as_str(), jean.attended_seconds, jean.eligible), ("Jean Mbeki", 100 * 60, true));
    assert_eq!(jean.sources.len(), 2, "the iPhone row is Jean's");
    // 07:45-08:20 and 08:25-09:50, clipped to 08:00-09:40: 20 + 75 min.
    let fatou = person(ds, "Fatou Sow");
    assert_eq!((fatou.attended_seconds, fatou.eligible), (95 * 60, true));
    assert!(fatou.reason.contains("min outside the session window not counted"), "{}", fatou.reason);
    // Two connections of one name, no email, overlapping by half an hour: counted once, and
    // sent to review (two devices or two people).
    let ali = person(ds, "Ali Hassan");
    assert_eq!((ali.attended_seconds, ali.eligible), (100 * 60, true));
    assert!(ali.review.iter().any(|r| r.contains("overlap in time") && r.contains(":12 and ")), "{:?}", ali.review);
    assert_eq!(ds.iter().filter(|d| !d.review.is_empty()).count(), 1);
}
