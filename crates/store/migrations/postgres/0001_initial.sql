-- Interspace work queue and audit trail, PostgreSQL dialect.
-- Keep in step with ../sqlite/0001_initial.sql: same tables, columns, constraints and names.
-- Integers are BIGINT (i64), times are epoch milliseconds, ids of cases are UUID v7 text.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT   NOT NULL UNIQUE,
    display_name  TEXT   NOT NULL,
    role          TEXT   NOT NULL CHECK (role IN ('coder', 'reviewer', 'admin')),
    password_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    disabled      BIGINT NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);

CREATE TABLE api_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id),
    label        TEXT   NOT NULL,
    prefix       TEXT   NOT NULL,
    key_hash     TEXT   NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
CREATE INDEX api_keys_prefix ON api_keys (prefix);
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id),
    csrf_token TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE cases (
    id              TEXT   PRIMARY KEY,
    title           TEXT   NOT NULL,
    note_text       TEXT   NOT NULL,
    source          TEXT   NOT NULL CHECK (source IN ('api', 'upload', 'folder')),
    status          TEXT   NOT NULL CHECK (status IN ('queued', 'in_progress', 'finalized', 'rejected')),
    assignee        BIGINT REFERENCES users (id),
    created_by      BIGINT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    year            BIGINT NOT NULL,
    report_json     TEXT   NOT NULL,
    version         BIGINT NOT NULL CHECK (version >= 1),
    finalized_by    BIGINT REFERENCES users (id),
    finalized_at    BIGINT,
    rejected_reason TEXT
);
CREATE INDEX cases_status ON cases (status, created_at);
CREATE INDEX cases_assignee ON cases (assignee, status);
CREATE INDEX cases_finalized ON cases (finalized_at);

CREATE TABLE case_lines (
    case_id            TEXT   NOT NULL REFERENCES cases (id),
    position           BIGINT NOT NULL CHECK (position >= 1),
    code               TEXT   NOT NULL,
    modifiers          TEXT   NOT NULL DEFAULT '',
    units              BIGINT NOT NULL CHECK (units >= 1),
    status             TEXT   NOT NULL CHECK (status IN ('proposed', 'accepted', 'adjusted', 'removed', 'added')),
    reason             TEXT,
    rule_id            TEXT,
    proposed_code      TEXT,
    proposed_modifiers TEXT,
    proposed_units     BIGINT,
    updated_by         BIGINT NOT NULL REFERENCES users (id),
    updated_at         BIGINT NOT NULL,
    PRIMARY KEY (case_id, position),
    CONSTRAINT case_lines_reason_required
        CHECK (status IN ('proposed', 'accepted') OR (reason IS NOT NULL AND reason <> ''))
);

-- Append-only. No foreign keys: the trail must never block, and it outlives what it names.
CREATE TABLE audit (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at BIGINT NOT NULL,
    user_id     BIGINT,
    action      TEXT   NOT NULL,
    case_id     TEXT,
    detail      TEXT   NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_case ON audit (case_id, id);

CREATE FUNCTION audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER audit_no_update_delete BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION audit_append_only();

CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();
