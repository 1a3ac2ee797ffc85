//! The mistakes of a `map` block, each with its own code (`zynk::check::invalid_lookup`, …).
use crate::check::{CheckError, Checker};
use crate::source::Span;
pub(super) use crate::syntax::map_block::MapMistake as Mistake;
use crate::syntax::map_block::MapSyntaxError;

/// Reports a line that does not fit the grammar of a `map` block.
pub(super) fn report(cx: &mut Checker<'_>, error: &MapSyntaxError) {
    invalid(
        cx,
        error.mistake,
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
