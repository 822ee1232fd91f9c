//! `impl apigw_paginator::Paginated` for an operation with pagination metadata (from
//! `smithy.api#paginated` or a `paginators-1.json`-form override): where the tokens,
//! the page size and the items live in its input and output.

use super::runtime::*;
use proc_macro2::TokenStream;
use quote::quote;

use super::{elem_tokens, ident, symbol_path, ty_tokens};
use crate::ir::{HttpLocation, Ir, Member, Operation, OperationShapes, Pagination, Presence, Ty};

#[derive(Clone, Copy)]
enum Access {
    Shared,
    /// Shared, ending in a `String` read as `&str`.
    SharedStr,
    Mutable,
    Owned,
}

/// An expression of type `Option<&T>` / `Option<&mut T>` / `Option<T>` for the value at
/// the end of `path`, starting from the variable `root`.
fn chain(path: &[&Member], root: TokenStream, access: Access) -> TokenStream {
    let mut expr: Option<TokenStream> = None;
    for (i, m) in path.iter().enumerate() {
        let f = ident(&m.field);
        let optional = m.presence == Presence::Optional;
        let access = match access {
            Access::SharedStr if i + 1 < path.len() => Access::Shared,
            other => other,
        };
        // The member of `v`: an `Option` when optional, the value itself otherwise.
        let step = |v: TokenStream| match (access, optional, m.boxed) {
            (Access::Shared, true, false) => quote!(#v.#f.as_ref()),
            (Access::Shared, true, true) => quote!(#v.#f.as_deref()),
            (Access::Shared, false, false) => quote!(&#v.#f),
            (Access::Shared, false, true) => quote!(&*#v.#f),
            (Access::SharedStr, true, _) => quote!(#v.#f.as_deref()),
            (Access::SharedStr, false, _) => quote!(#v.#f.as_str()),
            (Access::Mutable, true, false) => quote!(#v.#f.as_mut()),
            (Access::Mutable, true, true) => quote!(#v.#f.as_deref_mut()),
            (Access::Mutable, false, false) => quote!(&mut #v.#f),
            (Access::Mutable, false, true) => quote!(&mut *#v.#f),
            (Access::Owned, true, false) => quote!(#v.#f),
            (Access::Owned, true, true) => quote!(#v.#f.map(|b| *b)),
            (Access::Owned, false, false) => quote!(#v.#f),
            (Access::Owned, false, true) => quote!(*#v.#f),
        };
        expr = Some(match (expr, optional) {
            (None, true) => step(root.clone()),
            (None, false) => {
                let value = step(root.clone());
                quote!(::std::option::Option::Some(#value))
            }
            (Some(e), true) => {
                let value = step(quote!(v));
                quote!(#e.and_then(|v| #value))
            }
            (Some(e), false) => {
                let value = step(quote!(v));
                quote!(#e.map(|v| #value))
            }
        });
    }
    expr.expect("pagination paths are not empty")
}

/// The page size expression for a member of type `ty` from `page_size: u32`.
fn page_size_value(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::string::ToString::to_string(&page_size)),
        Ty::Long => quote!(i64::from(page_size)),
        Ty::Integer => quote!(i32::try_from(page_size).unwrap_or(i32::MAX)),
        Ty::Short => quote!(i16::try_from(page_size).unwrap_or(i16::MAX)),
        Ty::Byte => quote!(i8::try_from(page_size).unwrap_or(i8::MAX)),
        other => panic!("generator bug: page size of type {other:?}"),
    }
}

/// The `Paginated` impl of `op`, or nothing when its pagination has no items member
/// (item-level pagination needs one).
pub fn emit_paginator(ir: &Ir, op: &Operation, shapes: &OperationShapes<'_>) -> TokenStream {
    let defs = &ir.defs;
    let (Some(p), Some(input), Some(output)) = (&op.pagination, shapes.input, shapes.output) else {
        return quote!();
    };
    let Pagination {
        input_token,
        items: Some(items),
        paths,
        ..
    } = p
    else {
        return quote!();
    };
    let marker = ident(&op.marker.name);
    let input_ty = symbol_path(&input.symbol);
    let output_ty = symbol_path(&output.symbol);
    let op_name = &op.name;
    let result_key = items.join(".");

    let input_token_path = ir.member_path(&paths.input_token);
    let page_size_path = ir.member_path(&paths.page_size);
    let out_path = ir.member_path(&paths.output_token);
    let item_path = ir.member_path(&paths.items);
    let Some(token_member) = input_token_path.last() else {
        return quote!();
    };
    let token_field = ident(&token_member.field);
    let cow = quote!(::std::borrow::Cow);
    let json_token = matches!(token_member.ty, Ty::Map(..));
    let (get_token, set_token, check_token) = if json_token {
        // A map token (DynamoDB's key) travels as its compact JSON text.
        let token_ty = super::inner_type(defs, &token_member.ty, false);
        let read = quote!(token.and_then(|t| #FROM_JSON_TOKEN::<#token_ty>(&t).ok()));
        let (get, set) = if token_member.presence == Presence::Optional {
            (
                quote!(input.#token_field.as_ref()),
                quote!(input.#token_field = #read;),
            )
        } else {
            (
                quote!(::std::option::Option::Some(&input.#token_field)),
                quote!(input.#token_field = #read.unwrap_or_default();),
            )
        };
        (
            quote!(#get.filter(|t| !t.is_empty()).map(|t| #cow::Owned(#JSON_TOKEN(t)))),
            set,
            quote! {
                const JSON_TOKEN: bool = true;

                fn check_token(token: &str) -> ::std::result::Result<(), ::std::string::String> {
                    #FROM_JSON_TOKEN::<#token_ty>(token).map(|_| ())
                }
            },
        )
    } else if token_member.presence == Presence::Optional {
        (
            quote!(input.#token_field.as_deref().map(#cow::Borrowed)),
            quote!(input.#token_field = token;),
            quote!(),
        )
    } else {
        (
            quote!(::std::option::Option::Some(#cow::Borrowed(input.#token_field.as_str())).filter(|t| !t.is_empty())),
            quote!(input.#token_field = token.unwrap_or_default();),
            quote!(),
        )
    };

    let (has_page_size, set_page_size) = match page_size_path.last() {
        Some(m) => {
            let f = ident(&m.field);
            let value = page_size_value(&m.ty);
            let body = if m.presence == Presence::Optional {
                quote!(input.#f = ::std::option::Option::Some(#value);)
            } else {
                quote!(input.#f = #value;)
            };
            (true, quote!(#body))
        }
        None => (false, quote!(let _ = (input, page_size);)),
    };

    let out_token = if json_token {
        let value = chain(&out_path, quote!(output), Access::Shared);
        quote!(#value.filter(|t| !t.is_empty()).map(|t| #cow::Owned(#JSON_TOKEN(t))))
    } else {
        let value = chain(&out_path, quote!(output), Access::SharedStr);
        quote!(#value.map(#cow::Borrowed))
    };

    let Some(items_member) = item_path.last() else {
        return quote!();
    };
    let (item_ty, into_vec) = match &items_member.ty {
        Ty::List(e) => (elem_tokens(defs, e), quote!(.unwrap_or_default())),
        Ty::Map(k, v) => {
            let (k, v) = (ty_tokens(defs, &k.ty), elem_tokens(defs, v));
            (
                quote!((#k, #v)),
                quote!(.map(|items| items.into_iter().collect()).unwrap_or_default()),
            )
        }
        other => panic!("generator bug: items of type {other:?}"),
    };
    let items_ref = chain(&item_path, quote!(output), Access::Shared);
    let items_mut = chain(&item_path, quote!(output), Access::Mutable);
    let items_owned = chain(&item_path, quote!(output), Access::Owned);

    quote! {
        impl #PAGINATED for #marker {
            type Input = #input_ty;
            type Output = #output_ty;
            type Item = #item_ty;

            const OPERATION: &'static str = #op_name;
            const INPUT_TOKEN: &'static str = #input_token;
            const RESULT_KEY: &'static str = #result_key;
            const HAS_PAGE_SIZE: bool = #has_page_size;

            #check_token

            fn input_token(input: &Self::Input) -> ::std::option::Option<#cow<'_, str>> {
                #get_token
            }

            fn set_input_token(input: &mut Self::Input, token: ::std::option::Option<::std::string::String>) {
                #set_token
            }

            fn set_page_size(input: &mut Self::Input, page_size: u32) {
                #set_page_size
            }

            fn output_token(output: &Self::Output) -> ::std::option::Option<#cow<'_, str>> {
                #out_token
            }

            fn item_count(output: &Self::Output) -> usize {
                #items_ref.map_or(0, |items| items.len())
            }

            fn retain_items(output: &mut Self::Output, keep: ::std::ops::Range<usize>) {
                if let ::std::option::Option::Some(items) = #items_mut {
                    items.truncate(keep.end);
                    items.drain(..keep.start.min(items.len()));
                }
            }

            fn into_items(output: Self::Output) -> ::std::vec::Vec<Self::Item> {
                #items_owned #into_vec
            }
        }
    }
}

/// `impl apigw_runtime::http::JsonResultList` of a restJson1 operation whose paginated
/// result list is an array in the JSON body: the wire names along its path, so that a
/// client can take the list out of the body and read it one item at a time. Nothing for
/// other operations.
pub fn emit_json_result_list(ir: &Ir, op: &Operation, shapes: &OperationShapes<'_>) -> TokenStream {
    let (Some(p), Some(_)) = (&op.pagination, shapes.output) else {
        return quote!();
    };
    if p.items.is_none() {
        return quote!();
    }
    let path = ir.member_path(&p.paths.items);
    let in_body = path.first().is_some_and(|m| m.http == HttpLocation::Body);
    let is_list = path.last().is_some_and(|m| matches!(m.ty, Ty::List(_)));
    if !in_body || !is_list {
        return quote!();
    }
    let marker = ident(&op.marker.name);
    let wire = path.iter().map(|m| m.wire.as_str());
    quote! {
        impl #JSON_RESULT_LIST for #marker {
            const RESULT_JSON_PATH: &'static [&'static str] = &[#(#wire),*];
        }
    }
}
