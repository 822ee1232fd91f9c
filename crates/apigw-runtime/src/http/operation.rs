//! What generated operations implement and what a client implements.

use std::future::Future;

use super::*;

/// What a client needs to know about the service an operation belongs to.
#[derive(Clone, Copy, Debug)]
pub struct ServiceInfo {
    /// `aws.api#service` `sdkId`, e.g. `ApiGatewayV2`.
    pub sdk_id: &'static str,
    /// The SigV4 signing name, e.g. `apigateway`.
    pub signing_name: &'static str,
    /// The endpoint prefix, e.g. `apigateway` (`https://apigateway.{region}.amazonaws.com`).
    pub endpoint_prefix: &'static str,
    /// The API version.
    pub version: &'static str,
    /// The service's endpoint rules, when its model has them: how a client turns the
    /// region, FIPS and dual-stack settings and a configured endpoint into a URL.
    pub endpoint_rules: Option<fn() -> &'static crate::endpoint::RuleSet>,
    /// `aws.protocols#awsQueryCompatible`: the service was once awsQuery, and its error
    /// responses say the code its awsQuery clients knew in `x-amzn-query-error`
    /// ([`query_error`]), which a client reports as the error's code.
    pub query_compatible: bool,
}

/// An operation a client can send: generated for every operation of a restJson1 or awsJson service.
pub trait HttpOperation: Send + Sync + 'static {
    /// The input structure.
    type Input: Send + Sync + 'static;
    /// The output structure.
    type Output: Send + 'static;
    /// The operation's error: its modeled errors plus an unhandled case.
    type Error: OperationError + Send + Sync + 'static;

    /// The operation's name, e.g. `GetIntegrations`.
    const NAME: &'static str;
    /// The service.
    const SERVICE: &'static ServiceInfo;

    /// The HTTP request for `input`, with a relative URI (`/path?query`).
    fn serialize(input: &Self::Input) -> Result<http::Request<Vec<u8>>, BuildRequestError>;
    /// The output from a successful response.
    fn deserialize(
        head: &http::response::Parts,
        body: &[u8],
    ) -> Result<Self::Output, ResponseError>;
    /// The error for an error response whose code is `code` (from `x-amzn-errortype`
    /// or the body).
    fn deserialize_error(
        code: &str,
        message: Option<&str>,
        head: &http::response::Parts,
        body: &[u8],
    ) -> Self::Error;
    /// Sets the endpoint rule set's parameters this operation fills from its input or
    /// its model (`@contextParam`, `@staticContextParams`,
    /// `@operationContextParams`); none by default.
    fn endpoint_params(_input: &Self::Input, _params: &mut crate::endpoint::Params) {}
}

/// A paginated operation whose result list is a JSON array in the response body
/// (generated for such restJson1 operations). A client can take the list out of the
/// body and turn it into items one at a time, instead of holding the whole typed page.
pub trait JsonResultList: HttpOperation {
    /// The wire names from the body's top level to the list, e.g. `["items"]`.
    const RESULT_JSON_PATH: &'static [&'static str];
}

/// Anything that can send an [`HttpOperation`]: the HTTP client, or a test double.
pub trait HttpClient: Clone + Send + Sync + 'static {
    /// Sends `input` and returns the output or the error.
    fn send<Op: HttpOperation>(
        &self,
        input: Op::Input,
    ) -> impl Future<Output = Result<Op::Output, SdkError<Op::Error>>> + Send;
}

/// Operation `Op` with its successful response left unparsed: the same request,
/// endpoint, signing, retries and error handling, and the output is the response's
/// status, headers and body ([`UnparsedResponse`]). With a generated crate's `views`
/// feature, a body is then read into a borrowed view (`Output::from_slice_borrowed`),
/// whose strings borrow from it instead of being copied:
///
/// ```ignore
/// let page = client.send::<Unparsed<GetIntegrations>>(input).await?;
/// let view = GetIntegrationsResponse::from_slice_borrowed(&page.body)?;
/// ```
pub struct Unparsed<Op>(std::marker::PhantomData<fn() -> Op>);

/// A successful response as it came: what [`Unparsed`] gives.
#[derive(Clone, Debug)]
pub struct UnparsedResponse {
    /// The HTTP status (2xx).
    pub status: u16,
    /// The response headers.
    pub headers: http::HeaderMap,
    /// The body, whole.
    pub body: Vec<u8>,
}

impl<Op: HttpOperation> HttpOperation for Unparsed<Op> {
    type Input = Op::Input;
    type Output = UnparsedResponse;
    type Error = Op::Error;

    const NAME: &'static str = Op::NAME;
    const SERVICE: &'static ServiceInfo = Op::SERVICE;

    fn serialize(input: &Self::Input) -> Result<http::Request<Vec<u8>>, BuildRequestError> {
        Op::serialize(input)
    }

    fn deserialize(
        head: &http::response::Parts,
        body: &[u8],
    ) -> Result<Self::Output, ResponseError> {
        Ok(UnparsedResponse {
            status: head.status.as_u16(),
            headers: head.headers.clone(),
            body: body.to_vec(),
        })
    }

    fn deserialize_error(
        code: &str,
        message: Option<&str>,
        head: &http::response::Parts,
        body: &[u8],
    ) -> Self::Error {
        Op::deserialize_error(code, message, head, body)
    }

    fn endpoint_params(input: &Self::Input, params: &mut crate::endpoint::Params) {
        Op::endpoint_params(input, params);
    }
}
