//! What the language server reads in a document as it is typed: its tables' headers, keys and
//! string values with their places, by a forgiving scan (a half-written file still gives
//! what it can), and the conversions between the validator's positions (lines and columns
//! from 1, columns in characters), byte offsets and the protocol's (from 0, in UTF-16 units).

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

/// A place in a text: the line (from 0) and the byte offset in that line (from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Pos {
    pub(crate) line: usize,
    pub(crate) byte: usize,
}

/// A string value: its text (escapes resolved) and where its content lies, between the quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Str {
    pub(crate) value: String,
    pub(crate) start: Pos,
    pub(crate) end: Pos,
}

impl Str {
    /// Whether `at` lies in the content or just at either edge of it.
    pub(crate) fn contains(&self, at: Pos) -> bool {
        self.start <= at && at <= self.end
    }
}

/// A `key = value` of a document, with the table it is in and its string values (one, or
/// the items of an array of strings).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: String,
    /// The table's header, e.g. `visits` or `visits.evidence` (empty before any header).
    pub(crate) table: String,
    /// Which header it is under: the index in [`Doc::headers`], or `None` before any.
    pub(crate) block: Option<usize>,
    /// The line of the key.
    pub(crate) line: usize,
    /// Whether the value is an array.
    pub(crate) array: bool,
    pub(crate) strings: Vec<Str>,
}

/// A table header (`[[visits]]`, `[[visits.evidence]]`) and its line.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub(crate) name: String,
    pub(crate) line: usize,
}

/// What a scan of a document finds.
#[derive(Debug, Clone, Default)]
pub(crate) struct Doc {
    pub(crate) headers: Vec<Header>,
    pub(crate) entries: Vec<Entry>,
}

impl Doc {
    /// The entry whose string value holds `at`, and which of its strings.
    pub(crate) fn string_at(&self, at: Pos) -> Option<(&Entry, &Str)> {
        self.entries
            .iter()
            .find_map(|e| e.strings.iter().find(|s| s.contains(at)).map(|s| (e, s)))
    }

    /// The string value of `key` in block `block` (the same table as another entry).
    pub(crate) fn value_in(&self, block: Option<usize>, key: &str) -> Option<&Str> {
        self.entries
            .iter()
            .filter(|e| e.block == block && e.key == key && !e.array)
            .find_map(|e| e.strings.first())
    }

    /// The block of the record a block belongs to: the nearest header at or above it that is
    /// not a sub-table (`visits`, not `visits.evidence`).
    pub(crate) fn record_block(&self, block: Option<usize>) -> Option<usize> {
        let mut b = block?;
        loop {
            if !self.headers[b].name.contains('.') {
                return Some(b);
            }
            b = b.checked_sub(1)?;
        }
    }
}

/// Scans a TOML document. Never fails: what cannot be read is passed over.
pub(crate) fn scan(text: &str) -> Doc {
    let mut doc = Doc::default();
    let mut c = Cursor::new(text);
    while !c.done() {
        c.skip_blanks();
        match c.peek() {
            None => break,
            Some('#' | '\n' | '\r') => {}
            Some('[') => {
                let line = c.line;
                let double = c.rest().starts_with("[[");
                let close = if double { "]]" } else { "]" };
                let rest = c.rest_of_line();
                let inner = rest.trim_start_matches('[');
                if let Some(end) = inner.find(close) {
                    doc.headers.push(Header {
                        name: inner[..end].trim().to_owned(),
                        line,
                    });
                }
            }
            Some(_) => {
                let line = c.line;
                let rest = c.rest_of_line();
                if let Some(eq) = rest.find('=') {
                    let key = rest[..eq].trim().trim_matches(['"', '\'']).to_owned();
                    c.advance(eq + 1);
                    c.skip_blanks();
                    let (array, strings) = c.value();
                    doc.entries.push(Entry {
                        key,
                        table: doc
                            .headers
                            .last()
                            .map(|h| h.name.clone())
                            .unwrap_or_default(),
                        block: doc.headers.len().checked_sub(1),
                        line,
                        array,
                        strings,
                    });
                }
            }
        }
        c.next_line();
    }
    doc
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
    line: usize,
    line_start: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Self {
            s,
            i: 0,
            line: 0,
            line_start: 0,
        }
    }
    fn done(&self) -> bool {
        self.i >= self.s.len()
    }
    fn rest(&self) -> &'a str {
        &self.s[self.i..]
    }
    fn rest_of_line(&self) -> &'a str {
        let r = self.rest();
        &r[..r.find('\n').unwrap_or(r.len())]
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            byte: self.i - self.line_start,
        }
    }
    fn bump(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.i += ch.len_utf8();
        if ch == '\n' {
            self.line += 1;
            self.line_start = self.i;
        }
        Some(ch)
    }
    /// Moves `n` bytes on within the line.
    fn advance(&mut self, n: usize) {
        self.i = (self.i + n).min(self.s.len());
    }
    fn skip_blanks(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }
    /// Moves past the end of the current line.
    fn next_line(&mut self) {
        while let Some(ch) = self.bump() {
            if ch == '\n' {
                break;
            }
        }
    }
    /// Reads a value: a string, an array (its strings), or anything else (no strings).
    fn value(&mut self) -> (bool, Vec<Str>) {
        match self.peek() {
            Some('"' | '\'') => (false, self.string().into_iter().collect()),
            Some('[') => {
                self.bump();
                let mut strings = Vec::new();
                let mut depth = 1;
                while let Some(ch) = self.peek() {
                    match ch {
                        '"' | '\'' => strings.extend(self.string()),
                        '#' => {
                            while !matches!(self.peek(), None | Some('\n')) {
                                self.bump();
                            }
                        }
                        '[' => {
                            depth += 1;
                            self.bump();
                        }
                        ']' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                            self.bump();
                        }
                        // A header on a line of its own: the array was never closed.
                        '\n' if self.s[self.i + 1..].trim_start().starts_with("[[") => break,
                        _ => {
                            self.bump();
                        }
                    }
                }
                (true, strings)
            }
            _ => (false, Vec::new()),
        }
    }
    /// Reads a string of any of TOML's four kinds, the cursor on its first quote.
    fn string(&mut self) -> Option<Str> {
        let quote = self.peek()?;
        let multi = self
            .rest()
            .starts_with(if quote == '"' { "\"\"\"" } else { "'''" });
        let literal = quote == '\'';
        self.advance(if multi { 3 } else { 1 });
        if multi && self.rest().starts_with('\n') {
            self.bump();
        } else if multi && self.rest().starts_with("\r\n") {
            self.advance(1);
            self.bump();
        }
        let start = self.pos();
        let mut value = String::new();
        loop {
            let end = self.pos();
            let closing = if multi {
                self.rest()
                    .starts_with(if literal { "'''" } else { "\"\"\"" })
            } else {
                self.peek() == Some(quote)
            };
            if closing {
                self.advance(if multi { 3 } else { 1 });
                return Some(Str { value, start, end });
            }
            match self.peek() {
                None => return Some(Str { value, start, end }),
                Some('\n') if !multi => return Some(Str { value, start, end }),
                Some('\\') if !literal => {
                    self.bump();
                    match self.bump() {
                        Some('n') => value.push('\n'),
                        Some('t') => value.push('\t'),
                        Some('r') => value.push('\r'),
                        Some('b') => value.push('\u{8}'),
                        Some('f') => value.push('\u{c}'),
                        Some('e') => value.push('\u{1b}'),
                        Some(c @ ('u' | 'U')) => {
                            let n = if c == 'u' { 4 } else { 8 };
                            let hex = self.rest().get(..n).unwrap_or("");
                            if let Some(ch) =
                                u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                            {
                                value.push(ch);
                                self.advance(n);
                            }
                        }
                        // A line-ending backslash: the line break and the blanks after go.
                        Some(c) if c.is_whitespace() && multi => {
                            while matches!(self.peek(), Some(' ' | '\t' | '\n' | '\r')) {
                                self.bump();
                            }
                        }
                        Some(c) => value.push(c),
                        None => {}
                    }
                }
                Some(_) => {
                    if let Some(ch) = self.bump() {
                        value.push(ch);
                    }
                }
            }
        }
    }
}

/// The lines of `text` as the protocol counts them (split at `\n`, a `\r` before it kept).
fn line_of(text: &str, line: usize) -> Option<&str> {
    text.split('\n').nth(line)
}

/// The protocol's position of a byte place.
pub(crate) fn position(text: &str, at: Pos) -> Position {
    let line = line_of(text, at.line).unwrap_or("");
    let mut byte = at.byte.min(line.len());
    while !line.is_char_boundary(byte) {
        byte -= 1;
    }
    Position::new(to_u32(at.line), to_u32(utf16_len(&line[..byte])))
}

/// The byte place of a protocol position (clamped to its line).
pub(crate) fn pos_of(text: &str, p: Position) -> Pos {
    let line = line_of(text, p.line as usize).unwrap_or("");
    let mut units = 0;
    let mut byte = line.len();
    for (i, ch) in line.char_indices() {
        if units >= p.character as usize {
            byte = i;
            break;
        }
        units += ch.len_utf16();
    }
    Pos {
        line: p.line as usize,
        byte,
    }
}

/// The byte place of a byte offset in the whole text.
pub(crate) fn pos_of_offset(text: &str, offset: usize) -> Pos {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count();
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    Pos {
        line,
        byte: offset - start,
    }
}

/// The protocol's range of a string's content.
pub(crate) fn range(text: &str, s: &Str) -> Range {
    Range::new(position(text, s.start), position(text, s.end))
}

/// The range a validator's diagnostic at `(line, column)` (from 1, the column in characters)
/// covers: a string value from its first quote to its last, else the rest of the line's
/// non-blank text; an empty range at the line's end where the line is shorter.
pub(crate) fn diagnostic_range(text: &str, line: u32, column: u32) -> Range {
    let l = line.saturating_sub(1) as usize;
    let col = column.saturating_sub(1) as usize;
    let Some(line_text) = line_of(text, l) else {
        let end = position(text, pos_of_offset(text, text.len()));
        return Range::new(end, end);
    };
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let start = line_text
        .char_indices()
        .nth(col)
        .map_or(line_text.len(), |(i, _)| i);
    let rest = &line_text[start..];
    let len = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.trim_end().len(), |i| i + 2),
        _ => rest.trim_end().len(),
    };
    let from = Pos {
        line: l,
        byte: start,
    };
    let to = Pos {
        line: l,
        byte: start + len,
    };
    Range::new(position(text, from), position(text, to))
}

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The file path of a `file:` URI (percent-escapes decoded), or `None` for another scheme.
pub(crate) fn uri_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file://host/path`: only the local host (empty or `localhost`) is a path here.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    if !path.starts_with('/') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = path
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt as _;
        Some(PathBuf::from(std::ffi::OsString::from_vec(out)))
    }
    #[cfg(not(unix))]
    {
        Some(PathBuf::from(String::from_utf8_lossy(&out).into_owned()))
    }
}

/// The `file:` URI of an absolute path, every byte outside the unreserved set and `/`
/// percent-escaped.
pub(crate) fn path_uri(path: &Path) -> Uri {
    use std::fmt::Write as _;
    let raw = path.as_os_str().as_encoded_bytes();
    let mut s = String::from("file://");
    for &b in raw {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            s.push(char::from(b));
        } else {
            let _ = write!(s, "%{b:02X}");
        }
    }
    s.parse().unwrap_or_else(|_| {
        #[allow(clippy::unwrap_used)] // A constant that parses.
        "file:///".parse().unwrap()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_keys_strings_and_headers_forgivingly() {
        let text = "#:schema x\n[[visits]]\nid = \"a-b\"\nparticipants = [\"x\", 'y']\n[[visits.evidence]]\nsource = \"s\"\nquote = \"\"\"\nOn 26 \\\"Feb\\\"\nin Astana\"\"\"\nbroken = \"no end\n";
        let doc = scan(text);
        assert_eq!(doc.headers.len(), 2);
        let id = doc.value_in(Some(0), "id").map(|s| s.value.as_str());
        assert_eq!(id, Some("a-b"));
        let q = doc.value_in(Some(1), "quote").map(|s| s.value.as_str());
        assert_eq!(q, Some("On 26 \"Feb\"\nin Astana"));
        let p = &doc.entries[1];
        assert!(p.array);
        assert_eq!(p.strings.len(), 2);
        let (e, s) = doc.string_at(Pos { line: 3, byte: 23 }).expect("y");
        assert_eq!((e.key.as_str(), s.value.as_str()), ("participants", "y"));
        assert_eq!(doc.record_block(Some(1)), Some(0));
        assert_eq!(
            doc.entries.last().map(|e| e.strings[0].value.as_str()),
            Some("no end")
        );
    }

    #[test]
    fn positions_count_utf16_units() {
        let text = "a = \"日本𝄞x\"\n";
        // 𝄞 is two UTF-16 units: the 'x' after it is at unit 5 + 1 + 1 + 2 = 9.
        let x = text.find('x').expect("x");
        let p = position(text, pos_of_offset(text, x));
        assert_eq!(p, Position::new(0, 9));
        assert_eq!(pos_of(text, p), Pos { line: 0, byte: x });
        // The validator's column 5 (1-based chars) is the opening quote.
        let r = diagnostic_range(text, 1, 5);
        assert_eq!((r.start.character, r.end.character), (4, 11));
        let past = diagnostic_range(text, 9, 1);
        assert_eq!(past.start, past.end);
    }

    #[test]
    fn file_uris_round_trip() {
        let p = Path::new("/tmp/a b/日本.toml");
        let uri = path_uri(p);
        assert_eq!(uri.as_str(), "file:///tmp/a%20b/%E6%97%A5%E6%9C%AC.toml");
        assert_eq!(uri_path(&uri).as_deref(), Some(p));
    }
}
