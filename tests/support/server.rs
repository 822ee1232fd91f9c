//! A GetIntegrations server for tests and benchmarks, for what moto does not do: it
//! honours `maxResults` and `nextToken` (opaque tokens), verifies SigV4 signatures
//! (independently of the client's signer: [`crate::sigv4`]),
//! and can throttle, fail, stall or send malformed bodies on demand.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response};
use serde_json::json;

use crate::background::Background;
use crate::fixtures;

/// The access key tests sign with (also in [`crate::python::test_env`]).
pub const ACCESS_KEY: &str = "AKIDAPIGWTESTKEY0001";
/// The secret key tests sign with.
pub const SECRET_KEY: &str = "apigw/test/secret+key/0001";

/// The signing name of API Gateway's management API, which requests are signed for.
pub const SIGNING_NAME: &str = "apigateway";

const TOKEN_PREFIX: &str = "page.";

/// What the server does; change it between requests with [`PagingServer::set`].
#[derive(Clone, Debug)]
pub struct Behaviour {
    /// Page size when the request has no `maxResults`.
    pub default_page_size: usize,
    /// The largest `maxResults` accepted (larger is a 400).
    pub max_page_size: usize,
    /// The next this many requests get 429 TooManyRequestsException.
    pub throttle: u32,
    /// The next this many requests get 400 ThrottlingException (a throttle by code, not
    /// by status).
    pub throttle_400: u32,
    /// Throttling responses carry `x-amz-retry-after: <milliseconds>`.
    pub retry_after_ms: Option<u64>,
    /// The next this many requests get a 500 without an error code.
    pub server_errors: u32,
    /// The next this many requests get a 200 with a truncated JSON body.
    pub malformed: u32,
    /// Requests whose number (0-based, counting all requests) is listed get a 500.
    pub fail_requests: Vec<usize>,
    /// Every response waits this long first.
    pub delay: Option<Duration>,
    /// Reject requests whose SigV4 signature does not verify (403).
    pub verify_signatures: bool,
    /// The region requests must be signed for (the server's own, as a regional
    /// endpoint's).
    pub region: String,
    /// A `set-cookie` header sent with every response (load balancers add them).
    pub set_cookie: Option<String>,
    /// Regions besides `region` that requests may be signed for (each its own quota).
    pub other_regions: Vec<String>,
    /// API Gateway's account quota: a token bucket per (access key, region) over all
    /// operations; a request that finds it empty gets 429 TooManyRequestsException
    /// (no `Retry-After`, as the service).
    pub quota: Option<Quota>,
    /// Every response waits a random time in this range first (after `delay`).
    pub random_delay: Option<(Duration, Duration)>,
}

/// A request quota: `rate` requests per second, bursts of `burst`.
#[derive(Clone, Copy, Debug)]
pub struct Quota {
    /// Tokens added per second.
    pub rate: f64,
    /// The bucket's size (it starts full).
    pub burst: f64,
}

impl Quota {
    /// API Gateway's management quota: 10 requests per second, burst 40.
    pub const API_GATEWAY: Self = Self {
        rate: 10.0,
        burst: 40.0,
    };
}

/// What the server counted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counters {
    /// Requests received.
    pub requests: u64,
    /// Requests refused by the quota (429).
    pub throttled: u64,
    /// The most requests handled at once.
    pub max_in_flight: u64,
    /// Requests per (access key, region).
    pub by_scope: BTreeMap<(String, String), u64>,
}

impl Default for Behaviour {
    fn default() -> Self {
        Self {
            default_page_size: 25,
            max_page_size: 500,
            throttle: 0,
            throttle_400: 0,
            retry_after_ms: None,
            server_errors: 0,
            malformed: 0,
            fail_requests: Vec::new(),
            delay: None,
            verify_signatures: true,
            region: "us-east-1".to_owned(),
            set_cookie: None,
            other_regions: Vec::new(),
            quota: None,
            random_delay: None,
        }
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    /// HTTP method.
    pub method: String,
    /// Percent-decoded path.
    pub path: String,
    /// The raw (still encoded) query string.
    pub raw_query: String,
    /// Decoded query pairs, in order.
    pub query: Vec<(String, String)>,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// Whether the SigV4 signature verified (`None`: unsigned).
    pub signature_ok: Option<bool>,
    /// When the request arrived.
    pub at: std::time::Instant,
}

impl Recorded {
    /// The first value of query parameter `key`.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    apis: BTreeMap<String, usize>,
    /// Secret keys by access key (the test key is always there).
    keys: BTreeMap<String, String>,
    /// Quota buckets by (access key, region): tokens and when last filled.
    buckets: std::collections::HashMap<(String, String), (f64, std::time::Instant)>,
    counters: Counters,
    in_flight: u64,
    behaviour: Behaviour,
    requests: Vec<Recorded>,
    /// Page bodies already rendered, by (API, offset, size): the server's own cost
    /// stays out of client benchmarks.
    pages: std::collections::HashMap<(String, usize, usize), Bytes>,
}

/// The running server; stops when dropped.
pub struct PagingServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    state: Arc<Mutex<State>>,
    _background: Background,
}

impl PagingServer {
    /// Starts on a free port of 127.0.0.1, serving no API yet.
    pub fn start() -> Self {
        Self::start_on(0)
    }

    /// Starts on `port` (0: any free port).
    pub fn start_on(port: u16) -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let background = Background::start(port, move |stream| {
            let state = Arc::clone(&shared);
            async move {
                let service = hyper::service::service_fn(move |req| {
                    let state = Arc::clone(&state);
                    async move {
                        Ok::<_, Infallible>(with_cookie(
                            &state,
                            handle(Arc::clone(&state), req).await,
                        ))
                    }
                });
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            }
        });
        Self {
            url: format!("http://{}", background.addr),
            state,
            _background: background,
        }
    }

    /// Serves API `id` with `count` integrations (`fixtures::integration(0..count)`).
    pub fn add_api(&self, id: &str, count: usize) {
        self.lock().apis.insert(id.to_owned(), count);
    }

    /// Accepts requests signed with `access_key` and `secret_key` (another account).
    pub fn add_key(&self, access_key: &str, secret_key: &str) {
        self.lock()
            .keys
            .insert(access_key.to_owned(), secret_key.to_owned());
    }

    /// What the server counted so far.
    pub fn counters(&self) -> Counters {
        self.lock().counters.clone()
    }

    /// Resets the counters and refills every quota bucket.
    pub fn reset_counters(&self) {
        let mut state = self.lock();
        state.counters = Counters::default();
        state.buckets.clear();
    }

    /// Changes the behaviour.
    pub fn set(&self, change: impl FnOnce(&mut Behaviour)) {
        change(&mut self.lock().behaviour);
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.lock().requests.clone()
    }

    /// Forgets the requests so far.
    pub fn clear_requests(&self) {
        self.lock().requests.clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The service's token for a position: opaque to clients, checked by the server.
pub fn token_for(api: &str, offset: usize) -> String {
    let raw = format!("{api}:{offset}");
    format!(
        "{TOKEN_PREFIX}{}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

fn offset_from(api: &str, token: &str) -> Option<usize> {
    let raw = token.strip_prefix(TOKEN_PREFIX)?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(raw).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (for_api, offset) = text.rsplit_once(':')?;
    (for_api == api).then_some(())?;
    offset.parse().ok()
}

fn respond(status: u16, code: Option<&str>, body: Vec<u8>) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header(
            "x-amzn-requestid",
            format!("req-{:016x}", fastrand::u64(..)),
        );
    if let Some(code) = code {
        builder = builder.header(
            "x-amzn-errortype",
            format!("{code}:http://internal.amazon.com/coral/com.amazonaws.apigatewayv2/"),
        );
    }
    builder
        .body(Full::new(Bytes::from(body)))
        .expect("a valid response")
}

fn error(status: u16, code: &str, message: &str) -> Response<Full<Bytes>> {
    respond(
        status,
        Some(code),
        json!({ "message": message }).to_string().into_bytes(),
    )
}

fn decode_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |s: &str| {
                percent_encoding::percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(k), decode(v))
        })
        .collect()
}

/// The response with the configured `set-cookie` header, if any.
fn with_cookie(state: &Mutex<State>, mut response: Response<Full<Bytes>>) -> Response<Full<Bytes>> {
    let cookie = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .behaviour
        .set_cookie
        .clone();
    if let Some(value) = cookie.and_then(|c| hyper::header::HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert("set-cookie", value);
    }
    response
}

async fn handle(state: Arc<Mutex<State>>, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let path = percent_encoding::percent_decode_str(parts.uri.path())
        .decode_utf8_lossy()
        .into_owned();
    if parts.uri.path() == "/_counters" {
        let c = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .counters
            .clone();
        let body = json!({"requests": c.requests, "throttled": c.throttled, "maxInFlight": c.max_in_flight});
        return respond(200, None, body.to_string().into_bytes());
    }
    let _in_flight = InFlight::enter(&state);
    let (key, region, secret) = {
        let s = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // The scope the request claims, when the server knows its key and serves its
        // region; anything else is checked against the defaults (and fails).
        let claimed = crate::sigv4::claimed(&parts.headers).filter(|(key, region)| {
            (key == ACCESS_KEY || s.keys.contains_key(key))
                && (region == &s.behaviour.region || s.behaviour.other_regions.contains(region))
        });
        let (key, region) =
            claimed.unwrap_or_else(|| (ACCESS_KEY.to_owned(), s.behaviour.region.clone()));
        let secret = s
            .keys
            .get(&key)
            .cloned()
            .unwrap_or_else(|| SECRET_KEY.to_owned());
        (key, region, secret)
    };
    let signature_ok = verify_signature(&parts, &body, &key, &secret, &region);
    let recorded = Recorded {
        method: parts.method.to_string(),
        path: path.clone(),
        raw_query: raw_query.clone(),
        query: decode_query(&raw_query),
        headers: parts
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        signature_ok,
        at: std::time::Instant::now(),
    };
    let (behaviour, number, apis) = {
        let mut s = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let number = s.requests.len();
        s.requests.push(recorded.clone());
        s.counters.requests += 1;
        *s.counters
            .by_scope
            .entry((key.clone(), region.clone()))
            .or_default() += 1;
        let before = s.behaviour.clone();
        let b = &mut s.behaviour;
        if b.throttle > 0 {
            b.throttle -= 1;
        } else if b.throttle_400 > 0 {
            b.throttle_400 -= 1;
        } else if b.server_errors > 0 {
            b.server_errors -= 1;
        } else if b.malformed > 0 {
            b.malformed -= 1;
        }
        (before, number, s.apis.clone())
    };
    if let Some(delay) = behaviour.delay {
        tokio::time::sleep(delay).await;
    }
    if let Some((low, high)) = behaviour.random_delay {
        let span = high.saturating_sub(low).as_secs_f64();
        tokio::time::sleep(low + Duration::from_secs_f64(span * fastrand::f64())).await;
    }
    if behaviour.verify_signatures && signature_ok != Some(true) {
        return error(
            403,
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided.",
        );
    }
    if let Some(quota) = behaviour.quota
        && !take_token(&state, quota, (key.clone(), region.clone()))
    {
        let body = json!({"message": "Too Many Requests"});
        return respond(
            429,
            Some("TooManyRequestsException"),
            body.to_string().into_bytes(),
        );
    }
    let with_retry_after = |mut response: Response<Full<Bytes>>| {
        if let Some(ms) = behaviour.retry_after_ms {
            response
                .headers_mut()
                .insert("x-amz-retry-after", hyper::header::HeaderValue::from(ms));
        }
        response
    };
    if behaviour.throttle > 0 {
        let body = json!({"message": "Too Many Requests", "limitType": "Account"});
        return with_retry_after(respond(
            429,
            Some("TooManyRequestsException"),
            body.to_string().into_bytes(),
        ));
    }
    if behaviour.throttle_400 > 0 {
        return with_retry_after(error(400, "ThrottlingException", "Rate exceeded"));
    }
    if behaviour.server_errors > 0 || behaviour.fail_requests.contains(&number) {
        return respond(
            500,
            None,
            br#"{"message": "Internal server error"}"#.to_vec(),
        );
    }
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let api = match (parts.method.as_str(), segments.as_slice()) {
        ("GET", ["v2", "apis", api, "integrations"]) => (*api).to_owned(),
        ("GET", ["v2", "apis"]) => return get_apis(&recorded, &behaviour, &apis),
        _ => {
            return error(
                404,
                "UnknownOperationException",
                &format!("no operation at {} {}", parts.method, path),
            );
        }
    };
    let Some(&count) = apis.get(&api) else {
        let body = json!({"message": format!("Invalid API identifier specified {api}"), "resourceType": "Api"});
        return respond(
            404,
            Some("NotFoundException"),
            body.to_string().into_bytes(),
        );
    };
    let page_size = match recorded.query_value("maxResults") {
        None => behaviour.default_page_size,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=behaviour.max_page_size).contains(&n) => n,
            _ => {
                return error(
                    400,
                    "BadRequestException",
                    &format!(
                        "maxResults must be an integer between 1 and {}, not {text:?}",
                        behaviour.max_page_size
                    ),
                );
            }
        },
    };
    let offset = match recorded.query_value("nextToken") {
        None => 0,
        Some(token) => match offset_from(&api, token) {
            Some(offset) if offset <= count => offset,
            _ => return error(400, "BadRequestException", "The nextToken is not valid"),
        },
    };
    let key = (api.clone(), offset, page_size);
    let cached = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .pages
        .get(&key)
        .cloned();
    let body = match cached {
        Some(body) => body,
        None => {
            let end = (offset + page_size).min(count);
            let next = (end < count).then(|| token_for(&api, end));
            let page = fixtures::page(offset, end - offset, next.as_deref());
            let body = Bytes::from(serde_json::to_vec(&page).expect("pages serialize"));
            state
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .pages
                .insert(key, body.clone());
            body
        }
    };
    if behaviour.malformed > 0 {
        return respond(200, None, body[..body.len() / 2].to_vec());
    }
    respond(200, None, body.to_vec())
}

/// Counts a request in flight while alive.
struct InFlight<'a>(&'a Mutex<State>);

impl<'a> InFlight<'a> {
    fn enter(state: &'a Mutex<State>) -> Self {
        let mut s = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.in_flight += 1;
        s.counters.max_in_flight = s.counters.max_in_flight.max(s.in_flight);
        Self(state)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut s = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.in_flight -= 1;
    }
}

/// Takes a token from the bucket of `scope`; `false` (and a count of the 429) when
/// there is none.
fn take_token(state: &Mutex<State>, quota: Quota, scope: (String, String)) -> bool {
    let mut s = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let now = std::time::Instant::now();
    let (tokens, last) = s.buckets.entry(scope).or_insert((quota.burst, now));
    *tokens = (*tokens + now.duration_since(*last).as_secs_f64() * quota.rate).min(quota.burst);
    *last = now;
    if *tokens >= 1.0 {
        *tokens -= 1.0;
        true
    } else {
        s.counters.throttled += 1;
        false
    }
}

/// GetApis: the APIs served, in id order, paged like GetIntegrations.
fn get_apis(
    recorded: &Recorded,
    behaviour: &Behaviour,
    apis: &BTreeMap<String, usize>,
) -> Response<Full<Bytes>> {
    let page_size = match recorded.query_value("maxResults") {
        None => behaviour.default_page_size,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=behaviour.max_page_size).contains(&n) => n,
            _ => return error(400, "BadRequestException", "maxResults is not valid"),
        },
    };
    let offset = match recorded.query_value("nextToken") {
        None => 0,
        Some(token) => match offset_from(APIS_TOKEN_KEY, token) {
            Some(offset) if offset <= apis.len() => offset,
            _ => return error(400, "BadRequestException", "The nextToken is not valid"),
        },
    };
    let end = (offset + page_size).min(apis.len());
    let items: Vec<_> = apis
        .keys()
        .skip(offset)
        .take(end - offset)
        .map(|id| fixtures::api(id))
        .collect();
    let mut page = json!({ "items": items });
    if end < apis.len() {
        page["nextToken"] = json!(token_for(APIS_TOKEN_KEY, end));
    }
    respond(200, None, page.to_string().into_bytes())
}

/// The position key of GetApis tokens (not an API id: those never contain `$`).
const APIS_TOKEN_KEY: &str = "$apis";

/// Whether the request's SigV4 signature verifies for the scope this server expects
/// (`region`, `apigateway`, the test keys), by the independent check of
/// [`crate::sigv4`]. `None` for an unsigned request.
fn verify_signature(
    parts: &hyper::http::request::Parts,
    body: &[u8],
    access_key: &str,
    secret_key: &str,
    region: &str,
) -> Option<bool> {
    let expected = crate::sigv4::Expected {
        access_key,
        secret_key,
        region,
        service: SIGNING_NAME,
    };
    match crate::sigv4::verify(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query().unwrap_or(""),
        &parts.headers,
        body,
        &expected,
    ) {
        Ok(true) => Some(true),
        Ok(false) => None,
        Err(_) => Some(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_opaque_and_checked() {
        let t = token_for("api1", 100);
        assert!(t.starts_with("page."));
        assert_eq!(offset_from("api1", &t), Some(100));
        assert_eq!(offset_from("api2", &t), None, "a token is bound to its API");
        assert_eq!(offset_from("api1", "garbage"), None);
    }
}
