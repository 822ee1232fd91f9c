//! Rust names for model names. Every name the generator emits comes from here, so
//! keywords, leading digits and acronyms are handled once.

/// Mixed-case words that must stay one word (`IPv6`, not `I` + `Pv6`).
const MIXED_CASE_WORDS: &[&str] = &["IPv4", "IPv6", "OAuth"];

/// Splits a model name into words: on `_`, `-`, `.`, `/` and other punctuation, on a
/// lowercase-to-uppercase step (`apiId`), and before the last capital of an acronym
/// that starts a new word (`APIKey` -> `API`, `Key`). A trailing lowercase `s` stays with
/// its acronym (`IDs`), digits stay with the word before them (`S3`, `Http2`).
pub fn words(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for token in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = token.chars().collect();
        let mut current = String::new();
        let mut i = 0;
        while i < chars.len() {
            if let Some(word) = MIXED_CASE_WORDS.iter().find(|w| {
                token[i..].starts_with(**w) && (current.is_empty() || boundary(&chars, i))
            }) {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
                current.push_str(word);
                i += word.len();
                continue;
            }
            let c = chars[i];
            if !current.is_empty() && boundary(&chars, i) {
                out.push(std::mem::take(&mut current));
            }
            current.push(c);
            i += 1;
        }
        if !current.is_empty() {
            out.push(current);
        }
    }
    out
}

/// Whether a new word starts at `chars[i]`.
fn boundary(chars: &[char], i: usize) -> bool {
    let c = chars[i];
    let prev = chars[i - 1];
    let next = chars.get(i + 1).copied();
    if c.is_ascii_digit() {
        return false;
    }
    if c.is_ascii_uppercase() {
        if prev.is_ascii_lowercase() || prev.is_ascii_digit() {
            return true;
        }
        // Last capital of an acronym followed by a lowercase word: `APIKey`.
        if prev.is_ascii_uppercase()
            && let Some(n) = next
            && n.is_ascii_lowercase()
            && !plural_s(chars, i + 1)
        {
            return true;
        }
        return false;
    }
    // Lowercase after a digit starts nothing (`v2beta`); after an acronym it continues.
    false
}

/// `s` at `chars[i]` ends a plural acronym (`IDs`, `ARNs`): it is the last char or is
/// followed by an uppercase letter or digit.
fn plural_s(chars: &[char], i: usize) -> bool {
    chars[i] == 's'
        && chars
            .get(i + 1)
            .is_none_or(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        && i >= 2
        && chars[i - 1].is_ascii_uppercase()
        && chars[i - 2].is_ascii_uppercase()
}

fn capitalize(word: &str) -> String {
    let lower = word.to_ascii_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Rust keywords (2024 edition, strict and reserved).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A `snake_case` identifier for a field, module or method. Keywords become raw
/// identifiers (`r#type`), or get a trailing `_` where Rust forbids that (`self_`); a
/// leading digit gets a leading `_`.
pub fn snake(name: &str) -> String {
    let joined = words(name)
        .iter()
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    let joined = if joined.is_empty() {
        "value".to_owned()
    } else {
        joined
    };
    if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{joined}")
    } else if NOT_RAW.contains(&joined.as_str()) {
        format!("{joined}_")
    } else if is_keyword(&joined) {
        format!("r#{joined}")
    } else {
        joined
    }
}

/// A `PascalCase` identifier for a type or enum variant. `Self` becomes `SelfValue`; a
/// leading digit gets a leading `V`.
pub fn pascal(name: &str) -> String {
    let joined: String = words(name).iter().map(|w| capitalize(w)).collect();
    if joined.is_empty() {
        "Value".to_owned()
    } else if joined.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{joined}")
    } else if joined == "Self" {
        "SelfValue".to_owned()
    } else {
        joined
    }
}

/// The name without a raw-identifier prefix: `r#type` -> `type`.
pub fn unraw(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_handles_acronyms_digits_and_plurals() {
        for (model, rust) in [
            ("ApiGatewayManaged", "api_gateway_managed"),
            ("TLSConfig", "tls_config"),
            ("APIKeySource", "api_key_source"),
            ("IntegrationIDs", "integration_ids"),
            ("ARNsList", "arns_list"),
            ("IPv6Address", "ipv6_address"),
            ("OAuth2Token", "oauth2_token"),
            ("S3Bucket", "s3_bucket"),
            ("Http2Config", "http2_config"),
            ("__listOfIntegration", "list_of_integration"),
            ("nextToken", "next_token"),
            ("HTTP_PROXY", "http_proxy"),
        ] {
            assert_eq!(snake(model), rust, "{model}");
        }
    }

    #[test]
    fn keywords_become_raw_or_suffixed() {
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("gen"), "r#gen");
        assert_eq!(snake("Match"), "r#match");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("super"), "super_");
        assert_eq!(snake("crate"), "crate_");
        assert_eq!(unraw("r#type"), "type");
    }

    #[test]
    fn leading_digits_are_prefixed() {
        assert_eq!(snake("2fa"), "_2fa");
        assert_eq!(pascal("1.0"), "V10");
        assert_eq!(pascal("3DES"), "V3Des");
    }

    #[test]
    fn pascal_case_for_types_and_variants() {
        for (model, rust) in [
            ("HTTP_PROXY", "HttpProxy"),
            ("AWS", "Aws"),
            ("VPC_LINK", "VpcLink"),
            ("TLSConfig", "TlsConfig"),
            ("IntegrationIDs", "IntegrationIds"),
            ("IPv6Address", "Ipv6Address"),
            ("__string", "String"),
            ("application/json", "ApplicationJson"),
            ("Self", "SelfValue"),
            ("", "Value"),
        ] {
            assert_eq!(pascal(model), rust, "{model}");
        }
    }
}
