//! Certificates that outlived their reason: valid certificates whose holder the attendance no
//! longer finds eligible. An override to "not eligible", a split or a corrected import after the
//! issue changes the decision but not the certificate, which stays valid until staff revoke it;
//! attest never revokes on its own (a certificate is a statement already given, and the change
//! may be the mistake). So the review lists (CLI `people review`, the console's certificates
//! page, the API's `holder_eligible`) name them, each with the way to revoke it.

use std::collections::HashSet;

use crate::attendance::{Decision, PersonKey};
use crate::store::certificates::Certificate;
use crate::store::events::Event;
use crate::store::{self, Conn, StoreError};

/// The event's own valid certificates whose holder is not eligible now, in the order of
/// [`store::certificates::for_event`]. Series certificates belong to their series and are left out.
pub fn certificates(conn: &Conn, event: &Event) -> Result<Vec<Certificate>, StoreError> {
    among(conn, event, &store::people::decisions(conn, event)?)
}

/// [`certificates`] against `decisions` the caller has read already (the review list has).
pub fn among(conn: &Conn, event: &Event, decisions: &[Decision]) -> Result<Vec<Certificate>, StoreError> {
    let eligible = keys_of_the_eligible(decisions);
    Ok(store::certificates::for_event(conn, event.id)?
        .into_iter()
        .filter(|c| c.status == "valid" && !eligible.contains(&c.person_key))
        .collect())
}

/// Every key of every person the attendance finds eligible now (a linked person holds several).
pub fn eligible_keys(conn: &Conn, event: &Event) -> Result<HashSet<PersonKey>, StoreError> {
    Ok(keys_of_the_eligible(&store::people::decisions(conn, event)?))
}

fn keys_of_the_eligible(decisions: &[Decision]) -> HashSet<PersonKey> {
    super::keys_of(decisions, |d| d.eligible)
}
