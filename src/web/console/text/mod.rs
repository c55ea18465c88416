//! Every word the staff console shows, in English and French (the Council of Europe's two
//! official languages), and how numbers and dates are written in each.
//!
//! # The catalogue
//! [`K`] names every string; [`catalogue!`] gives each key its English and French text side by
//! side, so a key cannot exist in one language only: a row without `fr:` (or `en:`) does not
//! compile. A key no page uses is a `dead_code` warning (a build error under clippy `-D warnings`),
//! because the list of all keys ([`K::ALL`]) exists only in tests. The tests below check what the
//! compiler cannot: no empty text, the same `{placeholders}` in both languages, the same number
//! of plural forms, and French typography.
//!
//! # How to add a string (or move a page's strings here)
//! 1. Add a row under the heading of its page, key in `UpperCamelCase` saying what it is:
//!    `UploadTitle { en: "Upload exports", fr: "Importer des exports" },`
//! 2. In the page, take a [`Tr`] (a signed-in page has it as `user.tr`; before sign-in, take
//!    `tr: Tr` as an extractor argument) and write `(tr.t(K::UploadTitle))` where the literal was.
//! 3. Text with values: name them in braces, `"{file}: {rows} rows read"`, and fill them with
//!    `tr.f(K::RowsRead, &[("file", &name), ("rows", &tr.num(rows))])`. When a value is markup
//!    (a link, `strong`, `code`), use `tr.m(K::…, &[("file", html! { strong { (name) } })])`:
//!    the text around it is escaped, the markup is not. Never build a sentence by gluing
//!    fragments: word order differs between the languages.
//! 4. Counts: write both forms separated by `|`, singular first, the count as `{n}`:
//!    `IssueN { en: "Issue {n} certificate|Issue {n} certificates", fr: "Délivrer {n}\u{a0}certificat|…" }`
//!    and call `tr.n(K::IssueN, count, &[])` (or `tr.nm` for markup). French takes the
//!    singular for 0 and 1, English for 1 only.
//! 5. French typography: a no-break space `\u{a0}` before `:` and inside « », a narrow no-break
//!    space `\u{202f}` before `;` `!` `?` and `\u{a0}` before `%`; the apostrophe is ’. Write
//!    them as these escapes so they can be seen; the test `french_typography_is_consistent`
//!    points at every row that forgets one.
//! 6. Numbers and dates: `tr.num(n)`, `tr.datetime(t)`, `tr.date(t)`, never `format!`.
//! 7. Run `cargo test --lib console::text` and `cargo test --test console_language` (it walks
//!    every console page in French and fails on English words left in it; add a new page's URL
//!    to its list).
//!
//! Not here: the public pages (`web::i18n`, three languages), the JSON API's messages, and
//! text the library writes (decision reasons, import and store error details, audit entries):
//! those stay in English and pages mark them `lang="en"`, so browsers and screen readers know.

use std::fmt::Display;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use chrono::{DateTime, TimeZone};
use maud::{Markup, PreEscaped, html};

use crate::web::AppState;

/// The cookie that keeps the language chosen with the switcher.
pub const LANG_COOKIE: &str = "attest_lang";

/// A language of the console.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// `fr`, `fr-CH`, `FR`… → French; anything else is not a console language.
    pub fn parse(tag: &str) -> Option<Lang> {
        match tag.get(..2)?.to_ascii_lowercase().as_str() {
            "en" if tag.len() == 2 || tag.as_bytes()[2] == b'-' => Some(Lang::En),
            "fr" if tag.len() == 2 || tag.as_bytes()[2] == b'-' => Some(Lang::Fr),
            _ => None,
        }
    }

    /// The cookie set by the switcher, else the browser's languages, else English.
    pub fn of_request(headers: &HeaderMap) -> Lang {
        super::cookie(headers, LANG_COOKIE).as_deref().and_then(Lang::parse).unwrap_or_else(|| {
            let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
            crate::web::i18n::negotiate(accept, Lang::parse).unwrap_or(Lang::En)
        })
    }
}

/// The console's words in one language, and where the page is (for the language switcher).
#[derive(Debug, Clone)]
pub struct Tr {
    pub lang: Lang,
    /// The page to come back to after switching language: the request's path and query for a
    /// GET; for a form's answer, the page the form belongs to.
    pub here: String,
    /// What the form before this page did (`?done=…`, see `console::Done`), said by the layout.
    pub done: Option<String>,
}

impl Tr {
    pub fn of(parts: &Parts) -> Tr {
        let done =
            parts.uri.query().and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("done=")).map(str::to_owned));
        let here = if parts.method == Method::GET {
            // Without `done`: the notice is said once, not again after switching language.
            let path = parts.uri.path();
            let rest: Vec<&str> = parts
                .uri
                .query()
                .unwrap_or("")
                .split('&')
                .filter(|kv| !kv.is_empty() && !kv.starts_with("done="))
                .collect();
            if rest.is_empty() { path.to_owned() } else { format!("{path}?{}", rest.join("&")) }
        } else {
            // `/staff/events/{slug}/override` → `/staff/events/{slug}`: a page that answers GET.
            parts.uri.path().split('/').take(4).collect::<Vec<_>>().join("/")
        };
        Tr { lang: Lang::of_request(&parts.headers), here, done }
    }

    /// The text of a key (for a plural key, its first form).
    pub fn t(&self, k: K) -> &'static str {
        let s = match self.lang {
            Lang::En => k.en(),
            Lang::Fr => k.fr(),
        };
        s.split('|').next().unwrap_or(s)
    }

    /// The text with its `{placeholders}` filled in.
    pub fn f(&self, k: K, args: &[(&str, &dyn Display)]) -> String {
        fill(self.t(k), |name, out| match args.iter().find(|(n, _)| *n == name) {
            Some((_, v)) => out.push_str(&v.to_string()),
            None => missing(out, name),
        })
    }

    /// The text, escaped, with markup in its `{placeholders}`.
    pub fn m(&self, k: K, args: &[(&str, Markup)]) -> Markup {
        fill_markup(self.t(k), args)
    }

    /// The form of a plural key for `count`, with `{n}` the count written in this language.
    pub fn n(&self, k: K, count: usize, args: &[(&str, &dyn Display)]) -> String {
        let n = self.num(count);
        fill(self.plural(k, count), |name, out| match args.iter().find(|(a, _)| *a == name) {
            Some((_, v)) => out.push_str(&v.to_string()),
            None if name == "n" => out.push_str(&n),
            None => missing(out, name),
        })
    }

    /// [`Tr::n`] with markup in the placeholders (`{n}` is plain text unless given).
    pub fn nm(&self, k: K, count: usize, args: &[(&str, Markup)]) -> Markup {
        let mut all: Vec<(&str, Markup)> = args.to_vec();
        if !args.iter().any(|(a, _)| *a == "n") {
            all.push(("n", html! { (self.num(count)) }));
        }
        fill_markup(self.plural(k, count), &all)
    }

    fn plural(&self, k: K, count: usize) -> &'static str {
        let s = match self.lang {
            Lang::En => k.en(),
            Lang::Fr => k.fr(),
        };
        let (one, other) = s.split_once('|').unwrap_or((s, s));
        // CLDR: French is singular for 0 and 1, English for 1 only.
        let singular = match self.lang {
            Lang::En => count == 1,
            Lang::Fr => count <= 1,
        };
        if singular { one } else { other }
    }

    /// A whole number with the language's digit grouping: 12,345 or 12 345.
    pub fn num(&self, n: impl Display) -> String {
        let s = n.to_string();
        let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
        let sep = match self.lang {
            Lang::En => ",",
            // The narrow no-break space of the French national printing office's rules.
            Lang::Fr => "\u{202f}",
        };
        let mut out = String::from(sign);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(sep);
            }
            out.push(c);
        }
        out
    }

    /// Date and time to the minute: `2025-03-14 10:00` or `14/03/2025 10:00`.
    pub fn datetime<Tz: TimeZone>(&self, t: &DateTime<Tz>) -> String
    where
        Tz::Offset: Display,
    {
        match self.lang {
            Lang::En => t.format("%Y-%m-%d %H:%M").to_string(),
            Lang::Fr => t.format("%d/%m/%Y %H:%M").to_string(),
        }
    }

    /// A stored UTC timestamp (RFC 3339) as [`Tr::datetime`] with seconds; kept as stored if it
    /// does not read.
    pub fn stored(&self, ts: &str) -> String {
        match crate::store::parse_ts(ts) {
            Some(t) => match self.lang {
                Lang::En => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                Lang::Fr => t.format("%d/%m/%Y %H:%M:%S").to_string(),
            },
            None => ts.to_owned(),
        }
    }
}

/// An unknown placeholder stays visible, so a test or a reader notices it.
fn missing(out: &mut String, name: &str) {
    out.push('{');
    out.push_str(name);
    out.push('}');
}

/// Calls `arg` for each `{name}` of `s` and copies the text between them.
fn fill(s: &str, mut arg: impl FnMut(&str, &mut String)) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&rest[..open]);
        arg(&rest[open + 1..close], &mut out);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn fill_markup(s: &str, args: &[(&str, Markup)]) -> Markup {
    let mut out = String::with_capacity(s.len() + 64);
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
        out.push_str(&html! { (rest[..open]) }.into_string());
        let name = &rest[open + 1..close];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, m)) => out.push_str(&m.0),
            None => missing(&mut out, name),
        }
        rest = &rest[close + 1..];
    }
    out.push_str(&html! { (rest) }.into_string());
    PreEscaped(out)
}

impl FromRequestParts<AppState> for Tr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Tr::of(parts))
    }
}

/// Defines [`K`] and its two texts from rows `Key { en: "…", fr: "…" },`.
macro_rules! catalogue {
    ($( $(#[$doc:meta])* $key:ident { en: $en:literal, fr: $fr:literal $(,)? } ),* $(,)?) => {
        /// A string of the console; its texts are in the `catalogue!` rows of `text.rs`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum K { $( $(#[$doc])* $key, )* }

        impl K {
            fn en(self) -> &'static str {
                match self { $( K::$key => $en, )* }
            }

            fn fr(self) -> &'static str {
                match self { $( K::$key => $fr, )* }
            }

            /// Every key (tests only, so that a key no page uses stays a dead-code warning).
            #[cfg(test)]
            pub const ALL: &[K] = &[ $( K::$key, )* ];
        }
    };
}

catalogue! {
    // The frame, the switcher and shared pieces (mod.rs).
    SiteName { en: "attest · staff", fr: "attest · personnel" },
    TitleSuffix { en: "attest staff", fr: "attest personnel" },
    LanguageNav { en: "Language of the console", fr: "Langue de la console" },
    StaffNav { en: "Staff", fr: "Personnel" },
    NavEvents { en: "Events", fr: "Événements" },
    NavAudit { en: "Audit log", fr: "Journal d’audit" },
    NavSeries { en: "Series", fr: "Séries" },
    NavDesigns { en: "Designs", fr: "Modèles" },
    DesignButton { en: "Certificate design", fr: "Modèle du certificat" },
    NavPublic { en: "Public pages", fr: "Pages publiques" },
    SignOut { en: "Sign out", fr: "Se déconnecter" },
    DoneEventCreated { en: "Event created. Next: upload its attendance exports.", fr: "Événement créé. Étape suivante\u{a0}: importer ses exports de présence." },
    DoneEventSaved { en: "Event saved.", fr: "Événement enregistré." },
    DoneDesignCreated { en: "Design created. Add its logos, signatories and wording below.", fr: "Modèle créé. Ajoutez ci-dessous ses logos, signataires et textes." },
    DoneDesignSaved { en: "Design saved as a new version. Certificates issued from now on use it.", fr: "Modèle enregistré dans une nouvelle version. Les certificats délivrés désormais l’utilisent." },
    DoneDesignAssigned { en: "Design chosen for this event. Certificates issued from now on use it; those already issued keep theirs until reissued.", fr: "Modèle choisi pour cet événement. Les certificats délivrés désormais l’utilisent\u{202f}; ceux déjà délivrés gardent le leur jusqu’à leur nouvelle délivrance." },
    DoneOrganisationSaved { en: "Organisation saved.", fr: "Organisation enregistrée." },
    DoneReissued { en: "Certificate reissued: this is the new one; the old one now shows as superseded.", fr: "Certificat délivré à nouveau\u{a0}: voici le nouveau\u{202f}; l’ancien apparaît comme remplacé." },
    DoneRevoked { en: "Certificate revoked: its verify page now says so.", fr: "Certificat révoqué\u{a0}: sa page de vérification l’indique désormais." },
    DoneOverridden { en: "Decision changed. It applies to certificates issued from now on.", fr: "Décision modifiée. Elle s’applique aux certificats délivrés désormais." },
    DoneLinked { en: "Counted as one person: their time is added up.", fr: "Compté comme une seule personne\u{a0}: son temps est additionné." },
    DoneSplit { en: "Counted apart again.", fr: "De nouveau compté à part." },
    DoneMailQueued { en: "Mails queued: they are sent one after another below.", fr: "Courriels mis en file\u{a0}: ils partent l’un après l’autre ci-dessous." },
    DoneSeriesCreated { en: "Series created. Next: add its events.", fr: "Série créée. Étape suivante\u{a0}: ajouter ses événements." },
    DoneSeriesSaved { en: "Series saved.", fr: "Série enregistrée." },
    DoneSeriesIssued { en: "Series certificates issued.", fr: "Certificats de la série délivrés." },
    Back { en: "Back", fr: "Retour" },
    DidNotWork { en: "That did not work", fr: "L’opération n’a pas abouti" },
    FormExpired {
        en: "This form has expired or did not come from this site. Go back, reload the page and try again.",
        fr: "Ce formulaire a expiré ou ne provient pas de ce site. Revenez en arrière, rechargez la page et réessayez.",
    },
    RoleRefusedTitle { en: "Your role does not allow this", fr: "Votre rôle ne le permet pas" },
    RoleRefused {
        en: "You are signed in as {role}; this needs {needed}. An administrator can change your role (attest staff role).",
        fr: "Vous êtes connecté en tant que {role}\u{202f}; cette action demande le rôle {needed}. Un administrateur peut changer votre rôle (attest staff role).",
    },
    RoleAdmin { en: "administrator", fr: "administrateur" },
    RoleIssuer { en: "issuer", fr: "émetteur" },
    RoleViewer { en: "viewer", fr: "lecteur" },

    Verifications { en: "Verifications", fr: "Vérifications" },
    VerifiedTimes {
        en: "verified {n} time, last on {at}|verified {n} times, last on {at}",
        fr: "vérifié {n}\u{a0}fois, la dernière le {at}|vérifié {n}\u{a0}fois, la dernière le {at}",
    },
    NotVerifiedYet { en: "not verified yet", fr: "pas encore vérifié" },

    // Sign-in and the setup link (mod.rs).
    SignInWith { en: "Sign in with {name}", fr: "Se connecter avec\u{a0}: {name}" },
    WithPassword { en: "Or with a password", fr: "Ou avec un mot de passe" },
    PasswordSignInOff {
        en: "Sign-in with a password is switched off on this server: use your organisation's account.",
        fr: "La connexion par mot de passe est désactivée sur ce serveur\u{a0}: utilisez le compte de votre organisation.",
    },
    SsoRefusedTitle { en: "Sign-in did not go through", fr: "La connexion n’a pas abouti" },
    SsoReasonCode { en: "Reason code: {code}.", fr: "Code de la raison\u{a0}: {code}." },
    SsoUnreachable {
        en: "{provider} cannot be reached from this server just now. Try again in a few minutes; if it lasts, tell the service's operators.",
        fr: "{provider} est injoignable depuis ce serveur pour le moment. Réessayez dans quelques minutes\u{202f}; si cela dure, prévenez les exploitants du service.",
    },
    SsoProviderError {
        en: "{provider} did not sign you in (cancelled, or your account may not be assigned to attest). Start again from the sign-in page.",
        fr: "{provider} ne vous a pas connecté (annulation, ou votre compte n’est peut-être pas autorisé pour attest). Recommencez depuis la page de connexion.",
    },
    SsoState {
        en: "This sign-in did not start in this browser, took more than ten minutes, or was already used. Start again from the sign-in page.",
        fr: "Cette connexion n’a pas commencé dans ce navigateur, a pris plus de dix minutes ou a déjà servi. Recommencez depuis la page de connexion.",
    },
    SsoCode {
        en: "{provider} would not confirm this sign-in (the code was used already or has expired). Start again from the sign-in page.",
        fr: "{provider} n’a pas confirmé cette connexion (le code a déjà servi ou a expiré). Recommencez depuis la page de connexion.",
    },
    SsoIdToken {
        en: "The answer from {provider} failed attest's checks (signature, issuer, audience, expiry or nonce), so it was not trusted. Tell the service's operators.",
        fr: "La réponse de {provider} n’a pas passé les contrôles d’attest (signature, émetteur, destinataire, expiration ou nonce)\u{202f}; elle n’a donc pas été acceptée. Prévenez les exploitants du service.",
    },
    SsoNoRole {
        en: "Your account at {provider} has no role for attest (admin, issuer or viewer). Ask your administrator to assign you one.",
        fr: "Votre compte auprès de {provider} n’a aucun rôle pour attest (administrateur, émetteur ou lecteur). Demandez à votre administrateur de vous en attribuer un.",
    },
    SsoNotRegistered {
        en: "You signed in at {provider}, but this server lets in only staff added beforehand. Ask an administrator to add you (attest staff add).",
        fr: "Vous êtes connecté auprès de {provider}, mais ce serveur n’accepte que le personnel ajouté à l’avance. Demandez à un administrateur de vous ajouter (attest staff add).",
    },
    SsoDisabled {
        en: "Your attest account is disabled. Ask an administrator.",
        fr: "Votre compte attest est désactivé. Adressez-vous à un administrateur.",
    },
    SignIn { en: "Sign in", fr: "Se connecter" },
    SignInTitle { en: "Staff sign-in", fr: "Connexion du personnel" },
    EmailLabel { en: "Email", fr: "Adresse électronique" },
    PasswordLabel { en: "Password", fr: "Mot de passe" },
    NoAccountYet {
        en: "No account yet? An administrator runs {command} and sends you a link.",
        fr: "Pas encore de compte\u{202f}? Un administrateur exécute {command} et vous envoie un lien.",
    },
    TooManyAttempts {
        en: "Too many attempts. Wait a few minutes and try again.",
        fr: "Trop de tentatives. Patientez quelques minutes, puis réessayez.",
    },
    WrongPassword { en: "Wrong email or password.", fr: "Adresse électronique ou mot de passe incorrect." },
    LinkUnusable { en: "This link cannot be used", fr: "Ce lien n’est pas utilisable" },
    BadLink {
        en: "This setup link is unknown, used or expired. Ask an administrator for a new one.",
        fr: "Ce lien d’activation est inconnu, déjà utilisé ou expiré. Demandez-en un nouveau à un administrateur.",
    },
    SetupLink { en: "Setup link", fr: "Lien d’activation" },
    ChoosePassword { en: "Choose a password", fr: "Choisir un mot de passe" },
    ChooseYourPassword { en: "Choose your password", fr: "Choisissez votre mot de passe" },
    ForAccount { en: "For the staff account {email}.", fr: "Pour le compte du personnel {email}." },
    NewInstallation {
        en: "This is a new installation: create the first staff account. You can add colleagues afterwards with {command}.",
        fr: "Cette installation est nouvelle\u{a0}: créez le premier compte du personnel. Vous pourrez ajouter vos collègues ensuite avec {command}.",
    },
    YourEmail { en: "Your email", fr: "Votre adresse électronique" },
    PasswordAtLeast {
        en: "Password (at least {n} characters)",
        fr: "Mot de passe (au moins {n}\u{a0}caractères)",
    },
    PasswordAgain { en: "The same password again", fr: "Confirmez le mot de passe" },
    SaveAndSignIn { en: "Save and sign in", fr: "Enregistrer et se connecter" },
    PasswordsDiffer { en: "The two passwords differ.", fr: "Les deux mots de passe ne sont pas identiques." },
    WeakPassword {
        en: "The password is too short: use at least {n} characters.",
        fr: "Le mot de passe est trop court\u{a0}: utilisez au moins {n}\u{a0}caractères.",
    },
    BadEmail {
        en: "\"{email}\" is not an email address.",
        fr: "«\u{a0}{email}\u{a0}» n’est pas une adresse électronique.",
    },

    Semicolon { en: "; ", fr: "\u{202f}; " },

    // Events: list, form, overview (events.rs).
    NewEvent { en: "New event", fr: "Nouvel événement" },
    NoEventsYet {
        en: "No events yet. Create one, then upload its Zoom or Teams exports.",
        fr: "Aucun événement pour l’instant. Créez-en un, puis importez ses exports Zoom ou Teams.",
    },
    Event { en: "Event", fr: "Événement" },
    When { en: "When", fr: "Date" },
    Language { en: "Language", fr: "Langue" },
    Rule { en: "Rule", fr: "Règle" },
    Certificates { en: "Certificates", fr: "Certificats" },
    FromTheExports { en: "from the exports", fr: "d’après les exports" },
    RuleMinPercent { en: "at least {p} %", fr: "au moins {p}\u{a0}%" },
    RuleMinMinutes { en: "at least {n} minute|at least {n} minutes", fr: "au moins {n}\u{a0}minute|au moins {n}\u{a0}minutes" },
    SaveChanges { en: "Save changes", fr: "Enregistrer les modifications" },
    CreateEvent { en: "Create event", fr: "Créer l’événement" },
    SlugLabel { en: "Short name (used in links and file names)", fr: "Nom court (utilisé dans les liens et les noms de fichiers)" },
    TitleLabel { en: "Title, as printed on certificates", fr: "Titre, tel qu’il figure sur les certificats" },
    SeriesLabel { en: "Series (optional)", fr: "Série (facultatif)" },
    StartsLabel { en: "Starts (local time)", fr: "Début (heure locale)" },
    EndsLabel { en: "Ends (local time)", fr: "Fin (heure locale)" },
    TimeZone { en: "Time zone", fr: "Fuseau horaire" },
    CertificateLanguage { en: "Language of certificates", fr: "Langue des certificats" },
    AttendanceRule { en: "Attendance rule", fr: "Règle de présence" },
    RulePercentOption { en: "At least this % of the session", fr: "Au moins ce pourcentage de la séance" },
    RuleMinutesOption { en: "At least this many minutes", fr: "Au moins ce nombre de minutes" },
    Value { en: "Value", fr: "Valeur" },
    TemplateLabel { en: "Certificate template", fr: "Modèle de certificat" },
    TemplateOwn { en: "The language’s own", fr: "Celui de la langue" },
    PanelistsToo { en: "Panelists receive certificates too", fr: "Les intervenants reçoivent aussi un certificat" },
    TeamsPresenterRole { en: "Teams “Presenter” role", fr: "Rôle «\u{a0}Présentateur\u{a0}» de Teams" },
    PresentersAuto {
        en: "From the report: attendee in a meeting, panelist in a webinar or town hall",
        fr: "D’après le rapport\u{a0}: participant dans une réunion, intervenant dans un webinaire ou une assemblée",
    },
    PresentersAttendee { en: "Attendee (everyone could present)", fr: "Participant (tout le monde pouvait présenter)" },
    PresentersPanelist { en: "Panelist (presenters were chosen)", fr: "Intervenant (les présentateurs étaient désignés)" },
    LeaveTimesEmpty {
        en: "Leave start and end empty to take the session’s times from the exports’ meeting header.",
        fr: "Laissez le début et la fin vides pour reprendre les heures de la séance dans l’en-tête des exports.",
    },
    EditEvent { en: "Edit event", fr: "Modifier l’événement" },
    EditTitle { en: "Edit {title}", fr: "Modifier {title}" },
    IssuedKeepWhatTheyPrint {
        en: "Certificates already issued keep what they print; reissue one to change it.",
        fr: "Les certificats déjà délivrés restent tels quels\u{202f}; délivrez-en un nouveau pour le modifier.",
    },
    NoSuchEvent { en: "No event \"{slug}\".", fr: "Aucun événement «\u{a0}{slug}\u{a0}»." },
    FromTheEvent { en: "from the event", fr: "d’après l’événement" },
    FromTheExportHeader { en: "from the export header", fr: "d’après l’en-tête de l’export" },
    FromUnknown { en: "source unknown", fr: "source inconnue" },
    Edit { en: "Edit", fr: "Modifier" },
    ShortName { en: "Short name", fr: "Nom court" },
    Session { en: "Session", fr: "Séance" },
    SessionLength { en: "({min} min, {source})", fr: "({min}\u{a0}min, {source})" },
    SessionUnknown {
        en: "not known yet: set it, or upload an export with a meeting header",
        fr: "pas encore connue\u{a0}: indiquez-la, ou importez un export dont l’en-tête donne la réunion",
    },
    PanelistsIncluded { en: "(panelists included)", fr: "(intervenants compris)" },
    TeamsPresenters { en: "Teams presenters", fr: "Présentateurs Teams" },
    WithTemplate { en: "(template {template})", fr: "(modèle {template})" },
    AttendanceExports { en: "Attendance exports", fr: "Exports de présence" },
    NothingUploaded { en: "Nothing uploaded yet.", fr: "Rien n’a encore été importé." },
    File { en: "File", fr: "Fichier" },
    Format { en: "Format", fr: "Format" },
    Zone { en: "Zone", fr: "Fuseau" },
    Rows { en: "Rows", fr: "Lignes" },
    RowErrors { en: "Row errors", fr: "Lignes en erreur" },
    ImportedUtc { en: "Imported (UTC)", fr: "Importé (UTC)" },
    Attendance { en: "Attendance", fr: "Présence" },
    PeopleN { en: "{n} person|{n} people", fr: "{n}\u{a0}personne|{n}\u{a0}personnes" },
    Pages { en: "Pages", fr: "Pages" },
    RowsOfFile { en: "Rows of the file", fr: "Lignes du fichier" },
    RowCounts {
        en: "{rows} in all: {imported} imported, {skipped} skipped, {refused} refused, {context} headers and context, {blank} blank",
        fr: "{rows} au total\u{a0}: {imported} importées, {skipped} ignorées, {refused} refusées, {context} en-têtes et contexte, {blank} vides"
    },
    PreviousPage { en: "Previous", fr: "Précédente" },
    NextPage { en: "Next", fr: "Suivante" },
    PageOf { en: "Page {page} of {pages}", fr: "Page {page} sur {pages}" },
    EligibleN { en: "{n} eligible|{n} eligible", fr: "{n}\u{a0}admissible|{n}\u{a0}admissibles" },
    ToReviewN { en: "{n} to review|{n} to review", fr: "{n}\u{a0}à vérifier|{n}\u{a0}à vérifier" },
    AttendanceButton { en: "Attendance, review and overrides", fr: "Présence, vérifications et décisions manuelles" },
    ValidN { en: "{n} valid|{n} valid", fr: "{n}\u{a0}valide|{n}\u{a0}valides" },
    RevokedN { en: "{n} revoked|{n} revoked", fr: "{n}\u{a0}révoqué|{n}\u{a0}révoqués" },
    EligibleWithoutN {
        en: "{n} eligible without one|{n} eligible without one",
        fr: "{n}\u{a0}personne admissible sans certificat|{n}\u{a0}personnes admissibles sans certificat",
    },
    IssueN { en: "Issue {n} certificate|Issue {n} certificates", fr: "Délivrer {n}\u{a0}certificat|Délivrer {n}\u{a0}certificats" },
    AllCertificates { en: "All certificates", fr: "Tous les certificats" },
    DownloadZipManifest { en: "Download ZIP (PDFs + manifest)", fr: "Télécharger le ZIP (PDF + manifeste)" },

    // Attendance (people.rs).
    RuleIs { en: "Rule: {rule}.", fr: "Règle\u{a0}: {rule}." },
    ToReviewCount { en: "To review ({n})", fr: "À vérifier ({n})" },
    ToReviewIntro {
        en: "These are never merged or decided silently. Link two keys that are one person, or split a key that was merged by mistake.",
        fr: "Ces cas ne sont jamais fusionnés ni tranchés sans vous. Reliez deux clés qui désignent la même personne, ou séparez une clé fusionnée par erreur.",
    },
    Colon { en: ": ", fr: "\u{a0}: " },
    Name { en: "Name", fr: "Nom" },
    EmailColumn { en: "Email", fr: "Courriel" },
    Role { en: "Role", fr: "Rôle" },
    RoleHost { en: "host", fr: "hôte" },
    RolePanelist { en: "panelist", fr: "intervenant" },
    RoleAttendee { en: "attendee", fr: "participant" },
    Minutes { en: "Minutes", fr: "Minutes" },
    Decision { en: "Decision", fr: "Décision" },
    Why { en: "Why", fr: "Motif" },
    EligibleWord { en: "eligible", fr: "admissible" },
    NotEligibleWord { en: "not eligible", fr: "non admissible" },
    OverriddenMark { en: "(override)", fr: "(décision manuelle)" },
    ReviewMark { en: "review", fr: "à vérifier" },
    OverrideTitle { en: "Override a decision", fr: "Modifier une décision" },
    PersonLabel { en: "Person", fr: "Personne" },
    ReasonShown { en: "Reason (recorded and shown)", fr: "Motif (enregistré et affiché)" },
    OverridePlaceholder {
        en: "joined by phone; confirmed by the organiser",
        fr: "connecté par téléphone\u{202f}; confirmé par l’organisateur",
    },
    SaveOverride { en: "Save override", fr: "Enregistrer la décision" },
    LinkTitle { en: "One person listed twice", fr: "Une personne comptée deux fois" },
    LinkHelp {
        en: "For example a guest who joined by name and again with their address: their time is added up.",
        fr: "Par exemple un invité connecté sous son nom puis avec son adresse\u{a0}: son temps est additionné.",
    },
    FirstKey { en: "This person", fr: "Cette personne" },
    SecondKey { en: "is the same as", fr: "est la même que" },
    Reason { en: "Reason", fr: "Motif" },
    LinkButton { en: "Count as one person", fr: "Compter comme une seule personne" },
    SplitTitle { en: "Undo a merge", fr: "Annuler un regroupement" },
    Key { en: "Name or address to count apart", fr: "Nom ou adresse à compter à part" },
    SplitButton { en: "Count apart", fr: "Compter à part" },
    SplitNone {
        en: "Nobody here was counted under more than one name or address.",
        fr: "Personne ici n’a été compté sous plusieurs noms ou adresses.",
    },
    KeyEmail { en: "address {email}", fr: "adresse {email}" },
    KeyName { en: "name {name}", fr: "nom {name}" },
    TimeAttended { en: "Time attended", fr: "Temps de présence" },
    HoursMinutes { en: "{h}\u{a0}h {m}\u{a0}min", fr: "{h}\u{a0}h\u{a0}{m}\u{a0}min" },
    MinutesSeconds { en: "{m}\u{a0}min {s}\u{a0}s", fr: "{m}\u{a0}min\u{a0}{s}\u{a0}s" },
    CorrectLink { en: "Correct", fr: "Corriger" },
    CorrectLinkTitle { en: "Override, merge or separate {name}", fr: "Modifier, regrouper ou séparer {name}" },

    // Uploads: the form, the question, the report (uploads.rs).
    DropHere { en: "Drop Zoom or Teams exports here", fr: "Déposez ici les exports Zoom ou Teams" },
    OrClickToChoose {
        en: "or click to choose files (CSV as downloaded; several files of one session are merged)",
        fr: "ou cliquez pour choisir les fichiers (CSV tels que téléchargés\u{202f}; plusieurs fichiers d’une même séance sont fusionnés)",
    },
    TimesAreIn { en: "Times in the files are in", fr: "Fuseau horaire des heures des fichiers" },
    DateOrder { en: "Date order", fr: "Ordre des dates" },
    DateOrderLower { en: "date order", fr: "ordre des dates" },
    DecideFromFile { en: "Decide from the file", fr: "Déduire du fichier" },
    OrderMdyUs { en: "month/day/year (US)", fr: "mois/jour/année (États-Unis)" },
    OrderMdy { en: "month/day/year", fr: "mois/jour/année" },
    OrderDmy { en: "day/month/year", fr: "jour/mois/année" },
    OrderYmd { en: "year-month-day", fr: "année-mois-jour" },
    SkipBadRows {
        en: "Import the readable rows even if some rows cannot be read (they are kept and listed)",
        fr: "Importer les lignes lisibles même si certaines ne peuvent pas être lues (elles sont conservées et listées)",
    },
    UploadAndImport { en: "Upload and import", fr: "Envoyer et importer" },
    NoFile { en: "No file", fr: "Aucun fichier" },
    ChooseAtLeastOne { en: "Choose or drop at least one export.", fr: "Choisissez ou déposez au moins un export." },
    NotImported { en: "The files were not imported", fr: "Les fichiers n’ont pas été importés" },
    NothingStored { en: "Nothing was stored.", fr: "Rien n’a été enregistré." },
    OneQuestion { en: "One question before importing", fr: "Une question avant l’importation" },
    QuestionTitle { en: "A question about the upload", fr: "Une question sur l’envoi" },
    ReadsBothWays {
        en: "{file}: every date in this file reads both ways, for example {example}.",
        fr: "{file}\u{a0}: toutes les dates de ce fichier se lisent dans les deux sens, par exemple {example}.",
    },
    WhichIsIt { en: "Which is it?", fr: "Lequel est le bon\u{202f}?" },
    ColumnsUnknown {
        en: "{file}: attest does not know this file's headers. It read the cells and proposes the columns below: check them against the first rows, correct any that is wrong, and confirm. The choice is remembered: the next file with the same header row imports at once.",
        fr: "{file}\u{a0}: attest ne connaît pas les en-têtes de ce fichier. Il a lu les cellules et propose les colonnes ci-dessous\u{a0}: vérifiez-les sur les premières lignes, corrigez celles qui sont fausses et confirmez. Le choix est retenu\u{a0}: le prochain fichier ayant la même ligne d’en-têtes sera importé directement.",
    },
    ColumnsDoubts { en: "What the cells could not tell:", fr: "Ce que les cellules n’ont pas permis de trancher\u{a0}:" },
    FirstRows { en: "First rows of the file", fr: "Premières lignes du fichier" },
    ColumnNumber { en: "Column {number}", fr: "Colonne {number}" },
    NoColumn { en: "(none)", fr: "(aucune)" },
    FieldName { en: "Name", fr: "Nom" },
    FieldEmail { en: "Email", fr: "Adresse e-mail" },
    FieldJoin { en: "Join time", fr: "Heure d’arrivée" },
    FieldLeave { en: "Leave time", fr: "Heure de départ" },
    FieldDuration { en: "Duration", fr: "Durée" },
    FieldRole { en: "Role", fr: "Rôle" },
    ConfirmColumns { en: "Confirm the columns and import", fr: "Confirmer les colonnes et importer" },
    ColumnsMissing {
        en: "A join time, a leave time and a name or an email column are needed.",
        fr: "Il faut une colonne d’heure d’arrivée, une d’heure de départ et une de nom ou d’adresse e-mail.",
    },
    DayFirst { en: "day/month/year ({example} is the day first)", fr: "jour/mois/année ({example} commence par le jour)" },
    MonthFirst {
        en: "month/day/year (US: {example} is the month first)",
        fr: "mois/jour/année (États-Unis\u{a0}: {example} commence par le mois)",
    },
    Contradictory {
        en: "{file}: some dates are month-first ({mdy}) and others day-first ({dmy}). The file may have been edited by hand; choose the order of most rows, and check the report afterwards.",
        fr: "{file}\u{a0}: certaines dates commencent par le mois ({mdy}), d’autres par le jour ({dmy}). Le fichier a peut-être été modifié à la main\u{202f}; choisissez l’ordre de la plupart des lignes, puis vérifiez le rapport.",
    },
    SeveralMeetings {
        en: "{file} holds several meetings. Which one is this event?",
        fr: "{file} contient plusieurs réunions. Laquelle correspond à cet événement\u{202f}?",
    },
    Meeting { en: "Meeting", fr: "Réunion" },
    Import { en: "Import", fr: "Importer" },
    UploadAgain { en: "Please upload again", fr: "Veuillez renvoyer les fichiers" },
    FilesGone {
        en: "The uploaded files were kept for an hour and are gone now.",
        fr: "Les fichiers envoyés ont été conservés une heure et ne sont plus disponibles.",
    },
    ImportReport { en: "Import report", fr: "Rapport d’importation" },
    Imported { en: "Imported", fr: "Importé" },
    RowsN { en: "{n} row|{n} rows", fr: "{n}\u{a0}ligne|{n}\u{a0}lignes" },
    ConnectionsN { en: "{n} connection|{n} connections", fr: "{n}\u{a0}connexion|{n}\u{a0}connexions" },
    Encoding { en: "Encoding", fr: "Encodage" },
    Delimiter { en: "delimiter", fr: "séparateur" },
    TimesReadIn { en: "Times read in", fr: "Heures lues dans le fuseau" },
    Roles { en: "Roles", fr: "Rôles" },
    RowsUnreadableN {
        en: "{n} row could not be read (kept in the database, not counted)|{n} rows could not be read (kept in the database, not counted)",
        fr: "{n}\u{a0}ligne n’a pas pu être lue (conservée dans la base, non comptée)|{n}\u{a0}lignes n’ont pas pu être lues (conservées dans la base, non comptées)",
    },
    Line { en: "Line", fr: "Ligne" },
    Column { en: "Column", fr: "Colonne" },
    Problem { en: "Problem", fr: "Problème" },
    RowsSkippedN {
        en: "{n} row skipped on purpose|{n} rows skipped on purpose",
        fr: "{n}\u{a0}ligne ignorée volontairement|{n}\u{a0}lignes ignorées volontairement",
    },
    LineN { en: "line {line}", fr: "ligne {line}" },
    AlreadyImported {
        en: "Already imported on {at} UTC: nothing changed.",
        fr: "Déjà importé le {at} UTC\u{a0}: rien n’a changé.",
    },
    SameBytes { en: "The same bytes as {file}: imported once.", fr: "Contenu identique à {file}\u{a0}: importé une seule fois." },
    SeeAttendance { en: "See attendance", fr: "Voir la présence" },
    BackToEvent { en: "Back to the event", fr: "Retour à l’événement" },

    // Certificates: issuing, the list, one certificate (certificates.rs).
    NoIssuing {
        en: "This server is not set up to issue certificates.",
        fr: "Ce serveur n’est pas configuré pour délivrer des certificats.",
    },
    StatusValid { en: "valid", fr: "valide" },
    StatusRevoked { en: "revoked", fr: "révoqué" },
    StatusSuperseded { en: "superseded", fr: "remplacé" },
    DoneOfTotal { en: "{done} of {total}", fr: "{done} sur {total}" },
    Issuing { en: "Issuing…", fr: "Délivrance…" },
    IssuingCertificates { en: "Issuing certificates…", fr: "Délivrance des certificats…" },
    IssuingStatus {
        en: "{of} done, {s} s so far. This page updates itself; you can leave it, the work goes on.",
        fr: "{of} délivrés, {s}\u{a0}s écoulées. Cette page se met à jour seule\u{202f}; vous pouvez la quitter, le travail continue.",
    },
    CertificatesIssued { en: "Certificates issued", fr: "Certificats délivrés" },
    Done { en: "done", fr: "terminé" },
    IssuedInN { en: "{n} issued in {s} s.|{n} issued in {s} s.", fr: "{n} délivré en {s}\u{a0}s.|{n} délivrés en {s}\u{a0}s." },
    AlreadyHadOneN {
        en: "{n} eligible person already had one|{n} eligible people already had one",
        fr: "{n}\u{a0}personne admissible en avait déjà un|{n}\u{a0}personnes admissibles en avaient déjà un",
    },
    NotEligibleN {
        en: "{n} was not eligible|{n} were not eligible",
        fr: "{n}\u{a0}n’était pas admissible|{n}\u{a0}n’étaient pas admissibles",
    },
    IssuedWithReview {
        en: "Issued although their record has open review items: {names}.",
        fr: "Délivrés bien que leur dossier comporte des points à vérifier\u{a0}: {names}.",
    },
    SeeCertificates { en: "See the certificates", fr: "Voir les certificats" },
    IssuingStopped { en: "Issuing stopped", fr: "La délivrance s’est arrêtée" },
    StoppedKept {
        en: "Certificates stored before the problem are kept; issuing again completes the batch.",
        fr: "Les certificats enregistrés avant le problème sont conservés\u{202f}; relancer la délivrance complète le lot.",
    },
    DownloadZip { en: "Download ZIP", fr: "Télécharger le ZIP" },
    PrintFile { en: "One PDF for printing", fr: "Un seul PDF pour l’impression" },
    PrintFileHint {
        en: "All valid certificates in one PDF, one page each, in the order of the attendance list. For printing: the file carries no PDF signature of its own; each page keeps its QR code.",
        fr: "Tous les certificats valides dans un seul PDF, une page chacun, dans l’ordre de la liste de présence. Pour l’impression\u{a0}: le fichier ne porte pas de signature PDF propre\u{202f}; chaque page garde son code QR."
    },
    // Series (series.rs)
    SeriesTitle { en: "Series", fr: "Séries" },
    SeriesIntro {
        en: "A series groups events (e.g. the 2020 seminar series) and issues its own certificate listing the sessions attended.",
        fr: "Une série regroupe des événements (par exemple la série de séminaires de 2020) et délivre son propre certificat, qui énumère les sessions suivies.",
    },
    SeriesNoneYet { en: "No series yet.", fr: "Aucune série pour l’instant." },
    SeriesColumn { en: "Series", fr: "Série" },
    SeriesRuleColumn { en: "Rule", fr: "Règle" },
    SeriesEventsColumn { en: "Events", fr: "Événements" },
    SeriesCreate { en: "Create a series", fr: "Créer une série" },
    SeriesSlug { en: "Short name (lower-case letters, digits, - or _)", fr: "Nom court (minuscules, chiffres, - ou _)" },
    SeriesTitleLabel { en: "Title, as printed", fr: "Titre, tel qu’il sera imprimé" },
    SeriesLanguage { en: "Language of its certificates", fr: "Langue de ses certificats" },
    SeriesCreateButton { en: "Create", fr: "Créer" },
    SeriesBack { en: "← All series", fr: "← Toutes les séries" },
    SeriesNoEvents { en: "No events yet: add them below.", fr: "Aucun événement pour l’instant\u{a0}: ajoutez-les ci-dessous." },
    SeriesRemove { en: "Remove", fr: "Retirer" },
    SeriesAddEvent { en: "Add an event", fr: "Ajouter un événement" },
    SeriesEvent { en: "Event", fr: "Événement" },
    SeriesAdd { en: "Add", fr: "Ajouter" },
    SeriesAllAdded { en: "Every event is in this series already.", fr: "Tous les événements font déjà partie de cette série." },
    SeriesRuleHelp {
        en: "A session counts when the person was eligible in that event by its own rule (or a staff override).",
        fr: "Une session compte lorsque la personne était admissible à cet événement selon sa propre règle (ou par une décision manuelle).",
    },
    SeriesAtLeast { en: "At least this many sessions (empty: all of them)", fr: "Nombre minimal de sessions (vide\u{a0}: toutes)" },
    SeriesSaveRule { en: "Save rule", fr: "Enregistrer la règle" },
    SeriesRuleAtLeastN { en: "at least {n} session|at least {n} sessions", fr: "au moins {n}\u{a0}session|au moins {n}\u{a0}sessions" },
    SeriesRuleAll { en: "all sessions", fr: "toutes les sessions" },
    SeriesRuleAtLeastOf {
        en: "at least {at_least} of the {n} session|at least {at_least} of the {n} sessions",
        fr: "au moins {at_least} de la {n}\u{a0}session|au moins {at_least} des {n}\u{a0}sessions",
    },
    SeriesRuleAllOf { en: "the {n} session|all {n} sessions", fr: "la {n}\u{a0}session|les {n}\u{a0}sessions" },
    SeriesDecisions { en: "Decisions", fr: "Décisions" },
    SeriesPeopleEligible {
        en: "{n} person, {eligible} eligible.|{n} people, {eligible} eligible.",
        fr: "{n}\u{a0}personne, {eligible} admissible.|{n}\u{a0}personnes, {eligible} admissibles.",
    },
    SeriesSessions { en: "Sessions", fr: "Sessions" },
    SeriesCertificates { en: "Certificates", fr: "Certificats" },
    SeriesIssueHelp {
        en: "Issues a certificate to every eligible person who holds none. Sessions, name and minutes are frozen at issue.",
        fr: "Délivre un certificat à chaque personne admissible qui n’en a pas encore. Les sessions, le nom et les minutes sont figés à la délivrance.",
    },
    SeriesIssueButton { en: "Issue series certificates", fr: "Délivrer les certificats de la série" },
    SeriesIssued { en: "Issued", fr: "Délivrés" },
    SeriesNoCertificates { en: "None issued yet.", fr: "Aucun certificat délivré pour l’instant." },
    // Email delivery (delivery.rs)
    SendByEmail { en: "Send by email", fr: "Envoyer par courriel" },
    DeliveryTitle { en: "Email delivery", fr: "Envoi par courriel" },
    DeliveryIntro {
        en: "Each valid certificate with an email address is mailed once to its holder, in the certificate’s language, with a download link that works once. Nobody receives the same certificate twice unless you resend it.",
        fr: "Chaque certificat valide qui a une adresse électronique est envoyé une fois à son titulaire, dans la langue du certificat, avec un lien de téléchargement à usage unique. Personne ne reçoit deux fois le même certificat, sauf si vous le renvoyez.",
    },
    DeliveryRunning {
        en: "Sending… This page updates itself; you can leave it, the work goes on.",
        fr: "Envoi en cours… Cette page se met à jour d’elle-même\u{202f}; vous pouvez la quitter, l’envoi continue.",
    },
    DeliveryIdle { en: "No mail is being sent now.", fr: "Aucun envoi en cours." },
    DeliveryLastError { en: "The last run stopped: {error}", fr: "Le dernier envoi s’est arrêté\u{a0}: {error}" },
    DeliveryState { en: "State", fr: "État" },
    DeliveryCount { en: "Certificates", fr: "Certificats" },
    DeliveryNotSent { en: "Not sent yet", fr: "Pas encore envoyés" },
    DeliveryQueued { en: "Queued", fr: "En attente" },
    DeliverySending { en: "Being sent", fr: "En cours d’envoi" },
    DeliverySent { en: "Sent", fr: "Envoyé" },
    DeliveryFailed { en: "Failed", fr: "Échec" },
    DeliveryUnknown { en: "Unknown: needs attention", fr: "Inconnu\u{a0}: à vérifier" },
    DeliveryWithoutEmail { en: "Valid, without an email address (not sent)", fr: "Valides, sans adresse électronique (non envoyés)" },
    DeliveryAttach { en: "Attach the PDF to the mail as well", fr: "Joindre aussi le PDF au courriel" },
    DeliverySendN { en: "Send {n} certificate|Send {n} certificates", fr: "Envoyer {n}\u{a0}certificat|Envoyer {n}\u{a0}certificats" },
    DeliveryContinueN { en: "Send the {n} queued|Send the {n} queued", fr: "Envoyer {n}\u{a0}certificat en attente|Envoyer les {n}\u{a0}certificats en attente" },
    DeliveryRetryN { en: "Retry {n} failed|Retry {n} failed", fr: "Réessayer {n}\u{a0}échec|Réessayer les {n}\u{a0}échecs" },
    DeliveryNothingToSend {
        en: "Every valid certificate with an email address has been mailed or is queued.",
        fr: "Chaque certificat valide qui a une adresse électronique a été envoyé ou est en attente.",
    },
    DeliveryUnknownHelp {
        en: "A mail is unknown when the sender stopped (a crash, a restart) after taking it and before the mail server’s answer was recorded: it may have been delivered. It is not sent again on its own. Look for its Message-ID in the mail server’s log, and resend it if it is not there.",
        fr: "Un envoi est inconnu lorsque l’expéditeur s’est arrêté (panne, redémarrage) après l’avoir pris et avant que la réponse du serveur de messagerie soit enregistrée\u{a0}: il a peut-être été remis. Il n’est pas renvoyé automatiquement. Cherchez son Message-ID dans le journal du serveur de messagerie et renvoyez-le s’il n’y figure pas.",
    },
    DeliveryRecords { en: "Mails", fr: "Courriels" },
    DeliveryNoRecords { en: "No mail sent or queued yet.", fr: "Aucun courriel envoyé ni en attente pour l’instant." },
    DeliveryLang { en: "Lang", fr: "Langue" },
    DeliveryTries { en: "Tries", fr: "Essais" },
    DeliveryWhen { en: "Last change (UTC)", fr: "Dernier changement (UTC)" },
    DeliveryAnswer { en: "Mail server’s answer, or why it failed", fr: "Réponse du serveur de messagerie, ou cause de l’échec" },
    DeliveryResend { en: "Resend", fr: "Renvoyer" },
    DeliveryResendTitle {
        en: "Mail this certificate again, although it may have been received",
        fr: "Renvoyer ce certificat, même s’il a peut-être déjà été reçu",
    },
    // Certificate designs (designs.rs)
    DesignListTitle { en: "Certificate designs", fr: "Modèles de certificat" },
    DesignListIntro {
        en: "A design gives certificates their logos, a line such as “Co-organised with …”, signatories, wording and colours. Events without a design use the organisation’s default design, or else the built-in template. Issued certificates keep the design version they were issued with; reissuing uses the current one.",
        fr: "Un modèle donne aux certificats leurs logos, une ligne telle que «\u{a0}Co-organisé avec…\u{a0}», les signataires, le texte et les couleurs. Les événements sans modèle utilisent le modèle par défaut de l’organisation, sinon le modèle intégré. Les certificats délivrés gardent la version du modèle avec laquelle ils l’ont été\u{202f}; une nouvelle délivrance utilise la version actuelle.",
    },
    DesignNoneYet { en: "No designs yet.", fr: "Aucun modèle pour l’instant." },
    DesignVersion { en: "Version", fr: "Version" },
    DesignSaved { en: "Saved (UTC)", fr: "Enregistré (UTC)" },
    DesignCertificatesIssued { en: "Certificates issued", fr: "Certificats délivrés" },
    DesignNewName { en: "Name of a new design", fr: "Nom d’un nouveau modèle" },
    DesignCreate { en: "Create design", fr: "Créer le modèle" },
    DesignProfile { en: "Organisation", fr: "Organisation" },
    DesignIssuer { en: "Issuer, in full (printed: “Issued by …”)", fr: "Émetteur, en toutes lettres (imprimé\u{a0}: «\u{a0}Délivré par…\u{a0}»)" },
    DesignIssuerShort { en: "Short name (in the QR code, at most 20 bytes)", fr: "Nom court (dans le code QR, 20\u{a0}octets au plus)" },
    DesignDefault { en: "Default design", fr: "Modèle par défaut" },
    DesignBuiltIn { en: "Built-in template", fr: "Modèle intégré" },
    DesignSaveProfile { en: "Save organisation", fr: "Enregistrer l’organisation" },
    DesignTitle { en: "Design", fr: "Modèle" },
    DesignLogos { en: "Logos (left to right, up to four)", fr: "Logos (de gauche à droite, quatre au plus)" },
    DesignLogosHelp {
        en: "PNG or JPEG, at most 1 MiB and 4 megapixels. Transparent PNGs look best.",
        fr: "PNG ou JPEG, 1\u{a0}Mio et 4\u{a0}mégapixels au plus. Les PNG transparents rendent le mieux.",
    },
    DesignLogoN { en: "Logo {n}", fr: "Logo {n}" },
    DesignReplace { en: "Replace with", fr: "Remplacer par" },
    DesignRemove { en: "Remove", fr: "Retirer" },
    DesignLine { en: "Line under the heading (optional)", fr: "Ligne sous le titre (facultatif)" },
    DesignLineHelp {
        en: "For example “Co-organised with Parliamentarians for Global Action” or “Funded by the European Union”.",
        fr: "Par exemple «\u{a0}Co-organisé avec l’Action mondiale des parlementaires\u{a0}» ou «\u{a0}Financé par l’Union européenne\u{a0}».",
    },
    DesignSignatories { en: "Signatories (one to three)", fr: "Signataires (un à trois)" },
    DesignSignatoryN { en: "Signatory {n}", fr: "Signataire {n}" },
    DesignSigName { en: "Name (leave empty for no signatory)", fr: "Nom (laisser vide pour aucun signataire)" },
    DesignSigTitle { en: "Function ({language})", fr: "Fonction ({language})" },
    DesignSigImage { en: "Signature image", fr: "Image de la signature" },
    DesignSigImageN { en: "Signatory {n}: signature image", fr: "Signataire {n}\u{a0}: image de la signature" },
    DesignWording { en: "Wording", fr: "Texte" },
    DesignWordingHelp {
        en: "Empty fields keep the built-in wording. Placeholders such as {title} or {date} work as in the templates.",
        fr: "Les champs vides gardent le texte intégré. Les variables comme {title} ou {date} fonctionnent comme dans les gabarits.",
    },
    DesignHeading { en: "Heading", fr: "Titre" },
    DesignBefore { en: "Line before the name", fr: "Ligne avant le nom" },
    DesignAfter { en: "Line after the name", fr: "Ligne après le nom" },
    DesignColors { en: "Colours", fr: "Couleurs" },
    DesignAccent { en: "Accent (heading, frame)", fr: "Accent (titre, cadre)" },
    DesignText { en: "Text", fr: "Texte" },
    DesignMuted { en: "Secondary text", fr: "Texte secondaire" },
    DesignSave { en: "Save design", fr: "Enregistrer le modèle" },
    DesignPreview { en: "Preview", fr: "Aperçu" },
    DesignPreviewHelp {
        en: "With sample names (a long one, one in Arabic) and a sample event. Nothing is issued.",
        fr: "Avec des noms d’exemple (un long, un en arabe) et un événement d’exemple. Rien n’est délivré.",
    },
    DesignPreviewLong { en: "Preview with a long name", fr: "Aperçu avec un nom long" },
    DesignPreviewArabic { en: "Preview with a name in Arabic", fr: "Aperçu avec un nom en arabe" },
    DesignEventHelp {
        en: "New certificates of this event use this design. Certificates already issued keep theirs.",
        fr: "Les nouveaux certificats de cet événement utilisent ce modèle. Les certificats déjà délivrés gardent le leur.",
    },
    DesignOrgDefault { en: "The organisation’s default", fr: "Le modèle par défaut de l’organisation" },
    DesignUseThis { en: "Use this design", fr: "Utiliser ce modèle" },
    DesignBack { en: "← Back", fr: "← Retour" },
    DesignBadImage { en: "{field}: {error}; nothing was saved.", fr: "{field}\u{a0}: {error}\u{202f}; rien n’a été enregistré." },
    Code { en: "Code", fr: "Code" },
    LangShort { en: "Lang", fr: "Langue" },
    Status { en: "Status", fr: "Statut" },
    IssuedUtc { en: "Issued (UTC)", fr: "Délivré le (UTC)" },
    NoCertificate { en: "No certificate {id}.", fr: "Aucun certificat {id}." },
    CertificatesOf { en: "Certificates of {title}", fr: "Certificats de {title}" },
    CertificateCode { en: "Certificate {code}", fr: "Certificat {code}" },
    Certificate { en: "Certificate", fr: "Certificat" },
    RevokedOnBecause { en: "on {at}: {why}", fr: "le {at}\u{a0}: {why}" },
    SupersededBy { en: "by {code}", fr: "par {code}" },
    NameAsPrinted { en: "Name as printed", fr: "Nom imprimé" },
    SigningKey { en: "Signing key", fr: "Clé de signature" },
    PdfSha256 { en: "PDF SHA-256", fr: "SHA-256 du PDF" },
    DownloadPdf { en: "Download PDF", fr: "Télécharger le PDF" },
    OpenVerifyPage { en: "Open the public verify page", fr: "Ouvrir la page publique de vérification" },
    Reissue { en: "Reissue", fr: "Délivrer à nouveau" },
    ReissueIntro {
        en: "A new certificate replaces this one, which becomes superseded (verifiers are sent to the new one).",
        fr: "Un nouveau certificat remplace celui-ci, qui devient caduc (les vérificateurs sont renvoyés vers le nouveau).",
    },
    NameToPrint { en: "Name as it should be printed", fr: "Nom tel qu’il doit être imprimé" },
    Revoke { en: "Revoke", fr: "Révoquer" },
    RevokeIntro {
        en: "Verifiers will see it as revoked, with this reason. This cannot be undone.",
        fr: "Les vérificateurs le verront comme révoqué, avec ce motif. Cette opération est irréversible.",
    },
    ReasonPublic { en: "Reason (public)", fr: "Motif (public)" },
    RevokePlaceholder { en: "issued in error", fr: "délivré par erreur" },

    // The audit log (mod.rs).
    AuditIntro {
        en: "The latest {n} actions that match, newest first.",
        fr: "Les {n}\u{a0}dernières actions correspondantes, de la plus récente à la plus ancienne.",
    },
    AuditEvent { en: "Event", fr: "Événement" },
    AuditAll { en: "All", fr: "Tous" },
    AuditShow { en: "Show", fr: "Afficher" },
    AuditNone { en: "No action matches.", fr: "Aucune action ne correspond." },
    WhenUtc { en: "When (UTC)", fr: "Date (UTC)" },
    Who { en: "Who", fr: "Auteur" },
    What { en: "What", fr: "Action" },
    Subject { en: "Subject", fr: "Objet" },
    Detail { en: "Detail", fr: "Détail" },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tr(lang: Lang) -> Tr {
        Tr { lang, here: "/staff".into(), done: None }
    }

    fn placeholders(s: &str) -> Vec<&str> {
        let mut v: Vec<&str> = s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    #[test]
    fn every_key_has_text_in_both_languages_with_the_same_placeholders_and_plural_forms() {
        let mut bad = Vec::new();
        for &k in K::ALL {
            let (en, fr) = (k.en(), k.fr());
            if en.trim().is_empty() || fr.trim().is_empty() {
                bad.push(format!("{k:?}: empty text"));
            }
            if placeholders(en) != placeholders(fr) {
                bad.push(format!(
                    "{k:?}: placeholders {:?} in English, {:?} in French",
                    placeholders(en),
                    placeholders(fr)
                ));
            }
            let forms = |s: &str| s.matches('|').count();
            if forms(en) != forms(fr) || forms(en) > 1 {
                bad.push(format!("{k:?}: plural forms differ or more than two"));
            }
            for form in en.split('|').chain(fr.split('|')) {
                if forms(en) == 1 && !form.contains("{n}") {
                    bad.push(format!("{k:?}: the plural form {form:?} does not show {{n}}"));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn french_typography_is_consistent() {
        let mut bad = Vec::new();
        for &k in K::ALL {
            let fr = k.fr();
            let chars: Vec<char> = fr.chars().collect();
            for (i, &c) in chars.iter().enumerate() {
                let before = if i > 0 { chars[i - 1] } else { '\0' };
                let after = chars.get(i + 1).copied().unwrap_or(' ');
                let want = match c {
                    // `10:00`, `https://`, `attest:`-like codes and `{placeholder}:` followed by
                    // text stay as they are only when the colon is not punctuation.
                    ':' if after.is_ascii_digit() || after == '/' => None,
                    ':' | '%' | '»' => Some('\u{a0}'),
                    ';' | '!' | '?' => Some('\u{202f}'),
                    _ => None,
                };
                if let Some(w) = want {
                    if before != w && !(i == 0 && c != '»') {
                        bad.push(format!("{k:?}: {c:?} at {i} needs {w:?} before it: {fr:?}"));
                    }
                }
                if c == '«' && after != '\u{a0}' {
                    bad.push(format!("{k:?}: « needs a no-break space after it: {fr:?}"));
                }
                if c == '\'' {
                    bad.push(format!("{k:?}: the French apostrophe is ’: {fr:?}"));
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn plural_forms_follow_each_language() {
        let (en, fr) = (tr(Lang::En), tr(Lang::Fr));
        assert_eq!(en.n(K::IssueN, 0, &[]), "Issue 0 certificates");
        assert_eq!(en.n(K::IssueN, 1, &[]), "Issue 1 certificate");
        assert_eq!(fr.n(K::IssueN, 0, &[]), "Délivrer 0\u{a0}certificat");
        assert_eq!(fr.n(K::IssueN, 1, &[]), "Délivrer 1\u{a0}certificat");
        assert_eq!(fr.n(K::IssueN, 2, &[]), "Délivrer 2\u{a0}certificats");
        assert_eq!(fr.n(K::IssueN, 12345, &[]), "Délivrer 12\u{202f}345\u{a0}certificats");
        assert_eq!(en.n(K::IssueN, 12345, &[]), "Issue 12,345 certificates");
    }

    #[test]
    fn numbers_and_dates_are_written_per_language() {
        let (en, fr) = (tr(Lang::En), tr(Lang::Fr));
        assert_eq!(fr.num(1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(en.num(-1234), "-1,234");
        assert_eq!(en.num(999), "999");
        let t = chrono::Utc.with_ymd_and_hms(2025, 3, 4, 9, 5, 0).unwrap();
        assert_eq!(en.datetime(&t), "2025-03-04 09:05");
        assert_eq!(fr.datetime(&t), "04/03/2025 09:05");
        assert_eq!(fr.stored("2025-03-04T09:05:07Z"), "04/03/2025 09:05:07");
        assert_eq!(fr.stored("not a time"), "not a time");
    }

    #[test]
    fn placeholders_take_text_escaped_and_markup_as_is() {
        let fr = tr(Lang::Fr);
        let m = fr.m(K::ForAccount, &[("email", html! { strong { "a<b@x.org" } })]);
        assert_eq!(m.into_string(), "Pour le compte du personnel <strong>a&lt;b@x.org</strong>.");
    }

    #[test]
    fn the_language_comes_from_the_cookie_then_the_browser_then_english() {
        fn h(pairs: &[(&'static str, &str)]) -> HeaderMap {
            let mut m = HeaderMap::new();
            for (k, v) in pairs {
                m.append(*k, v.parse().unwrap());
            }
            m
        }
        assert_eq!(Lang::of_request(&h(&[])), Lang::En);
        assert_eq!(Lang::of_request(&h(&[("accept-language", "fr-CH, fr;q=0.9, en;q=0.8")])), Lang::Fr);
        // Spanish is a public-page language, not a console one: the next choice wins.
        assert_eq!(Lang::of_request(&h(&[("accept-language", "es-ES, fr;q=0.7, en;q=0.5")])), Lang::Fr);
        assert_eq!(Lang::of_request(&h(&[("accept-language", "de, ru")])), Lang::En);
        assert_eq!(Lang::of_request(&h(&[("accept-language", "frx")])), Lang::En);
        let both = h(&[("accept-language", "fr"), ("cookie", "attest_session=x; attest_lang=en")]);
        assert_eq!(Lang::of_request(&both), Lang::En);
        assert_eq!(Lang::of_request(&h(&[("cookie", "attest_lang=fr")])), Lang::Fr);
    }
}
