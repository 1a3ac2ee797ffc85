//! The statement registry as a value: the statements a script may use, found by their
//! leading words. The parser and the checker are given one (as vrl's `compile(source, fns)`),
//! so neither reads a global list; [`Registry::standard`] holds every statement of the language.
use super::Task;

/// The most words any statement's head has, so a lookup needs no allocation.
const MAX_HEAD: usize = 4;

/// A set of statements, in the order the docs list them.
pub struct Registry {
    tasks: &'static [&'static dyn Task],
}

static STANDARD: Registry = Registry { tasks: super::ALL };

impl Registry {
    /// A registry of these statements.
    #[must_use]
    pub const fn new(tasks: &'static [&'static dyn Task]) -> Registry {
        Registry { tasks }
    }

    /// Every statement of the language.
    #[must_use]
    pub fn standard() -> &'static Registry {
        &STANDARD
    }

    /// The statements, in the order the docs list them.
    pub fn tasks(&self) -> impl Iterator<Item = &'static dyn Task> + '_ {
        self.tasks.iter().copied()
    }

    /// The statement a line's leading words name: the longest head that matches.
    pub fn find<'w>(&self, words: impl IntoIterator<Item = &'w str>) -> Option<&'static dyn Task> {
        let mut leading = [""; MAX_HEAD];
        let mut count = 0;
        for (slot, word) in leading.iter_mut().zip(words) {
            *slot = word;
            count += 1;
        }
        let leading = &leading[..count];
        self.tasks()
            .filter(|t| {
                let head = t.head();
                head.len() <= leading.len() && head.iter().zip(leading).all(|(h, w)| h == w)
            })
            .max_by_key(|t| t.head().len())
    }

    /// The statement of this name (`import sales orders`).
    #[must_use]
    pub fn named(&self, name: &str) -> Option<&'static dyn Task> {
        self.tasks().find(|t| t.name() == name)
    }

    /// Whether a word starts some statement or declaration (to tell a new statement from a
    /// continuation line of options).
    #[must_use]
    pub fn is_statement_head(&self, word: &str) -> bool {
        matches!(word, "workflow" | "param" | "let")
            || self.tasks().any(|task| task.head().first() == Some(&word))
    }

    /// Every statement's name, for suggestions.
    #[must_use]
    pub fn names(&self) -> Vec<String> {
        self.tasks().map(|t| t.name()).collect()
    }
}

impl crate::syntax::Statements for Registry {
    fn is_statement_head(&self, word: &str) -> bool {
        Registry::is_statement_head(self, word)
    }

    fn is_phrase(&self, words: &str) -> bool {
        self.tasks().any(|task| {
            task.name() == words || task.params().iter().any(|p| p.keyword == Some(words))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_longest_head_wins() {
        let registry = Registry::standard();
        let found = registry.find(["import", "sales", "orders", "from"]);
        assert_eq!(
            found.map(|t| t.name()),
            Some("import sales orders".to_string())
        );
        assert_eq!(
            registry.find(["copy", "a"]).map(|t| t.name()),
            Some("copy".to_string())
        );
        assert!(registry.find(["import"]).is_none());
        assert!(registry.find([]).is_none());
    }

    #[test]
    fn no_head_is_longer_than_a_lookup_reads() {
        assert!(
            Registry::standard()
                .tasks()
                .all(|t| t.head().len() <= MAX_HEAD)
        );
    }

    #[test]
    fn a_script_is_parsed_and_checked_against_the_registry_it_is_given() {
        let source = crate::source::SourceFile::from_text(
            "s.zynk",
            "workflow \"w\"\ncopy \"a.xml\" to \"b.xml\"\n",
        );
        assert!(crate::check::compile(&source, Registry::standard(), &[]).is_ok());
        let fetch_only = Registry::new(&super::super::ALL[..1]);
        assert_eq!(fetch_only.names(), ["fetch"]);
        let Err(problems) = crate::check::compile(&source, &fetch_only, &[]) else {
            panic!("`copy` is not in the registry, so the script must not check");
        };
        let text = format!("{problems:?}");
        assert!(text.contains("copy"), "{text}");
    }

    #[test]
    fn an_empty_registry_knows_only_declarations() {
        let empty = Registry::new(&[]);
        assert!(empty.is_statement_head("let"));
        assert!(!empty.is_statement_head("copy"));
        assert!(empty.find(["copy"]).is_none());
    }
}
