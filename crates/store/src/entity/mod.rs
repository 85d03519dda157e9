//! SeaORM entities: one module per table, the same for SQLite and PostgreSQL.

pub mod account;
pub mod audit_log;
pub mod member;
pub mod org;
pub mod org_closure;
pub mod role;
pub mod session;
