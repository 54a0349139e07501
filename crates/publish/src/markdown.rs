//! The one escaping layer for the Markdown the release writes (`README.md`, the data card;
//! `CHANGELOG.md`; `diff`'s output): data becomes Markdown only through [`text`] and
//! [`code`], so no value from a dataset or a downloaded release can open a heading, a list,
//! a link, emphasis, raw HTML or a table cell of its own, nor drive the terminal `diff`
//! prints to. The tests read the output back with an independent CommonMark reader.

use diplomacy_validate::escape_controls;

/// The characters that start or end an inline construct in CommonMark or GitHub's
/// extensions: escapes, code spans, emphasis, links and images, raw HTML and autolinks,
/// entities, table cells, strikethrough; and `#`, which closes a heading where it ends one.
const INLINE: &[char] = &[
    '\\', '`', '*', '_', '[', ']', '<', '>', '&', '|', '~', '!', '#',
];

/// The characters, besides those above, that open a block where a line or a list item's
/// content starts: a list item (`-`, `+`), a setext underline or a thematic break (`=`, `-`).
const BLOCK_START: &[char] = &['-', '+', '='];

/// `s` as literal inline Markdown: one line (line breaks become spaces), control characters
/// escaped as `diplomacy_validate::escape_controls` writes them, outer whitespace trimmed,
/// and every character that Markdown would read as syntax escaped with a backslash. Read
/// back, it is exactly that text, wherever inline text may go: a paragraph, a heading, a
/// list item, a table cell.
///
/// ```
/// use diplomacy_publish::markdown_text;
/// assert_eq!(markdown_text("Japan and Kazakhstan, 1992"), "Japan and Kazakhstan, 1992");
/// assert_eq!(markdown_text("## 9.9.9\n<b>x</b>"), "\\#\\# 9.9.9 \\<b\\>x\\</b\\>");
/// ```
pub fn text(s: &str) -> String {
    let line = s.replace(['\n', '\r'], " ");
    let plain = escape_controls(&line);
    let plain = plain.trim();
    let mut out = String::with_capacity(plain.len() + 8);
    // An ordered-list marker (`1.` or `1)`, then a space or the end) at the start.
    let digits = plain.bytes().take_while(u8::is_ascii_digit).count();
    let marker = digits > 0
        && matches!(plain.as_bytes().get(digits), Some(b'.' | b')'))
        && matches!(plain.as_bytes().get(digits + 1), None | Some(b' '));
    for (i, c) in plain.char_indices() {
        let opens_block = i == 0 && BLOCK_START.contains(&c);
        let ends_number = marker && i == digits;
        if INLINE.contains(&c) || opens_block || ends_number {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `s` as one inline code span: on one line, control characters escaped, and fenced with
/// one more backtick than the longest run inside it (padded where it starts or ends with a
/// backtick or a space), so it reads back as exactly that text. Empty text is `(empty)`.
///
/// ```
/// use diplomacy_publish::markdown_code;
/// assert_eq!(markdown_code("date_min"), "`date_min`");
/// assert_eq!(markdown_code("a`b"), "``a`b``");
/// ```
pub fn code(s: &str) -> String {
    if s.is_empty() {
        return "(empty)".to_owned();
    }
    let line = s.replace(['\n', '\r'], " ");
    let content = escape_controls(&line);
    let longest = content.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let all_spaces = content.chars().all(|c| c == ' ');
    let pad = content.starts_with('`')
        || content.ends_with('`')
        || (content.starts_with(' ') && content.ends_with(' ') && !all_spaces);
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{content}{space}{fence}")
}

#[cfg(test)]
mod tests {
    use super::{code, text};
    use proptest::prelude::*;
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

    /// What the reader must give back for `s`: the text on one line, controls escaped.
    fn expected(s: &str) -> String {
        escape(s).trim().to_owned()
    }

    fn escape(s: &str) -> String {
        diplomacy_validate::escape_controls(&s.replace(['\n', '\r'], " ")).into_owned()
    }

    /// Text made of what Markdown reads as syntax, and of anything else.
    fn hostile() -> impl Strategy<Value = String> {
        let special = prop::sample::select(
            "\\`*_[]<>&|~!#-+=.)(:/ \t\n\r1aé<>\u{1b}\u{a0}\u{2028}"
                .chars()
                .collect::<Vec<_>>(),
        );
        let words = prop::sample::select(vec![
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "[x](javascript:alert(1))",
            "![i](http://e/x.png)",
            "&lt;",
            "&#x3C;",
            "## 9.9.9",
            "1. ",
            "| --- |",
            "```",
            "    ",
            "<!--",
            "http://example.org",
            "*a*",
            "__b__",
            "~~c~~",
            "[^1]",
        ]);
        prop::collection::vec(
            prop_oneof![
                special.prop_map(String::from),
                words.prop_map(str::to_owned),
                any::<char>().prop_map(String::from),
            ],
            0..24,
        )
        .prop_map(|parts| parts.concat())
    }

    /// The text events of `markdown`, and every tag opened, in order.
    fn read(markdown: &str) -> (Vec<String>, Vec<String>) {
        let mut texts = Vec::new();
        let mut tags = Vec::new();
        let mut current = String::new();
        for event in Parser::new_ext(
            markdown,
            Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
        ) {
            match event {
                Event::Text(t) | Event::Code(t) => current.push_str(&t),
                Event::Start(tag) => {
                    tags.push(
                        format!("{tag:?}")
                            .split(['(', ' ', '{'])
                            .next()
                            .unwrap_or("")
                            .to_owned(),
                    );
                    if matches!(
                        tag,
                        Tag::TableCell | Tag::Item | Tag::Paragraph | Tag::Heading { .. }
                    ) {
                        current.clear();
                    }
                }
                Event::End(
                    TagEnd::TableCell | TagEnd::Item | TagEnd::Paragraph | TagEnd::Heading(_),
                ) => {
                    texts.push(std::mem::take(&mut current));
                }
                Event::Html(h) | Event::InlineHtml(h) => tags.push(format!("Html {h}")),
                Event::SoftBreak | Event::HardBreak => tags.push("Break".to_owned()),
                _ => {}
            }
        }
        (texts, tags)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// As a list item (a CHANGELOG line): one item holding exactly the text, and no
        /// other structure.
        #[test]
        fn text_is_one_literal_list_item(s in hostile()) {
            let (texts, tags) = read(&format!("- x: {}\n", text(&s)));
            prop_assert_eq!(&tags, &["List", "Item"], "{:?} -> {:?}", s, text(&s));
            let want = format!("x: {}", expected(&s));
            prop_assert_eq!(texts.last().map(|t| t.trim_end()), Some(want.trim_end()));
        }

        /// At the start of a list item or a heading: nothing opens a block of its own.
        #[test]
        fn text_opens_no_block_where_a_line_starts(s in hostile()) {
            let (texts, tags) = read(&format!("- {}\n", text(&s)));
            prop_assert!(tags == ["List", "Item"], "{:?} -> {:?}: {:?}", s, text(&s), tags);
            prop_assert_eq!(texts.last().map(String::as_str).unwrap_or(""), expected(&s));
            let (texts, tags) = read(&format!("# {}\n", text(&s)));
            prop_assert!(tags == ["Heading"], "{:?} -> {:?}: {:?}", s, text(&s), tags);
            prop_assert_eq!(texts.last().map(String::as_str).unwrap_or(""), expected(&s));
        }

        /// In a table cell (the data card's tables): the row keeps its cells, and the cell
        /// holds exactly the text.
        #[test]
        fn text_is_one_literal_table_cell(s in hostile()) {
            let table = format!("| a | b |\n| --- | --- |\n| {} | z |\n", text(&s));
            let (texts, tags) = read(&table);
            let cells = tags.iter().filter(|t| *t == "TableCell").count();
            prop_assert_eq!(cells, 4, "{:?} -> {:?}: {:?}", s, text(&s), tags);
            prop_assert!(!tags.iter().any(|t| t.starts_with("Html") || t == "Link" || t == "Emphasis" || t == "Strong" || t == "Strikethrough" || t == "Image"), "{:?}", tags);
            prop_assert_eq!(&texts[2], &expected(&s));
            prop_assert_eq!(&texts[3], "z");
        }

        /// A code span holds exactly the text, whatever backticks and spaces it has.
        #[test]
        fn code_is_one_literal_code_span(s in hostile()) {
            let markdown = format!("- {}\n", code(&s));
            let mut spans = Vec::new();
            for event in Parser::new(&markdown) {
                match event {
                    Event::Code(c) => spans.push(c.into_string()),
                    Event::Text(t) if !s.is_empty() => prop_assert!(false, "text {t:?} outside the span: {s:?} -> {markdown:?}"),
                    _ => {}
                }
            }
            let want = if s.is_empty() { vec![] } else { vec![escape(&s)] };
            prop_assert_eq!(spans, want, "{:?}", markdown);
        }
    }
}
