//! Streamed responses → [`Stream`]: the method that returns the stream, the item type and the
//! terminator.

use super::Lowerer;
use crate::ir::{Framing, ResponseBody, Returns, Stream};
use crate::names::{Taken, unique};
use crate::parse::OperationSpec;

impl Lowerer<'_> {
    /// The operation's streamed response (the first success response's that has one). Its
    /// method is the operation's own when the success responses give no other body, else one
    /// named `…_stream` beside it. Inline item schemas are named `…Event` (server-sent events)
    /// or `…Item`.
    pub(super) fn stream(
        &mut self,
        op: &OperationSpec,
        method: &str,
        method_name: &str,
        response: &Returns,
        methods: &mut Taken,
    ) -> Option<Stream> {
        let spec = op.success.iter().find_map(|r| r.stream.as_ref())?;
        let framing = match spec.framing {
            crate::parse::Framing::Events => Framing::Events,
            crate::parse::Framing::Lines => Framing::Lines,
            crate::parse::Framing::Seq => Framing::Seq,
        };
        let hint = match framing {
            Framing::Events => format!("{method}Event"),
            Framing::Lines | Framing::Seq => format!("{method}Item"),
        };
        let item = self.ty(&hint, &spec.item);
        let method_name = if *response == Returns::One(ResponseBody::Unit) {
            method_name.to_owned()
        } else {
            unique(format!("{method_name}_stream"), methods)
        };
        let terminator = match (framing, &spec.terminator) {
            (Framing::Events, Some(written)) => written.clone(),
            (Framing::Events, None) => self.stream_terminator.clone(),
            (Framing::Lines | Framing::Seq, _) => None,
        };
        Some(Stream { method_name, media: spec.media.clone(), framing, item, terminator })
    }
}
