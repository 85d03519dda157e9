//! What a request proposes, one shape per kind. Stored as the kind column plus the encrypted
//! JSON of the variant's content; the serde tags (`kind`, `changes`) are the API's own names,
//! so the stored JSON is exactly what it was when it was an untyped object.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use super::{DeletionReason, RequestKind};
use crate::graduation::GraduationMark;
use crate::{MemberId, OrgId};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "changes", rename_all = "snake_case")]
pub enum RequestChanges {
    MemberCorrection(Correction),
    MemberDeletion(Deletion),
    DevelopmentNoConflict(NumberClaim),
    MemberRegistration(Registration),
    ArchiveReview(ArchiveReview),
    GraduationChange(GraduationChange),
}

/// MEM-6: the checked new values; a field not being corrected is absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resident_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined_on: Option<String>,
    /// `Some(None)` removes the number (stored as `null`, which is not the same as absent).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    pub development_no: Option<Option<String>>,
}

impl Correction {
    /// ACC-9: a changed identity must be verified again.
    pub fn changes_identity(&self) -> bool {
        self.name.is_some() || self.resident_id.is_some()
    }

    pub fn is_empty(&self) -> bool {
        *self == Correction::default()
    }
}

/// A field that is present, even as `null`, is `Some`.
fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// MEM-7: the reason, and the full resident ID for the 删除团员台账 (the record goes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deletion {
    pub deletion_reason: DeletionReason,
    pub resident_id: String,
}

/// MEM-10: the number the claimant was entered with, and who held it then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NumberClaim {
    pub development_no: String,
    pub holder_member_id: MemberId,
}

/// MEM-4: the registration form's MEM-1 fields (the member area checks them again on
/// approval) and the hash of the password the person chose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Registration {
    pub member: Value,
    pub password_hash: String,
}

/// ARC-2: the uploaded archive under review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveReview {
    pub archive_id: i64,
}

/// GRD-2: the branch and its correct marking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraduationChange {
    pub org_id: OrgId,
    #[serde(serialize_with = "mark_key", deserialize_with = "mark_parse")]
    pub graduation: GraduationMark,
}

fn mark_key<S: Serializer>(m: &GraduationMark, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&m.key())
}

fn mark_parse<'de, D: Deserializer<'de>>(d: D) -> Result<GraduationMark, D::Error> {
    let key = String::deserialize(d)?;
    GraduationMark::parse(&key).map_err(|e| serde::de::Error::custom(e.message))
}

impl RequestChanges {
    pub fn kind(&self) -> RequestKind {
        match self {
            RequestChanges::MemberCorrection(_) => RequestKind::MemberCorrection,
            RequestChanges::MemberDeletion(_) => RequestKind::MemberDeletion,
            RequestChanges::DevelopmentNoConflict(_) => RequestKind::DevelopmentNoConflict,
            RequestChanges::MemberRegistration(_) => RequestKind::MemberRegistration,
            RequestChanges::ArchiveReview(_) => RequestKind::ArchiveReview,
            RequestChanges::GraduationChange(_) => RequestKind::GraduationChange,
        }
    }

    /// The content alone, as stored beside the kind column.
    pub fn content(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut tagged)) => match tagged.remove("changes") {
                Some(Value::Object(content)) => content,
                _ => Map::new(),
            },
            _ => Map::new(),
        }
    }

    /// Reads stored content back under its kind; content that does not fit the kind is an error.
    pub fn from_content(kind: RequestKind, content: Value) -> Result<Self, serde_json::Error> {
        let mut tagged = Map::new();
        tagged.insert("kind".into(), Value::String(kind.key().into()));
        tagged.insert("changes".into(), content);
        serde_json::from_value(Value::Object(tagged))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip(kind: RequestKind, stored: Value) -> RequestChanges {
        let c = RequestChanges::from_content(kind, stored.clone()).unwrap();
        assert_eq!(c.kind(), kind);
        assert_eq!(Value::Object(c.content()), stored, "stored JSON unchanged");
        c
    }

    #[test]
    fn each_kind_keeps_its_stored_json() {
        let c = round_trip(
            RequestKind::MemberCorrection,
            json!({ "joined_on": "2019-06", "development_no": null }),
        );
        let RequestChanges::MemberCorrection(c) = c else {
            panic!("correction")
        };
        assert_eq!(c.development_no, Some(None));
        assert!(!c.changes_identity());
        round_trip(
            RequestKind::MemberDeletion,
            json!({ "deletion_reason": "death", "resident_id": "110101200001011234" }),
        );
        round_trip(
            RequestKind::DevelopmentNoConflict,
            json!({ "development_no": "A1", "holder_member_id": 7 }),
        );
        round_trip(
            RequestKind::MemberRegistration,
            json!({ "member": { "name": "张三" }, "password_hash": "h" }),
        );
        round_trip(RequestKind::ArchiveReview, json!({ "archive_id": 3 }));
        round_trip(
            RequestKind::GraduationChange,
            json!({ "org_id": 5, "graduation": "2027-06" }),
        );
        round_trip(
            RequestKind::GraduationChange,
            json!({ "org_id": 5, "graduation": "mixed" }),
        );
    }

    #[test]
    fn content_of_another_kind_is_refused() {
        assert!(
            RequestChanges::from_content(RequestKind::ArchiveReview, json!({ "org_id": 1 }))
                .is_err()
        );
        assert!(RequestChanges::from_content(
            RequestKind::MemberDeletion,
            json!({ "deletion_reason": "unknown", "resident_id": "x" })
        )
        .is_err());
    }
}
