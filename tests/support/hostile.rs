//! A raw HTTP/1.1 server on 127.0.0.1 (plain or TLS) that answers exactly as a test
//! scripts it: redirects, bodies without `Content-Length`, declared sizes it never
//! sends. It records every request head and counts connections, including TLS
//! handshakes that fail.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::background::Background;

/// A request as it arrived.
#[derive(Clone, Debug)]
pub struct RawRequest {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The request target as sent (`/v2/apis/x/integrations?maxResults=2`).
    pub target: String,
    /// Header names (lower case) and values.
    pub headers: Vec<(String, String)>,
}

impl RawRequest {
    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A response body.
#[derive(Clone, Debug)]
pub enum Body {
    /// These bytes, with a matching `Content-Length`.
    Bytes(Vec<u8>),
    /// `len` filler bytes (`x`), streamed until done or the client goes away;
    /// `Content-Length` is sent only when `declared`, and may claim more than is sent.
    Filler {
        /// Bytes actually sent.
        len: u64,
        /// A `Content-Length` to send, if any.
        declared: Option<u64>,
    },
}

/// A scripted response.
#[derive(Clone, Debug)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Extra headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Body,
}

impl Reply {
    /// A JSON response with `status`.
    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: Body::Bytes(body.as_bytes().to_vec()),
        }
    }

    /// A redirect with `status` to `location`.
    pub fn redirect(status: u16, location: &str) -> Self {
        Self {
            status,
            headers: vec![("location".into(), location.into())],
            body: Body::Bytes(Vec::new()),
        }
    }
}

type Script = dyn Fn(&RawRequest) -> Reply + Send + Sync;

/// A self-signed certificate for `127.0.0.1` and `localhost`.
pub struct TestCert {
    /// The certificate, PEM (what a client trusts, e.g. through `AWS_CA_BUNDLE`).
    pub cert_pem: String,
    key_der: Vec<u8>,
    cert_der: Vec<u8>,
}

impl TestCert {
    /// A new certificate.
    pub fn new() -> Self {
        let certified = rcgen::generate_simple_self_signed(vec![
            "127.0.0.1".to_owned(),
            "localhost".to_owned(),
        ])
        .expect("a self-signed certificate");
        Self {
            cert_pem: certified.cert.pem(),
            cert_der: certified.cert.der().to_vec(),
            key_der: certified.signing_key.serialize_der(),
        }
    }
}

impl Default for TestCert {
    fn default() -> Self {
        Self::new()
    }
}

/// The running server; stops when dropped.
pub struct RawServer {
    /// `http://127.0.0.1:<port>` or `https://...`.
    pub url: String,
    requests: Arc<Mutex<Vec<RawRequest>>>,
    connections: Arc<AtomicUsize>,
    _background: Background,
}

impl RawServer {
    /// A plain HTTP server answering with `script`.
    pub fn start(script: impl Fn(&RawRequest) -> Reply + Send + Sync + 'static) -> Self {
        Self::start_with(Arc::new(script), None)
    }

    /// An HTTPS server with `cert`, answering with `script`.
    pub fn start_tls(
        cert: &TestCert,
        script: impl Fn(&RawRequest) -> Reply + Send + Sync + 'static,
    ) -> Self {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(
                vec![rustls::pki_types::CertificateDer::from(
                    cert.cert_der.clone(),
                )],
                rustls::pki_types::PrivateKeyDer::Pkcs8(cert.key_der.clone().into()),
            )
            .expect("the certificate and key match");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        Self::start_with(Arc::new(script), Some(acceptor))
    }

    fn start_with(script: Arc<Script>, tls: Option<tokio_rustls::TlsAcceptor>) -> Self {
        let requests: Arc<Mutex<Vec<RawRequest>>> = Arc::default();
        let connections = Arc::new(AtomicUsize::new(0));
        let (log, count) = (Arc::clone(&requests), Arc::clone(&connections));
        let scheme = if tls.is_some() { "https" } else { "http" };
        let background = Background::start(0, move |stream| {
            count.fetch_add(1, Ordering::SeqCst);
            let (script, log, tls) = (Arc::clone(&script), Arc::clone(&log), tls.clone());
            async move {
                match tls {
                    None => serve(stream, script.as_ref(), &log).await,
                    Some(acceptor) => {
                        if let Ok(stream) = acceptor.accept(stream).await {
                            serve(stream, script.as_ref(), &log).await;
                        }
                    }
                }
            }
        });
        Self {
            url: format!("{scheme}://{}", background.addr),
            requests,
            connections,
            _background: background,
        }
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<RawRequest> {
        self.requests
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Connections accepted so far (TLS handshakes that failed included).
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

/// Reads one request head (and its body, by `Content-Length`), answers it and closes.
async fn serve<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    script: &Script,
    log: &Mutex<Vec<RawRequest>>,
) {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > 64 * 1024 {
            return;
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or("").split(' ');
    let request = RawRequest {
        method: request_line.next().unwrap_or("").to_owned(),
        target: request_line.next().unwrap_or("").to_owned(),
        headers: lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect(),
    };
    let body_len: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut have = buffer.len() - head_end - 4;
    while have < body_len {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => have += n,
        }
    }
    log.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(request.clone());
    let reply = script(&request);
    let reason = http::StatusCode::from_u16(reply.status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Status");
    let mut out = format!(
        "HTTP/1.1 {} {reason}\r\nconnection: close\r\n",
        reply.status
    );
    for (k, v) in &reply.headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    match &reply.body {
        Body::Bytes(bytes) => out.push_str(&format!("content-length: {}\r\n", bytes.len())),
        Body::Filler {
            declared: Some(n), ..
        } => out.push_str(&format!("content-length: {n}\r\n")),
        Body::Filler { declared: None, .. } => {}
    }
    out.push_str("\r\n");
    if stream.write_all(out.as_bytes()).await.is_err() {
        return;
    }
    match reply.body {
        Body::Bytes(bytes) => {
            let _ = stream.write_all(&bytes).await;
        }
        Body::Filler { len, .. } => {
            let block = vec![b'x'; 64 * 1024];
            let mut sent = 0u64;
            while sent < len {
                let n = (len - sent).min(block.len() as u64) as usize;
                if stream.write_all(&block[..n]).await.is_err() {
                    return;
                }
                sent += n as u64;
            }
        }
    }
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}
