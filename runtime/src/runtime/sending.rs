//! The future a request builder becomes when it is sent: one type for every operation, with
//! the operation's decoder as a function pointer.
//!
//! Why not an `async fn send` boxed per operation: a boxed future is compiled where it is
//! boxed, so every operation's sending and decoding would be compiled into this crate whether a
//! program uses it or not. The builders' `send`, request and decoder are `#[inline]` and this
//! type is generic, so an operation's code is compiled in the program that awaits it, and only
//! for the operations it awaits.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use reqwest::RequestBuilder;

use super::error::Failure;
use super::{ApiResponse, BoxFuture, Client, Error, RawResponse};

/// How an operation turns the answer it received into its typed result.
pub(crate) type Decode<T, E> = fn(RawResponse) -> Result<ApiResponse<T>, Error<E>>;

/// A request on its way: what `.await`ing a request builder (or calling its `send()`) gives.
///
/// It owns what it needs (the client is shared, not borrowed), so it can be spawned onto a
/// runtime. The request was built when the builder was sent; nothing goes over the network until
/// the future is first polled. A request that could not be built (a parameter outside its
/// documented bounds, a body that cannot be encoded) resolves to that error.
#[must_use = "a request does nothing until it is awaited"]
pub struct Sending<T, E> {
    state: State<E>,
    decode: Decode<T, E>,
}

enum State<E> {
    Sending(BoxFuture<'static, Result<RawResponse, Failure>>),
    Refused(Error<E>),
    Done,
}

impl<T, E> Sending<T, E> {
    /// Sends `request` with `client` when first polled, then decodes the answer with `decode`.
    pub(crate) fn new(
        client: &Client,
        request: Result<RequestBuilder, Error<E>>,
        decode: Decode<T, E>,
    ) -> Self {
        let state = match request {
            Ok(request) => State::Sending(client.start(request)),
            Err(err) => State::Refused(err),
        };
        Sending { state, decode }
    }
}

// Nothing in it is pinned in place: the request's future is pinned in its own box.
impl<T, E> Unpin for Sending<T, E> {}

impl<T, E> Future for Sending<T, E> {
    type Output = Result<ApiResponse<T>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let outcome = match &mut this.state {
            State::Sending(future) => match future.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(outcome) => outcome.map_err(Error::from),
            },
            State::Refused(_) | State::Done => {
                match std::mem::replace(&mut this.state, State::Done) {
                    State::Refused(err) => Err(err),
                    _ => panic!("a request's future was polled after it completed"),
                }
            }
        };
        this.state = State::Done;
        Poll::Ready(outcome.and_then(this.decode))
    }
}

impl<T, E> fmt::Debug for Sending<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Sending(_) => "sending",
            State::Refused(_) => "refused",
            State::Done => "done",
        };
        f.debug_struct("Sending")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}
