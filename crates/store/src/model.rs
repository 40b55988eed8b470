//! The public data types of the store: users, keys, sessions, cases, lines and audit entries.
//!
//! Types that carry protected health information (note text, the engine's report, which quotes
//! the note) print it as `<redacted>` in their `Debug` output, so a stray `{:?}` in a log line
//! never leaks it.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::StoreError;

/// A user's id (an integer assigned by the database).
pub type UserId = i64;
/// An API key's id (an integer assigned by the database).
pub type ApiKeyId = i64;
/// A case's id: a UUID v7, so ids sort by submission time.
pub type CaseId = Uuid;

/// Declares a closed set of names stored as TEXT, with `as_str`, `Display`, `FromStr` and serde in
/// the same snake_case spelling the database uses.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The name stored in the database and used in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = StoreError;

            fn from_str(text: &str) -> Result<$name, StoreError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(StoreError::invalid(format!(
                        concat!("unknown ", stringify!($name), " '{}': expected one of {}"),
                        text.chars().take(40).collect::<String>(),
                        [$($text),+].join(", ")
                    ))),
                }
            }
        }
    };
}

text_enum! {
    /// What a user may do. Every role may work cases (assign to self, decide lines, finalize);
    /// reviewers may also assign cases to others; admins also manage users.
    Role {
        /// Codes cases.
        Coder = "coder",
        /// Codes and reviews cases, and hands them out.
        Reviewer = "reviewer",
        /// Everything, plus user management.
        Admin = "admin",
    }
}

text_enum! {
    /// How a case came in.
    CaseSource {
        /// Posted to the JSON API.
        Api = "api",
        /// Uploaded through the web page.
        Upload = "upload",
        /// Picked up from a watched folder.
        Folder = "folder",
    }
}

text_enum! {
    /// Where a case is in the work queue.
    ///
    /// `queued` → (`assign` or a line decision) → `in_progress` → `finalize` → `finalized`;
    /// `reject` from `queued` or `in_progress` → `rejected`. Finalized and rejected cases are
    /// read-only. Unassigning an in-progress case puts it back to `queued`.
    CaseStatus {
        /// Waiting for a coder.
        Queued = "queued",
        /// Assigned or being worked.
        InProgress = "in_progress",
        /// Every line decided; read-only, ready for export.
        Finalized = "finalized",
        /// Cannot be coded (not a spine note, note incomplete, …); read-only.
        Rejected = "rejected",
    }
}

impl CaseStatus {
    /// Whether the case may still change (`queued` or `in_progress`).
    pub fn is_open(self) -> bool {
        matches!(self, CaseStatus::Queued | CaseStatus::InProgress)
    }
}

text_enum! {
    /// The coder's decision on a line.
    LineStatus {
        /// Proposed by the engine, not yet decided.
        Proposed = "proposed",
        /// Accepted as proposed.
        Accepted = "accepted",
        /// Proposed by the engine, changed by a coder (reason recorded).
        Adjusted = "adjusted",
        /// Struck by a coder (reason recorded); kept for the record, not billed.
        Removed = "removed",
        /// Added by a coder (reason recorded).
        Added = "added",
    }
}

impl LineStatus {
    /// Whether a coder has decided the line (anything but `proposed`).
    pub fn is_decided(self) -> bool {
        self != LineStatus::Proposed
    }

    /// Whether the line goes on the claim (accepted, adjusted or added).
    pub fn is_billed(self) -> bool {
        matches!(self, LineStatus::Accepted | LineStatus::Adjusted | LineStatus::Added)
    }
}

text_enum! {
    /// What an audit entry records.
    AuditAction {
        /// A user opened a case (note text shown).
        Read = "read",
        /// A case was submitted.
        Submit = "submit",
        /// A case was assigned or unassigned.
        Assign = "assign",
        /// A line was accepted.
        AcceptLine = "accept_line",
        /// A line was adjusted.
        AdjustLine = "adjust_line",
        /// A line was removed.
        RemoveLine = "remove_line",
        /// A line was added.
        AddLine = "add_line",
        /// A case was finalized.
        Finalize = "finalize",
        /// A case was rejected.
        Reject = "reject",
        /// A password login succeeded.
        Login = "login",
        /// A password login failed (unknown user, wrong password or disabled user).
        LoginFailed = "login_failed",
        /// A session was ended.
        Logout = "logout",
        /// An API key was created.
        ApiKeyCreated = "api_key_created",
        /// An API key was revoked.
        ApiKeyRevoked = "api_key_revoked",
        /// A user was created.
        UserCreated = "user_created",
        /// A user's role changed.
        RoleChanged = "role_changed",
        /// A user was disabled.
        UserDisabled = "user_disabled",
        /// A user was enabled again.
        UserEnabled = "user_enabled",
        /// A user's password was set.
        PasswordChanged = "password_changed",
        /// `ensure_admin` created or reset the bootstrap admin.
        AdminBootstrap = "admin_bootstrap",
    }
}

/// A user account (the password hash never leaves the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    /// Database id.
    pub id: UserId,
    /// Login name: lower case letters, digits, `.`, `_`, `-`, `@`; unique.
    pub username: String,
    /// Name shown in the interface.
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// When the account was created.
    pub created_at: Timestamp,
    /// A disabled user cannot log in, use API keys or sessions, or act on cases.
    pub disabled: bool,
}

/// A user to create.
#[derive(Clone)]
pub struct NewUser {
    /// Login name (lower-cased; letters, digits, `.`, `_`, `-`, `@`; 1–64 characters).
    pub username: String,
    /// Name shown in the interface (1–100 characters).
    pub display_name: String,
    /// What the user may do.
    pub role: Role,
    /// Password in clear (8–1024 bytes); stored only as an Argon2id PHC string.
    pub password: String,
}

impl fmt::Debug for NewUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewUser")
            .field("username", &self.username)
            .field("display_name", &self.display_name)
            .field("role", &self.role)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// An API key as listed (the secret itself is shown once, at creation, and never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    /// Database id.
    pub id: ApiKeyId,
    /// The user the key acts as.
    pub user_id: UserId,
    /// What the key is for, as its creator described it.
    pub label: String,
    /// The first characters of the key (`isk_` and 8 more), to recognise it in lists.
    pub prefix: String,
    /// When the key was created.
    pub created_at: Timestamp,
    /// When the key last authenticated a request (updated at most once a minute).
    pub last_used_at: Option<Timestamp>,
    /// When the key was revoked; a revoked key authenticates nothing.
    pub revoked_at: Option<Timestamp>,
}

/// A session just created: hand `token` to the browser (cookie) and `csrf_token` to the pages.
#[derive(Clone)]
pub struct NewSession {
    /// The session token (64 hex characters). Only its SHA-256 is stored.
    pub token: String,
    /// The CSRF token bound to the session (64 hex characters).
    pub csrf_token: String,
    /// When the session expires.
    pub expires_at: Timestamp,
}

impl fmt::Debug for NewSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewSession")
            .field("token", &"<redacted>")
            .field("csrf_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A live session, found by its token.
#[derive(Clone, PartialEq, Eq)]
pub struct Session {
    /// The logged-in user (enabled).
    pub user: User,
    /// The CSRF token to expect on state-changing requests of this session.
    pub csrf_token: String,
    /// When the session expires.
    pub expires_at: Timestamp,
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("user", &self.user)
            .field("csrf_token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// A case to submit.
#[derive(Clone)]
pub struct NewCase {
    /// A short label the submitter gives (e.g. "OR 2025-03-14 room 4") — never patient identity.
    /// 1–200 characters.
    pub title: String,
    /// The operative note (PHI). Stored, shown to users who open the case, never logged.
    pub note_text: String,
    /// How the case came in.
    pub source: CaseSource,
    /// The fee-schedule year the case was coded against.
    pub year: i16,
    /// The engine's analysis report (JSON, `interspace.report/1`), stored as given. It quotes the
    /// note, so it is PHI too.
    pub report_json: String,
    /// The lines the engine proposes, in claim order; they get positions 1, 2, ….
    pub proposed_lines: Vec<NewLine>,
}

impl fmt::Debug for NewCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NewCase")
            .field("title", &self.title)
            .field("note_text", &"<redacted>")
            .field("source", &self.source)
            .field("year", &self.year)
            .field("report_json", &"<redacted>")
            .field("proposed_lines", &self.proposed_lines)
            .finish()
    }
}

/// A line the engine proposes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewLine {
    /// CPT or HCPCS code (letters and digits, upper-cased on the way in).
    pub code: String,
    /// Modifiers separated by spaces or commas (e.g. `"62 XS"`); stored as `"62 XS"`.
    pub modifiers: String,
    /// Units of service (1–999).
    pub units: u32,
    /// The coding rule that proposed the line (e.g. `ARTH001`).
    pub rule_id: Option<String>,
}

/// The values of a line a coder sets: code, modifiers and units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineValues {
    /// CPT or HCPCS code.
    pub code: String,
    /// Modifiers separated by spaces (e.g. `"62 XS"`), possibly empty.
    pub modifiers: String,
    /// Units of service (1–999).
    pub units: u32,
}

/// A line of a case as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseLine {
    /// 1-based position on the case; stable (removed lines keep theirs, added lines get the next).
    pub position: u32,
    /// Current code.
    pub code: String,
    /// Current modifiers, space-separated, possibly empty.
    pub modifiers: String,
    /// Current units.
    pub units: u32,
    /// The coder's decision.
    pub status: LineStatus,
    /// Why it was adjusted, removed or added (required for those statuses).
    pub reason: Option<String>,
    /// The rule that proposed it (none for added lines).
    pub rule_id: Option<String>,
    /// What the engine proposed, kept when the line is adjusted (none for added lines).
    pub proposed: Option<LineValues>,
    /// Who last changed the line (the submitter for untouched proposals).
    pub updated_by: UserId,
    /// When the line last changed.
    pub updated_at: Timestamp,
}

/// A case with everything stored about it, including the note (PHI).
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    /// UUID v7.
    pub id: CaseId,
    /// The submitter's label.
    pub title: String,
    /// The operative note (PHI).
    pub note_text: String,
    /// How it came in.
    pub source: CaseSource,
    /// Where it is in the queue.
    pub status: CaseStatus,
    /// Who works it.
    pub assignee: Option<UserId>,
    /// Who submitted it.
    pub created_by: UserId,
    /// When it was submitted.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Fee-schedule year.
    pub year: i16,
    /// The engine's report JSON as submitted (PHI: it quotes the note).
    pub report_json: String,
    /// Optimistic-concurrency version: 1 at submission, +1 on every change.
    pub version: i64,
    /// Who finalized it.
    pub finalized_by: Option<UserId>,
    /// When it was finalized.
    pub finalized_at: Option<Timestamp>,
    /// Why it was rejected.
    pub rejected_reason: Option<String>,
}

impl fmt::Debug for Case {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Case")
            .field("id", &self.id)
            .field("title", &self.title)
            .field("note_text", &"<redacted>")
            .field("source", &self.source)
            .field("status", &self.status)
            .field("assignee", &self.assignee)
            .field("created_by", &self.created_by)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("year", &self.year)
            .field("report_json", &"<redacted>")
            .field("version", &self.version)
            .field("finalized_by", &self.finalized_by)
            .field("finalized_at", &self.finalized_at)
            .field("rejected_reason", &self.rejected_reason)
            .finish()
    }
}

/// A case and its lines in position order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseDetail {
    /// The case.
    pub case: Case,
    /// Its lines, by position.
    pub lines: Vec<CaseLine>,
}

impl CaseDetail {
    /// The line at `position`, if any.
    pub fn line(&self, position: u32) -> Option<&CaseLine> {
        self.lines.iter().find(|line| line.position == position)
    }
}

/// A case as listed in the queue: no note text, no report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    /// UUID v7.
    pub id: CaseId,
    /// The submitter's label.
    pub title: String,
    /// How it came in.
    pub source: CaseSource,
    /// Where it is in the queue.
    pub status: CaseStatus,
    /// Who works it.
    pub assignee: Option<UserId>,
    /// Who submitted it.
    pub created_by: UserId,
    /// When it was submitted.
    pub created_at: Timestamp,
    /// When it last changed.
    pub updated_at: Timestamp,
    /// Fee-schedule year.
    pub year: i16,
    /// Current version.
    pub version: i64,
    /// When it was finalized.
    pub finalized_at: Option<Timestamp>,
    /// Number of lines (all statuses).
    pub lines_total: u32,
    /// Number of lines still `proposed`.
    pub lines_undecided: u32,
}

/// Which assignee [`CaseFilter`] selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeFilter {
    /// Any assignee, or none.
    #[default]
    Any,
    /// Only unassigned cases.
    Unassigned,
    /// Only cases assigned to this user.
    User(UserId),
}

/// Which cases [`Store::list_cases`](crate::Store::list_cases) returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CaseFilter {
    /// Only cases in this status (any status when `None`).
    pub status: Option<CaseStatus>,
    /// Only cases with this assignee.
    pub assignee: AssigneeFilter,
    /// Newest first instead of oldest first (the queue's natural order).
    pub newest_first: bool,
}

/// A finalized case for export (CSV, FHIR Claim): no note text.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct FinalizedCase {
    /// UUID v7.
    pub id: CaseId,
    /// The submitter's label.
    pub title: String,
    /// How it came in.
    pub source: CaseSource,
    /// Fee-schedule year.
    pub year: i16,
    /// When it was submitted.
    pub created_at: Timestamp,
    /// Who finalized it.
    pub finalized_by: UserId,
    /// When it was finalized.
    pub finalized_at: Timestamp,
    /// Final version.
    pub version: i64,
    /// The engine's report JSON (PHI: it quotes the note; use it for codes, not for display).
    pub report_json: String,
    /// Every line with its final status; bill those with [`LineStatus::is_billed`].
    pub lines: Vec<CaseLine>,
}

impl fmt::Debug for FinalizedCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FinalizedCase")
            .field("id", &self.id)
            .field("title", &self.title)
            .field("source", &self.source)
            .field("year", &self.year)
            .field("created_at", &self.created_at)
            .field("finalized_by", &self.finalized_by)
            .field("finalized_at", &self.finalized_at)
            .field("version", &self.version)
            .field("report_json", &"<redacted>")
            .field("lines", &self.lines)
            .finish()
    }
}

/// One row of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Increasing id; the order of the trail.
    pub id: i64,
    /// When it happened.
    pub at: Timestamp,
    /// Who did it (`None` for the system, e.g. the admin bootstrap, or a failed login of an
    /// unknown user).
    pub user_id: Option<UserId>,
    /// What happened.
    pub action: AuditAction,
    /// The case it concerns.
    pub case_id: Option<CaseId>,
    /// Details: for changes `{"before": …, "after": …}` plus e.g. `reason`, `position`,
    /// `version`. Never note text or report JSON.
    pub detail: serde_json::Value,
}

/// The kind of database behind a [`Store`](crate::Store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// An embedded SQLite file (or memory, for tests).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}
