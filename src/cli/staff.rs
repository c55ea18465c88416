//! `attest staff add|role|list|reset|token|revoke-token`: staff accounts, their roles and API
//! tokens.
//!
//! Passwords are never given on the command line (they would sit in shell history and `ps`):
//! `add` and `reset` print a one-time link where the person chooses theirs.

use std::process::ExitCode;

use chrono::{DateTime, Utc};
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
    Reset { email: String },
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

fn setup_url(ctx: &super::CliContext, link: &staff::AccessToken) -> String {
    format!("{}/staff/setup/{}", ctx.settings().public_url.trim_end_matches('/'), link.expose())
}

pub fn run(conn: &Conn, ctx: &super::CliContext, cmd: StaffCmd, now: DateTime<Utc>) -> anyhow::Result<ExitCode> {
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
        StaffCmd::List => {
            let mut rows = Vec::new();
            for a in crate::store::staff::list(conn)? {
                let tokens = crate::store::staff::tokens_of(conn, a.id)?
                    .into_iter()
                    .filter(|t| t.revoked_at.is_none())
                    .map(|t| t.label)
                    .collect::<Vec<_>>()
                    .join(", ");
                let state = match (&a.password_hash, a.disabled) {
                    (_, true) => "disabled",
                    (None, _) => "setup link sent",
                    (Some(_), _) => "active",
                };
                rows.push(vec![a.email, a.role.to_string(), state.into(), crate::store::ts(a.created_at), tokens]);
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
