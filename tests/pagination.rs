//! The pagination rules (numbered as in `../shared/docs/PAGINATION.md`, stated in the
//! `apigw-paginator` crate docs), one test each, through the generated
//! `GetIntegrations` implementation of `Paginated` over scripted page sequences.

use std::cell::RefCell;
use std::future::{Ready, ready};
use std::rc::Rc;

use apigw_model::operation::get_integrations::{
    GetIntegrations, GetIntegrationsRequest, GetIntegrationsResponse,
};
use apigw_model::types::Integration;
use apigw_paginator::{PageSource, PaginationConfig, PaginationError, Paginator};
use futures::StreamExt;

/// A page with integrations named by `ids`; `next` is the raw `nextToken` member.
fn page(ids: &[&str], next: Option<&str>) -> GetIntegrationsResponse {
    let mut b = GetIntegrationsResponse::builder().set_next_token(next.map(str::to_owned));
    for id in ids {
        b = b.items(Integration::builder().integration_id(*id).build());
    }
    b.build()
}

fn page_without_items(next: Option<&str>) -> GetIntegrationsResponse {
    GetIntegrationsResponse::builder()
        .set_next_token(next.map(str::to_owned))
        .build()
}

fn ids(page: &GetIntegrationsResponse) -> Vec<String> {
    page.items
        .iter()
        .flatten()
        .map(|i| i.integration_id.clone().unwrap_or_default())
        .collect()
}

/// A service that answers with a fixed script and records every request.
#[derive(Clone)]
struct Script {
    responses: Rc<RefCell<Vec<Result<GetIntegrationsResponse, String>>>>,
    requests: Rc<RefCell<Vec<GetIntegrationsRequest>>>,
}

impl Script {
    fn new(responses: Vec<Result<GetIntegrationsResponse, String>>) -> Self {
        Self {
            responses: Rc::new(RefCell::new(responses.into_iter().rev().collect())),
            requests: Rc::default(),
        }
    }

    fn pages(pages: Vec<GetIntegrationsResponse>) -> Self {
        Self::new(pages.into_iter().map(Ok).collect())
    }

    /// `(nextToken, maxResults)` of every request sent.
    fn sent(&self) -> Vec<(Option<String>, Option<String>)> {
        self.requests
            .borrow()
            .iter()
            .map(|r| (r.next_token.clone(), r.max_results.clone()))
            .collect()
    }
}

impl PageSource<GetIntegrationsRequest, GetIntegrationsResponse> for Script {
    type Error = String;
    type Future = Ready<Result<GetIntegrationsResponse, String>>;

    fn send(&self, input: GetIntegrationsRequest) -> Self::Future {
        self.requests.borrow_mut().push(input);
        ready(
            self.responses
                .borrow_mut()
                .pop()
                .unwrap_or_else(|| Err("the script has no more responses".into())),
        )
    }
}

fn input() -> GetIntegrationsRequest {
    GetIntegrationsRequest::builder()
        .api_id("a1b2c3")
        .build()
        .unwrap()
}

fn config(max_items: Option<u64>, page_size: Option<u32>, start: Option<&str>) -> PaginationConfig {
    PaginationConfig {
        max_items,
        page_size,
        starting_token: start.map(str::to_owned),
    }
}

/// Runs to the end; returns the pages' ids and the resume token.
fn run(script: &Script, config: PaginationConfig) -> (Vec<Vec<String>>, Option<String>) {
    let mut pages = Paginator::<GetIntegrations, _>::new(script.clone(), input(), config)
        .unwrap()
        .pages_blocking();
    let mut out = Vec::new();
    for page in pages.by_ref() {
        out.push(ids(&page.expect("no error in this script")));
    }
    (out, pages.resume_token())
}

fn strs(v: &[&[&str]]) -> Vec<Vec<String>> {
    v.iter()
        .map(|p| p.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn sent(v: &[(Option<&str>, Option<&str>)]) -> Vec<(Option<String>, Option<String>)> {
    v.iter()
        .map(|(t, m)| (t.map(str::to_owned), m.map(str::to_owned)))
        .collect()
}

// Rule 1: requests.

#[test]
fn rule1_tokens_chain_and_page_size_is_sent_on_every_request_as_a_decimal_string() {
    let script = Script::pages(vec![
        page(&["a", "b"], Some("t1")),
        page(&["c", "d"], Some("t2")),
        page(&["e"], None),
    ]);
    let (pages, resume) = run(&script, config(None, Some(2), None));
    assert_eq!(pages, strs(&[&["a", "b"], &["c", "d"], &["e"]]));
    assert_eq!(resume, None);
    assert_eq!(
        script.sent(),
        sent(&[
            (None, Some("2")),
            (Some("t1"), Some("2")),
            (Some("t2"), Some("2"))
        ])
    );
    assert!(
        script
            .requests
            .borrow()
            .iter()
            .all(|r| r.api_id == "a1b2c3")
    );
}

#[test]
fn rule1_the_requests_on_the_wire_carry_the_token_and_the_page_size_as_query_parameters() {
    use apigw_runtime::http::HttpOperation;
    let script = Script::pages(vec![page(&["a", "b"], Some("t+1/=")), page(&["c"], None)]);
    run(&script, config(None, Some(2), None));
    let uris: Vec<String> = script
        .requests
        .borrow()
        .iter()
        .map(|r| GetIntegrations::serialize(r).unwrap().uri().to_string())
        .collect();
    assert_eq!(
        uris,
        [
            "/v2/apis/a1b2c3/integrations?maxResults=2",
            "/v2/apis/a1b2c3/integrations?maxResults=2&nextToken=t%2B1%2F%3D",
        ]
    );
}

#[test]
fn rule1_nothing_is_sent_before_the_first_poll() {
    let script = Script::pages(vec![page(&["a"], None)]);
    let mut pages =
        Paginator::<GetIntegrations, _>::new(script.clone(), input(), config(None, None, None))
            .unwrap()
            .pages();
    assert!(
        script.sent().is_empty(),
        "creating the stream sends nothing"
    );
    let first = futures::executor::block_on(pages.next()).unwrap().unwrap();
    assert_eq!(ids(&first), ["a"]);
    assert_eq!(script.sent(), sent(&[(None, None)]));
}

// Rule 2: end.

#[test]
fn rule2_absent_null_or_empty_next_token_ends_after_yielding_the_page() {
    for last in [page(&["b"], None), page(&["b"], Some(""))] {
        let script = Script::pages(vec![page(&["a"], Some("t1")), last]);
        let (pages, resume) = run(&script, config(None, None, None));
        assert_eq!(pages, strs(&[&["a"], &["b"]]));
        assert_eq!(resume, None, "no resume token at the end");
        assert_eq!(script.sent().len(), 2);
    }
    // `null` on the wire.
    let wire: GetIntegrationsResponse =
        serde_json::from_str(r#"{"items": [{"integrationId": "z"}], "nextToken": null}"#).unwrap();
    let script = Script::pages(vec![wire]);
    assert_eq!(
        run(&script, config(None, None, None)),
        (strs(&[&["z"]]), None)
    );
}

// Rule 3: MaxItems.

#[test]
fn rule3_a_page_that_would_exceed_max_items_is_cut_and_resumes_inside_it() {
    let script = Script::pages(vec![
        page(&["a", "b"], Some("t1")),
        page(&["c", "d"], Some("t2")),
        page(&["e"], None),
    ]);
    let (pages, resume) = run(&script, config(Some(3), None, None));
    assert_eq!(pages, strs(&[&["a", "b"], &["c"]]));
    assert_eq!(script.sent().len(), 2, "no request after the cut");
    // {"NextToken": "t1", "boto_truncate_amount": 1}
    assert_eq!(
        resume.as_deref(),
        Some("eyJOZXh0VG9rZW4iOiAidDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==")
    );
}

#[test]
fn rule3_a_cut_first_page_resumes_with_a_null_token() {
    let script = Script::pages(vec![page(&["a", "b", "c"], Some("t1"))]);
    let (pages, resume) = run(&script, config(Some(2), None, None));
    assert_eq!(pages, strs(&[&["a", "b"]]));
    // {"NextToken": null, "boto_truncate_amount": 2}
    assert_eq!(
        resume.as_deref(),
        Some("eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==")
    );
}

#[test]
fn rule3_max_items_on_a_page_boundary_resumes_at_the_next_page() {
    let script = Script::pages(vec![page(&["a"], Some("t0")), page(&["b"], Some("t1"))]);
    let (pages, resume) = run(&script, config(Some(2), None, None));
    assert_eq!(pages, strs(&[&["a"], &["b"]]));
    assert_eq!(resume.as_deref(), Some("eyJOZXh0VG9rZW4iOiAidDEifQ==")); // {"NextToken": "t1"}
    assert_eq!(script.sent().len(), 2);
}

#[test]
fn rule3_max_items_reached_on_the_last_page_gives_no_resume_token() {
    let script = Script::pages(vec![page(&["a"], Some("t0")), page(&["b"], None)]);
    assert_eq!(
        run(&script, config(Some(2), None, None)),
        (strs(&[&["a"], &["b"]]), None)
    );
}

#[test]
fn rule3_a_page_without_items_counts_zero() {
    let script = Script::pages(vec![
        page_without_items(Some("t0")),
        page(&["a", "b"], Some("t1")),
        page(&["c"], None),
    ]);
    let (pages, resume) = run(&script, config(Some(2), None, None));
    assert_eq!(pages, strs(&[&[], &["a", "b"]]));
    assert_eq!(resume.as_deref(), Some("eyJOZXh0VG9rZW4iOiAidDEifQ=="));
}

#[test]
fn rule3_max_items_zero_sends_one_request_and_yields_an_empty_page() {
    let script = Script::pages(vec![page(&["a", "b"], Some("t1"))]);
    let (pages, resume) = run(&script, config(Some(0), None, None));
    assert_eq!(pages, strs(&[&[]]));
    assert_eq!(script.sent().len(), 1);
    // {"NextToken": null, "boto_truncate_amount": 0}, as botocore writes it.
    assert_eq!(
        resume.as_deref(),
        Some("eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAwfQ==")
    );
}

#[test]
fn rule3_the_yielded_page_keeps_the_services_own_next_token() {
    let script = Script::pages(vec![page(&["a", "b"], Some("t1"))]);
    let mut pages =
        Paginator::<GetIntegrations, _>::new(script, input(), config(Some(1), None, None))
            .unwrap()
            .pages_blocking();
    let first = pages.next().unwrap().unwrap();
    assert_eq!(ids(&first), ["a"]);
    assert_eq!(first.next_token.as_deref(), Some("t1"));
    assert!(pages.next().is_none());
}

// Rule 4: resume token bytes (the documented literals above, and key order/escaping).

#[test]
fn rule4_resume_tokens_are_pythons_json_dumps_in_base64() {
    let script = Script::pages(vec![
        page(&["a", "b"], Some("tök\"/😀")),
        page(&["c"], None),
    ]);
    let (_, resume) = run(&script, config(Some(2), None, None));
    // base64 of {"NextToken": "t\u00f6k\"/\ud83d\ude00"} as Python 3 prints it.
    assert_eq!(
        resume.as_deref(),
        Some("eyJOZXh0VG9rZW4iOiAidFx1MDBmNmtcIi9cdWQ4M2RcdWRlMDAifQ==")
    );
}

// Rule 5: starting token.

#[test]
fn rule5_a_starting_token_in_any_key_order_sets_the_first_token_and_skips_items() {
    // {"boto_truncate_amount":1,"NextToken":"t1"} (reordered, no spaces)
    let start = "eyJib3RvX3RydW5jYXRlX2Ftb3VudCI6MSwiTmV4dFRva2VuIjoidDEifQ==";
    let script = Script::pages(vec![page(&["c", "d"], Some("t2")), page(&["e", "f"], None)]);
    let (pages, resume) = run(&script, config(None, Some(2), Some(start)));
    assert_eq!(
        pages,
        strs(&[&["d"], &["e", "f"]]),
        "skip applies to the first page only"
    );
    assert_eq!(resume, None);
    assert_eq!(
        script.sent(),
        sent(&[(Some("t1"), Some("2")), (Some("t2"), Some("2"))])
    );
}

#[test]
fn rule5_skipping_more_than_the_first_page_holds_leaves_it_empty_and_continues() {
    let start = "eyJOZXh0VG9rZW4iOiAidDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiA1fQ=="; // t1, 5
    let script = Script::pages(vec![page(&["c", "d"], Some("t2")), page(&["e"], None)]);
    let (pages, _) = run(&script, config(None, None, Some(start)));
    assert_eq!(pages, strs(&[&[], &["e"]]));
}

#[test]
fn rule5_null_missing_or_none_tokens_send_no_token() {
    for start in [
        "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==", // null, 1
        "eyJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9", // {"boto_truncate_amount": 1}
        "eyJOZXh0VG9rZW4iOiAiTm9uZSIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9", // "None", 1
        "None___1",
    ] {
        let script = Script::pages(vec![page(&["a", "b"], None)]);
        let (pages, _) = run(&script, config(None, None, Some(start)));
        assert_eq!(pages, strs(&[&["b"]]), "{start}");
        assert_eq!(script.sent(), sent(&[(None, None)]), "{start}");
    }
}

#[test]
fn rule5_legacy_tokens_and_raw_service_tokens() {
    let script = Script::pages(vec![page(&["a", "b"], None)]);
    let (pages, _) = run(&script, config(None, None, Some("t9___1")));
    assert_eq!(pages, strs(&[&["b"]]));
    assert_eq!(script.sent(), sent(&[(Some("t9"), None)]));

    for raw in [
        "opaque-service-token",
        "eyJOZXh0VG9rZW4iOiAidDEifQ",
        "a___b",
    ] {
        let script = Script::pages(vec![page(&["a"], None)]);
        let (pages, _) = run(&script, config(None, None, Some(raw)));
        assert_eq!(pages, strs(&[&["a"]]));
        assert_eq!(
            script.sent(),
            sent(&[(Some(raw), None)]),
            "sent verbatim: {raw}"
        );
    }
}

#[test]
fn rule5_a_resume_inside_the_first_page_counts_the_starting_skip() {
    // Start at t1 skipping 1, then cut after 1 more item: skip 1 + kept 1.
    let start = "eyJOZXh0VG9rZW4iOiAidDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==";
    let script = Script::pages(vec![page(&["b", "c", "d"], Some("t2"))]);
    let (pages, resume) = run(&script, config(Some(1), None, Some(start)));
    assert_eq!(pages, strs(&[&["c"]]));
    // {"NextToken": "t1", "boto_truncate_amount": 2}
    assert_eq!(
        resume.as_deref(),
        Some("eyJOZXh0VG9rZW4iOiAidDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAyfQ==")
    );
}

#[test]
fn rule5_a_decodable_token_with_a_bad_skip_count_is_refused() {
    // {"NextToken": "t1", "boto_truncate_amount": "two"}
    let bad = "eyJOZXh0VG9rZW4iOiAidDEiLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAidHdvIn0=";
    let err = Paginator::<GetIntegrations, _>::new(
        Script::pages(vec![]),
        input(),
        config(None, None, Some(bad)),
    )
    .unwrap_err();
    assert!(matches!(err, PaginationError::InvalidStartingToken { .. }));
    assert!(err.to_string().contains("boto_truncate_amount"), "{err}");
}

// Rule 6: duplicate token.

#[test]
fn rule6_the_same_token_twice_fails_after_yielding_the_page() {
    let script = Script::pages(vec![
        page(&["a"], Some("t1")),
        page(&["b"], Some("t1")),
        page(&["c"], None),
    ]);
    let mut pages =
        Paginator::<GetIntegrations, _>::new(script.clone(), input(), config(None, None, None))
            .unwrap()
            .pages_blocking();
    assert_eq!(ids(&pages.next().unwrap().unwrap()), ["a"]);
    assert_eq!(
        ids(&pages.next().unwrap().unwrap()),
        ["b"],
        "the repeating page is yielded"
    );
    let err = pages.next().unwrap().unwrap_err();
    assert_eq!(
        err.to_string(),
        "Error during pagination: The same next token was received twice: {'NextToken': 't1'}"
    );
    assert!(pages.next().is_none(), "the error ends the run");
    assert_eq!(script.sent().len(), 2);
    assert_eq!(
        pages.resume_token(),
        None,
        "no resume token after a repeated token: resuming would loop again (botocore has none)"
    );
}

#[test]
fn rule5_tokens_botocore_refuses_are_refused_before_any_request() {
    // {"Foo": "x"}: a token of another operation (botocore fails parameter validation).
    let foreign = "eyJGb28iOiAieCJ9";
    for token in ["a___b___1", "a___b___c", foreign] {
        let script = Script::pages(vec![page(&["a"], None)]);
        let err = Paginator::<GetIntegrations, _>::new(
            script.clone(),
            input(),
            config(None, None, Some(token)),
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with(&format!("Bad starting token: {token}")),
            "{err}"
        );
        assert!(script.sent().is_empty(), "{token}: nothing sent");
    }
}

#[test]
fn rule6_a_max_items_boundary_stops_before_the_duplicate_check() {
    let script = Script::pages(vec![page(&["a"], Some("t1")), page(&["b"], Some("t1"))]);
    let (pages, resume) = run(&script, config(Some(2), None, None));
    assert_eq!(pages, strs(&[&["a"], &["b"]]));
    assert_eq!(resume.as_deref(), Some("eyJOZXh0VG9rZW4iOiAidDEifQ=="));
}

#[test]
fn rule6_the_starting_token_is_not_a_previous_token() {
    let script = Script::pages(vec![page(&["a"], Some("t1")), page(&["b"], None)]);
    let (pages, _) = run(&script, config(None, None, Some("t1")));
    assert_eq!(pages, strs(&[&["a"], &["b"]]));
}

// Rule 7: full result.

#[test]
fn rule7_full_result_has_all_items_and_the_resume_token_only_when_items_remain() {
    let script = Script::pages(vec![page(&["a", "b"], Some("t1")), page(&["c"], None)]);
    let full = Paginator::<GetIntegrations, _>::new(script, input(), config(Some(1), None, None))
        .unwrap()
        .full_result_blocking()
        .unwrap();
    assert_eq!(full.items.len(), 1);
    assert_eq!(full.items[0].integration_id.as_deref(), Some("a"));
    assert!(full.next_token.is_some());

    let script = Script::pages(vec![page(&["a", "b"], Some("t1")), page(&["c"], None)]);
    let full = Paginator::<GetIntegrations, _>::new(script, input(), config(None, None, None))
        .unwrap()
        .full_result_blocking()
        .unwrap();
    assert_eq!(full.items.len(), 3);
    assert_eq!(full.next_token, None);
}

// Beyond botocore.

#[test]
fn a_token_cycle_longer_than_one_page_is_an_error() {
    let script = Script::pages(vec![
        page(&["a"], Some("A")),
        page(&["b"], Some("B")),
        page(&["c"], Some("A")),
        page(&["d"], Some("B")),
    ]);
    let results: Vec<_> =
        Paginator::<GetIntegrations, _>::new(script.clone(), input(), config(None, None, None))
            .unwrap()
            .pages_blocking()
            .collect();
    assert_eq!(results.len(), 4, "three pages, then the error");
    let err = results[3].as_ref().unwrap_err();
    assert!(matches!(err, PaginationError::Cycle { .. }));
    assert_eq!(
        err.to_string(),
        "Error during pagination: The next token {'NextToken': 'A'} was already received in this run; the service is returning tokens in a cycle"
    );
    assert_eq!(script.sent().len(), 3);

    // The same run through the item stream: no resume token once the cycle is reported.
    let script = Script::pages(vec![
        page(&["a"], Some("A")),
        page(&["b"], Some("B")),
        page(&["c"], Some("A")),
    ]);
    let mut items = Paginator::<GetIntegrations, _>::new(script, input(), config(None, None, None))
        .unwrap()
        .items_blocking();
    let received: Vec<_> = items.by_ref().collect();
    assert_eq!(received.len(), 4, "three items, then the error");
    assert!(received[3].is_err());
    assert_eq!(items.resume_token(), None);
}

#[test]
fn an_error_mid_stream_is_yielded_once_and_the_resume_token_points_past_what_was_received() {
    let script = Script::new(vec![
        Ok(page(&["a", "b"], Some("t1"))),
        Err("503 Service Unavailable".into()),
    ]);
    let mut items =
        Paginator::<GetIntegrations, _>::new(script, input(), config(None, Some(2), None))
            .unwrap()
            .items_blocking();
    let a = items.next().unwrap().unwrap();
    assert_eq!(a.integration_id.as_deref(), Some("a"));
    // Stopping here, mid-page: resume at item "b" of the page requested with no token.
    assert_eq!(
        items.resume_token().as_deref(),
        Some("eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAxfQ==")
    );
    assert_eq!(
        items.next().unwrap().unwrap().integration_id.as_deref(),
        Some("b")
    );
    let err = items.next().unwrap().unwrap_err();
    assert_eq!(err.to_string(), "503 Service Unavailable");
    assert!(items.next().is_none());
    // Everything up to the failed request was received: resume at the page of t1.
    assert_eq!(
        items.resume_token().as_deref(),
        Some("eyJOZXh0VG9rZW4iOiAidDEifQ==")
    );
}

#[test]
fn a_page_size_of_zero_is_refused() {
    let err = Paginator::<GetIntegrations, _>::new(
        Script::pages(vec![]),
        input(),
        config(None, Some(0), None),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "PageSize must be at least 1");
}

#[test]
fn stream_and_iterator_yield_the_same_items() {
    let make = || {
        Script::pages(vec![
            page(&["a", "b"], Some("t1")),
            page(&[], Some("t2")),
            page(&["c"], None),
        ])
    };
    let blocking: Vec<String> =
        Paginator::<GetIntegrations, _>::new(make(), input(), config(None, None, None))
            .unwrap()
            .items_blocking()
            .map(|i| i.unwrap().integration_id.unwrap())
            .collect();
    let streamed: Vec<String> = futures::executor::block_on(
        Paginator::<GetIntegrations, _>::new(make(), input(), config(None, None, None))
            .unwrap()
            .items()
            .map(|i| i.unwrap().integration_id.unwrap())
            .collect(),
    );
    assert_eq!(blocking, ["a", "b", "c"]);
    assert_eq!(streamed, blocking);
}

// boto3's PageIterator.search.

/// `search` evaluates the expression on each page as boto3 sees it (model member
/// names: `Items`, `NextToken`) and yields the results one by one: a list's elements
/// flattened across pages, any other result as it is (`null` included), as boto3 does.
#[test]
fn search_flattens_list_results_and_yields_other_results_per_page() {
    use apigw_runtime::search::{PaginatorSearch as _, SearchError};
    let script = || {
        Script::pages(vec![
            page(&["a", "b"], Some("t1")),
            page(&[], Some("t2")),
            page(&["c"], None),
        ])
    };
    let paginator = || {
        Paginator::<GetIntegrations, _>::new(script(), input(), config(None, None, None)).unwrap()
    };
    let ids: Vec<serde_json::Value> = paginator()
        .search_blocking("Items[].IntegrationId")
        .unwrap()
        .map(Result::unwrap)
        .collect();
    // The second page has no Items member: the projection is null there, which
    // boto3 yields too.
    assert_eq!(
        ids,
        [
            serde_json::json!("a"),
            serde_json::json!("b"),
            serde_json::Value::Null,
            serde_json::json!("c")
        ]
    );
    let tokens: Vec<serde_json::Value> = paginator()
        .search_blocking("NextToken")
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        tokens,
        [
            serde_json::json!("t1"),
            serde_json::json!("t2"),
            serde_json::Value::Null
        ]
    );
    // The stream form gives the same, and nothing is sent before it is polled.
    let s = script();
    let stream = Paginator::<GetIntegrations, _>::new(s.clone(), input(), config(None, None, None))
        .unwrap()
        .search("Items[0].IntegrationId")
        .unwrap();
    assert!(s.sent().is_empty());
    let firsts: Vec<serde_json::Value> =
        futures::executor::block_on(stream.map(Result::unwrap).collect());
    assert_eq!(
        firsts,
        [
            serde_json::json!("a"),
            serde_json::Value::Null,
            serde_json::json!("c")
        ]
    );
    assert!(matches!(
        paginator().search("Items["),
        Err(SearchError::Expression { .. })
    ));
    // A failing page ends the search with the pagination error.
    let failing = Script::new(vec![Ok(page(&["a"], Some("t1"))), Err("boom".into())]);
    let results: Vec<_> =
        Paginator::<GetIntegrations, _>::new(failing, input(), config(None, None, None))
            .unwrap()
            .search_blocking("Items[].IntegrationId")
            .unwrap()
            .collect();
    assert_eq!(results.len(), 2);
    assert!(matches!(results[1], Err(SearchError::Pagination(_))));
}
