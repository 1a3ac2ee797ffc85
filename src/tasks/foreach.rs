//! `foreach file in DIR [matching GLOB] [recursive] { … }`: Zynk's File Repeater.
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobMatcher};

use super::{Kind, Param, Task};
use crate::check::{Args, CheckError, Checker, CompiledStatement, Template};
use crate::runtime::{Counts, FileInfo, Outcome, RunError, Runtime, Step};
use crate::source::Span;

pub struct Foreach;

static PARAMS: [Param; 4] = [
    Param::positional(
        "variable",
        Kind::Binding,
        "the name the current file goes by inside the block",
    ),
    Param::required("in", Kind::Path, "the folder to walk"),
    Param::option(
        "matching",
        Kind::Glob,
        "only files whose name matches, e.g. \"*.xml\" (case-insensitive; default all)",
    ),
    Param::option("recursive", Kind::Flag, "include files in sub-folders"),
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
        "foreach file in \"Stock Export\" matching \"*.xml\" {\n    notify \"${site}/zynk/upload\" with file to \"${file.stem}_response.txt\"\n    delete file\n}"
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let variable = args.binding("variable")?;
        let dir = args.text("in")?;
        let pattern = args.text("matching");
        let matcher = match pattern.as_ref().and_then(Template::constant) {
            Some(p) => match compile_glob(&p) {
                Ok(m) => Some(m),
                Err(reason) => {
                    cx.error(CheckError::InvalidGlob {
                        reason,
                        span: args.span_of("matching").into(),
                    });
                    return None;
                }
            },
            None => None,
        };
        let block = args.block.take()?;
        let body = cx.check_block_with_file(&block, &variable);
        Some(Box::new(ForeachStep {
            variable: variable.value,
            dir,
            pattern,
            matcher,
            recursive: args.flag("recursive"),
            body,
            span: args.head_span,
        }))
    }
}

/// Compiles a Windows-style wildcard: case-insensitive, `*.*` matches every name.
fn compile_glob(pattern: &str) -> Result<GlobMatcher, String> {
    let pattern = if pattern == "*.*" || pattern.is_empty() {
        "*"
    } else {
        pattern
    };
    GlobBuilder::new(pattern)
        .case_insensitive(true)
        .literal_separator(true)
        .build()
        .map(|g: Glob| g.compile_matcher())
        .map_err(|e| e.kind().to_string())
}

#[derive(Debug)]
struct ForeachStep {
    variable: String,
    dir: Template,
    pattern: Option<Template>,
    matcher: Option<GlobMatcher>,
    recursive: bool,
    body: Vec<CompiledStatement>,
    span: Span,
}

impl Step for ForeachStep {
    fn is_block(&self) -> bool {
        true
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let dir = rt.path(&self.dir)?;
        if !dir.is_dir() {
            return Err(RunError::not_found(&dir, self.dir.span, "the folder"));
        }
        let matcher = match (&self.matcher, &self.pattern) {
            (Some(m), _) => Some(m.clone()),
            (None, Some(p)) => {
                let text = rt.render(p)?.text;
                Some(compile_glob(&text).map_err(|reason| {
                    RunError::new(
                        "zynk::run::invalid_glob",
                        format!("invalid pattern `{text}`: {reason}"),
                        p.span,
                        "this pattern",
                    )
                })?)
            }
            (None, None) => None,
        };
        let mut files = Vec::new();
        list_files(&dir, self.recursive, &mut files)
            .map_err(|e| RunError::io(&e, "list", &dir, self.dir.span))?;
        files.retain(|f| {
            let name = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            matcher.as_ref().is_none_or(|m| m.is_match(&name))
        });
        files.sort_by_cached_key(|f| natural_key(&f.to_string_lossy()));
        let shown = rt.show(&dir);
        if files.is_empty() {
            return Ok(Outcome::no_data(format!("no files in {shown}")));
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
            if !completed {
                let left = files.len() - index;
                return Err(RunError::new(
                    "zynk::run::loop_stopped",
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
        Ok(Outcome::success(format!(
            "{total} file{} in {shown}",
            if total == 1 { "" } else { "s" }
        ))
        .with_counts(counts))
    }
}

/// Case-insensitive sort key in which runs of digits compare as numbers, so
/// `product_export_2.xml` comes before `product_export_10.xml`.
fn natural_key(text: &str) -> Vec<(String, u128)> {
    let mut key = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut digits = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(d);
                chars.next();
            }
            key.push((String::new(), digits.parse().unwrap_or(u128::MAX)));
        } else {
            let mut run = String::new();
            while let Some(&d) = chars.peek().filter(|d| !d.is_ascii_digit()) {
                run.extend(d.to_lowercase());
                chars.next();
            }
            key.push((run, 0));
        }
    }
    key
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
    fn natural_order() {
        let mut names = vec!["b_10.xml", "b_2.xml", "B_1.xml", "a.xml", "b_2a.xml"];
        names.sort_by_cached_key(|n| natural_key(n));
        assert_eq!(
            names,
            vec!["a.xml", "B_1.xml", "b_2.xml", "b_2a.xml", "b_10.xml"]
        );
    }

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
}
