//! The org tree, members, accounts, roles, sessions and the audit log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Orgs {
    Table,
    Id,
    ParentId,
    Name,
    ShortName,
    Kind,
    Category,
    BranchType,
    CollegeId,
    ContactPerson,
    ContactPhoneEnc,
    Address,
    Postcode,
    ExternalSystem,
    ProvinceId,
    Depth,
    Path,
    DeletedAt,
    DeletedReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum OrgClosure {
    Table,
    Ancestor,
    Descendant,
    Depth,
}

#[derive(DeriveIden)]
enum Members {
    Table,
    Id,
    OrgId,
    ProvinceId,
    Name,
    ResidentIdEnc,
    ResidentIdIndex,
    Gender,
    Ethnicity,
    BirthDate,
    JoinedOn,
    DevelopmentNo,
    StudentNo,
    AdmissionMajor,
    ActualMajor,
    NativePlace,
    Education,
    PoliticalStatus,
    PhoneEnc,
    Email,
    OfflineManaged,
    OfflineNote,
    IdentityCheck,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Accounts {
    Table,
    Id,
    LoginName,
    DisplayName,
    PasswordHash,
    MemberId,
    MustChangePassword,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoleAssignments {
    Table,
    Id,
    AccountId,
    Kind,
    OrgId,
    ProvinceId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    AccountId,
    ActiveRoleId,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    AccountId,
    ActorName,
    Role,
    ActingOrgId,
    OrgId,
    ProvinceId,
    Entity,
    EntityId,
    Action,
    Before,
    After,
}

fn id<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .big_integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn timestamp<T: IntoIden>(col: T) -> ColumnDef {
    ColumnDef::new(col)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn index(name: &str, table: impl IntoIden + 'static, cols: &[&str]) -> IndexCreateStatement {
    let mut idx = Index::create().name(name).table(table).to_owned();
    for c in cols {
        idx.col(Alias::new(*c));
    }
    idx
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Orgs::Table)
                .col(id(Orgs::Id))
                .col(ColumnDef::new(Orgs::ParentId).big_integer().null())
                .col(ColumnDef::new(Orgs::Name).string_len(100).not_null())
                .col(ColumnDef::new(Orgs::ShortName).string_len(50).null())
                .col(ColumnDef::new(Orgs::Kind).string_len(32).not_null())
                .col(ColumnDef::new(Orgs::Category).string_len(32).not_null())
                .col(ColumnDef::new(Orgs::BranchType).string_len(32).null())
                .col(ColumnDef::new(Orgs::CollegeId).big_integer().null())
                .col(ColumnDef::new(Orgs::ContactPerson).string_len(50).null())
                .col(ColumnDef::new(Orgs::ContactPhoneEnc).binary().null())
                .col(ColumnDef::new(Orgs::Address).string_len(200).null())
                .col(ColumnDef::new(Orgs::Postcode).string_len(6).null())
                .col(ColumnDef::new(Orgs::ExternalSystem).string_len(32).null())
                .col(ColumnDef::new(Orgs::ProvinceId).big_integer().null())
                .col(ColumnDef::new(Orgs::Depth).integer().not_null())
                .col(ColumnDef::new(Orgs::Path).text().not_null())
                .col(
                    ColumnDef::new(Orgs::DeletedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(ColumnDef::new(Orgs::DeletedReason).string_len(200).null())
                .col(timestamp(Orgs::CreatedAt))
                .col(timestamp(Orgs::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Orgs::Table, Orgs::ParentId)
                        .to(Orgs::Table, Orgs::Id),
                )
                .to_owned(),
        )
        .await?;
        // ORG-4: the full name is unique among siblings (deleted ones included: restore them).
        m.create_index(
            index("ux_orgs_parent_name", Orgs::Table, &["parent_id", "name"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_orgs_province_name",
            Orgs::Table,
            &["province_id", "name"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(OrgClosure::Table)
                .col(
                    ColumnDef::new(OrgClosure::Ancestor)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(OrgClosure::Descendant)
                        .big_integer()
                        .not_null(),
                )
                .col(ColumnDef::new(OrgClosure::Depth).integer().not_null())
                .primary_key(
                    Index::create()
                        .col(OrgClosure::Ancestor)
                        .col(OrgClosure::Descendant),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OrgClosure::Table, OrgClosure::Ancestor)
                        .to(Orgs::Table, Orgs::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(OrgClosure::Table, OrgClosure::Descendant)
                        .to(Orgs::Table, Orgs::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_org_closure_descendant",
            OrgClosure::Table,
            &["descendant", "depth"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Members::Table)
                .col(id(Members::Id))
                .col(ColumnDef::new(Members::OrgId).big_integer().not_null())
                .col(ColumnDef::new(Members::ProvinceId).big_integer().null())
                .col(ColumnDef::new(Members::Name).string_len(50).not_null())
                .col(ColumnDef::new(Members::ResidentIdEnc).binary().not_null())
                .col(ColumnDef::new(Members::ResidentIdIndex).binary().not_null())
                .col(ColumnDef::new(Members::Gender).string_len(8).not_null())
                .col(ColumnDef::new(Members::Ethnicity).string_len(16).not_null())
                .col(ColumnDef::new(Members::BirthDate).date().not_null())
                .col(ColumnDef::new(Members::JoinedOn).string_len(7).not_null())
                .col(ColumnDef::new(Members::DevelopmentNo).string_len(12).null())
                .col(ColumnDef::new(Members::StudentNo).string_len(32).null())
                .col(
                    ColumnDef::new(Members::AdmissionMajor)
                        .string_len(100)
                        .null(),
                )
                .col(ColumnDef::new(Members::ActualMajor).string_len(100).null())
                .col(ColumnDef::new(Members::NativePlace).string_len(100).null())
                .col(ColumnDef::new(Members::Education).string_len(32).null())
                .col(
                    ColumnDef::new(Members::PoliticalStatus)
                        .string_len(32)
                        .not_null(),
                )
                .col(ColumnDef::new(Members::PhoneEnc).binary().null())
                .col(ColumnDef::new(Members::Email).string_len(254).null())
                .col(ColumnDef::new(Members::OfflineManaged).boolean().not_null())
                .col(ColumnDef::new(Members::OfflineNote).string_len(500).null())
                .col(
                    ColumnDef::new(Members::IdentityCheck)
                        .string_len(16)
                        .not_null(),
                )
                .col(ColumnDef::new(Members::Status).string_len(16).not_null())
                .col(timestamp(Members::CreatedAt))
                .col(timestamp(Members::UpdatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Members::Table, Members::OrgId)
                        .to(Orgs::Table, Orgs::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_members_resident_id",
                Members::Table,
                &["resident_id_index"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_members_development_no",
                Members::Table,
                &["development_no"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        // Subtree counts by status join the closure table to this index.
        m.create_index(index(
            "ix_members_org_status",
            Members::Table,
            &["org_id", "status"],
        ))
        .await?;
        m.create_index(index(
            "ix_members_student_no",
            Members::Table,
            &["student_no"],
        ))
        .await?;
        m.create_index(index(
            "ix_members_province_name",
            Members::Table,
            &["province_id", "name"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Accounts::Table)
                .col(id(Accounts::Id))
                .col(ColumnDef::new(Accounts::LoginName).string_len(64).null())
                .col(
                    ColumnDef::new(Accounts::DisplayName)
                        .string_len(50)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(Accounts::PasswordHash)
                        .string_len(255)
                        .null(),
                )
                .col(ColumnDef::new(Accounts::MemberId).big_integer().null())
                .col(
                    ColumnDef::new(Accounts::MustChangePassword)
                        .boolean()
                        .not_null(),
                )
                .col(timestamp(Accounts::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Accounts::Table, Accounts::MemberId)
                        .to(Members::Table, Members::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("ux_accounts_login_name", Accounts::Table, &["login_name"])
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("ux_accounts_member", Accounts::Table, &["member_id"])
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(RoleAssignments::Table)
                .col(id(RoleAssignments::Id))
                .col(
                    ColumnDef::new(RoleAssignments::AccountId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RoleAssignments::Kind)
                        .string_len(16)
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RoleAssignments::OrgId)
                        .big_integer()
                        .not_null(),
                )
                .col(
                    ColumnDef::new(RoleAssignments::ProvinceId)
                        .big_integer()
                        .null(),
                )
                .col(timestamp(RoleAssignments::CreatedAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleAssignments::Table, RoleAssignments::AccountId)
                        .to(Accounts::Table, Accounts::Id),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from(RoleAssignments::Table, RoleAssignments::OrgId)
                        .to(Orgs::Table, Orgs::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            index(
                "ux_roles_account_kind_org",
                RoleAssignments::Table,
                &["account_id", "kind", "org_id"],
            )
            .unique()
            .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_roles_org",
            RoleAssignments::Table,
            &["org_id", "kind"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(Sessions::Table)
                .col(
                    ColumnDef::new(Sessions::Id)
                        .string_len(64)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(Sessions::AccountId).big_integer().not_null())
                .col(ColumnDef::new(Sessions::ActiveRoleId).big_integer().null())
                .col(timestamp(Sessions::CreatedAt))
                .col(timestamp(Sessions::LastSeenAt))
                .foreign_key(
                    ForeignKey::create()
                        .from(Sessions::Table, Sessions::AccountId)
                        .to(Accounts::Table, Accounts::Id),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "ix_sessions_account",
            Sessions::Table,
            &["account_id"],
        ))
        .await?;

        m.create_table(
            Table::create()
                .table(AuditLog::Table)
                .col(id(AuditLog::Id))
                .col(timestamp(AuditLog::At))
                .col(ColumnDef::new(AuditLog::AccountId).big_integer().null())
                .col(
                    ColumnDef::new(AuditLog::ActorName)
                        .string_len(64)
                        .not_null(),
                )
                .col(ColumnDef::new(AuditLog::Role).string_len(32).not_null())
                .col(ColumnDef::new(AuditLog::ActingOrgId).big_integer().null())
                .col(ColumnDef::new(AuditLog::OrgId).big_integer().null())
                .col(ColumnDef::new(AuditLog::ProvinceId).big_integer().null())
                .col(ColumnDef::new(AuditLog::Entity).string_len(32).not_null())
                .col(ColumnDef::new(AuditLog::EntityId).big_integer().null())
                .col(ColumnDef::new(AuditLog::Action).string_len(32).not_null())
                .col(ColumnDef::new(AuditLog::Before).text().null())
                .col(ColumnDef::new(AuditLog::After).text().null())
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_audit_org_at", AuditLog::Table, &["org_id", "id"]))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            Sessions::Table.into_iden(),
            RoleAssignments::Table.into_iden(),
            Accounts::Table.into_iden(),
            Members::Table.into_iden(),
            OrgClosure::Table.into_iden(),
            Orgs::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
