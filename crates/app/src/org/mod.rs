//! The organisation tree (ORG-1 … ORG-8) and its administrators (ACC-1, ACC-2).

pub mod admins;
pub mod create;
pub mod delete;
pub mod read;
pub mod update;
pub mod view;

pub use admins::{add_admin, list_admins, remove_admin, AddAdminInput, AdminView};
pub use create::{create, CreateOrgInput};
pub use delete::{delete, restore, DeleteOrgInput};
pub use read::{breadcrumbs, children, directory, get, overview, search, Overview};
pub use update::{update, UpdateOrgInput};
pub use view::{DirectoryView, OrgView};
