//! Prints the endpoint `apigw-client` resolves for ApiGatewayV2 from this process's
//! environment and shared config files (or the configuration error), without sending
//! anything. The endpoint-precedence tests run it with the variables of each case, since
//! a test cannot change its own environment safely.

use apigw_runtime::http::HttpOperation;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut builder = apigw_client::Client::builder().anonymous();
    if let Some(url) = std::env::args().nth(1) {
        builder = builder.endpoint_url(url);
    }
    let service =
        <apigw_model::operation::get_integrations::GetIntegrations as HttpOperation>::SERVICE;
    match builder.build().await {
        Err(e) => println!("error: {e}"),
        Ok(client) => match client.endpoint(service) {
            Ok(url) => println!("{url}"),
            Err(e) => println!("error: {e}"),
        },
    }
}
