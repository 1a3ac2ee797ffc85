//! The checked program: what the runtime executes. Names are resolved, values typed.
use crate::runtime::Step;
use crate::source::Span;

/// A checked script, ready to run.
#[derive(Debug)]
pub struct Program {
    /// The workflow name; it names the working directory.
    pub workflow: String,
    pub statements: Vec<CompiledStatement>,
    /// How many statements were compiled, those inside blocks included: one per
    /// statement of the script.
    pub statement_count: usize,
    /// What the checker accepted but thinks is probably wrong.
    pub warnings: Vec<super::CheckWarning>,
    /// Files top-level statements read that no earlier statement writes: a run makes sure
    /// they exist before its first statement, so that a misspelt name stops it before
    /// anything changed.
    pub inputs: Vec<RequiredInput>,
}

/// A file a statement reads that no statement before it writes.
#[derive(Debug, Clone, PartialEq)]
pub struct RequiredInput {
    /// The path as the script writes it (relative to the working directory).
    pub path: String,
    pub span: Span,
    /// The statement that reads it, and its line.
    pub statement: String,
    pub line: usize,
}

/// One statement, compiled.
#[derive(Debug)]
pub struct CompiledStatement {
    /// The statement name as written, e.g. `import customers` (one-word names are not copied).
    pub name: std::borrow::Cow<'static, str>,
    pub span: Span,
    /// 1-based line of the statement in the script.
    pub line: usize,
    pub continue_on_failure: bool,
    pub step: Box<dyn Step>,
    /// `… as NAME`: the name its results are kept under for later lines.
    pub result_name: Option<String>,
}

/// Text whose value may depend on the run: `"${site}/x/${file.stem}.txt"`.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    pub parts: Vec<Part>,
    pub span: Span,
}

/// A piece of a template.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    Text(String),
    /// `env("NAME")`: read when the statement runs; never printed.
    Env {
        name: String,
        span: Span,
    },
    /// A field of a loop variable, e.g. `file.stem`.
    Loop {
        variable: String,
        field: FileField,
        span: Span,
    },
    /// A `foreach` record: its XML (`with order`), or the string value of an XPath
    /// relative to it (`${order `Id`}`).
    Record {
        variable: String,
        field: Option<Box<RecordXPath>>,
        span: Span,
    },
    /// A result of a named statement: `${orders.imported}`.
    Result {
        variable: String,
        field: &'static str,
        span: Span,
    },
}

/// A compiled XPath read from a record; equal when written the same.
#[derive(Debug, Clone)]
pub struct RecordXPath(pub crate::xpath::XPath);

impl PartialEq for RecordXPath {
    fn eq(&self, other: &RecordXPath) -> bool {
        self.0.source() == other.0.source()
    }
}

impl Template {
    /// A template of fixed text.
    #[must_use]
    pub fn text(text: impl Into<String>, span: Span) -> Template {
        Template {
            parts: vec![Part::Text(text.into())],
            span,
        }
    }

    /// The text, when it does not depend on the run.
    #[must_use]
    pub fn constant(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                _ => return None,
            }
        }
        Some(out)
    }

    /// Whether this is exactly one `foreach` record (`with order`): its XML.
    #[must_use]
    pub fn is_record(&self) -> bool {
        matches!(self.parts.as_slice(), [Part::Record { field: None, .. }])
    }

    /// Whether this is exactly one result of a named statement (a number).
    #[must_use]
    pub fn is_result(&self) -> bool {
        matches!(self.parts.as_slice(), [Part::Result { .. }])
    }

    /// Whether this is exactly one loop variable (`with file`).
    #[must_use]
    pub fn is_loop_file(&self) -> bool {
        matches!(
            self.parts.as_slice(),
            [Part::Loop {
                field: FileField::Path,
                ..
            }]
        )
    }
}

/// The fields of a `foreach` file (Zynk's `Context.Current` keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileField {
    /// `file` or `file.path`: the full path (FullName).
    Path,
    /// `file.name`: the file name with extension.
    Name,
    /// `file.stem`: the name without extension (NameWithoutExtension).
    Stem,
    /// `file.ext`: the extension with its dot, e.g. `.xml`.
    Ext,
    /// `file.dir`: the folder holding the file (DirectoryName).
    Dir,
    /// `file.size`: the size in bytes (Length).
    Size,
    /// `file.modified`: the last write time, ISO 8601 (LastWriteTime).
    Modified,
}

impl FileField {
    /// Every field with its name.
    pub const ALL: &'static [(&'static str, FileField)] = &[
        ("path", FileField::Path),
        ("name", FileField::Name),
        ("stem", FileField::Stem),
        ("ext", FileField::Ext),
        ("dir", FileField::Dir),
        ("size", FileField::Size),
        ("modified", FileField::Modified),
    ];

    /// What the field holds, for hover and completion in editors.
    #[must_use]
    pub fn doc(self) -> &'static str {
        match self {
            FileField::Path => "the file's full path (`file` alone gives it too)",
            FileField::Name => "the file name with its extension, e.g. `orders_1.xml`",
            FileField::Stem => "the file name without its extension, e.g. `orders_1`",
            FileField::Ext => "the extension with its dot, e.g. `.xml`",
            FileField::Dir => "the folder that holds the file",
            FileField::Size => "the file's size in bytes",
            FileField::Modified => "when the file was last written, ISO 8601 in whole seconds",
        }
    }

    #[must_use]
    pub fn from_name(name: &str) -> Option<FileField> {
        FileField::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
    }
}
