//! Exact Kubernetes quantities (`1500m`, `1.5Gi`, `1e3`, `100Ki`, `5n`).
//!
//! A quantity is held as an integer count of nano-units (`i128`), so sums and comparisons are
//! exact: `1500m` is 1.5 cores (not 1500), `1.5Gi` is 1610612736 bytes (not 0). Like
//! Kubernetes, precision finer than 1n is rounded up. Formatting follows Kubernetes'
//! canonical form (`1.5` → `1500m`, `1000` → `1k`, `1.5Gi` → `1536Mi`).

use crate::tolerant::Tolerant;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

const NANO: i128 = 1_000_000_000;

/// How a quantity was written; formatting keeps the family (binary, decimal, exponent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Format {
    /// `Ki`, `Mi`, `Gi`, ... (powers of 1024).
    BinarySI,
    /// `n`, `u`, `m`, ``, `k`, `M`, `G`, `T`, `P`, `E` (powers of 1000).
    #[default]
    DecimalSI,
    /// `1e3`, `5E-2`.
    DecimalExponent,
}

/// Why a quantity string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuantityError {
    /// Empty input.
    #[error("empty quantity")]
    Empty,
    /// The number part is malformed.
    #[error("invalid number in quantity {0:?}")]
    Number(String),
    /// The suffix is unknown.
    #[error("unknown suffix in quantity {0:?}")]
    Suffix(String),
    /// The value does not fit (|value| > ~1.7e29).
    #[error("quantity {0:?} is out of range")]
    OutOfRange(String),
}

/// An exact Kubernetes quantity.
#[derive(Debug, Clone, Copy, Default)]
pub struct Quantity {
    nanos: i128,
    format: Format,
}

impl PartialEq for Quantity {
    fn eq(&self, other: &Self) -> bool {
        self.nanos == other.nanos
    }
}
impl Eq for Quantity {}
impl PartialOrd for Quantity {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Quantity {
    fn cmp(&self, other: &Self) -> Ordering {
        self.nanos.cmp(&other.nanos)
    }
}
impl std::hash::Hash for Quantity {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.nanos.hash(state)
    }
}

/// A resource list (`cpu`, `memory`, `pods`, `nvidia.com/gpu`, ...), ordered by name.
pub type ResourceList = BTreeMap<String, Quantity>;

fn pow10(exp: u32) -> Option<i128> {
    10i128.checked_pow(exp)
}

fn suffix_of(s: &str) -> Option<(Format, i128, i32)> {
    // (format, binary multiplier (1 for decimal), decimal exponent)
    Some(match s {
        "" => (Format::DecimalSI, 1, 0),
        "n" => (Format::DecimalSI, 1, -9),
        "u" => (Format::DecimalSI, 1, -6),
        "m" => (Format::DecimalSI, 1, -3),
        "k" => (Format::DecimalSI, 1, 3),
        "M" => (Format::DecimalSI, 1, 6),
        "G" => (Format::DecimalSI, 1, 9),
        "T" => (Format::DecimalSI, 1, 12),
        "P" => (Format::DecimalSI, 1, 15),
        "E" => (Format::DecimalSI, 1, 18),
        "Ki" => (Format::BinarySI, 1 << 10, 0),
        "Mi" => (Format::BinarySI, 1 << 20, 0),
        "Gi" => (Format::BinarySI, 1 << 30, 0),
        "Ti" => (Format::BinarySI, 1 << 40, 0),
        "Pi" => (Format::BinarySI, 1 << 50, 0),
        "Ei" => (Format::BinarySI, 1 << 60, 0),
        _ => return None,
    })
}

impl Quantity {
    /// Zero.
    pub const ZERO: Quantity = Quantity { nanos: 0, format: Format::DecimalSI };

    /// Parses a Kubernetes quantity string.
    pub fn parse(input: &str) -> Result<Quantity, QuantityError> {
        let s = input.trim();
        if s.is_empty() {
            return Err(QuantityError::Empty);
        }
        let bytes = s.as_bytes();
        let mut i = 0;
        let negative = match bytes[0] {
            b'-' => {
                i = 1;
                true
            }
            b'+' => {
                i = 1;
                false
            }
            _ => false,
        };
        let int_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let int_digits = &s[int_start..i];
        let mut frac_digits = "";
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let fs = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            frac_digits = &s[fs..i];
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return Err(QuantityError::Number(input.to_owned()));
        }
        let suffix = &s[i..];
        let (format, binary, mut exp10) = match suffix_of(suffix) {
            Some(v) => v,
            None => {
                let rest = suffix
                    .strip_prefix('e')
                    .or_else(|| suffix.strip_prefix('E'))
                    .ok_or_else(|| QuantityError::Suffix(input.to_owned()))?;
                let digits = rest.strip_prefix(['+', '-']).unwrap_or(rest);
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(QuantityError::Suffix(input.to_owned()));
                }
                let e: i32 = rest.parse().map_err(|_| QuantityError::OutOfRange(input.to_owned()))?;
                (Format::DecimalExponent, 1, e)
            }
        };
        // mantissa = int_digits.frac_digits → integer `digits` × 10^-(frac len)
        let out_of_range = || QuantityError::OutOfRange(input.to_owned());
        let all_digits = int_digits.bytes().chain(frac_digits.bytes()).skip_while(|b| *b == b'0');
        let mut mantissa: i128 = 0;
        let mut dropped_nonzero = false;
        let mut dropped = 0i32;
        for b in all_digits {
            let d = i128::from(b - b'0');
            match mantissa.checked_mul(10).and_then(|m| m.checked_add(d)) {
                // Keep ~36 significant digits; extra ones only matter for rounding up.
                Some(m) if m < 10i128.pow(36) => mantissa = m,
                _ => {
                    dropped += 1;
                    dropped_nonzero |= d != 0;
                }
            }
        }
        let frac_len = i32::try_from(frac_digits.len()).map_err(|_| out_of_range())?;
        // value = mantissa × 10^(dropped - frac_len + exp10) × binary; in nanos add 9.
        exp10 = exp10.saturating_add(dropped).saturating_sub(frac_len).saturating_add(9);
        let mut nanos = mantissa.checked_mul(binary).ok_or_else(out_of_range)?;
        let mut inexact = dropped_nonzero;
        if exp10 >= 0 {
            if nanos != 0 {
                let p = u32::try_from(exp10).ok().and_then(pow10).ok_or_else(out_of_range)?;
                nanos = nanos.checked_mul(p).ok_or_else(out_of_range)?;
            }
        } else {
            let shift = u32::try_from(-i64::from(exp10)).unwrap_or(u32::MAX);
            match pow10(shift) {
                Some(p) => {
                    inexact |= nanos % p != 0;
                    nanos /= p;
                }
                None => {
                    inexact |= nanos != 0;
                    nanos = 0;
                }
            }
        }
        if inexact {
            // Kubernetes rounds sub-nano precision up (away from zero for the magnitude).
            nanos += 1;
        }
        if negative {
            nanos = -nanos;
        }
        Ok(Quantity { nanos, format })
    }

    /// A whole number of base units (`cores`, `bytes`, `pods`), decimal format.
    pub fn from_units(units: i64) -> Quantity {
        Quantity { nanos: i128::from(units) * NANO, format: Format::DecimalSI }
    }

    /// A number of milli-units (millicores), decimal format.
    pub fn from_millis(millis: i64) -> Quantity {
        Quantity { nanos: i128::from(millis) * 1_000_000, format: Format::DecimalSI }
    }

    /// A number of bytes in binary format (formats as `Ki`/`Mi`/`Gi` when exact).
    pub fn from_bytes(bytes: i64) -> Quantity {
        Quantity { nanos: i128::from(bytes) * NANO, format: Format::BinarySI }
    }

    /// The exact value in nano-units.
    pub fn nanos(&self) -> i128 {
        self.nanos
    }

    /// The format the quantity was written in.
    pub fn format(&self) -> Format {
        self.format
    }

    /// True when zero.
    pub fn is_zero(&self) -> bool {
        self.nanos == 0
    }

    /// Value in milli-units, rounded up like Kubernetes' `MilliValue`.
    pub fn millis(&self) -> i128 {
        ceil_div(self.nanos, 1_000_000)
    }

    /// Value in whole units, rounded up like Kubernetes' `Value`.
    pub fn units(&self) -> i128 {
        ceil_div(self.nanos, NANO)
    }

    /// Approximate value in base units, for ratios and charts.
    pub fn as_f64(&self) -> f64 {
        let whole = self.nanos / NANO;
        let frac = self.nanos % NANO;
        whole as f64 + frac as f64 / NANO as f64
    }

    /// Exact sum (keeps this quantity's format; `None` on overflow).
    pub fn checked_add(&self, other: &Quantity) -> Option<Quantity> {
        let format = if self.nanos == 0 { other.format } else { self.format };
        Some(Quantity { nanos: self.nanos.checked_add(other.nanos)?, format })
    }

    /// Exact difference (keeps this quantity's format; `None` on overflow).
    pub fn checked_sub(&self, other: &Quantity) -> Option<Quantity> {
        Some(Quantity { nanos: self.nanos.checked_sub(other.nanos)?, format: self.format })
    }

    /// Exact product with an integer (e.g. requests × replicas).
    pub fn checked_mul(&self, n: i64) -> Option<Quantity> {
        Some(Quantity { nanos: self.nanos.checked_mul(i128::from(n))?, format: self.format })
    }

    /// Sum saturating at the representable range (sums of cluster resources never reach it).
    pub fn saturating_add(&self, other: &Quantity) -> Quantity {
        let format = if self.nanos == 0 { other.format } else { self.format };
        Quantity { nanos: self.nanos.saturating_add(other.nanos), format }
    }

    /// `self / other` as a float; `None` when `other` is zero.
    pub fn ratio(&self, other: &Quantity) -> Option<f64> {
        if other.nanos == 0 {
            return None;
        }
        // Divide in integers first so that huge values keep their precision.
        let q = self.nanos / other.nanos;
        let r = self.nanos % other.nanos;
        Some(q as f64 + r as f64 / other.nanos as f64)
    }

    /// Canonical Kubernetes string.
    pub fn canonical(&self) -> String {
        self.to_string()
    }
}

fn ceil_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if a % b > 0 { q + 1 } else { q }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.nanos == 0 {
            return f.write_str("0");
        }
        let sign = if self.nanos < 0 { "-" } else { "" };
        let abs = self.nanos.unsigned_abs();
        let nano = NANO as u128;
        let mut format = self.format;
        if format == Format::BinarySI && (!abs.is_multiple_of(nano) || abs < 1024 * nano) {
            // Fractions and small values read better in decimal (as Kubernetes does).
            format = Format::DecimalSI;
        }
        if format == Format::BinarySI {
            let mut units = abs / nano;
            let mut idx = 0;
            const BIN: [&str; 7] = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];
            while idx < 6 && units.is_multiple_of(1024) {
                units /= 1024;
                idx += 1;
            }
            return write!(f, "{sign}{units}{}", BIN[idx]);
        }
        // Decimal: nanos = m × 10^e with e the largest multiple of 3 (>= -9) dividing exactly.
        let mut m = abs;
        let mut e: i32 = -9;
        while m.is_multiple_of(1000) && e < 18 {
            m /= 1000;
            e += 3;
        }
        if format == Format::DecimalExponent {
            if e == 0 { write!(f, "{sign}{m}") } else { write!(f, "{sign}{m}e{e}") }
        } else {
            let suffix = match e {
                -9 => "n",
                -6 => "u",
                -3 => "m",
                0 => "",
                3 => "k",
                6 => "M",
                9 => "G",
                12 => "T",
                15 => "P",
                _ => "E",
            };
            write!(f, "{sign}{m}{suffix}")
        }
    }
}

impl FromStr for Quantity {
    type Err = QuantityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Quantity::parse(s)
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

struct QuantityVisitor;
impl<'de> Visitor<'de> for QuantityVisitor {
    type Value = Quantity;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Kubernetes quantity")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Quantity, E> {
        Quantity::parse(v).map_err(E::custom)
    }
    // YAML `cpu: 1` arrives as a number.
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Quantity, E> {
        Ok(Quantity::from_units(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Quantity, E> {
        Ok(Quantity { nanos: i128::from(v) * NANO, format: Format::DecimalSI })
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Quantity, E> {
        Quantity::parse(&v.to_string()).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(QuantityVisitor)
    }
}

struct TolerantQuantityVisitor;
impl<'de> Visitor<'de> for TolerantQuantityVisitor {
    type Value = Option<Quantity>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Kubernetes quantity")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Quantity::parse(v).ok())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        QuantityVisitor.visit_i64(v).map(Some)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        QuantityVisitor.visit_u64(v).map(Some)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(QuantityVisitor.visit_f64::<E>(v).ok())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    crate::tolerant::reject_shapes!(map);
    crate::tolerant::reject_shapes!(seq);
    crate::tolerant::reject_shapes!(unit);
}

impl Tolerant for Quantity {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(TolerantQuantityVisitor)
    }
}

/// Rounds a computed float to 6 decimals so that it survives a JSON round trip exactly
/// (serde_json parses up to 15 significant digits exactly; sums like 0.1 + 0.2 have 17).
pub fn round6(x: f64) -> f64 {
    if x.is_finite() && x.abs() < 1e9 { (x * 1e6).round() / 1e6 } else { x }
}

/// Adds `b` into `a`, resource by resource.
pub fn add_into(a: &mut ResourceList, b: &ResourceList) {
    for (k, v) in b {
        let e = a.entry(k.clone()).or_insert(Quantity::ZERO);
        *e = e.saturating_add(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> Quantity {
        Quantity::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn the_incumbents_bugs() {
        assert_eq!(q("1500m").millis(), 1500);
        assert_eq!(q("1500m").as_f64(), 1.5);
        assert_eq!(q("1.5Gi").units(), 1_610_612_736);
        assert_eq!(q("1.5Gi"), q("1536Mi"));
    }

    #[test]
    fn suffixes_and_forms() {
        assert_eq!(q("1e3"), q("1k"));
        assert_eq!(q("1E3"), q("1000"));
        assert_eq!(q("1E").units(), 1_000_000_000_000_000_000);
        assert_eq!(q("100Ki").units(), 102_400);
        assert_eq!(q("0.1"), q("100m"));
        assert_eq!(q("5n").nanos(), 5);
        assert_eq!(q("3u").nanos(), 3000);
        assert_eq!(q(".5"), q("500m"));
        assert_eq!(q("5."), q("5"));
        assert_eq!(q("+2"), q("2"));
        assert_eq!(q("-1.5").millis(), -1500);
        assert_eq!(q("1e-3"), q("1m"));
        assert_eq!(q("2.5e+2"), q("250"));
        assert_eq!(q("8Ei").units(), 9_223_372_036_854_775_808);
        assert_eq!(q(" 2Gi "), q("2Gi"));
        assert_eq!(q("0"), Quantity::ZERO);
        assert_eq!(q("0.000Gi"), Quantity::ZERO);
        assert_eq!(q("00012"), q("12"));
    }

    #[test]
    fn sub_nano_precision_rounds_up() {
        assert_eq!(q("0.1n").nanos(), 1);
        assert_eq!(q("1e-20").nanos(), 1);
        assert_eq!(q("1.0000000001").nanos(), 1_000_000_001);
        assert_eq!(q("-0.1n").nanos(), -1);
    }

    #[test]
    fn garbage_is_an_error() {
        for bad in
            ["", " ", "abc", "1.5.5", "1Ki5", "1e", "1ee3", "1e3.5", "1KI", "m", "--1", "1 Gi", "1e+", "Gi"]
        {
            assert!(Quantity::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(matches!(Quantity::parse("1e400"), Err(QuantityError::OutOfRange(_))));
        assert!(matches!(Quantity::parse("999999999999999999999999Ei"), Err(QuantityError::OutOfRange(_))));
    }

    #[test]
    fn canonical_form() {
        let cases = [
            ("1500m", "1500m"),
            ("1.5", "1500m"),
            ("1000", "1k"),
            ("1500", "1500"),
            ("1.5k", "1500"),
            ("0.1", "100m"),
            ("1.5Gi", "1536Mi"),
            ("1Gi", "1Gi"),
            ("1024", "1024"),
            ("2048", "2048"),
            ("2Ki", "2Ki"),
            ("1025Ki", "1025Ki"),
            ("512", "512"),
            ("0.5Ki", "512"),
            ("1e3", "1e3"),
            ("1500e-3", "1500e-3"),
            ("100e-3", "100e-3"),
            ("1E", "1E"),
            ("1000E", "1000E"),
            ("5n", "5n"),
            ("-2Mi", "-2Mi"),
            ("0Gi", "0"),
            ("256M", "256M"),
        ];
        for (input, want) in cases {
            assert_eq!(q(input).to_string(), want, "canonical of {input}");
            assert_eq!(q(want), q(input), "round trip of {input}");
        }
    }

    #[test]
    fn arithmetic_is_exact() {
        let sum = q("100m").checked_add(&q("1.9")).expect("no overflow");
        assert_eq!(sum, q("2"));
        assert_eq!(sum.to_string(), "2");
        assert_eq!(q("1Gi").checked_sub(&q("512Mi")).expect("ok"), q("512Mi"));
        assert_eq!(q("250m").checked_mul(4).expect("ok"), q("1"));
        assert!(q("1500m") > q("1"));
        assert!(q("999Mi") < q("1Gi"));
        assert_eq!(q("1500m").ratio(&q("3")), Some(0.5));
        assert_eq!(q("1").ratio(&Quantity::ZERO), None);
        assert_eq!(Quantity::ZERO.checked_add(&q("1Gi")).expect("ok").format(), Format::BinarySI);
        let mut a = ResourceList::new();
        add_into(&mut a, &ResourceList::from([("cpu".into(), q("500m")), ("memory".into(), q("1Gi"))]));
        add_into(&mut a, &ResourceList::from([("cpu".into(), q("1.5"))]));
        assert_eq!(a["cpu"], q("2"));
        assert_eq!(a["memory"], q("1Gi"));
    }

    #[test]
    fn rounding_accessors() {
        assert_eq!(q("1n").millis(), 1);
        assert_eq!(q("1m").units(), 1);
        assert_eq!(q("-1m").units(), 0);
        assert_eq!(q("2").units(), 2);
    }

    #[test]
    fn serde_accepts_strings_and_numbers() {
        let l: ResourceList =
            serde_json::from_str(r#"{"cpu": 4, "memory": "1.5Gi", "x": 0.25}"#).expect("ok");
        assert_eq!(l["cpu"], q("4"));
        assert_eq!(l["x"], q("250m"));
        assert_eq!(serde_json::to_string(&l).expect("ser"), r#"{"cpu":"4","memory":"1536Mi","x":"250m"}"#);
        assert!(serde_json::from_str::<Quantity>(r#""garbage""#).is_err());
    }
}
