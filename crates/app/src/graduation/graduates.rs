//! GRD-3, GRD-5: the graduates of a year in a subtree — the members of its branches marked with
//! that year — with their delayed/teacher markings, destinations and special cases.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde::{Deserialize, Serialize};
use tuanwu_domain::graduation::ExceptionKind;
use tuanwu_domain::org::OrgKind;
use tuanwu_domain::{OrgId, ResidentId};
use tuanwu_store::entity::{destination, member, org};
use tuanwu_store::queries::{self, in_subtree, Page};
use utoipa::{IntoParams, ToSchema};

use super::case::{cases_for, CaseView};
use super::destination::DestinationView;
use super::exception::active_for;
use super::mark_label;
use crate::{Actor, AppError, Context};

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GraduatesQuery {
    /// The graduation year (default: the current year).
    pub year: Option<i32>,
    /// Name (part of it), student number or resident ID.
    pub q: Option<String>,
    /// `delayed` | `teacher` | `excepted` (either) | `regular` (neither).
    pub exception: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// A graduate with their branch's marking, any delayed/teacher marking and their destination.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GraduateView {
    /// The member's id.
    pub id: i64,
    pub member_id: i64,
    pub name: String,
    pub student_no: Option<String>,
    pub org_id: i64,
    pub org_name: String,
    pub college_name: Option<String>,
    /// The branch's marking, "YYYY-MM".
    pub graduation: Option<String>,
    pub graduation_label: String,
    /// GRD-3/GRD-4: marked as delayed graduate or teacher (outside 学社衔接 figures).
    pub excepted: bool,
    /// `delayed` | `teacher` when marked.
    pub exception_kind: Option<String>,
    pub exception_label: Option<String>,
    /// Expected graduation of a delayed graduate, "YYYY-MM".
    pub exception_expected: Option<String>,
    pub exception_reason: Option<String>,
    /// GRD-5 key (`further_study`, ...) or `null`.
    pub destination: Option<String>,
    pub destination_label: Option<String>,
    pub destination_note: Option<String>,
    /// GRD-7: the member's special case, if one is recorded.
    pub continuity_case: Option<CaseView>,
}

/// GRD-3/GRD-5: the graduates of `year` in the subtree of `root`, paged, ordered by branch and
/// name.
pub async fn graduates(
    ctx: &Context,
    actor: &Actor,
    root: OrgId,
    q: GraduatesQuery,
) -> Result<(Vec<GraduateView>, u64), AppError> {
    ctx.ensure_in_scope(actor, root).await?;
    let c = ctx.db.conn();
    let year = q.year.unwrap_or_else(|| ctx.clock.today().year());
    let branches = Query::select()
        .column(org::Column::Id)
        .from(org::Entity)
        .and_where(in_subtree(org::Column::Id, root.0))
        .and_where(Expr::col(org::Column::Kind).eq(OrgKind::Branch.key()))
        .and_where(Expr::col(org::Column::DeletedAt).is_null())
        .and_where(Expr::col(org::Column::Graduation).like(format!("{year:04}-%")))
        .to_owned();
    let mut select = member::Entity::find()
        .filter(member::Column::OrgId.in_subquery(branches))
        .filter(member::Column::Status.eq("active"));
    if let Some(text) = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let mut any = Condition::any()
            .add(member::Column::Name.contains(text))
            .add(member::Column::StudentNo.eq(text));
        if let Ok(rid) = ResidentId::parse(text, ctx.clock.today()) {
            any = any.add(member::Column::ResidentIdIndex.eq(ctx.cipher.blind_index(rid.as_str())));
        }
        select = select.filter(any);
    }
    let excepted = || {
        Query::select()
            .column(tuanwu_store::entity::graduation_exception::Column::MemberId)
            .from(tuanwu_store::entity::graduation_exception::Entity)
            .and_where(
                Expr::col(tuanwu_store::entity::graduation_exception::Column::RevokedAt).is_null(),
            )
            .to_owned()
    };
    match q.exception.as_deref().map(str::trim) {
        None | Some("") | Some("all") => {}
        Some("excepted") => select = select.filter(member::Column::Id.in_subquery(excepted())),
        Some("regular") => select = select.filter(member::Column::Id.not_in_subquery(excepted())),
        Some(k) => {
            let kind = ExceptionKind::parse(k).map_err(|e| e.field("exception"))?;
            let mut sub = excepted();
            sub.and_where(
                Expr::col(tuanwu_store::entity::graduation_exception::Column::Kind).eq(kind.key()),
            );
            select = select.filter(member::Column::Id.in_subquery(sub));
        }
    }
    let page = Page::new(q.page, q.per_page);
    let total = select.clone().count(c).await?;
    let rows = select
        .order_by_asc(member::Column::OrgId)
        .order_by_asc(member::Column::Name)
        .order_by_asc(member::Column::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|m| m.id).collect();
    let mut org_ids: Vec<i64> = rows.iter().map(|m| m.org_id).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs: HashMap<i64, org::Model> = queries::org::find_many(c, &org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect();
    let mut college_ids: Vec<i64> = orgs.values().filter_map(|o| o.college_id).collect();
    college_ids.sort_unstable();
    college_ids.dedup();
    let colleges: HashMap<i64, String> = queries::org::find_many(c, &college_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let exceptions = active_for(c, &ids).await?;
    let destinations: HashMap<i64, destination::Model> = destination::Entity::find()
        .filter(destination::Column::MemberId.is_in(ids.iter().copied()))
        .all(c)
        .await?
        .into_iter()
        .map(|d| (d.member_id, d))
        .collect();
    let cases = cases_for(c, &ids).await?;
    let items = rows
        .into_iter()
        .map(|m| {
            let o = orgs.get(&m.org_id);
            let e = exceptions.get(&m.id);
            let d = DestinationView::of(m.id, destinations.get(&m.id));
            GraduateView {
                id: m.id,
                member_id: m.id,
                org_id: m.org_id,
                org_name: o.map(|o| o.name.clone()).unwrap_or_default(),
                college_name: o
                    .and_then(|o| o.college_id)
                    .and_then(|id| colleges.get(&id).cloned()),
                graduation: o.and_then(|o| o.graduation.clone()),
                graduation_label: o.map(mark_label).unwrap_or_default(),
                excepted: e.is_some(),
                exception_kind: e.map(|e| e.kind.clone()),
                exception_label: e
                    .and_then(|e| ExceptionKind::parse(&e.kind).ok())
                    .map(|k| k.label().to_string()),
                exception_expected: e.map(|e| e.expected.clone()),
                exception_reason: e.map(|e| e.reason.clone()),
                destination: d.destination,
                destination_label: d.destination_label,
                destination_note: d.note,
                continuity_case: cases.get(&m.id).map(CaseView::from),
                name: m.name,
                student_no: m.student_no,
            }
        })
        .collect();
    Ok((items, total))
}
