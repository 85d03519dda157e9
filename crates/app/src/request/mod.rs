//! SYS-3: requests to a higher level — one mechanism for corrections (MEM-6), deletions
//! (MEM-7) and development-number conflicts (MEM-10); SYS-2's to-do list reads from it.

mod correction;
pub mod decide;
pub mod read;
pub mod report;
pub mod rules;
pub mod submit;
pub mod view;

pub use decide::{approve, cancel, reject, RejectInput};
pub use read::{get, list, todos, ListRequestsQuery, TodoView};
pub use report::report;
pub use rules::{may_see, RequestActions};
pub use submit::{open_development_no_conflict, submit, SubmitInput};
pub use view::RequestView;

use sea_orm::ConnectionTrait;
use tuanwu_domain::request::DeciderLevel;
use tuanwu_domain::OrgId;

use crate::{Actor, AppError};

/// The org that decides a request of this level about a record in `branch`, asked by `actor`.
pub async fn decider_org<C: ConnectionTrait>(
    c: &C,
    level: DeciderLevel,
    actor: &Actor,
    branch: OrgId,
) -> Result<OrgId, AppError> {
    let at_depth = |chain: &[(i64, i32)], depth: i32| {
        chain.iter().find(|(_, d)| *d == depth).map(|(id, _)| *id)
    };
    let org = match level {
        DeciderLevel::Branch => branch.0,
        DeciderLevel::ParentOfRequester => {
            tuanwu_store::org::get(c, actor.org_id())
                .await?
                .and_then(|o| o.parent_id)
                .unwrap_or(actor.org_id())
                .0
        }
        DeciderLevel::City | DeciderLevel::Province => {
            // A school is never the city level: where schools sit directly under a
            // municipality's 团市委 (直辖市), that committee decides.
            let mut chain = Vec::new();
            for id in tuanwu_store::org::ancestors(c, branch).await? {
                if let Some(o) = tuanwu_store::org::get(c, id).await? {
                    if !o.category.is_school() {
                        chain.push((o.id.0, o.depth));
                    }
                }
            }
            let city = if level == DeciderLevel::City {
                at_depth(&chain, 2)
            } else {
                None
            };
            city.or_else(|| at_depth(&chain, 1))
                .or_else(|| chain.last().map(|(id, _)| *id))
                .unwrap_or(branch.0)
        }
    };
    Ok(OrgId(org))
}
