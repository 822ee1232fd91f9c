//! Builders: one per structure, with a setter per member and a `build()` that checks
//! required members.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime::*;
use super::{default_fn, doc_attrs, ident, inner_type, symbol_path, ty_tokens};
use crate::docs;
use crate::ir::{Defs, Member, Presence, Structure, Ty};
use crate::names;

/// The builder for a structure.
pub fn emit_builder(defs: &Defs, s: &Structure) -> TokenStream {
    let target = symbol_path(&s.symbol);
    let name = ident(&s.symbol.builder_name());
    let target_name = &s.symbol.name;
    // Builders live in `<module>::builders`; `super::` avoids raw identifiers (which
    // intra-doc links do not resolve) in the link.
    let docs = doc_attrs(&format!(
        "A builder for [`{target_name}`](super::{target_name})."
    ));
    let sensitive = super::structure::redacts(s);
    let debug = if sensitive {
        quote!()
    } else {
        quote!(::std::fmt::Debug,)
    };
    let fields = s.members.iter().map(|m| {
        let field = ident(&m.field);
        let ty = inner_type(defs, &m.ty, m.boxed);
        quote!(#field: ::std::option::Option<#ty>,)
    });
    let methods = s.members.iter().map(|m| emit_setters(defs, m));
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

fn emit_setters(defs: &Defs, m: &Member) -> TokenStream {
    let field = ident(&m.field);
    let bare = names::unraw(&m.field);
    let set = ident(&m.accessors.set);
    let get = ident(&m.accessors.get);
    let ty = inner_type(defs, &m.ty, m.boxed);
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
            let item = ty_tokens(defs, &e.ty);
            let pushed = if e.sparse {
                quote!(::std::option::Option::Some(input.into()))
            } else {
                quote!(input.into())
            };
            (
                format!("Appends one item to `{bare}`.{required}{summary}"),
                quote! {
                    pub fn #field(mut self, input: impl ::std::convert::Into<#item>) -> Self {
                        self.#field.get_or_insert_with(::std::vec::Vec::new).push(#pushed);
                        self
                    }
                },
            )
        }
        Ty::Map(k, v) if !m.boxed => {
            let inserted = if v.sparse {
                quote!(::std::option::Option::Some(value.into()))
            } else {
                quote!(value.into())
            };
            let (k, v) = (ty_tokens(defs, &k.ty), ty_tokens(defs, &v.ty));
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
                            .insert(key.into(), #inserted);
                        self
                    }
                },
            )
        }
        _ => {
            let plain = ty_tokens(defs, &m.ty);
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
