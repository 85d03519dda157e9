//! GRP-1, MTG-3, EVT-1, EVT-2: a branch's groups (团小组) and who was in them when, its
//! committee (支委会) posts and term changes (换届), its class committee (班委, 班导师), and the
//! events orgs publish with their sign-ups.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    BranchId,
    Name,
    LeaderId,
    DeletedAt,
    CreatedAt,
}

/// One stay of a member in a group: the history the old system lost by dissolving groups (Q41).
#[derive(DeriveIden)]
enum GroupMemberships {
    Table,
    Id,
    GroupId,
    BranchId,
    MemberId,
    FromOn,
    ToOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum CommitteePosts {
    Table,
    Id,
    BranchId,
    Post,
    MemberId,
    TermChangeId,
    StartedOn,
    EndedOn,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TermChanges {
    Table,
    Id,
    BranchId,
    CommitteeMeetingId,
    AssemblyId,
    HeldOn,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ClassPosts {
    Table,
    Id,
    BranchId,
    Post,
    /// A member of the branch; absent for a 班导师 from outside the roster.
    MemberId,
    PersonName,
    Advisor,
    Position,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    OrgId,
    Title,
    StartsAt,
    Place,
    Capacity,
    /// Seats taken: the conditional update on it is what lets exactly one of two sign-ups for
    /// the last seat through, on both databases.
    Taken,
    SignupDeadline,
    Audience,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum EventSignups {
    Table,
    Id,
    EventId,
    MemberId,
    SignedUpAt,
    Attended,
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

fn at<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn day<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).date().not_null().to_owned()
}

fn day_null<T: IntoIden>(c: T) -> ColumnDef {
    ColumnDef::new(c).date().null().to_owned()
}

async fn index<T: IntoIden + 'static, C: IntoIden + 'static>(
    m: &SchemaManager<'_>,
    name: &str,
    table: T,
    cols: Vec<C>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(c);
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
                .table(Groups::Table)
                .col(id(Groups::Id))
                .col(big(Groups::BranchId))
                .col(text(Groups::Name, 32))
                .col(big_null(Groups::LeaderId))
                .col(
                    ColumnDef::new(Groups::DeletedAt)
                        .timestamp_with_time_zone()
                        .null(),
                )
                .col(at(Groups::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_groups_branch",
            Groups::Table,
            vec![Groups::BranchId],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GroupMemberships::Table)
                .col(id(GroupMemberships::Id))
                .col(big(GroupMemberships::GroupId))
                .col(big(GroupMemberships::BranchId))
                .col(big(GroupMemberships::MemberId))
                .col(day(GroupMemberships::FromOn))
                .col(day_null(GroupMemberships::ToOn))
                .col(at(GroupMemberships::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_group_memberships_group",
            GroupMemberships::Table,
            vec![GroupMemberships::GroupId],
            false,
        )
        .await?;
        // GRP-1: a member is in at most one group at a time, whatever two writers attempt.
        m.get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_group_memberships_open \
                 ON group_memberships (member_id) WHERE to_on IS NULL",
            )
            .await?;

        m.create_table(
            Table::create()
                .table(TermChanges::Table)
                .col(id(TermChanges::Id))
                .col(big(TermChanges::BranchId))
                .col(big(TermChanges::CommitteeMeetingId))
                .col(big(TermChanges::AssemblyId))
                .col(day(TermChanges::HeldOn))
                .col(big(TermChanges::CreatedBy))
                .col(at(TermChanges::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_term_changes_branch",
            TermChanges::Table,
            vec![TermChanges::BranchId],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(CommitteePosts::Table)
                .col(id(CommitteePosts::Id))
                .col(big(CommitteePosts::BranchId))
                .col(text(CommitteePosts::Post, 32))
                .col(big(CommitteePosts::MemberId))
                .col(big_null(CommitteePosts::TermChangeId))
                .col(day(CommitteePosts::StartedOn))
                .col(day_null(CommitteePosts::EndedOn))
                .col(at(CommitteePosts::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_committee_posts_branch",
            CommitteePosts::Table,
            vec![CommitteePosts::BranchId],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(ClassPosts::Table)
                .col(id(ClassPosts::Id))
                .col(big(ClassPosts::BranchId))
                .col(text(ClassPosts::Post, 32))
                .col(big_null(ClassPosts::MemberId))
                .col(text(ClassPosts::PersonName, 64))
                .col(ColumnDef::new(ClassPosts::Advisor).boolean().not_null())
                .col(ColumnDef::new(ClassPosts::Position).integer().not_null())
                .col(at(ClassPosts::UpdatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_class_posts_branch",
            ClassPosts::Table,
            vec![ClassPosts::BranchId],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Events::Table)
                .col(id(Events::Id))
                .col(big(Events::OrgId))
                .col(text(Events::Title, 100))
                .col(at(Events::StartsAt))
                .col(text(Events::Place, 100))
                .col(ColumnDef::new(Events::Capacity).integer().null())
                .col(ColumnDef::new(Events::Taken).integer().not_null())
                .col(at(Events::SignupDeadline))
                .col(text(Events::Audience, 16))
                .col(big(Events::CreatedBy))
                .col(at(Events::CreatedAt))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_events_org",
            Events::Table,
            vec![Events::OrgId],
            false,
        )
        .await?;

        m.create_table(
            Table::create()
                .table(EventSignups::Table)
                .col(id(EventSignups::Id))
                .col(big(EventSignups::EventId))
                .col(big(EventSignups::MemberId))
                .col(at(EventSignups::SignedUpAt))
                .col(ColumnDef::new(EventSignups::Attended).boolean().null())
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ux_event_signups",
            EventSignups::Table,
            vec![EventSignups::EventId, EventSignups::MemberId],
            true,
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            EventSignups::Table.into_iden(),
            Events::Table.into_iden(),
            ClassPosts::Table.into_iden(),
            CommitteePosts::Table.into_iden(),
            TermChanges::Table.into_iden(),
            GroupMemberships::Table.into_iden(),
            Groups::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
