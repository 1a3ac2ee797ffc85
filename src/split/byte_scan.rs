//! `byte_scan`: streaming mode's fast path, one pass over a UTF-8 file's raw bytes that checks it and finds the records of a plain child path without parser events.
//!
//! It accepts a strict subset of what the event path (`stream.rs`) accepts and gives up
//! ([`Bail`]) on anything else: a DOCTYPE, spaces around an attribute's `=`, a fault of
//! any kind. The caller then runs the event path from the start, which either splits the
//! file the same way or reports the fault with its line and column, so this pass never
//! needs to say what is wrong, only to be sure of what it accepts. Every check the event
//! path makes is made here too (names, matching end tags, attribute syntax, duplicates and
//! values, references, comments, CDATA, processing instructions, the declaration, one
//! root, no text outside it, UTF-8), most of them more strictly.
//!
//! What it feeds the sink is what the event path feeds it: the skeleton is exactly the
//! bytes outside records, and a record begins where the run of XML whitespace before its
//! `<` begins. The file is read in large blocks into one buffer; a record's bytes are never
//! copied out of it (the assembler copies records from the file by offset).

use std::io::Read;

use memchr::memmem::Finder;
use memchr::{memchr, memchr2, memchr3};
use quick_xml::events::{BytesDecl, BytesStart};

use super::block_reader::{self, Block, Fill};
use super::checks::{check_declaration, check_name, check_reference};
use super::child_path::{ChildStep, local_part};
use super::sink::Sink;
use super::whitespace::{is_xml_space, trailing_space_len};

/// The buffer grows past a block only for a single token or a text run outside
/// records that long; past this the fast path gives up (the event path copes).
const MAX_BUFFER: usize = 16 << 20;
/// Attributes on one tag that the duplicate check keeps track of; more gives up.
const MAX_ATTRIBUTES: usize = 32;

/// The fast path gave up: the file needs the event path (a construct outside the fast
/// path's subset, a fault to report, a read or write error to report).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Bail;

/// Whether the fast path can take a record path at all: child steps below the root, no
/// attribute predicates.
pub(crate) fn handles(steps: &[ChildStep]) -> bool {
    steps.len() >= 2 && steps.iter().all(|s| s.attr_equals.is_empty())
}

/// Scans `file` (UTF-8, from its first byte) for the records at `steps`, feeding `sink`
/// exactly as the event path would; [`Bail`] when the event path must run instead.
pub(crate) fn scan(
    file: impl Read + Send,
    steps: &[ChildStep],
    sink: &mut dyn Sink,
) -> Result<(), Bail> {
    if !handles(steps) {
        return Err(Bail);
    }
    let (send_block, take_spent, ends) = block_reader::channels();
    std::thread::scope(|threads| {
        threads.spawn(move || block_reader::read_blocks(file, &send_block, &take_spent));
        let mut input = Input {
            ends,
            buf: Vec::new(),
            filled: 0,
            base: 0,
        };
        let mut scan = Scan {
            steps,
            names: Vec::with_capacity(256),
            starts: Vec::with_capacity(32),
            matched: 0,
            record_depth: 0,
            root_seen: false,
            comment_end: Finder::new(b"--"),
            cdata_end: Finder::new(b"]]>"),
            pi_end: Finder::new(b"?>"),
        };
        // Returning drops the channels, which stops the reader if it is still reading.
        scan.run(&mut input, sink)
    })
}

/// The scan buffer: `buf[..filled]`, whose index `x` is the input's offset `base + x`
/// (the bytes before the current block's are what was carried over, or unused room).
struct Input {
    ends: block_reader::Blocks,
    buf: Vec<u8>,
    filled: usize,
    base: u64,
}

impl Input {
    /// Keeps `buf[keep..filled]` and puts the next block behind it; `None` at the end of
    /// the input, else the index `keep` moved to (the caller moves its indexes with it).
    fn refill(&mut self, keep: usize) -> Result<Option<usize>, Bail> {
        let block = match self.ends.blocks.recv() {
            Err(_) => return Ok(None),
            Ok(Fill::Failed) => return Err(Bail),
            Ok(Fill::Block(block)) => block,
        };
        let kept = self.buf.get(keep..self.filled).unwrap_or_default();
        let Block {
            mut buf,
            start,
            end,
        } = block;
        let at = if kept.len() <= start {
            // The usual case: what is kept moves into the room before the block.
            let at = start - kept.len();
            buf.get_mut(at..start).ok_or(Bail)?.copy_from_slice(kept);
            let spent = std::mem::replace(&mut self.buf, buf);
            let _ = self.ends.spent.send(spent);
            self.filled = end;
            at
        } else {
            // A long token or text run: the block's bytes join it.
            let bytes = buf.get(start..end).unwrap_or_default();
            if kept.len() + bytes.len() > MAX_BUFFER {
                return Err(Bail);
            }
            self.buf.copy_within(keep..self.filled, 0);
            self.buf.truncate(self.filled - keep);
            self.buf.extend_from_slice(bytes);
            self.filled = self.buf.len();
            let _ = self.ends.spent.send(buf);
            0
        };
        // The first block's room lies before the input's start: the sum wraps and unwraps.
        self.base = self.base.wrapping_add(keep as u64).wrapping_sub(at as u64);
        Ok(Some(at))
    }

    /// The input offset of buffer index `i`.
    fn offset(&self, i: usize) -> u64 {
        self.base.wrapping_add(i as u64)
    }
}

/// What the token at the scan position is.
enum Token {
    /// A start tag of `len` bytes whose name is `name_len` bytes; `empty` for `<a/>`.
    Start {
        len: usize,
        name_len: usize,
        empty: bool,
    },
    /// The end tag of the innermost open element, `len` bytes.
    End(usize),
    /// A comment, CDATA section, processing instruction or reference of `len` bytes.
    Other(usize),
    /// The XML declaration, `len` bytes.
    Declaration(usize),
    /// The token runs past the buffered bytes.
    Incomplete,
}

struct Scan<'s> {
    steps: &'s [ChildStep],
    /// The names of the open elements, one after another; `starts` holds where each begins.
    names: Vec<u8>,
    starts: Vec<usize>,
    /// How many of the open elements, from the root down, match the path's steps.
    matched: usize,
    /// The depth of the record being read; 0 outside records.
    record_depth: usize,
    root_seen: bool,
    comment_end: Finder<'static>,
    cdata_end: Finder<'static>,
    pi_end: Finder<'static>,
}

impl Scan<'_> {
    fn run(&mut self, input: &mut Input, sink: &mut dyn Sink) -> Result<(), Bail> {
        // Buffer indexes: the scan position, where the current text run began (its
        // trailing whitespace may belong to a record that follows), and the first byte
        // not yet given to the skeleton (outside records).
        let Some(mut i) = input.refill(0)? else {
            return Err(Bail);
        };
        let mut bom = 0u64;
        if input.buf.get(i..i + 3) == Some(b"\xEF\xBB\xBF") {
            bom = 3;
            i += 3;
        }
        let mut text_start = i;
        let mut skeleton_from = i - bom as usize;
        loop {
            let rest = input.buf.get(i..input.filled).unwrap_or_default();
            let found = find_markup(rest);
            let text = rest.get(..found.unwrap_or(rest.len())).unwrap_or_default();
            if self.starts.is_empty() && !text.iter().all(|&b| is_xml_space(b)) {
                return Err(Bail);
            }
            let incomplete = match found {
                None => {
                    i = input.filled;
                    true
                }
                Some(k) => {
                    i += k;
                    let rest = input.buf.get(i..input.filled).unwrap_or_default();
                    let at_start = input.offset(i) == bom;
                    match self.token(rest, at_start)? {
                        Token::Incomplete => true,
                        Token::Other(len) | Token::Declaration(len) => {
                            i += len;
                            text_start = i;
                            false
                        }
                        Token::End(len) => {
                            let depth = self.starts.len();
                            if let Some(top) = self.starts.pop() {
                                self.names.truncate(top);
                            }
                            i += len;
                            text_start = i;
                            if self.record_depth == depth {
                                self.record_depth = 0;
                                skeleton_from = i;
                                sink.end_record(input.offset(i)).map_err(|_| Bail)?;
                            }
                            if self.record_depth == 0 && self.matched == depth {
                                self.matched -= 1;
                            }
                            false
                        }
                        Token::Start {
                            len,
                            name_len,
                            empty,
                        } => {
                            let name = rest.get(1..1 + name_len).unwrap_or_default();
                            if self.record_depth == 0 {
                                let before = input.buf.get(text_start..i).unwrap_or_default();
                                let record_at = i - trailing_space_len(before);
                                if self.enter(name)? {
                                    let skeleton =
                                        input.buf.get(skeleton_from..record_at).unwrap_or_default();
                                    sink.skeleton(skeleton).map_err(|_| Bail)?;
                                    sink.begin_record(input.offset(record_at));
                                    if empty {
                                        sink.end_record(input.offset(i + len)).map_err(|_| Bail)?;
                                        skeleton_from = i + len;
                                        self.matched = self.matched.min(self.starts.len());
                                    } else {
                                        self.record_depth = self.starts.len() + 1;
                                    }
                                } else if empty {
                                    self.matched = self.matched.min(self.starts.len());
                                }
                            }
                            if !empty {
                                self.starts.push(self.names.len());
                                self.names.extend_from_slice(name);
                            }
                            i += len;
                            text_start = i;
                            false
                        }
                    }
                }
            };
            if incomplete {
                // Keep the token (and outside records the text run before it) in the buffer.
                let keep = if self.record_depth == 0 {
                    let skeleton = input.buf.get(skeleton_from..text_start).unwrap_or_default();
                    sink.skeleton(skeleton).map_err(|_| Bail)?;
                    skeleton_from = text_start;
                    text_start
                } else {
                    i
                };
                let Some(at) = input.refill(keep)? else {
                    return self.finish(input, skeleton_from, i, sink);
                };
                // Indexes from `keep` on move to `at` on.
                let moved = |x: usize| x.saturating_sub(keep) + at;
                i = moved(i);
                text_start = moved(text_start);
                skeleton_from = moved(skeleton_from);
            }
        }
    }

    /// The end of the input at buffer index `i`.
    fn finish(
        &mut self,
        input: &Input,
        skeleton_from: usize,
        i: usize,
        sink: &mut dyn Sink,
    ) -> Result<(), Bail> {
        // Anything unscanned is an unfinished token (a cut character made the reader fail).
        if i != input.filled || !self.starts.is_empty() || !self.root_seen {
            return Err(Bail);
        }
        let skeleton = input
            .buf
            .get(skeleton_from..input.filled)
            .unwrap_or_default();
        sink.skeleton(skeleton).map_err(|_| Bail)
    }

    /// A start tag named `name` opens below the open elements: true when it is a record.
    fn enter(&mut self, name: &[u8]) -> Result<bool, Bail> {
        let depth = self.starts.len();
        if depth == 0 {
            if self.root_seen {
                return Err(Bail);
            }
            self.root_seen = true;
        }
        let Some(step) = self.steps.get(depth) else {
            return Ok(false);
        };
        if self.matched != depth || !step.matches_name(local_part(name)) {
            return Ok(false);
        }
        self.matched = depth + 1;
        Ok(self.matched == self.steps.len())
    }

    /// The token at the start of `rest` (which starts with `<` or `&`).
    fn token(&self, rest: &[u8], at_start: bool) -> Result<Token, Bail> {
        let Some(&second) = rest.get(1) else {
            return Ok(Token::Incomplete);
        };
        if rest.first() == Some(&b'&') {
            if self.starts.is_empty() {
                return Err(Bail);
            }
            return reference(rest);
        }
        match second {
            b'/' => self.end_tag(rest),
            b'!' => self.bang(rest),
            b'?' => self.processing_instruction(rest, at_start),
            _ => start_tag(rest),
        }
    }

    fn end_tag(&self, rest: &[u8]) -> Result<Token, Bail> {
        let Some(&top) = self.starts.last() else {
            return Err(Bail);
        };
        let expected = self.names.get(top..).unwrap_or_default();
        let n = expected.len();
        let Some(written) = rest.get(2..2 + n) else {
            return Ok(Token::Incomplete);
        };
        if !same_bytes(written, expected) {
            return Err(Bail);
        }
        let mut j = 2 + n;
        loop {
            match rest.get(j) {
                None => return Ok(Token::Incomplete),
                Some(b'>') => return Ok(Token::End(j + 1)),
                Some(&b) if is_xml_space(b) => j += 1,
                Some(_) => return Err(Bail),
            }
        }
    }

    /// `<!--…-->` or `<![CDATA[…]]>` inside the root; a DOCTYPE or anything else gives up.
    fn bang(&self, rest: &[u8]) -> Result<Token, Bail> {
        const COMMENT: &[u8] = b"<!--";
        const CDATA: &[u8] = b"<![CDATA[";
        if rest.starts_with(COMMENT) {
            let body = rest.get(COMMENT.len()..).unwrap_or_default();
            let Some(p) = self.comment_end.find(body) else {
                return Ok(Token::Incomplete);
            };
            return match body.get(p + 2) {
                None => Ok(Token::Incomplete),
                Some(b'>') => Ok(Token::Other(COMMENT.len() + p + 3)),
                Some(_) => Err(Bail),
            };
        }
        if rest.starts_with(CDATA) {
            if self.starts.is_empty() {
                return Err(Bail);
            }
            let body = rest.get(CDATA.len()..).unwrap_or_default();
            return match self.cdata_end.find(body) {
                Some(p) => Ok(Token::Other(CDATA.len() + p + 3)),
                None => Ok(Token::Incomplete),
            };
        }
        if COMMENT.starts_with(rest) || CDATA.starts_with(rest) {
            return Ok(Token::Incomplete);
        }
        Err(Bail)
    }

    /// `<?target …?>`, or the declaration when it is the file's first token.
    fn processing_instruction(&self, rest: &[u8], at_start: bool) -> Result<Token, Bail> {
        let Some(p) = self.pi_end.find(rest.get(2..).unwrap_or_default()) else {
            return Ok(Token::Incomplete);
        };
        let body = rest.get(2..2 + p).unwrap_or_default();
        let target_len = body
            .iter()
            .position(|&b| is_xml_space(b))
            .unwrap_or(body.len());
        let target = body.get(..target_len).unwrap_or_default();
        if target == b"xml" && at_start {
            let text = std::str::from_utf8(body).map_err(|_| Bail)?;
            let decl = BytesDecl::from_start(BytesStart::from_content(text, 3));
            check_declaration(&decl).map_err(|_| Bail)?;
            return Ok(Token::Declaration(p + 4));
        }
        if target.eq_ignore_ascii_case(b"xml") || check_name(target).is_err() {
            return Err(Bail);
        }
        Ok(Token::Other(p + 4))
    }
}

/// `<name attr="value" …>` or `<name …/>`.
fn start_tag(rest: &[u8]) -> Result<Token, Bail> {
    let name_len = name_length(rest.get(1..).unwrap_or_default())?;
    let j = 1 + name_len;
    match rest.get(j) {
        None => Ok(Token::Incomplete),
        Some(b'>') => Ok(Token::Start {
            len: j + 1,
            name_len,
            empty: false,
        }),
        Some(b'/') => match rest.get(j + 1) {
            None => Ok(Token::Incomplete),
            Some(b'>') => Ok(Token::Start {
                len: j + 2,
                name_len,
                empty: true,
            }),
            Some(_) => Err(Bail),
        },
        Some(&b) if is_xml_space(b) => {
            // `<name />` is common; attributes take the longer way.
            let mut k = j + 1;
            while rest.get(k).is_some_and(|&b| is_xml_space(b)) {
                k += 1;
            }
            match (rest.get(k), rest.get(k + 1)) {
                (Some(b'/'), Some(b'>')) => Ok(Token::Start {
                    len: k + 2,
                    name_len,
                    empty: true,
                }),
                (Some(b'>'), _) => Ok(Token::Start {
                    len: k + 1,
                    name_len,
                    empty: false,
                }),
                _ => attributes(rest, j, name_len),
            }
        }
        Some(_) => Err(Bail),
    }
}

/// The rest of a start tag from `j`, at whitespace after the name: attributes
/// `name="value"` (no spaces around `=`), each after whitespace, then `>` or `/>`.
#[inline(never)]
fn attributes(rest: &[u8], mut j: usize, name_len: usize) -> Result<Token, Bail> {
    let mut names = [(0usize, 0usize); MAX_ATTRIBUTES];
    let mut count = 0;
    loop {
        match rest.get(j) {
            None => return Ok(Token::Incomplete),
            Some(b'>') => {
                return Ok(Token::Start {
                    len: j + 1,
                    name_len,
                    empty: false,
                });
            }
            Some(b'/') => {
                return match rest.get(j + 1) {
                    None => Ok(Token::Incomplete),
                    Some(b'>') => Ok(Token::Start {
                        len: j + 2,
                        name_len,
                        empty: true,
                    }),
                    Some(_) => Err(Bail),
                };
            }
            Some(&b) if is_xml_space(b) => {}
            Some(_) => return Err(Bail),
        }
        while rest.get(j).is_some_and(|&b| is_xml_space(b)) {
            j += 1;
        }
        match rest.get(j) {
            None => return Ok(Token::Incomplete),
            Some(b'>' | b'/') => continue,
            Some(_) => {}
        }
        let key_len = name_length(rest.get(j..).unwrap_or_default())?;
        let key = (j, key_len);
        j += key_len;
        match rest.get(j) {
            None => return Ok(Token::Incomplete),
            Some(b'=') => {}
            Some(_) => return Err(Bail),
        }
        let quote = match rest.get(j + 1) {
            None => return Ok(Token::Incomplete),
            Some(&q @ (b'"' | b'\'')) => q,
            Some(_) => return Err(Bail),
        };
        let value_start = j + 2;
        let Some(value_len) = rest.get(value_start..).and_then(|r| memchr(quote, r)) else {
            return Ok(Token::Incomplete);
        };
        let value = rest
            .get(value_start..value_start + value_len)
            .unwrap_or_default();
        check_value(value)?;
        let key_bytes = rest.get(key.0..key.0 + key.1).unwrap_or_default();
        for &(at, len) in names.get(..count).unwrap_or_default() {
            if rest.get(at..at + len) == Some(key_bytes) {
                return Err(Bail);
            }
        }
        *names.get_mut(count).ok_or(Bail)? = key;
        count += 1;
        j = value_start + value_len + 1;
    }
}

/// Byte equality eight bytes at a time: names are short, and this avoids a library call.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let (mut x, mut y) = (a.chunks_exact(8), b.chunks_exact(8));
    for (p, q) in (&mut x).zip(&mut y) {
        let (mut u, mut v) = ([0u8; 8], [0u8; 8]);
        u.copy_from_slice(p);
        v.copy_from_slice(q);
        if u64::from_ne_bytes(u) != u64::from_ne_bytes(v) {
            return false;
        }
    }
    x.remainder().iter().zip(y.remainder()).all(|(p, q)| p == q)
}

/// An attribute value: no `<`, and every `&` starts a known reference.
fn check_value(value: &[u8]) -> Result<(), Bail> {
    if memchr2(b'<', b'&', value).is_none() {
        return Ok(());
    }
    if memchr(b'<', value).is_some() {
        return Err(Bail);
    }
    let mut rest = value;
    while let Some(amp) = memchr(b'&', rest) {
        let after = rest.get(amp + 1..).unwrap_or_default();
        let semi = memchr(b';', after).ok_or(Bail)?;
        known_reference(after.get(..semi).unwrap_or_default())?;
        rest = after.get(semi + 1..).unwrap_or_default();
    }
    Ok(())
}

/// A reference's name (between `&` and `;`): one of the five predefined entities or a
/// character reference to an XML character (no DOCTYPE can declare others here).
fn known_reference(name: &[u8]) -> Result<(), Bail> {
    match name {
        b"lt" | b"gt" | b"amp" | b"apos" | b"quot" => Ok(()),
        [b'#', ..] => check_reference(name, false).map_err(|_| Bail),
        _ => Err(Bail),
    }
}

/// `&name;` in text.
fn reference(rest: &[u8]) -> Result<Token, Bail> {
    let Some(p) = rest.get(1..).and_then(|r| memchr3(b';', b'&', b'<', r)) else {
        return Ok(Token::Incomplete);
    };
    if rest.get(1 + p) != Some(&b';') {
        return Err(Bail);
    }
    known_reference(rest.get(1..1 + p).unwrap_or_default())?;
    Ok(Token::Other(p + 2))
}

/// For each byte: may it start (bit 1) or continue (bit 2) a name? As in `checks.rs`:
/// bytes from 0x80 up are accepted (UTF-8 is checked on the whole input).
const NAME_BYTES: [u8; 256] = {
    let mut table = [3u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() || c == b'_' || c == b':' {
            3
        } else if c.is_ascii_digit() || c == b'.' || c == b'-' {
            2
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The length of the XML name at the start of `bytes` (at least one byte); it may run
/// to the end of the buffered bytes, so what follows it is for the caller to check.
fn name_length(bytes: &[u8]) -> Result<usize, Bail> {
    let Some(&first) = bytes.first() else {
        // Cannot tell yet: the caller sees the token end at the name.
        return Ok(0);
    };
    if NAME_BYTES[usize::from(first)] & 1 == 0 {
        return Err(Bail);
    }
    Ok(bytes
        .iter()
        .position(|&b| NAME_BYTES[usize::from(b)] & 2 == 0)
        .unwrap_or(bytes.len()))
}

/// Offset of the next `<` or `&`: eight bytes at a time for the short runs between tags,
/// `memchr` for long text.
fn find_markup(text: &[u8]) -> Option<usize> {
    const SHORT: usize = 32;
    let mut i = 0;
    while i < SHORT {
        let Some(word) = text.get(i..i + 8) else {
            break;
        };
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let found =
            has_byte(u64::from_le_bytes(bytes), b'<') | has_byte(u64::from_le_bytes(bytes), b'&');
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let rest = text.get(i..)?;
    if i < SHORT {
        return rest
            .iter()
            .position(|&b| b == b'<' || b == b'&')
            .map(|k| k + i);
    }
    memchr2(b'<', b'&', rest).map(|k| k + i)
}

/// The high bit of each byte of `word` equal to `byte` is set; bits above the lowest
/// such byte may be set wrongly, so only the lowest is to be trusted.
fn has_byte(word: u64, byte: u8) -> u64 {
    const LOW: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = word ^ (LOW * u64::from(byte));
    x.wrapping_sub(LOW) & !x & HIGH
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::split::SplitError;

    /// Records what a scan feeds its sink.
    #[derive(Default, Debug, PartialEq)]
    struct Plan {
        skeleton: Vec<u8>,
        records: Vec<(u64, u64)>,
    }

    impl Sink for Plan {
        fn skeleton(&mut self, bytes: &[u8]) -> Result<(), SplitError> {
            self.skeleton.extend_from_slice(bytes);
            Ok(())
        }
        fn begin_record(&mut self, offset: u64) {
            self.records.push((offset, offset));
        }
        fn end_record(&mut self, offset: u64) -> Result<(), SplitError> {
            if let Some(r) = self.records.last_mut() {
                r.1 = offset;
            }
            Ok(())
        }
    }

    fn steps(path: &str) -> Vec<ChildStep> {
        crate::split::ChildPath::parse(path)
            .map(|p| p.steps)
            .unwrap_or_default()
    }

    fn plan(xml: &str, path: &str) -> Result<Plan, Bail> {
        let mut plan = Plan::default();
        scan(xml.as_bytes(), &steps(path), &mut plan).map(|()| plan)
    }

    #[test]
    fn the_skeleton_is_what_is_outside_records_and_whitespace_goes_with_a_record() {
        let xml = "<?xml version=\"1.0\"?>\n<a x=\"1\">\n  <b>1<c/></b>\n  <b/><!--c-->\n  <d><b>no</b></d>\n</a>\n";
        let p = plan(xml, "/a/b");
        let Ok(p) = p else { panic!("bailed") };
        let cut: Vec<&str> = p
            .records
            .iter()
            .map(|&(s, e)| xml.get(s as usize..e as usize).unwrap_or_default())
            .collect();
        assert_eq!(cut, ["\n  <b>1<c/></b>", "\n  <b/>"]);
        assert_eq!(
            String::from_utf8_lossy(&p.skeleton),
            "<?xml version=\"1.0\"?>\n<a x=\"1\"><!--c-->\n  <d><b>no</b></d>\n</a>\n"
        );
    }

    #[test]
    fn takes_the_usual_constructs_without_giving_up() {
        for (xml, records) in [
            (
                "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n<a xmlns:x=\"urn:x\">\r\n  <b><![CDATA[<&]]><!-- c --><?pi d?>&amp;&#233;&#xE9;</b>\r\n  <x:b x:y='1' z=\"&lt;\" />\r\n</a>",
                2,
            ),
            ("<a><b><b><b/></b></b><c><b/></c><b>t</b ></a>", 2),
            ("<!-- h --><?pi?>\n<a>text<b/>more<b/></a>\n<!-- t -->\n", 2),
            ("<a><c/></a>", 0),
        ] {
            match plan(xml, "/a/b") {
                Ok(p) => assert_eq!(p.records.len(), records, "{xml}"),
                Err(Bail) => panic!("gave up on {xml}"),
            }
        }
    }

    #[test]
    fn compares_names_of_every_length() {
        for len in 0..40 {
            let a: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(same_bytes(&a, &a.clone()));
            for at in 0..len {
                let mut b = a.clone();
                if let Some(byte) = b.get_mut(at) {
                    *byte = b'_';
                }
                assert!(!same_bytes(&a, &b), "{len} {at}");
            }
            assert!(!same_bytes(&a, &[a.as_slice(), b"x"].concat()));
        }
    }

    #[test]
    fn finds_markup_at_every_offset() {
        for len in 0..80 {
            for at in 0..len {
                for mark in [b'<', b'&'] {
                    let mut text = vec![b'x'; len];
                    if let Some(b) = text.get_mut(at) {
                        *b = mark;
                    }
                    assert_eq!(find_markup(&text), Some(at), "{len} {at}");
                }
            }
            assert_eq!(find_markup(&vec![b'x'; len]), None);
        }
        assert_eq!(find_markup("é<".as_bytes()), Some(2));
        assert_eq!(find_markup(b"\x80\xff\x3c"), Some(2));
    }

    #[test]
    fn gives_up_on_faults_and_on_what_it_does_not_handle() {
        for bad in [
            "<a><b></a>",
            "<a><b>&nope;</b></a>",
            "<a><b x='1' x='2'/></a>",
            "<a><b x='<'/></a>",
            "<a><b x = '1'/></a>",
            "<a><b x='1'y='2'/></a>",
            "<a><!-- a -- b --></a>",
            "<!DOCTYPE a><a/>",
            "<a/><a/>",
            "x<a/>",
            "<a>",
            " <?xml version=\"1.0\"?><a/>",
            "<a><?xml version=\"1.0\"?></a>",
            "<a><b>\u{fffd}</b></a>\u{0}",
            "<a></a>&amp;",
        ] {
            assert_eq!(plan(bad, "/a/b").err(), Some(Bail), "{bad}");
        }
        let mut invalid = b"<a><b>".to_vec();
        invalid.push(0xff);
        invalid.extend_from_slice(b"</b></a>");
        assert_eq!(
            scan(&invalid[..], &steps("/a/b"), &mut Plan::default()),
            Err(Bail)
        );
        assert_eq!(plan("<a/>", "/a").err(), Some(Bail), "the root as record");
        assert_eq!(plan("<a/>", "/a/b[@k='v']").err(), Some(Bail));
    }
}
