//! The one member writer: entry, approved self-registration and import insert a `NewMember`;
//! edit, approved correction, transfer, identity check and deletion apply `MemberChanges`.
//! Each field is mapped onto its column here once (the resident ID and phone encrypted, the
//! gender and birth date taken from the resident ID), and every write moves the version.

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, InsertStatement, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter,
    QueryTrait, Set, Statement,
};
use time::OffsetDateTime;
use tuanwu_domain::member::{Member, MemberChanges, MemberStatus, NewMember};
use tuanwu_domain::MemberId;

use super::record;
use crate::entity::member;
use crate::Cipher;

use member::Column as M;

/// Rows per statement: ~25 bound values a member row stays under SQLite's and PostgreSQL's
/// parameter limits.
pub const BATCH: usize = 800;

/// The columns of a new member. `index` is the blind index of its resident ID (the import
/// computes it on its reading thread, beside the database's work).
fn new_row(
    cipher: &Cipher,
    index: &[u8],
    m: &NewMember,
    now: OffsetDateTime,
) -> member::ActiveModel {
    member::ActiveModel {
        org_id: Set(m.branch.0),
        province_id: Set(m.province.map(|p| p.0)),
        name: Set(m.name.as_str().to_string()),
        resident_id_enc: Set(cipher.encrypt(m.resident_id.as_str())),
        resident_id_index: Set(index.to_vec()),
        gender: Set(m.resident_id.gender().key().into()),
        ethnicity: Set(m.ethnicity.clone()),
        birth_date: Set(m.resident_id.birth_date()),
        joined_on: Set(m.joined_on.to_string()),
        development_no: Set(m.development_no.as_ref().map(|d| d.as_str().to_string())),
        student_no: Set(m.student_no.clone()),
        admission_major: Set(m.admission_major.clone()),
        actual_major: Set(m.actual_major.clone()),
        native_place: Set(m.native_place.clone()),
        education: Set(m.education.clone()),
        political_status: Set(m.political_status.key().into()),
        phone_enc: Set(m.phone.as_ref().map(|p| cipher.encrypt(p.as_str()))),
        email: Set(m.email.as_ref().map(|e| e.as_str().to_string())),
        offline_managed: Set(m.offline_managed),
        offline_note: Set(m.offline_note.clone()),
        identity_check: Set(m.identity_check.key().into()),
        identity_note: Set(None),
        identity_checked_at: Set(None),
        status: Set(MemberStatus::Active.key().into()),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

/// Enters one member (MEM-4, an approved self-registration).
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    m: &NewMember,
    now: OffsetDateTime,
) -> Result<Member, DbErr> {
    let index = cipher.blind_index(m.resident_id.as_str());
    record(new_row(cipher, &index, m, now).insert(c).await?)
}

fn insert_of<'a>(
    cipher: &Cipher,
    now: OffsetDateTime,
    rows: impl Iterator<Item = (&'a [u8], &'a NewMember)>,
) -> InsertStatement {
    member::Entity::insert_many(rows.map(|(index, m)| new_row(cipher, index, m, now))).into_query()
}

/// Inserts many members in one statement (at most `BATCH`; the import, the demo). Returns the
/// new ids in input order.
pub async fn insert_many<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    now: OffsetDateTime,
    rows: &[NewMember],
) -> Result<Vec<MemberId>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let indexes: Vec<Vec<u8>> = rows
        .iter()
        .map(|r| cipher.blind_index(r.resident_id.as_str()))
        .collect();
    let mut insert = insert_of(cipher, now, indexes.iter().map(Vec::as_slice).zip(rows));
    // RETURNING gives the new ids without reading the rows back (SQLite ≥ 3.35 and PostgreSQL);
    // its row order is not guaranteed, so ids are matched by blind index.
    insert.returning(Query::returning().columns([M::Id, M::ResidentIdIndex]));
    let inserted: Vec<(i64, Vec<u8>)> = c
        .query_all(c.get_database_backend().build(&insert))
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "resident_id_index")?)))
        .collect::<Result<_, DbErr>>()?;
    let by_index: HashMap<&[u8], i64> = inserted.iter().map(|m| (m.1.as_slice(), m.0)).collect();
    Ok(indexes
        .iter()
        .filter_map(|ix| by_index.get(ix.as_slice()).copied().map(MemberId))
        .collect())
}

/// The `INSERT` of many members, built without a connection: the import builds it on its
/// reading thread. Each row comes with the blind index of its resident ID, already computed.
pub fn insert_statement<'a>(
    backend: DbBackend,
    cipher: &Cipher,
    now: OffsetDateTime,
    rows: impl Iterator<Item = (&'a [u8], &'a NewMember)>,
) -> Statement {
    backend.build(&insert_of(cipher, now, rows))
}

/// The columns a change sets.
fn assignments(cipher: &Cipher, ch: &MemberChanges) -> Vec<(M, SimpleExpr)> {
    let text = |v: &Option<String>| Expr::value(v.clone());
    let mut set: Vec<(M, SimpleExpr)> = Vec::new();
    if let Some((branch, province)) = ch.branch {
        set.push((M::OrgId, Expr::value(branch.0)));
        set.push((M::ProvinceId, Expr::value(province.map(|p| p.0))));
    }
    if let Some(name) = &ch.name {
        set.push((M::Name, Expr::value(name.as_str())));
    }
    if let Some(rid) = &ch.resident_id {
        set.push((M::ResidentIdEnc, Expr::value(cipher.encrypt(rid.as_str()))));
        set.push((
            M::ResidentIdIndex,
            Expr::value(cipher.blind_index(rid.as_str())),
        ));
        set.push((M::Gender, Expr::value(rid.gender().key())));
        set.push((M::BirthDate, Expr::value(rid.birth_date())));
    }
    if let Some(e) = &ch.ethnicity {
        set.push((M::Ethnicity, Expr::value(e.as_str())));
    }
    if let Some(j) = ch.joined_on {
        set.push((M::JoinedOn, Expr::value(j.to_string())));
    }
    if let Some(no) = &ch.development_no {
        let no = no.as_ref().map(|d| d.as_str().to_string());
        set.push((M::DevelopmentNo, Expr::value(no)));
    }
    if let Some(v) = &ch.student_no {
        set.push((M::StudentNo, text(v)));
    }
    if let Some(p) = ch.political_status {
        set.push((M::PoliticalStatus, Expr::value(p.key())));
    }
    if let Some(p) = &ch.phone {
        let enc = p.as_ref().map(|p| cipher.encrypt(p.as_str()));
        set.push((M::PhoneEnc, Expr::value(enc)));
    }
    if let Some(e) = &ch.email {
        let e = e.as_ref().map(|e| e.as_str().to_string());
        set.push((M::Email, Expr::value(e)));
    }
    for (col, v) in [
        (M::AdmissionMajor, &ch.admission_major),
        (M::ActualMajor, &ch.actual_major),
        (M::NativePlace, &ch.native_place),
        (M::Education, &ch.education),
        (M::OfflineNote, &ch.offline_note),
    ] {
        if let Some(v) = v {
            set.push((col, text(v)));
        }
    }
    if let Some(o) = ch.offline_managed {
        set.push((M::OfflineManaged, Expr::value(o)));
    }
    if let Some((check, note, at)) = &ch.identity {
        set.push((M::IdentityCheck, Expr::value(check.key())));
        set.push((M::IdentityNote, text(note)));
        set.push((M::IdentityCheckedAt, Expr::value(*at)));
    }
    if let Some(s) = ch.status {
        set.push((M::Status, Expr::value(s.key())));
    }
    set
}

/// Applies `changes` to member `id` and moves its version. With `expected`, only a record
/// still at that version is written (issue 15 item 2): `None` then means someone else saved
/// first (or the record is gone) and nothing was changed. Without it the write is unconditional
/// (a clock-less system step, or an old API client that sends no version). The caller has
/// reached the record through the actor's scope.
pub async fn update<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    id: MemberId,
    expected: Option<i64>,
    changes: &MemberChanges,
    now: OffsetDateTime,
) -> Result<Option<Member>, DbErr> {
    let mut q = member::Entity::update_many()
        .col_expr(M::Version, Expr::col(M::Version).add(1))
        .col_expr(M::UpdatedAt, Expr::value(now))
        .filter(M::Id.eq(id.0));
    if let Some(v) = expected {
        q = q.filter(M::Version.eq(v));
    }
    for (col, value) in assignments(cipher, changes) {
        q = q.col_expr(col, value);
    }
    if q.exec(c).await?.rows_affected == 0 {
        return Ok(None);
    }
    super::of_record(c, id).await
}
