//! DynamoDB (awsJson1_0) end to end: the crate generated from the official model, sent
//! through `apigw_client::Client` to moto. Copied into the generated crate and run there
//! by `tests/moto.rs`, which starts moto, creates the tables with boto3 and sets
//! `MOTO_URL` and `EXPECTED_TABLES` (boto3's `list_tables` paginated result).

use apigw_client::Client;
use apigw_dynamodb::client::DynamoDb as _;
use apigw_dynamodb::operation::create_table::CreateTableInput;
use apigw_dynamodb::operation::describe_table::{DescribeTableError, DescribeTableInput};
use apigw_dynamodb::operation::list_tables::ListTablesInput;
use apigw_dynamodb::operation::put_item::PutItemInput;
use apigw_dynamodb::operation::scan::ScanInput;
use apigw_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType,
    ScalarAttributeType,
};
use apigw_paginator::PaginationConfig;
use apigw_runtime::http::SdkError;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is set by tests/moto.rs"))
}

async fn client() -> Client {
    Client::builder()
        .endpoint_url(env("MOTO_URL"))
        .region("us-east-1")
        .credentials(aws_credential_types::Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "tests",
        ))
        .build()
        .await
        .unwrap()
}

/// One test, in order: the table list first (before this test creates a table).
#[tokio::test(flavor = "multi_thread")]
async fn dynamodb_through_the_generated_crate() {
    let client = client().await;
    let expected: Vec<String> = serde_json::from_str(&env("EXPECTED_TABLES")).unwrap();
    let config = PaginationConfig {
        page_size: Some(4),
        ..PaginationConfig::default()
    };
    let full = client
        .list_tables_paginator(ListTablesInput::builder().build(), config)
        .unwrap()
        .full_result()
        .await
        .unwrap();
    assert_eq!(full.items, expected);
    assert_eq!(full.next_token, None);

    // Items written are scanned back (numbers as strings, blobs as base64 on the wire).
    let created = client
        .create_table(
            CreateTableInput::builder()
                .table_name("e2e-items")
                .billing_mode(BillingMode::PayPerRequest)
                .attribute_definitions(
                    AttributeDefinition::builder()
                        .attribute_name("id")
                        .attribute_type(ScalarAttributeType::S)
                        .build()
                        .unwrap(),
                )
                .key_schema(
                    KeySchemaElement::builder()
                        .attribute_name("id")
                        .key_type(KeyType::Hash)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .await
        .unwrap();
    let table = created.table_description.expect("a table description");
    assert_eq!(table.table_name.as_deref(), Some("e2e-items"));

    for (id, n) in [("a", 1), ("b", 2), ("c", 3)] {
        client
            .put_item(
                PutItemInput::builder()
                    .table_name("e2e-items")
                    .item("id", AttributeValue::S(id.to_owned()))
                    .item("n", AttributeValue::N(n.to_string()))
                    .item("blob", AttributeValue::B(vec![0, 1, 2, 255]))
                    .build()
                    .unwrap(),
            )
            .await
            .unwrap();
    }
    let scanned = client
        .scan(ScanInput::builder().table_name("e2e-items").build().unwrap())
        .await
        .unwrap();
    assert_eq!(scanned.count, 3);
    let mut ids: Vec<(String, String, Vec<u8>)> = scanned
        .items
        .unwrap_or_default()
        .into_iter()
        .map(|item| match (&item["id"], &item["n"], &item["blob"]) {
            (AttributeValue::S(id), AttributeValue::N(n), AttributeValue::B(b)) => {
                (id.clone(), n.clone(), b.clone())
            }
            other => panic!("unexpected item {other:?}"),
        })
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            ("a".to_owned(), "1".to_owned(), vec![0, 1, 2, 255]),
            ("b".to_owned(), "2".to_owned(), vec![0, 1, 2, 255]),
            ("c".to_owned(), "3".to_owned(), vec![0, 1, 2, 255]),
        ]
    );

    // Scan's paginator: a map token (`ExclusiveStartKey`/`LastEvaluatedKey`), a page
    // of one item at a time; MaxItems stops after two with a resume token that holds
    // the key as botocore writes it, and the rest comes from that token.
    let one_at_a_time = |max_items, starting_token| PaginationConfig {
        page_size: Some(1),
        max_items,
        starting_token,
    };
    let scan = || ScanInput::builder().table_name("e2e-items").build().unwrap();
    let all = client
        .scan_paginator(scan(), one_at_a_time(None, None))
        .unwrap()
        .full_result()
        .await
        .unwrap();
    let id_of = |item: &indexmap::IndexMap<String, AttributeValue>| match &item["id"] {
        AttributeValue::S(id) => id.clone(),
        other => panic!("unexpected id {other:?}"),
    };
    let mut every: Vec<String> = all.items.iter().map(id_of).collect();
    every.sort();
    assert_eq!(every, ["a", "b", "c"]);
    assert_eq!(all.next_token, None);
    let first = client
        .scan_paginator(scan(), one_at_a_time(Some(2), None))
        .unwrap()
        .full_result()
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    let token = first.next_token.expect("a resume token after two items");
    let rest = client
        .scan_paginator(scan(), one_at_a_time(None, Some(token)))
        .unwrap()
        .full_result()
        .await
        .unwrap();
    let mut resumed: Vec<String> = first.items.iter().chain(&rest.items).map(id_of).collect();
    resumed.sort();
    assert_eq!(resumed, ["a", "b", "c"], "the resumed run yields the rest, once");

    let missing = client
        .describe_table(
            DescribeTableInput::builder()
                .table_name("no-such-table")
                .build()
                .unwrap(),
        )
        .await
        .unwrap_err();
    match missing {
        SdkError::Service {
            error: DescribeTableError::ResourceNotFoundException(_),
            status: 400,
            ..
        } => {}
        other => panic!("expected ResourceNotFoundException, got {other:?}"),
    }
}
