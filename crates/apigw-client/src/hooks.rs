//! What the client reports as it works ([`ClientBuilder::on_attempt`],
//! [`ClientBuilder::on_exchange`]), with secrets redacted before anyone sees them.

use std::sync::Arc;
use std::time::Duration;

#[cfg(doc)]
use crate::ClientBuilder;

/// What one attempt of a call came to, as [`ClientBuilder::on_attempt`] reports it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Attempt<'a> {
    /// The operation, e.g. `GetIntegrations`.
    pub operation: &'static str,
    /// 1 for the first try.
    pub number: u32,
    /// `None` when the attempt succeeded, else what went wrong (one line).
    pub error: Option<&'a str>,
    /// When the client will try again: after this delay.
    pub retry_in: Option<Duration>,
}

pub(crate) type AttemptHook = Arc<dyn Fn(&Attempt<'_>) + Send + Sync>;

/// One HTTP exchange (a signed request and its response, or why none came), as
/// [`ClientBuilder::on_exchange`] reports it. Secrets are already redacted: the
/// signature and access key in `authorization`, the session token, and any password
/// in the URL (see [`redact_header`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Exchange<'a> {
    /// The operation, e.g. `GetIntegrations`.
    pub operation: &'static str,
    /// 1 for the first try.
    pub attempt: u32,
    /// The HTTP method.
    pub method: &'a str,
    /// The URL, any password replaced by `***`.
    pub url: &'a str,
    /// The request headers as sent, redacted.
    pub request_headers: Vec<(String, String)>,
    /// The request body's size in bytes.
    pub request_bytes: usize,
    /// The response status, or `None` when no response came.
    pub status: Option<u16>,
    /// The response headers (none when no response came).
    pub response_headers: Vec<(String, String)>,
    /// The response body's size in bytes.
    pub response_bytes: usize,
    /// From sending the request to having the whole response (or the failure).
    pub elapsed: Duration,
    /// Why no response came (connection, TLS, timeout, size limit), one line.
    pub error: Option<&'a str>,
}

pub(crate) type ExchangeHook = Arc<dyn Fn(&Exchange<'_>) + Send + Sync>;

/// A header's value as it may be shown: the access key and signature of
/// `authorization` and the whole session token are replaced by `<redacted>`.
pub fn redact_header(name: &str, value: &str) -> String {
    let redacted = "<redacted>";
    match name.to_ascii_lowercase().as_str() {
        "authorization" => value
            .split(", ")
            .map(|part| {
                let (head, field) = part.rsplit_once(' ').unwrap_or(("", part));
                let redact = field.starts_with("Credential=") || field.starts_with("Signature=");
                match field.split_once('=') {
                    Some((key, _)) if redact => {
                        let space = if head.is_empty() { "" } else { " " };
                        format!("{head}{space}{key}={redacted}")
                    }
                    _ => part.to_owned(),
                }
            })
            .collect::<Vec<_>>()
            .join(", "),
        "x-amz-security-token" | "x-amz-session-token" | "cookie" | "set-cookie" => {
            redacted.to_owned()
        }
        _ => value.to_owned(),
    }
}

pub(crate) fn redacted_headers(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            (
                name.as_str().to_owned(),
                redact_header(name.as_str(), &value),
            )
        })
        .collect()
}

#[cfg(test)]
mod redaction_tests {
    use super::redact_header;

    #[test]
    fn the_access_key_signature_and_session_token_are_redacted() {
        let auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/apigateway/aws4_request, SignedHeaders=host;x-amz-date, Signature=0123456789abcdef";
        assert_eq!(
            redact_header("Authorization", auth),
            "AWS4-HMAC-SHA256 Credential=<redacted>, SignedHeaders=host;x-amz-date, Signature=<redacted>"
        );
        assert_eq!(
            redact_header("x-amz-security-token", "FQoGZXIvYXdzE"),
            "<redacted>"
        );
        assert_eq!(
            redact_header("x-amz-date", "20261125T000000Z"),
            "20261125T000000Z"
        );
    }
}
