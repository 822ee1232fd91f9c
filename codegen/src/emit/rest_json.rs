//! HTTP bindings of an operation: its `apigw_runtime::http::HttpOperation` impl. For
//! restJson1: method, URI with percent-encoded labels, query, headers and JSON body; the
//! output from body, headers and status. For awsJson1_0/1_1: `POST /` with
//! `X-Amz-Target` and the input as the JSON body; the output from the body. Modeled
//! errors by code for both.

use super::runtime::*;
use proc_macro2::TokenStream;
use quote::quote;

use super::structure::serde_field_attrs;
use super::{ident, inner_type, symbol_path, ty_tokens};
use crate::ir::{
    ContextKind, Defs, EndpointParamSource, HostPart, HttpLocation, Ir, Member, NamedKind,
    Operation, OperationShapes, PathStep, Presence, Protocol, Structure, TimestampFormat, Ty,
    UriPart,
};

/// Whether the service speaks restJson1.
pub fn rest_json(ir: &Ir) -> bool {
    protocol(ir) == Some(&Protocol::RestJson1)
}

fn protocol(ir: &Ir) -> Option<&Protocol> {
    ir.service.as_ref()?.protocol.as_ref()
}

/// The awsJson content type, when the service speaks awsJson1_0 or awsJson1_1.
fn json_rpc_content_type(ir: &Ir) -> Option<&'static str> {
    match protocol(ir)? {
        Protocol::AwsJson1_0 => Some("application/x-amz-json-1.0"),
        Protocol::AwsJson1_1 => Some("application/x-amz-json-1.1"),
        _ => None,
    }
}

/// Whether the crate gets HTTP bindings and a client: restJson1 and awsJson services.
pub fn has_bindings(ir: &Ir) -> bool {
    rest_json(ir) || json_rpc_content_type(ir).is_some()
}

/// Whether `op` gets bindings: every awsJson operation, a restJson1 one with `@http`.
pub fn sends(ir: &Ir, op: &Operation) -> bool {
    json_rpc_content_type(ir).is_some() || (rest_json(ir) && op.http.is_some())
}

fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::DateTime => quote!(#TIMESTAMP_FORMAT::DateTime),
        TimestampFormat::EpochSeconds => quote!(#TIMESTAMP_FORMAT::EpochSeconds),
        TimestampFormat::HttpDate => quote!(#TIMESTAMP_FORMAT::HttpDate),
    }
}

/// A statement that binds `text` (a `&str`) to the text of scalar `value` (a reference
/// to a value of `ty`), for labels, query values and headers.
fn scalar_text(ty: &Ty, value: TokenStream, format: TimestampFormat) -> TokenStream {
    match ty {
        Ty::String => quote!(let text: &str = #value.as_str();),
        Ty::Named(n) if n.kind == NamedKind::Enum => {
            quote!(let text: &str = #value.as_str();)
        }
        Ty::Named(_) => quote!(let text = &#value.as_i32().to_string(); let text: &str = text;),
        Ty::Boolean => quote!(let text: &str = #FMT_BOOL(*#value);),
        Ty::Float | Ty::Double => {
            quote!(let text = &#FMT_FLOAT(*#value); let text: &str = text;)
        }
        Ty::Timestamp => {
            let f = format_tokens(format);
            quote! {
                let text = &#value
                    .fmt(#f)
                    .map_err(|e| #BUILD_REQUEST_ERROR::new(OPERATION, e.to_string()))?;
                let text: &str = text;
            }
        }
        _ => quote!(let text = &#value.to_string(); let text: &str = text;),
    }
}

/// Tokens that parse `text: &str` into a value of scalar `ty` (an expression of type
/// `Result<T, impl Display>`).
fn scalar_parse(defs: &Defs, ty: &Ty, format: TimestampFormat) -> TokenStream {
    match ty {
        Ty::String => quote!(::std::result::Result::<_, ::std::convert::Infallible>::Ok(
            text.to_owned()
        )),
        Ty::Named(n) => {
            let path = symbol_path(defs.symbol(n.id));
            if n.kind == NamedKind::IntEnum {
                quote!(text.parse::<i32>().map(<#path as ::std::convert::From<i32>>::from))
            } else {
                quote!(::std::result::Result::<_, ::std::convert::Infallible>::Ok(<#path as ::std::convert::From<&str>>::from(text)))
            }
        }
        Ty::Timestamp => {
            let f = format_tokens(format);
            quote!(#DATE_TIME::parse(#f, text))
        }
        other => {
            let t = ty_tokens(defs, other);
            quote!(text.parse::<#t>())
        }
    }
}

/// Statements appending the URI path to `path`.
fn emit_path(op: &Operation, input: Option<&Structure>) -> TokenStream {
    let http = op.http.as_ref().expect("bindings need @http");
    let parts = http.path.iter().map(|part| match part {
        UriPart::Literal(text) => match text.chars().collect::<Vec<_>>().as_slice() {
            [c] => quote!(path.push(#c);),
            _ => quote!(path.push_str(#text);),
        },
        // Lowering fails when a label names no input member.
        UriPart::Label { member: None, .. } => quote!(),
        UriPart::Label { name, greedy, member: Some(index) } => {
            let Some(m) = input.map(|input| &input.members[*index]) else {
                return quote!();
            };
            let field = ident(&m.field);
            let text = scalar_text(&m.ty, quote!(value), m.timestamp_format.unwrap_or(TimestampFormat::DateTime));
            let value = if m.presence == Presence::Optional {
                quote! {
                    let value = input.#field.as_ref().ok_or_else(|| #MISSING_LABEL(OPERATION, #name))?;
                }
            } else {
                quote!(let value = &input.#field;)
            };
            quote! {
                {
                    #value
                    #text
                    #PUSH_LABEL(OPERATION, &mut path, #name, text, #greedy)?;
                }
            }
        }
    });
    quote!(#(#parts)*)
}

/// `if let Some(value) = &input.f { body }` or, for a required member, `{ let value = &input.f; body }`.
fn with_value(m: &Member, body: TokenStream) -> TokenStream {
    let field = ident(&m.field);
    if m.presence == Presence::Optional {
        quote!(if let ::std::option::Option::Some(value) = &input.#field { #body })
    } else {
        quote!({ let value = &input.#field; #body })
    }
}

fn emit_query(input: &Structure) -> TokenStream {
    let mut out = Vec::new();
    for m in &input.members {
        let format = m.timestamp_format.unwrap_or(TimestampFormat::DateTime);
        match &m.http {
            HttpLocation::Query(key) => {
                let body = match &m.ty {
                    Ty::List(e) => {
                        let text = scalar_text(
                            &e.ty,
                            quote!(item),
                            e.timestamp_format.unwrap_or(TimestampFormat::DateTime),
                        );
                        quote!(for item in value { #text query.push(#key, text); })
                    }
                    ty => {
                        let text = scalar_text(ty, quote!(value), format);
                        quote!(#text query.push(#key, text);)
                    }
                };
                out.push(with_value(m, body));
            }
            HttpLocation::QueryParams => {
                let body = match &m.ty {
                    Ty::Map(_, v) if matches!(v.ty, Ty::List(_)) => quote! {
                        for (key, items) in value {
                            if !query.has(key) {
                                for item in items { query.push(key, item.as_str()); }
                            }
                        }
                    },
                    _ => quote! {
                        for (key, item) in value {
                            if !query.has(key) { query.push(key, item.as_str()); }
                        }
                    },
                };
                out.push(with_value(m, body));
            }
            _ => {}
        }
    }
    quote!(#(#out)*)
}

fn emit_headers(input: &Structure) -> TokenStream {
    // Prefix headers first: a specific header of the same name replaces theirs.
    let mut out = Vec::new();
    let mut specific = Vec::new();
    for m in &input.members {
        let format = m.timestamp_format.unwrap_or(TimestampFormat::HttpDate);
        match &m.http {
            HttpLocation::Header(name) => {
                let body = match &m.ty {
                    Ty::String if m.media_type.is_some() => quote! {
                        request = request.header(#name, #TO_BASE64_HEADER(value));
                    },
                    Ty::List(e) => {
                        // http-dates are never quoted, though they hold a comma.
                        let join = if e.ty == Ty::Timestamp
                            && e.timestamp_format.unwrap_or(TimestampFormat::HttpDate)
                                == TimestampFormat::HttpDate
                        {
                            quote!(#HTTP_DATE_LIST)
                        } else {
                            quote!(#HEADER_LIST)
                        };
                        let text = scalar_text(
                            &e.ty,
                            quote!(item),
                            e.timestamp_format.unwrap_or(TimestampFormat::HttpDate),
                        );
                        quote! {
                            let texts: ::std::vec::Vec<::std::string::String> = value
                                .iter()
                                .map(|item| -> ::std::result::Result<::std::string::String, #BUILD_REQUEST_ERROR> {
                                    #text
                                    ::std::result::Result::Ok(text.to_owned())
                                })
                                .collect::<::std::result::Result<_, _>>()?;
                            request = request.header(#name, #join(texts.iter().map(::std::string::String::as_str)));
                        }
                    }
                    ty => {
                        let text = scalar_text(ty, quote!(value), format);
                        quote!(#text request = request.header(#name, text);)
                    }
                };
                specific.push(with_value(
                    m,
                    quote! {
                        if let ::std::option::Option::Some(headers) = request.headers_mut() {
                            headers.remove(#name);
                        }
                        #body
                    },
                ));
            }
            HttpLocation::PrefixHeaders(prefix) => {
                out.push(with_value(
                    m,
                    quote! {
                        for (key, item) in value {
                            request = request.header(::std::format!("{}{}", #prefix, key), item.as_str());
                        }
                    },
                ));
            }
            _ => {}
        }
    }
    quote!(#(#out)* #(#specific)*)
}

/// Statements binding `body: Vec<u8>` (and setting the content type) for the input.
fn emit_request_body(defs: &Defs, input: &Structure) -> TokenStream {
    if let Some(m) = input
        .members
        .iter()
        .find(|m| m.http == HttpLocation::Payload)
    {
        let field = ident(&m.field);
        let media = m.media_type.as_deref();
        let (bytes, content_type, when_unset) = match &m.ty {
            Ty::Blob => (
                quote!(value.clone()),
                media.unwrap_or("application/octet-stream"),
                None,
            ),
            Ty::String => (
                quote!(value.as_bytes().to_vec()),
                media.unwrap_or("text/plain"),
                None,
            ),
            Ty::Named(n) if n.kind == NamedKind::Enum => (
                quote!(value.as_str().as_bytes().to_vec()),
                "text/plain",
                None,
            ),
            // An unset structure (or document) payload is an empty object; a union
            // has no empty value, so an unset one sends no body.
            Ty::Named(n) if n.kind == NamedKind::Union => (
                quote!(#TO_JSON(OPERATION, value)?),
                "application/json",
                None,
            ),
            _ => (
                quote!(#TO_JSON(OPERATION, value)?),
                "application/json",
                Some(quote! {
                    #SET_CONTENT_TYPE(&mut request, "application/json");
                    b"{}".to_vec()
                }),
            ),
        };
        let value = if m.presence == Presence::Optional {
            quote!(input.#field.as_ref())
        } else {
            quote!(::std::option::Option::Some(&input.#field))
        };
        let unset = when_unset.unwrap_or_else(|| quote!(::std::vec::Vec::new()));
        return quote! {
            let body = match #value {
                ::std::option::Option::Some(value) => {
                    #SET_CONTENT_TYPE(&mut request, #content_type);
                    #bytes
                }
                ::std::option::Option::None => { #unset }
            };
        };
    }
    let body_members: Vec<&Member> = input
        .members
        .iter()
        .filter(|m| m.http.in_request() == HttpLocation::Body)
        .collect();
    if body_members.is_empty() {
        return quote!(let body = ::std::vec::Vec::new(););
    }
    if body_members.len() == input.members.len() {
        return quote! {
            #SET_CONTENT_TYPE(&mut request, "application/json");
            let body = #TO_JSON(OPERATION, input)?;
        };
    }
    // Only some members go in the body: a view of the input writing just those.
    let serialize = super::wire::serialize_impl(
        defs,
        "RequestBody",
        quote!(RequestBody<'_>),
        quote!(self.0),
        &body_members,
    );
    let input_path = symbol_path(&input.symbol);
    quote! {
        struct RequestBody<'a>(&'a #input_path);
        #serialize
        #SET_CONTENT_TYPE(&mut request, "application/json");
        let body = #TO_JSON(OPERATION, &RequestBody(input))?;
    }
}

/// The expression reading output member `m` from the response head.
fn header_value(defs: &Defs, m: &Member) -> Option<TokenStream> {
    let value = match &m.http {
        HttpLocation::Header(name) => match &m.ty {
            Ty::List(e) => {
                let format = e.timestamp_format.unwrap_or(TimestampFormat::HttpDate);
                let parse = scalar_parse(defs, &e.ty, format);
                // An http-date has a comma of its own: such lists split after every other.
                let split = if e.ty == Ty::Timestamp && format == TimestampFormat::HttpDate {
                    quote!(#SPLIT_HTTP_DATE_LIST)
                } else {
                    quote!(#SPLIT_HEADER_LIST)
                };
                quote! {
                    #PARSE_HEADER(head, #name, |value| {
                        #split(value)
                            .iter()
                            .map(|text| #parse.map_err(|e| e.to_string()))
                            .collect::<::std::result::Result<::std::vec::Vec<_>, ::std::string::String>>()
                    })?
                }
            }
            Ty::String if m.media_type.is_some() => {
                quote!(#PARSE_HEADER(head, #name, #FROM_BASE64_HEADER)?)
            }
            ty => {
                let parse = scalar_parse(
                    defs,
                    ty,
                    m.timestamp_format.unwrap_or(TimestampFormat::HttpDate),
                );
                quote!(#PARSE_HEADER(head, #name, |text| #parse)?)
            }
        },
        HttpLocation::PrefixHeaders(prefix) => {
            quote!(::std::option::Option::Some(#PREFIX_HEADERS(head, #prefix)?))
        }
        HttpLocation::ResponseCode => {
            quote!(::std::option::Option::Some(i32::from(head.status.as_u16())))
        }
        _ => return None,
    };
    let name = &m.name;
    Some(match &m.presence {
        Presence::Optional => value,
        Presence::Required => quote! {
            #value.ok_or_else(|| #RESPONSE_ERROR::new(status, ::std::concat!("missing ", #name)))?
        },
        Presence::Default(_) => quote!(#value.unwrap_or_default()),
    })
}

/// The body of `deserialize`: the output from status, headers and body.
/// Field initialisers of members that are not in a JSON body: read from the head, or
/// their type's default when nothing in the head binds them.
fn head_inits<'a>(defs: &Defs, members: impl Iterator<Item = &'a Member>) -> Vec<TokenStream> {
    members
        .map(|m| {
            let f = ident(&m.field);
            let v =
                header_value(defs, m).unwrap_or_else(|| quote!(::std::default::Default::default()));
            quote!(#f: #v,)
        })
        .collect()
}

fn emit_response(defs: &Defs, output: Option<&Structure>) -> TokenStream {
    let Some(output) = output else {
        return quote!(let _ = (head, body); ::std::result::Result::Ok(()));
    };
    let path = symbol_path(&output.symbol);
    if let Some(m) = output.response_payload() {
        let field = ident(&m.field);
        let value = match &m.ty {
            Ty::Blob => quote!(body.to_vec()),
            Ty::String => quote! {
                ::std::string::String::from_utf8(body.to_vec())
                    .map_err(|_| #RESPONSE_ERROR::new(status, "body is not UTF-8 text"))?
            },
            Ty::Named(n) if n.kind == NamedKind::Enum => {
                let path = symbol_path(defs.symbol(n.id));
                quote! {
                    <#path as ::std::convert::From<&str>>::from(
                        ::std::str::from_utf8(body)
                            .map_err(|_| #RESPONSE_ERROR::new(status, "body is not UTF-8 text"))?,
                    )
                }
            }
            _ => {
                let t = inner_type(defs, &m.ty, m.boxed);
                quote!(#JSON_BODY::<#t>(status, body)?)
            }
        };
        let value = if m.presence == Presence::Optional {
            quote! {
                if body.is_empty() {
                    ::std::option::Option::None
                } else {
                    ::std::option::Option::Some(#value)
                }
            }
        } else {
            value
        };
        let others = head_inits(
            defs,
            output
                .members
                .iter()
                .filter(|o| o.http.in_response() != HttpLocation::Payload),
        );
        return quote! {
            #[allow(unused_variables)]
            let status = head.status.as_u16();
            ::std::result::Result::Ok(#path { #field: #value, #(#others)* })
        };
    }
    if output.response_is_body() {
        return quote! {
            #JSON_BODY::<#path>(head.status.as_u16(), body)
        };
    }
    // Some members come from the head: read the body members, then put it together.
    let body_members: Vec<&Member> = output.response_body_members().collect();
    if body_members.is_empty() {
        // Everything comes from the head; the body, if any, holds nothing modeled.
        let inits = head_inits(defs, output.members.iter());
        return quote! {
            let _ = body;
            #[allow(unused_variables)]
            let status = head.status.as_u16();
            ::std::result::Result::Ok(#path { #(#inits)* })
        };
    }
    let mut uses_serde_as = false;
    let fields = body_members
        .iter()
        .map(|m| {
            let f = ident(&m.field);
            let ty = super::field_type(defs, &m.ty, m.boxed, &m.presence);
            let (attrs, adapted) = serde_field_attrs(defs, m);
            uses_serde_as |= adapted;
            quote!(#(#attrs)* #f: #ty,)
        })
        .collect::<Vec<_>>();
    let serde_as = uses_serde_as.then(|| quote!(#[::serde_with::serde_as]));
    let inits = output.members.iter().map(|m| {
        let f = ident(&m.field);
        match header_value(defs, m) {
            Some(v) => quote!(#f: #v,),
            None => quote!(#f: from_body.#f,),
        }
    });
    quote! {
        #serde_as
        #[derive(::serde::Deserialize)]
        struct ResponseBody {
            #(#fields)*
        }
        let status = head.status.as_u16();
        let from_body: ResponseBody = #JSON_BODY(status, body)?;
        ::std::result::Result::Ok(#path { #(#inits)* })
    }
}

/// The `@endpoint` host prefix put into the request's extensions, labels checked.
fn emit_host_prefix(op: &Operation, input: Option<&Structure>) -> TokenStream {
    let Some(parts) = &op.host_prefix else {
        return quote!();
    };
    // Lowering resolves a label only to a member of the input.
    let members = input.map_or(&[][..], |i| &i.members[..]);
    let pushes = parts.iter().map(|part| match part {
        HostPart::Literal(text) => quote!(host_prefix.push_str(#text);),
        HostPart::Label(index) => {
            let m = &members[*index];
            let field = ident(&m.field);
            let name = &m.name;
            let value = if m.presence == Presence::Optional {
                quote! {
                    input.#field.as_deref().ok_or_else(|| {
                        #BUILD_REQUEST_ERROR::new(OPERATION, ::std::concat!("host label ", #name, " is not set"))
                    })?
                }
            } else {
                quote!(input.#field.as_str())
            };
            quote!(#PUSH_HOST_LABEL(OPERATION, &mut host_prefix, #name, #value)?;)
        }
    });
    quote! {
        let mut host_prefix = ::std::string::String::new();
        #(#pushes)*
        request = request.extension(#HOST_PREFIX(host_prefix));
    }
}

/// The `HttpOperation` impl of `op` (nothing when [`sends`] does not hold).
pub fn emit_http_operation(ir: &Ir, op: &Operation, shapes: &OperationShapes<'_>) -> TokenStream {
    let defs = &ir.defs;
    if !has_bindings(ir) {
        return quote!();
    }
    let json_rpc = json_rpc_content_type(ir);
    let marker = ident(&op.marker.name);
    let error_enum = ident(&op.error_enum.name);
    let name = &op.name;
    let (input, output) = (shapes.input, shapes.output);
    let input_ty = input.map_or_else(|| quote!(()), |s| symbol_path(&s.symbol));
    let output_ty = output.map_or_else(|| quote!(()), |s| symbol_path(&s.symbol));
    let (method, literal_query, path, query, headers, body) = match (json_rpc, &op.http) {
        // awsJson: `POST /`, the operation named in `X-Amz-Target`, the input as a JSON
        // object (`{}` for an operation without one).
        (Some(content_type), _) => {
            let service = ir
                .service
                .as_ref()
                .expect("a protocol comes from a service");
            let target = format!("{}.{}", service.name, op.name);
            let query_mode = service
                .query_compatible
                .then(|| quote!(request = request.header("x-amzn-query-mode", "true");));
            let body = if input.is_some() {
                quote!(let body = #TO_JSON(OPERATION, input)?;)
            } else {
                quote!(let body = b"{}".to_vec();)
            };
            (
                "POST".to_owned(),
                String::new(),
                quote!(path.push('/');),
                quote!(),
                quote! {
                    #SET_CONTENT_TYPE(&mut request, #content_type);
                    request = request.header("x-amz-target", #target);
                    #query_mode
                },
                body,
            )
        }
        (None, Some(http)) => {
            let (query, headers, body) = match input {
                Some(input) => (
                    emit_query(input),
                    emit_headers(input),
                    emit_request_body(defs, input),
                ),
                None => (
                    quote!(),
                    quote!(),
                    quote!(let body = ::std::vec::Vec::new();),
                ),
            };
            (
                http.method.clone(),
                http.query.clone(),
                emit_path(op, input),
                query,
                headers,
                body,
            )
        }
        // A restJson1 operation without `@http` has no bindings.
        (None, None) => return quote!(),
    };
    let host_labels = op
        .host_prefix
        .iter()
        .flatten()
        .any(|p| matches!(p, HostPart::Label(_)));
    let input_param =
        if input.is_some_and(|i| !i.members.is_empty() || json_rpc.is_some()) || host_labels {
            quote!(input)
        } else {
            quote!(_input)
        };
    let host_prefix = emit_host_prefix(op, input);
    let compress = (!op.request_compression.is_empty()).then(|| {
        let encodings = &op.request_compression;
        quote!(let body = #COMPRESS_BODY(OPERATION, &mut request, body, &[#(#encodings),*])?;)
    });
    let checksum = op
        .checksum_required
        .then(|| quote!(#SET_CONTENT_MD5(&mut request, &body);));
    // Unset @idempotencyToken members get a fresh token, in a copy of the input.
    let tokens: Vec<&Member> = input
        .map(|i| {
            i.members
                .iter()
                .filter(|m| {
                    m.idempotency_token && m.presence == Presence::Optional && m.ty == Ty::String
                })
                .collect()
        })
        .unwrap_or_default();
    let fill_tokens = (!tokens.is_empty()).then(|| {
        let unset = tokens.iter().map(|m| {
            let f = ident(&m.field);
            quote!(input.#f.is_none())
        });
        let fills = tokens.iter().map(|m| {
            let f = ident(&m.field);
            quote! {
                if copy.#f.is_none() {
                    copy.#f = ::std::option::Option::Some(#IDEMPOTENCY_TOKEN());
                }
            }
        });
        quote! {
            let filled;
            let input = if #(#unset)||* {
                let mut copy = ::std::clone::Clone::clone(input);
                #(#fills)*
                filled = copy;
                &filled
            } else {
                input
            };
        }
    });
    let response = emit_response(defs, output);
    let error_arms = shapes.errors.iter().map(|s| {
        let v = ident(&s.symbol.name);
        let p = symbol_path(&s.symbol);
        // An error with members bound to headers is read like an output.
        let parse = if s.response_is_body() {
            quote!(#JSON_BODY::<#p>(status, body))
        } else {
            let read = emit_response(defs, Some(s));
            quote!((|| -> ::std::result::Result<#p, #RESPONSE_ERROR> { #read })())
        };
        quote! {
            #p::CODE => match #parse {
                ::std::result::Result::Ok(error) => #error_enum::#v(error),
                ::std::result::Result::Err(_) => unhandled(),
            },
        }
    });
    let dispatch = if op.errors.is_empty() {
        quote!(unhandled())
    } else {
        quote! {
            match code {
                #(#error_arms)*
                _ => unhandled(),
            }
        }
    };
    let endpoint_params = emit_endpoint_params(op);
    quote! {
        impl #HTTP_OPERATION for #marker {
            type Input = #input_ty;
            type Output = #output_ty;
            type Error = #error_enum;

            const NAME: &'static str = #name;
            const SERVICE: &'static #SERVICE_INFO = &crate::SERVICE;

            fn serialize(
                #input_param: &Self::Input,
            ) -> ::std::result::Result<#HTTP_REQUEST<::std::vec::Vec<u8>>, #BUILD_REQUEST_ERROR> {
                const OPERATION: &str = #name;
                #fill_tokens
                let mut path = ::std::string::String::with_capacity(64);
                #path
                #[allow(unused_mut)]
                let mut query = #QUERY::new(#literal_query);
                #query
                #[allow(unused_mut)]
                let mut request = #HTTP_REQUEST::builder()
                    .method(#method)
                    .uri(query.finish(path));
                #host_prefix
                #headers
                #body
                #compress
                #checksum
                #FINISH_REQUEST(OPERATION, request, body)
            }

            fn deserialize(
                head: &#HTTP_RESPONSE_PARTS,
                body: &[u8],
            ) -> ::std::result::Result<Self::Output, #RESPONSE_ERROR> {
                #response
            }

            fn deserialize_error(
                code: &str,
                message: ::std::option::Option<&str>,
                head: &#HTTP_RESPONSE_PARTS,
                body: &[u8],
            ) -> Self::Error {
                let status = head.status.as_u16();
                let _ = body;
                let unhandled = || {
                    #error_enum::Unhandled(#UNHANDLED_ERROR::new(
                        code,
                        message.map(::std::borrow::ToOwned::to_owned),
                        status,
                    ))
                };
                #dispatch
            }

            #endpoint_params
        }
    }
}

/// The `Params` setter for a kind of context value.
fn setter(kind: ContextKind) -> proc_macro2::Ident {
    ident(match kind {
        ContextKind::Str | ContextKind::Enum => "set_str",
        ContextKind::Bool => "set_bool",
        ContextKind::Strings => "set_strings",
    })
}

/// `endpoint_params()`: the rule parameters an operation sets (none: the trait's
/// default, so nothing is emitted).
fn emit_endpoint_params(op: &Operation) -> TokenStream {
    if op.endpoint_params.is_empty() {
        return quote!();
    }
    let uses_input = op.endpoint_params.iter().any(|p| {
        matches!(
            p.source,
            EndpointParamSource::Member { .. } | EndpointParamSource::Path { .. }
        )
    });
    let input = if uses_input {
        quote!(input)
    } else {
        quote!(_input)
    };
    let sets = op.endpoint_params.iter().map(|p| {
        let name = &p.name;
        match &p.source {
            EndpointParamSource::Str(v) => quote!(params.set_str(#name, #v);),
            EndpointParamSource::Bool(v) => quote!(params.set_bool(#name, #v);),
            EndpointParamSource::Strings(items) => quote! {
                params.set_strings(#name, ::std::vec![#(::std::string::String::from(#items)),*]);
            },
            EndpointParamSource::Path { steps, leaf, many } => {
                let steps = steps.iter().map(|step| match step {
                    PathStep::Field {
                        field,
                        optional,
                        boxed,
                    } => {
                        let field = ident(field);
                        match (optional, boxed) {
                            (true, false) => quote!(.filter_map(|v| v.#field.as_ref())),
                            (true, true) => quote!(.filter_map(|v| v.#field.as_deref())),
                            (false, false) => quote!(.map(|v| &v.#field)),
                            (false, true) => quote!(.map(|v| &*v.#field)),
                        }
                    }
                    PathStep::Each { sparse: false } => quote!(.flat_map(|v| v.iter())),
                    PathStep::Each { sparse: true } => quote!(.flat_map(|v| v.iter().flatten())),
                    PathStep::Keys => quote!(.flat_map(|v| v.keys())),
                });
                let leaf = match leaf {
                    ContextKind::Enum => {
                        quote!(.map(|v| ::std::borrow::ToOwned::to_owned(v.as_str())))
                    }
                    _ => quote!(.cloned()),
                };
                let values = quote!(::std::iter::once(input) #(#steps)* #leaf);
                if *many {
                    quote!(params.set_strings(#name, #values.collect());)
                } else {
                    quote! {
                        if let ::std::option::Option::Some(value) = #values.next() {
                            params.set_str(#name, value);
                        }
                    }
                }
            }
            EndpointParamSource::Member {
                field,
                kind,
                optional,
            } => {
                let field = ident(field);
                // `by_ref` reads the value through a reference (`value` in `if let`),
                // else the field itself.
                let set = |v: TokenStream, by_ref: bool| match (kind, by_ref) {
                    (ContextKind::Str | ContextKind::Strings, true) => {
                        let setter = setter(*kind);
                        quote!(params.#setter(#name, ::std::clone::Clone::clone(#v));)
                    }
                    (ContextKind::Str | ContextKind::Strings, false) => {
                        let setter = setter(*kind);
                        quote!(params.#setter(#name, ::std::clone::Clone::clone(&#v));)
                    }
                    (ContextKind::Bool, true) => quote!(params.set_bool(#name, *#v);),
                    (ContextKind::Bool, false) => quote!(params.set_bool(#name, #v);),
                    (ContextKind::Enum, _) => quote!(params.set_str(#name, #v.as_str());),
                };
                if *optional {
                    let set = set(quote!(value), true);
                    quote! {
                        if let ::std::option::Option::Some(value) = &input.#field {
                            #set
                        }
                    }
                } else {
                    set(quote!(input.#field), false)
                }
            }
        }
    });
    quote! {
        fn endpoint_params(#input: &Self::Input, params: &mut #ENDPOINT_PARAMS) {
            #(#sets)*
        }
    }
}
