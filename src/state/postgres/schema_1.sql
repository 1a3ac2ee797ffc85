-- zynk state store on PostgreSQL, version 1: the tables of the SQLite store (truth table,
-- export watermarks, run log) in the schema `zynk`, plus the holder of each workflow's run
-- lock. Times are Unix microseconds (UTC), as in the SQLite store.

-- Which website Id became which ledger reference, per workflow and record type.
CREATE TABLE zynk.truth (
    profile     text   NOT NULL,        -- workflow name
    type        text   NOT NULL,        -- record type: Customer, SalesOrder, …
    internal_id text   NOT NULL,        -- the website's Id
    external_id text   NOT NULL,        -- account reference or order number
    hash        text,                   -- content fingerprint of the record
    created     bigint NOT NULL,
    modified    bigint NOT NULL,
    PRIMARY KEY (profile, type, internal_id)
);

-- "last run" points of exports, per workflow and task.
CREATE TABLE zynk.watermark (
    profile text   NOT NULL,
    task    text   NOT NULL,
    value   bigint NOT NULL,
    PRIMARY KEY (profile, task)
);

-- One row per workflow run, from whichever host ran it.
CREATE TABLE zynk.run (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workflow     text   NOT NULL,
    script       text   NOT NULL,
    started      bigint NOT NULL,
    ended        bigint,
    result       text,
    archive_path text,
    host         text,
    pid          bigint,
    backend_pid  integer                -- the server session that holds the run lock
);
CREATE INDEX run_unfinished ON zynk.run (workflow) WHERE result IS NULL;
CREATE INDEX run_by_start ON zynk.run (started);   -- the 90-day housekeeping

-- One row per task run.
CREATE TABLE zynk.task_run (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id      bigint NOT NULL REFERENCES zynk.run (id) ON DELETE CASCADE,
    name        text   NOT NULL,
    line        bigint NOT NULL,
    started     bigint NOT NULL,
    ended       bigint NOT NULL,
    result      text   NOT NULL,
    in_count    bigint NOT NULL,
    out_count   bigint NOT NULL,
    error_count bigint NOT NULL
);
CREATE INDEX task_run_by_run ON zynk.task_run (run_id);

-- One row per log message.
CREATE TABLE zynk.log_line (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id  bigint NOT NULL REFERENCES zynk.run (id) ON DELETE CASCADE,
    level   text   NOT NULL,
    at      bigint NOT NULL,
    message text   NOT NULL
);
CREATE INDEX log_line_by_run ON zynk.log_line (run_id);

-- Who took each workflow's advisory lock last; a refused run names the holder from here.
CREATE TABLE zynk.run_lock (
    workflow    text    PRIMARY KEY,
    host        text    NOT NULL,
    pid         bigint  NOT NULL,
    started     bigint  NOT NULL,
    backend_pid integer NOT NULL
);
