//! Every table's derived definition: its column list is well formed, and any record written as
//! a row (CSV; Arrow and Parquet with their features) reads back as the same record.

use diplomacy_model::table::ColumnType;
use diplomacy_model::{
    Country, CountryCode, Dispute, DisputeEvent, DisputeEventKind, DisputeKind, DisputeStatus,
    EventRow, EvidenceRole, EvidenceRow, Id, InferenceBasis, InferenceRow, Meeting, MeetingKind,
    Occurrences, Organization, OrganizationKind, PartialDate, Participant, Person, Recognition,
    RecognitionKind, Segmentation, Source, SourceKind, Statement, StatementKind, Subject, Table,
    TableName, Visit, VisitLevel, Vocabulary,
};
use proptest::prelude::*;
use proptest::sample::select;

fn well_formed<T: Table>() {
    let cols = T::columns();
    assert_eq!(cols[0].name, "id", "{}", T::NAME);
    assert_eq!(cols[0].ty, ColumnType::Id, "{}", T::NAME);
    assert!(!cols[0].nullable, "{}", T::NAME);
    let mut names: Vec<&str> = cols.iter().map(|c| c.name.as_ref()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cols.len(), "duplicate column in {}", T::NAME);
    for c in cols {
        assert!(!c.description.is_empty(), "{}.{}", T::NAME, c.name);
        assert!(
            !c.description.contains('\n'),
            "{}.{}: a description is one line",
            T::NAME,
            c.name
        );
        assert!(
            !matches!(c.ty, ColumnType::List) || !c.nullable,
            "{}.{}: lists are never null, only empty",
            T::NAME,
            c.name
        );
        if let Some(fk) = c.references {
            assert_eq!(fk.column, "id");
        }
    }
}

#[test]
fn column_lists_are_well_formed() {
    well_formed::<Country>();
    well_formed::<Person>();
    well_formed::<Source>();
    well_formed::<Visit>();
    well_formed::<Meeting>();
    well_formed::<Recognition>();
    well_formed::<Dispute>();
    well_formed::<DisputeEvent>();
    well_formed::<Statement>();
    well_formed::<Organization>();
    well_formed::<diplomacy_model::MeetingParticipant>();
    well_formed::<EvidenceRow>();
    well_formed::<EventRow>();
    well_formed::<InferenceRow>();
}

#[test]
fn columns_follow_the_field_types_and_attributes() {
    let col = |name: &str| {
        Visit::columns()
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    // A partial date spans its derived columns, right after it.
    let names: Vec<&str> = Visit::columns().iter().map(|c| c.name.as_ref()).collect();
    assert_eq!(
        &names[..5],
        ["id", "date", "date_min", "date_max", "date_precision"]
    );
    // The doc comment is the description; `evidence` is no column.
    assert_eq!(
        col("guest_office").description,
        "The visitor's office as the source states it."
    );
    assert!(!names.contains(&"evidence"));
    // Option<Id> with `references` is a nullable foreign key; CountryCode refers to countries.
    let guest = col("guest_person");
    assert!(guest.nullable);
    assert_eq!(guest.references.map(|fk| fk.table), Some(TableName::People));
    assert_eq!(
        col("host_country").references.map(|fk| fk.table),
        Some(TableName::Countries)
    );
    assert_eq!(col("level").ty, ColumnType::Vocabulary(VisitLevel::NAMES));
    // The key is an id column whatever its Rust type.
    assert_eq!(Country::columns()[0].ty, ColumnType::Id);
    assert_eq!(Country::columns()[0].references, None);
}

fn id() -> impl Strategy<Value = Id> {
    "[a-z0-9]{1,6}(-[a-z0-9]{1,6}){0,2}".prop_map(|s| Id::new(s).expect("a slug"))
}

fn country() -> impl Strategy<Value = CountryCode> {
    "[A-Z]{3}".prop_map(|s| CountryCode::new(&s).expect("three capitals"))
}

/// Text as a CSV cell can hold it: not empty (empty is null), no `;` in list items.
fn text() -> impl Strategy<Value = String> {
    "[^;\\p{C}]{1,16}(\n[^;\\p{C}]{1,8})?"
}

fn date() -> impl Strategy<Value = PartialDate> {
    let point = prop_oneof![
        (1..=2100i32).prop_map(|y| format!("{y:04}")),
        (1..=2100i32, 1..=12u32).prop_map(|(y, m)| format!("{y:04}-{m:02}")),
        (1..=2100i32, 1..=12u32, 1..=28u32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
    ];
    (point.clone(), proptest::option::of(point)).prop_filter_map("a real date", |(a, b)| {
        match b {
            Some(b) => format!("{a}/{b}"),
            None => a,
        }
        .parse()
        .ok()
    })
}

fn participant() -> impl Strategy<Value = Participant> {
    prop_oneof![
        id().prop_map(Participant::Named),
        (country(), "[A-Za-z][A-Za-z ]{0,12}[a-z]")
            .prop_map(|(c, office)| format!("{c}:{office}").parse().expect("an office")),
    ]
}

fn vocab<V: Vocabulary + std::fmt::Debug>() -> impl Strategy<Value = V> {
    select(V::ALL)
}

fn opt<T: std::fmt::Debug>(s: impl Strategy<Value = T>) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}

prop_compose! {
    fn countries()(id in country(), name in text(),
        other_names in proptest::collection::vec(text(), 0..3), iso2 in opt("[A-Z]{2}"),
        cow_code in opt(any::<u16>()), gw_code in opt(any::<u16>()),
        wikidata in opt("Q[1-9][0-9]{0,5}"), notes in opt(text())) -> Country {
        Country { id, name, other_names, iso2, cow_code, gw_code, wikidata, notes }
    }
}

prop_compose! {
    fn people()(id in id(), name in text(), family_name in opt(text()), given_name in opt(text()),
        other_names in proptest::collection::vec(text(), 0..3),
        country in country(), notes in opt(text())) -> Person {
        Person { id, name, family_name, given_name, other_names, country, notes }
    }
}

prop_compose! {
    fn sources()(id in id(), title in text(), publisher in text(), published in date(),
        url in opt("https://[a-z]{1,8}\\.org/[a-z0-9]{0,8}"), file in text(), sha256 in "[0-9a-f]{64}",
        rights in text(), language in opt("[a-z]{2}"), notes in opt(text()),
        segment in select(Segmentation::ALL), kind in opt(select(SourceKind::ALL)),
        archived in opt(date())) -> Source {
        // The excuses are no column: a release's `source_sentences` table says what they cover.
        Source { id, title, publisher, published, url, file, sha256, rights, language, notes, kind, archived, segment, excused: Vec::new() }
    }
}

prop_compose! {
    fn visits()(id in id(), date in date(), guest_country in country(), host_country in opt(country()),
        guest_person in opt(id()), guest_office in text(), level in vocab::<VisitLevel>(),
        summary in text(), notes in opt(text()), occurrences in opt(vocab::<Occurrences>())) -> Visit {
        Visit { id, date, guest_country, host_country, guest_person, guest_office, level,
            summary, notes, occurrences, inferred: Vec::new(), evidence: Vec::new() }
    }
}

prop_compose! {
    fn meetings()(id in id(), date in date(), location_country in opt(country()),
        location in opt(text()), participants in proptest::collection::vec(participant(), 0..4),
        kind in vocab::<MeetingKind>(), occasion in opt(id()), visit in opt(id()),
        summary in text(), notes in opt(text()), occurrences in opt(vocab::<Occurrences>())) -> Meeting {
        Meeting { id, date, location_country, location, participants, kind, occasion, visit,
            summary, notes, occurrences, inferred: Vec::new(), evidence: Vec::new() }
    }
}

prop_compose! {
    fn statements()(id in id(), date in opt(date()), actor_country in country(),
        speaker in opt(participant()), kind in vocab::<StatementKind>(),
        about in proptest::collection::vec(subject(), 0..3), dispute in opt(id()),
        meeting in opt(id()), summary in text(), notes in opt(text()), occurrences in opt(vocab::<Occurrences>())) -> Statement {
        Statement { id, date, actor_country, speaker, kind, about, dispute, meeting, summary,
            notes, occurrences, inferred: Vec::new(), evidence: Vec::new() }
    }
}

prop_compose! {
    fn organizations()(id in id(), name in text(),
        other_names in proptest::collection::vec(text(), 0..3),
        kind in vocab::<OrganizationKind>(), wikidata in opt("Q[1-9][0-9]{0,6}"),
        notes in opt(text())) -> Organization {
        Organization { id, name, other_names, kind, wikidata, notes }
    }
}

fn subject() -> impl Strategy<Value = Subject> {
    prop_oneof![
        country().prop_map(Subject::Country),
        id().prop_map(Subject::Organization)
    ]
}

prop_compose! {
    fn recognitions()(id in id(), date in date(), actor_country in country(),
        subject_country in country(), kind in vocab::<RecognitionKind>(),
        summary in opt(text()), notes in opt(text()), occurrences in opt(vocab::<Occurrences>())) -> Recognition {
        Recognition { id, date, actor_country, subject_country, kind, summary, notes,
            occurrences, inferred: Vec::new(), evidence: Vec::new() }
    }
}

prop_compose! {
    fn disputes()(id in id(), name in text(), other_names in proptest::collection::vec(text(), 0..3),
        kind in vocab::<DisputeKind>(), parties in proptest::collection::vec(country(), 0..4),
        status in vocab::<DisputeStatus>(), summary in opt(text()), notes in opt(text()), occurrences in opt(vocab::<Occurrences>())) -> Dispute {
        Dispute { id, name, other_names, kind, parties, status, summary, notes,
            occurrences, inferred: Vec::new(), evidence: Vec::new() }
    }
}

prop_compose! {
    fn dispute_events()(id in id(), dispute in id(), date in opt(date()),
        kind in vocab::<DisputeEventKind>(), actor_country in country(),
        counterpart_country in opt(country()), meeting in opt(id()), summary in text(),
        notes in opt(text()), occurrences in opt(vocab::<Occurrences>())) -> DisputeEvent {
        DisputeEvent { id, dispute, date, kind, actor_country, counterpart_country, meeting,
            summary, notes, occurrences, inferred: Vec::new(), evidence: Vec::new() }
    }
}

prop_compose! {
    fn evidence()(record in id(), position in 1..1000u32, table in vocab::<TableName>(),
        source in id(), quote in text(), role in vocab::<EvidenceRole>(),
        supports in proptest::collection::vec("[a-z][a-z_]{0,12}", 0..3),
        anchor in opt((any::<u32>(), any::<u32>(), 1..500u32, text(), text())), occurrence in opt(1..5u32)) -> EvidenceRow {
        let (start, end, sentence, prefix, suffix) = match anchor {
            Some((s, e, n, p, x)) => (Some(s), Some(e), Some(n), Some(p), Some(x)),
            None => (None, None, None, None, None),
        };
        EvidenceRow { id: format!("{record}/{position}"), table, record, position, source, quote,
            role, supports, occurrence, start, end, sentence, prefix, suffix }
    }
}

prop_compose! {
    fn inferences()(record in id(), field in "[a-z][a-z_]{0,12}", table in vocab::<TableName>(),
        basis in vocab::<InferenceBasis>(), reason in text()) -> InferenceRow {
        InferenceRow { id: format!("{record}/{field}"), table, record, field, basis, reason }
    }
}

prop_compose! {
    fn events()(record in id(), table in vocab::<TableName>(), kind in "[a-z_]{1,12}", date in date(),
        countries in proptest::collection::vec(country(), 0..3),
        people in proptest::collection::vec(id(), 0..3), summary in opt(text()),
        quote in opt((id(), text())), inferred in proptest::collection::vec("[a-z][a-z_]{0,12}", 0..3)) -> EventRow {
        let (source, quote) = quote.map_or((None, None), |(s, q)| (Some(s), Some(q)));
        EventRow {
            id: format!("{table}/{record}"), record_table: table, record, kind, date,
            date_kind: date.kind(), sort_key: date.sort_key(),
            country_names: countries.iter().map(|c| format!("Name of {c}")).collect(), countries,
            person_names: people.iter().map(|p| format!("Name of {p}")).collect(), people,
            summary, quote, source, inferred,
        }
    }
}

fn round_trip<T: Table + PartialEq + std::fmt::Debug>(records: &[T]) -> Result<(), TestCaseError> {
    let mut csv = Vec::new();
    diplomacy_model::csv::write_csv(records, &mut csv)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: Vec<T> = diplomacy_model::csv::read_csv(csv.as_slice(), "test.csv")
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, records);
    #[cfg(feature = "arrow")]
    {
        let batch = diplomacy_model::arrow::to_record_batch(records)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(batch.num_columns(), T::columns().len());
        let back: Vec<T> = diplomacy_model::arrow::from_record_batch(&batch)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(&back, records);
    }
    #[cfg(feature = "parquet")]
    {
        use diplomacy_model::parquet::{ParquetOptions, read_parquet, write_parquet};
        let fail = |e: diplomacy_model::Error| TestCaseError::fail(e.to_string());
        let mut file = tempfile::tempfile().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let path = std::path::Path::new("test.parquet");
        write_parquet(records, &mut file, &ParquetOptions::default(), path).map_err(fail)?;
        let back: Vec<T> = read_parquet(file, path).map_err(fail)?;
        prop_assert_eq!(&back, records);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn countries_round_trip(r in proptest::collection::vec(countries(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn people_round_trip(r in proptest::collection::vec(people(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn sources_round_trip(r in proptest::collection::vec(sources(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn visits_round_trip(r in proptest::collection::vec(visits(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn meetings_round_trip(r in proptest::collection::vec(meetings(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn recognitions_round_trip(r in proptest::collection::vec(recognitions(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn disputes_round_trip(r in proptest::collection::vec(disputes(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn dispute_events_round_trip(r in proptest::collection::vec(dispute_events(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn statements_round_trip(r in proptest::collection::vec(statements(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn organizations_round_trip(r in proptest::collection::vec(organizations(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn evidence_round_trips(r in proptest::collection::vec(evidence(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn inferences_round_trip(r in proptest::collection::vec(inferences(), 0..4)) { round_trip(&r)?; }
    #[test]
    fn events_round_trip(r in proptest::collection::vec(events(), 0..4)) { round_trip(&r)?; }
}
