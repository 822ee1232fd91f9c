//! Serde for generated structures, shared instead of derived per structure.
//!
//! A derived `Deserialize` expands, for every structure, into a field enum, its visitor,
//! a map visitor, a sequence visitor and a missing-member check: most of what the
//! compiler spends on a generated crate. Here that machinery is written once. A
//! generated structure implements [`Members`] (its wire names, and a `match` reading
//! the member at an index) and its `Deserialize` calls [`deserialize`]; its `Serialize`
//! writes each member with [`SerializeStruct`] and [`optional`].
//!
//! What the wire sees is what the derive gave: the same struct name and member names,
//! members in declaration order, absent optional members skipped, unknown members
//! skipped, a repeated member an error, and absent members left at the structure's
//! `Default`. A structure is read from a map (as JSON objects are); unlike a derive, a
//! sequence of bare values is not accepted.
//!
//! [`Members`] is generic over the lifetime of the input, so a borrowed view (a
//! structure whose strings borrow from the input, generated with the `views` feature)
//! is read by the same visitor as an owned structure.

use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use std::borrow::Cow;

use serde_with::de::DeserializeAsWrap;
use serde_with::ser::SerializeAsWrap;
use serde_with::{DeserializeAs, SerializeAs};

/// A generated structure read member by member: what [`deserialize`] needs from it.
///
/// Members the input lacks keep their value in `Self::default()`, which the generator
/// makes the model's default (or `None`) for every member. `'de` is the input's
/// lifetime: an owned structure implements `Members<'de>` for every `'de`, a borrowed
/// view `View<'a>` only for `'a`.
pub trait Members<'de>: Default {
    /// The structure's name, for `deserialize_struct` and error messages.
    const NAME: &'static str;
    /// The members' wire names, in declaration order: index `i` is member `i`.
    const WIRE_NAMES: &'static [&'static str];

    /// Reads the value of member `index` (an index into [`Self::WIRE_NAMES`]) from `map`
    /// into `self`.
    fn read_member<A: MapAccess<'de>>(&mut self, index: usize, map: &mut A)
    -> Result<(), A::Error>;
}

/// `Deserialize::deserialize` of a generated structure.
pub fn deserialize<'de, T: Members<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    deserializer.deserialize_struct(T::NAME, T::WIRE_NAMES, StructVisitor(PhantomData))
}

struct StructVisitor<T>(PhantomData<T>);

impl<'de, T: Members<'de>> Visitor<'de> for StructVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut value = T::default();
        let mut seen = Seen::new(T::WIRE_NAMES.len());
        while let Some(key) = map.next_key_seed(Key {
            names: T::WIRE_NAMES,
        })? {
            match key {
                Some(index) => {
                    if seen.insert(index) {
                        return Err(de::Error::duplicate_field(T::WIRE_NAMES[index]));
                    }
                    value.read_member(index, &mut map)?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(value)
    }
}

/// Which members a map has set so far (a repeated member is an error, as with a derive).
enum Seen {
    Few(u128),
    Many(Vec<bool>),
}

impl Seen {
    fn new(members: usize) -> Self {
        if members <= 128 {
            Seen::Few(0)
        } else {
            Seen::Many(vec![false; members])
        }
    }

    /// Marks member `index` seen; `true` when it already was.
    fn insert(&mut self, index: usize) -> bool {
        match self {
            Seen::Few(bits) => {
                let bit = 1u128 << index;
                let was = *bits & bit != 0;
                *bits |= bit;
                was
            }
            Seen::Many(flags) => std::mem::replace(&mut flags[index], true),
        }
    }
}

/// A map key: the index of the member it names in `names`, or `None` for a member the
/// model does not list. Not generic over the structure, so the key-reading code of a
/// format is compiled once, not once per structure.
struct Key {
    names: &'static [&'static str],
}

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.names.iter().position(|name| *name == key))
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        Ok(self.names.iter().position(|name| name.as_bytes() == key))
    }

    fn visit_u64<E: de::Error>(self, index: u64) -> Result<Self::Value, E> {
        Ok(usize::try_from(index)
            .ok()
            .filter(|i| *i < self.names.len()))
    }
}

/// Writes optional member `key` when it is set (as `Some`, as a derived `Option` field
/// is written) and skips it otherwise.
pub fn optional<S: SerializeStruct, T: Serialize>(
    state: &mut S,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    if value.is_some() {
        state.serialize_field(key, value)
    } else {
        state.skip_field(key)
    }
}

/// [`optional`] for a member written through a `serde_with` adapter `U` (timestamps,
/// blobs, floats).
pub fn optional_as<S: SerializeStruct, T, U: SerializeAs<T>>(
    state: &mut S,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    if value.is_some() {
        state.serialize_field(key, &SerializeAsWrap::<Option<T>, Option<U>>::new(value))
    } else {
        state.skip_field(key)
    }
}

/// The next value of `map` as an optional string borrowed from the input when it can
/// be (a JSON string without escapes), else copied: a borrowed view's string member.
pub fn next_str<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Cow<'de, str>>, A::Error> {
    next_as::<Cow<'de, str>, serde_with::BorrowCow, A>(map)
}

/// The next value of `map` as an optional `T`, read through the `serde_with` adapter
/// `U`: a borrowed view's member that holds strings in a list or map, or a timestamp,
/// blob or float.
pub fn next_as<'de, T, U: DeserializeAs<'de, T>, A: MapAccess<'de>>(
    map: &mut A,
) -> Result<Option<T>, A::Error> {
    Ok(map
        .next_value::<DeserializeAsWrap<Option<T>, Option<U>>>()?
        .into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DateTime;
    use crate::serde::EpochSeconds;
    use serde::Serializer;

    /// A structure written as the generator writes them.
    #[derive(Debug, Default, PartialEq)]
    struct Sample {
        name: String,
        count: Option<i32>,
        at: Option<DateTime>,
        tags: Option<Vec<String>>,
    }

    impl<'de> Members<'de> for Sample {
        const NAME: &'static str = "Sample";
        const WIRE_NAMES: &'static [&'static str] = &["name", "count", "at", "tags"];

        fn read_member<A: MapAccess<'de>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match index {
                0 => self.name = map.next_value()?,
                1 => self.count = map.next_value()?,
                2 => {
                    self.at =
                        map.next_value::<serde_with::de::DeserializeAsWrap<
                            Option<DateTime>,
                            Option<EpochSeconds>,
                        >>()?
                        .into_inner()
                }
                3 => self.tags = map.next_value()?,
                _ => {}
            }
            Ok(())
        }
    }

    impl<'de> serde::Deserialize<'de> for Sample {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    impl Serialize for Sample {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let len = 1
                + usize::from(self.count.is_some())
                + usize::from(self.at.is_some())
                + usize::from(self.tags.is_some());
            let mut state = s.serialize_struct("Sample", len)?;
            state.serialize_field("name", &self.name)?;
            optional(&mut state, "count", &self.count)?;
            optional_as::<_, _, EpochSeconds>(&mut state, "at", &self.at)?;
            optional(&mut state, "tags", &self.tags)?;
            state.end()
        }
    }

    fn read(json: &str) -> Result<Sample, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn members_are_read_by_wire_name_in_any_order_and_absent_ones_keep_their_default() {
        assert_eq!(
            read(r#"{"at": 5, "name": "n", "count": 2}"#).unwrap(),
            Sample {
                name: "n".into(),
                count: Some(2),
                at: Some(DateTime::from_secs(5)),
                tags: None,
            }
        );
        assert_eq!(read("{}").unwrap(), Sample::default());
        assert_eq!(read(r#"{"count": null}"#).unwrap(), Sample::default());
    }

    #[test]
    fn unknown_members_are_skipped_whatever_they_hold() {
        assert_eq!(
            read(r#"{"other": {"deep": [1, {"x": null}]}, "name": "n", "Name": 1}"#).unwrap(),
            Sample {
                name: "n".into(),
                ..Sample::default()
            }
        );
    }

    #[test]
    fn bad_input_is_an_error_naming_what_is_wrong() {
        assert_eq!(
            read(r#"{"name": "a", "name": "b"}"#).unwrap_err(),
            "duplicate field `name` at line 1 column 20"
        );
        assert_eq!(
            read(r#"{"count": "2"}"#).unwrap_err(),
            "invalid type: string \"2\", expected i32 at line 1 column 13"
        );
        assert_eq!(
            read(r#"{"name": null}"#).unwrap_err(),
            "invalid type: null, expected a string at line 1 column 13"
        );
        assert_eq!(
            read(r#"["n", 2]"#).unwrap_err(),
            "invalid type: sequence, expected struct Sample at line 1 column 1"
        );
        assert_eq!(
            read("7").unwrap_err(),
            "invalid type: integer `7`, expected struct Sample at line 1 column 1"
        );
    }

    #[test]
    fn absent_optional_members_are_not_written_and_the_rest_keep_declaration_order() {
        let value = Sample {
            name: "n".into(),
            count: None,
            at: Some(DateTime::from_secs(5)),
            tags: Some(vec!["t".into()]),
        };
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            r#"{"name":"n","at":5,"tags":["t"]}"#
        );
        assert_eq!(
            serde_json::to_string(&Sample::default()).unwrap(),
            r#"{"name":""}"#
        );
    }

    /// A borrowed view as the generator writes them.
    #[derive(Debug, Default)]
    struct SampleView<'a> {
        name: Option<Cow<'a, str>>,
        tags: Option<Vec<Cow<'a, str>>>,
    }

    impl<'a> Members<'a> for SampleView<'a> {
        const NAME: &'static str = "Sample";
        const WIRE_NAMES: &'static [&'static str] = &["name", "tags"];

        fn read_member<A: MapAccess<'a>>(
            &mut self,
            index: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match index {
                0 => self.name = next_str(map)?,
                1 => self.tags = next_as::<_, Vec<serde_with::BorrowCow>, _>(map)?,
                _ => {}
            }
            Ok(())
        }
    }

    impl<'a> serde::Deserialize<'a> for SampleView<'a> {
        fn deserialize<D: Deserializer<'a>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn a_view_borrows_plain_strings_and_copies_escaped_ones() {
        let json = r#"{"name": "plain", "tags": ["a", "b\"c"], "other": 1}"#;
        let view: SampleView<'_> = serde_json::from_str(json).unwrap();
        assert!(matches!(view.name, Some(Cow::Borrowed("plain"))));
        let tags = view.tags.unwrap();
        assert!(matches!(tags[0], Cow::Borrowed("a")));
        assert!(matches!(&tags[1], Cow::Owned(t) if t == "b\"c"));
        let empty: SampleView<'_> = serde_json::from_str(r#"{"name": null}"#).unwrap();
        assert!(empty.name.is_none() && empty.tags.is_none());
        let err = serde_json::from_str::<SampleView<'_>>(r#"{"name": 1}"#).unwrap_err();
        assert!(
            err.to_string().starts_with("invalid type: integer `1`"),
            "{err}"
        );
    }

    #[test]
    fn a_structure_with_more_than_128_members_tracks_them_all() {
        let mut seen = Seen::new(200);
        assert!(!seen.insert(150));
        assert!(seen.insert(150));
        assert!(!seen.insert(0));
        let mut few = Seen::new(128);
        assert!(!few.insert(127));
        assert!(few.insert(127));
    }
}
