//! Query parameters as the contract defines them: `page`/`per_page` paging, and the
//! per-endpoint filter values with their patterns and enumerations. Anything invalid is a 400
//! `PARAMETER_TIDAK_VALID`; unknown parameters are ignored.

use chrono::{DateTime, FixedOffset, NaiveDateTime};

use crate::error::ApiError;

/// Default `per_page`.
pub const DEFAULT_PER_PAGE: u64 = 20;
/// Largest `per_page`.
pub const MAX_PER_PAGE: u64 = 100;

/// The query string of one request, as name/value pairs.
#[derive(Debug, Clone, Default)]
pub struct Params(pub Vec<(String, String)>);

/// One page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// 1-based page number.
    pub page: u64,
    /// Page size, 1–100.
    pub per_page: u64,
}

impl Params {
    /// The value of `name`; a parameter given twice is rejected.
    pub fn get(&self, name: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v);
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad_parameter(format!(
                "Parameter `{name}` diberikan lebih dari sekali."
            )));
        }
        Ok(first.map(String::as_str))
    }

    /// `page` (default 1, at least 1) and `per_page` (default 20, 1–100).
    pub fn page(&self) -> Result<Page, ApiError> {
        let page = match self.get("page")? {
            None => 1,
            Some(raw) => match raw.trim().parse::<u64>() {
                Ok(n) if n >= 1 => n,
                _ => {
                    return Err(ApiError::bad_parameter(
                        "Parameter `page` harus bilangan bulat >= 1.",
                    ))
                }
            },
        };
        let per_page = match self.get("per_page")? {
            None => DEFAULT_PER_PAGE,
            Some(raw) => match raw.trim().parse::<u64>() {
                Ok(n) if (1..=MAX_PER_PAGE).contains(&n) => n,
                _ => {
                    return Err(ApiError::bad_parameter(format!(
                        "Parameter `per_page` harus bilangan bulat 1–{MAX_PER_PAGE}."
                    )))
                }
            },
        };
        Ok(Page { page, per_page })
    }

    /// A value that must be one of `allowed`.
    pub fn one_of(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_owned())),
            Some(_) => Err(ApiError::bad_parameter(format!(
                "Parameter `{name}` harus salah satu dari: {}.",
                allowed.join(", ")
            ))),
        }
    }

    /// A value that must satisfy `valid` (a contract pattern, described by `what`).
    pub fn matching(
        &self,
        name: &str,
        valid: fn(&str) -> bool,
        what: &str,
    ) -> Result<Option<String>, ApiError> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) if valid(v) => Ok(Some(v.to_owned())),
            Some(_) => Err(ApiError::bad_parameter(format!(
                "Parameter `{name}` harus berformat {what}."
            ))),
        }
    }

    /// An integer in `range`.
    pub fn integer(
        &self,
        name: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Result<Option<i64>, ApiError> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) => match v.trim().parse::<i64>() {
                Ok(n) if range.contains(&n) => Ok(Some(n)),
                _ => Err(ApiError::bad_parameter(format!(
                    "Parameter `{name}` harus bilangan bulat {}–{}.",
                    range.start(),
                    range.end()
                ))),
            },
        }
    }

    /// An ISO-8601 date-time with offset. A `+` decoded to a space (an unencoded query string)
    /// is accepted back as `+`.
    pub fn date_time(&self, name: &str) -> Result<Option<DateTime<FixedOffset>>, ApiError> {
        match self.get(name)? {
            None => Ok(None),
            Some(v) => DateTime::parse_from_rfc3339(&v.trim().replace(' ', "+"))
                .map(Some)
                .map_err(|_| {
                    ApiError::bad_parameter(format!(
                        "Parameter `{name}` harus tanggal-waktu ISO-8601 dengan offset \
                         (mis. 2019-12-27T10:00:00+07:00)."
                    ))
                }),
        }
    }
}

/// The slice of `items` on `page`, with the meta block's numbers.
pub fn paginate<T>(items: &[T], page: Page) -> (&[T], u64, u64) {
    let total = items.len() as u64;
    let total_pages = total.div_ceil(page.per_page);
    let start = (page.page - 1).saturating_mul(page.per_page);
    let slice = usize::try_from(start)
        .ok()
        .and_then(|start| items.get(start..))
        .map_or(&items[..0], |rest| {
            let n = usize::try_from(page.per_page).unwrap_or(usize::MAX);
            &rest[..rest.len().min(n)]
        });
    (slice, total, total_pages)
}

/// `^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$`: a Kemendagri code at any level.
pub fn is_region_code(s: &str) -> bool {
    let parts: Vec<&str> = s.split('.').collect();
    let widths: &[usize] = &[2, 2, 2, 4];
    (1..=4).contains(&parts.len())
        && parts
            .iter()
            .zip(widths)
            .all(|(p, w)| p.len() == *w && p.bytes().all(|b| b.is_ascii_digit()))
}

/// `^LM-\d{4}$`.
pub fn is_lembaga_id(s: &str) -> bool {
    s.strip_prefix("LM-").is_some_and(|d| digits(d, 4))
}

/// `^PV-\d{4}-\d{4}$`.
pub fn is_program_id(s: &str) -> bool {
    s.strip_prefix("PV-")
        .and_then(|rest| rest.split_once('-'))
        .is_some_and(|(a, b)| digits(a, 4) && digits(b, 4))
}

/// `^[0-9]{11}$`.
pub fn is_kpj(s: &str) -> bool {
    digits(s, 11)
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// A record's timestamp as an instant: with its offset, or `+07:00` when it has none; `None`
/// when unreadable.
pub fn instant(raw: &str) -> Option<DateTime<FixedOffset>> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Some(t);
    }
    let naive = NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S").ok()?;
    naive
        .and_local_timezone(FixedOffset::east_opt(7 * 3600)?)
        .single()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Params {
        Params(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        )
    }

    #[test]
    fn paging_defaults_bounds_and_past_the_end() {
        assert_eq!(
            params(&[]).page().unwrap(),
            Page {
                page: 1,
                per_page: 20
            }
        );
        for bad in [
            ("page", "0"),
            ("page", "-1"),
            ("page", "x"),
            ("per_page", "0"),
            ("per_page", "101"),
            ("per_page", "1.5"),
        ] {
            assert_eq!(
                params(&[bad]).page().unwrap_err().status.as_u16(),
                400,
                "{bad:?}"
            );
        }
        assert!(params(&[("page", "1"), ("page", "2")]).page().is_err());
        let items: Vec<u32> = (0..45).collect();
        let page = |p, n| Page {
            page: p,
            per_page: n,
        };
        assert_eq!(paginate(&items, page(3, 20)), (&items[40..45], 45, 3));
        assert_eq!(paginate(&items, page(4, 20)).0.len(), 0);
        assert_eq!(paginate(&items, page(u64::MAX, 100)).0.len(), 0);
        assert_eq!(paginate::<u32>(&[], page(1, 20)), (&[][..], 0, 0));
    }

    #[test]
    fn patterns() {
        for ok in ["36", "36.72", "36.72.08", "36.72.08.1004"] {
            assert!(is_region_code(ok), "{ok}");
        }
        for bad in ["3", "36.7", "36.72.08.100", "3672", "36.72.08.1004.1", ""] {
            assert!(!is_region_code(bad), "{bad}");
        }
        assert!(is_program_id("PV-2019-0001"));
        assert!(!is_program_id("PV-2019-001"));
        assert!(is_lembaga_id("LM-0001"));
        assert!(!is_lembaga_id("LM-01"));
        assert!(is_kpj("99000000001"));
        assert!(!is_kpj("9900000000"));
        assert_eq!(
            instant("2019-12-27T10:00:00").map(|t| t.to_rfc3339()),
            Some("2019-12-27T10:00:00+07:00".to_owned())
        );
        assert!(params(&[("diperbarui_sejak", "2019-12-27T10:00:00 07:00")])
            .date_time("diperbarui_sejak")
            .unwrap()
            .is_some());
    }
}
