//! What carries a signed request to the service and brings the response back. The
//! client uses reqwest (HTTPS with rustls, or plain HTTP); tests and benchmarks plug in
//! an in-memory [`Transport`] with [`from_fn`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;

/// Why no response came back.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// Details, on one line.
    pub message: String,
}

/// Kinds of transport failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No connection could be made.
    Connect,
    /// The connection or the response took too long.
    Timeout,
    /// Anything else (reset connection, broken body, ...).
    Other,
}

impl std::fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Other => "request failed",
        })
    }
}

/// The future of one exchange.
pub type ResponseFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'a>>;

/// Sends one HTTP request with an absolute URI and returns the whole response.
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`.
    fn send(&self, request: http::Request<Vec<u8>>) -> ResponseFuture<'_>;
}

/// The default transport: reqwest with rustls, HTTP/1.1 and HTTP/2.
pub(crate) struct Reqwest(pub(crate) reqwest::Client);

impl Reqwest {
    pub(crate) fn new(connect: Duration, read: Duration) -> Result<Self, String> {
        reqwest::Client::builder()
            .connect_timeout(connect)
            .read_timeout(read)
            .user_agent(concat!("apigw/", env!("CARGO_PKG_VERSION")))
            .build()
            .map(Self)
            .map_err(|e| e.to_string())
    }
}

/// An error and its sources on one line.
pub(crate) fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let next = e.to_string();
        if !text.contains(&next) {
            text.push_str(": ");
            text.push_str(&next);
        }
        source = e.source();
    }
    text
}

impl Transport for Reqwest {
    fn send(&self, request: http::Request<Vec<u8>>) -> ResponseFuture<'_> {
        Box::pin(async move {
            let url = request.uri().to_string();
            let failed = |e: reqwest::Error| {
                let kind = if e.is_timeout() {
                    TransportErrorKind::Timeout
                } else if e.is_connect() {
                    TransportErrorKind::Connect
                } else {
                    TransportErrorKind::Other
                };
                TransportError {
                    kind,
                    message: format!("{url}: {}", error_chain(&e)),
                }
            };
            let request = reqwest::Request::try_from(request).map_err(failed)?;
            let response = self.0.execute(request).await.map_err(failed)?;
            let mut head = http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                head = head.header(name, value);
            }
            let body = response.bytes().await.map_err(failed)?;
            head.body(body).map_err(|e| TransportError {
                kind: TransportErrorKind::Other,
                message: e.to_string(),
            })
        })
    }
}

/// A transport that answers every request with `respond` (tests, benchmarks).
pub fn from_fn<F>(respond: F) -> impl Transport
where
    F: Fn(http::Request<Vec<u8>>) -> http::Response<Bytes> + Send + Sync + 'static,
{
    struct FnTransport<F>(F);
    impl<F> Transport for FnTransport<F>
    where
        F: Fn(http::Request<Vec<u8>>) -> http::Response<Bytes> + Send + Sync + 'static,
    {
        fn send(&self, request: http::Request<Vec<u8>>) -> ResponseFuture<'_> {
            let response = (self.0)(request);
            Box::pin(std::future::ready(Ok(response)))
        }
    }
    FnTransport(respond)
}
