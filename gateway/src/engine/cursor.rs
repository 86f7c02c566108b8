//! Relay pagination over a merged list: opaque, stable cursors.
//!
//! A cursor is `base64url("c1:" + global id of the record)`. It carries no personal data and
//! no position: the next page starts after the record it names, wherever that record now is,
//! so a page boundary does not drift when records are added before it. A cursor that names
//! no record of the current result (forged, or the data or the filter changed) is an error
//! rather than a silent restart.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// A page request in Relay's terms, or Hasura's `limit`/`offset`.
#[derive(Debug, Clone, Default)]
pub struct PageRequest {
    /// `first`.
    pub first: Option<i32>,
    /// `after`.
    pub after: Option<String>,
    /// `last`.
    pub last: Option<i32>,
    /// `before`.
    pub before: Option<String>,
    /// `limit` (with `offset`; excludes cursors).
    pub limit: Option<i32>,
    /// `offset`.
    pub offset: Option<i32>,
}

/// Which slice of the list to return, and what lies beyond it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageWindow {
    /// First index (inclusive).
    pub start: usize,
    /// Last index (exclusive).
    pub end: usize,
    /// Records exist before `start`.
    pub has_previous: bool,
    /// Records exist after `end`.
    pub has_next: bool,
}

/// Why a page request cannot be served.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageError {
    /// A size is negative or above the limit, or arguments are combined wrongly.
    #[error("{0}")]
    BadArguments(String),
    /// The cursor is not one of ours, or names no record of this result.
    #[error("{0}")]
    BadCursor(String),
}

/// The cursor of the record with this global id.
pub fn encode(global_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("c1:{global_id}"))
}

fn decode(cursor: &str) -> Result<String, PageError> {
    let bad = || PageError::BadCursor("not a valid cursor".into());
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("c1:").map(str::to_owned).ok_or_else(bad)
}

impl PageRequest {
    /// Resolve the request against a list whose i-th record has global id `ids(i)`.
    pub fn window(
        &self,
        len: usize,
        ids: impl Fn(usize) -> String,
        default_size: usize,
        max_size: usize,
    ) -> Result<PageWindow, PageError> {
        let size = |name: &str, v: Option<i32>| -> Result<Option<usize>, PageError> {
            match v {
                None => Ok(None),
                Some(n) if n < 0 => Err(PageError::BadArguments(format!(
                    "`{name}` must not be negative"
                ))),
                Some(n) if n as usize > max_size => Err(PageError::BadArguments(format!(
                    "`{name}` is {n}, above the largest page size of {max_size}"
                ))),
                Some(n) => Ok(Some(n as usize)),
            }
        };
        let cursors = self.after.is_some()
            || self.before.is_some()
            || self.first.is_some()
            || self.last.is_some();
        if self.limit.is_some() || self.offset.is_some() {
            if cursors {
                return Err(PageError::BadArguments(
                    "use either first/after/last/before or limit/offset, not both".into(),
                ));
            }
            let limit = size("limit", self.limit)?.unwrap_or(default_size);
            let offset = match self.offset {
                Some(n) if n < 0 => {
                    return Err(PageError::BadArguments(
                        "`offset` must not be negative".into(),
                    ))
                }
                Some(n) => (n as usize).min(len),
                None => 0,
            };
            let end = offset.saturating_add(limit).min(len);
            return Ok(PageWindow {
                start: offset,
                end,
                has_previous: offset > 0,
                has_next: end < len,
            });
        }
        if self.first.is_some() && self.last.is_some() {
            return Err(PageError::BadArguments(
                "use `first` or `last`, not both".into(),
            ));
        }
        let position = |cursor: &str| -> Result<usize, PageError> {
            let id = decode(cursor)?;
            (0..len).find(|&i| ids(i) == id).ok_or_else(|| {
                PageError::BadCursor("the cursor names no record of this result (the data or the filter changed); start again without it".into())
            })
        };
        let mut start = 0;
        let mut end = len;
        if let Some(after) = &self.after {
            start = position(after)? + 1;
        }
        if let Some(before) = &self.before {
            end = position(before)?;
        }
        if end < start {
            end = start;
        }
        let (first, last) = (size("first", self.first)?, size("last", self.last)?);
        match (first, last) {
            (_, Some(last)) => start = start.max(end.saturating_sub(last)),
            (Some(first), None) => end = end.min(start + first),
            (None, None) => end = end.min(start + default_size),
        }
        Ok(PageWindow {
            start,
            end,
            has_previous: start > 0,
            has_next: end < len,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(i: usize) -> String {
        format!("id{i}")
    }

    #[test]
    fn pages_forward_and_back() {
        let p = PageRequest {
            first: Some(3),
            ..Default::default()
        };
        let w = p.window(7, ids, 20, 100).unwrap();
        assert_eq!(
            (w.start, w.end, w.has_previous, w.has_next),
            (0, 3, false, true)
        );
        let p = PageRequest {
            first: Some(3),
            after: Some(encode("id2")),
            ..Default::default()
        };
        let w = p.window(7, ids, 20, 100).unwrap();
        assert_eq!((w.start, w.end), (3, 6));
        let p = PageRequest {
            last: Some(2),
            before: Some(encode("id6")),
            ..Default::default()
        };
        let w = p.window(7, ids, 20, 100).unwrap();
        assert_eq!((w.start, w.end, w.has_next), (4, 6, true));
    }

    #[test]
    fn bad_arguments_and_cursors() {
        let p = PageRequest {
            first: Some(101),
            ..Default::default()
        };
        assert!(matches!(
            p.window(7, ids, 20, 100),
            Err(PageError::BadArguments(_))
        ));
        let p = PageRequest {
            first: Some(-1),
            ..Default::default()
        };
        assert!(matches!(
            p.window(7, ids, 20, 100),
            Err(PageError::BadArguments(_))
        ));
        let p = PageRequest {
            after: Some("garbage!".into()),
            ..Default::default()
        };
        assert!(matches!(
            p.window(7, ids, 20, 100),
            Err(PageError::BadCursor(_))
        ));
        let p = PageRequest {
            after: Some(encode("gone")),
            ..Default::default()
        };
        assert!(matches!(
            p.window(7, ids, 20, 100),
            Err(PageError::BadCursor(_))
        ));
        let p = PageRequest {
            limit: Some(2),
            after: Some(encode("id1")),
            ..Default::default()
        };
        assert!(matches!(
            p.window(7, ids, 20, 100),
            Err(PageError::BadArguments(_))
        ));
    }

    #[test]
    fn limit_offset() {
        let p = PageRequest {
            limit: Some(2),
            offset: Some(6),
            ..Default::default()
        };
        let w = p.window(7, ids, 20, 100).unwrap();
        assert_eq!((w.start, w.end, w.has_next), (6, 7, false));
    }
}
