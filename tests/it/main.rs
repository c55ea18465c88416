//! attest's integration tests: one binary, a module per feature, one harness.
//!
//! One binary rather than one per file (as jj and crates.io do): the crate and its dependencies
//! are linked once instead of two dozen times, and everything a test needs to stand attest up
//! (database, keys, staff, tokens, the router, external tools) is made in one place,
//! [`harness`], so that a change there (another database engine, say) reaches the whole suite.
//!
//! All tests share one process and run on parallel threads: a test must not set environment
//! variables, change the current directory, bind fixed ports or install a process-wide tracing
//! subscriber. The tests that read everything logged run alone in a child process
//! ([`harness::logs`]).

#![expect(clippy::unwrap_used, reason = "in a test a panic is the failure message")]

mod harness;

mod api;
mod bad_input;
mod browser;
mod certificates;
mod cli;
mod console;
mod console_language;
mod contract;
mod credential;
mod db_copy;
mod delivery;
mod deploy;
mod designs;
mod exports;
mod formats;
mod forms;
mod fuzz_import;
mod import_samples;
mod imported;
mod inference;
mod instances;
mod languages;
mod layout;
mod logs;
mod mapped_columns;
mod mapped_roles;
mod names;
mod oidc;
mod pades;
mod real_exports;
mod render;
mod roles;
mod series;
mod staff_access;
mod teams_presenters;
mod vectors;
mod verify_cache;
mod web;
mod wrong_paths;
