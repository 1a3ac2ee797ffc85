//! `BlockReader`: reads a file in large blocks and checks they are UTF-8 on a thread of its own, so the scan only scans.
//!
//! Each block leaves room at its front, where the scanner moves the unfinished token it
//! carries over from the block before: the next block then continues it without copying
//! the block itself. Spent buffers go back to the reader to be filled again, so a whole
//! file is read through a handful of them.

use std::io::{ErrorKind, Read};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

/// How much is read into one block.
pub(crate) const BLOCK: usize = 1 << 20;
/// How much is read into the first block.
const FIRST_BLOCK: usize = 64 << 10;
/// The room before each block's bytes for what the scanner carries over.
pub(crate) const ROOM: usize = 64 << 10;
/// Blocks read ahead of the scan.
const AHEAD: usize = 2;

/// One block: `buf[start..end]` are the file's next bytes, known to be UTF-8 except for
/// a character cut at `end` (checked with the next block).
pub(crate) struct Block {
    pub(crate) buf: Vec<u8>,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// What the reader sends: a block, or that reading failed or the bytes are not UTF-8.
/// The channel closes after the last block of a file that read cleanly.
pub(crate) enum Fill {
    Block(Block),
    Failed,
}

/// The scanner's end: blocks to take, spent buffers to give back.
pub(crate) struct Blocks {
    pub(crate) blocks: Receiver<Fill>,
    pub(crate) spent: Sender<Vec<u8>>,
}

/// Reads `file` to its end on the calling thread, sending blocks to `blocks`; stops early
/// when the scanner hangs up.
pub(crate) fn read_blocks(
    mut file: impl Read,
    blocks: &SyncSender<Fill>,
    spent: &Receiver<Vec<u8>>,
) {
    // The bytes of a character cut by the end of the previous block.
    let mut cut: Vec<u8> = Vec::new();
    // Small files stay cheap: blocks grow from 64 KiB to `BLOCK`.
    let mut size = FIRST_BLOCK;
    loop {
        let mut buf = spent.try_recv().unwrap_or_default();
        if buf.len() < ROOM + size {
            buf = vec![0; ROOM + size];
        }
        let n = loop {
            match file.read(buf.get_mut(ROOM..ROOM + size).unwrap_or_default()) {
                Ok(n) => break Some(n),
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break None,
            }
        };
        let fill = match n {
            None => Fill::Failed,
            Some(0) if cut.is_empty() => return,
            Some(0) => Fill::Failed,
            Some(n) => {
                let bytes = buf.get(ROOM..ROOM + n).unwrap_or_default();
                if check_utf8(&mut cut, bytes) {
                    Fill::Block(Block {
                        buf,
                        start: ROOM,
                        end: ROOM + n,
                    })
                } else {
                    Fill::Failed
                }
            }
        };
        size = (size * 2).min(BLOCK);
        let failed = matches!(fill, Fill::Failed);
        if blocks.send(fill).is_err() || failed {
            return;
        }
    }
}

/// A reader thread's two channels and the scanner's ends of them.
pub(crate) fn channels() -> (SyncSender<Fill>, Receiver<Vec<u8>>, Blocks) {
    let (send_block, blocks) = sync_channel(AHEAD);
    let (spent, take_spent) = channel();
    (send_block, take_spent, Blocks { blocks, spent })
}

/// Checks `bytes`, which follow `cut` (the start of a character the previous block
/// ended in); leaves in `cut` the start of a character this block ends in.
fn check_utf8(cut: &mut Vec<u8>, bytes: &[u8]) -> bool {
    let mut from = 0;
    if let Some(&lead) = cut.first() {
        let width = match lead {
            0xF0.. => 4,
            0xE0.. => 3,
            _ => 2,
        };
        let missing = width - cut.len();
        let Some(rest) = bytes.get(..missing) else {
            // A block shorter than a character's end: keep collecting.
            cut.extend_from_slice(bytes);
            return bytes.iter().all(|&b| b & 0xC0 == 0x80);
        };
        cut.extend_from_slice(rest);
        if std::str::from_utf8(cut).is_err() {
            return false;
        }
        cut.clear();
        from = missing;
    }
    let bytes = bytes.get(from..).unwrap_or_default();
    match std::str::from_utf8(bytes) {
        Ok(_) => true,
        Err(e) if e.error_len().is_none() => {
            cut.extend_from_slice(bytes.get(e.valid_up_to()..).unwrap_or_default());
            true
        }
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_cut_between_blocks_are_checked_whole() {
        let text = "aé日😀b".as_bytes();
        for a in 0..=text.len() {
            for b in a..=text.len() {
                let mut cut = Vec::new();
                let ok = check_utf8(&mut cut, &text[..a])
                    && check_utf8(&mut cut, &text[a..b])
                    && check_utf8(&mut cut, &text[b..]);
                assert!(ok && cut.is_empty(), "{a} {b}");
            }
        }
        let mut cut = Vec::new();
        assert!(check_utf8(&mut cut, b"a\xE6"));
        assert!(!check_utf8(&mut cut, b"x"));
        let mut cut = Vec::new();
        assert!(!check_utf8(&mut cut, b"a\xff b"));
        let mut cut = Vec::new();
        assert!(check_utf8(&mut cut, b"\xF0\x9F"));
        assert!(!cut.is_empty(), "the file must not end here");
    }

    #[test]
    fn reads_a_file_in_blocks_and_reports_bad_bytes() {
        let data = "é".repeat(BLOCK);
        let (send, spent, ends) = channels();
        let reader = std::thread::spawn(move || read_blocks(data.as_bytes(), &send, &spent));
        let mut total = 0;
        for fill in ends.blocks.iter() {
            match fill {
                Fill::Block(b) => {
                    assert_eq!(b.start, ROOM);
                    total += b.end - b.start;
                    let _ = ends.spent.send(b.buf);
                }
                Fill::Failed => panic!("failed"),
            }
        }
        assert!(reader.join().is_ok());
        assert_eq!(total, 2 * BLOCK);

        let (send, spent, ends) = channels();
        read_blocks(&b"ok \xC3"[..], &send, &spent);
        let fills: Vec<bool> = ends
            .blocks
            .try_iter()
            .map(|f| matches!(f, Fill::Failed))
            .collect();
        assert_eq!(
            fills,
            [false, true],
            "a character cut by the end of the file"
        );
    }
}
