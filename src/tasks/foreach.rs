//! `foreach file in DIR [matching GLOB] [recursive] [modified since last run] { … }`: Zynk's
//! File Repeater; with `by xpath` it walks the records of an XML file instead (see
//! `foreach_record`).
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use globset::{Glob, GlobBuilder, GlobMatcher};

use super::foreach_record::RecordLoop;
use super::loop_files;
use super::{Kind, Param, Task};
use crate::check::{Args, CheckError, Checker, CompiledStatement, Template};
use crate::plan::{Action, Effect, FileState, LoopFile, Planner};
use crate::runtime::{Counts, FileInfo, Outcome, RunCode, RunError, Runtime, Step};
use crate::source::Span;

pub(super) struct Foreach;

static PARAMS: [Param; 6] = [
    Param::positional(
        "variable",
        Kind::Binding,
        "the name the current file goes by inside the block",
    ),
    Param::required(
        "in",
        Kind::Path,
        "the folder to walk, or with `by xpath` the XML file whose records to walk",
    ),
    Param::option(
        "by xpath",
        Kind::XPath,
        "walk the records this XPath selects in the file, one at a time: inside, `${order `Id`}` reads a field and `order` is the record's XML",
    ),
    Param::option(
        "matching",
        Kind::Glob,
        "only files whose name matches, e.g. \"*.xml\" (case-insensitive; default all)",
    ),
    Param::option("recursive", Kind::Flag, "include files in sub-folders"),
    Param::option(
        "modified since last run",
        Kind::Flag,
        "only files changed since this loop last completed without failures (Zynk's OnlyModifiedFiles)",
    ),
];

impl Task for Foreach {
    fn head(&self) -> &'static [&'static str] {
        &["foreach"]
    }
    fn summary(&self) -> &'static str {
        "Run a block once for each file in a folder, in natural name order (`_2` before `_10`); the list is taken before the first run"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn takes_block(&self) -> bool {
        true
    }
    fn example(&self) -> &'static str {
        "foreach file in \"Stock Export\" matching \"*.xml\" {\n    notify \"https://shop.example/zynk/upload\" with file to \"${file.stem}_response.txt\"\n    delete file\n}"
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        if args.has("by xpath") || args.given.contains(&"by xpath") {
            return compile_records(args, cx);
        }
        let variable = args.binding("variable")?;
        let dir = args.text("in")?;
        let pattern = args.text("matching");
        // Checked now, compiled when the loop runs: a compiled matcher is kilobytes, and a
        // script may hold thousands of loops.
        if let Some(Err(reason)) = pattern
            .as_ref()
            .and_then(Template::constant)
            .map(|p| glob(&p))
        {
            cx.error(CheckError::InvalidGlob {
                reason,
                span: args.span_of("matching").into(),
            });
            return None;
        }
        let mut block = args.block.take()?;
        let body = cx.check_block_with_file(&mut block, &variable);
        Some(Box::new(ForeachStep {
            variable: variable.value,
            dir,
            pattern,
            matcher: Mutex::new(None),
            recursive: args.flag("recursive"),
            only_modified: args.flag("modified since last run"),
            body,
            span: args.head_span,
        }))
    }
}

/// `foreach order in "orders.xml" by xpath `/Company/SalesOrders/SalesOrder` { … }`.
fn compile_records(args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
    for option in ["matching", "recursive", "modified since last run"] {
        if args.has(option) {
            cx.error(CheckError::InvalidValue {
                message: format!("`{option}` is for a loop over files, not over records"),
                span: args.span_of(option).into(),
                label: "not with `by xpath`".into(),
                help: "a record loop walks one XML file: drop this option, or drop `by xpath` to walk a folder".into(),
            });
            return None;
        }
    }
    let variable = args.binding("variable")?;
    let file = args.text("in")?;
    let (xpath, xpath_span) = args.xpath("by xpath")?;
    if let Some(found) = xpath.scalar_result() {
        cx.error(CheckError::XPathNotNodes {
            found: found.into(),
            purpose: "walk".into(),
            span: xpath_span.into(),
        });
        return None;
    }
    if let Some(found) = xpath.non_element_result() {
        cx.error(CheckError::XPathNotElements {
            found: found.into(),
            purpose: "walk".into(),
            span: xpath_span.into(),
        });
        return None;
    }
    let mut block = args.block.take()?;
    let body = cx.check_block_with_record(&mut block, &variable, args.head_span);
    Some(Box::new(RecordLoop {
        variable: variable.value,
        file,
        xpath,
        xpath_span,
        body,
        span: args.head_span,
    }))
}

/// Reads a Windows-style wildcard: case-insensitive, `*.*` matches every name.
fn glob(pattern: &str) -> Result<Glob, String> {
    let pattern = if pattern == "*.*" || pattern.is_empty() {
        "*"
    } else {
        pattern
    };
    GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map_err(|e| e.kind().to_string())
}

/// Compiles a wildcard (see [`glob`]) for matching.
fn compile_glob(pattern: &str) -> Result<GlobMatcher, String> {
    glob(pattern).map(|g| g.compile_matcher())
}

#[derive(Debug)]
struct ForeachStep {
    variable: String,
    dir: Template,
    pattern: Option<Template>,
    /// The last pattern compiled, with its text: a loop run again (inside a record loop,
    /// say) reuses it instead of compiling the same pattern each time.
    matcher: Mutex<Option<(String, GlobMatcher)>>,
    recursive: bool,
    only_modified: bool,
    body: Vec<CompiledStatement>,
    span: Span,
}

impl ForeachStep {
    /// The matcher for the pattern's text, compiled once per distinct text.
    fn matcher(&self, text: &str) -> Result<GlobMatcher, String> {
        let mut last = self.matcher.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((seen, matcher)) = last.as_ref()
            && seen == text
        {
            return Ok(matcher.clone());
        }
        let matcher = compile_glob(text)?;
        *last = Some((text.to_string(), matcher.clone()));
        Ok(matcher)
    }
}

impl Step for ForeachStep {
    fn is_block(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>) {
        let dir = p.file(&self.dir);
        let mut effect = Effect::new(Action::List)
            .path(&dir.shown)
            .depends_on(dir.depends_on);
        if dir.state == FileState::Unknown {
            effect.detail = dir.describe();
            p.effect(effect);
            let file = LoopFile::Unknown {
                dir: dir.path.clone(),
                line: dir.depends_on.unwrap_or_default(),
            };
            p.block_with_file(
                &self.variable,
                file,
                "for each file there",
                true,
                &self.body,
            );
            return;
        }
        let pattern = self.pattern.as_ref().map(|t| p.render(t));
        let matcher = match &pattern {
            Some(shown) if shown.known => self.matcher(&shown.text).ok(),
            _ => None,
        };
        let mut listing = p.listing(&dir.path, self.recursive);
        let mut notes = Vec::new();
        if let Some(shown) = &pattern {
            notes.push(format!("matching {}", shown.display));
        }
        if listing.missing {
            notes.push("the folder is missing: the run would fail here".into());
        }
        for line in &listing.filled_by {
            notes.push(format!("and the files line {line} writes here"));
        }
        let mut uncertain = false;
        let mut since = None;
        if self.only_modified {
            let mark = loop_files::watermark_key(&p.show(&dir.path), self.pattern.as_ref());
            match p.watermark(&mark) {
                Ok(Some(at)) => {
                    since = Some(at);
                    notes.push(format!("only files modified since the last run, {at}"));
                }
                Ok(None) => notes.push("every file: the loop has not completed before".into()),
                Err(reason) => {
                    uncertain = true;
                    notes.push(format!(
                        "only files modified since the last run, which cannot be read: {reason}"
                    ));
                }
            }
        }
        loop_files::choose(&mut listing.files, matcher.as_ref(), since);
        if !notes.is_empty() {
            effect.detail = Some(notes.join("; "));
        }
        let shown: Vec<String> = listing
            .files
            .iter()
            .map(|f| {
                let path = f.field(crate::check::FileField::Path).unwrap_or_default();
                p.show(Path::new(&path))
            })
            .collect();
        effect.files = Some(shown.clone());
        effect = effect.depends_on(listing.files.iter().find_map(LoopFile::written_by));
        p.effect(effect);
        let total = listing.files.len();
        for (index, (file, name)) in listing.files.into_iter().zip(shown).enumerate() {
            if p.is_stopped() {
                return;
            }
            let mark = file
                .written_by()
                .map_or_else(String::new, |line| format!(" (written by line {line})"));
            let label = format!("file {} of {total}: {name}{mark}", index + 1);
            p.block_with_file(&self.variable, file, label, uncertain, &self.body);
        }
        for line in listing.filled_by {
            if p.is_stopped() {
                return;
            }
            let file = LoopFile::Unknown {
                dir: dir.path.clone(),
                line,
            };
            let label =
                format!("for each file line {line} writes here, names known only while running");
            p.block_with_file(&self.variable, file, label, true, &self.body);
        }
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let dir = rt.path(&self.dir)?;
        if !dir.is_dir() {
            return Err(RunError::not_found(&dir, self.dir.span, "the folder"));
        }
        let matcher = match &self.pattern {
            Some(p) => {
                let text = rt.render(p)?.text;
                Some(self.matcher(&text).map_err(|reason| {
                    RunError::raise(
                        RunCode::InvalidGlob,
                        format!("invalid pattern `{text}`: {reason}"),
                        p.span,
                        "this pattern",
                    )
                })?)
            }
            None => None,
        };
        let listed_at = jiff::Timestamp::now();
        let mut files = Vec::new();
        list_files(&dir, self.recursive, &mut files)
            .map_err(|e| RunError::io(&e, "list", &dir, self.dir.span))?;
        let shown = rt.show(&dir);
        let mark = loop_files::watermark_key(&shown, self.pattern.as_ref());
        let since = if self.only_modified {
            rt.state().watermark(&rt.workflow, &mark).map_err(|e| {
                RunError::from_diagnostic(
                    &e,
                    crate::process::FailureKind::Fail,
                    self.span,
                    "reading the last run",
                )
            })?
        } else {
            None
        };
        loop_files::choose(&mut files, matcher.as_ref(), since);
        if files.is_empty() {
            self.remember(rt, &mark, listed_at)?;
            let what = if self.only_modified {
                "no files modified since the last run"
            } else {
                "no files"
            };
            return Ok(Outcome::no_data(format!("{what} in {shown}")));
        }
        let total = files.len() as u64;
        let mut counts = Counts {
            input: total,
            ..Counts::default()
        };
        for (index, path) in files.iter().enumerate() {
            let info =
                FileInfo::read(path).map_err(|e| RunError::io(&e, "read", path, self.span))?;
            let failures_before = rt.failures();
            rt.push_loop_var(&self.variable, info);
            let completed = rt.run_block(&self.body);
            rt.pop_loop_var();
            if rt.failures() == failures_before {
                counts.output += 1;
            } else {
                counts.failed += 1;
            }
            if !completed && rt.stopped() {
                return Ok(Outcome::success(format!(
                    "stopped at file {} of {total} in {shown}",
                    index + 1
                ))
                .with_counts(counts));
            }
            if !completed && rt.interrupted() {
                let left = files.len() - index;
                return Err(RunError::raise(
                    RunCode::Interrupted,
                    format!(
                        "interrupted at `{}` (file {} of {total}); {left} file{} left in {shown} for the next run",
                        rt.show(path),
                        index + 1,
                        if left == 1 { "" } else { "s" }
                    ),
                    self.span,
                    "this loop",
                ));
            }
            if !completed {
                let left = files.len() - index;
                return Err(RunError::raise(
                    RunCode::LoopStopped,
                    format!(
                        "the loop stopped at `{}` (file {} of {total}); {left} file{} left in {shown}",
                        rt.show(path),
                        index + 1,
                        if left == 1 { "" } else { "s" }
                    ),
                    self.span,
                    "this loop",
                )
                .with_help("fix the failure above and run again: files that were processed and deleted are not sent twice; add `or continue` to a statement in the block to carry on past its failures"));
            }
        }
        if counts.failed == 0 {
            self.remember(rt, &mark, listed_at)?;
        }
        Ok(Outcome::success(format!(
            "{total} file{} in {shown}",
            if total == 1 { "" } else { "s" }
        ))
        .with_counts(counts))
    }
}

impl ForeachStep {
    /// With `modified since last run`: the next run takes files changed after `at`.
    fn remember(&self, rt: &Runtime<'_>, mark: &str, at: jiff::Timestamp) -> Result<(), RunError> {
        if !self.only_modified {
            return Ok(());
        }
        rt.state()
            .set_watermark(&rt.workflow, mark, at)
            .map_err(|e| {
                RunError::from_diagnostic(
                    &e,
                    crate::process::FailureKind::Fail,
                    self.span,
                    "saving the last run",
                )
            })
    }
}

fn list_files(dir: &Path, recursive: bool, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            if recursive
                && !crate::runtime::litter::is_temp_dir(&entry.file_name().to_string_lossy())
            {
                list_files(&path, true, out)?;
            }
        } else if path.is_file() && !crate::runtime::litter::is_temp_path(&path) {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_wildcards() {
        let all = compile_glob("*.*").expect("glob");
        assert!(all.is_match("README"));
        assert!(all.is_match("a.xml"));
        let xml = compile_glob("*.xml").expect("glob");
        assert!(xml.is_match("A.XML"));
        assert!(!xml.is_match("a.xmlx"));
        let one = compile_glob("chunk_?.xml").expect("glob");
        assert!(one.is_match("chunk_1.xml"));
        assert!(!one.is_match("chunk_12.xml"));
    }

    #[test]
    fn a_loop_compiles_its_pattern_once_per_text() {
        let span = Span::new(0, 0);
        let step = ForeachStep {
            variable: "file".into(),
            dir: Template::text("In", span),
            pattern: None,
            matcher: Mutex::new(None),
            recursive: false,
            only_modified: false,
            body: Vec::new(),
            span,
        };
        assert!(step.matcher("*.xml").expect("glob").is_match("a.XML"));
        let kept = step
            .matcher
            .lock()
            .expect("lock")
            .clone()
            .map(|(text, _)| text);
        assert_eq!(kept.as_deref(), Some("*.xml"));
        assert!(step.matcher("*.xml").expect("glob").is_match("b.xml"));
        let txt = step.matcher("*.txt").expect("glob");
        assert!(txt.is_match("a.txt") && !txt.is_match("a.xml"));
        assert!(step.matcher("[").is_err());
    }
}
