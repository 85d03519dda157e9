//! GRD-1 … GRD-7: graduation markings, delayed graduates, destinations, and the 学社衔接率
//! (school-to-society continuity rate) — the formula lives here, pure and property-tested.

mod record;

use crate::org::labelled_enum;
use crate::{DomainError, YearMonth};

pub use record::{
    ChangeRequest, Cohort, CohortBranch, CohortGraduate, CohortTransfer, ContinuityCase,
    DestinationRecord, Exception, NewException, TransferBrief,
};

/// GRD-1: a branch's graduation marking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraduationMark {
    /// The month its members graduate.
    On(YearMonth),
    /// 混合支部: several years in one branch; graduation unknown.
    Mixed,
}

impl GraduationMark {
    /// As stored: "2026-06" or "mixed".
    pub fn key(self) -> String {
        match self {
            GraduationMark::On(ym) => ym.to_string(),
            GraduationMark::Mixed => "mixed".into(),
        }
    }

    pub fn label(self) -> String {
        match self {
            GraduationMark::On(ym) => format!("{}年{}月毕业", ym.year(), ym.month()),
            GraduationMark::Mixed => "混合支部".into(),
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        match s.trim() {
            "mixed" | "混合支部" => Ok(GraduationMark::Mixed),
            other => other
                .parse::<YearMonth>()
                .map(GraduationMark::On)
                .map_err(|e| e.rule("GRD-1").field("year_month")),
        }
    }

    pub fn year(self) -> Option<i32> {
        match self {
            GraduationMark::On(ym) => Some(ym.year()),
            GraduationMark::Mixed => None,
        }
    }
}

labelled_enum!(
    /// GRD-5: 毕业去向.
    Destination, "invalid_destination", "毕业去向" {
        FurtherStudy => "further_study", "升学",
        Employed => "employed", "就业",
        Abroad => "abroad", "出国出境",
        Military => "military", "参军入伍",
        PreparingStudy => "preparing_study", "继续准备升学",
        PreparingJob => "preparing_job", "继续准备就业",
        Other => "other", "其他",
    }
);

labelled_enum!(
    /// GRD-3: why a member does not graduate with their branch.
    ExceptionKind, "invalid_graduation_exception", "毕业标记类型" {
        Delayed => "delayed", "延迟毕业",
        Teacher => "teacher", "教师",
    }
);

labelled_enum!(
    /// GRD-6: where one graduate stands in the continuity figure.
    ContinuityState, "invalid_continuity_list", "学社衔接状态" {
        NotStarted => "not_started", "未发起转接",
        InProgress => "in_progress", "转接办理中",
        Complete => "complete", "已完成转接",
        KeptAtSchool => "kept_at_school", "保留在学校",
    }
);

/// Where a graduate's transfer out of their graduating branch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferFact {
    None,
    /// Started, not finished (pending, or awaiting the external report).
    Active,
    /// Completed into a non-school organisation, an external system or a special unit.
    CompletedToSociety,
    /// Completed into a school org: a floating branch (留校) or another school.
    CompletedAtSchool,
}

/// The facts about one graduate that the formula reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GraduateFacts {
    /// GRD-4: delayed graduates and teachers are not counted at all.
    pub excepted: bool,
    pub destination: Option<Destination>,
    pub transfer: TransferFact,
}

/// GRD-6: `None` when the graduate is outside the figure (delayed, teacher, further study).
/// `study` lists the destinations counted as further study (升学, and by default 出国出境).
pub fn classify(g: GraduateFacts, study: &[Destination]) -> Option<ContinuityState> {
    if g.excepted || g.destination.is_some_and(|d| study.contains(&d)) {
        return None;
    }
    Some(match g.transfer {
        TransferFact::None => ContinuityState::NotStarted,
        TransferFact::Active => ContinuityState::InProgress,
        TransferFact::CompletedToSociety => ContinuityState::Complete,
        TransferFact::CompletedAtSchool => ContinuityState::KeptAtSchool,
    })
}

/// The default further-study list (GRD-6): 升学 and 出国出境.
pub const DEFAULT_STUDY: [Destination; 2] = [Destination::FurtherStudy, Destination::Abroad];

/// A 学社衔接率: numerator over denominator, with the count in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Continuity {
    pub not_started: u64,
    pub in_progress: u64,
    pub complete: u64,
    pub kept_at_school: u64,
    /// Graduates outside the figure (delayed, teachers, further study).
    pub excluded: u64,
}

impl Continuity {
    pub fn add(&mut self, state: Option<ContinuityState>) {
        match state {
            None => self.excluded += 1,
            Some(ContinuityState::NotStarted) => self.not_started += 1,
            Some(ContinuityState::InProgress) => self.in_progress += 1,
            Some(ContinuityState::Complete) => self.complete += 1,
            Some(ContinuityState::KeptAtSchool) => self.kept_at_school += 1,
        }
    }

    pub fn numerator(&self) -> u64 {
        self.complete
    }

    pub fn denominator(&self) -> u64 {
        self.not_started + self.in_progress + self.complete + self.kept_at_school
    }

    /// In [0, 1]; `None` when nobody is in the denominator.
    pub fn rate(&self) -> Option<f64> {
        match self.denominator() {
            0 => None,
            d => Some(self.numerator() as f64 / d as f64),
        }
    }
}

/// GRD-1 at a university's scale: the 年级 (year of enrolment) a class branch's name carries, as
/// in 「计算机科学与技术学院2022级计算机1班团支部」 — four digits followed by 「级」. `None` for a
/// name without one (a 混合支部, a staff branch).
pub fn grade_of(name: &str) -> Option<i32> {
    let chars: Vec<char> = name.chars().collect();
    chars.iter().enumerate().find_map(|(i, c)| {
        if *c != '级' || i < 4 {
            return None;
        }
        let digits = &chars[i - 4..i];
        let before_is_digit = i > 4 && chars[i - 5].is_ascii_digit();
        if before_is_digit || !digits.iter().all(char::is_ascii_digit) {
            return None;
        }
        digits.iter().collect::<String>().parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts() -> impl Strategy<Value = GraduateFacts> {
        let dest = prop_oneof![
            Just(None),
            (0..Destination::ALL.len()).prop_map(|i| Some(Destination::ALL[i]))
        ];
        let transfer = prop_oneof![
            Just(TransferFact::None),
            Just(TransferFact::Active),
            Just(TransferFact::CompletedToSociety),
            Just(TransferFact::CompletedAtSchool)
        ];
        (any::<bool>(), dest, transfer).prop_map(|(excepted, destination, transfer)| {
            GraduateFacts {
                excepted,
                destination,
                transfer,
            }
        })
    }

    fn tally(all: &[GraduateFacts]) -> Continuity {
        let mut c = Continuity::default();
        for g in all {
            c.add(classify(*g, &DEFAULT_STUDY));
        }
        c
    }

    proptest! {
        #[test]
        fn delayed_and_further_study_never_count(all in proptest::collection::vec(facts(), 0..60)) {
            let c = tally(&all);
            let outside = all.iter().filter(|g| g.excepted || matches!(g.destination, Some(Destination::FurtherStudy | Destination::Abroad))).count() as u64;
            prop_assert_eq!(c.excluded, outside);
            prop_assert_eq!(c.denominator() + c.excluded, all.len() as u64);
            prop_assert!(c.numerator() <= c.denominator());
        }

        #[test]
        fn only_completed_moves_to_society_are_in_the_numerator(all in proptest::collection::vec(facts(), 0..60)) {
            let c = tally(&all);
            let done = all.iter().filter(|g| !g.excepted
                && !matches!(g.destination, Some(Destination::FurtherStudy | Destination::Abroad))
                && g.transfer == TransferFact::CompletedToSociety).count() as u64;
            prop_assert_eq!(c.numerator(), done);
        }

        #[test]
        fn adding_an_excepted_graduate_changes_nothing(all in proptest::collection::vec(facts(), 0..40), extra in facts()) {
            let before = tally(&all);
            let mut more = all.clone();
            more.push(GraduateFacts { excepted: true, ..extra });
            let after = tally(&more);
            prop_assert_eq!(before.rate(), after.rate());
            prop_assert_eq!(before.denominator(), after.denominator());
        }
    }

    #[test]
    fn crafted_cases() {
        let g = |destination, transfer| GraduateFacts {
            excepted: false,
            destination,
            transfer,
        };
        // Floating (kept at school) is not complete; no transfer is denominator only.
        assert_eq!(
            classify(
                g(
                    Some(Destination::PreparingJob),
                    TransferFact::CompletedAtSchool
                ),
                &DEFAULT_STUDY
            ),
            Some(ContinuityState::KeptAtSchool)
        );
        assert_eq!(
            classify(g(None, TransferFact::None), &DEFAULT_STUDY),
            Some(ContinuityState::NotStarted)
        );
        assert_eq!(
            classify(
                g(
                    Some(Destination::FurtherStudy),
                    TransferFact::CompletedToSociety
                ),
                &DEFAULT_STUDY
            ),
            None
        );
        // 出国出境 counts as further study only while it is on the list.
        assert_eq!(
            classify(
                g(Some(Destination::Abroad), TransferFact::None),
                &[Destination::FurtherStudy]
            ),
            Some(ContinuityState::NotStarted)
        );
        let mut c = Continuity::default();
        for s in [
            Some(ContinuityState::Complete),
            Some(ContinuityState::NotStarted),
            Some(ContinuityState::KeptAtSchool),
            None,
        ] {
            c.add(s);
        }
        assert_eq!((c.numerator(), c.denominator()), (1, 3));
        assert_eq!(Continuity::default().rate(), None);
        assert_eq!(
            GraduationMark::parse("混合支部").unwrap(),
            GraduationMark::Mixed
        );
        assert_eq!(GraduationMark::parse("2026-06").unwrap().key(), "2026-06");
        assert!(GraduationMark::parse("2026-13").is_err());
    }

    #[test]
    fn grade_comes_from_the_branch_name() {
        assert_eq!(
            grade_of("计算机科学与技术学院2022级计算机1班团支部"),
            Some(2022)
        );
        assert_eq!(grade_of("2025级新生团支部"), Some(2025));
        assert_eq!(grade_of("天津市第一中学高一年级团支部"), None);
        assert_eq!(grade_of("计算机科学与技术学院教职工团支部"), None);
        assert_eq!(grade_of("12022级团支部"), None);
    }
}
