//! What users of `apigw-model` rely on: serde on the wire names, forward-compatible
//! enums, builders that name a missing required member, `validate()`, and errors.

use std::str::FromStr;

use apigw_model::error::{BadRequestException, NotFoundException, TooManyRequestsException};
use apigw_model::operation::get_integrations::{GetIntegrationsRequest, GetIntegrationsResponse};
use apigw_model::types::{
    ConnectionType, ContentHandlingStrategy, Integration, IntegrationType, PassthroughBehavior,
    TlsConfig,
};
use apigw_runtime::validate::ViolationKind;
use serde_json::json;

/// A page as the service sends it: camelCase members, every member of an integration
/// set, a member this model does not know, and an enum value it does not know.
const SERVICE_PAGE: &str = r#"{
  "items": [
    {
      "apiGatewayManaged": false,
      "connectionId": "vpclink-1a2b3c",
      "connectionType": "VPC_LINK",
      "contentHandlingStrategy": "CONVERT_TO_TEXT",
      "credentialsArn": "arn:aws:iam::123456789012:role/apigw-invoke",
      "description": "Orders backend",
      "integrationId": "a1b2c3d",
      "integrationMethod": "POST",
      "integrationResponseSelectionExpression": "${integration.response.statuscode}",
      "integrationSubtype": "SQS-SendMessage",
      "integrationType": "HTTP_PROXY",
      "integrationUri": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders/50dc6c495c0c9188/0467ef3c8400ae65",
      "passthroughBehavior": "WHEN_NO_TEMPLATES",
      "payloadFormatVersion": "1.0",
      "requestParameters": {"append:header.x-tenant": "$context.authorizer.tenant", "overwrite:path": "/orders"},
      "requestTemplates": {"application/json": "{\"id\": \"$input.params('id')\"}"},
      "responseParameters": {"404": {"overwrite:statuscode": "410"}},
      "templateSelectionExpression": "\\$default",
      "timeoutInMillis": 29000,
      "tlsConfig": {"serverNameToVerify": "orders.internal.example.com"},
      "aMemberAddedLater": {"nested": [1, 2, 3]}
    },
    {
      "integrationId": "z9y8x7w",
      "integrationType": "EVENTBRIDGE_PIPE"
    }
  ],
  "nextToken": "eyJ0b2tlbiI6IDJ9"
}"#;

#[test]
fn a_service_page_deserializes_with_unknown_members_ignored() {
    let page: GetIntegrationsResponse = serde_json::from_slice(SERVICE_PAGE.as_bytes()).unwrap();
    assert_eq!(page.next_token.as_deref(), Some("eyJ0b2tlbiI6IDJ9"));
    let items = page.items.as_ref().unwrap();
    assert_eq!(items.len(), 2);
    let first = &items[0];
    assert_eq!(first.api_gateway_managed, Some(false));
    assert_eq!(first.connection_type, Some(ConnectionType::VpcLink));
    assert_eq!(
        first.content_handling_strategy,
        Some(ContentHandlingStrategy::ConvertToText)
    );
    assert_eq!(first.integration_type, Some(IntegrationType::HttpProxy));
    assert_eq!(
        first.passthrough_behavior,
        Some(PassthroughBehavior::WhenNoTemplates)
    );
    assert_eq!(first.timeout_in_millis, Some(29000));
    assert_eq!(
        first
            .tls_config
            .as_ref()
            .unwrap()
            .server_name_to_verify
            .as_deref(),
        Some("orders.internal.example.com")
    );
    let response_parameters = first.response_parameters.as_ref().unwrap();
    assert_eq!(response_parameters["404"]["overwrite:statuscode"], "410");
    // Map order is the order the service sent.
    let keys: Vec<&str> = first
        .request_parameters
        .as_ref()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, ["append:header.x-tenant", "overwrite:path"]);
    assert!(first.validate().is_ok());

    // Every one of the 20 members, compared as a whole: written back through serde, the
    // item is the service's item without the member this model does not know.
    let mut sent: serde_json::Value = serde_json::from_str(SERVICE_PAGE).unwrap();
    let mut expected = sent["items"][0].take();
    expected
        .as_object_mut()
        .unwrap()
        .remove("aMemberAddedLater");
    assert_eq!(expected.as_object().unwrap().len(), 20);
    assert_eq!(serde_json::to_value(first).unwrap(), expected);
    // The second item: its unknown enum value kept, nothing invented.
    assert_eq!(
        serde_json::to_value(&items[1]).unwrap(),
        json!({"integrationId": "z9y8x7w", "integrationType": "EVENTBRIDGE_PIPE"})
    );
}

#[test]
fn an_enum_value_the_model_lacks_survives_a_round_trip() {
    let page: GetIntegrationsResponse = serde_json::from_str(SERVICE_PAGE).unwrap();
    let second = &page.items.as_ref().unwrap()[1];
    let kind = second.integration_type.as_ref().unwrap();
    assert!(matches!(kind, IntegrationType::Unknown(_)));
    assert_eq!(kind.as_str(), "EVENTBRIDGE_PIPE");
    let back = serde_json::to_value(second).unwrap();
    assert_eq!(
        back,
        json!({"integrationId": "z9y8x7w", "integrationType": "EVENTBRIDGE_PIPE"})
    );
}

/// strum's traits, as with any strum enum: the known values, their count, and an
/// iterator over the known variants (never `Unknown`).
#[test]
fn enums_implement_strum_traits_over_their_known_variants() {
    use strum::{EnumCount as _, IntoEnumIterator as _, VariantNames as _};
    assert_eq!(IntegrationType::VARIANTS, IntegrationType::values());
    assert_eq!(IntegrationType::COUNT, 5);
    let all: Vec<IntegrationType> = IntegrationType::iter().collect();
    assert_eq!(all.len(), IntegrationType::COUNT);
    assert_eq!(all[0], IntegrationType::Aws);
    assert!(
        all.iter()
            .all(|v| !matches!(v, IntegrationType::Unknown(_)))
    );
    let texts: Vec<&str> = all.iter().map(IntegrationType::as_str).collect();
    assert_eq!(texts, IntegrationType::VARIANTS);
    assert_eq!(ConnectionType::iter().count(), ConnectionType::COUNT);
}

#[test]
fn enums_convert_both_ways_and_list_their_values() {
    assert_eq!(
        IntegrationType::values(),
        ["AWS", "HTTP", "MOCK", "HTTP_PROXY", "AWS_PROXY"]
    );
    for value in IntegrationType::values() {
        let parsed = IntegrationType::from(*value);
        assert!(!matches!(parsed, IntegrationType::Unknown(_)), "{value}");
        assert_eq!(parsed.as_str(), *value);
        assert_eq!(parsed.to_string(), *value);
        assert_eq!(parsed.as_ref(), *value);
    }
    assert_eq!(
        IntegrationType::from_str("AWS_PROXY").unwrap(),
        IntegrationType::AwsProxy
    );
    // A known value never becomes Unknown, whichever way it is built.
    assert_eq!(
        IntegrationType::from(String::from("MOCK")),
        IntegrationType::Mock
    );
    assert_eq!(
        PassthroughBehavior::values(),
        ["WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"]
    );
    assert_eq!(ConnectionType::values(), ["INTERNET", "VPC_LINK"]);
    assert_eq!(
        ContentHandlingStrategy::values(),
        ["CONVERT_TO_BINARY", "CONVERT_TO_TEXT"]
    );
}

#[test]
fn serialization_uses_wire_names_and_omits_absent_members() {
    let integration = Integration::builder()
        .integration_id("abc123")
        .integration_type(IntegrationType::Aws)
        .request_parameters("overwrite:path", "/x")
        .tls_config(
            TlsConfig::builder()
                .server_name_to_verify("a.example")
                .build(),
        )
        .build();
    assert_eq!(
        serde_json::to_value(&integration).unwrap(),
        json!({
            "integrationId": "abc123",
            "integrationType": "AWS",
            "requestParameters": {"overwrite:path": "/x"},
            "tlsConfig": {"serverNameToVerify": "a.example"}
        })
    );
    let empty = GetIntegrationsResponse::builder().build();
    assert_eq!(serde_json::to_string(&empty).unwrap(), "{}");
}

#[test]
fn a_missing_required_member_is_named_by_the_builder() {
    let err = GetIntegrationsRequest::builder()
        .max_results("2")
        .build()
        .unwrap_err();
    assert_eq!(err.field(), "api_id");
    assert_eq!(
        err.to_string(),
        "GetIntegrationsRequest: required member `api_id` (ApiId) is not set"
    );
    let request = GetIntegrationsRequest::builder()
        .api_id("a1b2c3")
        .build()
        .unwrap();
    assert_eq!(request.api_id, "a1b2c3");
    assert_eq!(request.max_results, None);
}

#[test]
fn validate_reports_each_violation_with_path_and_bound() {
    let integration = Integration::builder()
        .timeout_in_millis(20)
        .request_parameters("overwrite:path", "")
        .request_templates("application/json", "x".repeat(32_769))
        .build();
    let page = GetIntegrationsResponse::builder()
        .items(Integration::builder().timeout_in_millis(30_000).build())
        .items(integration)
        .build();
    let err = page.validate().unwrap_err();
    let shown: Vec<String> = err.violations().iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            r#"GetIntegrationsResponse.items[1].request_parameters["overwrite:path"]: length 0 is below the minimum 1"#,
            r#"GetIntegrationsResponse.items[1].request_templates["application/json"]: length 32769 is above the maximum 32768"#,
            "GetIntegrationsResponse.items[1].timeout_in_millis: value 20 is outside the range 50..=30000",
        ]
    );
    assert!(matches!(
        err.violations()[2].kind(),
        ViolationKind::Range { .. }
    ));
}

#[test]
fn errors_carry_code_status_and_message() {
    let err: NotFoundException = serde_json::from_str(
        r#"{"message": "Invalid API identifier specified", "resourceType": "Api"}"#,
    )
    .unwrap();
    assert_eq!(NotFoundException::CODE, "NotFoundException");
    assert_eq!(NotFoundException::HTTP_STATUS, 404);
    assert_eq!(err.message(), Some("Invalid API identifier specified"));
    assert_eq!(err.resource_type.as_deref(), Some("Api"));
    assert_eq!(
        err.to_string(),
        "NotFoundException: Invalid API identifier specified"
    );
    let boxed: Box<dyn std::error::Error> = Box::new(err);
    assert!(boxed.to_string().starts_with("NotFoundException"));

    assert_eq!(BadRequestException::HTTP_STATUS, 400);
    assert_eq!(TooManyRequestsException::HTTP_STATUS, 429);
    let throttled = TooManyRequestsException::builder().build();
    assert_eq!(throttled.to_string(), "TooManyRequestsException");
}

mod http_bindings {
    use apigw_model::operation::get_integrations::{
        GetIntegrations, GetIntegrationsError, GetIntegrationsRequest,
    };
    use apigw_runtime::http::{HttpOperation, OperationError, http};

    fn head(status: u16) -> http::response::Parts {
        http::Response::builder()
            .status(status)
            .body(())
            .unwrap()
            .into_parts()
            .0
    }

    #[test]
    fn the_request_is_a_get_with_an_encoded_label_and_query() {
        let input = GetIntegrationsRequest::builder()
            .api_id("my api/1")
            .max_results("2")
            .next_token("a+b/c=")
            .build()
            .unwrap();
        let request = GetIntegrations::serialize(&input).unwrap();
        assert_eq!(request.method(), "GET");
        assert_eq!(
            request.uri(),
            "/v2/apis/my%20api%2F1/integrations?maxResults=2&nextToken=a%2Bb%2Fc%3D"
        );
        assert!(request.body().is_empty(), "GET has no body");
        assert!(request.headers().get("content-type").is_none());
    }

    #[test]
    fn an_empty_label_is_refused() {
        let input = GetIntegrationsRequest::builder()
            .api_id("")
            .build()
            .unwrap();
        let err = GetIntegrations::serialize(&input).unwrap_err();
        assert_eq!(
            err.to_string(),
            "cannot build the GetIntegrations request: path label ApiId is empty"
        );
    }

    #[test]
    fn responses_and_errors_are_decoded() {
        let page = GetIntegrations::deserialize(
            &head(200),
            br#"{"items": [{"integrationId": "x"}], "nextToken": "t"}"#,
        )
        .unwrap();
        assert_eq!(page.next_token.as_deref(), Some("t"));
        let empty = GetIntegrations::deserialize(&head(200), b"").unwrap();
        assert_eq!(empty.items, None);

        let err = GetIntegrations::deserialize_error(
            "NotFoundException",
            Some("gone"),
            &head(404),
            br#"{"message": "gone", "resourceType": "Api"}"#,
        );
        assert!(
            matches!(&err, GetIntegrationsError::NotFoundException(e) if e.resource_type.as_deref() == Some("Api"))
        );
        assert_eq!(err.code(), "NotFoundException");
        assert_eq!(err.message(), Some("gone"));

        let other = GetIntegrations::deserialize_error(
            "AccessDeniedException",
            Some("no"),
            &head(403),
            b"{}",
        );
        assert!(matches!(&other, GetIntegrationsError::Unhandled(u) if u.status() == 403));
        assert_eq!(other.to_string(), "AccessDeniedException (HTTP 403): no");
    }
}

/// The bundled model's endpoint rules (authored for this project) give every endpoint
/// and error the official ApiGatewayV2 model's `endpointTests` publish, with the
/// built-in partition table; and the crate's `endpoint_rules()` is the rule set of
/// `model/apigatewayv2.json`, read from the data the crate carries.
#[test]
fn the_bundled_endpoint_rules_pass_the_official_endpoint_tests() {
    use apigw_runtime::endpoint::{Partitions, RuleSet};
    use apigw_tests::endpoints::{
        assert_resolves_as_published, case_params, endpoint_cases, read_json, service_traits,
    };
    let Some(official) = apigw_tests::require_shared("models/smithy/apigatewayv2-2018-11-29.json")
    else {
        return;
    };
    let cases = endpoint_cases(&official);
    let ours = read_json(&apigw_tests::workspace_root().join("model/apigatewayv2.json"));
    let from_json = RuleSet::from_json(&service_traits(&ours)["smithy.rules#endpointRuleSet"])
        .expect("model/ has valid endpoint rules");
    let embedded = apigw_model::endpoint_rules();
    assert!(
        apigw_model::SERVICE.endpoint_rules.is_some(),
        "the service info carries its rules"
    );
    assert_eq!(cases.len(), 43);
    for case in &cases {
        let params = case_params(case);
        assert_eq!(
            embedded.resolve(&params, Partitions::builtin()),
            from_json.resolve(&params, Partitions::builtin()),
            "{case}: the crate's rules and model/'s agree"
        );
        assert_resolves_as_published(embedded, case, Partitions::builtin());
    }
}

/// What a borrowed view must agree with: the owned response read from the same bytes,
/// written back out (both skip absent members and keep map order).
fn owned_and_view_json(body: &[u8]) -> (serde_json::Value, serde_json::Value) {
    let owned: GetIntegrationsResponse = apigw_runtime::http::json_body(200, body).unwrap();
    let view = GetIntegrationsResponse::from_slice_borrowed(body).unwrap();
    (
        serde_json::to_value(&owned).unwrap(),
        serde_json::to_value(&view).unwrap(),
    )
}

#[test]
fn a_borrowed_view_holds_what_the_owned_response_holds() {
    for body in [
        SERVICE_PAGE.as_bytes().to_vec(),
        apigw_tests::fixtures::page_bytes(100),
    ] {
        let (owned, view) = owned_and_view_json(&body);
        assert_eq!(view, owned);
        assert!(view["items"].as_array().is_some_and(|i| !i.is_empty()));
    }
}

#[test]
fn a_borrowed_view_borrows_strings_unless_escaped_and_keeps_map_entries_in_order() {
    use std::borrow::Cow;
    let body = SERVICE_PAGE.as_bytes();
    let view = GetIntegrationsResponse::from_slice_borrowed(body).unwrap();
    let items = view.items.as_deref().unwrap();
    let first = &items[0];
    let borrowed_from_body = |s: &Cow<'_, str>| match s {
        Cow::Borrowed(b) => body.as_ptr_range().contains(&b.as_ptr()),
        Cow::Owned(_) => false,
    };
    let description = first.description.as_ref().unwrap();
    assert_eq!(description, "Orders backend");
    assert!(
        borrowed_from_body(description),
        "a plain string is borrowed"
    );
    // `\"` inside: the one string that must be unescaped into a copy.
    let (content_type, template) = &first.request_templates.as_deref().unwrap()[0];
    assert!(borrowed_from_body(content_type));
    assert!(matches!(template, Cow::Owned(t) if t == "{\"id\": \"$input.params('id')\"}"));
    let parameters = first.request_parameters.as_deref().unwrap();
    let keys: Vec<&str> = parameters.iter().map(|(k, _)| k.as_ref()).collect();
    assert_eq!(keys, ["append:header.x-tenant", "overwrite:path"]);
    let nested = &first.response_parameters.as_deref().unwrap()[0];
    assert_eq!(nested.0, "404");
    assert_eq!(
        &nested.1[..],
        [("overwrite:statuscode".into(), "410".into())]
    );
    // Enums and numbers are the owned types; a nested structure is a view too.
    assert_eq!(first.integration_type, Some(IntegrationType::HttpProxy));
    assert_eq!(first.timeout_in_millis, Some(29000));
    let tls = first.tls_config.as_ref().unwrap();
    assert!(borrowed_from_body(
        tls.server_name_to_verify.as_ref().unwrap()
    ));
}

#[test]
fn a_borrowed_view_reads_bad_bodies_as_the_owned_response_does() {
    let err = |body: &[u8]| {
        GetIntegrationsResponse::from_slice_borrowed(body)
            .unwrap_err()
            .to_string()
    };
    // Empty means `{}`: every member absent.
    let empty = GetIntegrationsResponse::from_slice_borrowed(b"").unwrap();
    assert!(empty.items.is_none() && empty.next_token.is_none());
    assert!(
        err(b"\xff\xfe").contains("body is not UTF-8"),
        "{}",
        err(b"\xff\xfe")
    );
    let truncated = err(br#"{"items": [{"integrationId": "a"#);
    assert!(
        truncated.contains("body is not the expected JSON") && truncated.contains("line 1"),
        "{truncated}"
    );
    let twice = err(br#"{"nextToken": "a", "nextToken": "b"}"#);
    assert!(twice.contains("duplicate field `nextToken`"), "{twice}");
    let wrong = err(br#"{"items": [{"timeoutInMillis": "soon"}]}"#);
    assert!(wrong.contains("expected i32"), "{wrong}");
    // The owned response refuses the same bodies.
    for body in [
        &br#"{"nextToken": "a", "nextToken": "b"}"#[..],
        br#"{"items": [{"timeoutInMillis": "soon"}]}"#,
    ] {
        assert!(apigw_runtime::http::json_body::<GetIntegrationsResponse>(200, body).is_err());
    }
}
