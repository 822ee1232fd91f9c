//! Paging an operation through a client: the page source and the paginator types.

use std::future::Future;
use std::pin::Pin;

use super::*;

/// A [`apigw_paginator::PageSource`] that sends one operation through a client.
#[derive(Clone, Debug)]
pub struct OperationSource<C, Op> {
    client: C,
    _op: std::marker::PhantomData<fn() -> Op>,
}

impl<C, Op> OperationSource<C, Op> {
    /// `Op` through `client`.
    pub fn new(client: C) -> Self {
        Self {
            client,
            _op: std::marker::PhantomData,
        }
    }
}

/// The paginator of operation `Op` sent through client `C`.
pub type OperationPaginator<C, Op> = apigw_paginator::Paginator<Op, OperationSource<C, Op>>;

/// What creating an [`OperationPaginator`] returns.
pub type PaginatorResult<C, Op> = Result<
    OperationPaginator<C, Op>,
    apigw_paginator::PaginationError<SdkError<<Op as HttpOperation>::Error>>,
>;

/// The future of one page request.
pub type PageFuture<O, E> = Pin<Box<dyn Future<Output = Result<O, SdkError<E>>> + Send>>;

impl<C, Op> apigw_paginator::PageSource<Op::Input, Op::Output> for OperationSource<C, Op>
where
    C: HttpClient,
    Op: HttpOperation,
{
    type Error = SdkError<Op::Error>;
    type Future = PageFuture<Op::Output, Op::Error>;

    fn send(&self, input: Op::Input) -> Self::Future {
        let client = self.client.clone();
        Box::pin(async move { client.send::<Op>(input).await })
    }
}
