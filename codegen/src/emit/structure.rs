//! Structures: the type, its serde mapping, `validate()`, error impls, and its builder.

use super::runtime::*;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{
    adapter, builder_path, default_expr, doc_attrs, docs_or, field_type, ident, inner_type,
    symbol_path, ty_tokens,
};
use crate::docs;
use crate::ir::{self, Member, NamedKind, Presence, Structure, StructureRole, Ty};
use crate::names;

/// The private function giving a member's non-zero `@default`, as the IR names it.
fn default_fn(m: &Member) -> Option<proc_macro2::Ident> {
    m.default_fn.as_deref().map(ident)
}

/// The serde attributes of member `m` (wire name, omission of absent members,
/// defaults, timestamp/blob adapters); `true` when one is a `serde_as` adapter.
pub(super) fn serde_field_attrs(m: &Member) -> (Vec<TokenStream>, bool) {
    let mut attrs = Vec::new();
    if m.wire != names::unraw(&m.field) {
        let wire = &m.wire;
        attrs.push(quote!(#[serde(rename = #wire)]));
    }
    let adapted = adapter(&m.ty, m.timestamp_format).map(|a| {
        let a = if m.boxed {
            quote!(::std::boxed::Box<#a>)
        } else {
            a
        };
        match m.presence {
            Presence::Optional => quote!(::std::option::Option<#a>),
            _ => a,
        }
    });
    match &m.presence {
        Presence::Optional => {
            attrs.push(quote!(#[serde(skip_serializing_if = "::std::option::Option::is_none")]));
            if adapted.is_some() {
                attrs.push(quote!(#[serde(default)]));
            }
        }
        Presence::Required => {
            // A service that omits a required member still yields a value (Smithy's
            // client error correction) when the type has a zero value.
            if m.ty.caps().default {
                attrs.push(quote!(#[serde(default)]));
            }
        }
        Presence::Default(_) => match &m.default_fn {
            None => attrs.push(quote!(#[serde(default)])),
            Some(f) => attrs.push(quote!(#[serde(default = #f)])),
        },
    }
    let uses_serde_as = adapted.is_some();
    if let Some(a) = adapted {
        let text = super::type_string(&a);
        attrs.push(quote!(#[serde_as(as = #text)]));
    }
    (attrs, uses_serde_as)
}

/// Docs for a structure the model leaves undocumented.
fn fallback_docs(s: &Structure) -> String {
    let shape = docs::escape_plain(s.id.rsplit('#').next().unwrap_or(&s.id));
    match &s.role {
        StructureRole::Input(op) => format!("The input of the `{op}` operation."),
        StructureRole::Output(op) => format!("The output of the `{op}` operation."),
        StructureRole::Error => format!("The `{shape}` error."),
        StructureRole::Plain => format!("The `{shape}` structure."),
    }
}

/// The structure type, its inherent impl, trait impls and default-value functions.
pub fn emit_struct(s: &Structure) -> TokenStream {
    let name = ident(&s.symbol.name);
    let docs = docs_or(
        s.docs.as_deref(),
        &fallback_docs(s),
        s.deprecated.as_deref(),
    );
    let has_defaults = s.members.iter().any(|m| m.default_fn.is_some());

    let mut derives = vec![quote!(::std::clone::Clone)];
    let sensitive = s.sensitive || s.members.iter().any(|m| m.sensitive);
    if !sensitive {
        derives.push(quote!(::std::fmt::Debug));
    }
    derives.push(quote!(::std::cmp::PartialEq));
    if s.caps.eq {
        derives.push(quote!(::std::cmp::Eq));
    }
    if s.caps.hash {
        derives.push(quote!(::std::hash::Hash));
    }
    if s.caps.default && !has_defaults {
        derives.push(quote!(::std::default::Default));
    }
    derives.push(quote!(::serde::Serialize));
    derives.push(quote!(::serde::Deserialize));

    let mut uses_serde_as = false;
    let fields: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| {
            let field = ident(&m.field);
            let ty = field_type(&m.ty, m.boxed, &m.presence);
            let docs = docs_or(
                m.docs.as_deref(),
                &format!("The `{}` member.", docs::escape_plain(&m.name)),
                m.deprecated.as_deref(),
            );
            let (attrs, adapted) = serde_field_attrs(m);
            uses_serde_as |= adapted;
            quote! {
                #docs
                #(#attrs)*
                pub #field: #ty,
            }
        })
        .collect();
    let serde_as = uses_serde_as.then(|| quote!(#[::serde_with::serde_as]));

    let default_fns: Vec<TokenStream> = s
        .members
        .iter()
        .filter_map(|m| match (&m.presence, default_fn(m)) {
            (Presence::Default(v), Some(f)) => {
                let ty = inner_type(&m.ty, m.boxed);
                let value = default_expr(&m.ty, v);
                let value = if m.boxed {
                    quote!(::std::boxed::Box::new(#value))
                } else {
                    value
                };
                Some(quote! {
                    fn #f() -> #ty { #value }
                })
            }
            _ => None,
        })
        .collect();

    let manual_default = (s.caps.default && has_defaults).then(|| {
        let inits = s.members.iter().map(|m| {
            let field = ident(&m.field);
            match default_fn(m) {
                Some(f) => quote!(#field: #f(),),
                None => quote!(#field: ::std::default::Default::default(),),
            }
        });
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self { #(#inits)* }
                }
            }
        }
    });

    let manual_debug = sensitive.then(|| {
        let entries = s.members.iter().map(|m| {
            let field = ident(&m.field);
            let label = names::unraw(&m.field);
            if s.sensitive || m.sensitive {
                quote!(.field(#label, &"*** Sensitive Data Redacted ***"))
            } else {
                quote!(.field(#label, &self.#field))
            }
        });
        let label = &s.symbol.name;
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label) #(#entries)* .finish()
                }
            }
        }
    });

    let botocore_entries = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let key = &m.name;
        if m.presence == Presence::Optional {
            quote! {
                if let ::std::option::Option::Some(value) = &self.#field {
                    map.serialize_entry(#key, &#BOTOCORE(value))?;
                }
            }
        } else {
            quote!(map.serialize_entry(#key, &#BOTOCORE(&self.#field))?;)
        }
    });
    let botocore = quote! {
        impl #BOTOCORE_SERIALIZE for #name {
            fn serialize_botocore<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                #[allow(unused_mut)]
                let mut map = serializer.serialize_map(::std::option::Option::None)?;
                #(#botocore_entries)*
                map.end()
            }
        }
    };
    let builder = builder_path(&s.symbol);
    let name_str = &s.symbol.name;
    let validate = emit_validate(s);
    let error_impls = s.error.as_ref().map(|e| emit_error_impls(s, e));

    quote! {
        #docs
        #serde_as
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            /// A builder for this structure.
            pub fn builder() -> #builder {
                ::std::default::Default::default()
            }

            /// Checks every `length`, `range` and `required` constraint of the model,
            /// nested values included, and reports each violation with its member path.
            pub fn validate(&self) -> ::std::result::Result<(), #VALIDATION_ERROR> {
                #RUN_VALIDATION(self, #name_str)
            }
        }

        #validate
        #botocore
        #manual_default
        #manual_debug
        #error_impls
        #(#default_fns)*
    }
}

fn emit_error_impls(s: &Structure, e: &ir::ErrorInfo) -> TokenStream {
    let name = ident(&s.symbol.name);
    let code = &e.code;
    let status = e.http_status.map(|status| {
        quote! {
            /// The HTTP status code the model gives this error.
            pub const HTTP_STATUS: u16 = #status;
        }
    });
    let server = e.server;
    let message_fn = e.message.as_ref().map(|message| {
        let field = ident(&message.field);
        let body = if message.optional {
            quote!(self.#field.as_deref())
        } else {
            quote!(::std::option::Option::Some(self.#field.as_str()))
        };
        quote! {
            /// The error message, if the service sent one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                #body
            }
        }
    });
    let display = if e.message.is_some() {
        quote! {
            f.write_str(Self::CODE)?;
            if let ::std::option::Option::Some(message) = self.message() {
                write!(f, ": {message}")?;
            }
            ::std::result::Result::Ok(())
        }
    } else {
        quote!(f.write_str(Self::CODE))
    };
    quote! {
        impl #name {
            /// The error code on the wire (`x-amzn-errortype` or the body's `__type`/`code`).
            pub const CODE: &'static str = #code;
            #status
            /// Whether the model blames the server (`true`) or the caller (`false`).
            pub const IS_SERVER_FAULT: bool = #server;
            #message_fn
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// `impl Validate`: checks each member that has something to check.
pub fn emit_validate(s: &Structure) -> TokenStream {
    let name = ident(&s.symbol.name);
    let checks: Vec<TokenStream> = s
        .members
        .iter()
        .filter(|m| m.validates())
        .map(|m| {
            let field = ident(&m.field);
            let label = names::unraw(&m.field);
            let inner = value_checks(&quote!(value), &m.ty, &m.constraints, 0);
            let body = match m.presence {
                Presence::Optional if inner.is_empty() => quote! {
                    if self.#field.is_none() {
                        #CHECK_MISSING(&path, out);
                    }
                },
                Presence::Optional => {
                    let missing = if m.required {
                        quote!(else { #CHECK_MISSING(&path, out); })
                    } else {
                        quote!()
                    };
                    quote! {
                        if let ::std::option::Option::Some(value) = &self.#field {
                            #inner
                        } #missing
                    }
                }
                _ => quote! {
                    let value = &self.#field;
                    #inner
                },
            };
            quote! {
                {
                    let path = path.field(#label);
                    #body
                }
            }
        })
        .collect();
    let (path, out) = if checks.is_empty() {
        (quote!(_path), quote!(_out))
    } else {
        (quote!(path), quote!(out))
    };
    quote! {
        impl #VALIDATE for #name {
            fn validate_at(
                &self,
                #path: &#VALIDATE_PATH<'_>,
                #out: &mut ::std::vec::Vec<#VIOLATION>,
            ) {
                #(#checks)*
            }
        }
    }
}

fn bound_i64(n: Option<i64>) -> TokenStream {
    match n {
        None => quote!(::std::option::Option::None),
        Some(v) => {
            let lit = Literal::i64_suffixed(v);
            quote!(::std::option::Option::Some(#lit))
        }
    }
}

fn bound_f64(n: Option<f64>) -> TokenStream {
    match n {
        None => quote!(::std::option::Option::None),
        Some(v) => {
            let lit = Literal::f64_suffixed(v);
            quote!(::std::option::Option::Some(#lit))
        }
    }
}

fn bound_u64(n: Option<u64>) -> TokenStream {
    match n {
        None => quote!(::std::option::Option::None),
        Some(v) => {
            let lit = Literal::u64_suffixed(v);
            quote!(::std::option::Option::Some(#lit))
        }
    }
}

/// Checks on `value` (an expression of type `&T` for `ty`) at `path`, recursing into
/// lists, maps and nested structures. `depth` keeps loop variable names distinct.
pub fn value_checks(
    value: &TokenStream,
    ty: &Ty,
    constraints: &ir::Constraints,
    depth: usize,
) -> TokenStream {
    let mut out = Vec::new();
    if let Some((min, max)) = constraints.length {
        let len = match ty {
            Ty::String => quote!(#STR_LENGTH(#value)),
            _ => quote!(#value.len()),
        };
        let (min, max) = (bound_u64(min), bound_u64(max));
        out.push(quote!(#CHECK_LENGTH(&path, #len, #min, #max, out);));
    }
    if let Some((min, max)) = &constraints.range {
        if ty.is_integer() {
            let (min, max) = (
                bound_i64(min.map(ir::Number::ceil_i64)),
                bound_i64(max.map(ir::Number::floor_i64)),
            );
            let v = if *ty == Ty::Long {
                quote!(*#value)
            } else {
                quote!(i64::from(*#value))
            };
            out.push(quote!(#CHECK_RANGE_I64(&path, #v, #min, #max, out);));
        } else if ty.is_float() {
            let (min, max) = (
                bound_f64(min.map(ir::Number::as_f64)),
                bound_f64(max.map(ir::Number::as_f64)),
            );
            let v = if *ty == Ty::Double {
                quote!(*#value)
            } else {
                quote!(f64::from(*#value))
            };
            out.push(quote!(#CHECK_RANGE_F64(&path, #v, #min, #max, out);));
        }
    }
    match ty {
        Ty::Named(n) if ty.validates() => {
            if matches!(n.kind, NamedKind::Structure | NamedKind::Union) {
                out.push(quote!(#VALIDATE::validate_at(#value, &path, out);));
            }
        }
        Ty::List(e) if e.constraints.checked() || e.ty.validates() => {
            let item = format_ident!("item{}", depth);
            let index = format_ident!("index{}", depth);
            let inner = value_checks(&quote!(#item), &e.ty, &e.constraints, depth + 1);
            out.push(quote! {
                for (#index, #item) in #value.iter().enumerate() {
                    let path = path.index(#index);
                    #inner
                }
            });
        }
        Ty::Map(k, v) if k.constraints.checked() || v.constraints.checked() || v.ty.validates() => {
            let key = format_ident!("key{}", depth);
            let item = format_ident!("item{}", depth);
            // String keys and enum keys both have `as_str()`.
            let key_str = quote!(#key.as_str());
            let key_check = k.constraints.length.map(|(min, max)| {
                let (min, max) = (bound_u64(min), bound_u64(max));
                quote!(#CHECK_LENGTH(&path, #STR_LENGTH(#key_str), #min, #max, out);)
            });
            let inner = value_checks(&quote!(#item), &v.ty, &v.constraints, depth + 1);
            out.push(quote! {
                for (#key, #item) in #value.iter() {
                    let path = path.key(#key_str);
                    #key_check
                    #inner
                }
            });
        }
        _ => {}
    }
    quote!(#(#out)*)
}

/// The builder for a structure.
pub fn emit_builder(s: &Structure) -> TokenStream {
    let target = symbol_path(&s.symbol);
    let name = ident(&s.symbol.builder_name());
    let target_name = &s.symbol.name;
    // Builders live in `<module>::builders`; `super::` avoids raw identifiers (which
    // intra-doc links do not resolve) in the link.
    let docs = doc_attrs(&format!(
        "A builder for [`{target_name}`](super::{target_name})."
    ));
    let sensitive = s.sensitive || s.members.iter().any(|m| m.sensitive);
    let debug = if sensitive {
        quote!()
    } else {
        quote!(::std::fmt::Debug,)
    };
    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = inner_type(&m.ty, m.boxed);
        quote!(#field: ::std::option::Option<#ty>,)
    });
    let methods = s.members.iter().map(emit_setters);
    let fallible = s.members.iter().any(|m| m.presence == Presence::Required);
    let inits = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let model_name = &m.name;
        let label = names::unraw(&m.field);
        match &m.presence {
            Presence::Optional => quote!(#field: self.#field,),
            Presence::Required => quote! {
                #field: self.#field.ok_or(#BUILD_ERROR::missing_member(#target_name, #label, #model_name))?,
            },
            Presence::Default(_) => match default_fn(m) {
                None => quote!(#field: self.#field.unwrap_or_default(),),
                Some(f) => {
                    let module = s.symbol.module.iter().map(|m| ident(m));
                    quote!(#field: self.#field.unwrap_or_else(crate #(:: #module)* :: #f),)
                }
            },
        }
    });
    let build = if fallible {
        quote! {
            /// Builds the structure; fails naming the first required member that is not set.
            pub fn build(self) -> ::std::result::Result<#target, #BUILD_ERROR> {
                ::std::result::Result::Ok(#target { #(#inits)* })
            }
        }
    } else {
        quote! {
            /// Builds the structure.
            pub fn build(self) -> #target {
                #target { #(#inits)* }
            }
        }
    };
    let manual_debug = sensitive.then(|| {
        let label = s.symbol.builder_name();
        quote! {
            impl ::std::fmt::Debug for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#label).finish_non_exhaustive()
                }
            }
        }
    });
    quote! {
        #docs
        #[derive(::std::clone::Clone, #debug ::std::default::Default, ::std::cmp::PartialEq)]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #(#methods)*
            #build
        }

        #manual_debug
    }
}

fn emit_setters(m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let bare = names::unraw(&m.field);
    let set = format_ident!("set_{}", bare);
    let get = format_ident!("get_{}", bare);
    let ty = inner_type(&m.ty, m.boxed);
    let summary = m
        .docs
        .as_deref()
        .map(|d| format!("\n\n{}", docs::first_paragraph(d)))
        .unwrap_or_default();
    let required = if m.presence == Presence::Required {
        " Required."
    } else {
        ""
    };
    let (setter_docs, setter) = match &m.ty {
        Ty::List(e) if !m.boxed => {
            let item = ty_tokens(&e.ty);
            (
                format!("Appends one item to `{bare}`.{required}{summary}"),
                quote! {
                    pub fn #field(mut self, input: impl ::std::convert::Into<#item>) -> Self {
                        self.#field.get_or_insert_with(::std::vec::Vec::new).push(input.into());
                        self
                    }
                },
            )
        }
        Ty::Map(k, v) if !m.boxed => {
            let (k, v) = (ty_tokens(&k.ty), ty_tokens(&v.ty));
            (
                format!("Inserts one entry into `{bare}`.{required}{summary}"),
                quote! {
                    pub fn #field(
                        mut self,
                        key: impl ::std::convert::Into<#k>,
                        value: impl ::std::convert::Into<#v>,
                    ) -> Self {
                        self.#field
                            .get_or_insert_with(::std::default::Default::default)
                            .insert(key.into(), value.into());
                        self
                    }
                },
            )
        }
        _ => {
            let plain = ty_tokens(&m.ty);
            let wrap = if m.boxed {
                quote!(::std::boxed::Box::new(input.into()))
            } else {
                quote!(input.into())
            };
            (
                format!("Sets `{bare}`.{required}{summary}"),
                quote! {
                    pub fn #field(mut self, input: impl ::std::convert::Into<#plain>) -> Self {
                        self.#field = ::std::option::Option::Some(#wrap);
                        self
                    }
                },
            )
        }
    };
    let setter_docs = doc_attrs(&setter_docs);
    let set_docs = doc_attrs(&format!("Sets or clears `{bare}`."));
    let get_docs = doc_attrs(&format!("The value of `{bare}` set so far."));
    quote! {
        #setter_docs
        #setter
        #set_docs
        pub fn #set(mut self, input: ::std::option::Option<#ty>) -> Self {
            self.#field = input;
            self
        }
        #get_docs
        pub fn #get(&self) -> &::std::option::Option<#ty> {
            &self.#field
        }
    }
}
