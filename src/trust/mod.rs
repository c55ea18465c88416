//! The trust formats: the three ways a certificate proves itself to someone who does not trust
//! attest's server, each checkable with tools nobody here wrote.
//!
//! - [`token`]: the QR token, a JWS (RFC 7515) signed with Ed25519 (RFC 8037), the key files
//!   and the JWK set of every key ever used. Any JOSE library checks a token.
//! - [`credential`]: the Open Badges 3.0 credential of a certificate (W3C VC 2.0 with an
//!   `eddsa-rdfc-2022` Data Integrity proof by the token's key); [`status_list`] publishes
//!   revocations as signed Bitstring Status Lists; [`did`] names the issuer (`did:web`) and
//!   lists its keys; `rdfc` writes the canonical form both kinds of credential are signed over.
//! - [`pdf_signature`]: the PDF signature (PAdES) on every certificate PDF, with its own
//!   identity (ECDSA or RSA: PDF readers do not accept EdDSA), and its verification.
//!
//! What this layer deliberately does not do: decide whether a certificate is valid (revoked,
//! superseded: that is [`crate::verification`], which has the records), render PDFs
//! ([`crate::certificate`] writes the placeholder [`pdf_signature`] fills) or speak HTTP.
//! Apart from the `signing_keys` rows in [`token`], nothing here reads the database or the clock:
//! callers pass keys, records and times.

pub mod credential;
pub mod did;
pub mod pdf_signature;
mod rdfc;
pub mod status_list;
pub mod token;
