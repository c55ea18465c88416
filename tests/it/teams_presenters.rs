//! Teams reports' roles as Council of Europe staff download them (round 21 of the exports
//! testing): co-organisers in German, presenters chosen by the organiser, and a participants row
//! that states less time than it spans.

use attest::attendance::Role;

use crate::harness::{self, Db, assert_roles, person, summary};

/// A participants-only Teams report as Teams writes it (UTF-16LE with a byte-order mark), its
/// role column under `role_header`.
fn report(role_header: &str, rows: &str) -> Vec<u8> {
    let text = harness::teams_report(
        "Seminar",
        "3/14/25, 10:00:00 AM",
        "3/14/25, 11:40:00 AM",
        &format!(
            "Name\tFirst join\tLast leave\tIn-meeting duration\tEmail\tParticipant ID (UPN)\t{role_header}\n{rows}"
        ),
    );
    let mut out = vec![0xFF, 0xFE];
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// The decisions for a report of `rows` and six attendees under `attendee` (present the whole
/// session), the role column under `role_header`, and the import's sentence on how its
/// presenters were read.
fn decided(role_header: &str, attendee: &str, rows: &str) -> (Vec<attest::attendance::Decision>, String) {
    let rows = format!("{rows}{}", attendees().replace("\tAttendee\n", &format!("\t{attendee}\n")));
    let (db, ev, s) = Db::with_import("teams", harness::SEMINAR, "report.csv", &report(role_header, &rows));
    (db.decisions(&ev), summary(&s).presenters.clone().unwrap_or_default())
}

/// Six attendees, a row each, present the whole session.
fn attendees() -> String {
    (1..=6)
        .map(|i| format!("Person {i}\t3/14/25, 10:00:00 AM\t3/14/25, 11:40:00 AM\t1h 40m\tp{i}@example.org\tp{i}@example.org\tAttendee\n"))
        .collect()
}

/// Microsoft's German help calls Teams' co-organisers `Mitorganisatoren`: read as an attendee,
/// a co-organiser was certified.
#[test]
fn a_german_co_organiser_is_a_host() {
    let (ds, _) = decided(
        "Rolle",
        "Teilnehmer",
        "Ioana Popescu\t3/14/25, 10:00:00 AM\t3/14/25, 11:40:00 AM\t1h 40m\tioana@coe.int\tioana@coe.int\tMitorganisator\n",
    );
    assert_roles(&ds, &[("ioana@coe.int", Role::Host, false)]);
}

/// A meeting where only organisers could present and two speakers were made presenters: the
/// attendees outnumber them, so they are panelists. In an Italian report (`Ruolo`, `Relatore`,
/// `Partecipante`: a tester's layout) their role came from a column the Teams reader does not
/// read, after the presenters' reading was decided, and both were certified.
#[test]
fn presenters_chosen_in_a_meeting_are_panelists_whichever_reader_gave_their_role() {
    let (ds, reading) = decided(
        "Ruolo",
        "Partecipante",
        "Alexander Seger\t3/14/25, 10:00:00 AM\t3/14/25, 11:40:00 AM\t1h 40m\tas@coe.int\tas@coe.int\tRelatore\n\
         Amani Nyerere\t3/14/25, 10:00:00 AM\t3/14/25, 11:40:00 AM\t1h 40m\tan@ex.tz\tan@ex.tz\tRelatore\n",
    );
    assert!(reading.contains("Presenter read as panelist"), "{reading}");
    assert_roles(&ds, &[("as@coe.int", Role::Panelist, false), ("an@ex.tz", Role::Panelist, false)]);
    assert!(person(&ds, "p1@example.org").eligible);
}

/// A participants row of 75:30 in the meeting over 09:58 to 11:15, for a 10:00 session: it
/// does not say when the 3:30 away were. Counted as the 75:00 of its span in the window, it
/// was eligible; the least it allows is 73:30, and staff are told it could be 75.
#[test]
fn time_away_a_row_does_not_place_counts_against_it() {
    let (ds, _) = decided(
        "Role",
        "Attendee",
        "Nguyễn Thị Hoa\t3/14/25, 9:58:00 AM\t3/14/25, 11:15:00 AM\t1h 15m 30s\thoa@ex.vn\thoa@ex.vn\tAttendee\n",
    );
    let hoa = person(&ds, "hoa@ex.vn");
    assert_eq!((hoa.attended_seconds, hoa.eligible), (73 * 60 + 30, false), "{hoa:?}");
    assert!(hoa.review.iter().any(|r| r.starts_with("attended between 73 and 75 min")), "{:?}", hoa.review);
}
