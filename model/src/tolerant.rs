//! Tolerant deserialization: a field whose value has the wrong shape becomes its default
//! (or `None`) instead of failing the whole object.
//!
//! Objects come from clusters we do not control: an old CRD version, a hand-edited status or
//! a controller bug must cost one field, never the object. Every field of every object type
//! in this crate goes through [`de`]; nested structs declared with [`tolerant_struct!`] are
//! read in one streaming pass (no intermediate `serde_json::Value`), so this costs nothing
//! on well-formed input.

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// A type that can be read tolerantly: `Ok(None)` means "absent, null or of the wrong shape".
pub trait Tolerant: Sized {
    /// Reads one value; only syntax errors of the input itself are errors.
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

/// `deserialize_with` target for every field: wrong shape → `Default::default()`.
///
/// Never inlined: otherwise every field of every struct gets its own copy of the
/// deserializer's `deserialize_any`, which multiplies the wasm size.
#[inline(never)]
pub fn de<'de, D: Deserializer<'de>, T: Tolerant + Default>(d: D) -> Result<T, D::Error> {
    Ok(T::read(d)?.unwrap_or_default())
}

/// `skip_serializing_if` target: keeps serialized objects as small as what was read.
pub fn is_default<T: Default + PartialEq>(v: &T) -> bool {
    *v == T::default()
}

/// Seed that reads one element tolerantly (used for list items and map values).
pub struct Seed<T>(PhantomData<T>);

impl<T> Default for Seed<T> {
    fn default() -> Self {
        Seed(PhantomData)
    }
}

impl<'de, T: Tolerant> DeserializeSeed<'de> for Seed<T> {
    type Value = Option<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<T>, D::Error> {
        T::read(d)
    }
}

/// Skips the rest of a map.
pub fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Skips the rest of a list.
pub fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements the visitor methods that turn a wrong shape into `None`.
macro_rules! reject_shapes {
    (map) => {
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            $crate::tolerant::drain_map(map)?;
            Ok(None)
        }
    };
    (seq) => {
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
            $crate::tolerant::drain_seq(seq)?;
            Ok(None)
        }
    };
    (unit) => {
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
    (scalars) => {
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}
pub(crate) use reject_shapes;

struct StringVisitor;
impl<'de> Visitor<'de> for StringVisitor {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    // A scalar where a string was expected keeps its text: nothing is lost.
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    // Integral floats keep their digits; others are dropped rather than pulling float
    // formatting (and its tables) into the wasm build for a case real objects never have.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        let integral = v.fract() == 0.0 && v.abs() < 9.0e15;
        Ok(integral.then(|| (v as i64).to_string()))
    }
    reject_shapes!(map);
    reject_shapes!(seq);
    reject_shapes!(unit);
}

impl Tolerant for String {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(StringVisitor)
    }
}

struct I64Visitor;
impl<'de> Visitor<'de> for I64Visitor {
    type Value = Option<i64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an integer")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(i64::try_from(v).ok())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // 3.0 is an integer written by a float-minded encoder; 3.5 is not an integer.
        let in_range = v.fract() == 0.0 && v >= i64::MIN as f64 && v <= i64::MAX as f64;
        Ok(in_range.then_some(v as i64))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse().ok())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    reject_shapes!(map);
    reject_shapes!(seq);
    reject_shapes!(unit);
}

impl Tolerant for i64 {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(I64Visitor)
    }
}

impl Tolerant for i32 {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(i64::read(d)?.and_then(|v| i32::try_from(v).ok()))
    }
}

impl Tolerant for u32 {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(i64::read(d)?.and_then(|v| u32::try_from(v).ok()))
    }
}

struct F64Visitor;
impl<'de> Visitor<'de> for F64Visitor {
    type Value = Option<f64>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v as f64))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.trim().parse::<f64>().ok().filter(|x| x.is_finite()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    reject_shapes!(map);
    reject_shapes!(seq);
    reject_shapes!(unit);
}

impl Tolerant for f64 {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(F64Visitor)
    }
}

struct BoolVisitor;
impl<'de> Visitor<'de> for BoolVisitor {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(match v.trim() {
            s if s.eq_ignore_ascii_case("true") => Some(true),
            s if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        })
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    reject_shapes!(map);
    reject_shapes!(seq);
    reject_shapes!(unit);
}

impl Tolerant for bool {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(BoolVisitor)
    }
}

impl<T: Tolerant> Tolerant for Option<T> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(Some(T::read(d)?))
    }
}

impl<T: Tolerant> Tolerant for Box<T> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        Ok(T::read(d)?.map(Box::new))
    }
}

struct VecVisitor<T>(PhantomData<T>);
impl<'de, T: Tolerant> Visitor<'de> for VecVisitor<T> {
    type Value = Option<Vec<T>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        // An odd element is dropped; its neighbours are kept.
        while let Some(item) = seq.next_element_seed(Seed::<T>::default())? {
            if let Some(item) = item {
                out.push(item);
            }
        }
        Ok(Some(out))
    }
    reject_shapes!(map);
    reject_shapes!(unit);
    reject_shapes!(scalars);
}

impl<T: Tolerant> Tolerant for Vec<T> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(VecVisitor(PhantomData))
    }
}

struct MapVisitor<T>(PhantomData<T>);
impl<'de, T: Tolerant> Visitor<'de> for MapVisitor<T> {
    type Value = Option<BTreeMap<String, T>>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if let Some(value) = map.next_value_seed(Seed::<T>::default())? {
                out.insert(key, value);
            }
        }
        Ok(Some(out))
    }
    reject_shapes!(seq);
    reject_shapes!(unit);
    reject_shapes!(scalars);
}

impl<T: Tolerant> Tolerant for BTreeMap<String, T> {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(MapVisitor(PhantomData))
    }
}

impl Tolerant for serde_json::Value {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        use serde::Deserialize;
        Ok(Some(serde_json::Value::deserialize(d)?))
    }
}

/// Visitor used by [`tolerant_struct!`]: a map is read as the struct, anything else is `None`.
pub struct StructVisitor<T>(pub PhantomData<T>);
impl<'de, T: serde::Deserialize<'de>> Visitor<'de> for StructVisitor<T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
    reject_shapes!(seq);
    reject_shapes!(unit);
    reject_shapes!(scalars);
}

/// Declares a struct whose every field is read tolerantly (see the module docs), serialized
/// in camelCase without default-valued fields, and which is itself [`Tolerant`].
///
/// Field types must be `Tolerant + Default + PartialEq`.
macro_rules! tolerant_struct {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $fvis:vis $field:ident : $ty:ty
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        $vis struct $name {
            $(
                $(#[$fmeta])*
                #[serde(
                    default,
                    deserialize_with = "crate::tolerant::de",
                    skip_serializing_if = "crate::tolerant::is_default"
                )]
                $fvis $field: $ty,
            )*
        }

        impl crate::tolerant::Tolerant for $name {
            fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
                d.deserialize_any(crate::tolerant::StructVisitor(std::marker::PhantomData))
            }
        }
    };
}
pub(crate) use tolerant_struct;

#[cfg(test)]
mod tests {
    use super::*;

    tolerant_struct! {
        struct Inner {
            name: String,
            count: Option<i32>,
        }
    }

    tolerant_struct! {
        struct Outer {
            inner: Inner,
            items: Vec<Inner>,
            labels: BTreeMap<String, String>,
            flag: bool,
            ratio: Option<f64>,
        }
    }

    #[test]
    fn well_formed_input_reads_fully() {
        let o: Outer = serde_json::from_str(
            r#"{"inner":{"name":"a","count":3},"items":[{"name":"b"}],"labels":{"k":"v"},"flag":true,"ratio":0.5,"extra":{"x":[1,2]}}"#,
        )
        .expect("valid");
        assert_eq!(o.inner.name, "a");
        assert_eq!(o.inner.count, Some(3));
        assert_eq!(o.items.len(), 1);
        assert_eq!(o.labels.get("k").map(String::as_str), Some("v"));
        assert!(o.flag);
        assert_eq!(o.ratio, Some(0.5));
    }

    #[test]
    fn odd_values_cost_one_field_only() {
        let o: Outer = serde_json::from_str(
            r#"{"inner":"not an object","items":[{"name":"ok"},42,{"name":["x"],"count":"7"},null],
                "labels":{"k":{"deep":1},"j":"v","n":5},"flag":"yes","ratio":{"a":1}}"#,
        )
        .expect("tolerant");
        assert_eq!(o.inner, Inner::default());
        assert_eq!(o.items.len(), 2, "odd list items are dropped, good ones kept");
        assert_eq!(o.items[0].name, "ok");
        assert_eq!(o.items[1].name, "", "a list where a string belongs becomes empty");
        assert_eq!(o.items[1].count, Some(7), "a numeric string is read as a number");
        assert_eq!(o.labels.len(), 2);
        assert_eq!(o.labels.get("n").map(String::as_str), Some("5"));
        assert!(!o.flag);
        assert_eq!(o.ratio, None);
    }

    #[test]
    fn null_is_absent() {
        let o: Outer = serde_json::from_str(r#"{"inner":null,"items":null,"ratio":null}"#).expect("ok");
        assert_eq!(o, Outer::default());
    }

    #[test]
    fn integers_out_of_range_are_absent() {
        let i: Inner = serde_json::from_str(r#"{"count":99999999999}"#).expect("ok");
        assert_eq!(i.count, None);
        let i: Inner = serde_json::from_str(r#"{"count":2.5}"#).expect("ok");
        assert_eq!(i.count, None);
        let i: Inner = serde_json::from_str(r#"{"count":2.0}"#).expect("ok");
        assert_eq!(i.count, Some(2));
    }

    #[test]
    fn reads_from_a_value_too() {
        let v = serde_json::json!({"inner": {"name": "x"}, "items": [1, {"name": "y"}]});
        let o: Outer = serde_json::from_value(v).expect("ok");
        assert_eq!(o.inner.name, "x");
        assert_eq!(o.items.len(), 1);
    }

    #[test]
    fn syntax_errors_are_still_errors() {
        assert!(serde_json::from_str::<Outer>(r#"{"inner": {"name": "x"}"#).is_err());
    }

    #[test]
    fn serializes_without_defaults() {
        let o = Outer { flag: true, ..Default::default() };
        assert_eq!(serde_json::to_string(&o).expect("ser"), r#"{"flag":true}"#);
    }
}
