//! The paginating GetIntegrations server as a program, for benchmarks and manual runs:
//! `apigw-test-server --api-id ID --items N [--port P]`. Prints its URL, then serves
//! until killed.

fn main() {
    let mut api = "bench-api".to_owned();
    let mut items = 5000usize;
    let mut port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        let parsed = match flag.as_str() {
            "--api-id" => {
                api = value;
                Ok(())
            }
            "--items" => value.parse().map(|n| items = n).map_err(|e| e.to_string()),
            "--port" => value.parse().map(|p| port = p).map_err(|e| e.to_string()),
            other => Err(format!("unknown flag {other}")),
        };
        if let Err(e) = parsed {
            eprintln!("apigw-test-server: {flag}: {e}");
            std::process::exit(2);
        }
    }
    let server = apigw_tests::server::PagingServer::start_on(port);
    server.add_api(&api, items);
    println!("{}", server.url);
    loop {
        std::thread::park();
    }
}
