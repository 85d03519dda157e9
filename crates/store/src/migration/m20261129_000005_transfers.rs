//! TRF-1 … TRF-13: transfers with their history, and transfer letters numbered per committee
//! per year.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Transfers {
    Table,
    Id,
    MemberId,
    /// The member's id while the transfer is active, else NULL: a unique index on it admits one
    /// active transfer per member even when two start at the same instant (TRF-2).
    ActiveMemberId,
    Kind,
    Status,
    Initiator,
    InitiatorAccountId,
    InitiatorName,
    SourceOrgId,
    TargetOrgId,
    AssignedBranchId,
    ExternalSystem,
    SpecialDestination,
    Reason,
    Note,
    DecisionReason,
    ArchivesChecked,
    ProofFileId,
    CreatedAt,
    DecidedAt,
    DecidedBy,
}

#[derive(DeriveIden)]
enum TransferEvents {
    Table,
    Id,
    TransferId,
    At,
    AccountId,
    ActorName,
    Action,
    Note,
}

#[derive(DeriveIden)]
enum Letters {
    Table,
    Id,
    OrgId,
    Year,
    Seq,
    Number,
    TransferId,
    MemberId,
    Fields,
    IssuedBy,
    IssuedAt,
    ValidUntil,
    ReceiptAt,
    ReceiptNote,
}

#[derive(DeriveIden)]
enum LetterCounters {
    Table,
    OrgId,
    Year,
    Next,
}

fn id<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn big<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().not_null().to_owned()
}

fn big_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).big_integer().null().to_owned()
}

fn text<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).not_null().to_owned()
}

fn text_null<T: IntoIden>(c: T, len: u32) -> ColumnDef {
    ColumnDef::new(c).string_len(len).null().to_owned()
}

fn at<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn at_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

async fn index<T: IntoIden + 'static>(
    m: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: &[&'static str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    if unique {
        i.unique();
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Transfers::Table)
                .col(id(Transfers::Id))
                .col(big(Transfers::MemberId))
                .col(big_null(Transfers::ActiveMemberId))
                .col(text(Transfers::Kind, 16))
                .col(text(Transfers::Status, 16))
                .col(text(Transfers::Initiator, 8))
                .col(big_null(Transfers::InitiatorAccountId))
                .col(text(Transfers::InitiatorName, 100))
                .col(big(Transfers::SourceOrgId))
                .col(big_null(Transfers::TargetOrgId))
                .col(big_null(Transfers::AssignedBranchId))
                .col(text_null(Transfers::ExternalSystem, 16))
                .col(text_null(Transfers::SpecialDestination, 200))
                .col(text(Transfers::Reason, 32))
                .col(text_null(Transfers::Note, 500))
                .col(text_null(Transfers::DecisionReason, 500))
                .col(
                    ColumnDef::new(Transfers::ArchivesChecked)
                        .boolean()
                        .not_null(),
                )
                .col(big_null(Transfers::ProofFileId))
                .col(at(Transfers::CreatedAt))
                .col(at_null(Transfers::DecidedAt))
                .col(big_null(Transfers::DecidedBy))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_transfers_active_member",
            Transfers::Table,
            &["active_member_id"],
            true,
        )
        .await?;
        index(
            m,
            "ix_transfers_member",
            Transfers::Table,
            &["member_id"],
            false,
        )
        .await?;
        index(
            m,
            "ix_transfers_source",
            Transfers::Table,
            &["source_org_id"],
            false,
        )
        .await?;
        index(
            m,
            "ix_transfers_target",
            Transfers::Table,
            &["target_org_id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(TransferEvents::Table)
                .col(id(TransferEvents::Id))
                .col(big(TransferEvents::TransferId))
                .col(at(TransferEvents::At))
                .col(big_null(TransferEvents::AccountId))
                .col(text(TransferEvents::ActorName, 100))
                .col(text(TransferEvents::Action, 32))
                .col(text_null(TransferEvents::Note, 500))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_transfer_events_transfer",
            TransferEvents::Table,
            &["transfer_id"],
            false,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Letters::Table)
                .col(id(Letters::Id))
                .col(big(Letters::OrgId))
                .col(ColumnDef::new(Letters::Year).integer().not_null())
                .col(big(Letters::Seq))
                .col(text(Letters::Number, 32))
                .col(big_null(Letters::TransferId))
                .col(big(Letters::MemberId))
                .col(ColumnDef::new(Letters::Fields).binary().not_null())
                .col(big(Letters::IssuedBy))
                .col(at(Letters::IssuedAt))
                .col(ColumnDef::new(Letters::ValidUntil).date().not_null())
                .col(at_null(Letters::ReceiptAt))
                .col(text_null(Letters::ReceiptNote, 500))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_letters_number",
            Letters::Table,
            &["org_id", "year", "seq"],
            true,
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LetterCounters::Table)
                .col(big(LetterCounters::OrgId))
                .col(ColumnDef::new(LetterCounters::Year).integer().not_null())
                .col(big(LetterCounters::Next))
                .primary_key(
                    Index::create()
                        .col(LetterCounters::OrgId)
                        .col(LetterCounters::Year),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Transfers::Table.into_iden(),
            TransferEvents::Table.into_iden(),
            Letters::Table.into_iden(),
            LetterCounters::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
