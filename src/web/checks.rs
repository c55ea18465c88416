//! What `GET /v/{token}` needs, kept in memory so that a stream of different certificates (a
//! verifier going through a stack of them, a crawler) is answered without the blocking pool:
//!
//! - signature checks, by the token's SHA-256: their answer never changes (keys are added,
//!   never taken back), so they are never invalidated, only evicted when the cache is full;
//! - certificates' [`Record`]s (status, digests, the event's title), by certificate ID: these do
//!   change, and are forgotten at once when the status changes through this server (revoke,
//!   reissue, issue: [`super::AppState::certificates_changed`]), and when another process (the
//!   CLI) writes to the database: a watcher thread reads SQLite's `PRAGMA data_version` every
//!   [`WATCH_EVERY`] and forgets them when it moves;
//! - finished answers ([`Verdicts`]), by token, language and representation, for a few seconds:
//!   a burst of scans of one QR code costs a map lookup. Forgotten with the records.
//!
//! A miss reads the record through the blocking pool, like any other database work. An answer
//! read before a change but stored after it would bring the old status back, so every store
//! carries the generation it was read under, and a forget starts a new one: stores of an older
//! generation are dropped.
//!
//! Each map is bounded ([`Bounded`]): memory stays under a few tens of MB whatever tokens
//! arrive. Only signatures that checked out and records of issued certificates are kept: forged
//! or garbage tokens are not kept at all.
//!
//! Rejected alternatives: loading every certificate's record at start-up (memory and start-up
//! time grow with every certificate ever issued, and the index must still be refreshed after
//! the CLI writes); checking `data_version` on each request (a SQLite call on the async
//! workers, which the service never makes); a TTL on records alone (either a revocation by
//! the CLI shows late, or the cache hardly helps).

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use crate::verification::{Record, Signed};

/// How often the watcher asks SQLite whether another process changed the database: the bound
/// on how long a revocation made with the CLI takes to show.
pub(crate) const WATCH_EVERY: Duration = Duration::from_millis(100);

/// How often the watcher tries a new connection while the database does not answer.
const RECONNECT_EVERY: Duration = Duration::from_secs(1);

/// A map of at most `2 × cap` entries that keeps what is used: new entries go to `now`; when it
/// is full it becomes `old` (the previous `old` is dropped), and a hit in `old` moves the entry
/// back to `now`. An approximate LRU in two hash maps, without a list to maintain per hit.
struct Bounded<K, V> {
    now: HashMap<K, V>,
    old: HashMap<K, V>,
    cap: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> Bounded<K, V> {
    fn new(cap: usize) -> Self {
        Bounded { now: HashMap::new(), old: HashMap::new(), cap }
    }

    fn get(&mut self, k: &K) -> Option<V> {
        if let Some(v) = self.now.get(k) {
            return Some(v.clone());
        }
        let v = self.old.remove(k)?;
        self.insert(k.clone(), v.clone());
        Some(v)
    }

    fn insert(&mut self, k: K, v: V) {
        if self.now.len() >= self.cap {
            self.old = std::mem::take(&mut self.now);
        }
        self.now.insert(k, v);
    }

    fn clear(&mut self) {
        self.now.clear();
        self.old.clear();
    }
}

/// A certificate's record as verification by URL uses it, with the current certificate's token
/// when it was superseded (the page links to it).
#[derive(Debug)]
pub(crate) struct Entry {
    pub record: Record,
    pub current_token: Option<String>,
}

/// A finished answer (JSON or page) for one token, language and representation.
pub(crate) type Verdict = axum::body::Bytes;

/// The three caches and the generation they are stored under.
pub(crate) struct Checks {
    signatures: Mutex<Bounded<[u8; 32], Arc<Signed>>>,
    /// Under one lock with the verdicts: forgetting both is one step.
    changing: Mutex<Changing>,
    generation: AtomicU64,
    /// Whether records may be kept: false when no watcher could be started on a database other
    /// processes may write, since a revocation by the CLI would then never show.
    keep_records: AtomicBool,
    verdict_ttl: Duration,
}

struct Changing {
    records: Bounded<String, Arc<Entry>>,
    verdicts: Bounded<String, (Instant, Verdict)>,
}

impl Checks {
    /// Entries per map (each map holds up to twice as many). A signature check is about 300
    /// bytes, a record about 250, an answer 0.5 KiB (JSON) to 3 KiB (page).
    const CAP: usize = 20_000;

    pub(crate) fn new(verdict_ttl: Duration) -> Self {
        Checks {
            signatures: Mutex::new(Bounded::new(Self::CAP)),
            changing: Mutex::new(Changing {
                records: Bounded::new(Self::CAP),
                // Pages are larger than the rest: half as many.
                verdicts: Bounded::new(Self::CAP / 2),
            }),
            generation: AtomicU64::new(0),
            keep_records: AtomicBool::new(true),
            verdict_ttl,
        }
    }

    /// The generation to pass to the stores that follow a read.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    pub(crate) fn signature(&self, token_sha256: &[u8; 32]) -> Option<Arc<Signed>> {
        self.signatures.lock().unwrap_or_else(|e| e.into_inner()).get(token_sha256)
    }

    pub(crate) fn put_signature(&self, token_sha256: [u8; 32], signed: Arc<Signed>) {
        self.signatures.lock().unwrap_or_else(|e| e.into_inner()).insert(token_sha256, signed);
    }

    pub(crate) fn record(&self, id: &str) -> Option<Arc<Entry>> {
        self.lock().records.get(&id.to_owned())
    }

    /// Keeps a record read under `generation`, unless something changed since.
    pub(crate) fn put_record(&self, generation: u64, id: String, entry: Arc<Entry>) {
        if !self.keep_records.load(Ordering::Relaxed) {
            return;
        }
        let mut c = self.lock();
        if self.generation() == generation {
            c.records.insert(id, entry);
        }
    }

    pub(crate) fn verdict(&self, key: &str) -> Option<Verdict> {
        let (at, v) = self.lock().verdicts.get(&key.to_owned())?;
        (at.elapsed() < self.verdict_ttl).then_some(v)
    }

    /// Keeps an answer computed from what was read under `generation`, unless something
    /// changed since.
    pub(crate) fn put_verdict(&self, generation: u64, key: String, v: Verdict) {
        if self.verdict_ttl.is_zero() {
            return;
        }
        let mut c = self.lock();
        if self.generation() == generation {
            c.verdicts.insert(key, (Instant::now(), v));
        }
    }

    /// From now on, every verification reads the record.
    pub(crate) fn keep_no_records(&self) {
        self.keep_records.store(false, Ordering::Relaxed);
        self.forget_statuses();
    }

    /// Forgets signature checks too (a key was withdrawn: what it signed is no longer genuine),
    /// and with them records and answers.
    pub(crate) fn forget_signatures(&self) {
        self.signatures.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.forget_statuses();
    }

    /// Forgets records and answers (a status changed); signature checks stay.
    pub(crate) fn forget_statuses(&self) {
        let mut c = self.lock();
        self.generation.fetch_add(1, Ordering::AcqRel);
        c.records.clear();
        c.verdicts.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Changing> {
        self.changing.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Starts the thread that forgets statuses when another process writes to the database at
/// `path`. It stops when `checks` is dropped (the service stopped). `Err` when it cannot open
/// its own connection; the caller then keeps no records.
///
/// When the database stops answering (a PostgreSQL restart closes the session for good), the
/// thread forgets statuses, says so once, and opens a new connection every [`RECONNECT_EVERY`]
/// until one answers, then says so. It logged the error ten times a second, for ever, before:
/// 860,000 lines a day that hid everything else. It also says, once, when the SQLite file at
/// the path is no longer `opened`, the one the service's connections opened.
pub(crate) fn watch(
    location: &crate::store::Location,
    opened: Option<crate::store::FileId>,
    checks: Weak<Checks>,
) -> Result<(), crate::store::StoreError> {
    let first = crate::store::connect(location)?;
    let mut seen = first.data_version()?;
    let mut conn = Some(first);
    let location = location.clone();
    std::thread::Builder::new()
        .name("attest-db-watch".into())
        .spawn(move || {
            let (mut failing, mut replaced) = (false, false);
            loop {
                std::thread::sleep(if failing { RECONNECT_EVERY } else { WATCH_EVERY });
                let Some(checks) = checks.upgrade() else { return };
                // Said once, where the operator looks, not only to whoever asks `/readyz`.
                if location.replaced_since(opened) != replaced {
                    replaced = !replaced;
                    if replaced {
                        tracing::error!(
                            "the database file was replaced or removed while this server runs (a restore?): it still reads and writes the file it opened, which nothing else will read; stop it, put the file in place, start it"
                        );
                    } else {
                        tracing::info!("the database file is the one this server opened again");
                    }
                }
                if conn.is_none() {
                    conn = crate::store::connect(&location).ok();
                }
                let read = conn.as_ref().map(|c| c.data_version());
                match read {
                    Some(Ok(v)) if failing || v != seen => {
                        if failing {
                            tracing::info!("the database answers again: watching its data version");
                        }
                        (failing, seen) = (false, v);
                        checks.forget_statuses();
                    }
                    Some(Ok(_)) => {}
                    // Cannot tell: forget, so nothing stale is served, and try a new connection.
                    Some(Err(e)) => {
                        if !failing {
                            tracing::warn!(error = %e, "reading the database's data version; reconnecting until it answers");
                        }
                        (failing, conn) = (true, None);
                        checks.forget_statuses();
                    }
                    None => {
                        failing = true;
                        checks.forget_statuses();
                    }
                }
            }
        })
        .map_err(|e| crate::store::StoreError::Invalid(format!("starting the database watcher: {e}")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_map_keeps_what_is_used_and_at_most_twice_its_capacity() {
        let mut m = Bounded::new(2);
        m.insert(1, 'a');
        m.insert(2, 'b');
        m.insert(3, 'c'); // {1, 2} become old
        assert_eq!(m.get(&1), Some('a')); // back to now: {3, 1}
        m.insert(4, 'd'); // {3, 1} become old, 2 is dropped
        assert_eq!((m.get(&2), m.get(&3), m.get(&4)), (None, Some('c'), Some('d')));
        assert!(m.now.len() + m.old.len() <= 4);
    }

    #[test]
    fn an_answer_read_before_a_change_is_not_kept_after_it() {
        let checks = Checks::new(Duration::from_secs(2));
        let before = checks.generation();
        checks.forget_statuses();
        checks.put_verdict(before, "k".into(), Verdict::from_static(b"valid"));
        assert_eq!(checks.verdict("k"), None);
        checks.put_verdict(checks.generation(), "k".into(), Verdict::from_static(b"revoked"));
        assert_eq!(checks.verdict("k"), Some(Verdict::from_static(b"revoked")));
    }
}
