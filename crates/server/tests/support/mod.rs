//! A server over an in-memory work queue, with an admin and a coder.

#![allow(dead_code, unreachable_pub)]

use std::sync::{Arc, LazyLock};

use interspace_engine::Engine;
use interspace_knowledge::Knowledge;
use interspace_refdata::RefData;
use interspace_server::{AppState, Config};
use interspace_store::{NewUser, Role, Store};

pub static ENGINE: LazyLock<Arc<Engine>> = LazyLock::new(|| {
    Arc::new(Engine::new(Arc::new(RefData::load_embedded().unwrap()), Arc::new(Knowledge::load_embedded().unwrap())))
});

pub const ADMIN_PASSWORD: &str = "correct-horse-battery-9";
pub const CODER_PASSWORD: &str = "staple-lantern-orbit-4";

pub struct TestServer {
    pub state: AppState,
    /// API key of the coder.
    pub coder_key: String,
    pub admin_id: i64,
    pub coder_id: i64,
}

pub async fn server(config: Config) -> TestServer {
    let store = Store::open("sqlite::memory:").await.unwrap();
    let (admin, _) = store.ensure_admin("admin", ADMIN_PASSWORD).await.unwrap();
    let coder = store
        .create_user(
            &NewUser {
                username: "casey".into(),
                display_name: "Casey Coder".into(),
                role: Role::Coder,
                password: CODER_PASSWORD.into(),
            },
            admin.id,
        )
        .await
        .unwrap();
    let (_, coder_key) = store.create_api_key(coder.id, "tests", admin.id).await.unwrap();
    TestServer {
        state: AppState {
            engine: ENGINE.clone(),
            assistant: Arc::new(interspace_ask::Assistant::new(&ENGINE.reference).unwrap()),
            store,
            config: Arc::new(config),
        },
        coder_key,
        admin_id: admin.id,
        coder_id: coder.id,
    }
}

pub const NOTE: &str = include_str!("../../../../examples/l4-s1-tlif.txt");
