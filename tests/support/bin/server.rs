//! The paginating GetIntegrations server as a program, for benchmarks and manual runs:
//! `apigw-test-server --api-id ID --items N [--apis COUNT] [--quota R/BURST] [--port P]`.
//! `--apis` serves COUNT APIs (`api00000`, ...) of N integrations each; `--quota`
//! throttles as API Gateway does (per access key and region). Prints its URL, then
//! serves until killed; `GET /_counters` returns what it counted.

fn main() {
    let mut api = "bench-api".to_owned();
    let mut items = 5000usize;
    let mut port = 0u16;
    let mut apis = 0usize;
    let mut quota = None;
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
            "--apis" => value.parse().map(|n| apis = n).map_err(|e| e.to_string()),
            "--quota" => match value.split_once('/').map(|(r, b)| (r.parse(), b.parse())) {
                Some((Ok(rate), Ok(burst))) => {
                    quota = Some(apigw_tests::server::Quota { rate, burst });
                    Ok(())
                }
                _ => Err("expected R/BURST".to_owned()),
            },
            other => Err(format!("unknown flag {other}")),
        };
        if let Err(e) = parsed {
            eprintln!("apigw-test-server: {flag}: {e}");
            std::process::exit(2);
        }
    }
    let server = apigw_tests::server::PagingServer::start_on(port);
    if apis == 0 {
        server.add_api(&api, items);
    }
    for i in 0..apis {
        server.add_api(&format!("api{i:05}"), items);
    }
    server.set(|b| b.quota = quota);
    println!("{}", server.url);
    loop {
        std::thread::park();
    }
}
