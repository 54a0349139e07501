//! Typed records for datasets of diplomacy: visits, meetings, recognitions and diplomatic
//! relations, and disputes with their events, each backed by verbatim evidence from its
//! sources.
//!
//! The crate serves two kinds of user:
//!
//! - **readers of a release**: [`Dataset::read_release`] reads a published release directory
//!   into typed records in one call, from the format you choose ([`Format::Csv`] always,
//!   `Format::Parquet` with the `parquet` feature); a missing directory, a directory that
//!   is not a release, or a missing table is an [`Error`]. [`Dataset::get`] (or
//!   [`Dataset::visit`], [`Dataset::country`], ...) looks a record up by id;
//! - **builders of a dataset**: the same types ([`Visit`], [`Meeting`], [`Recognition`],
//!   [`Dispute`], [`DisputeEvent`], [`Country`], [`Person`], [`Source`]) deserialize from the
//!   TOML authoring files, and [`Dataset::write_csv_dir`] publishes them.
//!
//! Dates are [`PartialDate`]s, known to the day, month or year, or as an interval, exactly as
//! precisely as the sources state them. Ids ([`Id`]) and country codes ([`CountryCode`]) are
//! checked newtypes, and every controlled vocabulary is an enum ([`VisitLevel`],
//! [`MeetingKind`], ...).
//!
//! ```
//! use diplomacy_model::{PartialDate, DatePrecision, VisitsFile};
//!
//! let file: VisitsFile = toml::from_str(r#"
//!     [[visits]]
//!     id = "1999-04-jpn-aze-foreign-minister-visit"
//!     date = "1999-04"
//!     guest_country = "JPN"
//!     host_country = "AZE"
//!     guest_office = "Foreign Minister"
//!     level = "foreign_minister"
//!     summary = "The Japanese Foreign Minister visited Azerbaijan."
//!
//!     [[visits.evidence]]
//!     source = "aze-library"
//!     quote = "The Japanese Foreign Minister visited Azerbaijan in April 1999."
//! "#)?;
//! let visit = &file.visits[0];
//! assert_eq!(visit.guest_person, None); // the source names no one
//! assert_eq!(visit.date, "1999-04".parse::<PartialDate>()?);
//! assert_eq!(visit.date.precision(), DatePrecision::Month);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crate features
//!
//! - `schema`: derives JSON Schema (schemars) for every record and authoring file.
//! - `arrow`: converts every table to and from Arrow `RecordBatch`es.
//! - `parquet`: reads and writes every table as Parquet (implies `arrow`).
//!
//! The default features pull in serde, serde_json (to read a release's `datapackage.json`),
//! chrono, csv, thiserror and `diplomacy-derive` (the `#[derive(Table)]` macro, built on the
//! syn and quote that serde's derive builds anyway) only.
//!
//! # Reading a release
//!
//! ```no_run
//! use diplomacy_model::{Dataset, Format};
//!
//! let data = Dataset::read_release("dist/japan-eurasia-diplomacy-0.1.0", Format::Csv)?;
//! let visit = data.visit("1999-04-jpn-aze-foreign-minister-visit").expect("a visit");
//! let code = visit.host_country.expect("the source names the host");
//! let host = data.country(code.as_str()).expect("its host country");
//! println!("{}: {} ({} quotes)", visit.date, host.name, visit.evidence.len());
//! # Ok::<(), diplomacy_model::Error>(())
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

// `#[derive(Table)]` names this crate `::diplomacy_model`, here as in any other crate.
extern crate self as diplomacy_model;

pub mod anchor;
#[cfg(feature = "arrow")]
pub mod arrow;
pub mod csv;
mod dataset;
mod date;
mod error;
mod events;
mod files;
mod id;
pub mod ledger;
#[cfg(feature = "parquet")]
pub mod parquet;
mod record;
mod redirect;
mod registry;
mod release;
#[cfg(feature = "schema")]
pub mod schema;
pub mod table;
mod visit;
mod vocab;

pub use dataset::{AUTHORING_FILES, Dataset, DatasetTable, FactRecord};
pub use date::{DateCertainty, DateError, DatePrecision, DateSpan, PartialDate};
/// Derives [`Table`](trait@Table) for a record struct: see [`table`] for how.
pub use diplomacy_derive::Table;
pub use error::{BoxError, Error};
pub use events::{EventRow, TemporalCoverage};
pub use files::{CHECKSUMS_FILE, ReleaseFiles, VerifiedFile, sha256_hex, sha256_hex_reader};
pub use id::{CountryCode, Id, IdError, Participant, Subject};
// Every record type; a table's record struct is re-exported with no list to edit.
pub use record::*;
pub use redirect::{Redirect, ResolveError, Resolved};
// The registry's items, the authoring files' types among them.
pub use registry::*;
pub use release::Format;
pub use table::Table;
pub use visit::TableVisitor;
pub use vocab::{
    AgreementKind, DateKind, DisputeEventKind, DisputeKind, DisputeStatus, EvidenceRole,
    ExcuseReason, InferenceBasis, MeetingKind, Occurrences, OrganizationKind, RecognitionKind,
    Requirement, Segmentation, SentenceStatus, SourceKind, StatementKind, VisitLevel, Vocabulary,
    VocabularyError,
};
