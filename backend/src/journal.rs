//! The scaling journal: scaling events and condition transitions kept beyond the 1-hour life of
//! Kubernetes events, in an embedded SQLite file (see ARCHITECTURE.md for why SQLite).
//!
//! Idempotent: an entry's `uid` (the event's uid, or a key derived from a condition transition) is
//! unique; seeing the same event again only raises its count and last time. Retention: entries older
//! than the retention age are deleted, then the oldest go until the file is under its size budget.
//!
//! Replicas converge (see [`crate::peers`]): merging two copies of an entry is a join (earliest first
//! time, latest last time, highest count, the latest message with ties broken by the larger text), so
//! the order in which replicas see events and each other's rows does not matter. Every insert or change
//! takes the next `seq`, the cursor a peer reads changes by.

use rusqlite::{Connection, OptionalExtension, params};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Why the journal failed.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// SQLite said no.
    #[error("journal database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The directory of the file could not be created.
    #[error("journal directory {path}: {source}")]
    Dir {
        /// The directory.
        path: String,
        /// IO error.
        source: std::io::Error,
    },
    /// The blocking task died.
    #[error("journal task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

impl JournalError {
    /// The volume (or SQLite's size limit) is full: trimming the oldest entries makes room.
    pub fn is_full(&self) -> bool {
        matches!(
            self,
            JournalError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DiskFull
        )
    }
}

/// One journal entry: `model`'s definition (the same type the UI reads).
pub use model::journal::{EntryKind, JournalEntry as Entry};

fn kind_str(k: EntryKind) -> &'static str {
    match k {
        EntryKind::Event => "event",
        EntryKind::Condition => "condition",
    }
}

fn parse_kind(s: &str) -> EntryKind {
    if s == "condition" { EntryKind::Condition } else { EntryKind::Event }
}

/// Fills what the API serves around a stored row: `apiVersion`, `kind`, `metadata`.
fn served(mut e: Entry) -> Entry {
    e.api_version = model::api::API_VERSION.to_owned();
    e.kind = model::api::JOURNAL.kind.to_owned();
    e.metadata = model::ObjectMeta {
        name: e.uid.replace('/', "."),
        namespace: (!e.namespace.is_empty()).then(|| e.namespace.clone()),
        ..Default::default()
    };
    e
}

/// A time-range query.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Entries whose last time is at or after this (unix ms).
    pub since_ms: Option<i64>,
    /// Entries whose first time is at or before this (unix ms).
    pub until_ms: Option<i64>,
    /// Only this namespace.
    pub namespace: Option<String>,
    /// At most this many (newest first).
    pub limit: usize,
}

/// Rows and bytes after a retention pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Rows.
    pub entries: i64,
    /// Bytes in use.
    pub bytes: i64,
}

/// The journal store (cheap to clone; one SQLite connection behind a mutex, used from blocking tasks).
#[derive(Clone)]
pub struct Journal {
    conn: Arc<Mutex<Connection>>,
}

const SCHEMA: &str = "
PRAGMA auto_vacuum = INCREMENTAL;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS entries (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    first_ms     INTEGER NOT NULL,
    last_ms      INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    namespace    TEXT NOT NULL,
    object_group TEXT NOT NULL,
    object_kind  TEXT NOT NULL,
    object_name  TEXT NOT NULL,
    object_uid   TEXT NOT NULL,
    reason       TEXT NOT NULL,
    type         TEXT NOT NULL,
    message      TEXT NOT NULL,
    source       TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entries_last ON entries(last_ms);
CREATE INDEX IF NOT EXISTS entries_ns_last ON entries(namespace, last_ms);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
";

/// Adds `seq` to a journal written before replicas exchanged rows (existing rows take their id).
fn migrate(conn: &Connection) -> Result<(), JournalError> {
    let has_seq: bool =
        conn.query_row("SELECT count(*) FROM pragma_table_info('entries') WHERE name = 'seq'", [], |r| {
            r.get::<_, i64>(0).map(|n| n > 0)
        })?;
    if !has_seq {
        conn.execute_batch(
            "ALTER TABLE entries ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
             UPDATE entries SET seq = id;",
        )?;
    }
    conn.execute_batch("CREATE INDEX IF NOT EXISTS entries_seq ON entries(seq);")?;
    // Names this file, so a peer whose journal was replaced (a new volume) is read from the start.
    let id = format!(
        "{:x}-{:x}",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()),
        std::process::id()
    );
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('id', ?1)", params![id])?;
    Ok(())
}

/// A page of changed entries, in the order they changed (what a peer replicates).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Changes {
    /// Names the journal file: a different id means a different history, read from the start.
    pub journal: String,
    /// The entries changed after the cursor asked for, oldest change first.
    pub entries: Vec<Entry>,
    /// The cursor of the last entry in `entries` (the asked cursor when there are none).
    pub next: i64,
    /// Whether more changes follow `next`.
    pub more: bool,
}

impl Journal {
    /// Opens (or creates) the journal file.
    pub fn open(path: &Path) -> Result<Self, JournalError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|source| JournalError::Dir { path: dir.display().to_string(), source })?;
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        migrate(&conn)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
    }

    /// An in-memory journal (tests).
    #[cfg(test)]
    pub fn in_memory() -> Result<Self, JournalError> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        migrate(&conn)?;
        Ok(Self { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Caps the database at `pages` pages (tests: SQLite then answers "database or disk is full", the
    /// error a full volume gives).
    #[cfg(test)]
    pub fn limit_pages(&self, pages: i64) -> Result<(), JournalError> {
        self.with(|conn| Ok(conn.query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))?))
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, JournalError>) -> Result<T, JournalError> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }

    /// Runs `f` on a blocking thread (SQLite does file IO).
    pub async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Journal) -> Result<T, JournalError> + Send + 'static,
    ) -> Result<T, JournalError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || f(&this)).await?
    }

    /// Records entries; an entry already known by uid is merged (see the module doc) and takes a new
    /// `seq` only when the merge changed it. Returns how many were new.
    pub fn record(&self, entries: &[Entry]) -> Result<usize, JournalError> {
        self.with(|conn| {
            let tx = conn.transaction()?;
            let mut new = 0;
            {
                let mut seq: i64 = tx.query_row("SELECT coalesce(max(seq), 0) FROM entries", [], |r| r.get(0))?;
                let mut exists = tx.prepare_cached("SELECT 1 FROM entries WHERE uid = ?1")?;
                let mut upsert = tx.prepare_cached(
                    "INSERT INTO entries (uid, kind, first_ms, last_ms, count, namespace, object_group, object_kind,
                                          object_name, object_uid, reason, type, message, source, seq)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                     ON CONFLICT(uid) DO UPDATE SET
                        last_ms = max(last_ms, excluded.last_ms),
                        first_ms = min(first_ms, excluded.first_ms),
                        count = max(count, excluded.count),
                        message = CASE WHEN excluded.last_ms > last_ms THEN excluded.message
                                       WHEN excluded.last_ms = last_ms THEN max(message, excluded.message)
                                       ELSE message END,
                        seq = excluded.seq
                     WHERE excluded.last_ms > last_ms OR excluded.first_ms < first_ms OR excluded.count > count
                        OR (excluded.last_ms = last_ms AND excluded.message > message)",
                )?;
                for e in entries {
                    if exists.query_row(params![e.uid], |_| Ok(())).optional()?.is_none() {
                        new += 1;
                    }
                    seq += 1;
                    upsert.execute(params![
                        e.uid,
                        kind_str(e.entry_kind),
                        e.first_time.0,
                        e.last_time.0,
                        e.count,
                        e.namespace,
                        e.object_group,
                        e.object_kind,
                        e.object_name,
                        e.object_uid,
                        e.reason,
                        e.type_,
                        e.message,
                        e.source,
                        seq
                    ])?;
                }
            }
            tx.commit()?;
            Ok(new)
        })
    }

    /// Entries inserted or changed after cursor `after`, at most `limit`, oldest change first.
    pub fn changes(&self, after: i64, limit: usize) -> Result<Changes, JournalError> {
        self.with(|conn| {
            let journal: String = conn.query_row("SELECT value FROM meta WHERE key = 'id'", [], |r| r.get(0))?;
            let limit = i64::try_from(limit.max(1)).unwrap_or(i64::MAX);
            let mut stmt = conn.prepare_cached(
                "SELECT uid, kind, first_ms, last_ms, count, namespace, object_group, object_kind, object_name,
                        object_uid, reason, type, message, source, seq
                 FROM entries WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )?;
            let mut next = after;
            let entries = stmt
                .query_map(params![after, limit + 1], |r| Ok((row(r)?, r.get::<_, i64>(14)?)))?
                .collect::<Result<Vec<_>, _>>()?;
            let more = entries.len() as i64 > limit;
            let entries: Vec<Entry> = entries
                .into_iter()
                .take(usize::try_from(limit).unwrap_or(usize::MAX))
                .map(|(e, seq)| {
                    next = seq;
                    e
                })
                .collect();
            Ok(Changes { journal, entries, next, more })
        })
    }

    /// Entries in a time range, newest first.
    pub fn query(&self, q: &Query) -> Result<Vec<Entry>, JournalError> {
        self.with(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT uid, kind, first_ms, last_ms, count, namespace, object_group, object_kind, object_name,
                        object_uid, reason, type, message, source
                 FROM entries
                 WHERE last_ms >= ?1 AND first_ms <= ?2 AND (?3 IS NULL OR namespace = ?3)
                 ORDER BY last_ms DESC, id DESC LIMIT ?4",
            )?;
            let rows = stmt.query_map(
                params![
                    q.since_ms.unwrap_or(i64::MIN),
                    q.until_ms.unwrap_or(i64::MAX),
                    q.namespace,
                    i64::try_from(q.limit.max(1)).unwrap_or(i64::MAX)
                ],
                row,
            )?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
    }

    /// Deletes entries older than `max_age_ms` before `now_ms`, then, until the file uses at most
    /// `max_bytes`, the oldest entries of whichever namespace holds the most: a team that floods the
    /// journal (anyone who may create Events can) evicts its own history, not the other teams'.
    /// Returns what is left.
    pub fn enforce_retention(
        &self,
        now_ms: i64,
        max_age_ms: i64,
        max_bytes: i64,
    ) -> Result<Stats, JournalError> {
        self.with(|conn| {
            conn.execute("DELETE FROM entries WHERE last_ms < ?1", params![now_ms.saturating_sub(max_age_ms)])?;
            let mut s = stats(conn)?;
            // A tenth of the largest namespace's rows at a time, its oldest first, until under budget.
            while s.bytes > max_bytes && s.entries > 0 {
                let (namespace, rows): (String, i64) = conn.query_row(
                    "SELECT namespace, count(*) AS n FROM entries GROUP BY namespace ORDER BY n DESC, namespace LIMIT 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )?;
                conn.execute(
                    "DELETE FROM entries WHERE id IN (SELECT id FROM entries WHERE namespace = ?1 \
                     ORDER BY last_ms ASC, id ASC LIMIT ?2)",
                    params![namespace, (rows / 10).max(1)],
                )?;
                conn.execute_batch("PRAGMA incremental_vacuum;")?;
                let after = stats(conn)?;
                if after.bytes >= s.bytes && after.entries == s.entries {
                    break; // nothing more to free
                }
                s = after;
            }
            conn.execute_batch("PRAGMA incremental_vacuum;")?;
            stats(conn)
        })
    }
}

/// A stored row (columns in the order the queries select them) as served.
fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Entry> {
    Ok(served(Entry {
        uid: r.get(0)?,
        entry_kind: parse_kind(&r.get::<_, String>(1)?),
        first_time: model::Time(r.get(2)?),
        last_time: model::Time(r.get(3)?),
        count: r.get(4)?,
        namespace: r.get(5)?,
        object_group: r.get(6)?,
        object_kind: r.get(7)?,
        object_name: r.get(8)?,
        object_uid: r.get(9)?,
        reason: r.get(10)?,
        type_: r.get(11)?,
        message: r.get(12)?,
        source: r.get(13)?,
        ..Default::default()
    }))
}

fn stats(conn: &Connection) -> Result<Stats, JournalError> {
    let entries: i64 = conn.query_row("SELECT count(*) FROM entries", [], |r| r.get(0))?;
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    let size: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    Ok(Stats { entries, bytes: (pages - free) * size })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn event(uid: &str, ns: &str, first: i64, last: i64, count: i32) -> Entry {
        Entry {
            uid: uid.to_owned(),
            entry_kind: EntryKind::Event,
            first_time: model::Time(first),
            last_time: model::Time(last),
            count,
            namespace: ns.to_owned(),
            object_group: "keda.sh".to_owned(),
            object_kind: "ScaledObject".to_owned(),
            object_name: "worker".to_owned(),
            object_uid: "so-1".to_owned(),
            reason: "KEDAScaleTargetActivated".to_owned(),
            type_: "Normal".to_owned(),
            message: format!("count {count}"),
            source: "keda-operator".to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn same_event_twice_is_one_entry_with_the_higher_count() {
        let j = Journal::in_memory().expect("open");
        assert_eq!(j.record(&[event("e1", "team-a", 1_000, 1_000, 1)]).expect("record"), 1);
        assert_eq!(j.record(&[event("e1", "team-a", 1_000, 5_000, 3)]).expect("record"), 0);
        assert_eq!(j.record(&[event("e1", "team-a", 1_000, 2_000, 2)]).expect("record"), 0, "older copy");
        let all = j.query(&Query { limit: 10, ..Default::default() }).expect("query");
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].count, all[0].last_time.0, all[0].message.as_str()), (3, 5_000, "count 3"));
        assert_eq!(all[0].metadata.name, "e1");
        assert_eq!(all[0].kind, "JournalEntry");
    }

    #[test]
    fn time_range_and_namespace_query() {
        let j = Journal::in_memory().expect("open");
        j.record(&[
            event("a", "team-a", 1_000, 1_000, 1),
            event("b", "team-b", 2_000, 2_000, 1),
            event("c", "team-a", 3_000, 3_000, 1),
        ])
        .expect("record");
        let q = |since, until, ns: Option<&str>| {
            j.query(&Query { since_ms: since, until_ms: until, namespace: ns.map(str::to_owned), limit: 10 })
                .expect("query")
                .into_iter()
                .map(|e| e.uid)
                .collect::<Vec<_>>()
        };
        assert_eq!(q(None, None, None), ["c", "b", "a"]);
        assert_eq!(q(Some(1_500), Some(2_500), None), ["b"]);
        assert_eq!(q(None, None, Some("team-a")), ["c", "a"]);
    }

    #[test]
    fn survives_reopen() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("journal.sqlite");
        Journal::open(&path).expect("open").record(&[event("e1", "team-a", 1, 1, 1)]).expect("record");
        let again = Journal::open(&path).expect("reopen");
        assert_eq!(again.query(&Query { limit: 10, ..Default::default() }).expect("query").len(), 1);
    }

    #[test]
    fn retention_by_age_then_by_size() {
        let j = Journal::in_memory().expect("open");
        let day = 86_400_000;
        let entries: Vec<_> =
            (0..2_000).map(|i| event(&format!("e{i}"), "team-a", i * 60_000, i * 60_000, 1)).collect();
        j.record(&entries).expect("record");
        let now = 2_000 * 60_000;
        let s = j.enforce_retention(now, day, i64::MAX).expect("retention");
        assert_eq!(s.entries, 1_440, "one day of one-a-minute entries is kept");
        let budget = s.bytes / 2;
        let s = j.enforce_retention(now, day, budget).expect("retention");
        assert!(s.bytes <= budget, "{} > {budget}", s.bytes);
        assert!(s.entries > 0 && s.entries < 1_440);
        let newest = j.query(&Query { limit: 1, ..Default::default() }).expect("query");
        assert_eq!(newest[0].uid, "e1999", "the newest entries are the ones kept");
    }

    #[test]
    fn a_flooding_namespace_evicts_its_own_history_first() {
        let j = Journal::in_memory().expect("open");
        let quiet: Vec<_> =
            (0..100).map(|i| event(&format!("q{i}"), "team-a", i * 1_000, i * 1_000, 1)).collect();
        j.record(&quiet).expect("record");
        let budget = j.enforce_retention(0, i64::MAX, i64::MAX).expect("stats").bytes * 4;
        // Newer than all of team-a's, and ten times as many bytes as the budget allows.
        let flood: Vec<_> =
            (0..5_000).map(|i| event(&format!("f{i}"), "team-x", 200_000 + i, 200_000 + i, 1)).collect();
        j.record(&flood).expect("record");
        let s = j.enforce_retention(0, i64::MAX, budget).expect("retention");
        assert!(s.bytes <= budget, "{} > {budget}", s.bytes);
        let team_a = j
            .query(&Query { namespace: Some("team-a".to_owned()), limit: 1_000, ..Default::default() })
            .expect("query");
        assert_eq!(team_a.len(), 100, "team-a keeps its whole history");
    }
}
