//! Hooks for the integration tests into states no route creates yet.

use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::member::MemberChanges;
use tuanwu_domain::MemberId;
use tuanwu_store::member as members;

use crate::{AppError, Context};

/// Marks a member's identity as verified (as the verifier would), through the member writer.
pub async fn mark_identity_verified(ctx: &Context, member_id: i64) -> Result<(), AppError> {
    let c = ctx.db.conn();
    let m = members::of_record(c, MemberId(member_id))
        .await?
        .ok_or(AppError::NotFound)?;
    let changes = MemberChanges {
        identity: Some((
            IdentityCheck::Verified,
            m.identity_note.clone(),
            m.identity_checked_at,
        )),
        ..MemberChanges::default()
    };
    members::update(c, &ctx.cipher, m.id, None, &changes, ctx.clock.now())
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(())
}

pub use tuanwu_store::testing::fresh_postgres_database;

/// Issue 17: every member on record, typed back as a hand entry would type it, through the
/// entry's own checks (`member::create::check`: MEM-1, MEM-2, …). Returns how many were checked
/// and one line per refusal, naming the member and the rule.
pub async fn entry_violations(ctx: &Context) -> Result<(usize, Vec<String>), AppError> {
    use crate::member::view::{decrypt_phone, decrypt_resident_id};
    use crate::member::CreateMemberInput;

    let c = ctx.db.conn();
    let today = ctx.clock.today();
    let mut checked = 0;
    let mut violations = Vec::new();
    let mut after = MemberId(0);
    loop {
        let batch = members::all_after(c, after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        for m in batch {
            let input = CreateMemberInput {
                branch_id: m.org_id.0,
                name: m.name.clone(),
                resident_id: decrypt_resident_id(&ctx.cipher, &m),
                ethnicity: m.ethnicity.clone(),
                joined_on: m.joined_on.to_string(),
                development_no: m.development_no.clone(),
                political_status: Some(m.political_status.key().into()),
                student_no: m.student_no.clone(),
                phone: decrypt_phone(&ctx.cipher, &m),
                email: m.email.clone(),
                admission_major: m.admission_major.clone(),
                actual_major: m.actual_major.clone(),
                native_place: m.native_place.clone(),
                education: m.education.clone(),
                offline_note: m.offline_note.clone(),
            };
            checked += 1;
            if let Err(e) = crate::member::create::check(&input, today) {
                violations.push(format!("团员{}（{}）：{e}", m.id.0, m.name));
            }
        }
    }
    Ok((checked, violations))
}
