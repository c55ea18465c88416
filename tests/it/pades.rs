//! PDF signatures (PAdES B-B) on issued certificates, judged by independent validators:
//! pyHanko (`INTACT:TRUSTED,UNTOUCHED` with attest's root as the only trust anchor), poppler's
//! `pdfsig` (with the root in an NSS database the test makes) and `qpdf --check`; and the same
//! validators failing on a copy with one byte changed or bytes appended. Also: the size budget,
//! verification by `attest verify`'s library and the `/verify` page in three languages, the
//! served root, an organisation's certificate made with `openssl` and imported, and B-T against
//! a time-stamp authority the test starts on loopback (pyHanko's dummy TSA).

use crate::harness;

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::Db;
use attest::store;
use attest::trust::pdf_signature;
use attest::trust::token;

/// Issues the multilingual webinar's certificates and returns the PDF of one of them.
fn issued_pdf() -> Vec<u8> {
    let mut db = Db::new();
    let keys = tempfile::tempdir().unwrap();
    let (event, _) = db.issued_webinar("echr", keys.path());
    let certs = store::certificates::for_event(&db.conn, event.id).unwrap();
    let c = certs.iter().find(|c| c.email.as_deref() == Some("olga.petrova@example.ua")).unwrap();
    let pdf = store::certificates::pdf(&db.conn, &c.id).unwrap().unwrap();
    assert_eq!(store::imports::sha256_hex(&pdf), c.pdf_sha256, "the stored hash is the signed file's");
    pdf
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn root_pem(dir: &Path) -> PathBuf {
    harness::pdf_signer();
    write(dir, "root.pem", pdf_signature::root_pem(harness::pdf_keys_dir()).unwrap().as_bytes())
}

/// `pyhanko sign validate` with attest's root as the only trust anchor: (exit ok, output).
fn pyhanko(pyhanko: &Path, root: &Path, pdf: &Path) -> (bool, String) {
    let out = Command::new(pyhanko)
        .args(["sign", "validate", "--trust"])
        .arg(root)
        .arg("--trust-replace")
        .arg(pdf)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// An NSS database trusting attest's root as a CA (`,C,`), as pdfsig needs.
fn nss_db(certutil: &Path, dir: &Path, root: &Path) -> String {
    let db = dir.join("nss");
    std::fs::create_dir_all(&db).unwrap();
    let spec = format!("sql:{}", db.display());
    let ok = Command::new(certutil).args(["-N", "--empty-password", "-d", &spec]).status().unwrap();
    assert!(ok.success());
    let ok = Command::new(certutil)
        .args(["-A", "-t", ",C,", "-n", "attest-root", "-i"])
        .arg(root)
        .args(["-d", &spec])
        .status()
        .unwrap();
    assert!(ok.success());
    spec
}

/// pdfsig's report (it exits 0 even when a signature is invalid: its text is what counts).
fn pdfsig(pdfsig: &Path, nss: &str, pdf: &Path) -> String {
    let out = Command::new(pdfsig).args(["-nssdir", nss]).arg(pdf).output().unwrap();
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// A byte inside the first signed range, in the page's content, changed.
fn one_byte_changed(pdf: &[u8]) -> Vec<u8> {
    let mut bad = pdf.to_vec();
    let at = pdf.len() / 4;
    bad[at] ^= 0x01;
    bad
}

fn appended(pdf: &[u8]) -> Vec<u8> {
    let mut more = pdf.to_vec();
    more.extend_from_slice(b"\n% appended after signing\n");
    more
}

/// pyHanko, the independent validator most tests here ask; `None` (the test is skipped, or fails
/// under `ATTEST_REQUIRE_TOOLS`) when it is not installed.
fn pyhanko_tool() -> Option<std::path::PathBuf> {
    harness::tool("pyhanko", "validate PDF signatures with an independent implementation")
}

/// What the tests of an organisation's own certificate start from: `openssl` to make its keys
/// and certificates, pyHanko to validate what attest signs with them, and a folder for both.
struct OwnPki {
    openssl: std::path::PathBuf,
    pyhanko: std::path::PathBuf,
    dir: tempfile::TempDir,
}

/// [`OwnPki`], or `None` after saying which program is missing; `why` says what openssl is for.
fn own_pki(why: &str) -> Option<OwnPki> {
    Some(OwnPki {
        openssl: harness::tool("openssl", why)?,
        pyhanko: pyhanko_tool()?,
        dir: tempfile::tempdir().unwrap(),
    })
}

#[test]
fn every_issued_pdf_carries_a_signature_attest_itself_checks() {
    let pdf = issued_pdf();
    let roots = pdf_signature::own_roots(harness::pdf_keys_dir());
    let r = pdf_signature::verify(&pdf, &roots).expect("the PDF is signed");
    assert!(r.valid, "{r:?}");
    assert!(r.chains_to_attest && !r.modified_after_signing, "{r:?}");
    assert_eq!(r.signer, "CN=Council of Europe,O=Council of Europe");
    assert!(r.signed_at_iso.as_deref() == Some("2026-01-01T12:00:00Z"), "{r:?}");
    let bad = pdf_signature::verify(&one_byte_changed(&pdf), &roots).unwrap();
    assert!(!bad.valid, "{bad:?}");
    assert!(pdf_signature::verify(&appended(&pdf), &roots).unwrap().modified_after_signing);
    // The signature dictionary is a plain object (the field and catalog are compressed).
    for needle in [&b"/SubFilter/ETSI.CAdES.detached"[..], b"/Reason(Certificate of attendance)", b"/M(D:"] {
        assert!(memchr::memmem::find(&pdf, needle).is_some(), "{}", String::from_utf8_lossy(needle));
    }
}

#[test]
fn pyhanko_finds_the_signature_intact_trusted_and_untouched_and_notices_changes() {
    let Some(py) = pyhanko_tool() else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = root_pem(dir.path());
    let pdf = issued_pdf();
    let (ok, text) = pyhanko(&py, &root, &write(dir.path(), "signed.pdf", &pdf));
    assert!(ok && text.contains("INTACT:TRUSTED,UNTOUCHED"), "{text}");

    let (ok, text) = pyhanko(&py, &root, &write(dir.path(), "changed.pdf", &one_byte_changed(&pdf)));
    assert!(!ok && !text.contains("INTACT"), "a changed byte went unnoticed: {text}");

    let (_, text) = pyhanko(&py, &root, &write(dir.path(), "appended.pdf", &appended(&pdf)));
    assert!(!text.contains("UNTOUCHED"), "appended bytes went unnoticed: {text}");
}

#[test]
fn pdfsig_finds_the_signature_valid_and_trusted_and_notices_changes() {
    let Some(pdfsig_bin) = harness::tool("pdfsig", "validate PDF signatures with poppler") else { return };
    let Some(certutil) = harness::tool("certutil", "make the NSS database pdfsig trusts") else { return };
    let dir = tempfile::tempdir().unwrap();
    let root = root_pem(dir.path());
    let nss = nss_db(&certutil, dir.path(), &root);
    let pdf = issued_pdf();
    let text = pdfsig(&pdfsig_bin, &nss, &write(dir.path(), "signed.pdf", &pdf));
    assert!(text.contains("Signature is Valid."), "{text}");
    assert!(text.contains("Certificate is Trusted."), "{text}");
    assert!(text.contains("Total document signed") && !text.contains("Not total document signed"), "{text}");
    assert!(text.contains("Council of Europe"), "{text}");

    let text = pdfsig(&pdfsig_bin, &nss, &write(dir.path(), "changed.pdf", &one_byte_changed(&pdf)));
    assert!(!text.contains("Signature is Valid."), "a changed byte went unnoticed: {text}");

    let text = pdfsig(&pdfsig_bin, &nss, &write(dir.path(), "appended.pdf", &appended(&pdf)));
    assert!(text.contains("Not total document signed"), "appended bytes went unnoticed: {text}");
}

#[test]
fn qpdf_finds_no_problem_in_a_signed_pdf() {
    let Some(qpdf) = harness::tool("qpdf", "check the signed PDF's structure") else { return };
    let dir = tempfile::tempdir().unwrap();
    let pdf = issued_pdf();
    let path = write(dir.path(), "signed.pdf", &pdf);
    let out = Command::new(qpdf).arg("--check").arg(&path).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && text.contains("No syntax or stream encoding errors"), "{text}");
    // Signed, with its credential attached, and still tagged.
    if let Some((tagged, elements)) = harness::poppler_structure(&pdf) {
        assert!(tagged && elements.iter().any(|e| e.text == "Ольга Петрова"), "{elements:?}");
    }
}

mod web {
    use super::*;
    use attest::web::{self, Mailer};
    use axum::body::Body;
    use axum::http::{Request, StatusCode};

    /// A server that issues with the tests' PDF identity, holding one issued certificate.
    fn app() -> (axum::Router, Vec<u8>, tempfile::TempDir) {
        let mut db = Db::new();
        let dir = tempfile::tempdir().unwrap();
        let (event, _) = db.issued_webinar("echr", dir.path());
        let certs = store::certificates::for_event(&db.conn, event.id).unwrap();
        let pdf = store::certificates::pdf(&db.conn, &certs[0].id).unwrap().unwrap();
        let s = harness::settings();
        let issuing = harness::app::issuing(harness::pdf_keys_dir(), s.clone());
        let config = harness::web_config(&s, 10);
        let state = harness::app::state_on(db.into_conn(), config, Some(issuing), Mailer::Outbox(dir.path().join("o")));
        (web::app(state), pdf, dir)
    }

    async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, Vec<u8>) {
        let res = harness::send_to(app, req).await;
        (res.status, res.bytes)
    }

    fn upload(file: &[u8], lang: &str) -> Request<Body> {
        harness::multipart_post(
            &format!("/verify/pdf?lang={lang}"),
            "",
            &[],
            &[("pdf", "c.pdf", "application/pdf", file)],
        )
    }

    #[tokio::test]
    async fn the_upload_form_reports_the_pdf_signature_in_three_languages() {
        let (app, pdf, _d) = app();
        let (status, body) = send(&app, upload(&pdf, "en")).await;
        let body = String::from_utf8(body).unwrap();
        assert_eq!(status, StatusCode::OK);
        assert!(body.contains("Valid: the file is exactly as it was signed."), "{body}");
        assert!(body.contains("CN=Council of Europe,O=Council of Europe"), "{body}");
        assert!(body.contains(harness::pdf_signer().fingerprint()), "{body}");
        assert!(body.contains("ends at this service’s root certificate"), "{body}");
        assert!(body.contains("1 January 2026, 12:00 UTC"), "{body}");
        let changed = one_byte_changed(&pdf);
        for (lang, words) in [
            ("en", "Not valid: the file was modified after it was signed."),
            ("fr", "Non valide : le fichier a été modifié après sa signature."),
            ("es", "No válida: el archivo se modificó después de firmarse."),
        ] {
            let (_, body) = send(&app, upload(&changed, lang)).await;
            let body = String::from_utf8(body).unwrap();
            assert!(body.contains(words), "{lang}: {body}");
        }
        // Bytes added after the signature (an incremental update painting another name over
        // the signed one): valid for the signed part only, said so, never "exactly as it was
        // signed"; and the next step fits a file, not a mistyped code.
        let (_, body) = send(&app, upload(&appended(&pdf), "fr")).await;
        let body = String::from_utf8(body).unwrap();
        assert!(body.contains("Valide pour la partie signée, mais ce n’est pas tout le fichier"), "{body}");
        assert!(!body.contains("exactement tel qu’il a été signé"), "{body}");
        assert!(body.contains("Ce fichier n’est pas le certificat délivré"), "{body}");
        assert!(!body.contains("mal saisi"), "{body}");
    }

    #[tokio::test]
    async fn the_root_is_served_and_linked_from_the_verify_page() {
        let (app, _, _d) = app();
        let (status, der) = send(&app, Request::get("/pdf-root.cer").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(vec![der], pdf_signature::own_roots(harness::pdf_keys_dir()));
        let (status, pem) = send(&app, Request::get("/pdf-root.pem").body(Body::empty()).unwrap()).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(String::from_utf8(pem).unwrap(), pdf_signature::root_pem(harness::pdf_keys_dir()).unwrap());
        let (_, home) = send(&app, Request::get("/verify").body(Body::empty()).unwrap()).await;
        assert!(String::from_utf8(home).unwrap().contains("href=\"/pdf-root.cer\""));
    }
}

/// What the signature costs in bytes, against the same certificate rendered unsigned, and (as a
/// sanity check, not a benchmark) in time per certificate.
#[test]
fn a_signature_adds_at_most_3_kib() {
    let c = attest::certificate::CertificateContent {
        certificate_code: "7KQ2M-9XD3F-8AWC1-T9ZZB-H4QKR2".into(),
        ..harness::seminar_content(
            "Αλέξανδρος Παπαδόπουλος",
            "en",
            "http://127.0.0.1:8080/v/eyJhbGciOiJFZERTQSJ9.e30.c2ln".into(),
        )
    };
    let r = harness::renderer();
    let signer = harness::pdf_signer();
    let plain = r.render(&c).unwrap();
    let prepared = r.render_for_signing(&c, None, &signer.field(c.issued_at)).unwrap();
    let mut signed = prepared.clone();
    signer.sign(&mut signed).unwrap();
    let added = signed.len() - plain.len();
    eprintln!("unsigned {} bytes, signed {} bytes: the signature adds {added} bytes", plain.len(), signed.len());
    assert!(added <= 3 * 1024, "the signature adds {added} bytes");

    let n = 200;
    let t = std::time::Instant::now();
    for _ in 0..n {
        let mut pdf = prepared.clone();
        signer.sign(&mut pdf).unwrap();
    }
    eprintln!(
        "signing alone (this build's optimisation): {:.0} µs per certificate",
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}

/// The organisation's own certificate: a CA and a P-256 seal certificate made with `openssl`,
/// imported, used to issue, and trusted by pyHanko through that CA; bad input changes nothing.
#[test]
fn an_organisations_p256_certificate_is_imported_and_validated_by_pyhanko() {
    let Some(OwnPki { openssl, pyhanko: py, dir }) = own_pki("make an organisation's certificate to import") else {
        return;
    };
    let d = dir.path();
    let run = harness::tools::runner(&openssl, d, &[]);
    run(&["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"]);
    ca(&run, &["-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
    run(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "org.key"]);
    org_seal(&run, d);
    let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();
    let chain = format!("{}{}", read("org.pem"), read("ca.pem"));

    let keys = d.join("keys");
    let now = chrono::Utc::now();
    pdf_signature::active(&keys, "Council of Europe", now).unwrap();
    let before = pdf_signature::chain_pem(&keys).unwrap();
    use pdf_signature::ImportError;
    // The CA's key with the seal's chain: the key does not match.
    let e = pdf_signature::import_pem(&keys, &read("ca.key"), chain.as_bytes(), now).unwrap_err();
    assert!(matches!(e, ImportError::KeyMismatch(_)), "{e}");
    // The CA certificate itself: no digitalSignature in its key usage.
    let e = pdf_signature::import_pem(&keys, &read("ca.key"), read("ca.pem").as_bytes(), now).unwrap_err();
    assert!(matches!(e, ImportError::NoDigitalSignature(_)), "{e}");
    // An expired certificate: an identity made twenty years ago (a 3-year leaf).
    let old = d.join("old");
    pdf_signature::create_default(&old, "Old", now - chrono::Duration::days(365 * 20)).unwrap();
    let e = pdf_signature::import_pem(
        &keys,
        &std::fs::read_to_string(old.join("pdf-signer.key")).unwrap(),
        pdf_signature::chain_pem(&old).unwrap().as_bytes(),
        now,
    )
    .unwrap_err();
    assert!(matches!(e, ImportError::NotValidNow { .. }), "{e}");
    assert!(e.to_string().contains("is not valid now"), "{e}");
    assert_eq!(pdf_signature::chain_pem(&keys).unwrap(), before, "bad input changed nothing");

    let info = pdf_signature::import_pem(&keys, &read("org.key"), chain.as_bytes(), now).unwrap();
    assert_eq!(info.subject, "O=Example Org,CN=Example Org seal");
    let signer = pdf_signature::load(&keys).unwrap();
    let mut db = Db::new();
    let (event, secret) = db.webinar("echr", &keys);
    let s = harness::settings();
    let issuer = harness::issuer(&secret, &signer, &s, "cli");
    attest::issuance::issue_event(&mut db.conn, issuer, &event, false, harness::now(), &|_| {}).unwrap();
    let c = &store::certificates::for_event(&db.conn, event.id).unwrap()[0];
    let pdf = store::certificates::pdf(&db.conn, &c.id).unwrap().unwrap();
    let r = pdf_signature::verify(&pdf, &pdf_signature::own_roots(&keys)).unwrap();
    assert!(r.valid && r.signer == "O=Example Org,CN=Example Org seal", "{r:?}");
    assert_eq!(r.root.as_deref(), Some("CN=Example Trust CA"));
    let (ok, text) = pyhanko(&py, &d.join("ca.pem"), &write(d, "org-signed.pdf", &pdf));
    assert!(ok && text.contains("INTACT:TRUSTED,UNTOUCHED"), "{text}");
}

/// A time-stamp authority on loopback: pyHanko's dummy TSA behind Python's HTTP server.
const TSA_PY: &str = r#"
import sys, http.server
from asn1crypto import tsp
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
stamper = DummyTimeStamper(
    tsa_cert=load_cert_from_pemder(sys.argv[1]),
    tsa_key=load_private_key_from_pemder(sys.argv[2], None),
    certs_to_embed=[load_cert_from_pemder(sys.argv[3])],
)
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
        self.send_response(200)
        self.send_header('Content-Type', 'application/timestamp-reply')
        self.send_header('Content-Length', str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
"#;

/// B-T: every signature gets an RFC 3161 time-stamp from the TSA the test starts, which pyHanko
/// shows; a TSA that does not answer fails the issue with nothing stored.
#[test]
fn with_a_time_stamp_authority_signatures_are_b_t_and_a_failing_tsa_stores_nothing() {
    let Some(openssl) = harness::tool("openssl", "make the test TSA's certificates") else { return };
    let Some(py) = harness::tool("pyhanko", "run a dummy time-stamp authority and validate") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = harness::tools::runner(&openssl, d, &[]);
    run(&["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "tsaca.key"]);
    run(&[
        "req",
        "-x509",
        "-new",
        "-key",
        "tsaca.key",
        "-subj",
        "/CN=Test TSA CA",
        "-days",
        "3650",
        "-out",
        "tsaca.pem",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    // pyHanko's dummy TSA signs with RSA only.
    run(&["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "tsa.key"]);
    std::fs::write(d.join("tsa.cnf"), "keyUsage=critical,digitalSignature\nextendedKeyUsage=critical,timeStamping\n")
        .unwrap();
    issue_cert(&run, "tsa", "/CN=Test TSA", "tsaca", "tsa.cnf");
    std::fs::write(d.join("tsa.py"), TSA_PY).unwrap();
    let python = py.parent().unwrap().join("python");
    let mut server = Command::new(&python)
        .current_dir(d)
        .args(["tsa.py", "tsa.pem", "tsa.key", "tsaca.pem"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut port = String::new();
    std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut port).unwrap();
    let url = format!("http://127.0.0.1:{}/tsa", port.trim());

    let issue = |tsa: &str| {
        let mut db = Db::new();
        let keys = tempfile::tempdir().unwrap();
        let (event, secret) = db.webinar("echr", keys.path());
        let signer = pdf_signature::active(harness::pdf_keys_dir(), "Council of Europe", harness::now())
            .unwrap()
            .with_tsa(Some(tsa.to_owned()));
        let s = harness::settings();
        let issuer = harness::issuer(&secret, &signer, &s, "cli");
        let done = attest::issuance::issue_event(&mut db.conn, issuer, &event, false, harness::now(), &|_| {});
        let certs = store::certificates::for_event(&db.conn, event.id).unwrap();
        let pdfs: Vec<Vec<u8>> =
            certs.iter().map(|c| store::certificates::pdf(&db.conn, &c.id).unwrap().unwrap()).collect();
        (done, pdfs)
    };
    let (done, pdfs) = issue(&url);
    let (failed, stored) = issue("http://127.0.0.1:9/tsa");
    let _ = server.kill();
    let _ = server.wait();
    done.unwrap();
    let root = root_pem(d);
    let out = Command::new(&py)
        .args(["sign", "validate", "--trust"])
        .arg(&root)
        .arg("--trust")
        .arg(d.join("tsaca.pem"))
        .arg("--trust-replace")
        .arg(write(d, "bt.pdf", &pdfs[0]))
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(
        out.status.success() && text.contains("INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>,UNTOUCHED"),
        "{text}"
    );
    let e = failed.unwrap_err().to_string();
    assert!(e.contains("time-stamp authority http://127.0.0.1:9/tsa"), "{e}");
    assert!(stored.is_empty(), "a failing TSA stored {} certificates", stored.len());
}

/// Issues the multilingual webinar's certificates with `signer` and returns one PDF.
fn issued_with(signer: &pdf_signature::PdfSigner, keys: &Path) -> Vec<u8> {
    let mut db = Db::new();
    let (event, secret) = db.webinar("echr", keys);
    let s = harness::settings();
    let issuer = harness::issuer(&secret, signer, &s, "cli");
    attest::issuance::issue_event(&mut db.conn, issuer, &event, false, harness::now(), &|_| {}).unwrap();
    let c = &store::certificates::for_event(&db.conn, event.id).unwrap()[0];
    store::certificates::pdf(&db.conn, &c.id).unwrap().unwrap()
}

const P12_PASSWORD: &str = "correct horse battery staple";

/// With `openssl` in `d`: a CA and a document-signing certificate, both with keys made by
/// `genpkey` with `key_args`, and `org.p12` (key, certificate and CA, OpenSSL 3's default
/// AES-256-CBC/PBKDF2 encryption) under [`P12_PASSWORD`]; `other.p12` holds another key with the
/// same certificates.
fn make_pkcs12(openssl: &Path, d: &Path, key_args: &[&str]) {
    let run = harness::tools::runner(openssl, d, &[("P12PW", P12_PASSWORD)]);
    for key in ["ca.key", "org.key", "other.key"] {
        let mut args = vec!["genpkey"];
        args.extend_from_slice(key_args);
        args.extend_from_slice(&["-out", key]);
        run(&args);
    }
    std::fs::write(d.join("ca.cnf"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
        .unwrap();
    ca(&run, &[]);
    org_seal(&run, d);
    run(&[
        "pkcs12",
        "-export",
        "-inkey",
        "org.key",
        "-in",
        "org.pem",
        "-certfile",
        "ca.pem",
        "-passout",
        "env:P12PW",
        "-out",
        "org.p12",
    ]);
    run(&[
        "pkcs12",
        "-export",
        "-inkey",
        "other.key",
        "-nocerts",
        "-certfile",
        "org.pem",
        "-passout",
        "env:P12PW",
        "-out",
        "other.p12",
    ]);
}

/// A self-signed CA certificate `ca.pem` for the key `ca.key`, ten years, with `extra` arguments
/// to `openssl req` (through `run`).
fn ca(run: &dyn Fn(&[&str]), extra: &[&str]) {
    let mut args = vec!["req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=Example Trust CA", "-days", "3650"];
    args.extend(["-out", "ca.pem"]);
    args.extend(extra);
    run(&args);
}

/// The organisation's seal certificate `org.pem` in `d`, for the key `org.key`, signed by the CA
/// (`ca.pem`, `ca.key`) with `openssl` (through `run`, in `d`): digital signature and
/// non-repudiation, one year.
fn org_seal(run: &dyn Fn(&[&str]), d: &Path) {
    std::fs::write(d.join("ext.cnf"), "keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n")
        .unwrap();
    issue_cert(run, "org", "/CN=Example Org seal/O=Example Org", "ca", "ext.cnf");
}

/// The certificate `{name}.pem` for the key `{name}.key` (through the request `{name}.csr`),
/// with `subject` and the extensions in the file `ext`, signed by the CA `{ca}.pem` with
/// `{ca}.key`, valid one year: made with `openssl` through `run`, in its folder.
fn issue_cert(run: &dyn Fn(&[&str]), name: &str, subject: &str, ca: &str, ext: &str) {
    let [key, csr, pem] = ["key", "csr", "pem"].map(|e| format!("{name}.{e}"));
    let [ca_pem, ca_key] = ["pem", "key"].map(|e| format!("{ca}.{e}"));
    run(&["req", "-new", "-key", &key, "-subj", subject, "-out", &csr]);
    run(&[
        "x509",
        "-req",
        "-in",
        &csr,
        "-CA",
        &ca_pem,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-days",
        "365",
        "-extfile",
        ext,
        "-out",
        &pem,
    ]);
}

/// An organisation's PKCS#12 made with `openssl` (keys from `key_args`): a wrong password and a
/// file whose key does not match its certificate are refused and change nothing; the right one
/// is imported, and a certificate issued with it is found intact and trusted (through the
/// organisation's CA) by attest, pyHanko and pdfsig. Returns pdfsig's report.
/// [`pkcs12_import_is_validated`], pdfsig's report shown with `--nocapture` (nothing when a
/// tool is missing and the check was skipped).
fn pkcs12_import_shows_report(key_args: &[&str], algorithm: &str) {
    if let Some(report) = pkcs12_import_is_validated(key_args, algorithm) {
        eprintln!("{report}");
    }
}

fn pkcs12_import_is_validated(key_args: &[&str], algorithm: &str) -> Option<String> {
    let OwnPki { openssl, pyhanko: py, dir } = own_pki("make an organisation's PKCS#12 to import")?;
    let sig = harness::tool("pdfsig", "validate PDF signatures with poppler")?;
    let certutil = harness::tool("certutil", "make the NSS database pdfsig trusts")?;
    let d = dir.path();
    make_pkcs12(&openssl, d, key_args);
    let p12 = std::fs::read(d.join("org.p12")).unwrap();

    let keys = d.join("keys");
    let now = chrono::Utc::now();
    pdf_signature::active(&keys, "Council of Europe", now).unwrap();
    let before = pdf_signature::chain_pem(&keys).unwrap();
    let key_before = std::fs::read(keys.join("pdf-signer.key")).unwrap();
    use pdf_signature::{ImportError, Password};
    let e = pdf_signature::import_pkcs12(&keys, &p12, &Password::new("wrong".into()), now).unwrap_err();
    assert!(matches!(e, ImportError::WrongPassword), "{e}");
    assert!(!e.to_string().contains("wrong\""), "the password is not echoed: {e}");
    let other = std::fs::read(d.join("other.p12")).unwrap();
    let e = pdf_signature::import_pkcs12(&keys, &other, &Password::new(P12_PASSWORD.into()), now).unwrap_err();
    assert!(matches!(e, ImportError::KeyMismatch(_)), "{e}");
    assert_eq!(pdf_signature::chain_pem(&keys).unwrap(), before, "bad input changed nothing");
    assert_eq!(std::fs::read(keys.join("pdf-signer.key")).unwrap(), key_before, "bad input changed nothing");

    let info = pdf_signature::import_pkcs12(&keys, &p12, &Password::new(P12_PASSWORD.into()), now).unwrap();
    assert_eq!(info.subject, "O=Example Org,CN=Example Org seal");
    assert_eq!(info.chain_len, 2, "the CA follows the signer");
    let signer = pdf_signature::load(&keys).unwrap();
    let pdf = issued_with(&signer, &keys);
    let r = pdf_signature::verify(&pdf, &pdf_signature::own_roots(&keys)).unwrap();
    assert!(r.valid && r.signer == "O=Example Org,CN=Example Org seal", "{r:?}");
    assert_eq!(r.root.as_deref(), Some("CN=Example Trust CA"));
    assert!(r.chains_to_attest, "the imported CA is attest's root now");
    let signed = write(d, "org-signed.pdf", &pdf);
    let ca = d.join("ca.pem");
    let (ok, text) = pyhanko(&py, &ca, &signed);
    assert!(ok && text.contains("INTACT:TRUSTED,UNTOUCHED"), "{text}");
    eprintln!("pyhanko: {text}");
    let nss = nss_db(&certutil, d, &ca);
    let report = pdfsig(&sig, &nss, &signed);
    assert!(report.contains("Signature is Valid.") && report.contains("Certificate is Trusted."), "{report}");
    assert!(report.contains(algorithm), "{report}");
    let (ok, text) = pyhanko(&py, &ca, &write(d, "changed.pdf", &one_byte_changed(&pdf)));
    assert!(!ok && !text.contains("INTACT"), "{text}");
    Some(report)
}

#[test]
fn an_organisations_rsa_pkcs12_is_imported_and_validated_by_pyhanko_and_pdfsig() {
    pkcs12_import_shows_report(
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        "Signing Hash Algorithm: SHA-256",
    );
}

#[test]
fn an_organisations_p256_pkcs12_is_imported_and_validated_by_pyhanko_and_pdfsig() {
    pkcs12_import_shows_report(
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        "Signing Hash Algorithm: SHA-256",
    );
}

#[test]
fn an_organisations_p384_pkcs12_is_imported_and_signs_with_sha384() {
    pkcs12_import_shows_report(
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
        "Signing Hash Algorithm: SHA-384",
    );
}

/// An RSA key under 2048 bits is refused; an RSA-4096 key with a three-certificate chain fits
/// its `/Contents` placeholder and validates.
#[test]
fn short_rsa_keys_are_refused_and_rsa_4096_with_a_longer_chain_fits() {
    let Some(OwnPki { openssl, pyhanko: py, dir }) = own_pki("make RSA keys to import") else { return };
    let d = dir.path();
    let run = harness::tools::runner(&openssl, d, &[("P12PW", P12_PASSWORD)]);
    std::fs::write(d.join("ca.cnf"), "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n")
        .unwrap();
    std::fs::write(d.join("ext.cnf"), "keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n")
        .unwrap();
    for (key, bits) in [("ca.key", "4096"), ("int.key", "4096"), ("org.key", "4096"), ("short.key", "1024")] {
        run(&["genpkey", "-algorithm", "RSA", "-pkeyopt", &format!("rsa_keygen_bits:{bits}"), "-out", key]);
    }
    run(&["req", "-x509", "-new", "-key", "ca.key", "-subj", "/CN=Example Trust Root CA", "-out", "ca.pem"]);
    issue_cert(&run, "int", "/CN=Example Issuing CA", "ca", "ca.cnf");
    issue_cert(&run, "org", "/CN=Example Org seal/O=Example Org", "int", "ext.cnf");
    issue_cert(&run, "short", "/CN=Short", "ca", "ext.cnf");
    let read = |f: &str| std::fs::read_to_string(d.join(f)).unwrap();

    let keys = d.join("keys");
    let now = chrono::Utc::now();
    pdf_signature::active(&keys, "Council of Europe", now).unwrap();
    let before = pdf_signature::chain_pem(&keys).unwrap();
    let e = pdf_signature::import_pem(&keys, &read("short.key"), read("short.pem").as_bytes(), now).unwrap_err();
    assert!(matches!(e, pdf_signature::ImportError::RsaTooShort(1024)), "{e}");
    assert_eq!(pdf_signature::chain_pem(&keys).unwrap(), before, "bad input changed nothing");

    let chain = format!("{}{}{}", read("org.pem"), read("int.pem"), read("ca.pem"));
    pdf_signature::import_pem(&keys, &read("org.key"), chain.as_bytes(), now).unwrap();
    let signer = pdf_signature::load(&keys).unwrap();
    let pdf = issued_with(&signer, &keys);
    let r = pdf_signature::verify(&pdf, &pdf_signature::own_roots(&keys)).unwrap();
    assert!(r.valid, "{r:?}");
    let (ok, text) = pyhanko(&py, &d.join("ca.pem"), &write(d, "rsa4096.pdf", &pdf));
    assert!(ok && text.contains("INTACT:TRUSTED,UNTOUCHED"), "{text}");
}

/// `attest keys pdf-import --p12` through the real binary: the password comes from
/// `ATTEST_PDF_P12_PASSWORD` (never an argument); without it and without a terminal the command
/// says what to set; a wrong one is one line that names neither the password nor the key, and
/// leaves the identity as it was.
#[test]
fn the_cli_imports_a_pkcs12_with_the_password_from_the_environment() {
    let Some(openssl) = harness::tool("openssl", "make an organisation's PKCS#12 to import") else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    make_pkcs12(&openssl, d, &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]);
    let db = harness::new_db(d);
    let attest = |args: &[&str], password: Option<&str>| {
        let mut c = harness::process::attest(&db);
        c.args(args).env_remove("ATTEST_PDF_P12_PASSWORD").stdin(std::process::Stdio::null());
        if let Some(p) = password {
            c.env("ATTEST_PDF_P12_PASSWORD", p);
        }
        let out = c.output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // The installation's own identity first, as `serve` or the first issue makes it
    // (`keys pdf-chain` reads and makes none).
    attest::trust::pdf_signature::active(&harness::app::keys_for(&db), "Council of Europe", harness::now()).unwrap();
    let (ok, before, _) = attest(&["keys", "pdf-chain"], None);
    assert!(ok);
    let p12 = d.join("org.p12").display().to_string();
    let (ok, _, err) = attest(&["keys", "pdf-import", "--p12", &p12], None);
    assert!(!ok && err.contains("ATTEST_PDF_P12_PASSWORD"), "{err}");
    let (ok, _, err) = attest(&["keys", "pdf-import", "--p12", &p12], Some("not the password"));
    assert!(!ok, "{err}");
    assert!(err.contains("wrong password") && err.contains("unchanged"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
    assert!(!err.contains("not the password") && !err.contains("PRIVATE KEY"), "{err}");
    assert_eq!(attest(&["keys", "pdf-chain"], None).1, before, "the identity in use stays");
    let (ok, out, err) = attest(&["keys", "pdf-import", "--p12", &p12], Some(P12_PASSWORD));
    assert!(ok, "{err}");
    assert!(out.contains("Example Org seal"), "{out}");
    let (_, chain, _) = attest(&["keys", "pdf-chain"], None);
    assert_eq!(chain.matches("BEGIN CERTIFICATE").count(), 2, "{chain}");
    assert!(chain.starts_with(&std::fs::read_to_string(d.join("org.pem")).unwrap()), "leaf first");
}

/// A series certificate (issue 12) of the series fixture: Dalia's, three sessions, in Arabic.
fn series_pdf() -> Vec<u8> {
    let mut db = Db::new();
    let series = harness::series_fixture(&mut db);
    let keys = tempfile::tempdir().unwrap();
    let secret = token::active(&db.conn, keys.path(), harness::now()).unwrap();
    let s = harness::settings();
    let issuer = harness::issuer(&secret, harness::pdf_signer(), &s, "cli");
    attest::issuance::series::issue_series(&mut db.conn, issuer, &series, false, harness::now()).unwrap();
    let certs = store::series::certificates(&db.conn, &series).unwrap();
    let c = certs.iter().find(|c| c.email.as_deref() == Some("dalia@example.org")).unwrap();
    store::certificates::pdf(&db.conn, &c.id).unwrap().unwrap()
}

#[test]
fn a_series_certificate_is_signed_like_any_other_for_pyhanko_and_pdfsig() {
    let pdf = series_pdf();
    let dir = tempfile::tempdir().unwrap();
    let root = root_pem(dir.path());
    let signed = write(dir.path(), "series.pdf", &pdf);
    let changed = write(dir.path(), "changed.pdf", &one_byte_changed(&pdf));
    if let Some(py) = pyhanko_tool() {
        let (ok, text) = pyhanko(&py, &root, &signed);
        assert!(ok && text.contains("INTACT:TRUSTED,UNTOUCHED"), "{text}");
        let (ok, text) = pyhanko(&py, &root, &changed);
        assert!(!ok && !text.contains("INTACT"), "a changed byte went unnoticed: {text}");
    }
    let (Some(pdfsig_bin), Some(certutil)) = (
        harness::tool("pdfsig", "validate PDF signatures with poppler"),
        harness::tool("certutil", "make the NSS database"),
    ) else {
        return;
    };
    let nss = nss_db(&certutil, dir.path(), &root);
    let text = pdfsig(&pdfsig_bin, &nss, &signed);
    assert!(text.contains("Signature is Valid.") && text.contains("Certificate is Trusted."), "{text}");
    assert!(text.contains("Total document signed") && !text.contains("Not total document signed"), "{text}");
    let text = pdfsig(&pdfsig_bin, &nss, &changed);
    assert!(!text.contains("Signature is Valid."), "a changed byte went unnoticed: {text}");
}

/// The default identity's signing certificate lasts 3 years, and nothing renewed it: `keys
/// rotate` now does, from the same root. pyHanko, with the root printed before the rotation as
/// its only trust anchor, finds both the PDF signed before and the one signed after intact and
/// trusted; the signer's certificate (and its private key) changed, the root did not.
#[test]
fn keys_rotate_renews_the_pdf_signer_from_the_same_root_and_old_pdfs_keep_verifying() {
    let Some(py) = pyhanko_tool() else { return };
    let cli = harness::Cli::new();
    let report = harness::webinar_report(false, false, 1, |i| {
        format!("Person {i},p{i}@example.org,\"Mar 14, 2025 09:58:00\",\"Mar 14, 2025 11:40:00\",102")
    });
    let csv = write(cli.dir.path(), "report.csv", report.as_bytes());
    let issue = |slug: &str| -> PathBuf {
        cli.event_held(slug, "Seminar", ("2025-03-14T10:00", "2025-03-14T11:40"), &["--tz", "Europe/Paris"]);
        cli.ok(&["import", slug, csv.to_str().unwrap(), "--tz", "Europe/Paris"]);
        let out = cli.dir.path().join(slug);
        cli.ok(&["issue", slug, "--out", out.to_str().unwrap()]);
        std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|e| e == "pdf"))
            .unwrap()
    };
    let before = issue("before");
    let chain = cli.ok(&["keys", "pdf-chain"]);
    let root_pem = &chain[chain.rfind("-----BEGIN").unwrap()..];
    let root = write(cli.dir.path(), "root.pem", root_pem.as_bytes());
    let keys = harness::app::keys_for(&cli.db);
    let old_key = std::fs::read(keys.join("pdf-signer.key")).unwrap();
    let said = cli.ok(&["keys", "rotate"]);
    assert!(
        said.contains("new PDF signing certificate") && said.contains("PDFs signed before keep verifying"),
        "{said}"
    );
    let after = issue("after");
    let renewed = cli.ok(&["keys", "pdf-chain"]);
    assert_ne!(renewed, chain, "a new signing certificate");
    assert!(renewed.ends_with(root_pem), "the same root");
    assert_ne!(std::fs::read(keys.join("pdf-signer.key")).unwrap(), old_key, "a new private key in its place");
    for pdf in [&before, &after] {
        let (ok, text) = pyhanko(&py, &root, pdf);
        assert!(ok && text.contains("INTACT:TRUSTED,UNTOUCHED"), "{}: {text}", pdf.display());
    }
    let (signed_before, signed_after) = (std::fs::read(&before).unwrap(), std::fs::read(&after).unwrap());
    let signer = |pdf: &[u8]| pdf_signature::verify(pdf, &[]).unwrap().fingerprint;
    assert_ne!(signer(&signed_before), signer(&signed_after));
}
