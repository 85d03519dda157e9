//! GRD-3, GRD-5: the graduates of a year in a subtree — the members of its branches marked with
//! that year — with their delayed/teacher markings, destinations and special cases.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tuanwu_domain::graduation::ExceptionKind;
use tuanwu_domain::{MemberId, OrgId, ResidentId};
use tuanwu_store::graduation::destination::{cases_for, destinations_for};
use tuanwu_store::graduation::exception::active_for;
use tuanwu_store::graduation::graduates::{self as store, Excepted, Filter, Search};
use tuanwu_store::queries::Page;
use utoipa::{IntoParams, ToSchema};

use super::case::CaseView;
use super::destination::DestinationView;
use super::rules::{GraduateActions, GraduateRights};
use super::{mark_label, mark_of};
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
    /// What the viewer may do for this graduate now.
    pub actions: GraduateActions,
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
    let search =
        q.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|text| Search {
                text: text.to_string(),
                resident_index: ResidentId::parse(text, ctx.clock.today())
                    .ok()
                    .map(|rid| ctx.cipher.blind_index(rid.as_str())),
            });
    let excepted = match q.exception.as_deref().map(str::trim) {
        None | Some("") | Some("all") => Excepted::All,
        Some("excepted") => Excepted::Excepted,
        Some("regular") => Excepted::Regular,
        Some(k) => Excepted::Kind(ExceptionKind::parse(k).map_err(|e| e.field("exception"))?),
    };
    let filter = Filter {
        year,
        search,
        excepted,
    };
    let page = Page::new(q.page, q.per_page);
    let (rows, total) = store::graduates(c, actor.scope(), root, &filter, page).await?;
    let ids: Vec<MemberId> = rows.iter().map(|m| m.id).collect();
    let mut org_ids: Vec<i64> = rows.iter().map(|m| m.org_id.0).collect();
    org_ids.sort_unstable();
    org_ids.dedup();
    let orgs: HashMap<i64, tuanwu_domain::org::Org> = tuanwu_store::org::get_many(
        c,
        &org_ids
            .iter()
            .copied()
            .map(tuanwu_domain::OrgId)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|o| (o.id.0, o))
    .collect();
    let mut college_ids: Vec<i64> = orgs
        .values()
        .filter_map(|o| o.college_id.map(|c| c.0))
        .collect();
    college_ids.sort_unstable();
    college_ids.dedup();
    let colleges: HashMap<i64, String> = tuanwu_store::org::get_many(
        c,
        &college_ids
            .iter()
            .copied()
            .map(tuanwu_domain::OrgId)
            .collect::<Vec<_>>(),
    )
    .await?
    .into_iter()
    .map(|o| (o.id.0, o.name))
    .collect();
    let exceptions = active_for(c, &ids).await?;
    let destinations = destinations_for(c, &ids).await?;
    let cases = cases_for(c, &ids).await?;
    let rights = GraduateRights::of(c, actor).await?;
    let mut items = Vec::with_capacity(rows.len());
    for m in rows {
        let id = m.id;
        let o = orgs.get(&m.org_id.0);
        let e = exceptions.get(&id);
        let d = DestinationView::of(id, destinations.get(&id));
        let mark = o.map(mark_of).transpose()?.flatten();
        items.push(GraduateView {
            id: m.id.0,
            member_id: m.id.0,
            org_id: m.org_id.0,
            org_name: o.map(|o| o.name.clone()).unwrap_or_default(),
            college_name: o
                .and_then(|o| o.college_id)
                .and_then(|id| colleges.get(&id.0).cloned()),
            graduation: mark.map(|g| g.key()),
            graduation_label: o.map(|_| mark_label(mark)).unwrap_or_default(),
            excepted: e.is_some(),
            exception_kind: e.map(|e| e.kind.key().to_string()),
            exception_label: e.map(|e| e.kind.label().to_string()),
            exception_expected: e.map(|e| e.expected.to_string()),
            exception_reason: e.map(|e| e.reason.clone()),
            destination: d.destination,
            destination_label: d.destination_label,
            destination_note: d.note,
            continuity_case: cases.get(&id).map(CaseView::from),
            actions: rights.actions(&m, o, e),
            name: m.name,
            student_no: m.student_no,
        });
    }
    Ok((items, total))
}
