//! Real-browser tests: headless Chromium driven through chromedriver (WebDriver) against a
//! fresh server per test. Chromium and chromedriver are required: when they are missing the
//! tests fail with a message saying what to install.
//!
//! A test binary of their own, so that the HTTP integration tests can run (and be timed)
//! without a browser; the server harness and fixtures are the integration tests' own files.

#![allow(clippy::unwrap_used, clippy::expect_used)]

// Shared with the integration tests, which use all of them; this binary uses a part.
#[allow(dead_code)]
#[path = "../integration/fixtures.rs"]
mod fixtures;
#[allow(dead_code)]
#[path = "../integration/harness.rs"]
mod harness;

mod driver;
mod setup;

mod branch_life;
mod deep_link;
mod graduation;
mod import;
mod journey;
mod member_list;
mod phone;
mod reset_code;
mod screenshots;
mod transfer;
mod two_windows;

pub use driver::Browser;
