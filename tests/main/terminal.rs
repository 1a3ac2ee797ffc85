//! On a real terminal (a pseudo-terminal opened by the test): colour by default, the
//! terminal's own width for diagnostics, and a progress line for a slow statement.
use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::Duration;

use rustix::pty::{OpenptFlags, grantpt, openpt, ptsname, unlockpt};
use rustix::termios::{Winsize, tcsetwinsize};

use super::harness::Project;

/// Runs zynk with stdout and stderr on a new pseudo-terminal `columns` wide; returns all
/// it wrote there and its exit code.
fn on_terminal(project: &Project, args: &[&str], columns: u16) -> (String, Option<i32>) {
    let master = openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY).expect("open a pty");
    grantpt(&master).expect("grantpt");
    unlockpt(&master).expect("unlockpt");
    let name = ptsname(&master, Vec::new()).expect("ptsname");
    let slave = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(name.to_string_lossy().as_ref())
        .expect("open the pty's terminal side");
    let size = Winsize {
        ws_row: 40,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    tcsetwinsize(&slave, size).expect("set the terminal size");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zynk"))
        .args(args)
        .current_dir(project.dir.path())
        .env_remove("COLUMNS")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("ZYNK_DATA")
        .stdin(Stdio::null())
        .stdout(slave.try_clone().expect("dup"))
        .stderr(slave)
        .spawn()
        .expect("spawn zynk");
    let mut master = File::from(master);
    let mut bytes = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match master.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&buf[..n]),
            // Linux answers EIO once the last terminal-side handle is closed.
            Err(_) => break,
        }
    }
    let status = child.wait().expect("wait");
    (String::from_utf8_lossy(&bytes).into_owned(), status.code())
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

const TYPO: &str = "workflow \"W\"\nimport customers from \"d.xml\" success \"s.xml\" fail \"f.xml\"\n    reference_convention company_or_fullname\n";

/// The width of the widest line of the message and help (source lines and labels are
/// never wrapped).
fn widest_prose(text: &str) -> usize {
    strip_ansi(text)
        .lines()
        .filter(|l| {
            !l.trim_start()
                .starts_with(|c: char| c.is_ascii_digit() || c == '·')
        })
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn diagnostics_on_a_terminal_are_in_colour_and_as_wide_as_the_terminal() {
    let project = Project::new();
    project.write("shop.zynk", TYPO);
    let (narrow, code) = on_terminal(&project, &["check", "shop.zynk"], 50);
    assert_eq!(code, Some(2), "{narrow}");
    assert!(
        narrow.contains("\u{1b}["),
        "no colour on a terminal: {narrow:?}"
    );
    let plain = strip_ansi(&narrow);
    assert!(plain.contains("company_otherwise_fullname"), "{plain}");
    let widest = widest_prose(&narrow);
    assert!(
        widest <= 50,
        "a line of {widest} columns on a 50-column terminal:\n{plain}"
    );

    let (wide, _) = on_terminal(&project, &["check", "shop.zynk"], 200);
    let widest_wide = widest_prose(&wide);
    assert!(
        widest_wide > 50,
        "the wide terminal's width was not used:\n{wide}"
    );

    let (never, _) = on_terminal(&project, &["--color", "never", "check", "shop.zynk"], 80);
    assert!(
        !never.contains("\u{1b}["),
        "colour despite --color never: {never:?}"
    );
}

#[test]
fn a_slow_statement_shows_a_progress_line_on_a_terminal() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = std::thread::spawn(move || {
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            std::thread::sleep(Duration::from_millis(2500));
            let body = "<Company />";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let project = Project::new();
    project.write(
        "slow.zynk",
        &format!("workflow \"W\"\nfetch \"http://127.0.0.1:{port}/a.xml\" to \"a.xml\"\n"),
    );
    let (out, code) = on_terminal(&project, &["run", "slow.zynk", "--data", "data"], 100);
    let _ = server.join();
    assert_eq!(code, Some(0), "{out}");
    let plain = strip_ansi(&out);
    assert!(
        plain.contains("fetch · line 2"),
        "no progress line while the fetch waited:\n{plain:?}"
    );
}
