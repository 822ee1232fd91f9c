//! boto3's `PageIterator.search` for any paginator: a JMESPath expression evaluated on
//! each page as the AWS CLI and boto3 see it (member names as the model spells them,
//! through [`BotocoreSerialize`](crate::botocore::BotocoreSerialize), so the generated
//! crate's `botocore` feature must be on), the results yielded one by one: a list's
//! elements flattened, any other result (`null` included) as it is. Feature `search`.

use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};

use apigw_paginator::{PageSource, Pages, Paginated, PaginationError, Paginator};
use futures::Stream;
use serde_json::Value;

use crate::botocore::{Botocore, BotocoreSerialize};

/// Why a search failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError<E> {
    /// The expression does not parse.
    #[error("invalid JMESPath expression {expression:?}: {reason}")]
    Expression {
        /// The expression.
        expression: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Evaluating the expression on a page failed (a function given the wrong type).
    #[error("JMESPath expression {expression:?} failed on a page: {reason}")]
    Evaluation {
        /// The expression.
        expression: String,
        /// What failed.
        reason: String,
    },
    /// A page could not be rendered as JSON.
    #[error("a page could not be rendered: {0}")]
    Render(String),
    /// Fetching a page failed.
    #[error(transparent)]
    Pagination(#[from] PaginationError<E>),
}

/// `search` on a [`Paginator`].
pub trait PaginatorSearch<Op: Paginated, S: PageSource<Op::Input, Op::Output>> {
    /// The results of `expression` on every page, as a stream (nothing is sent until it
    /// is polled). Fails at once when the expression does not parse.
    fn search(self, expression: &str) -> Result<Search<Op, S>, SearchError<S::Error>>;

    /// The same, as a blocking iterator.
    fn search_blocking(
        self,
        expression: &str,
    ) -> Result<futures::executor::BlockingStream<Search<Op, S>>, SearchError<S::Error>>
    where
        Self: Sized,
        Op::Output: BotocoreSerialize,
    {
        self.search(expression)
            .map(futures::executor::block_on_stream)
    }
}

impl<Op, S> PaginatorSearch<Op, S> for Paginator<Op, S>
where
    Op: Paginated,
    Op::Output: BotocoreSerialize,
    S: PageSource<Op::Input, Op::Output>,
{
    fn search(self, expression: &str) -> Result<Search<Op, S>, SearchError<S::Error>> {
        let compiled = jpx_core::compile(expression).map_err(|e| SearchError::Expression {
            expression: expression.to_owned(),
            reason: e.to_string(),
        })?;
        Ok(Search {
            pages: self.pages(),
            expression: compiled,
            pending: VecDeque::new(),
            done: false,
        })
    }
}

/// The stream [`PaginatorSearch::search`] returns.
pub struct Search<Op: Paginated, S: PageSource<Op::Input, Op::Output>> {
    pages: Pages<Op, S>,
    expression: jpx_core::Expression<'static>,
    pending: VecDeque<Value>,
    done: bool,
}

impl<Op: Paginated, S: PageSource<Op::Input, Op::Output>> Unpin for Search<Op, S> {}

impl<Op, S> Stream for Search<Op, S>
where
    Op: Paginated,
    Op::Output: BotocoreSerialize,
    S: PageSource<Op::Input, Op::Output>,
{
    type Item = Result<Value, SearchError<S::Error>>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(next) = this.pending.pop_front() {
                return Poll::Ready(Some(Ok(next)));
            }
            if this.done {
                return Poll::Ready(None);
            }
            let page = match Pin::new(&mut this.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => {
                    this.done = true;
                    continue;
                }
                Poll::Ready(Some(Err(e))) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(e.into())));
                }
                Poll::Ready(Some(Ok(page))) => page,
            };
            let value = match serde_json::to_value(Botocore(&page)) {
                Ok(v) => v,
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(SearchError::Render(e.to_string()))));
                }
            };
            match this.expression.search(&value) {
                Ok(Value::Array(items)) => this.pending.extend(items),
                Ok(other) => this.pending.push_back(other),
                Err(e) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(SearchError::Evaluation {
                        expression: this.expression.as_str().to_owned(),
                        reason: e.to_string(),
                    })));
                }
            }
        }
    }
}
