//! Checking one row of an import on its own (MEM-1, MEM-2, MEM-5) and finding its branch.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;
use tuanwu_domain::account::IdentityCheck;
use tuanwu_domain::age::{joining_status, JoiningStatus};
use tuanwu_domain::member::{
    parse_education, parse_ethnicity, parse_student_no, DevelopmentNo, Email, NewMember, Phone,
    PoliticalStatus,
};
use tuanwu_domain::{DomainError, OrgId, ResidentId};
use tuanwu_sheets::members::{self as sheet, Column, Header, Problem};
use tuanwu_sheets::read::CellValue;
use tuanwu_store::Scope;

use crate::member::fields::{self, DEFAULT_OFFLINE_NOTE};
use crate::AppError;

#[derive(Clone)]
pub(super) struct BranchInfo {
    id: OrgId,
    province_id: Option<OrgId>,
    college: Option<(String, Option<String>)>,
}

/// The importer's branches, by full name and by full path.
pub(super) struct Branches {
    by_name: HashMap<String, Vec<BranchInfo>>,
    by_path: HashMap<String, BranchInfo>,
}

/// The live branches under `root` that the importer's scope reaches, with their colleges.
pub(super) async fn branches<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    root: OrgId,
) -> Result<Branches, AppError> {
    let all = tuanwu_store::org::live_under(c, scope, root).await?;
    let colleges: HashMap<OrgId, (String, Option<String>)> = all
        .iter()
        .filter(|o| o.college_id == Some(o.id))
        .map(|o| (o.id, (o.name.clone(), o.short_name.clone())))
        .collect();
    let mut by_name: HashMap<String, Vec<BranchInfo>> = HashMap::new();
    let mut by_path = HashMap::new();
    for o in all.into_iter().filter(|o| o.is_branch()) {
        let info = BranchInfo {
            id: o.id,
            province_id: o.province_id,
            college: o.college_id.and_then(|c| colleges.get(&c).cloned()),
        };
        by_path.insert(o.path.clone(), info.clone());
        by_name.entry(o.name).or_default().push(info);
    }
    Ok(Branches { by_name, by_path })
}

/// A row checked on its own (before duplicates are looked for).
pub(super) struct Checked {
    pub row: usize,
    pub member: NewMember,
    pub index: [u8; 32],
}

/// A problem of one cell. Personal numbers are kept masked in the report (SYS-5): it is stored.
pub(super) fn problem(
    row: usize,
    column: Column,
    cell: &CellValue,
    message: impl Into<String>,
) -> Problem {
    let text = sheet::text(cell);
    let value = match column {
        Column::ResidentId if text.chars().count() >= 8 => {
            tuanwu_domain::mask::mask_resident_id(&text)
        }
        Column::Phone if text.chars().count() >= 7 => tuanwu_domain::mask::mask_phone(&text),
        _ => text,
    };
    Problem {
        row,
        name: String::new(),
        column: column.header().into(),
        value,
        message: message.into(),
    }
}

/// MEM-1/2/5 on one row: every problem of the row, not just the first.
pub(super) fn check_row(
    header: &Header,
    row: usize,
    cells: &[CellValue],
    branches: &Branches,
    today: time::Date,
    may_override_college: bool,
) -> Result<NewMember, Vec<Problem>> {
    let mut problems = Vec::new();
    let cell = |c: Column| header.cell(cells, c);
    // The same checks as the entry form (`member::fields`): the import accepts exactly what
    // the form accepts.
    let mut typed = Vec::new();
    let mut report = |c: Column, e: DomainError| typed.push(problem(row, c, cell(c), e.message));
    let name = fields::name(&sheet::text(cell(Column::Name)))
        .map_err(|e| report(Column::Name, e))
        .ok();
    let phone_text = sheet::exact_text(cell(Column::Phone), Column::Phone);
    let phone: Option<Phone> = phone_text
        .and_then(|t| fields::phone(Some(&t)))
        .map_err(|e| report(Column::Phone, e))
        .ok()
        .flatten();
    let email: Option<Email> = fields::email(Some(&sheet::text(cell(Column::Email))))
        .map_err(|e| report(Column::Email, e))
        .ok()
        .flatten();
    let admission_major = fields::major(Some(&sheet::text(cell(Column::Major))), "admission_major")
        .map_err(|e| report(Column::Major, e))
        .ok()
        .flatten();
    let native_place = fields::native_place(Some(&sheet::text(cell(Column::NativePlace))))
        .map_err(|e| report(Column::NativePlace, e))
        .ok()
        .flatten();
    problems.append(&mut typed);
    let mut take = |c: Column, r: Result<Option<String>, DomainError>| -> Option<String> {
        match r {
            Ok(v) => v,
            Err(e) => {
                problems.push(problem(row, c, cell(c), e.message));
                None
            }
        }
    };
    let rid = take(
        Column::ResidentId,
        sheet::exact_text(cell(Column::ResidentId), Column::ResidentId)
            .and_then(|t| ResidentId::parse(&t, today).map(|r| Some(r.as_str().to_string()))),
    )
    .and_then(|r| ResidentId::parse(&r, today).ok());
    let ethnicity = take(
        Column::Ethnicity,
        parse_ethnicity(&sheet::text(cell(Column::Ethnicity))).map(Some),
    );
    let student_no = take(
        Column::StudentNo,
        sheet::exact_text(cell(Column::StudentNo), Column::StudentNo)
            .and_then(|t| parse_student_no(&t)),
    );
    let education_text = sheet::text(cell(Column::Education));
    let education = take(
        Column::Education,
        if education_text.is_empty() {
            Ok(None)
        } else {
            parse_education(&education_text).map(Some)
        },
    );
    let political_status =
        PoliticalStatus::parse(sheet::political_status(cell(Column::PoliticalStatus)));
    if political_status.is_err() {
        problems.push(problem(
            row,
            Column::PoliticalStatus,
            cell(Column::PoliticalStatus),
            "政治面貌只能填：共青团员、群众、中共预备党员、中共党员",
        ));
    }
    let joined_on = match sheet::year_month(cell(Column::JoinedOn)) {
        Ok(j) => Some(j),
        Err(e) => {
            problems.push(problem(
                row,
                Column::JoinedOn,
                cell(Column::JoinedOn),
                e.message,
            ));
            None
        }
    };
    let mut offline = false;
    let mut development_no = None;
    if let (Some(rid), Some(joined_on)) = (&rid, joined_on) {
        match joining_status(rid.birth_date(), joined_on, today) {
            Ok(s) => offline = s == JoiningStatus::OfflineManaged,
            Err(e) => problems.push(problem(
                row,
                Column::JoinedOn,
                cell(Column::JoinedOn),
                e.message,
            )),
        }
        let dev_text = sheet::exact_text(cell(Column::DevelopmentNo), Column::DevelopmentNo);
        match dev_text.and_then(|t| DevelopmentNo::for_join_date(Some(&t), joined_on)) {
            Ok(d) => development_no = d,
            Err(e) => problems.push(problem(
                row,
                Column::DevelopmentNo,
                cell(Column::DevelopmentNo),
                e.message,
            )),
        }
    }
    let branch_text = sheet::text(cell(Column::Branch));
    let branch = match branches.by_path.get(&branch_text) {
        Some(b) => Some(b.clone()),
        None => match branches.by_name.get(&branch_text).map(Vec::as_slice) {
            Some([one]) => Some(one.clone()),
            Some([_, _, ..]) => {
                problems.push(problem(row, Column::Branch, cell(Column::Branch), "您的管理范围内有多个同名团支部：请填写团支部的完整路径（如“某学院 / 某团支部”前的全部名称）"));
                None
            }
            _ => {
                let msg = if branch_text.is_empty() {
                    "请填写所在团支部的全称".to_string()
                } else {
                    format!("在您的管理范围内找不到团支部“{branch_text}”：请核对全称，或先在系统中建立该团支部")
                };
                problems.push(problem(row, Column::Branch, cell(Column::Branch), msg));
                None
            }
        },
    };
    let college_text = sheet::text(cell(Column::College));
    if let (Some(b), false) = (&branch, college_text.is_empty()) {
        let matches = b.college.as_ref().is_some_and(|(name, short)| {
            *name == college_text
                || short.as_deref() == Some(college_text.as_str())
                || (college_text.chars().count() >= 4 && name.contains(&college_text))
        });
        if !matches && !may_override_college {
            problems.push(problem(
                row,
                Column::College,
                cell(Column::College),
                "导入的团员所在学院必须跟此团支部所属分团委一致：请核对学院或团支部；确需跨学院导入的，请由校级管理员勾选“允许学院不一致”后导入",
            ));
        }
    }
    match (
        problems.is_empty(),
        name,
        rid,
        ethnicity,
        joined_on,
        branch,
        political_status,
    ) {
        (
            true,
            Some(name),
            Some(rid),
            Some(ethnicity),
            Some(joined_on),
            Some(b),
            Ok(political_status),
        ) => Ok(NewMember {
            branch: b.id,
            province: b.province_id,
            name,
            resident_id: rid,
            ethnicity,
            joined_on,
            development_no,
            student_no,
            political_status,
            phone,
            email,
            // The file's 专业 is the admission major, and the actual one until it changes.
            actual_major: admission_major.clone(),
            admission_major,
            native_place,
            education,
            offline_managed: offline,
            offline_note: offline.then(|| DEFAULT_OFFLINE_NOTE.to_string()),
            identity_check: IdentityCheck::Pending,
        }),
        _ => Err(named(problems, &sheet::text(cell(Column::Name)))),
    }
}

/// The row's problems with the row's 姓名 beside each (a report quotes at most 50 characters of
/// it, as of any cell).
pub(super) fn named(mut problems: Vec<Problem>, name: &str) -> Vec<Problem> {
    let name: String = name.trim().chars().take(50).collect();
    for p in &mut problems {
        p.name = name.clone();
    }
    problems
}
