//! Where a quote sits in its source's text: the W3C Web Annotation `TextQuoteSelector` shape
//! (the exact words, with a short prefix and suffix) and the byte offsets of the words in the
//! archived text, so a reader can jump to the passage.
//!
//! A quote matches its source where its words appear in order, runs of whitespace (line
//! breaks included) standing for any run of whitespace, beginning and ending on word
//! boundaries, as the validator proves it.
//!
//! ```
//! use diplomacy_model::anchor::locate;
//!
//! let text = "Talks were held.\nThe two ministers\nmet in Astana. The two ministers met again.";
//! let found = locate(text, "The two ministers met");
//! assert_eq!(found.len(), 2);
//! assert_eq!(&text[found[0].start..found[0].end], "The two ministers\nmet");
//! assert_eq!(found[0].prefix, "Talks were held.\n");
//! assert!(found[1].prefix.ends_with("in Astana. "));
//! ```

/// How many characters of the text before and after a quote its anchor keeps.
pub const CONTEXT_CHARS: usize = 32;

/// One place a quote occurs in its source's text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Anchor {
    /// The byte offset (from 0) in the archived text where the quote's words begin.
    pub start: usize,
    /// The byte offset just past the quote's last word.
    pub end: usize,
    /// Up to [`CONTEXT_CHARS`] characters of the text just before the quote.
    pub prefix: String,
    /// Up to [`CONTEXT_CHARS`] characters of the text just after the quote.
    pub suffix: String,
}

/// `text` with every run of whitespace made one space, and for each byte of the result, the
/// offset of the byte of `text` it stands for. Runs of ASCII that is not whitespace (most of
/// any text) are copied whole; other characters one at a time.
fn normalise_with_offsets(text: &str) -> (String, Vec<usize>) {
    // The ASCII characters `char::is_whitespace` holds for.
    let ascii_space = |b: u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    let mut in_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (space, len) = if b.is_ascii() {
            (ascii_space(b), 1)
        } else {
            let c = text[i..].chars().next().unwrap_or_default();
            (c.is_whitespace(), c.len_utf8())
        };
        if space {
            if !in_space && !out.is_empty() {
                out.push(' ');
                offsets.push(i);
            }
            in_space = true;
            i += len;
            continue;
        }
        in_space = false;
        let start = i;
        i += len;
        if b.is_ascii() {
            while i < bytes.len() && bytes[i].is_ascii() && !ascii_space(bytes[i]) {
                i += 1;
            }
        }
        out.push_str(&text[start..i]);
        offsets.extend(start..i);
    }
    (out, offsets)
}

/// Whether `text[start..end]` begins and ends on word boundaries: Unicode's (UAX #29), so no
/// word runs across either edge. A letter or digit just outside the span beside one just
/// inside it joins them; so does a combining mark or a format character (a soft hyphen, a
/// zero-width joiner) just past the end, which belongs to the word it follows, and an
/// apostrophe or a full stop between letters (`don't`, `U.S`). A span that begins or ends
/// with other punctuation may touch a word.
///
/// ```
/// use diplomacy_model::anchor::on_word_boundaries;
///
/// let text = "the coopera\u{ad}tion of cafe\u{301}s";
/// assert!(on_word_boundaries(text, 4, 17)); // "coopera\u{ad}tion"
/// assert!(!on_word_boundaries(text, 4, 11)); // "coopera", then a soft hyphen
/// assert!(on_word_boundaries(text, 21, 28)); // "cafe\u{301}s"
/// assert!(!on_word_boundaries(text, 21, 25)); // "cafe", then a combining accent
/// ```
pub fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    is_word_boundary(text, start) && is_word_boundary(text, end)
}

/// How many bytes on each side of an offset [`is_word_boundary`] looks at: UAX #29's rules
/// look one or two characters each way, past any combining marks and format characters.
const BOUNDARY_WINDOW: usize = 64;

/// Whether a word boundary of UAX #29 falls at byte `at` of `text` (its ends are boundaries),
/// judged on a window of text around it.
fn is_word_boundary(text: &str, at: usize) -> bool {
    use unicode_segmentation::UnicodeSegmentation;
    if at == 0 || at >= text.len() {
        return true;
    }
    if !text.is_char_boundary(at) {
        return false;
    }
    // The common cases, between two ASCII characters, without the tables: two letters or
    // digits are never parted (WB5, WB8-WB10), and whitespace meets anything else at a
    // boundary (only two spaces are joined, WB3d, and only marks and format characters,
    // none ASCII, join what precedes them, WB4).
    let (before, after) = (text.as_bytes()[at - 1], text.as_bytes()[at]);
    if before.is_ascii() && after.is_ascii() {
        if before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric() {
            return false;
        }
        if before.is_ascii_whitespace() != after.is_ascii_whitespace() {
            return true;
        }
    }
    let mut lo = at.saturating_sub(BOUNDARY_WINDOW);
    while !text.is_char_boundary(lo) {
        lo -= 1;
    }
    let mut hi = (at + BOUNDARY_WINDOW).min(text.len());
    while !text.is_char_boundary(hi) {
        hi += 1;
    }
    text[lo..hi]
        .split_word_bound_indices()
        .any(|(i, _)| lo + i == at)
}

/// Calls `found(i, at)` for every place pattern `i` occurs in `text` on word boundaries
/// ([`on_word_boundaries`]), in text order (and by pattern at one place), `at` the byte
/// offset in `text`; overlapping occurrences count, and empty patterns occur nowhere.
///
/// One pass over the text. The distinct patterns are indexed by their first `k` bytes (`k`
/// at most 8 and no longer than the shortest), each index entry sorted; where a text position
/// starts like some patterns, those that are prefixes of the text there are found by binary
/// search, jumping past every pattern that parts from the text at the same byte. So patterns
/// that share a long beginning cost a few searches per place, never one comparison each: the
/// cost grows with the text and the hits, not with patterns times text. The validator's
/// quote check and the release's anchors both find quotes through this one search, so a
/// quote the validator finds is one the release anchors.
///
/// ```
/// let text = "Japan and Russia met. Japan and Russia talked.";
/// let mut hits = Vec::new();
/// diplomacy_model::anchor::for_each_match(text, &["Japan and Russia", "Russia met"], |i, at| {
///     hits.push((i, at))
/// });
/// assert_eq!(hits, [(0, 0), (1, 10), (0, 22)]);
/// ```
pub fn for_each_match(text: &str, patterns: &[&str], mut found: impl FnMut(usize, usize)) {
    // The distinct patterns, each with the indices that carry it.
    let mut distinct: Vec<&[u8]> = Vec::new();
    let mut carriers: Vec<Vec<usize>> = Vec::new();
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, p) in patterns.iter().enumerate() {
        if p.is_empty() {
            continue;
        }
        let d = *seen.entry(p).or_insert_with(|| {
            distinct.push(p.as_bytes());
            carriers.push(Vec::new());
            distinct.len() - 1
        });
        carriers[d].push(i);
    }
    let Some(k) = distinct.iter().map(|p| p.len()).min() else {
        return;
    };
    let k = k.min(8);
    let key = |bytes: &[u8]| {
        let mut b = [0u8; 8];
        b[..k].copy_from_slice(&bytes[..k]);
        u64::from_le_bytes(b)
    };
    let mut index: std::collections::HashMap<u64, Vec<usize>, foldhash::fast::FixedState> =
        std::collections::HashMap::default();
    for (d, p) in distinct.iter().enumerate() {
        index.entry(key(p)).or_default().push(d);
    }
    for bucket in index.values_mut() {
        bucket.sort_unstable_by_key(|&d| distinct[d]);
    }
    // The first two bytes of every pattern, as a set of 2^16 bits: most places of a text
    // begin with two bytes no pattern begins with, and are passed over without hashing.
    let pair = |bytes: &[u8]| usize::from(bytes[0]) << 8 | usize::from(bytes[1]);
    let mut pairs = vec![0u64; 1 << 10];
    if k >= 2 {
        for p in &distinct {
            let at = pair(p);
            pairs[at >> 6] |= 1 << (at & 63);
        }
    }
    let bytes = text.as_bytes();
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for at in 0..(bytes.len() + 1).saturating_sub(k) {
        if k >= 2 {
            let p = pair(&bytes[at..]);
            if pairs[p >> 6] & (1 << (p & 63)) == 0 {
                continue;
            }
        }
        // A hit starts with a pattern's first byte, so `at` is on a character boundary.
        let Some(bucket) = index.get(&key(&bytes[at..])) else {
            continue;
        };
        let rest = &bytes[at..];
        // The patterns at or before the text here, in sorted order; any that is a prefix of
        // the text is among them.
        let mut upto = bucket.partition_point(|&d| distinct[d] <= rest);
        while let Some(&d) = upto.checked_sub(1).and_then(|u| bucket.get(u)) {
            let p = distinct[d];
            let common = p.iter().zip(rest).take_while(|(a, b)| a == b).count();
            if common == p.len() {
                if on_word_boundaries(text, at, at + p.len()) {
                    hits.extend(carriers[d].iter().map(|&i| (at, i)));
                }
                upto -= 1;
            } else {
                // A pattern before `p` that is a prefix of the text is no longer than the
                // bytes `p` shares with it, so it sorts at or before them.
                let shared = &rest[..common];
                upto = bucket[..upto - 1].partition_point(|&e| distinct[e] <= shared);
            }
        }
    }
    hits.sort_unstable();
    for (at, i) in hits {
        found(i, at);
    }
}

/// Every place `quote` occurs in `text`, in order (see the module docs for what matches).
/// For many quotes of one text, [`Locator`] reads the text once.
pub fn locate(text: &str, quote: &str) -> Vec<Anchor> {
    Locator::new(text)
        .locate_all(&[quote])
        .pop()
        .unwrap_or_default()
}

/// A source text read once, to anchor many quotes in it: [`Locator::locate_all`] finds every
/// quote in one pass over the text, through an index of the quotes' first bytes, so the cost
/// grows with the text and the number of hits, not with quotes times text.
#[derive(Debug)]
pub struct Locator<'t> {
    text: &'t str,
    norm: String,
    offsets: Vec<usize>,
}

impl<'t> Locator<'t> {
    /// Reads `text`.
    pub fn new(text: &'t str) -> Self {
        let (norm, offsets) = normalise_with_offsets(text);
        Self {
            text,
            norm,
            offsets,
        }
    }

    /// Every place each quote occurs, in text order, one list per quote.
    pub fn locate_all(&self, quotes: &[&str]) -> Vec<Vec<Anchor>> {
        self.spans_all(quotes)
            .into_iter()
            .map(|spans| {
                spans
                    .into_iter()
                    .map(|(start, end)| Anchor::at(self.text, start, end))
                    .collect()
            })
            .collect()
    }

    /// Every place each quote occurs, as [`Locator::locate_all`] finds them, as byte ranges
    /// `(start, end)` of the text, without the context an [`Anchor`] carries.
    pub fn spans_all(&self, quotes: &[&str]) -> Vec<Vec<(usize, usize)>> {
        let quotes: Vec<String> = quotes
            .iter()
            .map(|q| normalise_with_offsets(q).0.trim_end().to_owned())
            .collect();
        let patterns: Vec<&str> = quotes.iter().map(String::as_str).collect();
        let mut out = vec![Vec::new(); quotes.len()];
        for_each_match(&self.norm, &patterns, |i, at| {
            out[i].push(self.span(at, patterns[i].len()));
        });
        out
    }

    /// The bytes of the text that the `len` bytes of the normalised text at `at` stand for.
    /// A match never ends in whitespace, and each byte of any other character maps to its
    /// own byte of the text, so the match ends one byte past its last byte's.
    fn span(&self, at: usize, len: usize) -> (usize, usize) {
        (self.offsets[at], self.offsets[at + len - 1] + 1)
    }
}

impl Anchor {
    /// The anchor of bytes `start..end` of `text` (on character boundaries): the offsets and
    /// up to [`CONTEXT_CHARS`] characters before and after.
    pub fn at(text: &str, start: usize, end: usize) -> Self {
        let before: Vec<char> = text[..start].chars().rev().take(CONTEXT_CHARS).collect();
        Anchor {
            start,
            end,
            prefix: before.into_iter().rev().collect(),
            suffix: text[end..].chars().take(CONTEXT_CHARS).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The normalisation, character by character: what the fast one must equal.
    fn normalise_slowly(text: &str) -> (String, Vec<usize>) {
        let mut out = String::new();
        let mut offsets = Vec::new();
        let mut in_space = false;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                if !in_space && !out.is_empty() {
                    out.push(' ');
                    offsets.push(i);
                }
                in_space = true;
            } else {
                in_space = false;
                out.push(c);
                offsets.extend(i..i + c.len_utf8());
            }
        }
        (out, offsets)
    }

    proptest::proptest! {
        #[test]
        fn normalising_in_runs_is_normalising_character_by_character(
            text in "([a-z.,]{0,6}|[ \t\n\r\u{0b}\u{0c}\u{85}\u{a0}\u{2003}\u{3000}]{0,3}|[é東ß\u{301}\u{ad}]{0,2}){0,12}"
        ) {
            proptest::prop_assert_eq!(normalise_with_offsets(&text), normalise_slowly(&text));
        }
    }

    #[test]
    fn a_quote_that_ends_in_a_character_of_several_bytes_is_placed_whole() {
        let text = "Talks  held in\n東京で会談 end, and 会談.";
        for (quote, expected) in [
            ("held in 東京で会談", "held in\n東京で会談"),
            ("and 会談", "and 会談"),
            ("東京で会談 end", "東京で会談 end"),
        ] {
            let spans = Locator::new(text).spans_all(&[quote]);
            let places: Vec<&str> = spans[0].iter().map(|&(s, e)| &text[s..e]).collect();
            assert_eq!(places, [expected], "{quote}");
            let anchors = locate(text, quote);
            assert_eq!(&text[anchors[0].start..anchors[0].end], expected);
        }
    }

    /// Every place each pattern occurs on word boundaries, position by position: what
    /// [`for_each_match`] must find.
    fn naive_matches(text: &str, patterns: &[&str]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for at in (0..=text.len()).filter(|&a| text.is_char_boundary(a)) {
            for (i, p) in patterns.iter().enumerate() {
                if !p.is_empty()
                    && text[at..].starts_with(p)
                    && on_word_boundaries(text, at, at + p.len())
                {
                    out.push((i, at));
                }
            }
        }
        out
    }

    proptest::proptest! {
        /// The automaton finds exactly what a search at every place finds, in the same order,
        /// repeated, overlapping and empty patterns included.
        #[test]
        fn matches_are_those_of_a_search_at_every_place(
            text in "[ab .é]{0,40}",
            patterns in proptest::collection::vec("[ab .é]{0,4}", 0..6),
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let mut found = Vec::new();
            for_each_match(&text, &patterns, |i, at| found.push((i, at)));
            proptest::prop_assert_eq!(found, naive_matches(&text, &patterns));
        }

        /// The shortcut between two ASCII characters agrees with UAX #29's tables at every
        /// place of any text.
        #[test]
        fn word_boundaries_agree_with_the_tables(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Z", "7", " ", "  ", "\t", "\n", "\r\n", "\u{c}", "\u{b}", ".", ",", "'", ":", "_", "-",
                    "\u{301}", "\u{ad}", "\u{200d}", "é", "日本", "\u{a0}", "3.14", "can't", "e.g.",
                ]),
                0..24,
            )
        ) {
            use unicode_segmentation::UnicodeSegmentation;
            let text: String = parts.concat();
            let bounds: std::collections::HashSet<usize> = text
                .split_word_bound_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            for at in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                proptest::prop_assert_eq!(
                    is_word_boundary(&text, at),
                    bounds.contains(&at),
                    "{:?} at {}", text, at
                );
            }
        }
    }

    #[test]
    fn anchors_point_at_the_source_bytes() {
        let text = "Ünïcode first. Then  the quote\r\nspans lines; the quote spans lines again";
        let found = locate(text, "the quote spans lines");
        assert_eq!(found.len(), 2);
        for a in &found {
            let words: Vec<&str> = text[a.start..a.end].split_whitespace().collect();
            assert_eq!(words.join(" "), "the quote spans lines");
            assert!(text[..a.start].ends_with(&a.prefix));
            assert!(text[a.end..].starts_with(&a.suffix));
        }
        assert_eq!(found[0].suffix, "; the quote spans lines again");
        // Words are whole: no match inside a word.
        assert!(locate("the quotes spans", "the quote").is_empty());
        assert!(locate(text, "").is_empty());
        // Many quotes at once give what each alone gives.
        let quotes = [
            "the quote spans lines",
            "Then the quote",
            "again",
            "absent words",
        ];
        let all = Locator::new(text).locate_all(&quotes);
        for (q, found) in quotes.iter().zip(&all) {
            assert_eq!(found, &locate(text, q), "{q}");
        }
        assert_eq!(all[3], []);
        // The validator's word rule: a quote that begins or ends with punctuation may touch a
        // word, so every quote the validator finds is anchored.
        let text = "the minister(as reported)said";
        let found = locate(text, "(as reported)");
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].start..found[0].end], "(as reported)");
    }
}
