//! The Smithy prelude (`smithy.api#...`) shapes that models target without defining.

use serde_json::json;

use crate::read::{Aggregate, Shape, Simple, SimpleType, Traits};

/// The prelude namespace.
pub const NAMESPACE: &str = "smithy.api";

/// `smithy.api#Unit`: the empty structure used for "no input", "no output" and unit
/// union variants.
pub const UNIT: &str = "smithy.api#Unit";

fn simple(ty: SimpleType, default: Option<serde_json::Value>) -> Shape {
    let mut traits = Traits::new();
    if let Some(default) = default {
        traits.insert("smithy.api#default".into(), default);
    }
    Shape::Simple(
        ty,
        Simple {
            traits,
            ..Simple::default()
        },
    )
}

/// Every prelude shape a model may target, by shape id.
pub fn shapes() -> Vec<(String, Shape)> {
    use SimpleType::*;
    let mut out = vec![
        ("String", simple(String, None)),
        ("Blob", simple(Blob, None)),
        ("BigInteger", simple(BigInteger, None)),
        ("BigDecimal", simple(BigDecimal, None)),
        ("Timestamp", simple(Timestamp, None)),
        ("Document", simple(Document, None)),
        ("Boolean", simple(Boolean, None)),
        ("PrimitiveBoolean", simple(Boolean, Some(json!(false)))),
        ("Byte", simple(Byte, None)),
        ("PrimitiveByte", simple(Byte, Some(json!(0)))),
        ("Short", simple(Short, None)),
        ("PrimitiveShort", simple(Short, Some(json!(0)))),
        ("Integer", simple(Integer, None)),
        ("PrimitiveInteger", simple(Integer, Some(json!(0)))),
        ("Long", simple(Long, None)),
        ("PrimitiveLong", simple(Long, Some(json!(0)))),
        ("Float", simple(Float, None)),
        ("PrimitiveFloat", simple(Float, Some(json!(0)))),
        ("Double", simple(Double, None)),
        ("PrimitiveDouble", simple(Double, Some(json!(0)))),
    ];
    let mut unit_traits = Traits::new();
    unit_traits.insert("smithy.api#unitType".into(), json!({}));
    let unit: Aggregate = serde_json::from_value(json!({ "traits": unit_traits }))
        .expect("the prelude Unit shape is well formed");
    out.push((
        "Unit",
        Shape::Structure {
            union: false,
            shape: unit,
        },
    ));
    out.into_iter()
        .map(|(name, shape)| (format!("{NAMESPACE}#{name}"), shape))
        .collect()
}
