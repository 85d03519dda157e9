//! MEM-1: the fields of a member record, each valid by construction, and the record itself.

mod contact;
mod record;

use crate::org::labelled_enum;
use crate::{DomainError, YearMonth};

pub use contact::{parse_phone, Email, PersonName, Phone};
pub use record::{Member, MemberChanges, MemberStatus, NewMember};

labelled_enum!(
    /// 性别, derived from the resident ID's sequence digit.
    Gender, "invalid_gender", "性别" {
        Male => "male", "男",
        Female => "female", "女",
    }
);

labelled_enum!(
    /// 政治面貌.
    PoliticalStatus, "invalid_political_status", "政治面貌" {
        Masses => "masses", "群众",
        LeagueMember => "league_member", "共青团员",
        ProbationaryPartyMember => "probationary_party_member", "中共预备党员",
        PartyMember => "party_member", "中共党员",
    }
);

const ETHNICITIES: [&str; 56] = [
    "汉",
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
];

/// 民族: one of the 56 recognised ethnic groups, stored with its 族 suffix ("汉族"); also
/// 穿青人 and 其他 as the household register allows, and 外国血统中国籍人士.
pub fn parse_ethnicity(s: &str) -> Result<String, DomainError> {
    let v = s.trim();
    let base = v.strip_suffix('族').unwrap_or(v);
    if ETHNICITIES.contains(&base) {
        return Ok(format!("{base}族"));
    }
    if ["穿青人", "其他", "外国血统中国籍人士"].contains(&v) {
        return Ok(v.to_string());
    }
    Err(DomainError::new(
        "invalid_ethnicity",
        format!("“{v}”不是有效的民族名称：请按户口本填写，例如“汉族”“蒙古族”"),
    )
    .rule("MEM-1")
    .field("ethnicity"))
}

pub const EDUCATION_LEVELS: [&str; 11] = [
    "研究生（博士）",
    "研究生（硕士）",
    "大学本科",
    "大学专科",
    "中等专科",
    "职业高中",
    "技工学校",
    "普通高中",
    "初中",
    "小学",
    "其他",
];

/// 文化程度: the highest level completed (Q45: a direct-PhD student without a master's degree
/// is 大学本科 until they have one).
pub fn parse_education(s: &str) -> Result<String, DomainError> {
    let v = s.trim().replace('(', "（").replace(')', "）");
    if EDUCATION_LEVELS.contains(&v.as_str()) {
        return Ok(v);
    }
    Err(DomainError::new(
        "invalid_education",
        format!(
            "“{}”不是有效的文化程度，可选：{}（填写已取得的最高学历）",
            s.trim(),
            EDUCATION_LEVELS.join("、")
        ),
    )
    .rule("MEM-1")
    .field("education"))
}

/// 发展团员编号: twelve digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DevelopmentNo(String);

/// From this month on every new member has a development number (MEM-1).
pub const DEVELOPMENT_NO_FROM: (i32, u8) = (2017, 1);

impl DevelopmentNo {
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let v = s.trim();
        if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(v.to_string()))
        } else {
            Err(DomainError::new(
                "invalid_development_no",
                format!("发展团员编号应为12位数字，“{v}”不符合：请对照入团志愿书填写"),
            )
            .rule("MEM-1")
            .field("development_no"))
        }
    }

    /// MEM-1: required for those who joined on or after 2017-01; "无" (or blank) before.
    pub fn for_join_date(
        input: Option<&str>,
        joined_on: YearMonth,
    ) -> Result<Option<Self>, DomainError> {
        let given = input.map(str::trim).filter(|v| !v.is_empty() && *v != "无");
        let required = (joined_on.year(), joined_on.month()) >= DEVELOPMENT_NO_FROM;
        match given {
            Some(v) => Self::parse(v).map(Some),
            None if required => Err(DomainError::new(
                "development_no_required",
                format!(
                    "{joined_on}入团的团员必须填写12位发展团员编号（2017年1月1日起入团的团员均有编号）：请对照入团志愿书填写"
                ),
            )
            .rule("MEM-1")
            .field("development_no")),
            None => Ok(None),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 学号 / 工号: letters, digits and dashes.
pub fn parse_student_no(s: &str) -> Result<Option<String>, DomainError> {
    let v = s.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.len() <= 32 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        Ok(Some(v.to_string()))
    } else {
        Err(DomainError::new(
            "invalid_student_no",
            "学号只能由字母、数字和短横线组成，且不超过32位：请重新填写",
        )
        .field("student_no"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ethnicity_accepts_with_or_without_suffix() {
        assert_eq!(parse_ethnicity("汉").unwrap(), "汉族");
        assert_eq!(parse_ethnicity("蒙古族").unwrap(), "蒙古族");
        assert!(parse_ethnicity("火星族").is_err());
    }

    #[test]
    fn development_no_required_from_2017() {
        let before: YearMonth = "2016-12".parse().unwrap();
        let after: YearMonth = "2017-01".parse().unwrap();
        assert_eq!(
            DevelopmentNo::for_join_date(Some("无"), before).unwrap(),
            None
        );
        assert_eq!(DevelopmentNo::for_join_date(None, before).unwrap(), None);
        let err = DevelopmentNo::for_join_date(Some("无"), after).unwrap_err();
        assert_eq!(err.code, "development_no_required");
        assert!(DevelopmentNo::for_join_date(Some("12345678901"), after).is_err());
        assert!(DevelopmentNo::for_join_date(Some("123456789012"), after)
            .unwrap()
            .is_some());
    }

    #[test]
    fn student_numbers() {
        assert!(parse_student_no("2023-0101").unwrap().is_some());
        assert!(parse_student_no("学号").is_err());
    }
}
