//! MTG-3, EVT-1: committee posts (支委会), term changes (换届) and the class committee (班委).
//! Reads an actor makes take their `Scope`: a branch's committee is reached through the branch.

use sea_orm::sea_query::{Alias, Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult,
    QueryFilter, QueryOrder, Set,
};
use time::{Date, OffsetDateTime};
use tuanwu_domain::committee::{ClassPost, CommitteePost, Holder};
use tuanwu_domain::org::BranchType;
use tuanwu_domain::{AccountId, MemberId, OrgId, TermChangeId};

use crate::entity::{class_post, committee_post, org, term_change};
use crate::queries::in_subtree;
use crate::scope::Scope;

use committee_post::Column as P;

fn holder(m: committee_post::Model) -> Result<Holder, DbErr> {
    Ok(Holder {
        branch: OrgId(m.branch_id),
        post: CommitteePost::parse(&m.post)
            .map_err(|e| DbErr::Type(format!("committee_posts.post: {}", e.message)))?,
        member: MemberId(m.member_id),
        term_change: m.term_change_id.map(TermChangeId),
        started_on: m.started_on,
        ended_on: m.ended_on,
    })
}

/// The branch's holders in post now, in post order, when the scope reaches the branch.
pub async fn current<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    branch: OrgId,
) -> Result<Vec<Holder>, DbErr> {
    let Some(root) = scope.root() else {
        return Ok(Vec::new());
    };
    let mut rows: Vec<Holder> = committee_post::Entity::find()
        .filter(P::BranchId.eq(branch.0))
        .filter(P::EndedOn.is_null())
        .filter(in_subtree(P::BranchId, root.0))
        .order_by_asc(P::Id)
        .all(c)
        .await?
        .into_iter()
        .map(holder)
        .collect::<Result<_, _>>()?;
    rows.sort_by_key(|h| CommitteePost::ALL.iter().position(|p| *p == h.post));
    Ok(rows)
}

/// A term change checked by the use case.
pub struct NewTermChange {
    pub branch: OrgId,
    pub committee_meeting: i64,
    pub assembly: i64,
    pub held_on: Date,
    pub created_by: AccountId,
    pub created_at: OffsetDateTime,
}

/// Records the term change and replaces the committee: the open posts end the day before
/// `held_on` (the new term starts that day), the elected start. The caller has checked the
/// branch is in scope and every holder is its member.
pub async fn change_term<C: ConnectionTrait>(
    c: &C,
    t: NewTermChange,
    posts: &[(CommitteePost, MemberId)],
) -> Result<TermChangeId, DbErr> {
    let row = term_change::ActiveModel {
        branch_id: Set(t.branch.0),
        committee_meeting_id: Set(t.committee_meeting),
        assembly_id: Set(t.assembly),
        held_on: Set(t.held_on),
        created_by: Set(t.created_by.0),
        created_at: Set(t.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    let end = t.held_on.previous_day().unwrap_or(t.held_on);
    committee_post::Entity::update_many()
        .col_expr(P::EndedOn, Expr::value(end))
        .filter(P::BranchId.eq(t.branch.0))
        .filter(P::EndedOn.is_null())
        .exec(c)
        .await?;
    for (post, member) in posts {
        committee_post::ActiveModel {
            branch_id: Set(t.branch.0),
            post: Set(post.key().to_string()),
            member_id: Set(member.0),
            term_change_id: Set(Some(row.id)),
            started_on: Set(t.held_on),
            ended_on: Set(None),
            created_at: Set(t.created_at),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    Ok(TermChangeId(row.id))
}

/// A live branch of the subtree with the start of its current term (none before a first
/// 换届 is recorded).
#[derive(Debug, Clone)]
pub struct BranchTerm {
    pub branch: OrgId,
    pub name: String,
    pub path: String,
    pub in_school: bool,
    pub branch_type: Option<BranchType>,
    pub term_start: Option<Date>,
}

#[derive(FromQueryResult)]
struct TermRow {
    id: i64,
    name: String,
    path: String,
    college_id: Option<i64>,
    branch_type: Option<String>,
    term_start: Option<Date>,
}

/// Every live branch under `root` with its current term's start, by path.
pub async fn terms_under<C: ConnectionTrait>(c: &C, root: OrgId) -> Result<Vec<BranchTerm>, DbErr> {
    let start = Query::select()
        .expr(Expr::col((committee_post::Entity, P::StartedOn)).max())
        .from(committee_post::Entity)
        .and_where(
            Expr::col((committee_post::Entity, P::BranchId)).equals((org::Entity, org::Column::Id)),
        )
        .and_where(Expr::col((committee_post::Entity, P::EndedOn)).is_null())
        .to_owned();
    let q = Query::select()
        .columns([
            (org::Entity, org::Column::Id),
            (org::Entity, org::Column::Name),
            (org::Entity, org::Column::Path),
            (org::Entity, org::Column::CollegeId),
            (org::Entity, org::Column::BranchType),
        ])
        .expr_as(
            sea_orm::sea_query::SimpleExpr::SubQuery(
                None,
                Box::new(start.into_sub_query_statement()),
            ),
            Alias::new("term_start"),
        )
        .from(org::Entity)
        .and_where(Expr::col((org::Entity, org::Column::Kind)).eq("branch"))
        .and_where(Expr::col((org::Entity, org::Column::DeletedAt)).is_null())
        .and_where(in_subtree(org::Column::Id, root.0))
        .order_by((org::Entity, org::Column::Path), sea_orm::Order::Asc)
        .to_owned();
    let rows = TermRow::find_by_statement(c.get_database_backend().build(&q))
        .all(c)
        .await?;
    rows.into_iter()
        .map(|r| {
            Ok(BranchTerm {
                branch: OrgId(r.id),
                name: r.name,
                path: r.path,
                in_school: r.college_id.is_some(),
                branch_type: r
                    .branch_type
                    .as_deref()
                    .map(BranchType::parse)
                    .transpose()
                    .map_err(|e| DbErr::Type(format!("orgs.branch_type: {}", e.message)))?,
                term_start: r.term_start,
            })
        })
        .collect()
}

/// The branch's class committee, advisor last, when the scope reaches the branch.
pub async fn class_of<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    branch: OrgId,
) -> Result<Vec<ClassPost>, DbErr> {
    let Some(root) = scope.root() else {
        return Ok(Vec::new());
    };
    Ok(class_post::Entity::find()
        .filter(class_post::Column::BranchId.eq(branch.0))
        .filter(in_subtree(class_post::Column::BranchId, root.0))
        .order_by_asc(class_post::Column::Advisor)
        .order_by_asc(class_post::Column::Position)
        .all(c)
        .await?
        .into_iter()
        .map(|m| ClassPost {
            post: m.post,
            member: m.member_id.map(MemberId),
            name: m.person_name,
            advisor: m.advisor,
        })
        .collect())
}

/// Replaces the class committee of a branch the caller checked is in scope.
pub async fn replace_class<C: ConnectionTrait>(
    c: &C,
    branch: OrgId,
    posts: &[ClassPost],
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    class_post::Entity::delete_many()
        .filter(class_post::Column::BranchId.eq(branch.0))
        .exec(c)
        .await?;
    for (i, p) in posts.iter().enumerate() {
        class_post::ActiveModel {
            branch_id: Set(branch.0),
            post: Set(p.post.clone()),
            member_id: Set(p.member.map(|m| m.0)),
            person_name: Set(p.name.clone()),
            advisor: Set(p.advisor),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    Ok(())
}

/// Records a committee already in office when the branch came into tuanwu, without a term
/// change record (the 换届 that elected it happened before). The caller checked the holders.
pub async fn record_sitting<C: ConnectionTrait>(
    c: &C,
    branch: OrgId,
    posts: &[(CommitteePost, MemberId)],
    started_on: Date,
    now: OffsetDateTime,
) -> Result<(), DbErr> {
    for (post, member) in posts {
        committee_post::ActiveModel {
            branch_id: Set(branch.0),
            post: Set(post.key().to_string()),
            member_id: Set(member.0),
            term_change_id: Set(None),
            started_on: Set(started_on),
            ended_on: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(c)
        .await?;
    }
    Ok(())
}
