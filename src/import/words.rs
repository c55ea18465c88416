//! Words inside the cells of an export, by interface language: roles, event-log actions and
//! the units of written durations. Header texts are in [`super::headers::ALIASES`].
//!
//! Every word has a source: the format notes (`docs/attendance-export-formats.md`), a public
//! export or a third-party parser written against real files, or the issue that asked for it.
//! The README's "Export languages" table lists what is covered per language and where no
//! source was found; a file in such a language is read through a column mapping instead.

use super::headers::normalise;
use crate::attendance::Role;

/// Role words, normalised ([`normalise`]), with the role each reads as.
///
/// Sources: English `Organizer`/`Presenter`/`Attendee` (format notes 4.1, real Teams exports),
/// `Event Team Member` (Teams Live Event, 4.2); French, Spanish and German Teams roles were in the
/// table before this module (the Teams report tests); `Panelist`, `Host`, `Co-host` are Zoom's
/// section and role names (format notes 2.1).
const ROLES: &[(&str, Role)] = &[
    ("organizer", Role::Host),
    ("organiser", Role::Host),
    ("co-organizer", Role::Host),
    ("co-organiser", Role::Host),
    ("coorganizer", Role::Host),
    ("host", Role::Host),
    ("co-host", Role::Host),
    ("cohost", Role::Host),
    ("organisateur", Role::Host),
    ("organizador", Role::Host),
    ("organisator", Role::Host),
    ("eventteammember", Role::Host),
    ("presenter", Role::Panelist),
    ("présentateur", Role::Panelist),
    ("presentador", Role::Panelist),
    ("referent", Role::Panelist),
    ("moderator", Role::Panelist),
    ("panelist", Role::Panelist),
    ("panellist", Role::Panelist),
    ("attendee", Role::Attendee),
    ("participant", Role::Attendee),
    ("participante", Role::Attendee),
    ("teilnehmer", Role::Attendee),
    ("teilnehmende", Role::Attendee),
];

/// The role a cell names, or `None` for a word not in the table.
pub fn role(cell: &str) -> Option<Role> {
    let key = normalise(cell);
    ROLES.iter().find(|(w, _)| *w == key).map(|(_, r)| *r)
}

/// Event-log actions, normalised: joined (including Teams' `Joined before`, a join logged before
/// the report started) and left.
///
/// Sources: `Joined`, `Left`, `Joined before` (format notes 4.2, the 2020 Teams list); the German,
/// French, Spanish and Japanese words were in the event-log reader before this module.
pub const JOINED: &[&str] = &["joined", "joinedbefore", "beigetreten", "arejoint", "seunió", "seunio", "参加済み"];
pub const LEFT: &[&str] = &["left", "verlassen", "hatverlassen", "aquitté", "salió", "salio", "退出済み"];

/// Units of written durations, lower case, with their seconds.
///
/// Sources: Teams `1h 2m 3s` / `13m 22s` (format notes 4.1); Google Meet `1 hr 5 min`, `30 sec`
/// (format notes 4.3); Polish Teams `2 godz. 18 min 8 s` (issue #22); German `Std`, Spanish `seg`,
/// German `Sek` were in the reader before.
pub const UNITS: &[(&str, i64)] = &[
    ("h", 3600),
    ("hr", 3600),
    ("hrs", 3600),
    ("std", 3600),
    ("godz", 3600),
    ("m", 60),
    ("min", 60),
    ("mins", 60),
    ("s", 1),
    ("sec", 1),
    ("seg", 1),
    ("sek", 1),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_words_in_several_languages() {
        assert_eq!(role("Organizer"), Some(Role::Host));
        assert_eq!(role("Co-organizer"), Some(Role::Host));
        assert_eq!(role("Présentateur"), Some(Role::Panelist));
        assert_eq!(role("Attendee"), Some(Role::Attendee));
        assert_eq!(role("Yes"), None);
    }
}
