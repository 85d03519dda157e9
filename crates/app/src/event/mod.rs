//! EVT-2: events and trainings an org publishes to its subtree. Members in the audience sign up
//! and cancel in the member role until the deadline; a full event refuses naming its capacity,
//! and of two sign-ups for the last seat exactly one succeeds (`store::event::take_seat`); the
//! organiser records attendance and exports the list.
//!
//! The tables are read and written only through `tuanwu_store::event`; members through
//! `crate::roster`; `rules` decides the `actions` each view carries.

pub mod export;
pub mod publish;
pub mod read;
pub mod rules;
pub mod signup;

pub use export::signup_sheet;
pub use publish::{publish, record_attendance, AttendanceInput, PublishInput};
pub use read::{list, signups, EventView, SignupView, SignupsView};
pub use rules::{EventActions, EventsHere};
pub use signup::{cancel, sign_up};
