//! `interspace serve` and `interspace user`: the web application and its users.

use std::io::BufRead;
use std::sync::Arc;

use anyhow::Result;
use interspace_server::{AppState, Config};
use interspace_store::{NewUser, Role, Store};

use crate::args::{ServeArgs, UserCommand};
use crate::output::text;
use crate::{Outcome, UserError};

/// The server's runtime. Analysis, scrubbing and the assistant are CPU work on the blocking pool;
/// more of them at once than twice the cores only adds context switches and tail latency, so the
/// pool is capped there and further work waits its turn (the concurrency limit in front sheds
/// what cannot wait).
fn runtime() -> Result<tokio::runtime::Runtime> {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    Ok(tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads((2 * cores).max(4)).build()?)
}

async fn open(url: &str) -> Result<Store> {
    Store::open(url).await.map_err(|e| {
        UserError::new(format!("cannot open the work-queue database: {e}"))
            .hint("use --db sqlite://FILE (created if missing) or a reachable postgres://… URL")
            .into()
    })
}

/// A password from `INTERSPACE_PASSWORD`, else the first line of stdin.
fn password() -> Result<String> {
    if let Ok(p) = std::env::var("INTERSPACE_PASSWORD")
        && !p.is_empty()
    {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let p = line.trim_end_matches(['\r', '\n']).to_string();
    if p.is_empty() {
        return Err(UserError::new("no password given")
            .hint("set INTERSPACE_PASSWORD or pipe the password on stdin")
            .into());
    }
    Ok(p)
}

pub(crate) fn serve(engine: interspace_engine::Engine, args: &ServeArgs) -> Result<Outcome> {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into());
    // axum traces every rejected request with its body text, which quotes the value at fault (a
    // patient's name in a mistyped field): off whatever RUST_LOG says. Rejections still show as
    // the request's 4xx status.
    let filter = filter.add_directive("axum::rejection=off".parse()?);
    if args.log_json {
        tracing_subscriber::fmt().json().with_env_filter(filter).with_writer(std::io::stderr).init();
    } else {
        tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
    }
    runtime()?.block_on(async {
        let store = open(&args.db.db).await?;
        if let Some(name) = &args.create_admin {
            let (user, created) =
                store.ensure_admin(name, &password()?).await.map_err(|e| UserError::new(e.to_string()))?;
            tracing::info!(user = %user.username, created, "admin ready");
        }
        let config = Config {
            addr: args.addr,
            public_reference: args.public_reference,
            secure_cookies: args.secure_cookies || args.tls_cert.is_some(),
            tls: args.tls_cert.clone().zip(args.tls_key.clone()),
            watch: args.watch.clone(),
            max_in_flight: args.max_in_flight,
        };
        let scheme = if config.tls.is_some() { "https" } else { "http" };
        tracing::info!(addr = %config.addr, "serving on {scheme}://{}", config.addr);
        let assistant = interspace_ask::Assistant::new(&engine.reference).map_err(|e| UserError::new(e.to_string()))?;
        let state =
            AppState { engine: Arc::new(engine), assistant: Arc::new(assistant), store, config: Arc::new(config) };
        interspace_server::serve(state).await.map_err(|e| {
            UserError::new(format!("the server stopped: {e}"))
                .hint("is the address already in use? try --addr 127.0.0.1:8081")
        })?;
        Ok(Outcome::Ok)
    })
}

pub(crate) fn user(cmd: &UserCommand) -> Result<Outcome> {
    runtime()?.block_on(async {
        match cmd {
            UserCommand::Admin { username, db } => {
                let store = open(&db.db).await?;
                let (user, created) =
                    store.ensure_admin(username, &password()?).await.map_err(|e| UserError::new(e.to_string()))?;
                text(&format!("{} admin {}\n", if created { "created" } else { "reset" }, user.username))?;
            }
            UserCommand::Add { username, role, display_name, db } => {
                let store = open(&db.db).await?;
                let role: Role =
                    role.parse().map_err(|e: interspace_store::StoreError| UserError::new(e.to_string()))?;
                let admin = acting_admin(&store).await?;
                let new = NewUser {
                    username: username.clone(),
                    display_name: display_name.clone().unwrap_or_else(|| username.clone()),
                    role,
                    password: password()?,
                };
                let user = store.create_user(&new, admin).await.map_err(|e| UserError::new(e.to_string()))?;
                text(&format!("added {} ({})\n", user.username, user.role))?;
            }
            UserCommand::Key { username, label, db } => {
                let store = open(&db.db).await?;
                let admin = acting_admin(&store).await?;
                let user =
                    store.user_by_username(username).await.map_err(|e| UserError::new(e.to_string()))?.ok_or_else(
                        || UserError::new(format!("no user `{username}`")).hint("`interspace user list` shows them"),
                    )?;
                let (_, secret) =
                    store.create_api_key(user.id, label, admin).await.map_err(|e| UserError::new(e.to_string()))?;
                text(&format!("{secret}\n"))?;
                eprintln!(
                    "This key is shown once; Interspace stores only its hash. Send it as `Authorization: Bearer <key>`."
                );
            }
            UserCommand::List { db } => {
                let store = open(&db.db).await?;
                for u in store.list_users().await.map_err(|e| UserError::new(e.to_string()))? {
                    text(&format!(
                        "{:<20} {:<9} {}{}\n",
                        u.username,
                        u.role.as_str(),
                        u.display_name,
                        if u.disabled { " (disabled)" } else { "" }
                    ))?;
                }
            }
        }
        Ok(Outcome::Ok)
    })
}

async fn acting_admin(store: &Store) -> Result<i64> {
    let users = store.list_users().await.map_err(|e| UserError::new(e.to_string()))?;
    users.iter().find(|u| u.role == Role::Admin && !u.disabled).map(|u| u.id).ok_or_else(|| {
        UserError::new("there is no admin yet").hint("create one with `interspace user admin NAME`").into()
    })
}
