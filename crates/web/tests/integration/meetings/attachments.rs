//! MTG-1 attachments: a secretary attaches photos and the minutes PDF from the record form (the
//! phone's file picker), the record lists them with download links, an edit removes one; only
//! who may see the record downloads them.

use serde_json::Value;

use super::{body, meeting_path, meetings_path, HELD};
use crate::fixtures::*;
use crate::harness::id_of;
use crate::letters::get_bytes;
use crate::page::{get, logged_in, post_upload, upload_files};

/// The smallest file the store takes as a PNG photo (the type is read from the bytes).
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-photo";

fn file_ids(m: &Value) -> Vec<i64> {
    m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_attaches_photos_and_minutes_on_the_form_and_removes_one_when_editing() {
    let (server, fx) = school().await;
    let secretary = logged_in(&server, &fx.a1_admin.login, &fx.a1_admin.password).await;
    let form = get(
        &secretary,
        &server,
        &format!("/orgs/{}/meetings/new", fx.a1),
    )
    .await;
    form.status(200)
        .has("enctype=\"multipart/form-data\"")
        .has("type=\"file\" id=\"files\" name=\"files\" multiple");
    let csrf = form.csrf();
    let present = fx.m_a1.id.to_string();
    let fields = |topic: &str| -> Vec<(String, String)> {
        [
            ("csrf", csrf.as_str()),
            ("kind", "lecture"),
            ("started_at", HELD),
            ("place", "团员之家"),
            ("topic", topic),
            ("content", "学习团章第一章。"),
            ("present", present.as_str()),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    };

    // A file that is not a photo or a PDF is refused by name; nothing is recorded.
    let f = fields("带错附件的团课");
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let refused = post_upload(
        &secretary,
        &server,
        &format!("/orgs/{}/meetings/new", fx.a1),
        upload_files(&refs, "files", &[("名单.txt", b"hello")]),
    )
    .await;
    refused
        .status(422)
        .has("“名单.txt”未能上传")
        .has("带错附件的团课");
    let api = server.api(&fx.a1_admin.token);
    assert_eq!(api.get(&meetings_path(fx.a1)).await.ok(200)["total"], 0);

    // A photo and the minutes, in one submission from the phone.
    let f = fields("学习团章");
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let shown = post_upload(
        &secretary,
        &server,
        &format!("/orgs/{}/meetings/new", fx.a1),
        upload_files(
            &refs,
            "files",
            &[("现场照片.png", PNG), ("会议记录.pdf", PDF)],
        ),
    )
    .await;
    shown
        .status(200)
        .has("会议记录已保存")
        .has("现场照片.png")
        .has("会议记录.pdf");
    let id: i64 = shown
        .path
        .trim_start_matches("/meetings/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let m = api.get(&meeting_path(id)).await.ok(200);
    let files = file_ids(&m);
    assert_eq!(files.len(), 2, "{m}");
    assert_eq!(m["files"][0]["name"], "现场照片.png");
    shown.has(&format!("href=\"/files/{}\"", files[1]));
    let pdf = get(&secretary, &server, &format!("/files/{}", files[1])).await;
    assert_eq!((pdf.status, pdf.html.as_bytes()), (200, PDF));

    // The edit lists both with a 删除 box; ticking the photo's removes it and keeps the PDF.
    let edit = get(&secretary, &server, &format!("/meetings/{id}/edit")).await;
    edit.status(200)
        .has(&format!("id=\"remove-file-{}\"", files[0]))
        .has(&format!("id=\"remove-file-{}\"", files[1]));
    let mut f = fields("学习团章");
    for (i, name) in [(files[0], "现场照片.png"), (files[1], "会议记录.pdf")] {
        f.push(("file_id".into(), i.to_string()));
        f.push((format!("file_name_{i}"), name.to_string()));
    }
    f.push(("remove_file".into(), files[0].to_string()));
    let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let edited = post_upload(
        &secretary,
        &server,
        &format!("/meetings/{id}/edit"),
        upload_files(&refs, "files", &[]),
    )
    .await;
    edited
        .status(200)
        .has("会议记录已修改")
        .has("会议记录.pdf")
        .lacks("现场照片.png");
    assert_eq!(
        file_ids(&api.get(&meeting_path(id)).await.ok(200)),
        [files[1]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_who_can_see_the_record_downloads_its_attachments() {
    let (server, fx) = school().await;
    // The college admin records a branch meeting with minutes uploaded from the college.
    let minutes = upload_pdf(&server, &fx.a_admin.token).await;
    let mut b = body("assembly", HELD, "支部大会", &[fx.m_a1.id], &[]);
    b["file_ids"] = serde_json::json!([minutes]);
    let id = id_of(
        &server
            .api(&fx.a_admin.token)
            .post(&meetings_path(fx.a1), &b)
            .await
            .ok(201),
    );
    let path = format!("/api/v1/files/{minutes}");

    // The branch's secretary sees the record, so downloads the minutes the college uploaded.
    let (status, _, bytes) = get_bytes(&server, &fx.a1_admin.token, &path).await;
    assert_eq!((status, bytes.as_slice()), (200, PDF));
    let v = server
        .api(&fx.a1_admin.token)
        .get(&meeting_path(id))
        .await
        .ok(200);
    assert_eq!(file_ids(&v), [minutes]);

    // Another college's admin and a member (who reach no meeting records) get nothing.
    let (status, _, _) = get_bytes(&server, &fx.b_admin.token, &path).await;
    assert_eq!(status, 404);
    let member = member_token(&server, &fx.root, &fx.m_a1).await;
    let (status, _, _) = get_bytes(&server, &member, &path).await;
    assert_eq!(status, 404);
    // Nor does a branch admin of the same college whose branch's record it is not.
    let (status, _, _) = get_bytes(&server, &fx.a2_admin.token, &path).await;
    assert_eq!(status, 404);
}
