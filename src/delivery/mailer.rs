//! Where attendees' mail goes: an SMTP server, or `.eml` files in an outbox folder.
//!
//! Shared by the self-service request (`web::request`), bulk delivery and `attest send`. It
//! does not retry, queue or pace anything: the callers do (see [`super`]).

use std::path::PathBuf;

use lettre::Transport as _;

/// Where attendees' mail goes.
pub enum Mailer {
    /// Through an SMTP server: `smtp://host:25` (plain, a local relay), `smtp://user:pass@host:587?tls=required`
    /// (STARTTLS) or `smtps://user:pass@host:465` (TLS), as lettre reads them.
    Smtp(lettre::SmtpTransport),
    /// Written as `.eml` files into a folder, when no relay is configured.
    Outbox(PathBuf),
}

/// The SMTP URL without its credentials, for the console and logs.
pub fn redacted(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((_, host)) => format!("{scheme}://…@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// A mail that did not go out.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// What kind of failure, with the SMTP code: safe to log (never the server's words, which
    /// quote the recipient's address).
    pub kind: String,
    /// The kind and the server's own words, for the delivery record staff read.
    pub detail: String,
}

impl Mailer {
    pub fn from_config(smtp_url: Option<&str>, outbox: PathBuf) -> anyhow::Result<Mailer> {
        match smtp_url {
            Some(url) => {
                // The error names the URL's form, never the URL: it may hold a password.
                let t = lettre::SmtpTransport::from_url(url).map_err(|_| {
                    anyhow::anyhow!(
                        "--smtp-url: use smtp://host:port, smtp://user:password@host:587?tls=required or smtps://user:password@host:465"
                    )
                })?;
                Ok(Mailer::Smtp(t.build()))
            }
            None => Ok(Mailer::Outbox(outbox)),
        }
    }

    /// The error says what kind of failure it was, never the server's words: an SMTP server's
    /// refusal quotes the recipient's address, and this error is logged.
    pub fn send(&self, msg: &lettre::Message) -> Result<(), String> {
        self.deliver(msg).map(|_| ()).map_err(|r| r.kind)
    }

    /// Sends `msg`; the server's answer (`250 2.0.0 Ok: queued as …`) or, for the outbox, the
    /// file written.
    pub fn deliver(&self, msg: &lettre::Message) -> Result<String, Refusal> {
        match self {
            Mailer::Smtp(t) => match t.send(msg) {
                Ok(r) => Ok(format!("{} {}", r.code(), r.message().collect::<Vec<_>>().join(" ")).trim().to_owned()),
                Err(e) => {
                    let what = if e.is_permanent() {
                        "refused permanently"
                    } else if e.is_transient() {
                        "refused for now"
                    } else if e.is_timeout() {
                        "timed out"
                    } else if e.is_tls() {
                        "TLS failed"
                    } else {
                        "failed (connection or protocol)"
                    };
                    let kind = match e.status() {
                        Some(code) => format!("SMTP {what}, code {code}"),
                        None => format!("SMTP {what}"),
                    };
                    Err(Refusal { detail: format!("{kind}: {e}"), kind })
                }
            },
            Mailer::Outbox(dir) => {
                let fail = |e: String| Refusal { kind: "outbox folder not writable".into(), detail: e };
                std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
                let id = lettre::FileTransport::new(dir).send(msg).map_err(|e| fail(e.to_string()))?;
                Ok(format!("written to the outbox as {id}.eml"))
            }
        }
    }
}

/// How bulk delivery sends one mail: a [`Mailer`], or in tests a transport that fails on cue.
pub trait Transport: Sync {
    fn deliver(&self, msg: &lettre::Message) -> Result<String, Refusal>;
}

impl Transport for Mailer {
    fn deliver(&self, msg: &lettre::Message) -> Result<String, Refusal> {
        Mailer::deliver(self, msg)
    }
}
