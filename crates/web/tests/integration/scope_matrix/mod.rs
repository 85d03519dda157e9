//! ACC-1, ACC-2, ACC-4: the scope matrix, generated from the served OpenAPI document. Every
//! operation runs as every actor of [`Who`] against a target inside college A; outsiders must be
//! denied (403/404 with the standard error body, or a list without the target) with nothing
//! changed, and the actors the target belongs to must succeed. A route added to the document
//! without an entry here (or an entry for a route that is gone) fails `every_operation_is_covered`.
//!
//! The tables are split by concern; each concern's cases run in one test function on one server.

use tuanwu_domain::account::Permission;

#[macro_use]
mod run;
mod world;

mod committee;
mod events;
mod floating;
mod graduation;
mod groups;
mod meetings;
mod members;
mod orgs;
mod own;
mod requests;
mod transfers;

/// Who acts. "Own" and "above" are relative to the target's [`Level`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// The admin of the org the target belongs to.
    Own,
    /// The admin of the level above it.
    Above,
    /// College B's admin: same school, other college.
    Sibling,
    /// School S2's admin.
    OtherSchool,
    /// `m_a1`, a member of the target's own branch, acting as a member.
    Member,
    /// A delegated admin of college A (ACC-4) without the permission the operation needs.
    DelegateLacking,
    /// A delegated admin of college A with it.
    DelegateHolding,
}

pub const ACTORS: [Who; 7] = [
    Who::Own,
    Who::Above,
    Who::Sibling,
    Who::OtherSchool,
    Who::Member,
    Who::DelegateLacking,
    Who::DelegateHolding,
];

/// Where the target sits, which decides who "own" and "above" are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// In branch A1: own = A1's admin, above = college A's admin.
    Branch,
    /// College A itself, or an action reserved to the level above a branch: own = college A's
    /// admin, above = school S1's admin.
    College,
}

/// What the operation asks of a delegated admin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Reading inside the scope: any admin role, delegated ones included.
    Read,
    /// A write a delegated admin may do when granted this permission.
    Perm(Permission),
    /// Never delegated (organisations, admins, codes, grants, FLT-4 steps).
    Full,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One resource: outsiders get 403/404.
    Item,
    /// A search or list: outsiders get 403/404 or an answer without the target.
    List,
    /// A batch answering per item: outsiders get 403/404, or every item failed and none done.
    Batch,
    /// An import: outsiders get 403/404, or a report refusing every row with nothing added.
    RowsRefused,
}

/// Who is allowed, beyond the default computed from [`Level`] and [`Need`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Allow {
    /// Own and above; delegates as [`Need`] says; everyone else denied.
    Scope,
    /// Routes about the caller themselves (`/me`, logout): every actor, on their own account.
    Everyone,
    /// Every admin role, wherever it sits; a member acting as a member is denied.
    AnyAdmin,
    /// Only the own admin, who started it; the others who may see it (above, delegates) get
    /// 403, everyone else a denial.
    Initiator,
    /// Own and the delegates at the same org; the level above is answered like an outsider
    /// (a list without the target).
    ExactLevel,
    /// No actor: the resource is only ever the creator's, and only while it lasts.
    Nobody,
    /// Only the member of the target's branch acting as a member (signing up for an event is
    /// their own act); every admin role is denied.
    MemberOnly,
}

#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub op: &'static str,
    pub level: Level,
    pub need: Need,
    pub shape: Shape,
    pub allow: Allow,
}

pub const fn item(op: &'static str, level: Level, need: Need) -> Spec {
    Spec {
        op,
        level,
        need,
        shape: Shape::Item,
        allow: Allow::Scope,
    }
}

pub const fn list(op: &'static str, level: Level, need: Need) -> Spec {
    Spec {
        op,
        level,
        need,
        shape: Shape::List,
        allow: Allow::Scope,
    }
}

pub const fn everyone(op: &'static str) -> Spec {
    Spec {
        op,
        level: Level::Branch,
        need: Need::Read,
        shape: Shape::Item,
        allow: Allow::Everyone,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    Allowed,
    /// 403/404 with the standard body (or, for lists, an answer without the target).
    Denied,
    /// Exactly 403: a delegated admin in scope lacking the permission.
    Forbidden,
}

impl Spec {
    pub fn expect(&self, who: Who) -> Expect {
        match self.allow {
            Allow::Everyone => return Expect::Allowed,
            Allow::Nobody => return Expect::Denied,
            Allow::MemberOnly if who == Who::Member => return Expect::Allowed,
            Allow::MemberOnly => return Expect::Denied,
            Allow::AnyAdmin if who == Who::Member => return Expect::Denied,
            Allow::AnyAdmin => return Expect::Allowed,
            Allow::Initiator => {
                return match who {
                    Who::Own => Expect::Allowed,
                    Who::Above | Who::DelegateLacking | Who::DelegateHolding => Expect::Forbidden,
                    _ => Expect::Denied,
                }
            }
            Allow::ExactLevel if who == Who::Above => return Expect::Denied,
            Allow::ExactLevel | Allow::Scope => {}
        }
        match (who, self.need) {
            (Who::Own | Who::Above, _) => Expect::Allowed,
            (Who::Sibling | Who::OtherSchool | Who::Member, _) => Expect::Denied,
            (Who::DelegateLacking | Who::DelegateHolding, Need::Read) => Expect::Allowed,
            (Who::DelegateHolding, Need::Perm(_)) => Expect::Allowed,
            (Who::DelegateLacking, Need::Perm(_)) | (_, Need::Full) => Expect::Forbidden,
        }
    }
}

/// Operations outside the matrix, each with why.
pub const EXEMPT: &[(&str, &str)] = &[
    (
        "auth_login",
        "public: anyone may try to log in; there is no scope before a session exists",
    ),
    (
        "accounts_directory",
        "public: the org directory a registering person picks from (names only, by design)",
    ),
    (
        "accounts_register_admin",
        "public: authorised by the registration code the level above issued, not by a session",
    ),
    (
        "accounts_register_member",
        "public: a member claims their own record by name and resident ID, without a session",
    ),
    (
        "accounts_reset_password",
        "public: authorised by the one-time reset code, not by a session",
    ),
];

/// Every table, for the coverage check.
fn all_specs() -> Vec<Spec> {
    [
        orgs::SPECS,
        members::SPECS,
        transfers::SPECS,
        meetings::SPECS,
        requests::SPECS,
        graduation::SPECS,
        floating::SPECS,
        groups::SPECS,
        committee::SPECS,
        events::SPECS,
        own::SPECS,
    ]
    .concat()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_is_covered() {
    let server = crate::harness::TestServer::start().await;
    let doc = server.anon().get("/api/v1/openapi.json").await.ok(200);
    let mut documented = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            if let Some(id) = op.get("operationId").and_then(|v| v.as_str()) {
                assert!(
                    documented.insert(id.to_string()),
                    "{id} twice ({method} {path})"
                );
            }
        }
    }
    let specs = all_specs();
    let mut covered = std::collections::BTreeSet::new();
    for s in &specs {
        assert!(covered.insert(s.op.to_string()), "{} has two entries", s.op);
    }
    for (op, why) in EXEMPT {
        assert!(!why.is_empty());
        assert!(
            covered.insert(op.to_string()),
            "{op} is both exempt and covered"
        );
    }
    let missing: Vec<_> = documented.difference(&covered).collect();
    let unknown: Vec<_> = covered.difference(&documented).collect();
    assert!(
        missing.is_empty() && unknown.is_empty(),
        "the scope matrix must cover every operation of /api/v1/openapi.json.\n\
         operations without an entry (add one to a table in scope_matrix/, or to EXEMPT with why): \
         {missing:?}\nentries for operations not in the document: {unknown:?}"
    );
    eprintln!(
        "scope matrix: {} operations ({} exempt), {} cases",
        documented.len(),
        EXEMPT.len(),
        specs.len() * ACTORS.len()
    );
}
