//! `multipart/form-data` request bodies (RFC 7578): [`File`], the value of a file part, and the
//! encoder that the generated multipart structs write their parts into.
//!
//! The body is encoded by hand, once: every attempt of a retried request sends the same bytes (a
//! streamed `reqwest::multipart::Form` is consumed by its first attempt), and the parts come out
//! in the order the generated code writes them. Content in memory is joined into one buffer; a
//! file's content read from disk ([`File::from_path`]) or from a stream ([`File::from_stream`]) is
//! sent as it is read, never held whole ([`Body`]).
//! Names and file names are escaped as browsers do (the WHATWG HTML standard's
//! `multipart/form-data` encoding, which servers are written against): `"`, CR and LF become
//! `%22`, `%0D` and `%0A`, and other characters are sent as UTF-8. The boundary is random (128
//! bits) and checked against every part's content in memory, so no such content can end a part
//! early; content read as it is sent cannot be checked, and 128 random bits make a clash all but
//! impossible.

use std::fmt::{self, Display};

use std::path::PathBuf;

use bytes::Bytes;
use futures_core::Stream;

use crate::body::{Body, BoxError};
use crate::error::Error;

/// A file sent as one part of a `multipart/form-data` body: its content, and the file name and
/// content type the part declares.
///
/// ```
/// use codegen_runtime::File;
///
/// let file = File::new(b"\x89PNG\r\n".to_vec()).file_name("logo.png").content_type("image/png");
/// assert_eq!(file.bytes().map(|b| b.len()), Some(6));
/// assert_eq!(file.file_name.as_deref(), Some("logo.png"));
///
/// // Read from disk as it is sent, never whole in memory; named `video.mp4`.
/// let video = File::from_path("/data/video.mp4");
/// assert_eq!(video.file_name.as_deref(), Some("video.mp4"));
/// ```
///
/// Servers take a part as a file only when it has a file name (the HTML standard's parsing, Go's
/// `FormFile`, PHP's `$_FILES`, multer, Spring's `MultipartFile`); a part without one is a text
/// field. So a file without a name is sent under the part's name where the API description
/// declares binary content (`format: binary`, `contentMediaType`), as Python's `requests` does
/// (browsers send `blob`): give the real name when the server cares. Without a content type the
/// part is sent with the one the API description declares for it, else
/// `application/octet-stream`.
///
/// A part the API description gives no type at all is a `File` too (OpenAPI's default for it is
/// `application/octet-stream`): any bytes, sent as a file when the `File` has a name, else as a
/// field of these bytes, e.g. text:
/// `File::new("https://example.com/spec.json").content_type("text/plain")`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct File {
    /// The content, sent as it is: bytes in memory, a file on disk or a stream. Clones share it.
    pub content: Body,
    /// The `filename` of the part's `Content-Disposition`.
    pub file_name: Option<String>,
    /// The part's `Content-Type`; it must be header text (visible ASCII), or sending fails with
    /// [`Error::InvalidRequest`].
    pub content_type: Option<String>,
}

impl File {
    /// A file of these bytes (a `Vec<u8>`, `Bytes`, `&'static [u8]`, `String`…), without a file
    /// name or content type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        Self { content: Body::from(bytes.into()), file_name: None, content_type: None }
    }

    /// The file at `path`, read from disk as the request is sent (again on each attempt), never
    /// whole in memory; named after the path's last component.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|name| name.to_string_lossy().into_owned());
        Self { content: Body::from_path(path), file_name, content_type: None }
    }

    /// The chunks `stream` yields, sent as they come; see [`Body::from_stream`] (a request with
    /// a stream is sent once, never retried).
    pub fn from_stream<S, B, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<Bytes>,
        E: Into<BoxError>,
    {
        Self::from_body(Body::from_stream(stream))
    }

    /// A file of this content (e.g. a stream with its length: `Body::from_stream(s).with_length(n)`).
    pub fn from_body(content: impl Into<Body>) -> Self {
        Self { content: content.into(), file_name: None, content_type: None }
    }

    /// The content, when it is in memory.
    pub fn bytes(&self) -> Option<&Bytes> {
        self.content.as_bytes()
    }

    /// Sets the file name the part declares, e.g. `report.pdf`.
    #[must_use]
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the part's content type, e.g. `image/png`.
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }
}

// The content is left out: it may be large, and is rarely readable.
impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .field("content", &self.content)
            .finish()
    }
}

/// A `multipart/form-data` body: a generated struct whose fields are the parts.
#[doc(hidden)]
pub trait Multipart {
    /// Writes every part, in the order they are sent.
    fn parts(&self, parts: &mut Parts);
}

/// The parts of a body, as the generated code writes them: one call per field, each value of a
/// list its own part, nothing for an absent optional field. The first value that cannot be sent
/// (a JSON part that does not serialize, a content type that is not header text) is kept and
/// returned when the body is encoded, so that the generated code needs no error handling of its own.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct Parts {
    parts: Vec<Part>,
    error: Option<Error>,
}

#[derive(Debug)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    content: Body,
}

impl Parts {
    /// A text part for each value, written with `Display` (strings as they are, numbers and
    /// booleans as Rust writes them, enum values as their wire value), without a content type:
    /// RFC 7578's default, `text/plain`.
    pub fn text<'a, T: Display + ?Sized + 'a>(&mut self, name: &str, values: impl IntoIterator<Item = &'a T>) {
        for value in values {
            self.push(name, None, None, value.to_string().into());
        }
    }

    /// A text part for each value, declaring this content type.
    pub fn text_as<'a, T: Display + ?Sized + 'a>(
        &mut self,
        name: &str,
        content_type: &str,
        values: impl IntoIterator<Item = &'a T>,
    ) {
        for value in values {
            self.push(name, None, Some(content_type), Body::from(value.to_string()));
        }
    }

    /// A file part for each file: its file name, else the part's name (a part without one is
    /// not a file to the server); its content type, else `content_type`.
    pub fn file<'a>(&mut self, name: &str, content_type: &str, files: impl IntoIterator<Item = &'a File>) {
        for file in files {
            let content_type = file.content_type.as_deref().unwrap_or(content_type);
            self.push(name, Some(file.file_name.as_deref().unwrap_or(name)), Some(content_type), file.content.clone());
        }
    }

    /// A part for each value of a property without a type: a file when it has a file name, else
    /// a field of these bytes; its content type, else `content_type`.
    pub fn bytes<'a>(&mut self, name: &str, content_type: &str, files: impl IntoIterator<Item = &'a File>) {
        for file in files {
            let content_type = file.content_type.as_deref().unwrap_or(content_type);
            self.push(name, file.file_name.as_deref(), Some(content_type), file.content.clone());
        }
    }

    /// A part for each value, encoded as JSON and declaring this (JSON) content type.
    pub fn json<'a, T: serde::Serialize + ?Sized + 'a>(
        &mut self,
        name: &str,
        content_type: &str,
        values: impl IntoIterator<Item = &'a T>,
    ) {
        for value in values {
            if let Some((path, number)) = crate::finite::non_finite(value) {
                self.fail(format!("the part `{name}` has {number} at `{path}`, which JSON cannot carry"));
                continue;
            }
            match serde_json::to_vec(value) {
                Ok(json) => self.push(name, None, Some(content_type), Body::from(json)),
                Err(e) => self.fail(format!("cannot encode the part `{name}` as JSON: {e}")),
            }
        }
    }

    fn push(&mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>, content: Body) {
        if let Some(content_type) = content_type.filter(|c| !is_header_text(c)) {
            self.fail(format!("the content type {content_type:?} of the part `{name}` is not valid header text"));
            return;
        }
        self.parts.push(Part {
            name: name.to_owned(),
            file_name: file_name.map(str::to_owned),
            content_type: content_type.map(str::to_owned),
            content,
        });
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(Error::InvalidRequest(message));
    }
}

/// Encodes `body`: the request's content type (with the boundary) and its content.
pub(crate) fn encode<B: Multipart + ?Sized>(body: &B) -> Result<(String, Body), Error> {
    let mut parts = Parts::default();
    body.parts(&mut parts);
    if let Some(error) = parts.error {
        return Err(error);
    }
    let boundary = boundary(&parts.parts);
    Ok((format!("multipart/form-data; boundary={boundary}"), write(&parts.parts, &boundary)))
}

/// A random boundary that occurs in no part's content. 128 random bits make a clash all but
/// impossible; the check makes it impossible, whatever the content.
fn boundary(parts: &[Part]) -> String {
    loop {
        let boundary = candidate();
        let clashes = parts
            .iter()
            .flat_map(|p| p.content.in_memory())
            .any(|content| content.windows(boundary.len()).any(|w| w == boundary.as_bytes()));
        if !clashes {
            return boundary;
        }
    }
}

fn candidate() -> String {
    format!("codegen-{:032x}", fastrand::u128(..))
}

/// The body: each part after a delimiter line, its headers, a blank line and its content, then
/// the closing delimiter (RFC 2046 §5.1.1).
fn write(parts: &[Part], boundary: &str) -> Body {
    let mut pieces = Vec::with_capacity(parts.len() * 2 + 1);
    let mut out = Vec::new();
    for part in parts {
        out.extend_from_slice(b"--");
        out.extend_from_slice(boundary.as_bytes());
        out.extend_from_slice(b"\r\nContent-Disposition: form-data; name=\"");
        escape(&part.name, &mut out);
        out.push(b'"');
        if let Some(file_name) = &part.file_name {
            out.extend_from_slice(b"; filename=\"");
            escape(file_name, &mut out);
            out.push(b'"');
        }
        out.extend_from_slice(b"\r\n");
        if let Some(content_type) = &part.content_type {
            out.extend_from_slice(b"Content-Type: ");
            out.extend_from_slice(content_type.as_bytes());
            out.extend_from_slice(b"\r\n");
        }
        out.extend_from_slice(b"\r\n");
        pieces.push(Body::from(std::mem::take(&mut out)));
        pieces.push(part.content.clone());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"--");
    out.extend_from_slice(boundary.as_bytes());
    out.extend_from_slice(b"--\r\n");
    pieces.push(Body::from(out));
    Body::concat(pieces)
}

/// A name or file name inside the quotes of `Content-Disposition`, as the WHATWG HTML standard
/// writes it: `"`, CR and LF percent-encoded, everything else as UTF-8. A header line can then
/// neither end early nor be split.
fn escape(text: &str, out: &mut Vec<u8>) {
    for byte in text.bytes() {
        match byte {
            b'"' => out.extend_from_slice(b"%22"),
            b'\r' => out.extend_from_slice(b"%0D"),
            b'\n' => out.extend_from_slice(b"%0A"),
            other => out.push(other),
        }
    }
}

/// Whether a content type can be written as a header value: visible ASCII, spaces and tabs.
fn is_header_text(text: &str) -> bool {
    !text.trim().is_empty() && text.bytes().all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Upload {
        title: String,
        count: Option<u32>,
        tags: Vec<String>,
        meta: Option<serde_json::Value>,
        files: Vec<File>,
        any: Option<File>,
    }

    impl Multipart for Upload {
        fn parts(&self, parts: &mut Parts) {
            parts.text("title", [&self.title]);
            parts.text("count", &self.count);
            parts.text("tags", &self.tags);
            parts.json("meta", "application/json", &self.meta);
            parts.file("files", "application/octet-stream", &self.files);
            parts.bytes("any", "application/octet-stream", &self.any);
        }
    }

    fn encoded<B: Multipart>(body: &B) -> (String, String) {
        let (content_type, body) = encode(body).expect("encodes");
        let bytes = body.as_bytes().expect("in memory").to_vec();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a boundary").to_owned();
        assert!(boundary.len() <= 70 && boundary.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'));
        let text = String::from_utf8(bytes).expect("text");
        (boundary.clone(), text.replace(&boundary, "BOUNDARY"))
    }

    #[test]
    fn every_kind_of_part_is_written_in_order() {
        let upload = Upload {
            title: "a \"quoted\"\r\ntitle ✓".to_owned(),
            count: None,
            tags: vec!["x".to_owned(), "y".to_owned()],
            meta: Some(serde_json::json!({"k": [1, 2]})),
            files: vec![
                File::new(&b"\x00\x01"[..]).file_name("a\"b\r\n.png").content_type("image/png"),
                File::new("plain"),
            ],
            any: Some(File::new("text").content_type("text/plain")),
        };
        let (_, body) = encoded(&upload);
        assert_eq!(
            body,
            "--BOUNDARY\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\na \"quoted\"\r\ntitle ✓\r\n\
             --BOUNDARY\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nx\r\n\
             --BOUNDARY\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\ny\r\n\
             --BOUNDARY\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"k\":[1,2]}\r\n\
             --BOUNDARY\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a%22b%0D%0A.png\"\r\nContent-Type: image/png\r\n\r\n\u{0}\u{1}\r\n\
             --BOUNDARY\r\nContent-Disposition: form-data; name=\"files\"; filename=\"files\"\r\nContent-Type: application/octet-stream\r\n\r\nplain\r\n\
             --BOUNDARY\r\nContent-Disposition: form-data; name=\"any\"\r\nContent-Type: text/plain\r\n\r\ntext\r\n\
             --BOUNDARY--\r\n"
        );
    }

    #[test]
    fn names_are_escaped_and_an_empty_body_is_only_the_closing_delimiter() {
        struct Odd;
        impl Multipart for Odd {
            fn parts(&self, parts: &mut Parts) {
                parts.text_as("a\"\r\nb", "text/csv", [&1.5]);
            }
        }
        let (_, body) = encoded(&Odd);
        assert_eq!(
            body,
            "--BOUNDARY\r\nContent-Disposition: form-data; name=\"a%22%0D%0Ab\"\r\nContent-Type: text/csv\r\n\r\n1.5\r\n\
             --BOUNDARY--\r\n"
        );
        struct Empty;
        impl Multipart for Empty {
            fn parts(&self, _: &mut Parts) {}
        }
        assert_eq!(encoded(&Empty).1, "--BOUNDARY--\r\n");
    }

    #[test]
    fn the_boundary_never_occurs_in_a_part_and_differs_between_bodies() {
        struct Holding(Vec<u8>);
        impl Multipart for Holding {
            fn parts(&self, parts: &mut Parts) {
                parts.file("f", "application/octet-stream", [&File::new(self.0.clone())]);
            }
        }
        let (first, _) = encoded(&Holding(Vec::new()));
        let (second, _) = encoded(&Holding(Vec::new()));
        assert_ne!(first, second);
        // Content holding the boundary the random generator is about to give: another is taken.
        fastrand::seed(7);
        let clash = candidate();
        fastrand::seed(7);
        let (content_type, body) = encode(&Holding(clash.clone().into_bytes())).expect("encodes");
        let bytes = body.as_bytes().expect("in memory");
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("a boundary");
        assert_ne!(boundary, clash);
        let count = bytes.windows(boundary.len()).filter(|w| *w == boundary.as_bytes()).count();
        assert_eq!(count, 2, "the part's delimiter and the closing one");
    }

    #[test]
    fn a_content_type_that_is_not_header_text_fails_the_request() {
        struct Injecting;
        impl Multipart for Injecting {
            fn parts(&self, parts: &mut Parts) {
                parts.file("f", "application/octet-stream", [&File::new("x").content_type("text/plain\r\nX-Evil: 1")]);
            }
        }
        let error = encode(&Injecting).expect_err("refused");
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
        assert!(error.to_string().contains("`f`"), "{error}");
    }

    #[test]
    fn a_json_part_that_cannot_be_encoded_fails_the_request() {
        struct Bad;
        impl Multipart for Bad {
            fn parts(&self, parts: &mut Parts) {
                let map: std::collections::BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into_iter().collect();
                parts.json("m", "application/json", [&map]);
            }
        }
        let error = encode(&Bad).expect_err("keys must be strings");
        assert!(error.to_string().contains("cannot encode the part `m` as JSON"), "{error}");
    }

    #[test]
    fn debug_leaves_the_content_out() {
        let file = File::new(vec![0u8; 4096]).file_name("big.bin");
        assert_eq!(
            format!("{file:?}"),
            "File { file_name: Some(\"big.bin\"), content_type: None, content: [4096 bytes] }"
        );
    }
}
