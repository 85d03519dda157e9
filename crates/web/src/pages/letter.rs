//! The 团员组织关系介绍信 (TRF-13): issuing it from a finished transfer, its page with the
//! receipt form, and the printable A4 page with the three parts (存根, 正本, 回执).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tuanwu_app::transfer::letter::{self as uc, IssueLetterInput, LetterView, ReceiptInput};
use tuanwu_app::Context;
use tuanwu_domain::transfer::ArchiveDisposition;

use super::shell::{opt, render, Form, FormErrors, PageActor, PageError, SavedQuery, Shell};
use super::transfer::{action_errors, show_page as transfer_page, DecisionForm};
use crate::extract::ApiPath;

/// The issue form on the transfer page posts here; errors come back on that page.
pub async fn issue(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, DecisionForm)>,
) -> Result<Response, PageError> {
    let input = IssueLetterInput {
        archive_disposition: opt(&form.archive_disposition),
        handler: opt(&form.handler),
        dues_paid_until: opt(&form.dues_paid_until),
    };
    match uc::issue(&ctx, &page.actor, id, input).await {
        Ok(l) => Ok(Redirect::to(&format!("/letters/{}?saved=issued", l.id)).into_response()),
        Err(e) => {
            let errors = action_errors(e)?;
            transfer_page(
                &ctx,
                page,
                tuanwu_domain::TransferId(id),
                form,
                errors,
                None,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "letter/show.html")]
struct ShowPage {
    shell: Shell,
    l: LetterView,
    errors: FormErrors,
    note: String,
}

async fn show_page(
    ctx: &Context,
    page: PageActor,
    id: i64,
    note: String,
    errors: FormErrors,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let l = uc::get(ctx, &page.actor, id).await?;
    let status = errors.status();
    let mut shell = page.shell(format!("介绍信 {}", l.number), "transfers");
    shell.notice = notice;
    Ok(render(
        ShowPage {
            shell,
            l,
            errors,
            note,
        },
        status,
    ))
}

pub async fn show(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, PageError> {
    let notice = q.notice(&[
        ("issued", "介绍信已开具：请打印后盖章，正本交团员本人携带。"),
        ("receipt", "回执已登记。"),
    ]);
    show_page(&ctx, page, id, String::new(), FormErrors::default(), notice).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReceiptForm {
    note: String,
}

pub async fn receipt(
    State(ctx): State<Context>,
    ApiPath(id): ApiPath<i64>,
    Form((page, form)): Form<(PageActor, ReceiptForm)>,
) -> Result<Response, PageError> {
    let input = ReceiptInput {
        note: opt(&form.note),
    };
    match uc::record_receipt(&ctx, &page.actor, id, input).await {
        Ok(_) => Ok(Redirect::to(&format!("/letters/{id}?saved=receipt")).into_response()),
        Err(e) => {
            let errors = action_errors(e)?;
            show_page(&ctx, page, id, form.note, errors, None).await
        }
    }
}

/// One box of the 团员档案 line: its label and whether it is ticked.
pub struct Disposition {
    pub label: &'static str,
    pub ticked: bool,
}

/// What the printed form needs besides the letter's fields: blanks where a field is empty.
pub struct Printed {
    pub year: String,
    pub month: String,
    pub day: String,
    pub dues_year: String,
    pub dues_month: String,
    pub ethnicity: String,
    pub member_phone: String,
    pub issuing_phone: String,
    pub address: String,
    pub postcode: String,
    /// The 存根's 由…转到…: the committees, with the branches when they differ.
    pub stub_from: String,
    pub stub_to: String,
    pub dispositions: Vec<Disposition>,
}

const BLANK: &str = "＿＿＿＿";

fn or_blank(s: Option<&str>) -> String {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => s.to_string(),
        None => BLANK.to_string(),
    }
}

fn with_branch(committee: &str, org: &str) -> String {
    if org.is_empty() || org == committee {
        or_blank(Some(committee))
    } else if committee.is_empty() {
        org.to_string()
    } else {
        format!("{committee}（{org}）")
    }
}

fn printed(l: &LetterView) -> Printed {
    let f = &l.fields;
    // issued_at is RFC 3339 in China time: 2026-11-29T10:00:00+08:00.
    let date = l.issued_at.get(..10).unwrap_or_default();
    let mut parts = date.split('-');
    let mut next = || {
        parts
            .next()
            .map(|s| s.trim_start_matches('0').to_string())
            .unwrap_or_default()
    };
    let (year, month, day) = (next(), next(), next());
    let (dues_year, dues_month) = match f.dues_paid_until.as_deref().and_then(|d| d.split_once('-'))
    {
        Some((y, m)) => (y.to_string(), m.trim_start_matches('0').to_string()),
        None => ("＿＿".to_string(), "＿＿".to_string()),
    };
    let ethnicity = if f.ethnicity.trim().is_empty() {
        format!("{BLANK}族")
    } else if f.ethnicity.ends_with('族') {
        f.ethnicity.clone()
    } else {
        format!("{}族", f.ethnicity)
    };
    let dispositions: Vec<Disposition> = ArchiveDisposition::ALL
        .iter()
        .map(|d| Disposition {
            label: d.label(),
            ticked: d.label() == f.archive_disposition,
        })
        .collect();
    Printed {
        year,
        month,
        day,
        dues_year,
        dues_month,
        ethnicity,
        member_phone: or_blank(f.member_phone.as_deref()),
        issuing_phone: or_blank(f.issuing_phone.as_deref()),
        address: or_blank(f.address.as_deref()),
        postcode: or_blank(f.postcode.as_deref()),
        stub_from: with_branch(&f.issuing_committee, &f.from_org),
        stub_to: with_branch(&f.target_committee, &f.to_org),
        dispositions,
    }
}

#[derive(Template)]
#[template(path = "letter/print.html")]
struct PrintPage {
    shell: Shell,
    l: LetterView,
    p: Printed,
}

pub async fn print(
    State(ctx): State<Context>,
    page: PageActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, PageError> {
    let l = uc::get(&ctx, &page.actor, id).await?;
    let p = printed(&l);
    let shell = page.shell(format!("打印介绍信 {}", l.number), "transfers");
    Ok(render(PrintPage { shell, l, p }, StatusCode::OK))
}
