//! What the record form holds, kept after an error: the typed values, the ticked roster, the
//! absence reasons and the attachments (kept, newly uploaded, ticked for removal).

use std::collections::HashMap;

use super::*;

/// An attachment the form lists: already on the record, or uploaded by a submission that was
/// refused (kept so the secretary does not take the photo again).
#[derive(Debug, Clone)]
pub struct Attached {
    pub id: i64,
    pub name: String,
}

#[derive(Default)]
pub struct MeetingForm {
    pub values: HashMap<String, String>,
    /// Ticked member ids.
    pub present: Vec<i64>,
    /// Absence reasons by member id.
    pub reasons: HashMap<i64, String>,
    pub attached: Vec<Attached>,
    /// Attachments ticked 删除 (ids of `attached`).
    pub removed: Vec<i64>,
}

impl MeetingForm {
    pub fn of(pairs: Vec<(String, String)>) -> Self {
        let mut f = MeetingForm::default();
        let mut names: HashMap<i64, String> = HashMap::new();
        let mut ids: Vec<i64> = Vec::new();
        for (k, v) in pairs {
            let id = v.trim().parse::<i64>().ok();
            match k.as_str() {
                "present" => f.present.extend(id),
                "file_id" => ids.extend(id),
                "remove_file" => f.removed.extend(id),
                _ => {
                    if let Some(id) = k.strip_prefix("reason_").and_then(|s| s.parse().ok()) {
                        f.reasons.insert(id, v);
                    } else if let Some(id) =
                        k.strip_prefix("file_name_").and_then(|s| s.parse().ok())
                    {
                        names.insert(id, v);
                    } else {
                        f.values.insert(k, v);
                    }
                }
            }
        }
        for id in ids {
            let name = names.remove(&id).unwrap_or_else(|| format!("附件{id}"));
            f.attach(id, name);
        }
        f
    }

    pub fn attach(&mut self, id: i64, name: String) {
        if !self.attached.iter().any(|a| a.id == id) {
            self.attached.push(Attached { id, name });
        }
    }

    pub fn value(&self, k: &str) -> &str {
        self.values.get(k).map(String::as_str).unwrap_or_default()
    }

    pub fn ticked(&self, id: &i64) -> bool {
        self.present.contains(id)
    }

    pub fn reason(&self, id: &i64) -> &str {
        self.reasons.get(id).map(String::as_str).unwrap_or_default()
    }

    pub fn is_removed(&self, id: &i64) -> bool {
        self.removed.contains(id)
    }

    fn opt(&self, k: &str) -> Option<String> {
        Some(self.value(k).to_string())
    }

    /// The attachments the record keeps: listed and not ticked for removal.
    pub fn file_ids(&self) -> Vec<i64> {
        self.attached
            .iter()
            .map(|a| a.id)
            .filter(|id| !self.is_removed(id))
            .collect()
    }

    /// Unticked members with a reason are absent; unticked without one are not listed (a
    /// 支部大会 then refuses, naming them).
    fn absentees(&self, roster: &[RosterEntry]) -> Vec<AbsenteeInput> {
        roster
            .iter()
            .filter(|r| !self.ticked(&r.member_id))
            .filter(|r| !self.reason(&r.member_id).trim().is_empty())
            .map(|r| AbsenteeInput {
                member_id: r.member_id,
                reason: Some(self.reason(&r.member_id).to_string()),
            })
            .collect()
    }

    pub fn input(&self, roster: &[RosterEntry]) -> MeetingInput {
        MeetingInput {
            kind: self.value("kind").into(),
            started_at: self.value("started_at").into(),
            place: self.value("place").into(),
            topic: self.value("topic").into(),
            content: self.value("content").into(),
            presenter: self.opt("presenter"),
            recorder: self.opt("recorder"),
            speaker: self.opt("speaker"),
            invitees: self.opt("invitees"),
            attendee_ids: self.present.clone(),
            absentees: self.absentees(roster),
            group_id: self.value("group_id").trim().parse().ok(),
            file_ids: Some(self.file_ids()),
        }
    }
}
