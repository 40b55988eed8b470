//! The store's behaviour, run identically against SQLite (a file, and memory) and PostgreSQL.
//!
//! Every scenario below runs three times: `sqlite_file::NAME`, `sqlite_memory::NAME` and
//! `postgres::NAME`. PostgreSQL is `INTERSPACE_TEST_POSTGRES` or
//! `postgres://postgres@127.0.0.1:5432/test`; each test gets a fresh schema, dropped at the end.
//! If PostgreSQL is unreachable the PostgreSQL tests fail, unless `INTERSPACE_SKIP_POSTGRES=1`.
//!
//! Some assertions look under the API with a second, raw connection: that only hashes are
//! stored, that the triggers refuse changes to the audit table, and (by installing a failing
//! trigger) that a change and its audit row commit together or not at all.

use std::future::Future;
use std::io::{BufRead, BufReader, Write};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use interspace_store::{
    AssigneeFilter, AuditAction, Backend, CaseDetail, CaseFilter, CaseSource, CaseStatus, LineStatus, LineValues,
    NewCase, NewLine, NewUser, Role, Store, StoreError, Timestamp, User,
};
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{AssertSqlSafe, Connection, Executor};

const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/test";
const NOTE_MARKER: &str = "PHI-MARKER-Jane-Roe-MRN-0042";
const ADMIN_PASSWORD: &str = "correct horse battery";

// ---------------------------------------------------------------------------------------------
// Harness

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    SqliteFile,
    SqliteMemory,
    Postgres,
}

/// A raw connection to the same database, under the store's API.
#[derive(Clone)]
enum Raw {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

#[derive(Clone)]
struct Db {
    kind: Kind,
    store: Store,
    raw: Raw,
    /// Opens the same database again.
    url: String,
}

macro_rules! raw {
    ($db:expr, |$pool:ident| $body:expr) => {
        match &$db.raw {
            Raw::Sqlite($pool) => $body,
            Raw::Postgres($pool) => $body,
        }
    };
}

impl Db {
    /// Runs SQL (one or more statements) on the raw connection.
    async fn raw_exec(&self, sql: &str) -> Result<(), String> {
        let sql = sql.to_owned();
        raw!(self, |pool| sqlx::raw_sql(AssertSqlSafe(sql)).execute(pool).await.map(|_| ()).map_err(|e| e.to_string()))
    }

    async fn raw_i64(&self, sql: &str) -> i64 {
        let sql = sql.to_owned();
        raw!(self, |pool| sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)).fetch_one(pool).await.expect("raw query"))
    }

    async fn raw_strings(&self, sql: &str) -> Vec<String> {
        let sql = sql.to_owned();
        raw!(self, |pool| sqlx::query_scalar::<_, String>(AssertSqlSafe(sql)).fetch_all(pool).await.expect("raw query"))
    }

    fn is_postgres(&self) -> bool {
        self.kind == Kind::Postgres
    }
}

type Scenario = fn(Db) -> Pin<Box<dyn Future<Output = ()> + Send>>;

fn random_name() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

fn postgres_base_url() -> String {
    std::env::var("INTERSPACE_TEST_POSTGRES").ok().filter(|url| !url.is_empty()).unwrap_or(DEFAULT_POSTGRES.to_owned())
}

fn skip_postgres() -> bool {
    std::env::var("INTERSPACE_SKIP_POSTGRES").is_ok_and(|value| value == "1")
}

/// Writes straight to the process's stderr, past the test harness's capture, so it is seen.
fn note(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// The URL with any password replaced by `***`, for messages.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rsplit_once('@') {
        Some((userinfo, _)) if userinfo.contains(':') => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***{}", &rest[userinfo.len()..])
        }
        _ => url.to_owned(),
    }
}

fn url_with_schema(base: &str, schema: &str) -> String {
    let separator = if base.contains('?') { '&' } else { '?' };
    format!("{base}{separator}options[search_path]={schema}")
}

/// Connects to the PostgreSQL test server, or explains how to start it.
async fn postgres_admin() -> Option<PgPool> {
    let base = postgres_base_url();
    // A plain connection first: it reports a refused connection at once (a pool retries).
    let connected = match sqlx::PgConnection::connect(&base).await {
        Ok(connection) => {
            let _ = connection.close().await;
            PgPoolOptions::new().max_connections(2).acquire_timeout(Duration::from_secs(10)).connect(&base).await
        }
        Err(error) => Err(error),
    };
    match connected {
        Ok(pool) => Some(pool),
        Err(error) if skip_postgres() => {
            static NOTED: AtomicBool = AtomicBool::new(false);
            if !NOTED.swap(true, Ordering::Relaxed) {
                note(&format!(
                    "note: skipping the PostgreSQL store tests (INTERSPACE_SKIP_POSTGRES=1); PostgreSQL is not \
                     reachable: {error}"
                ));
            }
            None
        }
        Err(error) => panic!(
            "PostgreSQL is not reachable at {}: {error}\n\
             The store tests run against PostgreSQL too. Start the local cluster with\n    \
             pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n\
             (trust auth on 127.0.0.1:5432, user postgres, database test), point INTERSPACE_TEST_POSTGRES at \
             another server, or set INTERSPACE_SKIP_POSTGRES=1 to skip these tests.",
            without_password(&base)
        ),
    }
}

/// Runs a scenario against a fresh database of `kind`, then cleans up (also after a panic).
async fn run(kind: Kind, scenario: Scenario) {
    let mut _dir = None;
    let mut pg_cleanup: Option<(PgPool, String)> = None;
    let db = match kind {
        Kind::SqliteFile => {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("interspace.db");
            let url = format!("sqlite://{}", path.display());
            let store = Store::open(&url).await.expect("open sqlite file");
            let raw = SqlitePoolOptions::new()
                .max_connections(1)
                .connect_with(SqliteConnectOptions::new().filename(&path).busy_timeout(Duration::from_secs(10)))
                .await
                .expect("raw sqlite");
            _dir = Some(dir);
            Db { kind, store, raw: Raw::Sqlite(raw), url }
        }
        Kind::SqliteMemory => {
            // What `sqlite::memory:` opens, under a name a second connection can share.
            let url = format!("sqlite:file:interspace-{}?mode=memory&cache=shared", random_name());
            let store = Store::open(&url).await.expect("open sqlite memory");
            let raw = SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect(&url)
                .await
                .expect("raw sqlite memory");
            Db { kind, store, raw: Raw::Sqlite(raw), url }
        }
        Kind::Postgres => {
            let Some(admin) = postgres_admin().await else { return };
            let schema = format!("interspace_t_{}", random_name());
            admin.execute(AssertSqlSafe(format!("CREATE SCHEMA {schema}"))).await.expect("create test schema");
            let url = url_with_schema(&postgres_base_url(), &schema);
            let store = Store::open(&url).await.expect("open postgres");
            let raw = PgPoolOptions::new().max_connections(2).connect(&url).await.expect("raw postgres");
            pg_cleanup = Some((admin, schema));
            Db { kind, store, raw: Raw::Postgres(raw), url }
        }
    };
    let outcome = tokio::spawn(scenario(db.clone())).await;
    db.store.close().await;
    raw!(db, |pool| pool.close().await);
    if let Some((admin, schema)) = pg_cleanup {
        admin.execute(AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE"))).await.expect("drop test schema");
        admin.close().await;
    }
    if let Err(error) = outcome {
        std::panic::resume_unwind(error.into_panic());
    }
}

/// Declares each scenario as a test per backend.
macro_rules! suite {
    ($($name:ident),* $(,)?) => {
        mod sqlite_file {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::run(crate::Kind::SqliteFile, |db| Box::pin(crate::$name(db))).await;
                }
            )*
        }
        mod sqlite_memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::run(crate::Kind::SqliteMemory, |db| Box::pin(crate::$name(db))).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    crate::run(crate::Kind::Postgres, |db| Box::pin(crate::$name(db))).await;
                }
            )*
        }
    };
}

suite!(
    migrations_are_idempotent_on_reopen,
    users_and_passwords,
    user_management_is_for_admins,
    api_keys,
    sessions,
    case_lifecycle,
    reasons_are_required,
    finalize_refused_with_undecided_lines,
    stale_version_is_a_conflict,
    finalized_and_rejected_cases_are_read_only,
    reads_are_audited,
    change_and_audit_commit_together,
    audit_rows_cannot_be_changed,
    coders_assign_only_themselves,
    listing_and_counting,
    concurrent_changes_serialize,
    reopening_keeps_every_acknowledged_change,
);

// ---------------------------------------------------------------------------------------------
// Fixtures

struct People {
    admin: User,
    coder: User,
    reviewer: User,
}

async fn people(store: &Store) -> People {
    let (admin, created) = store.ensure_admin("admin", ADMIN_PASSWORD).await.expect("ensure_admin");
    assert!(created);
    let coder = store
        .create_user(
            &NewUser {
                username: "Cody".into(),
                display_name: "Cody Coder".into(),
                role: Role::Coder,
                password: "coder password".into(),
            },
            admin.id,
        )
        .await
        .expect("create coder");
    let reviewer = store
        .create_user(
            &NewUser {
                username: "rita".into(),
                display_name: "Rita Reviewer".into(),
                role: Role::Reviewer,
                password: "reviewer password".into(),
            },
            admin.id,
        )
        .await
        .expect("create reviewer");
    People { admin, coder, reviewer }
}

fn line(code: &str, modifiers: &str, units: u32, rule: &str) -> NewLine {
    NewLine { code: code.into(), modifiers: modifiers.into(), units, rule_id: Some(rule.into()) }
}

fn new_case(title: &str) -> NewCase {
    NewCase {
        title: title.into(),
        note_text: format!("OPERATIVE NOTE\nPatient {NOTE_MARKER}. L4-S1 TLIF with pedicle screws L4 to S1."),
        source: CaseSource::Api,
        year: 2026,
        report_json: format!(r#"{{"schema":"interspace.report/1","evidence":"{NOTE_MARKER}"}}"#),
        proposed_lines: vec![
            line("22633", "", 1, "ARTH001"),
            line("22634", "", 1, "ARTH002"),
            line("22842", "", 1, "INST001"),
        ],
    }
}

fn values(code: &str, modifiers: &str, units: u32) -> LineValues {
    LineValues { code: code.into(), modifiers: modifiers.into(), units }
}

fn assert_conflict<T: std::fmt::Debug>(result: Result<T, StoreError>, version: i64) {
    match result {
        Err(StoreError::Conflict { current_version, .. }) => assert_eq!(current_version, Some(version)),
        other => panic!("expected a conflict at version {version}, got {other:?}"),
    }
}

fn assert_invalid<T: std::fmt::Debug>(result: Result<T, StoreError>, needle: &str) {
    match result {
        Err(StoreError::Invalid { message }) => assert!(message.contains(needle), "{message}"),
        other => panic!("expected Invalid containing {needle:?}, got {other:?}"),
    }
}

fn assert_forbidden<T: std::fmt::Debug>(result: Result<T, StoreError>) {
    assert!(matches!(result, Err(StoreError::Forbidden { .. })), "expected Forbidden, got {result:?}");
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

async fn actions(store: &Store, case: &CaseDetail) -> Vec<AuditAction> {
    store.audit(case.case.id).await.unwrap().into_iter().map(|entry| entry.action).collect()
}

// ---------------------------------------------------------------------------------------------
// Scenarios

async fn migrations_are_idempotent_on_reopen(db: Db) {
    let p = people(&db.store).await;
    let migrations = db.raw_i64("SELECT COUNT(*) FROM _sqlx_migrations").await;
    assert_eq!(migrations, 1);
    for _ in 0..2 {
        let again = Store::open(&db.url).await.expect("reopen");
        assert_eq!(again.list_users().await.unwrap().len(), 3);
        assert_eq!(again.user(p.coder.id).await.unwrap().unwrap().username, "cody");
        again.ping().await.unwrap();
        again.close().await;
    }
    assert_eq!(db.raw_i64("SELECT COUNT(*) FROM _sqlx_migrations").await, migrations);
    let expected = if db.is_postgres() { Backend::Postgres } else { Backend::Sqlite };
    assert_eq!(db.store.backend(), expected);
}

async fn users_and_passwords(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    assert_eq!(p.admin.role, Role::Admin);
    assert_eq!(p.coder.username, "cody", "usernames are lower-cased");

    // Stored as Argon2id PHC strings, never the password.
    let hashes = db.raw_strings("SELECT password_hash FROM users ORDER BY id").await;
    assert_eq!(hashes.len(), 3);
    assert!(hashes.iter().all(|hash| hash.starts_with("$argon2id$")), "{hashes:?}");
    assert!(hashes.iter().all(|hash| !hash.contains("password") && !hash.contains("horse")));

    let ok = store.verify_password("CODY", "coder password").await.unwrap().expect("right password");
    assert_eq!(ok.id, p.coder.id);
    assert!(store.verify_password("cody", "coder passwort").await.unwrap().is_none());
    assert!(store.verify_password("nobody", "coder password").await.unwrap().is_none());
    assert!(store.verify_password("not a name!", "whatever1").await.unwrap().is_none());
    assert!(store.verify_password("cody", &"x".repeat(5000)).await.unwrap().is_none());

    // Disabled users cannot log in, even with the right password.
    store.set_disabled(p.coder.id, true, p.admin.id).await.unwrap();
    assert!(store.verify_password("cody", "coder password").await.unwrap().is_none());
    store.set_disabled(p.coder.id, false, p.admin.id).await.unwrap();
    assert!(store.verify_password("cody", "coder password").await.unwrap().is_some());

    // Every attempt is audited; a name that is no user's is not recorded.
    let trail = store.audit_all(1000, None).await.unwrap();
    let logins: Vec<(AuditAction, Option<String>)> = trail
        .iter()
        .filter(|entry| matches!(entry.action, AuditAction::Login | AuditAction::LoginFailed))
        .map(|entry| (entry.action, entry.detail["reason"].as_str().map(str::to_owned)))
        .collect();
    assert_eq!(
        logins,
        vec![
            (AuditAction::Login, None),
            (AuditAction::LoginFailed, Some("wrong_password".into())),
            (AuditAction::LoginFailed, Some("unknown_user".into())),
            (AuditAction::LoginFailed, Some("unknown_user".into())),
            (AuditAction::LoginFailed, Some("wrong_password".into())),
            (AuditAction::LoginFailed, Some("disabled".into())),
            (AuditAction::Login, None),
        ]
    );
    let serialized = serde_json::to_string(&trail).unwrap();
    assert!(!serialized.contains("nobody") && !serialized.contains("coder password"), "{serialized}");

    // Passwords can be changed by their owner; sessions end.
    let session = store.create_session(p.coder.id, Duration::from_secs(60)).await.unwrap();
    store.set_password(p.coder.id, "a new coder password", p.coder.id).await.unwrap();
    assert!(store.session(&session.token).await.unwrap().is_none());
    assert!(store.verify_password("cody", "coder password").await.unwrap().is_none());
    assert!(store.verify_password("cody", "a new coder password").await.unwrap().is_some());
    assert_invalid(store.set_password(p.coder.id, "short", p.coder.id).await, "at least 8");

    // ensure_admin again resets the password and keeps the account.
    let (again, created) = store.ensure_admin("ADMIN", "another admin password").await.unwrap();
    assert!(!created);
    assert_eq!(again.id, p.admin.id);
    assert!(store.verify_password("admin", ADMIN_PASSWORD).await.unwrap().is_none());
    assert!(store.verify_password("admin", "another admin password").await.unwrap().is_some());
    let bootstraps = store
        .audit_all(1000, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action == AuditAction::AdminBootstrap)
        .map(|entry| (entry.user_id, entry.detail["created"].as_bool()))
        .collect::<Vec<_>>();
    assert_eq!(bootstraps, vec![(None, Some(true)), (None, Some(false))]);
}

async fn user_management_is_for_admins(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let newcomer = NewUser {
        username: "nina".into(),
        display_name: "Nina".into(),
        role: Role::Coder,
        password: "nina's password".into(),
    };
    assert_forbidden(store.create_user(&newcomer, p.coder.id).await);
    assert_forbidden(store.create_user(&newcomer, p.reviewer.id).await);
    assert_forbidden(store.set_role(p.coder.id, Role::Admin, p.coder.id).await);
    assert_forbidden(store.set_disabled(p.reviewer.id, true, p.coder.id).await);
    assert_forbidden(store.set_password(p.reviewer.id, "hijacked password", p.coder.id).await);
    let duplicate = NewUser { username: "CODY".into(), ..newcomer.clone() };
    assert!(matches!(store.create_user(&duplicate, p.admin.id).await, Err(StoreError::Conflict { .. })));
    assert_invalid(
        store.create_user(&NewUser { username: "a b".into(), ..newcomer.clone() }, p.admin.id).await,
        "username",
    );

    let promoted = store.set_role(p.coder.id, Role::Reviewer, p.admin.id).await.unwrap();
    assert_eq!(promoted.role, Role::Reviewer);
    assert_eq!(store.user(p.coder.id).await.unwrap().unwrap().role, Role::Reviewer);
    // The last enabled admin stays an admin.
    assert_invalid(store.set_role(p.admin.id, Role::Coder, p.admin.id).await, "last enabled admin");
    assert_invalid(store.set_disabled(p.admin.id, true, p.admin.id).await, "last enabled admin");

    let users = store.list_users().await.unwrap();
    assert_eq!(users.iter().map(|u| u.username.as_str()).collect::<Vec<_>>(), ["admin", "cody", "rita"]);
    assert_eq!(store.user_by_username("Rita").await.unwrap().unwrap().id, p.reviewer.id);

    let role_changes: Vec<_> = store
        .audit_all(1000, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action == AuditAction::RoleChanged)
        .collect();
    assert_eq!(role_changes.len(), 1);
    assert_eq!(role_changes[0].user_id, Some(p.admin.id));
    assert_eq!(role_changes[0].detail["before"]["role"], "coder");
    assert_eq!(role_changes[0].detail["after"]["role"], "reviewer");

    // A disabled user can do nothing.
    store.set_disabled(p.reviewer.id, true, p.admin.id).await.unwrap();
    assert_forbidden(store.submit_case(&new_case("disabled"), p.reviewer.id).await);
    assert_forbidden(store.create_session(p.reviewer.id, Duration::from_secs(60)).await);
}

async fn api_keys(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let (key, secret) = store.create_api_key(p.coder.id, "folder watcher", p.coder.id).await.unwrap();
    assert!(secret.starts_with("isk_") && secret.len() == 36, "{secret}");
    assert!(secret[4..].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    assert_eq!(key.prefix, &secret[..12]);
    assert_eq!(key.label, "folder watcher");
    assert_eq!(key.user_id, p.coder.id);

    // Only the SHA-256 and the display prefix are stored.
    let stored = db.raw_strings("SELECT key_hash FROM api_keys").await;
    assert_eq!(stored, vec![sha256_hex(&secret)]);
    let everything = db.raw_strings("SELECT label || ' ' || prefix || ' ' || key_hash FROM api_keys").await.join(" ");
    assert!(!everything.contains(&secret), "the secret itself is stored");
    let trail = serde_json::to_string(&store.audit_all(1000, None).await.unwrap()).unwrap();
    assert!(!trail.contains(&secret), "the secret is in the audit trail");

    let user = store.authenticate_api_key(&secret).await.unwrap().expect("key authenticates");
    assert_eq!(user.id, p.coder.id);
    assert!(store.list_api_keys(p.coder.id).await.unwrap()[0].last_used_at.is_some());
    let mut wrong = secret.clone().into_bytes();
    wrong[20] = if wrong[20] == b'A' { b'B' } else { b'A' };
    assert!(store.authenticate_api_key(&String::from_utf8(wrong).unwrap()).await.unwrap().is_none());
    assert!(store.authenticate_api_key("isk_short").await.unwrap().is_none());
    assert!(store.authenticate_api_key("").await.unwrap().is_none());

    // Keys of disabled users stop working while they are disabled.
    store.set_disabled(p.coder.id, true, p.admin.id).await.unwrap();
    assert!(store.authenticate_api_key(&secret).await.unwrap().is_none());
    store.set_disabled(p.coder.id, false, p.admin.id).await.unwrap();
    assert!(store.authenticate_api_key(&secret).await.unwrap().is_some());

    // Only the owner or an admin creates and revokes.
    assert_forbidden(store.create_api_key(p.coder.id, "sneaky", p.reviewer.id).await);
    assert_forbidden(store.revoke_api_key(key.id, p.reviewer.id).await);
    let (admin_made, admin_secret) = store.create_api_key(p.reviewer.id, "made by admin", p.admin.id).await.unwrap();
    assert_eq!(store.authenticate_api_key(&admin_secret).await.unwrap().unwrap().id, p.reviewer.id);

    let revoked = store.revoke_api_key(key.id, p.coder.id).await.unwrap();
    assert!(revoked.revoked_at.is_some());
    assert!(store.authenticate_api_key(&secret).await.unwrap().is_none());
    store.revoke_api_key(key.id, p.coder.id).await.unwrap();
    store.revoke_api_key(admin_made.id, p.admin.id).await.unwrap();
    assert!(store.authenticate_api_key(&admin_secret).await.unwrap().is_none());
    assert!(matches!(store.revoke_api_key(9999, p.admin.id).await, Err(StoreError::NotFound { .. })));

    let audited: Vec<AuditAction> = store
        .audit_all(1000, None)
        .await
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .filter(|action| matches!(action, AuditAction::ApiKeyCreated | AuditAction::ApiKeyRevoked))
        .collect();
    assert_eq!(
        audited,
        [
            AuditAction::ApiKeyCreated,
            AuditAction::ApiKeyCreated,
            AuditAction::ApiKeyRevoked,
            AuditAction::ApiKeyRevoked
        ]
    );
}

async fn sessions(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let created = store.create_session(p.coder.id, Duration::from_secs(3600)).await.unwrap();
    assert_eq!(created.token.len(), 64);
    assert_ne!(created.token, created.csrf_token);
    let session = store.session(&created.token).await.unwrap().expect("live session");
    assert_eq!(session.user.id, p.coder.id);
    assert_eq!(session.csrf_token, created.csrf_token);
    assert_eq!(session.expires_at, created.expires_at);

    // Only the token's hash is stored.
    assert_eq!(db.raw_strings("SELECT token_hash FROM sessions").await, vec![sha256_hex(&created.token)]);
    assert!(store.session(&sha256_hex(&created.token)).await.unwrap().is_none());
    assert!(store.session("not a token").await.unwrap().is_none());

    // Expiry.
    let short = store.create_session(p.reviewer.id, Duration::from_millis(1)).await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    assert!(store.session(&short.token).await.unwrap().is_none());
    assert_eq!(store.delete_expired_sessions().await.unwrap(), 1);
    assert!(store.session(&created.token).await.unwrap().is_some());

    // Logout.
    assert!(store.delete_session(&created.token).await.unwrap());
    assert!(store.session(&created.token).await.unwrap().is_none());
    assert!(!store.delete_session(&created.token).await.unwrap());
    let logouts = store
        .audit_all(1000, None)
        .await
        .unwrap()
        .into_iter()
        .filter(|entry| entry.action == AuditAction::Logout)
        .map(|entry| entry.user_id)
        .collect::<Vec<_>>();
    assert_eq!(logouts, vec![Some(p.coder.id)]);

    // Disabling a user ends their sessions.
    let again = store.create_session(p.coder.id, Duration::from_secs(3600)).await.unwrap();
    store.set_disabled(p.coder.id, true, p.admin.id).await.unwrap();
    store.set_disabled(p.coder.id, false, p.admin.id).await.unwrap();
    assert!(store.session(&again.token).await.unwrap().is_none());
}

async fn case_lifecycle(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let start = Timestamp::now();
    let submitted = store.submit_case(&new_case("OR 2026-03-14 room 4"), p.reviewer.id).await.unwrap();
    let id = submitted.case.id;
    assert_eq!(submitted.case.status, CaseStatus::Queued);
    assert_eq!(submitted.case.version, 1);
    assert_eq!(submitted.case.created_by, p.reviewer.id);
    assert_eq!(submitted.case.year, 2026);
    assert!(submitted.case.note_text.contains(NOTE_MARKER));
    assert_eq!(submitted.lines.len(), 3);
    assert!(submitted.lines.iter().all(|l| l.status == LineStatus::Proposed));
    assert_eq!(submitted.lines.iter().map(|l| l.position).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(submitted.lines[0].rule_id.as_deref(), Some("ARTH001"));
    assert_eq!(submitted.lines[0].proposed, Some(values("22633", "", 1)));
    assert!(!format!("{submitted:?}").contains(NOTE_MARKER), "Debug output leaks the note");

    let summaries = store.list_cases(&CaseFilter::default(), 50, 0).await.unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(summaries[0].id, id);
    assert_eq!((summaries[0].lines_total, summaries[0].lines_undecided), (3, 3));
    assert!(!serde_json::to_string(&summaries).unwrap().contains(NOTE_MARKER));

    let assigned = store.assign(id, Some(p.coder.id), p.reviewer.id, 1).await.unwrap();
    assert_eq!(
        (assigned.case.status, assigned.case.assignee, assigned.case.version),
        (CaseStatus::InProgress, Some(p.coder.id), 2)
    );

    let accepted = store.accept_line(id, 1, p.coder.id).await.unwrap();
    assert_eq!(accepted.case.version, 3);
    assert_eq!(accepted.line(1).unwrap().status, LineStatus::Accepted);
    assert_eq!(accepted.line(1).unwrap().updated_by, p.coder.id);

    let adjusted = store
        .adjust_line(id, 2, &values("22634", "xs, 62", 2), "co-surgeon documented at L5-S1", p.coder.id)
        .await
        .unwrap();
    let line2 = adjusted.line(2).unwrap();
    assert_eq!((line2.status, line2.modifiers.as_str(), line2.units), (LineStatus::Adjusted, "XS 62", 2));
    assert_eq!(line2.reason.as_deref(), Some("co-surgeon documented at L5-S1"));
    assert_eq!(line2.proposed, Some(values("22634", "", 1)), "the proposal is kept");
    assert_eq!(adjusted.case.version, 4);

    let removed = store.remove_line(id, 3, "instrumentation is 22840 not 22842", p.coder.id).await.unwrap();
    assert_eq!(removed.line(3).unwrap().status, LineStatus::Removed);
    assert_eq!(removed.line(3).unwrap().code, "22842");

    let added =
        store.add_line(id, &values("22840", "", 1), "segmental fixation, 3 segments", p.coder.id).await.unwrap();
    let line4 = added.line(4).unwrap();
    assert_eq!(
        (line4.status, line4.code.as_str(), line4.rule_id.as_ref(), line4.proposed.as_ref()),
        (LineStatus::Added, "22840", None, None)
    );
    assert_eq!(added.case.version, 6);

    let finalized = store.finalize(id, p.coder.id, 6).await.unwrap();
    assert_eq!(finalized.case.status, CaseStatus::Finalized);
    assert_eq!(finalized.case.version, 7);
    assert_eq!(finalized.case.finalized_by, Some(p.coder.id));
    assert!(finalized.case.finalized_at.is_some());

    // The trail: one row per change, in order, with before and after.
    let trail = store.audit(id).await.unwrap();
    assert_eq!(
        trail.iter().map(|entry| entry.action).collect::<Vec<_>>(),
        [
            AuditAction::Submit,
            AuditAction::Assign,
            AuditAction::AcceptLine,
            AuditAction::AdjustLine,
            AuditAction::RemoveLine,
            AuditAction::AddLine,
            AuditAction::Finalize,
        ]
    );
    assert!(trail.windows(2).all(|pair| pair[0].id < pair[1].id && pair[0].at <= pair[1].at));
    assert!(trail.iter().all(|entry| entry.case_id == Some(id)));
    assert_eq!(trail[0].user_id, Some(p.reviewer.id));
    assert_eq!(trail[0].detail["lines"].as_array().unwrap().len(), 3);
    assert_eq!(trail[1].detail["before"]["assignee"], serde_json::Value::Null);
    assert_eq!(trail[1].detail["after"]["assignee"], p.coder.id);
    assert_eq!(trail[1].detail["after"]["status"], "in_progress");
    assert_eq!(trail[2].detail["before"]["status"], "proposed");
    assert_eq!(trail[2].detail["after"]["status"], "accepted");
    assert_eq!(trail[3].detail["before"]["modifiers"], "");
    assert_eq!(trail[3].detail["after"]["modifiers"], "XS 62");
    assert_eq!(trail[3].detail["after"]["units"], 2);
    assert_eq!(trail[3].detail["reason"], "co-surgeon documented at L5-S1");
    assert_eq!(trail[3].detail["version"], 4);
    assert_eq!(trail[4].detail["after"]["status"], "removed");
    assert_eq!(trail[5].detail["before"], serde_json::Value::Null);
    assert_eq!(trail[5].detail["position"], 4);
    assert_eq!(trail[6].detail["after"]["status"], "finalized");
    assert!(trail[2..].iter().all(|entry| entry.user_id == Some(p.coder.id)));
    let serialized = serde_json::to_string(&trail).unwrap();
    assert!(!serialized.contains(NOTE_MARKER), "the audit trail holds note or report text");

    // Export.
    let exported = store.finalized_cases(start).await.unwrap();
    assert_eq!(exported.len(), 1);
    assert_eq!(exported[0].id, id);
    assert_eq!(exported[0].finalized_by, p.coder.id);
    let billed: Vec<(&str, &str, u32)> = exported[0]
        .lines
        .iter()
        .filter(|l| l.status.is_billed())
        .map(|l| (l.code.as_str(), l.modifiers.as_str(), l.units))
        .collect();
    assert_eq!(billed, [("22633", "", 1), ("22634", "XS 62", 2), ("22840", "", 1)]);
    assert!(!format!("{exported:?}").contains(NOTE_MARKER));
    let later = Timestamp::now().checked_add(jiff::SignedDuration::from_secs(60)).unwrap();
    assert!(store.finalized_cases(later).await.unwrap().is_empty());
    assert_eq!(store.finalized_case(id).await.unwrap().as_ref(), Some(&exported[0]));
    let open = store.submit_case(&new_case("still open"), p.coder.id).await.unwrap();
    assert!(store.finalized_case(open.case.id).await.unwrap().is_none());
    assert!(store.finalized_case(interspace_store::Uuid::now_v7()).await.unwrap().is_none());

    let summary = &store
        .list_cases(&CaseFilter { status: Some(CaseStatus::Finalized), ..Default::default() }, 10, 0)
        .await
        .unwrap()[0];
    assert_eq!((summary.version, summary.lines_total, summary.lines_undecided), (7, 4, 0));
}

async fn reasons_are_required(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let case = store.submit_case(&new_case("reasons"), p.coder.id).await.unwrap();
    let id = case.case.id;
    assert_invalid(store.adjust_line(id, 1, &values("22633", "62", 1), "", p.coder.id).await, "reason");
    assert_invalid(store.remove_line(id, 1, "   ", p.coder.id).await, "reason");
    assert_invalid(store.add_line(id, &values("22840", "", 1), "\n", p.coder.id).await, "reason");
    assert_invalid(store.adjust_line(id, 1, &values("226-33", "", 1), "typo", p.coder.id).await, "226-33");
    assert_invalid(store.adjust_line(id, 1, &values("22633", "XSS", 1), "typo", p.coder.id).await, "XSS");
    assert_invalid(store.adjust_line(id, 1, &values("22633", "", 0), "typo", p.coder.id).await, "units");
    assert!(matches!(store.accept_line(id, 9, p.coder.id).await, Err(StoreError::NotFound { .. })));
    // An added line is not "accepted".
    let added = store.add_line(id, &values("20936", "", 1), "local autograft documented", p.coder.id).await.unwrap();
    assert_invalid(store.accept_line(id, 4, p.coder.id).await, "added by a coder");
    // Adjusting an added line keeps it added.
    let adjusted = store.adjust_line(id, 4, &values("20937", "", 1), "separate incision", p.coder.id).await.unwrap();
    assert_eq!(adjusted.line(4).unwrap().status, LineStatus::Added);
    assert_eq!(added.case.version + 1, adjusted.case.version);
    // Accepting after an adjustment restores the proposal.
    store.adjust_line(id, 1, &values("22630", "", 1), "changed my mind later", p.coder.id).await.unwrap();
    let restored = store.accept_line(id, 1, p.coder.id).await.unwrap();
    let line1 = restored.line(1).unwrap();
    assert_eq!((line1.code.as_str(), line1.status, line1.reason.as_deref()), ("22633", LineStatus::Accepted, None));
    // Failed calls changed nothing: the version counts the five successful changes only.
    assert_eq!(restored.case.version, 1 + 4);
    assert_eq!(store.audit(id).await.unwrap().len(), 5);

    // The database refuses a decided line without a reason too.
    let refused = db.raw_exec("UPDATE case_lines SET status = 'removed', reason = NULL WHERE position = 2").await;
    assert!(refused.is_err(), "CHECK constraint did not fire");
}

async fn finalize_refused_with_undecided_lines(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let case = store.submit_case(&new_case("undecided"), p.coder.id).await.unwrap();
    let id = case.case.id;
    store.accept_line(id, 2, p.coder.id).await.unwrap();
    let refused = store.finalize(id, p.coder.id, 2).await;
    assert_invalid(refused, "position 1, 3");
    let now = store.case(id, p.coder.id).await.unwrap().unwrap();
    assert_eq!((now.case.status, now.case.version), (CaseStatus::InProgress, 2));
    assert!(!actions(store, &now).await.contains(&AuditAction::Finalize));

    store.accept_line(id, 1, p.coder.id).await.unwrap();
    store.remove_line(id, 3, "not documented", p.coder.id).await.unwrap();
    let done = store.finalize(id, p.reviewer.id, 4).await.unwrap();
    assert_eq!(done.case.status, CaseStatus::Finalized);

    // A case without lines (nothing billable) can be finalized.
    let empty =
        store.submit_case(&NewCase { proposed_lines: vec![], ..new_case("no lines") }, p.coder.id).await.unwrap();
    assert_eq!(store.finalize(empty.case.id, p.coder.id, 1).await.unwrap().case.status, CaseStatus::Finalized);
}

async fn stale_version_is_a_conflict(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let case = store.submit_case(&new_case("stale"), p.coder.id).await.unwrap();
    let id = case.case.id;
    store.assign(id, Some(p.coder.id), p.reviewer.id, 1).await.unwrap();
    // Someone else read version 1 and acts on it.
    assert_conflict(store.assign(id, Some(p.reviewer.id), p.reviewer.id, 1).await, 2);
    store.accept_line(id, 1, p.coder.id).await.unwrap();
    store.accept_line(id, 2, p.coder.id).await.unwrap();
    store.accept_line(id, 3, p.coder.id).await.unwrap();
    assert_conflict(store.finalize(id, p.coder.id, 2).await, 5);
    assert_conflict(store.reject(id, "wrong note", p.coder.id, 4).await, 5);
    let finalized = store.finalize(id, p.coder.id, 5).await.unwrap();
    assert_eq!(finalized.case.version, 6);
    let missing = interspace_store::Uuid::now_v7();
    assert!(matches!(store.finalize(missing, p.coder.id, 1).await, Err(StoreError::NotFound { .. })));
    assert!(store.case(missing, p.coder.id).await.unwrap().is_none());
}

async fn finalized_and_rejected_cases_are_read_only(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let case = store.submit_case(&new_case("read-only"), p.coder.id).await.unwrap();
    let id = case.case.id;
    for position in 1..=3 {
        store.accept_line(id, position, p.coder.id).await.unwrap();
    }
    store.finalize(id, p.coder.id, 4).await.unwrap();
    assert_conflict(store.accept_line(id, 1, p.coder.id).await, 5);
    assert_conflict(store.adjust_line(id, 1, &values("22630", "", 1), "late change", p.coder.id).await, 5);
    assert_conflict(store.remove_line(id, 1, "late change", p.coder.id).await, 5);
    assert_conflict(store.add_line(id, &values("22840", "", 1), "late change", p.coder.id).await, 5);
    assert_conflict(store.assign(id, Some(p.reviewer.id), p.admin.id, 5).await, 5);
    assert_conflict(store.finalize(id, p.coder.id, 5).await, 5);
    assert_conflict(store.reject(id, "late", p.coder.id, 5).await, 5);
    let now = store.case(id, p.admin.id).await.unwrap().unwrap();
    assert_eq!(now.case.version, 5);
    assert_eq!(now.lines, store.case(id, p.admin.id).await.unwrap().unwrap().lines);
    assert_eq!(store.audit(id).await.unwrap().len(), 1 + 3 + 1 + 2, "submit, 3 accepts, finalize, 2 reads");

    let other = store.submit_case(&new_case("not spine"), p.coder.id).await.unwrap();
    let rejected =
        store.reject(other.case.id, "cervical note sent to the lumbar queue", p.reviewer.id, 1).await.unwrap();
    assert_eq!(rejected.case.status, CaseStatus::Rejected);
    assert_eq!(rejected.case.rejected_reason.as_deref(), Some("cervical note sent to the lumbar queue"));
    assert_conflict(store.accept_line(other.case.id, 1, p.coder.id).await, 2);
    assert_invalid(store.reject(id, "", p.coder.id, 5).await, "reason");
}

async fn reads_are_audited(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let case = store.submit_case(&new_case("reads"), p.coder.id).await.unwrap();
    let id = case.case.id;
    let first = store.case(id, p.reviewer.id).await.unwrap().unwrap();
    assert!(first.case.note_text.contains(NOTE_MARKER));
    store.case(id, p.coder.id).await.unwrap().unwrap();
    store.accept_line(id, 1, p.coder.id).await.unwrap();
    store.case(id, p.reviewer.id).await.unwrap().unwrap();
    let trail = store.audit(id).await.unwrap();
    let seen: Vec<(AuditAction, Option<i64>)> = trail.iter().map(|entry| (entry.action, entry.user_id)).collect();
    assert_eq!(
        seen,
        [
            (AuditAction::Submit, Some(p.coder.id)),
            (AuditAction::Read, Some(p.reviewer.id)),
            (AuditAction::Read, Some(p.coder.id)),
            (AuditAction::AcceptLine, Some(p.coder.id)),
            (AuditAction::Read, Some(p.reviewer.id)),
        ]
    );
    assert_eq!(trail[1].detail["version"], 1);
    assert_eq!(trail[4].detail["version"], 2);
    // Listing shows no note and writes no audit row.
    store.list_cases(&CaseFilter::default(), 10, 0).await.unwrap();
    assert_eq!(store.audit(id).await.unwrap().len(), 5);
    // Unknown or disabled readers see nothing and leave no read row.
    assert_forbidden(store.case(id, 9999).await);
    store.set_disabled(p.reviewer.id, true, p.admin.id).await.unwrap();
    assert_forbidden(store.case(id, p.reviewer.id).await);
    assert_eq!(store.audit(id).await.unwrap().len(), 5);

    // audit_all pages in id order.
    let all = store.audit_all(1000, None).await.unwrap();
    let mut paged = Vec::new();
    let mut after = None;
    loop {
        let page = store.audit_all(3, after).await.unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        paged.extend(page);
    }
    assert_eq!(paged, all);
    assert!(all.windows(2).all(|pair| pair[0].id < pair[1].id));
    assert!(!serde_json::to_string(&all).unwrap().contains(NOTE_MARKER));
}

async fn change_and_audit_commit_together(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let case = store.submit_case(&new_case("atomic"), p.coder.id).await.unwrap();
    let id = case.case.id;
    let audit_rows = db.raw_i64("SELECT COUNT(*) FROM audit").await;

    // 1. The audit insert fails after the line was updated: the line change must roll back.
    let (fail_audit, unfail_audit) = if db.is_postgres() {
        (
            "CREATE FUNCTION test_fail() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN RAISE EXCEPTION 'injected failure'; END; $$; \
             CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit FOR EACH ROW \
             WHEN (NEW.action = 'adjust_line') EXECUTE FUNCTION test_fail();",
            "DROP TRIGGER test_fail_audit ON audit;",
        )
    } else {
        (
            "CREATE TRIGGER test_fail_audit BEFORE INSERT ON audit WHEN NEW.action = 'adjust_line' \
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
            "DROP TRIGGER test_fail_audit;",
        )
    };
    db.raw_exec(fail_audit).await.expect("install failing audit trigger");
    let failed = store.adjust_line(id, 1, &values("22630", "", 1), "should not stick", p.coder.id).await;
    assert!(
        matches!(&failed, Err(StoreError::Database(message)) if message.contains("injected failure")),
        "{failed:?}"
    );
    db.raw_exec(unfail_audit).await.unwrap();
    assert_eq!(db.raw_i64("SELECT COUNT(*) FROM audit").await, audit_rows, "an audit row was written");
    assert_eq!(db.raw_strings("SELECT code FROM case_lines WHERE position = 1").await, ["22633"], "the change stuck");
    assert_eq!(db.raw_i64("SELECT version FROM cases").await, 1, "the version bump stuck");

    // 2. The line update fails after the version was bumped: nothing may remain, no audit row.
    let (fail_line, unfail_line) = if db.is_postgres() {
        (
            "CREATE TRIGGER test_fail_line BEFORE UPDATE ON case_lines FOR EACH ROW EXECUTE FUNCTION test_fail();",
            "DROP TRIGGER test_fail_line ON case_lines;",
        )
    } else {
        (
            "CREATE TRIGGER test_fail_line BEFORE UPDATE ON case_lines BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
            "DROP TRIGGER test_fail_line;",
        )
    };
    db.raw_exec(fail_line).await.expect("install failing line trigger");
    assert!(store.remove_line(id, 2, "should not stick", p.coder.id).await.is_err());
    assert!(store.finalize(id, p.coder.id, 1).await.is_err());
    db.raw_exec(unfail_line).await.unwrap();
    assert_eq!(db.raw_i64("SELECT COUNT(*) FROM audit").await, audit_rows);
    assert_eq!(db.raw_i64("SELECT version FROM cases").await, 1);
    assert_eq!(db.raw_strings("SELECT status FROM case_lines ORDER BY position").await, ["proposed"; 3]);

    // And with the failures gone, the same calls work and are audited once each.
    store.adjust_line(id, 1, &values("22630", "", 1), "now it sticks", p.coder.id).await.unwrap();
    store.remove_line(id, 2, "now it sticks", p.coder.id).await.unwrap();
    assert_eq!(db.raw_i64("SELECT COUNT(*) FROM audit").await, audit_rows + 2);
    assert_eq!(db.raw_i64("SELECT version FROM cases").await, 3);
}

async fn audit_rows_cannot_be_changed(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let case = store.submit_case(&new_case("tamper"), p.coder.id).await.unwrap();
    store.case(case.case.id, p.reviewer.id).await.unwrap();
    let before = store.audit_all(1000, None).await.unwrap();

    let update = db.raw_exec("UPDATE audit SET user_id = NULL WHERE action = 'read'").await;
    assert!(update.as_ref().is_err_and(|e| e.contains("append-only")), "{update:?}");
    let delete = db.raw_exec("DELETE FROM audit WHERE action = 'read'").await;
    assert!(delete.as_ref().is_err_and(|e| e.contains("append-only")), "{delete:?}");
    let delete_all = db.raw_exec("DELETE FROM audit").await;
    assert!(delete_all.is_err());
    if db.is_postgres() {
        let truncate = db.raw_exec("TRUNCATE audit").await;
        assert!(truncate.as_ref().is_err_and(|e| e.contains("append-only")), "{truncate:?}");
    }
    assert_eq!(store.audit_all(1000, None).await.unwrap(), before);
}

async fn coders_assign_only_themselves(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let other_coder = store
        .create_user(
            &NewUser {
                username: "otto".into(),
                display_name: "Otto".into(),
                role: Role::Coder,
                password: "otto's password".into(),
            },
            p.admin.id,
        )
        .await
        .unwrap();
    let case = store.submit_case(&new_case("assign"), p.reviewer.id).await.unwrap();
    let id = case.case.id;
    assert_forbidden(store.assign(id, Some(other_coder.id), p.coder.id, 1).await);
    let taken = store.assign(id, Some(p.coder.id), p.coder.id, 1).await.unwrap();
    assert_eq!(taken.case.assignee, Some(p.coder.id));
    assert_forbidden(store.assign(id, Some(other_coder.id), other_coder.id, 2).await);
    assert_forbidden(store.assign(id, None, other_coder.id, 2).await);
    let released = store.assign(id, None, p.coder.id, 2).await.unwrap();
    assert_eq!((released.case.assignee, released.case.status), (None, CaseStatus::Queued));
    let handed = store.assign(id, Some(other_coder.id), p.reviewer.id, 3).await.unwrap();
    assert_eq!(handed.case.assignee, Some(other_coder.id));
    assert_invalid(store.assign(id, Some(9999), p.admin.id, 4).await, "does not exist");
    store.set_disabled(other_coder.id, true, p.admin.id).await.unwrap();
    assert_invalid(store.assign(id, Some(other_coder.id), p.admin.id, 4).await, "disabled");
    assert_forbidden(store.accept_line(id, 1, other_coder.id).await);
    assert_eq!(store.case(id, p.admin.id).await.unwrap().unwrap().case.version, 4);
}

async fn listing_and_counting(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(store.submit_case(&new_case(&format!("case {n}")), p.reviewer.id).await.unwrap().case.id);
    }
    store.assign(ids[1], Some(p.coder.id), p.reviewer.id, 1).await.unwrap();
    store.assign(ids[2], Some(p.reviewer.id), p.reviewer.id, 1).await.unwrap();
    let rejected = store.reject(ids[4], "duplicate", p.reviewer.id, 1).await.unwrap();
    assert_eq!(rejected.case.status, CaseStatus::Rejected);

    let all = store.list_cases(&CaseFilter::default(), 100, 0).await.unwrap();
    assert_eq!(all.iter().map(|c| c.id).collect::<Vec<_>>(), ids, "oldest first");
    let newest = store.list_cases(&CaseFilter { newest_first: true, ..Default::default() }, 100, 0).await.unwrap();
    assert_eq!(newest.iter().map(|c| c.id).rev().collect::<Vec<_>>(), ids);
    let page = store.list_cases(&CaseFilter::default(), 2, 2).await.unwrap();
    assert_eq!(page.iter().map(|c| c.id).collect::<Vec<_>>(), &ids[2..4]);

    let mine = CaseFilter { assignee: AssigneeFilter::User(p.coder.id), ..Default::default() };
    assert_eq!(store.list_cases(&mine, 100, 0).await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), [ids[1]]);
    let unassigned = CaseFilter { assignee: AssigneeFilter::Unassigned, ..Default::default() };
    assert_eq!(store.count_cases(&unassigned).await.unwrap(), 3);
    let queued_unassigned =
        CaseFilter { status: Some(CaseStatus::Queued), assignee: AssigneeFilter::Unassigned, newest_first: false };
    assert_eq!(
        store.list_cases(&queued_unassigned, 100, 0).await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(),
        [ids[0], ids[3]]
    );
    assert_eq!(
        store.count_cases(&CaseFilter { status: Some(CaseStatus::InProgress), ..Default::default() }).await.unwrap(),
        2
    );
    assert_eq!(
        store.count_cases(&CaseFilter { status: Some(CaseStatus::Rejected), ..Default::default() }).await.unwrap(),
        1
    );
    assert_eq!(store.count_cases(&CaseFilter::default()).await.unwrap(), 5);

    // Input checks on submission.
    assert_invalid(store.submit_case(&NewCase { title: " ".into(), ..new_case("x") }, p.coder.id).await, "title");
    assert_invalid(store.submit_case(&NewCase { note_text: "\n".into(), ..new_case("x") }, p.coder.id).await, "note");
    assert_invalid(store.submit_case(&NewCase { report_json: "{".into(), ..new_case("x") }, p.coder.id).await, "JSON");
    assert_invalid(store.submit_case(&NewCase { year: 1999, ..new_case("x") }, p.coder.id).await, "year");
    assert_eq!(store.count_cases(&CaseFilter::default()).await.unwrap(), 5);
}

async fn concurrent_changes_serialize(db: Db) {
    let store = &db.store;
    let p = people(store).await;
    let case = store.submit_case(&new_case("busy"), p.coder.id).await.unwrap();
    let id = case.case.id;
    let mut tasks = Vec::new();
    for n in 0..8_u32 {
        let store = store.clone();
        let by = if n % 2 == 0 { p.coder.id } else { p.reviewer.id };
        tasks.push(tokio::spawn(async move {
            store
                .add_line(id, &values("22614", "", n + 1), "additional level", by)
                .await
                .map(|detail| detail.case.version)
        }));
    }
    let mut versions = Vec::new();
    for task in tasks {
        versions.push(task.await.unwrap().expect("concurrent add_line"));
    }
    versions.sort_unstable();
    assert_eq!(versions, (2..=9).collect::<Vec<i64>>(), "every change got its own version");
    let detail = store.case(id, p.coder.id).await.unwrap().unwrap();
    assert_eq!(detail.lines.iter().map(|l| l.position).collect::<Vec<_>>(), (1..=11).collect::<Vec<u32>>());
    let mut units: Vec<u32> = detail.lines[3..].iter().map(|l| l.units).collect();
    units.sort_unstable();
    assert_eq!(units, (1..=8).collect::<Vec<u32>>());
    assert_eq!(actions(store, &detail).await.iter().filter(|a| **a == AuditAction::AddLine).count(), 8);
}

async fn reopening_keeps_every_acknowledged_change(db: Db) {
    let p = people(&db.store).await;
    let case = db.store.submit_case(&new_case("durable"), p.coder.id).await.unwrap();
    let id = case.case.id;
    db.store.accept_line(id, 1, p.coder.id).await.unwrap();
    db.store.adjust_line(id, 2, &values("22634", "62", 1), "co-surgeon", p.coder.id).await.unwrap();
    db.store.remove_line(id, 3, "not documented", p.coder.id).await.unwrap();
    let finalized = db.store.finalize(id, p.coder.id, 4).await.unwrap();
    let (_, secret) = db.store.create_api_key(p.coder.id, "durable", p.coder.id).await.unwrap();
    let session = db.store.create_session(p.reviewer.id, Duration::from_secs(600)).await.unwrap();
    let trail = db.store.audit_all(1000, None).await.unwrap();
    db.store.close().await;

    let reopened = Store::open(&db.url).await.expect("reopen");
    let again = reopened.case(id, p.admin.id).await.unwrap().expect("case survives");
    assert_eq!(again.case, finalized.case);
    assert_eq!(again.lines, finalized.lines);
    assert_eq!(reopened.audit_all(1000, None).await.unwrap()[..trail.len()], trail[..]);
    assert_eq!(reopened.authenticate_api_key(&secret).await.unwrap().unwrap().id, p.coder.id);
    assert_eq!(reopened.session(&session.token).await.unwrap().unwrap().user.id, p.reviewer.id);
    assert!(reopened.verify_password("cody", "coder password").await.unwrap().is_some());
    reopened.close().await;
}

// ---------------------------------------------------------------------------------------------
// Backend-specific tests

#[tokio::test]
async fn sqlite_memory_url_works() {
    let store = Store::open("sqlite::memory:").await.expect("open sqlite::memory:");
    assert_eq!(store.backend(), Backend::Sqlite);
    let p = people(&store).await;
    let case = store.submit_case(&new_case("memory"), p.coder.id).await.unwrap();
    for position in 1..=3 {
        store.accept_line(case.case.id, position, p.coder.id).await.unwrap();
    }
    store.finalize(case.case.id, p.coder.id, 4).await.unwrap();
    assert_eq!(store.audit(case.case.id).await.unwrap().len(), 5);
    // Two memory stores are two databases.
    let other = Store::open("sqlite::memory:").await.unwrap();
    assert!(other.list_users().await.unwrap().is_empty());
}

#[tokio::test]
async fn open_errors_say_what_to_do() {
    let unsupported = Store::open("mysql://root@localhost/test").await.unwrap_err();
    assert!(matches!(&unsupported, StoreError::Invalid { message } if message.contains("sqlite://")), "{unsupported}");

    let dir = tempfile::tempdir().unwrap();
    let missing = format!("sqlite://{}/no/such/folder/x.db", dir.path().display());
    let error = Store::open(&missing).await.unwrap_err().to_string();
    assert!(error.contains("does not exist") && error.contains("folder"), "{error}");

    let created = dir.path().join("new.db");
    let store = Store::open(&format!("sqlite://{}", created.display())).await.expect("created if missing");
    store.close().await;
    assert!(created.exists());

    // Nothing listens on port 1: the message names the server but never the password.
    let error = Store::open("postgres://someone:Sup3rSecretPw@127.0.0.1:1/db").await.unwrap_err().to_string();
    assert!(error.contains("127.0.0.1:1") && error.contains("running"), "{error}");
    assert!(!error.contains("Sup3rSecretPw"), "{error}");
}

#[tokio::test]
async fn sqlite_file_uses_wal_and_full_sync() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pragmas.db");
    let store = Store::open(&format!("sqlite://{}", path.display())).await.unwrap();
    people(&store).await;
    let raw = SqlitePoolOptions::new().connect_with(SqliteConnectOptions::new().filename(&path)).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&raw).await.unwrap();
    assert_eq!(mode, "wal");
    assert!(path.with_file_name("pragmas.db-wal").exists());
    store.close().await;
    raw.close().await;
}

/// Acknowledged changes survive `kill -9`: a child process submits cases and prints each id once
/// the call returned; it is killed mid-stream; every printed id must be in the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_file_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("kill9.db").display());
    let store = Store::open(&url).await.unwrap();
    let (admin, _) = store.ensure_admin("admin", ADMIN_PASSWORD).await.unwrap();
    store.close().await;

    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["kill9_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("INTERSPACE_KILL9_URL", &url)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().unwrap();
    let acknowledged = tokio::task::spawn_blocking(move || {
        let mut ids = Vec::new();
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if let Some(id) = line.strip_prefix("ACK ") {
                ids.push(id.parse::<interspace_store::Uuid>().unwrap());
                if ids.len() == 30 {
                    break;
                }
            }
        }
        ids
    })
    .await
    .unwrap();
    child.kill().expect("kill -9 the child"); // SIGKILL on Unix
    child.wait().unwrap();
    assert_eq!(acknowledged.len(), 30, "the child stopped early");

    let store = Store::open(&url).await.unwrap();
    for id in &acknowledged {
        let case = store.case(*id, admin.id).await.unwrap();
        assert!(case.is_some(), "acknowledged case {id} is lost");
        assert_eq!(store.audit(*id).await.unwrap()[0].action, AuditAction::Submit);
    }
    store.close().await;
}

/// The child of `sqlite_file_survives_kill_9`; does nothing when run on its own.
#[tokio::test]
#[ignore = "helper process of sqlite_file_survives_kill_9"]
async fn kill9_child() {
    let Ok(url) = std::env::var("INTERSPACE_KILL9_URL") else { return };
    let store = Store::open(&url).await.unwrap();
    let admin = store.user_by_username("admin").await.unwrap().unwrap();
    let mut out = std::io::stdout();
    for n in 0..100_000 {
        let case = store.submit_case(&new_case(&format!("kill9 {n}")), admin.id).await.unwrap();
        writeln!(out, "ACK {}", case.case.id).unwrap();
        out.flush().unwrap();
    }
}
