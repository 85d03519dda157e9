//! 组织生活达标情况 of a college or school: its branches behind target in a quarter with the
//! counts per kind, the targets that apply, and the sheet.

use super::*;

#[derive(Template)]
#[template(path = "meeting/compliance.html")]
struct CompliancePage {
    shell: Shell,
    c: ComplianceView,
    targets: TargetsView,
    kinds: Vec<(&'static str, &'static str)>,
}

pub async fn compliance(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<OrgId>,
    Query(q): Query<ComplianceQuery>,
) -> Result<Response, PageError> {
    let c = uc::compliance(&ctx, &page.actor, id, q).await?;
    let targets = uc::targets(&ctx, &page.actor, id).await?;
    let shell = page.shell(format!("组织生活达标情况：{}", c.org_name), "orgs");
    Ok(render(
        CompliancePage {
            shell,
            c,
            targets,
            kinds: MeetingKind::ALL
                .iter()
                .map(|k| (k.key(), k.label()))
                .collect(),
        },
        StatusCode::OK,
    ))
}
