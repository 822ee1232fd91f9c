//! The botocore impls: how a value prints in the AWS CLI's output (member names as the
//! model spells them, not the wire names; see `apigw_runtime::botocore`), compiled with
//! the generated crate's `botocore` feature (which command-line tools turn on).

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::ident;
use super::runtime::*;
use crate::ir::{Enum, Presence, Structure, Ty, Union};

/// `impl BotocoreSerialize for name { body }`, compiled with the `botocore` feature.
fn botocore_impl(name: &Ident, body: TokenStream) -> TokenStream {
    quote! {
        #[cfg(feature = "botocore")]
        impl #BOTOCORE_SERIALIZE for #name {
            fn serialize_botocore<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                #body
            }
        }
    }
}

/// A structure's `BotocoreSerialize`: each set member under its model name.
pub(super) fn struct_impl(s: &Structure) -> TokenStream {
    let name = ident(&s.symbol.name);
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
    botocore_impl(
        &name,
        quote! {
            use ::serde::ser::SerializeMap as _;
            #[allow(unused_mut)]
            let mut map = serializer.serialize_map(::std::option::Option::None)?;
            #(#botocore_entries)*
            map.end()
        },
    )
}

/// A union's `BotocoreSerialize`: its one set member under its model name.
pub(super) fn union_impl(u: &Union) -> TokenStream {
    let name = ident(&u.symbol.name);
    let botocore_arms = u.members.iter().map(|m| {
        let v = ident(&m.variant);
        let key = &m.name;
        if m.ty == Ty::Unit {
            quote!(Self::#v => map.serialize_entry(#key, &::std::collections::BTreeMap::<(), ()>::new())?,)
        } else {
            quote!(Self::#v(value) => map.serialize_entry(#key, &#BOTOCORE(value))?,)
        }
    });
    botocore_impl(
        &name,
        quote! {
            use ::serde::ser::SerializeMap as _;
            let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
            match self {
                #(#botocore_arms)*
                Self::Unknown => {}
            }
            map.end()
        },
    )
}

/// An enum's `BotocoreSerialize`: its wire value (a string, or an integer for an
/// `intEnum`), as the AWS CLI prints it.
pub(super) fn enum_impl(e: &Enum) -> TokenStream {
    let name = ident(&e.symbol.name);
    let value = if e.int {
        quote!(serializer.serialize_i32(self.as_i32()))
    } else {
        quote!(serializer.serialize_str(self.as_str()))
    };
    botocore_impl(&name, value)
}
