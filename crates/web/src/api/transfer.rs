//! TRF-1 … TRF-13: transfers, the lost-member lookup and transfer letters (the special-unit sheet
//! is one of the org reports).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use tuanwu_app::request::RejectInput;
use tuanwu_app::transfer::letter::{self, IssueLetterInput, LetterView, ReceiptInput};
use tuanwu_app::transfer::lookup::{self, LookupView};
use tuanwu_app::transfer::{
    self as uc, ApproveInput, ExternalReportInput, ListTransfersQuery, StartTransferInput,
    TransferView,
};
use tuanwu_app::Context;
use tuanwu_domain::{MemberId, TransferId};
use utoipa::IntoParams;

use super::ListView;
use crate::error::{bad_request, ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, Auth, ClientAddr};

/// A JSON body that may be left out entirely (then every field takes its default).
fn optional_body<T: DeserializeOwned + Default>(body: &Bytes) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| bad_request("invalid_json", format!("请求内容不是有效的 JSON：{e}")))
}

/// Start a transfer (TRF-1): as the member, the source side (`member_id`) or the target side
/// (`name` + `resident_id`). 409 `transfer_in_progress` names who started the active one.
#[utoipa::path(post, path = "/api/v1/transfers", tag = "transfers", request_body = StartTransferInput,
    responses((status = 201, body = TransferView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<StartTransferInput>,
) -> Result<(StatusCode, Json<TransferView>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(uc::start(&ctx, &actor, input).await?),
    ))
}

/// Progress (TRF-8): every transfer touching the viewer's scope.
#[utoipa::path(get, path = "/api/v1/transfers", tag = "transfers", params(ListTransfersQuery),
    responses((status = 200, body = ListView<TransferView>), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiQuery(q): ApiQuery<ListTransfersQuery>,
) -> Result<Json<ListView<TransferView>>, ApiError> {
    let (items, total) = uc::list(&ctx, &actor, q).await?;
    Ok(Json(ListView::new(items, total)))
}

#[utoipa::path(get, path = "/api/v1/transfers/{id}", tag = "transfers", params(("id" = i64, Path)),
    responses((status = 200, body = TransferView), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<TransferId>,
) -> Result<Json<TransferView>, ApiError> {
    Ok(Json(uc::get(&ctx, &actor, id).await?))
}

/// A member's transfer history with initiators (TRF-2).
#[utoipa::path(get, path = "/api/v1/members/{id}/transfers", tag = "transfers", params(("id" = i64, Path)),
    responses((status = 200, body = ListView<TransferView>), (status = 404, body = ErrorBody)))]
pub async fn for_member(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ListView<TransferView>>, ApiError> {
    Ok(Json(ListView::all(
        uc::for_member(&ctx, &actor, MemberId(id)).await?,
    )))
}

/// Approve (TRF-4): the member moves at once; a non-branch target names the branch.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/approve", tag = "transfers", params(("id" = i64, Path)), request_body = ApproveInput,
    responses((status = 200, body = TransferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn approve(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<TransferId>,
    body: Bytes,
) -> Result<Json<TransferView>, ApiError> {
    let input: ApproveInput = optional_body(&body)?;
    Ok(Json(uc::approve(&ctx, &actor, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/transfers/{id}/reject", tag = "transfers", params(("id" = i64, Path)), request_body = RejectInput,
    responses((status = 200, body = TransferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn reject(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<TransferId>,
    ApiJson(input): ApiJson<RejectInput>,
) -> Result<Json<TransferView>, ApiError> {
    Ok(Json(uc::reject(&ctx, &actor, id, &input.reason).await?))
}

/// Withdraw (撤销申请): the initiator or the member, while active.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/cancel", tag = "transfers", params(("id" = i64, Path)),
    responses((status = 200, body = TransferView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<TransferId>,
) -> Result<Json<TransferView>, ApiError> {
    Ok(Json(uc::cancel(&ctx, &actor, id).await?))
}

/// TRF-9: the member reported to 北京/广东/福建; the proof completes the transfer.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/external-report", tag = "transfers", params(("id" = i64, Path)), request_body = ExternalReportInput,
    responses((status = 200, body = TransferView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn external_report(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<TransferId>,
    ApiJson(input): ApiJson<ExternalReportInput>,
) -> Result<Json<TransferView>, ApiError> {
    Ok(Json(uc::external_report(&ctx, &actor, id, input).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LookupQuery {
    pub name: String,
    pub resident_id: String,
}

/// TRF-10: the member's current org and its admin contact, and nothing else.
#[utoipa::path(get, path = "/api/v1/transfer-lookup", tag = "transfers", params(LookupQuery),
    responses((status = 200, body = LookupView), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn lookup(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ClientAddr(addr): ClientAddr,
    ApiQuery(q): ApiQuery<LookupQuery>,
) -> Result<Json<LookupView>, ApiError> {
    Ok(Json(
        lookup::lookup(&ctx, &actor, &q.name, &q.resident_id, &addr).await?,
    ))
}

/// TRF-13: issue the transfer letter; answers with its number.
#[utoipa::path(post, path = "/api/v1/transfers/{id}/letter", tag = "transfers", params(("id" = i64, Path)), request_body = IssueLetterInput,
    responses((status = 201, body = LetterView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue_letter(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    body: Bytes,
) -> Result<(StatusCode, Json<LetterView>), ApiError> {
    let input: IssueLetterInput = optional_body(&body)?;
    Ok((
        StatusCode::CREATED,
        Json(letter::issue(&ctx, &actor, id, input).await?),
    ))
}

#[utoipa::path(get, path = "/api/v1/letters/{id}", tag = "transfers", params(("id" = i64, Path)),
    responses((status = 200, body = LetterView), (status = 404, body = ErrorBody)))]
pub async fn get_letter(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LetterView>, ApiError> {
    Ok(Json(letter::get(&ctx, &actor, id).await?))
}

/// The 回执 came back.
#[utoipa::path(post, path = "/api/v1/letters/{id}/receipt", tag = "transfers", params(("id" = i64, Path)), request_body = ReceiptInput,
    responses((status = 200, body = LetterView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn receipt(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReceiptInput>,
) -> Result<Json<LetterView>, ApiError> {
    Ok(Json(letter::record_receipt(&ctx, &actor, id, input).await?))
}

/// FLT-2: decide many transfers at once (the school's review of floating-branch requests);
/// each is decided on its own and reported.
#[utoipa::path(post, path = "/api/v1/transfers/batch-decide", tag = "transfers", request_body = tuanwu_app::transfer::batch::BatchDecideInput,
    responses((status = 200, body = tuanwu_app::transfer::batch::BatchDecideView), (status = 422, body = ErrorBody)))]
pub async fn batch_decide(
    State(ctx): State<Context>,
    Auth(actor): Auth,
    ApiJson(input): ApiJson<tuanwu_app::transfer::batch::BatchDecideInput>,
) -> Result<Json<tuanwu_app::transfer::batch::BatchDecideView>, ApiError> {
    Ok(Json(
        tuanwu_app::transfer::batch::batch_decide(&ctx, &actor, input).await?,
    ))
}
