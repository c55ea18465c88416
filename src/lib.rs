//! attest: certificates of attendance for online seminars.
//!
//! Staff import the attendance exports Zoom, Teams, Webex, Google Meet or GoTo give them after a
//! webinar (or any table, through a column mapping they confirm); attest decides, with a
//! sentence per person, who attended enough of the session, and issues certificates that anyone
//! can verify with tools nobody here wrote: a PDF signed for PDF readers (PAdES), a QR
//! token any JOSE library checks, and an Open Badges 3.0 credential with a public status list.
//!
//! # Layout
//! - [`import`]: bytes of an export → rows and connections. Format detection (`detect`),
//!   encodings (`text`; names of a guessed code page checked against its neighbours in
//!   `code_pages`), header aliases (`headers`), cell words by language (`words`), workbooks
//!   (`workbook`); one file per family (`zoom_meeting`, `zoom_webinar`, `teams`, `google_meet`,
//!   `webex`, `goto`)
//!   filling a shared working state (`ctx`), and `mapping` for tables whose headers attest does
//!   not know (the table found and its columns inferred from the cells, confirmed by staff, then
//!   read: `mapping::{cells, locate, infer, infer::role_column, infer::totals, read}`); then
//!   dates and time zones (`dates`, `dates::zones`, `dates::scripts`, `place`) and the checks every family shares
//!   (`finish`). What a parse is told
//!   and returns is in `export`, its errors in `error`. This is where a Zoom row becomes a UTC
//!   interval.
//! - [`attendance`]: pure decisions, one file per phase. Connections → people (`people`: email,
//!   then name, via `names`; `callers` tells a telephone caller from a name) → union of intervals clipped to the window (`intervals`) → eligible
//!   or not, with the reason (`verdict`). This is where intervals become minutes and minutes
//!   become a decision. [`attendance::series`]: the decision for a series of events: people
//!   matched across its events (email, then name), sessions counted by each event's own
//!   decision, the series' rule (at least N, or all) with a sentence. Series certificates are
//!   issued by `issuance::series`.
//! - [`store`]: the only door to the database (SQLite, the embedded default, or PostgreSQL for
//!   several instances): the connection callers hold (`store::Conn`), its transactions
//!   (`store::Tx`), the service's pool (`store::Store`), migrations for both engines, and the
//!   mapping of rows to domain types; no other module names an engine or writes SQL.
//!   `store::engine` is the one SQL interface both engines answer (parameters, rows, PostgreSQL's
//!   `$1` and its types); `store::copy` moves an installation from SQLite to PostgreSQL.
//!   Events, uploads with their original bytes and every row, signing keys' public halves,
//!   staff links, splits and overrides, the audit table, certificate designs and their
//!   versions, and each event's decisions, made once after a change
//!   (`store::people::ensure_decided`; triggers mark them stale) so that pages read and count
//!   them instead of deciding again. `store::Location` reads `--db` (a path, a `sqlite:` URL
//!   or a `postgres://` URL; another engine's URL is refused); `store::locks` keeps a bulk issue
//!   of one event to one runner across every process on the database (a file lock; an advisory
//!   lock on PostgreSQL).
//! - [`trust`]: the formats a certificate proves itself in, each checkable without attest:
//!   `trust::token` (Ed25519 keys, JWS tokens (RFC 7515/8037), the JWK set, keys withdrawn
//!   after a leak);
//!   `trust::credential` (the Open Badges 3.0 credential of a certificate: W3C VC 2.0 with an
//!   `eddsa-rdfc-2022` Data Integrity proof by the token's key), `trust::status_list` (revocation
//!   as signed Bitstring Status Lists) and `trust::did` (the issuer's DID document);
//!   `trust::pdf_signature` (PAdES B-B, ECDSA P-256 by default, on every certificate PDF: the
//!   signing identity, a local root CA and a document-signing certificate in `keys/`, or an
//!   imported PKCS#12 or PEM one; the CMS that fills the renderer's signature placeholder; the
//!   RFC 3161 time-stamp client; checking a PDF's signature).
//! - [`certificate`]: one certificate to PDF bytes: templates, fonts, shaping, subsetting, QR.
//!   The default templates and fonts are built into the binary (`certificate::Files`).
//!   Staff's designs (`certificate::design`: logos, signatories, wording, colours, image checks)
//!   are laid over those templates; `certificate::preview` draws a page as a PNG.
//! - [`issuance`]: decisions → signed, rendered, stored certificates; reissue, revoke, export.
//!   This is where minutes become a signed PDF. `issuance::code`: the certificate's code, read
//!   back as people type it, and the names made from it. `issuance::series`: a series' certificates,
//!   listing the sessions attended. `issuance::redesign`: an event's certificates reissued with
//!   the design it has now. `issuance::stale`: valid certificates whose holder is no longer
//!   eligible, for staff to revoke. `issuance::reissue`: one certificate corrected, or issued
//!   again after its revocation, and every valid certificate a withdrawn key signed.
//! - [`encoding`]: the text encodings attest writes (percent, hex, RFC 3339), one place each.
//! - [`language`]: the languages certificates, their mail and the public pages are printed in
//!   (English, French, Spanish), one type from the database to the CLI and the API.
//! - [`printing`]: many certificate PDFs merged into one file for printing (one page each, no
//!   PDF signature of its own).
//! - [`delivery`]: bulk delivery by email after issuing: one record per certificate (queued,
//!   sending, sent, failed, unknown), one-time download links, the mail in the certificate's
//!   language, a sending rate, crash safety; the mail transport (SMTP or an outbox folder).
//! - [`verification`]: token, URL, PDF (its token and its PDF signature), credential or printed
//!   code → valid, revoked, superseded or not genuine.
//! - [`staff`]: staff accounts, argon2 passwords, sessions with CSRF tokens, API tokens, and
//!   roles (admin, issuer, viewer).
//! - [`web`]: axum routes over the library, the thinnest layer: public verification (`verify`)
//!   and attendee requests (`request`) with their words in three languages (`i18n`); the staff
//!   console (`console/`, one file per page, English and French, every word from one catalogue:
//!   `console/text/catalogue.rs`; `console/form.rs`: a refused form sent back with its values and
//!   messages; `console::StaffForm`: a posted form read with its CSRF token checked, `PostedOn`
//!   that form about the thing the path names, `UserOn` the member and that thing); the JSON
//!   API under `/api/v1` (`api/`, one file per resource, its errors and contract rules in
//!   `api/error.rs` and `api/contract.rs`; `StaffOn`, `QueryOn` and `JsonOn`: what an operation
//!   on one thing reads first); the work both start and the blocking pool runs (`jobs/`: bulk
//!   issue and reissue with a design, bulk delivery, design previews);
//!   `web::access`: the role each route needs, checked before every handler; `web::oidc`: staff
//!   sign-in through the organisation's OpenID provider; `web::metrics`: `/metrics` for
//!   operators' monitoring and `/readyz`.
//! - [`vectors`]: the published test vectors (`tests/vectors/`), from throwaway keys.
//! - [`cli`]: one file per subcommand, a thin layer over the above.

pub mod attendance;
pub mod certificate;
pub mod cli;
pub mod delivery;
pub mod encoding;
pub mod import;
pub mod issuance;
pub mod language;
pub mod printing;
pub mod staff;
pub mod store;
pub mod trust;
pub mod vectors;
pub mod verification;
pub mod web;
