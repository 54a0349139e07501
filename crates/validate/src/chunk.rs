//! Chunked parsing: large table files are split at their `[[table]]` headers into chunks
//! that are parsed, checked and dropped in parallel, so memory holds the typed records and
//! the facts, not every parsed tree at once. Positions stay exact: each chunk's sink adds the
//! chunk's byte offset to every span.

use serde::de::DeserializeOwned;
use serde_json::Value;
use toml_spanner::{Arena, Item};

use diplomacy_model::TableName;

use crate::Options;
use crate::cache::{ChunkMemo, Piece};
use crate::diagnostic::Code;
use crate::facts::{Facts, extract};
use crate::record::{date_checks, record_checks};
use crate::schema::{FileSchema, closest};
use crate::sink::{Sink, SourceFile};
use crate::spans::{schema_errors, to_json};

/// What checking one chunk of a table file gives.
struct ChunkOut<T> {
    records: Vec<T>,
    facts: Facts,
    sink: Sink,
    /// The chunk did not parse.
    syntax_error: bool,
    /// Records were lost to a problem above the record level (a wrong top-level key or type).
    lost: bool,
    /// Where the chunk writes its table as an inline array (`visits = [...]`, the key's
    /// offset in the file): valid alone, invalid TOML beside a `[[visits]]` header in
    /// another chunk.
    inline: Option<usize>,
    /// Where a session remembers the chunk: the key of its text.
    remember: Option<crate::cache::Key>,
    /// Where the session remembered it: the context its records were found to state
    /// their values in.
    entailed: Option<crate::cache::Key>,
}

impl<T> ChunkOut<T> {
    /// Whether checking the chunk gave nothing but its facts (and records).
    fn clean(&self) -> bool {
        self.sink.diagnostics.is_empty()
            && !self.syntax_error
            && !self.lost
            && self.inline.is_none()
    }
}

/// Parses and checks bytes `start..end` of a table file; a chunk of `limit` bytes or more
/// is refused (the parser's limit, [`PARSER_LIMIT`], lowered in tests).
fn check_chunk<T: DeserializeOwned>(
    index: usize,
    file: &SourceFile,
    (start, end): (usize, usize),
    schema: &FileSchema,
    table: TableName,
    limit: usize,
    keep: bool,
) -> ChunkOut<T> {
    let mut out = ChunkOut {
        records: Vec::new(),
        facts: Facts::default(),
        sink: Sink::at_offset(start),
        syntax_error: false,
        lost: false,
        inline: None,
        remember: None,
        entailed: None,
    };
    let Some(chunk) = file.text.as_deref().and_then(|t| t.get(start..end)) else {
        return out;
    };
    if chunk.len() >= limit {
        out.sink.at(
            file,
            toml_spanner::Span::new(0, 0),
            Code::TooLarge,
            too_large_for_parser(file.name, chunk.len()),
            Some(format!(
                "split the text into records under [[{}]] headers",
                table.as_str()
            )),
        );
        out.syntax_error = true;
        return out;
    }
    if let Some(at) = too_deep(chunk) {
        let pos = out.sink.offset + at;
        out.sink.at_pos(
            file,
            pos,
            Code::Syntax,
            format!("invalid TOML: a key nested more than {MAX_KEY_DEPTH} levels deep"),
            Some("a record's fields are a few levels deep at most".to_owned()),
        );
        out.syntax_error = true;
        return out;
    }
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
        if array.style() == toml_spanner::ArrayStyle::Inline {
            out.inline = Some(start + k.span.start as usize);
        }
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
            let evidence = extract(item, table, index, start, &mut out.facts);
            let json = to_json(item, file, sink);
            let schema_ok = schema_errors(file, item, &json, schema, sink);
            record_checks(file, item, Some(table), sink);
            // Provenance is checked on records that passed their schema: a broken record's
            // own problem is reported instead.
            if schema_ok {
                crate::facts::extract_provenance(
                    item,
                    table,
                    index,
                    start,
                    evidence,
                    &mut out.facts,
                );
            }
            if schema_ok
                && date_checks(file, table, item, sink)
                && let Some(record) = deserialize(file, item, json, sink)
                && keep
            {
                // A record not kept is dropped here, on the thread that made it.
                out.records.push(record);
            }
        }
    }
    out.facts.shrink_to_fit();
    out
}

/// Checks a whole table file: in parallel chunks where it is large. Where a chunk does not
/// parse (a split inside a multi-line string), the file is parsed in one piece if the parser
/// takes it whole; a larger file has each chunk that does not parse joined with the next, a
/// few rounds, so a valid file over the parser's limit stays valid.
pub(crate) fn check_table<T: DeserializeOwned + Send>(
    index: usize,
    file: &SourceFile,
    schema: &FileSchema,
    table: TableName,
    options: &Options,
    memo: Option<&mut ChunkMemo>,
) -> Checked<T> {
    check_table_limited(index, file, schema, table, options, PARSER_LIMIT, memo)
}

/// What checking a table file gives: its records (where kept), its diagnostics, whether
/// records were lost, and its facts, chunk by chunk in order.
pub(crate) struct Checked<T> {
    pub(crate) records: Vec<T>,
    pub(crate) sink: Sink,
    pub(crate) incomplete: bool,
    pub(crate) pieces: Vec<Piece>,
}

/// A byte range of a file and, unless it is to be parsed again, what checking it gave.
type Part<T> = ((usize, usize), Option<ChunkOut<T>>);

/// How many times chunks that do not parse are joined with the next before their errors
/// are reported as they are.
const JOIN_ROUNDS: usize = 4;

fn check_table_limited<T: DeserializeOwned + Send>(
    index: usize,
    file: &SourceFile,
    schema: &FileSchema,
    table: TableName,
    options: &Options,
    limit: usize,
    memo: Option<&mut ChunkMemo>,
) -> Checked<T> {
    let Some(text) = file.text.as_deref() else {
        return Checked {
            records: Vec::new(),
            sink: Sink::default(),
            incomplete: file.failed,
            pieces: Vec::new(),
        };
    };
    // The records are kept where the caller wants them, and the redirects always (the id
    // checks follow them).
    let keep = options.keep_records || table == TableName::Redirects;
    let mut ranges = split_chunks(text, table.as_str(), options.chunk_size);
    let mut outs = match memo {
        // Records are not remembered: only a run that does not keep them uses the memo.
        Some(memo) if !keep => {
            let job = Job {
                index,
                file,
                schema,
                table,
                limit,
                keep,
            };
            run_remembered::<T>(&job, &ranges, memo)
        }
        _ => run_chunks::<T>(index, file, &ranges, schema, table, limit, keep),
    };
    // A chunk that does not parse, or one whose table is an inline array (which a
    // `[[table]]` header in another chunk may not extend): the whole file decides.
    if ranges.len() > 1 && outs.iter().any(|o| o.syntax_error || o.inline.is_some()) {
        if text.len() < limit {
            ranges = vec![(0, text.len())];
            outs = run_chunks::<T>(index, file, &ranges, schema, table, limit, keep);
        } else {
            for _ in 0..JOIN_ROUNDS {
                if !outs.iter().any(|o| o.syntax_error) {
                    break;
                }
                // Each failing chunk joined with the next (where the two fit the parser);
                // only the joined pieces are parsed again.
                let mut joined: Vec<Part<T>> = Vec::new();
                let mut pieces = ranges
                    .iter()
                    .copied()
                    .zip(std::mem::take(&mut outs))
                    .peekable();
                while let Some((range, out)) = pieces.next() {
                    let next_fits = pieces
                        .peek()
                        .is_some_and(|((_, end), _)| end - range.0 < limit);
                    if out.syntax_error && next_fits {
                        let ((_, end), _) = pieces.next().expect("peeked");
                        joined.push(((range.0, end), None));
                    } else {
                        joined.push((range, Some(out)));
                    }
                }
                if joined.len() == ranges.len() {
                    outs = joined.into_iter().filter_map(|(_, o)| o).collect();
                    break;
                }
                let redo: Vec<(usize, usize)> = joined
                    .iter()
                    .filter(|(_, o)| o.is_none())
                    .map(|(r, _)| *r)
                    .collect();
                let mut fresh =
                    run_chunks::<T>(index, file, &redo, schema, table, limit, keep).into_iter();
                ranges = joined.iter().map(|(r, _)| *r).collect();
                outs = joined
                    .into_iter()
                    .filter_map(|(_, o)| o.or_else(|| fresh.next()))
                    .collect();
            }
        }
    }
    let mut records = Vec::new();
    let mut sink = Sink::default();
    let mut incomplete = false;
    let mut pieces = Vec::with_capacity(outs.len());
    // Over the parser's limit, the file cannot be parsed whole: an inline array beside
    // headers in other chunks is reported here, as the parser reports it in a smaller file.
    if outs.len() > 1
        && let Some(at) = outs.iter().find_map(|o| o.inline)
    {
        let key = table.as_str();
        sink.at_pos(
            file,
            at,
            Code::Syntax,
            format!(
                "invalid TOML: `{key}` is an inline array here, and `[[{key}]]` headers elsewhere in the file add to it"
            ),
            Some(format!("write every record under a `[[{key}]]` header")),
        );
        incomplete = true;
    }
    for (o, &(start, _)) in outs.into_iter().zip(&ranges) {
        pieces.push(Piece {
            table,
            key: o.remember,
            start,
            entailed: o.entailed,
            facts: o.facts,
        });
        records.extend(o.records);
        sink.diagnostics.extend(o.sink.diagnostics);
        incomplete |= o.syntax_error || o.lost;
    }
    Checked {
        records,
        sink,
        incomplete,
        pieces,
    }
}

/// One more than the largest text the TOML parser parses at once (toml-spanner keeps
/// offsets in 28 bits: 256 MiB). Table files are parsed in chunks, so this bounds one chunk
/// (a record, or the text between two `[[table]]` headers), and `dataset.toml` as a whole.
pub(crate) const PARSER_LIMIT: usize = 1 << 28;

/// The message for a piece of text over [`PARSER_LIMIT`] (the parser's own message names a
/// wrong limit).
pub(crate) fn too_large_for_parser(name: &str, len: usize) -> String {
    format!(
        "{name}: a piece of {len} bytes that the TOML parser must read at once is over its limit of {} bytes",
        PARSER_LIMIT - 1
    )
}

/// What every chunk of one table file is checked with.
struct Job<'a> {
    index: usize,
    file: &'a SourceFile,
    schema: &'a FileSchema,
    table: TableName,
    limit: usize,
    keep: bool,
}

/// Checks the chunks `ranges`, taking each that `memo` holds out of it and checking the
/// others (in parallel); each that gave no diagnostic carries its text, to be remembered.
fn run_remembered<T: DeserializeOwned + Send>(
    job: &Job<'_>,
    ranges: &[(usize, usize)],
    memo: &mut ChunkMemo,
) -> Vec<ChunkOut<T>> {
    let text = job.file.text.as_deref().unwrap_or_default();
    let keys: Vec<crate::cache::Key> = ranges
        .iter()
        .map(|&(start, end)| memo.key(&text[start..end]))
        .collect();
    let mut outs: Vec<Option<ChunkOut<T>>> = ranges
        .iter()
        .zip(&keys)
        .map(|(&(start, _), &key)| {
            memo.take(key, start).map(|(facts, entailed)| ChunkOut {
                records: Vec::new(),
                facts,
                sink: Sink::at_offset(start),
                syntax_error: false,
                lost: false,
                inline: None,
                remember: Some(key),
                entailed,
            })
        })
        .collect();
    let (missing, missing_keys): (Vec<(usize, usize)>, Vec<crate::cache::Key>) = ranges
        .iter()
        .zip(&keys)
        .zip(&outs)
        .filter(|(_, o)| o.is_none())
        .map(|((r, k), _)| (*r, *k))
        .unzip();
    let fresh = run_chunks::<T>(
        job.index, job.file, &missing, job.schema, job.table, job.limit, job.keep,
    );
    let mut fresh = missing_keys.into_iter().zip(fresh).map(|(key, mut out)| {
        if out.clean() {
            out.remember = Some(key);
        }
        out
    });
    for slot in &mut outs {
        if slot.is_none() {
            *slot = fresh.next();
        }
    }
    // `run_chunks` gives one outcome per range, so every slot is filled.
    outs.into_iter()
        .map(|o| o.expect("an outcome for every chunk"))
        .collect()
}

fn run_chunks<T: DeserializeOwned + Send>(
    index: usize,
    file: &SourceFile,
    ranges: &[(usize, usize)],
    schema: &FileSchema,
    table: TableName,
    limit: usize,
    keep: bool,
) -> Vec<ChunkOut<T>> {
    if ranges.is_empty() {
        return Vec::new();
    }
    if ranges.len() == 1 {
        return vec![check_chunk(
            index, file, ranges[0], schema, table, limit, keep,
        )];
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
                        fail::fail_point!("validate::chunk-worker");
                        mine.push((
                            i,
                            check_chunk(index, file, range, schema, table, limit, keep),
                        ));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            // A worker's panic is re-raised: its chunk's records and diagnostics are never
            // dropped silently (which would let a dataset with records missing validate).
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    outs.sort_by_key(|(i, _)| *i);
    outs.into_iter().map(|(_, o)| o).collect()
}

/// Splits a file into chunks of about `target` bytes that each start at a line `[[key]]`
/// (except the first). A split inside a multi-line string makes a chunk fail to parse; the
/// caller then parses the file whole.
///
/// Where a file is cut depends on the text around each cut, not on the bytes before it: a
/// header is a cut where the line after it hashes to a multiple of a spacing that gives
/// chunks of about `target` bytes (at least a quarter of it, at most twice it). An edit
/// moves the cuts of its own chunk at most, so the chunks after it are the same text as
/// before, and a [`Session`](crate::Session) finds them checked already.
fn split_chunks(text: &str, key: &str, target: usize) -> Vec<(usize, usize)> {
    use std::hash::BuildHasher as _;
    if text.len() <= target {
        return vec![(0, text.len())];
    }
    let header = format!("\n[[{key}]]");
    let bytes = text.as_bytes();
    let headers: Vec<usize> = memchr::memmem::find_iter(bytes, header.as_bytes())
        .map(|found| found + 1)
        .filter(|&at| {
            let after = bytes.get(at + header.len() - 1).copied();
            matches!(after, None | Some(b'\n' | b'\r' | b' ' | b'\t' | b'#'))
        })
        .collect();
    // One header in `spacing` is a cut, on average: about `target` bytes of records.
    let record = (text.len() / (headers.len() + 1)).max(1);
    let spacing = (target / record).max(1);
    let mask = (1u64 << spacing.ilog2()) - 1;
    let (least, most) = (target / 4, target.saturating_mul(2));
    // A fixed seed: the same text is cut at the same places in every run.
    let hasher = foldhash::fast::FixedState::with_seed(0x6469_706c_6f6d_6163);
    let mut chunks = Vec::new();
    let mut start = 0;
    for at in headers {
        let len = at - start;
        if len < least || at == 0 {
            continue;
        }
        let line = &bytes[at + header.len() - 1..];
        let line = &line[..memchr::memchr(b'\n', line).map_or(line.len(), |n| n + 1)];
        let after = &line[..line.len().min(256)];
        let next = bytes
            .get(at + header.len() - 1 + line.len()..)
            .unwrap_or_default();
        let next = &next[..memchr::memchr(b'\n', next)
            .map_or(next.len(), |n| n + 1)
            .min(256)];
        if len >= most || hasher.hash_one((after, next)) & mask == 0 {
            chunks.push((start, at));
            start = at;
        }
    }
    chunks.push((start, text.len()));
    chunks
}

pub(crate) fn deserialize<T: DeserializeOwned>(
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

/// How many levels a dotted key (`a.b.c = 1`, `[a.b.c]`) may nest: far beyond any record's
/// fields, and far below the depth at which reading or dropping the parsed tree would
/// exhaust the stack.
pub(crate) const MAX_KEY_DEPTH: usize = 128;

/// The byte offset of the first dot that nests a key more than [`MAX_KEY_DEPTH`] levels deep,
/// if there is one. Dots inside strings and comments do not count; a value's dots (`1.5`)
/// count only within one element, since `=`, `,`, brackets, braces and line ends start over.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum In {
        Code,
        Comment,
        Basic,
        Literal,
        MultiBasic,
        MultiLiteral,
    }
    const THREE_DOUBLE: &[u8] = b"\"\"\"";
    const THREE_SINGLE: &[u8] = b"'''";
    let bytes = text.as_bytes();
    let mut state = In::Code;
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // Inside a string or a comment only a few bytes matter: jump to the next of them.
        let next = match state {
            In::Code => Some(0),
            In::Comment => memchr::memchr(b'\n', &bytes[i..]),
            In::Basic => memchr::memchr3(b'\\', b'"', b'\n', &bytes[i..]),
            In::Literal => memchr::memchr2(b'\'', b'\n', &bytes[i..]),
            In::MultiBasic => memchr::memchr2(b'\\', b'"', &bytes[i..]),
            In::MultiLiteral => memchr::memchr(b'\'', &bytes[i..]),
        };
        let Some(skip) = next else { break };
        i += skip;
        let b = bytes[i];
        let rest = &bytes[i..];
        match state {
            In::Code => match b {
                b'#' => state = In::Comment,
                b'"' if rest.starts_with(THREE_DOUBLE) => {
                    state = In::MultiBasic;
                    i += 2;
                }
                b'\'' if rest.starts_with(THREE_SINGLE) => {
                    state = In::MultiLiteral;
                    i += 2;
                }
                b'"' => state = In::Basic,
                b'\'' => state = In::Literal,
                b'.' => {
                    depth += 1;
                    if depth > MAX_KEY_DEPTH {
                        return Some(i);
                    }
                }
                b'=' | b',' | b'[' | b']' | b'{' | b'}' | b'\n' => depth = 0,
                _ => {}
            },
            In::Comment => {
                if b == b'\n' {
                    state = In::Code;
                    depth = 0;
                }
            }
            In::Basic => match b {
                b'\\' => i += 1,
                b'"' | b'\n' => state = In::Code,
                _ => {}
            },
            In::Literal => {
                if b == b'\'' || b == b'\n' {
                    state = In::Code;
                }
            }
            In::MultiBasic => {
                if b == b'\\' {
                    i += 1;
                } else if rest.starts_with(THREE_DOUBLE) {
                    state = In::Code;
                    i += 2;
                }
            }
            In::MultiLiteral => {
                if rest.starts_with(THREE_SINGLE) {
                    state = In::Code;
                    i += 2;
                }
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    /// The byte-by-byte scan `too_deep` was before it jumped through strings and comments.
    fn reference(text: &str) -> Option<usize> {
        #[derive(Clone, Copy, PartialEq)]
        enum In {
            Code,
            Comment,
            Basic,
            Literal,
            MultiBasic,
            MultiLiteral,
        }
        const THREE_DOUBLE: &[u8] = b"\"\"\"";
        const THREE_SINGLE: &[u8] = b"'''";
        let bytes = text.as_bytes();
        let mut state = In::Code;
        let mut depth = 0usize;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let rest = &bytes[i..];
            match state {
                In::Code => match b {
                    b'#' => state = In::Comment,
                    b'"' if rest.starts_with(THREE_DOUBLE) => {
                        state = In::MultiBasic;
                        i += 2;
                    }
                    b'\'' if rest.starts_with(THREE_SINGLE) => {
                        state = In::MultiLiteral;
                        i += 2;
                    }
                    b'"' => state = In::Basic,
                    b'\'' => state = In::Literal,
                    b'.' => {
                        depth += 1;
                        if depth > super::MAX_KEY_DEPTH {
                            return Some(i);
                        }
                    }
                    b'=' | b',' | b'[' | b']' | b'{' | b'}' | b'\n' => depth = 0,
                    _ => {}
                },
                In::Comment => {
                    if b == b'\n' {
                        state = In::Code;
                        depth = 0;
                    }
                }
                In::Basic => match b {
                    b'\\' => i += 1,
                    b'"' | b'\n' => state = In::Code,
                    _ => {}
                },
                In::Literal => {
                    if b == b'\'' || b == b'\n' {
                        state = In::Code;
                    }
                }
                In::MultiBasic => {
                    if b == b'\\' {
                        i += 1;
                    } else if rest.starts_with(THREE_DOUBLE) {
                        state = In::Code;
                        i += 2;
                    }
                }
                In::MultiLiteral => {
                    if rest.starts_with(THREE_SINGLE) {
                        state = In::Code;
                        i += 2;
                    }
                }
            }
            i += 1;
        }
        None
    }

    proptest::proptest! {
        /// Jumping through strings and comments finds what the byte-by-byte scan finds.
        #[test]
        fn too_deep_agrees_with_the_byte_by_byte_scan(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    30 => proptest::strategy::Just("."),
                    1 => proptest::sample::select(vec![
                        "a", "\"", "'", "\"\"\"", "\'\'\'", "\\", "#", "\n", "=", ",", "[", "]", "{", "}", " ", "é",
                    ]),
                ],
                0..1500,
            )
        ) {
            let text: String = parts.concat();
            proptest::prop_assert_eq!(super::too_deep(&text), reference(&text), "{:?}", text);
        }
    }

    #[test]
    fn keys_too_deep_are_found_outside_strings_and_comments() {
        use super::{MAX_KEY_DEPTH, too_deep};
        let deep = format!("a{} = 1\n", ".a".repeat(MAX_KEY_DEPTH));
        assert_eq!(too_deep(&deep), None);
        let deeper = format!("x = 1\na{} = 1\n", ".a".repeat(MAX_KEY_DEPTH + 1));
        assert_eq!(too_deep(&deeper), Some(6 + 1 + 2 * MAX_KEY_DEPTH));
        let header = format!("[a{}]\n", ".a".repeat(MAX_KEY_DEPTH + 1));
        assert!(too_deep(&header).is_some());
        // Dots in strings, comments and values do not nest anything.
        let dots = ".".repeat(4 * MAX_KEY_DEPTH);
        let floats = vec!["1.5"; 4 * MAX_KEY_DEPTH].join(", ");
        let fine = format!(
            "q = \"{dots}\"\nr = '{dots}'\ns = \"\"\"\n{dots}\n\"\"\"\nt = '''{dots}'''\n# {dots}\nu = [{floats}]\nv = \"a\\\"{dots}\"\n"
        );
        assert_eq!(too_deep(&fine), None);
        // Hundreds of thousands of levels are reported, not followed.
        let hostile = format!("a{} = 1\n", ".a".repeat(300_000));
        assert!(too_deep(&hostile).is_some());
    }

    use super::*;

    /// A valid file over the parser's limit (here lowered to 200 bytes) whose chunks split a
    /// multi-line string stays valid: the failing chunk is joined with the next.
    #[test]
    fn chunks_split_in_a_string_are_joined_over_the_parser_limit() {
        let mut text = String::from("#:schema ../../schema/countries.schema.json\n");
        for i in 0..6 {
            let code = ["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"][i];
            text.push_str(&format!(
                "[[countries]]\nid = \"{code}\"\nname = \"Country {i}\"\n"
            ));
            if i == 2 {
                text.push_str("notes = \"\"\"\nA note that holds a header:\n[[countries]]\nid = \"XXX\"\n\"\"\"\n");
            }
        }
        assert!(text.len() > 200);
        let (records, sink, lost) = check_countries(&text, 1, 200);
        let messages: Vec<String> = sink.diagnostics.iter().map(ToString::to_string).collect();
        assert!(messages.is_empty(), "{messages:?}");
        assert!(!lost);
        assert_eq!(records.len(), 6);
    }

    /// Checks a countries file in chunks of `chunk_size` bytes, the parser's limit at
    /// `limit`: its records, diagnostics, and whether records were lost.
    fn check_countries(
        text: &str,
        chunk_size: usize,
        limit: usize,
    ) -> (Vec<diplomacy_model::Country>, Sink, bool) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let mut file = SourceFile::new(dir.path(), "countries.toml");
        file.text = Some(text.to_owned());
        let validators = crate::schema::Validators::get();
        let schema = validators
            .files
            .iter()
            .find(|s| s.file == "countries.toml")
            .expect("schema");
        let options = Options {
            chunk_size,
            ..Options::default()
        };
        let checked = check_table_limited(
            0,
            &file,
            schema,
            TableName::Countries,
            &options,
            limit,
            None,
        );
        (checked.records, checked.sink, checked.incomplete)
    }

    /// Whether a countries file validates (no error, nothing lost), in chunks of
    /// `chunk_size` bytes with the parser's limit at `limit`.
    fn valid_in_chunks(text: &str, chunk_size: usize, limit: usize) -> bool {
        let (_, sink, lost) = check_countries(text, chunk_size, limit);
        !lost
            && !sink
                .diagnostics
                .iter()
                .any(|d| d.code.severity() == crate::diagnostic::Severity::Error)
    }

    /// Chunked parsing gives the verdict of parsing the whole file, on files that are valid
    /// and on files whose fault spans chunks (a table defined twice, an inline array
    /// extended by headers, a key redefined, a header inside a multi-line string), both
    /// where the file can be parsed whole and where it is over the parser's limit.
    #[test]
    fn chunks_give_the_verdict_of_the_whole_file() {
        let record =
            |code: &str| format!("[[countries]]\nid = \"{code}\"\nname = \"Country {code}\"\n");
        let records: String = ["AAA", "BBB", "CCC", "DDD"]
            .iter()
            .map(|c| record(c))
            .collect();
        let head = "#:schema ../../schema/countries.schema.json\n";
        let cases: Vec<(&str, String, bool)> = vec![
            ("valid", format!("{head}{records}"), true),
            (
                "an inline array extended by headers",
                format!("{head}countries = [{{ id = \"ZZZ\", name = \"Z\" }}]\n{records}"),
                false,
            ),
            (
                "a table defined twice across chunks",
                format!(
                    "{head}{}[other]\nx = 1\n{}[other]\ny = 2\n",
                    record("AAA"),
                    record("BBB")
                ),
                false,
            ),
            (
                "a key defined twice in one record",
                format!("{head}{records}[[countries]]\nid = \"EEE\"\nid = \"FFF\"\nname = \"E\"\n"),
                false,
            ),
            (
                "a header inside a multi-line string",
                format!(
                    "{head}{}notes = \"\"\"\n[[countries]]\nid = \"XXX\"\n\"\"\"\n{}",
                    record("AAA"),
                    record("BBB")
                ),
                true,
            ),
        ];
        for (what, text, valid) in &cases {
            // Whole: one chunk the parser takes at once.
            assert_eq!(
                valid_in_chunks(text, usize::MAX, PARSER_LIMIT),
                *valid,
                "{what}: whole"
            );
            // Chunked, the file small enough to be parsed whole where a chunk is in doubt.
            assert_eq!(
                valid_in_chunks(text, 1, PARSER_LIMIT),
                *valid,
                "{what}: chunked"
            );
            // Chunked, the file over the parser's limit (each chunk under it).
            assert_eq!(
                valid_in_chunks(text, 1, text.len() - 1),
                *valid,
                "{what}: over the limit"
            );
        }
    }

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
