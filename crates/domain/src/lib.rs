//! Pure rules of tuanwu: value types that are valid by construction, the rule tables of the
//! SPEC and the calculations on them. No I/O, no async, no clock: "today" is always a parameter.

pub mod account;
pub mod age;
pub mod archive;
pub mod audit;
pub mod cadre;
pub mod committee;
pub mod error;
pub mod event;
pub mod file;
pub mod floating;
pub mod graduation;
pub mod grant;
pub mod group;
pub mod ids;
pub mod mask;
pub mod meeting;
pub mod member;
pub mod org;
pub mod request;
pub mod resident_id;
pub mod text;
pub mod transfer;
pub mod year_month;

pub use error::DomainError;
pub use ids::{
    AccountId, ArchiveId, AuditId, CadreId, CodeId, EventId, ExceptionId, FileId, FloatingId,
    GroupId, LetterId, MeetingId, MemberId, OrgId, RequestId, RoleId, TermChangeId, TransferId,
};
pub use resident_id::ResidentId;
pub use year_month::YearMonth;
