//! Series of events: who attended enough of the series, with a sentence that explains it.
//!
//! Pure code, like [`attendance`](crate::attendance): the store hands in each session's
//! decisions (already with staff links, splits and overrides applied) and the certificates its
//! people hold; [`decide`] returns one [`SeriesDecision`] per person of the series.
//!
//! A session counts for a person when that event's own decision is eligible (each event keeps
//! its own rule: percent or minutes, panelists or not, staff overrides) and the certificate they
//! hold for it, if any, is not revoked. The series' rule is then a count over sessions:
//! [`SeriesRule::AtLeast`] N of them, or [`SeriesRule::All`]. It deliberately cannot say "these
//! two sessions are required" or "at least 300 minutes over the series": the two real series
//! (four regional webinars, five seminars in three languages) ask only how many sessions.
//!
//! People are matched across events the way an event matches them within itself: by email first
//! (case-insensitive), then by normalised name, and a name joins someone only when exactly one
//! person of the series bears it; anything less certain stays apart and goes to the review list.
//! Addresses are one person where an event's decision holds both (staff linked them there, or
//! the export gave both under one name) or where staff linked them for the series ([`Link`]):
//! someone who came to one session from their office address and to the next from their
//! private one, which no single event can join.
//!
//! Not done here: no I/O, no issuing, no notion of dates beyond the strings it is given.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::attendance::names::lost_name;
use crate::attendance::{Decision, PersonKey, normalise_name};

/// The series' rule over its sessions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum SeriesRule {
    /// At least this many of the series' sessions.
    AtLeast(u32),
    /// Every session of the series.
    All,
}

impl SeriesRule {
    /// How many sessions a series of `total` asks for.
    pub fn needed(self, total: usize) -> usize {
        match self {
            SeriesRule::AtLeast(n) => n as usize,
            SeriesRule::All => total,
        }
    }

    /// The rule as sentences and credentials state it, e.g. "at least 3 of the 4 sessions".
    pub fn describe(self, total: usize) -> String {
        match (self, total) {
            // A series without events yet (just created): no count to give.
            (SeriesRule::AtLeast(n), 0) => format!("at least {n} sessions"),
            (SeriesRule::All, 0) => "all sessions".to_owned(),
            (SeriesRule::AtLeast(n), _) => format!("at least {n} of the {total} sessions"),
            (SeriesRule::All, _) => format!("all {total} sessions"),
        }
    }

    /// The stored form: `None` is "all".
    pub fn min_sessions(self) -> Option<u32> {
        match self {
            SeriesRule::AtLeast(n) => Some(n),
            SeriesRule::All => None,
        }
    }
}

/// A certificate a person holds for one event of the series, as the series sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub id: String,
    pub person_key: PersonKey,
    pub name: String,
    pub minutes: u32,
    pub status: String,
}

/// One event of the series, with what the series needs of it.
#[derive(Debug, Clone)]
pub struct Session {
    pub slug: String,
    pub title: String,
    /// `YYYY-MM-DD` in the event's zone; empty when the event has no date yet.
    pub date: String,
    pub decisions: Vec<Decision>,
    /// Certificates of this event, any status.
    pub certificates: Vec<Held>,
}

/// Two addresses staff said are one person for the whole series, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    /// Lowercased addresses, `a` before `b`.
    pub a: String,
    pub b: String,
    pub reason: String,
}

/// Which addresses of the series are one person: each address's person is named by the first
/// of its addresses in sort order, so the key of a series decision does not depend on the order
/// in which links were made or sessions held.
struct Addresses<'a> {
    /// Address → an address of the same person nearer the first (itself for the first).
    parent: HashMap<String, String>,
    links: &'a [Link],
}

impl<'a> Addresses<'a> {
    fn new(sessions: &[Session], links: &'a [Link]) -> Addresses<'a> {
        let mut me = Addresses { parent: HashMap::new(), links };
        for dec in sessions.iter().flat_map(|s| &s.decisions) {
            let mut own = dec.keys.iter().filter_map(PersonKey::address).map(str::to_lowercase);
            if let Some(first) = own.next() {
                for other in own {
                    me.join(&first, &other);
                }
            }
        }
        for l in links {
            me.join(&l.a, &l.b);
        }
        me
    }

    fn first(&self, address: &str) -> String {
        let mut at = address;
        while let Some(up) = self.parent.get(at).filter(|up| *up != at) {
            at = up;
        }
        at.to_owned()
    }

    fn join(&mut self, a: &str, b: &str) {
        let (ra, rb) = (self.first(a), self.first(b));
        let (lo, hi) = if ra <= rb { (ra, rb) } else { (rb, ra) };
        self.parent.insert(hi, lo.clone());
        self.parent.entry(lo.clone()).or_insert(lo);
    }

    /// The staff links that joined any of `addresses`.
    fn links_of(&self, addresses: &[String]) -> Vec<&'a Link> {
        self.links.iter().filter(|l| addresses.contains(&l.a) || addresses.contains(&l.b)).collect()
    }
}

/// A session that counts for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attended {
    /// Index into the sessions given to [`decide`].
    #[serde(skip)]
    pub session: usize,
    pub slug: String,
    pub title: String,
    pub date: String,
    /// Minutes as printed on the event's certificate when there is one, else as decided.
    pub minutes: u32,
    /// The person's valid certificate for that event.
    pub certificate: Option<String>,
}

/// The decision for one person of the series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesDecision {
    /// `email:…` or `name:…`, like an event decision's key; for a person under several
    /// addresses, the first of them in sort order.
    pub key: PersonKey,
    /// Every email key of the person (a series certificate issued under any of them is theirs).
    pub keys: Vec<PersonKey>,
    /// The name for the series certificate: from the person's latest valid event certificate,
    /// else from their decisions (one with an email first).
    pub name: String,
    /// The address of the person's latest session, where they are under several.
    pub email: Option<String>,
    pub attended: Vec<Attended>,
    pub eligible: bool,
    pub reason: String,
    /// Things staff should look at (a name that could be several people).
    pub review: Vec<String>,
}

/// One entry of a person: the decision of session `session` at index `decision`.
struct Entry {
    session: usize,
    decision: usize,
    by_name: bool,
}

struct Person {
    /// The first of the person's addresses ([`Addresses::first`]).
    email: Option<String>,
    /// Every address of the person, with the session it was seen in, in the order seen.
    addresses: Vec<(usize, String)>,
    names: Vec<String>,
    entries: Vec<Entry>,
    review: Vec<String>,
}

/// Decides the series for every person found in its sessions, with staff's `links` between
/// addresses.
pub fn decide(sessions: &[Session], rule: SeriesRule, links: &[Link]) -> Vec<SeriesDecision> {
    let mut people: Vec<Person> = Vec::new();
    let mut by_email: HashMap<String, usize> = HashMap::new();
    let same = Addresses::new(sessions, links);
    // Email first: every decision that has one, across all sessions.
    for (s, session) in sessions.iter().enumerate() {
        for (d, dec) in session.decisions.iter().enumerate() {
            let Some(email) = dec.email.as_deref().map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty()) else {
                continue;
            };
            let first = same.first(&email);
            let p = *by_email.entry(first.clone()).or_insert_with(|| {
                let (names, entries, review, addresses) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
                people.push(Person { email: Some(first), addresses, names, entries, review });
                people.len() - 1
            });
            people[p].addresses.push((s, email));
            if lost_name(&dec.name).is_none() {
                people[p].names.push(normalise_name(&dec.name));
            }
            people[p].entries.push(Entry { session: s, decision: d, by_name: false });
        }
    }
    // Then names: a decision without email joins the one person who bears its name.
    for (s, session) in sessions.iter().enumerate() {
        for (d, dec) in session.decisions.iter().enumerate() {
            if dec.email.as_deref().is_some_and(|e| !e.trim().is_empty()) {
                continue;
            }
            // A name that names nobody (`??`, `#NUL!`) matches no one, and no one matches it: the
            // person is known by the event's key in that event.
            let (name, matches) = if lost_name(&dec.name).is_some() {
                (format!("{} in {}", dec.key.as_str().trim_start_matches("name:"), session.slug), Vec::new())
            } else {
                let name = normalise_name(&dec.name);
                let matches: Vec<usize> = (0..people.len()).filter(|&p| people[p].names.contains(&name)).collect();
                (name, matches)
            };
            match matches.as_slice() {
                [p] => people[*p].entries.push(Entry { session: s, decision: d, by_name: true }),
                _ => {
                    let review = match matches.len() {
                        0 => Vec::new(),
                        n => vec![format!(
                            "{}: \"{}\" has no email and could be any of {n} people of the series with this name: \
                             kept apart",
                            session.slug, dec.name
                        )],
                    };
                    people.push(Person {
                        email: None,
                        addresses: Vec::new(),
                        names: vec![name],
                        entries: vec![Entry { session: s, decision: d, by_name: false }],
                        review,
                    });
                }
            }
        }
    }
    namesakes_to_review(&mut people);
    let mut out: Vec<SeriesDecision> = people.iter().map(|p| one(sessions, rule, &same, p)).collect();
    out.sort_by_cached_key(|d| (normalise_name(&d.name), d.key.clone()));
    out
}

/// People of the series under different addresses who bear the same name: perhaps one person
/// who came from two addresses (staff link them), perhaps two people (nothing to do). Never
/// joined by name alone; each is sent to review, naming the other's address, so that the
/// question is asked before certificates go out rather than by an attendee missing one.
fn namesakes_to_review(people: &mut [Person]) {
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in people.iter().enumerate().filter(|(_, p)| p.email.is_some()) {
        let mut names: Vec<&str> = p.names.iter().map(String::as_str).filter(|n| !n.is_empty()).collect();
        names.sort_unstable();
        names.dedup();
        for n in names {
            by_name.entry(n).or_default().push(i);
        }
    }
    let mut notes: Vec<(usize, String)> = Vec::new();
    for group in by_name.values().filter(|g| g.len() > 1) {
        for &i in group {
            let others: Vec<&str> =
                group.iter().filter(|&&j| j != i).filter_map(|&j| people[j].email.as_deref()).collect();
            notes.push((
                i,
                format!(
                    "the same name is in this series under {}: if that is this person, link the addresses (series link)",
                    others.join(", ")
                ),
            ));
        }
    }
    notes.sort();
    notes.dedup();
    for (i, note) in notes {
        people[i].review.push(note);
    }
}

fn one(sessions: &[Session], rule: SeriesRule, same: &Addresses, p: &Person) -> SeriesDecision {
    let total = sessions.len();
    let mut attended = Vec::new();
    let mut notes = Vec::new();
    let mut addresses: Vec<String> = p.addresses.iter().map(|(_, a)| a.clone()).collect();
    addresses.sort();
    addresses.dedup();
    if addresses.len() > 1 {
        let mut note = format!("one person under {} addresses ({})", addresses.len(), addresses.join(", "));
        for l in same.links_of(&addresses) {
            note.push_str(&format!("; {} and {} linked by staff: {}", l.a, l.b, l.reason));
        }
        notes.push(note);
    }
    // Per session, the entry that counts best: an eligible decision before any other.
    let mut per_session: BTreeMap<usize, Vec<&Entry>> = BTreeMap::new();
    for e in &p.entries {
        per_session.entry(e.session).or_default().push(e);
    }
    let mut latest_name: Option<(usize, String)> = None;
    for (&s, entries) in &per_session {
        let session = &sessions[s];
        let decision = |e: &Entry| &session.decisions[e.decision];
        let counts = |e: &&&Entry| decision(e).eligible && !held(session, decision(e)).any(|c| c.status == "revoked");
        let chosen = entries.iter().find(counts).or_else(|| entries.first()).copied();
        let Some(e) = chosen else { continue };
        let d = decision(e);
        let valid = held(session, d).find(|c| c.status == "valid");
        if let Some(c) = valid {
            latest_name = Some((s, c.name.clone()));
        }
        if e.by_name {
            notes.push(format!("{}: matched by name (no email there)", session.slug));
        }
        let revoked = held(session, d).any(|c| c.status == "revoked");
        if d.eligible && !revoked {
            if d.overridden {
                notes.push(format!("{}: counted by a staff override{}", session.slug, override_reason(&d.reason)));
            }
            attended.push(Attended {
                session: s,
                slug: session.slug.clone(),
                title: session.title.clone(),
                date: session.date.clone(),
                minutes: valid.map_or((d.attended_seconds / 60) as u32, |c| c.minutes),
                certificate: valid.map(|c| c.id.clone()),
            });
        } else if revoked && d.eligible {
            notes.push(format!("{}: not counted, its certificate was revoked", session.slug));
        } else if d.overridden {
            notes.push(format!("{}: not counted by a staff override{}", session.slug, override_reason(&d.reason)));
        } else {
            notes.push(format!("{}: not counted ({})", session.slug, d.reason));
        }
    }
    let needed = rule.needed(total);
    let eligible = total > 0 && attended.len() >= needed;
    let list: Vec<&str> = attended.iter().map(|a| a.slug.as_str()).collect();
    let mut reason = match list.is_empty() {
        true => format!("attended 0 of {total} sessions"),
        false => format!("attended {} of {total} sessions ({})", attended.len(), list.join(", ")),
    };
    reason.push_str(&format!("; rule: {}", rule.describe(total)));
    for n in notes {
        reason.push_str("; ");
        reason.push_str(&n);
    }
    // The name: the latest valid event certificate's (staff may have corrected it there), else a
    // decision with an email, else any.
    let decisions = p.entries.iter().map(|e| &sessions[e.session].decisions[e.decision]);
    let name = latest_name.map(|(_, n)| n).unwrap_or_else(|| {
        let mut ds: Vec<&Decision> = decisions.collect();
        ds.sort_by_key(|d| d.email.is_none());
        ds.first().map(|d| d.name.clone()).unwrap_or_default()
    });
    let key = match &p.email {
        Some(e) => PersonKey::email(e),
        None => PersonKey::name(&p.names.first().cloned().unwrap_or_default()),
    };
    let keys = addresses.iter().map(|a| PersonKey::email(a)).collect();
    // Mail goes where the person last came from.
    let email = p.addresses.iter().max_by_key(|(s, _)| *s).map(|(_, a)| a.clone());
    SeriesDecision { key, keys, name, email, attended, eligible, reason, review: p.review.clone() }
}

/// The certificates of `session` held by the person of decision `d` (under any of its keys).
fn held<'a>(session: &'a Session, d: &'a Decision) -> impl Iterator<Item = &'a Held> {
    session.certificates.iter().filter(move |c| c.person_key == d.key || d.keys.contains(&c.person_key))
}

/// The staff's reason out of an overridden event decision (`staff override: eligible ("…");
/// computed: …`), as ` ("…")`, or nothing when it cannot be found.
fn override_reason(reason: &str) -> String {
    reason
        .split_once("(\"")
        .and_then(|(_, rest)| rest.split_once("\"); computed"))
        .map(|(r, _)| format!(" (\"{r}\")"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attendance::Role;

    fn dec(name: &str, email: Option<&str>, minutes: i64, eligible: bool) -> Decision {
        let key = match email {
            Some(e) => PersonKey::email(e),
            None => PersonKey::name(&normalise_name(name)),
        };
        Decision {
            key: key.clone(),
            keys: vec![key],
            name: name.into(),
            email: email.map(str::to_owned),
            role: Role::Attendee,
            attended_seconds: minutes * 60,
            eligible,
            reason: format!("attended {minutes} of 100 minutes ({minutes} %); rule: at least 75 %"),
            sources: Vec::new(),
            review: Vec::new(),
            overridden: false,
        }
    }

    fn session(slug: &str, date: &str, decisions: Vec<Decision>) -> Session {
        Session {
            slug: slug.into(),
            title: format!("Seminar {slug}"),
            date: date.into(),
            decisions,
            certificates: vec![],
        }
    }

    #[test]
    fn a_name_without_email_joins_the_one_person_who_bears_it_and_two_namesakes_stay_apart() {
        let s1 = session("s1", "2020-06-24", vec![dec("Ana Ruiz", Some("ana@x.org"), 90, true)]);
        let s2 = session("s2", "2020-07-07", vec![dec("ana  RUIZ", None, 90, true)]);
        let d = decide(&[s1.clone(), s2], SeriesRule::All, &[]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].eligible, "{}", d[0].reason);
        assert!(d[0].reason.contains("s2: matched by name (no email there)"), "{}", d[0].reason);

        let s1b = session(
            "s1",
            "2020-06-24",
            vec![dec("Ana Ruiz", Some("ana@x.org"), 90, true), dec("Ana Ruiz", Some("ana@y.org"), 90, true)],
        );
        let s2 = session("s2", "2020-07-07", vec![dec("Ana Ruiz", None, 90, true)]);
        let d = decide(&[s1b, s2], SeriesRule::AtLeast(1), &[]);
        assert_eq!(d.len(), 3, "{d:#?}");
        let guest = d.iter().find(|d| d.email.is_none()).unwrap();
        assert_eq!(guest.review.len(), 1, "{:?}", guest.review);
    }

    #[test]
    fn names_that_name_nobody_match_no_one_across_the_series() {
        let lost = |slug: &str, line| {
            let mut d = dec("??", None, 90, true);
            d.key = format!("name:?? (p.csv:{line})").parse().unwrap();
            session(slug, "2020-06-24", vec![d, dec("??", Some("wang@x.org"), 90, true)])
        };
        let d = decide(&[lost("s1", 2), lost("s2", 2)], SeriesRule::All, &[]);
        assert_eq!(d.len(), 3, "{d:#?}");
        let guests: Vec<&str> = d.iter().filter(|d| d.email.is_none()).map(|d| d.key.as_str()).collect();
        assert_eq!(guests, ["name:?? (p.csv:2) in s1", "name:?? (p.csv:2) in s2"]);
        assert!(d.iter().all(|d| d.review.is_empty()), "no namesakes: {d:#?}");
    }

    #[test]
    fn a_revoked_event_certificate_does_not_count() {
        let mut s1 = session("s1", "2020-06-24", vec![dec("Ana Ruiz", Some("ana@x.org"), 90, true)]);
        s1.certificates.push(Held {
            id: "A".into(),
            person_key: "email:ana@x.org".into(),
            name: "Ana Ruiz".into(),
            minutes: 90,
            status: "revoked".into(),
        });
        let d = decide(&[s1], SeriesRule::All, &[]);
        assert!(!d[0].eligible);
        assert_eq!(
            d[0].reason,
            "attended 0 of 1 sessions; rule: all 1 sessions; s1: not counted, its certificate was revoked"
        );
    }

    #[test]
    fn two_addresses_are_one_person_once_staff_link_them_for_the_series() {
        let s1 = session("s1", "2020-06-24", vec![dec("Ana Ruiz", Some("ana@office.example"), 90, true)]);
        let s2 = session("s2", "2020-07-07", vec![dec("Ana Ruiz", Some("Ana@Home.example"), 90, true)]);
        let apart = decide(&[s1.clone(), s2.clone()], SeriesRule::All, &[]);
        assert_eq!(apart.len(), 2, "{apart:#?}");
        assert!(apart.iter().all(|d| !d.eligible));
        // Same name, two addresses: each asked about, naming the other.
        let office = apart.iter().find(|d| d.key.as_str() == "email:ana@office.example").unwrap();
        assert_eq!(
            office.review,
            vec![
                "the same name is in this series under ana@home.example: if that is this person, link the addresses \
                  (series link)"
            ]
        );

        let link =
            Link { a: "ana@home.example".into(), b: "ana@office.example".into(), reason: "her two mailboxes".into() };
        let d = decide(&[s1, s2], SeriesRule::All, &[link]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].eligible, "{}", d[0].reason);
        assert!(d[0].review.is_empty(), "{:?}", d[0].review);
        // Named by the first address, mailed at the latest session's.
        assert_eq!(d[0].key.as_str(), "email:ana@home.example");
        assert_eq!(d[0].email.as_deref(), Some("ana@home.example"));
        assert_eq!(d[0].keys.len(), 2);
        assert!(
            d[0].reason.contains(
                "one person under 2 addresses (ana@home.example, ana@office.example); ana@home.example and \
                 ana@office.example linked by staff: her two mailboxes"
            ),
            "{}",
            d[0].reason
        );
    }

    #[test]
    fn addresses_an_event_holds_as_one_person_are_one_across_the_series() {
        let mut both = dec("Ana Ruiz", Some("ana@office.example"), 90, true);
        both.keys.push(PersonKey::email("ana@home.example"));
        let s1 = session("s1", "2020-06-24", vec![both]);
        let s2 = session("s2", "2020-07-07", vec![dec("Ana Ruiz", Some("ana@home.example"), 90, true)]);
        let d = decide(&[s1, s2], SeriesRule::All, &[]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert!(d[0].eligible, "{}", d[0].reason);
        assert!(!d[0].reason.contains("linked by staff"), "{}", d[0].reason);
    }
}
