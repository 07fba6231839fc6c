//! The database schema, as an ordered list of migrations.
//!
//! Migration N brings a database from `user_version` N-1 to N inside one transaction.
//! Released migrations are never edited: a change is a new migration.

/// Migration 1: the recording core (cases, sessions, participants, parts).
const V1: &str = r#"
CREATE TABLE cases (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL UNIQUE,
    category    TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);

CREATE TABLE sessions (
    id                    INTEGER PRIMARY KEY,
    case_id               INTEGER NOT NULL REFERENCES cases(id),
    court                 TEXT NOT NULL,
    hall                  TEXT NOT NULL,
    instance              TEXT NOT NULL
                          CHECK (instance IN ('first', 'appellate', 'cassation', 'supervisory')),
    judge                 TEXT NOT NULL DEFAULT '',
    operator_name         TEXT NOT NULL DEFAULT '',
    operator_role         TEXT NOT NULL DEFAULT 'secretary',
    remote_participation  INTEGER NOT NULL DEFAULT 0,
    state                 TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    folder                TEXT NOT NULL UNIQUE,
    opened_at             TEXT NOT NULL,
    closed_at             TEXT
);
CREATE INDEX sessions_by_case ON sessions(case_id);

CREATE TABLE participants (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id),
    position    INTEGER NOT NULL DEFAULT 0,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    remote      INTEGER NOT NULL DEFAULT 0,
    location    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX participants_by_session ON participants(session_id);

-- One continuous recording. A recess closes a part, resuming opens the next.
-- first_media_ns is the part's first media timestamp in the file (nanoseconds);
-- first_media_wall is the UTC wall-clock time that timestamp was captured at.
CREATE TABLE session_parts (
    id                INTEGER PRIMARY KEY,
    session_id        INTEGER NOT NULL REFERENCES sessions(id),
    number            INTEGER NOT NULL,
    folder            TEXT NOT NULL UNIQUE,
    state             TEXT NOT NULL
                      CHECK (state IN ('starting', 'recording', 'stopping', 'finished',
                                       'recovered', 'failed')),
    profile           TEXT NOT NULL,
    inputs            TEXT NOT NULL DEFAULT '[]',
    demo              INTEGER NOT NULL DEFAULT 0,
    created_at        TEXT NOT NULL,
    first_media_ns    INTEGER,
    first_media_wall  TEXT,
    ended_at          TEXT,
    duration_ms       INTEGER,
    recovered         INTEGER NOT NULL DEFAULT 0,
    error             TEXT,
    sealed_at         TEXT,
    UNIQUE (session_id, number)
);
CREATE INDEX parts_by_state ON session_parts(state);
"#;

/// Migration 2: what the session produces beyond media (protocol, incidents, checks),
/// what leaves the workstation (outbox) and who did what (audit log).
const V2: &str = r#"
-- offset_ms counts from the part's first media timestamp; wall_time is UTC.
-- Entries form a hash chain (hash covers prev_hash); an addendum corrects a sealed entry.
CREATE TABLE protocol_entries (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES sessions(id),
    part_id      INTEGER REFERENCES session_parts(id),
    seq          INTEGER NOT NULL,
    offset_ms    INTEGER,
    wall_time    TEXT NOT NULL,
    kind         TEXT NOT NULL DEFAULT 'note',
    speaker_id   INTEGER REFERENCES participants(id),
    text         TEXT NOT NULL,
    corrects_id  INTEGER REFERENCES protocol_entries(id),
    prev_hash    TEXT,
    hash         TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (session_id, seq)
);
CREATE INDEX entries_by_part ON protocol_entries(part_id);

CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY,
    session_id      INTEGER REFERENCES sessions(id),
    part_id         INTEGER REFERENCES session_parts(id),
    kind            TEXT NOT NULL,
    input           TEXT NOT NULL DEFAULT '',
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    details         TEXT NOT NULL DEFAULT '',
    notified_at     TEXT,
    technical_act   TEXT
);

CREATE TABLE equipment_checks (
    id          INTEGER PRIMARY KEY,
    checked_at  TEXT NOT NULL,
    checked_by  TEXT NOT NULL DEFAULT '',
    role        TEXT NOT NULL DEFAULT '',
    ok          INTEGER NOT NULL,
    details     TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    kind             TEXT NOT NULL,
    target           TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL UNIQUE,
    payload          TEXT NOT NULL DEFAULT '{}',
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'retrying', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    delivered_at     TEXT
);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  INTEGER,
    details    TEXT NOT NULL DEFAULT '{}'
);
"#;

/// Migration 3: finding an entity's history (an entry's corrections) without a scan.
const V3: &str = r#"
CREATE INDEX audit_by_entity ON audit_log(entity, entity_id);
"#;

/// Migration 4: why a part's seal could not be written (it is tried again).
const V4: &str = r#"
ALTER TABLE session_parts ADD COLUMN seal_error TEXT;
"#;

/// Migration 5: the case inventory of discs (rules 8, 21, 22): every image made and every
/// disc burned from it.
const V5: &str = r#"
CREATE TABLE case_discs (
    id               INTEGER PRIMARY KEY,
    case_id          INTEGER NOT NULL REFERENCES cases(id),
    label            TEXT NOT NULL,
    disc             INTEGER NOT NULL,
    of               INTEGER NOT NULL,
    media            TEXT NOT NULL,
    -- JSON arrays: the session ids and the part folders the disc holds.
    sessions         TEXT NOT NULL,
    parts            TEXT NOT NULL,
    -- SHA-256 of the disc's INVENTORY.json, which lists every file with its SHA-256.
    contents_sha256  TEXT NOT NULL,
    image            TEXT NOT NULL,
    size             INTEGER NOT NULL,
    made_at          TEXT NOT NULL,
    made_by          TEXT NOT NULL,
    burned_at        TEXT,
    burned_to        TEXT,
    -- 'match', or what differed when the disc was read back.
    burn_result      TEXT
);
CREATE INDEX discs_by_case ON case_discs(case_id);
CREATE INDEX discs_by_contents ON case_discs(contents_sha256);
"#;

/// Migration 6: which part an outbox row comes from, and the receiver's receipt.
const V6: &str = r#"
ALTER TABLE outbox ADD COLUMN part_id INTEGER REFERENCES session_parts(id);
ALTER TABLE outbox ADD COLUMN receipt TEXT;
CREATE INDEX outbox_by_part ON outbox(part_id);
"#;

/// Migration 7: the daily equipment checks (rules 7, 11, 17) are kept with the court and the
/// hall they were made in; `details` holds the steps (JSON: what, subject, state, detail).
const V7: &str = r#"
ALTER TABLE equipment_checks ADD COLUMN court TEXT NOT NULL DEFAULT '';
ALTER TABLE equipment_checks ADD COLUMN hall TEXT NOT NULL DEFAULT '';
CREATE INDEX checks_by_time ON equipment_checks(checked_at);
"#;

/// Migration 8: each session's identity across the court (128 random bits, hex): in its
/// folder's name, its parts' manifests and every payload, so two workstations that number
/// their sessions alike never share a name, a key or a place on the court server. Sessions
/// opened before get one now.
const V8: &str = r#"
ALTER TABLE sessions ADD COLUMN uid TEXT NOT NULL DEFAULT '';
UPDATE sessions SET uid = lower(hex(randomblob(16))) WHERE uid = '';
CREATE UNIQUE INDEX sessions_by_uid ON sessions(uid);
"#;

/// Migration 9: who recorded each part. In a courtroom's shared data folder the secretary
/// who continues a session after a shift change is not the one who opened it; the protocol
/// names both.
const V9: &str = r#"
ALTER TABLE session_parts ADD COLUMN operator_name TEXT NOT NULL DEFAULT '';
"#;

/// Migration N is `MIGRATIONS[N - 1]`.
pub const MIGRATIONS: &[&str] = &[V1, V2, V3, V4, V5, V6, V7, V8, V9];

/// The schema version this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;
