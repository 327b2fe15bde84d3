//! The YAML parse events a diagnostic's place is found in ([`crate::diagnostics::locate`]):
//! the YAML parsers are called here, in the loader's area, so that replacing one is a change of
//! `load` alone; what the events mean for a message is decided over there.

use std::borrow::Cow;

use saphyr_parser::{Event, Parser, ScalarStyle};
use serde::de::DeserializeSeed;

/// What the one pass needs of a parse event: where a node starts, and a key's text.
pub(crate) enum Ev<'a> {
    /// A scalar; its text as the loader would key a mapping with it, when it can say.
    Scalar(Option<Cow<'a, str>>),
    MapStart,
    SeqStart,
    End,
    /// An alias: a node whose contents are elsewhere.
    Alias,
}

/// The events of a YAML document (saphyr's parser), or of the first document of a stream.
pub(crate) fn yaml_events(text: &str) -> impl Iterator<Item = (Ev<'_>, (usize, usize))> {
    Parser::new_from_str(text)
        .map_while(Result::ok)
        .take_while(|(event, _)| !matches!(event, Event::DocumentEnd))
        .filter_map(|(event, span)| {
            let ev = match event {
                Event::Scalar(value, style, ..) => Ev::Scalar(key_text(value, style)),
                Event::MappingStart(..) => Ev::MapStart,
                Event::SequenceStart(..) => Ev::SeqStart,
                Event::MappingEnd | Event::SequenceEnd => Ev::End,
                Event::Alias(_) => Ev::Alias,
                _ => return None,
            };
            Some((ev, (span.start.line(), span.start.col() + 1)))
        })
}

/// A mapping key as the loader writes it (see `yaml_key`), where that is its text: a plain `~`
/// is `null`. Keys written otherwise (`0x1F` is `31`) are not found here, and looked up apart.
fn key_text(value: Cow<'_, str>, style: ScalarStyle) -> Option<Cow<'_, str>> {
    match (style, value.as_ref()) {
        (ScalarStyle::Plain, "~" | "") => Some(Cow::Borrowed("null")),
        _ => Some(value),
    }
}

/// Runs `seed` over `text` with the YAML deserializer that reads spec files, and gives the error
/// it failed with, if it did: its message and its place (1-based line and column), when known.
pub(crate) fn yaml_failure<S>(text: &str, seed: S) -> Option<(String, Option<(usize, usize)>)>
where
    S: for<'de> DeserializeSeed<'de>,
{
    let err = seed
        .deserialize(serde_yaml::Deserializer::from_str(text))
        .err()?;
    let at = err.location().map(|l| (l.line(), l.column()));
    Some((err.to_string(), at))
}
