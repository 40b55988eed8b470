//! Opening the database: URL parsing, connection settings, migrations.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::{MigrateError, Migrator};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection};

use crate::error::{StoreError, describe_sqlx};
use crate::model::Backend;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a SQLite writer waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a call waits for a free connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(15);

/// The coder work queue and audit trail, on SQLite or PostgreSQL.
///
/// Cheap to clone (it holds a connection pool); share one per process. Every method is a single
/// transaction (or a single read), so a `Store` is safe to use from many tasks at once.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: Pool,
}

#[derive(Clone)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend()).finish()
    }
}

impl Store {
    /// Opens (and migrates) the database at `url`:
    ///
    /// - `sqlite://PATH.db` (relative to the working folder) or `sqlite:///abs/path.db`: an
    ///   embedded file, created if missing, in WAL mode with `synchronous=FULL` (a change is on
    ///   disk when the call returns), foreign keys on and a 10 s busy timeout;
    /// - `sqlite::memory:`: a private in-memory database, gone when the `Store` is dropped (tests);
    /// - `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?options]` (or `postgresql://`).
    ///
    /// Migrations in `migrations/sqlite` or `migrations/postgres` are applied; opening an
    /// up-to-date database again applies nothing. Error messages never contain the password.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        let url = url.trim();
        if url.starts_with("sqlite:") {
            open_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            open_postgres(url).await
        } else {
            let scheme = url.split(':').next().unwrap_or_default();
            Err(StoreError::invalid(format!(
                "unsupported database URL scheme '{}': use sqlite://PATH.db, sqlite::memory: or \
                 postgres://USER@HOST:PORT/DATABASE",
                scheme.chars().take(20).collect::<String>()
            )))
        }
    }

    /// Which database this store runs on.
    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Checks that the database answers (for health checks).
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Closes every connection, waiting for running calls to finish; later calls fail. For a
    /// clean shutdown (SQLite checkpoints its WAL when the last connection closes).
    pub async fn close(&self) {
        with_pool!(self, |pool| pool.close().await)
    }
}

/// Gives `with_tx!` bodies their type, so `?` inside the async block knows the error type.
pub(crate) fn transaction_body<T, F: Future<Output = Result<T, StoreError>>>(body: F) -> F {
    body
}

async fn open_sqlite(url: &str) -> Result<Store, StoreError> {
    let options = SqliteConnectOptions::from_str(url).map_err(|error| {
        StoreError::invalid(format!(
            "cannot read the SQLite URL: {}; write sqlite://PATH.db or sqlite::memory:",
            describe_sqlx(&error)
        ))
    })?;
    let in_memory = url.contains(":memory:") || url.contains("mode=memory");
    let path = options.get_filename().to_path_buf();
    if !in_memory
        && let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
        && !parent.is_dir()
    {
        return Err(StoreError::invalid(format!(
            "cannot create the SQLite database {}: the folder {} does not exist; create it or choose another path",
            path.display(),
            parent.display()
        )));
    }
    let mut options = options
        .create_if_missing(true)
        .foreign_keys(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        .synchronous(SqliteSynchronous::Full);
    if !in_memory {
        options = options.journal_mode(SqliteJournalMode::Wal);
    }
    // An in-memory database lives as long as one connection to it: keep exactly one, forever.
    let pool_options = if in_memory {
        SqlitePoolOptions::new().max_connections(1).min_connections(1).idle_timeout(None).max_lifetime(None)
    } else {
        SqlitePoolOptions::new().max_connections(4)
    };
    let where_ = if in_memory { "in memory".to_owned() } else { path.display().to_string() };
    let pool = pool_options.acquire_timeout(ACQUIRE_TIMEOUT).connect_with(options).await.map_err(|error| {
        StoreError::Database(format!(
            "cannot open the SQLite database {where_}: {}; check the path and its permissions",
            describe_sqlx(&error)
        ))
    })?;
    SQLITE_MIGRATIONS.run(&pool).await.map_err(|error| migration_error(&error, &where_))?;
    Ok(Store { pool: Pool::Sqlite(pool) })
}

async fn open_postgres(url: &str) -> Result<Store, StoreError> {
    let password = password_in(url);
    let scrub = |message: String| match password {
        Some(password) if !password.is_empty() => message.replace(password, "***"),
        _ => message,
    };
    let options = PgConnectOptions::from_str(url).map_err(|error| {
        StoreError::invalid(scrub(format!(
            "cannot read the PostgreSQL URL: {}; write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE",
            describe_sqlx(&error)
        )))
    })?;
    let where_ = format!(
        "{}:{}, database {}, user {}",
        options.get_host(),
        options.get_port(),
        options.get_database().unwrap_or("(default)"),
        options.get_username()
    );
    let refused = |error: sqlx::Error| {
        StoreError::Database(scrub(format!(
            "cannot connect to PostgreSQL at {where_}: {}; check that the server is running, that the database \
             exists and that the user may log in",
            describe_sqlx(&error)
        )))
    };
    // One plain connection first: the pool retries a refused connection until its timeout and
    // then reports only the timeout, while this reports the cause at once.
    options.connect().await.map_err(refused)?.close().await.map_err(refused)?;
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(refused)?;
    POSTGRES_MIGRATIONS
        .run(&pool)
        .await
        .map_err(|error| StoreError::Database(scrub(migration_message(&error, &where_))))?;
    Ok(Store { pool: Pool::Postgres(pool) })
}

fn migration_error(error: &MigrateError, where_: &str) -> StoreError {
    StoreError::Database(migration_message(error, where_))
}

fn migration_message(error: &MigrateError, where_: &str) -> String {
    match error {
        MigrateError::VersionMissing(version) => format!(
            "the database {where_} was migrated by a newer Interspace (migration {version} is unknown to this \
             build): upgrade Interspace, or use another database"
        ),
        MigrateError::VersionMismatch(version) => format!(
            "migration {version} of the database {where_} differs from this build's: the migration files were \
             edited after release; restore them"
        ),
        MigrateError::Dirty(version) => format!(
            "migration {version} of the database {where_} failed part-way before: restore a backup or repair \
             the database by hand"
        ),
        MigrateError::Execute(error) => {
            format!("migrating the database {where_} failed: {}", describe_sqlx(error))
        }
        other => format!("migrating the database {where_} failed: {other}"),
    }
}

/// The password in `scheme://user:password@host…`, if any, so messages can scrub it.
fn password_in(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    userinfo.split_once(':').map(|(_, password)| password)
}

#[cfg(test)]
mod tests {
    use super::password_in;

    #[test]
    fn finds_the_password_to_scrub() {
        assert_eq!(password_in("postgres://u:s3cret@h:5432/db"), Some("s3cret"));
        assert_eq!(password_in("postgres://u@h/db"), None);
        assert_eq!(password_in("postgres://h/db?x=a:b@c"), None);
    }
}
