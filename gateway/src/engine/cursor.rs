//! Relay pagination over a merged list: opaque, stable, signed cursors.
//!
//! A cursor is `base64url("c3:<tag>:<position>:<global id>")`: where the record stood, which
//! record it was, and a tag (HMAC-SHA-256 under the gateway's [`CursorKey`], truncated to 128
//! bits) over the position, the id and the list it came from (collection, filter and order:
//! [`ListScope`]). A cursor whose position was changed, or that is used on another list, is
//! refused before any adapter is asked; so a forged position cannot widen a fetch. It carries no
//! personal data (global ids never do).
//!
//! The engine only fetches as many leading records as the page needs ([`PagePlan::need`]); the
//! cursor's position says how many that is, and its id checks that the record is still there.
//! If the data moved, the record is looked for among at most [`PageBounds::max_window`]
//! records; a cursor that names no record of the current result (the data or the filter
//! changed) is an error rather than a silent restart. `offset` is bounded by
//! [`PageBounds::max_offset`] (deep pages go by cursor) and `last` without `before` reads at most
//! [`PageBounds::max_window`] records.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::Need;

/// The key cursors are signed with.
#[derive(Clone)]
pub struct CursorKey([u8; 32]);

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(…)")
    }
}

impl CursorKey {
    /// A key derived from a secret the gateway's instances share (its identity secret), so a
    /// cursor from one instance works on another.
    pub fn derive(secret: &str) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .expect("HMAC takes keys of any length");
        mac.update(b"simpul cursor key v1");
        Self(mac.finalize().into_bytes().into())
    }

    /// A key of this process only (cursors do not survive a restart), from the operating
    /// system's randomness that seeds the standard library's hash maps.
    pub fn random() -> Self {
        use sha2::Digest;
        use std::hash::{BuildHasher, Hasher};
        let mut digest = Sha256::new();
        for i in 0..4u64 {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(i);
            digest.update(hasher.finish().to_le_bytes());
        }
        digest.update(std::process::id().to_le_bytes());
        Self(digest.finalize().into())
    }

    fn tag(&self, list: &str, position: usize, id: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(list.as_bytes());
        mac.update(&[0]);
        mac.update(position.to_string().as_bytes());
        mac.update(&[0]);
        mac.update(id.as_bytes());
        let bytes = mac.finalize().into_bytes();
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut tag = String::with_capacity(32);
        for b in &bytes[..16] {
            tag.push(char::from(HEX[usize::from(b >> 4)]));
            tag.push(char::from(HEX[usize::from(b & 15)]));
        }
        tag
    }
}

/// The list cursors belong to: the key, and a description of the list (collection, filter,
/// order and, for a nested list, its parent) that a cursor is bound to.
#[derive(Debug, Clone)]
pub struct ListScope {
    key: CursorKey,
    list: String,
}

impl ListScope {
    /// Cursors of the list described by `list` (any text that differs between lists).
    pub fn new(key: &CursorKey, list: impl Into<String>) -> Self {
        Self {
            key: key.clone(),
            list: list.into(),
        }
    }

    /// The cursor of the record with this global id at this position.
    pub fn encode(&self, position: usize, global_id: &str) -> String {
        let tag = self.key.tag(&self.list, position, global_id);
        URL_SAFE_NO_PAD.encode(format!("c3:{tag}:{position}:{global_id}"))
    }

    fn decode(&self, cursor: &str) -> Result<Anchor, PageError> {
        let bad = || PageError::BadCursor("not a valid cursor".into());
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let rest = text.strip_prefix("c3:").ok_or_else(bad)?;
        let (tag, rest) = rest.split_once(':').ok_or_else(bad)?;
        let (position, id) = rest.split_once(':').ok_or_else(bad)?;
        let position: usize = position.parse().map_err(|_| bad())?;
        if id.is_empty() {
            return Err(bad());
        }
        let expected = self.key.tag(&self.list, position, id);
        // Compared in constant time: the tag is a secret's output.
        let same = tag.len() == expected.len()
            && tag
                .bytes()
                .zip(expected.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        if !same {
            return Err(PageError::BadCursor(
                "the cursor does not belong to this list (another list, filter or order, or altered)"
                    .into(),
            ));
        }
        Ok(Anchor {
            position,
            id: id.to_owned(),
        })
    }
}

/// How far a page request may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageBounds {
    /// Page size without `first`/`last`/`limit`.
    pub default_size: usize,
    /// Largest `first`/`last`/`limit`.
    pub max_size: usize,
    /// Largest `offset`.
    pub max_offset: usize,
    /// Most records fetched to serve `last` without `before`, or to find a cursor's record
    /// that moved.
    pub max_window: usize,
}

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

/// A checked page request: what to fetch, and how to cut the page.
#[derive(Debug, Clone)]
pub struct PagePlan {
    /// How many leading records the engine must fetch.
    pub need: Need,
    shape: Shape,
    max_window: usize,
    widened: bool,
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
    /// Check sizes, combinations and cursors (against `scope`), and work out how much of the
    /// list the page needs.
    pub fn plan(&self, bounds: PageBounds, scope: &ListScope) -> Result<PagePlan, PageError> {
        let PageBounds {
            default_size,
            max_size,
            max_offset,
            max_window,
        } = bounds;
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
                Some(n) if n as usize > max_offset => {
                    return Err(PageError::BadArguments(format!(
                        "`offset` is {n}, above the largest offset of {max_offset}; page further with `first` and `after`"
                    )))
                }
                Some(n) => n as usize,
                None => 0,
            };
            return Ok(PagePlan {
                need: Need::Top(offset.saturating_add(limit)),
                shape: Shape::Offset { offset, limit },
                max_window,
                widened: false,
            });
        }
        if self.first.is_some() && self.last.is_some() {
            return Err(PageError::BadArguments(
                "use `first` or `last`, not both".into(),
            ));
        }
        let (first, last) = (size("first", self.first)?, size("last", self.last)?);
        let after = self.after.as_deref().map(|c| scope.decode(c)).transpose()?;
        let before = self
            .before
            .as_deref()
            .map(|c| scope.decode(c))
            .transpose()?;
        let need = match (&before, last, &after, first) {
            (Some(b), _, _, _) => Need::Top(b.position.saturating_add(1)),
            // The end of the list is known only once all of it is: at most `max_window`.
            (None, Some(_), _, _) => Need::Top(max_window),
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
            max_window,
            widened: false,
        })
    }
}

impl PagePlan {
    /// Whether [`PageError::Refetch`] may fetch more: once, up to the window.
    pub fn can_widen(&self) -> bool {
        !self.widened
    }

    /// Fetch up to the window (after [`PageError::Refetch`]).
    pub fn widen(&mut self) {
        self.widened = true;
        if let Need::Top(n) = self.need {
            self.need = Need::Top(n.max(self.max_window));
        }
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
                if after.is_none() && before.is_none() && last.is_some() && fetched < total {
                    return Err(PageError::BadArguments(format!(
                        "`last` without `before` needs the end of a list of {total} records; at most {} are read for it: reverse the order and use `first`",
                        self.max_window
                    )));
                }
                let locate = |anchor: &Anchor| -> Result<usize, PageError> {
                    if anchor.position < fetched && id_at(anchor.position) == anchor.id {
                        return Ok(anchor.position);
                    }
                    if fetched < total && !self.widened {
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

    const BOUNDS: PageBounds = PageBounds {
        default_size: 20,
        max_size: 100,
        max_offset: 1000,
        max_window: 1000,
    };

    fn scope() -> ListScope {
        ListScope::new(&CursorKey::derive("a test secret"), "CourseRun|{}")
    }

    #[test]
    fn the_tag_is_the_hmacs_first_16_bytes_in_lowercase_hex() {
        // Cursors written before (and by other instances) must still verify.
        let key = CursorKey::derive("a test secret");
        let mut mac = Hmac::<Sha256>::new_from_slice(&key.0).unwrap();
        mac.update(b"CourseRun|{}\x007\x00c2ltcHVs");
        let expected: String = mac.finalize().into_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(key.tag("CourseRun|{}", 7, "c2ltcHVs"), expected);
    }

    fn encode(position: usize, id: &str) -> String {
        scope().encode(position, id)
    }

    fn ids(i: usize) -> String {
        format!("id{i}")
    }

    /// Plan, "fetch", cut; widen and cut again on `Refetch`, as the GraphQL layer does.
    fn cut(p: PageRequest, total: usize) -> Result<(Need, PageWindow), PageError> {
        let mut plan = p.plan(BOUNDS, &scope())?;
        let need = plan.need;
        let fetched = |need| match need {
            Need::All => total,
            Need::Top(n) => usize::min(n, total),
        };
        match plan.window(total, fetched(plan.need), ids) {
            Err(PageError::Refetch) if plan.can_widen() => {
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
        assert_eq!((need, w.start, w.end), (Need::Top(1000), 5, 7));
    }

    #[test]
    fn cursors_are_bound_to_their_list_and_position() {
        let other = ListScope::new(&CursorKey::derive("a test secret"), "CourseRun|{\"x\":1}");
        let after = |cursor: String| PageRequest {
            first: Some(2),
            after: Some(cursor),
            ..Default::default()
        };
        assert!(matches!(
            after(other.encode(1, "id1")).plan(BOUNDS, &scope()),
            Err(PageError::BadCursor(_))
        ));
        let foreign_key = ListScope::new(&CursorKey::random(), "CourseRun|{}");
        assert!(matches!(
            after(foreign_key.encode(1, "id1")).plan(BOUNDS, &scope()),
            Err(PageError::BadCursor(_))
        ));
        // The genuine cursor with its position moved ahead.
        let genuine = String::from_utf8(URL_SAFE_NO_PAD.decode(encode(1, "id1")).unwrap()).unwrap();
        let forged = URL_SAFE_NO_PAD.encode(genuine.replace(":1:id1", ":1000000:id1"));
        assert!(matches!(
            after(forged).plan(BOUNDS, &scope()),
            Err(PageError::BadCursor(_))
        ));
        assert!(after(encode(1, "id1")).plan(BOUNDS, &scope()).is_ok());
    }

    #[test]
    fn offsets_and_windows_are_bounded() {
        let deep = PageRequest {
            limit: Some(1),
            offset: Some(2_000_000_000),
            ..Default::default()
        };
        assert!(matches!(
            deep.plan(BOUNDS, &scope()),
            Err(PageError::BadArguments(_))
        ));
        let small = PageBounds {
            max_window: 5,
            ..BOUNDS
        };
        let last = PageRequest {
            last: Some(2),
            ..Default::default()
        };
        let plan = last.plan(small, &scope()).unwrap();
        assert_eq!(plan.need, Need::Top(5));
        assert!(matches!(
            plan.window(7, 5, ids),
            Err(PageError::BadArguments(_))
        ));
        assert_eq!(plan.window(5, 5, ids).map(|w| (w.start, w.end)), Ok((3, 5)));
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
