//! GRP-1: a branch's groups (团小组) and who was in which group when. A member is in at most one
//! group of their branch; moving is one step from one group to another, and every stay is kept
//! with its dates.

use time::{Date, OffsetDateTime};

use crate::{text, DomainError, GroupId, MemberId, OrgId};

/// The longest group name (the column's width).
pub const NAME_MAX: usize = 32;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: GroupId,
    pub branch: OrgId,
    pub name: String,
    /// 组长: a current member of the group, or nobody yet.
    pub leader: Option<MemberId>,
    pub deleted_at: Option<OffsetDateTime>,
}

/// One stay of a member in a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub group: GroupId,
    pub branch: OrgId,
    pub member: MemberId,
    pub from_on: Date,
    /// Absent while the member is in the group.
    pub to_on: Option<Date>,
}

/// 团小组名称: required, at most `NAME_MAX` characters.
pub fn name(raw: &str) -> Result<String, DomainError> {
    text::required_name(raw, "name", "团小组名称", NAME_MAX).map_err(|e| e.rule("GRP-1"))
}

impl Group {
    pub fn is_live(&self) -> bool {
        self.deleted_at.is_none()
    }

    /// A leader must be in the group now (`members`: its current members).
    pub fn check_leader(
        &self,
        leader: MemberId,
        leader_name: &str,
        members: &[MemberId],
    ) -> Result<(), DomainError> {
        if members.contains(&leader) {
            return Ok(());
        }
        Err(DomainError::new(
            "leader_not_in_group",
            format!(
                "“{leader_name}”不是“{}”的组员，不能担任组长：请先把其加入本小组，再设为组长",
                self.name
            ),
        )
        .rule("GRP-1")
        .field("leader_id"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_leader_is_one_of_the_members() {
        let g = Group {
            id: GroupId(1),
            branch: OrgId(2),
            name: "第一小组".into(),
            leader: None,
            deleted_at: None,
        };
        assert!(g.check_leader(MemberId(3), "甲", &[MemberId(3)]).is_ok());
        let e = g
            .check_leader(MemberId(4), "乙", &[MemberId(3)])
            .unwrap_err();
        assert_eq!(e.code, "leader_not_in_group");
        assert!(e.message.contains("乙") && e.message.contains("第一小组"));
        assert_eq!(name(" ").unwrap_err().field, Some("name"));
    }
}
