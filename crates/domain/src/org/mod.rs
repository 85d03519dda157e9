//! ORG-1 … ORG-8: kinds of organisation, unit categories and which combinations exist.

use crate::DomainError;

mod record;
pub use record::{NewOrg, Org, OrgEdit};

macro_rules! labelled_enum {
    ($(#[$m:meta])* $name:ident, $code:literal, $label:literal { $($variant:ident => $key:literal, $zh:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code used in the API and the database.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// The Chinese word users read.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            /// Parses either the code or the Chinese word.
            pub fn parse(s: &str) -> Result<Self, $crate::DomainError> {
                let s = s.trim();
                if s.is_empty() {
                    // An empty choice is a question not yet answered, not a bad value.
                    return Err($crate::DomainError::new($code, format!("请选择{}", $label)));
                }
                $(if s == $key || s == $zh { return Ok($name::$variant); })+
                let choices: Vec<&str> = Self::ALL.iter().map(|v| v.label()).collect();
                Err($crate::DomainError::new($code, format!("“{}”不是有效的{}，可选：{}", s, $label, choices.join("、"))))
            }
        }
    };
}
pub(crate) use labelled_enum;

labelled_enum!(
    /// 组织类型.
    OrgKind, "invalid_org_kind", "组织类型" {
        Committee => "committee", "团委",
        WorkingCommittee => "working_committee", "团工委",
        GeneralBranch => "general_branch", "团总支",
        Branch => "branch", "团支部",
    }
);

labelled_enum!(
    /// ORG-6: an org is live or (softly) deleted, with its records kept for restoring.
    OrgStatus, "invalid_org_status", "组织状态" {
        Active => "active", "正常",
        Deleted => "deleted", "已删除",
    }
);

labelled_enum!(
    /// 团支部类型 (ORG-3). Only branches carry one.
    BranchType, "invalid_branch_type", "团支部类型" {
        Regular => "regular", "普通团支部",
        Staff => "staff", "教职工团支部",
        Graduate => "graduate", "毕业生团支部",
        Floating => "floating", "流动团员团支部",
        FloatingAbroad => "floating_abroad", "出国出境学习研究流动团员团支部",
    }
);

labelled_enum!(
    /// ORG-8: provinces that run their own league systems.
    ExternalSystem, "invalid_external_system", "外部系统" {
        Beijing => "beijing", "北京",
        Guangdong => "guangdong", "广东",
        Fujian => "fujian", "福建",
    }
);

/// 单位类别 (ORG-2). The API and the database use the Chinese name itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UnitCategory(&'static str);

pub const UNIT_CATEGORIES: [&str; 17] = [
    "党政机关",
    "事业单位（不含公立学校）",
    "普通高等院校",
    "高等职业（专科）院校",
    "普通高中",
    "中等职业院校",
    "完全中学",
    "初级中学",
    "小学",
    "九年一贯制学校",
    "十二年一贯制学校",
    "国有企业",
    "集体企业",
    "非公企业",
    "社会组织",
    "城市社区",
    "农村",
];

/// Categories a 团支部 cannot have (the form's branch list leaves them out).
const NOT_FOR_BRANCHES: [&str; 3] = ["完全中学", "九年一贯制学校", "十二年一贯制学校"];

/// Categories of schools: an org of one of these is a school, and its descendants are in the
/// school domain (colleges, classes).
const SCHOOLS: [&str; 9] = [
    "普通高等院校",
    "高等职业（专科）院校",
    "普通高中",
    "中等职业院校",
    "完全中学",
    "初级中学",
    "小学",
    "九年一贯制学校",
    "十二年一贯制学校",
];

impl UnitCategory {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        // Half-width brackets are what people type; the form uses full-width ones.
        let normalised = s.trim().replace('(', "（").replace(')', "）");
        UNIT_CATEGORIES
            .iter()
            .find(|c| **c == normalised)
            .map(|c| Self(c))
            .ok_or_else(|| {
                DomainError::new(
                    "invalid_category",
                    format!(
                        "“{}”不是有效的单位类别，可选：{}",
                        s.trim(),
                        UNIT_CATEGORIES.join("、")
                    ),
                )
                .rule("ORG-2")
                .field("category")
            })
    }

    pub fn name(self) -> &'static str {
        self.0
    }

    pub fn is_school(self) -> bool {
        SCHOOLS.contains(&self.0)
    }
}

/// ORG-2: the kind × category table of the form "Sheet1".
pub fn check_kind_category(kind: OrgKind, category: UnitCategory) -> Result<(), DomainError> {
    if kind == OrgKind::Branch && NOT_FOR_BRANCHES.contains(&category.0) {
        return Err(DomainError::new(
            "kind_category_mismatch",
            format!(
                "团支部的单位类别不能是“{}”：团支部可选的单位类别不含完全中学、九年一贯制学校、十二年一贯制学校，请改选其他类别",
                category.0
            ),
        )
        .rule("ORG-2")
        .field("category"));
    }
    Ok(())
}

/// ORG-1: what may hang under what. Branches hold members and groups (团小组), never child
/// organisations.
pub fn check_child_allowed(parent_kind: OrgKind) -> Result<(), DomainError> {
    if parent_kind == OrgKind::Branch {
        return Err(DomainError::new(
            "branch_cannot_have_children",
            "团支部下不能再建立下级组织：团小组在团支部内管理，请在团委、团工委或团总支下建立组织",
        )
        .rule("ORG-1")
        .field("parent_id"));
    }
    Ok(())
}

/// ORG-3: only branches have a branch type.
pub fn check_branch_type(
    kind: OrgKind,
    branch_type: Option<BranchType>,
) -> Result<(), DomainError> {
    if kind != OrgKind::Branch && branch_type.is_some_and(|t| t != BranchType::Regular) {
        return Err(DomainError::new(
            "branch_type_for_non_branch",
            "只有团支部才有团支部类型（教职工、毕业生、流动团员等），请把组织类型选为团支部或去掉团支部类型",
        )
        .rule("ORG-3")
        .field("branch_type"));
    }
    Ok(())
}

/// Postcodes (for letters, ORG-4) are six digits.
pub fn check_postcode(postcode: &str) -> Result<(), DomainError> {
    if postcode.len() == 6 && postcode.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(
            DomainError::new("invalid_postcode", "邮政编码应为6位数字，请重新填写")
                .rule("ORG-4")
                .field("postcode"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_category_table() {
        let kinds = [
            OrgKind::Committee,
            OrgKind::WorkingCommittee,
            OrgKind::GeneralBranch,
            OrgKind::Branch,
        ];
        let mut allowed = 0;
        for kind in kinds {
            for name in UNIT_CATEGORIES {
                let category = UnitCategory::parse(name).unwrap();
                if check_kind_category(kind, category).is_ok() {
                    allowed += 1;
                }
            }
        }
        // 3 committee kinds × 17 categories + branches × 14 categories.
        assert_eq!(allowed, 3 * 17 + 14);
        let err = check_kind_category(OrgKind::Branch, UnitCategory::parse("完全中学").unwrap())
            .unwrap_err();
        assert_eq!(err.rule, Some("ORG-2"));
        assert!(check_kind_category(
            OrgKind::GeneralBranch,
            UnitCategory::parse("完全中学").unwrap()
        )
        .is_ok());
    }

    #[test]
    fn categories_parse_with_half_width_brackets_and_refuse_others() {
        assert_eq!(
            UnitCategory::parse("高等职业(专科)院校").unwrap().name(),
            "高等职业（专科）院校"
        );
        assert!(UnitCategory::parse("大学").is_err());
    }

    #[test]
    fn kinds_parse_from_code_or_chinese() {
        assert_eq!(OrgKind::parse("团总支").unwrap(), OrgKind::GeneralBranch);
        assert_eq!(
            OrgKind::parse("working_committee").unwrap(),
            OrgKind::WorkingCommittee
        );
        assert!(OrgKind::parse("party").is_err());
        assert!(check_child_allowed(OrgKind::Branch).is_err());
        assert!(check_branch_type(OrgKind::Committee, Some(BranchType::Graduate)).is_err());
        assert!(check_postcode("300072").is_ok());
        assert!(check_postcode("30007").is_err());
    }
}
