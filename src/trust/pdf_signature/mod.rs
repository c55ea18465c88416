//! PDF signatures (PAdES baseline B-B, or B-T with a time-stamp authority) on every certificate
//! PDF, and their verification.
//!
//! A certificate's QR token proves it to whoever scans it; this module makes the *file* signed in
//! the sense PDF readers understand, so Acrobat's signature panel, poppler's `pdfsig` or pyHanko
//! name the issuing organisation and notice any change. It is separate from [`token`]: PDF readers
//! do not accept EdDSA, so PDFs are signed with an ECDSA (or imported RSA) key of their own.
//!
//! - **Identity** (`identity`, the key in `key`). By default, on first use, a small local
//!   certificate authority (a root valid 10 years) and a document-signing certificate issued by it
//!   (P-256, key usage digitalSignature and nonRepudiation, subject naming the issuer organisation,
//!   valid 3 years), in the `keys/` folder beside the database: `pdf-root.key` and `pdf-signer.key`
//!   (PKCS#8, mode 0600) and `pdf-chain.pem` (leaf first, root last). A root CA rather than one
//!   self-signed certificate because poppler trusts only a CA certificate marked as such in its NSS
//!   database.
//! - **Signing** (`cms`). The renderer writes the signature dictionary from [`PdfSigner::field`],
//!   with a `/Contents` placeholder sized for the largest CMS this identity can produce;
//!   [`PdfSigner::sign`] then fills `/ByteRange`, hashes the two ranges and writes the CMS into the
//!   placeholder. The CMS is built by hand from parts made once per identity (certificates, signer
//!   identifier, `signing-certificate-v2`): per certificate only the message digest, one signature
//!   and a few length headers are new. P-256 signs `ecdsa-with-SHA256`, P-384 `ecdsa-with-SHA384`
//!   with a SHA-384 message digest (Acrobat's pairing), RSA `sha256WithRSAEncryption` (PKCS#1 v1.5,
//!   blinded). The placeholder is sized from the identity's own chain and longest signature, so
//!   RSA-4096 keys and long chains fit.
//! - **Time-stamps** (`timestamp`). With a TSA ([`PdfSigner::with_tsa`]) each signature value is
//!   time-stamped (RFC 3161, over plain HTTP) and the token added as an unsigned attribute: B-T. No
//!   TSA answer, no signature: never a silent fall-back to B-B.
//! - **Import** (`import`, `pkcs12`). [`import_pkcs12`] (a PKCS#12 file and its password) and
//!   [`import_pem`] (a PEM key and chain) take an organisation's own RSA (2048 bits or more), P-256
//!   or P-384 key and certificates, all checked before anything is written. PKCS#12 is read here
//!   with `pkcs12` for the types and `pkcs5` for PBES2 (AES-CBC, PBKDF2 or scrypt; OpenSSL 3's
//!   default); the legacy 3DES/RC2/RC4 schemes are refused with a message saying how to re-export.
//! - **Verification** (`verify`). [`verify`] reads any PDF's first signature: ByteRange, digest,
//!   signature, chain, and whether bytes were added after signing.
//!
//! What it deliberately does not do: legacy-encrypted PKCS#12 files, RSA-PSS, encrypted PEM keys,
//! checking the time-stamp token on verification (pyHanko does), long-term validation (B-LT needs
//! revocation data of a real CA, a `/DSS`), visible signature appearances, several signatures per
//! file, revocation checking of certificates, or trust decisions beyond "chains to this root": the
//! reader's trust store decides what a relying party trusts.
//!
//! [`token`]: crate::trust::token

mod asn1;
mod cms;
mod identity;
mod import;
mod key;
mod pkcs12;
mod timestamp;
mod verify;

use std::path::PathBuf;

pub use cms::PdfSigner;
pub use identity::{
    IdentityInfo, active, chain_pem, create_default, info, load, own_roots, renew_signer, root_pem, throwaway,
};
pub use import::{ImportError, import_pem, import_pkcs12};
pub use pkcs12::{Password, pkcs12_contents};
pub use timestamp::TsaError;
pub use verify::{PdfSignatureReport, SignatureError, VerifyError, verify};

/// Why a PDF-signing operation failed.
#[derive(Debug, thiserror::Error)]
pub enum PdfSignError {
    #[error("PDF signing identity {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("PDF signing identity {path}: {why}")]
    BadFile { path: PathBuf, why: String },
    #[error("PDF signing identity: {0}")]
    Build(String),
    #[error("the PDF has no signature placeholder to fill")]
    NoPlaceholder,
    #[error("time-stamp authority {url}: {why}")]
    Tsa { url: String, why: TsaError },
    #[error("the signature ({need} bytes) does not fit its placeholder ({have} bytes)")]
    TooLarge { need: usize, have: usize },
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::identity::{ROOT_KEY, SIGNER_KEY};
    use super::*;

    fn signed(signer: &PdfSigner) -> Vec<u8> {
        let mut pdf = b"%PDF-1.5\n1 0 obj\n".to_vec();
        pdf.extend_from_slice(&signer.field(Utc::now()));
        pdf.extend_from_slice(b"\nendobj\n%%EOF\n");
        signer.sign(&mut pdf).unwrap();
        pdf
    }

    #[test]
    fn a_signed_buffer_verifies_and_one_changed_byte_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let s = active(dir.path(), "Council of Europe, \"HELP\"", Utc::now()).unwrap();
        let pdf = signed(&s);
        let roots = own_roots(dir.path());
        let r = verify(&pdf, &roots).unwrap();
        assert!(r.valid, "{r:?}");
        assert!(r.chains_to_attest && !r.modified_after_signing);
        assert!(r.signer.contains("Council of Europe"), "{}", r.signer);
        assert_eq!(r.fingerprint, s.fingerprint());
        let mut bad = pdf.clone();
        bad[3] ^= 1;
        let r = verify(&bad, &roots).unwrap();
        assert!(!r.valid);
        let mut appended = pdf.clone();
        appended.extend_from_slice(b"% more\n");
        assert!(verify(&appended, &roots).unwrap().modified_after_signing);
        assert!(verify(b"%PDF-1.5 nothing", &roots).is_none());
    }

    #[test]
    fn identity_is_created_once_with_private_files_0600() {
        let dir = tempfile::tempdir().unwrap();
        let a = active(dir.path(), "Org", Utc::now()).unwrap();
        let b = active(dir.path(), "Org", Utc::now()).unwrap();
        assert_eq!(a.fingerprint(), b.fingerprint());
        #[cfg(unix)]
        for f in [ROOT_KEY, SIGNER_KEY] {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(f)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{f}");
        }
        assert_eq!(chain_pem(dir.path()).unwrap().matches("BEGIN CERTIFICATE").count(), 2);
        let shown = format!("{a:?}");
        assert!(shown.contains("redacted"));
        let key = std::fs::read_to_string(dir.path().join(SIGNER_KEY)).unwrap();
        let body: String = key.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(!shown.contains(&body[..20]));
    }

    #[test]
    fn the_signer_is_renewed_from_the_same_root_unless_the_identity_is_an_imported_one() {
        let dir = tempfile::tempdir().unwrap();
        assert!(renew_signer(dir.path(), Utc::now()).unwrap().is_none(), "nothing to renew before first use");
        let first = active(dir.path(), "Org", Utc::now()).unwrap();
        let root = root_pem(dir.path()).unwrap();
        let renewed = renew_signer(dir.path(), Utc::now()).unwrap().unwrap();
        assert_ne!(renewed.fingerprint, first.fingerprint());
        assert_eq!(root_pem(dir.path()).unwrap(), root);
        let now = load(dir.path()).unwrap();
        assert_eq!(now.fingerprint(), renewed.fingerprint);
        assert!(verify(&signed(&now), &own_roots(dir.path())).unwrap().valid);
        // An organisation's certificate in place of the default one (as `keys pdf-import` leaves
        // it: the default root's key still beside it): left as it is.
        let other = tempfile::tempdir().unwrap();
        active(other.path(), "Another org", Utc::now()).unwrap();
        for f in [SIGNER_KEY, super::identity::CHAIN] {
            std::fs::remove_file(dir.path().join(f)).unwrap();
            std::fs::copy(other.path().join(f), dir.path().join(f)).unwrap();
        }
        let chain = chain_pem(dir.path()).unwrap();
        assert!(renew_signer(dir.path(), Utc::now()).unwrap().is_none());
        assert_eq!(chain_pem(dir.path()).unwrap(), chain);
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let p = Password::new("hunter2-secret".into());
        assert_eq!(format!("{p:?}"), "Password(<redacted>)");
    }

    #[test]
    fn a_file_that_is_not_pkcs12_is_refused_in_one_line() {
        let e = pkcs12_contents(b"not a pfx", &Password::new("x".into())).unwrap_err();
        assert!(e.to_string().starts_with("the PKCS#12 file: not a readable PKCS#12 file"), "{e}");
        assert!(!e.to_string().contains('\n'));
    }

    #[test]
    fn the_placeholder_always_fits() {
        let dir = tempfile::tempdir().unwrap();
        let s = active(dir.path(), "Org", Utc::now()).unwrap();
        for _ in 0..200 {
            signed(&s);
        }
    }
}
