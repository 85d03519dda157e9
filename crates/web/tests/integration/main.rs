//! HTTP integration tests: each test starts its own server on port 0 with a fresh database
//! (SQLite in a temp dir; PostgreSQL when `TUANWU_TEST_DATABASE_URL` is set) and talks to it
//! the way a client does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;
mod harness;

mod account_pages;
mod accounts;
mod archives;
mod audit;
mod auth;
mod cadre_actions;
mod cadres;
mod code_pages;
mod committee;
mod conflicts;
mod connections;
mod continuity;
mod demo;
mod demo_members;
mod errors;
mod events;
mod files;
mod floating;
mod floating_actions;
mod floating_pages;
mod graduation;
mod graduation_actions;
mod graduation_filters;
mod grants;
mod groups;
mod identity;
mod import_limits;
mod import_report;
mod imports;
mod letters;
mod login_guard;
mod meeting_actions;
mod meetings;
mod member_accounts;
mod member_contact;
mod member_edit_page;
mod member_list;
mod member_versions;
mod members;
mod openapi;
mod org_versions;
mod orgs;
mod page;
mod pages;
mod privacy;
mod readable;
mod readable_branch_life;
mod request_actions;
mod requests;
mod scope;
mod scope_matrix;
mod script_policy;
mod scrub;
mod transfer_actions;
mod transfer_pages;
mod transfers;
mod web_basics;
mod workbench;
