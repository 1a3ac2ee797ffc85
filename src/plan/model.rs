//! What `zynk plan` prints: the statements a run would execute, each with its effects.
use serde::Serialize;

/// The plan of a whole script: what `zynk plan --format json` prints.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Plan {
    pub workflow: String,
    /// `<data>/<workflow>/`, where relative paths resolve.
    pub workdir: String,
    pub data_dir: String,
    pub statements: Vec<PlannedStatement>,
}

/// One statement as it would run, with its effects and the blocks it would run.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedStatement {
    pub line: usize,
    pub statement: String,
    /// Whether it runs only if a condition the plan cannot know holds.
    pub conditional: bool,
    pub effects: Vec<Effect>,
    /// The blocks it runs: one per `foreach` file or record, the branches of an `if`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<Block>,
}

/// A block a statement would run, once.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// What the block runs for: `file 1 of 2: Stock Export/a_1.xml`, `then`, `else`.
    pub label: String,
    pub conditional: bool,
    pub statements: Vec<PlannedStatement>,
}

/// What an effect does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// An HTTP request (`method`, `url`, `body`).
    Request,
    /// A file is read (`path`, `records`).
    Read,
    /// A file is written or replaced (`path`).
    Write,
    /// A file is deleted (`path`).
    Delete,
    /// A file is moved (`path` to `to`).
    Move,
    /// A folder is created if missing (`path`).
    CreateFolder,
    /// A folder is listed (`path`, `files`).
    List,
    /// Files are zipped into `path` and removed (`files`).
    Archive,
    /// Records are written into the ledger, or read from it (`path` is the ledger).
    Ledger,
    /// A condition is tested (`condition`, `holds`).
    Test,
    /// A message goes to the output and the run log.
    Log,
    /// The run ends here.
    Stop,
    /// The statement runs; it does not say more about its effects.
    Runs,
}

/// Whether a file the effect reads is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileState {
    /// It exists now and no earlier statement changes it.
    Present,
    /// It does not exist and no earlier statement writes it: the run would fail on it.
    Missing,
    /// An earlier statement (`depends_on`) writes it.
    Written,
    /// An earlier statement (`depends_on`) removes it.
    Removed,
    /// Its name is known only while running.
    Unknown,
}

/// One effect of a statement.
#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    pub action: Action,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The request's address, secrets redacted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The file, folder or ledger, relative to the working directory when inside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Where a moved file goes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// What a request sends: a file, `N bytes of text`, `N form values`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// How many records it processes, when that is known before the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub records: Option<u64>,
    /// The files an `archive` zips or a `list` finds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
    /// Whether the file read is there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<FileState>,
    /// The line of the earlier statement whose output this effect needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<usize>,
    /// A condition as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Whether the condition holds; absent when it can be known only while running.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holds: Option<bool>,
    /// What the effect does, in words: the import, the message, why a count is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Effect {
    /// An effect with nothing but its action set.
    #[must_use]
    pub fn new(action: Action) -> Effect {
        Effect {
            action,
            method: None,
            url: None,
            path: None,
            to: None,
            body: None,
            records: None,
            files: None,
            state: None,
            depends_on: None,
            condition: None,
            holds: None,
            detail: None,
        }
    }

    #[must_use]
    pub fn path(mut self, path: impl Into<String>) -> Effect {
        self.path = Some(path.into());
        self
    }

    #[must_use]
    pub fn detail(mut self, detail: impl Into<String>) -> Effect {
        self.detail = Some(detail.into());
        self
    }

    #[must_use]
    pub fn records(mut self, records: Option<u64>) -> Effect {
        self.records = records;
        self
    }

    #[must_use]
    pub fn depends_on(mut self, line: Option<usize>) -> Effect {
        self.depends_on = self.depends_on.or(line);
        self
    }
}
