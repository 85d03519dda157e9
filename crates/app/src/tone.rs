//! How a state reads at a glance on a page (the colour of its tag): decided here from the typed
//! state, so templates show `tone.class()` and never compare state strings.

use tuanwu_domain::archive::{ArchiveStatus, UploadState};
use tuanwu_domain::floating::{DeadlineState, FloatingStatus};
use tuanwu_domain::request::RequestStatus;
use tuanwu_domain::transfer::TransferStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tone {
    /// Settled, nothing to do.
    #[default]
    Plain,
    /// Done or in force.
    Ok,
    /// Waiting for someone.
    Warn,
    /// Past its deadline.
    Overdue,
}

impl Tone {
    /// The tag's CSS class.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Plain => "",
            Tone::Ok => "ok",
            Tone::Warn => "warn",
            Tone::Overdue => "overdue-tag",
        }
    }
}

impl From<TransferStatus> for Tone {
    fn from(s: TransferStatus) -> Tone {
        match s {
            TransferStatus::Completed => Tone::Ok,
            TransferStatus::Pending | TransferStatus::AwaitingReport => Tone::Warn,
            TransferStatus::Rejected | TransferStatus::Cancelled => Tone::Plain,
        }
    }
}

impl From<RequestStatus> for Tone {
    fn from(s: RequestStatus) -> Tone {
        match s {
            RequestStatus::Pending => Tone::Warn,
            RequestStatus::Approved | RequestStatus::Rejected | RequestStatus::Cancelled => {
                Tone::Plain
            }
        }
    }
}

impl From<FloatingStatus> for Tone {
    fn from(s: FloatingStatus) -> Tone {
        match s {
            FloatingStatus::Active => Tone::Ok,
            FloatingStatus::Pending | FloatingStatus::Suspended => Tone::Warn,
            FloatingStatus::Removed | FloatingStatus::Left | FloatingStatus::Cancelled => {
                Tone::Plain
            }
        }
    }
}

impl From<DeadlineState> for Tone {
    fn from(s: DeadlineState) -> Tone {
        match s {
            DeadlineState::Ok => Tone::Ok,
            DeadlineState::Approaching => Tone::Warn,
            DeadlineState::Overdue => Tone::Overdue,
        }
    }
}

impl From<ArchiveStatus> for Tone {
    fn from(s: ArchiveStatus) -> Tone {
        match s {
            ArchiveStatus::Approved => Tone::Ok,
            ArchiveStatus::Missing | ArchiveStatus::Pending | ArchiveStatus::Rejected => Tone::Warn,
        }
    }
}

impl From<UploadState> for Tone {
    fn from(s: UploadState) -> Tone {
        match s {
            // The one in force reads as ok; an approved one replaced since reads plain.
            UploadState::Approved => Tone::Ok,
            UploadState::Pending | UploadState::Rejected => Tone::Warn,
            UploadState::Superseded | UploadState::Withdrawn => Tone::Plain,
        }
    }
}
