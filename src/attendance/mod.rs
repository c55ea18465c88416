//! Who attended: connections → people → seconds → a decision with a sentence that explains it.
//!
//! Pure code: no I/O, no clock. The store hands in the event's connections, window, rule and the
//! staff's links, splits and overrides; [`decide`] returns one [`Decision`] per person.
//!
//! The decision runs in phases, one file each:
//! - [`names`]: names and addresses as people are matched by them (case folding, tags, devices,
//!   renames); shared with the importer, the store and the series decision.
//! - `people`: rows → people (email, then name; a guest joins someone only when exactly one
//!   person bears its name; staff links and splits).
//! - `intervals`: a person's rows → seconds: the union of their intervals clipped to the window,
//!   never the sum of Zoom's `Duration` column.
//! - `verdict`: role, the rule and the sentence; staff overrides last.
//! - [`series`]: the same question for a series of events, counted over each event's decisions.
//!
//! Not done here: reading exports (`import`), storing decisions or deciding when to decide again
//! (`store::people`), issuing certificates (`issuance`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub mod callers;
mod intervals;
pub mod names;
mod people;
pub mod series;
mod verdict;

pub use callers::is_telephone_number;
pub use intervals::{shared_mailbox, union_seconds};
pub use names::{HOST_SUFFIXES, name_key, name_variants, normalise_name, plausible_email, same_name};

/// What a person did in the session. Ordered so that the highest role of a person's rows wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Attendee,
    Panelist,
    Host,
}

impl Role {
    /// Every role, lowest first.
    pub const ALL: [Role; 3] = [Role::Attendee, Role::Panelist, Role::Host];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Attendee => "attendee",
            Role::Panelist => "panelist",
            Role::Host => "host",
        }
    }
}

/// A word that names none of a type's values, e.g. a role in a damaged or newer database: an
/// error, never silently the default value (an unknown role read as "attendee" would change
/// who is eligible without a word).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} \"{word}\"")]
pub struct UnknownWord {
    /// What the word should have named: "role", "connection kind".
    pub what: &'static str,
    pub word: String,
}

impl std::str::FromStr for Role {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<Role, UnknownWord> {
        by_word(&Role::ALL, Role::as_str, "role", s)
    }
}

/// The one of `all` whose word (`as_str`) is `s`: each word is written once, in `as_str`, so
/// reading and writing cannot drift apart.
fn by_word<T: Copy>(all: &[T], as_str: fn(T) -> &'static str, what: &'static str, s: &str) -> Result<T, UnknownWord> {
    all.iter().copied().find(|&v| as_str(v) == s).ok_or_else(|| UnknownWord { what, word: s.to_owned() })
}

/// What one stored row tells about a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ConnectionKind {
    /// A join and a leave time.
    Interval,
    /// Only total minutes ("show unique users"): cannot be clipped to the window.
    Total,
    /// A registrant, with no connection in this row.
    Registration,
}

impl ConnectionKind {
    /// Every kind.
    pub const ALL: [ConnectionKind; 3] =
        [ConnectionKind::Interval, ConnectionKind::Total, ConnectionKind::Registration];

    pub fn as_str(self) -> &'static str {
        match self {
            ConnectionKind::Interval => "interval",
            ConnectionKind::Total => "total",
            ConnectionKind::Registration => "registration",
        }
    }
}

impl std::str::FromStr for ConnectionKind {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<ConnectionKind, UnknownWord> {
        by_word(&ConnectionKind::ALL, ConnectionKind::as_str, "connection kind", s)
    }
}

/// One connection of one person (or a registration): what an import reads from a row of an
/// export and what the decision takes, one type for both so that a field added on one side
/// cannot be forgotten on the other. `At` says where it was read: an index into the parsed
/// file's rows while importing (`import::RowAt`), the file and line once stored ([`Source`]).
/// `Time` is an instant, except while an import still holds its times as cells (`import::Draft`).
#[derive(Debug, Clone, PartialEq)]
pub struct Connection<At, Time = DateTime<Utc>> {
    /// Where the connection was read.
    pub at: At,
    pub role: Role,
    pub kind: ConnectionKind,
    pub name: String,
    pub email: Option<String>,
    pub reg_first_name: Option<String>,
    pub reg_last_name: Option<String>,
    pub reg_email: Option<String>,
    pub join: Option<Time>,
    pub leave: Option<Time>,
    /// A total connection: the seconds the file reports. An interval: the time in the meeting
    /// its row states, when shorter than its join to leave (the row counts no more).
    pub total_seconds: Option<i64>,
    pub waiting_room: bool,
    /// Set when a person must look at the row (an ambiguous DST time, a join never left).
    pub review: Option<String>,
}

impl<At, Time> Connection<At, Time> {
    /// A connection of `kind` by `name` in `role`, read at `at`, with nothing else known yet.
    pub fn new(at: At, role: Role, kind: ConnectionKind, name: String) -> Self {
        Connection {
            at,
            role,
            kind,
            name,
            email: None,
            reg_first_name: None,
            reg_last_name: None,
            reg_email: None,
            join: None,
            leave: None,
            total_seconds: None,
            waiting_room: false,
            review: None,
        }
    }

    /// Adds `note` to what a person should look at in this connection, after any note already
    /// there.
    pub fn add_review(&mut self, note: &str) {
        self.review = Some(match self.review.take() {
            Some(r) => format!("{r}; {note}"),
            None => note.to_owned(),
        });
    }

    /// Marks the connection as held under `word`, a role word attest does not know: read as a
    /// panelist's, and sent to review.
    pub fn role_not_understood(&mut self, word: &str) {
        self.role = Role::Panelist;
        self.add_review(&format!(
            "role \"{word}\" {ROLE_NOT_UNDERSTOOD}: if this person attended, say so (attest override)"
        ));
    }

    /// Whether the connection was held under a role word attest does not know
    /// ([`Connection::role_not_understood`]). Such a person is eligible only by staff's
    /// override, whatever else the event says of panelists or presenters: the word was a
    /// localized organiser, co-organiser or presenter as often as anything, and a reading of
    /// panelists as attendees (a Teams meeting's presenters) or as eligible (an event that
    /// includes panelists) certified the organisers of Russian, Greek and Spanish exports.
    /// The mark is the review note itself, so that rows stored before it was read keep it.
    pub fn has_role_not_understood(&self) -> bool {
        self.review.as_deref().is_some_and(|r| r.contains(ROLE_NOT_UNDERSTOOD))
    }

    /// Marks the connection as one whose leave is the last event of an event log (a Teams 2020
    /// attendance list or a Live Event log downloaded while the person was still connected: no
    /// `Left` is written for them). The time counted stops there, as the README says; the
    /// decision sends the person to review only when counting on to the end of the event would
    /// make them eligible ([`Connection::closed_at_last_event`]). The mark is a review note, as
    /// [`Connection::role_not_understood`]'s is, so that it is stored with the row.
    pub fn close_at_last_event(&mut self) {
        self.add_review(CLOSED_AT_LAST_EVENT);
    }

    /// Whether the connection's leave is the last event of its log
    /// ([`Connection::close_at_last_event`]).
    pub fn closed_at_last_event(&self) -> bool {
        self.review.as_deref().is_some_and(|r| r.split("; ").any(|n| n == CLOSED_AT_LAST_EVENT))
    }

    /// The same connection read at `at`, between `join` and `leave`, with `review` to look at.
    pub fn placed<A, T>(self, at: A, join: Option<T>, leave: Option<T>, review: Option<String>) -> Connection<A, T> {
        Connection {
            at,
            role: self.role,
            kind: self.kind,
            name: self.name,
            email: self.email,
            reg_first_name: self.reg_first_name,
            reg_last_name: self.reg_last_name,
            reg_email: self.reg_email,
            join,
            leave,
            total_seconds: self.total_seconds,
            waiting_room: self.waiting_room,
            review,
        }
    }
}

/// The review note that marks a connection closed at the last event of its log: said on the
/// person only where it decides ([`Connection::close_at_last_event`]).
pub(crate) const CLOSED_AT_LAST_EVENT: &str = "no leave in the log: counted until the log's last event";

/// What the review note of a connection held under an unknown role word says of it.
const ROLE_NOT_UNDERSTOOD: &str = "not understood, read as a panelist (not an attendee)";

/// One stored connection, as the decision sees it.
pub type Row = Connection<Source>;

/// The event's rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Rule {
    /// At least this share of the window, in percent.
    MinPercent(u32),
    /// At least this many minutes.
    MinMinutes(u32),
}

impl Rule {
    /// The rule as stored and published: its kind (`min_percent`, `min_minutes`) and value.
    pub fn parts(self) -> (&'static str, u32) {
        match self {
            Rule::MinPercent(p) => ("min_percent", p),
            Rule::MinMinutes(m) => ("min_minutes", m),
        }
    }

    pub fn describe(self) -> String {
        match self {
            Rule::MinPercent(p) => format!("at least {p} %"),
            Rule::MinMinutes(m) => format!("at least {m} minutes"),
        }
    }
}

/// The session window attendance is clipped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl Window {
    pub fn seconds(&self) -> i64 {
        (self.end - self.start).num_seconds().max(0)
    }
}

/// Who a decision is about, as staff name a person in links, splits and overrides: `email:…`
/// (an address as the export gave it, lowercased) or `name:…` (a folded display name). A type
/// rather than a string so that every key is one of the two and the email keys, which win over
/// names, are told apart by a method instead of by each caller's prefix test.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonKey(String);

impl PersonKey {
    /// The key of an email address (already lowercased by the caller).
    pub fn email(address: &str) -> PersonKey {
        PersonKey(format!("email:{address}"))
    }

    /// The key of a folded name ([`name_key`]).
    pub fn name(folded: &str) -> PersonKey {
        PersonKey(format!("name:{folded}"))
    }

    /// Whether this is an email key.
    pub fn is_email(&self) -> bool {
        self.0.starts_with("email:")
    }

    /// The address of an email key.
    pub fn address(&self) -> Option<&str> {
        self.0.strip_prefix("email:")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for PersonKey {
    type Err = UnknownWord;

    fn from_str(s: &str) -> Result<PersonKey, UnknownWord> {
        PersonKey::try_from(s.to_owned())
    }
}

/// Checks the prefix; taking the `String` saves a copy where keys are read back in bulk (the
/// stored decisions of a large event).
impl TryFrom<String> for PersonKey {
    type Error = UnknownWord;

    fn try_from(s: String) -> Result<PersonKey, UnknownWord> {
        if s.starts_with("email:") || s.starts_with("name:") {
            Ok(PersonKey(s))
        } else {
            Err(UnknownWord { what: "person key (email:… or name:…)", word: s })
        }
    }
}

/// Keys written as literals in unit tests: `"email:ana@x.org".into()`.
#[cfg(test)]
impl From<&str> for PersonKey {
    fn from(s: &str) -> PersonKey {
        s.parse().expect("a test's key starts with email: or name:")
    }
}

impl From<PersonKey> for String {
    fn from(k: PersonKey) -> String {
        k.0
    }
}

impl std::fmt::Display for PersonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Staff corrections to identity: `links` join the people holding two keys, `splits` keep the
/// rows holding a key apart from everyone else.
#[derive(Debug, Clone, Default)]
pub struct Manual {
    pub links: Vec<(PersonKey, PersonKey)>,
    pub splits: Vec<PersonKey>,
}

/// A staff decision that replaces the computed one.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub key: PersonKey,
    pub eligible: bool,
    pub reason: String,
}

/// Where a decision comes from: one row of one uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub line: i64,
}

/// `file:line`, as reasons and review notes cite a row.
impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// The decision for one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// Stable identifier for `people link|split` and overrides: `email:…` or `name:…`.
    pub key: PersonKey,
    /// Every key this person was found under.
    pub keys: Vec<PersonKey>,
    /// The name for the certificate: registration first + last name, else the display name.
    pub name: String,
    pub email: Option<String>,
    pub role: Role,
    pub attended_seconds: i64,
    pub eligible: bool,
    pub reason: String,
    pub sources: Vec<Source>,
    /// Things a person should look at before certificates are issued.
    pub review: Vec<String>,
    pub overridden: bool,
}

/// Decides attendance for every person in `rows`: the rows grouped into people, each person's
/// decision, then staff overrides; hosts first, then by name.
pub fn decide(
    rows: &[Row],
    window: Option<Window>,
    rule: Rule,
    panelists_eligible: bool,
    manual: &Manual,
    overrides: &[Override],
) -> Vec<Decision> {
    let win = window.map(|w| (w.start.timestamp(), w.end.timestamp()));
    let mut out: Vec<Decision> = people::group(rows, manual)
        .into_iter()
        .map(|p| verdict::person(rows, p, win, rule, panelists_eligible))
        .collect();
    verdict::apply_overrides(&mut out, overrides);
    same_name_other_email(&mut out);
    out.sort_by_cached_key(|d| (std::cmp::Reverse(d.role), normalise_name(&d.name), d.key.clone()));
    out
}

/// People under different emails whose names are one name (`Ana Lima` and `Lima, Ana`, as a
/// co-organiser's directory writes it) go to review, each naming the other: one person who
/// joined the Zoom room with a private address and the Teams room with her office's was two
/// people, neither eligible, and nothing said so. Whether they are one is for staff to say
/// (`people link`); two people can share a name.
fn same_name_other_email(decisions: &mut [Decision]) {
    let mut by_name: std::collections::HashMap<String, Vec<usize>> = std::collections::HashMap::new();
    for (i, d) in decisions.iter().enumerate() {
        if d.email.is_some() && names::lost_name(&d.name).is_none() {
            for v in name_variants(&d.name) {
                by_name.entry(v).or_default().push(i);
            }
        }
    }
    // Each list holds a person once, in decision order: its pairs are (earlier, later). Two
    // people who share several name forms are paired once.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for ids in by_name.into_values() {
        for (k, &a) in ids.iter().enumerate() {
            pairs.extend(ids[k + 1..].iter().map(|&b| (a, b)));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (a, b) in pairs {
        for (me, other) in [(a, b), (b, a)] {
            let (name, email) = (decisions[other].name.clone(), decisions[other].email.clone().unwrap_or_default());
            decisions[me].review.push(format!(
                "the same name as {name} <{email}>: if they are one person, link them (attest people link)"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn one_name_under_two_emails_goes_to_review_naming_the_other() {
        let rows = vec![
            row("Ana Lima", Some("ana.lima@example.org"), (10, 0, 0), (10, 40, 0), 2),
            row("Lima, Ana", Some("ana.lima@partner.example.net"), (10, 40, 0), (11, 25, 0), 3),
            row("Bo Berg", Some("bo@example.se"), (10, 0, 0), (11, 40, 0), 4),
        ];
        let ds = decided(&rows);
        let ana = ds.iter().find(|d| d.email.as_deref() == Some("ana.lima@example.org")).unwrap();
        assert_eq!(
            ana.review,
            [
                "the same name as Lima, Ana <ana.lima@partner.example.net>: if they are one person, link them (attest people link)"
            ]
        );
        let other = ds.iter().find(|d| d.email.as_deref() == Some("ana.lima@partner.example.net")).unwrap();
        assert_eq!(other.review.len(), 1);
        assert!(ds.iter().find(|d| d.name == "Bo Berg").unwrap().review.is_empty());
    }

    pub(super) fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 14, h, m, s).unwrap()
    }

    pub(super) fn row(
        name: &str,
        email: Option<&str>,
        join: (u32, u32, u32),
        leave: (u32, u32, u32),
        line: i64,
    ) -> Row {
        Row {
            at: Source { file: "f.csv".into(), line },
            role: Role::Attendee,
            kind: ConnectionKind::Interval,
            name: name.into(),
            email: email.map(Into::into),
            reg_first_name: None,
            reg_last_name: None,
            reg_email: None,
            join: Some(at(join.0, join.1, join.2)),
            leave: Some(at(leave.0, leave.1, leave.2)),
            total_seconds: None,
            waiting_room: false,
            review: None,
        }
    }

    pub(super) fn window() -> Option<Window> {
        Some(Window { start: at(10, 0, 0), end: at(11, 40, 0) })
    }

    /// [`window`] in seconds, as the phases take it.
    pub(super) fn win() -> Option<(i64, i64)> {
        window().map(|w| (w.start.timestamp(), w.end.timestamp()))
    }

    /// A guest who renamed themselves (Zoom writes `Current (Original)` after a rename and the
    /// bare name before it) beside two guests whose brackets are not a rename.
    pub(super) fn renamed_guest_rows() -> Vec<Row> {
        vec![
            row("Loki Laufeyson", None, (10, 0, 0), (10, 40, 0), 2),
            row("Loki (Loki Laufeyson)", None, (10, 40, 0), (11, 40, 0), 3),
            row("Ann (Student)", None, (10, 0, 0), (11, 40, 0), 4),
            row("Bob (Student)", None, (10, 0, 0), (11, 40, 0), 5),
        ]
    }

    /// `rows` decided in [`window`] by the default rule (75 %), with no corrections or overrides.
    fn decided(rows: &[Row]) -> Vec<Decision> {
        decide(rows, window(), Rule::MinPercent(75), false, &Manual::default(), &[])
    }

    #[test]
    fn stored_words_read_back_and_unknown_ones_are_errors() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        for k in ConnectionKind::ALL {
            assert_eq!(k.as_str().parse::<ConnectionKind>(), Ok(k));
        }
        assert_eq!("organiser".parse::<Role>().map_err(|e| e.to_string()), Err("unknown role \"organiser\"".into()));
        assert!("".parse::<ConnectionKind>().is_err());
    }

    #[test]
    fn guest_matching_one_registrant_is_merged_and_explained() {
        let rows = vec![
            row("Marie Dupont", Some("Marie.Dupont@example.fr"), (10, 0, 0), (10, 50, 0), 2),
            row("iPhone (Marie Dupont)", None, (10, 45, 0), (11, 40, 0), 3),
        ];
        let d = decided(&rows);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].attended_seconds, 100 * 60);
        assert_eq!(d[0].email.as_deref(), Some("marie.dupont@example.fr"));
        assert!(d[0].eligible);
        assert!(d[0].reason.starts_with("attended 100 of 100 minutes (100 %); rule: at least 75 %"), "{}", d[0].reason);
        assert!(d[0].reason.contains("matched to this person by name"));
    }

    #[test]
    fn guest_who_could_be_two_registrants_goes_to_review() {
        let rows = vec![
            row("Jo Bloggs", Some("jo1@example.org"), (10, 0, 0), (10, 10, 0), 2),
            row("Jo Bloggs", Some("jo2@example.org"), (10, 0, 0), (10, 20, 0), 3),
            row("Jo Bloggs", None, (10, 30, 0), (11, 40, 0), 4),
        ];
        let d = decided(&rows);
        assert_eq!(d.len(), 3, "never merged silently");
        let guest = d.iter().find(|p| p.email.is_none()).unwrap();
        assert!(guest.review.iter().any(|r| r.contains("could be any of 2 people")));
        assert!(d.iter().filter(|p| p.email.is_some()).all(|p| !p.review.is_empty()));
        // Staff link the guest to jo2: one person with both intervals.
        let manual = Manual { links: vec![("name:jo bloggs".into(), "email:jo2@example.org".into())], splits: vec![] };
        let d = decide(&rows, window(), Rule::MinPercent(75), false, &manual, &[]);
        let jo2 = d.iter().find(|p| p.email.as_deref() == Some("jo2@example.org")).unwrap();
        assert_eq!(jo2.attended_seconds, 20 * 60 + 70 * 60);
    }

    #[test]
    fn split_keeps_a_guest_apart() {
        let rows = vec![
            row("Marie Dupont", Some("marie@example.fr"), (10, 0, 0), (10, 50, 0), 2),
            row("Marie Dupont", None, (10, 45, 0), (11, 40, 0), 3),
        ];
        let manual = Manual { links: vec![], splits: vec!["name:marie dupont".into()] };
        let d = decide(&rows, window(), Rule::MinPercent(75), false, &manual, &[]);
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn waiting_room_hosts_and_overrides() {
        let mut wait = row("Ana", Some("ana@example.es"), (9, 55, 0), (10, 5, 0), 2);
        wait.waiting_room = true;
        let mut host = row("Host (Host)", Some("host@example.org"), (10, 0, 0), (11, 40, 0), 4);
        host.role = Role::Host;
        let rows = vec![wait, row("Ana", Some("ana@example.es"), (10, 5, 0), (11, 0, 0), 3), host];
        let d = decide(&rows, window(), Rule::MinMinutes(60), false, &Manual::default(), &[]);
        let ana = d.iter().find(|p| p.name == "Ana").unwrap();
        assert_eq!(ana.attended_seconds, 55 * 60);
        assert!(!ana.eligible);
        assert!(ana.reason.contains("waiting room"), "{}", ana.reason);
        let h = d.iter().find(|p| p.role == Role::Host).unwrap();
        assert!(!h.eligible && h.reason.starts_with("host:"));
        let o = Override { key: "email:ana@example.es".into(), eligible: true, reason: "joined by phone".into() };
        let d = decide(&rows, window(), Rule::MinMinutes(60), false, &Manual::default(), &[o]);
        let ana = d.iter().find(|p| p.name == "Ana").unwrap();
        assert!(ana.eligible && ana.overridden && ana.reason.contains("joined by phone"));
    }

    #[test]
    fn names_are_case_folded_not_just_lower_cased() {
        assert_eq!(name_key("JÜRGEN STRAUSS"), name_key("Jürgen Strauß"));
        assert_eq!(name_key("ΝΙΚΟΣ ΠΑΠΑΣ"), name_key("Νικος Παπας"));
        assert_eq!(name_key("Ｆｕｌｌ　Ｗｉｄｔｈ"), name_key("full width"));
        let rows = vec![
            row("ΝΙΚΟΣ ΠΑΠΑΣ", None, (10, 0, 0), (10, 30, 0), 2),
            row("Νικος Παπας", None, (10, 40, 0), (11, 0, 0), 3),
        ];
        let d = decided(&rows);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].attended_seconds, 50 * 60);
    }

    #[test]
    fn guest_who_renamed_themselves_is_one_person() {
        let d = decided(&renamed_guest_rows());
        assert_eq!(d.len(), 3, "{:?}", d.iter().map(|p| &p.name).collect::<Vec<_>>());
        let loki = d.iter().find(|p| p.name.contains("Loki")).unwrap();
        assert_eq!(loki.attended_seconds, 100 * 60);
        assert_eq!(loki.sources.len(), 2);
        assert!(loki.reason.contains("renamed"), "{}", loki.reason);
    }

    #[test]
    fn renamed_guest_and_bare_guest_both_join_the_registered_person() {
        let rows = vec![
            row("Sam Lee", None, (10, 0, 0), (10, 40, 0), 2),
            row("Sam (Sam Lee)", None, (10, 40, 0), (11, 40, 0), 3),
            row("Sam Lee", Some("sam@example.org"), (10, 0, 0), (10, 10, 0), 4),
        ];
        let d = decided(&rows);
        // The bare guest joins the one registered Sam Lee; the renamed guest then follows it.
        let sam = d.iter().find(|p| p.email.is_some()).unwrap();
        assert_eq!(sam.attended_seconds, 100 * 60);
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn the_name_shown_is_the_persons_own_not_a_matched_guest_rows() {
        // The tablet joined first, but the certificate is for the signed-in name.
        let rows = vec![
            row("Eric's iPad (Eric Clapton)", None, (9, 58, 0), (11, 40, 0), 2),
            row("Eric Clapton", Some("eric@example.org"), (10, 0, 0), (10, 10, 0), 3),
        ];
        let d = decided(&rows);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].name, "Eric Clapton");
        assert_eq!(d[0].attended_seconds, 100 * 60);
    }

    #[test]
    fn a_row_without_a_display_name_does_not_blank_the_persons_name() {
        let rows = vec![
            row("  ", Some("ann@example.org"), (10, 0, 0), (10, 30, 0), 2),
            row("Ann Lee", Some("Ann@example.org"), (10, 30, 0), (11, 40, 0), 3),
        ];
        let d = decided(&rows);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].name.as_str(), d[0].attended_seconds), ("Ann Lee", 100 * 60));
    }

    #[test]
    fn decomposed_and_composed_spellings_are_one_person_shown_composed() {
        // "José Müller" typed on a Mac (NFD, combining accents) and on Windows (NFC).
        let rows = vec![
            row("Jose\u{301} Mu\u{308}ller", None, (10, 0, 0), (10, 30, 0), 2),
            row("José Müller", None, (10, 40, 0), (11, 0, 0), 3),
        ];
        let d = decided(&rows);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].name.as_str(), d[0].attended_seconds), ("José Müller", 50 * 60));
    }
}
