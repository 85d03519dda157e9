//! Inserting many members at once (import, demo): members, their accounts and member roles in
//! a few statements per batch.

use std::collections::HashMap;

use sea_orm::sea_query::{InsertStatement, IntoColumnRef, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryTrait, Set, Statement};
use tuanwu_domain::{ResidentId, YearMonth};
use tuanwu_store::entity::{account, member, role};
use tuanwu_store::Cipher;

use crate::AppError;

/// Rows per statement: ~25 bound values a member row stays under SQLite's and PostgreSQL's
/// parameter limits.
pub const BATCH: usize = 800;

pub struct NewMember {
    pub branch_id: i64,
    pub province_id: Option<i64>,
    pub name: String,
    pub resident_id: ResidentId,
    pub ethnicity: String,
    pub joined_on: YearMonth,
    pub development_no: Option<String>,
    pub student_no: Option<String>,
    pub political_status: &'static str,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub admission_major: Option<String>,
    pub native_place: Option<String>,
    pub education: Option<String>,
    pub offline_managed: bool,
    pub offline_note: Option<String>,
    pub identity_check: &'static str,
}

/// Inserts the members (at most `BATCH`), one account each (no password yet) and their member
/// roles. Returns the new member ids in input order.
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    now: time::OffsetDateTime,
    rows: &[NewMember],
) -> Result<Vec<i64>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let statement = members_insert(c.get_database_backend(), cipher, now, rows.iter());
    insert_prepared(c, cipher, now, rows, statement).await
}

/// The members' `INSERT … RETURNING`, built without a connection: the import builds it on its
/// reading thread, beside the database's work on the batch before.
pub fn members_insert<'a>(
    backend: DbBackend,
    cipher: &Cipher,
    now: time::OffsetDateTime,
    rows: impl Iterator<Item = &'a NewMember>,
) -> Statement {
    let models = rows.map(|r| member::ActiveModel {
        org_id: Set(r.branch_id),
        province_id: Set(r.province_id),
        name: Set(r.name.clone()),
        resident_id_enc: Set(cipher.encrypt(r.resident_id.as_str())),
        resident_id_index: Set(cipher.blind_index(r.resident_id.as_str())),
        gender: Set(r.resident_id.gender().key().into()),
        ethnicity: Set(r.ethnicity.clone()),
        birth_date: Set(r.resident_id.birth_date()),
        joined_on: Set(r.joined_on.to_string()),
        development_no: Set(r.development_no.clone()),
        student_no: Set(r.student_no.clone()),
        admission_major: Set(r.admission_major.clone()),
        actual_major: Set(r.admission_major.clone()),
        native_place: Set(r.native_place.clone()),
        education: Set(r.education.clone()),
        political_status: Set(r.political_status.into()),
        phone_enc: Set(r.phone.as_deref().map(|p| cipher.encrypt(p))),
        email: Set(r.email.clone()),
        offline_managed: Set(r.offline_managed),
        offline_note: Set(r.offline_note.clone()),
        identity_check: Set(r.identity_check.into()),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    });
    // RETURNING gives the new ids without reading the rows back (SQLite ≥ 3.35 and PostgreSQL);
    // its row order is not guaranteed, so ids are matched by blind index.
    returning(
        backend,
        member::Entity::insert_many(models).into_query(),
        [member::Column::Id, member::Column::ResidentIdIndex],
    )
}

/// `insert` with the members' statement made by `members_insert` for exactly `rows`.
pub async fn insert_prepared<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    now: time::OffsetDateTime,
    rows: &[NewMember],
    statement: Statement,
) -> Result<Vec<i64>, AppError> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let indexes: Vec<Vec<u8>> = rows
        .iter()
        .map(|r| cipher.blind_index(r.resident_id.as_str()))
        .collect();
    let inserted: Vec<(i64, Vec<u8>)> = c
        .query_all(statement)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "resident_id_index")?)))
        .collect::<Result<_, DbErr>>()?;
    let by_index: HashMap<&[u8], i64> = inserted.iter().map(|m| (m.1.as_slice(), m.0)).collect();
    let new: Vec<(i64, &NewMember)> = indexes
        .iter()
        .zip(rows)
        .filter_map(|(ix, r)| Some((*by_index.get(ix.as_slice())?, r)))
        .collect();
    let accounts = new.iter().map(|(id, r)| account::ActiveModel {
        display_name: Set(r.name.clone()),
        password_hash: Set(None),
        member_id: Set(Some(*id)),
        must_change_password: Set(true),
        created_at: Set(now),
        ..Default::default()
    });
    let org_of: HashMap<i64, &NewMember> = new.iter().copied().collect();
    let made: Vec<(i64, i64)> = c
        .query_all(returning(
            c.get_database_backend(),
            account::Entity::insert_many(accounts).into_query(),
            [account::Column::Id, account::Column::MemberId],
        ))
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "member_id")?)))
        .collect::<Result<_, DbErr>>()?;
    let roles = made.iter().filter_map(|(account_id, member_id)| {
        let r = org_of.get(member_id)?;
        Some(role::ActiveModel {
            account_id: Set(*account_id),
            kind: Set("member".into()),
            org_id: Set(r.branch_id),
            province_id: Set(r.province_id),
            created_at: Set(now),
            ..Default::default()
        })
    });
    role::Entity::insert_many(roles).exec(c).await?;
    Ok(new.into_iter().map(|(id, _)| id).collect())
}

/// `insert … RETURNING columns` for `backend`.
fn returning<const N: usize>(
    backend: DbBackend,
    mut insert: InsertStatement,
    columns: [impl IntoColumnRef; N],
) -> Statement {
    insert.returning(Query::returning().columns(columns));
    backend.build(&insert)
}
