//! `--debug`: what the CLI resolved and every HTTP exchange and retry decision, on
//! stderr, one fact per line prefixed `[debug]`. Secrets never appear: the client
//! reports headers with the access key, signature and session token already redacted.

use apigw_client::endpoint::EndpointReport;
use apigw_client::{Attempt, ClientBuilder, Exchange};

use crate::output::Format;

/// What the run will do, before anything is sent.
pub fn preamble(format: Format, query: Option<&str>) {
    eprintln!(
        "[debug] apigw {} ({} {})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    );
    eprintln!("[debug] output format: {format:?}");
    if let Some(query) = query {
        eprintln!("[debug] query: {query}");
    }
}

/// `builder` with the hooks that log endpoints, exchanges and retries.
pub fn hooks(builder: ClientBuilder) -> ClientBuilder {
    builder
        .on_endpoint(|e| eprint!("{}", endpoint_lines(e)))
        .on_exchange(|e| eprint!("{}", exchange_lines(e)))
        .on_attempt(|a| {
            if let Some(line) = attempt_line(a) {
                eprintln!("{line}");
            }
        })
}

/// The endpoint rules' parameters and what they resolved to.
fn endpoint_lines(e: &EndpointReport<'_>) -> String {
    let params: Vec<String> = e
        .params
        .iter()
        .map(|(name, value)| format!("{name}={}", apigw_client::transport::redact_url(value)))
        .collect();
    let mut text = String::new();
    if !params.is_empty() {
        text.push_str(&format!(
            "[debug] {} endpoint parameters: {}\n",
            e.operation,
            params.join(", ")
        ));
    }
    match e.result {
        Ok(endpoint) => {
            text.push_str(&format!(
                "[debug] {} endpoint: {}\n",
                e.operation,
                apigw_client::transport::redact_url(&endpoint.url)
            ));
            if let Some(name) = &endpoint.signing_name {
                text.push_str(&format!("[debug]   signing name: {name}\n"));
            }
            if let Some(region) = &endpoint.signing_region {
                text.push_str(&format!("[debug]   signing region: {region}\n"));
            }
        }
        Err(message) => {
            text.push_str(&format!(
                "[debug] {} endpoint: none ({message})\n",
                e.operation
            ));
        }
    }
    text
}

/// The lines of one exchange.
fn exchange_lines(e: &Exchange<'_>) -> String {
    let mut text = format!(
        "[debug] {} attempt {}: {} {} ({} request bytes)\n",
        e.operation, e.attempt, e.method, e.url, e.request_bytes
    );
    for (name, value) in &e.request_headers {
        text.push_str(&format!("[debug]   > {name}: {value}\n"));
    }
    let millis = e.elapsed.as_secs_f64() * 1000.0;
    match (e.status, e.error) {
        (Some(status), _) => {
            text.push_str(&format!(
                "[debug]   < HTTP {status} after {millis:.1} ms ({} response bytes)\n",
                e.response_bytes
            ));
            for (name, value) in &e.response_headers {
                text.push_str(&format!("[debug]   < {name}: {value}\n"));
            }
        }
        (None, error) => text.push_str(&format!(
            "[debug]   no response after {millis:.1} ms: {}\n",
            error.unwrap_or("unknown")
        )),
    }
    text
}

/// The retry decision after a failed attempt.
fn attempt_line(a: &Attempt<'_>) -> Option<String> {
    let error = a.error?;
    Some(match a.retry_in {
        Some(delay) => format!(
            "[debug] {} attempt {} failed ({error}); retrying in {:.3} s",
            a.operation,
            a.number,
            delay.as_secs_f64()
        ),
        None => format!(
            "[debug] {} attempt {} failed ({error}); not retried",
            a.operation, a.number
        ),
    })
}
