//! ACC-4, ACC-5, ACC-6, ACC-8: delegated permissions, one-time codes and identity checks.

use crate::org::labelled_enum;

mod record;
pub use record::{
    Account, Code, NewAccount, NewCode, NewRole, Role, RoleKind, RoleName, RolePlace, Session,
};

labelled_enum!(
    /// ACC-8: where a record's name + resident ID stand.
    IdentityCheck, "invalid_identity_check", "身份核验状态" {
        Pending => "pending", "待核验",
        Verified => "verified", "已认证",
        VerifiedOffline => "verified_offline", "线下通过",
        Failed => "failed", "未通过",
    }
);

impl IdentityCheck {
    /// 已认证 and 线下通过 both count as verified (ACC-8).
    pub fn is_verified(self) -> bool {
        matches!(
            self,
            IdentityCheck::Verified | IdentityCheck::VerifiedOffline
        )
    }
}

labelled_enum!(
    /// ACC-4: what a college admin may delegate to a member's account. Organisation structure,
    /// admins, registration codes and further grants are never delegated.
    Permission, "invalid_permission", "授权权限" {
        Members => "members", "录入和维护团员信息",
        Requests => "requests", "审批申请",
        Archives => "archives", "上传和审核电子档案",
        Identity => "identity", "身份线下核验",
        Cadres => "cadres", "维护团干部名单",
        ResetCodes => "reset_codes", "发放重置密码验证码",
    }
);

labelled_enum!(
    /// ACC-5 / ACC-6: a code admits an admin to one org, or resets one person's password; never
    /// both.
    CodePurpose, "invalid_code_purpose", "验证码用途" {
        Registration => "registration", "管理员注册码",
        Reset => "reset", "重置密码验证码",
    }
);

/// Crockford's base32: digits and capitals without I, L, O, U, so a code read from a screen or
/// aloud is typed back right.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Formats the first 130 of the given random bits as 26 symbols in groups of four
/// (`ABCD-EFGH-…-XY`, ≥ 128 bits of entropy). The caller supplies the randomness: this stays pure.
pub fn format_code(random: [u8; 17]) -> String {
    let mut out = String::with_capacity(32);
    for i in 0..26 {
        let bit = i * 5;
        let pair =
            u16::from(random[bit / 8]) << 8 | u16::from(*random.get(bit / 8 + 1).unwrap_or(&0));
        let symbol = (pair >> (11 - bit % 8)) & 31;
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[usize::from(symbol)]));
    }
    out
}

/// What a person typed, made comparable: spaces, dashes and full-width forms from an input
/// method removed, letters read in either case (Crockford's base32 has one case, so a
/// lowercase copy typed on a phone is the same code and costs no strength), and the letters
/// Crockford reads as digits (O → 0, I and L → 1) mapped.
pub fn normalize_code(input: &str) -> String {
    input
        .chars()
        .map(crate::text::half_width)
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .map(|c| c.to_ascii_uppercase())
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_typable_and_distinct() {
        let a = format_code([0; 17]);
        let b = format_code([255; 17]);
        let c = format_code([7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        assert_eq!(a.len(), 26 + 6);
        assert_ne!(a, b);
        assert_ne!(b, c);
        assert!(c
            .chars()
            .all(|ch| ch == '-' || ALPHABET.contains(&(ch as u8))));
        assert!(!c.contains(['O', 'I', 'L', 'U']));
        assert_eq!(normalize_code("AB0O-1IL"), "AB00111");
        assert_eq!(normalize_code(&format!(" {c} ")), c.replace('-', ""));
        assert_eq!(normalize_code(&c.to_lowercase()), normalize_code(&c));
        assert_eq!(normalize_code("ab0o-1il"), "AB00111");
    }

    #[test]
    fn identity_statuses_count_as_verified() {
        assert!(IdentityCheck::parse("线下通过").unwrap().is_verified());
        assert!(IdentityCheck::parse("verified").unwrap().is_verified());
        assert!(!IdentityCheck::Failed.is_verified());
        assert!(Permission::parse("root").is_err());
    }
}
