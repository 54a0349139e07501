//! The records of a dataset as the editor shows them: each record's id, table, place and
//! string fields, read from the open documents' texts or else the files on disk, and what
//! each key of each table refers to, from the model's columns.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use diplomacy_model::table::{Column, Refers};
use diplomacy_model::{AUTHORING_FILES, DatasetTable, Table, TableName, WithTable};

use super::text::{Doc, Pos, scan};

/// One record of an authoring file.
#[derive(Debug, Clone)]
pub(crate) struct Record {
    pub(crate) table: TableName,
    pub(crate) path: PathBuf,
    /// Where its id's value lies.
    pub(crate) id_at: (Pos, Pos),
    /// Its string fields of one value, in file order (`name`, `title`, `summary`...).
    pub(crate) fields: Vec<(String, String)>,
}

impl Record {
    /// A field's value.
    pub(crate) fn field(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// Every record of a dataset by id, and the ids of each table in file order.
#[derive(Debug, Default)]
pub(crate) struct Index {
    pub(crate) records: HashMap<String, Record>,
    pub(crate) ids: HashMap<TableName, Vec<String>>,
}

/// The wire name of a table (`visits`), from its authoring file's name.
pub(crate) fn wire(table: TableName) -> &'static str {
    AUTHORING_FILES
        .iter()
        .find(|(_, t)| *t == table)
        .map_or("", |(f, _)| f.trim_end_matches(".toml"))
}

impl Index {
    /// Reads every authoring file of `dir`: the text `read` gives (an open document's), else
    /// the file on disk.
    pub(crate) fn build(dir: &Path, read: impl Fn(&Path) -> Option<String>) -> Self {
        let mut index = Index::default();
        for &(file, table) in AUTHORING_FILES {
            let path = dir.join(file);
            let Some(text) = read(&path) else { continue };
            index.add(table, &path, &scan(&text));
        }
        index
    }

    fn add(&mut self, table: TableName, path: &Path, doc: &Doc) {
        let name = wire(table);
        for (b, header) in doc.headers.iter().enumerate() {
            if header.name != name {
                continue;
            }
            let fields: Vec<(String, String)> = doc
                .entries
                .iter()
                .filter(|e| e.block == Some(b) && !e.array)
                .filter_map(|e| Some((e.key.clone(), e.strings.first()?.value.clone())))
                .collect();
            let Some(id) = doc.value_in(Some(b), "id") else {
                continue;
            };
            self.ids.entry(table).or_default().push(id.value.clone());
            self.records.entry(id.value.clone()).or_insert(Record {
                table,
                path: path.to_path_buf(),
                id_at: (id.start, id.end),
                fields,
            });
        }
    }
}

/// What the values of `key` refer to in a table whose header is `header` (`visits`, or
/// `visits.evidence` for a record's evidence), from the model's columns.
pub(crate) fn refers(header: &str, key: &str) -> Option<Refers> {
    let (table, sub) = header.split_once('.').unwrap_or((header, ""));
    let columns: &[Column] = match sub {
        "" => {
            let (_, t) = AUTHORING_FILES
                .iter()
                .find(|(f, _)| f.trim_end_matches(".toml") == table)?;
            t.with_authored(Columns)?
        }
        "evidence" => diplomacy_model::EvidenceRow::columns(),
        _ => return None,
    };
    // An evidence row's `record` is its parent's id, not a value written in the file.
    if sub == "evidence" && key != "source" {
        return None;
    }
    columns.iter().find(|c| c.name == key)?.refers
}

/// The tables whose ids a value of this kind may be.
pub(crate) fn targets(refers: Refers) -> Vec<TableName> {
    match refers {
        Refers::Table(t) => vec![t],
        Refers::Participant => vec![TableName::People, TableName::Organizations],
        Refers::Subject => vec![TableName::Countries, TableName::Organizations],
        _ => Vec::new(),
    }
}

struct Columns;
impl WithTable for Columns {
    type Output = &'static [Column];
    fn call<T: DatasetTable>(self) -> Self::Output {
        T::columns()
    }
}
