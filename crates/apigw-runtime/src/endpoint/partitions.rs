//! The partition table behind `aws.partition`: which partition a region belongs to
//! (its listed regions first, then its region pattern, else `aws`), and that
//! partition's DNS suffixes and capabilities.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::Value as Json;

use super::EndpointError;
use super::value::Value;

/// One partition's facts, as the built-in table holds them.
#[derive(Debug)]
pub(super) struct PartitionFacts {
    pub name: &'static str,
    /// The region pattern `^(<prefix>|...)-\w+-\d+$`, by its prefixes.
    pub region_prefixes: &'static [&'static str],
    pub regions: &'static [&'static str],
    pub dns_suffix: &'static str,
    pub dual_stack_dns_suffix: &'static str,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: &'static str,
}

/// How a partition recognises a region name it does not list.
#[derive(Debug)]
enum RegionPattern {
    /// `^(p1|p2|...)-\w+-\d+$`: the form every AWS table uses, matched without a
    /// regular expression engine.
    Prefixed(Vec<String>),
    /// Any other pattern, compiled once.
    Regex(regex_lite::Regex),
}

impl RegionPattern {
    /// Reads the table's `regionRegex`, recognising the `^(a|b)\-\w+\-\d+$` form.
    fn parse(regex: &str) -> Result<Self, String> {
        if let Some(prefixes) = prefixed_form(regex) {
            return Ok(Self::Prefixed(prefixes));
        }
        regex_lite::Regex::new(regex)
            .map(Self::Regex)
            .map_err(|e| format!("regionRegex {regex:?}: {e}"))
    }

    fn matches(&self, region: &str) -> bool {
        match self {
            Self::Prefixed(prefixes) => prefixes.iter().any(|p| prefixed_match(p, region)),
            Self::Regex(regex) => regex.is_match(region),
        }
    }
}

/// `prefix-\w+-\d+` (ASCII word characters and digits).
fn prefixed_match(prefix: &str, region: &str) -> bool {
    let Some(rest) = region
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('-'))
    else {
        return false;
    };
    let Some((word, digits)) = rest.split_once('-') else {
        return false;
    };
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
}

/// The prefixes of a pattern of the form `^<lit>(<alt>|<alt>...)?\-\w+\-\d+$` (with
/// `\-` for `-` in the literal parts), if it is of that form.
fn prefixed_form(regex: &str) -> Option<Vec<String>> {
    let body = regex.strip_prefix('^')?.strip_suffix(r"\-\w+\-\d+$")?;
    let body = body.replace(r"\-", "-");
    let simple =
        |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    match body.split_once('(') {
        None => simple(&body).then(|| vec![body.clone()]),
        Some((head, rest)) => {
            let alternatives = rest.strip_suffix(')')?;
            if !head.is_empty() && !simple(head) {
                return None;
            }
            let prefixes: Vec<String> = alternatives
                .split('|')
                .map(|alt| format!("{head}{alt}"))
                .collect();
            prefixes.iter().all(|p| simple(p)).then_some(prefixes)
        }
    }
}

/// One partition: what `aws.partition` returns for its regions.
#[derive(Debug)]
struct Partition {
    pattern: RegionPattern,
    /// The result object (`name`, `dnsSuffix`, ...).
    outputs: Value,
}

/// A partition table: the built-in one ([`Partitions::builtin`]) or one read with
/// [`Partitions::from_json`] (botocore's `partitions.json` form).
#[derive(Debug)]
pub struct Partitions {
    partitions: Vec<Partition>,
    /// Listed regions: their partition's index and the region's own outputs (the
    /// partition's, with any overrides the table gives the region).
    regions: HashMap<String, (usize, Option<Value>)>,
}

impl Partitions {
    /// The table built into this crate: the AWS SDKs' table of
    /// [`builtin::TABLE_DATE`](super::builtin::TABLE_DATE), in this project's form.
    /// A newer one is given with [`Partitions::from_json`] (a client reads
    /// `APIGW_PARTITIONS_FILE` that way).
    pub fn builtin() -> &'static Partitions {
        static TABLE: OnceLock<Partitions> = OnceLock::new();
        TABLE.get_or_init(|| Partitions::from_facts(super::builtin::BUILTIN))
    }

    /// A table file in the AWS SDKs' form (`partitions.json`); the error names the file.
    pub fn from_file(path: &std::path::Path) -> Result<Self, EndpointError> {
        let bad = |e: String| EndpointError::Partitions(format!("{}: {e}", path.display()));
        let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let json: Json = serde_json::from_slice(&bytes).map_err(|e| bad(e.to_string()))?;
        Partitions::from_json(&json).map_err(|e| match e {
            EndpointError::Partitions(what) => bad(what),
            other => other,
        })
    }

    fn from_facts(facts: &[PartitionFacts]) -> Self {
        let mut regions = HashMap::new();
        let partitions = facts
            .iter()
            .enumerate()
            .map(|(i, f)| {
                for region in f.regions {
                    regions.insert((*region).to_owned(), (i, None));
                }
                Partition {
                    pattern: RegionPattern::Prefixed(
                        f.region_prefixes.iter().map(|p| (*p).to_owned()).collect(),
                    ),
                    outputs: Value::record([
                        ("name", Value::Str(f.name.into())),
                        ("dnsSuffix", Value::Str(f.dns_suffix.into())),
                        (
                            "dualStackDnsSuffix",
                            Value::Str(f.dual_stack_dns_suffix.into()),
                        ),
                        ("supportsFIPS", Value::Bool(f.supports_fips)),
                        ("supportsDualStack", Value::Bool(f.supports_dual_stack)),
                        (
                            "implicitGlobalRegion",
                            Value::Str(f.implicit_global_region.into()),
                        ),
                    ]),
                }
            })
            .collect();
        Self {
            partitions,
            regions,
        }
    }

    /// A table in the AWS SDKs' form (`{"partitions": [{"id", "regionRegex", "regions",
    /// "outputs"}], "version"}`).
    pub fn from_json(json: &Json) -> Result<Self, EndpointError> {
        let bad = |what: String| EndpointError::Partitions(what);
        let list = json
            .get("partitions")
            .and_then(Json::as_array)
            .ok_or_else(|| bad("no `partitions` list".into()))?;
        let mut partitions = Vec::with_capacity(list.len());
        let mut regions = HashMap::new();
        for (i, p) in list.iter().enumerate() {
            let id = p
                .get("id")
                .and_then(Json::as_str)
                .ok_or_else(|| bad(format!("partition {i} has no `id`")))?;
            let regex = p
                .get("regionRegex")
                .and_then(Json::as_str)
                .ok_or_else(|| bad(format!("partition {id} has no `regionRegex`")))?;
            let pattern =
                RegionPattern::parse(regex).map_err(|e| bad(format!("partition {id}: {e}")))?;
            let outputs = p
                .get("outputs")
                .and_then(Json::as_object)
                .ok_or_else(|| bad(format!("partition {id} has no `outputs`")))?;
            let outputs = Value::from_json(&Json::Object(outputs.clone()))
                .ok_or_else(|| bad(format!("partition {id}: `outputs` holds a null")))?;
            if let Some(listed) = p.get("regions").and_then(Json::as_object) {
                for (region, overrides) in listed {
                    let own = overrides
                        .as_object()
                        .filter(|o| o.keys().any(|k| k != "description"))
                        .map(|o| {
                            let mut merged = outputs.clone();
                            for (k, v) in o {
                                if k != "description"
                                    && let Some(v) = Value::from_json(v)
                                {
                                    merged.set(k, v);
                                }
                            }
                            merged
                        });
                    regions.insert(region.clone(), (partitions.len(), own));
                }
            }
            partitions.push(Partition { pattern, outputs });
        }
        if partitions.is_empty() {
            return Err(bad("the table lists no partition".into()));
        }
        Ok(Self {
            partitions,
            regions,
        })
    }

    /// `aws.partition(region)`: the partition listing the region, else the first whose
    /// pattern matches it, else `aws` (the first partition when there is no `aws`).
    pub(super) fn partition(&self, region: &str) -> Value {
        if let Some((index, own)) = self.regions.get(region) {
            return own
                .clone()
                .unwrap_or_else(|| self.partitions[*index].outputs.clone());
        }
        if let Some(p) = self.partitions.iter().find(|p| p.pattern.matches(region)) {
            return p.outputs.clone();
        }
        self.partitions
            .iter()
            .find(|p| p.outputs.get("name").and_then(Value::as_str) == Some("aws"))
            .unwrap_or(&self.partitions[0])
            .outputs
            .clone()
    }

    /// The DNS suffix of a region's partition (`amazonaws.com`, `amazonaws.com.cn`, ...).
    pub fn dns_suffix(&self, region: &str) -> String {
        self.partition(region)
            .get("dnsSuffix")
            .and_then(Value::as_str)
            .unwrap_or("amazonaws.com")
            .to_owned()
    }

    /// The name of a region's partition (`aws`, `aws-cn`, ...).
    pub fn partition_name(&self, region: &str) -> String {
        self.partition(region)
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("aws")
            .to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aws_pattern_form_is_recognised_without_a_regex() {
        assert_eq!(
            prefixed_form(r"^(us|eu)\-\w+\-\d+$"),
            Some(vec!["us".to_owned(), "eu".to_owned()])
        );
        assert_eq!(
            prefixed_form(r"^us\-gov\-\w+\-\d+$"),
            Some(vec!["us-gov".to_owned()])
        );
        assert_eq!(
            prefixed_form(r"^eusc\-(de)\-\w+\-\d+$"),
            Some(vec!["eusc-de".to_owned()])
        );
        assert_eq!(prefixed_form(r"^[a-z]+\-\w+\-\d+$"), None);
        assert!(prefixed_match("us", "us-east-1"));
        assert!(!prefixed_match("us", "us-gov-west-1"));
        assert!(prefixed_match("us-gov", "us-gov-west-1"));
        assert!(!prefixed_match("us", "us-east-"));
        assert!(!prefixed_match("us", "us-east-1a"));
        assert!(!prefixed_match("us", "useast-1"));
    }

    #[test]
    fn regions_resolve_to_their_partition() {
        let table = Partitions::builtin();
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("eu-west-9", "aws"),
            ("cn-north-1", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
            ("aws-global", "aws"),
            ("mars-east-1", "aws"),
            ("", "aws"),
        ] {
            assert_eq!(table.partition_name(region), partition, "{region}");
        }
    }

    /// A table in the SDKs' form: listed regions with their own outputs, patterns of
    /// the usual form and of another (a regular expression), and the `aws` fallback.
    #[test]
    fn a_table_in_the_sdks_form_is_read() {
        let table = Partitions::from_json(&serde_json::json!({
            "version": "1.1",
            "partitions": [
                {"id": "aws", "regionRegex": "^(us|eu)\\-\\w+\\-\\d+$",
                 "regions": {"us-east-1": {"description": "x"}, "aws-global": {"supportsFIPS": false}},
                 "outputs": {"name": "aws", "dnsSuffix": "amazonaws.com", "dualStackDnsSuffix": "api.aws",
                             "supportsFIPS": true, "supportsDualStack": true, "implicitGlobalRegion": "us-east-1"}},
                {"id": "mars", "regionRegex": "^mars-[a-z]+-[0-9]$", "regions": {},
                 "outputs": {"name": "mars", "dnsSuffix": "amazonaws.mars", "dualStackDnsSuffix": "api.mars",
                             "supportsFIPS": false, "supportsDualStack": false, "implicitGlobalRegion": "mars-north-1"}}
            ]
        }))
        .unwrap();
        assert_eq!(table.partition_name("mars-north-1"), "mars");
        assert_eq!(table.dns_suffix("mars-north-1"), "amazonaws.mars");
        assert_eq!(table.partition_name("eu-west-3"), "aws");
        assert_eq!(table.partition_name("jupiter-1"), "aws", "the aws fallback");
        assert_eq!(
            table.partition("aws-global").get("supportsFIPS"),
            Some(&Value::Bool(false)),
            "a region's own outputs"
        );
        assert_eq!(
            table.partition("us-east-1").get("supportsFIPS"),
            Some(&Value::Bool(true))
        );
        for bad in [
            serde_json::json!({}),
            serde_json::json!({"partitions": []}),
            serde_json::json!({"partitions": [{"id": "x", "regionRegex": "(", "outputs": {}}]}),
            serde_json::json!({"partitions": [{"id": "x", "regionRegex": "^x$"}]}),
        ] {
            assert!(Partitions::from_json(&bad).is_err(), "{bad}");
        }
    }
}
