//! Enums: named variants plus an `Unknown` variant that keeps any value the model does
//! not list, so deserializing never fails on a new value and re-serializing gives the
//! same string back.
//!
//! The conversions are generated rather than derived with strum: the catch-all holds an
//! opaque [`UnknownValue`](apigw_runtime::UnknownValue) (so a known value can never be
//! wrapped as unknown), known values are matched on `&str` without allocating, and
//! serde reads borrowed strings through a visitor.

use super::botocore;
use super::runtime::*;
use super::strum;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{doc_attrs, docs_or, ident};
use crate::docs;
use crate::ir::{Enum, EnumValue};

/// A string or int enum.
pub fn emit_enum(e: &Enum) -> TokenStream {
    if e.int {
        emit_int_enum(e)
    } else {
        emit_string_enum(e)
    }
}

fn variant_docs(e: &Enum) -> Vec<TokenStream> {
    e.variants
        .iter()
        .map(|v| {
            let shown = match &v.value {
                EnumValue::Str(s) => format!("`{s}`"),
                EnumValue::Int(i) => format!("`{i}`"),
            };
            let text = match &v.docs {
                Some(d) => format!("{shown}: {d}"),
                None => shown,
            };
            docs_or(Some(&text), "", v.deprecated.as_deref())
        })
        .collect()
}

fn emit_string_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.symbol.name);
    let botocore = botocore::enum_impl(e);
    let strum = strum::enum_impls(e);
    let docs = docs_or(
        e.docs.as_deref(),
        &format!("The `{}` enum.", docs::escape_plain(&e.id)),
        e.deprecated.as_deref(),
    );
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumValue::Str(s) => s.as_str(),
            EnumValue::Int(_) => unreachable!("string enum with an int value"),
        })
        .collect();
    let variant_docs = variant_docs(e);
    let expecting = format!("a {} value", e.symbol.name);
    let unknown_docs = doc_attrs(
        "A value this crate's model does not list, kept exactly as received.\n\nMatch on [`as_str`](Self::as_str) to handle values added to the service later.",
    );
    quote! {
        #docs
        #[derive(
            ::std::clone::Clone,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::std::hash::Hash,
            ::std::cmp::PartialOrd,
            ::std::cmp::Ord,
        )]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variants,
            )*
            #unknown_docs
            Unknown(#UNKNOWN_VALUE),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model lists, in model order.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }

            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    #(#values => ::std::option::Option::Some(Self::#variants),)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::known(value)
                    .unwrap_or_else(|| Self::Unknown(#UNKNOWN_VALUE::new(value)))
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match Self::known(&value) {
                    ::std::option::Option::Some(known) => known,
                    ::std::option::Option::None => {
                        Self::Unknown(#UNKNOWN_VALUE::new(value))
                    }
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #botocore
        #strum

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;

                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = #name;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }

                    fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value))
                    }

                    fn visit_string<E: ::serde::de::Error>(
                        self,
                        value: ::std::string::String,
                    ) -> ::std::result::Result<#name, E> {
                        ::std::result::Result::Ok(#name::from(value))
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    }
}

fn emit_int_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.symbol.name);
    let botocore = botocore::enum_impl(e);
    let strum = strum::enum_impls(e);
    let docs = docs_or(
        e.docs.as_deref(),
        &format!("The `{}` enum.", docs::escape_plain(&e.id)),
        e.deprecated.as_deref(),
    );
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<Literal> = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumValue::Int(i) => Literal::i32_unsuffixed(*i),
            EnumValue::Str(_) => unreachable!("int enum with a string value"),
        })
        .collect();
    let variant_docs = variant_docs(e);
    let unknown_docs =
        doc_attrs("A value this crate's model does not list, kept exactly as received.");
    quote! {
        #docs
        #[derive(
            ::std::clone::Clone,
            ::std::marker::Copy,
            ::std::fmt::Debug,
            ::std::cmp::PartialEq,
            ::std::cmp::Eq,
            ::std::hash::Hash,
            ::std::cmp::PartialOrd,
            ::std::cmp::Ord,
        )]
        #[non_exhaustive]
        pub enum #name {
            #(
                #variant_docs
                #variants,
            )*
            #unknown_docs
            Unknown(#UNKNOWN_INT_VALUE),
        }

        impl #name {
            /// The value as written on the wire.
            pub const fn as_i32(&self) -> i32 {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value.value(),
                }
            }

            /// Every value the model lists, in model order.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl ::std::convert::From<i32> for #name {
            fn from(value: i32) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(#UNKNOWN_INT_VALUE::new(other)),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.as_i32(), f)
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.as_i32())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <i32 as ::serde::Deserialize<'de>>::deserialize(deserializer).map(Self::from)
            }
        }

        #botocore
        #strum
    }
}
