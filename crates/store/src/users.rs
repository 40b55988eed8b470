//! Users, passwords, API keys and sessions.

use std::time::Duration;

use serde_json::json;

use crate::audit::NewAudit;
use crate::error::{StoreError, is_unique_violation};
use crate::model::{ApiKey, ApiKeyId, AuditAction, NewSession, NewUser, Role, Session, User, UserId};
use crate::rows::{ApiKeyAuthRow, ApiKeyRow, SessionRow, UserRow, now_ms, timestamp};
use crate::secret;
use crate::store::Store;
use crate::validate;

type Result<T> = std::result::Result<T, StoreError>;

/// The longest session a caller may ask for.
const MAX_SESSION_TTL: Duration = Duration::from_secs(366 * 24 * 3600);
/// `last_used_at` of an API key is refreshed at most this often (milliseconds).
const KEY_USE_GRANULARITY_MS: i64 = 60_000;

fn require_admin(actor: &User) -> Result<()> {
    if actor.role != Role::Admin {
        return Err(StoreError::forbidden(format!("user {} is not an admin", actor.username)));
    }
    Ok(())
}

impl Store {
    /// Makes sure an admin account `username` exists with `password`, for
    /// `interspace serve --create-admin`: creates it if missing, otherwise resets its password,
    /// makes it an admin, enables it and ends its sessions. Returns the user and whether it was
    /// created. Recorded in the audit trail as `admin_bootstrap` by the system (no user).
    pub async fn ensure_admin(&self, username: &str, password: &str) -> Result<(User, bool)> {
        let username = validate::username(username)?;
        validate::password(password)?;
        let hash = secret::hash_password(password.to_owned()).await?;
        with_tx!(self, |tx| {
            let now = now_ms();
            let existing = fetch_user_by_name!(&mut *tx, &username)?;
            let (id, created) = match existing {
                Some(row) => {
                    sqlx::query("UPDATE users SET password_hash = $2, role = 'admin', disabled = 0 WHERE id = $1")
                        .bind(row.id)
                        .bind(&hash)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(row.id).execute(&mut *tx).await?;
                    (row.id, false)
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO users (username, display_name, role, password_hash, created_at, disabled) \
                         VALUES ($1, $1, 'admin', $2, $3, 0) RETURNING id",
                    )
                    .bind(&username)
                    .bind(&hash)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    (id, true)
                }
            };
            insert_audit!(
                &mut *tx,
                NewAudit::new(
                    now,
                    None,
                    AuditAction::AdminBootstrap,
                    json!({ "user_id": id, "username": username, "created": created })
                )
            );
            let user = fetch_user!(&mut *tx, id)?.ok_or_else(|| StoreError::not_found(format!("user {id}")))?.user()?;
            Ok((user, created))
        })
    }

    /// Creates a user. Only an admin (`by`) may; a taken username is a `Conflict`.
    pub async fn create_user(&self, new: &NewUser, by: UserId) -> Result<User> {
        let username = validate::username(&new.username)?;
        let display_name = validate::display_name(&new.display_name)?;
        validate::password(&new.password)?;
        let hash = secret::hash_password(new.password.clone()).await?;
        with_tx!(self, |tx| {
            let now = now_ms();
            let actor = require_actor!(tx, by);
            require_admin(&actor)?;
            let inserted = sqlx::query_scalar::<_, i64>(
                "INSERT INTO users (username, display_name, role, password_hash, created_at, disabled) \
                 VALUES ($1, $2, $3, $4, $5, 0) RETURNING id",
            )
            .bind(&username)
            .bind(&display_name)
            .bind(new.role.as_str())
            .bind(&hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await;
            let id = match inserted {
                Ok(id) => id,
                Err(error) if is_unique_violation(&error) => {
                    return Err(StoreError::conflict(format!("the username '{username}' is taken"), None));
                }
                Err(error) => return Err(error.into()),
            };
            insert_audit!(
                &mut *tx,
                NewAudit::new(
                    now,
                    Some(by),
                    AuditAction::UserCreated,
                    json!({ "user_id": id, "username": username, "role": new.role })
                )
            );
            fetch_user!(&mut *tx, id)?.ok_or_else(|| StoreError::not_found(format!("user {id}")))?.user()
        })
    }

    /// The user with this id.
    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        let row = with_pool!(self, |pool| fetch_user!(pool, id)?);
        row.map(|row| row.user()).transpose()
    }

    /// The user with this username (case-insensitive).
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>> {
        let Ok(username) = validate::username(username) else { return Ok(None) };
        let row = with_pool!(self, |pool| fetch_user_by_name!(pool, &username)?);
        row.map(|row| row.user()).transpose()
    }

    /// Every user, by username.
    pub async fn list_users(&self) -> Result<Vec<User>> {
        let rows: Vec<UserRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!("SELECT ", user_columns!(), " FROM users ORDER BY username")).fetch_all(pool).await?
        });
        rows.iter().map(UserRow::user).collect()
    }

    /// Changes a user's role. Only an admin (`by`) may, and the last enabled admin cannot be
    /// demoted.
    pub async fn set_role(&self, user_id: UserId, role: Role, by: UserId) -> Result<User> {
        with_tx!(self, |tx| {
            let now = now_ms();
            let actor = require_actor!(tx, by);
            require_admin(&actor)?;
            let before = fetch_user!(&mut *tx, user_id)?
                .ok_or_else(|| StoreError::not_found(format!("user {user_id}")))?
                .user()?;
            if before.role == Role::Admin && role != Role::Admin && !before.disabled {
                ensure_other_admin!(tx, user_id);
            }
            sqlx::query("UPDATE users SET role = $2 WHERE id = $1")
                .bind(user_id)
                .bind(role.as_str())
                .execute(&mut *tx)
                .await?;
            insert_audit!(
                &mut *tx,
                NewAudit::new(
                    now,
                    Some(by),
                    AuditAction::RoleChanged,
                    json!({ "user_id": user_id, "before": { "role": before.role }, "after": { "role": role } })
                )
            );
            Ok(User { role, ..before })
        })
    }

    /// Disables or enables a user. Only an admin (`by`) may; the last enabled admin cannot be
    /// disabled. Disabling ends the user's sessions; their API keys stop working while disabled.
    pub async fn set_disabled(&self, user_id: UserId, disabled: bool, by: UserId) -> Result<User> {
        with_tx!(self, |tx| {
            let now = now_ms();
            let actor = require_actor!(tx, by);
            require_admin(&actor)?;
            let before = fetch_user!(&mut *tx, user_id)?
                .ok_or_else(|| StoreError::not_found(format!("user {user_id}")))?
                .user()?;
            if disabled && before.role == Role::Admin && !before.disabled {
                ensure_other_admin!(tx, user_id);
            }
            sqlx::query("UPDATE users SET disabled = $2 WHERE id = $1")
                .bind(user_id)
                .bind(i64::from(disabled))
                .execute(&mut *tx)
                .await?;
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            }
            let action = if disabled { AuditAction::UserDisabled } else { AuditAction::UserEnabled };
            insert_audit!(
                &mut *tx,
                NewAudit::new(
                    now,
                    Some(by),
                    action,
                    json!({
                        "user_id": user_id,
                        "before": { "disabled": before.disabled },
                        "after": { "disabled": disabled },
                    })
                )
            );
            Ok(User { disabled, ..before })
        })
    }

    /// Sets a user's password. The user themself or an admin (`by`) may. Ends the user's
    /// sessions (log in again with the new password).
    pub async fn set_password(&self, user_id: UserId, password: &str, by: UserId) -> Result<()> {
        validate::password(password)?;
        let hash = secret::hash_password(password.to_owned()).await?;
        with_tx!(self, |tx| {
            let now = now_ms();
            let actor = require_actor!(tx, by);
            if actor.id != user_id {
                require_admin(&actor)?;
            }
            let updated = sqlx::query("UPDATE users SET password_hash = $2 WHERE id = $1")
                .bind(user_id)
                .bind(&hash)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if updated == 0 {
                return Err(StoreError::not_found(format!("user {user_id}")));
            }
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            insert_audit!(
                &mut *tx,
                NewAudit::new(now, Some(by), AuditAction::PasswordChanged, json!({ "user_id": user_id }))
            );
            Ok(())
        })
    }

    /// Checks a username and password (Argon2id). Returns the user when the password is right and
    /// the user enabled; `None` otherwise, taking the same time whether or not the user exists (a
    /// missing user is checked against a dummy hash). Every attempt is audited: `login`, or
    /// `login_failed` with the reason (the attempted name is recorded only when it is a real
    /// user's, so a password typed into the name field is never stored).
    pub async fn verify_password(&self, username: &str, password: &str) -> Result<Option<User>> {
        let name = validate::username(username).ok();
        let row = match &name {
            Some(name) => with_pool!(self, |pool| fetch_user_by_name!(pool, name)?),
            None => None,
        };
        let too_long = password.len() > 1024;
        let matched = if too_long {
            false
        } else {
            secret::verify_password(password.to_owned(), row.as_ref().map(|row| row.password_hash.clone())).await?
        };
        let user = row.as_ref().map(UserRow::user).transpose()?;
        let (outcome, failure) = match &user {
            None => (None, Some("unknown_user")),
            Some(_) if too_long || !matched => (None, Some("wrong_password")),
            Some(user) if user.disabled => (None, Some("disabled")),
            Some(user) => (Some(user.clone()), None),
        };
        let now = now_ms();
        let entry = match (failure, &user) {
            (None, Some(user)) => {
                NewAudit::new(now, Some(user.id), AuditAction::Login, json!({ "method": "password" }))
            }
            (Some(reason), Some(user)) => NewAudit::new(
                now,
                Some(user.id),
                AuditAction::LoginFailed,
                json!({ "method": "password", "username": user.username, "reason": reason }),
            ),
            (reason, None) => NewAudit::new(
                now,
                None,
                AuditAction::LoginFailed,
                json!({ "method": "password", "reason": reason.unwrap_or("unknown_user") }),
            ),
        };
        with_pool!(self, |pool| insert_audit!(pool, entry));
        Ok(outcome)
    }

    /// Creates an API key for `user_id`, labelled `label`. The user themself or an admin (`by`)
    /// may. Returns the key's record and the secret (`isk_` + 32 characters): show the secret
    /// once; only its SHA-256 and its first 12 characters are stored.
    pub async fn create_api_key(&self, user_id: UserId, label: &str, by: UserId) -> Result<(ApiKey, String)> {
        let label = validate::label(label)?;
        let secret = secret::new_api_key();
        let prefix = secret[..secret::API_KEY_DISPLAY_CHARS].to_owned();
        let hash = secret::sha256_hex(&secret);
        let key = with_tx!(self, |tx| {
            let now = now_ms();
            let actor = require_actor!(tx, by);
            if actor.id != user_id {
                require_admin(&actor)?;
            }
            let owner = fetch_user!(&mut *tx, user_id)?
                .ok_or_else(|| StoreError::not_found(format!("user {user_id}")))?
                .user()?;
            if owner.disabled {
                return Err(StoreError::invalid(format!("user {} is disabled: enable them first", owner.username)));
            }
            let row: ApiKeyRow = sqlx::query_as(
                "INSERT INTO api_keys (user_id, label, prefix, key_hash, created_at) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id, user_id, label, prefix, created_at, last_used_at, revoked_at",
            )
            .bind(user_id)
            .bind(&label)
            .bind(&prefix)
            .bind(&hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            let key = row.key()?;
            insert_audit!(
                &mut *tx,
                NewAudit::new(
                    now,
                    Some(by),
                    AuditAction::ApiKeyCreated,
                    json!({ "key_id": key.id, "user_id": user_id, "label": key.label, "prefix": key.prefix })
                )
            );
            Ok(key)
        })?;
        Ok((key, secret))
    }

    /// The API keys of a user, newest first, revoked ones included.
    pub async fn list_api_keys(&self, user_id: UserId) -> Result<Vec<ApiKey>> {
        let rows: Vec<ApiKeyRow> = with_pool!(self, |pool| {
            sqlx::query_as(
                "SELECT id, user_id, label, prefix, created_at, last_used_at, revoked_at FROM api_keys \
                 WHERE user_id = $1 ORDER BY id DESC",
            )
            .bind(user_id)
            .fetch_all(pool)
            .await?
        });
        rows.iter().map(ApiKeyRow::key).collect()
    }

    /// The user an API key acts as, if the key is known, not revoked and its user enabled. The
    /// key is looked up by its stored prefix and its SHA-256 compared in constant time.
    pub async fn authenticate_api_key(&self, secret: &str) -> Result<Option<User>> {
        let secret = secret.trim();
        if !secret::looks_like_api_key(secret) {
            return Ok(None);
        }
        let prefix = &secret[..secret::API_KEY_DISPLAY_CHARS];
        let hash = secret::sha256_hex(secret);
        let candidates: Vec<ApiKeyAuthRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT k.id AS key_id, k.key_hash, k.revoked_at, k.last_used_at, ",
                user_columns!("u"),
                " FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.prefix = $1"
            ))
            .bind(prefix)
            .fetch_all(pool)
            .await?
        });
        let mut found = None;
        for candidate in candidates {
            if secret::digests_equal(&candidate.key_hash, &hash) {
                found = Some(candidate);
            }
        }
        let Some(found) = found else { return Ok(None) };
        let user = found.user.user()?;
        if found.revoked_at.is_some() || user.disabled {
            return Ok(None);
        }
        let now = now_ms();
        if found.last_used_at.is_none_or(|last| now - last >= KEY_USE_GRANULARITY_MS) {
            with_pool!(self, |pool| {
                sqlx::query("UPDATE api_keys SET last_used_at = $2 WHERE id = $1")
                    .bind(found.key_id)
                    .bind(now)
                    .execute(pool)
                    .await?;
            });
        }
        Ok(Some(user))
    }

    /// Revokes an API key (its owner or an admin, `by`, may). Revoking a revoked key changes
    /// nothing.
    pub async fn revoke_api_key(&self, key_id: ApiKeyId, by: UserId) -> Result<ApiKey> {
        with_tx!(self, |tx| {
            let now = now_ms();
            let actor = require_actor!(tx, by);
            let row: ApiKeyRow = sqlx::query_as(
                "SELECT id, user_id, label, prefix, created_at, last_used_at, revoked_at FROM api_keys WHERE id = $1",
            )
            .bind(key_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("API key {key_id}")))?;
            if actor.id != row.user_id {
                require_admin(&actor)?;
            }
            if row.revoked_at.is_some() {
                return row.key();
            }
            sqlx::query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1")
                .bind(key_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            insert_audit!(
                &mut *tx,
                NewAudit::new(
                    now,
                    Some(by),
                    AuditAction::ApiKeyRevoked,
                    json!({ "key_id": key_id, "user_id": row.user_id, "prefix": row.key()?.prefix })
                )
            );
            Ok(ApiKey { revoked_at: Some(timestamp(now, "now")?), ..row.key()? })
        })
    }

    /// Starts a session for an enabled user, valid for `ttl` (at most a year). Only the token's
    /// SHA-256 is stored. Call after [`Store::verify_password`] succeeded (which audits the login).
    pub async fn create_session(&self, user_id: UserId, ttl: Duration) -> Result<NewSession> {
        let ttl = ttl.min(MAX_SESSION_TTL);
        let token = secret::random_token();
        let csrf_token = secret::random_token();
        let now = now_ms();
        let expires_at = now.saturating_add(i64::try_from(ttl.as_millis()).unwrap_or(i64::MAX));
        with_tx!(self, |tx| {
            require_actor!(tx, user_id);
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(secret::sha256_hex(&token))
            .bind(user_id)
            .bind(&csrf_token)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            Ok(())
        })?;
        Ok(NewSession { token, csrf_token, expires_at: timestamp(expires_at, "sessions.expires_at")? })
    }

    /// The live session of a token: `None` when unknown, expired, or its user disabled.
    pub async fn session(&self, token: &str) -> Result<Option<Session>> {
        if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = secret::sha256_hex(token);
        let now = now_ms();
        let row: Option<SessionRow> = with_pool!(self, |pool| {
            sqlx::query_as(concat!(
                "SELECT s.csrf_token, s.expires_at, ",
                user_columns!("u"),
                " FROM sessions s JOIN users u ON u.id = s.user_id \
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0"
            ))
            .bind(hash)
            .bind(now)
            .fetch_optional(pool)
            .await?
        });
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Session {
            user: row.user.user()?,
            csrf_token: row.csrf_token,
            expires_at: timestamp(row.expires_at, "sessions.expires_at")?,
        }))
    }

    /// Ends a session (logout); audited as `logout`. Returns whether the token named a session.
    pub async fn delete_session(&self, token: &str) -> Result<bool> {
        let hash = secret::sha256_hex(token);
        with_tx!(self, |tx| {
            let now = now_ms();
            let user_id: Option<i64> =
                sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
                    .bind(&hash)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(user_id) = user_id {
                insert_audit!(&mut *tx, NewAudit::new(now, Some(user_id), AuditAction::Logout, json!({})));
            }
            Ok(user_id.is_some())
        })
    }

    /// Deletes expired sessions (housekeeping); returns how many.
    pub async fn delete_expired_sessions(&self) -> Result<u64> {
        let now = now_ms();
        let deleted = with_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(pool).await?.rows_affected()
        });
        Ok(deleted)
    }
}
