//! Real-browser tests: headless Chromium driven through chromedriver (WebDriver) against a
//! fresh server per test. Chromium and chromedriver are required: when they are missing the
//! tests fail with a message saying what to install.

mod driver;
mod setup;

mod import;
mod journey;
mod phone;
mod reset_code;
mod screenshots;
mod transfer;

pub use driver::Browser;
