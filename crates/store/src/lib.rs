//! The coder work queue and audit trail of Interspace.
//!
//! A [`Store`] keeps users, API keys, sessions, cases (an operative note, the engine's report and
//! the proposed CPT lines a coder decides) and an append-only audit trail, in an embedded SQLite
//! file (the default) or a PostgreSQL database (for teams). [`Store::open`] takes a URL and
//! applies the migrations.
//!
//! # Working a case
//!
//! ```text
//! submit_case ─▶ queued ─assign─▶ in_progress ─accept/adjust/remove/add_line…─▶ finalize ─▶ finalized
//!                  └──────────────────────── reject ──────────────────────────────────────▶ rejected
//! ```
//!
//! - Every line must be decided before [`Store::finalize`]: accepted as proposed, adjusted (with
//!   a reason), removed (with a reason); coders may add lines (with a reason).
//! - Finalized and rejected cases are read-only: any change is a [`StoreError::Conflict`].
//! - Each case has a `version`, 1 at submission and bumped by every change. Calls that take an
//!   `expected_version` (assign, finalize, reject) fail with [`StoreError::Conflict`] carrying the
//!   current version when someone changed the case since the caller read it. Line calls take
//!   none: they apply to the line as it is, and the audit trail records what they replaced.
//! - Mutating calls return the case as it now stands, so the caller has the new version.
//!
//! # Audit trail
//!
//! Every change (and every [`Store::case`], which shows the note) appends an [`AuditEntry`] in
//! the **same transaction** as the change: either both are written or neither. Entries hold who,
//! when, what, the case, and the values before and after — never note text or report JSON. The
//! store has no call to change or delete entries, and database triggers refuse UPDATE and DELETE on
//! the table. Logins, failed logins, logouts, API keys and user management are audited too.
//!
//! # Security
//!
//! Passwords are stored as Argon2id PHC strings; API keys (`isk_…`) and session tokens only as
//! SHA-256 digests. [`Store::verify_password`] takes as long for a missing user as for a wrong
//! password. Types carrying note text or secrets redact them in `Debug`. Error messages carry no
//! PHI and no secrets.
//!
//! # Durability
//!
//! SQLite runs in WAL mode with `synchronous=FULL`: when a call returns, its change is on disk
//! and survives a crash or `kill -9`. Writers take the write lock at `BEGIN` (`BEGIN IMMEDIATE`)
//! and wait up to 10 s for each other.

#[macro_use]
mod macros;

mod audit;
mod cases;
mod error;
mod model;
mod rows;
mod secret;
mod store;
mod users;
mod validate;

pub use error::StoreError;
pub use model::{
    ApiKey, ApiKeyId, AssigneeFilter, AuditAction, AuditEntry, Backend, Case, CaseDetail, CaseFilter, CaseId, CaseLine,
    CaseSource, CaseStatus, CaseSummary, FinalizedCase, LineStatus, LineValues, NewCase, NewLine, NewSession, NewUser,
    Role, Session, User, UserId,
};
pub use store::Store;
/// Re-exported so callers name the same versions the store uses.
pub use {jiff::Timestamp, uuid::Uuid};
