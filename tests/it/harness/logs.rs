//! Reading everything attest logs, without one test's lines mixing with another's.
//!
//! Only a process-wide tracing subscriber sees the lines logged on the server's tasks and on
//! blocking threads, and these are the lines the log tests are about. But all tests share one
//! process: a process-wide subscriber would catch every other test's lines too (and can be
//! installed once only). So a test that reads the log runs again, alone, in a child process of
//! this same test binary ([`alone`]), and installs the subscriber there ([`capture`]).
//! Rejected: a thread-local subscriber (`tracing::subscriber::set_default`), which misses every
//! line logged on another thread.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

/// Names the test the child process runs; set only in that child.
const ALONE: &str = "ATTEST_TEST_ALONE";

/// Whether the calling test is running alone in its child process, where it may install the
/// process-wide subscriber. If not, runs `module::test` (`module_path!()` and the function's
/// name) in a child and fails if it fails there; the caller then returns:
///
/// ```ignore
/// if !harness::logs::alone(module_path!(), "the_test") { return; }
/// ```
pub fn alone(module: &str, test: &str) -> bool {
    let name = format!("{}::{test}", module.strip_prefix("it::").unwrap_or(module));
    if std::env::var(ALONE).is_ok_and(|n| n == name) {
        return true;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([name.as_str(), "--exact", "--nocapture", "--test-threads=1"])
        .env(ALONE, &name)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // "1 passed" too: a name that matched no test would pass with nothing run.
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{name}, run alone, failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    false
}

/// Everything logged in this process from the first call on, at `debug` and above, for attest
/// and every dependency. Only in a test running [`alone`].
pub fn capture() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOG: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    assert!(std::env::var_os(ALONE).is_some(), "the log is captured only in a test running alone");
    LOG.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink(Arc::clone(&buf));
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || sink.clone())
            .init();
        buf
    })
}

/// What [`capture`] has caught so far.
pub fn text() -> String {
    String::from_utf8_lossy(&capture().lock().unwrap()).into_owned()
}

#[derive(Clone)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
