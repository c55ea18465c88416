//! The published test vectors (`tests/vectors/`): the committed files are exactly what
//! `attest vectors DIR` writes, and every verifier gets the verdict the manifest states: attest's
//! own, jwcrypto (Python) for the tokens, Digital Bazaar's `@digitalbazaar/vc` (Node) and pyld
//! with `cryptography` (Python) for the credentials and status lists.
//!
//! Each independent check is also run on a copy of the folder where a must-fail vector is
//! replaced by a valid one, and must then disagree with the manifest: a check that cannot fail
//! proves nothing. Tools as in `tests/credential.rs` (`.ci/run` installs them; without them these
//! tests say so and pass, unless `ATTEST_REQUIRE_TOOLS` is set).

use crate::harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use attest::trust::credential;
use attest::trust::status_list;
use attest::trust::token::KeySet;
use base64::Engine;
use serde_json::Value;

fn vectors() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors")
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn manifest(dir: &Path) -> Value {
    read_json(&dir.join("manifest.json"))
}

/// Every file under `dir`, relative to it.
fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A copy of the vectors, to run a verifier in without writing into the repository.
fn copy_of_vectors() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (rel, bytes) in files_under(&vectors()) {
        let path = tmp.path().join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    tmp
}

/// A copy of the vectors with the must-fail `victim` replaced by the valid `by`.
fn swapped(victim: &str, by: &str) -> tempfile::TempDir {
    let tmp = copy_of_vectors();
    std::fs::copy(vectors().join(by), tmp.path().join(victim)).unwrap();
    tmp
}

#[test]
fn the_committed_vectors_are_what_attest_vectors_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_attest"))
        .arg("vectors")
        .arg(tmp.path())
        // No database is opened: a path that cannot be created proves it.
        .env("ATTEST_DB", "/nonexistent/attest.sqlite3")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let written = files_under(tmp.path());
    let mut committed = files_under(&vectors());
    assert!(committed.remove("README.md").is_some(), "tests/vectors/README.md is missing");
    let fix = "regenerate with `cargo run -- vectors tests/vectors` and review the diff";
    assert_eq!(written.keys().collect::<Vec<_>>(), committed.keys().collect::<Vec<_>>(), "{fix}");
    for (rel, bytes) in &written {
        assert!(committed[rel] == *bytes, "tests/vectors/{rel} differs from what the generator writes: {fix}");
    }
    // Only public keys: every JWK has an x and nothing else secret-looking.
    for k in read_json(&vectors().join("issuer/.well-known/jwks.json"))["keys"].as_array().unwrap() {
        assert!(k.get("d").is_none(), "a private key in the published JWK set: {k}");
    }
}

fn key_set(dir: &Path) -> KeySet {
    let mut set = KeySet::default();
    for k in read_json(&dir.join("issuer/.well-known/jwks.json"))["keys"].as_array().unwrap() {
        let x = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(k["x"].as_str().unwrap()).unwrap();
        set.insert(
            k["kid"].as_str().unwrap().to_owned(),
            ed25519_dalek::VerifyingKey::from_bytes(&x.try_into().unwrap()).unwrap(),
        );
    }
    set
}

/// The PDF vectors' root certificate (`issuer/pdf-root.pem`), DER.
fn pdf_root_der(dir: &Path) -> Vec<u8> {
    use x509_cert::der::{DecodePem, Encode};
    let pem = std::fs::read_to_string(dir.join("issuer/pdf-root.pem")).unwrap();
    x509_cert::Certificate::from_pem(&pem).unwrap().to_der().unwrap()
}

/// The status bit at `position`, if the list holding it verifies.
fn bit(dir: &Path, keys: &KeySet, position: u64) -> Option<bool> {
    let list = position / status_list::STATUS_LIST_SIZE;
    let bytes = std::fs::read(dir.join(format!("issuer/status/{list}"))).ok()?;
    let (_, bits) = status_list::verify_status_list(&bytes, keys).ok()?;
    Some(status_list::bit(&bits, position % status_list::STATUS_LIST_SIZE))
}

/// What attest's own verifier says of each vector: (signature valid, status bit, verdict).
fn attest_verdicts(dir: &Path) -> Vec<(String, bool, Option<bool>, &'static str)> {
    let keys = key_set(dir);
    let mut out = Vec::new();
    for v in manifest(dir)["vectors"].as_array().unwrap() {
        let file = v["file"].as_str().unwrap().to_owned();
        let bytes = std::fs::read(dir.join(&file)).unwrap();
        let (signature, position) = match v["kind"].as_str().unwrap() {
            "token" => match keys.verify(std::str::from_utf8(&bytes).unwrap()) {
                Ok((claims, _)) => (true, claims.status),
                Err(_) => (false, None),
            },
            "credential" => match credential::verify(&bytes, &keys) {
                Ok(v) => (true, Some(v.facts.status_list * status_list::STATUS_LIST_SIZE + v.facts.status_index)),
                Err(_) => (false, None),
            },
            "status-list" => (status_list::verify_status_list(&bytes, &keys).is_ok(), None),
            // The PDF signature, trusted with the folder's root and nothing appended; then the
            // token the PDF carries, for its status.
            "pdf" => {
                let intact = attest::trust::pdf_signature::verify(&bytes, &[pdf_root_der(dir)])
                    .is_some_and(|r| r.valid && r.chains_to_attest && !r.modified_after_signing);
                let position = attest::verification::token_from_pdf(&bytes)
                    .and_then(|t| keys.verify(&t).ok())
                    .and_then(|(claims, _)| claims.status)
                    .filter(|_| intact);
                (intact, position)
            }
            other => panic!("{file}: unknown kind {other}"),
        };
        let status = position.and_then(|p| bit(dir, &keys, p));
        let verdict = match (signature, position, status) {
            (false, _, _) => "invalid",
            // A status position whose list does not verify: the status cannot be known.
            (true, Some(_), None) => "invalid",
            (true, _, Some(true)) => "revoked",
            (true, _, _) => "valid",
        };
        out.push((file, signature, status, verdict));
    }
    out
}

#[test]
fn attest_agrees_with_the_manifest() {
    let m = manifest(&vectors());
    let got = attest_verdicts(&vectors());
    assert!(got.len() >= 18, "{got:?}");
    for (v, (file, signature, status, verdict)) in m["vectors"].as_array().unwrap().iter().zip(&got) {
        assert_eq!(v["file"], *file);
        assert_eq!(v["signature_valid"], *signature, "{file}");
        assert_eq!(v["status_bit"], serde_json::to_value(status).unwrap(), "{file}");
        // Offline, a superseded certificate reads as revoked: the list has one purpose.
        let expected = v["verdict"].as_str().unwrap().replace("superseded", "revoked");
        assert_eq!(expected, *verdict, "{file}");
    }
    // The check can fail: a must-fail vector swapped for a valid one disagrees.
    let tmp = swapped("tokens/alg-none.jwt", "tokens/valid.jwt");
    assert_ne!(attest_verdicts(tmp.path()), got);
    let tmp = swapped("pdfs/one-byte-changed.pdf", "pdfs/valid.pdf");
    assert_ne!(attest_verdicts(tmp.path()), got);
}

/// A Python with jwcrypto, pyld and cryptography, or `None` (skipped, saying so).
fn python() -> Option<PathBuf> {
    harness::python_with("jwcrypto, pyld, cryptography", "check the test vectors with jwcrypto and pyld")
}

fn output(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    println!("{text}{}", String::from_utf8_lossy(&out.stderr));
    text
}

/// Where jwcrypto disagrees with the manifest, one line each.
fn jwcrypto_disagreements(python: &Path, dir: &Path) -> Vec<String> {
    let out = output(Command::new(python).arg(harness::tools::verifier("verify_tokens.py")).arg(dir));
    let results: BTreeMap<String, Value> = out
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .map(|r| (r["file"].as_str().unwrap().to_owned(), r))
        .collect();
    let mut wrong = Vec::new();
    for v in manifest(dir)["vectors"].as_array().unwrap().iter().filter(|v| v["kind"] == "token") {
        let file = v["file"].as_str().unwrap();
        let Some(r) = results.get(file) else {
            wrong.push(format!("{file}: no answer"));
            continue;
        };
        if r["signature_valid"] != v["signature_valid"] || r["status_bit"] != v["status_bit"] {
            wrong.push(format!("{file}: manifest {v}, jwcrypto {r}"));
        }
        // The confusion vector is a real forgery: a verifier letting the token pick HS256 with
        // the public key as its secret would accept it.
        let naive = file.ends_with("alg-hs256-public-key.jwt");
        if r["naive_hs256_accepts"] != naive {
            wrong.push(format!("{file}: naive HS256 check {}", r["naive_hs256_accepts"]));
        }
    }
    wrong
}

#[test]
fn jwcrypto_gets_the_manifest_verdict_of_every_token() {
    let Some(python) = python() else { return };
    assert_eq!(jwcrypto_disagreements(&python, &vectors()), Vec::<String>::new());
    for (victim, by) in [("tokens/alg-none.jwt", "tokens/valid.jwt"), ("tokens/revoked.jwt", "tokens/valid.jwt")] {
        let tmp = swapped(victim, by);
        assert!(!jwcrypto_disagreements(&python, tmp.path()).is_empty(), "{victim} swapped for {by} went unnoticed");
    }
}

/// What Digital Bazaar's stack says of each credential, as a manifest verdict.
fn digital_bazaar_verdicts(dir: &Path) -> Option<BTreeMap<String, String>> {
    let (node, modules) = harness::tools::node_with(
        "@digitalbazaar/vc",
        "verify the credential vectors with Digital Bazaar's @digitalbazaar/vc",
    )?;
    let files: Vec<String> = manifest(dir)["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == "credential")
        .map(|v| v["file"].as_str().unwrap().to_owned())
        .collect();
    let out = output(
        Command::new(node)
            .current_dir(dir)
            .env("ATTEST_NODE_MODULES", modules)
            .env("ATTEST_ISSUER_DIR", dir.join("issuer"))
            .arg(harness::tools::verifier("verify_credential.mjs"))
            .arg("https://attest.example")
            .args(&files),
    );
    Some(
        out.lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .map(|r| {
                let verdict = match (r["verified"].as_bool(), r["status"]["revoked"].as_bool()) {
                    (Some(true), Some(false)) => "valid",
                    (Some(true), Some(true)) => "revoked",
                    _ => "invalid",
                };
                (r["file"].as_str().unwrap().to_owned(), verdict.to_owned())
            })
            .collect(),
    )
}

#[test]
fn digital_bazaar_gets_the_manifest_verdict_of_every_credential() {
    let expected: BTreeMap<String, String> = manifest(&vectors())["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == "credential")
        .map(|v| (v["file"].as_str().unwrap().to_owned(), v["verdict"].as_str().unwrap().to_owned()))
        .collect();
    let Some(got) = digital_bazaar_verdicts(&vectors()) else { return };
    assert_eq!(got, expected);
    let tmp = swapped("credentials/subject-changed.json", "credentials/valid.json");
    assert_ne!(digital_bazaar_verdicts(tmp.path()).unwrap(), expected, "a swapped must-fail vector went unnoticed");
}

/// What pyld with `cryptography` says of each credential's and status list's proof, by file.
fn pyld_proofs(python: &Path, dir: &Path) -> Option<BTreeMap<String, bool>> {
    let contexts = harness::tools::jsonld_contexts(dir)?;
    let files: Vec<String> = manifest(dir)["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == "credential" || v["kind"] == "status-list")
        .map(|v| v["file"].as_str().unwrap().to_owned())
        .collect();
    let text = output(
        Command::new(python)
            .current_dir(dir)
            .arg(harness::tools::verifier("verify_credential.py"))
            .arg(&contexts)
            .arg("issuer/.well-known/did.json")
            .args(&files),
    );
    std::fs::remove_file(&contexts).unwrap();
    Some(text.lines().filter_map(|l| l.split_once(": ")).map(|(f, v)| (f.to_owned(), v == "valid")).collect())
}

#[test]
fn pyld_checks_the_same_proofs() {
    let Some(python) = python() else { return };
    let expected: BTreeMap<String, bool> = manifest(&vectors())["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == "credential" || v["kind"] == "status-list")
        .map(|v| (v["file"].as_str().unwrap().to_owned(), v["signature_valid"].as_bool().unwrap()))
        .collect();
    let tmp = copy_of_vectors();
    let Some(got) = pyld_proofs(&python, tmp.path()) else { return };
    assert_eq!(got, expected);
    let tmp = swapped("issuer/status/1", "issuer/status/0");
    assert_ne!(pyld_proofs(&python, tmp.path()).unwrap(), expected, "a swapped must-fail vector went unnoticed");
}

/// What pyHanko and poppler's `pdfsig` say of each PDF vector, as a manifest verdict, with the
/// folder's `issuer/pdf-root.pem` as the only trust anchor; `None` without the tools.
fn pdf_verdicts(dir: &Path) -> Option<BTreeMap<String, (String, String)>> {
    let pyhanko = harness::tool("pyhanko", "validate the PDF vectors' signatures")?;
    let pdfsig = harness::tool("pdfsig", "validate the PDF vectors' signatures with poppler")?;
    let certutil = harness::tool("certutil", "make the NSS database pdfsig trusts")?;
    let root = dir.join("issuer/pdf-root.pem");
    let nss = tempfile::tempdir().unwrap();
    let spec = format!("sql:{}", nss.path().display());
    assert!(Command::new(&certutil).args(["-N", "--empty-password", "-d", &spec]).status().unwrap().success());
    let trusted = Command::new(&certutil)
        .args(["-A", "-t", ",C,", "-n", "vectors-root", "-i"])
        .arg(&root)
        .args(["-d", &spec])
        .status()
        .unwrap();
    assert!(trusted.success());
    let mut out = BTreeMap::new();
    for v in manifest(dir)["vectors"].as_array().unwrap().iter().filter(|v| v["kind"] == "pdf") {
        let file = v["file"].as_str().unwrap().to_owned();
        let p = Command::new(&pyhanko)
            .args(["sign", "validate", "--trust"])
            .arg(&root)
            .arg("--trust-replace")
            .arg(dir.join(&file))
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&p.stdout), String::from_utf8_lossy(&p.stderr));
        println!("pyHanko, {file}: {}", text.trim());
        let by_pyhanko =
            if p.status.success() && text.contains("INTACT:TRUSTED,UNTOUCHED") { "valid" } else { "invalid" };
        // pdfsig exits 0 whatever it finds: its text is the verdict.
        let s = Command::new(&pdfsig).args(["-nssdir", &spec]).arg(dir.join(&file)).output().unwrap();
        let text = String::from_utf8_lossy(&s.stdout).into_owned();
        println!("pdfsig, {file}:\n{}", text.trim());
        let by_pdfsig = if text.contains("Signature is Valid.")
            && text.contains("Certificate is Trusted.")
            && text.contains("Total document signed")
        {
            "valid"
        } else {
            "invalid"
        };
        out.insert(file, (by_pyhanko.to_owned(), by_pdfsig.to_owned()));
    }
    Some(out)
}

#[test]
fn pyhanko_and_pdfsig_get_the_manifest_verdict_of_every_pdf() {
    let expected: BTreeMap<String, (String, String)> = manifest(&vectors())["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["kind"] == "pdf")
        .map(|v| {
            let verdict = v["verdict"].as_str().unwrap().to_owned();
            (v["file"].as_str().unwrap().to_owned(), (verdict.clone(), verdict))
        })
        .collect();
    assert_eq!(expected.len(), 2, "a valid PDF and one changed by a byte");
    let tmp = copy_of_vectors();
    let Some(got) = pdf_verdicts(tmp.path()) else { return };
    assert_eq!(got, expected);
    let tmp = swapped("pdfs/one-byte-changed.pdf", "pdfs/valid.pdf");
    assert_ne!(pdf_verdicts(tmp.path()).unwrap(), expected, "a swapped must-fail vector went unnoticed");
}
