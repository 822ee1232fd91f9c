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
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made.
    Connect,
    /// The connection or the response took too long.
    Timeout,
    /// The TLS handshake failed (e.g. the certificate does not verify). Not retried: it
    /// fails the same way every time.
    Tls,
    /// The request cannot be sent as it is (a bad URL). Not retried.
    InvalidRequest,
    /// The response body is larger than the client accepts. Not retried.
    BodyTooLarge,
    /// Anything else (reset connection, broken body, ...).
    Other,
}

impl TransportErrorKind {
    /// Whether trying again may succeed: failed connections, timeouts and broken
    /// exchanges may; TLS failures, bad requests and oversized bodies will not.
    pub fn is_retryable(self) -> bool {
        matches!(
            self,
            TransportErrorKind::Connect | TransportErrorKind::Timeout | TransportErrorKind::Other
        )
    }
}

impl std::fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "could not connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::Tls => "TLS failure",
            TransportErrorKind::InvalidRequest => "invalid request",
            TransportErrorKind::BodyTooLarge => "response too large",
            TransportErrorKind::Other => "request failed",
        })
    }
}

/// The future of one exchange.
pub type ResponseFuture<'a> =
    Pin<Box<dyn Future<Output = Result<http::Response<Bytes>, TransportError>> + Send + 'a>>;

/// Sends one HTTP request with an absolute URI and returns the whole response.
///
/// A transport must not follow redirects: a 3xx is returned as it is, and the client
/// turns it into an error (see [`crate::Client`]).
pub trait Transport: Send + Sync + 'static {
    /// Sends `request`.
    fn send(&self, request: http::Request<Vec<u8>>) -> ResponseFuture<'_>;
}

/// The longest timeout applied; longer ones (e.g. `u64::MAX` seconds) are clamped to
/// it, since timers cannot reach past it.
pub const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// A timeout as the AWS CLI reads it: zero means none; anything longer than
/// [`MAX_TIMEOUT`] is clamped.
pub(crate) fn effective_timeout(timeout: Duration) -> Option<Duration> {
    (!timeout.is_zero()).then(|| timeout.min(MAX_TIMEOUT))
}

/// How the default transport is set up.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub connect_timeout: Option<Duration>,
    pub read_timeout: Option<Duration>,
    pub max_body: u64,
    /// PEM certificates that replace the system's roots (`AWS_CA_BUNDLE`, `ca_bundle`).
    pub ca_bundle: Option<Vec<u8>>,
}

/// The default transport: reqwest with rustls, HTTP/1.1 and HTTP/2. It follows no
/// redirect and sends no `Referer` (signed headers never leave for another origin),
/// verifies TLS, and refuses bodies above the configured size.
pub(crate) struct Reqwest {
    client: reqwest::Client,
    max_body: u64,
}

impl Reqwest {
    pub(crate) fn new(settings: &Settings) -> Result<Self, String> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .user_agent(concat!("apigw/", env!("CARGO_PKG_VERSION")));
        if let Some(t) = settings.connect_timeout {
            builder = builder.connect_timeout(t);
        }
        if let Some(t) = settings.read_timeout {
            builder = builder.read_timeout(t);
        }
        if let Some(pem) = &settings.ca_bundle {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| format!("the CA bundle is not PEM certificates: {e}"))?;
            if certs.is_empty() {
                return Err("the CA bundle holds no certificate".to_owned());
            }
            // As the AWS CLI: the bundle replaces the system's roots.
            builder = builder.tls_certs_only(certs);
        }
        let client = builder.build().map_err(|e| error_chain(&e))?;
        Ok(Self {
            client,
            max_body: settings.max_body,
        })
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

/// Whether a TLS error is somewhere in `error`'s chain (rustls reports certificate
/// problems inside the connector's I/O errors).
fn has_tls_cause(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(e) = current {
        if e.is::<rustls::Error>() {
            return true;
        }
        if let Some(io) = e.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && has_tls_cause(inner)
        {
            return true;
        }
        current = e.source();
    }
    false
}

/// `url` with any password replaced by `***`, for messages.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            let masked = if userinfo.contains(':') {
                format!("{user}:***")
            } else {
                user.to_owned()
            };
            format!("{scheme}://{masked}@{host}{tail}")
        }
        None => url.to_owned(),
    }
}

fn too_large(url: &str, limit: u64, detail: &str) -> TransportError {
    TransportError {
        kind: TransportErrorKind::BodyTooLarge,
        message: format!(
            "{url}: the response body {detail} is larger than the limit of {limit} bytes"
        ),
    }
}

impl Transport for Reqwest {
    fn send(&self, request: http::Request<Vec<u8>>) -> ResponseFuture<'_> {
        Box::pin(async move {
            let url = redact_url(&request.uri().to_string());
            let failed = |e: reqwest::Error| {
                let kind = if e.is_builder() {
                    TransportErrorKind::InvalidRequest
                } else if has_tls_cause(&e) {
                    TransportErrorKind::Tls
                } else if e.is_timeout() {
                    TransportErrorKind::Timeout
                } else if e.is_connect() {
                    TransportErrorKind::Connect
                } else {
                    TransportErrorKind::Other
                };
                // reqwest's messages carry the URL; ours is the redacted one.
                TransportError {
                    kind,
                    message: format!("{url}: {}", error_chain(&e.without_url())),
                }
            };
            let request = reqwest::Request::try_from(request).map_err(failed)?;
            let mut response = self.client.execute(request).await.map_err(failed)?;
            if let Some(length) = response.content_length()
                && length > self.max_body
            {
                return Err(too_large(
                    &url,
                    self.max_body,
                    &format!("(Content-Length {length})"),
                ));
            }
            let mut head = http::Response::builder().status(response.status());
            for (name, value) in response.headers() {
                head = head.header(name, value);
            }
            let capacity = response
                .content_length()
                .and_then(|l| usize::try_from(l).ok())
                .unwrap_or(0);
            let mut body = Vec::with_capacity(capacity);
            while let Some(chunk) = response.chunk().await.map_err(failed)? {
                if (body.len() + chunk.len()) as u64 > self.max_body {
                    return Err(too_large(&url, self.max_body, "(streamed)"));
                }
                body.extend_from_slice(&chunk);
            }
            head.body(Bytes::from(body)).map_err(|e| TransportError {
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
