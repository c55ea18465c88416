//! `attest staff add|role|list|reset|disable|enable|token|revoke-token`: staff accounts, their
//! roles and API tokens.
//!
//! Passwords are never given on the command line (they would sit in shell history and `ps`):
//! `add` and `reset` print a one-time link where the person chooses theirs.

use std::process::ExitCode;

use clap::Subcommand;

use crate::staff::{self, Role};
use crate::store::Conn;

fn role(s: &str) -> Result<Role, String> {
    s.parse().map_err(|e: staff::StaffError| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum StaffCmd {
    /// Add a staff account; prints a one-time link (valid 24 h) to choose the password.
    Add {
        email: String,
        /// What the account may do: admin (staff, keys, organisation, designs), issuer (events,
        /// imports, issuing, revoking, sending) or viewer (reads only).
        #[arg(long, default_value = "issuer", value_parser = role)]
        role: Role,
    },
    /// Change an account's role (admin, issuer or viewer); it applies to its next request.
    Role {
        email: String,
        #[arg(value_parser = role)]
        role: Role,
    },
    /// List staff accounts and their API tokens.
    List,
    /// Print a new one-time link to choose a password (forgotten password).
    ///
    /// It locks nobody out: the old password and sessions work until the link is used, and the
    /// API tokens after it. For someone who leaves, use `attest staff disable`.
    Reset { email: String },
    /// Lock an account out at once (someone who leaves): ends its sessions, revokes all its API
    /// tokens, forgets its password and refuses every sign-in, by password or OpenID Connect.
    ///
    /// The account stays, so that the audit log keeps naming it; `attest staff enable` lets the
    /// person back in.
    Disable { email: String },
    /// Let a disabled account sign in again: through the OpenID provider, or with a password
    /// chosen from a new link (`attest staff reset`). Its API tokens stay revoked.
    Enable { email: String },
    /// Create an API bearer token for an account, with the account's role; it is shown once.
    Token {
        email: String,
        /// What the token is for, e.g. "nightly export".
        #[arg(long, default_value = "api")]
        label: String,
        /// A lower role than the account's, for a script that needs less (never a higher one).
        #[arg(long, value_parser = role)]
        role: Option<Role>,
    },
    /// Revoke an account's API tokens with this label.
    RevokeToken {
        email: String,
        #[arg(long)]
        label: String,
    },
}

/// The setup link under the public URL, warned of when it is the default (run without the
/// service's environment file, it names an address nobody else can open).
fn setup_url(ctx: &super::CliContext, link: &staff::AccessToken) -> String {
    ctx.warn_default_public_url(
        "this link names",
        "staff use",
        "; run staff commands with the service's environment file (README, Install on a server)",
    );
    format!("{}/staff/setup/{}", ctx.settings().public_url.trim_end_matches('/'), link.expose())
}

pub fn run(conn: &mut Conn, ctx: &super::CliContext, cmd: StaffCmd) -> anyhow::Result<ExitCode> {
    let now = ctx.now;
    match cmd {
        StaffCmd::Add { email, role } => {
            let (m, link) = staff::add(conn, &email, role, "cli", now)?;
            println!("added {} ({}); they choose a password here (once, within 24 hours):", m.email, m.role);
            println!("  {}", setup_url(ctx, &link));
        }
        StaffCmd::Role { email, role } => {
            let m = staff::set_role(conn, &email, role, "cli", now)?;
            println!("{} is now {}", m.email, m.role);
        }
        StaffCmd::Reset { email } => {
            let link = staff::reset_link(conn, &email, "cli", now)?;
            println!("one-time link to choose a new password (within 24 hours):");
            println!("  {}", setup_url(ctx, &link));
        }
        StaffCmd::Disable { email } => {
            let (m, done) = staff::disable(conn, &email, "cli", now)?;
            let was = if done.already { " (it was already disabled)" } else { "" };
            println!("disabled {}{was}: it can no longer sign in (password or OpenID Connect);", m.email);
            println!(
                "  ended {} session(s), revoked {} API token(s), expired {} setup link(s), forgot its password",
                done.sessions, done.tokens, done.setup_links
            );
        }
        StaffCmd::Enable { email } => {
            let (m, was) = staff::enable(conn, &email, "cli", now)?;
            if !was {
                println!("{} was not disabled: nothing changed", m.email);
            } else {
                println!("enabled {} ({}); its API tokens stay revoked and its old password is gone:", m.email, m.role);
                println!("  they sign in through the OpenID provider, or choose a password at a link from");
                println!("  attest staff reset {}", m.email);
            }
        }
        StaffCmd::List => {
            let mut rows = Vec::new();
            for a in crate::store::staff::list(conn)? {
                let tokens = crate::store::staff::tokens_of(conn, a.id)?
                    .into_iter()
                    .filter(|t| t.revoked_at.is_none())
                    .map(|t| t.label)
                    .collect::<Vec<_>>()
                    .join(", ");
                // Says what is true of the account: attest sends no link itself (it prints it), and
                // an account the OpenID provider created never had one.
                let state = if a.disabled {
                    "disabled".to_owned()
                } else if a.password_hash.is_some() {
                    "active".to_owned()
                } else if crate::store::staff::subject_of(conn, a.id)?.is_some() {
                    "signs in with the organisation's account".to_owned()
                } else if crate::store::staff::has_pending_setup_link(conn, a.id, now)? {
                    "no password yet (setup link pending)".to_owned()
                } else {
                    format!("no password yet (no valid setup link: attest staff reset {})", a.email)
                };
                rows.push(vec![a.email, a.role.to_string(), state, crate::store::ts(a.created_at), tokens]);
            }
            print!("{}", super::table(&["email", "role", "state", "created", "api tokens"], &rows));
        }
        StaffCmd::Token { email, label, role } => {
            let token = staff::create_token(conn, &email, &label, role, "cli", now)?;
            eprintln!("API token \"{label}\" for {email}; it is shown once, keep it in a secret store:");
            println!("{}", token.expose());
        }
        StaffCmd::RevokeToken { email, label } => {
            let acct = crate::store::staff::by_email(conn, &email.trim().to_lowercase())?
                .ok_or_else(|| staff::StaffError::NoSuchAccount(email.clone()))?;
            let n = crate::store::staff::revoke_tokens(conn, acct.id, &label, now)?;
            crate::store::audit(conn, now, "cli", "staff.revoke_token", &acct.email, &label)?;
            println!("revoked {n} token(s) labelled \"{label}\" of {}", acct.email);
        }
    }
    Ok(ExitCode::SUCCESS)
}
