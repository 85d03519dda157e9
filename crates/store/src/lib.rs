//! Persistence for tuanwu: SeaORM over SQLite (embedded default) or PostgreSQL, chosen by the
//! database URL at run time, with one migration history and one set of queries for both.

pub mod account;
pub mod archive;
pub mod audit;
pub mod backup;
pub mod blobs;
pub mod cadre;
pub mod code;
pub mod committee;
pub mod crypto;
pub mod db;
pub mod entity;
pub mod event;
pub mod file;
pub mod floating;
pub mod graduation;
pub mod grant;
pub mod group;
pub mod history;
pub mod identity;
pub mod letter;
pub mod meeting;
pub mod member;
pub mod migration;
pub mod org;
pub mod queries;
pub mod request;
pub mod scope;
pub mod session;
pub mod testing;
pub mod transfer;

pub use crypto::Cipher;
pub use db::{Backend, Db, WriteTx};
pub use scope::Scope;
pub use sea_orm::{ConnectionTrait, DbErr};
