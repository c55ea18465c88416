//! Open Badges 3.0 credentials: every certificate is also a W3C Verifiable Credential
//! (`OpenBadgeCredential`, VC Data Model 2.0) secured by a Data Integrity proof with the
//! `eddsa-rdfc-2022` cryptosuite, made with the same Ed25519 key as the certificate's token. The
//! same proofs sign the status lists ([`super::status_list`]); the issuer's DID document is in
//! [`super::did`].
//!
//! The proof signs `SHA-256(canonical proof options) || SHA-256(canonical document)`, where
//! "canonical" is the RDFC-1.0 canonical N-Quads of the JSON-LD. A general JSON-LD processor
//! (`ssi`, or `json-ld` with `rdf-canon`) would cost 136-365 crates and hundreds of microseconds
//! per credential. attest's credentials have one fixed shape, so this module writes their
//! N-Quads itself, term by term as the VC 2.0 and Open Badges 3.0.3 contexts expand them, and
//! labels their few blank nodes (`rdfc`) the way RDFC-1.0 does when every blank node has a
//! distinct first-degree hash (which the shape guarantees; a collision is an error, never a guess). The
//! independent verifiers in `tests/verifiers/` (Digital Bazaar's JavaScript stack and Python's
//! pyld) are the judges that this matches the general algorithm.
//!
//! What it deliberately does not do:
//! - process arbitrary JSON-LD: a credential to verify is read back into [`Facts`], rebuilt, and
//!   must be *equal* to what attest would have issued, or it is refused; contexts are never
//!   fetched (only the two attest uses are accepted);
//! - read the database or the clock: callers pass the frozen record, the time and the keys;
//! - decide revocation: [`super::status_list`] encodes and reads status bits; the store keeps them.

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::did::{IssuerId, base58btc, base58btc_decode};
use super::rdfc::{CRED, Graph, RDF_TYPE, SEC, STATUS, Term, XSD_DATETIME, escape};
use super::status_list::{STATUS_LIST_SIZE, StatusList};
use super::token::KeySet;

/// The VC Data Model 2.0 context.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0.3 context.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The achievement type of a certificate of attendance. Open Badges 3.0 defines no attendance
/// type; extensions are written `ext:Name` (`CertificateOfCompletion` would claim a completion
/// that attending a seminar is not).
pub const ACHIEVEMENT_TYPE: &str = "ext:Attendance";
/// The largest credential `verify` reads: a credential is under 3 KB, so 256 KiB is generous.
pub const MAX_CREDENTIAL_BYTES: usize = 256 * 1024;

const CRYPTOSUITE: &str = "eddsa-rdfc-2022";
const OB: &str = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#";
const SCHEMA: &str = "https://schema.org/";
// The Open Badges context types activity dates with https (sic): what it says is what is signed.
const XSD_DATE_OB: &str = "https://www.w3.org/2001/XMLSchema#date";
const XSD_BOOLEAN_OB: &str = "https://www.w3.org/2001/XMLSchema#boolean";
const XSD_ANYURI_OB: &str = "https://www.w3.org/2001/XMLSchema#anyURI";

/// Why a credential could not be made or is not genuine. Each message says what a verifier
/// should know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    #[error("not JSON: {0}")]
    NotJson(String),
    #[error("the credential is larger than {MAX_CREDENTIAL_BYTES} bytes")]
    TooLarge,
    #[error(
        "the credential uses a JSON-LD context attest does not issue with ({0}); contexts are never fetched from the network"
    )]
    UnknownContext(String),
    #[error("not an attest credential: {0}")]
    NotOurs(String),
    #[error("the credential has no proof, or a proof attest does not make ({0})")]
    BadProof(String),
    #[error("signed by an unknown key \"{0}\"")]
    UnknownKey(String),
    /// Signed with a key the issuer withdrew: the token's refusal says when and why.
    #[error("{0}")]
    WithdrawnKey(super::token::TokenError),
    #[error(
        "the proof does not match the content: the credential was altered, or the proof belongs to another document"
    )]
    BadSignature,
    #[error("canonicalisation: {0}")]
    Canonical(String),
}

impl From<super::rdfc::Collision> for CredentialError {
    fn from(e: super::rdfc::Collision) -> Self {
        CredentialError::Canonical(e.to_string())
    }
}

/// Everything a credential states, as strings already composed: the credential is a pure
/// function of this, and so is its canonical form. Built once at issue from the same frozen data
/// as the PDF ([`Facts::for_certificate`]), or read back from a credential to verify it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facts {
    /// Certificate ID (26 Crockford base32 characters).
    pub id: String,
    /// Credential title: "Certificate of attendance: {event}".
    pub title: String,
    pub issuer_did: String,
    pub issuer_name: String,
    pub issuer_url: String,
    /// Issue time: `validFrom` and the proof's `created`.
    pub issued_at: String,
    /// The name exactly as printed (an `IdentityObject` of type `name`, not hashed).
    pub name: String,
    /// `sha256$…` of the email and the salt, and the salt; absent in the public, data-minimised
    /// form and when the person has no email.
    pub email_hash: Option<(String, String)>,
    /// Session window, UTC, RFC 3339.
    pub starts: String,
    pub ends: String,
    /// "Attended 98 minutes." (the minutes as printed).
    pub narrative: String,
    pub achievement_id: String,
    pub event_title: String,
    pub achievement_description: String,
    /// The rule that was applied, in a sentence.
    pub criteria: String,
    /// Tags: the series and the language.
    pub tags: Vec<String>,
    /// Status list number and position in it.
    pub status_list: u64,
    pub status_index: u64,
}

/// What [`Facts::for_certificate`] needs: the frozen record and event at issue.
pub struct Record<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub email: Option<&'a str>,
    /// A random salt for the email's identity hash.
    pub salt: &'a str,
    pub minutes: u32,
    pub issued_at: DateTime<Utc>,
    pub event_slug: &'a str,
    pub event_title: &'a str,
    pub series: Option<&'a str>,
    pub language: &'a str,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// The rule as attest describes it, e.g. "at least 75 %".
    pub rule: &'a str,
    /// Staff overrode the computed decision: the holder is recognised by that decision, not by
    /// the rule (who attended 40 minutes of 100 does not meet "at least 75 %", and the
    /// credential says so instead of leaving its criteria to contradict its minutes).
    pub by_override: bool,
    /// Position across all status lists.
    pub status_position: u64,
}

pub(super) use crate::encoding::rfc3339;

/// Text as it may appear in a credential: control characters (other than line ends) removed,
/// because JSON-LD processors disagree on how to escape them in N-Quads.
pub(super) fn clean(s: &str) -> String {
    s.chars().filter(|c| !c.is_control() || *c == '\n').collect()
}

/// Percent-encodes what is not unreserved in a URL path segment.
fn segment(s: &str) -> String {
    crate::encoding::percent(s)
}

/// `sha256$` and the lower-case hex SHA-256 of the identity and the salt appended (Open Badges
/// 3.0 `IdentityHash`).
pub fn identity_hash(identity: &str, salt: &str) -> String {
    let mut h = Sha256::new();
    h.update(identity.as_bytes());
    h.update(salt.as_bytes());
    format!("sha256${}", crate::encoding::hex(&h.finalize()))
}

fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "fr" => "French",
        "es" => "Spanish",
        other => other,
    }
}

impl Facts {
    pub fn for_certificate(issuer: &IssuerId, r: &Record) -> Facts {
        let (starts, ends) = (rfc3339(r.starts), rfc3339(r.ends));
        let title = clean(r.event_title);
        let series = r.series.map(clean).filter(|s| !s.trim().is_empty());
        let achievement_description = match &series {
            Some(s) => format!("Attendance at the online seminar \"{title}\" ({s}), from {starts} to {ends} (UTC)."),
            None => format!("Attendance at the online seminar \"{title}\", from {starts} to {ends} (UTC)."),
        };
        let mut tags: Vec<String> = series.into_iter().collect();
        tags.push(format!("language:{}", language_name(r.language)));
        Facts {
            id: r.id.to_owned(),
            title: format!("Certificate of attendance: {title}"),
            issuer_did: issuer.did.clone(),
            issuer_name: issuer.name.clone(),
            issuer_url: issuer.base.clone(),
            issued_at: rfc3339(r.issued_at),
            name: clean(r.name),
            email_hash: r.email.map(|e| (identity_hash(&e.trim().to_lowercase(), r.salt), r.salt.to_owned())),
            narrative: if r.by_override {
                format!(
                    "Attended {} minutes. Recognised as having attended by the organiser's decision, not by \
                     the rule in the criteria.",
                    r.minutes
                )
            } else {
                format!("Attended {} minutes.", r.minutes)
            },
            achievement_id: format!("{}/achievements/{}", issuer.base, segment(r.event_slug)),
            criteria: format!(
                "Attended {} of the online session from {starts} to {ends} (UTC), counting the union of the \
                 attendee's connections to the session as reported by the meeting platform.",
                r.rule
            ),
            event_title: title,
            achievement_description,
            tags,
            starts,
            ends,
            status_list: r.status_position / STATUS_LIST_SIZE,
            status_index: r.status_position % STATUS_LIST_SIZE,
        }
    }

    /// The public form: the same credential without the email's identity hash (a hash of an
    /// email with its salt lets anyone test a guessed address).
    pub fn minimised(&self) -> Facts {
        Facts { email_hash: None, ..self.clone() }
    }

    fn credential_url(&self) -> String {
        format!("{}/credentials/{}", self.issuer_url, self.id)
    }

    fn status_list_url(&self) -> String {
        format!("{}/status/{}", self.issuer_url, self.status_list)
    }

    fn status_entry_id(&self) -> String {
        format!("{}#{}", self.status_list_url(), self.status_index)
    }

    /// The credential's JSON without its proof.
    pub fn to_json(&self) -> Value {
        let mut identifier =
            vec![json!({"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": self.name})];
        if let Some((hash, salt)) = &self.email_hash {
            identifier.push(json!({"type": "IdentityObject", "identityType": "emailAddress", "hashed": true, "identityHash": hash, "salt": salt}));
        }
        json!({
            "@context": [VC_CONTEXT, OB_CONTEXT],
            "id": self.credential_url(),
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "name": self.title,
            "issuer": {"id": self.issuer_did, "type": ["Profile"], "name": self.issuer_name, "url": self.issuer_url},
            "validFrom": self.issued_at,
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": identifier,
                "activityStartDate": self.starts,
                "activityEndDate": self.ends,
                "narrative": self.narrative,
                "achievement": {
                    "id": self.achievement_id,
                    "type": ["Achievement"],
                    "achievementType": ACHIEVEMENT_TYPE,
                    "name": self.event_title,
                    "description": self.achievement_description,
                    "criteria": {"narrative": self.criteria},
                    "tag": self.tags,
                }
            },
            "credentialStatus": {
                "id": self.status_entry_id(),
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": self.status_index.to_string(),
                "statusListCredential": self.status_list_url(),
            }
        })
    }

    /// The RDFC-1.0 canonical N-Quads of [`Facts::to_json`], as the two contexts expand it.
    pub fn canonical_nquads(&self) -> Result<String, CredentialError> {
        let cred = self.credential_url();
        let status = self.status_entry_id();
        let mut g = Graph::default();
        let (subject, criteria, id_name) = (g.blank(), g.blank(), g.blank());
        let c = Term::Iri(&cred);
        let issuer = Term::Iri(&self.issuer_did);
        let ach = Term::Iri(&self.achievement_id);
        let st = Term::Iri(&status);
        g.typed(c, &[CRED, "VerifiableCredential"]);
        g.typed(c, &[OB, "OpenBadgeCredential"]);
        g.add(c, &[SCHEMA, "name"], Term::Lit(&self.title, None));
        g.add(c, &[CRED, "issuer"], issuer);
        g.add(c, &[CRED, "validFrom"], Term::Lit(&self.issued_at, Some(XSD_DATETIME)));
        g.add(c, &[CRED, "credentialSubject"], subject);
        g.add(c, &[CRED, "credentialStatus"], st);
        g.typed(issuer, &[OB, "Profile"]);
        g.add(issuer, &[SCHEMA, "name"], Term::Lit(&self.issuer_name, None));
        g.add(issuer, &[SCHEMA, "url"], Term::Lit(&self.issuer_url, Some(XSD_ANYURI_OB)));
        g.typed(subject, &[OB, "AchievementSubject"]);
        g.add(subject, &[OB, "identifier"], id_name);
        g.add(subject, &[OB, "activityStartDate"], Term::Lit(&self.starts, Some(XSD_DATE_OB)));
        g.add(subject, &[OB, "activityEndDate"], Term::Lit(&self.ends, Some(XSD_DATE_OB)));
        g.add(subject, &[OB, "narrative"], Term::Lit(&self.narrative, None));
        g.add(subject, &[OB, "achievement"], ach);
        g.typed(id_name, &[OB, "IdentityObject"]);
        g.add(id_name, &[OB, "identityType"], Term::Lit("name", None));
        g.add(id_name, &[OB, "hashed"], Term::Lit("false", Some(XSD_BOOLEAN_OB)));
        g.add(id_name, &[OB, "identityHash"], Term::Lit(&self.name, None));
        if let Some((hash, salt)) = &self.email_hash {
            let id_email = g.blank();
            g.add(subject, &[OB, "identifier"], id_email);
            g.typed(id_email, &[OB, "IdentityObject"]);
            g.add(id_email, &[OB, "identityType"], Term::Lit("emailAddress", None));
            g.add(id_email, &[OB, "hashed"], Term::Lit("true", Some(XSD_BOOLEAN_OB)));
            g.add(id_email, &[OB, "identityHash"], Term::Lit(hash, None));
            g.add(id_email, &[OB, "salt"], Term::Lit(salt, None));
        }
        g.typed(ach, &[OB, "Achievement"]);
        g.add(ach, &[OB, "achievementType"], Term::Lit(ACHIEVEMENT_TYPE, None));
        g.add(ach, &[SCHEMA, "name"], Term::Lit(&self.event_title, None));
        g.add(ach, &[SCHEMA, "description"], Term::Lit(&self.achievement_description, None));
        // The context maps `criteria` to the IRI of the class Criteria (sic).
        g.add(ach, &[OB, "Criteria"], criteria);
        for t in &self.tags {
            g.add(ach, &[SCHEMA, "keywords"], Term::Lit(t, None));
        }
        g.add(criteria, &[OB, "narrative"], Term::Lit(&self.criteria, None));
        g.typed(st, &[STATUS, "BitstringStatusListEntry"]);
        g.add(st, &[STATUS, "statusPurpose"], Term::Lit("revocation", None));
        let index = self.status_index.to_string();
        g.add(st, &[STATUS, "statusListIndex"], Term::Lit(&index, None));
        let list = self.status_list_url();
        g.add(st, &[STATUS, "statusListCredential"], Term::Iri(&list));
        Ok(g.canonical()?)
    }

    /// Reads a credential (without its proof) back into facts. Loose on purpose: the caller
    /// rebuilds the JSON from the facts and requires equality, which is the strict check.
    fn from_json(v: &Value) -> Option<Facts> {
        let s = |v: &Value| v.as_str().map(str::to_owned);
        let subject = &v["credentialSubject"];
        let ach = &subject["achievement"];
        let ids = subject["identifier"].as_array()?;
        let name = ids.iter().find(|i| i["identityType"] == "name").and_then(|i| s(&i["identityHash"]))?;
        let email_hash = ids
            .iter()
            .find(|i| i["identityType"] == "emailAddress")
            .and_then(|i| Some((s(&i["identityHash"])?, s(&i["salt"])?)));
        let status = &v["credentialStatus"];
        let status_index = status["statusListIndex"].as_str()?.parse().ok()?;
        let list_url = s(&status["statusListCredential"])?;
        let issuer_url = s(&v["issuer"]["url"])?;
        let status_list = list_url.strip_prefix(&format!("{issuer_url}/status/"))?.parse().ok()?;
        let id = s(&v["id"])?.strip_prefix(&format!("{issuer_url}/credentials/"))?.to_owned();
        Some(Facts {
            id,
            title: s(&v["name"])?,
            issuer_did: s(&v["issuer"]["id"])?,
            issuer_name: s(&v["issuer"]["name"])?,
            issuer_url,
            issued_at: s(&v["validFrom"])?,
            name,
            email_hash,
            starts: s(&subject["activityStartDate"])?,
            ends: s(&subject["activityEndDate"])?,
            narrative: s(&subject["narrative"])?,
            achievement_id: s(&ach["id"])?,
            event_title: s(&ach["name"])?,
            achievement_description: s(&ach["description"])?,
            criteria: s(&ach["criteria"]["narrative"])?,
            tags: ach["tag"].as_array()?.iter().map(s).collect::<Option<_>>()?,
            status_list,
            status_index,
        })
    }
}

/// The title of the event (or series) as signed into a credential (`achievement.name`): what
/// its PDF prints, whatever the event is called now. `None` when `json` is not a credential.
pub fn signed_event_title(json: &str) -> Option<String> {
    let v: Value = serde_json::from_str(json).ok()?;
    v["credentialSubject"]["achievement"]["name"].as_str().map(str::to_owned)
}

/// A Data Integrity proof's options: everything in `proof` but the `proofValue`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofOptions {
    pub created: String,
    pub verification_method: String,
}

impl ProofOptions {
    fn to_json(&self, proof_value: &str) -> Value {
        json!({
            "type": "DataIntegrityProof",
            "cryptosuite": CRYPTOSUITE,
            "created": self.created,
            "verificationMethod": self.verification_method,
            "proofPurpose": "assertionMethod",
            "proofValue": proof_value,
        })
    }

    /// SHA-256 of the canonical proof options. The same for every credential of a batch (one
    /// key, one issue time), so bulk issuing computes it once.
    pub fn hash(&self) -> [u8; 32] {
        let p = format!(
            "_:c14n0 <http://purl.org/dc/terms/created> \"{}\"^^<{XSD_DATETIME}> .\n\
             _:c14n0 <{RDF_TYPE}> <{SEC}DataIntegrityProof> .\n\
             _:c14n0 <{SEC}cryptosuite> \"{CRYPTOSUITE}\"^^<{SEC}cryptosuiteString> .\n\
             _:c14n0 <{SEC}proofPurpose> <{SEC}assertionMethod> .\n\
             _:c14n0 <{SEC}verificationMethod> <{}> .\n",
            escape(&self.created),
            self.verification_method
        );
        Sha256::digest(p.as_bytes()).into()
    }
}

/// A key that signs credentials, with its proof options' hash computed once.
pub struct CredentialSigner<'a> {
    key: &'a SigningKey,
    options: ProofOptions,
    options_hash: [u8; 32],
}

impl<'a> CredentialSigner<'a> {
    pub fn new(key: &'a SigningKey, verification_method: String, created: DateTime<Utc>) -> Self {
        let options = ProofOptions { created: rfc3339(created), verification_method };
        let options_hash = options.hash();
        CredentialSigner { key, options, options_hash }
    }

    fn prove(&self, canonical: &str, mut doc: Value) -> Value {
        let mut input = [0u8; 64];
        input[..32].copy_from_slice(&self.options_hash);
        input[32..].copy_from_slice(&Sha256::digest(canonical.as_bytes()));
        let sig = self.key.sign(&input);
        let value = format!("z{}", base58btc(&sig.to_bytes()));
        doc["proof"] = self.options.to_json(&value);
        doc
    }

    /// The signed credential for `facts`.
    pub fn sign(&self, facts: &Facts) -> Result<Value, CredentialError> {
        Ok(self.prove(&facts.canonical_nquads()?, facts.to_json()))
    }

    /// A signed status list credential.
    pub fn sign_status_list(&self, list: &StatusList) -> Value {
        self.prove(&list.canonical_nquads(), list.to_json())
    }
}

/// What a genuine credential says, once its proof checked out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    pub facts: Facts,
    /// The key id that signed it.
    pub kid: String,
}

/// Checks a credential attest issued: JSON, the two contexts, exactly attest's shape, an
/// `eddsa-rdfc-2022` proof by a key of `keys` under the issuer's DID. Status and agreement with
/// the records are the caller's (it has the database).
pub fn verify(bytes: &[u8], keys: &KeySet) -> Result<Verified, CredentialError> {
    if bytes.len() > MAX_CREDENTIAL_BYTES {
        return Err(CredentialError::TooLarge);
    }
    let mut doc: Value = serde_json::from_slice(bytes).map_err(|e| CredentialError::NotJson(e.to_string()))?;
    let contexts = doc.get("@context").cloned().unwrap_or(Value::Null);
    if contexts != json!([VC_CONTEXT, OB_CONTEXT]) {
        let shown = match &contexts {
            Value::Array(a) => a.iter().find(|c| *c != VC_CONTEXT && *c != OB_CONTEXT).unwrap_or(&contexts).to_string(),
            other => other.to_string(),
        };
        return Err(CredentialError::UnknownContext(shown.chars().take(200).collect()));
    }
    let Some(proof) = doc.as_object_mut().and_then(|o| o.remove("proof")) else {
        return Err(CredentialError::BadProof("no proof".into()));
    };
    let facts = Facts::from_json(&doc)
        .ok_or_else(|| CredentialError::NotOurs("its fields are not those attest issues".into()))?;
    if facts.to_json() != doc {
        return Err(CredentialError::NotOurs("it differs from the shape attest issues".into()));
    }
    let kid = check_proof(&proof, &facts.issuer_did, &facts.canonical_nquads()?, keys)?;
    Ok(Verified { facts, kid })
}

/// Checks an `eddsa-rdfc-2022` proof of attest's shape, by a key of `keys` under `issuer_did`,
/// over a document whose canonical N-Quads are `canonical`; the signing key id.
pub(super) fn check_proof(
    proof: &Value,
    issuer_did: &str,
    canonical: &str,
    keys: &KeySet,
) -> Result<String, CredentialError> {
    let field = |k: &str| proof.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    if field("cryptosuite") != CRYPTOSUITE || field("type") != "DataIntegrityProof" {
        return Err(CredentialError::BadProof(format!(
            "type \"{}\", cryptosuite \"{}\"; attest signs DataIntegrityProof {CRYPTOSUITE}",
            field("type"),
            field("cryptosuite")
        )));
    }
    let options = ProofOptions { created: field("created"), verification_method: field("verificationMethod") };
    if options.to_json(&field("proofValue")) != *proof {
        return Err(CredentialError::BadProof("its fields are not those attest writes".into()));
    }
    let kid = options
        .verification_method
        .strip_prefix(&format!("{issuer_did}#"))
        .ok_or_else(|| CredentialError::UnknownKey(options.verification_method.clone()))?;
    let key = keys.get(kid).ok_or_else(|| match keys.refusal(kid) {
        e @ super::token::TokenError::WithdrawnKey { .. } => CredentialError::WithdrawnKey(e),
        _ => CredentialError::UnknownKey(kid.to_owned()),
    })?;
    let sig = field("proofValue")
        .strip_prefix('z')
        .and_then(base58btc_decode)
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or_else(|| CredentialError::BadProof("the proof value is not a base58btc Ed25519 signature".into()))?;
    let mut input = [0u8; 64];
    input[..32].copy_from_slice(&options.hash());
    input[32..].copy_from_slice(&Sha256::digest(canonical.as_bytes()));
    key.verify(&input, &sig).map_err(|_| CredentialError::BadSignature)?;
    Ok(kid.to_owned())
}
