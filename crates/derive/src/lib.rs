//! `#[derive(Table)]`: a release table defined by its record struct alone.
//!
//! Use it through `diplomacy-model`, which re-exports it beside the trait of the same name
//! (`use diplomacy_model::Table;` brings both), as serde does with `Serialize`. The derive reads
//! the struct's fields and writes the `diplomacy_model::Table` impl:
//!
//! - `NAME`: from `#[table(name = Variant)]` on the struct, a variant of `TableName`; the
//!   primary key is the field `id`, or the one `#[table(key = field)]` names;
//! - `columns()`: one entry per field, in field order. The column is named after the field (or
//!   its `#[serde(rename = "...")]`); its type, nullability and how many cells it spans come
//!   from the field's Rust type through the `ColumnValue` trait (so an `Option<_>` is nullable
//!   and a partial date spans its derived columns); its description is the first paragraph of
//!   the field's doc comment, joined into one line. The key field must come first;
//! - `id()`: the key field as text;
//! - `write_row` and `read_row`: each field through `ColumnValue`, in the same order.
//!
//! Field attributes, under `#[column(...)]`:
//!
//! - `references = Variant`: the column is a foreign key to that table's `id`;
//! - `name = "column"`: the column's name, where it differs from the field's (e.g. a field
//!   `from` of an authoring file, published as the column `from_id`, which SQL takes unquoted);
//! - `was = "old"`: the column's name in releases written before it was renamed; readers find
//!   it under either name;
//! - `absent = "value"`: what a row of a release written before the column existed reads as
//!   (for a required column added later);
//! - `skip`: the field is no column (e.g. `evidence`, published as a table of its own); reading
//!   a row fills it with `Default::default()`.
//!
//! A field without a doc comment is a compile error: the doc comment is the column's
//! description in every artefact (Table Schema, data card, Parquet field metadata), and the
//! same text is the field's JSON Schema description.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::quote;
use syn::{Attribute, Data, DeriveInput, Error, Expr, ExprLit, Fields, Ident, Lit, LitStr};

/// Derives `diplomacy_model::Table` for a struct with named fields.
///
/// See the crate documentation for the attributes; `diplomacy-model`'s docs show it in use.
#[proc_macro_derive(Table, attributes(table, column))]
pub fn derive_table(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as DeriveInput);
    expand(&input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// One field, as the derive sees it.
struct FieldSpec {
    ident: Ident,
    ty: syn::Type,
    column: String,
    description: String,
    references: Option<Ident>,
    skip: bool,
    /// The value of a row of a release written before the column existed.
    absent: Option<syn::LitStr>,
    /// The column's name before it was renamed.
    was: Option<syn::LitStr>,
}

fn expand(input: &DeriveInput) -> syn::Result<TokenStream2> {
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(Error::new_spanned(
            &input.generics,
            "#[derive(Table)] does not support generic structs",
        ));
    }
    let (table, key_name) = table_attrs(&input.attrs, ident)?;
    let key_name = key_name.map_or_else(|| "id".to_owned(), |k| k.to_string());
    let Data::Struct(data) = &input.data else {
        return Err(Error::new_spanned(
            ident,
            "#[derive(Table)] needs a struct with named fields",
        ));
    };
    let Fields::Named(named) = &data.fields else {
        return Err(Error::new_spanned(
            ident,
            "#[derive(Table)] needs a struct with named fields",
        ));
    };
    let fields = named
        .named
        .iter()
        .map(field_spec)
        .collect::<syn::Result<Vec<_>>>()?;

    let mut columns = fields.iter().filter(|f| !f.skip);
    let key = match columns.next() {
        Some(f) if f.ident == key_name => f,
        _ => {
            return Err(Error::new_spanned(
                ident,
                format!(
                    "#[derive(Table)]: the first column must be the primary key, a field named `{key_name}` (another name: #[table(key = name)])"
                ),
            ));
        }
    };
    if let Some(f) = columns.find(|f| f.column == key.column) {
        return Err(Error::new_spanned(
            &f.ident,
            format!("a second column named `{key_name}`"),
        ));
    }

    let krate = quote!(::diplomacy_model);
    let table_mod = quote!(#krate::table);
    let key_ident = &key.ident;
    let key_column = &key.column;
    let key_description = &key.description;
    let key_was = match &key.was {
        Some(v) => quote!(.was(#v)),
        None => quote!(),
    };

    let mut column_defs = Vec::new();
    let mut writes = Vec::new();
    let mut reads = Vec::new();
    for f in &fields {
        let FieldSpec {
            ident: field,
            ty,
            column,
            description,
            references,
            skip,
            absent,
            was,
        } = f;
        if *skip {
            reads.push(quote!(#field: ::core::default::Default::default()));
            continue;
        }
        writes.push(quote!(#table_mod::ColumnValue::write(&self.#field, row);));
        reads.push(quote!(#field: <#ty as #table_mod::ColumnValue>::read(row, #column)?));
        if field == key_ident {
            continue;
        }
        let references = match references {
            Some(t) => quote!(::core::option::Option::Some(#krate::TableName::#t)),
            None => quote!(::core::option::Option::None),
        };
        let absent = match absent {
            Some(v) => quote!(.absent(#v)),
            None => quote!(),
        };
        let was = match was {
            Some(v) => quote!(.was(#v)),
            None => quote!(),
        };
        column_defs.push(quote! {
            let columns = <#ty as #table_mod::ColumnValue>::columns(
                columns, #column, #description, #references,
            )#absent #was;
        });
    }

    Ok(quote! {
        #[automatically_derived]
        impl #krate::Table for #ident {
            const NAME: #krate::TableName = #krate::TableName::#table;

            fn columns() -> &'static [#table_mod::Column] {
                static COLUMNS: ::std::sync::OnceLock<::std::vec::Vec<#table_mod::Column>> =
                    ::std::sync::OnceLock::new();
                COLUMNS.get_or_init(|| {
                    let columns = #table_mod::Columns::default().key(#key_column, #key_description)#key_was;
                    #(#column_defs)*
                    columns.finish()
                })
            }

            fn id(&self) -> &str {
                ::core::convert::AsRef::<str>::as_ref(&self.#key_ident)
            }

            fn write_row<'a>(&'a self, row: &mut #table_mod::RowWriter<'a>) {
                #(#writes)*
            }

            fn read_row(
                row: &#table_mod::RowReader<'_, '_>,
            ) -> ::core::result::Result<Self, #krate::Error> {
                ::core::result::Result::Ok(Self { #(#reads,)* })
            }
        }
    })
}

/// The `TableName` variant from `#[table(name = Variant)]`, and the key column's field from
/// `#[table(key = field)]` (default: `id`).
fn table_attrs(attrs: &[Attribute], ident: &Ident) -> syn::Result<(Ident, Option<Ident>)> {
    let mut name = None;
    let mut key = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("table")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                name = Some(meta.value()?.parse::<Ident>()?);
                Ok(())
            } else if meta.path.is_ident("key") {
                key = Some(meta.value()?.parse::<Ident>()?);
                Ok(())
            } else {
                Err(meta.error("expected `name = <TableName variant>` or `key = <field>`"))
            }
        })?;
    }
    let name = name.ok_or_else(|| {
        Error::new_spanned(
            ident,
            "#[derive(Table)] needs #[table(name = <TableName variant>)]",
        )
    })?;
    Ok((name, key))
}

fn field_spec(field: &syn::Field) -> syn::Result<FieldSpec> {
    let Some(ident) = field.ident.clone() else {
        return Err(Error::new(Span::call_site(), "a field without a name"));
    };
    let mut spec = FieldSpec {
        column: ident.to_string(),
        ident,
        ty: field.ty.clone(),
        description: String::new(),
        references: None,
        skip: false,
        absent: None,
        was: None,
    };
    // `#[column(name = ...)]` wins over `#[serde(rename = ...)]`, whatever their order.
    let mut column_name = None;
    for attr in &field.attrs {
        if attr.path().is_ident("column") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("skip") {
                    spec.skip = true;
                    Ok(())
                } else if meta.path.is_ident("references") {
                    spec.references = Some(meta.value()?.parse::<Ident>()?);
                    Ok(())
                } else if meta.path.is_ident("absent") {
                    spec.absent = Some(meta.value()?.parse::<syn::LitStr>()?);
                    Ok(())
                } else if meta.path.is_ident("name") {
                    column_name = Some(meta.value()?.parse::<LitStr>()?.value());
                    Ok(())
                } else if meta.path.is_ident("was") {
                    spec.was = Some(meta.value()?.parse::<syn::LitStr>()?);
                    Ok(())
                } else {
                    Err(meta.error(
                        "expected `skip`, `references = <TableName variant>`, `name = \"column\"`, `was = \"old name\"` or `absent = \"value\"`",
                    ))
                }
            })?;
        } else if attr.path().is_ident("serde") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") && meta.input.peek(syn::Token![=]) {
                    spec.column = meta.value()?.parse::<LitStr>()?.value();
                } else if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<Expr>()?;
                } else if meta.input.peek(syn::token::Paren) {
                    meta.input.parse::<proc_macro2::Group>()?;
                }
                Ok(())
            })?;
        }
    }
    if let Some(name) = column_name {
        spec.column = name;
    }
    if !spec.skip {
        spec.description = description(&field.attrs);
        if spec.description.is_empty() {
            return Err(Error::new_spanned(
                &spec.ident,
                "document this field: its doc comment is the column's description",
            ));
        }
    }
    Ok(spec)
}

/// The first paragraph of the doc comment, its lines trimmed and joined by single spaces.
fn description(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) = &nv.value
        {
            // `///` alone is `#[doc = ""]`: `split`, unlike `lines`, keeps it as a blank line.
            lines.extend(s.value().split('\n').map(|l| l.trim().to_owned()));
        }
    }
    lines
        .iter()
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(src: &str) -> syn::Result<FieldSpec> {
        let input: DeriveInput = syn::parse_str(&format!("struct S {{ {src} }}"))?;
        let Data::Struct(data) = input.data else {
            unreachable!()
        };
        field_spec(data.fields.iter().next().expect("one field"))
    }

    #[test]
    fn the_description_is_the_first_paragraph_on_one_line() -> syn::Result<()> {
        let f = field(
            "/// The archived text's path\n/// in the repository.\n///\n/// More for the code.\nfile: String",
        )?;
        assert_eq!(f.description, "The archived text's path in the repository.");
        Ok(())
    }

    #[test]
    fn serde_rename_names_the_column_and_other_serde_keys_are_ignored() -> syn::Result<()> {
        let f = field(
            "/// Doc.\n#[serde(default, rename = \"when\", skip_serializing_if = \"Option::is_none\")]\ndate: Option<String>",
        )?;
        assert_eq!(f.column, "when");
        Ok(())
    }

    #[test]
    fn column_attributes() -> syn::Result<()> {
        let f = field("/// Doc.\n#[column(references = People)]\nguest: Option<Id>")?;
        assert_eq!(
            f.references.map(|i| i.to_string()).as_deref(),
            Some("People")
        );
        assert!(field("#[column(skip)]\nevidence: Vec<Citation>")?.skip);
        assert!(field("#[column(nonsense)]\n/// Doc.\nx: String").is_err());
        Ok(())
    }

    #[test]
    fn a_column_named_apart_from_its_field_and_its_old_name() -> syn::Result<()> {
        let f = field(
            "/// Doc.\n#[column(name = \"from_id\", was = \"from\")]\n#[serde(rename = \"x\")]\nfrom: Id",
        )?;
        assert_eq!(f.column, "from_id");
        assert_eq!(f.was.map(|w| w.value()).as_deref(), Some("from"));
        // The key is found by its field, whatever its column is called.
        let keyed: DeriveInput = syn::parse_str(
            "#[table(name = Redirects, key = from)] struct S { /// Key.\n#[column(name = \"from_id\")]\nfrom: Id, /// To.\nto: Id }",
        )?;
        let out = expand(&keyed)?.to_string();
        assert!(out.contains("key (\"from_id\""), "{out}");
        Ok(())
    }

    #[test]
    fn an_undocumented_column_is_an_error() {
        let err = field("x: String").err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.contains("doc comment")));
    }

    #[test]
    fn the_key_comes_first() -> syn::Result<()> {
        let ok: DeriveInput = syn::parse_str(
            "#[table(name = Visits)] struct S { /// Key.\nid: Id, /// Text.\nname: String }",
        )?;
        assert!(expand(&ok).is_ok());
        let late: DeriveInput = syn::parse_str(
            "#[table(name = Visits)] struct S { /// Text.\nname: String, /// Key.\nid: Id }",
        )?;
        assert!(expand(&late).is_err());
        let unnamed: DeriveInput = syn::parse_str("struct S { /// Key.\nid: Id }")?;
        assert!(expand(&unnamed).is_err());
        Ok(())
    }
}
