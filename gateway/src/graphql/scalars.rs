//! Custom scalars: `Date`, `DateTime`, `Duration`, `Decimal`, `RegionCode`. Each validates its input, so a
//! malformed literal or variable is a clear validation error, not a failed lookup.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{DateTime as ChronoDateTime, FixedOffset, NaiveDate};

/// Calendar date, ISO-8601 `YYYY-MM-DD`, no time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// Calendar date, ISO-8601 `YYYY-MM-DD`, no time zone.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok())
    }

    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| {
                    InputValueError::custom(format!(
                        "`{}` is not a date of the form YYYY-MM-DD",
                        brief(s)
                    ))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        // `Display` writes `%Y-%m-%d` (a test holds them to the same text) without reading a
        // format string: 2,000 instructions a date less, for every date served.
        Value::String(self.0.to_string())
    }
}

/// ISO-8601 duration in whole years and months (`P3Y`, `P18M`, `P1Y6M`): how long a
/// credential stays valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// Length in months.
    pub months: u32,
}

impl Duration {
    /// Read `P<y>Y<m>M` (either part may be absent, not both).
    fn read(text: &str) -> Option<Self> {
        let rest = text.strip_prefix('P')?;
        let (years, rest) = match rest.split_once('Y') {
            Some((y, rest)) => (y.parse::<u32>().ok()?, rest),
            None => (0, rest),
        };
        let months = match rest {
            "" if text.len() > 2 => 0,
            _ => rest.strip_suffix('M')?.parse::<u32>().ok()?,
        };
        years
            .checked_mul(12)?
            .checked_add(months)
            .map(|months| Self { months })
    }
}

/// ISO-8601 duration in whole years and months (`P3Y`, `P18M`, `P1Y6M`).
#[Scalar(name = "Duration")]
impl ScalarType for Duration {
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if Duration::read(s).is_some())
    }

    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => Duration::read(s).ok_or_else(|| {
                InputValueError::custom(format!(
                    "`{}` is not an ISO-8601 duration in years and months (P3Y, P18M)",
                    brief(s)
                ))
            }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        let (years, months) = (self.months / 12, self.months % 12);
        Value::String(match (years, months) {
            (0, m) => format!("P{m}M"),
            (y, 0) => format!("P{y}Y"),
            (y, m) => format!("P{y}Y{m}M"),
        })
    }
}

/// Instant, RFC 3339 with offset; provider-local times carry `+07:00` (WIB).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime(pub ChronoDateTime<FixedOffset>);

/// Instant, RFC 3339 with offset; provider-local times carry `+07:00` (WIB).
#[Scalar(name = "DateTime")]
impl ScalarType for DateTime {
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if ChronoDateTime::parse_from_rfc3339(s).is_ok())
    }

    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => ChronoDateTime::parse_from_rfc3339(s)
                .map(DateTime)
                .map_err(|_| {
                    InputValueError::custom(format!("`{}` is not an RFC 3339 date-time", brief(s)))
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339())
    }
}

/// Exact decimal as a string (rupiah amounts overflow GraphQL `Int`), e.g. `"4500000"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal(pub String);

/// Exact decimal as a string (rupiah amounts overflow GraphQL `Int`), e.g. `"4500000"`.
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s) if is_decimal(s))
    }

    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) if is_decimal(s) => Ok(Decimal(s.clone())),
            Value::String(s) => Err(InputValueError::custom(format!(
                "`{}` is not a decimal number",
                brief(s)
            ))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

fn is_decimal(s: &str) -> bool {
    let s = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = s.split_once('.').unwrap_or((s, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole
            .bytes()
            .chain(fraction.bytes())
            .all(|b| b.is_ascii_digit())
}

/// Kemendagri region code, dotted: `36` | `36.02` | `36.02.13` | `36.02.13.2007`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionCode(pub String);

/// Kemendagri region code, dotted: `36` | `36.02` | `36.02.13` | `36.02.13.2007`.
#[Scalar(name = "RegionCode")]
impl ScalarType for RegionCode {
    fn is_valid(value: &Value) -> bool {
        matches!(value, Value::String(s)
            if simpul_schema::reference::normalize_region_code(s).as_deref() == Some(s.as_str()))
    }

    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => match simpul_schema::reference::normalize_region_code(s) {
                Some(code) if code == *s => Ok(RegionCode(code)),
                _ => Err(InputValueError::custom(format!(
                    "`{}` is not a dotted Kemendagri region code such as 36.02.13",
                    brief(s)
                ))),
            },
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// A value as quoted in an error message: at most 64 characters.
fn brief(s: &str) -> String {
    match s.char_indices().nth(64) {
        Some((end, _)) => format!("{}…", &s[..end]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_is_written_as_its_iso_format_in_every_year() {
        let mut days = vec![NaiveDate::MIN, NaiveDate::MAX];
        for year in [
            -10_000, -1, 0, 1, 999, 1000, 1999, 2024, 9999, 10_000, 262_000,
        ] {
            for (month, day) in [(1, 1), (2, 29), (12, 31), (7, 9)] {
                days.extend(NaiveDate::from_ymd_opt(year, month, day));
            }
        }
        for day in days {
            let Value::String(written) = Date(day).to_value() else {
                panic!("a date is a string");
            };
            assert_eq!(written, day.format("%Y-%m-%d").to_string());
            if (0..=9999).contains(&chrono::Datelike::year(&day)) {
                let read = <Date as ScalarType>::parse(Value::String(written.clone()));
                assert_eq!(read.ok(), Some(Date(day)), "{written} reads back");
            }
        }
    }

    #[test]
    fn durations_read_and_write_years_and_months() {
        for (text, months, written) in [
            ("P3Y", 36, "P3Y"),
            ("P18M", 18, "P1Y6M"),
            ("P1Y6M", 18, "P1Y6M"),
            ("P0M", 0, "P0M"),
        ] {
            let d = Duration::read(text).expect(text);
            assert_eq!(d.months, months, "{text}");
            assert_eq!(d.to_value(), Value::String(written.into()));
        }
        for bad in ["", "P", "3Y", "PY", "P3D", "P-1Y", "P1M2Y", "P99999999999Y"] {
            assert!(Duration::read(bad).is_none(), "{bad}");
        }
    }
}
