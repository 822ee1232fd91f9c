//! The IR's types for operations: HTTP bindings with a parsed URI, pagination with
//! resolved member paths, and the structures an operation names.

use super::{Ir, Member, RequestCase, ResponseCase, Structure, StructureId, Symbol};

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
    pub input: Option<StructureId>,
    /// Output structure (None for Unit).
    pub output: Option<StructureId>,
    /// Error structures (operation errors, then service errors).
    pub errors: Vec<StructureId>,
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
        /// The input member it names, by its position among the input structure's
        /// members: matched by the HTTP pass (lowering fails when a label has none, so
        /// emitted operations always have it).
        member: Option<usize>,
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

/// A member path, step by step (empty when absent).
pub type MemberPath = Vec<MemberStep>;

/// One step of a member path: the structure and the member's position in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MemberStep {
    /// The structure holding the member.
    pub structure: StructureId,
    /// The member's position among its members.
    pub member: usize,
}

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
    /// The members along `path`.
    pub fn member_path(&self, path: &[MemberStep]) -> Vec<&Member> {
        path.iter()
            .map(|step| &self.defs.structure(step.structure).members[step.member])
            .collect()
    }

    /// The structures an operation names.
    pub fn operation_shapes<'a>(&'a self, op: &'a Operation) -> OperationShapes<'a> {
        OperationShapes {
            input: op.input.map(|id| self.defs.structure(id)),
            output: op.output.map(|id| self.defs.structure(id)),
            errors: op
                .errors
                .iter()
                .map(|&id| self.defs.structure(id))
                .collect(),
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
