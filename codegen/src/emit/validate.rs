//! `Validate`: the model's `length`, `range` and `required` constraints, checked on
//! demand with each violation's member path.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::ident;
use super::runtime::*;
use crate::ir::{self, Defs, NamedKind, Presence, Structure, Ty, Union};
use crate::names;

/// `impl Validate`: checks each member that has something to check.
pub fn emit_validate(defs: &Defs, s: &Structure) -> TokenStream {
    if !s.validates {
        // Nothing holds a check: no impl (nothing calls it; `validate()` is `Ok`).
        return quote!();
    }
    let name = ident(&s.symbol.name);
    let checks: Vec<TokenStream> = s
        .members
        .iter()
        .filter(|m| defs.member_validates(m))
        .map(|m| {
            let field = ident(&m.field);
            let label = names::unraw(&m.field);
            let inner = value_checks(defs, &quote!(value), &m.ty, &m.constraints, 0);
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

/// In a loop over a sparse collection, skips an absent element (binding the present
/// one to `item`); nothing for a dense one.
fn skip_absent(item: &proc_macro2::Ident, sparse: bool) -> Option<TokenStream> {
    sparse.then(|| quote!(let ::std::option::Option::Some(#item) = #item else { continue; };))
}

/// Checks on `value` (an expression of type `&T` for `ty`) at `path`, recursing into
/// lists, maps and nested structures. `depth` keeps loop variable names distinct.
pub fn value_checks(
    defs: &Defs,
    value: &TokenStream,
    ty: &Ty,
    constraints: &ir::Constraints,
    depth: usize,
) -> TokenStream {
    let mut out = Vec::new();
    if let Some((min, max)) = constraints.length {
        let len = match ty {
            Ty::String => quote!(#STR_LENGTH(#value)),
            // An enum's length is its wire value's.
            Ty::Named(n) if n.kind == NamedKind::Enum => quote!(#STR_LENGTH(#value.as_str())),
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
        Ty::Named(n) if defs.validates(ty) => {
            if matches!(n.kind, NamedKind::Structure | NamedKind::Union) {
                out.push(quote!(#VALIDATE::validate_at(#value, &path, out);));
            }
        }
        Ty::List(e) if e.constraints.checked() || defs.validates(&e.ty) => {
            let item = format_ident!("item{}", depth);
            let index = format_ident!("index{}", depth);
            let inner = value_checks(defs, &quote!(#item), &e.ty, &e.constraints, depth + 1);
            let present = skip_absent(&item, e.sparse);
            out.push(quote! {
                for (#index, #item) in #value.iter().enumerate() {
                    #present
                    let path = path.index(#index);
                    #inner
                }
            });
        }
        Ty::Map(k, v)
            if k.constraints.checked() || v.constraints.checked() || defs.validates(&v.ty) =>
        {
            let key = format_ident!("key{}", depth);
            let item = format_ident!("item{}", depth);
            // String keys and enum keys both have `as_str()`.
            let key_str = quote!(#key.as_str());
            let key_check = k.constraints.length.map(|(min, max)| {
                let (min, max) = (bound_u64(min), bound_u64(max));
                quote!(#CHECK_LENGTH(&path, #STR_LENGTH(#key_str), #min, #max, out);)
            });
            let inner = value_checks(defs, &quote!(#item), &v.ty, &v.constraints, depth + 1);
            if inner.is_empty() {
                // Only the keys are constrained: the values are not looked at.
                out.push(quote! {
                    for #key in #value.keys() {
                        let path = path.key(#key_str);
                        #key_check
                    }
                });
            } else {
                let present = skip_absent(&item, v.sparse);
                out.push(quote! {
                    for (#key, #item) in #value.iter() {
                        let path = path.key(#key_str);
                        #key_check
                        #present
                        #inner
                    }
                });
            }
        }
        _ => {}
    }
    quote!(#(#out)*)
}

/// A union's `Validate`: the checks of whichever member is set.
pub(super) fn union_validate(defs: &Defs, u: &Union) -> TokenStream {
    if !u.validates {
        return quote!();
    }
    let name = ident(&u.symbol.name);
    let checks: Vec<TokenStream> = u
        .members
        .iter()
        .filter(|m| m.ty != Ty::Unit && defs.member_validates(m))
        .map(|m| {
            let v = ident(&m.variant);
            let label = crate::names::unraw(&m.field);
            let inner = value_checks(defs, &quote!(value), &m.ty, &m.constraints, 0);
            quote! {
                Self::#v(value) => {
                    let path = path.field(#label);
                    #inner
                }
            }
        })
        .collect();
    let (path, out, validate_body) = if checks.is_empty() {
        (quote!(_path), quote!(_out), quote!())
    } else {
        (
            quote!(path),
            quote!(out),
            quote! {
                match self {
                    #(#checks)*
                    _ => {}
                }
            },
        )
    };
    quote! {
        impl #VALIDATE for #name {
            fn validate_at(
                &self,
                #path: &#VALIDATE_PATH<'_>,
                #out: &mut ::std::vec::Vec<#VIOLATION>,
            ) {
                #validate_body
            }
        }
    }
}
