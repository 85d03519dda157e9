//! ACC-10: an org's cadres (团干部), members holding a post from a start date until an end date.
//! Committee-level orgs keep their own list; admins above may keep it for them (ACC-2);
//! delegated admins only with the `cadres` permission (ACC-4).
//!
//! The table is read and written only through `tuanwu_store::cadre` (typed `Cadre` records,
//! reads scoped); the dates and posts are checked by `tuanwu_domain::cadre`, and `rules`
//! decides what a viewer may do for the use cases and the `actions` each view carries.

pub mod read;
pub mod rules;
pub mod view;
pub mod write;

pub use read::{candidates, here, list};
pub use rules::{CadreActions, CadresHere};
pub use tuanwu_domain::cadre::parse_date;
pub use view::CadreView;
pub use write::{add, end, remove, AddCadreInput, EndCadreInput};
