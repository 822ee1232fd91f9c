//! Errors: the impls of a modeled error structure (code, status, message,
//! `std::error::Error`) and each operation's error enum over the errors it can return.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime::*;
use super::{docs_or, ident, symbol_path};
use crate::ir::{self, Operation, OperationShapes, Structure};

pub(super) fn emit_error_impls(s: &Structure, e: &ir::ErrorInfo) -> TokenStream {
    let name = ident(&s.symbol.name);
    let code = &e.code;
    let status = e.http_status.map(|status| {
        quote! {
            /// The HTTP status code the model gives this error.
            pub const HTTP_STATUS: u16 = #status;
        }
    });
    let server = e.server;
    let message_fn = e.message.as_ref().map(|message| {
        let field = ident(&message.field);
        let body = if message.optional {
            quote!(self.#field.as_deref())
        } else {
            quote!(::std::option::Option::Some(self.#field.as_str()))
        };
        quote! {
            /// The error message, if the service sent one.
            pub fn message(&self) -> ::std::option::Option<&str> {
                #body
            }
        }
    });
    let display = if e.message.is_some() {
        quote! {
            f.write_str(Self::CODE)?;
            if let ::std::option::Option::Some(message) = self.message() {
                write!(f, ": {message}")?;
            }
            ::std::result::Result::Ok(())
        }
    } else {
        quote!(f.write_str(Self::CODE))
    };
    quote! {
        impl #name {
            /// The error code on the wire (`x-amzn-errortype` or the body's `__type`/`code`).
            pub const CODE: &'static str = #code;
            #status
            /// Whether the model blames the server (`true`) or the caller (`false`).
            pub const IS_SERVER_FAULT: bool = #server;
            #message_fn
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #display
            }
        }

        impl ::std::error::Error for #name {}
    }
}

/// The operation's error enum.
pub fn emit_error_enum(op: &Operation, shapes: &OperationShapes<'_>) -> TokenStream {
    let name = ident(&op.error_enum.name);
    let variants: Vec<_> = shapes
        .errors
        .iter()
        .map(|&s| (ident(&s.symbol.name), symbol_path(&s.symbol), s))
        .collect();
    let decls = variants.iter().map(|(v, path, s)| {
        let docs = docs_or(
            s.docs.as_deref(),
            &format!("The `{}` error.", s.symbol.name),
            None,
        );
        quote!(#docs #v(#path),)
    });
    let display = variants
        .iter()
        .map(|(v, _, _)| quote!(Self::#v(e) => ::std::fmt::Display::fmt(e, f),));
    let code = variants
        .iter()
        .map(|(v, path, _)| quote!(Self::#v(_) => #path::CODE,));
    let message = variants.iter().map(|(v, _, s)| {
        if s.error.as_ref().is_some_and(|e| e.message.is_some()) {
            quote!(Self::#v(e) => e.message(),)
        } else {
            quote!(Self::#v(_) => ::std::option::Option::None,)
        }
    });
    let retry = variants.iter().map(|(v, _, s)| {
        let kind = match s.error.as_ref().and_then(|e| e.retryable) {
            None => quote!(NotRetryable),
            Some(false) => quote!(Transient),
            Some(true) => quote!(Throttling),
        };
        quote!(Self::#v(_) => #MODELED_RETRY::#kind,)
    });
    let source = variants
        .iter()
        .map(|(v, _, _)| quote!(Self::#v(e) => ::std::option::Option::Some(e),));
    let docs = docs_or(None, &format!("The errors `{}` can return.", op.name), None);
    quote! {
        #docs
        #[derive(::std::fmt::Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#decls)*
            /// An error the model does not list for this operation.
            Unhandled(#UNHANDLED_ERROR),
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display)*
                    Self::Unhandled(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }

        impl ::std::error::Error for #name {
            fn source(&self) -> ::std::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    #(#source)*
                    Self::Unhandled(e) => ::std::option::Option::Some(e),
                }
            }
        }

        impl #OPERATION_ERROR for #name {
            fn code(&self) -> &str {
                match self {
                    #(#code)*
                    Self::Unhandled(e) => e.code(),
                }
            }

            fn message(&self) -> ::std::option::Option<&str> {
                match self {
                    #(#message)*
                    Self::Unhandled(e) => e.message(),
                }
            }

            fn modeled_retry(&self) -> #MODELED_RETRY {
                match self {
                    #(#retry)*
                    Self::Unhandled(_) => #MODELED_RETRY::Unmodeled,
                }
            }
        }
    }
}
