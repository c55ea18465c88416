//! attest as separate processes: `attest serve` started from the built binary on a database
//! file, for the tests of several instances on one database, and plain HTTP to it.
//!
//! Deliberately plain `std::net`: the requests must leave at the same moment from threads of
//! their own, without a client crate or a runtime between the test and the socket.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Variables of the caller's environment that would change what the server does.
pub const UNSET: [&str; 6] =
    ["ATTEST_PUBLIC_URL", "ATTEST_ASSETS", "ATTEST_FONTS", "ATTEST_ADDR", "ATTEST_DB", "ATTEST_KEYS"];

/// The `attest` binary on the database `db` (a file or a PostgreSQL URL) and its keys, the
/// caller's [`UNSET`] variables removed: how a test runs a command as staff would.
pub fn attest(db: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_attest"));
    for v in UNSET {
        cmd.env_remove(v);
    }
    cmd.env("ATTEST_DB", db).env("ATTEST_KEYS", super::app::keys_for(db));
    cmd
}

/// `attest serve` as a separate process, killed when dropped.
pub struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// What it printed up to "stop with Ctrl-C" (its links, the demo's certificates).
    pub printed: String,
}

impl Serve {
    /// `attest serve` on a free port of 127.0.0.1, on the database `db`.
    pub fn start(db: &Path) -> Serve {
        let bin = Path::new(env!("CARGO_BIN_EXE_attest"));
        let keys = super::app::keys_for(db);
        let cwd = keys.parent().unwrap();
        Serve::run(bin, cwd, &["serve", "--addr", "127.0.0.1:0"], &[("ATTEST_DB", db), ("ATTEST_KEYS", &keys)])
    }

    /// The binary `bin` run from `cwd` with `args` (a `serve` command) and `env`, the caller's
    /// [`UNSET`] variables removed; waits until it listens (it prints "stop with Ctrl-C").
    pub fn run(bin: &Path, cwd: &Path, args: &[&str], env: &[(&str, &Path)]) -> Serve {
        let mut cmd = Command::new(bin);
        for v in UNSET {
            cmd.env_remove(v);
        }
        let mut child = cmd
            .args(args)
            .envs(env.iter().copied())
            .env("RUST_LOG", "error")
            .current_dir(cwd)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut printed = String::new();
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                printed.push_str(&line);
                printed.push('\n');
                if line.starts_with("stop with Ctrl-C") {
                    break;
                }
            }
            tx.send(printed).ok();
        });
        let printed = rx.recv_timeout(Duration::from_secs(120)).unwrap_or_default();
        let Some(addr) = printed
            .split_once("listening on http://")
            .and_then(|(_, rest)| rest.split_once('/'))
            .map(|(a, _)| a.to_owned())
            .filter(|_| printed.contains("stop with Ctrl-C"))
        else {
            child.kill().ok();
            let mut err = String::new();
            child.stderr.take().unwrap().read_to_string(&mut err).ok();
            panic!("attest serve did not start:\n{printed}\n{err}");
        };
        Serve { child, addr, printed }
    }

    /// Any request over real HTTP: `headers` as given (a cookie, a bearer token, a content
    /// type) and `body`; what came back.
    pub fn http(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", self.addr);
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        s.write_all(head.as_bytes()).unwrap();
        s.write_all(body.as_bytes()).unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).unwrap();
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let mut lines = head.lines();
        let status = lines.next().and_then(|l| l.split_whitespace().nth(1)).and_then(|c| c.parse().ok()).unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        Answer { status, headers, body: body.to_owned() }
    }

    /// Sends the form on `page` (an answer that set the pre-session cookie and holds a CSRF
    /// token) to `path`: the token, then `fields`, URL-encoded here; what came back.
    pub fn submit(&self, page: &Answer, path: &str, fields: &[(&str, &str)]) -> Answer {
        let pre = page.cookie("attest_form").expect("a pre-session cookie");
        let mut body = format!("csrf={}", super::csrf_in(&page.body));
        for (name, value) in fields {
            body.push_str(&format!("&{name}={}", super::enc(value)));
        }
        self.http("POST", path, &[("Cookie", &pre), ("Content-Type", "application/x-www-form-urlencoded")], &body)
    }

    /// A JSON request with a bearer token; the status and the body.
    pub fn json(&self, method: &str, path: &str, token: &str, body: &str) -> (u16, String) {
        let auth = format!("Bearer {token}");
        let a = self.http(
            method,
            path,
            &[("Authorization", &auth), ("Content-Type", "application/json"), ("Accept", "application/json")],
            body,
        );
        (a.status, a.body)
    }

    /// A request with a bearer token over real HTTP; the status and the body.
    pub fn request(&self, method: &str, path: &str, token: &str) -> (u16, String) {
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(300))).unwrap();
        write!(
            s,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).unwrap();
        let answer = String::from_utf8_lossy(&answer).into_owned();
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((&answer, ""));
        let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, body.to_owned())
    }
}

/// An HTTP answer: status, headers (names in lower case) and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    /// `name=value` of the cookie `name` the answer sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n == "set-cookie")
            .filter_map(|(_, v)| v.split(';').next())
            .find(|pair| pair.split_once('=').is_some_and(|(n, _)| n == name))
            .map(str::to_owned)
    }
}

impl Serve {
    /// Stops the server; what it wrote to stderr (its logs, at `error` unless the test's
    /// environment says otherwise).
    pub fn stop(mut self) -> String {
        self.child.kill().ok();
        self.child.wait().ok();
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            e.read_to_string(&mut err).ok();
        }
        err
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}
