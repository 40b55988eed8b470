//! The work queue: cases and their lines.

use std::collections::HashMap;

use jiff::Timestamp;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit::NewAudit;
use crate::error::StoreError;
use crate::model::{
    AssigneeFilter, AuditAction, CaseDetail, CaseFilter, CaseId, CaseLine, CaseStatus, CaseSummary, FinalizedCase,
    LineStatus, LineValues, NewCase, Role, UserId,
};
use crate::rows::{ExportRow, LineRow, SummaryRow, now_ms};
use crate::store::Store;
use crate::validate::{self, MAX_LINES};

type Result<T> = std::result::Result<T, StoreError>;

/// The WHERE clause of [`Store::list_cases`] and [`Store::count_cases`]: `$1` status or NULL,
/// `$2` assignee mode (0 any, 1 unassigned, 2 user), `$3` the user.
macro_rules! case_filter {
    () => {
        "($1 IS NULL OR c.status = $1) \
         AND ($2 = 0 OR ($2 = 1 AND c.assignee IS NULL) OR ($2 = 2 AND c.assignee = $3))"
    };
}

fn filter_binds(filter: &CaseFilter) -> (Option<&'static str>, i64, i64) {
    let (mode, user) = match filter.assignee {
        AssigneeFilter::Any => (0, 0),
        AssigneeFilter::Unassigned => (1, 0),
        AssigneeFilter::User(user) => (2, user),
    };
    (filter.status.map(CaseStatus::as_str), mode, user)
}

/// Whether a role may finalize. Every role today; spelled out so a new role must be decided on.
fn may_finalize(role: Role) -> bool {
    match role {
        Role::Coder | Role::Reviewer | Role::Admin => true,
    }
}

/// What a line call does.
enum LineChange {
    Accept,
    Adjust { values: LineValues, reason: String },
    Remove { reason: String },
    Add { values: LineValues, reason: String },
}

impl LineChange {
    fn action(&self) -> AuditAction {
        match self {
            LineChange::Accept => AuditAction::AcceptLine,
            LineChange::Adjust { .. } => AuditAction::AdjustLine,
            LineChange::Remove { .. } => AuditAction::RemoveLine,
            LineChange::Add { .. } => AuditAction::AddLine,
        }
    }
}

/// A line's values and decision as the audit trail records them.
fn line_json(code: &str, modifiers: &str, units: u32, status: LineStatus, reason: Option<&str>) -> Value {
    json!({ "code": code, "modifiers": modifiers, "units": units, "status": status, "reason": reason })
}

fn not_found_line(case_id: CaseId, position: u32) -> StoreError {
    StoreError::not_found(format!("line {position} of case {case_id}"))
}

impl Store {
    /// Submits a case to the queue (status `queued`, version 1) with the engine's proposed lines
    /// at positions 1, 2, …, and audits it as `submit` (without note text or title).
    pub async fn submit_case(&self, new: &NewCase, by: UserId) -> Result<CaseDetail> {
        let title = validate::title(&new.title)?;
        validate::note_text(&new.note_text)?;
        validate::report_json(&new.report_json)?;
        let year = validate::year(new.year)?;
        if new.proposed_lines.len() > MAX_LINES {
            return Err(StoreError::invalid(format!(
                "a case takes at most {MAX_LINES} lines, not {}",
                new.proposed_lines.len()
            )));
        }
        let lines = new.proposed_lines.iter().map(validate::new_line).collect::<Result<Vec<_>>>()?;
        let id = Uuid::now_v7();
        with_tx!(self, |tx| {
            let now = now_ms();
            require_actor!(tx, by);
            sqlx::query(
                "INSERT INTO cases (id, title, note_text, source, status, assignee, created_by, created_at, \
                 updated_at, year, report_json, version) \
                 VALUES ($1, $2, $3, $4, 'queued', NULL, $5, $6, $6, $7, $8, 1)",
            )
            .bind(id.to_string())
            .bind(&title)
            .bind(&new.note_text)
            .bind(new.source.as_str())
            .bind(by)
            .bind(now)
            .bind(i64::from(year))
            .bind(&new.report_json)
            .execute(&mut *tx)
            .await?;
            for (position, line) in (1_i64..).zip(&lines) {
                sqlx::query(
                    "INSERT INTO case_lines (case_id, position, code, modifiers, units, status, reason, rule_id, \
                     proposed_code, proposed_modifiers, proposed_units, updated_by, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, 'proposed', NULL, $6, $3, $4, $5, $7, $8)",
                )
                .bind(id.to_string())
                .bind(position)
                .bind(&line.code)
                .bind(&line.modifiers)
                .bind(i64::from(line.units))
                .bind(line.rule_id.as_deref())
                .bind(by)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            let proposed: Vec<Value> = lines
                .iter()
                .map(|line| {
                    json!({ "code": line.code, "modifiers": line.modifiers, "units": line.units, "rule_id": line.rule_id })
                })
                .collect();
            insert_audit!(
                &mut *tx,
                NewAudit::case(
                    now,
                    by,
                    AuditAction::Submit,
                    id,
                    json!({ "source": new.source, "year": year, "version": 1, "lines": proposed })
                )
            );
            load_detail!(tx, id).ok_or_else(|| StoreError::not_found(format!("case {id}")))
        })
    }

    /// Cases matching `filter` (no note text), oldest first unless `filter.newest_first`;
    /// `limit` is clamped to 1–500.
    pub async fn list_cases(&self, filter: &CaseFilter, limit: u32, offset: u32) -> Result<Vec<CaseSummary>> {
        let (status, mode, user) = filter_binds(filter);
        let newest_first = i64::from(filter.newest_first);
        let limit = validate::limit(limit, 500);
        let rows: Vec<SummaryRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT c.id, c.title, c.source, c.status, c.assignee, c.created_by, c.created_at, c.updated_at, \
                 c.year, c.version, c.finalized_at, \
                 (SELECT COUNT(*) FROM case_lines l WHERE l.case_id = c.id) AS lines_total, \
                 (SELECT COUNT(*) FROM case_lines l WHERE l.case_id = c.id AND l.status = 'proposed') \
                 AS lines_undecided \
                 FROM cases c WHERE ",
                case_filter!(),
                " ORDER BY CASE WHEN $4 = 1 THEN c.created_at END DESC, CASE WHEN $4 = 1 THEN c.id END DESC, \
                 c.created_at, c.id LIMIT $5 OFFSET $6"
            ))
            .bind(status)
            .bind(mode)
            .bind(user)
            .bind(newest_first)
            .bind(limit)
            .bind(i64::from(offset))
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(SummaryRow::summary).collect()
    }

    /// How many cases match `filter` (for paging).
    pub async fn count_cases(&self, filter: &CaseFilter) -> Result<u64> {
        let (status, mode, user) = filter_binds(filter);
        let count: i64 = with_pool!(self, |pool| {
            sqlx::query_scalar(concat!("SELECT COUNT(*) FROM cases c WHERE ", case_filter!()))
                .bind(status)
                .bind(mode)
                .bind(user)
                .fetch_one(pool)
                .await?
        });
        Ok(u64::try_from(count).unwrap_or_default())
    }

    /// Opens a case with its note and lines for `reader`, who must be an enabled user. Writes a
    /// `read` audit entry in the same transaction: no note is shown without its audit row.
    /// `None` if there is no such case.
    pub async fn case(&self, id: CaseId, reader: UserId) -> Result<Option<CaseDetail>> {
        with_tx!(self, |tx| {
            let now = now_ms();
            require_actor!(tx, reader);
            let Some(detail) = load_detail!(tx, id) else { return Ok(None) };
            insert_audit!(
                &mut *tx,
                NewAudit::case(now, reader, AuditAction::Read, id, json!({ "version": detail.case.version }))
            );
            Ok(Some(detail))
        })
    }

    /// Assigns an open case to `assignee` (status `in_progress`), or unassigns it with `None`
    /// (status `queued`), if it is still at `expected_version`. Reviewers and admins assign
    /// anyone; a coder may only take a case that is unassigned or theirs, and release their own.
    /// Returns the case as it now stands (no `read` entry: the `assign` entry records the access).
    pub async fn assign(
        &self,
        case_id: CaseId,
        assignee: Option<UserId>,
        by: UserId,
        expected_version: i64,
    ) -> Result<CaseDetail> {
        with_tx!(self, |tx| {
            let now = now_ms();
            let actor = require_actor!(tx, by);
            let (version, before_status) = touch_case!(tx, case_id, now, Some(expected_version));
            let before_assignee: Option<i64> = sqlx::query_scalar("SELECT assignee FROM cases WHERE id = $1")
                .bind(case_id.to_string())
                .fetch_one(&mut *tx)
                .await?;
            if actor.role == Role::Coder {
                let own = |user: Option<UserId>| user.is_none_or(|user| user == actor.id);
                if !own(assignee) || !own(before_assignee) {
                    return Err(StoreError::forbidden(
                        "a coder may take an unassigned case or release their own; a reviewer or admin assigns \
                         cases to others",
                    ));
                }
            }
            if let Some(assignee) = assignee {
                let user = fetch_user!(&mut *tx, assignee)?.map(|row| row.user()).transpose()?;
                match user {
                    Some(user) if !user.disabled => {}
                    Some(user) => {
                        return Err(StoreError::invalid(format!("user {} is disabled", user.username)));
                    }
                    None => return Err(StoreError::invalid(format!("user {assignee} does not exist"))),
                }
            }
            let status = if assignee.is_some() { CaseStatus::InProgress } else { CaseStatus::Queued };
            sqlx::query("UPDATE cases SET assignee = $2, status = $3 WHERE id = $1")
                .bind(case_id.to_string())
                .bind(assignee)
                .bind(status.as_str())
                .execute(&mut *tx)
                .await?;
            insert_audit!(
                &mut *tx,
                NewAudit::case(
                    now,
                    by,
                    AuditAction::Assign,
                    case_id,
                    json!({
                        "before": { "assignee": before_assignee, "status": before_status },
                        "after": { "assignee": assignee, "status": status },
                        "version": version,
                    })
                )
            );
            load_detail!(tx, case_id).ok_or_else(|| StoreError::not_found(format!("case {case_id}")))
        })
    }

    /// Accepts line `position` as the engine proposed it (restoring the proposed code, modifiers
    /// and units if it had been adjusted or removed). Lines a coder added cannot be "accepted":
    /// adjust or remove them. Moves a queued case to `in_progress`; bumps the version.
    pub async fn accept_line(&self, case_id: CaseId, position: u32, by: UserId) -> Result<CaseDetail> {
        self.change_line(case_id, Some(position), LineChange::Accept, by).await
    }

    /// Changes line `position` to `values`, with a required `reason`: status `adjusted` (a line
    /// that was added stays `added`). The engine's proposal stays on the line for comparison.
    pub async fn adjust_line(
        &self,
        case_id: CaseId,
        position: u32,
        values: &LineValues,
        reason: &str,
        by: UserId,
    ) -> Result<CaseDetail> {
        let change = LineChange::Adjust { values: validate::line_values(values)?, reason: validate::reason(reason)? };
        self.change_line(case_id, Some(position), change, by).await
    }

    /// Strikes line `position`, with a required `reason`: status `removed`. The line stays on the
    /// case (not billed) so the decision is visible; accept or adjust it to bring it back.
    pub async fn remove_line(&self, case_id: CaseId, position: u32, reason: &str, by: UserId) -> Result<CaseDetail> {
        let change = LineChange::Remove { reason: validate::reason(reason)? };
        self.change_line(case_id, Some(position), change, by).await
    }

    /// Adds a line the engine did not propose, with a required `reason`: status `added`, at the
    /// next free position.
    pub async fn add_line(&self, case_id: CaseId, values: &LineValues, reason: &str, by: UserId) -> Result<CaseDetail> {
        let change = LineChange::Add { values: validate::line_values(values)?, reason: validate::reason(reason)? };
        self.change_line(case_id, None, change, by).await
    }

    async fn change_line(
        &self,
        case_id: CaseId,
        position: Option<u32>,
        change: LineChange,
        by: UserId,
    ) -> Result<CaseDetail> {
        with_tx!(self, |tx| {
            let now = now_ms();
            require_actor!(tx, by);
            let (version, _) = touch_case!(tx, case_id, now, None);
            sqlx::query("UPDATE cases SET status = 'in_progress' WHERE id = $1 AND status = 'queued'")
                .bind(case_id.to_string())
                .execute(&mut *tx)
                .await?;
            let (position, before, after, reason) = match (&change, position) {
                (LineChange::Add { values, reason }, _) => {
                    let next: i64 =
                        sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM case_lines WHERE case_id = $1")
                            .bind(case_id.to_string())
                            .fetch_one(&mut *tx)
                            .await?;
                    let position = u32::try_from(next).unwrap_or(u32::MAX);
                    if position as usize > MAX_LINES {
                        return Err(StoreError::invalid(format!("a case takes at most {MAX_LINES} lines")));
                    }
                    sqlx::query(
                        "INSERT INTO case_lines (case_id, position, code, modifiers, units, status, reason, rule_id, \
                         proposed_code, proposed_modifiers, proposed_units, updated_by, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, 'added', $6, NULL, NULL, NULL, NULL, $7, $8)",
                    )
                    .bind(case_id.to_string())
                    .bind(next)
                    .bind(&values.code)
                    .bind(&values.modifiers)
                    .bind(i64::from(values.units))
                    .bind(reason)
                    .bind(by)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    let after =
                        line_json(&values.code, &values.modifiers, values.units, LineStatus::Added, Some(reason));
                    (position, Value::Null, after, Some(reason.as_str()))
                }
                (change, Some(position)) => {
                    let before: CaseLine = fetch_line!(tx, case_id, position)?
                        .map(LineRow::line)
                        .transpose()?
                        .ok_or_else(|| not_found_line(case_id, position))?;
                    let (values, status, reason) = match change {
                        LineChange::Accept => {
                            let Some(proposed) = before.proposed.clone() else {
                                return Err(StoreError::invalid(format!(
                                    "line {position} was added by a coder, not proposed: adjust or remove it instead"
                                )));
                            };
                            (proposed, LineStatus::Accepted, None)
                        }
                        LineChange::Adjust { values, reason } => {
                            let status = if before.status == LineStatus::Added {
                                LineStatus::Added
                            } else {
                                LineStatus::Adjusted
                            };
                            (values.clone(), status, Some(reason.as_str()))
                        }
                        LineChange::Remove { reason } => (
                            LineValues {
                                code: before.code.clone(),
                                modifiers: before.modifiers.clone(),
                                units: before.units,
                            },
                            LineStatus::Removed,
                            Some(reason.as_str()),
                        ),
                        LineChange::Add { .. } => unreachable!("handled above"),
                    };
                    sqlx::query(
                        "UPDATE case_lines SET code = $3, modifiers = $4, units = $5, status = $6, reason = $7, \
                         updated_by = $8, updated_at = $9 WHERE case_id = $1 AND position = $2",
                    )
                    .bind(case_id.to_string())
                    .bind(i64::from(position))
                    .bind(&values.code)
                    .bind(&values.modifiers)
                    .bind(i64::from(values.units))
                    .bind(status.as_str())
                    .bind(reason)
                    .bind(by)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                    let before_json = line_json(
                        &before.code,
                        &before.modifiers,
                        before.units,
                        before.status,
                        before.reason.as_deref(),
                    );
                    let after = line_json(&values.code, &values.modifiers, values.units, status, reason);
                    (position, before_json, after, reason)
                }
                (_, None) => return Err(StoreError::invalid("a line position is required")),
            };
            insert_audit!(
                &mut *tx,
                NewAudit::case(
                    now,
                    by,
                    change.action(),
                    case_id,
                    json!({
                        "position": position,
                        "before": before,
                        "after": after,
                        "reason": reason,
                        "version": version,
                    })
                )
            );
            load_detail!(tx, case_id).ok_or_else(|| StoreError::not_found(format!("case {case_id}")))
        })
    }

    /// Finalizes a case at `expected_version`: every line must be decided (none `proposed`).
    /// The case becomes read-only: later changes fail with `Conflict`.
    pub async fn finalize(&self, case_id: CaseId, by: UserId, expected_version: i64) -> Result<CaseDetail> {
        with_tx!(self, |tx| {
            let now = now_ms();
            let actor = require_actor!(tx, by);
            if !may_finalize(actor.role) {
                return Err(StoreError::forbidden(format!("role {} may not finalize cases", actor.role)));
            }
            let (version, before_status) = touch_case!(tx, case_id, now, Some(expected_version));
            let undecided: Vec<i64> = sqlx::query_scalar(
                "SELECT position FROM case_lines WHERE case_id = $1 AND status = 'proposed' ORDER BY position",
            )
            .bind(case_id.to_string())
            .fetch_all(&mut *tx)
            .await?;
            if !undecided.is_empty() {
                let positions: Vec<String> = undecided.iter().map(i64::to_string).collect();
                return Err(StoreError::invalid(format!(
                    "{} line(s) still proposed (position {}): accept, adjust or remove each before finalizing",
                    undecided.len(),
                    positions.join(", ")
                )));
            }
            sqlx::query("UPDATE cases SET status = 'finalized', finalized_by = $2, finalized_at = $3 WHERE id = $1")
                .bind(case_id.to_string())
                .bind(by)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            insert_audit!(
                &mut *tx,
                NewAudit::case(
                    now,
                    by,
                    AuditAction::Finalize,
                    case_id,
                    json!({
                        "before": { "status": before_status },
                        "after": { "status": CaseStatus::Finalized },
                        "version": version,
                    })
                )
            );
            load_detail!(tx, case_id).ok_or_else(|| StoreError::not_found(format!("case {case_id}")))
        })
    }

    /// Rejects an open case at `expected_version` with a required `reason` (not a spine note,
    /// note incomplete, …). The case becomes read-only.
    pub async fn reject(&self, case_id: CaseId, reason: &str, by: UserId, expected_version: i64) -> Result<CaseDetail> {
        let reason = validate::reason(reason)?;
        with_tx!(self, |tx| {
            let now = now_ms();
            require_actor!(tx, by);
            let (version, before_status) = touch_case!(tx, case_id, now, Some(expected_version));
            sqlx::query("UPDATE cases SET status = 'rejected', rejected_reason = $2 WHERE id = $1")
                .bind(case_id.to_string())
                .bind(&reason)
                .execute(&mut *tx)
                .await?;
            insert_audit!(
                &mut *tx,
                NewAudit::case(
                    now,
                    by,
                    AuditAction::Reject,
                    case_id,
                    json!({
                        "before": { "status": before_status },
                        "after": { "status": CaseStatus::Rejected },
                        "reason": reason,
                        "version": version,
                    })
                )
            );
            load_detail!(tx, case_id).ok_or_else(|| StoreError::not_found(format!("case {case_id}")))
        })
    }

    /// Finalized cases with `finalized_at >= since`, oldest first, with every line (bill those
    /// whose status [`is_billed`](LineStatus::is_billed)), for the CSV and FHIR exports. No note
    /// text is read.
    pub async fn finalized_cases(&self, since: Timestamp) -> Result<Vec<FinalizedCase>> {
        let since = since.as_millisecond();
        let (cases, lines): (Vec<ExportRow>, Vec<LineRow>) = with_pool!(self, |pool| {
            let cases = sqlx::query_as(
                "SELECT id, title, source, year, created_at, finalized_by, finalized_at, version, report_json \
                 FROM cases WHERE status = 'finalized' AND finalized_at >= $1 ORDER BY finalized_at, id",
            )
            .bind(since)
            .fetch_all(pool)
            .await?;
            let lines = sqlx::query_as(concat!(
                "SELECT ",
                line_columns!(),
                " FROM case_lines WHERE case_id IN \
                 (SELECT id FROM cases WHERE status = 'finalized' AND finalized_at >= $1) ORDER BY case_id, position"
            ))
            .bind(since)
            .fetch_all(pool)
            .await?;
            (cases, lines)
        });
        let mut by_case: HashMap<String, Vec<CaseLine>> = HashMap::new();
        for line in lines {
            let case_id = line.case_id.clone();
            by_case.entry(case_id).or_default().push(line.line()?);
        }
        cases
            .into_iter()
            .map(|row| {
                let lines = by_case.remove(row.id()).unwrap_or_default();
                row.finalized(lines)
            })
            .collect()
    }

    /// One finalized case for export (the FHIR Claim of one case); `None` if there is no such
    /// case or it is not finalized. No note text is read.
    pub async fn finalized_case(&self, id: CaseId) -> Result<Option<FinalizedCase>> {
        let (case, lines): (Option<ExportRow>, Vec<LineRow>) = with_pool!(self, |pool| {
            let case = sqlx::query_as(
                "SELECT id, title, source, year, created_at, finalized_by, finalized_at, version, report_json \
                 FROM cases WHERE id = $1 AND status = 'finalized'",
            )
            .bind(id.to_string())
            .fetch_optional(pool)
            .await?;
            let lines = sqlx::query_as(concat!(
                "SELECT ",
                line_columns!(),
                " FROM case_lines WHERE case_id = $1 ORDER BY position"
            ))
            .bind(id.to_string())
            .fetch_all(pool)
            .await?;
            (case, lines)
        });
        let Some(case) = case else { return Ok(None) };
        let lines = lines.into_iter().map(LineRow::line).collect::<Result<Vec<_>>>()?;
        case.finalized(lines).map(Some)
    }
}
