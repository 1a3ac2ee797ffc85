-- zynk state store, version 1: truth table, export watermarks, run log.
-- Times are Unix microseconds (UTC).

-- Zynk's "truth": which website Id became which ledger reference, per workflow and record type.
CREATE TABLE truth (
    profile     TEXT NOT NULL,          -- workflow name
    type        TEXT NOT NULL,          -- record type: Customer, SalesOrder
    internal_id TEXT NOT NULL,          -- the website's Id
    external_id TEXT NOT NULL,          -- account reference or sales order number
    hash        TEXT,
    created     INTEGER NOT NULL,
    modified    INTEGER NOT NULL,
    PRIMARY KEY (profile, type, internal_id)
) WITHOUT ROWID;

-- "last run" points of exports, per workflow and task.
CREATE TABLE watermark (
    profile  TEXT NOT NULL,
    task     TEXT NOT NULL,
    value    INTEGER NOT NULL,
    PRIMARY KEY (profile, task)
);

-- One row per workflow run (Zynk's Job).
CREATE TABLE run (
    id           INTEGER PRIMARY KEY,
    workflow     TEXT NOT NULL,
    script       TEXT NOT NULL,
    started      INTEGER NOT NULL,
    ended        INTEGER,
    result       TEXT,
    archive_path TEXT
);

-- One row per task run (Zynk's JobItem).
CREATE TABLE task_run (
    id          INTEGER PRIMARY KEY,
    run_id      INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    line        INTEGER NOT NULL,
    started     INTEGER NOT NULL,
    ended       INTEGER NOT NULL,
    result      TEXT NOT NULL,
    in_count    INTEGER NOT NULL,
    out_count   INTEGER NOT NULL,
    error_count INTEGER NOT NULL
);
CREATE INDEX task_run_by_run ON task_run(run_id);

-- One row per log message (Zynk's Log).
CREATE TABLE log_line (
    id      INTEGER PRIMARY KEY,
    run_id  INTEGER NOT NULL REFERENCES run(id) ON DELETE CASCADE,
    level   TEXT NOT NULL,              -- Error, Warning, Info, Debug
    at      INTEGER NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX log_line_by_run ON log_line(run_id);
