//! The world every matrix test function builds once: the standard fixture, a third school whose
//! branch is the far side of incoming transfers, the member actor's session, and two delegated
//! admins of college A whose permissions are complementary (so for every permission one holds it
//! and the other lacks it).

use serde_json::{json, Value};
use tuanwu_domain::account::Permission;

use crate::fixtures::*;
use crate::harness::{id_of, TestServer};

use super::{Level, Need, Who};

/// Permissions of the first delegate; the second holds exactly the others.
pub const DELEGATE_ONE: [Permission; 3] = [
    Permission::Members,
    Permission::Archives,
    Permission::Identity,
];
pub const DELEGATE_TWO: [Permission; 3] = [
    Permission::Requests,
    Permission::Cadres,
    Permission::ResetCodes,
];

pub struct Login {
    pub password: String,
    pub token: String,
}

pub struct World<'a> {
    pub server: &'a TestServer,
    pub fx: Fixture,
    /// The branch of school S3 (no admin of its own): the far side of A1's transfers.
    pub s3b: i64,
    /// `m_a1` logged in, acting as a member.
    pub member: Login,
    pub delegate_one: Login,
    pub delegate_two: Login,
    /// The first delegate's member record (the grants list names it).
    pub delegate_one_member: MemberFx,
    seq: std::sync::atomic::AtomicU16,
}

async fn delegate(
    server: &TestServer,
    fx: &Fixture,
    seq: u16,
    perms: &[Permission],
) -> (MemberFx, Login) {
    let m = member(server, &fx.root, Person::new(seq, &name_for(seq)), fx.a2).await;
    let keys: Vec<&str> = perms.iter().map(|p| p.key()).collect();
    let grant = server
        .api(&fx.a_admin.token)
        .post(
            "/api/v1/grants",
            &json!({"student_no": m.person.student_no, "college_id": fx.col_a, "permissions": keys}),
        )
        .await
        .ok(201);
    let token = member_token(server, &fx.root, &m).await;
    server
        .api(&token)
        .post("/api/v1/me/active-role", &json!({"role_id": id_of(&grant)}))
        .await
        .ok(200);
    let login = Login {
        password: MEMBER_PASSWORD.to_string(),
        token,
    };
    (m, login)
}

impl<'a> World<'a> {
    pub async fn build(server: &'a TestServer) -> World<'a> {
        let fx = build_school(server).await;
        let s3 = id_of(
            &create_org(
                server,
                &fx.root,
                org_body(fx.province, "共青团第三大学委员会", "committee", UNIVERSITY),
            )
            .await,
        );
        let s3b = branch(server, &fx.root, s3, "第三大学物理2301团支部").await;
        let member_token = member_token(server, &fx.root, &fx.m_a1).await;
        let member = Login {
            password: MEMBER_PASSWORD.to_string(),
            token: member_token,
        };
        let (delegate_one_member, delegate_one) = delegate(server, &fx, 801, &DELEGATE_ONE).await;
        let (_, delegate_two) = delegate(server, &fx, 802, &DELEGATE_TWO).await;
        World {
            server,
            fx,
            s3b,
            member,
            delegate_one,
            delegate_two,
            delegate_one_member,
            seq: std::sync::atomic::AtomicU16::new(100),
        }
    }

    /// A number no earlier fresh person used (resident IDs, student numbers, names).
    pub fn next_seq(&self) -> u16 {
        self.seq.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    /// A fresh person with a unique name, so that lists can be searched for them.
    pub fn person(&self) -> Person {
        let seq = self.next_seq();
        Person::new(seq, &format!("矩阵{}", chinese_number(seq)))
    }

    pub fn root(&self) -> &str {
        &self.fx.root
    }

    /// The delegate that lacks (`false`) or holds (`true`) what `need` asks; where no permission
    /// is involved, the first and the second, so both are exercised.
    fn delegate(&self, need: Need, holding: bool) -> &Login {
        let first = match need {
            Need::Perm(p) => DELEGATE_ONE.contains(&p) == holding,
            Need::Read | Need::Full => !holding,
        };
        if first {
            &self.delegate_one
        } else {
            &self.delegate_two
        }
    }

    /// The current password of `who`'s account.
    pub fn password(&self, level: Level, who: Who) -> &str {
        let fx = &self.fx;
        match (who, level) {
            (Who::Own, Level::Branch) => &fx.a1_admin.password,
            (Who::Own, Level::College) | (Who::Above, Level::Branch) => &fx.a_admin.password,
            (Who::Above, Level::College) => &fx.s1_admin.password,
            (Who::Sibling, _) => &fx.b_admin.password,
            (Who::OtherSchool, _) => &fx.s2_admin.password,
            (Who::Member, _) => &self.member.password,
            (Who::DelegateLacking, _) => &self.delegate(Need::Read, false).password,
            (Who::DelegateHolding, _) => &self.delegate(Need::Read, true).password,
        }
    }

    /// The session `who` acts with for a target at `level`.
    pub fn token(&self, level: Level, need: Need, who: Who) -> &str {
        let fx = &self.fx;
        match (who, level) {
            (Who::Own, Level::Branch) => &fx.a1_admin.token,
            (Who::Own, Level::College) => &fx.a_admin.token,
            (Who::Above, Level::Branch) => &fx.a_admin.token,
            (Who::Above, Level::College) => &fx.s1_admin.token,
            (Who::Sibling, _) => &fx.b_admin.token,
            (Who::OtherSchool, _) => &fx.s2_admin.token,
            (Who::Member, _) => &self.member.token,
            (Who::DelegateLacking, _) => &self.delegate(need, false).token,
            (Who::DelegateHolding, _) => &self.delegate(need, true).token,
        }
    }

    /// A fresh member in `branch`, entered by root.
    pub async fn fresh_member(&self, branch: i64) -> MemberFx {
        member(self.server, self.root(), self.person(), branch).await
    }

    /// A fresh member whose identity is confirmed and who joined in 2019 (no archive needed):
    /// ready to be transferred.
    pub async fn ready_member(&self, branch: i64) -> MemberFx {
        // Born in 2004, so that joining in 2019 was at fourteen or more (MEM-2).
        let seq = self.next_seq();
        let birth =
            time::macros::date!(2004 - 01 - 01) + time::Duration::days(i64::from(seq % 300));
        let mut p = Person::born(seq, &format!("矩阵{}", chinese_number(seq)), birth);
        p.joined_on = "2019-05".into();
        let m = member(self.server, self.root(), p, branch).await;
        crate::transfers::confirm_identity(self.server, self.root(), m.id).await;
        m
    }

    pub async fn root_get(&self, path: &str) -> Value {
        self.server.api(self.root()).get(path).await.body
    }
}

/// Digits as Chinese numerals, so names stay plausible and distinct.
pub fn chinese_number(n: u16) -> String {
    const DIGITS: [char; 10] = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
    n.to_string()
        .chars()
        .map(|c| DIGITS[c.to_digit(10).unwrap_or(0) as usize])
        .collect()
}
