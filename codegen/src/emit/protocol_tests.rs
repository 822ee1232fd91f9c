//! The protocol tests of a model (`smithy.test#httpRequestTests` / `httpResponseTests`,
//! client cases), as the generated crate's `src/protocol_tests.rs` (`#[cfg(test)]`): one `#[test]` per case,
//! grouped by operation. A request case serializes its `params` and checks the request
//! (`runtime::protocol_test::assert_request`); a response case parses the response and
//! compares the value with its `params`; an error case decodes the error as a client
//! does (code from the head or body) and compares the modeled error.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::runtime::*;
use super::view::Views;
use super::{doc_attrs, ident, symbol_path};
use crate::ir::{Ir, Operation, RequestCase, ResponseCase, TestValue, Ty};
use crate::names;

/// Whether the crate gets `src/protocol_tests.rs`: a service with bindings (restJson1,
/// awsJson) and at least one client protocol test.
pub fn has_protocol_tests(ir: &Ir) -> bool {
    super::rest_json::has_bindings(ir)
        && ir
            .operations
            .iter()
            .any(|op| !op.request_tests.is_empty() || !op.response_tests.is_empty())
}

/// The `protocol_tests` module's items.
pub fn emit_protocol_tests(ir: &Ir, views: &Views) -> TokenStream {
    let modules = ir
        .operations
        .iter()
        .filter(|op| !op.request_tests.is_empty() || !op.response_tests.is_empty())
        .map(|op| operation_tests(ir, views, op));
    quote! {
        //! Protocol tests generated from the model's `smithy.test` traits (client cases).
        #(#modules)*
    }
}

fn operation_tests(ir: &Ir, views: &Views, op: &Operation) -> TokenStream {
    let module = ident(&op.module);
    let requests = op.request_tests.iter().map(|c| request_test(op, c));
    // An output with a borrowed view: each response case also reads the body into it.
    let view = op
        .output
        .filter(|&id| views.has(id))
        .map(|id| symbol_path(&ir.defs.structure(id).symbol));
    let responses = op
        .response_tests
        .iter()
        .map(|c| response_test(op, view.as_ref(), c));
    let feature = &op.feature;
    quote! {
        #[cfg(feature = #feature)]
        mod #module {
            #(#requests)*
            #(#responses)*
        }
    }
}

fn test_name(id: &str, kind: &str) -> proc_macro2::Ident {
    ident(&format!("{}_{kind}", names::unraw(&names::snake(id))))
}

fn docs(id: &str, docs: Option<&str>) -> TokenStream {
    doc_attrs(&match docs {
        Some(d) => format!("`{id}`: {}", d.replace('\n', " ")),
        None => format!("`{id}`."),
    })
}

fn strs(items: &[String]) -> TokenStream {
    quote!(&[#(#items),*])
}

fn request_test(op: &Operation, case: &RequestCase) -> TokenStream {
    let name = test_name(&case.id, "request");
    let docs = docs(&case.id, case.docs.as_deref());
    let marker = symbol_path(&op.marker);
    let input = if op.input.is_some() {
        value(&case.params)
    } else {
        quote!(())
    };
    let id = &case.id;
    let method = &case.method;
    let uri = &case.uri;
    let query = strs(&case.query_params);
    let forbid_query = strs(&case.forbid_query_params);
    let require_query = strs(&case.require_query_params);
    let headers = case.headers.iter().map(|(k, v)| quote!((#k, #v)));
    let forbid_headers = strs(&case.forbid_headers);
    let require_headers = strs(&case.require_headers);
    let body = option_str(case.body.as_deref());
    let media = option_str(case.body_media_type.as_deref());
    let host = option_str(case.host.as_deref());
    let resolved_host = option_str(case.resolved_host.as_deref());
    // The endpoint the client is configured with: the case's host (and base path).
    let endpoint = format!("https://{}", case.host.as_deref().unwrap_or(DEFAULT_HOST));
    quote! {
        #docs
        #[test]
        fn #name() {
            let input = #input;
            // Sent through the client, so what is checked is what it sends. The suite
            // expects this token wherever one is filled in.
            let request = #WITH_IDEMPOTENCY_TOKEN("00000000-0000-4000-8000-000000000000", || {
                #SEND_CAPTURED::<#marker>(#endpoint, input)
            })
            .unwrap_or_else(|e| panic!("{}: {e}", #id));
            #ASSERT_REQUEST(&request, &#EXPECTED_REQUEST {
                id: #id,
                method: #method,
                uri: #uri,
                query_params: #query,
                forbid_query_params: #forbid_query,
                require_query_params: #require_query,
                headers: &[#(#headers),*],
                forbid_headers: #forbid_headers,
                require_headers: #require_headers,
                body: #body,
                body_media_type: #media,
                host: #host,
                resolved_host: #resolved_host,
            });
        }
    }
}

/// The host a request case is sent to when it names none.
const DEFAULT_HOST: &str = "example.com";

fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(::std::option::Option::Some(#s)),
        None => quote!(::std::option::Option::None),
    }
}

fn response_test(op: &Operation, view: Option<&TokenStream>, case: &ResponseCase) -> TokenStream {
    let kind = if case.error.is_some() {
        "error"
    } else {
        "response"
    };
    let name = test_name(&case.id, kind);
    let docs = docs(&case.id, case.docs.as_deref());
    let marker = symbol_path(&op.marker);
    let id = &case.id;
    let code = case.code;
    let headers = case.headers.iter().map(|(k, v)| quote!((#k, #v)));
    let body = case.body.as_deref().unwrap_or("");
    let setup = quote! {
        let (head, body) = #RESPONSE(#code, &[#(#headers),*], #body);
    };
    let view_check = view.map(|output| {
        quote! {
            #[cfg(feature = "views")]
            {
                let view = #output::from_slice_borrowed(&body)
                    .expect("the body reads into the borrowed view");
                #ASSERT_VIEW_AGREES(#id, &output, &view);
            }
        }
    });
    match &case.error {
        None => {
            let expected = if op.output.is_some() {
                value(&case.params)
            } else {
                quote!(())
            };
            quote! {
                #docs
                #[test]
                fn #name() {
                    #setup
                    let output = <#marker as #HTTP_OPERATION>::deserialize(&head, &body)
                        .expect("the response parses");
                    let expected = #expected;
                    #ASSERT_SAME(#id, &expected, &output);
                    #view_check
                }
            }
        }
        Some(error) => {
            let reported = reported_code_checks(&marker, case);
            let error_enum = symbol_path(&op.error_enum);
            let variant = ident(&error.name);
            let expected = value(&case.params);
            quote! {
                #docs
                #[test]
                fn #name() {
                    #setup
                    let (code, message) = #ERROR_CODE_AND_MESSAGE(&head, &body);
                    let error = <#marker as #HTTP_OPERATION>::deserialize_error(
                        code.as_deref().unwrap_or_default(),
                        message.as_deref(),
                        &head,
                        &body,
                    );
                    let expected = #expected;
                    match error {
                        #error_enum::#variant(actual) => #ASSERT_SAME(#id, &expected, &actual),
                        other => panic!("{}: decoded as {other:?}", #id),
                    }
                    #reported
                }
            }
        }
    }
}

/// Checks of the code a client reports for an error case (its awsQuery code and
/// fault, for an `awsQueryCompatible` service), when the case says what they are.
fn reported_code_checks(marker: &TokenStream, case: &ResponseCase) -> TokenStream {
    if case.reported_code.is_none() && case.query_fault.is_none() {
        return quote!();
    }
    let id = &case.id;
    let code = case.reported_code.as_deref().map(|expected| {
        quote! {
            let reported = query_error
                .as_ref()
                .map_or(code.as_deref().unwrap_or_default(), |q| q.code.as_str());
            ::std::assert_eq!(reported, #expected, "{}: the reported code", #id);
        }
    });
    let fault = case.query_fault.as_deref().map(|expected| {
        quote! {
            ::std::assert_eq!(
                query_error.as_ref().map(|q| q.fault.as_str()),
                ::std::option::Option::Some(#expected),
                "{}: the fault",
                #id
            );
        }
    });
    quote! {
        // What a client reports, by the client's own rule.
        let query_error = #QUERY_ERROR(<#marker as #HTTP_OPERATION>::SERVICE, &head);
        #code
        #fault
    }
}

/// A Rust expression building `v`.
fn value(v: &TestValue) -> TokenStream {
    match v {
        TestValue::Null => quote!(::std::option::Option::None),
        TestValue::Bool(b) => quote!(#b),
        TestValue::Int(n, ty) => match ty {
            Ty::Byte => Literal::i8_suffixed(*n as i8).into_token_stream(),
            Ty::Short => Literal::i16_suffixed(*n as i16).into_token_stream(),
            Ty::Integer => Literal::i32_suffixed(*n as i32).into_token_stream(),
            _ => Literal::i64_suffixed(*n).into_token_stream(),
        },
        TestValue::Float(f, ty) => {
            let t = if *ty == Ty::Float {
                quote!(f32)
            } else {
                quote!(f64)
            };
            if f.is_nan() {
                quote!(#t::NAN)
            } else if *f == f64::INFINITY {
                quote!(#t::INFINITY)
            } else if *f == f64::NEG_INFINITY {
                quote!(#t::NEG_INFINITY)
            } else if *ty == Ty::Float {
                Literal::f32_suffixed(*f as f32).into_token_stream()
            } else {
                Literal::f64_suffixed(*f).into_token_stream()
            }
        }
        TestValue::Str(s) => quote!(::std::string::String::from(#s)),
        TestValue::Blob(bytes) => {
            let bytes = Literal::byte_string(bytes);
            quote!(#bytes.to_vec())
        }
        TestValue::Timestamp(secs) => {
            let secs = Literal::f64_suffixed(*secs);
            quote!(#DATE_TIME::from_secs_f64(#secs).expect("a valid timestamp"))
        }
        TestValue::Enum(symbol, s) => {
            let path = symbol_path(symbol);
            quote!(<#path as ::std::convert::From<&str>>::from(#s))
        }
        TestValue::IntEnum(symbol, n) => {
            let path = symbol_path(symbol);
            quote!(<#path as ::std::convert::From<i32>>::from(#n))
        }
        TestValue::BigNumber(text) => {
            quote!(#text.parse::<::serde_json::Number>().expect("a number"))
        }
        TestValue::Document(json) => {
            let text = json.to_string();
            quote!(::serde_json::from_str::<::serde_json::Value>(#text).expect("a document"))
        }
        TestValue::List { items, sparse } => {
            let items = items.iter().map(|i| elem(i, *sparse));
            quote!(::std::vec![#(#items),*])
        }
        TestValue::Map { entries, sparse } => {
            let entries = entries.iter().map(|(k, v)| {
                let v = elem(v, *sparse);
                quote!((::std::convert::From::from(#k), #v))
            });
            quote!(::std::iter::FromIterator::from_iter([#(#entries),*]))
        }
        TestValue::Structure {
            symbol,
            fallible,
            fields,
        } => {
            let path = symbol_path(symbol);
            let setters = fields.iter().map(|(setter, boxed, v)| {
                let setter = ident(setter);
                let v = boxed_value(v, *boxed);
                quote!(.#setter(::std::option::Option::Some(#v)))
            });
            let build = if *fallible {
                quote!(.build().expect("the case sets every required member"))
            } else {
                quote!(.build())
            };
            quote!(#path::builder() #(#setters)* #build)
        }
        TestValue::Union {
            symbol,
            variant,
            value: inner,
        } => {
            let path = symbol_path(symbol);
            let variant = ident(variant);
            match inner {
                None => quote!(#path::#variant),
                Some((boxed, v)) => {
                    let v = boxed_value(v, *boxed);
                    quote!(#path::#variant(#v))
                }
            }
        }
    }
}

fn boxed_value(v: &TestValue, boxed: bool) -> TokenStream {
    let v = value(v);
    if boxed {
        quote!(::std::boxed::Box::new(#v))
    } else {
        v
    }
}

/// A list element or map value: wrapped in `Some` when the collection is sparse.
fn elem(v: &TestValue, sparse: bool) -> TokenStream {
    match (v, sparse) {
        (TestValue::Null, _) => quote!(::std::option::Option::None),
        (v, true) => {
            let v = value(v);
            quote!(::std::option::Option::Some(#v))
        }
        (v, false) => value(v),
    }
}

use quote::ToTokens as _;
