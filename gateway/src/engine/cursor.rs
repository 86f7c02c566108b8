//! Relay pagination over a merged list: opaque, stable cursors.
//!
//! A cursor is `base64url("c2:<position>:<global id>")`: where the record stood and which record
//! it was. It carries no personal data (global ids never do). The engine only fetches as many
//! leading records as the page needs ([`PagePlan::need`]); the cursor's position says how many
//! that is, and its id checks that the record is still there. If the data moved, the record is
//! looked for among the records fetched; a cursor that names no record of the current result
//! (forged, or the data or the filter changed) is an error rather than a silent restart.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::Need;

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
    /// The cursor's record moved and is not among the records fetched: fetch everything
    /// ([`PagePlan::widen`]) and cut again.
    #[error("the cursor's record moved; the whole list is needed")]
    Refetch,
}

/// A decoded cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Anchor {
    position: usize,
    id: String,
}

/// The cursor of the record with this global id at this position.
pub fn encode(position: usize, global_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("c2:{position}:{global_id}"))
}

fn decode(cursor: &str) -> Result<Anchor, PageError> {
    let bad = || PageError::BadCursor("not a valid cursor".into());
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let rest = text.strip_prefix("c2:").ok_or_else(bad)?;
    let (position, id) = rest.split_once(':').ok_or_else(bad)?;
    let position = position.parse().map_err(|_| bad())?;
    if id.is_empty() {
        return Err(bad());
    }
    Ok(Anchor {
        position,
        id: id.to_owned(),
    })
}

/// A checked page request: what to fetch, and how to cut the page.
#[derive(Debug, Clone)]
pub struct PagePlan {
    /// How many leading records the engine must fetch.
    pub need: Need,
    shape: Shape,
}

#[derive(Debug, Clone)]
enum Shape {
    Offset {
        offset: usize,
        limit: usize,
    },
    Cursor {
        after: Option<Anchor>,
        before: Option<Anchor>,
        first: Option<usize>,
        last: Option<usize>,
        default: usize,
    },
}

impl PageRequest {
    /// Check sizes and combinations, and work out how much of the list the page needs.
    pub fn plan(&self, default_size: usize, max_size: usize) -> Result<PagePlan, PageError> {
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
                Some(n) => n as usize,
                None => 0,
            };
            return Ok(PagePlan {
                need: Need::Top(offset.saturating_add(limit)),
                shape: Shape::Offset { offset, limit },
            });
        }
        if self.first.is_some() && self.last.is_some() {
            return Err(PageError::BadArguments(
                "use `first` or `last`, not both".into(),
            ));
        }
        let (first, last) = (size("first", self.first)?, size("last", self.last)?);
        let after = self.after.as_deref().map(decode).transpose()?;
        let before = self.before.as_deref().map(decode).transpose()?;
        let need = match (&before, last, &after, first) {
            (Some(b), _, _, _) => Need::Top(b.position.saturating_add(1)),
            (None, Some(_), _, _) => Need::All,
            (None, None, Some(a), n) => Need::Top(
                a.position
                    .saturating_add(1)
                    .saturating_add(n.unwrap_or(default_size)),
            ),
            (None, None, None, n) => Need::Top(n.unwrap_or(default_size)),
        };
        Ok(PagePlan {
            need,
            shape: Shape::Cursor {
                after,
                before,
                first,
                last,
                default: default_size,
            },
        })
    }
}

impl PagePlan {
    /// Fetch the whole list (after [`PageError::Refetch`]).
    pub fn widen(&mut self) {
        self.need = Need::All;
    }

    /// Cut the page from a list of `total` records of which the first `fetched` are known;
    /// `id_at(i)` is the global id of record `i < fetched`.
    pub fn window(
        &self,
        total: usize,
        fetched: usize,
        id_at: impl Fn(usize) -> String,
    ) -> Result<PageWindow, PageError> {
        let window = |start: usize, end: usize| PageWindow {
            start,
            end,
            has_previous: start > 0,
            has_next: end < total,
        };
        match &self.shape {
            Shape::Offset { offset, limit } => {
                let start = (*offset).min(fetched);
                Ok(window(start, start.saturating_add(*limit).min(fetched)))
            }
            Shape::Cursor {
                after,
                before,
                first,
                last,
                default,
            } => {
                let locate = |anchor: &Anchor| -> Result<usize, PageError> {
                    if anchor.position < fetched && id_at(anchor.position) == anchor.id {
                        return Ok(anchor.position);
                    }
                    if fetched < total {
                        return Err(PageError::Refetch);
                    }
                    (0..fetched).find(|&i| id_at(i) == anchor.id).ok_or_else(|| {
                        PageError::BadCursor(
                            "the cursor names no record of this result (the data or the filter changed); start again without it"
                                .into(),
                        )
                    })
                };
                let mut start = 0;
                let mut end = fetched;
                if let Some(a) = after {
                    start = locate(a)? + 1;
                }
                if let Some(b) = before {
                    end = locate(b)?;
                }
                end = end.max(start);
                match (first, last) {
                    (_, Some(n)) => start = start.max(end.saturating_sub(*n)),
                    (Some(n), None) => end = end.min(start + n),
                    (None, None) => end = end.min(start + default),
                }
                let mut w = window(start, end);
                if before.is_some() {
                    w.has_next = true;
                }
                Ok(w)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(i: usize) -> String {
        format!("id{i}")
    }

    /// Plan, "fetch", cut; widen and cut again on `Refetch`, as the GraphQL layer does.
    fn cut(p: PageRequest, total: usize) -> Result<(Need, PageWindow), PageError> {
        let mut plan = p.plan(20, 100)?;
        let need = plan.need;
        let fetched = |need| match need {
            Need::All => total,
            Need::Top(n) => usize::min(n, total),
        };
        match plan.window(total, fetched(plan.need), ids) {
            Err(PageError::Refetch) => {
                plan.widen();
                Ok((need, plan.window(total, fetched(plan.need), ids)?))
            }
            other => Ok((need, other?)),
        }
    }

    #[test]
    fn pages_forward_and_back_fetching_only_what_is_needed() {
        let (need, w) = cut(
            PageRequest {
                first: Some(3),
                ..Default::default()
            },
            7,
        )
        .unwrap();
        assert_eq!(need, Need::Top(3));
        assert_eq!(
            (w.start, w.end, w.has_previous, w.has_next),
            (0, 3, false, true)
        );
        let (need, w) = cut(
            PageRequest {
                first: Some(3),
                after: Some(encode(2, "id2")),
                ..Default::default()
            },
            7,
        )
        .unwrap();
        assert_eq!(need, Need::Top(6));
        assert_eq!((w.start, w.end), (3, 6));
        let (_, w) = cut(
            PageRequest {
                last: Some(2),
                before: Some(encode(6, "id6")),
                ..Default::default()
            },
            7,
        )
        .unwrap();
        assert_eq!((w.start, w.end, w.has_next), (4, 6, true));
        let (need, w) = cut(
            PageRequest {
                last: Some(2),
                ..Default::default()
            },
            7,
        )
        .unwrap();
        assert_eq!((need, w.start, w.end), (Need::All, 5, 7));
    }

    #[test]
    fn a_moved_record_is_found_and_a_vanished_one_is_an_error() {
        let moved = PageRequest {
            first: Some(2),
            after: Some(encode(1, "id3")),
            ..Default::default()
        };
        let (_, w) = cut(moved, 7).unwrap();
        assert_eq!((w.start, w.end), (4, 6));
        let gone = PageRequest {
            first: Some(2),
            after: Some(encode(1, "gone")),
            ..Default::default()
        };
        assert!(matches!(cut(gone, 7), Err(PageError::BadCursor(_))));
    }

    #[test]
    fn bad_arguments_and_cursors() {
        assert!(matches!(
            cut(
                PageRequest {
                    first: Some(101),
                    ..Default::default()
                },
                7
            ),
            Err(PageError::BadArguments(_))
        ));
        assert!(matches!(
            cut(
                PageRequest {
                    first: Some(-1),
                    ..Default::default()
                },
                7
            ),
            Err(PageError::BadArguments(_))
        ));
        assert!(matches!(
            cut(
                PageRequest {
                    after: Some("garbage!".into()),
                    ..Default::default()
                },
                7
            ),
            Err(PageError::BadCursor(_))
        ));
        let forged = URL_SAFE_NO_PAD.encode("c2:notanumber:x");
        assert!(matches!(
            cut(
                PageRequest {
                    after: Some(forged),
                    ..Default::default()
                },
                7
            ),
            Err(PageError::BadCursor(_))
        ));
        let mixed = PageRequest {
            limit: Some(2),
            after: Some(encode(1, "id1")),
            ..Default::default()
        };
        assert!(matches!(cut(mixed, 7), Err(PageError::BadArguments(_))));
    }

    #[test]
    fn limit_offset() {
        let (need, w) = cut(
            PageRequest {
                limit: Some(2),
                offset: Some(6),
                ..Default::default()
            },
            7,
        )
        .unwrap();
        assert_eq!(
            (need, w.start, w.end, w.has_next),
            (Need::Top(8), 6, 7, false)
        );
    }
}
