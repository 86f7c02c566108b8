//! A list endpoint's page, `{ data: [...], meta: {...} }`, split into its items' JSON text
//! without decoding them.
//!
//! Each item is decoded on its own later (straight into its type when it can be: `source`),
//! so one bad item does not lose the page, and a lookup decodes only the items it returns.
//! The split still checks that the whole body is JSON, as a full parse does, and finds the same
//! items a parse into `Vec<Box<serde_json::value::RawValue>>` finds (a test holds the two to
//! the same answer over planted and mutated bodies). It does less work for it: the items stay
//! in one text (the parse copied each into an allocation of its own), their UTF-8 is checked
//! once for all of them, and a string is skipped eight bytes at a time; and it reads each
//! item's id on the way ([`Page::split`]). On the benchmark's query (c), whose three lists are
//! 14 KB, the parse and the id search after it took 240,000 instructions a request; the split
//! takes 158,000.
//!
//! ```
//! use simpul_adapter_bpjamsostek::page::Page;
//!
//! let body = br#"{"data": [{"id": "a", "n": [1, 2]}, {"id": "b"}],
//!                 "meta": {"page": 1, "perPage": 2, "total": 2, "totalPages": 1}}"#;
//! let page = Page::split(body, None).unwrap();
//! assert_eq!(page.data.iter().collect::<Vec<_>>(), [r#"{"id": "a", "n": [1, 2]}"#, r#"{"id": "b"}"#]);
//! assert_eq!(page.meta.total, 2);
//! assert!(Page::split(br#"{"data": [{"id": 'a'}], "meta": {}}"#, None).is_err());
//! ```

use std::ops::Range;

use serde::de::IgnoredAny;

use crate::wire::PageMeta;

/// One page of a list endpoint.
#[derive(Debug, Clone)]
pub struct Page {
    /// The items, as the API sent them.
    pub data: Items,
    /// Paging numbers.
    pub meta: PageMeta,
}

/// Why a body is not a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAPage {
    /// The body is not JSON: serde_json's reason.
    NotJson(String),
    /// The body is JSON, but not `{data: [...], meta: {page, perPage, total, totalPages}}`.
    Shape,
}

/// The items of one or more pages: each one JSON value, in order, kept as text.
#[derive(Debug, Clone, Default)]
pub struct Items {
    text: String,
    spans: Vec<Range<usize>>,
    /// The key [`Page::split`] read each item's id under, and what it saw (one per item).
    ids: Option<(&'static str, Vec<Seen>)>,
}

/// An item's id as [`Page::split`] read it in passing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeekedId<'t> {
    /// The id: the key is at the item's top level once, its value an ASCII string.
    Id(&'t str),
    /// No id: the item is no object, has no such key, has it twice, or not as an ASCII string.
    None,
    /// The item has an escape somewhere (a key or the id could be spelt with one): only a
    /// parse can tell.
    Unsure,
}

/// [`PeekedId`], by span.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Id(Range<usize>),
    None,
    Unsure,
}

impl Items {
    /// How many items.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Each item's JSON text, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.spans.iter().map(|span| &self.text[span.clone()])
    }

    /// Each item's id under `key`, in order, when the split read them ([`Page::split`] with
    /// that key); `None` otherwise.
    pub fn peeked_ids(&self, key: &str) -> Option<impl ExactSizeIterator<Item = PeekedId<'_>>> {
        let (read, seen) = self.ids.as_ref()?;
        (*read == key).then(|| {
            seen.iter().map(|seen| match seen {
                Seen::Id(span) => PeekedId::Id(&self.text[span.clone()]),
                Seen::None => PeekedId::None,
                Seen::Unsure => PeekedId::Unsure,
            })
        })
    }

    /// The items of the page that follows.
    pub fn append(&mut self, other: Items) {
        if self.spans.is_empty() {
            *self = other;
            return;
        }
        let shift = self.text.len();
        self.text.push_str(&other.text);
        self.spans.extend(
            other
                .spans
                .into_iter()
                .map(|s| s.start + shift..s.end + shift),
        );
        self.ids = match (self.ids.take(), other.ids) {
            (Some((key, mut seen)), Some((other_key, more))) if key == other_key => {
                seen.extend(more.into_iter().map(|s| match s {
                    Seen::Id(span) => Seen::Id(span.start + shift..span.end + shift),
                    other => other,
                }));
                Some((key, seen))
            }
            _ => None,
        };
    }

    /// Items written from JSON values (for tests and fixtures).
    pub fn from_values<'v>(values: impl IntoIterator<Item = &'v serde_json::Value>) -> Self {
        Self::from_texts(values.into_iter().map(ToString::to_string))
    }

    /// Items from their JSON texts, which the caller vouches for (for tests and fixtures).
    pub fn from_texts(texts: impl IntoIterator<Item = impl AsRef<str>>) -> Self {
        let mut items = Self::default();
        for text in texts {
            let start = items.text.len();
            items.text.push_str(text.as_ref());
            items.spans.push(start..items.text.len());
        }
        items
    }
}

impl Page {
    /// Split a page's body. Any JSON syntax error fails the whole page, as a full parse does,
    /// with serde_json's own reason.
    ///
    /// With `id_key`, each item's id under that top-level key is read in passing
    /// ([`Items::peeked_ids`]): what a full parse of the item would find, or
    /// [`PeekedId::Unsure`] for an item with an escape in it. A lookup reads every item's id to
    /// find the few it returns, and looking for it again in each item's text was 4 % of a
    /// request.
    ///
    /// # Errors
    /// [`NotAPage::NotJson`] for a body that is not JSON, [`NotAPage::Shape`] for JSON of
    /// another shape (no `data` array or no `meta`, either given twice, `meta` not a
    /// [`PageMeta`]).
    pub fn split(body: &[u8], id_key: Option<&'static str>) -> Result<Page, NotAPage> {
        split(body, id_key).map_err(|Unsplit| {
            // The rare case: find out which it is, and serde_json's words for it.
            match serde_json::from_slice::<IgnoredAny>(body) {
                Ok(_) => NotAPage::Shape,
                Err(e) => NotAPage::NotJson(e.to_string()),
            }
        })
    }
}

/// The body is not a page; [`Page::split`] finds out why.
struct Unsplit;

fn split(body: &[u8], id_key: Option<&'static str>) -> Result<Page, Unsplit> {
    let mut scan = Scan {
        bytes: body,
        at: 0,
        open: Vec::new(),
        id_key: id_key.map(str::as_bytes),
        id: IdState::default(),
        ids: Vec::new(),
    };
    let (mut items, mut meta) = (None, None);
    scan.expect(b'{')?;
    if !scan.eat(b'}') {
        loop {
            // A full parse reads the page's keys as text (it fails on one that is not UTF-8).
            // A key with an escape never equals `data` or `meta`, as unescaped it would not.
            let key = scan.key()?;
            std::str::from_utf8(key).map_err(|_| Unsplit)?;
            match key {
                b"data" if items.is_none() => items = Some(scan.items()?),
                b"meta" if meta.is_none() => {
                    let span = scan.value()?;
                    meta =
                        Some(serde_json::from_slice::<PageMeta>(&body[span]).map_err(|_| Unsplit)?);
                }
                b"data" | b"meta" => return Err(Unsplit),
                _ => {
                    scan.value()?;
                }
            }
            if scan.eat(b'}') {
                break;
            }
            scan.expect(b',')?;
        }
    }
    scan.whitespace();
    if scan.at != body.len() {
        return Err(Unsplit);
    }
    let (Some((start, spans)), Some(meta)) = (items, meta) else {
        return Err(Unsplit);
    };
    // The items' text, from the `[` to the `]`: spans shifted to start at 0.
    let end = spans.last().map_or(start, |s| s.end);
    let text = std::str::from_utf8(&body[start..end])
        .map_err(|_| Unsplit)?
        .to_owned();
    let spans = spans
        .into_iter()
        .map(|s| s.start - start..s.end - start)
        .collect();
    let ids = id_key.map(|key| {
        let seen = std::mem::take(&mut scan.ids)
            .into_iter()
            .map(|seen| match seen {
                Seen::Id(span) => Seen::Id(span.start - start..span.end - start),
                other => other,
            });
        (key, seen.collect())
    });
    Ok(Page {
        data: Items { text, spans, ids },
        meta,
    })
}

/// Where the first `"`, `\\` or control character of `bytes` is: eight bytes at a time, in
/// a `u64` (the usual string is short, so the word test beats a vectorised search's setup).
#[inline(always)]
fn special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    /// The high bit of each byte that is zero; of higher ones too, past the first zero
    /// (the borrow), so only the lowest set bit is sure, which is the one read.
    const fn zero_bytes(word: u64) -> u64 {
        word.wrapping_sub(ONES) & !word & HIGH
    }
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in chunks.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let found = zero_bytes(word ^ (ONES * u64::from(b'"')))
            | zero_bytes(word ^ (ONES * u64::from(b'\\')))
            // Below 0x20: the subtraction borrows into the high bit, which was clear.
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if found != 0 {
            return Some(at + found.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = chunks.remainder();
    rest.iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|i| at + i)
}

/// A reader over a body, one byte position at a time, checking JSON syntax.
struct Scan<'b> {
    bytes: &'b [u8],
    at: usize,
    /// The brackets a value being skipped has left to close (kept for the next value).
    open: Vec<u8>,
    /// The key an item's id is under, when the split reads ids.
    id_key: Option<&'b [u8]>,
    /// What the item being read has shown of its id so far.
    id: IdState,
    /// Each item's id, read.
    ids: Vec<Seen>,
}

/// What an item has shown of its id so far.
#[derive(Default)]
struct IdState {
    /// How many times the id key came at its top level.
    keys: u32,
    /// The last such key's value, when a string (the quotes left out).
    value: Option<Range<usize>>,
    /// The next value is the id key's.
    pending: bool,
    /// A string of the item had an escape.
    escaped: bool,
}

impl IdState {
    fn seen(&self, bytes: &[u8]) -> Seen {
        match &self.value {
            _ if self.escaped => Seen::Unsure,
            Some(span) if self.keys == 1 && bytes[span.clone()].is_ascii() => {
                Seen::Id(span.clone())
            }
            _ => Seen::None,
        }
    }
}

impl<'b> Scan<'b> {
    #[inline(always)]
    fn whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// After whitespace, the next byte, not consumed.
    #[inline(always)]
    fn next(&mut self) -> Option<u8> {
        self.whitespace();
        self.bytes.get(self.at).copied()
    }

    /// After whitespace, consume `byte` if it is next.
    #[inline(always)]
    fn eat(&mut self, byte: u8) -> bool {
        let next = self.next() == Some(byte);
        self.at += usize::from(next);
        next
    }

    #[inline(always)]
    fn expect(&mut self, byte: u8) -> Result<(), Unsplit> {
        self.eat(byte).then_some(()).ok_or(Unsplit)
    }

    /// An object's key and its colon: the key's raw bytes, quotes left out.
    #[inline(always)]
    fn key(&mut self) -> Result<&'b [u8], Unsplit> {
        if self.next() != Some(b'"') {
            return Err(Unsplit);
        }
        let span = self.string()?;
        self.expect(b':')?;
        let bytes = self.bytes;
        Ok(&bytes[span.start + 1..span.end - 1])
    }

    /// The key of a member of an object `depth` deep in an item (1: the item itself).
    #[inline(always)]
    fn member_key(&mut self, depth: usize) -> Result<(), Unsplit> {
        let key = self.key()?;
        // Set at every key, so that a key inside the id's value (an object) clears it.
        self.id.pending = depth == 1 && self.id_key.is_some_and(|id| id == key);
        self.id.keys += u32::from(self.id.pending);
        Ok(())
    }

    /// The `data` array: where its first item may start, and each item's span.
    fn items(&mut self) -> Result<(usize, Vec<Range<usize>>), Unsplit> {
        self.expect(b'[')?;
        let start = self.at;
        let mut spans = Vec::new();
        if self.eat(b']') {
            return Ok((start, spans));
        }
        loop {
            // Each item must be UTF-8 text, as a parse into `RawValue` requires: checked once
            // for all of them (`split`), what lies between them being ASCII.
            self.id = IdState::default();
            spans.push(self.value()?);
            if self.id_key.is_some() {
                self.ids.push(self.id.seen(self.bytes));
            }
            if self.eat(b']') {
                return Ok((start, spans));
            }
            self.expect(b',')?;
        }
    }

    /// One JSON value (after whitespace), checked and skipped: its span. Nesting is followed
    /// with a stack of the brackets to close, not by recursion, so no body can exhaust the
    /// thread's stack.
    fn value(&mut self) -> Result<Range<usize>, Unsplit> {
        self.whitespace();
        let start = self.at;
        let mut open = std::mem::take(&mut self.open);
        open.clear();
        let skipped = self.skip(&mut open);
        self.open = open;
        skipped.map(|()| start..self.at)
    }

    fn skip(&mut self, open: &mut Vec<u8>) -> Result<(), Unsplit> {
        loop {
            // A value: the id key's, when `pending` (a string's span is kept; any other kind
            // of value leaves none, the key being new).
            match self.next().ok_or(Unsplit)? {
                b'{' => {
                    self.at += 1;
                    if !self.eat(b'}') {
                        open.push(b'}');
                        self.member_key(open.len())?;
                        continue;
                    }
                }
                b'[' => {
                    self.at += 1;
                    // A string inside the id's value (a list) is not the id.
                    self.id.pending = false;
                    if !self.eat(b']') {
                        open.push(b']');
                        continue;
                    }
                }
                b'"' => {
                    let span = self.string()?;
                    if std::mem::take(&mut self.id.pending) {
                        self.id.value = Some(span.start + 1..span.end - 1);
                    }
                }
                b'-' | b'0'..=b'9' => self.number()?,
                b't' => self.word(b"true")?,
                b'f' => self.word(b"false")?,
                b'n' => self.word(b"null")?,
                _ => return Err(Unsplit),
            }
            // What follows a value: the brackets it closes, then a comma before the next one.
            loop {
                let Some(&close) = open.last() else {
                    return Ok(());
                };
                if self.eat(close) {
                    open.pop();
                    continue;
                }
                self.expect(b',')?;
                if close == b'}' {
                    self.member_key(open.len())?;
                }
                break;
            }
        }
    }

    /// A string, from its opening quote: its span, quotes included. No control character
    /// inside, every escape one JSON knows (`\uXXXX` with four hex digits; a lone surrogate
    /// passes, as it does when a full parse skips a value).
    #[inline(always)]
    fn string(&mut self) -> Result<Range<usize>, Unsplit> {
        let start = self.at;
        self.at += 1;
        loop {
            self.at += special(&self.bytes[self.at..]).ok_or(Unsplit)?;
            let found = self.bytes[self.at];
            self.at += 1;
            match found {
                b'"' => return Ok(start..self.at),
                b'\\' => self.id.escaped = true,
                _ => return Err(Unsplit), // a control character
            }
            match self.bytes.get(self.at).ok_or(Unsplit)? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.at += 1,
                b'u' => {
                    let hex = self.bytes.get(self.at + 1..self.at + 5).ok_or(Unsplit)?;
                    if !hex.iter().all(u8::is_ascii_hexdigit) {
                        return Err(Unsplit);
                    }
                    self.at += 5;
                }
                _ => return Err(Unsplit),
            }
        }
    }

    /// A number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<(), Unsplit> {
        self.at += usize::from(self.bytes[self.at] == b'-');
        match self.bytes.get(self.at) {
            // A digit after a leading zero is refused by what follows a value.
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(Unsplit),
        }
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(Unsplit);
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(Unsplit);
            }
        }
        Ok(())
    }

    /// ASCII digits: how many were skipped.
    fn digits(&mut self) -> usize {
        let from = self.at;
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        self.at - from
    }

    fn word(&mut self, word: &[u8]) -> Result<(), Unsplit> {
        if !self.bytes[self.at..].starts_with(word) {
            return Err(Unsplit);
        }
        self.at += word.len();
        Ok(())
    }
}

#[cfg(test)]
mod tests;
