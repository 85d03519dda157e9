//! Issue 5: one-time codes (ACC-5, ACC-6), cadres (ACC-10), delegated grants (ACC-4), identity
//! check details (ACC-8) and e-archives (ARC-1..ARC-4).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Codes {
    Table,
    Id,
    Purpose,
    CodeHash,
    OrgId,
    AccountId,
    IssuedBy,
    CreatedAt,
    ExpiresAt,
    UsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum Cadres {
    Table,
    Id,
    OrgId,
    MemberId,
    Post,
    StartedOn,
    EndedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Archives {
    Table,
    Id,
    MemberId,
    Kind,
    FileId,
    Status,
    RequestId,
    UploadedBy,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum RoleAssignments {
    Table,
    Permissions,
    GrantedBy,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    ResidentIdIndex,
    PhoneEnc,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    IdentityCheck,
    IdentityNote,
    IdentityCheckedAt,
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Codes::Table)
                .col(id(Codes::Id))
                .col(ColumnDef::new(Codes::Purpose).string_len(16).not_null())
                .col(ColumnDef::new(Codes::CodeHash).binary().not_null())
                .col(big(Codes::OrgId))
                .col(ColumnDef::new(Codes::AccountId).big_integer().null())
                .col(big(Codes::IssuedBy))
                .col(at(Codes::CreatedAt))
                .col(at(Codes::ExpiresAt))
                .col(at_null(Codes::UsedAt))
                .col(at_null(Codes::RevokedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_codes_hash")
                .table(Codes::Table)
                .col(Codes::CodeHash)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_codes_account")
                .table(Codes::Table)
                .col(Codes::AccountId)
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(Cadres::Table)
                .col(id(Cadres::Id))
                .col(big(Cadres::OrgId))
                .col(big(Cadres::MemberId))
                .col(ColumnDef::new(Cadres::Post).string_len(64).not_null())
                .col(ColumnDef::new(Cadres::StartedOn).date().not_null())
                .col(ColumnDef::new(Cadres::EndedOn).date().null())
                .col(at(Cadres::CreatedAt))
                .to_owned(),
        )
        .await?;
        for (name, col) in [
            ("ix_cadres_org", Cadres::OrgId),
            ("ix_cadres_member", Cadres::MemberId),
        ] {
            m.create_index(
                Index::create()
                    .name(name)
                    .table(Cadres::Table)
                    .col(col)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(Archives::Table)
                .col(id(Archives::Id))
                .col(big(Archives::MemberId))
                .col(ColumnDef::new(Archives::Kind).string_len(32).not_null())
                .col(big(Archives::FileId))
                .col(ColumnDef::new(Archives::Status).string_len(16).not_null())
                .col(ColumnDef::new(Archives::RequestId).big_integer().null())
                .col(big(Archives::UploadedBy))
                .col(at(Archives::CreatedAt))
                .col(at_null(Archives::DecidedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_archives_member")
                .table(Archives::Table)
                .col(Archives::MemberId)
                .to_owned(),
        )
        .await?;
        // SQLite alters one column per statement.
        m.alter_table(
            Table::alter()
                .table(RoleAssignments::Table)
                .add_column(ColumnDef::new(RoleAssignments::Permissions).text().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(RoleAssignments::Table)
                .add_column(
                    ColumnDef::new(RoleAssignments::GrantedBy)
                        .big_integer()
                        .null(),
                )
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Members::Table)
                .add_column(ColumnDef::new(Members::IdentityNote).string_len(500).null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Members::Table)
                .add_column(at_null(Members::IdentityCheckedAt))
                .to_owned(),
        )
        .await?;
        // ACC-5: an admin who registers with a code and has no member record logs in by resident
        // ID like everyone else; the phone is the contact other admins see (TRF-10).
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(ColumnDef::new(Accounts::ResidentIdIndex).binary().null())
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Accounts::Table)
                .add_column(ColumnDef::new(Accounts::PhoneEnc).binary().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ux_accounts_resident_id_index")
                .table(Accounts::Table)
                .col(Accounts::ResidentIdIndex)
                .unique()
                .to_owned(),
        )
        .await?;
        // The status key the API names (`verified_offline`) replaces the earlier spelling.
        m.exec_stmt(
            Query::update()
                .table(Members::Table)
                .value(Members::IdentityCheck, "verified_offline")
                .and_where(Expr::col(Members::IdentityCheck).eq("offline_verified"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Codes::Table.into_iden(),
            Cadres::Table.into_iden(),
            Archives::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
