use std::collections::HashSet;

use sea_orm::ConnectionTrait;
use serde::Serialize;
use time::Date;
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::age::{age_on, age_out_month, is_aged_out};
use tuanwu_domain::archive::{status_of_rank, ArchiveKind, ArchiveStatus};
use tuanwu_domain::mask::{mask_phone, mask_resident_id};
use tuanwu_domain::member::{Member, MemberStatus};
use tuanwu_domain::request::RequestKind;
use tuanwu_store::member::ListRow;
use tuanwu_store::Cipher;
use utoipa::ToSchema;

use crate::error::AppResult;

/// A member's own page (MEM-1). `resident_id` and `phone` are full here only for admins in
/// scope and the member themself; everywhere else they are masked (SYS-5).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_path: String,
    pub name: String,
    pub resident_id: String,
    pub resident_id_masked: String,
    /// `male` | `female`, from the resident ID.
    pub gender: String,
    pub gender_label: String,
    pub ethnicity: String,
    /// YYYY-MM-DD, from the resident ID.
    pub birth_date: String,
    pub age: i32,
    /// YYYY-MM.
    pub joined_on: String,
    /// 12 digits, or `null` for "无" (joined before 2017).
    pub development_no: Option<String>,
    pub student_no: Option<String>,
    pub admission_major: Option<String>,
    pub actual_major: Option<String>,
    pub native_place: Option<String>,
    pub education: Option<String>,
    /// `masses` | `league_member` | `probationary_party_member` | `party_member`.
    pub political_status: String,
    pub political_status_label: String,
    pub phone: Option<String>,
    pub phone_masked: Option<String>,
    pub email: Option<String>,
    pub offline_managed: bool,
    pub offline_note: Option<String>,
    /// `pending` | `verified` | `verified_offline` | `failed` (ACC-8).
    pub identity_check: String,
    /// 待核验 | 已认证 | 线下通过 | 未通过.
    pub identity_check_label: String,
    /// Why the check failed, or who confirmed the ID card offline and when.
    pub identity_note: Option<String>,
    /// When the status was last decided (RFC 3339), if ever.
    pub identity_checked_at: Option<String>,
    /// `active`, or `deleted` once a deletion request was approved (MEM-7).
    pub status: String,
    /// MEM-3, computed from the birth date and today.
    pub aged_out: bool,
    /// YYYY-MM: the month at whose end the member leaves the league (MEM-3).
    pub age_out_month: String,
    /// The member's login account; null until it is first needed (a password set, a reset code,
    /// a role or a registration makes it).
    pub account_id: Option<i64>,
    /// A pending 发展团员编号被占用 case about this record (MEM-10), if any.
    pub development_no_conflict_request_id: Option<i64>,
    /// What an edit of this record may change (the edit form follows it).
    pub actions: MemberActions,
    /// Moves on every change of the record. Send it back with an edit (`version` in the body or
    /// `If-Match: "<version>"`): an edit made from an older version is refused with 409
    /// `stale_edit` instead of overwriting someone else's change.
    pub version: i64,
    pub created_at: String,
    pub updated_at: String,
}

/// Which fields an edit may change, decided from the record (ACC-9, MEM-6).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct MemberActions {
    /// 姓名, 身份证号, 入团时间 and 发展团员编号 can be edited directly: false once the identity
    /// is verified; they are then changed only by an approved correction request.
    pub edit_identity: bool,
    /// A correction request (提交更正申请) is how those fields change.
    pub request_correction: bool,
}

impl MemberActions {
    pub fn of(m: &Member) -> Self {
        let locked = m.is_verified();
        Self {
            edit_identity: !locked,
            request_correction: locked && m.is_active(),
        }
    }
}

impl MemberView {
    /// On the roll (MEM-7): only such a record is acted on (transfers, identity checks, codes).
    pub fn is_active(&self) -> bool {
        MemberStatus::parse(&self.status).is_ok_and(|s| s == MemberStatus::Active)
    }

    /// Deleted after an approved deletion request (MEM-8): kept for the record only.
    pub fn is_deleted(&self) -> bool {
        MemberStatus::parse(&self.status).is_ok_and(|s| s == MemberStatus::Deleted)
    }
}

/// A row of a list or search result: personal numbers masked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberSummary {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub name: String,
    /// Masked: 1201**********1234.
    pub resident_id: String,
    pub gender: String,
    pub gender_label: String,
    pub student_no: Option<String>,
    pub joined_on: String,
    pub development_no: Option<String>,
    pub political_status: String,
    pub political_status_label: String,
    /// Masked: 138****5678.
    pub phone: Option<String>,
    pub offline_managed: bool,
    pub identity_check: String,
    pub aged_out: bool,
    /// ARC-1: 档案是否上传 and the review status of each kind.
    pub archives: ArchiveSummary,
}

/// ARC-1 as a list column: both archives uploaded?, and each kind's status.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ArchiveSummary {
    /// Both the 入团申请书 and the 入团志愿书 have an upload (pending, approved or rejected).
    pub uploaded: bool,
    /// `missing` | `pending` | `approved` | `rejected`.
    pub application_letter: String,
    pub application_letter_label: String,
    pub admission_form: String,
    pub admission_form_label: String,
}

impl ArchiveSummary {
    fn of(statuses: &[(ArchiveKind, ArchiveStatus); 2]) -> Self {
        let [(_, letter), (_, form)] = *statuses;
        ArchiveSummary {
            uploaded: letter != ArchiveStatus::Missing && form != ArchiveStatus::Missing,
            application_letter: letter.key().into(),
            application_letter_label: letter.label().into(),
            admission_form: form.key().into(),
            admission_form_label: form.label().into(),
        }
    }
}

/// A row carrying a member's encrypted numbers: the whole record, or a list row.
pub trait SealedNumbers {
    fn resident_id_enc(&self) -> &[u8];
    fn phone_enc(&self) -> Option<&[u8]>;
}

impl SealedNumbers for Member {
    fn resident_id_enc(&self) -> &[u8] {
        &self.resident_id_enc
    }
    fn phone_enc(&self) -> Option<&[u8]> {
        self.phone_enc.as_deref()
    }
}

impl SealedNumbers for ListRow {
    fn resident_id_enc(&self) -> &[u8] {
        &self.resident_id_enc
    }
    fn phone_enc(&self) -> Option<&[u8]> {
        self.phone_enc.as_deref()
    }
}

pub fn decrypt_resident_id(cipher: &Cipher, m: &impl SealedNumbers) -> String {
    cipher.decrypt(m.resident_id_enc()).unwrap_or_default()
}

pub fn decrypt_phone(cipher: &Cipher, m: &impl SealedNumbers) -> Option<String> {
    m.phone_enc().and_then(|e| cipher.decrypt(e))
}

/// The Chinese word of an identity-check status key (ACC-8).
pub fn identity_label(code: &str) -> String {
    IdentityCheck::parse(code)
        .map(|c| c.label().to_string())
        .unwrap_or_default()
}

pub async fn member_view<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    m: Member,
    today: Date,
) -> AppResult<MemberView> {
    let org = tuanwu_store::org::get(c, m.org_id).await?;
    let account = tuanwu_store::account::find_by_member(c, m.id).await?;
    let holds_post = !tuanwu_store::account::members_holding_post(c, &[m.id])
        .await?
        .is_empty();
    let resident_id = decrypt_resident_id(cipher, &m);
    let phone = decrypt_phone(cipher, &m);
    let pending_conflict =
        tuanwu_store::request::pending_of(c, m.id, RequestKind::DevelopmentNoConflict)
            .await?
            .map(|r| r.0);
    let actions = MemberActions::of(&m);
    Ok(MemberView {
        id: m.id.0,
        org_id: m.org_id.0,
        org_name: org.as_ref().map(|o| o.name.clone()).unwrap_or_default(),
        org_path: org.map(|o| o.path).unwrap_or_default(),
        name: m.name,
        resident_id_masked: mask_resident_id(&resident_id),
        resident_id,
        gender_label: m.gender.label().into(),
        gender: m.gender.key().into(),
        ethnicity: m.ethnicity,
        birth_date: m.birth_date.to_string(),
        age: age_on(m.birth_date, today),
        joined_on: m.joined_on.to_string(),
        development_no: m.development_no,
        student_no: m.student_no,
        admission_major: m.admission_major,
        actual_major: m.actual_major,
        native_place: m.native_place,
        education: m.education,
        political_status_label: m.political_status.label().into(),
        political_status: m.political_status.key().into(),
        phone_masked: phone.as_deref().map(mask_phone),
        phone,
        email: m.email,
        offline_managed: m.offline_managed,
        offline_note: m.offline_note,
        identity_check_label: m.identity_check.label().into(),
        identity_check: m.identity_check.key().into(),
        identity_note: m.identity_note,
        identity_checked_at: m.identity_checked_at.map(crate::audit::format_time),
        status: m.status.key().into(),
        aged_out: is_aged_out(m.birth_date, today, holds_post),
        age_out_month: age_out_month(m.birth_date).to_string(),
        account_id: account.map(|a| a.id.0),
        development_no_conflict_request_id: pending_conflict,
        actions,
        version: m.version,
        created_at: crate::audit::format_time(m.created_at),
        updated_at: crate::audit::format_time(m.updated_at),
    })
}

pub async fn summaries<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    members: Vec<ListRow>,
    today: Date,
) -> AppResult<Vec<MemberSummary>> {
    // Only people past their age-out month can be kept in by a post (MEM-3): most pages need
    // no query for it.
    let past: Vec<tuanwu_domain::MemberId> = members
        .iter()
        .filter(|m| is_aged_out(m.birth_date, today, false))
        .map(|m| m.id)
        .collect();
    let posts: HashSet<tuanwu_domain::MemberId> =
        tuanwu_store::account::members_holding_post(c, &past).await?;
    Ok(members
        .into_iter()
        .map(|m| MemberSummary {
            id: m.id.0,
            org_id: m.org_id.0,
            resident_id: mask_resident_id(&decrypt_resident_id(cipher, &m)),
            phone: decrypt_phone(cipher, &m).as_deref().map(mask_phone),
            org_name: m.org_name,
            gender_label: m.gender.label().into(),
            political_status_label: m.political_status.label().into(),
            aged_out: is_aged_out(m.birth_date, today, posts.contains(&m.id)),
            archives: ArchiveSummary::of(&[
                (
                    ArchiveKind::ApplicationLetter,
                    status_of_rank(m.application_letter_rank),
                ),
                (
                    ArchiveKind::AdmissionForm,
                    status_of_rank(m.admission_form_rank),
                ),
            ]),
            name: m.name,
            gender: m.gender.key().into(),
            student_no: m.student_no,
            joined_on: m.joined_on.to_string(),
            development_no: m.development_no,
            political_status: m.political_status.key().into(),
            offline_managed: m.offline_managed,
            identity_check: m.identity_check.key().into(),
        })
        .collect())
}

/// What the audit log keeps of a member: personal numbers only as keyed fingerprints.
#[derive(Serialize)]
pub struct MemberAudit {
    pub name: String,
    pub resident_id: String,
    pub phone: Option<String>,
    pub org_id: i64,
    pub joined_on: String,
    pub development_no: Option<String>,
    pub student_no: Option<String>,
    pub ethnicity: String,
    pub political_status: String,
    pub email: Option<String>,
    pub admission_major: Option<String>,
    pub actual_major: Option<String>,
    pub native_place: Option<String>,
    pub education: Option<String>,
    pub offline_managed: bool,
}

impl MemberAudit {
    pub fn of(m: &Member, cipher: &Cipher) -> Self {
        Self {
            name: m.name.clone(),
            resident_id: crate::audit::fingerprint(cipher, &decrypt_resident_id(cipher, m)),
            phone: decrypt_phone(cipher, m)
                .as_deref()
                .map(|p| crate::audit::fingerprint(cipher, p)),
            org_id: m.org_id.0,
            joined_on: m.joined_on.to_string(),
            development_no: m.development_no.clone(),
            student_no: m.student_no.clone(),
            ethnicity: m.ethnicity.clone(),
            political_status: m.political_status.key().into(),
            email: m.email.clone(),
            admission_major: m.admission_major.clone(),
            actual_major: m.actual_major.clone(),
            native_place: m.native_place.clone(),
            education: m.education.clone(),
            offline_managed: m.offline_managed,
        }
    }
}
