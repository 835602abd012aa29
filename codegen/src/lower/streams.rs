//! Streamed responses → [`Stream`]: the method that returns the stream, what it yields and the
//! terminator.

use super::Lowerer;
use crate::ir::{ResponseBody, Returns, Stream, StreamKind};
use crate::names::{Taken, unique};
use crate::parse::{Framing, OperationSpec};

impl Lowerer<'_> {
    /// The operation's streamed response: the first success response's streamed media type
    /// (server-sent events, JSON Lines, a JSON text sequence), else, for a download (a single
    /// body of bytes), its bytes as they arrive. Its method is the operation's own when the
    /// success responses give no other body, else one named `…_stream` beside it. Inline item
    /// schemas are named `…Event` (server-sent events) or `…Item`.
    pub(super) fn stream(
        &mut self,
        op: &OperationSpec,
        method: &str,
        method_name: &str,
        response: &Returns,
        methods: &mut Taken,
    ) -> Option<Stream> {
        let beside = |methods: &mut Taken| unique(format!("{method_name}_stream"), methods);
        let Some(spec) = op.success.iter().find_map(|r| r.stream.as_ref()) else {
            return (*response == Returns::One(ResponseBody::Bytes)).then(|| Stream {
                method_name: beside(methods),
                media: "*/*".to_owned(),
                kind: StreamKind::Bytes,
            });
        };
        let kind = match spec.framing {
            Framing::Events => StreamKind::Events {
                item: self.ty(&format!("{method}Event"), &spec.item),
                terminator: match &spec.terminator {
                    Some(written) => written.clone(),
                    None => self.stream_terminator.clone(),
                },
            },
            Framing::Lines => StreamKind::Lines(self.ty(&format!("{method}Item"), &spec.item)),
            Framing::Seq => StreamKind::Seq(self.ty(&format!("{method}Item"), &spec.item)),
        };
        let method_name =
            if *response == Returns::One(ResponseBody::Unit) { method_name.to_owned() } else { beside(methods) };
        Some(Stream { method_name, media: spec.media.clone(), kind })
    }
}
