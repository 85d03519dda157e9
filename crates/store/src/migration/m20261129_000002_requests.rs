//! SYS-3 requests with their history and attachments; ARC-5 files.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Files {
    Table,
    Id,
    Sha256,
    Size,
    ContentType,
    OriginalName,
    AccountId,
    OrgId,
    ProvinceId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    Kind,
    Status,
    MemberId,
    OrgId,
    ProvinceId,
    RequesterAccountId,
    RequesterOrgId,
    DeciderOrgId,
    ChangesEnc,
    Summary,
    Reason,
    DecisionReason,
    CreatedAt,
    DecidedAt,
    DecidedBy,
}

#[derive(DeriveIden)]
enum RequestEvents {
    Table,
    Id,
    RequestId,
    At,
    AccountId,
    ActorName,
    Action,
    Note,
}

#[derive(DeriveIden)]
enum RequestFiles {
    Table,
    RequestId,
    FileId,
}

fn id<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn ts<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn big<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).big_integer().not_null().to_owned()
}

fn big_null<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col).big_integer().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Files::Table)
                .col(id(Files::Id))
                .col(ColumnDef::new(Files::Sha256).string_len(64).not_null())
                .col(big(Files::Size))
                .col(ColumnDef::new(Files::ContentType).string_len(32).not_null())
                .col(
                    ColumnDef::new(Files::OriginalName)
                        .string_len(255)
                        .not_null(),
                )
                .col(big(Files::AccountId))
                .col(big(Files::OrgId))
                .col(big_null(Files::ProvinceId))
                .col(ts(Files::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Requests::Table)
                .col(id(Requests::Id))
                .col(ColumnDef::new(Requests::Kind).string_len(32).not_null())
                .col(ColumnDef::new(Requests::Status).string_len(16).not_null())
                .col(big_null(Requests::MemberId))
                .col(big(Requests::OrgId))
                .col(big_null(Requests::ProvinceId))
                .col(big_null(Requests::RequesterAccountId))
                .col(big(Requests::RequesterOrgId))
                .col(big(Requests::DeciderOrgId))
                .col(ColumnDef::new(Requests::ChangesEnc).binary().not_null())
                .col(ColumnDef::new(Requests::Summary).text().not_null())
                .col(ColumnDef::new(Requests::Reason).string_len(500).not_null())
                .col(
                    ColumnDef::new(Requests::DecisionReason)
                        .string_len(500)
                        .null(),
                )
                .col(ts(Requests::CreatedAt))
                .col(
                    ColumnDef::new(Requests::DecidedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(big_null(Requests::DecidedBy))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            (
                "ix_requests_decider",
                vec![Requests::DeciderOrgId, Requests::Status],
            ),
            ("ix_requests_org", vec![Requests::OrgId, Requests::Status]),
            (
                "ix_requests_member",
                vec![Requests::MemberId, Requests::Kind, Requests::Status],
            ),
        ] {
            let mut idx = Index::create().name(name).table(Requests::Table).to_owned();
            for c in cols {
                idx.col(c);
            }
            m.create_index(idx).await?;
        }
        m.create_table(
            Table::create()
                .table(RequestEvents::Table)
                .col(id(RequestEvents::Id))
                .col(big(RequestEvents::RequestId))
                .col(ts(RequestEvents::At))
                .col(big_null(RequestEvents::AccountId))
                .col(
                    ColumnDef::new(RequestEvents::ActorName)
                        .string_len(64)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RequestEvents::Action)
                        .string_len(16)
                        .not_null(),
                )
                .col(ColumnDef::new(RequestEvents::Note).string_len(500).null())
                .foreign_key(
                    ForeignKey::create()
                        .from(RequestEvents::Table, RequestEvents::RequestId)
                        .to(Requests::Table, Requests::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_request_events_request")
                .table(RequestEvents::Table)
                .col(RequestEvents::RequestId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(RequestFiles::Table)
                .col(big(RequestFiles::RequestId))
                .col(big(RequestFiles::FileId))
                .primary_key(
                    Index::create()
                        .col(RequestFiles::RequestId)
                        .col(RequestFiles::FileId),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RequestFiles::Table, RequestFiles::RequestId)
                        .to(Requests::Table, Requests::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RequestFiles::Table, RequestFiles::FileId)
                        .to(Files::Table, Files::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_request_files_file")
                .table(RequestFiles::Table)
                .col(RequestFiles::FileId)
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(RequestFiles::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(RequestEvents::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Requests::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(Files::Table).to_owned())
            .await
    }
}
