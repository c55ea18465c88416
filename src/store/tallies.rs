//! Whole-database tallies for the metrics page: certificates issued, reissued and revoked, mails
//! sent, deliveries by state, imports by format.
//!
//! Deliberately not here: tallies kept in memory between scrapes (the web layer's metrics) and
//! anything per event or per person; these are counts only.

use super::{Conn, Result};

/// Counts read from the database at one scrape.
#[derive(Debug, Clone, Default)]
pub struct Tallies {
    pub issued: u64,
    /// Each reissue supersedes one certificate, which stays superseded.
    pub reissued: u64,
    pub revoked: u64,
    pub mails_sent: u64,
    /// Delivery records by state.
    pub deliveries: Vec<(String, i64)>,
    /// Uploads by detected format.
    pub imports: Vec<(String, u64)>,
}

/// Reads every tally.
pub fn read(conn: &Conn) -> Result<Tallies> {
    let count = |sql: &str| conn.query_row(sql, (), |r| r.get::<i64>(0)).map(|n| n.max(0) as u64);
    let pairs = |sql: &str| -> Result<Vec<(String, i64)>> { conn.all(sql, (), |r| Ok((r.get(0)?, r.get(1)?))) };
    Ok(Tallies {
        issued: count("SELECT count(*) FROM certificates")?,
        reissued: count("SELECT count(*) FROM certificates WHERE superseded_by IS NOT NULL")?,
        revoked: count("SELECT count(*) FROM certificates WHERE status = 'revoked'")?,
        mails_sent: count("SELECT CAST(coalesce(sum(sends), 0) AS BIGINT) FROM deliveries")?,
        deliveries: pairs("SELECT state, count(*) FROM deliveries GROUP BY state ORDER BY state")?,
        imports: pairs("SELECT format, count(*) FROM uploads GROUP BY format ORDER BY format")?
            .into_iter()
            .map(|(f, n)| (f, n.max(0) as u64))
            .collect(),
    })
}
