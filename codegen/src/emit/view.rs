//! Borrowed views (the generated crate's `views` feature): for each structure an
//! operation's response body holds, a type `view::Name<'a>` whose strings borrow from
//! the body instead of being copied, read by the runtime's shared visitor.
//!
//! A view holds what the body has: every member is an `Option` (`None` when the body
//! lacks it; model defaults are not filled in), strings are `Cow<'a, str>` (borrowed
//! unless the JSON escapes a character), maps are their entries in wire order
//! (`Vec<(K, V)>`, no hashing) when they hold a string, nested structures are views. Enums, numbers,
//! timestamps, blobs, documents and unions are the owned types (an enum borrows
//! nothing: an unknown value is the one copy). A structure with nothing to borrow has
//! no view: views hold the owned type.
//!
//! Each output structure whose body is a JSON object gets
//! `from_slice_borrowed(&[u8]) -> Result<view::Output<'_>, ResponseError>`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime::*;
use super::structure::redacting_debug;
use super::{adapter, doc_attrs, ident, symbol_path, ty_tokens, wire};
use crate::docs;
use crate::ir::{Def, DefId, Defs, Elem, Ir, Member, NamedKind, Structure, StructureId, Ty};

/// The structures that get a view: those a response body holds that have a string
/// somewhere inside.
pub(crate) struct Views {
    borrowing: BTreeSet<StructureId>,
    /// Operations' outputs (a structure may be one operation's input and another's
    /// output, whatever its role says).
    outputs: BTreeSet<StructureId>,
}

impl Views {
    /// The views of `ir`'s operations' response bodies (none unless `enabled`).
    pub(crate) fn of(ir: &Ir, enabled: bool) -> Views {
        let defs = &ir.defs;
        if !enabled {
            return Views {
                borrowing: BTreeSet::new(),
                outputs: BTreeSet::new(),
            };
        }
        let outputs: BTreeSet<StructureId> =
            ir.operations.iter().filter_map(|op| op.output).collect();
        let body = |id: StructureId| body_members(defs.structure(id), outputs.contains(&id));
        // Every structure a response body reaches.
        let mut reached = BTreeSet::new();
        let mut todo: Vec<StructureId> = outputs
            .iter()
            .copied()
            .filter(|&id| body(id).is_some())
            .collect();
        while let Some(id) = todo.pop() {
            if !reached.insert(id) {
                continue;
            }
            let members = body(id).unwrap_or_default();
            for m in members {
                named_structures(&m.ty, &mut |next| todo.push(next));
            }
        }
        // Those with a string inside (directly, or in a structure with one): grown to a
        // fixed point, for recursive shapes.
        let mut borrowing = BTreeSet::new();
        loop {
            let before = borrowing.len();
            for &id in &reached {
                if borrowing.contains(&id) {
                    continue;
                }
                let members = body(id).unwrap_or_default();
                if members.iter().any(|m| borrows(&m.ty, &borrowing)) {
                    borrowing.insert(id);
                }
            }
            if borrowing.len() == before {
                break;
            }
        }
        Views { borrowing, outputs }
    }

    /// Whether structure `id` has a view.
    pub(crate) fn has(&self, id: StructureId) -> bool {
        self.borrowing.contains(&id)
    }

    /// Whether a member of type `ty` is a different type in a view.
    fn differs(&self, ty: &Ty) -> bool {
        borrows(ty, &self.borrowing)
    }

    /// Whether any of `defs` (one module's structures) has a view.
    pub(crate) fn any(&self, defs: &[(DefId, Def<'_>)]) -> bool {
        defs.iter()
            .any(|&(id, _)| matches!(id, DefId::Structure(sid) if self.has(sid)))
    }

    /// The declaration of a module's `view` submodule (its own file, so that a build
    /// without the `views` feature does not even read it), when the module has views.
    pub(crate) fn module_decl(&self, defs: &[(DefId, Def<'_>)]) -> Option<TokenStream> {
        self.any(defs).then(|| {
            quote! {
                /// Borrowed views of this module's structures that response bodies hold:
                /// strings borrow from the body. See each type.
                #[cfg(feature = "views")]
                // A view's member type spells out the model's nesting (a map of maps is
                // a list of entries holding lists of entries), as the owned type does.
                #[allow(clippy::type_complexity)]
                pub mod view;
            }
        })
    }

    /// The contents of a module's `view` file: the views of `defs` (the module's
    /// structures), each gated by `gate`.
    pub(crate) fn module_file(
        &self,
        ir_defs: &Defs,
        defs: &[(DefId, Def<'_>)],
        gate: impl Fn(DefId) -> Option<TokenStream>,
    ) -> TokenStream {
        let items = defs.iter().filter_map(|&(id, def)| match (id, def) {
            (DefId::Structure(sid), Def::Structure(s)) if self.has(sid) => {
                let output = self.outputs.contains(&sid);
                Some(super::gate_items(
                    self.emit(ir_defs, s, output),
                    gate(id).as_ref(),
                ))
            }
            _ => None,
        });
        quote! {
            //! Borrowed views of the structures of the parent module that response
            //! bodies hold (the `views` feature): strings borrow from the body.
            #(#items)*
        }
    }

    /// A structure's view: the type, its serde, its `Debug`, and for an output,
    /// `from_slice_borrowed` on the owned type.
    fn emit(&self, defs: &Defs, s: &Structure, output: bool) -> TokenStream {
        // Every member of a view is an `Option`, whatever the model's presence.
        let members: Vec<&Member> = body_members(s, output).unwrap_or_default();
        let name = ident(&s.symbol.name);
        let owned = symbol_path(&s.symbol);
        let label = &s.symbol.name;
        let type_docs = doc_attrs(&format!(
            "A view of [`{label}`]({}) borrowing from the body it was read from: every \
             member is `None` when the body lacks it, strings are `Cow::Borrowed` unless \
             escaped, maps are their entries in wire order.",
            super::type_string(&owned),
        ));
        let fields = members.iter().map(|m| {
            let field = ident(&m.field);
            let ty = self.field_type(defs, m);
            let text = doc_attrs(&format!("The `{}` member.", docs::escape_plain(&m.name)));
            quote! {
                #text
                pub #field: ::std::option::Option<#ty>,
            }
        });
        let debug = redacting_debug(s, quote!(#name<'_>), &members);
        let derive_debug = debug.is_none().then(|| quote!(::std::fmt::Debug,));
        let serialize = wire::serialize_impl_with(
            defs,
            label,
            quote!(#name<'_>),
            quote!(self),
            &members,
            |m| self.adapter(m, Direction::Write),
            |_| true,
        );
        let values = members
            .iter()
            .map(
                |m| match (&m.ty, m.boxed, self.adapter(m, Direction::Read)) {
                    (Ty::String, false, _) => quote!(#STRUCT_NEXT_STR(map)?),
                    (_, _, None) => quote!(map.next_value()?),
                    (_, _, Some(a)) => quote!(#STRUCT_NEXT_AS::<_, #a, _>(map)?),
                },
            )
            .collect();
        let read = wire::read_impls(label, &members, values, true);
        let from_slice = output.then(|| {
            quote! {
                impl #owned {
                    /// Reads a response body into a borrowed view of this output: strings
                    /// borrow from `body`, which is checked as UTF-8 once. An empty body
                    /// is `{}`.
                    pub fn from_slice_borrowed(
                        body: &[u8],
                    ) -> ::std::result::Result<#name<'_>, #RESPONSE_ERROR> {
                        #JSON_BODY(200, body)
                    }
                }
            }
        });
        quote! {
            #type_docs
            #[derive(::std::clone::Clone, #derive_debug ::std::default::Default)]
            #[non_exhaustive]
            pub struct #name<'a> {
                #(#fields)*
            }

            #serialize
            #read
            #debug
            #from_slice
        }
    }

    /// A view member's type (without the `Option`).
    fn field_type(&self, defs: &Defs, m: &Member) -> TokenStream {
        let t = self.ty(defs, &m.ty);
        if m.boxed {
            quote!(::std::boxed::Box<#t>)
        } else {
            t
        }
    }

    fn ty(&self, defs: &Defs, ty: &Ty) -> TokenStream {
        match ty {
            Ty::String => quote!(::std::borrow::Cow<'a, str>),
            Ty::Named(n) if n.kind == NamedKind::Structure && self.differs(ty) => {
                let symbol = defs.symbol(n.id);
                let modules = symbol.module.iter().map(|m| ident(m));
                let name = ident(&symbol.name);
                quote!(crate #(:: #modules)* :: view :: #name<'a>)
            }
            Ty::List(e) => {
                let e = self.elem(defs, e);
                quote!(::std::vec::Vec<#e>)
            }
            Ty::Map(k, v) if self.differs(ty) => {
                let (k, v) = (self.ty(defs, &k.ty), self.elem(defs, v));
                quote!(::std::vec::Vec<(#k, #v)>)
            }
            other => ty_tokens(defs, other),
        }
    }

    fn elem(&self, defs: &Defs, e: &Elem) -> TokenStream {
        let t = self.ty(defs, &e.ty);
        if e.sparse {
            quote!(::std::option::Option<#t>)
        } else {
            t
        }
    }

    /// The `serde_with` adapter of a view member's value (`field_type`'s), if it needs
    /// one to be read or written: strings borrow when read (a `Cow` writes as a string),
    /// maps are entry lists, and the owned adapters (timestamps, blobs, floats) apply
    /// inside.
    fn adapter(&self, m: &Member, direction: Direction) -> Option<TokenStream> {
        let a = self.value_adapter(&m.ty, m.timestamp_format, direction)?;
        Some(if m.boxed {
            quote!(::std::boxed::Box<#a>)
        } else {
            a
        })
    }

    fn value_adapter(
        &self,
        ty: &Ty,
        format: Option<crate::ir::TimestampFormat>,
        direction: Direction,
    ) -> Option<TokenStream> {
        match ty {
            Ty::String => (direction == Direction::Read).then(|| quote!(::serde_with::BorrowCow)),
            Ty::List(e) => self
                .elem_adapter(e, direction)
                .map(|a| quote!(::std::vec::Vec<#a>)),
            Ty::Map(k, v) if self.differs(ty) => {
                let same = || quote!(::serde_with::Same);
                let k = self
                    .value_adapter(&k.ty, k.timestamp_format, direction)
                    .unwrap_or_else(same);
                let v = self.elem_adapter(v, direction).unwrap_or_else(same);
                Some(quote!(::serde_with::Map<#k, #v>))
            }
            other => adapter(other, format),
        }
    }

    fn elem_adapter(&self, e: &Elem, direction: Direction) -> Option<TokenStream> {
        let a = self.value_adapter(&e.ty, e.timestamp_format, direction)?;
        Some(if e.sparse {
            quote!(::std::option::Option<#a>)
        } else {
            a
        })
    }
}

/// Whether an adapter reads a view's member or writes it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Read,
    Write,
}

/// The members a structure's body holds: all of them, except for an operation's
/// `output`, whose members bound to headers or the status code are not in the body;
/// `None` for an output whose body is a payload member rather than a JSON object.
fn body_members(s: &Structure, output: bool) -> Option<Vec<&Member>> {
    if !output {
        Some(s.members.iter().collect())
    } else if s.response_payload().is_some() {
        None
    } else {
        Some(s.response_body_members().collect())
    }
}

/// Calls `f` with each structure `ty` names (in lists and maps too).
fn named_structures(ty: &Ty, f: &mut impl FnMut(StructureId)) {
    match ty {
        Ty::Named(n) => {
            if let DefId::Structure(id) = n.id {
                f(id);
            }
        }
        Ty::List(e) => named_structures(&e.ty, f),
        Ty::Map(k, v) => {
            named_structures(&k.ty, f);
            named_structures(&v.ty, f);
        }
        _ => {}
    }
}

/// Whether a value of `ty` borrows in a view: a string, or a structure with a view,
/// also inside lists and maps (a map that borrows is a list of its entries).
fn borrows(ty: &Ty, borrowing: &BTreeSet<StructureId>) -> bool {
    match ty {
        Ty::String => true,
        Ty::Map(k, v) => borrows(&k.ty, borrowing) || borrows(&v.ty, borrowing),
        Ty::Named(n) => matches!(n.id, DefId::Structure(id) if borrowing.contains(&id)),
        Ty::List(e) => borrows(&e.ty, borrowing),
        _ => false,
    }
}
