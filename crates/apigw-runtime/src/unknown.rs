use std::fmt;

/// A string enum value that the model used for code generation does not list.
///
/// Generated enums hold it in their `Unknown` variant. It cannot be built from
/// outside generated code: parsing a known value always yields the named variant, so
/// two enum values that print the same compare equal.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// Called by generated `From<&str>` / `From<String>` implementations after every
    /// known value has been ruled out.
    #[doc(hidden)]
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value exactly as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An `intEnum` value that the model used for code generation does not list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownIntValue(i32);

impl UnknownIntValue {
    /// Called by generated `From<i32>` implementations after every known value has
    /// been ruled out.
    #[doc(hidden)]
    pub const fn new(value: i32) -> Self {
        Self(value)
    }

    /// The value exactly as received.
    pub const fn value(&self) -> i32 {
        self.0
    }
}

impl fmt::Display for UnknownIntValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
