//! Staff sign-in through the organisation's OpenID provider (Microsoft Entra ID or any other):
//! the authorization code flow with PKCE, state and nonce, at `GET /staff/login/oidc` and
//! `GET /staff/login/oidc/callback`.
//!
//! The `openidconnect` crate does the protocol and every check of the id_token (signature
//! against the provider's published keys, issuer, audience, expiry, nonce); nothing here parses
//! or verifies a token by hand. The provider's configuration comes from its discovery document,
//! fetched on first use and again after an hour (keys rotate). Staff are recognised by the
//! provider's stable subject, for Entra its tenant and object ids (`tid`, `oid`: `sub` differs per
//! application and emails and names change), never by email; their role comes from a configured
//! claim (Entra's app roles, `roles`) at every sign-in, so the directory stays the one place where
//! access is given and taken away.
//!
//! What the flow keeps between the two requests (PKCE verifier, nonce, where to go next) stays in
//! memory for ten minutes under the random `state`, which the browser also carries in a cookie:
//! a callback whose state is missing, unknown, used or not this browser's is refused. A server
//! restart in between costs one more click; a table was the alternative, for little gain with one
//! server process.
//!
//! Not here: the session itself (`staff::start_session`, the same as after a password), and
//! accounts' rules (`staff::sso_sign_in`).

mod http;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreProviderMetadata,
};
use openidconnect::{
    AdditionalClaims, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IdToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};

use super::AppState;
use super::console::Tr;
use crate::staff::{self, Role, SsoIdentity, SsoOutcome};

/// The cookie that ties a callback to the browser that started the sign-in.
const STATE_COOKIE: &str = "attest_oidc";
/// How long a started sign-in may take at the provider.
const PENDING_FOR: Duration = Duration::from_secs(600);
/// Sign-ins started and not finished that are kept at most (each a few hundred bytes).
const MAX_PENDING: usize = 10_000;
/// How long the discovery document and the provider's keys are trusted before fetching again.
const METADATA_FOR: Duration = Duration::from_secs(3600);

/// A secret that `Debug` never prints (the client secret).
#[derive(Clone)]
pub struct ClientSecretValue(String);

impl ClientSecretValue {
    pub fn new(s: String) -> Self {
        ClientSecretValue(s)
    }
}

impl std::fmt::Debug for ClientSecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientSecretValue(…)")
    }
}

/// Who may come in the first time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewAccounts {
    /// Anyone the provider signs in with a role claim gets an account at first sign-in.
    Create,
    /// Only staff added beforehand (`attest staff add EMAIL`); their first sign-in binds the
    /// account to their subject, matched once by the email the provider gives.
    Registered,
}

/// The provider and how its answers map to attest's staff.
#[derive(Debug, Clone)]
pub struct OidcConfig {
    /// The issuer, exactly as the provider's discovery document spells it (for Entra, the single
    /// tenant's `https://login.microsoftonline.com/<tenant-id>/v2.0`).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: ClientSecretValue,
    /// The claim holding the roles (Entra app roles: `roles`).
    pub roles_claim: String,
    /// The claim values meaning admin, issuer and viewer.
    pub admin_value: String,
    pub issuer_value: String,
    pub viewer_value: String,
    /// The provider's name on the sign-in button and in its refusals ("Council of Europe
    /// account"); empty: not named, and the console says it in its own words and language
    /// (a default name in English read "Your account at your organisation's account").
    pub display_name: String,
    pub new_accounts: NewAccounts,
}

impl OidcConfig {
    /// The highest role whose value the claim holds (a string or a list of strings).
    pub fn role_of(&self, claim: Option<&serde_json::Value>) -> Option<Role> {
        let values: Vec<&str> = match claim {
            Some(serde_json::Value::String(s)) => vec![s.as_str()],
            Some(serde_json::Value::Array(a)) => a.iter().filter_map(|v| v.as_str()).collect(),
            _ => Vec::new(),
        };
        [(Role::Admin, &self.admin_value), (Role::Issuer, &self.issuer_value), (Role::Viewer, &self.viewer_value)]
            .into_iter()
            .find(|(_, v)| values.contains(&v.as_str()))
            .map(|(r, _)| r)
    }
}

/// The claims attest reads beyond the standard ones: Entra's `tid` and `oid`, and the roles
/// claim under its configured name (kept with everything else the token carries).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Extra {
    #[serde(flatten)]
    claims: serde_json::Map<String, serde_json::Value>,
}

impl AdditionalClaims for Extra {}

type EntraIdToken = IdToken<Extra, CoreGenderClaim, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm>;

struct Pending {
    verifier: PkceCodeVerifier,
    nonce: Nonce,
    next: String,
    started: Instant,
}

/// The sign-in's state in the service.
pub(super) struct Oidc {
    config: OidcConfig,
    metadata: tokio::sync::Mutex<Option<(Instant, CoreProviderMetadata)>>,
    pending: Mutex<HashMap<String, Pending>>,
}

impl Oidc {
    pub(super) fn new(config: OidcConfig) -> Oidc {
        Oidc { config, metadata: tokio::sync::Mutex::new(None), pending: Mutex::new(HashMap::new()) }
    }

    pub(super) fn display_name(&self) -> &str {
        &self.config.display_name
    }

    async fn metadata(&self) -> Result<CoreProviderMetadata, String> {
        let mut cached = self.metadata.lock().await;
        if let Some((_, m)) = cached.as_ref().filter(|(at, _)| at.elapsed() < METADATA_FOR) {
            return Ok(m.clone());
        }
        let issuer = IssuerUrl::new(self.config.issuer.clone()).map_err(|e| format!("issuer URL: {e}"))?;
        // The crate checks that the document's issuer is the configured one.
        let m = CoreProviderMetadata::discover_async(issuer, &http::send).await.map_err(|e| error_chain(&e))?;
        *cached = Some((Instant::now(), m.clone()));
        Ok(m)
    }

    fn forget_metadata(&self) {
        if let Ok(mut m) = self.metadata.try_lock() {
            *m = None;
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

fn redirect_url(state: &AppState) -> String {
    format!("{}/staff/login/oidc/callback", state.config().public_url.trim_end_matches('/'))
}

#[derive(Deserialize, Default)]
pub(super) struct StartQuery {
    next: Option<String>,
}

/// `GET /staff/login/oidc`: off to the provider, with a fresh state, nonce and PKCE challenge.
pub(super) async fn start(State(state): State<AppState>, tr: Tr, Query(q): Query<StartQuery>) -> Response {
    let Some(oidc) = state.oidc() else {
        return (StatusCode::NOT_FOUND, "Single sign-on is not set up on this server.").into_response();
    };
    let metadata = match oidc.metadata().await {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(error = %e, "OpenID provider unreachable or its discovery document unusable");
            return super::console::sso_refused(
                &tr,
                StatusCode::BAD_GATEWAY,
                Refusal::Unreachable,
                oidc.display_name(),
            );
        }
    };
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(oidc.config.client_id.clone()),
        Some(ClientSecret::new(oidc.config.client_secret.0.clone())),
    )
    .set_redirect_uri(match RedirectUrl::new(redirect_url(&state)) {
        Ok(u) => u,
        Err(e) => return super::WebError::internal(format!("redirect URL: {e}")).into_response(),
    });
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf, nonce) = client
        .authorize_url(CoreAuthenticationFlow::AuthorizationCode, CsrfToken::new_random, Nonce::new_random)
        .add_scope(Scope::new("profile".into()))
        .add_scope(Scope::new("email".into()))
        .set_pkce_challenge(challenge)
        .url();
    let next = super::console::safe_next(q.next.as_deref());
    {
        let mut pending = oidc.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|_, p| p.started.elapsed() < PENDING_FOR);
        // Anyone can start a sign-in: a flood must not grow memory without end.
        if pending.len() >= MAX_PENDING {
            tracing::warn!(pending = pending.len(), "too many OpenID sign-ins in progress; refusing new ones");
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, "60")],
                "Too many sign-ins in progress; try again in a minute.",
            )
                .into_response();
        }
        pending.insert(csrf.secret().clone(), Pending { verifier, nonce, next, started: Instant::now() });
    }
    let secure = if state.config().public_url.starts_with("https://") { "; Secure" } else { "" };
    // Lax, not Strict: the provider's redirect back is a cross-site navigation, which must carry it.
    let cookie = format!(
        "{STATE_COOKIE}={}; Path=/staff/login/oidc; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        csrf.secret(),
        PENDING_FOR.as_secs()
    );
    let mut res = Redirect::to(url.as_str()).into_response();
    res.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&cookie).expect("base64url"));
    res
}

#[derive(Deserialize, Default)]
pub(super) struct CallbackQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// Why a sign-in through the provider was refused (the page says which, the audit records it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The provider's discovery document or keys could not be fetched or read.
    Unreachable,
    /// The provider answered with an error instead of a code (the person cancelled, or is not
    /// assigned to the application).
    ProviderError,
    /// No state, an unknown or expired one, or not the one this browser started.
    State,
    /// The provider would not exchange the code (used already, expired, wrong verifier).
    Code,
    /// The id_token failed a check: signature, issuer, audience, expiry or nonce.
    IdToken,
    /// The token carries none of the configured role values.
    NoRole,
    /// Accounts are not created at first sign-in and this person was not added beforehand.
    NotRegistered,
    /// The account is disabled.
    Disabled,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::Unreachable => "unreachable",
            Refusal::ProviderError => "provider_error",
            Refusal::State => "state",
            Refusal::Code => "code",
            Refusal::IdToken => "id_token",
            Refusal::NoRole => "no_role",
            Refusal::NotRegistered => "not_registered",
            Refusal::Disabled => "disabled",
        }
    }
}

/// `GET /staff/login/oidc/callback`: the code back from the provider → a staff session.
pub(super) async fn callback(
    State(state): State<AppState>,
    tr: Tr,
    headers: HeaderMap,
    Query(q): Query<CallbackQuery>,
) -> Response {
    let Some(oidc) = state.oidc() else {
        return (StatusCode::NOT_FOUND, "Single sign-on is not set up on this server.").into_response();
    };
    match finish(&state, oidc, &headers, q).await {
        Ok((member, session, next)) => {
            state.inner.metrics.signed_in("oidc", true);
            tracing::info!(staff_id = member.id, role = %member.role, "staff signed in through the OpenID provider");
            let mut res = super::console::signed_in(&state, &session, &next);
            res.headers_mut().append(
                header::SET_COOKIE,
                HeaderValue::from_str(&format!(
                    "{STATE_COOKIE}=; Path=/staff/login/oidc; Max-Age=0; HttpOnly; SameSite=Lax"
                ))
                .expect("ASCII"),
            );
            res
        }
        Err((refusal, detail, subject)) => {
            state.inner.metrics.signed_in("oidc", false);
            // Never the person's email or name: the reason, and the provider's pseudonymous subject
            // in the audit table only.
            tracing::info!(reason = refusal.code(), detail = %detail, "sign-in through the OpenID provider refused");
            let audited = state
                .blocking(move |conn, _| {
                    crate::store::audit(
                        conn,
                        Utc::now(),
                        "oidc",
                        "staff.sso_refused",
                        subject.as_deref().unwrap_or(""),
                        &format!("{}: {detail}", refusal.code()),
                    )
                })
                .await;
            match audited {
                Ok(Ok(())) => {}
                Ok(Err(e)) => tracing::error!(error = %e, "could not audit a refused sign-in"),
                Err(e) => tracing::error!(error = ?e, "could not audit a refused sign-in"),
            }
            let status = match refusal {
                Refusal::Unreachable => StatusCode::BAD_GATEWAY,
                Refusal::State | Refusal::ProviderError | Refusal::Code => StatusCode::BAD_REQUEST,
                _ => StatusCode::FORBIDDEN,
            };
            if refusal == Refusal::IdToken {
                // Perhaps the provider rotated its keys: read them again next time.
                oidc.forget_metadata();
            }
            super::console::sso_refused(&tr, status, refusal, oidc.display_name())
        }
    }
}

type Refused = (Refusal, String, Option<String>);

async fn finish(
    state: &AppState,
    oidc: &Oidc,
    headers: &HeaderMap,
    q: CallbackQuery,
) -> Result<(staff::Member, staff::Session, String), Refused> {
    if let Some(e) = q.error {
        return Err((Refusal::ProviderError, e.chars().take(100).collect(), None));
    }
    let cookie = super::console::cookie(headers, STATE_COOKIE);
    let Some(returned) = q.state.filter(|s| cookie.as_deref().is_some_and(|c| staff::same_secret(c, s))) else {
        return Err((Refusal::State, "missing, or not this browser's".into(), None));
    };
    let pending = oidc.pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&returned);
    let Some(pending) = pending.filter(|p| p.started.elapsed() < PENDING_FOR) else {
        return Err((Refusal::State, "unknown, used or expired".into(), None));
    };
    let code = q.code.ok_or((Refusal::Code, "no code".to_owned(), None))?;
    let metadata = oidc.metadata().await.map_err(|e| (Refusal::Unreachable, e, None))?;
    let client = CoreClient::from_provider_metadata(
        metadata,
        ClientId::new(oidc.config.client_id.clone()),
        Some(ClientSecret::new(oidc.config.client_secret.0.clone())),
    )
    .set_redirect_uri(RedirectUrl::new(redirect_url(state)).map_err(|e| (Refusal::Code, e.to_string(), None))?);
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|e| (Refusal::Code, e.to_string(), None))?
        .set_pkce_verifier(pending.verifier)
        .request_async(&http::send)
        .await
        .map_err(|e| (Refusal::Code, error_chain(&e), None))?;
    let token = response.id_token().ok_or((Refusal::IdToken, "no id_token in the answer".to_owned(), None))?;
    // The same token, read with the extra claims attest needs; verified by the crate below.
    let token: EntraIdToken =
        token.to_string().parse().map_err(|e: serde_json::Error| (Refusal::IdToken, e.to_string(), None))?;
    let verifier = client.id_token_verifier();
    let claims = token.claims(&verifier, &pending.nonce).map_err(|e| (Refusal::IdToken, error_chain(&e), None))?;
    let extra = &claims.additional_claims().claims;
    let text = |name: &str| extra.get(name).and_then(|v| v.as_str()).map(str::to_owned);
    // Entra: the tenant and the user's object id, stable across applications; elsewhere the
    // issuer and its subject.
    let subject = match (text("tid"), text("oid")) {
        (Some(tid), Some(oid)) => format!("entra:{tid}:{oid}"),
        _ => format!("{}#{}", claims.issuer().as_str(), claims.subject().as_str()),
    };
    let Some(role) = oidc.config.role_of(extra.get(&oidc.config.roles_claim)) else {
        return Err((
            Refusal::NoRole,
            format!("no attest role in the \"{}\" claim", oidc.config.roles_claim),
            Some(subject),
        ));
    };
    let email = claims
        .email()
        .map(|e| e.as_str().to_owned())
        .or_else(|| claims.preferred_username().map(|u| u.as_str().to_owned()))
        .or_else(|| text("upn"));
    let who = SsoIdentity { subject: subject.clone(), email, role };
    let create = oidc.config.new_accounts == NewAccounts::Create;
    let outcome = state
        .blocking(move |conn, _| staff::sso_sign_in(conn, &who, create, Utc::now()))
        .await
        .map_err(|e| (Refusal::Unreachable, format!("{e:?}"), None))?
        .map_err(|e| (Refusal::NotRegistered, e.to_string(), Some(subject.clone())))?;
    match outcome {
        SsoOutcome::SignedIn(member, session) => Ok((member, session, pending.next)),
        SsoOutcome::NotRegistered(why) => Err((Refusal::NotRegistered, why, Some(subject))),
        SsoOutcome::Disabled => Err((Refusal::Disabled, "account disabled".into(), Some(subject))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> OidcConfig {
        OidcConfig {
            issuer: "https://login.microsoftonline.com/t/v2.0".into(),
            client_id: "c".into(),
            client_secret: ClientSecretValue::new("s".into()),
            roles_claim: "roles".into(),
            admin_value: "Attest.Admin".into(),
            issuer_value: "Attest.Issuer".into(),
            viewer_value: "Attest.Viewer".into(),
            display_name: "x".into(),
            new_accounts: NewAccounts::Create,
        }
    }

    #[test]
    fn the_highest_role_in_the_claim_wins_and_other_apps_roles_count_for_nothing() {
        let c = config();
        let j = |v: serde_json::Value| c.role_of(Some(&v));
        assert_eq!(j(serde_json::json!(["Attest.Viewer", "Attest.Admin"])), Some(Role::Admin));
        assert_eq!(j(serde_json::json!(["Other.App", "Attest.Issuer"])), Some(Role::Issuer));
        assert_eq!(j(serde_json::json!("Attest.Viewer")), Some(Role::Viewer));
        assert_eq!(j(serde_json::json!(["attest.admin", "Other.App"])), None, "values are matched exactly");
        assert_eq!(c.role_of(None), None);
    }

    #[test]
    fn the_client_secret_is_never_printed() {
        assert_eq!(format!("{:?}", config()).matches("ClientSecretValue(…)").count(), 1);
        assert!(!format!("{:?}", config()).contains("\"s\""));
    }
}
