//! `serde_with` adapters that generated code names in `#[serde_as(as = ...)]` to put a
//! [`DateTime`] on the wire in the format the model asks for.

use std::fmt;

use serde::de::{Error as _, Visitor};
use serde::{Deserializer, Serializer};
use serde_with::{DeserializeAs, SerializeAs};

use crate::{DateTime, TimestampFormat};

/// A timestamp written as seconds since the epoch (a JSON number).
pub struct EpochSeconds;

/// A timestamp written as an RFC 3339 string.
pub struct DateTimeString;

/// A timestamp written as an RFC 7231 IMF-fixdate string.
pub struct HttpDate;

impl SerializeAs<DateTime> for EpochSeconds {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if value.subsec_nanos() == 0 {
            serializer.serialize_i64(value.secs())
        } else {
            serializer.serialize_f64(value.as_secs_f64())
        }
    }
}

impl<'de> DeserializeAs<'de, DateTime> for EpochSeconds {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        struct Seconds;
        impl Visitor<'_> for Seconds {
            type Value = DateTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a timestamp in seconds since the epoch")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<DateTime, E> {
                i64::try_from(v)
                    .map(DateTime::from_secs)
                    .map_err(|_| E::custom(format!("timestamp {v} is out of range")))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<DateTime, E> {
                DateTime::from_secs_f64(v)
                    .ok_or_else(|| E::custom(format!("timestamp {v} is out of range")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
                DateTime::parse(TimestampFormat::EpochSeconds, v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Seconds)
    }
}

fn serialize_text<S: Serializer>(
    value: &DateTime,
    format: TimestampFormat,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let text = value.fmt(format).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

fn deserialize_text<'de, D: Deserializer<'de>>(
    deserializer: D,
    format: TimestampFormat,
) -> Result<DateTime, D::Error> {
    struct Text(TimestampFormat);
    impl Visitor<'_> for Text {
        type Value = DateTime;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a timestamp string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime, E> {
            DateTime::parse(self.0, v).map_err(E::custom)
        }
    }
    deserializer
        .deserialize_str(Text(format))
        .map_err(D::Error::custom)
}

impl SerializeAs<DateTime> for DateTimeString {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_text(value, TimestampFormat::DateTime, serializer)
    }
}

impl<'de> DeserializeAs<'de, DateTime> for DateTimeString {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_text(deserializer, TimestampFormat::DateTime)
    }
}

impl SerializeAs<DateTime> for HttpDate {
    fn serialize_as<S: Serializer>(value: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_text(value, TimestampFormat::HttpDate, serializer)
    }
}

impl<'de> DeserializeAs<'de, DateTime> for HttpDate {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_text(deserializer, TimestampFormat::HttpDate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_with::serde_as;

    #[serde_as]
    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct Times {
        #[serde_as(as = "EpochSeconds")]
        epoch: DateTime,
        #[serde_as(as = "DateTimeString")]
        iso: DateTime,
        #[serde_as(as = "Option<HttpDate>")]
        #[serde(default)]
        http: Option<DateTime>,
    }

    #[test]
    fn each_format_reads_and_writes_its_wire_form() {
        let json = r#"{"epoch":1515531081.5,"iso":"2018-01-09T20:51:21Z","http":"Tue, 09 Jan 2018 20:51:21 GMT"}"#;
        let times: Times = serde_json::from_str(json).unwrap();
        assert_eq!(
            times.epoch,
            DateTime::from_parts(1_515_531_081, 500_000_000)
        );
        assert_eq!(times.iso, DateTime::from_secs(1_515_531_081));
        assert_eq!(times.http, Some(DateTime::from_secs(1_515_531_081)));
        assert_eq!(serde_json::to_string(&times).unwrap(), json);
    }

    #[test]
    fn a_bad_timestamp_is_an_error_naming_the_input() {
        let err = serde_json::from_str::<Times>(r#"{"epoch":1,"iso":"yesterday"}"#).unwrap_err();
        assert!(
            err.to_string()
                .contains("invalid date-time timestamp \"yesterday\""),
            "{err}"
        );
    }
}

/// A float in a JSON body: a number, or, for the values JSON has no number for, the
/// strings `"NaN"`, `"Infinity"` and `"-Infinity"` (as restJson1 writes them; serde_json
/// alone would write `null` and refuse the strings).
pub struct JsonFloat;

/// The restJson1 text of a float that is not finite, if it is not.
pub fn non_finite_text(value: f64) -> Option<&'static str> {
    if value.is_nan() {
        Some("NaN")
    } else if value == f64::INFINITY {
        Some("Infinity")
    } else if value == f64::NEG_INFINITY {
        Some("-Infinity")
    } else {
        None
    }
}

fn float_from_text<E: serde::de::Error>(text: &str) -> Result<f64, E> {
    match text {
        "NaN" => Ok(f64::NAN),
        "Infinity" => Ok(f64::INFINITY),
        "-Infinity" => Ok(f64::NEG_INFINITY),
        other => Err(E::custom(format!(
            "expected a number, \"NaN\", \"Infinity\" or \"-Infinity\", found {other:?}"
        ))),
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<f64, E> {
        Ok(v)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<f64, E> {
        Ok(v as f64)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<f64, E> {
        float_from_text(v)
    }
}

impl SerializeAs<f64> for JsonFloat {
    fn serialize_as<S: Serializer>(value: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        match non_finite_text(*value) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_f64(*value),
        }
    }
}

impl<'de> DeserializeAs<'de, f64> for JsonFloat {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl SerializeAs<f32> for JsonFloat {
    fn serialize_as<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        match non_finite_text(f64::from(*value)) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.serialize_f32(*value),
        }
    }
}

impl<'de> DeserializeAs<'de, f32> for JsonFloat {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        deserializer.deserialize_any(FloatVisitor).map(|v| v as f32)
    }
}

#[cfg(test)]
mod float_tests {
    use super::*;
    use serde_with::serde_as;

    #[serde_as]
    #[derive(serde::Serialize, serde::Deserialize, Debug)]
    struct F(#[serde_as(as = "JsonFloat")] f64);

    #[test]
    fn non_finite_floats_are_strings_and_finite_ones_numbers() {
        for (value, json) in [
            (f64::INFINITY, "\"Infinity\""),
            (f64::NEG_INFINITY, "\"-Infinity\""),
            (1.5, "1.5"),
        ] {
            assert_eq!(serde_json::to_string(&F(value)).unwrap(), json);
            assert_eq!(serde_json::from_str::<F>(json).unwrap().0, value);
        }
        assert_eq!(serde_json::to_string(&F(f64::NAN)).unwrap(), "\"NaN\"");
        assert!(serde_json::from_str::<F>("\"NaN\"").unwrap().0.is_nan());
        assert_eq!(serde_json::from_str::<F>("2").unwrap().0, 2.0);
        assert!(serde_json::from_str::<F>("\"nan\"").is_err());
    }
}
