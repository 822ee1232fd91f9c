//! The `client` module: an extension trait with every operation (and its paginator) as
//! a method of any `HttpClient`.

use proc_macro2::TokenStream;
use quote::quote;

use super::rest_json::{has_bindings, sends};
use super::runtime::*;
use super::{docs_or, ident, symbol_path};
use crate::ir::Ir;

/// The `client` module: an extension trait giving every operation as a method of any
/// `HttpClient`, and a paginator method for every paginated one.
pub fn emit_client_module(ir: &Ir) -> Option<TokenStream> {
    let service = ir.service.as_ref()?;
    if !has_bindings(ir) {
        return None;
    }
    let trait_name = ident(&service.client_trait);
    let methods = ir.operations.iter().filter(|op| sends(ir, op)).map(|op| {
        let method = ident(&op.client_method);
        let feature = &op.feature;
        let marker_path = symbol_path(&op.marker);
        let error_path = symbol_path(&op.error_enum);
        let shapes = ir.operation_shapes(op);
        let input_ty = shapes
            .input
            .map_or_else(|| quote!(()), |s| symbol_path(&s.symbol));
        let output_ty = shapes
            .output
            .map_or_else(|| quote!(()), |s| symbol_path(&s.symbol));
        let summary = op
            .docs
            .as_deref()
            .map(|d| crate::docs::first_paragraph(d).to_owned())
            .unwrap_or_else(|| format!("Sends `{}`.", op.name));
        let docs = docs_or(Some(&summary), "", None);
        let paginator = op.paginator_method.as_deref().map(|pmethod| {
            let pmethod = ident(pmethod);
            let pdocs = docs_or(
                Some(&format!(
                    "Pages through `{}` as boto3's paginator does (`MaxItems`, `PageSize`, `StartingToken`). Nothing is sent until the pages or items are polled.",
                    op.name
                )),
                "",
                None,
            );
            quote! {
                #pdocs
                #[cfg(feature = #feature)]
                fn #pmethod(
                    &self,
                    input: #input_ty,
                    config: #PAGINATION_CONFIG,
                ) -> #PAGINATOR_RESULT<Self, #marker_path> {
                    #PAGINATOR::new(
                        #OPERATION_SOURCE::new(::std::clone::Clone::clone(self)),
                        input,
                        config,
                    )
                }
            }
        });
        quote! {
            #docs
            #[cfg(feature = #feature)]
            fn #method(
                &self,
                input: #input_ty,
            ) -> impl ::std::future::Future<
                Output = ::std::result::Result<#output_ty, #SDK_ERROR<#error_path>>,
            > + ::std::marker::Send {
                <Self as #HTTP_CLIENT>::send::<#marker_path>(self, input)
            }
            #paginator
        }
    });
    let docs = docs_or(
        Some(&format!(
            "Every operation of {} as a method of any [`HttpClient`](apigw_runtime::http::HttpClient): bring the trait into scope and call `client.get_...(input)`.",
            service.sdk_id
        )),
        "",
        None,
    );
    Some(quote! {
        #![doc = " Operations as methods of any HTTP client."]
        #docs
        pub trait #trait_name: #HTTP_CLIENT {
            #(#methods)*
        }

        impl<C: #HTTP_CLIENT> #trait_name for C {}
    })
}
