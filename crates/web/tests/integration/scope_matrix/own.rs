//! Routes about the caller themselves: every actor may use them, on their own account only
//! (their session decides whose; there is no id to point elsewhere). They run in their own world
//! because the last two change the actors' password and end their sessions.

use serde_json::json;

use super::run::Prepared;
use super::world::World;
use super::{everyone, Level, Need, Spec, Who};

/// In this order: the password change keeps the current session, the logout ends it.
pub const SPECS: &[Spec] = &[
    everyone("auth_me"),
    everyone("auth_switch_role"),
    everyone("auth_change_password"),
    everyone("auth_logout"),
];

matrix_test!(own_matrix, "own", SPECS, build);

pub const NEW_PASSWORD: &str = "Matrix-Pass9";

pub async fn build(w: &World<'_>, op: &str, who: Who) -> Prepared {
    let token = w.token(Level::Branch, Need::Read, who);
    match op {
        "auth_me" => Prepared::get("/api/v1/me"),
        "auth_switch_role" => {
            let me = w.server.api(token).get("/api/v1/me").await.ok(200);
            Prepared::post(
                "/api/v1/me/active-role",
                json!({"role_id": me["active_role"]["id"]}),
            )
        }
        "auth_change_password" => Prepared::post(
            "/api/v1/me/password",
            json!({"old_password": w.password(Level::Branch, who), "new_password": NEW_PASSWORD}),
        ),
        "auth_logout" => Prepared::post_empty("/api/v1/auth/logout"),
        other => panic!("own: no builder for {other}"),
    }
}
