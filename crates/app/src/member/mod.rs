//! Member records (MEM-1 … MEM-4, MEM-8) and members' passwords (Q29).

pub mod create;
pub mod export;
pub mod fields;
pub mod import;
pub mod password;
pub mod read;
pub mod register;
pub mod update;
pub mod view;

pub use create::{create, CreateMemberInput};
pub use password::{set_password, SetPasswordInput};
pub use read::{get, list, search, ListQuery};
pub use update::{update, UpdateMemberInput};
pub use view::{MemberActions, MemberSummary, MemberView};
