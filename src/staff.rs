//! Staff accounts and how they prove who they are: passwords (argon2), browser sessions with a
//! CSRF token, API bearer tokens, and one-time setup links; and what each may do ([`Role`]).
//!
//! There is never a default password. A fresh installation prints a one-time link that lets the
//! first person choose their email and password; `attest staff add` prints such a link for each
//! new colleague. Secrets (session cookies, API tokens, link tokens) are 256-bit random values
//! shown once and stored only as SHA-256. No HTTP here: the web layer reads cookies and headers
//! and calls these functions.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};

use crate::store::Conn;
use crate::store::{self, staff::Account};

/// Sessions last a working day; staff log in again the next morning.
pub const SESSION_HOURS: i64 = 12;
/// Setup links are valid for a day.
pub const SETUP_LINK_HOURS: i64 = 24;
/// Short enough to remember, long enough to resist guessing (NIST SP 800-63B asks for 8+).
pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error(transparent)]
    Store(#[from] store::StoreError),
    #[error("\"{0}\" is not an email address")]
    BadEmail(String),
    #[error("a staff account for {0} already exists")]
    Exists(String),
    #[error("no staff account for {0} (see `attest staff list`)")]
    NoSuchAccount(String),
    #[error("the staff account {0} is disabled (`attest staff enable {0}` first)")]
    Disabled(String),
    #[error("the password is too short: use at least {MIN_PASSWORD_CHARS} characters")]
    WeakPassword,
    #[error(
        "the password is easy to guess (one character or a sequence repeated, a common word, or the name in the \
         email address): choose another; a few unrelated words work well"
    )]
    GuessablePassword,
    #[error(
        "this setup link is unknown, used or expired: ask for a new one (`attest staff add` or `attest staff reset`)"
    )]
    BadLink,
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error("no randomness available: {0}")]
    Random(String),
    #[error("role \"{0}\": use admin, issuer or viewer")]
    BadRole(String),
    #[error("a token cannot have a higher role ({wanted}) than its owner {email} ({has})")]
    TokenAboveOwner { email: String, wanted: Role, has: Role },
}

type Result<T> = std::result::Result<T, StaffError>;

/// A bearer value that grants access when it is presented back: a session cookie, its CSRF
/// token, an API token, a one-time link's token (256 random bits from [`AccessToken::new`],
/// shown once to their owner and stored only as SHA-256), or the operator's metrics token
/// ([`AccessToken::given`]). `Debug` never prints it, so it cannot leak into logs by accident.
///
/// Named for what it does rather than `Secret`: the token signing key (`signing::Secret`) and
/// the PKCS#12 password (`pdf_signature::Secret`) were also called `Secret`.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(String);

impl AccessToken {
    pub fn new() -> Result<AccessToken> {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| StaffError::Random(e.to_string()))?;
        Ok(AccessToken(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)))
    }

    /// A secret the operator configured (the metrics token), wrapped so it is never printed.
    pub fn given(s: String) -> AccessToken {
        AccessToken(s)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What the database keeps.
    pub fn sha256(&self) -> String {
        digest(&self.0)
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(…)")
    }
}

fn digest(s: &str) -> String {
    store::imports::sha256_hex(s.as_bytes())
}

/// What a member of staff may do. Each role can do everything the ones below it can:
/// `Viewer < Issuer < Admin` (the derived order is the declaration order).
///
/// - viewer: reads everything staff can read, changes nothing;
/// - issuer: events, imports, attendance decisions, overrides, links and splits, issuing,
///   reissuing, revoking, sending, series and print files;
/// - admin: also staff accounts, signing keys, the organisation profile and designs.
///
/// Three fixed roles, the shape Indico, Moodle's certificates and pretix share, rather than
/// per-permission grants: a webinar team can reason about three, and the route table in
/// `web::access` stays one column wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Viewer,
    Issuer,
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Issuer, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Issuer => "issuer",
            Role::Viewer => "viewer",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Role {
    type Err = StaffError;

    fn from_str(s: &str) -> Result<Role> {
        match s.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "issuer" => Ok(Role::Issuer),
            "viewer" => Ok(Role::Viewer),
            _ => Err(StaffError::BadRole(s.to_owned())),
        }
    }
}

/// A signed-in member of staff, as handlers see them.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: i64,
    pub email: String,
    /// What this session or token may do: the account's role, or lower for a token made so.
    pub role: Role,
}

impl From<Account> for Member {
    fn from(a: Account) -> Self {
        Member { id: a.id, email: a.email, role: a.role }
    }
}

/// A new browser session: the cookie value and the CSRF token its forms carry.
#[derive(Debug)]
pub struct Session {
    pub cookie: AccessToken,
    pub csrf: String,
}

fn normalise_email(email: &str) -> Result<String> {
    crate::attendance::plausible_email(email).ok_or_else(|| StaffError::BadEmail(email.to_owned()))
}

/// Words a password must not be, once its digits and signs are taken away: what guessing tries
/// first ("Password2025!", "attest123456"), in the console's languages and the institution's name.
const GUESSED_WORDS: [&str; 14] = [
    "password",
    "passwort",
    "motdepasse",
    "contrasena",
    "contraseña",
    "attest",
    "admin",
    "welcome",
    "bienvenue",
    "council",
    "europe",
    "councilofeurope",
    "conseil",
    "conseildeleurope",
];

/// Whether a password long enough is still among the first an attacker tries (NIST SP 800-63B,
/// 5.1.1.2: repetitive or sequential characters, dictionary and context-specific words): a few
/// characters repeated (`aaaaaaaaaaaa`, `abcabcabcabc`), a run along the alphabet, the digits
/// or the keyboard (`123456789012`, `qwertyuiopas`), a common word or the account's own name
/// with digits and signs around it. Length stays the main rule; this refuses only what a
/// length check lets through and any guessing list holds.
pub fn guessable(password: &str, email: &str) -> bool {
    let lower = password.to_lowercase();
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() < 5 {
        return true;
    }
    const RUNS: [&str; 3] = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiopasdfghjklzxcvbnm"];
    let chars: Vec<char> = lower.chars().collect();
    let along = |run: &str| {
        let run: Vec<char> = run.chars().collect();
        let step = |a: char, b: char| {
            let at = |c| run.iter().position(|&r| r == c);
            matches!((at(a), at(b)), (Some(i), Some(j)) if i.abs_diff(j) == 1 || i.abs_diff(j) == run.len() - 1)
        };
        chars.windows(2).filter(|w| step(w[0], w[1])).count() + 2 >= chars.len()
    };
    if RUNS.iter().any(|r| along(r)) {
        return true;
    }
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    let own = email.split('@').next().unwrap_or("").to_lowercase();
    let own: String = own.chars().filter(|c| c.is_alphabetic()).collect();
    GUESSED_WORDS.contains(&letters.as_str()) || (own.chars().count() >= 3 && letters == own)
}

/// argon2id with the crate's defaults (19 MiB, 2 passes: OWASP's recommendation), salted.
pub fn hash_password(password: &str) -> Result<String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(StaffError::WeakPassword);
    }
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| StaffError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| StaffError::Hash(e.to_string()))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| StaffError::Hash(e.to_string()))
}

fn password_matches(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| argon2::Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Adds an account without a password and returns the link secret with which its owner
/// chooses one.
pub fn add(conn: &Conn, email: &str, role: Role, actor: &str, now: DateTime<Utc>) -> Result<(Member, AccessToken)> {
    let email = normalise_email(email)?;
    if store::staff::by_email(conn, &email)?.is_some() {
        return Err(StaffError::Exists(email));
    }
    let id = store::staff::insert(conn, &email, role, now)?;
    store::audit(conn, now, actor, "staff.add", &email, &format!("role {role}"))?;
    let link = setup_link(conn, Some(id), now)?;
    Ok((Member { id, email, role }, link))
}

/// Changes an account's role. It takes effect on the account's next request: sessions and
/// tokens read the role from the account every time.
pub fn set_role(conn: &Conn, email: &str, role: Role, actor: &str, now: DateTime<Utc>) -> Result<Member> {
    let email = normalise_email(email)?;
    let acct = store::staff::by_email(conn, &email)?.ok_or_else(|| StaffError::NoSuchAccount(email.clone()))?;
    store::staff::set_role(conn, acct.id, role)?;
    store::audit(conn, now, actor, "staff.role", &email, &format!("{} -> {role}", acct.role))?;
    Ok(Member { id: acct.id, email, role })
}

/// A new setup link for an existing account (forgotten password), or for the first account.
pub fn setup_link(conn: &Conn, staff_id: Option<i64>, now: DateTime<Utc>) -> Result<AccessToken> {
    let s = AccessToken::new()?;
    store::staff::insert_setup_link(conn, &s.sha256(), staff_id, now, now + Duration::hours(SETUP_LINK_HOURS))?;
    Ok(s)
}

/// A reset link for `email`'s account. It locks nobody out: the old password and sessions
/// work until the link is used, and API tokens after it ([`disable`] does that). Refused for a
/// disabled account, whose link could only lead to a sign-in that is refused.
pub fn reset_link(conn: &Conn, email: &str, actor: &str, now: DateTime<Utc>) -> Result<AccessToken> {
    let email = normalise_email(email)?;
    let acct = store::staff::by_email(conn, &email)?.ok_or_else(|| StaffError::NoSuchAccount(email.clone()))?;
    if acct.disabled {
        return Err(StaffError::Disabled(email));
    }
    store::audit(conn, now, actor, "staff.reset", &email, "")?;
    setup_link(conn, Some(acct.id), now)
}

/// What [`disable`] ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Disabling {
    /// Whether the account was disabled already (the rest is then what was left, usually 0).
    pub already: bool,
    pub sessions: usize,
    pub tokens: usize,
    pub setup_links: usize,
}

/// Disables an account, for someone who leaves: from this moment its password (forgotten),
/// sessions (ended), API tokens (revoked) and unused setup links (expired) no longer work, and
/// it cannot sign in through the OpenID provider either. The account stays, so that the audit
/// log keeps naming who did what; [`enable`] lets the person back in. One transaction.
///
/// Each check also refuses a disabled account on its own (`session`, `by_token`, `login`,
/// `sso_sign_in`): ending them here is what keeps them ended after an [`enable`].
pub fn disable(conn: &mut Conn, email: &str, actor: &str, now: DateTime<Utc>) -> Result<(Member, Disabling)> {
    let email = normalise_email(email)?;
    let tx = conn.transaction()?;
    let acct = store::staff::by_email(&tx, &email)?.ok_or_else(|| StaffError::NoSuchAccount(email.clone()))?;
    if !acct.disabled {
        store::staff::set_disabled(&tx, acct.id, Some(now))?;
    }
    let done = Disabling {
        already: acct.disabled,
        sessions: store::staff::delete_sessions_of(&tx, acct.id)?,
        tokens: store::staff::revoke_all_tokens(&tx, acct.id, now)?,
        setup_links: store::staff::expire_setup_links_of(&tx, acct.id, now)?,
    };
    let detail = format!(
        "{} session(s) ended, {} API token(s) revoked, {} setup link(s) expired{}",
        done.sessions,
        done.tokens,
        done.setup_links,
        if done.already { " (already disabled)" } else { "" }
    );
    store::audit(&tx, now, actor, "staff.disable", &email, &detail)?;
    tx.commit()?;
    Ok((acct.into(), done))
}

/// Enables a disabled account again; false when it was not disabled. Nothing comes back: its
/// API tokens stay revoked and its password forgotten, so the person signs in through the
/// OpenID provider or chooses a password from a new link ([`reset_link`]).
pub fn enable(conn: &Conn, email: &str, actor: &str, now: DateTime<Utc>) -> Result<(Member, bool)> {
    let email = normalise_email(email)?;
    let acct = store::staff::by_email(conn, &email)?.ok_or_else(|| StaffError::NoSuchAccount(email.clone()))?;
    let was = acct.disabled;
    if was {
        store::staff::set_disabled(conn, acct.id, None)?;
        store::audit(conn, now, actor, "staff.enable", &email, "")?;
    }
    Ok((acct.into(), was))
}

/// On a fresh installation (no account at all): a link to create the first account.
pub fn first_run_link(conn: &Conn, now: DateTime<Utc>) -> Result<Option<AccessToken>> {
    if store::staff::count(conn)? > 0 {
        return Ok(None);
    }
    setup_link(conn, None, now).map(Some)
}

/// What a setup link is for: `None` when unusable, `Some(None)` for the first account (the
/// page asks for an email), `Some(Some(email))` for a named account.
pub fn setup_target(conn: &Conn, link: &str, now: DateTime<Utc>) -> Result<Option<Option<String>>> {
    match store::staff::setup_link(conn, &digest(link), now)? {
        None => Ok(None),
        Some(None) if store::staff::count(conn)? > 0 => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(id)) => Ok(store::staff::by_id(conn, id)?.map(|a| Some(a.email))),
    }
}

/// Uses a setup link: sets the password (creating the first account when the link is for
/// it), ends the account's other sessions and starts a new one. One transaction: a link is
/// used once or not at all.
pub fn complete_setup(
    conn: &mut Conn,
    link: &str,
    email: Option<&str>,
    password: &str,
    now: DateTime<Utc>,
) -> Result<(Member, Session)> {
    let hash = hash_password(password)?;
    let tx = conn.transaction()?;
    let target = store::staff::setup_link(&tx, &digest(link), now)?.ok_or(StaffError::BadLink)?;
    let id = match target {
        Some(id) => id,
        None => {
            if store::staff::count(&tx)? > 0 {
                return Err(StaffError::BadLink);
            }
            let email = normalise_email(email.unwrap_or(""))?;
            // The first account must be able to add the others.
            let id = store::staff::insert(&tx, &email, Role::Admin, now)?;
            store::audit(&tx, now, &email, "staff.add", &email, "first account, from the setup link")?;
            id
        }
    };
    if !store::staff::use_setup_link(&tx, &digest(link), now)? {
        return Err(StaffError::BadLink);
    }
    // `disable` expires the account's links; this holds should one be made afterwards.
    let acct = store::staff::by_id(&tx, id)?.ok_or(StaffError::BadLink)?;
    if acct.disabled {
        return Err(StaffError::BadLink);
    }
    if guessable(password, &acct.email) {
        return Err(StaffError::GuessablePassword);
    }
    store::staff::set_password(&tx, id, &hash)?;
    store::staff::delete_sessions_of(&tx, id)?;
    store::audit(&tx, now, &acct.email, "staff.password", &acct.email, "set from a setup link")?;
    let session = start_session(&tx, id, now)?;
    tx.commit()?;
    Ok((acct.into(), session))
}

fn start_session(conn: &Conn, staff_id: i64, now: DateTime<Utc>) -> Result<Session> {
    let cookie = AccessToken::new()?;
    let csrf = AccessToken::new()?.0;
    store::staff::insert_session(conn, &cookie.sha256(), staff_id, &csrf, now, now + Duration::hours(SESSION_HOURS))?;
    Ok(Session { cookie, csrf })
}

/// What a password sign-in came to.
#[derive(Debug)]
pub enum Login {
    SignedIn(Member, Session),
    /// Refused. `staff_id` is the account the email named, if any, for the log (which never
    /// holds the email); `why` says which check failed, for the log only: the person is told
    /// the same thing in every case, so that the form does not say which addresses have accounts.
    Refused {
        staff_id: Option<i64>,
        why: &'static str,
    },
}

impl Login {
    /// The member and session when signed in.
    pub fn signed_in(self) -> Option<(Member, Session)> {
        match self {
            Login::SignedIn(m, s) => Some((m, s)),
            Login::Refused { .. } => None,
        }
    }
}

/// Checks a password and starts a session. Unknown addresses cost the same argon2 work as
/// known ones, so response times do not tell which addresses have accounts.
pub fn login(conn: &Conn, email: &str, password: &str, now: DateTime<Utc>) -> Result<Login> {
    // A valid hash of a random password, computed once: the decoy for unknown addresses.
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let acct = match normalise_email(email) {
        Ok(e) => store::staff::by_email(conn, &e)?,
        Err(_) => None,
    };
    let hash = acct.as_ref().and_then(|a| a.password_hash.clone());
    let decoy = DECOY.get_or_init(|| hash_password("decoy password, never matches").unwrap_or_default());
    let ok = password_matches(hash.as_deref().unwrap_or(decoy), password) && hash.is_some();
    let Some(a) = acct else { return Ok(Login::Refused { staff_id: None, why: "no such account" }) };
    let why = match (a.disabled, &a.password_hash) {
        (true, _) => "account disabled",
        (false, None) => "no password chosen yet",
        (false, Some(_)) if !ok => "wrong password",
        (false, Some(_)) => {
            let session = start_session(conn, a.id, now)?;
            store::audit(conn, now, &a.email, "staff.login", &a.email, "")?;
            return Ok(Login::SignedIn(a.into(), session));
        }
    };
    // In the audit log, as the OpenID provider's refusals are: an administrator reviewing it saw
    // only the sign-ins that worked. Not for an address without an account: anyone can type one,
    // and it would write for them.
    store::audit(conn, now, "sign-in form", "staff.login_refused", &a.email, why)?;
    Ok(Login::Refused { staff_id: Some(a.id), why })
}

/// Who the organisation's OpenID provider says signed in, after the id_token's checks.
#[derive(Debug, Clone)]
pub struct SsoIdentity {
    /// The provider's stable subject (see migration 0015).
    pub subject: String,
    /// The email the provider gives, used once: to bind a pre-registered account.
    pub email: Option<String>,
    /// The role the provider's role claim gives.
    pub role: Role,
}

/// What a sign-in through the provider came to.
#[derive(Debug)]
pub enum SsoOutcome {
    SignedIn(Member, Session),
    /// No account, and none may be created; the reason says which.
    NotRegistered(String),
    Disabled,
}

/// Signs in someone the provider vouched for: by their subject when an account is bound to it;
/// else, once, the account pre-registered under their email (`attest staff add`), which is then
/// bound; else, when `create`, a new account. The role is the provider's, every time: a change
/// in the directory shows at the next sign-in (audited when it changes). One transaction.
pub fn sso_sign_in(conn: &mut Conn, who: &SsoIdentity, create: bool, now: DateTime<Utc>) -> Result<SsoOutcome> {
    let tx = conn.transaction()?;
    let acct = match store::staff::by_subject(&tx, &who.subject)? {
        Some(a) => a,
        None => {
            let Some(email) = who.email.as_deref().and_then(crate::attendance::plausible_email) else {
                return Ok(SsoOutcome::NotRegistered("the provider gave no email address for a new account".into()));
            };
            match store::staff::by_email(&tx, &email)? {
                Some(a) if store::staff::subject_of(&tx, a.id)?.is_some() => {
                    return Ok(SsoOutcome::NotRegistered(
                        "an account with this email is bound to another person at the provider".into(),
                    ));
                }
                Some(a) => {
                    store::staff::set_subject(&tx, a.id, &who.subject)?;
                    store::audit(&tx, now, &a.email, "staff.sso_bind", &a.email, "bound to the provider's subject")?;
                    a
                }
                None if create => {
                    let id = store::staff::insert(&tx, &email, who.role, now)?;
                    store::staff::set_subject(&tx, id, &who.subject)?;
                    store::audit(&tx, now, "oidc", "staff.add", &email, &format!("first sign-in, role {}", who.role))?;
                    store::staff::by_id(&tx, id)?.ok_or_else(|| StaffError::NoSuchAccount(email.clone()))?
                }
                None => {
                    return Ok(SsoOutcome::NotRegistered("not added beforehand (attest staff add EMAIL)".into()));
                }
            }
        }
    };
    if acct.disabled {
        return Ok(SsoOutcome::Disabled);
    }
    if acct.role != who.role {
        store::staff::set_role(&tx, acct.id, who.role)?;
        store::audit(
            &tx,
            now,
            "oidc",
            "staff.role",
            &acct.email,
            &format!("{} -> {} (the provider's role claim)", acct.role, who.role),
        )?;
    }
    let session = start_session(&tx, acct.id, now)?;
    store::audit(&tx, now, &acct.email, "staff.login", &acct.email, "through the OpenID provider")?;
    tx.commit()?;
    Ok(SsoOutcome::SignedIn(Member { id: acct.id, email: acct.email, role: who.role }, session))
}

/// The member and CSRF token behind a session cookie.
pub fn session(conn: &Conn, cookie: &str, now: DateTime<Utc>) -> Result<Option<(Member, String)>> {
    Ok(store::staff::session(conn, &digest(cookie), now)?.filter(|(a, _)| !a.disabled).map(|(a, c)| (a.into(), c)))
}

pub fn logout(conn: &Conn, cookie: &str) -> Result<()> {
    Ok(store::staff::delete_session(conn, &digest(cookie))?)
}

/// Creates an API token for `email`'s account, with the account's role or (`role`) a lower
/// one; the secret is shown once.
pub fn create_token(
    conn: &Conn,
    email: &str,
    label: &str,
    role: Option<Role>,
    actor: &str,
    now: DateTime<Utc>,
) -> Result<AccessToken> {
    let email = normalise_email(email)?;
    let acct = store::staff::by_email(conn, &email)?.ok_or_else(|| StaffError::NoSuchAccount(email.clone()))?;
    if acct.disabled {
        return Err(StaffError::Disabled(email));
    }
    let role = role.unwrap_or(acct.role);
    if role > acct.role {
        return Err(StaffError::TokenAboveOwner { email, wanted: role, has: acct.role });
    }
    let secret = AccessToken::new()?;
    // A recognisable prefix lets secret scanners and people tell what a leaked string is.
    let secret = AccessToken(format!("attest_{}", secret.0));
    store::staff::insert_token(conn, &secret.sha256(), acct.id, label, role, now)?;
    store::audit(conn, now, actor, "staff.token", &email, &format!("{label} (role {role})"))?;
    Ok(secret)
}

/// The member behind an API bearer token, with the lower of the token's and the account's
/// roles: an account moved down takes its tokens down with it.
pub fn by_token(conn: &Conn, token: &str, now: DateTime<Utc>) -> Result<Option<Member>> {
    Ok(store::staff::token(conn, &digest(token), now)?.filter(|(a, _)| !a.disabled).map(|(a, ceiling)| {
        let mut m = Member::from(a);
        m.role = ceiling.map_or(m.role, |c| c.min(m.role));
        m
    }))
}

/// Constant-time comparison for CSRF tokens.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2025-03-14T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn first_account_comes_from_a_one_time_link_and_then_logs_in() {
        let mut conn = store::open_in_memory().unwrap();
        let link = first_run_link(&conn, now()).unwrap().expect("fresh installation");
        assert_eq!(setup_target(&conn, link.expose(), now()).unwrap(), Some(None));
        assert!(matches!(
            complete_setup(&mut conn, link.expose(), Some("a@coe.int"), "short", now()),
            Err(StaffError::WeakPassword)
        ));
        let (m, s) =
            complete_setup(&mut conn, link.expose(), Some("A@coe.int "), "correct horse battery", now()).unwrap();
        assert_eq!(m.email, "a@coe.int");
        assert_eq!(session(&conn, s.cookie.expose(), now()).unwrap().unwrap().1, s.csrf);
        // Used once; and no second first-run link once an account exists.
        assert!(matches!(
            complete_setup(&mut conn, link.expose(), Some("b@coe.int"), "correct horse battery", now()),
            Err(StaffError::BadLink)
        ));
        assert!(first_run_link(&conn, now()).unwrap().is_none());
        assert!(matches!(
            login(&conn, "a@coe.int", "wrong password!!", now()).unwrap(),
            Login::Refused { staff_id: Some(_), why: "wrong password" }
        ));
        assert!(matches!(
            login(&conn, "nobody@coe.int", "correct horse battery", now()).unwrap(),
            Login::Refused { staff_id: None, .. }
        ));
        let (_, s2) = login(&conn, "a@coe.int", "correct horse battery", now()).unwrap().signed_in().unwrap();
        assert!(session(&conn, s2.cookie.expose(), now() + Duration::hours(SESSION_HOURS + 1)).unwrap().is_none());
        logout(&conn, s2.cookie.expose()).unwrap();
        assert!(session(&conn, s2.cookie.expose(), now()).unwrap().is_none());
    }

    #[test]
    fn api_tokens_are_stored_hashed_and_name_their_owner() {
        let conn = store::open_in_memory().unwrap();
        add(&conn, "ops@coe.int", Role::Issuer, "cli", now()).unwrap();
        let t = create_token(&conn, "ops@coe.int", "ci", None, "cli", now()).unwrap();
        assert!(t.expose().starts_with("attest_"));
        assert_eq!(format!("{t:?}"), "AccessToken(…)");
        // The table itself: no store function hands a token's stored form back, by design.
        let stored: String =
            conn.sqlite_for_tests().query_row("SELECT token_sha256 FROM api_tokens", (), |r| r.get(0)).unwrap();
        assert_ne!(stored, t.expose());
        assert_eq!(by_token(&conn, t.expose(), now()).unwrap().unwrap().email, "ops@coe.int");
        assert!(by_token(&conn, "attest_forged", now()).unwrap().is_none());
    }

    #[test]
    fn a_token_acts_with_at_most_its_owners_role_even_after_the_owner_is_moved_down() {
        let conn = store::open_in_memory().unwrap();
        add(&conn, "lead@coe.int", Role::Admin, "cli", now()).unwrap();
        assert!(create_token(&conn, "lead@coe.int", "x", Some(Role::Admin), "cli", now()).is_ok());
        let full = create_token(&conn, "lead@coe.int", "full", None, "cli", now()).unwrap();
        let low = create_token(&conn, "lead@coe.int", "low", Some(Role::Viewer), "cli", now()).unwrap();
        assert_eq!(by_token(&conn, full.expose(), now()).unwrap().unwrap().role, Role::Admin);
        assert_eq!(by_token(&conn, low.expose(), now()).unwrap().unwrap().role, Role::Viewer);
        set_role(&conn, "lead@coe.int", Role::Issuer, "cli", now()).unwrap();
        assert_eq!(by_token(&conn, full.expose(), now()).unwrap().unwrap().role, Role::Issuer);
        assert!(matches!(
            create_token(&conn, "lead@coe.int", "y", Some(Role::Admin), "cli", now()),
            Err(StaffError::TokenAboveOwner { .. })
        ));
        let log = store::certificates::audit_log(&conn, 100).unwrap();
        let entry = log.iter().find(|e| e.action == "staff.role").unwrap();
        assert_eq!(entry.role, None, "the command line has no role");
    }

    #[test]
    fn the_first_account_is_an_admin_and_later_ones_have_the_role_they_were_given() {
        let mut conn = store::open_in_memory().unwrap();
        let link = first_run_link(&conn, now()).unwrap().unwrap();
        let (m, _) =
            complete_setup(&mut conn, link.expose(), Some("a@coe.int"), "correct horse battery", now()).unwrap();
        assert_eq!(m.role, Role::Admin);
        let (v, _) = add(&conn, "v@coe.int", Role::Viewer, &m.email, now()).unwrap();
        assert_eq!(store::staff::by_id(&conn, v.id).unwrap().unwrap().role, Role::Viewer);
        // The audit names the acting account's role.
        let log = store::certificates::audit_log(&conn, 100).unwrap();
        let entry = log.iter().find(|e| e.action == "staff.add" && e.subject == "v@coe.int").unwrap();
        assert_eq!(entry.role.as_deref(), Some("admin"));
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn a_newer_setup_link_replaces_the_unused_ones_before_it() {
        let conn = store::open_in_memory().unwrap();
        let first = first_run_link(&conn, now()).unwrap().unwrap();
        let second = first_run_link(&conn, now()).unwrap().unwrap();
        assert_eq!(setup_target(&conn, first.expose(), now()).unwrap(), None);
        assert_eq!(setup_target(&conn, second.expose(), now()).unwrap(), Some(None));
        let (_, added) = add(&conn, "b@coe.int", Role::Issuer, "cli", now()).unwrap();
        let reset = reset_link(&conn, "b@coe.int", "cli", now()).unwrap();
        assert_eq!(setup_target(&conn, added.expose(), now()).unwrap(), None);
        assert_eq!(setup_target(&conn, reset.expose(), now()).unwrap(), Some(Some("b@coe.int".into())));
    }

    #[test]
    fn a_disabled_account_loses_its_password_sessions_tokens_and_links_and_gets_none_back() {
        let mut conn = store::open_in_memory().unwrap();
        let (_, link) = add(&conn, "leaver@coe.int", Role::Issuer, "cli", now()).unwrap();
        complete_setup(&mut conn, link.expose(), None, "correct horse battery", now()).unwrap();
        let (_, s) = login(&conn, "leaver@coe.int", "correct horse battery", now()).unwrap().signed_in().unwrap();
        let token = create_token(&conn, "leaver@coe.int", "ci", None, "cli", now()).unwrap();
        let pending = reset_link(&conn, "leaver@coe.int", "cli", now()).unwrap();

        let (m, done) = disable(&mut conn, "Leaver@coe.int", "cli", now()).unwrap();
        assert_eq!(m.email, "leaver@coe.int");
        assert_eq!(done, Disabling { already: false, sessions: 2, tokens: 1, setup_links: 1 });
        assert!(session(&conn, s.cookie.expose(), now()).unwrap().is_none());
        assert!(by_token(&conn, token.expose(), now()).unwrap().is_none());
        assert!(matches!(
            login(&conn, "leaver@coe.int", "correct horse battery", now()).unwrap(),
            Login::Refused { why: "account disabled", .. }
        ));
        assert!(setup_target(&conn, pending.expose(), now()).unwrap().is_none());
        assert!(matches!(reset_link(&conn, "leaver@coe.int", "cli", now()), Err(StaffError::Disabled(_))));
        assert!(matches!(create_token(&conn, "leaver@coe.int", "x", None, "cli", now()), Err(StaffError::Disabled(_))));
        assert!(disable(&mut conn, "leaver@coe.int", "cli", now()).unwrap().1.already);

        assert!(enable(&conn, "leaver@coe.int", "cli", now()).unwrap().1);
        assert!(!enable(&conn, "leaver@coe.int", "cli", now()).unwrap().1);
        // Back, but with nothing of before: a new link is needed, the token stays revoked.
        assert!(matches!(
            login(&conn, "leaver@coe.int", "correct horse battery", now()).unwrap(),
            Login::Refused { why: "no password chosen yet", .. }
        ));
        assert!(by_token(&conn, token.expose(), now()).unwrap().is_none());
        let link = reset_link(&conn, "leaver@coe.int", "cli", now()).unwrap();
        complete_setup(&mut conn, link.expose(), None, "a brand new passphrase", now()).unwrap();
        let log = store::certificates::audit_log(&conn, 100).unwrap();
        let entry = log.iter().find(|e| e.action == "staff.disable").unwrap();
        assert_eq!((entry.actor.as_str(), entry.subject.as_str()), ("cli", "leaver@coe.int"));
        assert!(log.iter().any(|e| e.action == "staff.enable"));
    }

    #[test]
    fn a_disabled_account_cannot_sign_in_through_the_provider() {
        let mut conn = store::open_in_memory().unwrap();
        add(&conn, "sso@coe.int", Role::Viewer, "cli", now()).unwrap();
        let who = SsoIdentity { subject: "entra:t:o".into(), email: Some("sso@coe.int".into()), role: Role::Viewer };
        assert!(matches!(sso_sign_in(&mut conn, &who, true, now()).unwrap(), SsoOutcome::SignedIn(..)));
        disable(&mut conn, "sso@coe.int", "cli", now()).unwrap();
        assert!(matches!(sso_sign_in(&mut conn, &who, true, now()).unwrap(), SsoOutcome::Disabled));
        enable(&conn, "sso@coe.int", "cli", now()).unwrap();
        assert!(matches!(sso_sign_in(&mut conn, &who, true, now()).unwrap(), SsoOutcome::SignedIn(..)));
    }

    #[test]
    fn long_passwords_that_guessing_tries_first_are_refused() {
        for p in [
            "aaaaaaaaaaaa",
            "abcabcabcabc",
            "123456789012",
            "098765432109",
            "qwertyuiopas",
            "Password2025!",
            "attest123456",
            "Conseil-de-l'Europe-1",
            "zaneta.wojcik.2025",
        ] {
            assert!(guessable(p, "zaneta.wojcik@example.pl"), "{p}");
        }
        for p in ["correct horse battery", "Strasbourg rain at noon", "vingt-sept lapins bleus", "b7#Kq9!mZt2w"] {
            assert!(!guessable(p, "zaneta.wojcik@example.pl"), "{p}");
        }
        let mut conn = store::open_in_memory().unwrap();
        let (_, link) = add(&conn, "b@coe.int", Role::Issuer, "cli", now()).unwrap();
        assert!(matches!(
            complete_setup(&mut conn, link.expose(), None, "aaaaaaaaaaaa", now()),
            Err(StaffError::GuessablePassword)
        ));
        // Refused without spending the link.
        assert!(complete_setup(&mut conn, link.expose(), None, "correct horse battery", now()).is_ok());
    }

    #[test]
    fn setup_links_expire() {
        let mut conn = store::open_in_memory().unwrap();
        let (_, link) = add(&conn, "b@coe.int", Role::Issuer, "cli", now()).unwrap();
        let later = now() + Duration::hours(SETUP_LINK_HOURS + 1);
        assert!(setup_target(&conn, link.expose(), later).unwrap().is_none());
        assert!(complete_setup(&mut conn, link.expose(), None, "correct horse battery", later).is_err());
        assert_eq!(setup_target(&conn, link.expose(), now()).unwrap(), Some(Some("b@coe.int".into())));
    }
}
