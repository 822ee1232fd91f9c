//! An independent SigV4 check for the test servers, written from the published
//! signing process rather than with the signer the client uses (`aws-sigv4`): a bug
//! shared by the client and its own library cannot pass here. The scope is the one the
//! server expects (its region, the service's signing name, the date of `x-amz-date`),
//! never the one the request claims.

use hmac::{Hmac, KeyInit as _, Mac as _};
use sha2::{Digest as _, Sha256};

/// What the server expects a request to be signed for.
#[derive(Clone, Debug)]
pub struct Expected<'a> {
    /// The access key the request must name.
    pub access_key: &'a str,
    /// Its secret.
    pub secret_key: &'a str,
    /// The region of the scope, e.g. `us-east-1`.
    pub region: &'a str,
    /// The signing name of the scope, e.g. `apigateway`.
    pub service: &'a str,
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// RFC 3986 unreserved characters stay; everything else is `%XX` (upper case).
fn encode(text: &[u8]) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(text).collect()
}

/// The canonical URI of a path as sent: each segment encoded once more (services
/// other than S3 sign the already-encoded path), `/` for an empty one.
fn canonical_uri(path: &str) -> String {
    if path.is_empty() {
        return "/".to_owned();
    }
    path.split('/')
        .map(|segment| encode(segment.as_bytes()))
        .collect::<Vec<_>>()
        .join("/")
}

/// The canonical query: each name and value decoded and re-encoded strictly, sorted
/// by name then value, a name without `=` given an empty value.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|item| !item.is_empty())
        .map(|item| {
            let (k, v) = item.split_once('=').unwrap_or((item, ""));
            (encode(&decode(k)), encode(&decode(v)))
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// A header value as signed: trimmed, inner runs of spaces collapsed to one.
fn canonical_value(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The access key and region a request's `Authorization` header claims, if it has one.
pub fn claimed(headers: &http::HeaderMap) -> Option<(String, String)> {
    let authorization = headers.get("authorization")?.to_str().ok()?;
    let credential = authorization
        .split([' ', ','])
        .find_map(|f| f.trim().strip_prefix("Credential="))?;
    let mut parts = credential.split('/');
    let key = parts.next()?.to_owned();
    let _date = parts.next()?;
    let region = parts.next()?.to_owned();
    Some((key, region))
}

/// Checks the request's `Authorization` header against what the server expects; the
/// reason it does not verify otherwise. `Ok(false)`: the request is not signed.
pub fn verify(
    method: &str,
    path: &str,
    query: &str,
    headers: &http::HeaderMap,
    body: &[u8],
    expected: &Expected<'_>,
) -> Result<bool, String> {
    let Some(authorization) = headers.get("authorization") else {
        return Ok(false);
    };
    let authorization = authorization
        .to_str()
        .map_err(|_| "authorization is not text")?;
    let fields = authorization
        .strip_prefix("AWS4-HMAC-SHA256 ")
        .ok_or("not AWS4-HMAC-SHA256")?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for field in fields.split(',') {
        let (k, v) = field.trim().split_once('=').ok_or("a field without =")?;
        match k {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed_headers = Some(v),
            "Signature" => signature = Some(v),
            other => return Err(format!("unknown field {other}")),
        }
    }
    let (credential, signed_headers, signature) = (
        credential.ok_or("no Credential")?,
        signed_headers.ok_or("no SignedHeaders")?,
        signature.ok_or("no Signature")?,
    );
    let amz_date = headers
        .get("x-amz-date")
        .and_then(|v| v.to_str().ok())
        .ok_or("no x-amz-date")?;
    if amz_date.len() != 16 || !amz_date.is_ascii() {
        return Err(format!("x-amz-date {amz_date:?} is not YYYYMMDDTHHMMSSZ"));
    }
    let date = &amz_date[..8];
    let scope = format!(
        "{date}/{}/{}/aws4_request",
        expected.region, expected.service
    );
    let want_credential = format!("{}/{scope}", expected.access_key);
    if credential != want_credential {
        return Err(format!(
            "credential {credential} is not the expected {want_credential}"
        ));
    }
    let names: Vec<&str> = signed_headers.split(';').collect();
    for required in ["host", "x-amz-date"] {
        if !names.contains(&required) {
            return Err(format!("{required} is not signed"));
        }
    }
    if names.windows(2).any(|w| w[0] >= w[1]) || names.iter().any(|n| n.to_lowercase() != *n) {
        return Err("SignedHeaders are not sorted lower-case names".into());
    }
    let mut canonical_headers = String::new();
    for name in &names {
        let values: Vec<String> = headers
            .get_all(*name)
            .iter()
            .map(|v| v.to_str().map(canonical_value))
            .collect::<Result<_, _>>()
            .map_err(|_| format!("header {name} is not text"))?;
        if values.is_empty() {
            return Err(format!("signed header {name} is not sent"));
        }
        canonical_headers.push_str(&format!("{name}:{}\n", values.join(",")));
    }
    let payload = sha256_hex(body);
    if let Some(claimed) = headers.get("x-amz-content-sha256")
        && claimed.as_bytes() != payload.as_bytes()
    {
        return Err("x-amz-content-sha256 is not the body's hash".into());
    }
    let canonical_request = format!(
        "{method}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload}",
        canonical_uri(path),
        canonical_query(query),
    );
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        sha256_hex(canonical_request.as_bytes())
    );
    let key = hmac(format!("AWS4{}", expected.secret_key).as_bytes(), date);
    let key = hmac(&key, expected.region);
    let key = hmac(&key, expected.service);
    let key = hmac(&key, "aws4_request");
    let want = hex::encode(hmac(&key, &string_to_sign));
    if want == signature {
        Ok(true)
    } else {
        Err("the signature does not match".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's published SigV4 example (the signature-version-4 test suite's
    /// `get-vanilla-query-order-key-case`): the same request, keys and time give the
    /// published signature, so the check is the published process, not our reading.
    const EXAMPLE: Expected<'static> = Expected {
        access_key: "AKIDEXAMPLE",
        secret_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region: "us-east-1",
        service: "service",
    };

    fn example_headers(signature: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert("host", "example.amazonaws.com".parse().unwrap());
        headers.insert("x-amz-date", "20150830T123600Z".parse().unwrap());
        headers.insert(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature={signature}"
            )
            .parse()
            .unwrap(),
        );
        headers
    }

    const PUBLISHED: &str = "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500";

    #[test]
    fn the_published_example_verifies() {
        let headers = example_headers(PUBLISHED);
        assert_eq!(
            verify(
                "GET",
                "/",
                "Param2=value2&Param1=value1",
                &headers,
                b"",
                &EXAMPLE
            ),
            Ok(true)
        );
    }

    #[test]
    fn a_changed_request_or_scope_does_not_verify() {
        let headers = example_headers(PUBLISHED);
        let verify = |method, query, expected: &Expected<'_>| {
            verify(method, "/", query, &headers, b"", expected)
        };
        assert!(verify("POST", "Param2=value2&Param1=value1", &EXAMPLE).is_err());
        assert!(verify("GET", "Param2=value2&Param1=value3", &EXAMPLE).is_err());
        // The request claims us-east-1: a server expecting another region refuses it.
        let other_region = Expected {
            region: "eu-west-1",
            ..EXAMPLE
        };
        assert!(verify("GET", "Param2=value2&Param1=value1", &other_region).is_err());
        let other_secret = Expected {
            secret_key: "wrong",
            ..EXAMPLE
        };
        assert!(verify("GET", "Param2=value2&Param1=value1", &other_secret).is_err());
    }

    #[test]
    fn an_unsigned_request_is_reported_as_such() {
        assert_eq!(
            verify("GET", "/", "", &http::HeaderMap::new(), b"", &EXAMPLE),
            Ok(false)
        );
    }
}
