//! Deterministic, realistic GetIntegrations data as the service writes it (camelCase
//! wire names, every member of an integration filled).

use serde_json::{Value, json};

const TYPES: [&str; 5] = ["AWS", "HTTP", "MOCK", "HTTP_PROXY", "AWS_PROXY"];
const PASSTHROUGH: [&str; 3] = ["WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"];

/// Integration number `i`, with every one of its 20 members set.
pub fn integration(i: usize) -> Value {
    let id = format!(
        "{:07x}",
        (i as u64).wrapping_mul(2_654_435_761) & 0xfff_ffff
    );
    let method = ["GET", "POST", "PUT", "DELETE", "ANY"][i % 5];
    let subtype = [
        "SQS-SendMessage",
        "EventBridge-PutEvents",
        "StepFunctions-StartExecution",
    ][i % 3];
    json!({
        "apiGatewayManaged": i.is_multiple_of(7),
        "connectionId": format!("vpclink-{:06x}", i * 31 % 0xffffff),
        "connectionType": if i.is_multiple_of(3) { "VPC_LINK" } else { "INTERNET" },
        "contentHandlingStrategy": if i.is_multiple_of(2) { "CONVERT_TO_TEXT" } else { "CONVERT_TO_BINARY" },
        "credentialsArn": format!("arn:aws:iam::{:012}:role/apigw-integration-{}", 123_456_789_012u64 + (i % 5) as u64, i % 11),
        "description": format!("Integration {i} for the orders service, routed through the shared VPC link"),
        "integrationId": id,
        "integrationMethod": method,
        "integrationResponseSelectionExpression": "${integration.response.statuscode}",
        "integrationSubtype": subtype,
        "integrationType": TYPES[i % TYPES.len()],
        "integrationUri": format!(
            "arn:aws:lambda:us-east-1:123456789012:function:orders-handler-{}",
            i % 13
        ),
        "passthroughBehavior": PASSTHROUGH[i % PASSTHROUGH.len()],
        "payloadFormatVersion": if i.is_multiple_of(2) { "2.0" } else { "1.0" },
        "requestParameters": {
            "append:header.x-request-id": "$context.requestId",
            "overwrite:querystring.tenant": "$request.header.x-tenant",
            "remove:header.authorization": "''"
        },
        "requestTemplates": {
            "application/json": "{\"action\": \"$input.params('action')\", \"body\": $input.json('$')}"
        },
        "responseParameters": {
            "200": {"append:header.x-served-by": "apigw"},
            "404": {"overwrite:statuscode": "410"}
        },
        "templateSelectionExpression": "$request.body.action",
        "timeoutInMillis": 50 + (i * 997) % 29_950,
        "tlsConfig": {"serverNameToVerify": format!("orders-{}.internal.example.com", i % 17)}
    })
}

/// A GetIntegrations page of `count` integrations starting at number `first`.
pub fn page(first: usize, count: usize, next_token: Option<&str>) -> Value {
    let items: Vec<Value> = (first..first + count).map(integration).collect();
    let mut page = json!({ "items": items });
    if let Some(token) = next_token {
        page["nextToken"] = json!(token);
    }
    page
}

/// [`page`] as the bytes a service would send.
pub fn page_bytes(count: usize) -> Vec<u8> {
    serde_json::to_vec(&page(0, count, Some("eyJsYXN0IjogImFiYzEyMyJ9"))).expect("JSON serializes")
}

/// The GetApis entry of API `id` (deterministic from the id).
pub fn api(id: &str) -> Value {
    let n = id
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize));
    let http = n.is_multiple_of(2);
    json!({
        "apiEndpoint": format!("https://{id}.execute-api.us-east-1.amazonaws.com"),
        "apiId": id,
        "apiKeySelectionExpression": "$request.header.x-api-key",
        "createdDate": "2026-01-15T10:20:30Z",
        "description": format!("API {id} of the orders service"),
        "disableExecuteApiEndpoint": false,
        "name": format!("orders-{id}"),
        "protocolType": if http { "HTTP" } else { "WEBSOCKET" },
        "routeSelectionExpression": if http { "$request.method $request.path" } else { "$request.body.action" },
        "tags": {"team": "orders"}
    })
}
