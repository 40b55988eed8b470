//! Rows as the database returns them, and their conversion to the public types.
//!
//! Every integer is read as `i64` (SQLite INTEGER, PostgreSQL BIGINT) and every time as epoch
//! milliseconds; enums are read as text and parsed, so a value this build does not know is an
//! error naming the column rather than a panic.

use jiff::Timestamp;
use uuid::Uuid;

use crate::error::StoreError;
use crate::model::{
    ApiKey, AuditAction, AuditEntry, Case, CaseDetail, CaseId, CaseLine, CaseSource, CaseStatus, CaseSummary,
    FinalizedCase, LineStatus, LineValues, Role, User, UserId,
};

type Result<T> = std::result::Result<T, StoreError>;

pub(crate) fn now_ms() -> i64 {
    Timestamp::now().as_millisecond()
}

pub(crate) fn timestamp(ms: i64, column: &str) -> Result<Timestamp> {
    Timestamp::from_millisecond(ms).map_err(|_| StoreError::corrupt(format!("{column} = {ms} is not a valid time")))
}

fn opt_timestamp(ms: Option<i64>, column: &str) -> Result<Option<Timestamp>> {
    ms.map(|ms| timestamp(ms, column)).transpose()
}

fn parse<T: std::str::FromStr<Err = StoreError>>(text: &str, column: &str) -> Result<T> {
    text.parse().map_err(|_| StoreError::corrupt(format!("{column} = '{text}' is unknown to this build")))
}

fn case_id(text: &str) -> Result<CaseId> {
    Uuid::parse_str(text).map_err(|_| StoreError::corrupt(format!("case id '{text}' is not a UUID")))
}

fn small<T: TryFrom<i64>>(value: i64, column: &str) -> Result<T> {
    T::try_from(value).map_err(|_| StoreError::corrupt(format!("{column} = {value} is out of range")))
}

#[derive(sqlx::FromRow)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) username: String,
    display_name: String,
    role: String,
    pub(crate) password_hash: String,
    created_at: i64,
    disabled: i64,
}

impl UserRow {
    pub(crate) fn user(&self) -> Result<User> {
        Ok(User {
            id: self.id,
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            role: parse::<Role>(&self.role, "users.role")?,
            created_at: timestamp(self.created_at, "users.created_at")?,
            disabled: self.disabled != 0,
        })
    }
}

/// The acting user from its row: it must exist and be enabled.
pub(crate) fn actor(row: Option<UserRow>, id: UserId) -> Result<User> {
    let user = row.ok_or_else(|| StoreError::forbidden(format!("user {id} does not exist")))?.user()?;
    if user.disabled {
        return Err(StoreError::forbidden(format!("user {} is disabled", user.username)));
    }
    Ok(user)
}

/// Why `touch_case!` found nothing to change: missing case, closed case, or stale version.
pub(crate) fn refusal(state: Option<(i64, String)>, id: CaseId, expected: Option<i64>) -> StoreError {
    let Some((version, status)) = state else {
        return StoreError::not_found(format!("case {id}"));
    };
    match status.parse::<CaseStatus>() {
        Ok(status) if !status.is_open() => {
            StoreError::conflict(format!("case {id} is {status} and read-only (version {version})"), Some(version))
        }
        _ => StoreError::conflict(
            format!(
                "case {id} was changed by someone else: it is at version {version}, not {}; reload it and try again",
                expected.map_or_else(|| "the one given".to_owned(), |v| v.to_string())
            ),
            Some(version),
        ),
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SessionRow {
    pub(crate) csrf_token: String,
    pub(crate) expires_at: i64,
    #[sqlx(flatten)]
    pub(crate) user: UserRow,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ApiKeyRow {
    id: i64,
    pub(crate) user_id: i64,
    label: String,
    prefix: String,
    created_at: i64,
    last_used_at: Option<i64>,
    pub(crate) revoked_at: Option<i64>,
}

impl ApiKeyRow {
    pub(crate) fn key(&self) -> Result<ApiKey> {
        Ok(ApiKey {
            id: self.id,
            user_id: self.user_id,
            label: self.label.clone(),
            prefix: self.prefix.clone(),
            created_at: timestamp(self.created_at, "api_keys.created_at")?,
            last_used_at: opt_timestamp(self.last_used_at, "api_keys.last_used_at")?,
            revoked_at: opt_timestamp(self.revoked_at, "api_keys.revoked_at")?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct ApiKeyAuthRow {
    pub(crate) key_id: i64,
    pub(crate) key_hash: String,
    pub(crate) revoked_at: Option<i64>,
    pub(crate) last_used_at: Option<i64>,
    #[sqlx(flatten)]
    pub(crate) user: UserRow,
}

#[derive(sqlx::FromRow)]
pub(crate) struct CaseRow {
    id: String,
    title: String,
    note_text: String,
    source: String,
    status: String,
    assignee: Option<i64>,
    created_by: i64,
    created_at: i64,
    updated_at: i64,
    year: i64,
    report_json: String,
    version: i64,
    finalized_by: Option<i64>,
    finalized_at: Option<i64>,
    rejected_reason: Option<String>,
}

impl CaseRow {
    pub(crate) fn case(self) -> Result<Case> {
        Ok(Case {
            id: case_id(&self.id)?,
            title: self.title,
            note_text: self.note_text,
            source: parse(&self.source, "cases.source")?,
            status: parse(&self.status, "cases.status")?,
            assignee: self.assignee,
            created_by: self.created_by,
            created_at: timestamp(self.created_at, "cases.created_at")?,
            updated_at: timestamp(self.updated_at, "cases.updated_at")?,
            year: small(self.year, "cases.year")?,
            report_json: self.report_json,
            version: self.version,
            finalized_by: self.finalized_by,
            finalized_at: opt_timestamp(self.finalized_at, "cases.finalized_at")?,
            rejected_reason: self.rejected_reason,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct LineRow {
    pub(crate) case_id: String,
    position: i64,
    code: String,
    modifiers: String,
    units: i64,
    status: String,
    reason: Option<String>,
    rule_id: Option<String>,
    proposed_code: Option<String>,
    proposed_modifiers: Option<String>,
    proposed_units: Option<i64>,
    updated_by: i64,
    updated_at: i64,
}

impl LineRow {
    pub(crate) fn line(self) -> Result<CaseLine> {
        let proposed = match (self.proposed_code, self.proposed_modifiers, self.proposed_units) {
            (Some(code), Some(modifiers), Some(units)) => {
                Some(LineValues { code, modifiers, units: small(units, "case_lines.proposed_units")? })
            }
            _ => None,
        };
        Ok(CaseLine {
            position: small(self.position, "case_lines.position")?,
            code: self.code,
            modifiers: self.modifiers,
            units: small(self.units, "case_lines.units")?,
            status: parse::<LineStatus>(&self.status, "case_lines.status")?,
            reason: self.reason,
            rule_id: self.rule_id,
            proposed,
            updated_by: self.updated_by,
            updated_at: timestamp(self.updated_at, "case_lines.updated_at")?,
        })
    }
}

pub(crate) fn detail(row: CaseRow, lines: Vec<LineRow>) -> Result<CaseDetail> {
    Ok(CaseDetail { case: row.case()?, lines: lines.into_iter().map(LineRow::line).collect::<Result<_>>()? })
}

#[derive(sqlx::FromRow)]
pub(crate) struct ExportRow {
    id: String,
    title: String,
    source: String,
    year: i64,
    created_at: i64,
    finalized_by: Option<i64>,
    finalized_at: Option<i64>,
    version: i64,
    report_json: String,
}

impl ExportRow {
    pub(crate) fn id(&self) -> &str {
        &self.id
    }

    pub(crate) fn finalized(self, lines: Vec<CaseLine>) -> Result<FinalizedCase> {
        let missing = |column: &str| StoreError::corrupt(format!("{column} of finalized case {} is empty", self.id));
        Ok(FinalizedCase {
            id: case_id(&self.id)?,
            source: parse(&self.source, "cases.source")?,
            year: small(self.year, "cases.year")?,
            created_at: timestamp(self.created_at, "cases.created_at")?,
            finalized_by: self.finalized_by.ok_or_else(|| missing("finalized_by"))?,
            finalized_at: timestamp(self.finalized_at.ok_or_else(|| missing("finalized_at"))?, "cases.finalized_at")?,
            version: self.version,
            title: self.title,
            report_json: self.report_json,
            lines,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct SummaryRow {
    id: String,
    title: String,
    source: String,
    status: String,
    assignee: Option<i64>,
    created_by: i64,
    created_at: i64,
    updated_at: i64,
    year: i64,
    version: i64,
    finalized_at: Option<i64>,
    lines_total: i64,
    lines_undecided: i64,
}

impl SummaryRow {
    pub(crate) fn summary(self) -> Result<CaseSummary> {
        Ok(CaseSummary {
            id: case_id(&self.id)?,
            title: self.title,
            source: parse::<CaseSource>(&self.source, "cases.source")?,
            status: parse(&self.status, "cases.status")?,
            assignee: self.assignee,
            created_by: self.created_by,
            created_at: timestamp(self.created_at, "cases.created_at")?,
            updated_at: timestamp(self.updated_at, "cases.updated_at")?,
            year: small(self.year, "cases.year")?,
            version: self.version,
            finalized_at: opt_timestamp(self.finalized_at, "cases.finalized_at")?,
            lines_total: small(self.lines_total, "lines_total")?,
            lines_undecided: small(self.lines_undecided, "lines_undecided")?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AuditRow {
    id: i64,
    occurred_at: i64,
    user_id: Option<i64>,
    action: String,
    case_id: Option<String>,
    detail: String,
}

impl AuditRow {
    pub(crate) fn entry(self) -> Result<AuditEntry> {
        Ok(AuditEntry {
            id: self.id,
            at: timestamp(self.occurred_at, "audit.occurred_at")?,
            user_id: self.user_id,
            action: parse::<AuditAction>(&self.action, "audit.action")?,
            case_id: self.case_id.as_deref().map(case_id).transpose()?,
            detail: serde_json::from_str(&self.detail)
                .map_err(|_| StoreError::corrupt(format!("audit.detail of row {} is not JSON", self.id)))?,
        })
    }
}
