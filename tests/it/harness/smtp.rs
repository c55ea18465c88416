//! A real SMTP server: keeps every message, refuses the recipients it is told to (naming them,
//! as real servers do), and can hold its answer to the n-th message forever (a sender killed
//! while waiting for it is the worst case: the server has the message, the sender never knew).

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
pub struct SmtpState {
    /// (recipient, raw message) of every message whose data the server received.
    pub messages: Vec<(String, String)>,
    /// Recipients refused, naming them.
    pub refuse: HashSet<String>,
    /// Every recipient refused, naming it.
    pub refuse_all: bool,
    /// The message (1, 2, ...) whose data the server keeps but never answers.
    pub hold_answer_to: Option<usize>,
}

#[derive(Clone)]
pub struct Smtp {
    pub addr: SocketAddr,
    pub state: Arc<Mutex<SmtpState>>,
}

impl Smtp {
    /// Starts the server on a free port of 127.0.0.1, on threads of its own.
    pub fn start() -> Smtp {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(Mutex::new(SmtpState::default()));
        let st = Arc::clone(&state);
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let st = Arc::clone(&st);
                std::thread::spawn(move || session(conn, &st));
            }
        });
        Smtp { addr, state }
    }

    /// `smtp://` and its address.
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// (recipient, raw message) of every message received so far.
    pub fn messages(&self) -> Vec<(String, String)> {
        self.state.lock().unwrap().messages.clone()
    }

    /// How many messages it has received.
    pub fn count(&self) -> usize {
        self.state.lock().unwrap().messages.len()
    }
}

fn session(mut conn: std::net::TcpStream, st: &Mutex<SmtpState>) {
    let mut reader = BufReader::new(conn.try_clone().unwrap());
    let _ = conn.write_all(b"220 mail.test ESMTP\r\n");
    let (mut rcpt, mut data, mut in_data) = (String::new(), String::new(), false);
    let mut line = String::new();
    while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
        let l = line.trim_end_matches(['\r', '\n']).to_owned();
        line.clear();
        if in_data {
            if l == "." {
                in_data = false;
                let n = {
                    let mut s = st.lock().unwrap();
                    s.messages.push((rcpt.clone(), std::mem::take(&mut data)));
                    if s.hold_answer_to == Some(s.messages.len()) { None } else { Some(s.messages.len()) }
                };
                match n {
                    Some(n) => {
                        let _ = conn.write_all(format!("250 2.0.0 Ok: queued as Q{n}\r\n").as_bytes());
                    }
                    // Never answers: the client waits until it is killed.
                    None => loop {
                        std::thread::sleep(Duration::from_secs(3600));
                    },
                }
            } else {
                data.push_str(l.strip_prefix('.').filter(|_| l.starts_with("..")).unwrap_or(&l));
                data.push('\n');
            }
            continue;
        }
        let upper = l.to_ascii_uppercase();
        let answer = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            "250-mail.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n".to_owned()
        } else if upper.starts_with("RCPT TO:") {
            let addr = l[8..].trim().trim_start_matches('<').split('>').next().unwrap_or("").to_owned();
            let refused = {
                let s = st.lock().unwrap();
                s.refuse_all || s.refuse.contains(&addr)
            };
            if refused {
                format!("550 5.1.1 <{addr}>: Recipient address rejected: User unknown\r\n")
            } else {
                rcpt = addr;
                "250 2.1.5 Ok\r\n".to_owned()
            }
        } else if upper.starts_with("DATA") {
            in_data = true;
            "354 End data with <CR><LF>.<CR><LF>\r\n".to_owned()
        } else if upper.starts_with("QUIT") {
            let _ = conn.write_all(b"221 2.0.0 Bye\r\n");
            break;
        } else {
            "250 2.0.0 Ok\r\n".to_owned()
        };
        if conn.write_all(answer.as_bytes()).is_err() {
            break;
        }
    }
}
