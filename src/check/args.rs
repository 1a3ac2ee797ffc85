//! Binding a statement's words and values to its task's parameters.
use std::time::Duration;

use super::program::Template;
use super::scope::{Const, Resolved};
use super::{CheckError, Checker};
use crate::source::{Span, Spanned};
use crate::suggest;
use crate::syntax::ast::{Arg, Block, Expr};
use crate::tasks::{Kind, Param, Task};

/// A checked argument value.
#[derive(Debug, Clone)]
pub enum Bound {
    Text(Template),
    Count(u64),
    Duration(Duration),
    Bool(bool),
    XPath {
        xpath: crate::xpath::XPath,
        text_span: Span,
    },
    Choice(&'static str),
    Flag,
    Pair(Template, Template),
    Binding(Spanned<String>),
    CountUnit(u64, &'static str),
}

/// One bound argument.
#[derive(Debug, Clone)]
pub struct BoundArg {
    pub name: &'static str,
    pub value: Bound,
    /// The value's span (the keyword's for flags).
    pub span: Span,
}

/// A statement's arguments, bound and checked, for its task to compile.
#[derive(Debug)]
pub struct Args {
    /// The statement name as written.
    pub statement: String,
    /// The statement's head words.
    pub head_span: Span,
    pub span: Span,
    pub values: Vec<BoundArg>,
    pub block: Option<Block>,
    /// The `else` block, for `if`.
    pub otherwise: Option<Block>,
    /// The unbound arguments after the head, for statements that read them themselves (`if`).
    pub raw: Vec<Arg>,
    /// Params that were given, even if their value was rejected (no cascading errors).
    pub given: Vec<&'static str>,
}

impl Args {
    fn get(&self, name: &str) -> Option<&BoundArg> {
        self.values.iter().find(|a| a.name == name)
    }

    /// The span of an argument, or of the statement head when it was not given.
    #[must_use]
    pub fn span_of(&self, name: &str) -> Span {
        self.get(name).map_or(self.head_span, |a| a.span)
    }

    #[must_use]
    pub fn has(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    #[must_use]
    pub fn text(&self, name: &str) -> Option<Template> {
        match &self.get(name)?.value {
            Bound::Text(t) => Some(t.clone()),
            _ => None,
        }
    }

    #[must_use]
    pub fn count(&self, name: &str) -> Option<u64> {
        match self.get(name)?.value {
            Bound::Count(n) => Some(n),
            _ => None,
        }
    }

    #[must_use]
    pub fn duration(&self, name: &str) -> Option<Duration> {
        match self.get(name)?.value {
            Bound::Duration(d) => Some(d),
            _ => None,
        }
    }

    #[must_use]
    pub fn bool(&self, name: &str) -> Option<bool> {
        match self.get(name)?.value {
            Bound::Bool(b) => Some(b),
            Bound::Flag => Some(true),
            _ => None,
        }
    }

    #[must_use]
    pub fn flag(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    #[must_use]
    pub fn choice(&self, name: &str) -> Option<&'static str> {
        match self.get(name)?.value {
            Bound::Choice(c) => Some(c),
            _ => None,
        }
    }

    #[must_use]
    pub fn xpath(&self, name: &str) -> Option<(crate::xpath::XPath, Span)> {
        match &self.get(name)?.value {
            Bound::XPath { xpath, text_span } => Some((xpath.clone(), *text_span)),
            _ => None,
        }
    }

    #[must_use]
    pub fn binding(&self, name: &str) -> Option<Spanned<String>> {
        match &self.get(name)?.value {
            Bound::Binding(b) => Some(b.clone()),
            _ => None,
        }
    }

    #[must_use]
    pub fn count_unit(&self, name: &str) -> Option<(u64, &'static str)> {
        match self.get(name)?.value {
            Bound::CountUnit(n, unit) => Some((n, unit)),
            _ => None,
        }
    }

    /// Every value of a repeatable pair option.
    #[must_use]
    pub fn pairs(&self, name: &str) -> Vec<(Template, Template)> {
        self.values
            .iter()
            .filter(|a| a.name == name)
            .filter_map(|a| match &a.value {
                Bound::Pair(k, v) => Some((k.clone(), v.clone())),
                _ => None,
            })
            .collect()
    }
}

impl Checker<'_> {
    /// Binds `args` (the statement's items after its head words) to `task`'s params.
    pub(super) fn bind(&mut self, task: &dyn Task, args: &[Arg], out: &mut Args) {
        let params = task.params();
        let positional: Vec<&Param> = params.iter().filter(|p| p.keyword.is_none()).collect();
        let keywords: Vec<&'static str> = params.iter().filter_map(|p| p.keyword).collect();
        let statement = task.name();
        let mut next_positional = 0;
        let mut i = 0;
        while i < args.len() {
            if let Some((param, words)) = match_keyword(params, &args[i..]) {
                let keyword_span = args[i].span().join(args[i + words - 1].span());
                out.given.push(param.name);
                i += words;
                let consumed = self.bind_keyword(param, keyword_span, &args[i..], &keywords, out);
                i += consumed;
                continue;
            }
            let arg = &args[i];
            let at = i;
            // Optional positional choices that do not match are skipped, unless the word
            // is no variable and is most likely a misspelt choice (`log warn "…"`).
            while let Some(p) = positional.get(next_positional) {
                match (p.kind, arg) {
                    (Kind::Choice(words), Arg::Word(w))
                        if !p.required && !choice_matches(words, &w.value) =>
                    {
                        let more_positional = positional.len() > next_positional + 1;
                        if self.misspelt_choice(p, words, w, more_positional, args.get(i + 1)) {
                            out.given.push(p.name);
                            next_positional += 1;
                            i += 1;
                            break;
                        }
                        next_positional += 1;
                    }
                    (Kind::Choice(_), Arg::Value(_)) if !p.required => next_positional += 1,
                    _ => break,
                }
            }
            if i != at {
                continue;
            }
            if let Some(param) = positional.get(next_positional) {
                next_positional += 1;
                out.given.push(param.name);
                if self.missing_name_before(task, param, &args[i..], out) {
                    i += 1;
                    continue;
                }
                if let Some(value) = self.bind_value(param, arg) {
                    self.push_bound(out, param, value, arg.span());
                }
                i += 1;
                continue;
            }
            match arg {
                Arg::Word(w) => {
                    // `by xpth`: the first word of a multi-word option and the misspelt
                    // words after it are one unknown option, named whole.
                    let starts_option = |word: &str| {
                        accepted_words(params)
                            .iter()
                            .any(|a| a.split(' ').next() == Some(word))
                    };
                    let rest = args[i + 1..]
                        .iter()
                        .take(phrase_words(params, &w.value))
                        .map_while(|a| match a {
                            Arg::Word(next) if !starts_option(&next.value) => Some(next),
                            _ => None,
                        });
                    let (word, word_span, taken) =
                        rest.fold((w.value.clone(), w.span, 0), |(text, span, n), next| {
                            (
                                format!("{text} {}", next.value),
                                span.join(next.span),
                                n + 1,
                            )
                        });
                    let touches_string = i > 0
                        && matches!(&args[i - 1], Arg::Value(Expr::String(s)) if s.span.end == w.span.start);
                    let help = if touches_string {
                        "this word touches the closing quote of the string before it: is a `\"` missing earlier on the line?".to_string()
                    } else if let Some(owner) = choice_owner(params, &w.value) {
                        format!(
                            "`{}` is a value of `{owner}`: write `{owner} {}`",
                            w.value, w.value
                        )
                    } else if let Some(guess) = suggest::closest(&word, accepted_words(params)) {
                        // A misspelt required option: the missing option is this mistake.
                        let required = params
                            .iter()
                            .find(|p| p.required && p.keyword == Some(guess.as_str()));
                        match required {
                            Some(param) if !out.given.contains(&param.name) => {
                                out.given.push(param.name);
                                format!(
                                    "did you mean `{guess}`? `{statement}` needs `{}`",
                                    param.usage()
                                )
                            }
                            _ => format!("did you mean `{guess}`?"),
                        }
                    } else {
                        let choices: Vec<String> = positional
                            .iter()
                            .filter_map(|p| match p.kind {
                                Kind::Choice(words) => Some(format!(
                                    "a {} ({})",
                                    p.name,
                                    words
                                        .iter()
                                        .map(|w| format!("`{w}`"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )),
                                _ => None,
                            })
                            .collect();
                        let options = if w.value == "or" {
                            "write `or continue` at the end of a statement whose failure the run carries on past".to_string()
                        } else if keywords.is_empty() {
                            format!("`{statement}` takes no options")
                        } else {
                            suggest::did_you_mean(
                                &w.value,
                                keywords.iter().copied(),
                                &format!("the options of `{statement}` are"),
                            )
                        };
                        if choices.is_empty() {
                            options
                        } else {
                            format!(
                                "`{statement}` takes {} here; {options}",
                                choices.join(" or ")
                            )
                        }
                    };
                    self.error(CheckError::UnknownOption {
                        statement: statement.clone(),
                        option: word,
                        span: word_span.into(),
                        help,
                    });
                    i += 1 + taken;
                    // Skip the value that probably belongs to the unknown option: values, or
                    // one word that is none of the statement's (`true`, a variable).
                    if let Some(Arg::Word(next)) = args.get(i) {
                        let accepted = accepted_words(params);
                        if !accepted
                            .iter()
                            .any(|a| a.split(' ').next() == Some(next.value.as_str()))
                        {
                            i += 1;
                        }
                    }
                    while matches!(args.get(i), Some(Arg::Value(_))) {
                        i += 1;
                    }
                }
                Arg::Value(v) => {
                    if self.missing_keyword_before(task, v, &args[i + 1..], out) {
                        i += 1;
                        continue;
                    }
                    let options: Vec<String> = keywords.iter().map(|k| format!("`{k}`")).collect();
                    self.error(CheckError::UnexpectedValue {
                        statement: statement.clone(),
                        span: v.span().into(),
                        help: if options.is_empty() {
                            format!(
                                "`{statement}` takes no more values here; write it as `{}`",
                                task.example().lines().next().unwrap_or_default()
                            )
                        } else {
                            format!(
                                "`{statement}` takes no more values here; its options are {}",
                                options.join(", ")
                            )
                        },
                    });
                    i += 1;
                }
            }
        }
        for param in params.iter().filter(|p| p.required) {
            if !out.has(param.name) && !out.given.contains(&param.name) {
                self.error(CheckError::MissingArgument {
                    statement: statement.clone(),
                    usage: param.usage(),
                    span: out.head_span.into(),
                    help: format!("{}; for example:\n    {}", param.doc, task.example()),
                });
            }
        }
    }

    /// `foreach "In" { … }`: a value where a new variable's name goes, with the keyword
    /// that should follow the name missing from the line, is one mistake (the name and the
    /// keyword left out), reported once; `true` when it was.
    fn missing_name_before(
        &mut self,
        task: &dyn Task,
        param: &Param,
        rest: &[Arg],
        out: &mut Args,
    ) -> bool {
        let (Kind::Binding, Some(Arg::Value(value))) = (param.kind, rest.first()) else {
            return false;
        };
        let Some(next) = task
            .params()
            .iter()
            .find(|p| p.required && p.keyword.is_some())
        else {
            return false;
        };
        let keyword = next.keyword.unwrap_or(next.name);
        let first_word = keyword.split(' ').next();
        if rest
            .iter()
            .any(|a| matches!(a, Arg::Word(w) if Some(w.value.as_str()) == first_word))
        {
            return false;
        }
        let statement = task.name();
        let written = self.written(value.span());
        out.given.push(next.name);
        self.error(CheckError::MissingArgument {
            statement: statement.clone(),
            usage: format!("NAME {keyword}"),
            span: value.span().into(),
            help: format!(
                "name what each step of the loop holds, then `{keyword}` before {written}: `{statement} file {keyword} {written} {{ … }}`"
            ),
        });
        true
    }

    /// The script's text at `span`, as the user wrote it.
    fn written(&self, span: Span) -> String {
        self.source
            .text
            .get(span.start..span.end)
            .unwrap_or("…")
            .to_string()
    }

    /// `foreach file "In" { … }`, `copy "a.xml" "b.xml"`: a value where an option name
    /// belongs, while a required option is missing and not written later on the line, is
    /// that option's value without its name: one mistake, reported once; `true` when it was.
    fn missing_keyword_before(
        &mut self,
        task: &dyn Task,
        value: &Expr,
        rest: &[Arg],
        out: &mut Args,
    ) -> bool {
        let written_later = |keyword: &str| {
            let first = keyword.split(' ').next();
            rest.iter()
                .any(|a| matches!(a, Arg::Word(w) if Some(w.value.as_str()) == first))
        };
        let Some(param) = task.params().iter().find(|p| {
            p.required
                && p.keyword.is_some_and(|k| !written_later(k))
                && !out.has(p.name)
                && !out.given.contains(&p.name)
        }) else {
            return false;
        };
        let keyword = param.keyword.unwrap_or(param.name);
        let statement = task.name();
        let written = self.written(value.span());
        out.given.push(param.name);
        self.error(CheckError::MissingArgument {
            statement,
            usage: param.usage(),
            span: value.span().into(),
            help: format!("write `{keyword}` before {written}: `{keyword} {written}`"),
        });
        true
    }

    /// Reports `word`, met where the optional choice `param` may stand, as a misspelt
    /// choice when it is no variable and either resembles a choice, or nothing else could
    /// take it (no positional value follows `param`, or a value follows the word).
    fn misspelt_choice(
        &mut self,
        param: &Param,
        words: &[&'static str],
        word: &Spanned<String>,
        more_positional: bool,
        next: Option<&Arg>,
    ) -> bool {
        let name = word.value.split('.').next().unwrap_or_default();
        if self.has_var(name) || matches!(name, "true" | "false") {
            return false;
        }
        // With no positional value after the choice, the word is reported below as an
        // unknown option, which names the choices too.
        if !more_positional {
            return false;
        }
        let guess = suggest::closest(&word.value, words.iter().copied());
        if guess.is_none() && !matches!(next, Some(Arg::Value(_))) {
            return false;
        }
        let list = words
            .iter()
            .map(|w| format!("`{w}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let help = match guess {
            Some(g) => format!("did you mean `{g}`? The {} is one of {list}", param.name),
            None => format!("the {} is one of {list}", param.name),
        };
        self.error(CheckError::NotAChoice {
            message: format!("`{}` is not a valid {}", word.value, param.name),
            span: word.span.into(),
            label: format!("expected {}", words.join(", ")),
            help,
        });
        true
    }

    /// Binds the value(s) after a keyword; returns how many items it used.
    fn bind_keyword(
        &mut self,
        param: &Param,
        keyword_span: Span,
        rest: &[Arg],
        keywords: &[&'static str],
        out: &mut Args,
    ) -> usize {
        let takes_value = |arg: Option<&Arg>| match arg {
            Some(Arg::Value(_)) => true,
            // A word the option accepts is its value even when it is also a keyword
            // (`duplicates fail` beside `fail FILE`).
            Some(Arg::Word(w)) => {
                matches!(param.kind, Kind::Choice(words) if words.contains(&w.value.as_str()))
                    || !keywords
                        .iter()
                        .any(|k| k.split(' ').next() == Some(&w.value))
            }
            None => false,
        };
        let missing = |this: &mut Self, expected: String| {
            this.error(CheckError::MissingValue {
                option: param.keyword.unwrap_or(param.name).to_string(),
                span: keyword_span.into(),
                expected: expected.clone(),
                help: format!("write `{}`", param.usage()),
            });
        };
        match param.kind {
            Kind::Flag => {
                self.push_bound(out, param, Bound::Flag, keyword_span);
                0
            }
            Kind::Pair => {
                if !(takes_value(rest.first()) && takes_value(rest.get(1))) {
                    missing(self, "a name and a value".into());
                    return rest
                        .iter()
                        .take(2)
                        .take_while(|a| takes_value(Some(a)))
                        .count();
                }
                let key = self.text_of(param, &rest[0]);
                let value = self.text_of(param, &rest[1]);
                if let (Some(k), Some(v)) = (key, value) {
                    let span = rest[0].span().join(rest[1].span());
                    self.push_bound(out, param, Bound::Pair(k, v), span);
                }
                2
            }
            Kind::CountUnit(units) => {
                if !takes_value(rest.first()) {
                    missing(self, format!("a number and {}", units.join(" or ")));
                    return 0;
                }
                let count = self.bind_value(
                    &Param {
                        kind: Kind::Count,
                        ..*param
                    },
                    &rest[0],
                );
                let unit = match rest.get(1) {
                    Some(Arg::Word(w)) => units.iter().find(|u| **u == w.value).copied(),
                    _ => None,
                };
                let Some(unit) = unit else {
                    match rest.get(1) {
                        Some(Arg::Word(w)) => self.error(CheckError::NotAChoice {
                            message: format!("`{}` is not a unit of `{}`", w.value, param.name),
                            span: w.span.into(),
                            label: format!("expected {}", units.join(" or ")),
                            help: suggest::did_you_mean(
                                &w.value,
                                units.iter().copied(),
                                "the units are",
                            ),
                        }),
                        _ => self.error(CheckError::MissingValue {
                            option: param.name.to_string(),
                            span: rest[0].span().into(),
                            expected: units.join(" or "),
                            help: format!("write `{}`", param.usage()),
                        }),
                    }
                    return 1 + usize::from(matches!(rest.get(1), Some(Arg::Word(_))));
                };
                if let Some(Bound::Count(n)) = count {
                    let span = rest[0].span().join(rest[1].span());
                    self.push_bound(out, param, Bound::CountUnit(n, unit), span);
                }
                2
            }
            _ => {
                if !takes_value(rest.first()) {
                    missing(self, describe_kind(param.kind));
                    return 0;
                }
                if let Some(value) = self.bind_value(param, &rest[0]) {
                    self.push_bound(out, param, value, rest[0].span());
                }
                1
            }
        }
    }

    fn push_bound(&mut self, out: &mut Args, param: &Param, value: Bound, span: Span) {
        if !param.repeat
            && let Some(first) = out.get(param.name)
        {
            self.error(CheckError::DuplicateOption {
                option: param.keyword.unwrap_or(param.name).to_string(),
                span: span.into(),
                first_span: first.span.into(),
            });
            return;
        }
        out.values.push(BoundArg {
            name: param.name,
            value,
            span,
        });
    }

    fn text_of(&mut self, param: &Param, arg: &Arg) -> Option<Template> {
        match self.bind_value(
            &Param {
                kind: Kind::Text,
                ..*param
            },
            arg,
        )? {
            Bound::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Checks one value against the parameter's kind.
    fn bind_value(&mut self, param: &Param, arg: &Arg) -> Option<Bound> {
        let option = param.keyword.unwrap_or(param.name);
        match param.kind {
            Kind::Binding => match arg {
                Arg::Word(w) if !w.value.contains('.') => Some(Bound::Binding(w.clone())),
                _ => {
                    self.error(CheckError::WrongType {
                        option: option.to_string(),
                        expected: "a new variable name".into(),
                        found: describe_arg(arg),
                        span: arg.span().into(),
                        help: "write a plain name, e.g. `foreach file in \"Stock Export\" { … }`"
                            .into(),
                    });
                    None
                }
            },
            Kind::Choice(words) => {
                let word = match arg {
                    Arg::Word(w) => Some(w.value.clone()),
                    Arg::Value(Expr::String(s)) => match s.parts.as_slice() {
                        [crate::syntax::ast::StrPart::Text(t)] => Some(t.clone()),
                        _ => None,
                    },
                    Arg::Value(_) => None,
                };
                match word.as_deref().and_then(|w| find_choice(words, w)) {
                    Some(choice) => Some(Bound::Choice(choice)),
                    None => {
                        let help = match &word {
                            Some(w) => {
                                suggest::did_you_mean(w, words.iter().copied(), "choose one of")
                            }
                            None => format!("choose one of {}", words.join(", ")),
                        };
                        self.error(CheckError::NotAChoice {
                            message: format!(
                                "`{}` is not a valid {}",
                                word.unwrap_or_else(|| describe_arg(arg)),
                                param.name
                            ),
                            span: arg.span().into(),
                            label: format!("expected {}", words.join(", ")),
                            help,
                        });
                        None
                    }
                }
            }
            _ => {
                let path;
                let expr = match arg {
                    Arg::Value(v) => v,
                    Arg::Word(w) => {
                        path = Expr::Path(w.clone());
                        &path
                    }
                };
                let resolved = self.resolve(expr)?;
                self.convert(param, option, resolved, expr.span())
            }
        }
    }

    /// Converts a resolved value to what the parameter needs.
    fn convert(
        &mut self,
        param: &Param,
        option: &str,
        value: Resolved,
        span: Span,
    ) -> Option<Bound> {
        let wrong = |this: &mut Self, found: &str, help: String| {
            this.error(CheckError::WrongType {
                option: option.to_string(),
                expected: describe_kind(param.kind),
                found: found.to_string(),
                span: span.into(),
                help,
            });
            None
        };
        match (param.kind, value) {
            (Kind::Text | Kind::Path | Kind::Glob | Kind::List, Resolved::Template(t)) => {
                Some(Bound::Text(t))
            }
            (Kind::Text | Kind::Path | Kind::Glob | Kind::List, Resolved::Const(c)) => match c {
                Const::Text(t) => Some(Bound::Text(Template::text(t, span))),
                Const::Number(n) => Some(Bound::Text(Template::text(format_number(n), span))),
                Const::Bool(b) => Some(Bound::Text(Template::text(b.to_string(), span))),
                Const::Duration(_) => {
                    wrong(self, "a duration", "write the value as a string".into())
                }
                Const::XPath { .. } => wrong(
                    self,
                    "an XPath",
                    "backticks make an XPath; write text between double quotes".into(),
                ),
            },
            (Kind::Count, Resolved::Const(Const::Number(n))) => {
                if n >= 0.0 && n.fract() == 0.0 && n <= 1e15 {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    Some(Bound::Count(n as u64))
                } else {
                    wrong(
                        self,
                        "a fraction or negative number",
                        format!("write a whole number, e.g. `{option} 2`"),
                    )
                }
            }
            (Kind::Count, Resolved::Const(Const::Text(t))) => {
                let help = if t.trim().parse::<u64>().is_ok() {
                    format!("remove the quotes: `{option} {}`", t.trim())
                } else {
                    format!("write a whole number, e.g. `{option} 2`")
                };
                wrong(self, "a string", help)
            }
            (Kind::Duration, Resolved::Const(Const::Duration(d))) => Some(Bound::Duration(d)),
            (Kind::Duration, Resolved::Const(Const::Number(n))) => {
                let help = if n >= 1000.0 {
                    format!(
                        "durations carry a unit; Zynk's timeouts were in milliseconds, so {} would be `{}s`",
                        format_number(n),
                        format_number((n / 1000.0).round())
                    )
                } else {
                    format!(
                        "durations carry a unit: `{}s`, `2m`, `500ms`",
                        format_number(n)
                    )
                };
                wrong(self, "a number", help)
            }
            (Kind::Bool, Resolved::Const(Const::Bool(b))) => Some(Bound::Bool(b)),
            (Kind::XPath, Resolved::Const(Const::XPath { text, text_span })) => {
                match crate::xpath::compile(&text) {
                    Ok(xpath) => Some(Bound::XPath { xpath, text_span }),
                    Err(error) => {
                        self.error(CheckError::invalid_xpath(&error, text_span));
                        None
                    }
                }
            }
            (Kind::XPath, Resolved::Const(Const::Text(t))) => wrong(
                self,
                "a string",
                format!("write XPaths between backticks: `{t}`"),
            ),
            (_, Resolved::Template(_)) => {
                self.error(CheckError::NotConstant {
                    option: option.to_string(),
                    span: span.into(),
                });
                None
            }
            (kind, Resolved::Const(c)) => {
                let help = match kind {
                    Kind::Bool => format!("write `{option} true` or `{option} false`"),
                    Kind::Count => format!("write a whole number, e.g. `{option} 2`"),
                    Kind::Duration => format!("write a duration, e.g. `{option} 30s`"),
                    _ => format!("write `{}`", param.usage()),
                };
                wrong(self, c.describe(), help)
            }
        }
    }
}

/// Every word a statement accepts after its head: its option keywords and the words of
/// its choices (`export stock modified`).
/// The keyword of the option that takes `word` as one of its choices.
fn choice_owner(params: &[Param], word: &str) -> Option<&'static str> {
    params.iter().find_map(|p| match p.kind {
        Kind::Choice(choices) if choices.contains(&word) => p.keyword,
        _ => None,
    })
}

fn accepted_words(params: &[Param]) -> Vec<&'static str> {
    let mut words: Vec<&'static str> = params.iter().filter_map(|p| p.keyword).collect();
    for param in params {
        if let Kind::Choice(choices) = param.kind {
            words.extend(choices);
        }
    }
    words
}

/// How many words follow `word` in the longest of the params' multi-word keywords it
/// starts (1 for `by` of `by xpath`); 0 when a param takes it alone or none starts with it.
fn phrase_words(params: &[Param], word: &str) -> usize {
    let keywords = || params.iter().filter_map(|p| p.keyword);
    if keywords().any(|k| k == word) {
        return 0;
    }
    keywords()
        .filter(|k| k.split(' ').next() == Some(word))
        .map(|k| k.split(' ').count() - 1)
        .max()
        .unwrap_or(0)
}

/// Finds the param whose (possibly multi-word) keyword starts at `args[0]`: the longest,
/// and of equally long ones the last.
fn match_keyword<'p>(params: &'p [Param], args: &[Arg]) -> Option<(&'p Param, usize)> {
    let Some(Arg::Word(first)) = args.first() else {
        return None;
    };
    let mut best: Option<(&'p Param, usize)> = None;
    for param in params {
        let Some(keyword) = param.keyword else {
            continue;
        };
        let starts = keyword
            .strip_prefix(first.value.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '));
        if !starts {
            continue;
        }
        let mut len = 0;
        let matched = keyword.split(' ').all(|kw| {
            len += 1;
            matches!(args.get(len - 1), Some(Arg::Word(w)) if w.value == kw)
        });
        if matched && best.is_none_or(|(_, longest)| len >= longest) {
            best = Some((param, len));
        }
    }
    best
}

fn choice_matches(words: &[&'static str], word: &str) -> bool {
    find_choice(words, word).is_some()
}

fn find_choice(words: &[&'static str], word: &str) -> Option<&'static str> {
    words.iter().find(|w| w.eq_ignore_ascii_case(word)).copied()
}

fn describe_arg(arg: &Arg) -> String {
    match arg {
        Arg::Word(_) => "a name".into(),
        Arg::Value(Expr::String(_)) => "a string".into(),
        Arg::Value(Expr::Number { .. }) => "a number".into(),
        Arg::Value(Expr::Duration { .. }) => "a duration".into(),
        Arg::Value(Expr::XPath { .. }) => "an XPath".into(),
        Arg::Value(Expr::Call { .. }) => "a function call".into(),
        Arg::Value(Expr::Path(_)) => "a variable".into(),
        Arg::Value(Expr::RecordField { .. }) => "a record field".into(),
    }
}

/// How a kind is described in messages.
pub(super) fn describe_kind(kind: Kind) -> String {
    match kind {
        Kind::Text | Kind::List => "text".into(),
        Kind::Path => "a file path".into(),
        Kind::Count => "a whole number".into(),
        Kind::Duration => "a duration".into(),
        Kind::Bool => "`true` or `false`".into(),
        Kind::XPath => "an XPath".into(),
        Kind::Glob => "a pattern".into(),
        Kind::Binding => "a variable name".into(),
        Kind::Choice(words) => format!("one of {}", words.join(", ")),
        Kind::Flag => "nothing".into(),
        Kind::Pair => "a name and a value".into(),
        Kind::CountUnit(units) => format!("a number and {}", units.join(" or ")),
    }
}

/// Formats a number the way it was most likely written: `3`, not `3.0`.
#[must_use]
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}
