//! The project-local Python environment (`.venv`, made by `cargo xtask test` from
//! `tests/requirements.txt`) and the moto server from it.

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::workspace_root;

/// A program from the project's virtualenv (`APIGW_TEST_VENV`, else `.venv`). Under
/// `CI=true` a missing one fails the test; elsewhere the test is told to stop early.
pub fn venv_program(name: &str) -> Option<PathBuf> {
    let venv = std::env::var_os("APIGW_TEST_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(".venv"));
    let path = venv.join("bin").join(name);
    if path.is_file() {
        return Some(path);
    }
    crate::missing_input(&format!(
        "{} is missing: run `cargo xtask test` (it creates .venv from tests/requirements.txt)",
        path.display()
    ))
}

/// AWS CLI v2 (Debian's `awscli` package, which `cargo xtask test` installs):
/// `APIGW_TEST_AWS_V2`, else `/usr/bin/aws`. Under `CI=true` a missing one fails the
/// test; elsewhere the test is told to stop early. A program there that is not 2.9.x
/// fails the test loudly: the comparisons are pinned to that release's output.
pub fn aws_cli_v2() -> Option<PathBuf> {
    let path = std::env::var_os("APIGW_TEST_AWS_V2")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/aws"));
    if !path.is_file() {
        return crate::missing_input(&format!(
            "AWS CLI v2 is missing at {}: run `cargo xtask test` (it installs Debian's awscli)",
            path.display()
        ));
    }
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let version = VERSION.get_or_init(|| {
        let out = Command::new(&path)
            .arg("--version")
            .output()
            .unwrap_or_else(|e| panic!("{} --version: {e}", path.display()));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    });
    assert!(
        version.starts_with(xtask::test::AWS_CLI_V2_RELEASE),
        "{} is `{version}`, not {}x (Debian's awscli): the tests compare with that release only",
        path.display(),
        xtask::test::AWS_CLI_V2_RELEASE
    );
    Some(path)
}

/// A free TCP port on 127.0.0.1 (free now; another process may take it before it is
/// used, so a server started on it must be checked, see [`Moto::start`]).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

/// A port on 127.0.0.1 that refuses connections for as long as the value lives: the
/// socket is bound (so no other process can take the port) but never listens.
pub struct Refusing {
    _socket: socket2::Socket,
    /// The port.
    pub port: u16,
}

impl Refusing {
    /// Binds a new socket to a free port without listening.
    pub fn new() -> Self {
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None)
            .expect("a TCP socket");
        let any: std::net::SocketAddr = "127.0.0.1:0".parse().expect("an address");
        socket.bind(&any.into()).expect("bind 127.0.0.1");
        let port = socket
            .local_addr()
            .ok()
            .and_then(|a| a.as_socket())
            .map(|a| a.port())
            .expect("a bound port");
        Self {
            _socket: socket,
            port,
        }
    }
}

impl Default for Refusing {
    fn default() -> Self {
        Self::new()
    }
}

/// Waits until something accepts connections on `port`.
pub fn wait_for_port(port: u16, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A moto server on 127.0.0.1, stopped when dropped.
pub struct Moto {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
}

impl Moto {
    /// Starts moto from the virtualenv, or `None` (outside CI) when it is not installed.
    /// The port is chosen free, then moto binds it: if another process took it in
    /// between, moto exits (or something else answers), so the server is checked to be
    /// our moto (alive, answering the API Gateway V2 API) and started again otherwise.
    pub fn start() -> Option<Self> {
        let program = venv_program("moto_server")?;
        for _ in 0..3 {
            let port = free_port();
            let child = Command::new(&program)
                .args(["-H", "127.0.0.1", "-p", &port.to_string()])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("moto_server starts");
            let mut moto = Self {
                child,
                url: format!("http://127.0.0.1:{port}"),
            };
            if moto.ready(port, Duration::from_secs(60)) {
                return Some(moto);
            }
        }
        panic!("moto did not start on a free port in three tries");
    }

    /// Waits until our child answers `GET /v2/apis` with an API Gateway V2 listing.
    fn ready(&mut self, port: u16, timeout: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return false; // moto exited: the port was taken
            }
            if wait_for_port(port, Duration::from_millis(200)) && answers_as_moto(port) {
                return true;
            }
        }
        false
    }
}

/// Whether the server on `port` answers `GET /v2/apis` with `{"items": [...]}`.
fn answers_as_moto(port: u16) -> bool {
    use std::io::{Read as _, Write as _};
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "GET /v2/apis HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\
         Authorization: AWS4-HMAC-SHA256 Credential={}/20260101/us-east-1/apigateway/aws4_request\r\n\r\n",
        crate::server::ACCESS_KEY
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.starts_with("HTTP/1.1 200") && response.contains("\"items\"")
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Variables a machine may set that would change what the tools under test do (trust,
/// endpoint, profile, output); tests remove them and decide for themselves. (The AWS
/// CLI refuses an empty `AWS_CA_BUNDLE`, so it must be removed, not blanked.)
pub const INHERITED_UNSET: &[&str] = &[
    "AWS_CA_BUNDLE",
    "REQUESTS_CA_BUNDLE",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_APIGATEWAYV2",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_DEFAULT_OUTPUT",
    "AWS_CLI_AUTO_PROMPT",
];

/// Gives a command the test environment: [`test_env`] set, [`INHERITED_UNSET`] removed.
pub trait TestEnv {
    /// See the trait.
    fn test_env(&mut self) -> &mut Self;
}

impl TestEnv for Command {
    fn test_env(&mut self) -> &mut Self {
        for name in INHERITED_UNSET {
            self.env_remove(name);
        }
        self.envs(test_env())
    }
}

/// Environment for tools talking to local servers: fixed test credentials and region,
/// no shared config files.
pub fn test_env() -> Vec<(&'static str, String)> {
    vec![
        ("AWS_ACCESS_KEY_ID", crate::server::ACCESS_KEY.to_owned()),
        (
            "AWS_SECRET_ACCESS_KEY",
            crate::server::SECRET_KEY.to_owned(),
        ),
        ("AWS_DEFAULT_REGION", "us-east-1".to_owned()),
        ("AWS_REGION", "us-east-1".to_owned()),
        (
            "AWS_CONFIG_FILE",
            "/nonexistent/apigw-test-config".to_owned(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/apigw-test-credentials".to_owned(),
        ),
        ("AWS_EC2_METADATA_DISABLED", "true".to_owned()),
        ("AWS_PAGER", String::new()),
        ("AWS_MAX_ATTEMPTS", "3".to_owned()),
        ("AWS_RETRY_MODE", "standard".to_owned()),
    ]
}

/// Runs a Python script with the virtualenv's interpreter; returns stdout.
pub fn run_python(script: &str, args: &[&str]) -> Option<String> {
    let python = venv_program("python")?;
    let output = Command::new(python)
        .arg("-c")
        .arg(script)
        .args(args)
        .test_env()
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(String::from_utf8(output.stdout).expect("python prints UTF-8"))
}

/// Creates an HTTP API with `count` integrations of mixed types and settings through
/// boto3 against `url`; returns the API id.
pub fn create_integrations(url: &str, count: usize) -> Option<String> {
    const SCRIPT: &str = r#"
import sys
import boto3

url, count = sys.argv[1], int(sys.argv[2])
client = boto3.client("apigatewayv2", endpoint_url=url)
api = client.create_api(Name="apigw-tests", ProtocolType="HTTP")["ApiId"]
types = ["AWS", "HTTP", "MOCK", "HTTP_PROXY", "AWS_PROXY"]
for i in range(count):
    kind = types[i % len(types)]
    args = {"ApiId": api, "IntegrationType": kind, "Description": "integration %d: caf\u00e9 \u65e5\u672c" % i}
    if kind != "MOCK":
        args["IntegrationUri"] = "https://backend-%d.example.com/orders/{id}" % (i % 7)
        args["IntegrationMethod"] = ["GET", "POST", "PUT", "DELETE"][i % 4]
    if i % 2 == 0:
        args["PayloadFormatVersion"] = "1.0" if i % 4 == 0 else "2.0"
    if i % 3 == 0:
        args["TimeoutInMillis"] = 50 + i * 37
    if i % 4 == 1:
        args["RequestParameters"] = {"append:header.x-index": "'%d'" % i, "overwrite:path": "$request.path"}
    if i % 5 == 2:
        args["RequestTemplates"] = {"application/json": '{"index": %d, "body": $input.json("$")}' % i}
    if i % 6 == 3:
        args["ResponseParameters"] = {"404": {"overwrite:statuscode": "410"}, "500": {"append:header.x-error": "true"}}
    if i % 7 == 4:
        args["TlsConfig"] = {"ServerNameToVerify": "tls-%d.example.com" % i}
    if i % 8 == 5:
        args["ConnectionType"] = "VPC_LINK"
        args["ConnectionId"] = "vpclink-%04d" % i
    if i % 9 == 6:
        args["ContentHandlingStrategy"] = "CONVERT_TO_TEXT" if i % 2 else "CONVERT_TO_BINARY"
    if i % 10 == 7:
        args["PassthroughBehavior"] = ["WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"][i % 3]
    if i % 11 == 8:
        args["CredentialsArn"] = "arn:aws:iam::123456789012:role/integration-%d" % i
        args["TemplateSelectionExpression"] = "$request.body.action"
    client.create_integration(**args)
print(api)
"#;
    let out = run_python(SCRIPT, &[url, &count.to_string()])?;
    Some(out.trim().to_owned())
}

/// boto3's `get_paginator('get_integrations').paginate(...).build_full_result()`
/// for `api` at `url`, as JSON (datetimes as strings), without `ResponseMetadata`.
pub fn boto3_full_result(url: &str, api: &str) -> Option<serde_json::Value> {
    const SCRIPT: &str = r#"
import json, sys
import boto3

client = boto3.client("apigatewayv2", endpoint_url=sys.argv[1])
result = client.get_paginator("get_integrations").paginate(ApiId=sys.argv[2]).build_full_result()
result.pop("ResponseMetadata", None)
print(json.dumps(result, default=str))
"#;
    let out = run_python(SCRIPT, &[url, api])?;
    Some(serde_json::from_str(&out).expect("boto3 prints JSON"))
}

/// boto3's `PageIterator.search(expression)` over GetIntegrations of `api` at `url`,
/// with `PaginationConfig` from `page_size` and `max_items`: the results as a list.
pub fn boto3_search(
    url: &str,
    api: &str,
    expression: &str,
    page_size: Option<u32>,
    max_items: Option<u64>,
) -> Option<Vec<serde_json::Value>> {
    const SCRIPT: &str = r#"
import json, sys
import boto3

url, api, expression, page_size, max_items = sys.argv[1:6]
config = {}
if page_size:
    config["PageSize"] = int(page_size)
if max_items:
    config["MaxItems"] = int(max_items)
client = boto3.client("apigatewayv2", endpoint_url=url)
pages = client.get_paginator("get_integrations").paginate(ApiId=api, PaginationConfig=config)
print(json.dumps(list(pages.search(expression)), default=str))
"#;
    let page_size = page_size.map(|n| n.to_string()).unwrap_or_default();
    let max_items = max_items.map(|n| n.to_string()).unwrap_or_default();
    let out = run_python(SCRIPT, &[url, api, expression, &page_size, &max_items])?;
    Some(serde_json::from_str(&out).expect("boto3 prints JSON"))
}
