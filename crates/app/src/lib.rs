//! Use cases of tuanwu. Each is one function taking the acting user: it checks permission and
//! scope, runs one transaction, writes the audit record inside it, and returns typed output or
//! an `AppError`.

pub mod account;
pub mod actor;
pub mod archive;
pub mod audit;
pub mod cache;
pub mod cadre;
pub mod clock;
pub mod committee;
pub mod context;
pub mod demo;
pub mod error;
pub mod event;
pub mod file;
pub mod floating;
pub mod graduation;
pub mod grant;
pub mod group;
pub mod history;
pub mod identity;
pub mod meeting;
pub mod member;
pub mod org;
pub mod request;
pub mod roster;
pub mod sealed;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tone;
pub mod transfer;
pub mod workbench;

pub use actor::{Actor, Scope};
pub use clock::Clock;
pub use context::{Config, Context, Policy};
pub use error::AppError;
pub use tuanwu_store::queries::Page;
