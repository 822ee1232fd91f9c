use std::fmt;

/// A generated builder could not build its structure because a required member was
/// never set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    shape: &'static str,
    field: &'static str,
    member: &'static str,
}

impl BuildError {
    /// The error for structure `shape` whose required member `member` (Rust field
    /// `field`) is missing. Called by generated builders.
    pub const fn missing_member(
        shape: &'static str,
        field: &'static str,
        member: &'static str,
    ) -> Self {
        Self {
            shape,
            field,
            member,
        }
    }

    /// The Rust name of the structure being built.
    pub fn shape(&self) -> &'static str {
        self.shape
    }

    /// The Rust field name of the missing member.
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The model's name of the missing member.
    pub fn member(&self) -> &'static str {
        self.member
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: required member `{}` ({}) is not set",
            self.shape, self.field, self.member
        )
    }
}

impl std::error::Error for BuildError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_structure_field_and_member() {
        let err = BuildError::missing_member("GetIntegrationsRequest", "api_id", "ApiId");
        assert_eq!(
            err.to_string(),
            "GetIntegrationsRequest: required member `api_id` (ApiId) is not set"
        );
        assert_eq!(err.field(), "api_id");
    }
}
