//! Where a request goes: the service's endpoint rules, with the built-in parameters
//! filled as the AWS SDKs fill them (`AWS::Region`, `AWS::UseFIPS`,
//! `AWS::UseDualStack`, `SDK::Endpoint`) and the operation's context parameters;
//! resolved once per client, service and parameter set.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use apigw_runtime::endpoint::{Params, Partitions, RuleSet, Value};
use apigw_runtime::http::ServiceInfo;

use crate::{ConfigError, transport};

/// The built-ins' names in rule sets.
pub const REGION: &str = "AWS::Region";
/// `AWS::UseFIPS`.
pub const USE_FIPS: &str = "AWS::UseFIPS";
/// `AWS::UseDualStack`.
pub const USE_DUAL_STACK: &str = "AWS::UseDualStack";
/// `SDK::Endpoint`.
pub const ENDPOINT: &str = "SDK::Endpoint";

/// An endpoint resolved for a request: where to send it and how to sign it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResolvedEndpoint {
    /// The URL (scheme, host, port, base path), without a trailing `/`.
    pub url: String,
    /// Headers the endpoint asks for.
    pub headers: Vec<(String, String)>,
    /// The SigV4 signing name, when the endpoint's `authSchemes` overrides it.
    pub signing_name: Option<String>,
    /// The SigV4 signing region, when the endpoint's `authSchemes` overrides it.
    pub signing_region: Option<String>,
}

/// What the client resolved, as [`crate::ClientBuilder::on_endpoint`] reports it
/// (once per service and parameter set: later requests reuse it).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct EndpointReport<'a> {
    /// The operation that asked, e.g. `GetIntegrations`.
    pub operation: &'static str,
    /// The rule set's parameters as given (`Region=us-east-1`, ...); empty when the
    /// service has no rules.
    pub params: Vec<(String, String)>,
    /// The endpoint, or why there is none (the rule set's message).
    pub result: Result<&'a ResolvedEndpoint, &'a str>,
}

/// An endpoint, or the rule set's reason there is none.
type Resolution = Result<Arc<ResolvedEndpoint>, String>;

pub(crate) type EndpointHook = Arc<dyn Fn(&EndpointReport<'_>) + Send + Sync>;

/// The client's endpoint settings and what it has resolved so far.
pub(crate) struct Endpoints {
    pub region: String,
    /// An endpoint given to the builder: it wins over any configured one.
    pub endpoint_override: Option<String>,
    pub use_fips: bool,
    pub use_dual_stack: bool,
    pub partitions: Option<Arc<Partitions>>,
    /// Parameters the client sets for every request (`@clientContextParams`).
    pub client_params: Params,
    /// Where configured endpoints come from (environment and profile, per service).
    pub sdk_config: aws_config::SdkConfig,
    pub on_endpoint: Option<EndpointHook>,
    /// By service and the operation's context parameters (the built-ins are the
    /// client's, the same for every request).
    pub cache: Mutex<HashMap<(&'static str, Params), Resolution>>,
}

impl Endpoints {
    /// The endpoint a user configured for `service`: the builder's, else the
    /// environment's or the profile's (`AWS_ENDPOINT_URL_<SERVICE>`,
    /// `AWS_ENDPOINT_URL`, the profile's `services` section and `endpoint_url`), checked.
    pub(crate) fn configured(&self, service: &ServiceInfo) -> Result<Option<String>, ConfigError> {
        let (url, origin) = match &self.endpoint_override {
            Some(url) => (url.clone(), String::new()),
            None => match configured_endpoint(&self.sdk_config, service) {
                Some(url) => (
                    url,
                    " (from AWS_ENDPOINT_URL_*, AWS_ENDPOINT_URL or the profile)".to_owned(),
                ),
                None => return Ok(None),
            },
        };
        check_endpoint(&url, &origin)?;
        Ok(Some(url.trim_end_matches('/').to_owned()))
    }

    /// The rule set's parameters for a request of `service`: the built-ins from the
    /// client's settings, the client's own parameters, then the operation's context
    /// parameters.
    fn params(
        &self,
        rules: &RuleSet,
        service: &ServiceInfo,
        context: &Params,
    ) -> Result<Params, ConfigError> {
        let configured = self.configured(service)?;
        let mut params = Params::new();
        // As botocore: a configured endpoint is used as it is, so FIPS and dual-stack
        // (which name other hosts) are off with one.
        let (fips, dual_stack) = if configured.is_some() {
            (false, false)
        } else {
            (self.use_fips, self.use_dual_stack)
        };
        for (name, built_in, _) in rules.parameters() {
            match built_in {
                Some(REGION) => {
                    params.set_str(name, self.region.clone());
                }
                Some(USE_FIPS) => {
                    params.set_bool(name, fips);
                }
                Some(USE_DUAL_STACK) => {
                    params.set_bool(name, dual_stack);
                }
                Some(ENDPOINT) => {
                    params.set(name, configured.clone().map(Value::Str));
                }
                _ => {}
            }
        }
        for (name, value) in self.client_params.iter().chain(context.iter()) {
            params.set(name, Some(value.clone()));
        }
        Ok(params)
    }

    /// The endpoint for a request of `operation` with the operation's context
    /// parameters `context`; resolved once per service and parameter set.
    pub(crate) fn resolve(
        &self,
        operation: &'static str,
        service: &ServiceInfo,
        context: &Params,
    ) -> Resolution {
        // Looked up before anything is computed: the configured endpoint comes from the
        // environment and profile, which a request should not read again.
        let key = (service.sdk_id, context.clone());
        if let Some(hit) = self
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return hit.clone();
        }
        let (params, result) = match service.endpoint_rules.map(|f| f()) {
            None => (Params::new(), self.without_rules(service)),
            Some(rules) => {
                let params = self
                    .params(rules, service, context)
                    .map_err(|e| e.to_string())?;
                let result = self.with_rules(rules, &params);
                (params, result)
            }
        };
        if let Some(hook) = &self.on_endpoint {
            hook(&EndpointReport {
                operation,
                params: params
                    .iter()
                    .map(|(k, v)| (k.to_owned(), show(v)))
                    .collect(),
                result: result.as_ref().map(|e| &**e).map_err(String::as_str),
            });
        }
        self.cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key, result.clone());
        result
    }

    /// A model without rules: the configured endpoint, else the region's.
    fn without_rules(&self, service: &ServiceInfo) -> Resolution {
        let url = match self.configured(service).map_err(|e| e.to_string())? {
            Some(url) => url,
            None => default_endpoint(service, &self.region),
        };
        Ok(Arc::new(ResolvedEndpoint {
            url,
            headers: Vec::new(),
            signing_name: None,
            signing_region: None,
        }))
    }

    /// What `rules` give for `params`, checked like a configured endpoint.
    fn with_rules(&self, rules: &RuleSet, params: &Params) -> Resolution {
        let partitions = self
            .partitions
            .as_deref()
            .unwrap_or_else(|| Partitions::builtin());
        let endpoint = rules
            .resolve(params, partitions)
            .map_err(|e| e.message().to_owned())?;
        let scheme = endpoint.sigv4_scheme()?;
        check_endpoint(&endpoint.url, " (resolved from the endpoint rules)")
            .map_err(|e| e.to_string())?;
        let headers = endpoint
            .headers
            .iter()
            .flat_map(|(k, vs)| vs.iter().map(move |v| (k.clone(), v.clone())))
            .collect();
        Ok(Arc::new(ResolvedEndpoint {
            url: endpoint.url.trim_end_matches('/').to_owned(),
            headers,
            signing_name: scheme.as_ref().and_then(|s| s.signing_name.clone()),
            signing_region: scheme.and_then(|s| s.signing_region),
        }))
    }
}

/// A parameter's value as `--debug` shows it.
fn show(value: &Value) -> String {
    match value {
        Value::Str(s) => s.clone(),
        other => other.to_json().to_string(),
    }
}

/// The endpoint of `service` in `region` for a model without endpoint rules:
/// `https://{prefix}.{region}.{dns suffix}`, the suffix of the region's partition.
pub fn default_endpoint(service: &ServiceInfo, region: &str) -> String {
    let suffix = Partitions::builtin().dns_suffix(region);
    format!("https://{}.{region}.{suffix}", service.endpoint_prefix)
}

/// The endpoint configured for `service` in the environment or the profile, as the
/// AWS SDKs look it up (aws-config's service config honours
/// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` and `ignore_configured_endpoint_urls`).
fn configured_endpoint(config: &aws_config::SdkConfig, service: &ServiceInfo) -> Option<String> {
    let key = aws_types::service_config::ServiceConfigKey::builder()
        .service_id(service.sdk_id)
        .env("AWS_ENDPOINT_URL")
        .profile("endpoint_url")
        .build()
        .ok()?;
    config
        .service_config()?
        .load_config(key)
        .filter(|url| !url.is_empty())
}

/// Checks an endpoint URL; `origin` says where it came from, for the message.
pub(crate) fn check_endpoint(url: &str, origin: &str) -> Result<(), ConfigError> {
    let bad = |reason: &str| ConfigError::Endpoint {
        url: transport::redact_url(url),
        origin: origin.to_owned(),
        reason: reason.to_owned(),
    };
    let uri: http::Uri = url.parse().map_err(|_| bad("not a URL"))?;
    match uri.scheme_str() {
        Some("http" | "https") => {}
        _ => return Err(bad("the scheme must be http or https")),
    }
    if uri.host().is_none_or(str::is_empty) {
        return Err(bad("it has no host"));
    }
    // `http::Uri` keeps a port it cannot read as a u16 without saying so.
    let authority = uri.authority().map_or("", |a| a.as_str());
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let port = match host_port.rfind(']') {
        Some(end) => host_port[end + 1..].strip_prefix(':'),
        None => host_port.rsplit_once(':').map(|(_, p)| p),
    };
    if let Some(port) = port
        && port.parse::<u16>().is_err()
    {
        return Err(bad("the port is not a number from 0 to 65535"));
    }
    // The operation's path and query are appended to the endpoint: a query or a
    // fragment here would swallow them.
    if uri.query().is_some() || url.contains('?') {
        return Err(bad(
            "it has a query (`?...`); an endpoint is a scheme, host, port and path",
        ));
    }
    if url.contains('#') {
        return Err(bad(
            "it has a fragment (`#...`); an endpoint is a scheme, host, port and path",
        ));
    }
    Ok(())
}
