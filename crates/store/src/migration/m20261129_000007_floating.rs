//! FLT-1 … FLT-5: floating members' records (retention, obligations) and their contact log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum FloatingRecords {
    Table,
    Id,
    MemberId,
    TransferId,
    BranchId,
    Status,
    Destination,
    Reason,
    /// AES-GCM ciphertext of the contact details (member's, the responsible person's) and, for
    /// the abroad branch, the retention application (FLT-5): JSON.
    DetailsEnc,
    Remarks,
    EnteredOn,
    Deadline,
    Extended,
    ExtensionReason,
    LastContactOn,
    SuspendedOn,
    ClosedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum FloatingContacts {
    Table,
    Id,
    RecordId,
    ContactedOn,
    Note,
    RecordedBy,
    CreatedAt,
}

fn date_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).date().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(FloatingRecords::Table)
                .col(
                    ColumnDef::new(FloatingRecords::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::MemberId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::TransferId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::BranchId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::Status)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::Destination)
                        .string_len(32)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::Reason)
                        .string_len(500)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::DetailsEnc)
                        .binary()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::Remarks)
                        .string_len(500)
                        .null(),
                )
                .col(date_null(FloatingRecords::EnteredOn))
                .col(date_null(FloatingRecords::Deadline))
                .col(
                    ColumnDef::new(FloatingRecords::Extended)
                        .boolean()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingRecords::ExtensionReason)
                        .string_len(500)
                        .null(),
                )
                .col(date_null(FloatingRecords::LastContactOn))
                .col(date_null(FloatingRecords::SuspendedOn))
                .col(date_null(FloatingRecords::ClosedOn))
                .col(
                    ColumnDef::new(FloatingRecords::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ux_floating_transfer", FloatingRecords::TransferId),
            ("ix_floating_member", FloatingRecords::MemberId),
            ("ix_floating_branch", FloatingRecords::BranchId),
        ] {
            let mut i = Index::create();
            i.name(name).table(FloatingRecords::Table).col(col);
            if name.starts_with("ux_") {
                i.unique();
            }
            m.create_index(i.to_owned()).await?;
        }
        m.create_table(
            Table::create()
                .table(FloatingContacts::Table)
                .col(
                    ColumnDef::new(FloatingContacts::Id)
                        .big_integer()
                        .not_null()
                        .auto_increment()
                        .primary_key(),
                )
                .col(
                    ColumnDef::new(FloatingContacts::RecordId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingContacts::ContactedOn)
                        .date()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingContacts::Note)
                        .string_len(500)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingContacts::RecordedBy)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(FloatingContacts::CreatedAt)
                        .timestamp_with_time_zone()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_floating_contacts_record")
                .table(FloatingContacts::Table)
                .col(FloatingContacts::RecordId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(FloatingContacts::Table).to_owned())
            .await?;
        m.drop_table(Table::drop().table(FloatingRecords::Table).to_owned())
            .await
    }
}
