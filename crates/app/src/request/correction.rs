//! MEM-6: checking a correction's proposed values against the record.

use sea_orm::ConnectionTrait;
use serde_json::{json, Map, Value};
use tuanwu_domain::mask::mask_resident_id;
use tuanwu_domain::member::Member;
use tuanwu_domain::request::Correction;

use super::submit::bad;
use crate::member::fields;
use crate::member::view::decrypt_resident_id;
use crate::sealed::sealed;
use crate::{AppError, Context};

/// MEM-6: checks the proposed values and returns (changes to apply, masked summary rows).
pub(super) async fn correction<C: ConnectionTrait>(
    ctx: &Context,
    c: &C,
    m: &Member,
    changes: &Map<String, Value>,
) -> Result<(Correction, Vec<Value>), AppError> {
    const ALLOWED: [(&str, &str); 4] = [
        ("joined_on", "入团时间"),
        ("development_no", "发展团员编号"),
        ("name", "姓名"),
        ("resident_id", "身份证号"),
    ];
    for key in changes.keys() {
        if !ALLOWED.iter().any(|(k, _)| k == key) {
            return Err(bad(
                "field_not_correctable",
                format!("“{key}”不能通过更正申请修改：更正申请只用于入团时间、发展团员编号、姓名和身份证号，其他信息可直接编辑"),
                "MEM-6",
                "changes",
            ));
        }
    }
    let get = |k: &str| {
        changes
            .get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|v| !v.is_empty())
    };
    if get("name").is_some() && get("resident_id").is_some() {
        return Err(bad(
            "name_and_resident_id_together",
            "姓名和身份证号不能在一次更正中同时修改：请分两次申请",
            "ACC-9",
            "changes",
        ));
    }
    let old_rid = decrypt_resident_id(&ctx.cipher, m);
    let today = ctx.clock.today();
    let name = get("name").map(fields::name).transpose()?;
    let identity = fields::identity(
        get("resident_id").unwrap_or(&old_rid),
        get("joined_on").unwrap_or(&m.joined_on.to_string()),
        get("development_no").or(m.development_no.as_deref()),
        today,
    )?;
    let mut apply = Correction::default();
    let mut rows = Vec::new();
    let mut row = |field: &str, label: &str, old: String, new: String| {
        rows.push(json!({ "field": field, "label": label, "old": old, "new": new }));
    };
    if let Some(n) = name.filter(|n| n.as_str() != m.name) {
        row("name", "姓名", m.name.clone(), n.to_string());
        apply.name = Some(n.into_string());
    }
    if identity.resident_id.as_str() != old_rid {
        let index = ctx.cipher.blind_index(identity.resident_id.as_str());
        if tuanwu_store::member::by_resident_index(c, index)
            .await?
            .is_some()
        {
            return Err(bad(
                "duplicate_resident_id",
                "新的身份证号已被其他团员使用：请核对",
                "MEM-4",
                "changes",
            ));
        }
        row(
            "resident_id",
            "身份证号",
            sealed(&ctx.cipher, &mask_resident_id(&old_rid)),
            sealed(&ctx.cipher, &identity.resident_id.masked()),
        );
        apply.resident_id = Some(identity.resident_id.as_str().to_string());
    }
    if identity.joined_on != m.joined_on {
        row(
            "joined_on",
            "入团时间",
            m.joined_on.to_string(),
            identity.joined_on.to_string(),
        );
        apply.joined_on = Some(identity.joined_on.to_string());
    }
    let new_no = identity
        .development_no
        .as_ref()
        .map(|d| d.as_str().to_string());
    if new_no != m.development_no {
        if let Some(no) = &new_no {
            if tuanwu_store::member::by_development_no(c, no)
                .await?
                .is_some()
            {
                return Err(bad(
                    "duplicate_development_no",
                    format!("发展团员编号{no}已被其他团员占用"),
                    "MEM-10",
                    "changes",
                ));
            }
        }
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "无".into());
        row(
            "development_no",
            "发展团员编号",
            show(&m.development_no),
            show(&new_no),
        );
        apply.development_no = Some(new_no);
    }
    if apply.is_empty() {
        return Err(bad(
            "no_change",
            "申请的内容与现有记录相同：请填写需要更正的新值",
            "MEM-6",
            "changes",
        ));
    }
    Ok((apply, rows))
}
