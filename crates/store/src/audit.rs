//! Reading the audit trail. Rows are written only by the store's own calls, each in the same
//! transaction as the change it records; there is no call to change or delete them, and the
//! database refuses UPDATE and DELETE on the table (triggers).

use serde_json::Value;

use crate::error::StoreError;
use crate::model::{AuditAction, AuditEntry, CaseId, UserId};
use crate::rows::AuditRow;
use crate::store::Store;
use crate::validate;

/// A row to append (see `insert_audit!`).
pub(crate) struct NewAudit {
    pub(crate) at: i64,
    pub(crate) user_id: Option<UserId>,
    pub(crate) action: AuditAction,
    pub(crate) case_id: Option<CaseId>,
    pub(crate) detail: Value,
}

impl NewAudit {
    pub(crate) fn new(at: i64, user_id: Option<UserId>, action: AuditAction, detail: Value) -> NewAudit {
        NewAudit { at, user_id, action, case_id: None, detail }
    }

    pub(crate) fn case(at: i64, user_id: UserId, action: AuditAction, case_id: CaseId, detail: Value) -> NewAudit {
        NewAudit { at, user_id: Some(user_id), action, case_id: Some(case_id), detail }
    }
}

impl Store {
    /// The audit trail of one case, oldest first: every read and every change, with who and when.
    pub async fn audit(&self, case_id: CaseId) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, occurred_at, user_id, action, case_id, detail FROM audit WHERE case_id = $1 ORDER BY id",
            )
            .bind(case_id.to_string())
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(AuditRow::entry).collect()
    }

    /// The whole audit trail in id order: up to `limit` (1–1000) entries with an id greater than
    /// `after_id` (from the start when `None`). Page by passing the last id seen.
    ///
    /// On PostgreSQL ids are handed out when a row is inserted, so a slow transaction can commit an
    /// id lower than one already read; a reader that must not miss rows should re-read a short
    /// window behind its last id.
    pub async fn audit_all(&self, limit: u32, after_id: Option<i64>) -> Result<Vec<AuditEntry>, StoreError> {
        let limit = validate::limit(limit, 1000);
        let after = after_id.unwrap_or(0);
        let rows: Vec<AuditRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, occurred_at, user_id, action, case_id, detail FROM audit WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(after)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(AuditRow::entry).collect()
    }
}
