//! ACC-8 (Q2): the periodic re-check of 待核验 and 未通过 records with `ctx.verifier`. Each
//! decided change is written in its own transaction and audited under a system actor; the
//! verifier is asked outside any transaction, so a slow service never holds the database.

use std::time::Duration;

use serde::Serialize;
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::member::{Member, MemberChanges};
use tuanwu_domain::MemberId;
use tuanwu_store::identity::{self as store, SystemEntry};
use tuanwu_store::member as members;

use super::confirm::IdentityAudit;
use super::verifier::Verdict;
use crate::{AppError, Context};

/// How the audit log names the periodic job: no account, no acting org.
pub const SYSTEM_ACTOR_NAME: &str = "系统（身份核验定时任务）";
pub const SYSTEM_ROLE: &str = "system";

/// Marks a 未通过 the verifier decided, so later runs may revisit it (an admin's is left alone).
pub const VERIFIER_NOTE_PREFIX: &str = "核验服务：";
/// Members read per query.
const BATCH: u64 = 200;
/// Members asked about per scheduled run at most; the next run continues where this one stopped.
const PER_RUN: u64 = 2_000;
/// After this many answers in a row that the verifier could not give, the run stops.
const UNAVAILABLE_STOP: u32 = 3;
/// Longest note kept (the column holds 500 characters).
const NOTE_MAX_CHARS: usize = 500;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecheckSummary {
    /// Members the verifier was asked about.
    pub checked: u64,
    /// Became 已认证.
    pub verified: u64,
    /// Became 未通过, or a 未通过 got a new reason.
    pub failed: u64,
    /// The verifier said what the record already says.
    pub unchanged: u64,
    /// The verifier could not decide (the built-in check): still 待核验 / 未通过.
    pub undecided: u64,
    /// The verifier could not be asked (timeout, error): still 待核验 / 未通过.
    pub unavailable: u64,
    /// Changed by someone else meanwhile, or unreadable: left alone.
    pub skipped: u64,
    /// The last member id looked at; `None` once the end of the table was reached.
    pub next_after: Option<i64>,
    /// The run stopped because the verifier kept failing.
    pub stopped_early: bool,
}

/// Re-checks up to `limit` 待核验 / 未通过 members from the start of the table.
pub async fn recheck(ctx: &Context, limit: u64) -> Result<RecheckSummary, AppError> {
    recheck_after(ctx, 0, limit).await
}

/// Re-checks up to `limit` 待核验 / 未通过 members whose id is greater than `after_id`.
pub async fn recheck_after(
    ctx: &Context,
    after_id: i64,
    limit: u64,
) -> Result<RecheckSummary, AppError> {
    let mut summary = RecheckSummary::default();
    let mut after = after_id;
    let mut unavailable_in_a_row = 0;
    let mut looked_at = 0;
    loop {
        let want = BATCH.min(limit.saturating_sub(looked_at));
        if want == 0 {
            summary.next_after = Some(after);
            return Ok(summary);
        }
        let batch = members::identity_candidates(
            ctx.db.conn(),
            MemberId(after),
            want,
            VERIFIER_NOTE_PREFIX,
        )
        .await?;
        let exhausted = (batch.len() as u64) < want;
        for m in batch {
            after = m.id.0;
            looked_at += 1;
            let outcome = recheck_one(ctx, m, &mut summary).await?;
            if outcome == Outcome::Unavailable {
                unavailable_in_a_row += 1;
                if unavailable_in_a_row >= UNAVAILABLE_STOP {
                    tracing::warn!(
                        after,
                        "identity verifier unavailable {UNAVAILABLE_STOP} times in a row; stopping this run"
                    );
                    summary.stopped_early = true;
                    summary.next_after = Some(after);
                    return Ok(summary);
                }
            } else {
                unavailable_in_a_row = 0;
            }
        }
        if exhausted {
            summary.next_after = None;
            return Ok(summary);
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Done,
    Unavailable,
}

async fn recheck_one(
    ctx: &Context,
    m: Member,
    summary: &mut RecheckSummary,
) -> Result<Outcome, AppError> {
    let was = m.identity_check;
    // A 未通过 an admin decided (having seen the person) is theirs to change, not the job's.
    if was == IdentityCheck::Failed
        && !m
            .identity_note
            .as_deref()
            .is_some_and(|n| n.starts_with(VERIFIER_NOTE_PREFIX))
    {
        summary.skipped += 1;
        return Ok(Outcome::Done);
    }
    let Some(resident_id) = ctx.cipher.decrypt(&m.resident_id_enc) else {
        tracing::error!(
            member_id = m.id.0,
            "resident ID cannot be decrypted; identity re-check skipped"
        );
        summary.skipped += 1;
        return Ok(Outcome::Done);
    };
    summary.checked += 1;
    let verdict = ctx
        .verifier
        .verify(&m.name, &resident_id, ctx.clock.today())
        .await;
    let (status, note) = match verdict {
        Verdict::Match => (IdentityCheck::Verified, None),
        Verdict::Mismatch(reason) => (
            IdentityCheck::Failed,
            Some(
                format!("{VERIFIER_NOTE_PREFIX}{reason}")
                    .chars()
                    .take(NOTE_MAX_CHARS)
                    .collect::<String>(),
            ),
        ),
        Verdict::Undecided(why) => {
            tracing::debug!(member_id = m.id.0, %why, "identity check undecided");
            summary.undecided += 1;
            return Ok(Outcome::Done);
        }
        Verdict::Unavailable(why) => {
            tracing::info!(member_id = m.id.0, %why, "identity check left for the next run");
            summary.unavailable += 1;
            return Ok(Outcome::Unavailable);
        }
    };
    if was == status && m.identity_note == note {
        summary.unchanged += 1;
        return Ok(Outcome::Done);
    }
    let now = ctx.clock.now();
    let tx = ctx.db.write().await?;
    // Asked outside the transaction: the record may have moved on meanwhile (confirmed
    // offline, corrected, deleted); then this answer is about something else.
    let Some(current) = members::of_record(&*tx, m.id).await? else {
        summary.skipped += 1;
        return Ok(Outcome::Done);
    };
    // Any write since it was read (its name, resident ID, status or check) moved the version.
    if current.version != m.version || !current.is_active() {
        summary.skipped += 1;
        return Ok(Outcome::Done);
    }
    let changes = MemberChanges {
        identity: Some((status, note, Some(now))),
        ..MemberChanges::default()
    };
    // Written only at the version read: a change committed meanwhile wins.
    let Some(updated) =
        members::update(&*tx, &ctx.cipher, m.id, Some(m.version), &changes, now).await?
    else {
        summary.skipped += 1;
        return Ok(Outcome::Done);
    };
    record_system(ctx, &*tx, &current, &updated).await?;
    tx.commit().await?;
    match status {
        IdentityCheck::Verified => summary.verified += 1,
        _ => summary.failed += 1,
    }
    Ok(Outcome::Done)
}

/// SYS-1 for the job: the entry names the system instead of an account.
async fn record_system<C: sea_orm::ConnectionTrait>(
    ctx: &Context,
    c: &C,
    before: &Member,
    after: &Member,
) -> Result<(), AppError> {
    let json = |m: &Member| serde_json::to_string(&IdentityAudit::of(m)).ok();
    let entry = SystemEntry {
        at: ctx.clock.now(),
        actor_name: SYSTEM_ACTOR_NAME,
        role: SYSTEM_ROLE,
        action: "identity_check",
        before: json(before),
        after: json(after),
    };
    Ok(store::audit_by_system(c, after, entry).await?)
}

/// Runs the re-check every `policy.identity_recheck_minutes` (0 turns it off) for as long as
/// the server runs. Each run looks at up to 2,000 records and the next continues after them,
/// so every record is reached in turn.
pub fn spawn(ctx: Context) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let minutes = ctx.policy.identity_recheck_minutes;
        if minutes == 0 {
            tracing::info!("identity re-check job disabled (identity_recheck_minutes = 0)");
            return;
        }
        let period = Duration::from_secs(minutes.saturating_mul(60));
        let first = tokio::time::Instant::now() + period.min(Duration::from_secs(30));
        let mut ticks = tokio::time::interval_at(first, period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut after = 0;
        loop {
            ticks.tick().await;
            match recheck_after(&ctx, after, PER_RUN).await {
                Ok(s) => {
                    after = s.next_after.unwrap_or(0);
                    tracing::info!(
                        checked = s.checked,
                        verified = s.verified,
                        failed = s.failed,
                        undecided = s.undecided,
                        unavailable = s.unavailable,
                        skipped = s.skipped,
                        "identity re-check run finished"
                    );
                }
                Err(e) => tracing::error!(error = %e, "identity re-check run failed"),
            }
        }
    })
}
