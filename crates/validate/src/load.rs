//! Reading a dataset directory: each file in turn is read (safely, see `read`), checked
//! against its schema in chunks (see `chunk`), and let go; then the dataset-wide rules run
//! on the facts taken from every record.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use toml_spanner::Arena;

use diplomacy_model::{Dataset, DatasetMeta, DatasetTable, TableName, WithTable};

use crate::Options;
use crate::chunk::{check_table, deserialize};
use crate::diagnostic::Code;
use crate::facts::AllFacts;
use crate::read::{dataset_files, load};
use crate::record::record_checks;
use crate::schema::{FileSchema, Validators};
use crate::sink::{Sink, SourceFile};
use crate::spans::{schema_errors, to_json};

/// What reading a dataset gives: `dataset.toml` where it reads, the records (only the
/// redirects unless the caller keeps records), and the id of every record of a record
/// table with its table.
pub(crate) struct Loaded {
    pub(crate) meta: Option<DatasetMeta>,
    pub(crate) data: Dataset,
    pub(crate) ids: HashMap<String, TableName>,
}

/// Reads, checks against the schemas, then against the rules; collects the ids where
/// `want_ids`.
pub(crate) fn check(
    dir: &Path,
    options: &Options,
    validators: &Validators,
    sink: &mut Sink,
    want_ids: bool,
    cache: &mut crate::cache::Cache,
    open: &[(&str, &str)],
) -> Loaded {
    // Files are read one at a time, just before they are checked, and let go after.
    let mut files = dataset_files(dir);
    let root = dir.canonicalize().ok();
    let schema_of = |name: &str| validators.files.iter().find(|s| s.file == name);
    let mut facts = AllFacts::default();
    let mut incomplete = HashSet::new();
    let mut meta = None;
    let mut data = Dataset::default();
    // By index: each file is loaded, checked (borrowed), then let go (mutated) in turn.
    #[allow(clippy::needless_range_loop)]
    for index in 0..files.len() {
        let text = open
            .iter()
            .find(|(name, _)| *name == files[index].name)
            .map(|(_, text)| *text);
        load(&mut files[index], root.as_deref(), options, text, sink);
        let file = &files[index];
        crate::directive::check(file, sink);
        let Some(schema) = schema_of(file.name) else {
            continue;
        };
        let Some(table) = diplomacy_model::AUTHORING_FILES
            .iter()
            .find(|(f, _)| *f == file.name)
            .map(|(_, t)| *t)
        else {
            meta = load_meta(file, schema, sink);
            continue;
        };
        let checked = table.with_authored(CheckTable {
            index,
            file,
            schema,
            options,
            data: &mut data,
            memo: cache.chunks_of(table),
        });
        // Every authoring file names an authored table: `with_authored` answers for each.
        let Some((s, lost, pieces)) = checked else {
            unreachable!("{} is an authoring file of no authored table", file.name)
        };
        facts.pieces.extend(pieces);
        sink.diagnostics.extend(s.diagnostics);
        if lost {
            incomplete.insert(table);
        }
        files[index].release_text();
    }
    let entailed = crate::rules::check(
        &crate::rules::Input {
            dir,
            files: &files,
            facts: &facts,
            incomplete: &incomplete,
            options,
            entailment_required: meta.as_ref().is_some_and(|m| {
                m.require
                    .contains(&diplomacy_model::Requirement::Entailment)
            }),
            ledger_required: meta
                .as_ref()
                .is_some_and(|m| m.require.contains(&diplomacy_model::Requirement::Ledger)),
        },
        cache,
        sink,
    );
    // The pieces whose records were all found to state their values, and in what context.
    for (i, context) in entailed {
        facts.pieces[i].entailed = context;
    }
    let ids = if want_ids {
        facts
            .ids()
            .filter(|f| f.table.is_record_table())
            .map(|f| (f.s(f.id).to_owned(), f.table))
            .collect()
    } else {
        HashMap::new()
    };
    cache.end_run(facts);
    Loaded { meta, data, ids }
}

/// Checks one authoring file as the table its type says, keeping its records in `data` where
/// the caller keeps records (and the redirects always, for the id checks).
struct CheckTable<'a> {
    index: usize,
    file: &'a SourceFile,
    schema: &'a FileSchema,
    options: &'a Options,
    data: &'a mut Dataset,
    memo: Option<&'a mut crate::cache::ChunkMemo>,
}

impl WithTable for CheckTable<'_> {
    type Output = (Sink, bool, Vec<crate::cache::Piece>);
    fn call<T: DatasetTable>(self) -> Self::Output {
        let checked = check_table::<T>(
            self.index,
            self.file,
            self.schema,
            T::NAME,
            self.options,
            self.memo,
        );
        if self.options.keep_records || T::NAME == TableName::Redirects {
            *T::records_mut(self.data) = checked.records;
        }
        (checked.sink, checked.incomplete, checked.pieces)
    }
}

fn load_meta(file: &SourceFile, schema: &FileSchema, sink: &mut Sink) -> Option<DatasetMeta> {
    let text = file.text.as_deref()?;
    sink.offset = 0;
    if text.len() >= crate::chunk::PARSER_LIMIT {
        sink.whole_file(
            &file.path,
            Code::TooLarge,
            crate::chunk::too_large_for_parser(file.name, text.len()),
        );
        return None;
    }
    if let Some(at) = crate::chunk::too_deep(text) {
        sink.at_pos(
            file,
            at,
            Code::Syntax,
            format!(
                "invalid TOML: a key nested more than {} levels deep",
                crate::chunk::MAX_KEY_DEPTH
            ),
            None,
        );
        return None;
    }
    let arena = Arena::new();
    let doc = match toml_spanner::parse(text, &arena) {
        Ok(doc) => doc.into_table(),
        Err(e) => {
            sink.at(
                file,
                e.span(),
                Code::Syntax,
                format!("invalid TOML: {}", e.message(text)),
                None,
            );
            return None;
        }
    };
    let item = doc.as_item();
    let json = to_json(item, file, sink);
    let mut ok = schema_errors(file, item, &json, schema, sink);
    record_checks(file, item, None, sink);
    if let Some((_, v)) = doc.get_key_value("version")
        && let Some(s) = v.as_str()
        && let Err(e) = semver::Version::parse(s)
    {
        sink.at(
            file,
            v.span(),
            Code::BadVersion,
            format!("version {s:?} is not SemVer: {e}"),
            Some("write MAJOR.MINOR.PATCH, e.g. \"1.0.0\"".to_owned()),
        );
        ok = false;
    }
    if let Some((_, v)) = doc.get_key_value("license")
        && let Some(s) = v.as_str()
        && let Err(e) = spdx::Expression::parse(s)
    {
        sink.at(
            file,
            v.span(),
            Code::BadLicense,
            format!("`license` {s:?} is not an SPDX license identifier or expression: {}", e.reason),
            Some("write an SPDX identifier (https://spdx.org/licenses/), e.g. \"CC-BY-4.0\" or \"CC0-1.0\"".to_owned()),
        );
        ok = false;
    }
    if !ok {
        return None;
    }
    deserialize(file, item, json, sink)
}
