//! The rule-set functions: the standard library of the Smithy rules language and the
//! AWS extensions. Each takes its arguments as optional values (an unset parameter is
//! `None`) and returns `None` where it has no result.

use super::partitions::Partitions;
use super::value::Value;

/// A function a rule set may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Function {
    IsSet,
    Not,
    BooleanEquals,
    StringEquals,
    GetAttr,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    /// The function a rule set names, if it is one this engine has.
    pub fn named(name: &str) -> Option<Self> {
        Some(match name {
            "isSet" => Self::IsSet,
            "not" => Self::Not,
            "booleanEquals" => Self::BooleanEquals,
            "stringEquals" => Self::StringEquals,
            "getAttr" => Self::GetAttr,
            "substring" => Self::Substring,
            "uriEncode" => Self::UriEncode,
            "parseURL" => Self::ParseUrl,
            "isValidHostLabel" => Self::IsValidHostLabel,
            "aws.partition" => Self::Partition,
            "aws.parseArn" => Self::ParseArn,
            "aws.isVirtualHostableS3Bucket" => Self::IsVirtualHostableS3Bucket,
            _ => return None,
        })
    }

    /// How many arguments it takes.
    pub fn arity(self) -> Option<usize> {
        Some(match self {
            Self::IsSet
            | Self::Not
            | Self::UriEncode
            | Self::ParseUrl
            | Self::Partition
            | Self::ParseArn => 1,
            Self::BooleanEquals
            | Self::StringEquals
            | Self::GetAttr
            | Self::IsValidHostLabel
            | Self::IsVirtualHostableS3Bucket => 2,
            Self::Substring => 4,
        })
    }

    /// Calls it (`GetAttr` is evaluated by the rules, never here).
    pub fn call(self, args: &[Option<Value>], partitions: &Partitions) -> Option<Value> {
        let str_arg = |i: usize| args.get(i)?.as_ref()?.as_str();
        let bool_arg = |i: usize| args.get(i)?.as_ref()?.as_bool();
        match self {
            Self::IsSet => Some(Value::Bool(args[0].is_some())),
            Self::Not => Some(Value::Bool(!bool_arg(0)?)),
            Self::BooleanEquals | Self::StringEquals => Some(Value::Bool(args[0] == args[1])),
            Self::GetAttr => None,
            Self::Substring => {
                let (Some(Value::Int(start)), Some(Value::Int(stop))) = (&args[1], &args[2]) else {
                    return None;
                };
                substring(str_arg(0)?, *start, *stop, bool_arg(3)?).map(Value::Str)
            }
            Self::UriEncode => Some(Value::Str(uri_encode(str_arg(0)?))),
            Self::ParseUrl => parse_url(str_arg(0)?),
            Self::IsValidHostLabel => {
                Some(Value::Bool(is_valid_host_label(str_arg(0)?, bool_arg(1)?)))
            }
            Self::Partition => Some(partitions.partition(str_arg(0)?)),
            Self::ParseArn => parse_arn(str_arg(0)?),
            Self::IsVirtualHostableS3Bucket => Some(Value::Bool(is_virtual_hostable_s3_bucket(
                str_arg(0)?,
                bool_arg(1)?,
            ))),
        }
    }
}

/// `substring(input, start, stop, reverse)`: ASCII input only; `start..stop` counted
/// from the end when `reverse`.
fn substring(input: &str, start: i64, stop: i64, reverse: bool) -> Option<String> {
    if !input.is_ascii() {
        return None;
    }
    let (start, stop) = (usize::try_from(start).ok()?, usize::try_from(stop).ok()?);
    let len = input.len();
    if start >= stop || stop > len {
        return None;
    }
    let range = if reverse {
        len - stop..len - start
    } else {
        start..stop
    };
    Some(input[range].to_owned())
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn uri_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for b in input.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `parseURL`: an http(s) URL without a query, as `scheme`, `authority`, `path`,
/// `normalizedPath` (with a trailing `/`) and `isIp`.
fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains('?') || rest.contains('#') {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() {
        return None;
    }
    let host = if authority.starts_with('[') {
        authority
    } else {
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        match host.rsplit_once(':') {
            Some((h, port)) => {
                if !port.is_empty() && port.parse::<u16>().is_err() {
                    return None;
                }
                h
            }
            None => host,
        }
    };
    let is_ip = host.starts_with('[') || host.parse::<std::net::Ipv4Addr>().is_ok();
    let mut normalized = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized.push('/');
    }
    normalized.push_str(path);
    if !normalized.ends_with('/') {
        normalized.push('/');
    }
    Some(Value::record([
        ("scheme", Value::Str(scheme.to_owned())),
        ("authority", Value::Str(authority.to_owned())),
        ("path", Value::Str(path.to_owned())),
        ("normalizedPath", Value::Str(normalized)),
        ("isIp", Value::Bool(is_ip)),
    ]))
}

/// A DNS label: 1 to 63 letters, digits and `-`, not starting or ending with `-`;
/// with `allow_subdomains`, dot-separated labels.
fn is_valid_host_label(value: &str, allow_subdomains: bool) -> bool {
    if allow_subdomains {
        return value
            .split('.')
            .all(|label| is_valid_host_label(label, false));
    }
    (1..=63).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}

/// An S3 bucket name usable as a host label: 3 to 63 characters, lower case, a valid
/// host label (dot-separated ones with `allow_subdomains`), not an IPv4 address.
fn is_virtual_hostable_s3_bucket(value: &str, allow_subdomains: bool) -> bool {
    value.len() >= 3
        && value.len() <= 63
        && value.to_lowercase() == value
        && value.parse::<std::net::Ipv4Addr>().is_err()
        && is_valid_host_label(value, allow_subdomains)
}

/// `arn:partition:service:region:account:resource`, with the resource split on `:`
/// and `/` into `resourceId`.
fn parse_arn(arn: &str) -> Option<Value> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource
        .split([':', '/'])
        .map(|s| Value::Str(s.to_owned()))
        .collect();
    Some(Value::record([
        ("partition", Value::Str(partition.to_owned())),
        ("service", Value::Str(service.to_owned())),
        ("region", Value::Str(region.to_owned())),
        ("accountId", Value::Str(account.to_owned())),
        ("resourceId", Value::Array(resource_id)),
    ]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substring_counts_from_either_end_and_refuses_non_ascii() {
        assert_eq!(substring("abcdef", 0, 4, false).as_deref(), Some("abcd"));
        assert_eq!(substring("abcdef", 0, 4, true).as_deref(), Some("cdef"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("ab\u{e9}def", 0, 2, false), None);
    }

    #[test]
    fn urls_parse_into_their_parts() {
        let url = parse_url("https://example.com:8443/base/path").unwrap();
        assert_eq!(
            url.get("authority").and_then(Value::as_str),
            Some("example.com:8443")
        );
        assert_eq!(url.get("path").and_then(Value::as_str), Some("/base/path"));
        assert_eq!(
            url.get("normalizedPath").and_then(Value::as_str),
            Some("/base/path/")
        );
        assert_eq!(url.get("isIp"), Some(&Value::Bool(false)));
        let ip = parse_url("http://127.0.0.1:4566").unwrap();
        assert_eq!(ip.get("isIp"), Some(&Value::Bool(true)));
        assert_eq!(ip.get("normalizedPath").and_then(Value::as_str), Some("/"));
        assert_eq!(
            parse_url("https://[::1]/x").unwrap().get("isIp"),
            Some(&Value::Bool(true))
        );
        assert_eq!(parse_url("https://example.com/?q=1"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("example.com"), None);
    }

    #[test]
    fn host_labels_buckets_and_arns() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label("", false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("192.168.0.1", true));
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap").unwrap();
        assert_eq!(
            arn.get("resourceId"),
            Some(&Value::Array(vec![
                Value::Str("accesspoint".into()),
                Value::Str("my-ap".into())
            ]))
        );
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("nope:aws:s3:::x"), None);
        assert_eq!(uri_encode("a b/c~"), "a%20b%2Fc~");
    }
}
