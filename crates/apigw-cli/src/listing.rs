//! An operation as the CLI lists it: the same requests, but each page's result list is
//! taken out of the JSON body and turned into botocore values one item at a time. A
//! typed item is larger than its JSON (an `Integration` is ~600 bytes even when empty),
//! so holding a whole typed page of a million items would take many times the memory
//! of the output being built; this way only one typed item exists at a time.

use std::marker::PhantomData;
use std::ops::Range;

use apigw_paginator::Paginated;
use apigw_runtime::botocore::{Botocore, BotocoreSerialize};
use apigw_runtime::http::{
    BuildRequestError, HttpOperation, JsonResultList, ResponseError, ServiceInfo, http,
};
use serde_json::Value;

/// A page: the typed page with its result list emptied (so it still renders every other
/// member, in model order), and the list's items in botocore form.
pub struct Page<O> {
    /// The typed page; its result list is empty when the body had one, absent otherwise.
    pub page: O,
    /// The result list's items, or `None` when the body had no list.
    pub items: Option<Vec<Value>>,
}

/// `Op`, listed item by item (see the module docs).
pub struct Listing<Op>(PhantomData<fn() -> Op>);

/// The object that holds the last key of `path` (walking objects only), and that key.
pub(crate) fn parent_of<'v, 'k>(
    value: &'v mut Value,
    path: &[&'k str],
) -> Option<(&'v mut serde_json::Map<String, Value>, &'k str)> {
    let (last, parents) = path.split_last()?;
    let mut current = value;
    for key in parents {
        current = current.as_object_mut()?.get_mut(*key)?;
    }
    Some((current.as_object_mut()?, last))
}

/// Takes the value at `path` out of `body`, leaving an empty array in its place.
fn take_list(body: &mut Value, path: &[&str]) -> Option<Value> {
    let (parent, last) = parent_of(body, path)?;
    let slot = parent.get_mut(last)?;
    match slot {
        Value::Array(_) => Some(std::mem::replace(slot, Value::Array(Vec::new()))),
        _ => None,
    }
}

impl<Op> HttpOperation for Listing<Op>
where
    Op: JsonResultList
        + Paginated<Input = <Op as HttpOperation>::Input, Output = <Op as HttpOperation>::Output>,
    <Op as Paginated>::Item: serde::de::DeserializeOwned + BotocoreSerialize,
{
    type Input = <Op as HttpOperation>::Input;
    type Output = Page<<Op as HttpOperation>::Output>;
    type Error = <Op as HttpOperation>::Error;

    const NAME: &'static str = <Op as HttpOperation>::NAME;
    const SERVICE: &'static ServiceInfo = <Op as HttpOperation>::SERVICE;

    fn serialize(input: &Self::Input) -> Result<http::Request<Vec<u8>>, BuildRequestError> {
        Op::serialize(input)
    }

    fn deserialize(
        head: &http::response::Parts,
        body: &[u8],
    ) -> Result<Self::Output, ResponseError> {
        let status = head.status.as_u16();
        let mut wire: Value = apigw_runtime::http::json_body(status, body)?;
        let Some(Value::Array(list)) = take_list(&mut wire, Op::RESULT_JSON_PATH) else {
            // No list (or not an array, which the typed read reports): read as usual.
            return Ok(Page {
                page: Op::deserialize(head, body)?,
                items: None,
            });
        };
        let rest = serde_json::to_vec(&wire)
            .map_err(|e| ResponseError::new(status, format!("body: {e}")))?;
        drop(wire);
        let page = Op::deserialize(head, &rest)?;
        let path = Op::RESULT_JSON_PATH.join(".");
        let items = list
            .into_iter()
            .enumerate()
            .map(|(i, wire_item)| {
                let item: <Op as Paginated>::Item =
                    serde_json::from_value(wire_item).map_err(|e| {
                        ResponseError::new(
                            status,
                            format!("body is not the expected JSON: {path}[{i}]: {e}"),
                        )
                    })?;
                serde_json::to_value(Botocore(&item)).map_err(|e| {
                    ResponseError::new(status, format!("cannot render {path}[{i}]: {e}"))
                })
            })
            .collect::<Result<Vec<Value>, ResponseError>>()?;
        Ok(Page {
            page,
            items: Some(items),
        })
    }

    fn deserialize_error(
        code: &str,
        message: Option<&str>,
        head: &http::response::Parts,
        body: &[u8],
    ) -> Self::Error {
        Op::deserialize_error(code, message, head, body)
    }
}

impl<Op> Paginated for Listing<Op>
where
    Op: Paginated,
{
    type Input = Op::Input;
    type Output = Page<Op::Output>;
    type Item = Value;

    const OPERATION: &'static str = Op::OPERATION;
    const INPUT_TOKEN: &'static str = Op::INPUT_TOKEN;
    const RESULT_KEY: &'static str = Op::RESULT_KEY;
    const HAS_PAGE_SIZE: bool = Op::HAS_PAGE_SIZE;
    const JSON_TOKEN: bool = Op::JSON_TOKEN;

    fn check_token(token: &str) -> Result<(), String> {
        Op::check_token(token)
    }

    fn input_token(input: &Self::Input) -> Option<std::borrow::Cow<'_, str>> {
        Op::input_token(input)
    }

    fn set_input_token(input: &mut Self::Input, token: Option<String>) {
        Op::set_input_token(input, token);
    }

    fn set_page_size(input: &mut Self::Input, page_size: u32) {
        Op::set_page_size(input, page_size);
    }

    fn output_token(output: &Self::Output) -> Option<std::borrow::Cow<'_, str>> {
        Op::output_token(&output.page)
    }

    fn item_count(output: &Self::Output) -> usize {
        match &output.items {
            Some(items) => items.len(),
            None => Op::item_count(&output.page),
        }
    }

    fn retain_items(output: &mut Self::Output, keep: Range<usize>) {
        match &mut output.items {
            Some(items) => {
                items.truncate(keep.end);
                items.drain(..keep.start.min(items.len()));
            }
            None => Op::retain_items(&mut output.page, keep),
        }
    }

    fn into_items(output: Self::Output) -> Vec<Value> {
        output.items.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_list_is_taken_and_an_empty_one_left_in_its_place() {
        let mut body = json!({"items": [1, 2], "nextToken": "t"});
        assert_eq!(take_list(&mut body, &["items"]), Some(json!([1, 2])));
        assert_eq!(body, json!({"items": [], "nextToken": "t"}));
        let mut nested = json!({"page": {"list": [3]}});
        assert_eq!(take_list(&mut nested, &["page", "list"]), Some(json!([3])));
        assert_eq!(nested, json!({"page": {"list": []}}));
        let mut other = json!({"items": null});
        assert_eq!(take_list(&mut other, &["items"]), None);
        assert_eq!(take_list(&mut json!([]), &["items"]), None);
    }
}
