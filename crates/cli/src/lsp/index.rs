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

/// Whether `key` is a date in a table whose header is `header`: a field the release writes
/// as `<key>`, `<key>_min` and `<key>_max`.
pub(crate) fn is_date(header: &str, key: &str) -> bool {
    let Some((_, t)) = AUTHORING_FILES
        .iter()
        .find(|(f, _)| f.trim_end_matches(".toml") == header)
    else {
        return header.is_empty() && key == "published";
    };
    let min = format!("{key}_min");
    t.with_authored(Columns)
        .is_some_and(|cols| cols.iter().any(|c| c.name == min))
}

/// The JSON Schema of every authoring file, generated once.
fn schemas() -> &'static [(&'static str, serde_json::Value)] {
    static SCHEMAS: std::sync::OnceLock<Vec<(&'static str, serde_json::Value)>> =
        std::sync::OnceLock::new();
    SCHEMAS.get_or_init(|| {
        diplomacy_model::schema::authoring_schemas()
            .into_iter()
            .map(|(f, s)| (f, serde_json::to_value(&s).unwrap_or_default()))
            .collect()
    })
}

/// `node` with its `$ref`s to the schema's `$defs` followed, and an optional value's
/// alternatives (`anyOf`) read as the one that is not null.
fn resolve<'a>(
    root: &'a serde_json::Value,
    mut node: &'a serde_json::Value,
) -> &'a serde_json::Value {
    for _ in 0..8 {
        if let Some(name) = node
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            node = &root["$defs"][name];
        } else if let Some(alt) = node
            .get("anyOf")
            .or_else(|| node.get("oneOf"))
            .and_then(serde_json::Value::as_array)
            .and_then(|alts| alts.iter().find(|a| a["type"] != "null"))
        {
            node = alt;
        } else {
            break;
        }
    }
    node
}

/// The values of the controlled vocabulary of `key` in the table `header` of the authoring
/// file `file`, each with what it means, from the file's JSON Schema; none where the key
/// takes free values.
pub(crate) fn vocabulary(file: &str, header: &str, key: &str) -> Vec<(String, String)> {
    let Some((_, root)) = schemas().iter().find(|(f, _)| *f == file) else {
        return Vec::new();
    };
    let mut node = root;
    for part in header.split('.').filter(|p| !p.is_empty()) {
        let p = resolve(root, &node["properties"][part]);
        node = match p.get("items") {
            Some(items) => resolve(root, items),
            None => p,
        };
    }
    let mut prop = resolve(root, &node["properties"][key]);
    if let Some(items) = prop.get("items") {
        prop = resolve(root, items);
    }
    let Some(values) = prop["enum"].as_array() else {
        return Vec::new();
    };
    let doc = prop["description"].as_str().unwrap_or("");
    values
        .iter()
        .filter_map(serde_json::Value::as_str)
        .map(|v| {
            let mark = format!("- `{v}`: ");
            let meaning = doc
                .lines()
                .find_map(|l| l.trim_start().strip_prefix(mark.as_str()))
                .unwrap_or("");
            (v.to_owned(), meaning.to_owned())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_refer_to_tables_by_the_model_columns() {
        assert_eq!(
            refers("visits", "guest_person"),
            Some(Refers::Table(TableName::People))
        );
        assert_eq!(
            refers("visits.evidence", "source"),
            Some(Refers::Table(TableName::Sources))
        );
        assert_eq!(refers("visits", "summary"), None);
        assert!(is_date("visits", "date") && !is_date("visits", "summary"));
    }

    #[test]
    fn vocabularies_come_from_the_schemas() {
        let levels = vocabulary("visits.toml", "visits", "level");
        assert!(
            levels
                .iter()
                .any(|(v, m)| v == "foreign_minister" && !m.is_empty())
        );
        let roles = vocabulary("visits.toml", "visits.evidence", "role");
        assert!(!roles.is_empty(), "{roles:?}");
        assert!(vocabulary("visits.toml", "visits", "summary").is_empty());
    }
}
