//! Stage 3: Rust source from the IR. Emitters only render: every name, reference and
//! value they write was settled by the IR, and every runtime path comes from
//! `runtime`. One module per concern, each a set of small functions returning a
//! `TokenStream`; files are formatted in-process with prettyplease.
//!
//! - `structure`, `union`, `enums`: the types (declaration, serde, `Default`, `Debug`);
//!   `wire`: the serde of structures, through the runtime's shared visitor;
//! - `builder`, `validate`, `botocore`, `errors`: what structures (and unions, enums)
//!   implement besides, and each operation's error enum;
//! - `rest_json`: the `HttpOperation` impl (restJson1 and awsJson bindings); `client`: the client
//!   trait; `paginator`: the `Paginated` and `JsonResultList` impls;
//! - `view`: borrowed views of response bodies' structures (the `views` feature);
//! - `files`: which file holds what, and the crate's `lib.rs` and `Cargo.toml`.

mod botocore;
mod builder;
mod client;
mod enums;
mod errors;
mod files;
mod paginator;
mod protocol_tests;
mod rest_json;
mod runtime;
mod structure;
mod strum;
mod union;
mod validate;
mod view;
mod wire;

use proc_macro2::{Ident, Literal, Span, TokenStream};
use quote::{ToTokens, quote};
use runtime::*;

use crate::docs;
use crate::ir::{DefaultValue, Defs, Elem, Member, Presence, Symbol, TimestampFormat, Ty};

pub use files::{emit_crate, is_generated};

/// Settings of the generated crate that are not in the model.
#[derive(Clone, Debug)]
pub struct CrateConfig {
    /// Package name, e.g. `apigw-model`.
    pub name: String,
    /// Package version.
    pub version: String,
    /// The `apigw-runtime` dependency as a TOML inline table or version string, e.g.
    /// `{ path = "../apigw-runtime" }`.
    pub runtime_dependency: String,
    /// The `apigw-paginator` dependency, in the same form.
    pub paginator_dependency: String,
    /// The `apigw-client` dependency, in the same form: a dev-dependency of crates with
    /// protocol tests, whose request cases are sent through the client.
    pub client_dependency: String,
    /// Emit the borrowed views of response bodies (`view` modules behind the crate's
    /// `views` feature, and `from_slice_borrowed`): every crate `cargo xtask codegen`
    /// writes has them; without, the crate is the owned types alone (about 15 % less
    /// code to generate for the full ApiGatewayV2 model).
    pub views: bool,
}

/// One generated file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    /// Path relative to the crate root, `/`-separated.
    pub path: String,
    /// Full contents, header included.
    pub contents: String,
}

/// An identifier, raw when the name is `r#`-prefixed.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc = ...]` attributes, one per line, so prettyplease prints `///` lines.
pub(crate) fn doc_attrs(text: &str) -> TokenStream {
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Docs from the model, else `fallback`; a deprecation note is appended.
pub(crate) fn docs_or(
    model: Option<&str>,
    fallback: &str,
    deprecated: Option<&str>,
) -> TokenStream {
    let mut text = model.map_or_else(|| fallback.to_owned(), str::to_owned);
    if let Some(note) = deprecated {
        text.push_str("\n\n**Deprecated**");
        if !note.is_empty() {
            text.push_str(": ");
            text.push_str(&docs::escape_plain(note));
        }
    }
    doc_attrs(&text)
}

/// The private function giving a member's non-zero `@default`, as the IR names it.
pub(crate) fn default_fn(m: &Member) -> Option<proc_macro2::Ident> {
    m.default_fn.as_deref().map(ident)
}

/// The path of a named type, `crate::types::Integration`.
pub(crate) fn symbol_path(symbol: &Symbol) -> TokenStream {
    let modules = symbol.module.iter().map(|m| ident(m));
    let name = ident(&symbol.name);
    quote!(crate #(:: #modules)* :: #name)
}

/// The path of a named type's builder, `crate::types::builders::IntegrationBuilder`.
pub(crate) fn builder_path(symbol: &Symbol) -> TokenStream {
    let modules = symbol.module.iter().map(|m| ident(m));
    let name = ident(&symbol.builder_name());
    quote!(crate #(:: #modules)* :: builders :: #name)
}

/// The Rust type of a value of `ty` (without `Option`/`Box`).
pub(crate) fn ty_tokens(defs: &Defs, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Blob => quote!(::std::vec::Vec<u8>),
        Ty::Boolean => quote!(bool),
        Ty::String => quote!(::std::string::String),
        Ty::Byte => quote!(i8),
        Ty::Short => quote!(i16),
        Ty::Integer => quote!(i32),
        Ty::Long => quote!(i64),
        Ty::Float => quote!(f32),
        Ty::Double => quote!(f64),
        Ty::BigInteger | Ty::BigDecimal => quote!(::serde_json::Number),
        Ty::Timestamp => quote!(#DATE_TIME),
        Ty::Document => quote!(::serde_json::Value),
        Ty::Unit => quote!(()),
        Ty::Named(n) => symbol_path(defs.symbol(n.id)),
        Ty::List(e) => {
            let inner = elem_tokens(defs, e);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Map(k, v) => {
            let (k, v) = (ty_tokens(defs, &k.ty), elem_tokens(defs, v));
            quote!(::indexmap::IndexMap<#k, #v>)
        }
    }
}

/// The Rust type of a list element or map value: `T`, or `Option<T>` when sparse.
pub(crate) fn elem_tokens(defs: &Defs, e: &Elem) -> TokenStream {
    let t = ty_tokens(defs, &e.ty);
    if e.sparse {
        quote!(::std::option::Option<#t>)
    } else {
        t
    }
}

/// The `serde_with` adapter for a value of `ty` in a JSON body, if it needs one
/// (timestamps, blobs, and collections of them).
pub(crate) fn adapter(ty: &Ty, format: Option<TimestampFormat>) -> Option<TokenStream> {
    match ty {
        Ty::Blob => Some(quote!(::serde_with::base64::Base64)),
        Ty::Float | Ty::Double => Some(quote!(#SERDE_JSON_FLOAT)),
        Ty::Timestamp => Some(match format.unwrap_or(TimestampFormat::EpochSeconds) {
            TimestampFormat::EpochSeconds => quote!(#SERDE_EPOCH_SECONDS),
            TimestampFormat::DateTime => quote!(#SERDE_DATE_TIME_STRING),
            TimestampFormat::HttpDate => quote!(#SERDE_HTTP_DATE),
        }),
        Ty::List(e) => elem_adapter(e).map(|a| quote!(::std::vec::Vec<#a>)),
        Ty::Map(_, v) => {
            elem_adapter(v).map(|a| quote!(::indexmap::IndexMap<::serde_with::Same, #a>))
        }
        _ => None,
    }
}

/// The adapter of member `m`'s value, `Box`ed as the value is (`inner_type`'s
/// adapter), if the member needs one.
pub(crate) fn inner_adapter(m: &Member) -> Option<TokenStream> {
    let a = adapter(&m.ty, m.timestamp_format)?;
    Some(if m.boxed {
        quote!(::std::boxed::Box<#a>)
    } else {
        a
    })
}

/// The adapter of member `m`'s field, in an `Option` when the field is one
/// (`field_type`'s adapter), if the member needs one.
pub(crate) fn field_adapter(m: &Member) -> Option<TokenStream> {
    let a = inner_adapter(m)?;
    Some(match m.presence {
        Presence::Optional => quote!(::std::option::Option<#a>),
        _ => a,
    })
}

fn elem_adapter(e: &Elem) -> Option<TokenStream> {
    let a = adapter(&e.ty, e.timestamp_format)?;
    Some(if e.sparse {
        quote!(::std::option::Option<#a>)
    } else {
        a
    })
}

/// A Rust expression for a model `@default` value of type `ty`.
pub(crate) fn default_expr(defs: &Defs, ty: &Ty, value: &DefaultValue) -> TokenStream {
    use DefaultValue as D;
    match (ty, value) {
        (Ty::Boolean, D::Bool(b)) => quote!(#b),
        (Ty::Byte, D::Int(n)) => Literal::i8_suffixed(*n as i8).to_token_stream(),
        (Ty::Short, D::Int(n)) => Literal::i16_suffixed(*n as i16).to_token_stream(),
        (Ty::Integer, D::Int(n)) => Literal::i32_suffixed(*n as i32).to_token_stream(),
        (Ty::Long, D::Int(n)) => Literal::i64_suffixed(*n).to_token_stream(),
        (Ty::Float, D::Float(f)) => Literal::f32_suffixed(*f as f32).to_token_stream(),
        (Ty::Double, D::Float(f)) => Literal::f64_suffixed(*f).to_token_stream(),
        (Ty::String, D::Str(s)) => quote!(::std::string::String::from(#s)),
        (Ty::Blob, D::Blob(bytes)) => {
            let bytes = Literal::byte_string(bytes);
            quote!(::std::vec::Vec::from(&#bytes[..]))
        }
        (Ty::Named(n), D::Str(s)) => {
            let path = symbol_path(defs.symbol(n.id));
            quote!(<#path as ::std::convert::From<&str>>::from(#s))
        }
        (Ty::Named(named), D::Int(n)) => {
            let path = symbol_path(defs.symbol(named.id));
            let n = Literal::i32_suffixed(*n as i32);
            quote!(<#path as ::std::convert::From<i32>>::from(#n))
        }
        (Ty::Timestamp, D::Timestamp(n)) => quote!(#DATE_TIME::from_secs(#n)),
        (Ty::Document, D::Document(serde_json::Value::Null)) => quote!(::serde_json::Value::Null),
        (Ty::Document, D::Document(other)) => {
            let text = crate::ir::canonical_json(other).to_string();
            quote!(::serde_json::from_str::<::serde_json::Value>(#text).unwrap_or_default())
        }
        _ => quote!(::std::default::Default::default()),
    }
}

/// The field type of a member: `T`, `Box<T>`, `Option<T>` or `Option<Box<T>>`.
pub(crate) fn field_type(defs: &Defs, ty: &Ty, boxed: bool, presence: &Presence) -> TokenStream {
    let inner = inner_type(defs, ty, boxed);
    match presence {
        Presence::Optional => quote!(::std::option::Option<#inner>),
        _ => inner,
    }
}

/// `T` or `Box<T>`.
pub(crate) fn inner_type(defs: &Defs, ty: &Ty, boxed: bool) -> TokenStream {
    let t = ty_tokens(defs, ty);
    if boxed {
        quote!(::std::boxed::Box<#t>)
    } else {
        t
    }
}

/// A type as compact source text (`::std::vec::Vec<u8>`), for attributes that take a
/// type in a string.
pub(crate) fn type_string(ty: &TokenStream) -> String {
    ty.to_string().replace(' ', "").replace(',', ", ")
}

/// `#[cfg(...)]` enabling an item with any of `features` (nothing when `None`: always).
pub(crate) fn feature_cfg(features: Option<&[String]>) -> Option<TokenStream> {
    match features? {
        [one] => Some(quote!(#[cfg(feature = #one)])),
        many => Some(quote!(#[cfg(any(#(feature = #many),*))])),
    }
}

/// `tokens` with the attribute `cfg` on each of its top-level items.
///
/// Items are found in the token stream itself (no syntax tree: the file is parsed once,
/// to be formatted): an item ends at a top-level `;`, or at a top-level `{ ... }` not
/// followed by `;`. That is every item the emitters write (`struct X;`, `use a::{b};`,
/// `impl X { ... }`, `const X: T = T { ... };`); an expression continuing after a
/// braced block at item level (`T { .. }.f()`) is not one of them.
pub(crate) fn gate_items(tokens: TokenStream, cfg: Option<&TokenStream>) -> TokenStream {
    use proc_macro2::{Delimiter, TokenTree};
    let Some(cfg) = cfg else {
        return tokens;
    };
    let mut out = TokenStream::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => {
                g.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';')
            }
            _ => false,
        };
        item.push(token);
        if ends {
            out.extend(cfg.clone());
            out.extend(item.drain(..));
        }
    }
    assert!(
        item.is_empty(),
        "generator bug: tokens after the last item: {}",
        item.into_iter().collect::<TokenStream>()
    );
    out
}

/// Formats a generated Rust file and puts the `@generated` header on top.
pub(crate) fn format_file(header: &str, tokens: TokenStream) -> String {
    let file: syn::File =
        syn::parse2(tokens).unwrap_or_else(|e| panic!("generator bug: emitted invalid Rust: {e}"));
    format!("{header}\n{}", space_items(&prettyplease::unparse(&file)))
}

/// Puts a blank line between items, as hand-written Rust has (prettyplease writes
/// them back to back): after the module docs, after a block that closes an item, and
/// before a documented or attributed item following a one-line one. Fields, variants
/// and statements stay as they are.
fn space_items(text: &str) -> String {
    fn indent(line: &str) -> usize {
        line.len() - line.trim_start().len()
    }
    fn starts_item(trimmed: &str) -> bool {
        const STARTS: &[&str] = &[
            "///", "#[", "pub ", "pub(", "impl ", "impl<", "fn ", "const ", "type ", "struct ",
            "enum ", "mod ", "trait ", "static ", "use ", "unsafe ",
        ];
        STARTS.iter().any(|s| trimmed.starts_with(s))
    }
    fn one_line_item(trimmed: &str) -> bool {
        trimmed.ends_with(';')
            && [
                "pub ", "pub(", "const ", "type ", "use ", "static ", "mod ", "struct ",
            ]
            .iter()
            .any(|s| trimmed.starts_with(s))
    }
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut prev: Option<&str> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(p) = prev {
            let pt = p.trim_start();
            let blank = if pt.starts_with("//!") {
                !trimmed.starts_with("//!")
            } else if pt.starts_with("#![") {
                !trimmed.starts_with("#![")
            } else if indent(p) != indent(line) || !starts_item(trimmed) {
                false
            } else if pt == "}" || pt == "};" {
                true
            } else if one_line_item(pt) {
                // Runs of `use`, `const` or `type` lines stay together.
                trimmed.starts_with("///") || trimmed.starts_with("#[") || !one_line_item(trimmed)
            } else {
                false
            };
            if blank && !p.is_empty() {
                out.push('\n');
            }
        }
        out.push_str(line);
        out.push('\n');
        prev = Some(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{gate_items, space_items};
    use quote::quote;

    /// Every kind of item the emitters write gets the `cfg`, once, and nothing inside an
    /// item does; the result is what gating each item of the parsed file gives.
    #[test]
    fn gate_items_puts_the_cfg_on_each_top_level_item() {
        let cfg = quote!(#[cfg(feature = "x")]);
        let items = quote! {
            /// Docs.
            #[derive(Clone)]
            pub struct Unit;
            pub struct Tuple(pub u8);
            pub struct Named { pub a: Option<u8> }
            use a::{b, c};
            const TABLE: &[&str] = &["a", "b"];
            const VALUE: Named = Named { a: None };
            impl Named {
                pub fn f(&self) -> u8 { if true { 1 } else { 2 }; 3 }
            }
            pub mod builders {
                pub struct B;
                impl B {}
            }
            type Alias = Result<(), ()>;
            fn free() {}
        };
        let file: syn::File = syn::parse2(items.clone()).unwrap();
        let expected: proc_macro2::TokenStream =
            file.items.iter().map(|item| quote!(#cfg #item)).collect();
        let gated = gate_items(items.clone(), Some(&cfg));
        assert_eq!(gated.to_string(), expected.to_string());
        assert_eq!(gated.to_string().matches("cfg").count(), 10);
        assert_eq!(
            gate_items(items.clone(), None).to_string(),
            items.to_string()
        );
    }

    #[test]
    fn items_get_a_blank_line_and_fields_statements_and_use_runs_do_not() {
        let formatted = "//! Docs.\n#![deny(missing_docs)]\nuse a::b;\nuse c::d;\n/// A.\npub struct A {\n    /// x.\n    pub x: i32,\n    /// y.\n    pub y: i32,\n}\nimpl A {\n    const N: u8 = 1;\n    const M: u8 = 2;\n    fn f(&self) {\n        let a = 1;\n        if a == 1 {\n            g();\n        }\n        h();\n    }\n    fn g() {}\n}\nstruct V;\nimpl V {}\n";
        let expected = "//! Docs.\n\n#![deny(missing_docs)]\n\nuse a::b;\nuse c::d;\n\n/// A.\npub struct A {\n    /// x.\n    pub x: i32,\n    /// y.\n    pub y: i32,\n}\n\nimpl A {\n    const N: u8 = 1;\n    const M: u8 = 2;\n\n    fn f(&self) {\n        let a = 1;\n        if a == 1 {\n            g();\n        }\n        h();\n    }\n\n    fn g() {}\n}\n\nstruct V;\n\nimpl V {}\n";
        assert_eq!(space_items(formatted), expected);
    }
}
