//! Inserting many members at once (import, demo), one statement per batch. Their accounts are
//! made when first needed (`account::of_member`).

use std::collections::HashMap;

use sea_orm::sea_query::{InsertStatement, Query};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryTrait, Set, Statement};
use tuanwu_domain::{ResidentId, YearMonth};
use tuanwu_store::entity::member;
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

/// Inserts the members (at most `BATCH`). Returns the new member ids in input order.
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    now: time::OffsetDateTime,
    rows: &[NewMember],
) -> Result<Vec<i64>, AppError> {
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
    insert.returning(
        Query::returning().columns([member::Column::Id, member::Column::ResidentIdIndex]),
    );
    let inserted: Vec<(i64, Vec<u8>)> = c
        .query_all(c.get_database_backend().build(&insert))
        .await?
        .iter()
        .map(|r| Ok((r.try_get("", "id")?, r.try_get("", "resident_id_index")?)))
        .collect::<Result<_, DbErr>>()?;
    let by_index: HashMap<&[u8], i64> = inserted.iter().map(|m| (m.1.as_slice(), m.0)).collect();
    Ok(indexes
        .iter()
        .filter_map(|ix| by_index.get(ix.as_slice()).copied())
        .collect())
}

/// The members' `INSERT`, built without a connection: the import builds it on its reading
/// thread, beside the database's work on the batch before. Each row comes with the blind index
/// of its resident ID, which the caller has already computed.
pub fn members_insert<'a>(
    backend: DbBackend,
    cipher: &Cipher,
    now: time::OffsetDateTime,
    rows: impl Iterator<Item = (&'a [u8], &'a NewMember)>,
) -> Statement {
    backend.build(&insert_of(cipher, now, rows))
}

fn insert_of<'a>(
    cipher: &Cipher,
    now: time::OffsetDateTime,
    rows: impl Iterator<Item = (&'a [u8], &'a NewMember)>,
) -> InsertStatement {
    let models = rows.map(|(index, r)| member::ActiveModel {
        org_id: Set(r.branch_id),
        province_id: Set(r.province_id),
        name: Set(r.name.clone()),
        resident_id_enc: Set(cipher.encrypt(r.resident_id.as_str())),
        resident_id_index: Set(index.to_vec()),
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
    member::Entity::insert_many(models).into_query()
}
