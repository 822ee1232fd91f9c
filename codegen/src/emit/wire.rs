//! The serde of structures, written out instead of derived: a `Serialize` that writes
//! each member, and a `Deserialize` that hands a short `read_member` match to the
//! shared visitor in the runtime (`apigw_runtime::structure`). Both keep what a derive
//! with the member attributes of `structure::serde_field_attrs` gave on the wire:
//! wire names, declaration order, absent optional members skipped, adapters for
//! timestamps, blobs and floats. They compile to a fraction of a derive's expansion.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::runtime::*;
use super::{field_adapter, field_type, ident, inner_adapter, inner_type};
use crate::ir::{Defs, Member, Presence};

/// `impl Serialize for #target` writing `members` of `#owner` (`self`, or `self.0`
/// for a borrowed view) as a struct named `name`.
pub(super) fn serialize_impl(
    defs: &Defs,
    name: &str,
    target: TokenStream,
    owner: TokenStream,
    members: &[&Member],
) -> TokenStream {
    serialize_impl_with(defs, name, target, owner, members, inner_adapter, |m| {
        m.presence == Presence::Optional
    })
}

/// [`serialize_impl`] writing each member through the adapter `adapter` gives it, an
/// `Option` field where `optional` says so (for a view's fields, whose types differ
/// from the owned structure's and are all `Option`s).
pub(super) fn serialize_impl_with(
    defs: &Defs,
    name: &str,
    target: TokenStream,
    owner: TokenStream,
    members: &[&Member],
    adapter: impl Fn(&Member) -> Option<TokenStream>,
    optional: impl Fn(&Member) -> bool,
) -> TokenStream {
    // The number of members written: those always written, plus each optional one set.
    let always = members.iter().filter(|m| !optional(m)).count();
    let mut len: Vec<TokenStream> = members
        .iter()
        .filter(|m| optional(m))
        .map(|m| {
            let field = ident(&m.field);
            quote!(usize::from(#owner.#field.is_some()))
        })
        .collect();
    if always > 0 || len.is_empty() {
        len.insert(0, Literal::usize_unsuffixed(always).into_token_stream());
    }
    let writes = members.iter().map(|m| {
        let field = ident(&m.field);
        let wire = &m.wire;
        match (optional(m), adapter(m)) {
            (true, None) => quote!(#STRUCT_OPTIONAL(&mut state, #wire, &#owner.#field)?;),
            (true, Some(a)) => {
                quote!(#STRUCT_OPTIONAL_AS::<_, _, #a>(&mut state, #wire, &#owner.#field)?;)
            }
            (false, None) => quote!(state.serialize_field(#wire, &#owner.#field)?;),
            (false, Some(a)) => {
                let ty = inner_type(defs, &m.ty, m.boxed);
                quote! {
                    state.serialize_field(
                        #wire,
                        &::serde_with::ser::SerializeAsWrap::<#ty, #a>::new(&#owner.#field),
                    )?;
                }
            }
        }
    });
    let state = if members.is_empty() {
        quote!(let state)
    } else {
        quote!(let mut state)
    };
    quote! {
        impl ::serde::Serialize for #target {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct as _;

                #state = serializer.serialize_struct(#name, #(#len)+*)?;
                #(#writes)*
                state.end()
            }
        }
    }
}

/// `Members` and `Deserialize` for structure `name` (which implements `Default`, the
/// value of every member the input lacks).
pub(super) fn deserialize_impls(defs: &Defs, name: &str, members: &[&Member]) -> TokenStream {
    let values = members
        .iter()
        .map(|m| match field_adapter(m) {
            None => quote!(map.next_value()?),
            Some(a) => {
                let ty = field_type(defs, &m.ty, m.boxed, &m.presence);
                quote!(map.next_value::<::serde_with::de::DeserializeAsWrap<#ty, #a>>()?.into_inner())
            }
        })
        .collect();
    read_impls(name, members, values, false)
}

/// `Members` and `Deserialize` of structure `name` whose member `i` is read by
/// `values[i]`: for every input lifetime (an owned structure), or, for a borrowed view
/// (`view`), only for the lifetime `'a` of the type `name<'a>`.
pub(super) fn read_impls(
    name: &str,
    members: &[&Member],
    values: Vec<TokenStream>,
    view: bool,
) -> TokenStream {
    let target = ident(name);
    let wires = members.iter().map(|m| &m.wire);
    let assignments: Vec<(usize, TokenStream)> = members
        .iter()
        .zip(values)
        .enumerate()
        .map(|(index, (m, value))| {
            let field = ident(&m.field);
            (index, quote!(self.#field = #value))
        })
        .collect();
    let arms = assignments.iter().map(|(index, assign)| {
        let index = Literal::usize_unsuffixed(*index);
        quote!(#index => #assign,)
    });
    let read = match assignments.as_slice() {
        [] => quote!(let _ = (index, map);),
        [(_, only)] => quote!(if index == 0 { #only; }),
        _ => quote! {
            match index {
                #(#arms)*
                _ => {}
            }
        },
    };
    let (generics, target, input) = if view {
        (quote!(<'a>), quote!(#target<'a>), quote!('a))
    } else {
        (quote!(<'de>), quote!(#target), quote!('de))
    };
    quote! {
        impl #generics #STRUCT_MEMBERS<#input> for #target {
            const NAME: &'static str = #name;
            const WIRE_NAMES: &'static [&'static str] = &[#(#wires),*];

            fn read_member<A: ::serde::de::MapAccess<#input>>(
                &mut self,
                index: usize,
                map: &mut A,
            ) -> ::std::result::Result<(), A::Error> {
                #read
                ::std::result::Result::Ok(())
            }
        }

        impl #generics ::serde::Deserialize<#input> for #target {
            fn deserialize<D: ::serde::Deserializer<#input>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                #STRUCT_DESERIALIZE(deserializer)
            }
        }
    }
}
