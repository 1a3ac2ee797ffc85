//! Splits an XML file in streaming mode: `split_file [--events] INPUT RECORD_PATH LIMIT OUT_DIR` (`--events`: quick-xml's events only, without the fast path).

use std::path::Path;
use std::process::ExitCode;

use zynk::split::{ChildPath, Selection, split_file};

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let events = args.first().is_some_and(|a| a == "--events");
    if events {
        args.remove(0);
    }
    let [input, path, limit, out_dir] = args.as_slice() else {
        eprintln!("usage: split_file [--events] INPUT RECORD_PATH LIMIT OUT_DIR");
        return ExitCode::from(2);
    };
    let Some(path) = ChildPath::parse(path) else {
        eprintln!("not a child-step path: {path}");
        return ExitCode::from(2);
    };
    let Ok(limit) = limit.parse::<usize>() else {
        eprintln!("not a number: {limit}");
        return ExitCode::from(2);
    };
    let selection = if events {
        Selection::StreamEvents(&path)
    } else {
        Selection::Stream(&path)
    };
    match split_file(Path::new(input), selection, limit, Path::new(out_dir)) {
        Ok(report) => {
            println!(
                "{} records in {} chunks",
                report.records,
                report.chunks.len()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{:?}", miette::Report::new(err));
            ExitCode::FAILURE
        }
    }
}
