//! Rebuilds the crate when a migration is added or changed (`sqlx::migrate!` embeds the folders).
#![allow(clippy::print_stdout)]

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
