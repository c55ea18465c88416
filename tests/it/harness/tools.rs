//! Programs the tests need beyond Rust (pyHanko, poppler, qpdf, node and npm packages,
//! chromium), found once here for the whole suite.
//!
//! `None` means the test should return after the printed reason: `cargo test` passes on a
//! machine with only the Rust toolchain. With `ATTEST_REQUIRE_TOOLS=1` (and, for the browser,
//! `ATTEST_REQUIRE_BROWSER=1`), both set by `.ci/run`, which installs everything, a missing
//! program fails the test instead, so CI can never skip silently.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Says that `what` is missing and what for; panics if `require` names a variable that is set.
fn missing<T>(require: &str, what: &str, why: &str) -> Option<T> {
    assert!(std::env::var_os(require).is_none(), "{require} is set but {what} ({why})");
    eprintln!("skipped: {what}; it is needed to {why} (.ci/run installs it)");
    None
}

/// `program` on `PATH`, if there.
fn on_path(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .and_then(|path| std::env::split_paths(&path).map(|d| d.join(program)).find(|p| p.is_file()))
}

/// A program on `PATH` (`pdfsig`, `qpdf`, `node`, ...), or `None` after saying why.
pub fn tool(program: &str, why: &str) -> Option<PathBuf> {
    on_path(program).or_else(|| missing("ATTEST_REQUIRE_TOOLS", &format!("`{program}` is not on PATH"), why))
}

/// The Python the tools are installed in (`ATTEST_PYTHON`, else `python3` on `PATH`) if it can
/// import `modules` (as written after `import`: `"pyld, cryptography"`), or `None` after saying
/// why.
pub fn python_with(modules: &str, why: &str) -> Option<PathBuf> {
    let python = match std::env::var_os("ATTEST_PYTHON") {
        Some(p) => PathBuf::from(p),
        None => tool("python3", why)?,
    };
    let ok =
        Command::new(&python).args(["-c", &format!("import {modules}")]).output().is_ok_and(|o| o.status.success());
    if !ok {
        return missing("ATTEST_REQUIRE_TOOLS", &format!("{} cannot import {modules}", python.display()), why);
    }
    Some(python)
}

/// The `node_modules` folder named by `ATTEST_NODE_MODULES` if it holds `package` (a folder
/// or a file inside it), or `None` after saying why.
pub fn node_modules(package: &str, why: &str) -> Option<PathBuf> {
    let modules = std::env::var_os("ATTEST_NODE_MODULES").map(PathBuf::from);
    match modules.filter(|m| m.join(package).exists()) {
        Some(m) => Some(m),
        None => missing("ATTEST_REQUIRE_TOOLS", &format!("ATTEST_NODE_MODULES holds no {package}"), why),
    }
}

/// `node` and the `node_modules` holding `package`, or `None` after saying why.
pub fn node_with(package: &str, why: &str) -> Option<(PathBuf, PathBuf)> {
    let node = tool("node", why)?;
    Some((node, node_modules(package, why)?))
}

/// Chromium and chromedriver, or `None` after saying why (a failure under
/// `ATTEST_REQUIRE_BROWSER`).
pub fn browser() -> Option<(PathBuf, PathBuf)> {
    let chromium = on_path("chromium").or_else(|| on_path("chromium-browser"));
    match (chromium, on_path("chromedriver")) {
        (Some(c), Some(d)) => Some((c, d)),
        _ => missing(
            "ATTEST_REQUIRE_BROWSER",
            "chromium or chromedriver is not on PATH",
            "drive a real browser (apt-get install chromium chromium-driver)",
        ),
    }
}

/// Runs `program` in `dir` with `env` and the arguments it is given, failing the test with the
/// program's error output if it fails: for scripts of tool commands (openssl, certutil).
pub fn runner<'a>(program: &'a Path, dir: &'a Path, env: &'a [(&str, &str)]) -> impl Fn(&[&str]) + 'a {
    move |args| {
        let out = Command::new(program).current_dir(dir).envs(env.iter().copied()).args(args).output().unwrap();
        assert!(out.status.success(), "{} {args:?}: {}", program.display(), String::from_utf8_lossy(&out.stderr));
    }
}

/// The files a Python `script` writes, read back: it runs with one path for each of `names` (in
/// a temporary folder) as its arguments, and needs `modules`; `None` after saying why. For
/// spreadsheets written by an independent writer (openpyxl, xlwt, odfpy) that a test imports.
pub fn python_writes(modules: &str, why: &str, script: &str, names: &[&str]) -> Option<Vec<Vec<u8>>> {
    let python = python_with(modules, why)?;
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = names.iter().map(|n| dir.path().join(n)).collect();
    let out = Command::new(python).arg("-c").arg(script).args(&paths).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Some(paths.iter().map(|p| std::fs::read(p).unwrap()).collect())
}

/// The JSON-LD contexts of the credentials as one file in `dir` (printed by
/// `tests/verifiers/contexts.mjs` from the npm packages), for the Node and Python verifiers; or
/// `None` after saying why.
pub fn jsonld_contexts(dir: &Path) -> Option<PathBuf> {
    let (node, modules) =
        node_with("@digitalbazaar/vc", "print the JSON-LD contexts of the credentials from the npm packages")?;
    let out = Command::new(node).env("ATTEST_NODE_MODULES", modules).arg(verifier("contexts.mjs")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let path = dir.join("contexts.json");
    std::fs::write(&path, out.stdout).unwrap();
    Some(path)
}

/// A script of the independent verifiers in `tests/verifiers/`.
pub fn verifier(script: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verifiers").join(script)
}
