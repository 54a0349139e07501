//! Checks of one record on its own, beyond its schema: real dates, text that is safe to
//! publish, and fields of a record that must not contradict each other.

use toml_spanner::Item;

use diplomacy_model::table::ColumnType;
use diplomacy_model::{DateError, PartialDate, TableName};

use crate::diagnostic::Code;
use crate::sink::{Sink, SourceFile};

/// Checks that every date field (each column of the table's type that holds a partial date)
/// is a real calendar date, and every interval runs forwards.
pub(crate) fn date_checks(
    file: &SourceFile,
    table: TableName,
    item: &Item<'_>,
    sink: &mut Sink,
) -> bool {
    let mut ok = true;
    let Some(fields) = item.as_table() else {
        return true;
    };
    let dates = crate::facts::columns(table)
        .iter()
        .filter(|c| c.ty == ColumnType::PartialDate);
    for column in dates {
        let field: &str = &column.name;
        let Some(v) = fields.get(field) else { continue };
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

/// The first characters that make a spreadsheet run a cell as a formula (OWASP's CSV
/// injection list): `=`, `+`, `-`, `@`, tab and carriage return.
pub const FORMULA_PREFIXES: &[char] = &['=', '+', '-', '@', '\t', '\r'];

/// Whether a character may not appear in any text of a dataset: a Unicode control character
/// (`Cc`) other than tab, line feed and carriage return, which multi-line text may hold.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Whether a character is a Unicode noncharacter: U+FDD0..=U+FDEF, or U+xFFFE / U+xFFFF.
pub(crate) fn is_noncharacter(c: char) -> bool {
    let u = u32::from(c);
    (0xFDD0..=0xFDEF).contains(&u) || u & 0xFFFE == 0xFFFE
}

/// The checks of every string of a record (or of `dataset.toml`), wherever it is:
///
/// - E072: no control character other than tab, line feed and carriage return;
/// - E070: no text starting with a formula prefix ([`FORMULA_PREFIXES`]);
/// - E015: no text of only whitespace (an empty string is the schema's to report, and a
///   blank quote is E041);
/// - E071: no list item holding `;`, the list separator of the CSV release.
fn text_checks(file: &SourceFile, item: &Item<'_>, field: &str, in_list: bool, sink: &mut Sink) {
    use toml_spanner::Value as T;
    match item.value() {
        T::String(s) => {
            // Every control character is ASCII below 0x20, DEL, or (C1) starts with 0xC2: a
            // byte scan finds where to look.
            if s.bytes().any(|b| b < 0x20 || b == 0x7F || b == 0xC2)
                && let Some(c) = s.chars().find(|c| is_forbidden_control(*c))
            {
                sink.at(
                    file,
                    item.span(),
                    Code::ControlCharacter,
                    format!(
                        "`{field}` contains the control character U+{:04X}, which no text of the dataset may hold",
                        u32::from(c)
                    ),
                    Some("remove it; only tabs and line breaks are allowed inside text".to_owned()),
                );
            }
            // A Unicode noncharacter (U+FDD0..U+FDEF, and the last two code points of every
            // plane) is for a program's own use: YAML (CITATION.cff) and other formats refuse it.
            // Its UTF-8 begins with 0xEF (the BMP's) or 0xF0..0xF4 (the other planes').
            if s.bytes().any(|b| b == 0xEF || (0xF0..=0xF4).contains(&b))
                && let Some(c) = s.chars().find(|c| is_noncharacter(*c))
            {
                sink.at(
                    file,
                    item.span(),
                    Code::ControlCharacter,
                    format!(
                        "`{field}` contains the noncharacter U+{:04X}, which no text of the dataset may hold",
                        u32::from(c)
                    ),
                    Some("remove it: a noncharacter is no part of any text".to_owned()),
                );
            }
            if let Some(c) = s.chars().next().filter(|c| FORMULA_PREFIXES.contains(c)) {
                sink.at(
                    file,
                    item.span(),
                    Code::FormulaText,
                    format!(
                        "`{field}` starts with {c:?}, which a spreadsheet would run as a formula"
                    ),
                    Some("reword the text so it does not start with =, +, -, @, a tab or a carriage return".to_owned()),
                );
            }
            let is_quote = field == "quote" || field.ends_with(".quote");
            if !s.is_empty() && !is_quote && s.trim().is_empty() {
                sink.at(
                    file,
                    item.span(),
                    Code::Constraint,
                    format!("`{field}` is blank: it holds only whitespace"),
                    Some("write the text, or leave an optional field out".to_owned()),
                );
            }
            if in_list && s.is_empty() {
                // An empty item cannot survive the CSV release (`;`-joined, where it vanishes
                // or shifts the others).
                sink.at(
                    file,
                    item.span(),
                    Code::Constraint,
                    format!("`{field}` has an empty item, which the CSV release could not hold"),
                    Some("remove the empty item".to_owned()),
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

/// A string field of a record, with its value's span.
fn str_field<'a>(item: &'a Item<'_>, key: &str) -> Option<(&'a str, toml_spanner::Span)> {
    let v = item.as_table()?.get(key)?;
    Some((v.as_str()?, v.span()))
}

/// Fields of one record that contradict each other:
///
/// - E024: a country acting on itself (a visit whose guest is its host, a recognition whose
///   actor is its subject, a dispute event whose actor is its counterpart);
/// - E025: a dispute with fewer than two distinct parties (an empty list is the schema's).
fn consistency_checks(file: &SourceFile, item: &Item<'_>, table: TableName, sink: &mut Sink) {
    let pair = match table {
        TableName::Visits => Some((
            "guest_country",
            "host_country",
            "a visit's guest cannot be its host",
        )),
        TableName::Recognitions => Some((
            "actor_country",
            "subject_country",
            "a country does not recognise itself",
        )),
        TableName::DisputeEvents => Some((
            "actor_country",
            "counterpart_country",
            "a country is not its own counterpart",
        )),
        _ => None,
    };
    if let Some((a, b, why)) = pair
        && let (Some((x, _)), Some((y, span))) = (str_field(item, a), str_field(item, b))
        && x == y
    {
        sink.at(
            file,
            span,
            Code::SelfReference,
            format!("`{b}` is \"{y}\", the same as `{a}`: {why}"),
            None,
        );
    }
    if table == TableName::Disputes
        && let Some(parties) = item
            .as_table()
            .and_then(|t| t.get("parties"))
            .filter(|v| v.as_array().is_some_and(|a| !a.is_empty()))
    {
        let mut distinct: Vec<&str> = parties
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Item::as_str)
            .collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < 2 {
            sink.at(
                file,
                parties.span(),
                Code::TooFewParties,
                format!(
                    "`parties` names {} distinct countr{}: a dispute has at least two parties",
                    distinct.len(),
                    if distinct.len() == 1 { "y" } else { "ies" }
                ),
                None,
            );
        }
    }
}

/// The checks of one record on its own that hold whatever its schema says (`table` is `None`
/// for `dataset.toml`): its text, and fields that contradict each other. Its dates are
/// checked by [`date_checks`] once it passed its schema.
pub(crate) fn record_checks(
    file: &SourceFile,
    item: &Item<'_>,
    table: Option<TableName>,
    sink: &mut Sink,
) {
    text_checks(file, item, "", false, sink);
    if let Some(table) = table {
        consistency_checks(file, item, table, sink);
    }
}
