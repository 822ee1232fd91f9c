//! `get-integrations` over many APIs, regions and profiles at once (see the README's
//! "Fan-out"): one client per (profile, region), adaptive retries by default, the
//! units listed concurrently by [`apigw_client::fanout`], the output merged in
//! (profile, region, ApiId) order and grouped by API, with one resume token.

use apigw_client::fanout::{FanOut, Stopped, Unit, UnitKey};
use apigw_client::{Client, MaxRate, RetryMode, RetryScopes};
use apigw_model::operation::get_apis::{GetApis, GetApisRequest};
use apigw_model::operation::get_integrations::{GetIntegrations, GetIntegrationsRequest};
use apigw_paginator::{PaginationConfig, Paginator};
use apigw_runtime::http::OperationSource;
use futures::StreamExt;
use serde_json::{Map, Value, json};

use crate::listing::Listing;
use crate::{EXIT_FAILURE, EXIT_USAGE, Failure, Global, printer};

/// The fan-out flags of `get-integrations`.
pub struct Plan {
    /// `--api-id a,b,c` (empty with `--all-apis`).
    pub api_ids: Vec<String>,
    /// `--all-apis`.
    pub all_apis: bool,
    /// `--region r1,r2` (one `None`: the configured region).
    pub regions: Vec<Option<String>>,
    /// `--profile p1,p2` (one `None`: the configured profile).
    pub profiles: Vec<Option<String>>,
    /// `--max-concurrency`.
    pub max_concurrency: usize,
    /// `--max-rate`.
    pub max_rate: Option<MaxRate>,
    /// `--keep-going`.
    pub keep_going: bool,
    /// `--page-size`.
    pub page_size: Option<u32>,
    /// `--max-items`.
    pub max_items: Option<u64>,
    /// `--starting-token`.
    pub starting_token: Option<String>,
}

/// A comma-separated flag value as a list (empty entries refused).
pub fn split(flag: &str, value: Option<&str>) -> Result<Vec<Option<String>>, Failure> {
    let Some(value) = value else {
        return Ok(vec![None]);
    };
    let mut out = Vec::new();
    for part in value.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return Err(Failure::new(
                EXIT_USAGE,
                format!("{flag} {value:?}: an empty name in the list"),
            ));
        }
        if !out.contains(&Some(part.to_owned())) {
            out.push(Some(part.to_owned()));
        }
    }
    Ok(out)
}

impl Plan {
    /// What must be the same for a token to resume a run: which APIs, regions and
    /// profiles, and the page size.
    fn fingerprint(&self) -> String {
        let names = |list: &[Option<String>]| {
            list.iter()
                .map(|v| v.as_deref().unwrap_or("(configured)"))
                .collect::<Vec<_>>()
                .join(",")
        };
        let mut apis = self.api_ids.clone();
        apis.sort();
        format!(
            "apis={} regions={} profiles={} page-size={}",
            if self.all_apis {
                "(all)".to_owned()
            } else {
                apis.join(",")
            },
            names(&self.regions),
            names(&self.profiles),
            self.page_size
                .map_or("(default)".to_owned(), |n| n.to_string()),
        )
    }
}

/// The profile's name as the output shows it: the flag, else `AWS_PROFILE`, else
/// `default`.
fn profile_name(profile: Option<&str>) -> String {
    profile
        .map(str::to_owned)
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
        .unwrap_or_else(|| "default".to_owned())
}

/// Runs the fan-out and prints the merged result.
pub async fn run(
    global: &Global,
    plan: Plan,
    mut printer: Box<dyn printer::Printer + '_>,
) -> Result<(), Failure> {
    // One registry for the run: clients of one account and region share their quota
    // and rate limiter, as the service counts them.
    let scopes = RetryScopes::new();
    let mut clients = Vec::new();
    for profile in &plan.profiles {
        for region in &plan.regions {
            let mut builder = crate::client_builder(global, profile.as_deref(), region.as_deref())
                .retry_scopes(scopes.clone())
                .default_retry_mode(RetryMode::Adaptive);
            if let Some(limit) = plan.max_rate {
                builder = builder.max_rate(limit);
            }
            let client = crate::build_client(builder).await?;
            clients.push((profile_name(profile.as_deref()), client));
        }
    }
    let mut units = Vec::new();
    if plan.all_apis {
        let listings = clients.iter().map(|(profile, client)| async move {
            (
                profile,
                client,
                list_apis(client.clone(), plan.page_size).await,
            )
        });
        let listings = futures::stream::iter(listings)
            .buffered(plan.max_concurrency.max(1))
            .collect::<Vec<_>>()
            .await;
        for (profile, client, ids) in listings {
            for id in ids.map_err(|e| Failure::pagination("GetApis", e))? {
                units.push(unit(profile, client, &id)?);
            }
        }
    } else {
        for (profile, client) in &clients {
            for id in &plan.api_ids {
                units.push(unit(profile, client, id)?);
            }
        }
    }
    let fan_out = FanOut {
        max_concurrency: plan.max_concurrency,
        page_size: plan.page_size,
        max_items: plan.max_items,
        keep_going: plan.keep_going,
        starting_token: plan.starting_token.clone(),
        fingerprint: plan.fingerprint(),
    };
    let interrupt = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    let result = fan_out
        .run::<Listing<GetIntegrations>>(units, interrupt)
        .await
        .map_err(|e| Failure::new(EXIT_FAILURE, e.to_string()))?;
    let mut apis = Vec::new();
    let mut failures = Vec::new();
    let mut first_failure = None;
    for unit in result.units {
        let (key, items, error) = unit.into_parts();
        let failed = error.is_some();
        if let Some(e) = error {
            let failure = Failure::pagination("GetIntegrations", e);
            failures.push(json!({
                "Profile": key.profile, "Region": key.region, "ApiId": key.id,
                "Error": failure.message,
            }));
            first_failure.get_or_insert(failure);
        }
        if !failed || !items.is_empty() {
            apis.push(json!({
                "Profile": key.profile, "Region": key.region, "ApiId": key.id,
                "Items": Value::Array(items),
            }));
        }
    }
    let mut out = Map::new();
    out.insert("Apis".to_owned(), Value::Array(apis));
    if !failures.is_empty() {
        out.insert("Failures".to_owned(), Value::Array(failures.clone()));
    }
    if let Some(token) = &result.next_token {
        out.insert("NextToken".to_owned(), Value::String(token.clone()));
    }
    printer.response(Value::Object(out))?;
    let resume = |mut failure: Failure| {
        if let Some(token) = &result.next_token {
            failure.message.push_str(&format!(
                "\nThe listing stopped early; to resume after the last item printed, with the same flags, run again with: --starting-token {token}"
            ));
        }
        failure
    };
    match result.stopped {
        Some(Stopped::Interrupted) => Err(resume(Failure::new(130, "Interrupted."))),
        Some(Stopped::Failure) => {
            Err(resume(first_failure.unwrap_or_else(|| {
                Failure::new(EXIT_FAILURE, "a unit failed")
            })))
        }
        _ => match first_failure {
            // --keep-going: the rest was listed; the failures are in the output.
            Some(mut failure) => {
                failure.message = format!(
                    "{} of the listed APIs failed (see Failures in the output); the first: {}",
                    failures.len(),
                    failure.message
                );
                Err(failure)
            }
            None => Ok(()),
        },
    }
}

fn unit(
    profile: &str,
    client: &Client,
    api_id: &str,
) -> Result<Unit<GetIntegrationsRequest>, Failure> {
    Ok(Unit {
        key: UnitKey::new(profile, client.region(), api_id),
        client: client.clone(),
        input: GetIntegrationsRequest::builder()
            .api_id(api_id)
            .build()
            .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?,
    })
}

/// Every ApiId of the client's account and region (GetApis, every page).
async fn list_apis(
    client: Client,
    page_size: Option<u32>,
) -> Result<
    Vec<String>,
    apigw_paginator::PaginationError<
        apigw_runtime::http::SdkError<apigw_model::operation::get_apis::GetApisError>,
    >,
> {
    let config = PaginationConfig {
        page_size,
        ..Default::default()
    };
    let source = OperationSource::<Client, GetApis>::new(client);
    let mut items =
        Paginator::<GetApis, _>::new(source, GetApisRequest::default(), config)?.items();
    let mut ids = Vec::new();
    while let Some(api) = items.next().await {
        if let Some(id) = api?.api_id {
            ids.push(id);
        }
    }
    Ok(ids)
}
