//! What makes a quote evidence: enough words to state something, and, where it is not in its
//! source, the nearest passage of the source and where the two first differ.

use std::fmt::Write as _;

/// Whether a character is of a script written without spaces between words (Han, Hiragana,
/// Katakana), where each character counts as a word.
fn is_unspaced_script(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF          // Hiragana, Katakana
        | 0x3400..=0x4DBF        // CJK Unified Ideographs Extension A
        | 0x4E00..=0x9FFF        // CJK Unified Ideographs
        | 0xF900..=0xFAFF        // CJK Compatibility Ideographs
        | 0x20000..=0x3134F) // CJK Unified Ideographs Extensions B to G
}

/// The number of words of a quote: runs of letters and digits (`char::is_alphanumeric`), so
/// punctuation and spaces only separate words (`","` has none, `Japan's` has two), and each
/// character of a script written without spaces (Han, Hiragana, Katakana) counts as one.
pub(crate) fn word_count(s: &str) -> usize {
    let mut count = 0;
    let mut in_word = false;
    for c in s.chars() {
        if is_unspaced_script(c) {
            count += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                count += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    count
}

/// Whether `s` has at least `n` words (as [`word_count`] counts them); reads no further than
/// the `n`th word, so checking every quote of a large dataset costs little.
pub(crate) fn has_words(s: &str, n: usize) -> bool {
    let mut count = 0;
    let mut in_word = false;
    for c in s.chars() {
        let starts = if is_unspaced_script(c) {
            in_word = false;
            true
        } else if c.is_alphanumeric() {
            let starts = !in_word;
            in_word = true;
            starts
        } else {
            in_word = false;
            false
        };
        if starts {
            count += 1;
            if count >= n {
                return true;
            }
        }
    }
    n == 0
}

/// The longest quote compared with the source, in characters: longer quotes are compared on
/// their first this many characters, so the search stays fast.
const MAX_COMPARED: usize = 400;

/// How many places in the source are tried at most.
const MAX_CANDIDATES: usize = 400;

/// A character for a message: itself where printable, and its code point.
fn show(c: Option<char>) -> String {
    match c {
        None => "nothing (the passage ends)".to_owned(),
        Some(c) if c.is_control() || c.is_whitespace() => format!("U+{:04X}", u32::from(c)),
        Some(c) => format!("{c} (U+{:04X})", u32::from(c)),
    }
}

/// For a quote not found in `text` (both with whitespace runs collapsed): the passage of the
/// text nearest to it and where they first differ, as a hint; `None` where no passage of the
/// text shares a word with the quote.
///
/// Candidate places are where a word of the quote occurs in the text, shifted back by the
/// word's place in the quote; the passages of the quote's length at the places that agree
/// with the quote on the most characters are compared by Levenshtein distance, and the
/// nearest wins. Only run for quotes that failed.
pub(crate) fn nearest_passage(whole: &str, text: &str) -> Option<String> {
    // The place is found by the quote's first characters; where they differ is then found
    // over the whole quote, so a long quote that differs late is not said to match.
    let quote: String = whole.chars().take(MAX_COMPARED).collect();
    let qlen = quote.chars().count();
    let mut candidates: Vec<usize> = Vec::new();
    let mut offset = 0;
    for word in quote.split(' ') {
        let start = offset;
        offset += word.len() + 1;
        if word.chars().count() < 3 {
            continue;
        }
        for at in memchr::memmem::find_iter(text.as_bytes(), word.as_bytes()).take(50) {
            let mut s = at.saturating_sub(start);
            while !text.is_char_boundary(s) {
                s -= 1;
            }
            candidates.push(s);
        }
        if candidates.len() >= MAX_CANDIDATES {
            break;
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    let passage_at = |s: usize| -> &str {
        let end = text[s..]
            .char_indices()
            .nth(qlen)
            .map_or(text.len(), |(i, _)| s + i);
        &text[s..end]
    };
    // A cheap first ranking (characters equal at the same place), then the edit distance of
    // the few best: a failing quote costs about a millisecond, however large its source.
    let aligned = |s: usize| {
        quote
            .chars()
            .zip(passage_at(s).chars())
            .filter(|(a, b)| a == b)
            .count()
    };
    let mut ranked: Vec<(usize, usize)> = candidates.iter().map(|&s| (aligned(s), s)).collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let (distance, start) = ranked
        .iter()
        .take(8)
        .map(|&(_, s)| (strsim::levenshtein(&quote, passage_at(s)), s))
        .min()?;
    if distance * 2 > qlen {
        return None;
    }
    let whole_len = whole.chars().count();
    let passage = {
        let end = text[start..]
            .char_indices()
            .nth(whole_len)
            .map_or(text.len(), |(i, _)| start + i);
        &text[start..end]
    };
    let passage_len = passage.chars().count();
    let first_diff = whole
        .chars()
        .zip(passage.chars())
        .position(|(a, b)| a != b)
        .or_else(|| (whole_len != passage_len).then(|| whole_len.min(passage_len)));
    // The passage shown: from its start, or from a little before the difference where that
    // is past the first characters shown.
    let from = first_diff.filter(|&i| i >= 120).map_or(0, |i| i - 60);
    let shown: String = passage.chars().skip(from).take(160).collect();
    let before = if from > 0 { "…" } else { "" };
    let after = if from + shown.chars().count() < passage_len {
        "…"
    } else {
        ""
    };
    let mut hint = String::new();
    let _ = write!(
        hint,
        "the nearest passage of the source is \"{before}{shown}{after}\""
    );
    match first_diff {
        Some(i) => {
            let _ = write!(
                hint,
                "; it differs at character {}: the source has {}, the quote has {}",
                i + 1,
                show(passage.chars().nth(i)),
                show(whole.chars().nth(i)),
            );
        }
        None => {
            hint.push_str(
                "; the quote is there but starts or ends inside a word of the source: quote whole words",
            );
        }
    }
    Some(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        assert_eq!(word_count(","), 0);
        assert_eq!(word_count("the"), 1);
        assert_eq!(word_count("  the , talks "), 2);
        assert_eq!(word_count("held talks in 1998."), 4);
        assert_eq!(word_count("Japan's talks"), 3);
        assert_eq!(word_count("Казахстан и Япония"), 3);
        assert_eq!(word_count("日本国"), 3);
        assert_eq!(word_count("—…!?"), 0);
        for text in [
            ",",
            "the",
            "the talks",
            "held talks in",
            "日本国",
            "Japan's talks",
        ] {
            assert_eq!(has_words(text, 3), word_count(text) >= 3, "{text}");
        }
    }

    /// A quote longer than the part compared to find its place, that differs only late, is
    /// told where it differs (it was said to match and to end inside a word).
    #[test]
    fn a_long_quote_that_differs_late_is_told_where() {
        let sentence = "The Foreign Minister of Japan met the President of Kazakhstan in Astana. ";
        let text = sentence.repeat(12);
        let mut quote = text.trim_end().to_owned();
        let at = quote.char_indices().nth(700).unwrap().0;
        quote.replace_range(at..=at, "#");
        let hint = nearest_passage(&quote, &text).expect("a passage");
        assert!(hint.contains("differs at character 701"), "{hint}");
        assert!(hint.contains("the quote has # (U+0023)"), "{hint}");
        assert!(hint.contains("\"…"), "{hint}");
    }

    #[test]
    fn nearest_passage_names_the_first_difference() {
        let text = "In February 1998 the Foreign Minister of Japan visited Kazakhstan. \
                    The two sides agreed on the \u{2019}Silk Road\u{2019} diplomacy.";
        let hint = nearest_passage("The two sides agreed on the 'Silk Road' diplomacy.", text)
            .expect("a passage");
        assert!(hint.contains("differs at character 29"), "{hint}");
        assert!(
            hint.contains("the source has \u{2019} (U+2019), the quote has ' (U+0027)"),
            "{hint}"
        );
        assert!(
            hint.contains("nearest passage of the source is \"The two sides"),
            "{hint}"
        );
        assert_eq!(
            nearest_passage("Nothing like this is anywhere.", text),
            None
        );
        let inside = nearest_passage("bruary 1998 the Foreign", text).expect("a passage");
        assert!(inside.contains("inside a word"), "{inside}");
    }
}
