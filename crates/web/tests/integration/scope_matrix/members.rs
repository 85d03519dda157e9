//! Members and what hangs off one member: identity, archives, passwords and reset codes; files;
//! imports.

use serde_json::json;
use tuanwu_domain::account::Permission;

use crate::fixtures::PDF;
use crate::fixtures::*;
use crate::harness::id_of;

use super::run::Prepared;
use super::world::World;
use super::{item, list, Allow, Level, Need, Shape, Spec, Who};

use Level::Branch;
use Need::{Perm, Read};

pub const SPECS: &[Spec] = &[
    list("members_search", Branch, Read),
    item("members_create", Branch, Perm(Permission::Members)),
    item("members_get", Branch, Read),
    item("members_update", Branch, Perm(Permission::Members)),
    // Denied actors get 404, allowed ones the branch's list with the target in it.
    item("members_list_in_org", Branch, Read),
    // ACC-4: setting a password outright needs what issuing a reset code needs (one table).
    item("members_set_password", Branch, Perm(Permission::ResetCodes)),
    item("accounts_reset_code", Branch, Perm(Permission::ResetCodes)),
    item("identity_confirm", Branch, Perm(Permission::Identity)),
    item("identity_stats", Branch, Read),
    item("archives_list", Branch, Read),
    item("archives_upload", Branch, Perm(Permission::Archives)),
    // Anyone with a session may upload a file: it belongs to the uploader and is readable only
    // by them and by admins over the uploader's org (and whoever may see what it is attached
    // to), which `files_download` checks.
    Spec {
        allow: Allow::Everyone,
        ..item("files_upload", Branch, Read)
    },
    // A file A1's admin uploaded.
    item("files_download", Branch, Read),
    // An import is relative to the caller's own subtree: an outsider's import of rows naming
    // branch A1 is not refused as a whole but row by row (`Shape::RowsRefused`), and nothing
    // reaches A1.
    Spec {
        shape: Shape::RowsRefused,
        ..item("imports_create", Branch, Perm(Permission::Members))
    },
    // An import A1's admin made: readable by the importer and admins whose scope holds A1.
    item("imports_get", Branch, Read),
    item("imports_report", Branch, Read),
    // Progress exists only while an import runs, and only for its importer; between imports it
    // answers 404 to everyone, so here every actor asks for the key of A1's admin's finished
    // import and must learn nothing (the importer's live view is in imports.rs).
    Spec {
        allow: Allow::Nobody,
        ..item("imports_progress", Branch, Read)
    },
    // The blank template holds no data: any session may fetch it.
    Spec {
        allow: Allow::Everyone,
        ..item("imports_template", Branch, Read)
    },
];

matrix_test!(members_matrix, "members", SPECS, build);

const PROGRESS_KEY: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f9";

/// A multipart body: text fields and one `file` part.
pub fn multipart(fields: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----tuanwu-matrix-boundary-3e8d";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn import_csv(p: &Person) -> Vec<u8> {
    let rows = vec![crate::imports::row(p, BRANCH_A1)];
    crate::imports::required_csv(&rows)
}

/// An import A1's admin made (one new member).
async fn a1_import(w: &World<'_>) -> i64 {
    let (ct, body) = multipart(
        &[("mode", "valid")],
        "团员名单.csv",
        &import_csv(&w.person()),
    );
    id_of(
        &w.server
            .post_raw("/api/v1/imports", Some(&w.fx.a1_admin.token), &ct, body)
            .await
            .ok(200),
    )
}

pub async fn build(w: &World<'_>, op: &str, who: Who) -> Prepared {
    let fx = &w.fx;
    let a1_members = format!("/api/v1/orgs/{}/members?subtree=true&per_page=100", fx.a1);
    match op {
        "members_search" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::get(format!("/api/v1/members?q={}", m.person.student_no))
                .marker(m.person.name)
        }
        "members_create" => {
            Prepared::post("/api/v1/members", w.person().body(fx.a1)).probe(a1_members)
        }
        "members_get" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::get(format!("/api/v1/members/{}", m.id)).marker(m.person.name)
        }
        "members_update" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::patch(
                format!("/api/v1/members/{}", m.id),
                json!({"actual_major": "软件工程"}),
            )
            .probe(format!("/api/v1/members/{}", m.id))
        }
        "members_list_in_org" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::get(format!("/api/v1/orgs/{}/members?per_page=100", fx.a1))
                .marker(m.person.name)
        }
        "members_set_password" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::post(
                format!("/api/v1/members/{}/password", m.id),
                json!({"password": MEMBER_INITIAL_PASSWORD}),
            )
        }
        "accounts_reset_code" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::post_empty(format!("/api/v1/members/{}/reset-code", m.id))
        }
        "identity_confirm" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::post(
                format!("/api/v1/members/{}/identity", m.id),
                json!({"status": "verified_offline"}),
            )
            .probe(format!("/api/v1/members/{}", m.id))
        }
        "identity_stats" => Prepared::get(format!("/api/v1/orgs/{}/identity-stats", fx.a1)),
        "archives_list" => {
            let m = w.fresh_member(fx.a1).await;
            Prepared::get(format!("/api/v1/members/{}/archives", m.id))
        }
        "archives_upload" => {
            let m = w.fresh_member(fx.a1).await;
            // The file must be the caller's own upload; any session may upload one.
            let token = w.token(Branch, Perm(Permission::Archives), who);
            let file = crate::fixtures::upload_pdf(w.server, token).await;
            Prepared::post(
                format!("/api/v1/members/{}/archives", m.id),
                json!({"kind": "admission_form", "file_id": file}),
            )
            .probe(format!("/api/v1/members/{}/archives", m.id))
        }
        "files_upload" => {
            let (ct, body) = multipart(&[], "证明材料.pdf", PDF);
            Prepared::post_empty("/api/v1/files").raw(ct, body)
        }
        "files_download" => {
            let f = crate::fixtures::upload_pdf(w.server, &fx.a1_admin.token).await;
            Prepared::get(format!("/api/v1/files/{f}")).marker("%PDF-1.4")
        }
        "imports_create" => {
            let p = w.person();
            let (ct, body) = multipart(&[("mode", "valid")], "团员名单.csv", &import_csv(&p));
            Prepared::post_empty("/api/v1/imports")
                .raw(ct, body)
                .probe(a1_members)
        }
        "imports_get" => {
            let id = a1_import(w).await;
            Prepared::get(format!("/api/v1/imports/{id}")).marker("团员名单.csv")
        }
        "imports_report" => {
            let id = a1_import(w).await;
            Prepared::get(format!("/api/v1/imports/{id}/report.xlsx"))
        }
        "imports_progress" => {
            let (ct, body) = multipart(
                &[("mode", "valid"), ("progress_key", PROGRESS_KEY)],
                "团员名单.csv",
                &import_csv(&w.person()),
            );
            w.server
                .post_raw("/api/v1/imports", Some(&fx.a1_admin.token), &ct, body)
                .await
                .ok(200);
            Prepared::get(format!("/api/v1/imports/progress/{PROGRESS_KEY}"))
        }
        "imports_template" => Prepared::get("/api/v1/imports/template.xlsx"),
        other => panic!("members: no builder for {other}"),
    }
}
