//! Validation of diplomacy datasets.
