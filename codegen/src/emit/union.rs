//! Unions: a Rust enum with one variant per member plus `Unknown` for a member the model
//! does not list. On the wire a union is a JSON object with exactly one set member.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::botocore;
use super::validate::union_validate;
use super::{doc_attrs, docs_or, ident, inner_adapter, inner_type};
use crate::docs;
use crate::ir::{Defs, Ty, Union};

/// The union type, its serde impls and `Validate`.
pub fn emit_union(defs: &Defs, u: &Union) -> TokenStream {
    let name = ident(&u.symbol.name);
    let docs = docs_or(
        u.docs.as_deref(),
        &format!("The `{}` union.", docs::escape_plain(&u.id)),
        u.deprecated.as_deref(),
    );
    let mut derives = vec![
        quote!(::std::clone::Clone),
        quote!(::std::fmt::Debug),
        quote!(::std::cmp::PartialEq),
    ];
    if u.caps.eq {
        derives.push(quote!(::std::cmp::Eq));
    }
    if u.caps.hash {
        derives.push(quote!(::std::hash::Hash));
    }

    let variants = u.members.iter().map(|m| {
        let v = ident(&m.variant);
        let docs = docs_or(
            m.docs.as_deref(),
            &format!("The `{}` member.", docs::escape_plain(&m.name)),
            m.deprecated.as_deref(),
        );
        if m.ty == Ty::Unit {
            quote!(#docs #v,)
        } else {
            let ty = inner_type(defs, &m.ty, m.boxed);
            quote!(#docs #v(#ty),)
        }
    });

    let ser_arms = u.members.iter().map(|m| {
        let v = ident(&m.variant);
        let wire = &m.wire;
        if m.ty == Ty::Unit {
            return quote! {
                Self::#v => map.serialize_entry(#wire, &::std::collections::BTreeMap::<(), ()>::new())?,
            };
        }
        match inner_adapter(m) {
            Some(a) => {
                let ty = inner_type(defs, &m.ty, m.boxed);
                quote! {
                    Self::#v(value) => map.serialize_entry(
                        #wire,
                        &::serde_with::ser::SerializeAsWrap::<#ty, #a>::new(value),
                    )?,
                }
            }
            None => quote!(Self::#v(value) => map.serialize_entry(#wire, value)?,),
        }
    });

    let de_arms = u.members.iter().map(|m| {
        let v = ident(&m.variant);
        let wire = &m.wire;
        if m.ty == Ty::Unit {
            return quote! {
                #wire => {
                    map.next_value::<::serde::de::IgnoredAny>()?;
                    ::std::option::Option::Some(#name::#v)
                }
            };
        }
        // A member given as `null` is not the one set (JSON protocols allow it).
        let ty = inner_type(defs, &m.ty, m.boxed);
        match inner_adapter(m) {
            Some(a) => {
                quote! {
                    #wire => map
                        .next_value::<::std::option::Option<::serde_with::de::DeserializeAsWrap<#ty, #a>>>()?
                        .map(|value| #name::#v(value.into_inner())),
                }
            }
            None => quote!(#wire => map.next_value::<::std::option::Option<#ty>>()?.map(#name::#v),),
        }
    });

    let expecting = format!("a {} union (an object with one member)", u.symbol.name);
    let unknown_docs =
        doc_attrs("A member this crate's model does not list; its value was skipped.");
    let unknown_error = format!("cannot serialize the Unknown variant of {}", u.symbol.name);
    let visitor = format_ident!("{}Visitor", u.symbol.name);

    let botocore = botocore::union_impl(u);
    let validate = union_validate(defs, u);
    quote! {
        #docs
        #[derive(#(#derives),*)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown_docs
            Unknown,
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                if let Self::Unknown = self {
                    return ::std::result::Result::Err(<S::Error as ::serde::ser::Error>::custom(#unknown_error));
                }
                let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                match self {
                    #(#ser_arms)*
                    Self::Unknown => {}
                }
                map.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct #visitor;

                impl<'de> ::serde::de::Visitor<'de> for #visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> ::std::result::Result<#name, A::Error> {
                        let mut found = ::std::option::Option::None;
                        while let ::std::option::Option::Some(key) =
                            map.next_key::<::std::borrow::Cow<'de, str>>()?
                        {
                            if key.as_ref() == "__type" {
                                // A type tag some services add: not a member.
                                map.next_value::<::serde::de::IgnoredAny>()?;
                                continue;
                            }
                            let value = match key.as_ref() {
                                #(#de_arms)*
                                _ => {
                                    map.next_value::<::serde::de::IgnoredAny>()?;
                                    ::std::option::Option::Some(#name::Unknown)
                                }
                            };
                            let ::std::option::Option::Some(value) = value else {
                                continue;
                            };
                            if found.is_some() {
                                return ::std::result::Result::Err(<A::Error as ::serde::de::Error>::custom(
                                    "a union must have exactly one member set",
                                ));
                            }
                            found = ::std::option::Option::Some(value);
                        }
                        found.ok_or_else(|| <A::Error as ::serde::de::Error>::custom(
                            "a union must have exactly one member set",
                        ))
                    }
                }

                deserializer.deserialize_map(#visitor)
            }
        }

        #botocore
        #validate
    }
}
