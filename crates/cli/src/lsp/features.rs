//! What the server answers about a place in a document: hover, go to definition, completion
//! and code actions. Each reads the document as the editor has it ([`super::text::scan`]) and
//! the dataset's records ([`Index`]), never the validator's internals.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use diplomacy_model::anchor::{Anchor, locate};
use diplomacy_model::table::Refers;
use diplomacy_model::{PartialDate, TableName};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CompletionItem,
    CompletionItemKind, CompletionParams, CompletionResponse, CompletionTextEdit, CreateFile,
    DocumentChangeOperation, DocumentChanges, GotoDefinitionParams, GotoDefinitionResponse, Hover,
    HoverContents, HoverParams, Location, MarkupContent, MarkupKind, OneOf,
    OptionalVersionedTextDocumentIdentifier, Position, Range, ResourceOp, TextDocumentEdit,
    TextEdit, Uri, WorkspaceEdit,
};

use super::index::{Index, Record, is_date, refers, targets, vocabulary, wire};
use super::text::{Doc, Pos, Str, path_uri, pos_of, pos_of_offset, position, range, scan};
use super::{Dataset, Document, dataset_of, resolved, to_lsp};

/// What the features read: the open documents and the datasets' last diagnostics.
pub(crate) struct View<'a> {
    pub(crate) docs: &'a HashMap<PathBuf, Document>,
    pub(crate) datasets: &'a BTreeMap<PathBuf, Dataset>,
}

impl View<'_> {
    /// A file's text as the editor has it: the open document's, else the disk's (bytes that
    /// are not UTF-8 replaced).
    fn text(&self, path: &Path) -> Option<String> {
        if let Some(d) = self.docs.get(path) {
            return Some(d.text.clone());
        }
        std::fs::read(path)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    }

    fn index(&self, dir: &Path) -> Index {
        Index::build(dir, |p| self.text(p))
    }

    /// The URI the client knows a file by.
    fn uri(&self, path: &Path) -> Uri {
        self.docs
            .get(path)
            .map_or_else(|| path_uri(path), |d| d.uri.clone())
    }
}

/// A document of a dataset, read.
struct Opened {
    path: PathBuf,
    dir: PathBuf,
    text: String,
    doc: Doc,
}

fn open(view: &View<'_>, uri: &Uri) -> Option<Opened> {
    let path = resolved(&super::text::uri_path(uri)?);
    let dir = dataset_of(&path)?;
    let text = view.text(&path)?;
    let doc = scan(&text);
    Some(Opened {
        path,
        dir,
        text,
        doc,
    })
}

/// What a string value under the cursor stands for.
enum What {
    /// A reference to a record that exists.
    Record(Record),
    /// A reference to no record: the id, and the tables it may name.
    Missing(String, Vec<TableName>),
    /// A date, read (or why it cannot be).
    Date(Result<PartialDate, String>),
    /// A quote of a source: the source's record, its archived text's path and text, and
    /// where the quote first occurs there.
    Quote {
        source: Record,
        file: PathBuf,
        text: String,
        anchor: Option<Anchor>,
    },
}

/// The source record a quote in `block` cites: its evidence's `source`, or for an excuse
/// the source it is under.
fn source_of(doc: &Doc, table: &str, block: Option<usize>) -> Option<String> {
    let s = if table == "sources.excused" {
        doc.value_in(doc.record_block(block), "id")
    } else {
        doc.value_in(block, "source")
    };
    s.map(|s| s.value.clone())
}

fn what_at(view: &View<'_>, o: &Opened, at: Pos) -> Option<(Str, What)> {
    let (entry, s) = o.doc.string_at(at)?;
    let index = view.index(&o.dir);
    if entry.key == "quote" {
        let id = source_of(&o.doc, &entry.table, entry.block)?;
        let source = index
            .records
            .get(&id)
            .filter(|r| r.table == TableName::Sources)?
            .clone();
        let file = o.dir.join(source.field("file")?);
        let text = view.text(&file)?;
        let anchor = locate(&text, &s.value).into_iter().next();
        return Some((
            s.clone(),
            What::Quote {
                source,
                file,
                text,
                anchor,
            },
        ));
    }
    if is_date(&entry.table, &entry.key) {
        let date = s.value.parse::<PartialDate>().map_err(|e| e.to_string());
        return Some((s.clone(), What::Date(date)));
    }
    let r = refers(&entry.table, &entry.key)?;
    let (id, tables) = match (r, s.value.split_once(':')) {
        // `COUNTRY:office`: the country is the reference.
        (Refers::Participant | Refers::Subject, Some((country, _))) => {
            (country.to_owned(), vec![TableName::Countries])
        }
        _ => (s.value.clone(), targets(r)),
    };
    let what = match index.records.get(&id) {
        Some(rec) if tables.contains(&rec.table) => What::Record(rec.clone()),
        _ => What::Missing(id, tables),
    };
    Some((s.clone(), what))
}

/// Markdown special characters escaped, and every run of whitespace made one space.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            if "\\`*_{}[]<>()#+-.!|~".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// The line (from 1) of a byte place, for a message.
fn line_no(p: Pos) -> usize {
    p.line + 1
}

/// Hover: on a reference, the record it names; on a quote, the source's passage around it.
pub(crate) fn hover(view: &View<'_>, p: &HoverParams) -> Option<Hover> {
    let at = &p.text_document_position_params;
    let o = open(view, &at.text_document.uri)?;
    let (s, what) = what_at(view, &o, pos_of(&o.text, at.position))?;
    let value = match what {
        What::Record(rec) => {
            let mut v = format!(
                "**{}** `{}`",
                wire(rec.table),
                rec.field("id").unwrap_or("")
            );
            for key in ["name", "title", "office", "kind", "date", "summary"] {
                if let Some(f) = rec.field(key) {
                    v.push_str(&format!("\n\n{key}: {}", md(f)));
                }
            }
            let file = rec
                .path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned());
            v.push_str(&format!(
                "\n\n*{}:{}*",
                file.unwrap_or_default(),
                line_no(rec.id_at.0)
            ));
            v
        }
        What::Date(Ok(date)) => {
            format!(
                "`{date}`: from {} to {}\n\nprecision: {}, certainty: {}",
                date.min_day()
                    .map_or_else(|| "an open or unknown start".to_owned(), |d| d.to_string()),
                date.max_day()
                    .map_or_else(|| "an open or unknown end".to_owned(), |d| d.to_string()),
                date.precision(),
                date.certainty(),
            )
        }
        What::Date(Err(e)) => format!("Not a date: {}", md(&e)),
        What::Missing(id, tables) => {
            let names: Vec<&str> = tables.iter().map(|t| wire(*t)).collect();
            format!("No record `{id}` in {}", names.join(" or "))
        }
        What::Quote {
            source,
            file,
            text,
            anchor,
            ..
        } => {
            let name = file
                .strip_prefix(&o.dir)
                .unwrap_or(&file)
                .display()
                .to_string();
            let title = source.field("title").map(md).unwrap_or_default();
            match anchor {
                Some(a) => {
                    let before = tail_chars(&text[..a.start], 100);
                    let after = head_chars(&text[a.end..], 100);
                    format!(
                        "**{title}** (`{name}`, line {})\n\n> …{} **{}** {}…",
                        line_no(pos_of_offset(&text, a.start)),
                        md(before),
                        md(&text[a.start..a.end]),
                        md(after),
                    )
                }
                None => format!("**{title}** (`{name}`): the quote is not in this text"),
            }
        }
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: Some(range(&o.text, &s)),
    })
}

fn tail_chars(s: &str, n: usize) -> &str {
    let start = s.char_indices().rev().nth(n).map_or(0, |(i, _)| i);
    &s[start..]
}

fn head_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Go to definition: from a reference to its record's `id`; from a quote to its place in
/// the source's archived text.
pub(crate) fn definition(
    view: &View<'_>,
    p: &GotoDefinitionParams,
) -> Option<GotoDefinitionResponse> {
    let at = &p.text_document_position_params;
    let o = open(view, &at.text_document.uri)?;
    let (_, what) = what_at(view, &o, pos_of(&o.text, at.position))?;
    let location = match what {
        What::Record(rec) => {
            let text = view.text(&rec.path).unwrap_or_default();
            Location::new(
                view.uri(&rec.path),
                Range::new(position(&text, rec.id_at.0), position(&text, rec.id_at.1)),
            )
        }
        What::Quote {
            file,
            text,
            anchor: Some(a),
            ..
        } => Location::new(
            view.uri(&file),
            Range::new(
                position(&text, pos_of_offset(&text, a.start)),
                position(&text, pos_of_offset(&text, a.end)),
            ),
        ),
        _ => return None,
    };
    Some(GotoDefinitionResponse::Scalar(location))
}

/// Completion inside a string value: for a reference, the ids of the tables it may name;
/// for a value of a controlled vocabulary, its values; for a quote, the sentences of the
/// source it cites.
pub(crate) fn completion(view: &View<'_>, p: &CompletionParams) -> Option<CompletionResponse> {
    let at = &p.text_document_position;
    let o = open(view, &at.text_document.uri)?;
    let (entry, s) = o.doc.string_at(pos_of(&o.text, at.position))?;
    let edit_range = range(&o.text, s);
    let item = |label: String, insert: String, detail: String, kind| CompletionItem {
        filter_text: Some(label.clone()),
        label,
        kind: Some(kind),
        detail: Some(detail),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(edit_range, insert))),
        ..CompletionItem::default()
    };
    let mut items = Vec::new();
    if entry.key == "quote" {
        let index = view.index(&o.dir);
        let id = source_of(&o.doc, &entry.table, entry.block)?;
        let source = index.records.get(&id)?;
        let text = view.text(&o.dir.join(source.field("file")?))?;
        let how = source
            .field("segment")
            .and_then(|v| serde_json::from_value(serde_json::Value::from(v)).ok())
            .unwrap_or_default();
        for (n, sentence) in diplomacy_model::ledger::segment(&text, how)
            .iter()
            .enumerate()
        {
            let words = one_space(&text[sentence.start..sentence.end]);
            let Some(insert) = escaped(&o.text, s, &words) else {
                continue;
            };
            let detail = format!("sentence {} of {id}", n + 1);
            let mut it = item(words, insert, detail, CompletionItemKind::TEXT);
            it.sort_text = Some(format!("{n:08}"));
            items.push(it);
        }
        return Some(CompletionResponse::Array(items));
    }
    let Some(r) = refers(&entry.table, &entry.key) else {
        let file = o.path.file_name()?.to_str()?;
        for (value, meaning) in vocabulary(file, &entry.table, &entry.key) {
            items.push(item(
                value.clone(),
                value,
                meaning,
                CompletionItemKind::ENUM_MEMBER,
            ));
        }
        return (!items.is_empty()).then_some(CompletionResponse::Array(items));
    };
    let index = view.index(&o.dir);
    if r == Refers::Participant {
        // `COUNTRY:office`: the offices the dataset already gives someone of a country (an
        // `offices` record, a visit's guest), then each country's code to write another.
        let mut offices = std::collections::BTreeSet::new();
        for rec in index.records.values() {
            for (country, office) in [("country", "office"), ("guest_country", "guest_office")] {
                if let (Some(c), Some(o)) = (rec.field(country), rec.field(office)) {
                    offices.insert(format!("{c}:{o}"));
                }
            }
        }
        for office in offices {
            items.push(item(
                office.clone(),
                office,
                "an office of a country, no person named".to_owned(),
                CompletionItemKind::VALUE,
            ));
        }
        for code in index
            .ids
            .get(&TableName::Countries)
            .map_or(&[][..], Vec::as_slice)
        {
            let name = index.records.get(code).and_then(|r| r.field("name"));
            items.push(item(
                format!("{code}:"),
                format!("{code}:"),
                format!(
                    "an office of {}: write it after the colon",
                    name.unwrap_or(code)
                ),
                CompletionItemKind::VALUE,
            ));
        }
    }
    for table in targets(r) {
        for id in index.ids.get(&table).map_or(&[][..], Vec::as_slice) {
            let rec = index.records.get(id);
            let detail = match rec.and_then(|r| r.field("name").or_else(|| r.field("title"))) {
                Some(d) => format!("{}: {d}", wire(table)),
                None => wire(table).to_owned(),
            };
            items.push(item(
                id.clone(),
                id.clone(),
                detail,
                CompletionItemKind::REFERENCE,
            ));
        }
    }
    Some(CompletionResponse::Array(items))
}

/// The `[[redirects]]` a published id that is gone needs (E080): the block its hint gives,
/// appended to the dataset's `redirects.toml`, with an empty reason for the curator to write
/// (the validator refuses it until then). Where the file does not exist, the edit is the
/// whole new file, its `#:schema` directive first, and `true` says it is to be created.
fn add_redirect(
    view: &View<'_>,
    dir: &Path,
    d: &diplomacy_validate::Diagnostic,
) -> Option<(PathBuf, TextEdit, bool)> {
    let (_, block) = d.hint.as_deref()?.split_once("add to redirects.toml:\n")?;
    let mut lines: Vec<String> = block.lines().map(|l| l.trim().to_owned()).collect();
    for line in &mut lines {
        if line.starts_with("reason = ") {
            *line = "reason = \"\"".to_owned();
        }
    }
    let path = dir.join("redirects.toml");
    let Some(text) = view.text(&path) else {
        let new = format!(
            "{}\n\n{}\n",
            directive(view, dir, "redirects.toml"),
            lines.join("\n")
        );
        let start = Position::new(0, 0);
        return Some((path, TextEdit::new(Range::new(start, start), new), true));
    };
    let end = pos_of_offset(&text, text.len());
    // One blank line between the file's last block and the new one.
    let mut insert = String::new();
    if !text.is_empty() && !text.ends_with('\n') {
        insert.push('\n');
    }
    if !text.is_empty() {
        insert.push('\n');
    }
    insert.push_str(&lines.join("\n"));
    insert.push('\n');
    let at = position(&text, end);
    Some((path, TextEdit::new(Range::new(at, at), insert), false))
}

/// Code actions for the diagnostics in the range: a near-miss quote (E042) replaced by the
/// source's words, a missing `#:schema` directive (W001) added, a value no quote states
/// (E090) marked inferred, the redirect a published id that is gone needs (E080) added to
/// `redirects.toml`.
pub(crate) fn code_actions(view: &View<'_>, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    let uri = &p.text_document.uri;
    let Some(o) = open(view, uri) else {
        return Vec::new();
    };
    let Some(found) = view
        .datasets
        .get(&o.dir)
        .and_then(|d| d.diagnostics.get(&o.path))
    else {
        return Vec::new();
    };
    let (first, last) = (p.range.start.line, p.range.end.line);
    let mut out = Vec::new();
    for d in found {
        let line = d.line.saturating_sub(1);
        if line < first || line > last {
            continue;
        }
        let mut target = uri.clone();
        let mut create = false;
        let (title, edit) = match d.code.as_str() {
            "E080" => {
                let Some((path, edit, new)) = add_redirect(view, &o.dir, d) else {
                    continue;
                };
                target = path_uri(&path);
                create = new;
                (
                    "Add the redirect to redirects.toml (then give its reason)".to_owned(),
                    edit,
                )
            }
            "E042" => {
                let Some(edit) = replace_quote(view, &o, d) else {
                    continue;
                };
                ("Replace with the source's words".to_owned(), edit)
            }
            "E090" => {
                let Some((field, edit)) = mark_inferred(&o, d) else {
                    continue;
                };
                (
                    format!("Mark `{field}` inferred (then give its basis and reason)"),
                    edit,
                )
            }
            "W001" => {
                let name = o
                    .path
                    .file_name()
                    .map_or_else(String::new, |f| f.to_string_lossy().into_owned());
                let directive = directive(view, &o.dir, &name);
                (
                    format!("Add `{directive}`"),
                    TextEdit::new(
                        Range::new(Position::new(0, 0), Position::new(0, 0)),
                        format!("{directive}\n"),
                    ),
                )
            }
            _ => continue,
        };
        out.push(CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![to_lsp(d, &o.text)]),
            edit: Some(if create {
                // A file to create, then fill.
                WorkspaceEdit {
                    document_changes: Some(DocumentChanges::Operations(vec![
                        DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                            uri: target.clone(),
                            options: None,
                            annotation_id: None,
                        })),
                        DocumentChangeOperation::Edit(TextDocumentEdit {
                            text_document: OptionalVersionedTextDocumentIdentifier {
                                uri: target,
                                version: None,
                            },
                            edits: vec![OneOf::Left(edit)],
                        }),
                    ])),
                    ..WorkspaceEdit::default()
                }
            } else {
                WorkspaceEdit {
                    changes: Some(HashMap::from([(target, vec![edit])])),
                    ..WorkspaceEdit::default()
                }
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        }));
    }
    out
}

/// The edit adding an `inferred` entry for the field an E090 names, to the record it is in:
/// before the next table header after the field, or at the end of the file. Its `reason`
/// is left for the curator to write (the validator asks for it until it is written).
fn mark_inferred(o: &Opened, d: &diplomacy_validate::Diagnostic) -> Option<(String, TextEdit)> {
    let line = d.line.saturating_sub(1) as usize;
    let field = d.message.strip_prefix('`')?.split('`').next()?.to_owned();
    let entry = o.doc.entries.iter().find(|e| e.line == line)?;
    let record = o.doc.record_block(entry.block)?;
    let table = &o.doc.headers[record].name;
    let next = o.doc.headers.iter().find(|h| h.line > line).map(|h| h.line);
    let block =
        format!("[[{table}.inferred]]\nfield = \"{field}\"\nbasis = \"other\"\nreason = \"\"\n");
    let (at, text) = match next {
        Some(l) => (Position::new(u32::try_from(l).ok()?, 0), block),
        None => {
            let end = position(&o.text, pos_of_offset(&o.text, o.text.len()));
            let lead = if o.text.ends_with('\n') || o.text.is_empty() {
                ""
            } else {
                "\n"
            };
            (end, format!("{lead}{block}"))
        }
    };
    Some((field, TextEdit::new(Range::new(at, at), text)))
}

/// The edit replacing the quote an E042 names with the nearest passage of its source,
/// widened to whole words, where that passage is in the source.
fn replace_quote(
    view: &View<'_>,
    o: &Opened,
    d: &diplomacy_validate::Diagnostic,
) -> Option<TextEdit> {
    let line = d.line.saturating_sub(1) as usize;
    let entry = o.doc.entries.iter().find(|e| {
        e.key == "quote"
            && (e.line == line || e.strings.first().is_some_and(|s| s.start.line == line))
    })?;
    let s = entry.strings.first()?;
    let id = source_of(&o.doc, &entry.table, entry.block)?;
    let index = view.index(&o.dir);
    let source = index.records.get(&id)?;
    let text = view.text(&o.dir.join(source.field("file")?))?;
    let words = nearest_words(d.hint.as_deref()?, &text, &s.value)?;
    Some(TextEdit::new(
        range(&o.text, s),
        escaped(&o.text, s, &words)?,
    ))
}

/// The passage an E042 hint names ("the nearest passage of the source is \"...\""), found in
/// the source's text and widened to whole words, as a quote that the source holds.
fn nearest_words(hint: &str, text: &str, quote: &str) -> Option<String> {
    const MARK: &str = "the nearest passage of the source is \"";
    let rest = &hint[hint.find(MARK)? + MARK.len()..];
    let end = rest
        .find("\"; it differs")
        .or_else(|| rest.find("\"; the quote is there"))
        .or_else(|| rest.rfind('"'))?;
    let mut passage = rest[..end].replace('\n', " ");
    let cut = passage.ends_with('…');
    if cut {
        passage.pop();
    }
    let passage = one_space(&passage);
    let (norm, _) = (one_space(text), ());
    let start = norm.find(&passage)?;
    let mut end = if cut {
        let want = one_space(quote).chars().count();
        norm[start..]
            .char_indices()
            .nth(want)
            .map_or(norm.len(), |(i, _)| start + i)
    } else {
        start + passage.len()
    };
    let mut start = start;
    let word = |c: char| c.is_alphanumeric();
    while norm[..start].chars().next_back().is_some_and(word)
        && norm[start..].chars().next().is_some_and(word)
    {
        start -= norm[..start].chars().next_back().map_or(1, char::len_utf8);
    }
    while norm[..end].chars().next_back().is_some_and(word)
        && norm[end..].chars().next().is_some_and(word)
    {
        end += norm[end..].chars().next().map_or(1, char::len_utf8);
    }
    let words = norm[start..end].trim().to_owned();
    (!words.is_empty() && !locate(text, &words).is_empty()).then_some(words)
}

/// `s` with every run of whitespace made one space.
fn one_space(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `value` written as the content of the string `s` of `text`: escaped for a basic string,
/// as it is for a literal one (`None` where a literal string cannot hold it).
fn escaped(text: &str, s: &Str, value: &str) -> Option<String> {
    let line = text.split('\n').nth(s.start.line).unwrap_or("");
    let before = line.get(..s.start.byte).unwrap_or("");
    let literal = if s.start.byte == 0 {
        // A multi-line string whose content begins on the line after its quotes.
        let prev = s
            .start
            .line
            .checked_sub(1)
            .and_then(|l| text.split('\n').nth(l))
            .unwrap_or("");
        prev.trim_end().ends_with("'''")
    } else {
        before.ends_with('\'')
    };
    if literal {
        return (!value.contains('\'') && !value.chars().any(char::is_control))
            .then(|| value.to_owned());
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    Some(out)
}

/// The `#:schema` directive for an authoring file: the directory the dataset's other files
/// name, else the dataset's own `schema/`, else this repository's layout.
fn directive(view: &View<'_>, dir: &Path, file: &str) -> String {
    let want = diplomacy_model::schema::schema_file_name(file);
    for name in super::check::toml_files() {
        let Some(text) = view.text(&dir.join(name)) else {
            continue;
        };
        let first = text
            .trim_start_matches('\u{feff}')
            .lines()
            .next()
            .unwrap_or("");
        if let Some(value) = first.strip_prefix("#:schema")
            && let Some((prefix, _)) = value.trim().rsplit_once('/')
        {
            return format!("#:schema {prefix}/{want}");
        }
    }
    if !dir.join("schema").is_dir() && dir.join("../../schema").join(&want).is_file() {
        return format!("#:schema ../../schema/{want}");
    }
    format!("#:schema schema/{want}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_passage_widens_to_whole_words() {
        let text = "In February 1998 the Foreign\nMinister of Japan visited.";
        let hint = "the nearest passage of the source is \"In February 1998 the Foreign\nMinister of Jap\"; it differs at character 40";
        assert_eq!(
            nearest_words(hint, text, "In February 1998 the Foreign Minister of Jpan").as_deref(),
            Some("In February 1998 the Foreign Minister of Japan")
        );
        assert_eq!(nearest_words("no passage", text, "x"), None);
    }

    #[test]
    fn replacements_are_escaped_for_their_string() {
        let text = "quote = \"a\"\nq = 'b'\n";
        let doc = scan(text);
        let (a, b) = (&doc.entries[0].strings[0], &doc.entries[1].strings[0]);
        assert_eq!(
            escaped(text, a, "say \"x\"").as_deref(),
            Some("say \\\"x\\\"")
        );
        assert_eq!(escaped(text, b, "say \"x\"").as_deref(), Some("say \"x\""));
        assert_eq!(escaped(text, b, "it's"), None);
    }
}
