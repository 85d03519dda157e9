//! Accounts, roles and sessions (ACC-1, ACC-3, ACC-7).

pub mod cache;
pub mod code;
pub mod login;
pub mod me;
pub mod of_member;
pub mod password;
pub mod rate_limit;
pub mod register;
pub mod reset;
pub mod roles;
pub mod session;

pub use login::{login, logout, LoginInput, LoginView};
pub use me::{change_password, me, switch_role, ChangePasswordInput, MeView, SwitchRoleInput};
pub use roles::{AccountView, RoleView};
pub use session::authenticate;
