//! MTG-3, EVT-1: a branch's committee (支委会) — posts, holders, the term they started — the
//! term change (换届) that replaces it, and the class committee (班委, 班导师).

use time::{Date, Month};

use crate::org::{labelled_enum, BranchType};
use crate::{text, DomainError, MemberId, OrgId, TermChangeId};

labelled_enum!(
    /// A post of the branch committee. The cadre list (ACC-10) carries its label.
    CommitteePost, "invalid_committee_post", "支委职务" {
        Secretary => "secretary", "团支部书记",
        DeputySecretary => "deputy_secretary", "团支部副书记",
        Organisation => "organisation", "组织委员",
        Publicity => "publicity", "宣传委员",
        CultureSports => "culture_sports", "文体委员",
        Study => "study", "学习委员",
        Member => "member", "委员",
    }
);

/// One holder of a committee post for one term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub branch: OrgId,
    pub post: CommitteePost,
    pub member: MemberId,
    pub term_change: Option<TermChangeId>,
    pub started_on: Date,
    /// Absent while in post.
    pub ended_on: Option<Date>,
}

/// One line of the class committee: a post and its holder, a member of the branch or (for the
/// 班导师) anyone by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassPost {
    pub post: String,
    pub member: Option<MemberId>,
    pub name: String,
    pub advisor: bool,
}

/// Student branches elect every year; the others every few years (a setting, MTG-3).
pub fn is_student_branch(in_school: bool, branch_type: Option<BranchType>) -> bool {
    in_school && branch_type != Some(BranchType::Staff)
}

/// The next 换届 is due `years` after the term started (29 February falls back to the 28th).
pub fn next_due(term_start: Date, years: u8) -> Date {
    let year = term_start.year() + i32::from(years);
    Date::from_calendar_date(year, term_start.month(), term_start.day())
        .or_else(|_| Date::from_calendar_date(year, Month::February, 28))
        .unwrap_or(term_start)
}

/// The elected posts: at least one, a secretary among them, and each post other than 委员 at
/// most once.
pub fn check_posts(posts: &[(CommitteePost, MemberId)]) -> Result<(), DomainError> {
    if !posts.iter().any(|(p, _)| *p == CommitteePost::Secretary) {
        return Err(DomainError::new(
            "secretary_required",
            "换届须选出团支部书记：请在选举结果中填写团支部书记",
        )
        .rule("MTG-3")
        .field("posts"));
    }
    for (i, (p, _)) in posts.iter().enumerate() {
        if *p != CommitteePost::Member && posts[..i].iter().any(|(q, _)| q == p) {
            return Err(DomainError::new(
                "duplicate_post",
                format!(
                    "“{}”填写了不止一人：每个职务只能由一人担任，多名委员请选“委员”",
                    p.label()
                ),
            )
            .rule("MTG-3")
            .field("posts"));
        }
    }
    Ok(())
}

/// A branch of seven or more members normally elects three to seven: outside that the term
/// change is recorded with this warning, not refused.
pub fn size_warning(branch_members: u64, elected: usize) -> Option<String> {
    if branch_members >= 7 && !(3..=7).contains(&elected) {
        Some(format!(
            "本团支部有{branch_members}名团员，本次选出{elected}名支委：团员7人以上的团支部一般设3至7名支委，请确认选举结果"
        ))
    } else {
        None
    }
}

/// The longest class-committee post name (the column's width).
pub const CLASS_POST_MAX: usize = 32;
/// The longest name of a person from outside the roster.
pub const PERSON_NAME_MAX: usize = 64;

/// A class-committee post (班长, 学习委员, …): free text, because schools name them differently.
pub fn class_post(raw: &str) -> Result<String, DomainError> {
    text::required_name(raw, "post", "班委职务", CLASS_POST_MAX).map_err(|e| e.rule("EVT-1"))
}

/// The class advisor's name when they are not on the roster (a teacher).
pub fn advisor_name(raw: &str) -> Result<String, DomainError> {
    text::required_name(raw, "advisor", "班导师姓名", PERSON_NAME_MAX).map_err(|e| e.rule("EVT-1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn terms_posts_and_sizes() {
        assert_eq!(next_due(date!(2025 - 10 - 15), 1), date!(2026 - 10 - 15));
        assert_eq!(next_due(date!(2024 - 02 - 29), 3), date!(2027 - 02 - 28));
        assert!(is_student_branch(true, Some(BranchType::Regular)));
        assert!(!is_student_branch(true, Some(BranchType::Staff)));
        assert!(!is_student_branch(false, Some(BranchType::Regular)));
        let m = MemberId(1);
        assert_eq!(
            check_posts(&[(CommitteePost::Organisation, m)])
                .unwrap_err()
                .code,
            "secretary_required"
        );
        assert_eq!(
            check_posts(&[
                (CommitteePost::Secretary, m),
                (CommitteePost::Publicity, m),
                (CommitteePost::Publicity, MemberId(2))
            ])
            .unwrap_err()
            .code,
            "duplicate_post"
        );
        assert!(check_posts(&[
            (CommitteePost::Secretary, m),
            (CommitteePost::Member, MemberId(2)),
            (CommitteePost::Member, MemberId(3))
        ])
        .is_ok());
        assert!(size_warning(6, 1).is_none());
        assert!(size_warning(7, 2).is_some());
        assert!(size_warning(7, 3).is_none());
        assert!(size_warning(30, 8).is_some());
    }
}
