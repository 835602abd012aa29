//! Request bodies that need not be in memory: [`Body`], the content of a raw (`application/
//! octet-stream`, `image/*`…) request body and of a multipart [`File`](crate::File) part.
//!
//! A body is bytes in memory, a file read from disk as it is sent ([`Body::from_path`]), or a
//! stream of chunks ([`Body::from_stream`]); a multipart body is a sequence of such pieces (its
//! delimiters and headers in memory, each file's content as given). Bytes and files can be sent
//! again, so a request with them is retried as any other; a stream is consumed by the first
//! attempt, so a request with one is never retried.

use std::fmt;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_core::Stream;
use futures_util::{StreamExt, TryStreamExt, stream};

use crate::error::Error;

/// An error of a body's stream, as the HTTP client takes it.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync>;

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// How much of a file is read at a time.
const FILE_CHUNK: usize = 64 * 1024;

/// The content of a request body or of a multipart file part.
///
/// ```no_run
/// use codegen_runtime::Body;
///
/// // In memory: anything that converts into `Bytes`.
/// let small = Body::from(b"hello".to_vec());
/// // Read from disk as it is sent, a chunk at a time: never whole in memory.
/// let video = Body::from_path("recording.mp4");
/// // Any stream of byte chunks, sent as it yields them (chunked, unless the length is given).
/// let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(b"a".to_vec()), Ok(b"b".to_vec())]);
/// let streamed = Body::from_stream(chunks).with_length(2);
/// ```
///
/// Cloning is cheap: clones share the content. A stream is sent once, by whichever clone sends
/// it first; a request whose body holds a stream is never retried (its content is gone), and
/// sending it again fails with [`Error::InvalidRequest`]. A file's length is read when the
/// request is sent (its `Content-Length`); a file that cannot be read then fails the request
/// with [`Error::InvalidRequest`] naming it, before anything is sent.
#[derive(Clone)]
pub struct Body {
    pieces: Arc<[Piece]>,
}

#[derive(Clone)]
enum Piece {
    Bytes(Bytes),
    Path(Arc<PathBuf>),
    Stream { chunks: Arc<Mutex<Option<Chunks>>>, length: Option<u64> },
}

impl Body {
    /// The content of the file at `path`, read from disk as the request is sent, a chunk at a
    /// time. Each attempt of a retried request reads it again.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        Self::piece(Piece::Path(Arc::new(path.into())))
    }

    /// The chunks `stream` yields, sent as it yields them, without a `Content-Length` (chunked
    /// transfer coding) unless [`Body::with_length`] gives it. An error of the stream fails the
    /// request with [`Error::Connection`].
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        let chunks: Chunks = Box::pin(stream.map(|chunk| chunk.map(Into::into).map_err(Into::into)));
        Self::piece(Piece::Stream { chunks: Arc::new(Mutex::new(Some(chunks))), length: None })
    }

    /// Declares a stream's length, sent as the `Content-Length` (some servers, e.g. object
    /// stores' signed URLs, require one); the stream must yield exactly that many bytes, or the
    /// request fails. Ignored for content whose length is known.
    #[must_use]
    pub fn with_length(self, length: u64) -> Self {
        match &*self.pieces {
            [Piece::Stream { chunks, length: _ }] => {
                Self::piece(Piece::Stream { chunks: Arc::clone(chunks), length: Some(length) })
            }
            _ => self,
        }
    }

    /// The content, when it is in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &*self.pieces {
            [Piece::Bytes(bytes)] => Some(bytes),
            _ => None,
        }
    }

    /// Whether the body can be sent more than once (it holds no stream).
    pub fn is_replayable(&self) -> bool {
        self.pieces.iter().all(|piece| !matches!(piece, Piece::Stream { .. }))
    }

    fn piece(piece: Piece) -> Self {
        Self { pieces: Arc::new([piece]) }
    }

    /// A body of these pieces in order, their neighbouring bytes joined (a multipart body).
    pub(crate) fn concat(bodies: Vec<Body>) -> Self {
        let mut pieces: Vec<Piece> = Vec::new();
        let mut pending: Vec<u8> = Vec::new();
        for body in bodies {
            for piece in body.pieces.iter() {
                match piece {
                    Piece::Bytes(bytes) => pending.extend_from_slice(bytes),
                    other => {
                        if !pending.is_empty() {
                            pieces.push(Piece::Bytes(std::mem::take(&mut pending).into()));
                        }
                        pieces.push(other.clone());
                    }
                }
            }
        }
        if !pending.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Bytes(pending.into()));
        }
        Self { pieces: pieces.into() }
    }

    /// The pieces of content that are in memory (for the multipart boundary check).
    pub(crate) fn in_memory(&self) -> impl Iterator<Item = &Bytes> {
        self.pieces.iter().filter_map(|piece| match piece {
            Piece::Bytes(bytes) => Some(bytes),
            _ => None,
        })
    }

    /// The body as the HTTP client sends it, and its length when known. Bytes are sent as they
    /// are; anything else as a stream of chunks, files opened and streams taken here.
    pub(crate) async fn to_http(&self) -> Result<(reqwest::Body, Option<u64>), Error> {
        if let Some(bytes) = self.as_bytes() {
            return Ok((reqwest::Body::from(bytes.clone()), Some(bytes.len() as u64)));
        }
        let mut length = Some(0u64);
        let mut chunks: Vec<Chunks> = Vec::with_capacity(self.pieces.len());
        for piece in self.pieces.iter() {
            let (piece_length, piece_chunks) = match piece {
                Piece::Bytes(bytes) => (
                    Some(bytes.len() as u64),
                    Box::pin(stream::once(futures_util::future::ready(Ok(bytes.clone())))) as Chunks,
                ),
                Piece::Path(path) => {
                    let metadata = tokio::fs::metadata(&**path).await.map_err(|e| unreadable(path, &e))?;
                    let file = tokio::fs::File::open(&**path).await.map_err(|e| unreadable(path, &e))?;
                    let chunks = tokio_util::io::ReaderStream::with_capacity(file, FILE_CHUNK).map_err(BoxError::from);
                    (Some(metadata.len()), Box::pin(chunks) as Chunks)
                }
                Piece::Stream { chunks, length } => {
                    let taken = chunks.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
                    let Some(taken) = taken else {
                        return Err(Error::InvalidRequest(
                            "the body's stream was sent already: a stream is sent once, so the request cannot be \
                             sent again"
                                .into(),
                        ));
                    };
                    (*length, taken)
                }
            };
            length = length.zip(piece_length).map(|(a, b)| a + b);
            chunks.push(piece_chunks);
        }
        let body = stream::iter(chunks).flatten();
        Ok((reqwest::Body::wrap_stream(body), length))
    }
}

fn unreadable(path: &Path, error: &std::io::Error) -> Error {
    Error::InvalidRequest(format!("cannot read the file `{}` to send: {error}", path.display()))
}

impl From<Bytes> for Body {
    fn from(bytes: Bytes) -> Self {
        Self::piece(Piece::Bytes(bytes))
    }
}

impl From<Vec<u8>> for Body {
    fn from(bytes: Vec<u8>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for Body {
    fn from(bytes: &'static [u8]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }
}

impl<const N: usize> From<&'static [u8; N]> for Body {
    fn from(bytes: &'static [u8; N]) -> Self {
        Self::from(Bytes::from_static(bytes))
    }
}

impl From<String> for Body {
    fn from(text: String) -> Self {
        Self::from(Bytes::from(text))
    }
}

impl From<&'static str> for Body {
    fn from(text: &'static str) -> Self {
        Self::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<Box<[u8]>> for Body {
    fn from(bytes: Box<[u8]>) -> Self {
        Self::from(Bytes::from(bytes))
    }
}

/// Equal when they are the same content: equal bytes, the same path, or the same stream.
impl PartialEq for Body {
    fn eq(&self, other: &Self) -> bool {
        self.pieces.len() == other.pieces.len()
            && self.pieces.iter().zip(other.pieces.iter()).all(|pair| match pair {
                (Piece::Bytes(a), Piece::Bytes(b)) => a == b,
                (Piece::Path(a), Piece::Path(b)) => a == b,
                (Piece::Stream { chunks: a, length: m }, Piece::Stream { chunks: b, length: n }) => {
                    Arc::ptr_eq(a, b) && m == n
                }
                _ => false,
            })
    }
}

impl Eq for Body {}

// The content is left out: it may be large, and is rarely readable.
impl fmt::Debug for Body {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for piece in self.pieces.iter() {
            match piece {
                Piece::Bytes(bytes) => list.entry(&format_args!("{} bytes", bytes.len())),
                Piece::Path(path) => list.entry(&format_args!("file {}", path.display())),
                Piece::Stream { length: Some(length), .. } => list.entry(&format_args!("stream of {length} bytes")),
                Piece::Stream { length: None, .. } => list.entry(&format_args!("stream")),
            };
        }
        list.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn collect(body: &Body) -> Result<(Vec<u8>, Option<u64>), Error> {
        let (http, length) = body.to_http().await?;
        let mut stream = http_body_util::BodyDataStream::new(http);
        let mut out = Vec::new();
        while let Some(chunk) = stream.next().await {
            out.extend_from_slice(&chunk.map_err(|e| Error::InvalidRequest(e.to_string()))?);
        }
        Ok((out, length))
    }

    #[tokio::test]
    async fn pieces_are_sent_in_order_with_their_length() {
        let dir = std::env::temp_dir().join(format!("body-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let path = dir.join("part.bin");
        std::fs::write(&path, vec![7u8; 200_000]).unwrap_or_else(|e| panic!("{e}"));
        let stream = stream::iter([Ok::<_, std::io::Error>(b"xy".to_vec())]);
        let body = Body::concat(vec![
            Body::from("--a\r\n"),
            Body::from_path(&path),
            Body::from("\r\n"),
            Body::from_stream(stream).with_length(2),
            Body::from("--a--"),
        ]);
        assert!(!body.is_replayable());
        let (bytes, length) = collect(&body).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(length, Some(5 + 200_000 + 2 + 2 + 5));
        assert_eq!(bytes.len() as u64, length.unwrap_or_default());
        assert!(bytes.starts_with(b"--a\r\n\x07") && bytes.ends_with(b"\x07\r\nxy--a--"));
        let again = collect(&body).await.expect_err("a stream is sent once");
        assert!(again.to_string().contains("sent once"), "{again}");
        std::fs::remove_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    }

    #[tokio::test]
    async fn a_missing_file_fails_before_sending_and_names_the_file() {
        let body = Body::from_path("/nonexistent/upload.bin");
        assert!(body.is_replayable());
        let error = collect(&body).await.expect_err("no such file");
        assert!(error.to_string().contains("/nonexistent/upload.bin"), "{error}");
    }

    #[test]
    fn bytes_are_in_memory_and_debug_leaves_content_out() {
        let body = Body::from(b"secret".to_vec());
        assert_eq!(body.as_bytes().map(|b| b.len()), Some(6));
        assert_eq!(format!("{body:?}"), "[6 bytes]");
        assert_eq!(
            Body::concat(vec![Body::from("a"), Body::from("b")]).as_bytes().map(|b| b.to_vec()),
            Some(b"ab".to_vec())
        );
    }
}
