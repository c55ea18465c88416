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
    assert!(s.warnings.iter().any(|w| w.contains("[14]") && w.contains("closed at the last event")), "{:?}", s.warnings);
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
