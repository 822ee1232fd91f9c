//! `apigw`: `aws apigatewayv2` commands with the AWS CLI's flags, pagination, output
//! and resume tokens (interchangeable with `aws` in both directions).
//!
//! Exit codes, as AWS CLI v2 gives them: 0 success; 252 the command line is wrong (a
//! flag, a `--query`, `--cli-input-json`); 253 the configuration is incomplete (no
//! region, no credentials); 254 the service returned an error; 255 any other failure
//! (connection, malformed response, pagination, a profile that does not exist).

mod ambiguous;
mod debug;
mod fanout;
mod input;
mod listing;
mod output;
mod pager;
mod printer;
mod progress;
mod query;
mod yaml;

use std::io::{self, Write};
use std::process::ExitCode;
use std::time::Duration;

use apigw_client::Client;
use apigw_model::operation::get_integrations::{GetIntegrations, GetIntegrationsRequest};
use apigw_paginator::{Paginated, PaginationConfig, PaginationError, Paginator};
use apigw_runtime::botocore::{Botocore, BotocoreSerialize};
use apigw_runtime::http::{
    HttpOperation, JsonResultList, OperationError, OperationSource, SdkError,
};
use clap::{CommandFactory, Parser, Subcommand};
use futures::StreamExt;
use serde_json::{Map, Value};

use crate::listing::Listing;
use crate::output::Format;
use crate::pager::Sink;

const EXIT_USAGE: u8 = 252;
const EXIT_CONFIG: u8 = 253;
const EXIT_SERVICE_ERROR: u8 = 254;
const EXIT_FAILURE: u8 = 255;

/// AWS CLI v2's lines for configuration that is missing.
const NO_REGION: &str =
    "You must specify a region. You can also configure your region by running \"aws configure\".";
const NO_CREDENTIALS: &str =
    "Unable to locate credentials. You can configure credentials by running \"aws configure\".";

#[derive(Parser)]
#[command(
    name = "apigw",
    version,
    about = "AWS API Gateway V2 from the command line: the flags, pagination and output of `aws apigatewayv2`."
)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

/// Options every command takes, before or after the command name.
#[derive(clap::Args)]
struct Global {
    /// Send requests to this URL instead of the region's endpoint (else
    /// AWS_ENDPOINT_URL_APIGATEWAYV2, AWS_ENDPOINT_URL, the profile's endpoint_url).
    #[arg(long, global = true, value_name = "URL")]
    endpoint_url: Option<String>,
    /// The region (else AWS_REGION, AWS_DEFAULT_REGION, the profile).
    #[arg(long, global = true, value_name = "REGION")]
    region: Option<String>,
    /// A profile from the shared config and credentials files (else AWS_PROFILE).
    #[arg(long, global = true, value_name = "PROFILE")]
    profile: Option<String>,
    /// Output format (else AWS_DEFAULT_OUTPUT, else the profile's output, else json).
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    output: Option<Format>,
    /// Log each request and response (method, URL, status, headers, timings, retries)
    /// on stderr, secrets redacted.
    #[arg(long, global = true)]
    debug: bool,
    /// Do not send output through the pager set by AWS_PAGER or the profile's cli_pager.
    #[arg(long, global = true)]
    no_cli_pager: bool,
    /// Do not sign requests (no credentials are loaded).
    #[arg(long, global = true)]
    no_sign_request: bool,
    /// Seconds to wait for a connection (default 60; 0: no timeout).
    #[arg(long, global = true, value_name = "SECONDS")]
    cli_connect_timeout: Option<u64>,
    /// Seconds to wait for data once connected (default 60; 0: no timeout).
    #[arg(long, global = true, value_name = "SECONDS")]
    cli_read_timeout: Option<u64>,
    /// A JMESPath expression applied to the output (as the AWS CLI applies it).
    #[arg(long, global = true, value_name = "JMESPATH")]
    query: Option<String>,
    /// Attempts per request, the first included (else AWS_MAX_ATTEMPTS, else the
    /// profile's max_attempts, else 3; legacy retry mode 5).
    #[arg(long, global = true, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    max_attempts: Option<u32>,
}

#[derive(Subcommand)]
enum Command {
    /// Gets the integrations of an API (every page, unless --no-paginate).
    GetIntegrations(GetIntegrationsArgs),
    /// Prints a shell completion script (e.g. `source <(apigw completion bash)`).
    Completion {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

#[derive(clap::Args)]
struct GetIntegrationsArgs {
    /// The API identifier; several, comma-separated, list each (a fan-out).
    #[arg(long, value_name = "ID[,ID...]",
          required_unless_present_any = ["cli_input_json", "generate_cli_skeleton", "all_apis"])]
    api_id: Option<String>,
    /// List the integrations of every API (GetApis) of each region and profile.
    #[arg(long, conflicts_with_all = ["api_id", "cli_input_json", "generate_cli_skeleton"])]
    all_apis: bool,
    /// Fan-out: APIs listed at once (default 4).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1024))]
    max_concurrency: Option<u32>,
    /// Fan-out: at most R requests per second per profile and region, in bursts of at
    /// most BURST (default R).
    #[arg(long, value_name = "R[/BURST]", value_parser = apigw_client::MaxRate::parse)]
    max_rate: Option<apigw_client::MaxRate>,
    /// Fan-out: an API that fails is reported (under Failures) and the others are
    /// still listed.
    #[arg(long)]
    keep_going: bool,
    /// The input as JSON (inline, or file://PATH); flags given as well win. MaxResults
    /// or NextToken in it turn pagination off, as in the AWS CLI.
    #[arg(long, value_name = "JSON")]
    cli_input_json: Option<String>,
    /// Print the input skeleton for --cli-input-json and exit.
    #[arg(long, value_name = "TYPE", num_args = 0..=1, default_missing_value = "input",
          value_parser = ["input"])]
    generate_cli_skeleton: Option<String>,
    #[command(flatten)]
    pages: PageArgs,
}

/// The AWS CLI's pagination flags.
#[derive(clap::Args)]
struct PageArgs {
    /// The total number of items to return; when more exist, NextToken holds a token
    /// to resume with.
    #[arg(long, value_name = "N")]
    max_items: Option<u64>,
    /// The number of items per request (sent on every request).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    page_size: Option<u32>,
    /// Where to start: the NextToken of an earlier `apigw` or `aws` run.
    #[arg(long, value_name = "TOKEN")]
    starting_token: Option<String>,
    /// Make one request and print its response as is.
    #[arg(long)]
    no_paginate: bool,
}

/// A failure to report: one line and an exit code.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn new(code: u8, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    fn sdk<E: OperationError>(operation: &str, error: SdkError<E>) -> Self {
        match error {
            // Not the service's own error (a proxy, a wrong endpoint, a hostile server):
            // printed as botocore names a code-less error, with the 255 of a failure.
            SdkError::Redirect { status } => Self::new(
                EXIT_FAILURE,
                format!(
                    "An error occurred ({status}) when calling the {operation} operation: {} (redirects are not followed)",
                    http_reason(status)
                ),
            ),
            SdkError::Service { error, .. } => Self::new(
                EXIT_SERVICE_ERROR,
                format!(
                    "An error occurred ({}) when calling the {operation} operation: {}",
                    error.code(),
                    error.message().unwrap_or("Unknown")
                ),
            ),
            SdkError::NoCredentials => Self::new(EXIT_CONFIG, NO_CREDENTIALS),
            SdkError::Credentials(message) => Self::new(EXIT_CONFIG, message),
            other => Self::new(EXIT_FAILURE, other.to_string()),
        }
    }

    fn pagination<E: OperationError>(operation: &str, error: PaginationError<SdkError<E>>) -> Self {
        match error {
            PaginationError::Source(e) => Self::sdk(operation, e),
            other => Self::new(EXIT_FAILURE, other.to_string()),
        }
    }
}

/// The reason phrase of an HTTP status, as Python's `http.client.responses` has it.
fn http_reason(status: u16) -> &'static str {
    apigw_runtime::http::http::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Unknown")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // --help and --version are not errors; everything else clap refuses is a
            // wrong command line: AWS CLI v2's 252.
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(EXIT_FAILURE);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// `--output`, else `AWS_DEFAULT_OUTPUT`, else the profile's `output`, else json.
async fn output_format(global: &Global) -> Result<Format, Failure> {
    if let Some(f) = global.output {
        return Ok(f);
    }
    let configured = match std::env::var("AWS_DEFAULT_OUTPUT")
        .ok()
        .filter(|v| !v.is_empty())
    {
        Some(v) => Some(v),
        None => apigw_client::profile_setting(global.profile.as_deref(), "output")
            .await
            .filter(|v| !v.is_empty()),
    };
    match configured {
        None => Ok(Format::Json),
        Some(name) => <Format as clap::ValueEnum>::from_str(&name, false)
            .map_err(|_| Failure::new(EXIT_FAILURE, format!("Unknown output type: {name}"))),
    }
}

/// The pager for this run, if any (see the `pager` module).
async fn pager_command(global: &Global) -> Option<String> {
    let env = std::env::var("AWS_PAGER").ok();
    let profile = if global.no_cli_pager || env.is_some() {
        None
    } else {
        apigw_client::profile_setting(global.profile.as_deref(), "cli_pager").await
    };
    pager::choose(global.no_cli_pager, env, profile)
}

async fn client(global: &Global) -> Result<Client, Failure> {
    build_client(client_builder(
        global,
        global.profile.as_deref(),
        global.region.as_deref(),
    ))
    .await
}

/// A client builder from the global flags, for `profile` and `region`.
fn client_builder(
    global: &Global,
    profile: Option<&str>,
    region: Option<&str>,
) -> apigw_client::ClientBuilder {
    let mut builder = Client::builder();
    if let Some(url) = &global.endpoint_url {
        builder = builder.endpoint_url(url);
    }
    if let Some(region) = region {
        builder = builder.region(region);
    }
    if let Some(profile) = profile {
        builder = builder.profile(profile);
    }
    if global.no_sign_request {
        builder = builder.anonymous();
    }
    if let Some(s) = global.cli_connect_timeout {
        builder = builder.connect_timeout(Duration::from_secs(s));
    }
    if let Some(s) = global.cli_read_timeout {
        builder = builder.read_timeout(Duration::from_secs(s));
    }
    if let Some(n) = global.max_attempts {
        builder = builder.max_attempts(n);
    }
    if global.debug {
        builder = debug::hooks(builder);
    }
    builder
}

/// Builds a client; configuration problems as the AWS CLI reports them.
async fn build_client(builder: apigw_client::ClientBuilder) -> Result<Client, Failure> {
    builder.build().await.map_err(|e| match e {
        apigw_client::ConfigError::NoRegion => Failure::new(EXIT_CONFIG, NO_REGION),
        other => Failure::new(EXIT_FAILURE, other.to_string()),
    })
}

async fn run(cli: Cli) -> Result<(), Failure> {
    let args = match cli.command {
        Command::Completion { shell } => {
            let mut command = Cli::command();
            let mut out = io::stdout().lock();
            clap_complete::generate(shell, &mut command, "apigw", &mut out);
            return out
                .flush()
                .map_err(|e| Failure::new(EXIT_FAILURE, format!("cannot write the output: {e}")));
        }
        Command::GetIntegrations(args) => args,
    };
    let global = &cli.global;
    let format = output_format(global).await?;
    if global.debug {
        debug::preamble(format, global.query.as_deref());
    }
    let query = global
        .query
        .as_deref()
        .map(query::Query::new)
        .transpose()
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?;
    let mut sink = Sink::new(pager_command(global).await);
    let result = get_integrations(global, args, format, query.as_ref(), &mut sink).await;
    sink.finish();
    result
}

/// `get-integrations`: the input from the flags and `--cli-input-json`, then the listing.
async fn get_integrations(
    global: &Global,
    mut args: GetIntegrationsArgs,
    format: Format,
    query: Option<&query::Query>,
    sink: &mut Sink,
) -> Result<(), Failure> {
    let all_set = GetIntegrationsRequest::builder()
        .api_id("")
        .max_results("")
        .next_token("")
        .build()
        .map_err(|e| Failure::new(EXIT_FAILURE, e.to_string()))?;
    let members = input::members(&all_set);
    if args.generate_cli_skeleton.is_some() {
        return printer::write_out(sink, Format::Json, "", &input::skeleton(&members));
    }
    if let Some(plan) = fan_out_plan(global, &args)? {
        let printer = printer::for_format(printer::Output {
            sink,
            format,
            operation: "GetIntegrations",
            query,
            result_key: "Apis",
        });
        return fanout::run(global, plan, printer).await;
    }
    let json = match &args.cli_input_json {
        Some(text) => input::read(text, &members).map_err(|e| Failure::new(EXIT_USAGE, e))?,
        None => serde_json::Map::new(),
    };
    let Some(api_id) = args.api_id.take().or_else(|| input::string(&json, "ApiId")) else {
        return Err(Failure::new(
            EXIT_USAGE,
            "Missing required parameter in input: \"ApiId\"",
        ));
    };
    let max_results = input::string(&json, "MaxResults");
    let next_token = input::string(&json, "NextToken");
    // The operation's own paging members in the input turn pagination off, as the AWS
    // CLI does: one request with exactly those members.
    if max_results.is_some() || next_token.is_some() {
        args.pages.no_paginate = true;
    }
    let input = GetIntegrationsRequest::builder()
        .api_id(api_id)
        .set_max_results(max_results)
        .set_next_token(next_token)
        .build()
        .map_err(|e| Failure::new(EXIT_USAGE, e.to_string()))?;
    let pages = &args.pages;
    if pages.no_paginate {
        check_no_paging_flags(pages)?;
    }
    let client = client(global).await?;
    list::<GetIntegrations>(client, input, pages, format, query, sink).await
}

/// The fan-out to run, when the flags ask for one: several APIs (`--api-id a,b` or
/// `--all-apis`), regions or profiles, or a fan-out setting.
fn fan_out_plan(
    global: &Global,
    args: &GetIntegrationsArgs,
) -> Result<Option<fanout::Plan>, Failure> {
    let regions = fanout::split("--region", global.region.as_deref())?;
    let profiles = fanout::split("--profile", global.profile.as_deref())?;
    let api_ids: Vec<String> = fanout::split("--api-id", args.api_id.as_deref())?
        .into_iter()
        .flatten()
        .collect();
    let fanning = args.all_apis
        || api_ids.len() > 1
        || regions.len() > 1
        || profiles.len() > 1
        || args.max_concurrency.is_some()
        || args.max_rate.is_some()
        || args.keep_going;
    if !fanning {
        return Ok(None);
    }
    if args.cli_input_json.is_some() || args.pages.no_paginate {
        return Err(Failure::new(
            EXIT_USAGE,
            "--cli-input-json and --no-paginate list one API: they cannot be combined with several APIs, regions or profiles, --all-apis, --max-concurrency, --max-rate or --keep-going",
        ));
    }
    Ok(Some(fanout::Plan {
        api_ids,
        all_apis: args.all_apis,
        regions,
        profiles,
        max_concurrency: args
            .max_concurrency
            .map_or(apigw_client::fanout::DEFAULT_MAX_CONCURRENCY, |n| {
                n as usize
            }),
        max_rate: args.max_rate,
        keep_going: args.keep_going,
        page_size: args.pages.page_size,
        max_items: args.pages.max_items,
        starting_token: args.pages.starting_token.clone(),
    }))
}

/// `--no-paginate` (or paging members in `--cli-input-json`) with a paging flag.
fn check_no_paging_flags(args: &PageArgs) -> Result<(), Failure> {
    let mut used = Vec::new();
    if args.starting_token.is_some() {
        used.push("--starting-token");
    }
    if args.page_size.is_some() {
        used.push("--page-size");
    }
    if args.max_items.is_some() {
        used.push("--max-items");
    }
    if used.is_empty() {
        return Ok(());
    }
    Err(Failure::new(
        EXIT_USAGE,
        format!(
            "Cannot specify --no-paginate along with pagination arguments: {}",
            used.join(", ")
        ),
    ))
}

/// The botocore view of a value.
fn to_value<T: BotocoreSerialize + ?Sized>(value: &T) -> Result<Value, Failure> {
    serde_json::to_value(Botocore(value))
        .map_err(|e| Failure::new(EXIT_FAILURE, format!("cannot render the response: {e}")))
}

/// Takes the value at a dotted member path out of `value` (botocore's result-key
/// search), leaving nothing behind: the result list is moved, never copied.
fn take_path(value: &mut Value, path: &str) -> Option<Value> {
    let keys: Vec<&str> = path.split('.').collect();
    let (parent, last) = listing::parent_of(value, &keys)?;
    parent.shift_remove(last).filter(|v| !v.is_null())
}

/// Sets the value at a dotted member path, creating objects on the way.
fn set_path(target: &mut Map<String, Value>, path: &str, value: Value) {
    let mut keys = path.split('.').peekable();
    let mut current = target;
    while let Some(key) = keys.next() {
        if keys.peek().is_none() {
            current.insert(key.to_owned(), value);
            return;
        }
        let entry = current
            .entry(key.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        current = next;
    }
}

/// A whole page (or response) in botocore form, its result list back in place.
fn page_value<Op>(page: listing::Page<<Op as HttpOperation>::Output>) -> Result<Value, Failure>
where
    Op: Paginated + HttpOperation,
    <Op as HttpOperation>::Output: BotocoreSerialize,
{
    let mut value = to_value(&page.page)?;
    if let (Some(items), Value::Object(map)) = (page.items, &mut value) {
        // Back where the typed page left its (emptied) list, in model order.
        set_path(map, <Op as Paginated>::RESULT_KEY, Value::Array(items));
    }
    Ok(value)
}

/// Lists with an operation's paginator (or makes one call with `--no-paginate`) and
/// prints what the AWS CLI prints.
async fn list<Op>(
    client: Client,
    input: <Op as HttpOperation>::Input,
    args: &PageArgs,
    format: Format,
    query: Option<&query::Query>,
    sink: &mut Sink,
) -> Result<(), Failure>
where
    Op: JsonResultList
        + Paginated<Input = <Op as HttpOperation>::Input, Output = <Op as HttpOperation>::Output>,
    <Op as HttpOperation>::Output: BotocoreSerialize,
    <Op as Paginated>::Item: serde::de::DeserializeOwned + BotocoreSerialize,
{
    let operation = <Op as HttpOperation>::NAME;
    let result_key = <Op as Paginated>::RESULT_KEY;
    let mut printer = printer::for_format(printer::Output {
        sink,
        format,
        operation,
        query,
        result_key,
    });
    // The caller has refused --no-paginate with paging flags (before building a client).
    if args.no_paginate {
        let response = apigw_runtime::http::HttpClient::send::<Listing<Op>>(&client, input)
            .await
            .map_err(|e| Failure::sdk(operation, e))?;
        return printer.response(page_value::<Op>(response)?);
    }
    if args.max_items == Some(0) {
        eprintln!("warning: Non-positive values for --max-items may result in undefined behavior.");
    }
    let config = PaginationConfig {
        max_items: args.max_items,
        page_size: args.page_size,
        starting_token: args.starting_token.clone(),
    };
    let source = OperationSource::<Client, Listing<Op>>::new(client);
    let mut pages = Paginator::<Listing<Op>, _>::new(source, input, config)
        .map_err(|e| Failure::pagination(operation, e))?
        .pages();
    let progress = progress::Progress::start();
    let mut received_any = false;
    let mut failure = None;
    while let Some(page) = pages.next().await {
        let page = match page {
            Ok(page) => page,
            Err(e) => {
                failure = Some(Failure::pagination(operation, e));
                break;
            }
        };
        received_any = true;
        let view = if printer.whole_pages() {
            progress.add(page.items.as_ref().map_or(0, Vec::len));
            printer::PageView::Whole(page_value::<Op>(page)?)
        } else {
            let found = match page.items {
                Some(items) => Some(Value::Array(items)),
                None => take_path(&mut to_value(&page.page)?, result_key),
            };
            progress.add(found.as_ref().and_then(Value::as_array).map_or(0, Vec::len));
            printer::PageView::List(found)
        };
        printer.page(view, &progress)?;
    }
    progress.finish();
    let resume = pages.resume_token();
    // After a failure, what was received is still printed (with the token that resumes
    // after it, as for --max-items), so that a second run with that token lists exactly
    // the rest. A failure before anything arrived prints nothing on stdout.
    if failure.is_none() || received_any {
        printer.finish(resume.as_deref())?;
    }
    match failure {
        None => Ok(()),
        Some(mut failure) => {
            let starting = args.starting_token.is_some();
            if let Some(token) = resume.filter(|_| received_any || starting) {
                failure.message.push_str(&format!(
                    "\nThe listing stopped early; to resume after the last item printed, run again with: --starting-token {token}"
                ));
            }
            Err(failure)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn result_paths_are_searched_and_set_like_botocore() {
        let mut page = json!({"Items": [1], "Deep": {"List": [2]}, "Gone": null});
        assert_eq!(take_path(&mut page, "Items"), Some(json!([1])));
        assert_eq!(take_path(&mut page, "Deep.List"), Some(json!([2])));
        assert_eq!(take_path(&mut page, "Gone"), None);
        assert_eq!(take_path(&mut page, "Missing.X"), None);
        assert_eq!(page, json!({"Deep": {}}), "taken, not copied");
        let mut m = Map::new();
        set_path(&mut m, "Deep.List", json!([3]));
        assert_eq!(Value::Object(m), json!({"Deep": {"List": [3]}}));
    }

    #[test]
    fn flags_parse_like_the_aws_cli() {
        let cli = Cli::try_parse_from([
            "apigw",
            "--region",
            "eu-west-1",
            "get-integrations",
            "--api-id",
            "a1",
            "--max-items",
            "5",
            "--output",
            "text",
        ])
        .unwrap();
        assert_eq!(cli.global.region.as_deref(), Some("eu-west-1"));
        assert_eq!(cli.global.output, Some(Format::Text));
        let Command::GetIntegrations(args) = cli.command else {
            panic!("get-integrations parses as get-integrations")
        };
        assert_eq!(args.pages.max_items, Some(5));
        assert!(
            Cli::try_parse_from(["apigw", "get-integrations"]).is_err(),
            "--api-id is required"
        );
        assert!(
            Cli::try_parse_from([
                "apigw",
                "get-integrations",
                "--api-id",
                "a",
                "--page-size",
                "0"
            ])
            .is_err()
        );
        assert!(
            Cli::try_parse_from([
                "apigw",
                "get-integrations",
                "--api-id",
                "a",
                "--max-items",
                "x"
            ])
            .is_err()
        );
    }
}
