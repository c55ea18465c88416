//! Grouping connections into people: which rows of an event are one person.
//!
//! People are identified by registration email, then participant email (case-insensitive), then
//! normalised name. A guest row without email joins a known person only when its name matches
//! exactly one of them; anything less certain goes to the review list instead of being merged.
//! Staff's links join two keys and their splits keep a key's rows apart; both win over the rules.
//!
//! [`group`] runs the phases in order, each a method of [`Grouping`] with its own test. It says
//! who is whom and why (notes) or what is doubtful (review); it does not count time or apply the
//! rule: that is [`intervals`](super::intervals) and [`verdict`](super::verdict).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::names::{earlier_name, lost_name, lower, matching_form, name_key, name_variants, normalise_name};
use super::{ConnectionKind, Manual, PersonKey, Row};

/// One person of the event: the rows that are theirs, and what the grouping has to say about it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Person {
    /// Indices into the event's rows, in row order.
    pub members: Vec<usize>,
    /// Every key the person was found under, email keys first.
    pub keys: Vec<PersonKey>,
    /// How rows were joined (a rename, a guest matched by name, a staff link).
    pub notes: Vec<String>,
    /// What staff should look at: doubts of the grouping, then the rows' own review notes.
    pub review: Vec<String>,
}

/// A guest row's name key and the earlier name it shows (`Current (Original)`), if any.
type GuestName = Option<(String, Option<String>)>;

/// The rows being grouped, and the sentences gathered on the way, keyed by a row of the group
/// they explain (carried to the group's final root by [`Grouping::into_people`]).
pub(super) struct Grouping<'a> {
    rows: &'a [Row],
    /// Keys of each row ([`row_keys`]).
    keys: Vec<Vec<PersonKey>>,
    /// The staff split that pins each row, if any.
    pinned: Vec<Option<&'a PersonKey>>,
    dsu: Dsu,
    notes: HashMap<usize, Vec<String>>,
    reviews: HashMap<usize, Vec<String>>,
    /// Names that several people known by email bear (phase 3): the groups, and the sentence
    /// each is reviewed with. Kept apart from `reviews` so that staff linking those people into
    /// one clears it; it stayed, twice, on the linked person.
    shared_names: Vec<(BTreeSet<usize>, String)>,
}

/// Groups `rows` into people, phase by phase.
pub(super) fn group(rows: &[Row], manual: &Manual) -> Vec<Person> {
    let mut g = Grouping::new(rows, manual);
    g.join_by_email();
    let guests = g.guest_names();
    g.join_guests_by_name(&guests);
    g.join_listed_nobodies();
    g.join_renamed_guests(&guests);
    let index = g.index_known_names();
    g.match_guests(&index);
    g.apply_links(&manual.links);
    g.into_people()
}

impl<'a> Grouping<'a> {
    /// Every row on its own, with its keys and the split that pins it.
    pub(super) fn new(rows: &'a [Row], manual: &'a Manual) -> Self {
        let n = rows.len();
        let keys: Vec<Vec<PersonKey>> = rows.iter().map(row_keys).collect();
        let has_email = |i: usize| keys[i].iter().any(|k| k.is_email());
        // A split on an email pins the rows with that email; on a name, the rows known only by it.
        let pinned: Vec<Option<&PersonKey>> = (0..n)
            .map(|i| manual.splits.iter().find(|s| keys[i].contains(s) && (s.is_email() || !has_email(i))))
            .collect();
        Grouping {
            rows,
            keys,
            pinned,
            dsu: Dsu((0..n).collect()),
            notes: HashMap::new(),
            reviews: HashMap::new(),
            shared_names: Vec::new(),
        }
    }

    fn has_email(&self, i: usize) -> bool {
        self.keys[i].iter().any(|k| k.is_email())
    }

    /// Phase 1. Same email (registration or participant) → same person. Pinned rows only join
    /// rows pinned by the same key.
    pub(super) fn join_by_email(&mut self) {
        let mut by_key: HashMap<String, usize> = HashMap::new();
        for i in 0..self.rows.len() {
            let group_keys: Vec<String> = match self.pinned[i] {
                Some(k) => vec![format!("pin:{k}")],
                None => self.keys[i].iter().filter(|k| k.is_email()).map(PersonKey::to_string).collect(),
            };
            for k in group_keys {
                match by_key.get(&k) {
                    Some(&j) => self.dsu.union(i, j),
                    None => {
                        by_key.insert(k, i);
                    }
                }
            }
        }
    }

    /// Each guest row's name key (in its [`matching_form`]), and the earlier name it shows,
    /// worked out once for phases 2 and 2b; `None` for rows with an email, pinned by a split, or
    /// whose name names nobody ([`lost_name`]: two guests saved as `??` are not one by it).
    pub(super) fn guest_names(&self) -> Vec<GuestName> {
        (0..self.rows.len())
            .map(|i| {
                let lost = lost_name(&self.rows[i].name).is_some();
                (self.pinned[i].is_none() && !self.has_email(i) && !lost).then(|| {
                    let k = matching_form(&name_key(&self.rows[i].name));
                    let earlier = earlier_name(&k);
                    (k, earlier)
                })
            })
            .collect()
    }

    /// Phase 2. Rows without any email group by name among themselves (a guest's reconnects).
    pub(super) fn join_guests_by_name(&mut self, guests: &[GuestName]) {
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for (i, g) in guests.iter().enumerate() {
            let Some((k, _)) = g else { continue };
            match by_name.get(k.as_str()) {
                Some(&j) => self.dsu.union(i, j),
                None => {
                    by_name.insert(k, i);
                }
            }
        }
    }

    /// Phase 2a. A name that names nobody joins no other row by name, but a report that lists
    /// each person once beside their connections (Teams' participants section) lists such a
    /// caller twice: the listing joins the connection when it is the only one of that name in the
    /// event and the listing the only listing (a masked number was also a person "registered
    /// but did not join"). Two of either, and nobody can say which is whose: left apart.
    pub(super) fn join_listed_nobodies(&mut self) {
        let mut by_name: HashMap<String, (Vec<usize>, Vec<usize>)> = HashMap::new();
        for (i, r) in self.rows.iter().enumerate() {
            if self.pinned[i].is_none() && !self.has_email(i) && lost_name(&r.name).is_some() {
                let (listed, connected) = by_name.entry(name_key(&r.name)).or_default();
                if r.kind == ConnectionKind::Registration { listed } else { connected }.push(i);
            }
        }
        for (listed, connected) in by_name.into_values() {
            if let ([l], [c]) = (listed.as_slice(), connected.as_slice()) {
                self.dsu.union(*l, *c);
            }
        }
    }

    /// Phase 2b. A guest who renamed themselves: rows before the rename carry the bare name, rows
    /// after it `Current (Original)`. Joined when exactly one group of bare-named guest rows has
    /// that original name; `Ann (Student)` and `Bob (Student)` have no bare `student` to join.
    pub(super) fn join_renamed_guests(&mut self, guests: &[GuestName]) {
        let mut bare: HashMap<&str, BTreeSet<usize>> = HashMap::new();
        for (i, g) in guests.iter().enumerate() {
            if let Some((k, None)) = g {
                bare.entry(k).or_default().insert(self.dsu.find(i));
            }
        }
        for (i, g) in guests.iter().enumerate() {
            let Some((_, Some(earlier))) = g else { continue };
            let Some(&target) = bare.get(earlier.as_str()).and_then(only) else { continue };
            if self.dsu.find(target) != self.dsu.find(i) {
                let r = &self.rows[i];
                self.notes.entry(target).or_default().push(format!(
                    "guest rows named \"{}\" taken as the same guest renamed ({})",
                    r.name.trim(),
                    r.at
                ));
                self.dsu.union(i, target);
            }
        }
    }

    /// Phase 3. The names of the people known by email (every form worth matching, registration
    /// names included), each with the groups that bear it. Two registrants with one name are
    /// both flagged for review, and neither is merged with the other.
    pub(super) fn index_known_names(&mut self) -> HashMap<String, BTreeSet<usize>> {
        let rows = self.rows;
        let mut index: HashMap<String, BTreeSet<usize>> = HashMap::new();
        let mut primary: HashMap<String, BTreeSet<usize>> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            if !self.has_email(i) || self.pinned[i].is_some() {
                continue;
            }
            let root = self.dsu.find(i);
            // A name that names nobody is no name to be found by (`??`, `#NUL!`).
            let named = lost_name(&row.name).is_none();
            let mut forms = if named { name_variants(&row.name) } else { Vec::new() };
            if let Some(reg) = registration_name(row) {
                forms.extend(name_variants(&reg));
                let rev = [row.reg_last_name.as_deref(), row.reg_first_name.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                forms.extend(name_variants(&rev));
                primary.entry(matching_form(&normalise_name(&reg))).or_default().insert(root);
            } else if named {
                primary.entry(matching_form(&name_key(&row.name))).or_default().insert(root);
            }
            for f in forms {
                index.entry(f).or_default().insert(root);
            }
        }
        for (name, roots) in &primary {
            if roots.len() > 1 {
                let emails: Vec<String> = roots.iter().filter_map(|&r| email_of(&rows[r])).collect();
                self.shared_names.push((
                    roots.clone(),
                    format!(
                        "the name \"{name}\" belongs to {} people ({}): check that rows are attributed to the right one",
                        roots.len(),
                        emails.join(", ")
                    ),
                ));
            }
        }
        index
    }

    /// Phase 4. Guests: merged with the one known person their name matches, else sent to
    /// review (never merged on a guess).
    pub(super) fn match_guests(&mut self, index: &HashMap<String, BTreeSet<usize>>) {
        let rows = self.rows;
        let mut guests: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..rows.len() {
            if !self.has_email(i) && self.pinned[i].is_none() {
                guests.entry(self.dsu.find(i)).or_default().push(i);
            }
        }
        for (g, members) in guests {
            let mut hits: BTreeSet<usize> = BTreeSet::new();
            for &m in members.iter().filter(|&&m| lost_name(&rows[m].name).is_none()) {
                for f in name_variants(&rows[m].name) {
                    if let Some(rs) = index.get(&f) {
                        hits.extend(rs.iter().copied());
                    }
                }
            }
            let hits: BTreeSet<usize> = hits.into_iter().map(|r| self.dsu.find(r)).collect();
            let lines = members.iter().map(|&m| rows[m].at.to_string()).collect::<Vec<_>>().join(", ");
            let shown = rows[members[0]].name.trim();
            if let Some(&target) = only(&hits) {
                self.notes.entry(target).or_default().push(format!(
                    "guest rows named \"{shown}\" without email ({lines}) matched to this person by name"
                ));
                self.dsu.union(g, target);
            } else if hits.len() > 1 {
                let who: Vec<String> = hits.iter().map(|&r| email_of(&rows[r]).unwrap_or_default()).collect();
                self.reviews.entry(g).or_default().push(format!(
                    "guest \"{shown}\" could be any of {} people ({}): not merged; use `attest people link`",
                    who.len(),
                    who.join(", ")
                ));
            }
        }
    }

    /// Phase 5. Staff links: the rows under each key of a pair are one person. A name key means
    /// the rows known only by that name, when there are any.
    pub(super) fn apply_links(&mut self, links: &[(PersonKey, PersonKey)]) {
        let n = self.rows.len();
        for (a, b) in links {
            let find = |k: &PersonKey| {
                (0..n)
                    .find(|&i| self.keys[i].contains(k) && (k.is_email() || !self.has_email(i)))
                    .or_else(|| (0..n).find(|&i| self.keys[i].contains(k)))
            };
            if let (Some(x), Some(y)) = (find(a), find(b)) {
                self.dsu.union(x, y);
                let root = self.dsu.find(x);
                self.notes.entry(root).or_default().push(format!("{a} and {b} linked by staff"));
            }
        }
    }

    /// The people: each final group with its keys, its notes and reviews carried to it, and its
    /// rows' own review notes after them.
    pub(super) fn into_people(mut self) -> Vec<Person> {
        let rows = self.rows;
        let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for i in 0..rows.len() {
            let r = self.dsu.find(i);
            groups.entry(r).or_default().push(i);
        }
        let mut final_notes: HashMap<usize, Vec<String>> = HashMap::new();
        for (k, v) in std::mem::take(&mut self.notes) {
            final_notes.entry(self.dsu.find(k)).or_default().extend(v);
        }
        let mut final_reviews: HashMap<usize, Vec<String>> = HashMap::new();
        for (k, v) in std::mem::take(&mut self.reviews) {
            final_reviews.entry(self.dsu.find(k)).or_default().extend(v);
        }
        for (roots, sentence) in std::mem::take(&mut self.shared_names) {
            let people: BTreeSet<usize> = roots.iter().map(|&r| self.dsu.find(r)).collect();
            if people.len() > 1 {
                for p in people {
                    final_reviews.entry(p).or_default().push(sentence.clone());
                }
            }
        }
        groups
            .into_iter()
            .map(|(root, members)| {
                let notes = final_notes.remove(&root).unwrap_or_default();
                let mut review = final_reviews.remove(&root).unwrap_or_default();
                for &m in &members {
                    // The mark of a connection closed at its log's last event is said by the
                    // verdict, where it decides.
                    let notes = rows[m].review.iter().flat_map(|r| r.split("; "));
                    let notes: Vec<&str> = notes.filter(|&n| n != super::CLOSED_AT_LAST_EVENT).collect();
                    if !notes.is_empty() {
                        review.push(format!("{}: {}", rows[m].at, notes.join("; ")));
                    }
                }
                let mut keys: Vec<PersonKey> = members
                    .iter()
                    .flat_map(|&i| self.keys[i].iter().cloned())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                keys.sort_by_key(|k| !k.is_email());
                Person { members, keys, notes, review }
            })
            .collect()
    }
}

/// The one element of a set, when it has exactly one.
fn only(set: &BTreeSet<usize>) -> Option<&usize> {
    let mut it = set.iter();
    it.next().filter(|_| it.next().is_none())
}

/// The address a row's person is known by: the registration's, else the participant's.
fn email_of(r: &Row) -> Option<String> {
    lower(&r.reg_email).or(lower(&r.email))
}

/// Union-find over row indices: each set is one person.
struct Dsu(Vec<usize>);

impl Dsu {
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // Keep the smaller index as root so results do not depend on union order.
            let (lo, hi) = (a.min(b), a.max(b));
            self.0[hi] = lo;
        }
    }
}

/// Keys a row can be found under.
fn row_keys(r: &Row) -> Vec<PersonKey> {
    let mut k = Vec::new();
    for e in [lower(&r.reg_email), lower(&r.email)].into_iter().flatten() {
        let key = PersonKey::email(&e);
        if !k.contains(&key) {
            k.push(key);
        }
    }
    k.push(name_key_of(r));
    k
}

/// The name key a row is found under: its folded name, or, for a name that names nobody
/// ([`lost_name`]), that name and the row's place (`name:?? (p.csv:3)`), so that staff can link,
/// split or override each such row: two guests saved as `??` had one key, and an override of one
/// was the other's too.
pub(super) fn name_key_of(r: &Row) -> PersonKey {
    if lost_name(&r.name).is_some() {
        PersonKey::name(&name_key(&format!("{} ({})", r.name.trim(), r.at)))
    } else {
        PersonKey::name(&name_key(&r.name))
    }
}

/// The registrant's first and last name, when the row has them.
pub(super) fn registration_name(r: &Row) -> Option<String> {
    let full = super::names::given_and_family(r.reg_first_name.as_deref(), r.reg_last_name.as_deref());
    (!full.is_empty()).then_some(full)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{renamed_guest_rows, row};
    use super::*;

    static NO_CORRECTIONS: Manual = Manual { links: Vec::new(), splits: Vec::new() };

    fn members(g: Grouping) -> Vec<Vec<usize>> {
        g.into_people().into_iter().map(|p| p.members).collect()
    }

    #[test]
    fn join_by_email_joins_rows_of_one_address_whatever_their_names_but_not_pinned_ones() {
        let rows = vec![
            row("Ana", Some("Ana@x.org"), (10, 0, 0), (10, 10, 0), 2),
            row("Ana R.", Some("ana@x.org "), (10, 10, 0), (10, 20, 0), 3),
            row("Bo", Some("bo@x.org"), (10, 0, 0), (10, 20, 0), 4),
        ];
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        g.join_by_email();
        assert_eq!(members(g), [vec![0, 1], vec![2]]);

        // A shared participant address with a registration: joined, unless staff split the registrant.
        let mut registered = row("Bo", Some("desk@x.org"), (10, 0, 0), (10, 10, 0), 2);
        registered.reg_email = Some("bo@x.org".into());
        let rows = vec![registered.clone(), row("Desk", Some("desk@x.org"), (10, 0, 0), (10, 10, 0), 3), registered];
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        g.join_by_email();
        assert_eq!(members(g), [vec![0, 1, 2]]);
        let manual = Manual { links: vec![], splits: vec!["email:bo@x.org".into()] };
        let mut g = Grouping::new(&rows, &manual);
        g.join_by_email();
        assert_eq!(members(g), [vec![0, 2], vec![1]], "rows pinned by one split stay together, apart from the rest");
    }

    #[test]
    fn join_guests_by_name_joins_a_guests_reconnects_and_leaves_known_people_alone() {
        let rows = vec![
            row("Jo Bloggs (Guest)", None, (10, 0, 0), (10, 10, 0), 2),
            row("jo  bloggs", None, (10, 10, 0), (10, 20, 0), 3),
            row("Jo Bloggs", Some("jo@x.org"), (10, 0, 0), (10, 20, 0), 4),
        ];
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        let guests = g.guest_names();
        g.join_guests_by_name(&guests);
        assert_eq!(members(g), [vec![0, 1], vec![2]]);
    }

    #[test]
    fn join_listed_nobodies_joins_a_listing_to_the_one_connection_of_its_name_only() {
        let listed = |name: &str, line| {
            let mut r = row(name, None, (10, 0, 0), (11, 40, 0), line);
            r.kind = ConnectionKind::Registration;
            r
        };
        let rows = vec![
            listed("+33 1 ** ** ** 89", 2),
            listed("??", 3),
            row("+33 1 ** ** ** 89", None, (10, 0, 0), (11, 40, 0), 4),
            row("??", None, (10, 0, 0), (10, 50, 0), 5),
            row("??", None, (10, 50, 0), (11, 40, 0), 6),
        ];
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        let guests = g.guest_names();
        g.join_guests_by_name(&guests);
        g.join_listed_nobodies();
        assert_eq!(members(g), [vec![0, 2], vec![1], vec![3], vec![4]], "two connections named ??: whose listing?");
    }

    #[test]
    fn join_renamed_guests_follows_a_rename_with_a_note_and_not_a_shared_note() {
        let rows = renamed_guest_rows();
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        let guests = g.guest_names();
        g.join_guests_by_name(&guests);
        g.join_renamed_guests(&guests);
        let people = g.into_people();
        assert_eq!(people.iter().map(|p| p.members.clone()).collect::<Vec<_>>(), [vec![0, 1], vec![2], vec![3]]);
        assert_eq!(
            people[0].notes,
            ["guest rows named \"Loki (Loki Laufeyson)\" taken as the same guest renamed (f.csv:3)"]
        );
    }

    #[test]
    fn index_known_names_lists_every_form_and_flags_two_registrants_with_one_name() {
        let mut reg = row("JB", Some("jo1@x.org"), (10, 0, 0), (10, 10, 0), 2);
        (reg.reg_first_name, reg.reg_last_name) = (Some("Jo".into()), Some("Bloggs".into()));
        let rows = vec![reg, row("Jo Bloggs", Some("jo2@x.org"), (10, 0, 0), (10, 10, 0), 3)];
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        g.join_by_email();
        let index = g.index_known_names();
        assert_eq!(index.get("jb").map(|s| s.len()), Some(1));
        assert_eq!(index.get("bloggs jo").map(|s| s.len()), Some(1), "last name first, too");
        assert_eq!(index.get("jo bloggs").map(|s| s.len()), Some(2));
        let people = g.into_people();
        for p in &people {
            assert_eq!(p.review.len(), 1, "{:?}", p.review);
            assert!(p.review[0].starts_with("the name \"jo bloggs\" belongs to 2 people"), "{:?}", p.review);
        }
    }

    #[test]
    fn match_guests_merges_with_the_one_known_person_and_sends_a_doubt_to_review() {
        let rows = vec![
            row("Marie Dupont", Some("marie@x.fr"), (10, 0, 0), (10, 50, 0), 2),
            row("iPhone (Marie Dupont)", None, (10, 45, 0), (11, 40, 0), 3),
            row("Jo Bloggs", Some("jo1@x.org"), (10, 0, 0), (10, 10, 0), 4),
            row("Jo Bloggs", Some("jo2@x.org"), (10, 0, 0), (10, 10, 0), 5),
            row("Jo Bloggs", None, (10, 30, 0), (11, 40, 0), 6),
        ];
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        g.join_by_email();
        let guests = g.guest_names();
        g.join_guests_by_name(&guests);
        let index = g.index_known_names();
        g.match_guests(&index);
        let people = g.into_people();
        assert_eq!(
            people.iter().map(|p| p.members.clone()).collect::<Vec<_>>(),
            [vec![0, 1], vec![2], vec![3], vec![4]]
        );
        assert_eq!(
            people[0].notes,
            ["guest rows named \"iPhone (Marie Dupont)\" without email (f.csv:3) matched to this person by name"]
        );
        assert_eq!(
            people[3].review,
            [
                "guest \"Jo Bloggs\" could be any of 2 people (jo1@x.org, jo2@x.org): not merged; use `attest people link`"
            ]
        );
    }

    #[test]
    fn apply_links_joins_the_rows_of_two_keys_and_says_staff_did() {
        let rows = vec![
            row("Jo Bloggs", Some("jo@x.org"), (10, 0, 0), (10, 10, 0), 2),
            row("JB", None, (10, 30, 0), (11, 40, 0), 3),
            row("Someone", None, (10, 30, 0), (11, 40, 0), 4),
        ];
        let links: Vec<(PersonKey, PersonKey)> =
            vec![("name:jb".into(), "email:jo@x.org".into()), ("name:nobody".into(), "name:jb".into())];
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        g.apply_links(&links);
        let people = g.into_people();
        assert_eq!(people.iter().map(|p| p.members.clone()).collect::<Vec<_>>(), [vec![0, 1], vec![2]]);
        assert_eq!(people[0].notes, ["name:jb and email:jo@x.org linked by staff"], "an unknown key links nothing");
        assert_eq!(
            people[0].keys,
            ["email:jo@x.org".into(), "name:jb".into(), "name:jo bloggs".into()] as [PersonKey; 3]
        );
    }

    #[test]
    fn into_people_puts_the_rows_own_review_notes_after_the_groupings() {
        let mut late = row("Ana", Some("ana@x.org"), (10, 0, 0), (10, 10, 0), 2);
        late.review = Some("ambiguous time (DST)".into());
        let rows = vec![late];
        let mut g = Grouping::new(&rows, &NO_CORRECTIONS);
        g.reviews.entry(0).or_default().push("first".into());
        let people = g.into_people();
        assert_eq!(people[0].review, ["first", "f.csv:2: ambiguous time (DST)"]);
    }
}
