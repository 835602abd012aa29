//! Streamed responses: a success response's `text/event-stream` (server-sent events), JSON Lines,
//! NDJSON or `application/json-seq` media type, with the schema of one item: OpenAPI 3.2's
//! `itemSchema` when given, else the media type's `schema` (as OpenAI's description writes the
//! event union), and the data that ends the stream (`x-stream-terminator`).

use serde_json::{Map, Value};

use super::schemas::bare;
use super::{Kind, Parser, Schema};
use crate::error::Pointer;

/// How the items of a streamed response are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Framing {
    /// `text/event-stream`: server-sent events, each event's `data` one item.
    Events,
    /// JSON Lines, NDJSON: one JSON text per line.
    Lines,
    /// `application/json-seq` (RFC 7464): JSON texts after record separators.
    Seq,
}

/// A streamed success response.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StreamSpec {
    /// The media type as written.
    pub media: String,
    pub framing: Framing,
    /// The schema of one item (of one event's `data`).
    pub item: Schema,
    /// `x-stream-terminator`: `Some(Some(data))` names the data that ends the stream,
    /// `Some(None)` (written `false`) says none does; `None` leaves it to the settings.
    pub terminator: Option<Option<String>>,
}

/// The framing of `media`, when it is a streamed media type.
pub(crate) fn framing(media: &str) -> Option<Framing> {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "text/event-stream" => Some(Framing::Events),
        "application/jsonl"
        | "application/x-jsonlines"
        | "application/jsonlines"
        | "application/x-ndjson"
        | "application/ndjson" => Some(Framing::Lines),
        "application/json-seq" => Some(Framing::Seq),
        _ => None,
    }
}

impl Parser<'_> {
    /// The streamed media type of a response's `content`, if it has one (the first, in the
    /// sorted order of media types).
    pub(super) fn stream(&mut self, content: &Map<String, Value>, at: &Pointer) -> Option<StreamSpec> {
        let (media, framing, value) =
            content.iter().find_map(|(media, value)| framing(media).map(|framing| (media, framing, value)))?;
        let at = at.join(media);
        let item = self.object(value, &at)?;
        for key in item.keys() {
            if !matches!(key.as_str(), "schema" | "itemSchema" | "example" | "examples") && !key.starts_with("x-") {
                self.errors.push(at.join(key).as_str(), format!("unknown media type key `{key}`"));
            }
        }
        let terminator = match item.get("x-stream-terminator") {
            None => None,
            Some(Value::String(data)) => Some(Some(data.clone())),
            Some(Value::Bool(false)) => Some(None),
            Some(_) => {
                self.errors.warn(
                    at.join("x-stream-terminator").as_str(),
                    "`x-stream-terminator` is a string (the `data` that ends the stream) or `false`; the \
                     setting's terminator is used",
                );
                None
            }
        };
        let item = match (item.get("itemSchema"), item.get("schema")) {
            (Some(schema), _) if framing == Framing::Events => self.event_data(schema, &at.join("itemSchema")),
            (Some(schema), _) => self.schema(schema, &at.join("itemSchema")),
            (None, Some(schema)) => self.schema(schema, &at.join("schema")),
            (None, None) => Some(bare(Kind::Any, &at.join("schema"))),
        }?;
        Some(StreamSpec { media: media.clone(), framing, item, terminator })
    }

    /// The `data` of an event, from an `itemSchema` that describes the whole event (OpenAPI 3.2):
    /// its `data` property's `contentSchema` (the schema of the JSON the string holds).
    fn event_data(&mut self, schema: &Value, at: &Pointer) -> Option<Schema> {
        let data_at = at.join("properties").join("data").join("contentSchema");
        match schema.pointer("/properties/data/contentSchema") {
            Some(content) => self.schema(content, &data_at),
            None => {
                self.errors.warn(
                    at.as_str(),
                    "unsupported: an `itemSchema` of server-sent events without \
                     `properties/data/contentSchema`; each event's data is any JSON value",
                );
                Some(bare(Kind::Any, at))
            }
        }
    }
}
