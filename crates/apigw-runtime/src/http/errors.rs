//! How a call fails: the operation's errors, an error the model does not name, an
//! input that cannot be sent, a response that cannot be read, and what a client reports.

use std::fmt;

/// What every operation error can tell.
pub trait OperationError: std::error::Error {
    /// The error code, e.g. `NotFoundException`.
    fn code(&self) -> &str;
    /// The message, if the service sent one.
    fn message(&self) -> Option<&str>;
    /// What the model says about retrying this error: whether the operation lists it
    /// at all, and its `@retryable` trait. Retry policies read it (a 429 the model
    /// lists is retried only when the model says so).
    fn modeled_retry(&self) -> ModeledRetry {
        ModeledRetry::Unmodeled
    }
}

/// What a model says about retrying an error response (its `@retryable` trait).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeledRetry {
    /// The operation does not list the error.
    Unmodeled,
    /// A listed error without `@retryable`.
    NotRetryable,
    /// `@retryable`: a transient error.
    Transient,
    /// `@retryable(throttling: true)`.
    Throttling,
}

/// An error response the operation does not model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnhandledError {
    code: String,
    message: Option<String>,
    status: u16,
}

impl UnhandledError {
    /// An error with `code` and `message` that came with HTTP `status`.
    pub fn new(code: impl Into<String>, message: Option<String>, status: u16) -> Self {
        Self {
            code: code.into(),
            message,
            status,
        }
    }

    /// The error code (`Unknown` when the response had none).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The message, if any.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for UnhandledError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (HTTP {})", self.code, self.status)?;
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnhandledError {}

/// An input that cannot be put into a request (an empty or missing label, ...).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("cannot build the {operation} request: {reason}")]
pub struct BuildRequestError {
    operation: &'static str,
    reason: String,
}

impl BuildRequestError {
    /// A problem with the input of `operation`.
    pub fn new(operation: &'static str, reason: impl Into<String>) -> Self {
        Self {
            operation,
            reason: reason.into(),
        }
    }
}

/// A response that does not have the form the model says (a malformed body, a bad
/// header value).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed response (HTTP {status}): {reason}")]
pub struct ResponseError {
    status: u16,
    reason: String,
}

impl ResponseError {
    /// A response with `status` that could not be read.
    pub fn new(status: u16, reason: impl Into<String>) -> Self {
        Self {
            status,
            reason: reason.into(),
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> u16 {
        self.status
    }
}

/// Why a call failed, as a client reports it.
#[derive(Debug, thiserror::Error)]
pub enum SdkError<E> {
    /// The service answered with an error (modeled, or [`UnhandledError`]).
    #[error("{error}")]
    Service {
        /// The operation's error.
        error: E,
        /// The HTTP status.
        status: u16,
        /// `x-amzn-requestid`, when sent.
        request_id: Option<String>,
        /// An `awsQueryCompatible` service's `x-amzn-query-error`: the error code its
        /// awsQuery clients knew, which [`SdkError::code`] reports.
        query_error: Option<super::QueryError>,
    },
    /// The service answered with a redirect (3xx). It is never followed (as the AWS
    /// SDKs): the signed request would go to wherever the `Location` points.
    #[error("the service answered HTTP {status} (a redirect), which is not followed")]
    Redirect {
        /// The HTTP status.
        status: u16,
    },
    /// The input cannot be sent.
    #[error(transparent)]
    Build(BuildRequestError),
    /// No endpoint for the client's settings: the endpoint rules' own message (e.g.
    /// `FIPS is enabled but this partition does not support FIPS`), or a configured
    /// endpoint that cannot be used.
    #[error("{0}")]
    Endpoint(String),
    /// The response could not be read.
    #[error(transparent)]
    Response(ResponseError),
    /// No response: connection, TLS or timeout failure (after retries).
    #[error("{0}")]
    Transport(String),
    /// No credentials anywhere the client looks (environment, shared files, web
    /// identity, container and instance metadata).
    #[error(
        "Unable to locate credentials: none in the environment, the shared config and credentials files, web identity, or container and instance metadata"
    )]
    NoCredentials,
    /// Credentials could not be loaded or the request could not be signed.
    #[error("{0}")]
    Credentials(String),
}

impl<E: OperationError> SdkError<E> {
    /// The service error code, when the service answered with an error: an
    /// `awsQueryCompatible` service's awsQuery code when it sent one (as the AWS SDKs
    /// report it), else the modeled error's code.
    pub fn code(&self) -> Option<&str> {
        match self {
            SdkError::Service {
                query_error: Some(q),
                ..
            } => Some(&q.code),
            SdkError::Service { error, .. } => Some(error.code()),
            _ => None,
        }
    }

    /// Whom an `awsQueryCompatible` service's error blames, when it said.
    pub fn query_fault(&self) -> Option<super::QueryFault> {
        match self {
            SdkError::Service {
                query_error: Some(q),
                ..
            } => Some(q.fault),
            _ => None,
        }
    }
}
