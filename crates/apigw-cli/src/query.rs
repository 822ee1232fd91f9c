//! `--query`: a JMESPath expression applied to the output as the AWS CLI applies it
//! (once on the whole result for json and table, per page for text, on the one
//! response with `--no-paginate`). The engine is jpx-core (spec functions only), on
//! `serde_json::Value` with insertion order kept, as jmespath.py keeps a dict's.

use serde_json::Value;

/// A compiled `--query`.
pub struct Query {
    expression: jpx_core::Expression<'static>,
}

impl Query {
    /// Compiles `text`; the error is the AWS CLI's line for a bad `--query`.
    pub fn new(text: &str) -> Result<Self, String> {
        jpx_core::compile(text)
            .map(|expression| Self { expression })
            .map_err(|e| {
                let reason = e.to_string();
                let reason = reason.lines().next().unwrap_or_default();
                format!("Bad value for --query {text}: Invalid jmespath expression: {reason}")
            })
    }

    /// The expression's result on `value`.
    pub fn apply(&self, value: &Value) -> Result<Value, String> {
        self.expression
            .search(value)
            .map_err(|e| format!("--query {}: {e}", self.expression.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn queries_select_project_and_keep_key_order() {
        let page = json!({"Items": [
            {"IntegrationId": "b", "IntegrationType": "HTTP", "TimeoutInMillis": 3},
            {"IntegrationId": "a", "IntegrationType": "MOCK", "TimeoutInMillis": 1}
        ], "NextToken": "t"});
        let q = |text: &str| Query::new(text).unwrap().apply(&page).unwrap();
        assert_eq!(q("Items[].IntegrationId"), json!(["b", "a"]));
        assert_eq!(
            q("Items[?IntegrationType=='MOCK'].IntegrationId"),
            json!(["a"])
        );
        assert_eq!(
            q("sort_by(Items, &TimeoutInMillis)[0].IntegrationId"),
            json!("a")
        );
        let hash = q("Items[0].{Z: IntegrationId, A: TimeoutInMillis}");
        let keys: Vec<&String> = hash.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Z", "A"], "multiselect keys keep their order");
        assert_eq!(q("Missing"), Value::Null);
    }

    #[test]
    fn a_bad_expression_gives_the_aws_cli_line() {
        let Err(e) = Query::new("Items[") else {
            panic!("accepted")
        };
        assert!(
            e.starts_with("Bad value for --query Items[: Invalid jmespath expression: "),
            "{e}"
        );
        assert!(!e.contains('\n'));
    }
}
