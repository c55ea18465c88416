//! Words inside the cells of an export, by interface language: roles, event-log actions and
//! the units of written durations; and the country names Zoom writes in every language. Header
//! texts are in [`super::headers::ALIASES`].
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
    // German: Microsoft's de-de help, "Hinzufügen von Mitorganisatoren zu einer Besprechung in
    // Microsoft Teams" (article 0de2c31c), and `Co-Organisator` as German Teams guides write it
    // (sharepoint360.de, office365experte.de): read as an attendee, a co-organiser was certified.
    ("mitorganisator", Role::Host),
    ("co-organisator", Role::Host),
    ("eventteammember", Role::Host),
    // A Teams live event's organiser role: its attendee report "includes producers and
    // presenters" (Microsoft support, "Get an attendee engagement report for a Teams live
    // event"); read as an attendee, a producer was issued a certificate.
    ("producer", Role::Host),
    ("presenter", Role::Panelist),
    ("présentateur", Role::Panelist),
    ("presentador", Role::Panelist),
    // Spanish Teams calls its presenters moderadores ("el organizador, los moderadores y los
    // asistentes": a Spanish Teams guide, blog-formadrid.blogspot.com, March 2021).
    ("moderador", Role::Panelist),
    ("referent", Role::Panelist),
    // German Teams' presenters; BigBlueButton's and Blackboard Collaborate's moderator, the
    // room's organiser, is read in tables of unknown platforms by [`mapped_role`].
    ("moderator", Role::Panelist),
    ("panelist", Role::Panelist),
    ("panellist", Role::Panelist),
    ("attendee", Role::Attendee),
    ("participant", Role::Attendee),
    ("participante", Role::Attendee),
    ("teilnehmer", Role::Attendee),
    ("teilnehmende", Role::Attendee),
    // Teams' role names in Microsoft's localized help article "Roles in Microsoft Teams
    // meetings" (support.microsoft.com, article c16fa7d0-1666-4dde-8686-0a0bfe16e019) and, for
    // the co-organiser, "Add co-organizers to a meeting" (article 0de2c31c-8207-47ff-ae2a-
    // fc1792d466e2), in the language named; Italian presenter and attendee from a university's
    // Teams help (cia.unich.it), Dutch from timetoguide.nl. The README's Export languages table
    // lists them with their pages. Attendance reports write the role the meeting gave, in these
    // names; none has been seen in a real export yet.
    // Polish (pl-pl, c16fa7d0)
    ("organizator", Role::Host),
    ("współorganizator", Role::Host),
    ("osobaprowadząca", Role::Panelist),
    ("uczestnik", Role::Attendee),
    // Portuguese (pt-br, c16fa7d0)
    ("co-organizador", Role::Host),
    ("apresentador", Role::Panelist),
    // Italian (it-it 0de2c31c; cia.unich.it)
    ("organizzatore", Role::Host),
    ("co-organizzatore", Role::Host),
    ("relatore", Role::Panelist),
    ("partecipante", Role::Attendee),
    // Czech (cs-cz, c16fa7d0 and 0de2c31c)
    ("organizátor", Role::Host),
    ("spoluorganizátor", Role::Host),
    ("prezentující", Role::Panelist),
    ("účastník", Role::Attendee),
    // Turkish (tr-tr, 0de2c31c): the organiser and co-organiser only
    ("düzenleyici", Role::Host),
    ("ortakdüzenleyici", Role::Host),
    // Dutch (timetoguide.nl)
    ("medeorganisator", Role::Host),
    ("presentator", Role::Panelist),
    ("deelnemer", Role::Attendee),
    // Chinese, simplified (zh-cn, c16fa7d0)
    ("组织者", Role::Host),
    ("共同组织者", Role::Host),
    ("演示者", Role::Panelist),
    ("与会者", Role::Attendee),
    // Chinese, traditional (zh-hk c16fa7d0, zh-tw 0de2c31c)
    ("召集人", Role::Host),
    ("共同召集人", Role::Host),
    ("簡報者", Role::Panelist),
    ("出席者", Role::Attendee),
    // Japanese (ja-jp, c16fa7d0); 出席者 is also the Japanese attendee
    ("開催者", Role::Host),
    ("共同開催者", Role::Host),
    ("発表者", Role::Panelist),
    // Webex's roles in German (help.webex.com de-de; wikis.fu-berlin.de's Webex guide):
    // Gastgeber, Mitgastgeber.
    ("gastgeber", Role::Host),
    ("mitgastgeber", Role::Host),
    // The other Webex and Teams role words a tester's exports used, in the languages' plain
    // words (no export of the vendor seen): French and Portuguese co-organisers, the Spanish,
    // Italian and Portuguese panelist, the Spanish attendee, the Japanese host and co-host. Read
    // otherwise, a Spanish Webex report's organiser and panelist were eligible attendees.
    ("co-organisateur", Role::Host),
    ("coorganizador", Role::Host),
    ("panelista", Role::Panelist),
    ("asistente", Role::Attendee),
    ("主催者", Role::Host),
    ("共同主催者", Role::Host),
];

/// The role a cell names, or `None` for a word not in the table.
pub fn role(cell: &str) -> Option<Role> {
    let key = normalise(cell);
    ROLES.iter().find(|(w, _)| *w == key).map(|(_, r)| *r)
}

/// A role word in a table of a platform attest has no reader for: [`role`]'s, but `Moderator`
/// is the host. BigBlueButton's and Blackboard Collaborate's moderators run the room (BigBlueButton's
/// README: its analytics "are visible to moderators"; viewers are the attendees): read as a
/// panelist, a moderator was certified on an event that includes panelists (round 25). German
/// Teams calls its presenters so, and its reader keeps them presenters (a re-test's German
/// report lost its presenters' certificates when every moderator was a host).
pub fn mapped_role(cell: &str) -> Option<Role> {
    if normalise(cell) == "moderator" { Some(Role::Host) } else { role(cell) }
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
/// (format notes 4.3); Polish Teams `2 godz. 18 min 8 s` (issue #22); Japanese Teams
/// `1 時間 45 分 30 秒` (a third-party Japanese parser of real reports, README); German `Std`,
/// Spanish `seg`, German `Sek` were in the reader before.
///
/// Teams writes a duration as the interface language's CLDR short units joined by spaces (the
/// Japanese and Polish forms above are exactly that), so the other languages' words are CLDR's
/// short (and, where it differs, narrow) hour, minute and second units, as ICU 78 / CLDR 48 gives
/// them (`Intl.NumberFormat(locale, {style: 'unit', unitDisplay: 'short'})` in Node), with the
/// unit forms of earlier CLDR versions that testers' files used (Romanian `min.`, Polish `s`).
/// None of these languages' reports has been seen; read as unknown, a 40-minute attendee was
/// counted from first join to last leave and certified.
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
    ("secs", 1),
    ("seg", 1),
    ("sek", 1),
    // English written out: GoTo's `Time in Session` and Meet reports seen as `70 minutes`,
    // `1 hour 10 minutes` (testers' files, round 22; no vendor source), read by Webex already.
    ("hour", 3600),
    ("hours", 3600),
    ("minute", 60),
    ("minutes", 60),
    ("second", 1),
    ("seconds", 1),
    // Japanese Teams `1 時間 30 分 0 秒` (a third-party Japanese parser of real reports,
    // idx:12785033542 and its reader idx:12184016146)
    ("時間", 3600),
    ("分", 60),
    ("秒", 1),
    // CLDR 48 short units (see above). Korean `1시간 10분 0초`
    ("시간", 3600),
    ("분", 60),
    ("초", 1),
    // Chinese, simplified `1小时 10分钟 0秒` (long form `秒钟`) and traditional `1 小時 10 分鐘 0 秒`
    ("小时", 3600),
    ("分钟", 60),
    ("秒钟", 1),
    ("小時", 3600),
    ("分鐘", 60),
    // Turkish `1 sa. 10 dk. 0 sn.`
    ("sa", 3600),
    ("dk", 60),
    ("sn", 1),
    // Dutch `1 uur 10 min 0 sec`
    ("uur", 3600),
    // Swedish `1 tim 10 min 0 s`
    ("tim", 3600),
    // Hungarian `1 ó 10 p 0 mp`
    ("ó", 3600),
    ("p", 60),
    ("mp", 1),
    // Greek `1 ώ. 10 λ. 0 δευτ.` (narrow `δ`)
    ("ώ", 3600),
    ("λ", 60),
    ("δευτ", 1),
    ("δ", 1),
    // Ukrainian `1 год 10 хв 0 с`; Russian `1 ч 10 мин 0 с`
    ("год", 3600),
    ("хв", 60),
    ("с", 1),
    ("ч", 3600),
    ("мин", 60),
    // Arabic `1 س 10 د 0 ث`
    ("س", 3600),
    ("د", 60),
    ("ث", 1),
    // Romanian `1 oră 10 min. 0 s`, `2 ore`
    ("oră", 3600),
    ("ore", 3600),
    // CLDR's long and short names of the hour, the minute and the second in the other languages
    // of the seminars' officials, as written out beside a number (a tester's Indonesian
    // `1 jam 20 mnt`, Hungarian `1 óra 20 perc`, Greek `1 ώρα 20 λεπτά` and Danish `1 t. 20 min.`
    // were refused, round 25). Not `time` (Danish "hour"), which ends English headers (`Total
    // time`), nor `saat` (Turkish "hour", Malay "second").
    ("jam", 3600),
    ("menit", 60),
    ("mnt", 60),
    ("detik", 1),
    ("dtk", 1),
    ("minit", 60),
    ("óra", 3600),
    ("perc", 60),
    ("másodperc", 1),
    ("ώρα", 3600),
    ("ώρες", 3600),
    ("λεπτά", 60),
    ("λεπτό", 60),
    ("δευτερόλεπτα", 1),
    ("δευτερόλεπτο", 1),
    ("t", 3600),
    ("timer", 3600),
    ("minutter", 60),
    ("sekunder", 1),
    ("timme", 3600),
    ("timmar", 3600),
    ("minuter", 60),
    ("tunti", 3600),
    ("tuntia", 3600),
    ("minuuttia", 60),
    ("sekuntia", 1),
    ("tund", 3600),
    ("tundi", 3600),
    ("minutit", 60),
    ("sekundit", 1),
    ("stunde", 3600),
    ("stunden", 3600),
    ("minuten", 60),
    ("sekunde", 1),
    ("sekunden", 1),
    ("heure", 3600),
    ("heures", 3600),
    ("seconde", 1),
    ("secondes", 1),
    ("hora", 3600),
    ("horas", 3600),
    ("minuto", 60),
    ("minutos", 60),
    ("segundo", 1),
    ("segundos", 1),
    ("ora", 3600),
    ("minuti", 60),
    ("secondo", 1),
    ("secondi", 1),
    ("godzina", 3600),
    ("godziny", 3600),
    ("godzin", 3600),
    ("minuta", 60),
    ("minuty", 60),
    ("minut", 60),
    ("sekunda", 1),
    ("sekundy", 1),
    ("sekund", 1),
    ("hodina", 3600),
    ("hodiny", 3600),
    ("hodin", 3600),
    ("час", 3600),
    ("часа", 3600),
    ("часов", 3600),
    ("минута", 60),
    ("минуты", 60),
    ("минут", 60),
    ("секунда", 1),
    ("секунды", 1),
    ("секунд", 1),
    ("година", 3600),
    ("години", 3600),
    ("годин", 3600),
    ("хвилина", 60),
    ("хвилини", 60),
    ("хвилин", 60),
    ("sat", 3600),
    ("sati", 3600),
    ("sekundi", 1),
    ("ura", 3600),
    ("ur", 3600),
    ("dakika", 60),
    ("saniye", 1),
    ("secunde", 1),
    ("giờ", 3600),
    ("phút", 60),
    ("giây", 1),
    ("saa", 3600),
    ("sekunde", 1),
    ("ساعة", 3600),
    ("ساعات", 3600),
    ("دقيقة", 60),
    ("دقائق", 60),
    ("ثانية", 1),
    ("ثوان", 1),
];

/// Country names as Zoom writes them in a webinar report's `Country/Region Name` column,
/// whatever the interface language (a tester's Turkish report: `Türkiye`, `Ukraine`, `Georgia`
/// under `Ülke/Bölge Adı`; the format notes' real 2025 report: `India`): the ISO 3166 English
/// short names, with the forms in common use beside them. A column of them is not the role,
/// however few its values: taken for it in a small file, everyone from a rarer country was
/// left to staff.
#[rustfmt::skip]
const COUNTRIES: &[&str] = &[
    "Afghanistan", "Albania", "Algeria", "Andorra", "Angola", "Antigua and Barbuda", "Argentina", "Armenia",
    "Australia", "Austria", "Azerbaijan", "Bahamas", "Bahrain", "Bangladesh", "Barbados", "Belarus", "Belgium",
    "Belize", "Benin", "Bhutan", "Bolivia", "Bosnia and Herzegovina", "Botswana", "Brazil", "Brunei", "Bulgaria",
    "Burkina Faso", "Burundi", "Cabo Verde", "Cape Verde", "Cambodia", "Cameroon", "Canada",
    "Central African Republic", "Chad", "Chile", "China", "Colombia", "Comoros", "Congo",
    "Democratic Republic of the Congo", "Costa Rica", "Côte d'Ivoire", "Ivory Coast", "Croatia", "Cuba", "Cyprus",
    "Czechia", "Czech Republic", "Denmark", "Djibouti", "Dominica", "Dominican Republic", "Ecuador", "Egypt",
    "El Salvador", "Equatorial Guinea", "Eritrea", "Estonia", "Eswatini", "Ethiopia", "Fiji", "Finland", "France",
    "Gabon", "Gambia", "Georgia", "Germany", "Ghana", "Greece", "Grenada", "Guatemala", "Guinea", "Guinea-Bissau",
    "Guyana", "Haiti", "Holy See", "Honduras", "Hong Kong", "Hungary", "Iceland", "India", "Indonesia", "Iran",
    "Iraq", "Ireland", "Israel", "Italy", "Jamaica", "Japan", "Jordan", "Kazakhstan", "Kenya", "Kiribati", "Kosovo",
    "Kuwait", "Kyrgyzstan", "Laos", "Latvia", "Lebanon", "Lesotho", "Liberia", "Libya", "Liechtenstein", "Lithuania",
    "Luxembourg", "Macao", "Madagascar", "Malawi", "Malaysia", "Maldives", "Mali", "Malta", "Marshall Islands",
    "Mauritania", "Mauritius", "Mexico", "Micronesia", "Moldova", "Republic of Moldova", "Monaco", "Mongolia",
    "Montenegro", "Morocco", "Mozambique", "Myanmar", "Namibia", "Nauru", "Nepal", "Netherlands", "New Zealand",
    "Nicaragua", "Niger", "Nigeria", "North Korea", "North Macedonia", "Norway", "Oman", "Pakistan", "Palau",
    "Palestine", "Panama", "Papua New Guinea", "Paraguay", "Peru", "Philippines", "Poland", "Portugal",
    "Puerto Rico", "Qatar", "Romania", "Russia", "Russian Federation", "Rwanda", "Saint Kitts and Nevis",
    "Saint Lucia", "Saint Vincent and the Grenadines", "Samoa", "San Marino", "Sao Tome and Principe",
    "Saudi Arabia", "Senegal", "Serbia", "Seychelles", "Sierra Leone", "Singapore", "Slovakia", "Slovenia",
    "Solomon Islands", "Somalia", "South Africa", "South Korea", "Korea", "Republic of Korea", "South Sudan",
    "Spain", "Sri Lanka", "Sudan", "Suriname", "Sweden", "Switzerland", "Syria", "Taiwan", "Tajikistan", "Tanzania",
    "Thailand", "Timor-Leste", "Togo", "Tonga", "Trinidad and Tobago", "Tunisia", "Türkiye", "Turkey",
    "Turkmenistan", "Tuvalu", "Uganda", "Ukraine", "United Arab Emirates", "United Kingdom", "UK", "United States",
    "United States of America", "USA", "Uruguay", "Uzbekistan", "Vanuatu", "Venezuela", "Vietnam", "Viet Nam",
    "Yemen", "Zambia", "Zimbabwe",
];

/// Whether a cell is a country's name, as Zoom writes it, in any case and spacing.
pub fn country(cell: &str) -> bool {
    use std::collections::HashSet;
    use std::sync::OnceLock;
    static NAMES: OnceLock<HashSet<String>> = OnceLock::new();
    NAMES.get_or_init(|| COUNTRIES.iter().map(|c| normalise(c)).collect()).contains(&normalise(cell))
}

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

    #[test]
    fn japanese_written_durations() {
        use crate::import::ctx::parse_hms;
        assert_eq!(parse_hms("1 時間 45 分 30 秒"), Some(6330));
        assert_eq!(parse_hms("45 分 20 秒"), Some(2720));
        assert_eq!(parse_hms("2 時間"), Some(7200));
        assert_eq!(parse_hms("1時間59分"), Some(7140));
    }

    #[test]
    fn durations_written_as_a_clock_or_in_words_of_any_teams_language() {
        use crate::import::ctx::parse_hms;
        for (cell, want) in [
            ("01:10:00", 4200),
            ("1:10:00", 4200),
            ("125:03:09", 125 * 3600 + 189),
            ("70 minutes", 4200),
            ("1 hour 10 minutes", 4200),
            ("1 hr 10 min", 4200),
            ("1 hour, 10 minutes", 4200),
            ("40분 0초", 2400),
            ("1시간 10분", 4200),
            ("40 dk. 0 sn.", 2400),
            ("1 sa. 10 dk. 0 sn.", 4200),
            ("40 min 0 sec", 2400),
            ("1 uur 10 min 0 sec", 4200),
            ("40 分钟 0 秒", 2400),
            ("1小时10分钟", 4200),
            ("40 分鐘 0 秒", 2400),
            ("1 小時 10 分鐘 0 秒", 4200),
            ("40 p 0 mp", 2400),
            ("1 ó 10 p 0 mp", 4200),
            ("40 λ. 0 δευτ.", 2400),
            ("1 ώ. 10 λ. 0 δευτ.", 4200),
            ("40 хв 0 с", 2400),
            ("1 год 10 хв 0 с", 4200),
            ("1 ч 10 мин 0 с", 4200),
            ("40 د 0 ث", 2400),
            ("1 س 10 د 0 ث", 4200),
            ("1 tim 23 min 0 s", 4980),
            ("1 h 23 min. 0 s", 4980),
            ("1 oră 10 min. 0 s", 4200),
            ("40 Min. 0 Sek.", 2400),
            ("1 Std. 5 Min.", 3900),
        ] {
            assert_eq!(parse_hms(cell), Some(want), "{cell}");
        }
        // A time of day with its minutes, a two-part clock (H:MM or MM:SS?), a bare number, a
        // name: not durations this reads.
        for cell in ["10:61:00", "1:10", "70", "Anna 2", "1:10:00 PM", "2025-03-14 10:00:00", ""] {
            assert_eq!(parse_hms(cell), None, "{cell}");
        }
    }

    #[test]
    fn teams_role_words_from_microsofts_localized_help() {
        for (word, want) in [
            ("Organizator", Role::Host),
            ("Współorganizator", Role::Host),
            ("Osoba prowadząca", Role::Panelist),
            ("Uczestnik", Role::Attendee),
            ("Apresentador", Role::Panelist),
            ("Moderador", Role::Panelist),
            ("Co-organizador", Role::Host),
            ("Relatore", Role::Panelist),
            ("Partecipante", Role::Attendee),
            ("Prezentující", Role::Panelist),
            ("Účastník", Role::Attendee),
            ("Ortak düzenleyici", Role::Host),
            ("Presentator", Role::Panelist),
            ("共同组织者", Role::Host),
            ("演示者", Role::Panelist),
            ("与会者", Role::Attendee),
            ("簡報者", Role::Panelist),
            ("出席者", Role::Attendee),
            ("開催者", Role::Host),
            ("発表者", Role::Panelist),
        ] {
            assert_eq!(role(word), Some(want), "{word}");
        }
    }

    #[test]
    fn a_moderator_is_a_teams_presenter_and_an_unknown_platforms_host() {
        assert_eq!(role("Moderator"), Some(Role::Panelist));
        assert_eq!(mapped_role("Moderator"), Some(Role::Host));
        assert_eq!(mapped_role("MODERATOR"), Some(Role::Host));
        assert_eq!(mapped_role("Viewer"), role("Viewer"));
    }
}
