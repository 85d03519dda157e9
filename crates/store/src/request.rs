//! SYS-3: the requests table and its file links, typed. Reads that an actor makes take their
//! `Scope`; a stored kind or state the domain does not know is an error, never a default. The
//! proposed change is encrypted (it may hold a resident ID) and read only where it is used.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Set,
};
use serde_json::Value;
use tuanwu_domain::file::StoredFile;
use tuanwu_domain::request::{
    Decision, NewRequest, Request, RequestChanges, RequestKind, RequestStatus,
};
use tuanwu_domain::{AccountId, DomainError, FileId, MemberId, OrgId, RequestId};

use crate::crypto::Cipher;
use crate::entity::{file, request, request_file};
use crate::queries::{in_subtree, Page};
use crate::scope::Scope;

use request::Column as R;

fn unknown(column: &str, message: impl std::fmt::Display) -> DbErr {
    DbErr::Type(format!("requests.{column}: {message}"))
}

fn record(m: request::Model) -> Result<Request, DbErr> {
    let kind = |e: DomainError| unknown("kind", e.message);
    Ok(Request {
        id: RequestId(m.id),
        kind: RequestKind::parse(&m.kind).map_err(kind)?,
        status: RequestStatus::parse(&m.status).map_err(|e| unknown("status", e.message))?,
        member: m.member_id.map(MemberId),
        org: OrgId(m.org_id),
        province: m.province_id.map(OrgId),
        requester_account: m.requester_account_id.map(AccountId),
        requester_org: OrgId(m.requester_org_id),
        decider_org: OrgId(m.decider_org_id),
        summary: serde_json::from_str(&m.summary).map_err(|e| unknown("summary", e))?,
        reason: m.reason,
        decision_reason: m.decision_reason,
        created_at: m.created_at,
        decided_at: m.decided_at,
        decided_by: m.decided_by.map(AccountId),
    })
}

fn records(rows: Vec<request::Model>) -> Result<Vec<Request>, DbErr> {
    rows.into_iter().map(record).collect()
}

/// SYS-3: an admin sees the requests about records in the subtree and those the subtree
/// decides. A member acting as member sees none through the scope (see `find_own`).
fn visible(root: OrgId) -> Condition {
    Condition::any()
        .add(in_subtree(R::OrgId, root.0))
        .add(in_subtree(R::DeciderOrgId, root.0))
}

/// A request the scope may see; anything else is `None`, like a missing one.
pub async fn find<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    id: RequestId,
) -> Result<Option<Request>, DbErr> {
    let Some(root) = scope.root() else {
        return Ok(None);
    };
    request::Entity::find_by_id(id.0)
        .filter(visible(root))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// A request the account itself submitted, whatever its scope now. Safe without a `Scope`: it
/// matches only the requester's own.
pub async fn find_own<C: ConnectionTrait>(
    c: &C,
    account: AccountId,
    id: RequestId,
) -> Result<Option<Request>, DbErr> {
    request::Entity::find_by_id(id.0)
        .filter(R::RequesterAccountId.eq(account.0))
        .one(c)
        .await?
        .map(record)
        .transpose()
}

/// Which side of the list the viewer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Requests about records in the subtree.
    Requester,
    /// Requests the subtree decides (its own level or one below).
    Decider,
    /// Requests the account submitted.
    Mine(AccountId),
}

/// The filters of the request list, already parsed into the domain's types.
#[derive(Debug, Clone)]
pub struct Filter {
    pub side: Side,
    pub status: Option<RequestStatus>,
    pub kind: Option<RequestKind>,
    /// Part of the summary (it holds the member's name, and no clear personal numbers).
    pub text: Option<String>,
}

fn filtered(root: OrgId, f: &Filter) -> Select<request::Entity> {
    let mut q = request::Entity::find().filter(match f.side {
        Side::Requester => in_subtree(R::OrgId, root.0),
        Side::Decider => in_subtree(R::DeciderOrgId, root.0),
        Side::Mine(account) => R::RequesterAccountId.eq(account.0),
    });
    if let Some(s) = f.status {
        q = q.filter(R::Status.eq(s.key()));
    }
    if let Some(k) = f.kind {
        q = q.filter(R::Kind.eq(k.key()));
    }
    if let Some(text) = &f.text {
        q = q.filter(R::Summary.contains(text));
    }
    q
}

/// One page of the requests the scope may see on the chosen side, newest first, and how many
/// match. A member acting as member lists none.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    scope: Scope,
    filter: &Filter,
    page: Page,
) -> Result<(Vec<Request>, u64), DbErr> {
    let Some(root) = scope.root() else {
        return Ok((Vec::new(), 0));
    };
    let q = filtered(root, filter);
    let total = q.clone().count(c).await?;
    let rows = q
        .order_by_desc(R::Id)
        .offset(page.offset())
        .limit(page.per_page)
        .all(c)
        .await?;
    Ok((records(rows)?, total))
}

/// SYS-2: pending requests the scope's own org decides (not the levels below, whose admins
/// handle theirs), oldest first.
pub async fn waiting_for<C: ConnectionTrait>(c: &C, scope: Scope) -> Result<Vec<Request>, DbErr> {
    let Some(root) = scope.root() else {
        return Ok(Vec::new());
    };
    records(
        request::Entity::find()
            .filter(R::DeciderOrgId.eq(root.0))
            .filter(R::Status.eq(RequestStatus::Pending.key()))
            .order_by_asc(R::Id)
            .limit(500)
            .all(c)
            .await?,
    )
}

/// SYS-3: one pending request of a kind per member. The caller has checked the member is in
/// scope; the check is about every request on the record, whoever asked.
pub async fn pending_exists<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    kind: RequestKind,
) -> Result<bool, DbErr> {
    Ok(request::Entity::find()
        .filter(R::MemberId.eq(member.0))
        .filter(R::Kind.eq(kind.key()))
        .filter(R::Status.eq(RequestStatus::Pending.key()))
        .count(c)
        .await?
        > 0)
}

/// The pending request of `kind` about a member, if any (SYS-3 allows one). The caller has
/// read the member through its scope.
pub async fn pending_of<C: ConnectionTrait>(
    c: &C,
    member: MemberId,
    kind: RequestKind,
) -> Result<Option<RequestId>, DbErr> {
    Ok(request::Entity::find()
        .filter(R::MemberId.eq(member.0))
        .filter(R::Kind.eq(kind.key()))
        .filter(R::Status.eq(RequestStatus::Pending.key()))
        .order_by_asc(R::Id)
        .one(c)
        .await?
        .map(|r| RequestId(r.id)))
}

/// Every pending request of `kind`, each with its change. Unscoped on purpose: MEM-4's
/// self-registration comes from a person with no account yet, and a resident ID must not wait
/// for approval twice whatever branch holds the first request; the caller answers only with
/// the name of the org that decides it.
pub async fn pending_with_changes<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    kind: RequestKind,
) -> Result<Vec<(Request, RequestChanges)>, DbErr> {
    let rows = request::Entity::find()
        .filter(R::Kind.eq(kind.key()))
        .filter(R::Status.eq(RequestStatus::Pending.key()))
        .all(c)
        .await?;
    rows.into_iter()
        .map(|m| {
            let changes = open(cipher, m.id, kind, &m.changes_enc)?;
            Ok((record(m)?, changes))
        })
        .collect()
}

/// DAT-2 / GRD-2 report rows: the requests of `kind` in `statuses` about records in the
/// subtree of `root`, oldest first, each with its change. The caller has checked `root` is in
/// the exporter's scope.
pub async fn reported<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    root: OrgId,
    kind: RequestKind,
    statuses: &[RequestStatus],
) -> Result<Vec<(Request, RequestChanges)>, DbErr> {
    let rows = request::Entity::find()
        .filter(in_subtree(R::OrgId, root.0))
        .filter(R::Kind.eq(kind.key()))
        .filter(R::Status.is_in(statuses.iter().map(|s| s.key())))
        .order_by_asc(R::Id)
        .all(c)
        .await?;
    rows.into_iter()
        .map(|m| {
            let changes = open(cipher, m.id, kind, &m.changes_enc)?;
            Ok((record(m)?, changes))
        })
        .collect()
}

fn open(
    cipher: &Cipher,
    id: i64,
    kind: RequestKind,
    sealed: &[u8],
) -> Result<RequestChanges, DbErr> {
    let text = cipher
        .decrypt(sealed)
        .ok_or_else(|| unknown("changes_enc", format_args!("request {id} unreadable")))?;
    let content: Value = serde_json::from_str(&text).map_err(|e| unknown("changes_enc", e))?;
    RequestChanges::from_content(kind, content).map_err(|e| unknown("changes_enc", e))
}

/// What the request proposes. The caller has already read the request through its scope.
pub async fn changes<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    r: &Request,
) -> Result<RequestChanges, DbErr> {
    let m = request::Entity::find_by_id(r.id.0)
        .one(c)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("request {}", r.id)))?;
    open(cipher, m.id, r.kind, &m.changes_enc)
}

/// Writes a new pending request with its encrypted change.
pub async fn insert<C: ConnectionTrait>(
    c: &C,
    cipher: &Cipher,
    r: NewRequest,
) -> Result<Request, DbErr> {
    let content = Value::Object(r.changes.content()).to_string();
    let row = request::ActiveModel {
        kind: Set(r.changes.kind().key().into()),
        status: Set(RequestStatus::Pending.key().into()),
        member_id: Set(r.member.map(|m| m.0)),
        org_id: Set(r.org.0),
        province_id: Set(r.province.map(|p| p.0)),
        requester_account_id: Set(r.requester_account.map(|a| a.0)),
        requester_org_id: Set(r.requester_org.0),
        decider_org_id: Set(r.decider_org.0),
        changes_enc: Set(cipher.encrypt(&content)),
        summary: Set(r.summary.to_string()),
        reason: Set(r.reason),
        created_at: Set(r.created_at),
        ..Default::default()
    }
    .insert(c)
    .await?;
    record(row)
}

/// Moves `from` → `to` only if the request is still `from`: false when another decision won
/// the race. A decision (not a withdrawal) records who decided, when, and why.
pub async fn transition<C: ConnectionTrait>(
    c: &C,
    id: RequestId,
    from: RequestStatus,
    to: RequestStatus,
    decision: Option<Decision>,
) -> Result<bool, DbErr> {
    let mut q = request::Entity::update_many()
        .col_expr(R::Status, Expr::value(to.key()))
        .filter(R::Id.eq(id.0))
        .filter(R::Status.eq(from.key()));
    if let Some(d) = decision {
        q = q
            .col_expr(R::DecidedAt, Expr::value(d.at))
            .col_expr(R::DecidedBy, Expr::value(d.by.0))
            .col_expr(R::DecisionReason, Expr::value(d.reason));
    }
    Ok(q.exec(c).await?.rows_affected == 1)
}

/// Links the evidence files (already checked to be the requester's own uploads).
pub async fn attach<C: ConnectionTrait>(
    c: &C,
    id: RequestId,
    files: &[FileId],
) -> Result<(), DbErr> {
    if files.is_empty() {
        return Ok(());
    }
    request_file::Entity::insert_many(files.iter().map(|f| request_file::ActiveModel {
        request_id: Set(id.0),
        file_id: Set(f.0),
    }))
    .exec(c)
    .await?;
    Ok(())
}

/// The files attached to a request, in upload order. The caller has already read the request
/// through its scope.
pub async fn files_of<C: ConnectionTrait>(c: &C, id: RequestId) -> Result<Vec<StoredFile>, DbErr> {
    let links = request_file::Entity::find()
        .filter(request_file::Column::RequestId.eq(id.0))
        .all(c)
        .await?;
    let rows = file::Entity::find()
        .filter(file::Column::Id.is_in(links.iter().map(|l| l.file_id)))
        .order_by_asc(file::Column::Id)
        .all(c)
        .await?;
    rows.into_iter().map(crate::file::record).collect()
}

/// The requests a file is attached to (whoever may see one of them may read the file). Safe
/// without a `Scope`: the caller reads each through the viewer's scope before answering.
pub async fn linked_to<C: ConnectionTrait>(c: &C, f: FileId) -> Result<Vec<Request>, DbErr> {
    let links = request_file::Entity::find()
        .filter(request_file::Column::FileId.eq(f.0))
        .all(c)
        .await?;
    records(
        request::Entity::find()
            .filter(R::Id.is_in(links.iter().map(|l| l.request_id)))
            .order_by_asc(R::Id)
            .all(c)
            .await?,
    )
}
