//! SYS-1: every kind of change the audit log records, as one table — what the code writes
//! (`entity`, `action`, stored as two columns) and what an officer reads (`label`). A use case
//! names its change by variant, so nothing can be logged that the page cannot put in words.

use crate::floating::Step as FloatingStep;

macro_rules! audit_actions {
    ($($variant:ident => $entity:literal, $action:literal, $zh:literal),+ $(,)?) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum AuditAction { $($variant),+ }

        impl AuditAction {
            pub const ALL: &'static [AuditAction] = &[$(AuditAction::$variant),+];

            /// The kind of record changed (`member`, `org`, `transfer`, …), as stored.
            pub fn entity(self) -> &'static str {
                match self { $(AuditAction::$variant => $entity),+ }
            }

            /// What was done to it (`create`, `approve`, …), as stored.
            pub fn action(self) -> &'static str {
                match self { $(AuditAction::$variant => $action),+ }
            }

            /// The words an officer reads: 签发重置码, 发起转接, ….
            pub fn label(self) -> &'static str {
                match self { $(AuditAction::$variant => $zh),+ }
            }

            /// The stored pair back; `None` for a pair the code never writes.
            pub fn parse(entity: &str, action: &str) -> Option<AuditAction> {
                $(if entity == $entity && action == $action { return Some(AuditAction::$variant); })+
                None
            }
        }
    };
}

audit_actions! {
    OrgCreate => "org", "create", "新建组织",
    OrgUpdate => "org", "update", "修改组织信息",
    OrgDelete => "org", "delete", "删除组织",
    OrgRestore => "org", "restore", "恢复组织",
    OrgGraduationMark => "org", "graduation_mark", "标记团支部毕业时间",
    OrgGraduationChange => "org", "graduation_change", "更改团支部毕业时间（审批通过）",
    MemberCreate => "member", "create", "录入团员",
    MemberUpdate => "member", "update", "修改团员信息",
    MemberDelete => "member", "delete", "删除团员（审批通过）",
    MemberSetPassword => "member", "set_password", "设置团员登录密码",
    MemberIdentityCheck => "member", "identity_check", "身份核验",
    MemberIssueResetCode => "member", "issue_reset_code", "签发重置码",
    MemberUploadArchive => "member", "upload_archive", "上传电子档案",
    MemberTransfer => "member", "transfer", "组织关系转入新组织",
    MemberTransferLookup => "member", "transfer_lookup", "查询团员现所在组织",
    RoleGrantAdmin => "role", "grant_admin", "任命管理员",
    RoleRevokeAdmin => "role", "revoke_admin", "撤销管理员",
    AccountChangePassword => "account", "change_password", "修改本人密码",
    AccountResetPassword => "account", "reset_password", "凭重置码重设密码",
    AccountRegisterAdmin => "account", "register_admin", "凭注册码注册管理员",
    RegistrationCodeIssue => "registration_code", "issue", "签发注册码",
    RequestSubmit => "request", "submit", "提交申请",
    RequestApprove => "request", "approve", "审批通过申请",
    RequestReject => "request", "reject", "驳回申请",
    RequestCancel => "request", "cancel", "撤销申请",
    TransferStart => "transfer", "start", "发起转接",
    TransferApprove => "transfer", "approve", "同意转入",
    TransferReject => "transfer", "reject", "驳回转接",
    TransferCancel => "transfer", "cancel", "撤销转接",
    TransferReport => "transfer", "report", "登记外部系统报到",
    LetterIssue => "letter", "issue", "开具介绍信",
    LetterReceipt => "letter", "receipt", "登记介绍信回执",
    FileUpload => "file", "upload", "上传文件",
    ImportMembers => "import", "import", "批量导入团员",
    ReportExport => "report", "export", "导出报表",
    ContinuityCaseCreate => "continuity_case", "create", "登记学社衔接特殊情况",
    ContinuityCaseUpdate => "continuity_case", "update", "修改学社衔接特殊情况",
    DestinationCreate => "destination", "create", "登记毕业去向",
    DestinationUpdate => "destination", "update", "修改毕业去向",
    GraduationExceptionCreate => "graduation_exception", "create", "标记延迟毕业或教师",
    GraduationExceptionRevoke => "graduation_exception", "revoke", "撤销延迟毕业或教师标记",
    GrantCreate => "grant", "grant", "授予管理权限",
    GrantUpdate => "grant", "update", "修改管理权限",
    GrantRevoke => "grant", "revoke", "收回管理权限",
    CadreAdd => "cadre", "add", "登记团干部",
    CadreEnd => "cadre", "end", "团干部离任",
    CadreRemove => "cadre", "remove", "删除团干部记录",
    FloatingExtend => "floating", "extend", "延长流动团员保留期",
    FloatingContact => "floating", "contact", "登记与流动团员的联系",
    FloatingSuspend => "floating", "suspend", "停止团籍",
    FloatingRemove => "floating", "remove", "除名",
    MeetingRecord => "meeting", "record", "登记会议记录",
    MeetingEdit => "meeting", "edit", "修改会议记录",
    MeetingDelete => "meeting", "delete", "删除会议记录",
    MeetingRestore => "meeting", "restore", "恢复会议记录",
    MeetingTargetsSet => "meeting_targets", "update", "设置组织生活次数要求",
    GroupCreate => "group", "create", "新建团小组",
    GroupUpdate => "group", "update", "修改团小组",
    GroupDelete => "group", "delete", "撤销团小组",
    GroupAddMember => "group", "add_member", "团小组加入成员",
    GroupRemoveMember => "group", "remove_member", "团小组移出成员",
    GroupMoveMember => "group", "move_member", "调整团小组成员",
    TermChangeRecord => "term_change", "record", "支部委员会换届",
    ClassCommitteeUpdate => "class_committee", "update", "修改班委和班导师",
    EventPublish => "event", "publish", "发布活动",
    EventSignUp => "event", "sign_up", "报名参加活动",
    EventCancelSignup => "event", "cancel_signup", "取消活动报名",
    EventAttendance => "event", "attendance", "登记活动出席",
}

impl AuditAction {
    /// FLT-4: the step an admin confirmed on a floating member's record.
    pub fn floating(step: FloatingStep) -> AuditAction {
        match step {
            FloatingStep::Suspend => AuditAction::FloatingSuspend,
            FloatingStep::Remove => AuditAction::FloatingRemove,
        }
    }

    /// A new record or an update of it, for the writes that do either.
    pub fn create_or_update(existed: bool, create: AuditAction, update: AuditAction) -> Self {
        if existed {
            update
        } else {
            create
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::RequestStep;
    use crate::transfer::TransferStep;

    #[test]
    fn every_pair_parses_back_and_is_told_apart() {
        let mut seen = std::collections::HashSet::new();
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.entity(), a.action()), Some(*a));
            assert!(seen.insert((a.entity(), a.action())), "{a:?} twice");
            assert!(!a.label().is_ascii(), "{a:?}");
        }
    }

    #[test]
    fn every_step_of_a_state_machine_has_its_words() {
        for s in TransferStep::ALL {
            assert!(AuditAction::parse("transfer", s.key()).is_some(), "{s:?}");
        }
        for s in RequestStep::ALL {
            assert!(AuditAction::parse("request", s.key()).is_some(), "{s:?}");
        }
        for s in crate::meeting::MeetingStep::ALL {
            assert!(AuditAction::parse("meeting", s.key()).is_some(), "{s:?}");
        }
        for s in [FloatingStep::Suspend, FloatingStep::Remove] {
            assert_eq!(AuditAction::floating(s).action(), s.key());
        }
    }
}
