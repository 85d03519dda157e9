//! Who may do what with an event: the use cases check the same predicates the views' `actions`
//! carry.

use serde::Serialize;
use time::OffsetDateTime;
use tuanwu_domain::event::Event;
use utoipa::ToSchema;

use crate::actor::RoleKind;
use crate::grant::needs::{self, Write};
use crate::Actor;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventActions {
    /// The member may sign up now (in the audience, open, a seat left, not signed up).
    pub sign_up: bool,
    /// The member may cancel their sign-up (before the deadline).
    pub cancel: bool,
    /// The organiser may record attendance.
    pub attendance: bool,
    /// The organiser may read and export the sign-up list.
    pub export: bool,
}

/// Facts about the viewer and the event the actions depend on.
pub(crate) struct Seen {
    pub in_audience: bool,
    pub signed_up: bool,
}

impl EventActions {
    pub(crate) fn of(actor: &Actor, e: &Event, seen: &Seen, now: OffsetDateTime) -> EventActions {
        let as_member = actor.role_kind() == RoleKind::Member;
        let open = e.open_at(now);
        EventActions {
            sign_up: as_member && open && seen.in_audience && !seen.signed_up && !e.is_full(),
            cancel: as_member && open && seen.signed_up,
            attendance: !as_member && needs::allows(actor, Write::RecordAttendance),
            export: !as_member && actor.admin_root().is_ok(),
        }
    }
}

/// What the viewer may do on the events page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct EventsHere {
    /// Publish an event to an org of their subtree.
    pub publish: bool,
}

impl EventsHere {
    pub fn of(actor: &Actor) -> EventsHere {
        EventsHere {
            publish: needs::allows(actor, Write::PublishEvent),
        }
    }
}
