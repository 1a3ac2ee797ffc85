//! An import's input read on a second thread, a few batches of records ahead of the record
//! being imported, so parsing the XML overlaps the checks, the ledger writes and the output.
//!
//! The records arrive in file order and the reader's error (malformed XML, a field too large)
//! arrives where it was found, after the records before it, exactly as from
//! [`RecordReader::next_node`]; the import decides what to do with it as before. Handled
//! records go back to the reader thread's pool, so the allocations are reused as before.
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;

use crate::connect::{ConnectError, Node, RecordReader};

/// Records per batch handed between the threads.
const BATCH: usize = 64;

/// Batches read ahead at most (with the one being read and the one being imported): memory
/// stays bounded whatever the file's size.
const AHEAD: usize = 2;

/// One batch: its records, then, for the last batch, how the file ended.
struct Batch {
    records: Vec<Node>,
    end: Option<Result<(), ConnectError>>,
}

/// Records read by a thread of their own.
pub(crate) struct ReadAhead {
    batches: Receiver<Batch>,
    records: std::vec::IntoIter<Node>,
    end: Option<Result<(), ConnectError>>,
    finished: bool,
    handled: Vec<Node>,
    back: Sender<Vec<Node>>,
    thread: Option<JoinHandle<()>>,
    path: std::path::PathBuf,
}

impl ReadAhead {
    /// Starts reading `reader`'s records on a new thread.
    pub(crate) fn start(reader: RecordReader) -> ReadAhead {
        let path = reader.path().to_path_buf();
        let (batches_tx, batches) = sync_channel(AHEAD);
        let (back, back_rx) = channel();
        let thread = std::thread::Builder::new()
            .name("zynk-import-reader".into())
            .spawn(move || read(reader, &batches_tx, &back_rx))
            .ok();
        ReadAhead {
            batches,
            records: Vec::new().into_iter(),
            end: None,
            finished: thread.is_none(),
            handled: Vec::new(),
            back,
            thread,
            path,
        }
    }

    /// The next record, or `None` at the end of the file.
    pub(crate) fn next_node(&mut self) -> Result<Option<Node>, ConnectError> {
        loop {
            if let Some(node) = self.records.next() {
                return Ok(Some(node));
            }
            if let Some(end) = self.end.take() {
                self.finished = true;
                return end.map(|()| None);
            }
            if self.finished {
                return Ok(None);
            }
            match self.batches.recv() {
                Ok(batch) => {
                    self.records = batch.records.into_iter();
                    self.end = batch.end;
                }
                // The reader thread ended without saying how the file ended: it failed.
                Err(_) => {
                    self.finished = true;
                    return Err(ConnectError::Read {
                        path: self.path.clone(),
                        source: std::io::Error::other("the reader thread stopped unexpectedly"),
                    });
                }
            }
        }
    }

    /// Hands back a record that is no longer needed (sent back a batch at a time).
    pub(crate) fn recycle(&mut self, record: Node) {
        self.handled.push(record);
        if self.handled.len() >= BATCH {
            // The reader may have finished already: then the records are simply dropped.
            let _ = self.back.send(std::mem::take(&mut self.handled));
        }
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        // Closing the batch channel stops the reader at its next batch; waiting for it means
        // the input file is closed when the import returns.
        let (_, closed) = sync_channel(0);
        drop(std::mem::replace(&mut self.batches, closed));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The reader thread: batches of records until the end of the file, its error, or until the
/// import stops listening.
fn read(mut reader: RecordReader, batches: &SyncSender<Batch>, back: &Receiver<Vec<Node>>) {
    loop {
        while let Ok(nodes) = back.try_recv() {
            for node in nodes {
                reader.recycle(node);
            }
        }
        let mut records = Vec::with_capacity(BATCH);
        let mut end = None;
        while records.len() < BATCH {
            match reader.next_node() {
                Ok(Some(node)) => records.push(node),
                Ok(None) => {
                    end = Some(Ok(()));
                    break;
                }
                Err(e) => {
                    end = Some(Err(e));
                    break;
                }
            }
        }
        let last = end.is_some();
        if batches.send(Batch { records, end }).is_err() || last {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader_of(xml: &str) -> Option<(tempfile::TempDir, RecordReader)> {
        let dir = tempfile::tempdir().ok()?;
        let path = dir.path().join("c.xml");
        std::fs::write(&path, xml).ok()?;
        let reader = RecordReader::open(&path, "Customers", "Customer").ok()?;
        Some((dir, reader))
    }

    fn customers(n: usize, tail: &str) -> String {
        let mut xml = String::from("<Company><Customers>");
        for i in 0..n {
            xml.push_str(&format!("<Customer><Id>{i}</Id></Customer>"));
        }
        xml.push_str(tail);
        xml
    }

    #[test]
    fn records_arrive_in_order_across_batches() {
        let n = BATCH * 3 + 5;
        let Some((_dir, reader)) = reader_of(&customers(n, "</Customers></Company>")) else {
            panic!("no temporary file");
        };
        let mut ahead = ReadAhead::start(reader);
        let mut ids = Vec::new();
        while let Ok(Some(node)) = ahead.next_node() {
            ids.push(node.text_of("Id").unwrap_or_default().to_string());
            ahead.recycle(node);
        }
        let expected: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        assert_eq!(ids, expected);
        assert!(matches!(ahead.next_node(), Ok(None)));
    }

    #[test]
    fn an_error_comes_after_the_records_before_it() {
        let n = BATCH + 3;
        let Some((_dir, reader)) = reader_of(&customers(n, "<Customer><Id>x</Wrong>")) else {
            panic!("no temporary file");
        };
        let mut ahead = ReadAhead::start(reader);
        let mut read = 0;
        let error = loop {
            match ahead.next_node() {
                Ok(Some(_)) => read += 1,
                Ok(None) => break None,
                Err(e) => break Some(e),
            }
        };
        assert_eq!(read, n);
        assert!(matches!(error, Some(ConnectError::Malformed { .. })), "{error:?}");
    }

    #[test]
    fn dropping_it_early_stops_the_reader() {
        let Some((_dir, reader)) = reader_of(&customers(BATCH * 20, "</Customers></Company>"))
        else {
            panic!("no temporary file");
        };
        let mut ahead = ReadAhead::start(reader);
        assert!(matches!(ahead.next_node(), Ok(Some(_))));
        drop(ahead);
    }
}
