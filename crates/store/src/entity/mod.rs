//! SeaORM entities: one module per table, the same for SQLite and PostgreSQL.

pub mod account;
pub mod archive;
pub mod audit_log;
pub mod cadre;
pub mod code;
pub mod continuity_case;
pub mod destination;
pub mod file;
pub mod floating_contact;
pub mod floating_record;
pub mod graduation_exception;
pub mod import;
pub mod letter;
pub mod letter_counter;
pub mod member;
pub mod org;
pub mod org_closure;
pub mod request;
pub mod request_event;
pub mod request_file;
pub mod role;
pub mod session;
pub mod transfer;
pub mod transfer_event;
