//! Transfers (TRF) and their letters. Outgoing transfers go from branch A1 to school S3, incoming
//! ones from S3 to A1: S3 has no admin among the actors, so college B and school S2 are pure
//! outsiders on both.

use serde_json::json;
use tuanwu_domain::account::Permission;

use crate::harness::id_of;

use super::run::Prepared;
use super::world::World;
use super::{item, list, Allow, Level, Need, Shape, Spec, Who};

use Level::{Branch, College};
use Need::{Perm, Read};

pub const SPECS: &[Spec] = &[
    list("transfers_list", Branch, Read),
    item("transfers_get", Branch, Read),
    item("transfers_for_member", Branch, Read),
    item("transfers_start", Branch, Perm(Permission::Members)),
    // Deciding an incoming transfer: the target's side, as a decision (ACC-4 `requests`).
    item("transfers_approve", Branch, Perm(Permission::Requests)),
    item("transfers_reject", Branch, Perm(Permission::Requests)),
    // Batch decisions answer per item: an outsider's items each fail with 404, none decided.
    Spec {
        shape: Shape::Batch,
        ..item("transfers_batch_decide", Branch, Perm(Permission::Requests))
    },
    // Only the initiator (or the member) withdraws a transfer: A1's admin started it, so the
    // level above and the delegates, who see it, are refused with 403 by design.
    Spec {
        allow: Allow::Initiator,
        ..item("transfers_cancel", Branch, Perm(Permission::Members))
    },
    // TRF-9: the source side records the proof of an external (Beijing) transfer.
    item(
        "transfers_external_report",
        Branch,
        Perm(Permission::Requests),
    ),
    // TRF-10: any admin may look a lost member up, even outside scope, and learns only the org
    // and whom to contact; members may not (transfers.rs checks what is revealed).
    Spec {
        allow: Allow::AnyAdmin,
        ..item("transfers_lookup", Branch, Read)
    },
    // TRF-13: letters are issued by the basic committee over the source (college A), not by
    // the branch, and read by admins whose scope holds the issuing committee.
    item("transfers_issue_letter", College, Perm(Permission::Members)),
    item("transfers_get_letter", College, Read),
    // Recording the 回执 asks no permission beyond seeing the letter.
    item("transfers_receipt", College, Read),
];

matrix_test!(transfers_matrix, "transfers", SPECS, build);

/// A1 → S3, started by A1's admin (the initiator), pending at S3.
async fn outgoing(w: &World<'_>) -> (i64, String) {
    let m = w.ready_member(w.fx.a1).await;
    let id = crate::transfers::started(
        w.server,
        &w.fx.a1_admin.token,
        crate::transfers::to_org(m.id, w.s3b, "school_change"),
    )
    .await;
    (id, m.person.name)
}

/// S3 → A1, started by root on the source side, pending at A1.
async fn incoming(w: &World<'_>) -> i64 {
    let m = w.ready_member(w.s3b).await;
    crate::transfers::started(
        w.server,
        w.root(),
        crate::transfers::to_org(m.id, w.fx.a1, "school_change"),
    )
    .await
}

/// A finished A1 → S3 transfer.
async fn completed(w: &World<'_>) -> i64 {
    let (id, _) = outgoing(w).await;
    crate::transfers::approve(w.server, w.root(), id, json!({}))
        .await
        .ok(200);
    id
}

/// A letter college A issued for a finished transfer.
async fn letter(w: &World<'_>) -> i64 {
    let t = completed(w).await;
    id_of(
        &w.server
            .api(&w.fx.a_admin.token)
            .post_empty(&format!("/api/v1/transfers/{t}/letter"))
            .await
            .ok(201),
    )
}

pub async fn build(w: &World<'_>, op: &str, who: Who) -> Prepared {
    let fx = &w.fx;
    let tr = crate::transfers::tr_path;
    match op {
        "transfers_list" => {
            let (_, name) = outgoing(w).await;
            Prepared::get("/api/v1/transfers?per_page=100").marker(name)
        }
        "transfers_get" => {
            let (id, name) = outgoing(w).await;
            Prepared::get(tr(id)).marker(name)
        }
        "transfers_for_member" => {
            let m = w.ready_member(fx.a1).await;
            crate::transfers::started(
                w.server,
                w.root(),
                crate::transfers::to_org(m.id, w.s3b, "school_change"),
            )
            .await;
            Prepared::get(format!("/api/v1/members/{}/transfers", m.id)).marker(m.person.name)
        }
        "transfers_start" => {
            let m = w.ready_member(fx.a1).await;
            Prepared::post(
                "/api/v1/transfers",
                crate::transfers::to_org(m.id, w.s3b, "school_change"),
            )
            .probe(format!("/api/v1/members/{}/transfers", m.id))
        }
        "transfers_approve" => {
            let id = incoming(w).await;
            Prepared::post(format!("{}/approve", tr(id)), json!({})).probe(tr(id))
        }
        "transfers_reject" => {
            let id = incoming(w).await;
            Prepared::post(
                format!("{}/reject", tr(id)),
                json!({"reason": "该团员不在我校就读"}),
            )
            .probe(tr(id))
        }
        "transfers_batch_decide" => {
            let id = incoming(w).await;
            Prepared::post(
                "/api/v1/transfers/batch-decide",
                json!({"ids": [id], "action": "approve"}),
            )
            .probe(tr(id))
        }
        "transfers_cancel" => {
            let (id, _) = outgoing(w).await;
            Prepared::post_empty(format!("{}/cancel", tr(id))).probe(tr(id))
        }
        "transfers_external_report" => {
            let m = w.ready_member(fx.a1).await;
            let t = crate::transfers::start(
                w.server,
                w.root(),
                json!({"member_id": m.id, "external_system": "beijing", "reason": "job_change"}),
            )
            .await
            .ok(201);
            // The proof must be the caller's own upload.
            let token = w.token(Branch, Perm(Permission::Requests), who);
            let file = crate::fixtures::upload_pdf(w.server, token).await;
            Prepared::post(
                format!("{}/external-report", tr(id_of(&t))),
                json!({"file_id": file}),
            )
            .probe(tr(id_of(&t)))
        }
        "transfers_lookup" => {
            let m = &fx.m_a2;
            let name: String =
                url::form_urlencoded::byte_serialize(m.person.name.as_bytes()).collect();
            Prepared::get(format!(
                "/api/v1/transfer-lookup?name={name}&resident_id={}",
                m.person.resident_id
            ))
        }
        "transfers_issue_letter" => {
            let t = completed(w).await;
            Prepared::post_empty(format!("{}/letter", tr(t))).probe(tr(t))
        }
        "transfers_get_letter" => {
            let l = letter(w).await;
            Prepared::get(format!("/api/v1/letters/{l}"))
        }
        "transfers_receipt" => {
            let l = letter(w).await;
            Prepared::post(
                format!("/api/v1/letters/{l}/receipt"),
                json!({"note": "回执已寄回"}),
            )
            .probe(format!("/api/v1/letters/{l}"))
        }
        other => panic!("transfers: no builder for {other}"),
    }
}
