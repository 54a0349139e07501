//! Mapping JSON Schema errors back to spans of the TOML tree: each error is reported at the
//! offending key or value, naming the field.

use std::fmt::Write as _;

use jsonschema::error::ValidationErrorKind;
use jsonschema::paths::LocationSegment;
use serde_json::{Map, Number, Value};
use toml_spanner::{Item, Span};

use diplomacy_model::{CountryCode, Id, PartialDate, Participant};

use crate::diagnostic::Code;
use crate::schema::{FileSchema, closest};
use crate::sink::{Sink, SourceFile};

/// The TOML tree as JSON for the schema validator. TOML datetimes, which the model never
/// uses, are reported and passed on as strings so they are reported once.
pub(crate) fn to_json(item: &Item<'_>, file: &SourceFile, sink: &mut Sink) -> Value {
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
pub(crate) fn schema_errors(
    file: &SourceFile,
    item: &Item<'_>,
    json: &Value,
    schema: &FileSchema,
    sink: &mut Sink,
) -> bool {
    // Most records are valid: the quick yes/no first, the errors only where there are some.
    if schema.validator.is_valid(json) {
        return true;
    }
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
                // Each key's place, found once: a table's lookup by name is a scan of its
                // keys, and a record may carry any number of unknown ones.
                let keys: std::collections::HashMap<&str, Span> = item_at(item, &path)
                    .and_then(|t| t.as_table())
                    .map(|t| t.iter().map(|(k, _)| (k.name, k.span)).collect())
                    .unwrap_or_default();
                for name in unexpected {
                    let at = keys.get(name.as_str()).copied().unwrap_or(span);
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
