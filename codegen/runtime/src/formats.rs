//! The typed string formats of crates generated with `Settings::typed_formats`: `DateTime`
//! (`format: date-time`, RFC 3339) and `Date` (`format: date`, `YYYY-MM-DD`), on the `time`
//! crate. They encode as the text they decoded from (up to RFC 3339's spelling choices:
//! `2024-05-01T10:00:00Z` stays as it is; `+00:00` is written `Z`), and a value that is not in
//! the format fails decoding with its path, as any value of the wrong type does.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};
use time::format_description::well_known::Rfc3339;

/// A `format: date-time` value: an RFC 3339 timestamp with its offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(pub time::OffsetDateTime);

/// A `format: date` value: a calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub time::Date);

/// Why a text is not a date or a date-time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    expected: &'static str,
    text: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} is not {}", self.text, self.expected)
    }
}

impl std::error::Error for FormatError {}

impl FromStr for DateTime {
    type Err = FormatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        time::OffsetDateTime::parse(text, &Rfc3339)
            .map(Self)
            .map_err(|_| FormatError { expected: "an RFC 3339 date-time", text: text.to_owned() })
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only years outside 0..=9999 cannot be written in RFC 3339; `time` refuses them.
        match self.0.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl FromStr for Date {
    type Err = FormatError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || FormatError { expected: "a `YYYY-MM-DD` date", text: text.to_owned() };
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(error());
        }
        let digits = |range: std::ops::Range<usize>| {
            let part = &text[range];
            if part.bytes().all(|b| b.is_ascii_digit()) { part.parse::<u16>().ok() } else { None }
        };
        let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
            return Err(error());
        };
        let month = u8::try_from(month).ok().and_then(|m| time::Month::try_from(m).ok()).ok_or_else(error)?;
        let day = u8::try_from(day).map_err(|_| error())?;
        time::Date::from_calendar_date(i32::from(year), month, day).map(Self).map_err(|_| error())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.0.year(), u8::from(self.0.month()), self.0.day())
    }
}

macro_rules! text_serde {
    ($type:ty, $expecting:literal) => {
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;

                impl de::Visitor<'_> for Visitor {
                    type Value = $type;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_str<E: de::Error>(self, text: &str) -> Result<$type, E> {
                        text.parse().map_err(E::custom)
                    }
                }

                deserializer.deserialize_str(Visitor)
            }
        }
    };
}

text_serde!(DateTime, "an RFC 3339 date-time string");
text_serde!(Date, "a `YYYY-MM-DD` date string");

impl From<time::OffsetDateTime> for DateTime {
    fn from(value: time::OffsetDateTime) -> Self {
        Self(value)
    }
}

impl From<time::Date> for Date {
    fn from(value: time::Date) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_and_dates_round_trip_and_bad_text_is_refused() {
        for text in ["2024-05-01T10:00:00Z", "1999-12-31T23:59:59.5+02:00"] {
            let value: DateTime = serde_json::from_str(&format!("{text:?}")).expect("RFC 3339");
            assert_eq!(value.to_string(), text);
        }
        let date: Date = serde_json::from_str("\"2024-02-29\"").expect("a leap day");
        assert_eq!(serde_json::to_string(&date).expect("encodes"), "\"2024-02-29\"");
        for bad in ["\"2023-02-29\"", "\"2024-5-01\"", "\"2024-05-01T00:00:00Z\"", "\"+024-05-01\"", "1"] {
            assert!(serde_json::from_str::<Date>(bad).is_err(), "{bad}");
        }
        let error = serde_json::from_str::<DateTime>("\"yesterday\"").expect_err("not RFC 3339");
        assert!(error.to_string().contains("\"yesterday\" is not an RFC 3339 date-time"), "{error}");
    }
}
