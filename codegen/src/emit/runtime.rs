//! Every path into the runtime crates (`apigw_runtime`, `apigw_paginator`, and
//! `apigw_client` in protocol tests) that generated
//! code names, spelled once. Emitters interpolate these constants (`#HTTP_OPERATION`)
//! instead of writing the paths, so moving an item in the runtime is a change here
//! only, and the list below is the whole surface generated crates depend on.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// An absolute path (`::crate::module::Item`) into a runtime crate.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RuntimePath(&'static [&'static str]);

impl RuntimePath {
    /// The path as Rust source, without the leading `::`.
    #[cfg(test)]
    pub(crate) fn text(self) -> String {
        self.0.join("::")
    }
}

impl ToTokens for RuntimePath {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        for segment in self.0 {
            tokens.append(Punct::new(':', Spacing::Joint));
            tokens.append(Punct::new(':', Spacing::Alone));
            tokens.append(Ident::new(segment, Span::call_site()));
        }
    }
}

macro_rules! runtime_paths {
    ($($(#[$doc:meta])* $name:ident = $($segment:ident)::+;)*) => {
        $(
            $(#[$doc])*
            pub(crate) const $name: RuntimePath = RuntimePath(&[$(stringify!($segment)),+]);
        )*

        /// Every path above, for tests.
        #[cfg(test)]
        pub(crate) const ALL: &[RuntimePath] = &[$($name),*];
    };
}

runtime_paths! {
    // The paginator trait crate.
    PAGINATED = apigw_paginator::Paginated;
    PAGINATION_CONFIG = apigw_paginator::PaginationConfig;
    PAGINATOR = apigw_paginator::Paginator;

    // Runtime: values shared by every generated type.
    BUILD_ERROR = apigw_runtime::BuildError;
    DATE_TIME = apigw_runtime::DateTime;
    TIMESTAMP_FORMAT = apigw_runtime::TimestampFormat;
    UNKNOWN_INT_VALUE = apigw_runtime::UnknownIntValue;
    UNKNOWN_VALUE = apigw_runtime::UnknownValue;

    // Runtime: botocore-shaped (AWS CLI output) serialization.
    BOTOCORE = apigw_runtime::botocore::Botocore;
    BOTOCORE_SERIALIZE = apigw_runtime::botocore::BotocoreSerialize;

    // Runtime: HTTP bindings, errors and the client.
    BUILD_REQUEST_ERROR = apigw_runtime::http::BuildRequestError;
    ERROR_CODE_AND_MESSAGE = apigw_runtime::http::error_code_and_message;
    QUERY_ERROR = apigw_runtime::http::query_error;
    JSON_TOKEN = apigw_runtime::http::json_token;
    FROM_JSON_TOKEN = apigw_runtime::http::from_json_token;
    COMPRESS_BODY = apigw_runtime::http::compress_body;
    FINISH_REQUEST = apigw_runtime::http::finish_request;
    IDEMPOTENCY_TOKEN = apigw_runtime::http::idempotency_token;
    SET_CONTENT_MD5 = apigw_runtime::http::set_content_md5;
    WITH_IDEMPOTENCY_TOKEN = apigw_runtime::http::with_idempotency_token;
    FMT_BOOL = apigw_runtime::http::fmt_bool;
    SET_CONTENT_TYPE = apigw_runtime::http::set_content_type;
    FMT_FLOAT = apigw_runtime::http::fmt_float;
    HOST_PREFIX = apigw_runtime::http::HostPrefix;
    PUSH_HOST_LABEL = apigw_runtime::http::push_host_label;
    HEADER_LIST = apigw_runtime::http::header_list;
    HTTP_DATE_LIST = apigw_runtime::http::http_date_list;
    SPLIT_HTTP_DATE_LIST = apigw_runtime::http::split_http_date_list;
    TO_BASE64_HEADER = apigw_runtime::http::to_base64_header;
    FROM_BASE64_HEADER = apigw_runtime::http::from_base64_header;
    HTTP_CLIENT = apigw_runtime::http::HttpClient;
    HTTP_OPERATION = apigw_runtime::http::HttpOperation;
    HTTP_REQUEST = apigw_runtime::http::http::Request;

    HTTP_RESPONSE_PARTS = apigw_runtime::http::http::response::Parts;
    JSON_BODY = apigw_runtime::http::json_body;
    JSON_RESULT_LIST = apigw_runtime::http::JsonResultList;
    MISSING_LABEL = apigw_runtime::http::missing_label;
    MODELED_RETRY = apigw_runtime::http::ModeledRetry;
    OPERATION_ERROR = apigw_runtime::http::OperationError;
    OPERATION_SOURCE = apigw_runtime::http::OperationSource;
    PAGINATOR_RESULT = apigw_runtime::http::PaginatorResult;
    PARSE_HEADER = apigw_runtime::http::parse_header;
    PREFIX_HEADERS = apigw_runtime::http::prefix_headers;
    PUSH_LABEL = apigw_runtime::http::push_label;
    QUERY = apigw_runtime::http::Query;
    RESPONSE_ERROR = apigw_runtime::http::ResponseError;
    SDK_ERROR = apigw_runtime::http::SdkError;
    SERVICE_INFO = apigw_runtime::http::ServiceInfo;
    RULE_SET = apigw_runtime::endpoint::RuleSet;
    ENDPOINT_PARAMS = apigw_runtime::endpoint::Params;
    SPLIT_HEADER_LIST = apigw_runtime::http::split_header_list;
    TO_JSON = apigw_runtime::http::to_json;
    UNHANDLED_ERROR = apigw_runtime::http::UnhandledError;

    // Runtime: what generated protocol tests check with (feature `protocol-test`).
    ASSERT_REQUEST = apigw_runtime::protocol_test::assert_request;
    ASSERT_SAME = apigw_runtime::protocol_test::assert_same;
    ASSERT_VIEW_AGREES = apigw_runtime::protocol_test::assert_view_agrees;
    EXPECTED_REQUEST = apigw_runtime::protocol_test::ExpectedRequest;
    RESPONSE = apigw_runtime::protocol_test::response;
    // Client: protocol tests send requests through it (a dev-dependency).
    SEND_CAPTURED = apigw_client::testing::send_captured;

    // Runtime: serde adapters for timestamps.
    SERDE_DATE_TIME_STRING = apigw_runtime::serde::DateTimeString;
    SERDE_EPOCH_SECONDS = apigw_runtime::serde::EpochSeconds;
    SERDE_HTTP_DATE = apigw_runtime::serde::HttpDate;
    SERDE_JSON_FLOAT = apigw_runtime::serde::JsonFloat;

    // Runtime: the serde of structures.
    STRUCT_DESERIALIZE = apigw_runtime::structure::deserialize;
    STRUCT_MEMBERS = apigw_runtime::structure::Members;
    STRUCT_OPTIONAL = apigw_runtime::structure::optional;
    STRUCT_OPTIONAL_AS = apigw_runtime::structure::optional_as;
    STRUCT_NEXT_STR = apigw_runtime::structure::next_str;
    STRUCT_NEXT_AS = apigw_runtime::structure::next_as;

    // Runtime: `validate()` and its checks.
    CHECK_LENGTH = apigw_runtime::validate::length;
    CHECK_MISSING = apigw_runtime::validate::missing;
    CHECK_RANGE_F64 = apigw_runtime::validate::range_f64;
    CHECK_RANGE_I64 = apigw_runtime::validate::range_i64;
    RUN_VALIDATION = apigw_runtime::validate::run;
    STR_LENGTH = apigw_runtime::validate::str_length;
    VALIDATE = apigw_runtime::validate::Validate;
    VALIDATE_PATH = apigw_runtime::validate::Path;
    VALIDATION_ERROR = apigw_runtime::validate::ValidationError;
    VIOLATION = apigw_runtime::validate::Violation;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each constant renders as the absolute path it names.
    #[test]
    fn paths_render_as_absolute_paths() {
        assert_eq!(
            HTTP_OPERATION.to_token_stream().to_string(),
            ":: apigw_runtime :: http :: HttpOperation"
        );
        let mut texts: Vec<String> = ALL.iter().map(|p| p.text()).collect();
        let count = texts.len();
        texts.sort();
        texts.dedup();
        assert_eq!(texts.len(), count, "a runtime path is named twice");
    }
}
