//! RFC 3339 timestamps as Kubernetes writes them (`2024-05-01T12:00:00Z`,
//! `2024-05-01T12:00:00.123456Z`, `2024-05-01T14:00:00+02:00`), held as unix milliseconds.
//!
//! Pure and small (no chrono in the wasm build): civil-date arithmetic only.

use crate::tolerant::Tolerant;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A point in time: milliseconds since the unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub i64);

/// Why a timestamp was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid RFC 3339 timestamp {0:?}")]
pub struct TimeError(pub String);

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn digits(s: &[u8], at: usize, n: usize) -> Option<i64> {
    let part = s.get(at..at + n)?;
    part.iter().try_fold(0i64, |acc, b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0')))
}

impl Time {
    /// Parses an RFC 3339 timestamp (fractions beyond milliseconds are truncated).
    pub fn parse(input: &str) -> Result<Time, TimeError> {
        Self::parse_opt(input.trim()).ok_or_else(|| TimeError(input.to_owned()))
    }

    fn parse_opt(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        let year = digits(b, 0, 4)?;
        let month = digits(b, 5, 2)?;
        let day = digits(b, 8, 2)?;
        let hour = digits(b, 11, 2)?;
        let min = digits(b, 14, 2)?;
        let sec = digits(b, 17, 2)?;
        if b.get(4) != Some(&b'-')
            || b.get(7) != Some(&b'-')
            || b.get(13) != Some(&b':')
            || b.get(16) != Some(&b':')
        {
            return None;
        }
        if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
            return None;
        }
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        // 60 is a leap second; it is folded into the next second like most parsers do.
        if hour > 23 || min > 59 || sec > 60 {
            return None;
        }
        let mut i = 19;
        let mut millis = 0i64;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                if i - start < 3 {
                    millis = millis * 10 + i64::from(b[i] - b'0');
                }
                i += 1;
            }
            if i == start {
                return None;
            }
            for _ in (i - start)..3 {
                millis *= 10;
            }
        }
        let offset_secs = match b.get(i)? {
            b'Z' | b'z' if i + 1 == b.len() => 0,
            sign @ (b'+' | b'-') if i + 6 == b.len() && b[i + 3] == b':' => {
                let oh = digits(b, i + 1, 2)?;
                let om = digits(b, i + 4, 2)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let o = oh * 3600 + om * 60;
                if *sign == b'-' { -o } else { o }
            }
            _ => return None,
        };
        let days = days_from_civil(year, month, day);
        let secs = days * 86_400 + hour * 3600 + min * 60 + sec - offset_secs;
        Some(Time(secs * 1000 + millis))
    }

    /// From unix seconds.
    pub fn from_unix_seconds(secs: i64) -> Time {
        Time(secs.saturating_mul(1000))
    }

    /// Unix milliseconds.
    pub fn unix_millis(&self) -> i64 {
        self.0
    }

    /// Unix seconds (floored).
    pub fn unix_seconds(&self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// Seconds from `earlier` to `self` (negative when `earlier` is later).
    pub fn seconds_since(&self, earlier: Time) -> f64 {
        (self.0 - earlier.0) as f64 / 1000.0
    }

    /// Formats as RFC 3339 UTC (`…Z`, with `.mmm` only when there are milliseconds).
    pub fn to_rfc3339(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.div_euclid(1000);
        let ms = self.0.rem_euclid(1000);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        write!(f, "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60)?;
        if ms != 0 {
            write!(f, ".{ms:03}")?;
        }
        f.write_str("Z")
    }
}

impl std::str::FromStr for Time {
    type Err = TimeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Time::parse(s)
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Time::parse(&s).map_err(de::Error::custom)
    }
}

struct TolerantTimeVisitor;
impl<'de> Visitor<'de> for TolerantTimeVisitor {
    type Value = Option<Time>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an RFC 3339 timestamp")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Time::parse(v).ok())
    }
    crate::tolerant::reject_shapes!(map);
    crate::tolerant::reject_shapes!(seq);
    crate::tolerant::reject_shapes!(unit);
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
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
}

impl Tolerant for Time {
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(TolerantTimeVisitor)
    }
}

/// Formats a duration in seconds the way kubectl prints ages (`45s`, `3m12s`, `5h`, `2d4h`).
pub fn human_duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "0s".to_owned();
    }
    let s = seconds as i64;
    if seconds < 10.0 && seconds.fract() != 0.0 {
        return format!("{seconds:.1}s");
    }
    match s {
        0..=119 => format!("{s}s"),
        120..=599 => match s % 60 {
            0 => format!("{}m", s / 60),
            r => format!("{}m{r}s", s / 60),
        },
        600..=10_799 => format!("{}m", s / 60),
        10_800..=172_799 => match s % 3600 / 60 {
            m if m == 0 || s >= 28_800 => format!("{}h", s / 3600),
            m => format!("{}h{m}m", s / 3600),
        },
        _ => match s % 86_400 / 3600 {
            h if h == 0 || s >= 8 * 86_400 => format!("{}d", s / 86_400),
            h => format!("{}d{h}h", s / 86_400),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> i64 {
        Time::parse(s).unwrap_or_else(|e| panic!("{e}")).0
    }

    #[test]
    fn parses_kubernetes_timestamps() {
        assert_eq!(t("1970-01-01T00:00:00Z"), 0);
        assert_eq!(t("2024-05-01T12:00:00Z"), 1_714_564_800_000);
        assert_eq!(t("2024-05-01T12:00:00.123456Z"), 1_714_564_800_123);
        assert_eq!(t("2024-05-01T12:00:00.5Z"), 1_714_564_800_500);
        assert_eq!(t("2024-05-01T14:00:00+02:00"), 1_714_564_800_000);
        assert_eq!(t("2024-05-01T07:30:00-04:30"), 1_714_564_800_000);
        assert_eq!(t("2024-02-29T00:00:00Z"), 1_709_164_800_000);
        assert_eq!(t("1969-12-31T23:59:59Z"), -1000);
        assert_eq!(t("2000-03-01t00:00:00z"), 951_868_800_000);
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01T12:00:00",
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:00:00.Z",
            "2024-05-01T12:00:00+0200",
            "2024-05-01T12:00:00Zjunk",
            "yesterday",
            "2024-05-01X12:00:00Z",
        ] {
            assert!(Time::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn formats_round_trip() {
        for s in [
            "2024-05-01T12:00:00Z",
            "1969-12-31T23:59:59Z",
            "2024-02-29T23:59:59.250Z",
            "2400-12-31T00:00:00Z",
        ] {
            assert_eq!(Time::parse(s).expect("ok").to_string(), s);
        }
    }

    #[test]
    fn durations() {
        assert_eq!(human_duration(3.25), "3.2s");
        assert_eq!(human_duration(45.0), "45s");
        assert_eq!(human_duration(192.0), "3m12s");
        assert_eq!(human_duration(900.0), "15m");
        assert_eq!(human_duration(3.0 * 3600.0 + 60.0 * 5.0), "3h5m");
        assert_eq!(human_duration(9.0 * 3600.0), "9h");
        assert_eq!(human_duration(2.0 * 86400.0 + 4.0 * 3600.0), "2d4h");
        assert_eq!(human_duration(30.0 * 86400.0), "30d");
        assert_eq!(human_duration(-5.0), "0s");
    }
}
