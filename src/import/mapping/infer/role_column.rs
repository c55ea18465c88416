//! The role column in a language attest has no role words for: a column of a few words, taken
//! as the role when one such column has the attendees' word on most rows.

use super::Inferring;
use crate::import::headers::{Col, lookup};
use crate::import::mapping::Field;
use crate::import::mapping::cells::{czech_guest_column, header_role, most};

impl Inferring<'_> {
    /// The role column `p`'s header names ([`header_role`]).
    fn header_role(&self, p: usize) -> Option<crate::attendance::Role> {
        header_role(self.header_cells.get(p)?, self.rows.iter().map(|r| r.cell(p)))
    }

    /// A column of a few words none of which is a known role word may still be the role (in a
    /// language the table lacks). One such column is taken as the role: left out, a Teams
    /// organiser in Korean read as an attendee and was found eligible with no word to anyone;
    /// taken, the people under any word but the most frequent go to review
    /// ([`read`](super::read)), so a column that is not the role costs a look, never a
    /// certificate. Several such columns are said, not mapped: which one is the role is a guess.
    pub(super) fn unknown_role_words(&mut self) {
        // An event log's columns of a few words are its actions and, with few people, its
        // names: not roles.
        if self.mapping.iter().any(|(f, _)| matches!(f, Field::Role | Field::Time)) {
            return;
        }
        let n_rows = self.rows.len();
        let mut candidates: Vec<(usize, Vec<String>)> = Vec::new();
        for p in (0..self.width()).filter(|p| !self.used.contains(p) && !self.mapping.iter().any(|(_, q)| q == p)) {
            let pr = &self.profiles[p];
            // A role word holds no digit: `1 საათი 20 წუთი` is a duration in words attest has
            // none of, and taken for the role it made an eligible attendee a panelist.
            let digits = || self.rows.iter().any(|r| r.cell(p).chars().any(|c| c.is_ascii_digit()));
            if pr.filled > 0
                && (2..=6).contains(&pr.distinct)
                && pr.distinct * 2 <= n_rows.max(2) + 1
                && most(pr.letters, pr.filled)
                && !digits()
            {
                // A column of country names is not a role, however few its values (a small
                // regional seminar's `Türkiye` beside one `Georgia`).
                if self.countries(p) {
                    self.reasons.push(format!("{} holds country names: not the role", self.label(p)));
                    continue;
                }
                // A yes/no column (guest, waiting room) is not a role; it may be the waiting room,
                // which staff can say (its header is in no language attest has words for).
                if !self.yes_no(p) {
                    candidates.push((p, self.words(p)));
                } else if let Some(role) = self.header_role(p) {
                    // Yes and no under a role word (BigBlueButton's `Moderator`): yes is that
                    // role. Offered as a waiting room, a moderator was certified (round 24).
                    self.mapping.push((Field::Role, p));
                    self.reasons.push(format!(
                        "{} holds yes and no under a role word: yes reads as {}, no as attendee",
                        self.label(p),
                        role.as_str()
                    ));
                    return;
                } else if !self.header_cells.get(p).is_some_and(|h| {
                    lookup(h).iter().any(|c| matches!(c, Col::Guest | Col::WaitingRoom))
                        || czech_guest_column(h, self.rows.iter().map(|r| r.cell(p)))
                }) {
                    self.reasons.push(format!(
                        "{} holds yes and no: if it says who was in the waiting room, add waiting={} (that time is not attendance)",
                        self.label(p),
                        p + 1
                    ));
                }
            }
        }
        // A column of role words has the attendees' word on most rows, and its other words on a
        // few: the organisers, co-organisers and presenters, at most ten rows or a fifth of
        // them. A column of countries (a Turkish webinar report's `Ülke/Bölge Adı`) or of
        // consent answers has no such majority, or too many rows under its other values; taken
        // for the role, it left everyone from the rarer countries to staff.
        let role_like = |p: usize, words: &[String]| {
            let held = |w: &str| self.rows.iter().filter(|r| r.cell(p) == w).count();
            let filled = self.rows.iter().filter(|r| !r.cell(p).is_empty()).count();
            let most_held = words.iter().map(|w| held(w)).max().unwrap_or(0);
            most_held * 2 > filled && filled - most_held <= (filled / 5).max(10)
        };
        if let [(p, words)] = candidates.as_slice()
            && role_like(*p, words)
        {
            self.mapping.push((Field::Role, *p));
            self.reasons.push(format!(
                "{}: {} values ({}) that are not role words attest knows, taken as the role: the people under the most frequent are read as attendees, the others as panelists, sent to review (a guess: if the column is not the role, such as a department, leave role={} out)",
                self.label(*p),
                words.len(),
                words.join(", "),
                p + 1,
            ));
            return;
        }
        for (p, words) in candidates {
            self.reasons.push(format!(
                "{} is not mapped: its {} values ({}) are not role words attest knows; if it is the role, add role={} (read as attendee)",
                self.label(p),
                words.len(),
                words.join(", "),
                p + 1
            ));
        }
    }
}
