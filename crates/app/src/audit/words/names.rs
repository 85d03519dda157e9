//! The names of the orgs, members, groups and meeting records entries refer to by id.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use crate::clock::minutes;
use crate::AppError;

/// Names of orgs and members that entries refer to by id, read once per page.
#[derive(Default)]
pub struct Names {
    orgs: HashMap<i64, String>,
    members: HashMap<i64, String>,
    groups: HashMap<i64, String>,
    meetings: HashMap<i64, String>,
}

impl Names {
    pub async fn org<C: ConnectionTrait>(&mut self, c: &C, id: i64) -> Result<String, AppError> {
        if let Some(n) = self.orgs.get(&id) {
            return Ok(n.clone());
        }
        let n = tuanwu_store::org::get(c, tuanwu_domain::OrgId(id))
            .await?
            .map(|o| o.name)
            .unwrap_or_else(|| "（已不存在的组织）".into());
        self.orgs.insert(id, n.clone());
        Ok(n)
    }

    pub async fn member<C: ConnectionTrait>(&mut self, c: &C, id: i64) -> Result<String, AppError> {
        if let Some(n) = self.members.get(&id) {
            return Ok(n.clone());
        }
        // The entry is in the reader's scope; the member it names may have moved on since.
        let n = tuanwu_store::member::of_record(c, tuanwu_domain::MemberId(id))
            .await?
            .map(|m| m.name.as_str().to_string())
            .unwrap_or_else(|| "（已删除的团员）".into());
        self.members.insert(id, n.clone());
        Ok(n)
    }

    pub async fn group<C: ConnectionTrait>(&mut self, c: &C, id: i64) -> Result<String, AppError> {
        if let Some(n) = self.groups.get(&id) {
            return Ok(n.clone());
        }
        let n = tuanwu_store::group::name_of(c, tuanwu_domain::GroupId(id))
            .await?
            .unwrap_or_else(|| "（已不存在的团小组）".into());
        self.groups.insert(id, n.clone());
        Ok(n)
    }

    /// A meeting record as its list shows it: 支委会（2026-11-20 19:00）“换届筹备”.
    pub async fn meeting<C: ConnectionTrait>(
        &mut self,
        c: &C,
        id: i64,
    ) -> Result<String, AppError> {
        if let Some(n) = self.meetings.get(&id) {
            return Ok(n.clone());
        }
        let n = match tuanwu_store::meeting::heading_of(c, tuanwu_domain::MeetingId(id)).await? {
            Some((kind, at, topic)) => format!("{}（{}）“{topic}”", kind.label(), minutes(at)),
            None => "（已不存在的会议记录）".into(),
        };
        self.meetings.insert(id, n.clone());
        Ok(n)
    }
}
