//! MTG-1, MTG-2: meeting records with their attendees (names kept), attachments, history, and
//! the per-org quarterly targets.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Meetings {
    Table,
    Id,
    OrgId,
    Kind,
    StartedAt,
    Place,
    Topic,
    Content,
    Presenter,
    Recorder,
    Speaker,
    Invitees,
    /// 团小组会: the group. No foreign key: groups are built beside this, and the check that
    /// the group belongs to the branch is made where they meet.
    GroupId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum MeetingAttendees {
    Table,
    MeetingId,
    MemberId,
    /// The name at the time, so a member who later left still shows on the record.
    Name,
    Present,
    AbsenceReason,
}

#[derive(DeriveIden)]
enum MeetingFiles {
    Table,
    MeetingId,
    FileId,
}

#[derive(DeriveIden)]
enum MeetingEvents {
    Table,
    Id,
    MeetingId,
    At,
    AccountId,
    ActorName,
    Action,
    Note,
}

#[derive(DeriveIden)]
enum MeetingTargets {
    Table,
    OrgId,
    Kind,
    PerQuarter,
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
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(table);
    for c in cols {
        i.col(Alias::new(*c));
    }
    m.create_index(i.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Meetings::Table)
                .col(id(Meetings::Id))
                .col(big(Meetings::OrgId))
                .col(text(Meetings::Kind, 16))
                .col(at(Meetings::StartedAt))
                .col(text(Meetings::Place, 200))
                .col(text(Meetings::Topic, 200))
                .col(ColumnDef::new(Meetings::Content).text().not_null())
                .col(text_null(Meetings::Presenter, 100))
                .col(text_null(Meetings::Recorder, 100))
                .col(text_null(Meetings::Speaker, 100))
                .col(text_null(Meetings::Invitees, 500))
                .col(big_null(Meetings::GroupId))
                .col(big(Meetings::CreatedBy))
                .col(at(Meetings::CreatedAt))
                .col(at(Meetings::UpdatedAt))
                .col(at_null(Meetings::DeletedAt))
                .to_owned(),
        )
        .await?;
        // The register and the compliance count read a branch's meetings by date.
        index(
            m,
            "ix_meetings_org_started",
            Meetings::Table,
            &["org_id", "started_at"],
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MeetingAttendees::Table)
                .col(big(MeetingAttendees::MeetingId))
                .col(big(MeetingAttendees::MemberId))
                .col(text(MeetingAttendees::Name, 100))
                .col(
                    ColumnDef::new(MeetingAttendees::Present)
                        .boolean()
                        .not_null(),
                )
                .col(text_null(MeetingAttendees::AbsenceReason, 200))
                .primary_key(
                    Index::create()
                        .col(MeetingAttendees::MeetingId)
                        .col(MeetingAttendees::MemberId),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MeetingFiles::Table)
                .col(big(MeetingFiles::MeetingId))
                .col(big(MeetingFiles::FileId))
                .primary_key(
                    Index::create()
                        .col(MeetingFiles::MeetingId)
                        .col(MeetingFiles::FileId),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MeetingEvents::Table)
                .col(id(MeetingEvents::Id))
                .col(big(MeetingEvents::MeetingId))
                .col(at(MeetingEvents::At))
                .col(big_null(MeetingEvents::AccountId))
                .col(text(MeetingEvents::ActorName, 100))
                .col(text(MeetingEvents::Action, 32))
                .col(text_null(MeetingEvents::Note, 500))
                .to_owned(),
        )
        .await?;
        index(
            m,
            "ix_meeting_events_meeting",
            MeetingEvents::Table,
            &["meeting_id"],
        )
        .await?;
        m.create_table(
            Table::create()
                .table(MeetingTargets::Table)
                .col(big(MeetingTargets::OrgId))
                .col(text(MeetingTargets::Kind, 16))
                .col(
                    ColumnDef::new(MeetingTargets::PerQuarter)
                        .integer()
                        .not_null(),
                )
                .primary_key(
                    Index::create()
                        .col(MeetingTargets::OrgId)
                        .col(MeetingTargets::Kind),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            Meetings::Table.into_iden(),
            MeetingAttendees::Table.into_iden(),
            MeetingFiles::Table.into_iden(),
            MeetingEvents::Table.into_iden(),
            MeetingTargets::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(t).to_owned()).await?;
        }
        Ok(())
    }
}
