//! ARC-1 … ARC-4: e-archives per member and the league identity certification derived from them.

use time::OffsetDateTime;

use crate::org::labelled_enum;
use crate::{AccountId, ArchiveId, FileId, MemberId, RequestId, YearMonth};

labelled_enum!(
    ArchiveKind, "invalid_archive_kind", "档案类型" {
        ApplicationLetter => "application_letter", "入团申请书",
        AdmissionForm => "admission_form", "入团志愿书",
    }
);

impl ArchiveKind {
    /// Both kinds in the order forms list them, as an array (for per-kind tables).
    pub const ALL_PAIR: [ArchiveKind; 2] =
        [ArchiveKind::ApplicationLetter, ArchiveKind::AdmissionForm];
}

labelled_enum!(
    /// ARC-1: what lists show for one kind of archive of one member.
    ArchiveStatus, "invalid_archive_status", "档案状态" {
        Missing => "missing", "未上传",
        Pending => "pending", "待审核",
        Approved => "approved", "已通过",
        Rejected => "rejected", "未通过",
    }
);

labelled_enum!(
    /// ARC-4: 团员身份认证.
    LeagueIdentity, "invalid_league_identity", "团员身份认证" {
        Certified => "certified", "已认证",
        Uncertified => "uncertified", "未认证（须上传并审核通过入团志愿书）",
        NotRequired => "not_required", "无需认证（2020年前入团）",
    }
);

labelled_enum!(
    /// One uploaded archive as stored: its review state (ARC-2, ARC-3). Superseded: an approved
    /// archive replaced by a newer approved one; withdrawn: the uploader withdrew the review.
    UploadState, "invalid_upload_state", "档案审核状态" {
        Pending => "pending", "待审核",
        Approved => "approved", "已通过（有效）",
        Rejected => "rejected", "未通过",
        Superseded => "superseded", "已被替换",
        Withdrawn => "withdrawn", "已撤销",
    }
);

impl UploadState {
    /// The archive in force for its kind.
    pub fn in_force(self) -> bool {
        self == UploadState::Approved
    }
}

/// One uploaded archive of one member (ARC-1), typed from the database up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archive {
    pub id: ArchiveId,
    pub member: MemberId,
    pub kind: ArchiveKind,
    pub file: FileId,
    pub status: UploadState,
    /// ARC-2: the `archive_review` request, when the upload needs one.
    pub request: Option<RequestId>,
    pub uploaded_by: AccountId,
    pub created_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
}

/// An upload the use case checked (ARC-1, ARC-5), pending review.
#[derive(Debug, Clone)]
pub struct NewArchive {
    pub member: MemberId,
    pub kind: ArchiveKind,
    pub file: FileId,
    pub uploaded_by: AccountId,
    pub created_at: OffsetDateTime,
}

/// ARC-1 / ARC-3: which uploads decide the status a list shows, the first present winning. An
/// approved archive stays in force while its replacement waits or after it is rejected. List
/// queries rank uploads by their place here, so the rule has this one definition.
pub const PRECEDENCE: [(UploadState, ArchiveStatus); 3] = [
    (UploadState::Approved, ArchiveStatus::Approved),
    (UploadState::Pending, ArchiveStatus::Pending),
    (UploadState::Rejected, ArchiveStatus::Rejected),
];

/// The status a list shows, from the uploads of one kind (any order).
pub fn status_of(uploads: &[UploadState]) -> ArchiveStatus {
    status_of_rank(
        PRECEDENCE
            .iter()
            .position(|(u, _)| uploads.contains(u))
            .map(|i| i as i64),
    )
}

/// The status from the best rank (place in `PRECEDENCE`) among a kind's uploads, if any.
pub fn status_of_rank(rank: Option<i64>) -> ArchiveStatus {
    rank.and_then(|r| usize::try_from(r).ok())
        .and_then(|r| PRECEDENCE.get(r))
        .map_or(ArchiveStatus::Missing, |(_, s)| *s)
}

/// ARC-4: members who joined in 2020 or later need an approved 入团志愿书.
pub fn league_identity(joined_on: YearMonth, admission_form: ArchiveStatus) -> LeagueIdentity {
    if joined_on.year() < 2020 {
        LeagueIdentity::NotRequired
    } else if admission_form == ArchiveStatus::Approved {
        LeagueIdentity::Certified
    } else {
        LeagueIdentity::Uncertified
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use UploadState::*;

    #[test]
    fn an_approved_archive_stays_in_force_during_replacement() {
        assert_eq!(status_of(&[]), ArchiveStatus::Missing);
        assert_eq!(status_of(&[Pending]), ArchiveStatus::Pending);
        assert_eq!(status_of(&[Rejected]), ArchiveStatus::Rejected);
        assert_eq!(status_of(&[Rejected, Pending]), ArchiveStatus::Pending);
        assert_eq!(status_of(&[Approved, Pending]), ArchiveStatus::Approved);
        assert_eq!(status_of(&[Approved, Rejected]), ArchiveStatus::Approved);
        assert_eq!(status_of(&[Superseded, Approved]), ArchiveStatus::Approved);
    }

    #[test]
    fn certification_is_needed_from_2020() {
        let ym = |s: &str| s.parse::<YearMonth>().unwrap();
        assert_eq!(
            league_identity(ym("2019-12"), ArchiveStatus::Missing),
            LeagueIdentity::NotRequired
        );
        assert_eq!(
            league_identity(ym("2020-01"), ArchiveStatus::Pending),
            LeagueIdentity::Uncertified
        );
        assert_eq!(
            league_identity(ym("2021-05"), ArchiveStatus::Approved),
            LeagueIdentity::Certified
        );
    }
}
