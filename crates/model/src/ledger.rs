//! The sentence ledger: a source's archived text divided into sentences, each accounted for
//! by the records that quote it or by the reason the source gives for leaving it out.
//!
//! A text is divided by the Unicode sentence boundaries of UAX #29 (the `unicode-segmentation`
//! crate), a line break ending a sentence too; a unit is kept where it holds a letter or a
//! digit, with the whitespace around it left out. A source that is structured text rather
//! than prose may be divided by lines, or not at all ([`Segmentation`]).
//!
//! A sentence is cited where some record's quote overlaps it, and excused where an excuse's
//! quote overlaps it; quotes are found as [`anchor`](crate::anchor) finds them.
//!
//! ```
//! use diplomacy_model::ledger::{Ledger, segment};
//! use diplomacy_model::{ExcuseReason, Segmentation, SentenceStatus};
//!
//! let text = "Home | News\nJapan recognized Kazakhstan in 1991. Relations were established in 1992.";
//! let sentences = segment(text, Segmentation::Sentences);
//! assert_eq!(sentences.len(), 3);
//! assert_eq!(&text[sentences[1].start..sentences[1].end], "Japan recognized Kazakhstan in 1991.");
//!
//! let mut ledger = Ledger::new(sentences);
//! ledger.cite(text.find("Japan").unwrap(), text.find(" in 1991").unwrap(), 0);
//! ledger.excuse(0, 11, ExcuseReason::Navigation);
//! let status: Vec<_> = ledger.entries().iter().map(|e| e.status()).collect();
//! assert_eq!(status, [SentenceStatus::Excused, SentenceStatus::Cited, SentenceStatus::Unaccounted]);
//! ```

use unicode_segmentation::UnicodeSegmentation;

use crate::{ExcuseReason, Segmentation, SentenceStatus};

/// One unit of a source's text: a sentence, or a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Sentence {
    /// The byte offset (from 0) of its first character in the archived text.
    pub start: usize,
    /// The byte offset just past its last character (whitespace after it left out).
    pub end: usize,
}

/// The units of `text` for the ledger, in order: its sentences or lines, as `how` says, each
/// holding a letter or a digit; none for [`Segmentation::NotSegmented`].
pub fn segment(text: &str, how: Segmentation) -> Vec<Sentence> {
    let pieces: Box<dyn Iterator<Item = (usize, &str)>> = match how {
        // Most archived texts are ASCII: their sentences are found without the tables.
        Segmentation::Sentences if text.is_ascii() => Box::new(ascii_sentences(text)),
        Segmentation::Sentences => Box::new(text.split_sentence_bound_indices()),
        Segmentation::Lines => Box::new(text.split_inclusive('\n').scan(0, |at, line| {
            let start = *at;
            *at += line.len();
            Some((start, line))
        })),
        Segmentation::NotSegmented => return Vec::new(),
    };
    pieces
        .filter(|(_, s)| s.chars().any(char::is_alphanumeric))
        .map(|(at, s)| {
            let lead = s.len() - s.trim_start().len();
            Sentence {
                start: at + lead,
                end: at + s.trim_end().len(),
            }
        })
        .collect()
}

/// The sentences of ASCII `text` with their offsets, as
/// [`split_sentence_bound_indices`](UnicodeSegmentation::split_sentence_bound_indices) finds
/// them (UAX #29, a property test checks that they agree), without its table lookup per
/// character. In ASCII a sentence ends only after a line break (`\r`, `\n`, or `\r\n`:
/// SB3, SB4) or after a terminator (`.`, `!`, `?`) with the closing punctuation and spaces
/// after it (SB9 to SB11), unless what follows continues the sentence: a digit or, after a
/// letter, a capital right after a full stop (SB6, SB7); a lower-case letter ahead of any
/// other letter or terminator after a full stop (SB8); a comma, hyphen, colon, semicolon or
/// terminator (SB8a).
fn ascii_sentences(text: &str) -> impl Iterator<Item = (usize, &str)> {
    /// `Close` of UAX #29 in ASCII.
    fn close(b: u8) -> bool {
        matches!(b, b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}')
    }
    /// `Sp` of UAX #29 in ASCII.
    fn space(b: u8) -> bool {
        matches!(b, b' ' | b'\t' | 0x0b | 0x0c)
    }
    /// `STerm` or `ATerm`.
    fn terminator(b: u8) -> bool {
        matches!(b, b'.' | b'!' | b'?')
    }
    let bytes = text.as_bytes();
    let mut cuts = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        at += 1;
        match b {
            b'\r' if bytes.get(at) == Some(&b'\n') => {}
            b'\r' | b'\n' => cuts.push(at),
            b'.' | b'!' | b'?' => {
                let mut end = at;
                while end < bytes.len() && close(bytes[end]) {
                    end += 1;
                }
                while end < bytes.len() && space(bytes[end]) {
                    end += 1;
                }
                let Some(&next) = bytes.get(end) else { break };
                let full_stop = b == b'.';
                let joined = match next {
                    // A line break: the sentence ends after it (above).
                    b'\r' | b'\n' => true,
                    b',' | b'-' | b':' | b';' | b'.' | b'!' | b'?' => true,
                    b'0'..=b'9' if full_stop && end == at => true,
                    b'A'..=b'Z'
                        if full_stop
                            && end == at
                            && at >= 2
                            && bytes[at - 2].is_ascii_alphabetic() =>
                    {
                        true
                    }
                    _ if full_stop => bytes[end..]
                        .iter()
                        .find(|c| {
                            c.is_ascii_alphabetic()
                                || terminator(**c)
                                || **c == b'\r'
                                || **c == b'\n'
                        })
                        .is_some_and(u8::is_ascii_lowercase),
                    _ => false,
                };
                if !joined {
                    cuts.push(end);
                }
                // The closing punctuation and spaces are the sentence's; what follows is
                // looked at afresh.
                at = end;
            }
            _ => {}
        }
    }
    cuts.retain(|&c| c < bytes.len());
    let starts = std::iter::once(0).chain(cuts.clone());
    let ends = cuts.into_iter().chain(std::iter::once(bytes.len()));
    starts
        .zip(ends)
        .filter(|(start, end)| start < end)
        .map(move |(start, end)| (start, &text[start..end]))
}

/// How one sentence is accounted for: the records that cite it and the reason it is
/// excused, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Entry {
    /// The sentence.
    pub sentence: Sentence,
    /// The caller's numbers of the records whose quotes overlap it, sorted, each once.
    pub records: Vec<u32>,
    /// The reason of the first excuse overlapping it, where one does.
    pub reason: Option<ExcuseReason>,
}

impl Entry {
    /// Cited where a record quotes it (whether or not it is excused too), else excused where
    /// an excuse covers it, else unaccounted.
    pub fn status(&self) -> SentenceStatus {
        if !self.records.is_empty() {
            SentenceStatus::Cited
        } else if self.reason.is_some() {
            SentenceStatus::Excused
        } else {
            SentenceStatus::Unaccounted
        }
    }
}

/// A source's sentences and how each is accounted for: see the module docs.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    entries: Vec<Entry>,
}

impl Ledger {
    /// A ledger of `sentences` (in text order, as [`segment`] gives them), none yet
    /// accounted for.
    pub fn new(sentences: Vec<Sentence>) -> Self {
        Self {
            entries: sentences
                .into_iter()
                .map(|sentence| Entry {
                    sentence,
                    records: Vec::new(),
                    reason: None,
                })
                .collect(),
        }
    }

    /// The entries of the sentences that bytes `start..end` of the text overlap.
    fn overlapping(&mut self, start: usize, end: usize) -> &mut [Entry] {
        let first = self.entries.partition_point(|e| e.sentence.end <= start);
        let last = first + self.entries[first..].partition_point(|e| e.sentence.start < end);
        &mut self.entries[first..last]
    }

    /// Marks the sentences that bytes `start..end` overlap as cited by record `record`
    /// (a number of the caller's). Returns how many sentences it overlaps.
    pub fn cite(&mut self, start: usize, end: usize, record: u32) -> usize {
        let hit = self.overlapping(start, end);
        for e in hit.iter_mut() {
            if let Err(at) = e.records.binary_search(&record) {
                e.records.insert(at, record);
            }
        }
        hit.len()
    }

    /// Marks the sentences that bytes `start..end` overlap as excused for `reason`, where no
    /// excuse did already. Returns how many sentences it overlaps.
    pub fn excuse(&mut self, start: usize, end: usize, reason: ExcuseReason) -> usize {
        let hit = self.overlapping(start, end);
        for e in hit.iter_mut() {
            e.reason.get_or_insert(reason);
        }
        hit.len()
    }

    /// The ledger of `sentences` where each quote and each excuse's quote was found at
    /// `found`: the places of `quotes[i]` are `found[i]`, and those of the excuse with
    /// `reasons[j]` are `found[quotes.len() + j]`, as
    /// [`Locator::spans_all`](crate::anchor::Locator::spans_all) gives them for the quotes
    /// followed by the excuses' quotes. Each quote cites the sentences it overlaps at the
    /// place it names (every place, where it names none), and each excuse excuses the
    /// sentences it overlaps wherever it occurs. What [`account`] does once the quotes are
    /// found; a caller that found them already (and keeps them from one run to the next)
    /// builds the ledger with this.
    ///
    /// ```
    /// use diplomacy_model::ledger::{Ledger, Quote, Sentence, segment};
    /// use diplomacy_model::{ExcuseReason, Segmentation, SentenceStatus};
    ///
    /// let text = "Menu\nThe two ministers met. They met again.";
    /// let quote = Quote { text: "two ministers met", occurrence: None, record: 4 };
    /// let at = text.find("two").unwrap();
    /// let ledger = Ledger::from_places(
    ///     segment(text, Segmentation::Sentences),
    ///     &[quote],
    ///     &[&[(at, at + 17)][..], &[(0, 4)][..]],
    ///     [ExcuseReason::Navigation],
    /// );
    /// let status: Vec<_> = ledger.entries().iter().map(|e| e.status()).collect();
    /// assert_eq!(status, [SentenceStatus::Excused, SentenceStatus::Cited, SentenceStatus::Unaccounted]);
    /// ```
    pub fn from_places<P: AsRef<[(usize, usize)]>>(
        sentences: Vec<Sentence>,
        quotes: &[Quote<'_>],
        found: &[P],
        reasons: impl IntoIterator<Item = ExcuseReason>,
    ) -> Self {
        let mut ledger = Self::new(sentences);
        let (cited, excused) = found.split_at(quotes.len().min(found.len()));
        for (places, q) in cited.iter().zip(quotes) {
            let places = places.as_ref();
            match q.occurrence {
                Some(n) => {
                    if let Some(&(start, end)) = places.get((n as usize).wrapping_sub(1)) {
                        ledger.cite(start, end, q.record);
                    }
                }
                None => {
                    for &(start, end) in places {
                        ledger.cite(start, end, q.record);
                    }
                }
            }
        }
        for (places, reason) in excused.iter().zip(reasons) {
            for &(start, end) in places.as_ref() {
                ledger.excuse(start, end, reason);
            }
        }
        ledger
    }

    /// Every sentence's entry, in text order; sentence `n` (from 1) is `entries()[n - 1]`.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// How many sentences are cited, excused and unaccounted.
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for e in &self.entries {
            match e.status() {
                SentenceStatus::Cited => c.cited += 1,
                SentenceStatus::Excused => c.excused += 1,
                _ => c.unaccounted += 1,
            }
        }
        c
    }
}

/// A quote a record makes of a source, for [`account`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quote<'a> {
    /// The quote's words.
    pub text: &'a str,
    /// Which place of the source it means (from 1), where the record says.
    pub occurrence: Option<u32>,
    /// The caller's number for the record.
    pub record: u32,
}

/// A source's ledger, with where each quote and excuse was found: what [`account`] gives.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Accounted {
    /// The source's sentences, each accounted for.
    pub ledger: Ledger,
    /// Every place each quote occurs, as byte ranges `(start, end)` of the text, one list
    /// per quote, in the order given ([`Anchor::at`](crate::anchor::Anchor::at) gives the
    /// anchor of one).
    pub quotes: Vec<Vec<(usize, usize)>>,
    /// How many places each excuse's quote occurs, in the order given.
    pub excuses: Vec<usize>,
}

/// The ledger of a source whose archived text is `text`, divided as `how` says: each quote
/// cites the sentences it overlaps at the place it names (every place, where it names none),
/// and each excuse's quote excuses the sentences it overlaps wherever it occurs. Every quote
/// is found in one pass over the text ([`Locator`](crate::anchor::Locator)), the search the
/// validator and a release's anchors share.
///
/// ```
/// use diplomacy_model::ledger::{Quote, account};
/// use diplomacy_model::{ExcuseReason, Segmentation, SentenceStatus};
///
/// let text = "Menu\nThe two ministers met. They met again.";
/// let quotes = [Quote { text: "two ministers met", occurrence: None, record: 4 }];
/// let excuses = [("Menu", ExcuseReason::Navigation), ("no such words", ExcuseReason::NoFact)];
/// let done = account(text, Segmentation::Sentences, &quotes, &excuses);
/// assert_eq!(done.quotes[0].len(), 1);
/// assert_eq!(done.excuses, [1, 0]);
/// let entries = done.ledger.entries();
/// assert_eq!(entries[1].records, [4]);
/// assert_eq!(entries[2].status(), SentenceStatus::Unaccounted);
/// ```
pub fn account(
    text: &str,
    how: Segmentation,
    quotes: &[Quote<'_>],
    excuses: &[(&str, ExcuseReason)],
) -> Accounted {
    let patterns: Vec<&str> = quotes
        .iter()
        .map(|q| q.text)
        .chain(excuses.iter().map(|x| x.0))
        .collect();
    let mut found = crate::anchor::Locator::new(text).spans_all(&patterns);
    let ledger = Ledger::from_places(
        segment(text, how),
        quotes,
        &found,
        excuses.iter().map(|x| x.1),
    );
    let excused = found.split_off(quotes.len());
    let counts = excused.iter().map(Vec::len).collect();
    Accounted {
        ledger,
        quotes: found,
        excuses: counts,
    }
}

/// [`account`] for a source of a dataset: its segmentation and excuses, and `rows`, the
/// evidence rows that quote it; each entry's record numbers index `rows`.
pub fn account_source(
    text: &str,
    source: &crate::Source,
    rows: &[&crate::EvidenceRow],
) -> Accounted {
    let quotes: Vec<Quote<'_>> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| Quote {
            text: &r.quote,
            occurrence: r.occurrence,
            record: u32::try_from(i).unwrap_or(u32::MAX),
        })
        .collect();
    let excuses: Vec<_> = source
        .excused
        .iter()
        .map(|x| (x.quote.as_str(), x.reason))
        .collect();
    account(text, source.segment, &quotes, &excuses)
}

/// How many sentences of a ledger have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Counts {
    /// Cited by some record.
    pub cited: usize,
    /// Excused, and cited by none.
    pub excused: usize,
    /// Neither.
    pub unaccounted: usize,
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4096))]

        /// ASCII text is divided into the sentences the Unicode tables give, whatever its
        /// mix of letters, digits, terminators, closing punctuation, spaces and line breaks.
        #[test]
        fn ascii_sentences_are_the_tables_sentences(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "b", "Z", "Q", "7", " ", "  ", "\t", "\u{b}", "\u{c}", "\n", "\r", "\r\n",
                    ".", ".", "!", "?", "\"", "'", "(", ")", "[", "]", "{", "}", ",", "-", ":", ";",
                    "#", "_", "/", "*", "U.S.", "e.g.", "3.14", "Mr. Abe", "said. The", "end.\n",
                ]),
                0..32,
            )
        ) {
            let text: String = parts.concat();
            let ours: Vec<(usize, &str)> = ascii_sentences(&text).collect();
            let tables: Vec<(usize, &str)> = text.split_sentence_bound_indices().collect();
            proptest::prop_assert_eq!(ours, tables, "{:?}", text);
        }
    }

    #[test]
    fn ascii_sentences_end_where_a_reader_ends_them() {
        let text = "Talks were held in Tokyo on 3.5 points. The ministers (of Japan) agreed! \
                    Next: e.g. the U.S. side said so.\r\nA new line\nand another.";
        let ours: Vec<&str> = ascii_sentences(text).map(|(_, s)| s).collect();
        assert_eq!(
            ours,
            [
                "Talks were held in Tokyo on 3.5 points. ",
                "The ministers (of Japan) agreed! ",
                "Next: e.g. the U.S. side said so.\r\n",
                "A new line\n",
                "and another.",
            ]
        );
        let tables: Vec<&str> = text.split_sentence_bounds().collect();
        assert_eq!(ours, tables);
        assert_eq!(ascii_sentences("").count(), 0);
    }

    fn texts(text: &str, how: Segmentation) -> Vec<&str> {
        segment(text, how)
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn line_breaks_and_full_stops_end_sentences() {
        let text = "OVERVIEW\nDiplomatic Relations\n\nJapan and Kazakhstan maintain good relations. Since then, ties grew.\n  \n---\n";
        assert_eq!(
            texts(text, Segmentation::Sentences),
            [
                "OVERVIEW",
                "Diplomatic Relations",
                "Japan and Kazakhstan maintain good relations.",
                "Since then, ties grew."
            ]
        );
    }

    #[test]
    fn lines_are_units_and_unsegmented_has_none() {
        let text = "id,name\r\n1,Japan. Kazakhstan\n\n";
        assert_eq!(
            texts(text, Segmentation::Lines),
            ["id,name", "1,Japan. Kazakhstan"]
        );
        assert!(segment(text, Segmentation::NotSegmented).is_empty());
    }

    #[test]
    fn a_quote_accounts_for_every_sentence_it_touches() {
        let text = "One two three. Four five six. Seven eight nine.";
        let mut ledger = Ledger::new(segment(text, Segmentation::Sentences));
        assert_eq!(ledger.entries().len(), 3);
        // "three. Four": the end of the first and the start of the second.
        let at = text.find("three").unwrap();
        assert_eq!(ledger.cite(at, at + "three. Four".len(), 7), 2);
        assert_eq!(ledger.cite(at, at + 5, 3), 1);
        assert_eq!(ledger.entries()[0].records, [3, 7]);
        assert_eq!(ledger.entries()[1].records, [7]);
        // Touching a sentence's edge is not overlapping it.
        let end = ledger.entries()[1].sentence.end;
        assert_eq!(ledger.excuse(end, end + 1, ExcuseReason::Restates), 0);
        assert_eq!(
            ledger.excuse(text.len() - 5, text.len(), ExcuseReason::NoFact),
            1
        );
        assert_eq!(
            ledger.counts(),
            Counts {
                cited: 2,
                excused: 1,
                unaccounted: 0
            }
        );
    }

    proptest::proptest! {
        /// Units lie in order inside the text, on character boundaries, never empty, and
        /// never begin or end with whitespace.
        #[test]
        fn units_are_ordered_trimmed_slices(text in "[a-zA-Z .!?\n\u{00e9}\u{3002}]{0,80}") {
            for how in [Segmentation::Sentences, Segmentation::Lines] {
                let units = segment(&text, how);
                let mut at = 0;
                for u in &units {
                    proptest::prop_assert!(at <= u.start && u.start < u.end && u.end <= text.len());
                    let s = &text[u.start..u.end];
                    proptest::prop_assert_eq!(s.trim(), s);
                    at = u.end;
                }
            }
        }
    }
}
