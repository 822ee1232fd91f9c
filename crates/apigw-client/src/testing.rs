//! An operation sent through a real [`Client`] whose transport records the request
//! instead of sending it, for protocol tests: what they check is what the client hands
//! to HTTP (the URL after the endpoint and any host prefix, the signed headers,
//! `Content-Length`, the body), not what serialization alone produced.

use std::sync::{Arc, Mutex, PoisonError};

use apigw_runtime::http::{HttpClient as _, HttpOperation, SdkError};
use aws_credential_types::Credentials;
use bytes::Bytes;

use crate::{Client, RetryConfig, transport};

/// Sends `input` as `Op` through a [`Client`] configured with `endpoint`, region
/// `us-east-1` and fixed test credentials, whose transport records the request and
/// answers 400 (so nothing is retried). The request as the transport received it, or
/// why none was sent (the input did not serialize, the client could not be built).
pub fn send_captured<Op: HttpOperation>(
    endpoint: &str,
    input: Op::Input,
) -> Result<http::Request<Vec<u8>>, String> {
    send_captured_with::<Op>(
        Client::builder().region("us-east-1").endpoint_url(endpoint),
        input,
    )
}

/// Sends `input` as `Op` through a [`Client`] built from `builder` (with fixed test
/// credentials, one attempt, and a transport that records the request and answers
/// 400): the request as sent, or why none was (the input did not serialize, no
/// endpoint resolved, the client could not be built), one line.
pub fn send_captured_with<Op: HttpOperation>(
    builder: crate::ClientBuilder,
    input: Op::Input,
) -> Result<http::Request<Vec<u8>>, String> {
    let captured: Arc<Mutex<Option<http::Request<Vec<u8>>>>> = Arc::default();
    let sink = Arc::clone(&captured);
    let transport = transport::from_fn(move |request| {
        *sink.lock().unwrap_or_else(PoisonError::into_inner) = Some(request);
        let mut response = http::Response::new(Bytes::from_static(b"{}"));
        *response.status_mut() = http::StatusCode::BAD_REQUEST;
        response
    });
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("a runtime: {e}"))?;
    runtime.block_on(async {
        let client = builder
            .credentials(Credentials::new(
                "AKIDPROTOCOLTEST",
                "protocol-test-secret",
                None,
                None,
                "protocol-test",
            ))
            .retry(RetryConfig::default().with_max_attempts(1))
            .transport(transport)
            .build()
            .await
            .map_err(|e| format!("the client: {e}"))?;
        match client.send::<Op>(input).await {
            Err(SdkError::Build(e)) => Err(format!("the input does not serialize: {e}")),
            Err(SdkError::Endpoint(e)) => Err(format!("no endpoint: {e}")),
            _ => Ok(()),
        }
    })?;
    let request = captured
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    request.ok_or_else(|| "the client sent no request".to_owned())
}
