//! The one code path for both databases.
//!
//! Every query is written once, in the SQL both SQLite and PostgreSQL accept, with `$1..$n`
//! placeholders. These macros expand a body once per backend, so the same source compiles against
//! `SqlitePool`/`Transaction<Sqlite>` and `PgPool`/`Transaction<Postgres>`; sqlx infers the
//! database from the executor. No `sqlx::Any`, no `query!` macros (nothing needs a database at
//! build time).

/// Runs `$body` with `$pool` bound to the backend's pool (for reads that need no transaction).
macro_rules! with_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite($pool) => $body,
            $crate::store::Pool::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` (which evaluates to `Result<T, StoreError>`) inside a write transaction bound to
/// `$tx`, and commits only if it is `Ok`. `$body` runs as an async block, so `?` and `return`
/// leave the block, not the function; an `Err` drops the transaction, which rolls it back: a change
/// and its audit row are written together or not at all. Evaluates to the body's result.
///
/// SQLite transactions start with `BEGIN IMMEDIATE`, taking the write lock up front, so two
/// writers queue on the busy timeout instead of failing with SQLITE_BUSY when a reader upgrades.
macro_rules! with_tx {
    ($store:expr, |$tx:ident| $body:expr) => {
        match &$store.pool {
            $crate::store::Pool::Sqlite(pool) => {
                let mut $tx = pool.begin_with("BEGIN IMMEDIATE").await?;
                let result = $crate::store::transaction_body(async { $body }).await;
                if result.is_ok() {
                    $tx.commit().await?;
                }
                result
            }
            $crate::store::Pool::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                let result = $crate::store::transaction_body(async { $body }).await;
                if result.is_ok() {
                    $tx.commit().await?;
                }
                result
            }
        }
    };
}

/// Fails unless another enabled admin than `$user` exists (the last admin stays).
macro_rules! ensure_other_admin {
    ($tx:ident, $user:expr) => {{
        let others: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id <> $1")
                .bind($user)
                .fetch_one(&mut *$tx)
                .await?;
        if others == 0 {
            return Err($crate::error::StoreError::invalid(
                "this is the last enabled admin: make another user an admin first",
            ));
        }
    }};
}

/// The columns of `users` that [`UserRow`](crate::rows::UserRow) reads, with a table alias.
macro_rules! user_columns {
    () => {
        "id, username, display_name, role, password_hash, created_at, disabled"
    };
    ($alias:literal) => {
        concat!(
            $alias,
            ".id, ",
            $alias,
            ".username, ",
            $alias,
            ".display_name, ",
            $alias,
            ".role, ",
            $alias,
            ".password_hash, ",
            $alias,
            ".created_at, ",
            $alias,
            ".disabled"
        )
    };
}

/// The columns of `cases` that [`CaseRow`](crate::rows::CaseRow) reads.
macro_rules! case_columns {
    () => {
        "id, title, note_text, source, status, assignee, created_by, created_at, updated_at, year, report_json, \
         version, finalized_by, finalized_at, rejected_reason"
    };
}

/// The columns of `case_lines` that [`LineRow`](crate::rows::LineRow) reads.
macro_rules! line_columns {
    () => {
        "case_id, position, code, modifiers, units, status, reason, rule_id, proposed_code, proposed_modifiers, \
         proposed_units, updated_by, updated_at"
    };
}

/// Fetches a user row by id: `Option<UserRow>`.
macro_rules! fetch_user {
    ($ex:expr, $id:expr) => {
        sqlx::query_as::<_, $crate::rows::UserRow>(concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"))
            .bind($id)
            .fetch_optional($ex)
            .await
    };
}

/// Fetches a user row by (normalized) username: `Option<UserRow>`.
macro_rules! fetch_user_by_name {
    ($ex:expr, $name:expr) => {
        sqlx::query_as::<_, $crate::rows::UserRow>(concat!(
            "SELECT ",
            user_columns!(),
            " FROM users WHERE username = $1"
        ))
        .bind($name)
        .fetch_optional($ex)
        .await
    };
}

/// The acting user, who must exist and be enabled; `StoreError::Forbidden` otherwise.
macro_rules! require_actor {
    ($tx:ident, $id:expr) => {{
        let id: $crate::model::UserId = $id;
        $crate::rows::actor(fetch_user!(&mut *$tx, id)?, id)?
    }};
}

/// Appends one row to the audit trail.
macro_rules! insert_audit {
    ($ex:expr, $entry:expr) => {{
        let entry: $crate::audit::NewAudit = $entry;
        sqlx::query("INSERT INTO audit (occurred_at, user_id, action, case_id, detail) VALUES ($1, $2, $3, $4, $5)")
            .bind(entry.at)
            .bind(entry.user_id)
            .bind(entry.action.as_str())
            .bind(entry.case_id.map(|id| id.to_string()))
            .bind(entry.detail.to_string())
            .execute($ex)
            .await?;
    }};
}

/// Claims an open case for a change: bumps its version and `updated_at` if it is open (queued or
/// in progress) and, when `$expected` is `Some`, still at that version. Evaluates to the new
/// version and the case's status; otherwise returns `NotFound` or `Conflict` from the enclosing
/// transaction body (rolling it back). On PostgreSQL the UPDATE also locks the case row until
/// commit, so changes to one case are serialized; on SQLite the transaction holds the write lock.
macro_rules! touch_case {
    ($tx:ident, $case:expr, $now:expr, $expected:expr) => {{
        let case_id: $crate::model::CaseId = $case;
        let expected: Option<i64> = $expected;
        let touched: Option<(i64, String)> = sqlx::query_as(
            "UPDATE cases SET version = version + 1, updated_at = $2 \
             WHERE id = $1 AND status IN ('queued', 'in_progress') AND ($3 IS NULL OR version = $3) \
             RETURNING version, status",
        )
        .bind(case_id.to_string())
        .bind($now)
        .bind(expected)
        .fetch_optional(&mut *$tx)
        .await?;
        match touched {
            Some((version, status)) => (version, status.parse::<$crate::model::CaseStatus>()?),
            None => {
                let state: Option<(i64, String)> = sqlx::query_as("SELECT version, status FROM cases WHERE id = $1")
                    .bind(case_id.to_string())
                    .fetch_optional(&mut *$tx)
                    .await?;
                return Err($crate::rows::refusal(state, case_id, expected));
            }
        }
    }};
}

/// Loads a case and its lines: `Option<CaseDetail>`.
macro_rules! load_detail {
    ($tx:ident, $case:expr) => {{
        let case_id: $crate::model::CaseId = $case;
        let row: Option<$crate::rows::CaseRow> =
            sqlx::query_as(concat!("SELECT ", case_columns!(), " FROM cases WHERE id = $1"))
                .bind(case_id.to_string())
                .fetch_optional(&mut *$tx)
                .await?;
        match row {
            None => None,
            Some(row) => {
                let lines: Vec<$crate::rows::LineRow> = sqlx::query_as(concat!(
                    "SELECT ",
                    line_columns!(),
                    " FROM case_lines WHERE case_id = $1 ORDER BY position"
                ))
                .bind(case_id.to_string())
                .fetch_all(&mut *$tx)
                .await?;
                Some($crate::rows::detail(row, lines)?)
            }
        }
    }};
}

/// Loads one line of a case: `Option<LineRow>`.
macro_rules! fetch_line {
    ($tx:ident, $case:expr, $position:expr) => {
        sqlx::query_as::<_, $crate::rows::LineRow>(concat!(
            "SELECT ",
            line_columns!(),
            " FROM case_lines WHERE case_id = $1 AND position = $2"
        ))
        .bind($case.to_string())
        .bind(i64::from($position))
        .fetch_optional(&mut *$tx)
        .await
    };
}
