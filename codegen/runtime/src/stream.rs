//! Streamed responses, read as the server sends them: server-sent events ([`EventStream`]),
//! JSON Lines, NDJSON and JSON text sequences ([`ItemStream`]), and raw bytes ([`ByteStream`]).
//!
//! `.await` on a streaming operation sends the request (retried as any other, while nothing has
//! been delivered) and returns the stream once the response's head has arrived with a success
//! status; an error status is an [`Error::Api`] as usual. From then on:
//!
//! - the client's timeout no longer applies: each chunk must arrive within the *idle timeout*
//!   (by default the client's timeout; [`Pending::idle_timeout`]), else the stream ends with
//!   [`Error::Timeout`];
//! - [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes) does not
//!   cut the stream; [`Pending::max_stream_bytes`] sets a limit of its own (none by default),
//!   past which the stream ends with [`Error::Stream`];
//! - nothing is retried: a broken connection is an [`Error::Connection`] item, a server that
//!   closes in the middle of an item an [`Error::Stream`] item, and the stream ends after it;
//! - an item that does not decode is an [`Error::Decode`] item naming the JSON path, and the
//!   stream goes on.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use eventsource_stream::EventStreamError;
use futures_core::Stream;
use reqwest::header::{self, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;

use crate::auth::Security;
use crate::client::{Client, Received, Request};
use crate::error::Error;
use crate::response::Pending;

/// How a streamed response becomes the stream the caller gets.
pub(crate) type Open<T> = fn(Received, Settings) -> T;

/// A streamed request's settings, beyond the client's.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Settings {
    /// The longest wait for the next chunk; the client's timeout when not set.
    idle: Option<Duration>,
    /// The most bytes read from the body; no limit when not set.
    max_bytes: Option<u64>,
    /// The `data` of an event that ends the stream (OpenAI's `[DONE]`).
    terminator: Option<&'static str>,
}

impl Settings {
    pub(crate) fn or_idle(self, idle: Duration) -> Self {
        Self { idle: Some(self.idle.unwrap_or(idle)), ..self }
    }
}

/// How the items of a line-delimited JSON stream are separated.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// JSON Lines, NDJSON: one JSON text per line (`application/jsonl`, `application/x-ndjson`).
    Json,
    /// JSON text sequences (RFC 7464, `application/json-seq`): each text after a record
    /// separator (0x1E) and before a line feed.
    Seq,
}

impl Client {
    fn streamed<T, Q>(
        &self,
        (method, template, path, query, security): (Method, &'static str, &[(&'static str, &str)], &Q, Security),
        accept: &'static str,
        open: Open<T>,
        terminator: Option<&'static str>,
    ) -> Pending<T>
    where
        Q: serde::Serialize + ?Sized,
    {
        let request = Request::build(method, template, path, query, security).map(|mut request| {
            request.streamed = true;
            request.headers.push((header::ACCEPT, HeaderValue::from_static(accept)));
            request
        });
        let mut pending = Pending::new(self.clone(), request, |_| {
            // `Pending` opens a streamed response with `open`; it never decodes one whole.
            Err(Error::InvalidRequest("a streamed response is not read whole".to_owned()))
        });
        pending.stream = Some((open, Settings { terminator, ..Settings::default() }));
        pending
    }

    /// A request whose success response is a stream of server-sent events (`text/event-stream`),
    /// each event's `data` decoded as `E`; an event whose `data` is exactly `terminator` ends
    /// the stream.
    #[doc(hidden)]
    pub fn request_events<E, Q>(
        &self,
        method: Method,
        template: &'static str,
        path: &[(&'static str, &str)],
        query: &Q,
        security: Security,
        terminator: Option<&'static str>,
    ) -> Pending<EventStream<E>>
    where
        E: DeserializeOwned,
        Q: serde::Serialize + ?Sized,
    {
        self.streamed((method, template, path, query, security), "text/event-stream", EventStream::open, terminator)
    }

    /// A request whose success response is a stream of JSON texts, as `lines` says, each decoded
    /// as `T`; `accept` is the media type asked for.
    #[doc(hidden)]
    #[allow(clippy::too_many_arguments)]
    pub fn request_items<T, Q>(
        &self,
        method: Method,
        template: &'static str,
        path: &[(&'static str, &str)],
        query: &Q,
        security: Security,
        accept: &'static str,
        lines: Lines,
    ) -> Pending<ItemStream<T>>
    where
        T: DeserializeOwned,
        Q: serde::Serialize + ?Sized,
    {
        let open = match lines {
            Lines::Json => ItemStream::open_lines,
            Lines::Seq => ItemStream::open_seq,
        };
        self.streamed((method, template, path, query, security), accept, open, None)
    }

    /// A request whose success body is read as a stream of bytes; `accept` is the media type
    /// asked for.
    #[doc(hidden)]
    pub fn request_bytes<Q>(
        &self,
        method: Method,
        template: &'static str,
        path: &[(&'static str, &str)],
        query: &Q,
        security: Security,
        accept: &'static str,
    ) -> Pending<ByteStream>
    where
        Q: serde::Serialize + ?Sized,
    {
        self.streamed((method, template, path, query, security), accept, ByteStream::open, None)
    }
}

/// The settings of a streamed request, on the [`Pending`] request of a streaming operation.
macro_rules! settings_methods {
    ($([$($generic:ident)?] $ty:ty),*) => {$(
        impl$(<$generic>)? Pending<$ty> {
            /// The longest wait for the next chunk of the body once the stream has started
            /// (by default the client's timeout, which here bounds only the wait for the
            /// response's head); a longer silence ends the stream with [`Error::Timeout`].
            pub fn idle_timeout(mut self, idle: Duration) -> Self {
                if let Some((_, settings)) = &mut self.stream {
                    settings.idle = Some(idle);
                }
                self
            }

            /// The most bytes read from the body (no limit by default:
            /// [`ClientBuilder::max_response_bytes`](crate::ClientBuilder::max_response_bytes)
            /// does not apply to streams); past it, the stream ends with [`Error::Stream`].
            pub fn max_stream_bytes(mut self, bytes: u64) -> Self {
                if let Some((_, settings)) = &mut self.stream {
                    settings.max_bytes = Some(bytes);
                }
                self
            }
        }
    )*};
}

settings_methods!([E] EventStream<E>, [T] ItemStream<T>, [] ByteStream);

/// The body's chunks, each within the idle timeout, at most the byte limit in all.
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, Error>> + Send>>;

struct BodyState {
    response: Option<reqwest::Response>,
    request: String,
    idle: Duration,
    max_bytes: Option<u64>,
    read: u64,
}

fn chunks(received: Received, settings: Settings) -> Chunks {
    let state = BodyState {
        response: received.response,
        request: received.request,
        // `or_idle` set it; the client's default is the fallback all the same.
        idle: settings.idle.unwrap_or(Duration::from_secs(60)),
        max_bytes: settings.max_bytes,
        read: 0,
    };
    Box::pin(futures_util::stream::unfold(state, |mut state| async move {
        let response = state.response.as_mut()?;
        let item = match tokio::time::timeout(state.idle, response.chunk()).await {
            Err(_) => Err(Error::Timeout { request: state.request.clone(), timeout: state.idle, attempts: 1 }),
            Ok(Err(e)) => {
                Err(Error::Connection { request: state.request.clone(), source: e.without_url(), attempts: 1 })
            }
            Ok(Ok(None)) => return None,
            Ok(Ok(Some(chunk))) => {
                state.read += chunk.len() as u64;
                match state.max_bytes {
                    Some(max) if state.read > max => {
                        Err(Error::Stream(format!("{}: the body went over the limit of {max} bytes", state.request)))
                    }
                    _ => Ok(chunk),
                }
            }
        };
        if item.is_err() {
            // Closes the connection: nothing more is read after an error.
            state.response = None;
        }
        Some((item, state))
    }))
}

/// One server-sent event: its `data` decoded, and the other fields as the server sent them.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Event<E> {
    /// The event's `data` (its `data:` lines joined by line feeds), decoded as JSON.
    pub data: E,
    /// The event type (its `event:` field), `message` when the server sent none.
    pub event: String,
    /// The last event id the server sent (an `id:` field of this or an earlier event), or empty.
    pub id: String,
    /// The reconnection time the event asked for (its `retry:` field).
    pub retry: Option<Duration>,
}

/// A stream of server-sent events (`text/event-stream`), each event's `data` decoded as `E`:
/// a [`Stream`] of `Result<Event<E>, Error>`, read with `StreamExt::next` of the `futures` crate
/// (or `tokio-stream`).
///
/// Comments and keep-alives (`: ping`) and events with empty data are skipped; an event of any type
/// is delivered (its `event` field tells which). An event whose `data` does not decode is an
/// [`Error::Decode`] item naming the JSON path, and the stream goes on. The stream ends when the
/// server closes it, at an event whose `data` is the operation's terminator (OpenAI's `[DONE]`),
/// or after an error item that breaks it (see [`Error::Stream`]). Dropping it closes the
/// connection.
pub struct EventStream<E> {
    events: eventsource_stream::EventStream<Tracked>,
    /// Whether the body ended in the middle of an event.
    incomplete: Arc<AtomicBool>,
    terminator: Option<&'static str>,
    status: StatusCode,
    done: bool,
    item: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for EventStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream").field("status", &self.status).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<E> EventStream<E> {
    fn open(received: Received, settings: Settings) -> Self {
        let status = received.status;
        let incomplete = Arc::new(AtomicBool::new(false));
        let tracked =
            Tracked { chunks: chunks(received, settings), scan: Scan::default(), incomplete: incomplete.clone() };
        Self {
            events: eventsource_stream::EventStream::new(tracked),
            incomplete,
            terminator: settings.terminator,
            status,
            done: false,
            item: PhantomData,
        }
    }
}

impl<E: DeserializeOwned> Stream for EventStream<E> {
    type Item = Result<Event<E>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let error = loop {
            match ready!(Pin::new(&mut this.events).poll_next(cx)) {
                Some(Ok(event)) if this.terminator == Some(event.data.as_str()) => break None,
                // An event with an empty `data:` (a keep-alive) holds no item.
                Some(Ok(event)) if event.data.is_empty() => continue,
                Some(Ok(event)) => {
                    let eventsource_stream::Event { event, data, id, retry } = event;
                    return Poll::Ready(Some(match crate::codec::from_str::<E>(&data) {
                        Ok(data) => Ok(Event { data, event, id, retry }),
                        Err(mut error) => {
                            error.status = Some(this.status);
                            Err(Error::from(error))
                        }
                    }));
                }
                Some(Err(EventStreamError::Transport(error))) => break Some(error),
                Some(Err(EventStreamError::Utf8(error))) => {
                    break Some(Error::Stream(format!("the event stream is not UTF-8 text: {error}")));
                }
                Some(Err(EventStreamError::Parser(error))) => {
                    break Some(Error::Stream(format!("the event stream does not parse: {error}")));
                }
                None if this.incomplete.load(Ordering::Relaxed) => {
                    break Some(Error::Stream("the server closed the stream in the middle of an event".to_owned()));
                }
                None => break None,
            }
        };
        this.done = true;
        Poll::Ready(error.map(Err))
    }
}

/// The body's chunks, watched for where the last one ends: the SSE parser drops an event the
/// body ends in the middle of, which must be an error rather than a silent end.
struct Tracked {
    chunks: Chunks,
    scan: Scan,
    incomplete: Arc<AtomicBool>,
}

impl Stream for Tracked {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let item = ready!(self.chunks.as_mut().poll_next(cx));
        if let Some(Ok(chunk)) = &item {
            self.scan.feed(chunk);
            let incomplete = self.scan.incomplete();
            self.incomplete.store(incomplete, Ordering::Relaxed);
        }
        Poll::Ready(item)
    }
}

/// Where an event stream is, line by line (lines end in CRLF, LF or CR; a blank line ends an
/// event): whether a field line was read since the last blank line, or a line is unfinished.
#[derive(Debug, Clone, Copy)]
struct Scan {
    line_start: bool,
    field_seen: bool,
    after_cr: bool,
}

impl Default for Scan {
    fn default() -> Self {
        Self { line_start: true, field_seen: false, after_cr: false }
    }
}

impl Scan {
    fn feed(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            if byte == b'\n' && self.after_cr {
                self.after_cr = false;
                continue;
            }
            self.after_cr = byte == b'\r';
            if byte == b'\n' || byte == b'\r' {
                if self.line_start {
                    self.field_seen = false;
                }
                self.line_start = true;
            } else if self.line_start {
                self.line_start = false;
                // A comment (`: ping`) holds no part of an event.
                self.field_seen |= byte != b':';
            }
        }
    }

    fn incomplete(&self) -> bool {
        self.field_seen || !self.line_start
    }
}

/// A stream of JSON texts (JSON Lines, NDJSON, or a JSON text sequence), each decoded as `T`:
/// a [`Stream`] of `Result<T, Error>`.
///
/// Blank lines are skipped. An item that does not decode is an [`Error::Decode`] item naming
/// the JSON path, and the stream goes on; it ends when the server closes it, or after an error
/// item that breaks it (a last item cut short is an [`Error::Stream`]). Dropping it closes the
/// connection.
pub struct ItemStream<T> {
    chunks: Chunks,
    buffer: BytesMut,
    /// How far `buffer` was searched for a separator.
    searched: usize,
    lines: Lines,
    status: StatusCode,
    ended: bool,
    done: bool,
    item: PhantomData<fn() -> T>,
}

impl<T> fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemStream").field("status", &self.status).field("done", &self.done).finish_non_exhaustive()
    }
}

impl<T> ItemStream<T> {
    fn open(received: Received, settings: Settings, lines: Lines) -> Self {
        Self {
            status: received.status,
            chunks: chunks(received, settings),
            buffer: BytesMut::new(),
            searched: 0,
            lines,
            ended: false,
            done: false,
            item: PhantomData,
        }
    }

    fn open_lines(received: Received, settings: Settings) -> Self {
        Self::open(received, settings, Lines::Json)
    }

    fn open_seq(received: Received, settings: Settings) -> Self {
        Self::open(received, settings, Lines::Seq)
    }

    fn separator(&self) -> u8 {
        match self.lines {
            Lines::Json => b'\n',
            Lines::Seq => 0x1E,
        }
    }
}

impl<T: DeserializeOwned> ItemStream<T> {
    fn decode(&self, text: &[u8]) -> Result<T, Error> {
        crate::codec::from_slice::<T>(text).map_err(|mut error| {
            error.status = Some(self.status);
            Error::from(error)
        })
    }
}

/// Whether `text` is only white space (and record separators).
fn blank(text: &[u8]) -> bool {
    text.iter().all(|b| b.is_ascii_whitespace() || *b == 0x1E)
}

impl<T: DeserializeOwned> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.done {
                return Poll::Ready(None);
            }
            let separator = this.separator();
            if let Some(at) = this.buffer[this.searched..].iter().position(|b| *b == separator) {
                let text = this.buffer.split_to(this.searched + at + 1);
                this.searched = 0;
                // Without its separator, which a JSON text sequence puts at the next item's start.
                let text = text.strip_suffix(&[separator]).unwrap_or(&text);
                if !blank(text) {
                    return Poll::Ready(Some(this.decode(text)));
                }
                continue;
            }
            this.searched = this.buffer.len();
            if this.ended {
                this.done = true;
                let rest = this.buffer.split();
                if blank(&rest) {
                    return Poll::Ready(None);
                }
                // A JSON text sequence's last item is complete only with its line feed; a JSON
                // Lines stream may end without one.
                let cut = this.lines == Lines::Seq && !rest.ends_with(b"\n");
                return Poll::Ready(Some(match this.decode(&rest) {
                    Ok(item) if !cut => Ok(item),
                    _ => Err(Error::Stream("the server closed the stream in the middle of an item".to_owned())),
                }));
            }
            match ready!(this.chunks.as_mut().poll_next(cx)) {
                Some(Ok(chunk)) => this.buffer.extend_from_slice(&chunk),
                Some(Err(error)) => {
                    this.done = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None => this.ended = true,
            }
        }
    }
}

/// A response body read as the server sends it: a [`Stream`] of `Result<Bytes, Error>`, in
/// memory one chunk at a time. [`ByteStream::collect`] reads it whole instead.
///
/// It ends when the server closes it, or after an error item ([`Error::Connection`],
/// [`Error::Timeout`], [`Error::Stream`]). Dropping it closes the connection.
pub struct ByteStream {
    chunks: Chunks,
    status: StatusCode,
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").field("status", &self.status).finish_non_exhaustive()
    }
}

impl ByteStream {
    fn open(received: Received, settings: Settings) -> Self {
        Self { status: received.status, chunks: chunks(received, settings) }
    }

    /// Reads the rest of the body into memory.
    ///
    /// # Errors
    /// The first error item.
    pub async fn collect(mut self) -> Result<Bytes, Error> {
        let mut body = BytesMut::new();
        while let Some(chunk) = std::future::poll_fn(|cx| self.chunks.as_mut().poll_next(cx)).await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body.freeze())
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::Scan;

    fn incomplete(text: &str) -> bool {
        let mut scan = Scan::default();
        // Fed a byte at a time too, since a chunk may end anywhere.
        let mut bytewise = Scan::default();
        scan.feed(text.as_bytes());
        for byte in text.as_bytes() {
            bytewise.feed(&[*byte]);
        }
        assert_eq!(scan.incomplete(), bytewise.incomplete(), "{text:?}");
        scan.incomplete()
    }

    #[test]
    fn a_body_ends_in_the_middle_of_an_event_or_not() {
        assert!(!incomplete(""));
        assert!(!incomplete("data: 1\n\n"));
        assert!(!incomplete("data: 1\r\n\r\n"));
        assert!(!incomplete("data: 1\r\r"));
        assert!(!incomplete("data: 1\n\n: ping\n"));
        assert!(incomplete("data: 1\n"));
        assert!(incomplete("data: 1\n\ndata: {\"a\""));
        assert!(incomplete("event: x\r\n"));
        assert!(incomplete(": ping"));
    }
}
