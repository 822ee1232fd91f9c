//! Structures: the type, its serde mapping, `validate()`, error impls, and its builder.

use super::runtime::*;
use proc_macro2::TokenStream;
use quote::quote;

use super::botocore;
use super::errors::emit_error_impls;
use super::validate::emit_validate;
use super::wire;
use super::{
    builder_path, default_expr, default_fn, docs_or, field_adapter, field_type, ident, inner_type,
};
use crate::docs;
use crate::ir::{Defs, Member, Presence, Structure, StructureRole};
use crate::names;

/// The serde attributes of member `m` (wire name, omission of absent members,
/// defaults, timestamp/blob adapters); `true` when one is a `serde_as` adapter.
pub(super) fn serde_field_attrs(defs: &Defs, m: &Member) -> (Vec<TokenStream>, bool) {
    let mut serde = Vec::new();
    if m.wire != names::unraw(&m.field) {
        let wire = &m.wire;
        serde.push(quote!(rename = #wire));
    }
    let adapted = field_adapter(m);
    match &m.presence {
        Presence::Optional => {
            serde.push(quote!(
                skip_serializing_if = "::std::option::Option::is_none"
            ));
            if adapted.is_some() {
                serde.push(quote!(default));
            }
        }
        Presence::Required => {
            // A service that omits a required member still yields a value (Smithy's
            // client error correction) when the type has a zero value.
            if defs.caps(&m.ty).default {
                serde.push(quote!(default));
            }
        }
        Presence::Default(_) => match &m.default_fn {
            None => serde.push(quote!(default)),
            Some(f) => serde.push(quote!(default = #f)),
        },
    }
    let mut attrs = Vec::new();
    if !serde.is_empty() {
        attrs.push(quote!(#[serde(#(#serde),*)]));
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
pub fn emit_struct(defs: &Defs, s: &Structure) -> TokenStream {
    let decl = struct_decl(defs, s);
    let members: Vec<&Member> = s.members.iter().collect();
    let name = ident(&s.symbol.name);
    let serialize =
        wire::serialize_impl(defs, &s.symbol.name, quote!(#name), quote!(self), &members);
    let deserialize = s
        .caps
        .default
        .then(|| wire::deserialize_impls(defs, &s.symbol.name, &members));
    let inherent = inherent_impl(s);
    let validate = emit_validate(defs, s);
    let botocore = botocore::struct_impl(s);
    let default = default_impl(s);
    let debug = redacting_debug_impl(s);
    let error_impls = s.error.as_ref().map(|e| emit_error_impls(s, e));
    let default_fns = default_fns(defs, s);
    quote! {
        #decl
        #serialize
        #deserialize
        #inherent
        #validate
        #botocore
        #default
        #debug
        #error_impls
        #(#default_fns)*
    }
}

/// Whether the structure's `Debug` must hide a member (so it is written by hand).
pub(super) fn redacts(s: &Structure) -> bool {
    s.sensitive || s.members.iter().any(|m| m.sensitive)
}

/// Whether a member's default needs a function, so `Default` is written by hand.
fn has_default_fns(s: &Structure) -> bool {
    s.members.iter().any(|m| m.default_fn.is_some())
}

/// Whether `Deserialize` is derived: only for a structure without `Default` (a required
/// member has no zero value), which the runtime's visitor cannot start from. Every other
/// structure's serde is written out by `wire`.
fn derives_deserialize(s: &Structure) -> bool {
    !s.caps.default
}

/// The derives the structure gets; the rest are written out below.
fn derives(s: &Structure) -> Vec<TokenStream> {
    let mut derives = vec![quote!(::std::clone::Clone)];
    if !redacts(s) {
        derives.push(quote!(::std::fmt::Debug));
    }
    derives.push(quote!(::std::cmp::PartialEq));
    if s.caps.eq {
        derives.push(quote!(::std::cmp::Eq));
    }
    if s.caps.hash {
        derives.push(quote!(::std::hash::Hash));
    }
    if s.caps.default && !has_default_fns(s) {
        derives.push(quote!(::std::default::Default));
    }
    if derives_deserialize(s) {
        derives.push(quote!(::serde::Deserialize));
    }
    derives
}

/// The `pub struct` with its documented, serde-attributed fields.
fn struct_decl(defs: &Defs, s: &Structure) -> TokenStream {
    let name = ident(&s.symbol.name);
    let docs = docs_or(
        s.docs.as_deref(),
        &fallback_docs(s),
        s.deprecated.as_deref(),
    );
    let derives = derives(s);
    let mut uses_serde_as = false;
    let fields: Vec<TokenStream> = s
        .members
        .iter()
        .map(|m| {
            let field = ident(&m.field);
            let ty = field_type(defs, &m.ty, m.boxed, &m.presence);
            let docs = docs_or(
                m.docs.as_deref(),
                &format!("The `{}` member.", docs::escape_plain(&m.name)),
                m.deprecated.as_deref(),
            );
            let attrs = if derives_deserialize(s) {
                let (attrs, adapted) = serde_field_attrs(defs, m);
                uses_serde_as |= adapted;
                attrs
            } else {
                Vec::new()
            };
            quote! {
                #docs
                #(#attrs)*
                pub #field: #ty,
            }
        })
        .collect();
    let serde_as = uses_serde_as.then(|| quote!(#[::serde_with::serde_as]));
    quote! {
        #docs
        #serde_as
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// `builder()` and `validate()`.
fn inherent_impl(s: &Structure) -> TokenStream {
    let name = ident(&s.symbol.name);
    let builder = builder_path(&s.symbol);
    let name_str = &s.symbol.name;
    let validate = if s.validates {
        quote! {
            /// Checks every `length`, `range` and `required` constraint of the model,
            /// nested values included, and reports each violation with its member path.
            pub fn validate(&self) -> ::std::result::Result<(), #VALIDATION_ERROR> {
                #RUN_VALIDATION(self, #name_str)
            }
        }
    } else {
        quote! {
            /// Checks the model's constraints: this structure has none (nor has anything
            /// it holds), so it is always valid.
            pub fn validate(&self) -> ::std::result::Result<(), #VALIDATION_ERROR> {
                ::std::result::Result::Ok(())
            }
        }
    };
    quote! {
        impl #name {
            /// A builder for this structure.
            pub fn builder() -> #builder {
                ::std::default::Default::default()
            }

            #validate

        }
    }
}

/// The private functions giving members' non-zero defaults.
fn default_fns(defs: &Defs, s: &Structure) -> Vec<TokenStream> {
    s.members
        .iter()
        .filter_map(|m| match (&m.presence, default_fn(m)) {
            (Presence::Default(v), Some(f)) => {
                let ty = inner_type(defs, &m.ty, m.boxed);
                let value = default_expr(defs, &m.ty, v);
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
        .collect()
}

/// `Default` by hand, when a member's default is not its type's zero.
fn default_impl(s: &Structure) -> Option<TokenStream> {
    if !(s.caps.default && has_default_fns(s)) {
        return None;
    }
    let name = ident(&s.symbol.name);
    let inits = s.members.iter().map(|m| {
        let field = ident(&m.field);
        match default_fn(m) {
            Some(f) => quote!(#field: #f(),),
            None => quote!(#field: ::std::default::Default::default(),),
        }
    });
    Some(quote! {
        impl ::std::default::Default for #name {
            fn default() -> Self {
                Self { #(#inits)* }
            }
        }
    })
}

/// `Debug` by hand, showing sensitive members as redacted.
fn redacting_debug_impl(s: &Structure) -> Option<TokenStream> {
    let name = ident(&s.symbol.name);
    let members: Vec<&Member> = s.members.iter().collect();
    redacting_debug(s, quote!(#name), &members)
}

/// `impl Debug for #target` writing `members` of structure `s` (the structure itself,
/// or its borrowed view) with sensitive ones redacted, when `s` has any (else `None`:
/// `Debug` is derived).
pub(super) fn redacting_debug(
    s: &Structure,
    target: TokenStream,
    members: &[&Member],
) -> Option<TokenStream> {
    if !redacts(s) {
        return None;
    }
    let entries = members.iter().map(|m| {
        let field = ident(&m.field);
        let label = names::unraw(&m.field);
        if s.sensitive || m.sensitive {
            quote!(.field(#label, &"*** Sensitive Data Redacted ***"))
        } else {
            quote!(.field(#label, &self.#field))
        }
    });
    let label = &s.symbol.name;
    Some(quote! {
        impl ::std::fmt::Debug for #target {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#label) #(#entries)* .finish()
            }
        }
    })
}
