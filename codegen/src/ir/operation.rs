//! The IR's types for operations: HTTP bindings with a parsed URI, pagination with
//! resolved member paths, and the structures an operation names.

use super::{Def, Ir, Member, RequestCase, ResponseCase, Structure, Symbol};

/// An operation.
#[derive(Clone, Debug)]
pub struct Operation {
    /// Shape id.
    pub id: String,
    /// Shape name, e.g. `GetIntegrations`.
    pub name: String,
    /// Module name, e.g. `get_integrations`.
    pub module: String,
    /// Marker type name, e.g. `GetIntegrations`.
    pub marker: Symbol,
    /// Error enum name, e.g. `GetIntegrationsError`.
    pub error_enum: Symbol,
    /// Converted documentation.
    pub docs: Option<String>,
    /// Input structure (None for Unit).
    pub input: Option<String>,
    /// Output structure (None for Unit).
    pub output: Option<String>,
    /// Error structures (operation errors, then service errors).
    pub errors: Vec<String>,
    /// `@http`.
    pub http: Option<HttpTrait>,
    /// Pagination metadata.
    pub pagination: Option<Pagination>,
    /// The operation's method on the client trait, e.g. `get_integrations`.
    pub client_method: String,
    /// The generated crate's cargo feature for this operation, e.g. `get_integrations`.
    pub feature: String,
    /// `@httpChecksumRequired`: the request carries `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` encodings, e.g. `["gzip"]`.
    pub request_compression: Vec<String>,
    /// `@endpoint` host prefix, its labels resolved.
    pub host_prefix: Option<Vec<HostPart>>,
    /// Client request cases from `smithy.test#httpRequestTests`.
    pub request_tests: Vec<RequestCase>,
    /// Client response cases from `smithy.test#httpResponseTests` (the operation's, and
    /// its errors').
    pub response_tests: Vec<ResponseCase>,
    /// The paginator's method on the client trait (`get_integrations_paginator`), for an
    /// operation paginated by items.
    pub paginator_method: Option<String>,
    /// The endpoint rule parameters the operation sets (`@staticContextParams`,
    /// `@contextParam`, `@operationContextParams`).
    pub endpoint_params: Vec<super::EndpointParam>,
}

/// `@http`.
#[derive(Clone, Debug, PartialEq)]
pub struct HttpTrait {
    /// HTTP method.
    pub method: String,
    /// URI pattern with `{Label}` / `{Label+}` segments.
    pub uri: String,
    /// Success status code.
    pub code: u16,
    /// The path of the URI pattern, split into literals and labels.
    pub path: Vec<UriPart>,
    /// The literal query of the URI pattern (after `?`), possibly empty.
    pub query: String,
}

/// A piece of an `@http` URI path.
#[derive(Clone, Debug, PartialEq)]
pub enum UriPart {
    /// Literal text.
    Literal(String),
    /// `{Name}` or, greedy, `{Name+}`.
    Label {
        /// The input member name.
        name: String,
        /// Whether the label may span `/`.
        greedy: bool,
        /// The input member it names, matched by the HTTP pass (lowering fails when a
        /// label has none, so emitted operations always have it).
        member: Option<Box<Member>>,
    },
}

/// Where pagination metadata came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PaginationSource {
    /// `smithy.api#paginated` (merged with the service's).
    Trait,
    /// A `paginators-1.json`-form file, by name.
    Override(String),
}

/// Resolved pagination metadata of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    /// Input member that carries the token.
    pub input_token: String,
    /// Output member path to the next token.
    pub output_token: Vec<String>,
    /// Output member path to the items, if any.
    pub items: Option<Vec<String>>,
    /// Input member that sets the page size, if any.
    pub page_size: Option<String>,
    /// Where the metadata came from.
    pub source: PaginationSource,
    /// The members the names above resolve to (set by the pagination pass, which only
    /// attaches pagination whose every path resolves).
    pub paths: PaginationPaths,
}

/// Pagination's member paths, resolved to positions (the pagination pass checked every
/// step).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PaginationPaths {
    /// The input member carrying the token.
    pub input_token: MemberPath,
    /// The output members down to the next token.
    pub output_token: MemberPath,
    /// The output members down to the items.
    pub items: MemberPath,
    /// The input member setting the page size.
    pub page_size: MemberPath,
}

/// Members by position, step by step: the first indexes the input (or output)
/// structure's members, each next one the structure the previous member targets.
/// Empty when absent. Resolved by [`Ir::member_path`].
pub type MemberPath = Vec<usize>;

/// An operation's input, output and error structures, as the IR holds them.
#[derive(Clone, Debug)]
pub struct OperationShapes<'a> {
    /// The input structure (`None` for Unit).
    pub input: Option<&'a Structure>,
    /// The output structure (`None` for Unit).
    pub output: Option<&'a Structure>,
    /// The error structures, in the operation's order.
    pub errors: Vec<&'a Structure>,
}

impl Ir {
    /// The members along `path` from structure `root`. The pagination pass keeps only
    /// paths whose every step is a member, and every step but the last a structure.
    pub fn member_path<'a>(&'a self, root: &'a Structure, path: &[usize]) -> Vec<&'a Member> {
        let mut current = root;
        let mut members = Vec::with_capacity(path.len());
        for (step, &index) in path.iter().enumerate() {
            let member = &current.members[index];
            members.push(member);
            if step + 1 < path.len() {
                current = match &member.ty {
                    super::Ty::Named(next) => match self.defs.get(&next.id) {
                        Some(Def::Structure(s)) => s,
                        _ => unreachable!("the pagination pass checked every step"),
                    },
                    _ => unreachable!("the pagination pass checked every step"),
                };
            }
        }
        members
    }

    /// The structures an operation names. Lowering only keeps operations whose
    /// input, output and errors are structures in `defs`, so this cannot fail.
    pub fn operation_shapes<'a>(&'a self, op: &'a Operation) -> OperationShapes<'a> {
        let structure = |id: &str| match self.defs.get(id) {
            Some(Def::Structure(s)) => s,
            _ => unreachable!("lowering keeps only operations whose shapes are structures"),
        };
        OperationShapes {
            input: op.input.as_deref().map(structure),
            output: op.output.as_deref().map(structure),
            errors: op.errors.iter().map(|id| structure(id)).collect(),
        }
    }
}

/// A piece of an `@endpoint` host prefix.
#[derive(Clone, Debug, PartialEq)]
pub enum HostPart {
    /// Literal text.
    Literal(String),
    /// The input's `@hostLabel` member of that name, by its position among the input
    /// structure's members.
    Label(usize),
}
