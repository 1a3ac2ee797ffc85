//! The mistakes of a `map` block, each with its own code (`zynk::check::invalid_lookup`, …).
use crate::check::{CheckError, Checker};
use crate::source::Span;
use crate::syntax::map_block::{MapMistake, MapSyntaxError};

/// Which part of a `map` block a mistake is in; it picks the code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mistake {
    /// The block or a `for each` maps nothing, or holds a line it does not take.
    Mapping,
    /// A `for each` head, or a line at the top of the block that is no rule.
    Rule,
    /// A field line without `=`.
    Field,
    /// A field's `if` or a `when` that is not an XPath.
    FieldCondition,
    /// A `choose` block.
    Choose,
    /// A `lookup` line.
    Lookup,
    /// A `root` or `namespace` line.
    RootOrNamespace,
    /// A namespace prefix without its `namespace` line.
    UndeclaredPrefix,
    /// A bare word that is no param or `let`.
    UnknownName,
}

impl From<MapMistake> for Mistake {
    fn from(mistake: MapMistake) -> Mistake {
        match mistake {
            MapMistake::Mapping => Mistake::Mapping,
            MapMistake::Rule => Mistake::Rule,
            MapMistake::Field => Mistake::Field,
            MapMistake::FieldCondition => Mistake::FieldCondition,
            MapMistake::Choose => Mistake::Choose,
            MapMistake::Lookup => Mistake::Lookup,
            MapMistake::RootOrNamespace => Mistake::RootOrNamespace,
        }
    }
}

/// Reports a line that does not fit the grammar of a `map` block.
pub(super) fn report(cx: &mut Checker<'_>, error: &MapSyntaxError) {
    invalid(
        cx,
        error.mistake.into(),
        &error.message,
        error.span,
        &error.label,
        &error.help,
    );
}

/// Reports a mistake of a `map` block under its code.
pub(super) fn invalid(
    cx: &mut Checker<'_>,
    mistake: Mistake,
    message: &str,
    span: Span,
    label: &str,
    help: &str,
) {
    let (message, span, label, help) = (message.into(), span.into(), label.into(), help.into());
    cx.error(match mistake {
        Mistake::Mapping => CheckError::InvalidMapping {
            message,
            span,
            label,
            help,
        },
        Mistake::Rule => CheckError::InvalidRule {
            message,
            span,
            label,
            help,
        },
        Mistake::Field => CheckError::InvalidField {
            message,
            span,
            label,
            help,
        },
        Mistake::FieldCondition => CheckError::InvalidFieldCondition {
            message,
            span,
            label,
            help,
        },
        Mistake::Choose => CheckError::InvalidChoose {
            message,
            span,
            label,
            help,
        },
        Mistake::Lookup => CheckError::InvalidLookup {
            message,
            span,
            label,
            help,
        },
        Mistake::RootOrNamespace => CheckError::InvalidRootOrNamespace {
            message,
            span,
            label,
            help,
        },
        Mistake::UndeclaredPrefix => CheckError::UndeclaredPrefix {
            message,
            span,
            label,
            help,
        },
        Mistake::UnknownName => CheckError::UnknownName {
            message,
            span,
            label,
            help,
        },
    });
}
