//! The client against moto (a server implementing the real API surface): 120
//! integrations of mixed types and settings created with boto3, listed with our client,
//! compared field by field with what boto3 reports.

use apigw_client::Client;
use apigw_model::client::ApiGatewayV2 as _;
use apigw_model::operation::get_integrations::GetIntegrationsRequest;
use apigw_model::types::IntegrationType;
use apigw_paginator::PaginationConfig;
use apigw_runtime::botocore::Botocore;
use apigw_tests::python::{Moto, boto3_full_result, create_integrations};
use apigw_tests::server::{ACCESS_KEY, SECRET_KEY};

#[tokio::test(flavor = "multi_thread")]
async fn every_field_matches_what_boto3_reports() {
    let Some(moto) = Moto::start() else { return };
    let Some(api) = create_integrations(&moto.url, 120) else {
        return;
    };
    let Some(expected) = boto3_full_result(&moto.url, &api) else {
        return;
    };

    let client = Client::builder()
        .endpoint_url(&moto.url)
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::new(
            ACCESS_KEY, SECRET_KEY, None, None, "tests",
        ))
        .build()
        .await
        .unwrap();
    let request = GetIntegrationsRequest::builder()
        .api_id(&api)
        .build()
        .unwrap();
    let full = client
        .get_integrations_paginator(request, PaginationConfig::default())
        .unwrap()
        .full_result()
        .await
        .unwrap();
    assert_eq!(full.items.len(), 120);
    assert_eq!(full.next_token, None);

    let ours = serde_json::to_value(Botocore(&full.items)).unwrap();
    let theirs = &expected["Items"];
    assert_eq!(theirs.as_array().map(Vec::len), Some(120));
    for (i, (a, b)) in ours
        .as_array()
        .unwrap()
        .iter()
        .zip(theirs.as_array().unwrap())
        .enumerate()
    {
        assert_eq!(a, b, "integration {i} differs from boto3's");
        // Same member order too (what the AWS CLI prints).
        let ours_keys: Vec<&String> = a.as_object().unwrap().keys().collect();
        let theirs_keys: Vec<&String> = b.as_object().unwrap().keys().collect();
        assert_eq!(ours_keys, theirs_keys, "member order of integration {i}");
    }

    // Typed access works on what moto returned.
    let kinds: std::collections::BTreeSet<&str> = full
        .items
        .iter()
        .filter_map(|i| i.integration_type.as_ref().map(IntegrationType::as_str))
        .collect();
    assert_eq!(kinds.len(), 5, "all integration types came back: {kinds:?}");
    assert!(full.items.iter().all(|i| i.validate().is_ok()));
}
