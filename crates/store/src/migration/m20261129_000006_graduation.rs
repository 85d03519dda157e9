//! GRD-1 … GRD-7: graduation markings on branches, delayed graduates and teachers, graduate
//! destinations and 学社衔接 special cases.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orgs {
    Table,
    Graduation,
}

#[derive(DeriveIden)]
enum GraduationExceptions {
    Table,
    Id,
    MemberId,
    Kind,
    Expected,
    Reason,
    CreatedBy,
    CreatedAt,
    RevokedAt,
    RevokedBy,
}

#[derive(DeriveIden)]
enum Destinations {
    Table,
    MemberId,
    Destination,
    Note,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ContinuityCases {
    Table,
    MemberId,
    TargetProvince,
    TargetCity,
    TargetOrgName,
    Initiated,
    RefusalReason,
    Remarks,
    UpdatedBy,
    UpdatedAt,
}

fn s<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

fn s_null<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}

fn big<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

fn at<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Orgs::Table)
                .add_column(s_null(Orgs::Graduation, 16))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(GraduationExceptions::Table)
                .col(
                    ColumnDef::new(GraduationExceptions::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(big(GraduationExceptions::MemberId))
                .col(s(GraduationExceptions::Kind, 16))
                .col(s(GraduationExceptions::Expected, 7))
                .col(s(GraduationExceptions::Reason, 500))
                .col(big(GraduationExceptions::CreatedBy))
                .col(at(GraduationExceptions::CreatedAt))
                .col(
                    ColumnDef::new(GraduationExceptions::RevokedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(
                    ColumnDef::new(GraduationExceptions::RevokedBy)
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_graduation_exceptions_member")
                .table(GraduationExceptions::Table)
                .col(GraduationExceptions::MemberId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Destinations::Table)
                .col(big(Destinations::MemberId).primary_key())
                .col(s(Destinations::Destination, 32))
                .col(s_null(Destinations::Note, 500))
                .col(big(Destinations::UpdatedBy))
                .col(at(Destinations::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(ContinuityCases::Table)
                .col(big(ContinuityCases::MemberId).primary_key())
                .col(s_null(ContinuityCases::TargetProvince, 50))
                .col(s_null(ContinuityCases::TargetCity, 50))
                .col(s_null(ContinuityCases::TargetOrgName, 200))
                .col(
                    ColumnDef::new(ContinuityCases::Initiated)
                        .boolean()
                        .not_null(),
                )
                .col(s_null(ContinuityCases::RefusalReason, 500))
                .col(s_null(ContinuityCases::Remarks, 500))
                .col(big(ContinuityCases::UpdatedBy))
                .col(at(ContinuityCases::UpdatedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            GraduationExceptions::Table.into_iden(),
            Destinations::Table.into_iden(),
            ContinuityCases::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
