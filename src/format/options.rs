//! A statement's arguments grouped the way the checker binds them, to put its options in
//! the order of the statement reference.
use std::ops::Range;

use crate::syntax::ast::Arg;
use crate::tasks::{Kind, Param, Task};

/// Consecutive arguments that bind to one parameter: a keyword with its values, or one
/// positional value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Unit {
    /// The index of the parameter in the task's `params()`.
    pub param: usize,
    pub positional: bool,
    pub args: Range<usize>,
}

/// The task a statement names (the longest head that matches), with its head length.
#[must_use]
pub(crate) fn task_of(args: &[Arg]) -> Option<&'static dyn Task> {
    let words = args.iter().map_while(|a| match a {
        Arg::Word(w) => Some(w.value.as_str()),
        _ => None,
    });
    crate::tasks::Registry::standard().find(words)
}

/// Groups `rest` (the arguments after the head) into units, or `None` when some argument
/// does not bind cleanly: then the statement is kept in the order it was written.
#[must_use]
pub(crate) fn units(params: &[Param], rest: &[Arg]) -> Option<Vec<Unit>> {
    let positional: Vec<usize> = (0..params.len())
        .filter(|&i| params[i].keyword.is_none())
        .collect();
    let keywords: Vec<&str> = params.iter().filter_map(|p| p.keyword).collect();
    let mut out = Vec::new();
    let mut next_positional = 0;
    let mut i = 0;
    while i < rest.len() {
        if let Some((index, words)) = match_keyword(params, &rest[i..]) {
            let param = &params[index];
            let after = &rest[i + words..];
            let takes = |arg: Option<&Arg>| takes_value(param, &keywords, arg);
            let values = match param.kind {
                Kind::Flag => 0,
                Kind::Pair if takes(after.first()) && takes(after.get(1)) => 2,
                Kind::CountUnit(units)
                    if takes(after.first())
                        && matches!(after.get(1), Some(Arg::Word(w)) if units.contains(&w.value.as_str())) =>
                {
                    2
                }
                Kind::Pair | Kind::CountUnit(_) => return None,
                _ if takes(after.first()) => 1,
                _ => return None,
            };
            out.push(Unit {
                param: index,
                positional: false,
                args: i..i + words + values,
            });
            i += words + values;
            continue;
        }
        let arg = &rest[i];
        while let Some(&p) = positional.get(next_positional) {
            let param = &params[p];
            match (param.kind, arg) {
                (Kind::Choice(words), Arg::Word(w))
                    if !param.required
                        && !words.iter().any(|c| c.eq_ignore_ascii_case(&w.value)) =>
                {
                    next_positional += 1;
                }
                (Kind::Choice(_), Arg::Value(_)) if !param.required => next_positional += 1,
                _ => break,
            }
        }
        let &p = positional.get(next_positional)?;
        next_positional += 1;
        out.push(Unit {
            param: p,
            positional: true,
            args: i..i + 1,
        });
        i += 1;
    }
    Some(out)
}

/// Whether `arg` is the value of `param` (and not the next keyword).
fn takes_value(param: &Param, keywords: &[&str], arg: Option<&Arg>) -> bool {
    match arg {
        Some(Arg::Value(_)) => true,
        Some(Arg::Word(w)) => {
            matches!(param.kind, Kind::Choice(words) if words.contains(&w.value.as_str()))
                || !keywords
                    .iter()
                    .any(|k| k.split(' ').next() == Some(&w.value))
        }
        None => false,
    }
}

/// The param whose (possibly multi-word) keyword starts at `args[0]`, and its word count.
fn match_keyword(params: &[Param], args: &[Arg]) -> Option<(usize, usize)> {
    params
        .iter()
        .enumerate()
        .filter_map(|(index, p)| {
            let words: Vec<&str> = p.keyword?.split(' ').collect();
            let matched = words
                .iter()
                .enumerate()
                .all(|(i, kw)| matches!(args.get(i), Some(Arg::Word(w)) if w.value == *kw));
            matched.then_some((index, words.len()))
        })
        .max_by_key(|(_, n)| *n)
}

/// Splits `as NAME` off the end of a statement's arguments.
#[must_use]
pub(crate) fn split_result_name(rest: &[Arg]) -> (&[Arg], &[Arg]) {
    match rest {
        [.., Arg::Word(a), Arg::Word(_)] if a.value == "as" => rest.split_at(rest.len() - 2),
        _ => (rest, &[]),
    }
}
