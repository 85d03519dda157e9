//! MTG-1, MTG-2: meeting records over HTTP, by concern — attendance derived from the roster at
//! the meeting's date and each bad input refused naming the person (`attendance`), photos and
//! minutes attached from the phone (`attachments`), delete and restore (`removal`), the
//! quarterly compliance, the sheets and the branch's to-do (`compliance`), the demo's year of
//! records (`demo`).

mod attachments;
mod attendance;
mod compliance;
mod demo;
mod removal;

use serde_json::{json, Value};

use crate::fixtures::*;
use crate::harness::{id_of, Resp, TestServer};

/// The fixture's "now" is 2026-11-29 (Sunday) afternoon: a time that has passed.
pub const HELD: &str = "2026-11-29T10:00";

pub fn meetings_path(org: i64) -> String {
    format!("/api/v1/orgs/{org}/meetings")
}

pub fn meeting_path(id: i64) -> String {
    format!("/api/v1/meetings/{id}")
}

/// A record's body: `present` ticked, `absent` with their reasons.
pub fn body(kind: &str, at: &str, topic: &str, present: &[i64], absent: &[(i64, &str)]) -> Value {
    let absentees: Vec<Value> = absent
        .iter()
        .map(|(m, r)| json!({"member_id": m, "reason": r}))
        .collect();
    json!({
        "kind": kind,
        "started_at": at,
        "place": "学生活动中心201",
        "topic": topic,
        "content": "学习团章，讨论本学期工作安排。",
        "presenter": "张书记",
        "recorder": "李委员",
        "attendee_ids": present,
        "absentees": absentees,
    })
}

pub async fn record(server: &TestServer, token: &str, branch: i64, body: &Value) -> Resp {
    server.api(token).post(&meetings_path(branch), body).await
}

/// Records a 团课 of `branch` with `member` present at the fixture's "now"; returns its id.
pub async fn lecture(
    server: &TestServer,
    token: &str,
    branch: i64,
    member: i64,
    topic: &str,
) -> i64 {
    id_of(
        &record(
            server,
            token,
            branch,
            &body("lecture", HELD, topic, &[member], &[]),
        )
        .await
        .ok(201),
    )
}

/// A new branch of college A with `n` members, all created at the fixture's "now".
async fn branch_with(
    server: &TestServer,
    fx: &Fixture,
    name: &str,
    seq: u16,
    n: u16,
) -> (i64, Vec<MemberFx>) {
    let b = branch(server, &fx.root, fx.col_a, name).await;
    let mut ms = Vec::new();
    for i in 0..n {
        let s = seq + i;
        ms.push(member(server, &fx.root, Person::new(s, &name_for(s)), b).await);
    }
    (b, ms)
}

/// The school fixture with a new branch of college A and its members, and the college admin's
/// token that records the branch's meetings (renewed after the clock moves).
pub struct Roll {
    pub server: TestServer,
    pub fx: Fixture,
    pub branch: i64,
    pub members: Vec<MemberFx>,
    pub token: String,
}

impl Roll {
    pub async fn new(name: &str, seq: u16, n: u16) -> Roll {
        let (server, fx) = school().await;
        let (branch, members) = branch_with(&server, &fx, name, seq, n).await;
        let token = fx.a_admin.token.clone();
        Roll {
            server,
            fx,
            branch,
            members,
            token,
        }
    }

    pub fn ids(&self) -> Vec<i64> {
        self.members.iter().map(|m| m.id).collect()
    }

    pub fn name(&self, i: usize) -> &str {
        self.members[i].person.name.as_str()
    }

    /// Records a meeting of the branch as the college admin.
    pub async fn record(
        &self,
        kind: &str,
        at: &str,
        topic: &str,
        present: &[i64],
        absent: &[(i64, &str)],
    ) -> Resp {
        record(
            &self.server,
            &self.token,
            self.branch,
            &body(kind, at, topic, present, absent),
        )
        .await
    }

    /// How many live records the branch's register lists.
    pub async fn total(&self) -> Value {
        self.server
            .api(&self.token)
            .get(&meetings_path(self.branch))
            .await
            .ok(200)["total"]
            .clone()
    }

    /// A fresh login of the college admin (after the clock moved past the session's life).
    pub async fn relogin(&mut self) {
        let a = &self.fx.a_admin;
        self.token = self.server.login(&a.login, &a.password).await;
    }
}
