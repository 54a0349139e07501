//! Reading the authoring files with spans, checking each record against its schema, and
//! taking the facts the dataset-wide rules need.
//!
//! Large files are split at their `[[table]]` headers into chunks that are parsed, checked
//! and dropped in parallel, so memory holds the typed records and the facts, not every
//! parsed tree at once.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};
use toml_spanner::{Arena, Item, Span};

use diplomacy_model::{
    CountryCode, Dataset, DatasetMeta, DateError, Id, PartialDate, Participant, TableName,
};

use crate::diagnostic::{Code, Diagnostic, LineIndex};
use crate::facts::{Facts, extract};
use crate::schema::{FileSchema, Validators, closest};
use crate::{Options, ValidDataset};

/// One authoring file as read from disk.
pub(crate) struct SourceFile {
    /// The file's name, e.g. `visits.toml`.
    pub(crate) name: &'static str,
    pub(crate) path: PathBuf,
    /// The text, where the file exists and could be read.
    pub(crate) text: Option<String>,
    /// Whether the file exists but could not be read (too large, not UTF-8, unreadable).
    pub(crate) failed: bool,
    /// Line starts of `text`, built on the first diagnostic in the file.
    pub(crate) lines: std::sync::OnceLock<LineIndex>,
}

impl SourceFile {
    /// Lets go of the text once the file is checked; positions of later diagnostics are
    /// found by reading the file again (see [`Sink::at_pos`]).
    fn release_text(&mut self) {
        self.text = None;
        self.lines = std::sync::OnceLock::new();
    }

    /// Reads the file; reports a file that exists but cannot be read.
    fn load(&mut self, options: &Options, sink: &mut Sink) {
        let before = sink.diagnostics.len();
        self.text = read_one(&self.path, self.name, options, sink);
        self.failed = self.text.is_none() && sink.diagnostics.len() > before;
    }
}

/// Collects diagnostics, turning byte positions into lines and columns.
#[derive(Default)]
pub(crate) struct Sink {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Added to every span: the byte offset of the chunk of the file being checked.
    pub(crate) offset: usize,
    /// Texts read again to place diagnostics in files whose text was let go.
    reread: std::collections::HashMap<PathBuf, (String, LineIndex)>,
}

impl Sink {
    /// A diagnostic at a span of the chunk being checked.
    pub(crate) fn at(
        &mut self,
        file: &SourceFile,
        span: Span,
        code: Code,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let pos = self.offset + span.start as usize;
        self.at_pos(file, pos, code, message, hint);
    }

    /// A diagnostic at a byte position of the file.
    pub(crate) fn at_pos(
        &mut self,
        file: &SourceFile,
        pos: usize,
        code: Code,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        let (line, column) = self.position(file, pos);
        self.diagnostics.push(Diagnostic {
            path: file.path.clone(),
            line,
            column,
            code,
            message: message.into(),
            hint,
        });
    }

    /// The line and column of a byte position of a file.
    pub(crate) fn position(&mut self, file: &SourceFile, pos: usize) -> (u32, u32) {
        if let Some(text) = file.text.as_deref() {
            return file
                .lines
                .get_or_init(|| LineIndex::new(text))
                .position(text, pos);
        }
        let (text, lines) = self.reread.entry(file.path.clone()).or_insert_with(|| {
            let text = std::fs::read(&file.path)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let lines = LineIndex::new(&text);
            (text, lines)
        });
        lines.position(text, pos)
    }

    fn whole_file(&mut self, path: &Path, code: Code, message: impl Into<String>) {
        self.diagnostics.push(Diagnostic {
            path: path.to_path_buf(),
            line: 1,
            column: 1,
            code,
            message: message.into(),
            hint: None,
        });
    }
}

/// The files of a dataset directory: `dataset.toml` and every authoring file, not yet read.
fn dataset_files(dir: &Path) -> Vec<SourceFile> {
    std::iter::once("dataset.toml")
        .chain(diplomacy_model::AUTHORING_FILES.iter().map(|(f, _)| *f))
        .map(|name| SourceFile {
            name,
            path: dir.join(name),
            text: None,
            failed: false,
            lines: std::sync::OnceLock::new(),
        })
        .collect()
}

fn read_one(path: &Path, name: &str, options: &Options, sink: &mut Sink) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if name == "dataset.toml" {
                sink.whole_file(
                    path,
                    Code::MissingDatasetFile,
                    "dataset.toml is missing: every dataset directory needs one (name, title, version, description, license)",
                );
            }
            return None;
        }
        Err(e) => {
            sink.whole_file(path, Code::Unreadable, format!("cannot read {name}: {e}"));
            return None;
        }
    };
    if meta.len() > options.max_file_size {
        sink.whole_file(
            path,
            Code::TooLarge,
            format!(
                "{name} is {} bytes, over the limit of {} bytes; split the table or raise the limit",
                meta.len(),
                options.max_file_size
            ),
        );
        return None;
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            sink.whole_file(path, Code::Unreadable, format!("cannot read {name}: {e}"));
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]);
            let (line, column) = LineIndex::new(&prefix).position(&prefix, valid);
            sink.diagnostics.push(Diagnostic {
                path: path.to_path_buf(),
                line,
                column,
                code: Code::NotUtf8,
                message: format!(
                    "{name} is not UTF-8: invalid byte 0x{:02X}",
                    bytes.get(valid).copied().unwrap_or(0)
                ),
                hint: Some("save the file as UTF-8".to_owned()),
            });
            None
        }
    }
}

/// What checking one chunk of a table file gives.
struct ChunkOut<T> {
    records: Vec<T>,
    facts: Facts,
    sink: Sink,
    /// The chunk did not parse.
    syntax_error: bool,
    /// Records were lost to a problem above the record level (a wrong top-level key or type).
    lost: bool,
}

/// Parses and checks bytes `start..end` of a table file.
fn check_chunk<T: DeserializeOwned>(
    index: usize,
    file: &SourceFile,
    (start, end): (usize, usize),
    schema: &FileSchema,
    table: TableName,
) -> ChunkOut<T> {
    let mut out = ChunkOut {
        records: Vec::new(),
        facts: Facts::default(),
        sink: Sink {
            offset: start,
            ..Sink::default()
        },
        syntax_error: false,
        lost: false,
    };
    let Some(chunk) = file.text.as_deref().and_then(|t| t.get(start..end)) else {
        return out;
    };
    let arena = Arena::new();
    let doc = match toml_spanner::parse(chunk, &arena) {
        Ok(doc) => doc.into_table(),
        Err(e) => {
            out.sink.at(
                file,
                e.span(),
                Code::Syntax,
                format!("invalid TOML: {}", e.message(chunk)),
                None,
            );
            out.syntax_error = true;
            return out;
        }
    };
    let key = table.as_str();
    let sink = &mut out.sink;
    for (k, v) in &doc {
        if k.name != key {
            let hint = closest(k.name, &[key.to_owned()])
                .map(|c| format!("did you mean `{c}`?"))
                .or_else(|| Some(format!("{} holds only `[[{key}]]` tables", file.name)));
            sink.at(
                file,
                k.span,
                Code::UnknownField,
                format!("unknown top-level key `{}`", k.name),
                hint,
            );
            out.lost = true;
            continue;
        }
        let Some(array) = v.as_array() else {
            sink.at(
                file,
                v.span(),
                Code::WrongType,
                format!(
                    "`{key}` must be a list of tables ([[{key}]]), found {}",
                    v.type_str()
                ),
                None,
            );
            out.lost = true;
            continue;
        };
        for item in array {
            if item.as_table().is_none() {
                sink.at(
                    file,
                    item.span(),
                    Code::WrongType,
                    format!(
                        "each item of `{key}` must be a table, found {}",
                        item.type_str()
                    ),
                    None,
                );
                continue;
            }
            extract(item, table, index, start, &mut out.facts);
            let json = to_json(item, file, sink);
            let schema_ok = schema_errors(file, item, &json, schema, sink);
            text_checks(file, item, "", false, sink);
            if schema_ok
                && date_checks(file, item, sink)
                && let Some(record) = deserialize(file, item, json, sink)
            {
                out.records.push(record);
            }
        }
    }
    out
}

/// Checks a whole table file: in parallel chunks where it is large, falling back to one
/// piece where a chunk does not parse (a split inside a multi-line string) and the file is
/// small enough for the parser.
fn check_table<T: DeserializeOwned + Send>(
    index: usize,
    file: &SourceFile,
    schema: &FileSchema,
    table: TableName,
    options: &Options,
) -> (Vec<T>, Facts, Sink, bool) {
    let Some(text) = file.text.as_deref() else {
        return (Vec::new(), Facts::default(), Sink::default(), file.failed);
    };
    let ranges = split_chunks(text, table.as_str(), options.chunk_size);
    let mut outs = run_chunks::<T>(index, file, &ranges, schema, table);
    if ranges.len() > 1 && outs.iter().any(|o| o.syntax_error) && text.len() < PARSER_LIMIT {
        outs = run_chunks::<T>(index, file, &[(0, text.len())], schema, table);
    }
    let mut records = Vec::new();
    let mut facts = Facts::default();
    let mut sink = Sink::default();
    let mut incomplete = false;
    for o in outs {
        records.extend(o.records);
        facts.append(o.facts);
        sink.diagnostics.extend(o.sink.diagnostics);
        incomplete |= o.syntax_error || o.lost;
    }
    (records, facts, sink, incomplete)
}

/// The largest text the TOML parser accepts (toml-spanner: 256 MiB).
const PARSER_LIMIT: usize = 1 << 28;

fn run_chunks<T: DeserializeOwned + Send>(
    index: usize,
    file: &SourceFile,
    ranges: &[(usize, usize)],
    schema: &FileSchema,
    table: TableName,
) -> Vec<ChunkOut<T>> {
    if ranges.len() == 1 {
        return vec![check_chunk(index, file, ranges[0], schema, table)];
    }
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(ranges.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut outs: Vec<(usize, ChunkOut<T>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&range) = ranges.get(i) else { break };
                        mine.push((i, check_chunk(index, file, range, schema, table)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    outs.sort_by_key(|(i, _)| *i);
    outs.into_iter().map(|(_, o)| o).collect()
}

/// Reads, checks against the schemas, then against the rules. Returns the dataset as read.
pub(crate) fn check(
    dir: &Path,
    options: &Options,
    validators: &Validators,
    sink: &mut Sink,
) -> Option<ValidDataset> {
    // Files are read one at a time, just before they are checked, and let go after.
    let mut files = dataset_files(dir);
    let schema_of = |name: &str| validators.files.iter().find(|s| s.file == name);
    let mut facts = Facts::default();
    let mut incomplete = HashSet::new();
    let mut meta = None;
    let mut data = Dataset::default();
    // By index: each file is loaded, checked (borrowed), then let go (mutated) in turn.
    #[allow(clippy::needless_range_loop)]
    for index in 0..files.len() {
        files[index].load(options, sink);
        let file = &files[index];
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
        macro_rules! table {
            ($field:ident) => {{
                let (records, f, s, lost) = check_table(index, file, schema, table, options);
                if options.keep_records {
                    data.$field = records;
                }
                (f, s, lost)
            }};
        }
        let (f, s, lost) = match table {
            TableName::Countries => table!(countries),
            TableName::People => table!(people),
            TableName::Sources => table!(sources),
            TableName::Visits => table!(visits),
            TableName::Meetings => table!(meetings),
            TableName::Recognitions => table!(recognitions),
            TableName::Disputes => table!(disputes),
            TableName::DisputeEvents => table!(dispute_events),
            TableName::Redirects => table!(redirects),
            _ => continue,
        };
        facts.append(f);
        sink.diagnostics.extend(s.diagnostics);
        if lost {
            incomplete.insert(table);
        }
        files[index].release_text();
    }
    crate::rules::check(
        &crate::rules::Input {
            dir,
            files: &files,
            facts: &facts,
            incomplete: &incomplete,
            options,
        },
        sink,
    );
    Some(ValidDataset {
        dir: dir.to_path_buf(),
        meta: meta?,
        data,
    })
}

fn load_meta(file: &SourceFile, schema: &FileSchema, sink: &mut Sink) -> Option<DatasetMeta> {
    let text = file.text.as_deref()?;
    let arena = Arena::new();
    sink.offset = 0;
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
    text_checks(file, item, "", false, sink);
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
    if !ok {
        return None;
    }
    deserialize(file, item, json, sink)
}

/// Splits a file into chunks of at least `target` bytes that each start at a line
/// `[[key]]` (except the first). A split inside a multi-line string makes a chunk fail to
/// parse; the caller then parses the file whole.
fn split_chunks(text: &str, key: &str, target: usize) -> Vec<(usize, usize)> {
    if text.len() <= target {
        return vec![(0, text.len())];
    }
    let header = format!("\n[[{key}]]");
    let finder = memchr::memmem::Finder::new(header.as_bytes());
    let bytes = text.as_bytes();
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut from = target;
    while from < text.len() {
        let Some(found) = finder.find(&bytes[from..]) else {
            break;
        };
        let at = from + found + 1;
        let after = bytes.get(at + header.len() - 1).copied();
        if matches!(after, None | Some(b'\n' | b'\r' | b' ' | b'\t' | b'#')) {
            chunks.push((start, at));
            start = at;
            from = at + target;
        } else {
            from = at;
        }
    }
    chunks.push((start, text.len()));
    chunks
}

fn deserialize<T: DeserializeOwned>(
    file: &SourceFile,
    item: &Item<'_>,
    json: Value,
    sink: &mut Sink,
) -> Option<T> {
    match serde_json::from_value(json) {
        Ok(v) => Some(v),
        Err(e) => {
            sink.at(file, item.span(), Code::Constraint, e.to_string(), None);
            None
        }
    }
}

/// The TOML tree as JSON for the schema validator. TOML datetimes, which the model never
/// uses, are reported and passed on as strings so they are reported once.
fn to_json(item: &Item<'_>, file: &SourceFile, sink: &mut Sink) -> Value {
    use toml_spanner::Value as T;
    match item.value() {
        T::String(s) => Value::String((*s).to_owned()),
        T::Integer(i) => i
            .as_i64()
            .map(Number::from)
            .or_else(|| i.as_u64().map(Number::from))
            .or_else(|| Number::from_f64(i.as_f64()))
            .map_or(Value::Null, Value::Number),
        T::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
        T::Boolean(b) => Value::Bool(*b),
        T::DateTime(d) => {
            let text = file
                .text
                .as_deref()
                .and_then(|t| {
                    t.get(
                        sink.offset + item.span().start as usize
                            ..sink.offset + item.span().end as usize,
                    )
                })
                .unwrap_or("")
                .to_owned();
            sink.at(
                file,
                item.span(),
                Code::WrongType,
                format!("a TOML date literal ({text}) where a string is expected"),
                Some(format!("quote dates: \"{text}\"")),
            );
            let _ = d;
            Value::String(text)
        }
        T::Array(a) => Value::Array(a.iter().map(|i| to_json(i, file, sink)).collect()),
        T::Table(t) => {
            let mut map = Map::with_capacity(t.len());
            for (k, v) in t {
                map.insert(k.name.to_owned(), to_json(v, file, sink));
            }
            Value::Object(map)
        }
    }
}

/// Follows a JSON pointer into the TOML tree: the value's span, and its key's span where the
/// last step is a key.
fn locate(item: &Item<'_>, path: &[LocationSegment<'_>]) -> (Span, Option<Span>) {
    let mut here = item;
    let mut key_span = None;
    for segment in path {
        let next = match segment {
            LocationSegment::Property(name) => here
                .as_table()
                .and_then(|t| t.get_key_value(name))
                .map(|(k, v)| {
                    key_span = Some(k.span);
                    v
                }),
            LocationSegment::Index(i) => {
                key_span = None;
                here.as_array().and_then(|a| a.get(*i))
            }
        };
        match next {
            Some(n) => here = n,
            None => break,
        }
    }
    (here.span(), key_span)
}

/// `evidence[0].quote` for a path of segments.
fn field_path(path: &[LocationSegment<'_>]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            LocationSegment::Property(name) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            LocationSegment::Index(i) => {
                let _ = write!(out, "[{i}]");
            }
        }
    }
    out
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a float",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// Checks one record (or `dataset.toml`) against its schema; reports every error at the
/// offending key or value. Returns whether it passed.
fn schema_errors(
    file: &SourceFile,
    item: &Item<'_>,
    json: &Value,
    schema: &FileSchema,
    sink: &mut Sink,
) -> bool {
    let mut ok = true;
    for error in schema.validator.iter_errors(json) {
        ok = false;
        let path: Vec<LocationSegment<'_>> = error.instance_path().iter().collect();
        let (span, key_span) = locate(item, &path);
        let field = field_path(&path);
        // Where in the record, for fields inside nested tables: " in `evidence[0]`".
        let place = if field.is_empty() {
            String::new()
        } else {
            format!(" in `{field}`")
        };
        let instance = error.instance();
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let table = item_at(item, &path);
                for name in unexpected {
                    let at = table
                        .and_then(|t| t.as_table())
                        .and_then(|t| t.get_key_value(name))
                        .map_or(span, |(k, _)| k.span);
                    let hint =
                        closest(name, &schema.field_names).map(|c| format!("did you mean `{c}`?"));
                    sink.at(
                        file,
                        at,
                        Code::UnknownField,
                        format!("unknown field `{name}`{place}"),
                        hint,
                    );
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property.as_str().unwrap_or("?");
                sink.at(
                    file,
                    span,
                    Code::MissingField,
                    format!("missing required field `{name}`{place}"),
                    None,
                );
            }
            ValidationErrorKind::Type { kind } => {
                let expected = format!("{kind:?}")
                    .trim_start_matches("Single(")
                    .trim_end_matches(')')
                    .to_lowercase();
                sink.at(
                    file,
                    span,
                    Code::WrongType,
                    format!(
                        "`{field}` must be {}, found {}",
                        article(&expected),
                        json_type(instance)
                    ),
                    None,
                );
            }
            ValidationErrorKind::Enum { options } => {
                let allowed: Vec<&str> = options
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let found = instance.as_str().unwrap_or("");
                let hint = closest(
                    found,
                    &allowed.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
                )
                .map(|c| format!("did you mean `{c}`?"));
                sink.at(
                    file,
                    span,
                    Code::NotInVocabulary,
                    format!(
                        "{instance} is not a valid `{field}`: expected one of {}",
                        allowed.join(", ")
                    ),
                    hint,
                );
            }
            ValidationErrorKind::Pattern { pattern } => {
                let value = instance.as_str().unwrap_or("");
                let message = format_message(value, pattern).unwrap_or_else(|| {
                    format!("{instance} does not have the form of `{field}` ({pattern})")
                });
                sink.at(
                    file,
                    span,
                    Code::BadFormat,
                    format!("`{field}`: {message}"),
                    None,
                );
            }
            ValidationErrorKind::MinLength { .. } => {
                sink.at(
                    file,
                    span,
                    Code::Constraint,
                    format!("`{field}` must not be empty"),
                    None,
                );
            }
            ValidationErrorKind::MinItems { limit } => {
                sink.at(
                    file,
                    span,
                    Code::Constraint,
                    format!("`{field}` must have at least {limit} item(s)"),
                    None,
                );
            }
            _ => {
                let _ = key_span;
                sink.at(
                    file,
                    span,
                    Code::Constraint,
                    format!("`{field}`: {error}"),
                    None,
                );
            }
        }
    }
    ok
}

fn item_at<'a, 'de>(item: &'a Item<'de>, path: &[LocationSegment<'_>]) -> Option<&'a Item<'de>> {
    let mut here = item;
    for segment in path {
        here = match segment {
            LocationSegment::Property(name) => here.as_table()?.get(name)?,
            LocationSegment::Index(i) => here.as_array()?.get(*i)?,
        };
    }
    Some(here)
}

fn article(word: &str) -> String {
    match word.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => format!("an {word}"),
        _ => format!("a {word}"),
    }
}

/// The model's own explanation of why a value does not have its field's form.
fn format_message(value: &str, pattern: &str) -> Option<String> {
    if pattern == Id::PATTERN {
        return Id::new(value).err().map(|e| e.to_string());
    }
    if pattern == CountryCode::PATTERN {
        return CountryCode::new(value).err().map(|e| e.to_string());
    }
    if pattern == Participant::PATTERN {
        return value.parse::<Participant>().err().map(|e| e.to_string());
    }
    if pattern == PartialDate::PATTERN {
        return value.parse::<PartialDate>().err().map(|e| e.to_string());
    }
    None
}

/// The fields that hold partial dates.
const DATE_FIELDS: &[&str] = &["date", "published"];

/// Checks that every date field is a real calendar date, and every interval runs forwards.
fn date_checks(file: &SourceFile, item: &Item<'_>, sink: &mut Sink) -> bool {
    let mut ok = true;
    let Some(table) = item.as_table() else {
        return true;
    };
    for field in DATE_FIELDS {
        let Some(v) = table.get(field) else { continue };
        let Some(s) = v.as_str() else { continue };
        if let Err(e) = s.parse::<PartialDate>() {
            let code = match e {
                DateError::Reversed { .. } => Code::ReversedInterval,
                _ => Code::ImpossibleDate,
            };
            sink.at(file, v.span(), code, format!("`{field}`: {e}"), None);
            ok = false;
        }
    }
    ok
}

/// Text that spreadsheets would run as a formula, and list items holding the CSV list
/// separator.
fn text_checks(file: &SourceFile, item: &Item<'_>, field: &str, in_list: bool, sink: &mut Sink) {
    use toml_spanner::Value as T;
    match item.value() {
        T::String(s) => {
            if let Some(c) = s
                .chars()
                .next()
                .filter(|c| matches!(c, '=' | '+' | '@' | '\t' | '\r'))
            {
                sink.at(
                    file,
                    item.span(),
                    Code::FormulaText,
                    format!(
                        "`{field}` starts with {c:?}, which a spreadsheet would run as a formula"
                    ),
                    Some("reword the text so it does not start with =, +, @, a tab or a carriage return".to_owned()),
                );
            }
            if in_list && s.contains(';') {
                sink.at(
                    file,
                    item.span(),
                    Code::ListSeparator,
                    format!(
                        "an item of `{field}` contains ';', the list separator of the CSV release"
                    ),
                    None,
                );
            }
        }
        T::Array(a) => {
            for v in a {
                let is_table = v.as_table().is_some();
                text_checks(file, v, field, !is_table, sink);
            }
        }
        T::Table(t) => {
            for (k, v) in t {
                let name = if field.is_empty() {
                    k.name.to_owned()
                } else {
                    format!("{field}.{}", k.name)
                };
                text_checks(file, v, &name, false, sink);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::split_chunks;

    #[test]
    fn chunks_start_at_table_headers() {
        let text = "# c\n[[visits]]\nid = \"a\"\n[[visits.evidence]]\nx = 1\n[[visits]] # x\nid = \"b\"\n[[visits]]\nid = \"c\"\n";
        let chunks = split_chunks(text, "visits", 1);
        let starts: Vec<&str> = chunks.iter().map(|(s, e)| &text[*s..*e]).collect();
        assert_eq!(starts.len(), 4, "{starts:?}");
        assert!(starts[1].starts_with("[[visits]]\nid = \"a\"\n[[visits.evidence]]"));
        assert!(starts[2].starts_with("[[visits]] # x"));
        assert_eq!(chunks.last().map(|c| c.1), Some(text.len()));
        assert_eq!(split_chunks(text, "visits", 1 << 20), vec![(0, text.len())]);
    }
}
