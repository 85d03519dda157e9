//! The grants of an org's subtree, the members a student number names, and what the viewer
//! may do on an org's grants page.

use tuanwu_domain::OrgId;
use tuanwu_store::grant as store;

use super::needs::{self, Write};
use super::rules::{live_college, student_no_of, GrantsHere};
use super::view::{candidate_views, views, Candidate, GrantView};
use crate::{Actor, AppError, Context};

/// The grants on an org's subtree (default: the actor's own), newest first.
pub async fn list(
    ctx: &Context,
    actor: &Actor,
    org_id: Option<OrgId>,
) -> Result<Vec<GrantView>, AppError> {
    let root = match org_id {
        Some(id) => {
            ctx.ensure_in_scope(actor, id).await?;
            id
        }
        None => actor.admin_root()?,
    };
    let c = ctx.db.conn();
    let grants = store::list(c, actor.scope(), root).await?;
    views(c, actor, grants).await
}

/// The members of a college who hold a student number, with their branches: for a form that
/// asks which one is meant. NotFound outside the actor's scope.
pub async fn candidates(
    ctx: &Context,
    actor: &Actor,
    college: OrgId,
    student_no: &str,
) -> Result<Vec<Candidate>, AppError> {
    let c = ctx.db.conn();
    ctx.ensure_in_scope(actor, college).await?;
    let Ok(no) = student_no_of(student_no) else {
        return Ok(Vec::new());
    };
    candidate_views(
        c,
        store::members_by_student_no(c, actor.scope(), college, &no).await?,
    )
    .await
}

/// What the viewer may do on an org's grants page: the same checks `grant` runs on its college.
pub async fn here(ctx: &Context, actor: &Actor, id: OrgId) -> Result<GrantsHere, AppError> {
    ctx.ensure_in_scope(actor, id).await?;
    let c = ctx.db.conn();
    let is_college = match tuanwu_store::org::get(c, id).await? {
        Some(o) => live_college(c, &o).await?,
        None => false,
    };
    Ok(GrantsHere {
        is_college,
        grant: is_college && needs::allows(actor, Write::Grant),
    })
}
