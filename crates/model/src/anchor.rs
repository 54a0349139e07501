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
/// offset of the byte of `text` it stands for.
fn normalise_with_offsets(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
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
            let before = out.len();
            out.push(c);
            offsets.extend((0..out.len() - before).map(|k| i + k));
        }
    }
    (out, offsets)
}

/// Whether `text[start..end]` begins and ends on word boundaries: no letter or digit just
/// outside it.
fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Every place `quote` occurs in `text`, in order (see the module docs for what matches).
pub fn locate(text: &str, quote: &str) -> Vec<Anchor> {
    let (norm, offsets) = normalise_with_offsets(text);
    let (q, _) = normalise_with_offsets(quote);
    let q = q.trim_end();
    if q.is_empty() {
        return Vec::new();
    }
    norm.match_indices(q)
        .filter(|(at, _)| on_word_boundaries(&norm, *at, at + q.len()))
        .map(|(at, m)| {
            let start = offsets[at];
            let last = offsets[at + m.len() - 1];
            let end = last + text[last..].chars().next().map_or(1, char::len_utf8);
            let prefix: String = {
                let before: Vec<char> = text[..start].chars().rev().take(CONTEXT_CHARS).collect();
                before.into_iter().rev().collect()
            };
            let suffix: String = text[end..].chars().take(CONTEXT_CHARS).collect();
            Anchor {
                start,
                end,
                prefix,
                suffix,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
