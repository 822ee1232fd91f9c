//! Values as botocore parses them and the AWS CLI prints them: structures keyed by
//! member name (`IntegrationId`, not the wire's `integrationId`) in model order, absent
//! members left out, timestamps as Python's `isoformat()` in UTC, blobs as base64.
//!
//! Generated code implements [`BotocoreSerialize`] for every structure, union and
//! enum; [`Botocore`] makes any such value `serde::Serialize`.

use base64::Engine as _;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize as _, Serializer};

use crate::DateTime;

/// A value that can be written the way botocore shows it.
pub trait BotocoreSerialize {
    /// Writes `self` to `serializer`.
    fn serialize_botocore<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Makes a [`BotocoreSerialize`] value `serde::Serialize`.
#[derive(Clone, Copy, Debug)]
pub struct Botocore<'a, T: ?Sized>(pub &'a T);

impl<T: BotocoreSerialize + ?Sized> serde::Serialize for Botocore<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_botocore(serializer)
    }
}

/// A blob, written as base64 (as the AWS CLI prints bytes).
#[derive(Clone, Copy, Debug)]
pub struct Blob<'a>(pub &'a [u8]);

impl serde::Serialize for Blob<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(self.0))
    }
}

macro_rules! plain {
    ($($t:ty),*) => {$(
        impl BotocoreSerialize for $t {
            fn serialize_botocore<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(self, serializer)
            }
        }
    )*};
}

plain!(
    String,
    str,
    bool,
    i8,
    i16,
    i32,
    i64,
    f32,
    f64,
    serde_json::Value,
    serde_json::Number
);

impl BotocoreSerialize for DateTime {
    /// Python's `datetime.isoformat()` of a UTC timestamp: `2024-01-15T10:30:00+00:00`,
    /// with microseconds only when there are some.
    fn serialize_botocore<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&isoformat(self))
    }
}

/// `datetime.isoformat()` of a UTC instant, as botocore's timestamps print.
pub fn isoformat(value: &DateTime) -> String {
    let base = value
        .fmt(crate::TimestampFormat::DateTime)
        .unwrap_or_else(|_| value.secs().to_string());
    // `fmt` writes `...:SS[.fraction]Z`; Python writes microseconds (6 digits) or none.
    let without_z = base.trim_end_matches('Z');
    let seconds_part = without_z.split('.').next().unwrap_or(without_z);
    let micros = value.subsec_nanos() / 1000;
    if micros == 0 {
        format!("{seconds_part}+00:00")
    } else {
        format!("{seconds_part}.{micros:06}+00:00")
    }
}

/// A blob (`Vec<u8>`), as base64. `u8` itself is not a model type, so this never
/// overlaps with lists.
impl BotocoreSerialize for Vec<u8> {
    fn serialize_botocore<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Blob(self).serialize(serializer)
    }
}

impl<T: BotocoreSerialize> BotocoreSerialize for Vec<T> {
    fn serialize_botocore<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for item in self {
            seq.serialize_element(&Botocore(item))?;
        }
        seq.end()
    }
}

impl<K: AsRef<str>, V: BotocoreSerialize> BotocoreSerialize for indexmap::IndexMap<K, V> {
    fn serialize_botocore<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (key, value) in self {
            map.serialize_entry(key.as_ref(), &Botocore(value))?;
        }
        map.end()
    }
}

/// An element of a sparse list or map: `null` when absent, as the AWS CLI prints it.
impl<T: BotocoreSerialize> BotocoreSerialize for Option<T> {
    fn serialize_botocore<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(value) => value.serialize_botocore(serializer),
            None => serializer.serialize_none(),
        }
    }
}

impl<T: BotocoreSerialize + ?Sized> BotocoreSerialize for Box<T> {
    fn serialize_botocore<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize_botocore(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_print_like_python_isoformat() {
        assert_eq!(
            isoformat(&DateTime::from_secs(1_705_314_600)),
            "2024-01-15T10:30:00+00:00"
        );
        assert_eq!(
            isoformat(&DateTime::from_parts(1_705_314_600, 123_456_789)),
            "2024-01-15T10:30:00.123456+00:00"
        );
    }

    #[test]
    fn collections_nest() {
        let mut m = indexmap::IndexMap::new();
        m.insert("b".to_owned(), vec![1i32, 2]);
        m.insert("a".to_owned(), vec![]);
        assert_eq!(
            serde_json::to_string(&Botocore(&m)).unwrap(),
            r#"{"b":[1,2],"a":[]}"#
        );
        assert_eq!(serde_json::to_string(&Blob(b"hi")).unwrap(), r#""aGk=""#);
    }
}
