//! Reissuing an event's certificates with the design the event has now, in one action (issue
//! 21): after a design is assigned or saved, the certificates already issued keep the design
//! version they were printed with until reissued; this reissues every one of them that is still
//! current and printed otherwise, each through the single reissue ([`reissue`](super::reissue::reissue)), so the
//! old ones stay in their history as superseded by the new ones.
//!
//! Deliberately not here: series certificates (they belong to the series and take its event's
//! design when the series is reissued) and revoked or superseded ones (not current).

use chrono::{DateTime, Utc};

use super::{IssueError, Issuer};
use crate::store::events::Event;
use crate::store::{self, Conn};

/// What a reissue with the event's design would do: which certificates, with which design.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The event's current certificates printed with another design (or version), in issue order.
    pub certificates: Vec<String>,
    /// The design (id, name, version) they would take; `None`: the built-in one.
    pub design: Option<(i64, String, i64)>,
}

/// The certificates [`reissue_all`] would reissue now.
pub fn plan(conn: &Conn, event: &Event) -> Result<Plan, IssueError> {
    let design = store::designs::current_for_event(conn, event.id)?.map(|d| (d.id, d.name, d.version));
    let target = design.as_ref().map(|(id, _, v)| (*id, *v));
    Ok(Plan { certificates: store::designs::printed_otherwise(conn, event.id, target)?, design })
}

/// Reissues every certificate of [`plan`] with the event's design, each superseding its old one
/// with the reason naming the design; `progress` gets the count done. Holds the event's issue
/// lock, so a bulk issue of the same event waits for it (and the other way round). Returns the
/// plan it carried out (read under the lock).
pub fn reissue_all(
    conn: &mut Conn,
    issuer: Issuer,
    event: &Event,
    now: DateTime<Utc>,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Plan, IssueError> {
    let _running = super::lock_issue(conn, event)?;
    let p = plan(conn, event)?;
    let why = match &p.design {
        Some((_, name, version)) => format!("reissued with design \"{name}\" version {version}"),
        None => "reissued with the built-in design".to_owned(),
    };
    let overridden = super::credentials::overridden_keys(&store::people::decisions(conn, event)?);
    let batch = super::reissue::Batch { why, overridden };
    for (i, id) in p.certificates.iter().enumerate() {
        super::reissue::reissue_because(conn, issuer, id, None, None, Some(&batch), now)?;
        progress(i + 1);
    }
    Ok(p)
}
