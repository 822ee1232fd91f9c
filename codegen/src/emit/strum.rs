//! strum's traits on generated enums, written out (no derive macro, so no proc-macro
//! compile cost): `VariantNames` (the known wire values of a string enum, the variant
//! names of an `intEnum`), `EnumCount` and `IntoEnumIterator` over the known variants.
//! `Unknown` is not a variant of the model, so none of them counts it.

use proc_macro2::TokenStream;
use quote::quote;

use super::ident;
use crate::ir::{Enum, EnumValue};

/// The three impls for enum `e`.
pub(super) fn enum_impls(e: &Enum) -> TokenStream {
    let name = ident(&e.symbol.name);
    let variants: Vec<_> = e.variants.iter().map(|v| ident(&v.name)).collect();
    let names: Vec<String> = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumValue::Str(s) => s.clone(),
            EnumValue::Int(_) => v.name.clone(),
        })
        .collect();
    let count = e.variants.len();
    quote! {
        impl ::strum::VariantNames for #name {
            const VARIANTS: &'static [&'static str] = &[#(#names),*];
        }

        impl ::strum::EnumCount for #name {
            const COUNT: usize = #count;
        }

        impl ::strum::IntoEnumIterator for #name {
            type Iterator = ::std::array::IntoIter<Self, #count>;

            // The type written out: `Self::Iterator` would be ambiguous for an enum
            // with a value named `Iterator`.
            fn iter() -> ::std::array::IntoIter<Self, #count> {
                [#(Self::#variants),*].into_iter()
            }
        }
    }
}
