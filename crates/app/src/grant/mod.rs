//! ACC-4: a college admin gives a member's account college-level admin rights for chosen
//! permissions (e.g. 团校学生校长). A grant is an admin role row carrying its permissions; it is
//! listed, revocable and audited. Grants are never delegated further.
//!
//! The table is read and written only through `tuanwu_store::grant` (typed `Grant` records,
//! reads scoped); `needs` is the one table of what every delegable write needs, and `rules`
//! decides what a viewer may do for the use cases and the `actions` each view carries.

pub mod make;
pub mod needs;
pub mod read;
pub mod revoke;
pub mod rules;
pub mod view;

pub use make::{grant, GrantInput};
pub use read::{candidates, here, list};
pub use revoke::revoke;
pub use rules::{parse_permissions, GrantActions, GrantsHere};
pub use view::{Candidate, GrantView, PermissionView};
