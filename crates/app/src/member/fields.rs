//! The checked form of a member's fields, shared by entry, edit, self-registration and the
//! import: every way in accepts exactly the same values.

use time::Date;
use tuanwu_domain::age::{joining_status, JoiningStatus};
use tuanwu_domain::member::{
    parse_education, parse_ethnicity, parse_student_no, DevelopmentNo, Email, PersonName, Phone,
    PoliticalStatus,
};
use tuanwu_domain::{text, DomainError, ResidentId, YearMonth};

/// Identity and joining facts: these decide each other (MEM-2), so they are checked together.
pub struct Identity {
    pub resident_id: ResidentId,
    pub joined_on: YearMonth,
    pub development_no: Option<DevelopmentNo>,
    pub offline_managed: bool,
}

pub fn parse_joined_on(s: &str) -> Result<YearMonth, DomainError> {
    let s = text::required(s, "joined_on", "入团时间", 10)?;
    s.parse::<YearMonth>()
        .map_err(|e| e.rule("MEM-1").field("joined_on"))
}

pub fn identity(
    resident_id: &str,
    joined_on: &str,
    development_no: Option<&str>,
    today: Date,
) -> Result<Identity, DomainError> {
    let rid = text::required(resident_id, "resident_id", "身份证号", 18)
        .and_then(|r| ResidentId::parse(&r, today))?;
    let joined_on = parse_joined_on(joined_on)?;
    let status = joining_status(rid.birth_date(), joined_on, today)?;
    let development_no = DevelopmentNo::for_join_date(development_no, joined_on)?;
    Ok(Identity {
        resident_id: rid,
        joined_on,
        development_no,
        offline_managed: status == JoiningStatus::OfflineManaged,
    })
}

pub fn name(s: &str) -> Result<PersonName, DomainError> {
    PersonName::parse(s)
}

pub fn ethnicity(s: &str) -> Result<String, DomainError> {
    text::required(s, "ethnicity", "民族", 16).and_then(|e| parse_ethnicity(&e))
}

pub fn political_status(s: Option<&str>) -> Result<PoliticalStatus, DomainError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(PoliticalStatus::LeagueMember),
        Some(v) => PoliticalStatus::parse(v).map_err(|e| e.rule("MEM-1").field("political_status")),
    }
}

pub fn student_no(s: Option<&str>) -> Result<Option<String>, DomainError> {
    parse_student_no(s.unwrap_or(""))
}

pub fn phone(s: Option<&str>) -> Result<Option<Phone>, DomainError> {
    text::optional(s, "phone", "手机号码", 20)?
        .map(|p| Phone::parse(&p))
        .transpose()
}

pub fn email(s: Option<&str>) -> Result<Option<Email>, DomainError> {
    text::optional(s, "email", "电子邮箱", 254)?
        .map(|e| Email::parse(&e))
        .transpose()
}

pub fn education(s: Option<&str>) -> Result<Option<String>, DomainError> {
    text::optional(s, "education", "文化程度", 32)?
        .map(|e| parse_education(&e))
        .transpose()
}

pub fn major(s: Option<&str>, field: &'static str) -> Result<Option<String>, DomainError> {
    text::optional_name(s, field, "专业", 100)
}

pub fn native_place(s: Option<&str>) -> Result<Option<String>, DomainError> {
    text::optional_name(s, "native_place", "籍贯", 100)
}

pub fn offline_note(s: Option<&str>) -> Result<Option<String>, DomainError> {
    text::optional(s, "offline_note", "线下管理说明", 500)
}

/// The default note of an offline-managed record (MEM-2), when the branch gives none.
pub const DEFAULT_OFFLINE_NOTE: &str = "2017年1月1日前入团、入团时未满十四周岁，按规定作线下管理";
