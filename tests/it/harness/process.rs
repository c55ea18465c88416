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
pub const UNSET: [&str; 5] = ["ATTEST_PUBLIC_URL", "ATTEST_ASSETS", "ATTEST_FONTS", "ATTEST_ADDR", "ATTEST_DB"];

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
        Serve::run(bin, db.parent().unwrap(), &["serve", "--addr", "127.0.0.1:0"], &[("ATTEST_DB", db)])
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

impl Drop for Serve {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}
