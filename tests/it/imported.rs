//! One import as the import tests read it (`import_samples`, `real_exports`, `exports`,
//! `formats`): a file imported into a new event, what the import said and who was decided, in one
//! value with the checks those tests make again and again.
//!
//! Beside the harness rather than in it: only the import tests read an import this way. Every
//! check is `#[track_caller]` and its message names the person, line or text it expected.

use crate::harness::{Db, assert_attended, person};
use attest::attendance::{Decision, Role};
use attest::store::StoreError;
use attest::store::events::Event;
use attest::store::imports::{Outcome, Summary};

/// What one import left: the database, the import's summary and the decisions.
pub struct Imported {
    pub db: Db,
    pub summary: Summary,
    pub ds: Vec<Decision>,
}

/// An import about to be made: the file, its bytes and the event it goes into.
pub struct Import<'a> {
    slug: &'a str,
    file: &'a str,
    bytes: Vec<u8>,
    window: Option<(&'a str, &'a str)>,
}

/// The fixture `file`, to be imported into a new event `slug` (no window unless [`Import::within`]).
pub fn fixture<'a>(slug: &'a str, file: &'a str) -> Import<'a> {
    Import { slug, file, bytes: crate::harness::fixture(file), window: None }
}

/// `bytes`, to be imported as `file` into a new event `slug`, as [`fixture`].
pub fn bytes<'a>(slug: &'a str, file: &'a str, bytes: impl Into<Vec<u8>>) -> Import<'a> {
    Import { slug, file, bytes: bytes.into(), window: None }
}

impl<'a> Import<'a> {
    /// The event's window, from and to in UTC (`2023-03-14T10:00:00Z`).
    pub fn within(self, from: &'a str, to: &'a str) -> Self {
        Import { window: Some((from, to)), ..self }
    }

    /// Imports with the default options; panics unless the file was imported.
    #[track_caller]
    pub fn run(self) -> Imported {
        let (db, ev, outcome) = Db::with_import(self.slug, self.window, self.file, &self.bytes);
        let summary = match outcome.into_iter().next() {
            Some(Outcome::Imported(s)) => *s,
            other => panic!("{} not imported: {other:?}", self.file),
        };
        let ds = db.decisions(&ev);
        Imported { db, summary, ds }
    }

    /// [`Import::run`], asserting the file was recognised as `format`.
    #[track_caller]
    pub fn read_as(self, format: &str) -> Imported {
        let run = self.run();
        assert_eq!(run.summary.format, format, "the format {} was read as", run.summary.file);
        run
    }
}

/// The fixture `file` imported with the default options into a new event `slug`, refused: asserts
/// that nothing of it was stored, and gives back the database, the event and the refusal, for the
/// import with the option the refusal asked for.
#[track_caller]
pub fn refused(slug: &str, file: &str) -> (Db, Event, StoreError) {
    let mut db = Db::new();
    let ev = db.event(slug, None);
    let err = db.import_with(&ev, file, None, None).expect_err("refused without options");
    assert_eq!(db.counts(), (0, 0, 0), "a refused import stores nothing");
    (db, ev, err)
}

impl Imported {
    /// The person with this email or name, as [`person`] finds them.
    #[track_caller]
    pub fn person(&self, who: &str) -> &Decision {
        person(&self.ds, who)
    }

    /// `who`'s decision in one tuple, to compare with one expected: (role, seconds, eligible).
    #[track_caller]
    pub fn verdict(&self, who: &str) -> (Role, i64, bool) {
        let p = self.person(who);
        (p.role, p.attended_seconds, p.eligible)
    }

    /// Asserts how long each person attended, as [`assert_attended`] does.
    #[track_caller]
    pub fn assert_attended(&self, expected: &[(&str, i64)]) {
        assert_attended(&self.ds, expected);
    }

    /// Asserts each person's decision: `(email or name, role, seconds, eligible)`; a failure names
    /// the person.
    #[track_caller]
    pub fn assert_verdicts(&self, expected: &[(&str, Role, i64, bool)]) {
        for &(who, role, seconds, eligible) in expected {
            assert_eq!(self.verdict(who), (role, seconds, eligible), "role, seconds attended and eligibility of {who}");
        }
    }

    /// Asserts the meeting's start and end as the import read them from the file.
    #[track_caller]
    pub fn assert_meeting(&self, start: &str, end: &str) {
        let s = &self.summary;
        assert_eq!((s.meeting_start.as_deref(), s.meeting_end.as_deref()), (Some(start), Some(end)), "the meeting");
    }

    /// Asserts how many people were decided; a failure lists them by name.
    #[track_caller]
    pub fn assert_people(&self, n: usize) {
        assert_eq!(self.ds.len(), n, "{:?}", self.ds.iter().map(|d| &d.name).collect::<Vec<_>>());
    }

    /// Asserts one warning contains every one of `parts` (a line such as `[14]` and what it says).
    #[track_caller]
    pub fn assert_warned(&self, parts: &[&str]) {
        let warnings = &self.summary.warnings;
        assert!(warnings.iter().any(|w| parts.iter().all(|p| w.contains(p))), "{parts:?} in {warnings:?}");
    }

    /// Asserts the row on `line` was skipped with a note containing `why`.
    #[track_caller]
    pub fn assert_skipped(&self, line: usize, why: &str) {
        let skipped = &self.summary.skipped;
        assert!(skipped.iter().any(|(l, n)| *l == line && n.contains(why)), "line {line}: {why} in {skipped:?}");
    }
}
