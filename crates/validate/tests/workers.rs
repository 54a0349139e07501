//! A worker thread's panic fails the validation: it is re-raised, never turned into a chunk
//! with no records or a source with no quotes to find (which would let a dataset with
//! records missing, or with quotes not in their source, validate).
//!
//! Fail points (the `fail` crate, feature `failpoints`) make a worker panic at a named step.
#![cfg(feature = "failpoints")]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use diplomacy_validate::{Options, validate_dir_with};

fn curated() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../datasets/japan-eurasia-diplomacy")
}

/// Small chunks, so that every large authoring file is checked by several workers.
fn options() -> Options {
    let mut options = Options::default();
    options.chunk_size = 4096;
    options
}

/// Runs a validation of the curated dataset with `point` set to `action`.
fn validate_with(point: &str, action: &str) -> std::thread::Result<bool> {
    let scenario = fail::FailScenario::setup();
    fail::cfg(point, action).expect("fail point");
    let dir = curated();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        validate_dir_with(&dir, &options()).is_valid()
    }));
    scenario.teardown();
    outcome
}

#[test]
fn the_curated_dataset_validates_in_small_chunks() {
    assert!(matches!(validate_with("validate::none", "off"), Ok(true)));
}

#[test]
fn a_chunk_worker_that_panics_fails_the_run() {
    let outcome = validate_with("validate::chunk-worker", "1*off->panic(chunk worker)");
    assert!(
        outcome.is_err(),
        "a worker's panic must not yield a verdict: {outcome:?}"
    );
}

#[test]
fn a_quote_worker_that_panics_fails_the_run() {
    let outcome = validate_with("validate::quote-worker", "panic(quote worker)");
    assert!(
        outcome.is_err(),
        "a worker's panic must not count its quotes as found: {outcome:?}"
    );
}
