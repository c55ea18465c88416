//! Every sample export imported end to end: people counts and exact attended seconds of named
//! people, worked out by hand from the rows (the comments show the arithmetic).

use crate::harness;

use crate::harness::{Db, assert_attended, person, summary};
use crate::imported;
use attest::attendance::Role;
use attest::import::dates::DateOrder;
use attest::store::StoreError;

#[test]
fn zoom_2021_participants_merges_reconnects_and_overlapping_devices() {
    let run = imported::fixture("heroes", "meeting_participants_2021_reconnects.csv").run();
    assert_eq!(run.summary.format, "zoom-meeting-participants");
    assert_eq!(run.summary.connections, 31);
    // 31 rows, 27 distinct emails.
    run.assert_people(27);
    run.assert_attended(&[
        // Power Girl: 10:08:26-12:01:58 and 10:11:31-12:01:58 (a second device) = 1:53:32.
        ("power-girl_kryptonian@dc.com", 6812),
        // Swarm: 10:14:30-10:24:26 and 10:24:12-12:01:58 overlap by 14 s: 10:14:30-12:01:58 = 1:47:28.
        ("swarm_mutant@marvel.com", 6448),
        // Cyborg Superman: 10:08:32-11:00:13 (51:41) + 11:28:11-12:01:58 (33:47) = 85:28.
        ("cyborg-superman_cyborg@dc.com", 5128),
        // Dazzler: 11:01:02-11:02:35 (93 s) + 11:02:46-11:29:38 (26:52) = 1705 s, not the 29 minutes of the Duration column.
        ("dazzler_mutant@marvel.com", 1705),
        // Winter Soldier: a 20-second visit that Zoom shows as 1 minute.
        ("winter-soldier_human@marvel.com", 20),
    ]);
    // No window known: not clipped. Loki 09:54:15-12:01:59 = 2:07:44.
    let loki = run.person("loki_asgardian@marvel.com");
    assert_eq!(loki.attended_seconds, 7664);
    // `015_Loki (Loki Laufeyson)`: the fuller of the two names Zoom gives, the account's.
    assert_eq!(loki.name, "Loki Laufeyson");
    assert!(!loki.eligible && loki.reason.contains("window is unknown"));
    assert_eq!(loki.sources.len(), 1);
    assert_eq!(loki.sources[0].line, 2);
}

#[test]
fn event_window_clips_joins_before_start_and_leaves_after_end() {
    let run = imported::fixture("heroes", "meeting_participants_2021_reconnects.csv")
        .within("2021-11-19T10:00:00Z", "2021-11-19T12:00:00Z")
        .run();
    // Loki 09:54:15-12:01:59 clipped to 10:00-12:00: the whole 120 minutes.
    let loki = run.person("loki_asgardian@marvel.com");
    assert_eq!(loki.attended_seconds, 7200);
    assert!(loki.eligible);
    assert!(loki.reason.starts_with("attended 120 of 120 minutes (100 %); rule: at least 75 %"), "{}", loki.reason);
    // Magus 10:44:03-12:01:59 clipped at 12:00:00 = 1:15:57 = 4557 s, 63 %: not eligible.
    let magus = run.person("magus_unknown@marvel.com");
    assert_eq!(magus.attended_seconds, 4557);
    assert!(!magus.eligible);
}

#[test]
fn zoom_2025_dialin_waiting_room_noon_crossing_and_guest_reconnect() {
    let run = imported::fixture("dialin", "meeting_participants_2025_dialin.synthetic.csv").run();
    // Window from the meeting block: 11:27:41 AM - 01:08:12 PM (12-hour clock across noon).
    run.assert_meeting("2025-03-20T11:27:41Z", "2025-03-20T13:08:12Z");
    run.assert_people(7);
    // Host recognised by the meeting block's host email.
    let host = run.person("help.secretariat@example.org");
    assert_eq!(host.role, Role::Host);
    assert!(!host.eligible);
    // Marie: waiting room 11:28:02-11:30:30 excluded; admitted 11:30:30-13:08:12 = 1:37:42.
    let marie = run.person("marie.dupont@example.fr");
    assert_eq!(marie.attended_seconds, 5862);
    assert_eq!(marie.name, "Dupont, Marie");
    assert!(marie.reason.contains("148 s in the waiting room"));
    // Łukasz (no email): 11:29:44-12:14:19 and 12:14:05-13:08:12 overlap: 11:29:44-13:08:12 = 1:38:28.
    let lukasz = run.person("Łukasz Zieliński");
    assert_eq!(lukasz.attended_seconds, 5908);
    assert_eq!(lukasz.email, None);
    assert_eq!(lukasz.sources.len(), 2);
    run.assert_attended(&[
        // Jānis: a 20-second visit.
        ("Jānis Bērziņš", 20),
        // Dial-in named by phone number: 11:40-12:30 = 50 min.
        ("+33 1 23 45 67 89", 3000),
        // Sofia: 11:55:00-12:01:30 across nothing special = 390 s.
        ("sofia.esposito@example.it", 390),
    ]);
}

#[test]
fn zoom_2025_history_export_with_waiting_room_rows() {
    let run = imported::fixture("latam", "meeting_history_2025_waiting_room_own.csv").run();
    assert!(run.summary.variant.starts_with("2024/25"));
    run.assert_people(4);
    run.assert_attended(&[
        // Lucía: waiting 10:59:40-11:01:05, admitted 11:01:05-12:44:59 = 1:43:54.
        ("101_Lucía Fernández", 6234),
        // Mateo: 11:00:00-11:59:30 (59:30) + 12:05:00 PM-12:45:02 PM (40:02) = 99:32.
        ("mateo.rojas@example.cl", 5972),
        // Camila only waited: 0 s.
        ("102_Camila Torres", 0),
    ]);
    // Host given as "Name (email)" in the meeting block.
    assert_eq!(run.person("secretariat@example.org").role, Role::Host);
}

#[test]
fn webinar_attendee_report_sections_registrations_and_no_shows() {
    let run = imported::fixture("echr", "webinar_attendee_report_multilingual.synthetic.csv")
        .read_as("zoom-webinar-attendee-report");
    // Actual Start Time 9:58 AM + Actual Duration 104 minutes.
    run.assert_meeting("2025-03-14T09:58:00Z", "2025-03-14T11:42:00Z");
    // 1 host + 2 panelists + 10 registrants (2 no-shows).
    let with_role = |role| run.ds.iter().filter(|d| d.role == role).count();
    assert_eq!((with_role(Role::Host), with_role(Role::Panelist), with_role(Role::Attendee)), (1, 2, 10));
    // Greek attendee: 10:00:02-11:41:39 and an iPhone 10:20:11-10:35:48 nested inside = 1:41:37.
    let alex = run.person("a.papadopoulos@example.gr");
    assert_eq!(alex.attended_seconds, 6097);
    assert_eq!(alex.name, "Αλέξανδρος Παπαδόπουλος");
    assert!(alex.eligible);
    // Olga: 10:02:05-10:40:17 (38:12) + 10:47:30-11:41:40 (54:10) = 92:22.
    assert_eq!(run.person("olga.petrova@example.ua").attended_seconds, 5542);
    // Renamed "Ayşe Y. (Ayşe Yılmaz)": the registration name is printed. 09:59:58-11:41:40 = 1:41:42.
    let ayse = run.person("ayse.yilmaz@example.com.tr");
    assert_eq!(ayse.name, "Ayşe Yılmaz");
    assert_eq!(ayse.attended_seconds, 6102);
    // Panelist with a 3-second gap: 09:59:10-10:30:12 (31:02) + 10:30:15-11:41:40 (71:25) = 102:27, not eligible as panelist.
    let ana = run.person("ana.ruiz@example.es");
    assert_eq!((ana.attended_seconds, ana.role, ana.eligible), (6147, Role::Panelist, false));
    // Email case differences collapse: Jose.Nunez@Example.ES. 11:20:03-11:41:40 = 21:37.
    assert_eq!(run.person("jose.nunez@example.es").attended_seconds, 1297);
    // No-shows ("--") are listed with 0 seconds.
    let hans = run.person("hj.mueller@example.de");
    assert_eq!((hans.attended_seconds, hans.eligible, hans.name.as_str()), (0, false, "Hans-Jürgen Müller"));
    assert!(hans.reason.starts_with("registered but did not join"));
    assert_eq!(run.person("siobhan.obriain@example.ie").name, "Siobhán Ó Briain");
    // Arabic, Georgian, Armenian names kept intact.
    assert_eq!(run.person("m.alaoui@example.ma").name, "محمد العلوي");
    run.assert_attended(&[
        ("nino.beridze@example.ge", 5760),   // 10:05:40-11:41:40
        ("aram.petrosyan@example.am", 3477), // 10:00:05-10:58:02
    ]);
}

#[test]
fn spanish_semicolon_cp1252_excel_resave() {
    let run = imported::fixture("es", "meeting_participants_es_semicolon_cp1252.synthetic.csv").run();
    let s = &run.summary;
    assert_eq!((s.encoding, s.delimiter.as_str(), s.date_order), ("windows-1252", ";", Some("dmy")));
    run.assert_people(3);
    // María José: 10:00-11:41 = 101 min.
    assert_eq!(run.person("mj.fernandez@example.es").name, "María José Fernández");
    run.assert_attended(&[
        ("mj.fernandez@example.es", 6060),
        // "Peña, Iñigo", no email: 10:03-10:51 (48) + 10:55-11:41 (46) = 94 min.
        ("Peña, Iñigo", 5640),
    ]);
    assert_eq!(run.person("joao.c@example.pt").name, "João Conceição");
}

#[test]
fn french_headers_with_typographic_apostrophes() {
    let run = imported::fixture("fr", "meeting_participants_fr_headers.synthetic.csv").run();
    assert_eq!(run.summary.date_order, Some("dmy"));
    run.assert_people(2);
    run.assert_attended(&[
        // 10:00:12-11:41:40 = 1:41:28.
        ("g.levesque@example.fr", 6088),
        // Noël: waiting room ("Salle d'attente" = Oui) 09:58:40-10:00:05 excluded; 10:00:05-11:41:40 = 1:41:35.
        ("Noël Kouassi", 6095),
    ]);
}

#[test]
fn unique_users_total_minutes_are_accepted_but_not_clipped() {
    let run = imported::fixture("reunion", "meeting_unique_users_2020_bom_crlf.csv").run();
    assert_eq!(run.summary.format, "zoom-unique-users");
    assert_eq!(run.summary.meeting_id.as_deref(), Some("00000000001"), "leading zeros kept");
    run.assert_people(10);
    // Host by the meeting block's User Email.
    assert_eq!(run.person("knightap@wustl.edu").role, Role::Host);
    let george = run.person("george.harrison@gmail.com");
    assert_eq!(george.attended_seconds, 72 * 60);
    assert!(george.reason.contains("not clipped"));
    // Window 11:35:16-12:49:20 = 74:04; 54 min is 72 %.
    assert!(!run.person("pete@bigregrets.edu").eligible);
    assert_eq!(run.person("ringorocks@beatles.org").name, "Ringo Starr");
}

#[test]
fn unique_users_with_only_ambiguous_dates_need_a_date_order() {
    for file in ["meeting_unique_users_2020_quoted_topic.csv", "meeting_unique_users_2020_missing_emails.csv"] {
        let (mut db, ev, err) = imported::refused("lecture", file);
        assert!(matches!(err, StoreError::Import(attest::import::ImportError::DateOrderUndecided { .. })), "{err}");
        assert!(err.to_string().contains("--date-order"));
        db.import_with(&ev, file, Some(DateOrder::Mdy), None).unwrap();
        let ds = db.decisions(&ev);
        if file.contains("missing_emails") {
            // The guest "Andrew" without email matches exactly one known "Andrew" (sbell@…): merged, and said so.
            assert_eq!(ds.len(), 29);
            let andrew = person(&ds, "sbell@freeman.com");
            // 19 and 52 min in a list of totals, which does not say whether they overlap: the
            // longest counts (the least they allow, 74 % of the session's 70 min 7 s), and since
            // their sum would make him eligible, staff look (they were added up, with no review).
            assert_eq!((andrew.attended_seconds, andrew.eligible), (52 * 60, false));
            assert_eq!(
                andrew.review,
                ["attended between 52 and 70 min: the file lists this person in several rows (two devices, or two \
                     people of one name) whose totals may overlap; counted the longest, so not eligible: override if \
                     they did not overlap"]
            );
            assert!(andrew.reason.contains("matched to this person by name"), "{}", andrew.reason);
        } else {
            assert_eq!(ds.len(), 30);
        }
        // Aaron Harrison: 0 minutes.
        assert_attended(&ds, &[("sclark@hotmail.com", 0), ("jonathan98@hotmail.com", 57 * 60)]);
    }
}

#[test]
fn active_hosts_file_needs_the_meeting_chosen() {
    // The event title matches no topic and there is no window: the importer asks.
    let (mut db, ev, err) = imported::refused("ah", "active_hosts_details_own.csv");
    assert!(err.to_string().contains("choose one with --meeting"), "{err}");
    assert!(err.to_string().contains("912 3456 7801"));
    // Chosen by ID (spaces ignored).
    let s = db.import_with(&ev, "active_hosts_details_own.csv", None, Some("91234567801")).unwrap();
    assert_eq!(summary(&s).meeting_start.as_deref(), Some("2020-06-24T08:58:10Z"));
    let ds = db.decisions(&ev);
    assert_eq!(ds.len(), 3);
    // "(Host)" suffix and the host email: host.
    assert_eq!(person(&ds, "cproc@example.org").role, Role::Host);
    // 09:00:05-10:45:30 = 1:45:25 inside the window 08:58:10-10:45:30.
    assert_attended(&ds, &[("c.ibasco@example.ph", 6325), ("Robert FRANK", 38 * 60)]);
    // Rows of the other meeting are stored as skipped, not lost.
    let skipped: i64 =
        db.conn.row_for_tests("SELECT count(*) FROM raw_rows WHERE kind = 'skipped'", (), |r| r.get(0)).unwrap();
    assert_eq!(skipped, 3);
}

#[test]
fn active_hosts_meeting_chosen_by_event_window() {
    let run = imported::fixture("ah2", "active_hosts_details_own.csv")
        .within("2020-07-07T10:00:00Z", "2020-07-07T11:40:00Z")
        .run();
    // Aminata: 10:01:10-10:30:10 and 10:29:50-11:45:00 overlap; clipped to 11:40: 10:01:10-11:40:00 = 98:50.
    assert_eq!(run.verdict("a.diallo@example.sn"), (Role::Attendee, 5930, true));
}

/// An Active Hosts export of two meetings the event's window covers alike: the seminar, restarted
/// (two instances of one ID, 98 minutes of the window between them), and a parallel course of
/// exactly the window. The course was taken, by two minutes, and its attendee made eligible for
/// the seminar. Now the topic that is the event's title decides, and without one attest asks.
#[test]
fn active_hosts_meetings_the_window_covers_alike_are_told_apart_by_title_or_asked() {
    let head = "Topic,Meeting ID,User Name,User Email,Start Time,End Time,Duration (Minutes),Participants,\
        Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes)\n";
    let seminar = |topic: &str| {
        format!(
            "{topic},845 1111 2222,Secretariat,help@coe.int,03/14/2025 09:58:00,03/14/2025 10:35:00,37,2,Petra Novak,p.novak@mp.gov.si,03/14/2025 10:00:00,03/14/2025 10:35:00,35\n\
             {topic},845 1111 2222,Secretariat,help@coe.int,03/14/2025 10:37:00,03/14/2025 11:42:00,65,2,Petra Novak,p.novak@mp.gov.si,03/14/2025 10:37:00,03/14/2025 11:40:00,63\n\
             Other course,845 3333 4444,Secretariat,help@coe.int,03/14/2025 10:00:00,03/14/2025 11:40:00,100,2,Zed Outsider,z.out@example.com,03/14/2025 10:00:00,03/14/2025 11:40:00,100\n"
        )
    };
    let window = crate::harness::SEMINAR;
    let mut db = Db::new();
    let ev = db.event("par", window);
    db.import_bytes(&ev, "active_hosts.csv", format!("{head}{}", seminar("Event par")).as_bytes(), None, None).unwrap();
    let ds = db.decisions(&ev);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_attended(&ds, &[("p.novak@mp.gov.si", 98 * 60)]);
    let untitled = db.event("par2", window);
    let text = format!("{head}{}", seminar("HELP seminar"));
    let err = db.import_bytes(&untitled, "active_hosts.csv", text.as_bytes(), None, None).unwrap_err();
    assert!(err.to_string().contains("choose one with --meeting"), "{err}");
}

#[test]
fn legacy_dashboard_time_only_rows_are_dated_from_the_header() {
    let run = imported::fixture("dash", "dashboard_meeting_participants_2017.csv").run();
    // "Aug 01, 2017 04:53 PM" and a time-only End Time "05:59 PM".
    run.assert_meeting("2017-08-01T16:53:00Z", "2017-08-01T17:59:00Z");
    run.assert_people(13);
    // Host named in the block (no emails in rows).
    assert_eq!(run.person("Bart Simpson").role, Role::Host);
    run.assert_attended(&[
        // SpongeBob: 04:53-05:02 (9) + 05:05-05:58 (53) = 62 min.
        ("SpongeBob", 62 * 60),
        // archer: 05:00-05:00 (0), 05:02-05:59 (57), and 06:00 AM-06:03 AM (next morning, outside the window).
        ("archer", 57 * 60),
    ]);
}

#[test]
fn excel_resaved_report_needs_a_date_order_and_has_no_seconds() {
    let (mut db, ev, err) = imported::refused("xl", "meeting_report_excel_resaved_own.csv");
    assert!(err.to_string().contains("\"3/4/2022 10:02\""), "{err}");
    db.import_with(&ev, "meeting_report_excel_resaved_own.csv", Some(DateOrder::Mdy), None).unwrap();
    let ds = db.decisions(&ev);
    assert_eq!(ds.len(), 5);
    assert_attended(
        &ds,
        &[
            // erik: 10:05-10:40 and 10:38-11:41 overlap: 10:05-11:41 = 96 min.
            ("erik siqueira", 96 * 60),
            // kofi: 10:00-10:00 (0) + 10:03-12:15 = 132 min.
            ("kofi mensah", 132 * 60),
        ],
    );
    assert_eq!(person(&ds, "ana \"anita\" lopez").attended_seconds, 600);
    // Read as day-first the same file is 3 April: the order matters and is recorded.
    let mut db2 = Db::new();
    let ev2 = db2.event("xl", None);
    let s = db2.import_with(&ev2, "meeting_report_excel_resaved_own.csv", Some(DateOrder::Dmy), None).unwrap();
    assert_eq!(summary(&s).date_order, Some("dmy"));
    let start: String = db2.conn.row_for_tests("SELECT min(join_at) FROM connections", (), |r| r.get(0)).unwrap();
    assert_eq!(start, "2022-04-03T10:00:00Z");
}

#[test]
fn teams_webinar_report_utf16_with_registration_matching() {
    let run = imported::fixture("caribbean", "teams_webinar_attendance_utf16le_own.csv").run();
    let s = &run.summary;
    assert_eq!((s.format, s.encoding, s.delimiter.as_str()), ("teams-attendance-report", "utf-16le", "tab"));
    assert_eq!(s.meeting_start.as_deref(), Some("2021-09-28T14:00:05Z"));
    assert_eq!(s.skipped.len(), 1, "the empty-join duplicate of a leave event");
    run.assert_people(3);
    assert_eq!(run.person("pga@example.org").role, Role::Host);
    // Jean Baptiste signs in as jbaptiste@parl… but registered as jean.baptiste@…: one person,
    // named from the registration. 2:01:00-3:39:00 PM = 98 min.
    let jean = run.person("jean.baptiste@example.ht");
    assert_eq!((jean.name.as_str(), jean.attended_seconds), ("Jean Baptiste", 98 * 60));
    // Keisha: 2:05:30-2:48:00 PM (42:30) + her guest rejoin 3:10-3:30 PM (20:00) = 62:30.
    assert_eq!(run.person("keisha.brown@example.jm").attended_seconds, 3750);
}

#[test]
fn teams_event_log_is_refused_without_date_order_and_paired_with_it() {
    let file = "teams_meeting_attendance_2020_event_log.csv";
    let (mut db, ev, err) = imported::refused("klasse", file);
    assert!(err.to_string().contains("11/12/2020, 12:27:24"), "{err}");
    db.import_with(&ev, file, Some(DateOrder::Dmy), None).unwrap();
    let ds = db.decisions(&ev);
    assert_eq!(ds.len(), 5);
    // Mustermann Max: 12:27:24-12:45:18 (17:54) + 13:45:41-13:56:48 (11:07) + 15:42:10-15:42:48 (0:38) + 15:53:25-15:59:01 (5:36) = 35:15.
    assert_eq!(person(&ds, "Mustermann Max").attended_seconds, 2115);
    let start: String = db.conn.row_for_tests("SELECT min(join_at) FROM connections", (), |r| r.get(0)).unwrap();
    assert_eq!(start, "2020-12-11T12:27:24Z");
}

#[test]
fn reimporting_the_same_bytes_changes_nothing() {
    let (mut db, ev, _) = Db::with_fixture("again", None, "meeting_participants_2021_reconnects.csv");
    let before = db.counts();
    let again = db.import(&ev, "meeting_participants_2021_reconnects.csv");
    assert!(matches!(again[0], attest::store::imports::Outcome::AlreadyImported { .. }));
    assert_eq!(db.counts(), before);
    assert_eq!(db.decisions(&ev).len(), 27);
}

/// The same bytes imported again with another zone: the first import's note says to import the
/// file again with `--tz`, and doing so was refused as "already imported", everyone left at 0 s
/// with no way out but a new event. A different reading replaces the earlier one, and says so;
/// the same reading again still changes nothing.
#[test]
fn reimporting_the_same_bytes_read_in_another_zone_replaces_the_first_reading() {
    let text = "Name,Email,Join time,Leave time\n\
        Bruno Costa,bruno@example.org,03/14/2025 04:00:00 AM,03/14/2025 05:35:00 AM\n";
    let mut db = Db::new();
    let ev = db.event("ny", Some(("2025-03-14T09:00:00Z", "2025-03-14T10:40:00Z")));
    db.import_opts(&ev, "room.csv", text.as_bytes(), |_| {}).unwrap();
    assert_eq!(person(&db.decisions(&ev), "bruno@example.org").attended_seconds, 0);
    let ny = |o: &mut attest::import::ImportOptions| o.tz = chrono_tz::America::New_York;
    let again = db.import_opts(&ev, "room.csv", text.as_bytes(), ny).unwrap();
    let warnings = crate::harness::summary(&again).warnings.join("\n");
    assert!(warnings.contains("and read differently now: this reading replaces that one"), "{warnings}");
    // 04:00–05:35 in New York (UTC-4 on 14 March) is 08:00–09:35 UTC: 35 minutes in the window.
    assert_eq!(person(&db.decisions(&ev), "bruno@example.org").attended_seconds, 2100);
    let uploads: i64 = db.conn.row_for_tests("SELECT count(*) FROM uploads", (), |r| r.get(0)).unwrap();
    assert_eq!(uploads, 1);
    let third = db.import_opts(&ev, "room.csv", text.as_bytes(), ny).unwrap();
    assert!(matches!(third[0], attest::store::imports::Outcome::AlreadyImported { .. }));
}

#[test]
fn two_files_of_a_restarted_meeting_are_merged() {
    let mut db = Db::new();
    let ev = db.event("restart", None);
    // The Teams webinar and a second "instance": the same people in another file.
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let first = person(&db.decisions(&ev), "olga.petrova@example.ua").attended_seconds;
    let second = String::from_utf8(harness::fixture("webinar_attendee_report_multilingual.synthetic.csv"))
        .unwrap()
        .replace("11:41:40", "11:50:00")
        .replace("Mar 14, 2025 9:58 AM\",104", "Mar 14, 2025 9:58 AM\",112");
    db.import_bytes(&ev, "second.csv", second.as_bytes(), None, None).unwrap();
    let ds = db.decisions(&ev);
    assert_eq!(ds.len(), 13);
    let olga = person(&ds, "olga.petrova@example.ua");
    // Union of both files: the second extends the last session to 11:50:00 (window now to 11:50).
    assert_eq!(olga.attended_seconds, first + 500);
    assert_eq!(olga.sources.len(), 4);
}

#[test]
fn raw_rows_and_original_bytes_are_kept() {
    let mut db = Db::new();
    let ev = db.event("keep", None);
    let bytes = harness::fixture("webinar_attendee_report_multilingual.synthetic.csv");
    db.import(&ev, "webinar_attendee_report_multilingual.synthetic.csv");
    let (stored, sha): (Vec<u8>, String) =
        db.conn.row_for_tests("SELECT bytes, sha256 FROM uploads", (), |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(stored, bytes);
    assert_eq!(sha, attest::store::imports::sha256_hex(&bytes));
    // Line 16 (Olga's first row) with every original cell, custom questions included.
    let fields: String =
        db.conn.row_for_tests("SELECT fields FROM raw_rows WHERE line = 16", (), |r| r.get(0)).unwrap();
    let cells: Vec<String> = serde_json::from_str(&fields).unwrap();
    assert_eq!(cells[1], "Ольга Петрова");
    assert_eq!(cells[12], "Верховний Суд");
    assert_eq!(cells.len(), 15);
}

#[test]
fn rows_and_connections_imported_before_they_shared_a_table_are_kept() {
    // A database at migration 0005, where rows and connections were two tables, with one import.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let old = rusqlite::Connection::open(&path).unwrap();
    for sql in [
        include_str!("../../db/migrations/0001-create-events-and-imports.sql"),
        include_str!("../../db/migrations/0002-create-keys-and-certificates.sql"),
        include_str!("../../db/migrations/0003-create-person-languages.sql"),
        include_str!("../../db/migrations/0004-create-download-links.sql"),
        include_str!("../../db/migrations/0005-create-staff.sql"),
    ] {
        old.execute_batch(sql).unwrap();
    }
    old.execute_batch(
        r#"PRAGMA user_version = 5;
        INSERT INTO events (id, slug, title, created_at) VALUES (1, 'old', 'Old', '2025-03-01T00:00:00Z');
        INSERT INTO uploads (id, event_id, file_name, sha256, size_bytes, bytes, format, variant, encoding, delimiter,
                             timezone, imported_at)
            VALUES (1, 1, 'old.csv', 'x', 3, x'616263', 'zoom-meeting-participants', '', 'utf-8', ',', 'UTC', '2025-03-01T00:00:00Z');
        INSERT INTO raw_rows (id, upload_id, line, kind, fields) VALUES (10, 1, 1, 'header', '["Name","Join","Leave"]');
        INSERT INTO raw_rows (id, upload_id, line, kind, header_line, fields) VALUES (11, 1, 2, 'data', 1, '["Ana","10:00","11:00"]');
        INSERT INTO raw_rows (id, upload_id, line, kind, header_line, fields, note) VALUES (12, 1, 3, 'skipped', 1, '["","",""]', 'no name');
        INSERT INTO connections (upload_id, raw_row_id, line, role, kind, name, join_at, leave_at)
            VALUES (1, 11, 2, 'attendee', 'interval', 'Ana', '2025-03-01T10:00:00Z', '2025-03-01T11:00:00Z');"#,
    )
    .unwrap();
    drop(old);

    let conn = harness::open_db(&path);
    let rows: Vec<(i64, String, String, Option<String>)> = conn
        .rows_for_tests("SELECT line, kind, fields, note FROM raw_rows ORDER BY line", (), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[1], (2, "data".into(), r#"["Ana","10:00","11:00"]"#.into(), None));
    assert_eq!(rows[2].3.as_deref(), Some("no name"));
    let (line, kind, name, leave): (i64, String, String, String) = conn
        .row_for_tests("SELECT line, kind, name, leave_at FROM connections", (), |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    assert_eq!((line, kind.as_str(), name.as_str(), leave.as_str()), (2, "interval", "Ana", "2025-03-01T11:00:00Z"));
    let event = attest::store::events::get(&conn, "old").unwrap();
    assert_eq!(attest::store::imports::rows_for_event(&conn, &event).unwrap().len(), 1);
}
