//! Recursive-descent parser from tokens to the expression tree, with the subset's static checks.
//!
//! The grammar is XPath 1.0's, loosest binding first:
//! `or` < `and` < `= !=` < `< <= > >=` < `+ -` < `* div mod` < unary `-` < `|` < paths.
//! Operator names and `*` are operators only where an operand has just ended, which a
//! recursive-descent parser gets for free: they are looked for only after an operand.

use std::ops::Range;

use super::ast::{Axis, BinaryOp, Expr, ExprKind, NodeTest, Path, PathStart, Step};
use super::env::{Names, VarType};
use super::error::XPathError;
use super::function::{
    self, ArgKind, EXTENSION_HELP, EXTENSIONS, FUNCTIONS, LATER_VERSIONS, UNSUPPORTED,
};
use super::lexer::{Token, TokenKind};
use super::suggest::closest;

/// How deeply `( )`, `[ ]` and function arguments may nest.
const MAX_DEPTH: usize = 64;

/// Axes zynk evaluates, by name.
const SUPPORTED_AXES: &[(&str, Axis)] = &[
    ("ancestor", Axis::Ancestor),
    ("ancestor-or-self", Axis::AncestorOrSelf),
    ("attribute", Axis::Attribute),
    ("child", Axis::Child),
    ("descendant", Axis::Descendant),
    ("descendant-or-self", Axis::DescendantOrSelf),
    ("following", Axis::Following),
    ("following-sibling", Axis::FollowingSibling),
    ("parent", Axis::Parent),
    ("preceding", Axis::Preceding),
    ("preceding-sibling", Axis::PrecedingSibling),
    ("self", Axis::Itself),
];

/// XPath 1.0 axes that zynk rejects.
const UNSUPPORTED_AXES: &[&str] = &["namespace"];

/// Parses the tokens of `text` into one expression.
pub(crate) fn parse(text: &str, tokens: Vec<Token>, names: &Names) -> Result<Expr, XPathError> {
    let mut parser = Parser {
        tokens,
        pos: 0,
        end: text.len(),
        depth: 0,
        names,
    };
    if parser.tokens.is_empty() {
        return Err(XPathError::EmptyExpression {
            span: 0..text.len(),
        });
    }
    let expr = parser.expr()?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(parser.unexpected(token, "an operator or the end of the expression")),
    }
}

struct Parser<'n> {
    tokens: Vec<Token>,
    pos: usize,
    end: usize,
    depth: usize,
    names: &'n Names,
}

/// How tall an expression tree may grow (operators chained or nested).
const MAX_HEIGHT: usize = 128;

fn expr(kind: ExprKind, span: Range<usize>) -> Expr {
    Expr::new(kind, span)
}

/// Fails when `e` is taller than `MAX_HEIGHT`, pointing at `at`.
fn check_height(e: Expr, at: Range<usize>) -> Result<Expr, XPathError> {
    if e.height > MAX_HEIGHT {
        Err(XPathError::TooDeeplyNested { span: at })
    } else {
        Ok(e)
    }
}

fn join(a: &Range<usize>, b: &Range<usize>) -> Range<usize> {
    a.start..b.end
}

/// Whether an expression is known to yield a node-set; everything else is a scalar.
pub(crate) fn is_node_set(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Path(_) => true,
        ExprKind::Variable { kind, .. } => *kind == VarType::Nodes,
        ExprKind::Binary { op, .. } => *op == BinaryOp::Union,
        ExprKind::Call { function, .. } => *function == function::Function::Current,
        _ => false,
    }
}

/// What a scalar expression yields, for "expected a node-set, found …".
pub(crate) fn scalar_kind(e: &Expr) -> &'static str {
    match &e.kind {
        ExprKind::Literal(_) => "a string",
        ExprKind::Number(_) | ExprKind::Negate(_) => "a number",
        ExprKind::Variable { kind, .. } => kind.describe(),
        ExprKind::Binary { op, .. } => match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                "a number"
            }
            BinaryOp::Union => "a node-set",
            _ => "a boolean",
        },
        ExprKind::Call { function, .. } => {
            use function::Function as F;
            match function {
                F::Boolean
                | F::Contains
                | F::False
                | F::Lang
                | F::Not
                | F::StartsWith
                | F::True => "a boolean",
                F::Ceiling
                | F::Count
                | F::Floor
                | F::Last
                | F::Number
                | F::Position
                | F::Round
                | F::StringLength
                | F::Sum
                | F::SumOf => "a number",
                _ => "a string",
            }
        }
        ExprKind::Path(_) => "a node-set",
    }
}

/// What needs a node-set, for the help: `count(), sum(), …` in general.
const NODE_SET_HELP: &str = "count(), sum(), `|`, `/` and predicates after `( )` need a node-set, \
     i.e. a location path such as `//Product` or `@Id`";

/// `sum(price * qty)`: an expression computed per node, which `sum-of()` adds up.
const SUM_OF_HELP: &str = "`sum` adds up the nodes of one node-set; to add up an expression per node, \
     write `sum-of(NODES, EXPRESSION)`, e.g. `sum-of(items/item, qty * price)`";

fn require_node_set(e: &Expr) -> Result<(), XPathError> {
    require_node_set_for(e, NODE_SET_HELP)
}

fn require_node_set_for(e: &Expr, help: &str) -> Result<(), XPathError> {
    if is_node_set(e) {
        Ok(())
    } else {
        Err(XPathError::NotANodeSet {
            found: scalar_kind(e).to_owned(),
            help: help.to_owned(),
            span: e.span.clone(),
        })
    }
}

impl Parser<'_> {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.pos).cloned()
    }

    fn peek_kind(&self) -> Option<&TokenKind> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn peek_kind_at(&self, skip: usize) -> Option<&TokenKind> {
        self.tokens.get(self.pos + skip).map(|t| &t.kind)
    }

    fn bump(&mut self) -> Option<Token> {
        let token = self.peek();
        if token.is_some() {
            self.pos += 1;
        }
        token
    }

    fn eat(&mut self, kind: &TokenKind) -> Option<Token> {
        if self.peek_kind() == Some(kind) {
            self.bump()
        } else {
            None
        }
    }

    /// An empty span at the end of the expression text.
    fn end_span(&self) -> Range<usize> {
        self.end..self.end
    }

    fn unexpected(&self, token: Token, expected: &str) -> XPathError {
        let index = self
            .tokens
            .iter()
            .position(|t| t.span == token.span)
            .unwrap_or(self.pos);
        let previous = index.checked_sub(1).and_then(|p| self.tokens.get(p));
        let help = match (&token.kind, previous.map(|t| &t.kind)) {
            (TokenKind::Eq, Some(TokenKind::Eq)) => "XPath compares with a single `=`".to_owned(),
            (TokenKind::Pipe, Some(TokenKind::Pipe)) => {
                "XPath writes logical or as `or`; a single `|` joins two node-sets".to_owned()
            }
            (TokenKind::Number(_), Some(TokenKind::Slash)) => {
                "XPath divides with `div`, e.g. `Total div 2`; `/` separates location steps"
                    .to_owned()
            }
            (
                TokenKind::Name {
                    prefix: None,
                    local,
                },
                Some(TokenKind::Number(_)),
            ) if local.starts_with(['e', 'E']) => {
                "XPath 1.0 numbers have no exponent; write the digits out, e.g. 1500 for 1.5e3"
                    .to_owned()
            }
            (
                TokenKind::Name {
                    prefix: None,
                    local,
                },
                _,
            ) if matches!(local.as_str(), "AND" | "OR" | "And" | "Or" | "DIV" | "MOD") => {
                format!(
                    "XPath operator names are lower case: `{}`",
                    local.to_ascii_lowercase()
                )
            }
            (TokenKind::RBracket | TokenKind::RParen, _) => {
                format!("something is missing before this {}", token.kind.describe())
            }
            _ => format!("expected {expected} here"),
        };
        XPathError::UnexpectedToken {
            found: token.kind.describe(),
            expected: expected.to_owned(),
            span: token.span,
            help,
        }
    }

    fn unexpected_end(&self, expected: &str, help: &str) -> XPathError {
        let span = self
            .tokens
            .last()
            .map_or_else(|| self.end_span(), |t| t.span.clone());
        XPathError::UnexpectedEnd {
            expected: expected.to_owned(),
            span,
            help: help.to_owned(),
        }
    }

    fn expect(
        &mut self,
        kind: &TokenKind,
        expected: &str,
        help: &str,
    ) -> Result<Token, XPathError> {
        match self.peek() {
            Some(token) if &token.kind == kind => {
                self.pos += 1;
                Ok(token)
            }
            Some(token) => Err(self.unexpected(token, expected)),
            None => Err(self.unexpected_end(expected, help)),
        }
    }

    /// `Expr`, guarded against unbounded nesting.
    fn expr(&mut self) -> Result<Expr, XPathError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let span = self.peek().map_or_else(|| self.end_span(), |t| t.span);
            return Err(XPathError::TooDeeplyNested { span });
        }
        let result = self.or_expr();
        self.depth -= 1;
        result
    }

    fn binary_loop(
        &mut self,
        next: fn(&mut Self) -> Result<Expr, XPathError>,
        operator: fn(&TokenKind) -> Option<BinaryOp>,
    ) -> Result<Expr, XPathError> {
        let mut lhs = next(self)?;
        while let Some(op) = self.peek_kind().and_then(operator) {
            let op_span = self.peek().map_or_else(|| self.end_span(), |t| t.span);
            self.pos += 1;
            let rhs = next(self)?;
            let span = join(&lhs.span, &rhs.span);
            lhs = check_height(
                expr(
                    ExprKind::Binary {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                ),
                op_span,
            )?;
        }
        Ok(lhs)
    }

    fn or_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_loop(Self::and_expr, |k| operator_name(k, "or", BinaryOp::Or))
    }

    fn and_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_loop(Self::equality_expr, |k| {
            operator_name(k, "and", BinaryOp::And)
        })
    }

    fn equality_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_loop(Self::relational_expr, |k| match k {
            TokenKind::Eq => Some(BinaryOp::Eq),
            TokenKind::NotEq => Some(BinaryOp::NotEq),
            _ => None,
        })
    }

    fn relational_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_loop(Self::additive_expr, |k| match k {
            TokenKind::Lt => Some(BinaryOp::Lt),
            TokenKind::LtEq => Some(BinaryOp::LtEq),
            TokenKind::Gt => Some(BinaryOp::Gt),
            TokenKind::GtEq => Some(BinaryOp::GtEq),
            _ => None,
        })
    }

    fn additive_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_loop(Self::multiplicative_expr, |k| match k {
            TokenKind::Plus => Some(BinaryOp::Add),
            TokenKind::Minus => Some(BinaryOp::Sub),
            _ => None,
        })
    }

    fn multiplicative_expr(&mut self) -> Result<Expr, XPathError> {
        self.binary_loop(Self::unary_expr, |k| match k {
            TokenKind::Star => Some(BinaryOp::Mul),
            _ => operator_name(k, "div", BinaryOp::Div)
                .or_else(|| operator_name(k, "mod", BinaryOp::Mod)),
        })
    }

    fn unary_expr(&mut self) -> Result<Expr, XPathError> {
        let mut minuses = Vec::new();
        while let Some(token) = self.eat(&TokenKind::Minus) {
            minuses.push(token.span.start);
        }
        let mut operand = self.union_expr()?;
        while let Some(start) = minuses.pop() {
            let span = start..operand.span.end;
            operand = check_height(
                expr(ExprKind::Negate(Box::new(operand)), span),
                start..start + 1,
            )?;
        }
        Ok(operand)
    }

    fn union_expr(&mut self) -> Result<Expr, XPathError> {
        let mut lhs = self.path_expr()?;
        while let Some(pipe) = self.eat(&TokenKind::Pipe) {
            let rhs = self.path_expr()?;
            require_node_set(&lhs)?;
            require_node_set(&rhs)?;
            let span = join(&lhs.span, &rhs.span);
            lhs = check_height(
                expr(
                    ExprKind::Binary {
                        op: BinaryOp::Union,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                ),
                pipe.span,
            )?;
        }
        Ok(lhs)
    }

    /// Whether the next token starts a primary expression rather than a location path.
    fn at_primary(&self) -> bool {
        match self.peek_kind() {
            Some(
                TokenKind::LParen
                | TokenKind::Literal(_)
                | TokenKind::Number(_)
                | TokenKind::Dollar,
            ) => true,
            Some(TokenKind::Name { prefix, local }) => {
                self.peek_kind_at(1) == Some(&TokenKind::LParen)
                    && !(prefix.is_none() && is_node_type(local))
            }
            _ => false,
        }
    }

    fn path_expr(&mut self) -> Result<Expr, XPathError> {
        let Some(first) = self.peek() else {
            return Err(self.unexpected_end(
                "an expression",
                "complete the expression, e.g. with a path, a literal or a number",
            ));
        };
        if self.at_primary() {
            let primary = self.primary_expr()?;
            let mut predicates = Vec::new();
            while self.peek_kind() == Some(&TokenKind::LBracket) {
                require_node_set(&primary)?;
                predicates.push(self.predicate()?);
            }
            let has_steps = matches!(
                self.peek_kind(),
                Some(TokenKind::Slash | TokenKind::DoubleSlash)
            );
            if predicates.is_empty() && !has_steps {
                return Ok(primary);
            }
            require_node_set(&primary)?;
            let mut steps = Vec::new();
            let mut end = predicates.last().map_or(primary.span.end, |p| p.span.end);
            if has_steps {
                end = self.relative_steps_after_separator(&mut steps)?;
            }
            let span = primary.span.start..end;
            return Ok(expr(
                ExprKind::Path(Path {
                    start: PathStart::Filter {
                        primary: Box::new(primary),
                        predicates,
                    },
                    steps,
                }),
                span,
            ));
        }
        let starts_path =
            self.at_step_start() || matches!(first.kind, TokenKind::Slash | TokenKind::DoubleSlash);
        if !starts_path {
            return Err(self.unexpected(first, "an expression"));
        }
        self.location_path(first.span.start)
    }

    fn location_path(&mut self, start: usize) -> Result<Expr, XPathError> {
        let mut steps = Vec::new();
        let path_start;
        let end;
        match self.peek_kind() {
            Some(TokenKind::Slash) => {
                let slash = self.bump().map_or(start..start + 1, |t| t.span);
                path_start = PathStart::Root;
                end = if self.at_step_start() {
                    self.relative_path(&mut steps)?
                } else {
                    slash.end
                };
            }
            Some(TokenKind::DoubleSlash) => {
                path_start = PathStart::Root;
                end = self.relative_steps_after_separator(&mut steps)?;
            }
            _ => {
                path_start = PathStart::Context;
                end = self.relative_path(&mut steps)?;
            }
        }
        Ok(expr(
            ExprKind::Path(Path {
                start: path_start,
                steps,
            }),
            start..end,
        ))
    }

    fn at_step_start(&self) -> bool {
        matches!(
            self.peek_kind(),
            Some(
                TokenKind::Name { .. }
                    | TokenKind::PrefixStar(_)
                    | TokenKind::Star
                    | TokenKind::At
                    | TokenKind::Dot
                    | TokenKind::DotDot
            )
        )
    }

    /// After a `/` or `//` still to be consumed: the steps that follow. Returns the end offset.
    fn relative_steps_after_separator(
        &mut self,
        steps: &mut Vec<Step>,
    ) -> Result<usize, XPathError> {
        let Some(separator) = self.bump() else {
            return Ok(self.end);
        };
        if separator.kind == TokenKind::DoubleSlash {
            steps.push(descendant_or_self());
        }
        self.relative_path(steps)
    }

    /// `Step (('/' | '//') Step)*`, pushing onto `steps`. Returns the end offset.
    fn relative_path(&mut self, steps: &mut Vec<Step>) -> Result<usize, XPathError> {
        let mut end = self.step(steps)?;
        loop {
            match self.peek_kind() {
                Some(TokenKind::Slash) => {
                    self.pos += 1;
                }
                Some(TokenKind::DoubleSlash) => {
                    self.pos += 1;
                    steps.push(descendant_or_self());
                }
                _ => return Ok(end),
            }
            end = self.step(steps)?;
        }
    }

    /// One step, pushed onto `steps`. `//name` without predicates becomes `descendant::name`.
    fn step(&mut self, steps: &mut Vec<Step>) -> Result<usize, XPathError> {
        let Some(token) = self.bump() else {
            return Err(self.unexpected_end(
                "a location step",
                "add a step after the `/`, e.g. a name, `*`, `@attr`, `text()` or `..`",
            ));
        };
        let (axis, test, mut end) = match token.kind {
            TokenKind::Dot => (Axis::Itself, NodeTest::Node, token.span.end),
            TokenKind::DotDot => (Axis::Parent, NodeTest::Node, token.span.end),
            TokenKind::At => {
                let (test, end) = self.node_test()?;
                (Axis::Attribute, test, end)
            }
            TokenKind::Name {
                prefix: None,
                ref local,
            } if self.peek_kind() == Some(&TokenKind::DoubleColon) => {
                let axis = axis_named(local, token.span.clone())?;
                self.pos += 1;
                let (test, end) = self.node_test()?;
                (axis, test, end)
            }
            _ => {
                self.pos -= 1;
                let (test, end) = self.node_test()?;
                (Axis::Child, test, end)
            }
        };
        let mut predicates = Vec::new();
        while self.peek_kind() == Some(&TokenKind::LBracket) {
            if matches!(token.kind, TokenKind::Dot | TokenKind::DotDot) {
                if let Some(bracket) = self.peek() {
                    return Err(XPathError::UnexpectedToken {
                        found: "`[`".to_owned(),
                        expected: "`/` or an operator".to_owned(),
                        span: bracket.span,
                        help: "XPath 1.0 does not allow predicates on `.` or `..`; write `self::node()[…]` or `parent::*[…]`".to_owned(),
                    });
                }
            }
            let predicate = self.predicate()?;
            end = predicate.span.end;
            predicates.push(predicate);
        }
        let is_plain_child = axis == Axis::Child && predicates.is_empty();
        if is_plain_child && steps.last() == Some(&descendant_or_self()) {
            if let Some(last) = steps.last_mut() {
                last.axis = Axis::Descendant;
                last.test = test;
                return Ok(end);
            }
        }
        steps.push(Step {
            axis,
            test,
            predicates,
        });
        Ok(end)
    }

    /// A node test after an axis: a name, `*`, `prefix:*` or a node type test. Returns it and its end.
    fn node_test(&mut self) -> Result<(NodeTest, usize), XPathError> {
        let Some(token) = self.bump() else {
            return Err(self.unexpected_end(
                "a node test",
                "name the node to select, e.g. `Product`, `*`, `text()` or `node()`",
            ));
        };
        match token.kind {
            TokenKind::Star | TokenKind::PrefixStar(_) => Ok((NodeTest::Any, token.span.end)),
            TokenKind::Name { prefix, local } => {
                if prefix.is_none()
                    && is_node_type(&local)
                    && self.peek_kind() == Some(&TokenKind::LParen)
                {
                    return self.node_type_test(&local);
                }
                if self.peek_kind() == Some(&TokenKind::LParen) {
                    let name = match &prefix {
                        Some(prefix) => format!("{prefix}:{local}"),
                        None => local.clone(),
                    };
                    return Err(XPathError::UnexpectedToken {
                        found: format!("function call `{name}(…)`"),
                        expected: "a node test".to_owned(),
                        span: token.span,
                        help: "a location step can only test names, `*`, `text()`, `node()`, `comment()` or `processing-instruction()`; call functions inside a predicate, e.g. `Product[contains(Name, 'x')]`".to_owned(),
                    });
                }
                Ok((NodeTest::Name { prefix, local }, token.span.end))
            }
            TokenKind::Dollar => Err(self.unexpected(token, "a node test")),
            _ => Err(self.unexpected(token, "a node test")),
        }
    }

    fn node_type_test(&mut self, name: &str) -> Result<(NodeTest, usize), XPathError> {
        self.pos += 1; // the `(`
        let mut target = None;
        if name == "processing-instruction" {
            if let Some(TokenKind::Literal(value)) = self.peek_kind() {
                target = Some(value.clone());
                self.pos += 1;
            }
        }
        let close = self.expect(
            &TokenKind::RParen,
            "`)`",
            "close the node type test, e.g. `text()`",
        )?;
        let test = match name {
            "text" => NodeTest::Text,
            "comment" => NodeTest::Comment,
            "processing-instruction" => NodeTest::ProcessingInstruction(target),
            _ => NodeTest::Node,
        };
        Ok((test, close.span.end))
    }

    /// `$name`, which must be one of the names the expression is compiled with.
    fn variable(&mut self, dollar: Range<usize>) -> Result<Expr, XPathError> {
        let name = match self.peek() {
            Some(Token {
                kind:
                    TokenKind::Name {
                        prefix: None,
                        local,
                    },
                span,
            }) if span.start == dollar.end => {
                self.pos += 1;
                Some((local, dollar.start..span.end))
            }
            _ => None,
        };
        let Some((name, span)) = name else {
            return Err(XPathError::UnexpectedToken {
                found: "`$`".to_owned(),
                expected: "a variable name".to_owned(),
                span: dollar,
                help: "write a variable as `$name`, with no space after the `$`".to_owned(),
            });
        };
        match self.names.variable(&name) {
            Some(kind) => Ok(expr(ExprKind::Variable { name, kind }, span)),
            None => Err(self.unknown_variable(name, span)),
        }
    }

    fn unknown_variable(&self, name: String, span: Range<usize>) -> XPathError {
        let known: Vec<&str> = self
            .names
            .variables
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        let help = if let Some(suggestion) = closest(&name, known.iter().copied()) {
            format!("did you mean `${suggestion}`?")
        } else if known.is_empty() {
            "`$name` is a `param` of the script or a `let` of a `map` rule, declared before it is used; elsewhere write the value into the expression".to_owned()
        } else {
            let list: Vec<String> = known.iter().map(|n| format!("`${n}`")).collect();
            format!("the variables here are {}", list.join(", "))
        };
        XPathError::UnknownVariable { name, span, help }
    }

    /// `[ Expr ]`; the predicate's span is the whole bracketed text.
    fn predicate(&mut self) -> Result<Expr, XPathError> {
        let open = self.expect(&TokenKind::LBracket, "`[`", "open the predicate with `[`")?;
        if let Some(close) = self.peek().filter(|t| t.kind == TokenKind::RBracket) {
            return Err(XPathError::UnexpectedToken {
                found: "`]`".to_owned(),
                expected: "a predicate expression".to_owned(),
                span: close.span,
                help: "write a condition or a position inside `[ ]`, e.g. `[1]` or `[@type='x']`"
                    .to_owned(),
            });
        }
        let inner = self.expr()?;
        let close = self.expect(&TokenKind::RBracket, "`]`", "close the predicate with `]`")?;
        Ok(Expr {
            span: open.span.start..close.span.end,
            ..inner
        })
    }

    fn primary_expr(&mut self) -> Result<Expr, XPathError> {
        let Some(token) = self.bump() else {
            return Err(self.unexpected_end(
                "an expression",
                "complete the expression, e.g. with a path, a literal or a number",
            ));
        };
        match token.kind {
            TokenKind::Literal(value) => Ok(expr(ExprKind::Literal(value), token.span)),
            TokenKind::Number(value) => Ok(expr(ExprKind::Number(value), token.span)),
            TokenKind::Dollar => self.variable(token.span),
            TokenKind::LParen => {
                let inner = self.expr()?;
                let close =
                    self.expect(&TokenKind::RParen, "`)`", "close the parenthesis with `)`")?;
                Ok(Expr {
                    span: token.span.start..close.span.end,
                    ..inner
                })
            }
            TokenKind::Name { prefix, local } => {
                self.function_call(prefix.as_deref(), &local, token.span)
            }
            _ => Err(self.unexpected(token, "an expression")),
        }
    }

    fn function_call(
        &mut self,
        prefix: Option<&str>,
        local: &str,
        name_span: Range<usize>,
    ) -> Result<Expr, XPathError> {
        let name = match prefix {
            Some(prefix) => format!("{prefix}:{local}"),
            None => local.to_owned(),
        };
        let Some(signature) = function::lookup(local).filter(|_| prefix.is_none()) else {
            return Err(unknown_function(name, name_span));
        };
        self.pos += 1; // the `(`
        let mut args = Vec::new();
        if self.eat(&TokenKind::RParen).is_none() {
            loop {
                args.push(self.expr()?);
                match self.peek() {
                    Some(Token {
                        kind: TokenKind::Comma,
                        ..
                    }) => self.pos += 1,
                    Some(Token {
                        kind: TokenKind::RParen,
                        ..
                    }) => {
                        self.pos += 1;
                        break;
                    }
                    Some(token) => return Err(self.unexpected(token, "`,` or `)`")),
                    None => {
                        return Err(self.unexpected_end(
                            "`)`",
                            &format!("close the call: {}", signature.usage()),
                        ));
                    }
                }
            }
        }
        let end = self
            .tokens
            .get(self.pos - 1)
            .map_or(self.end, |t| t.span.end);
        let too_many = signature.max.is_some_and(|max| args.len() > max);
        if args.len() < signature.min || too_many {
            let sum_of_expression = name == "sum" && args.len() == 2;
            return Err(XPathError::WrongArity {
                name,
                expected: signature.arity_text(),
                found: args.len(),
                span: name_span,
                help: if sum_of_expression {
                    SUM_OF_HELP.to_string()
                } else {
                    format!("call it as {}", signature.usage())
                },
            });
        }
        if signature.arg == ArgKind::Nodes {
            let help = if name == "sum" {
                SUM_OF_HELP
            } else {
                NODE_SET_HELP
            };
            for arg in &args {
                require_node_set_for(arg, help)?;
            }
        }
        self.check_extension(signature.function, &args)?;
        Ok(expr(
            ExprKind::Call {
                function: signature.function,
                args,
            },
            name_span.start..end,
        ))
    }
}

impl Parser<'_> {
    /// The static checks of zynk's extension functions and `format-number`'s pattern.
    fn check_extension(
        &self,
        function: function::Function,
        args: &[Expr],
    ) -> Result<(), XPathError> {
        use function::Function as F;
        match function {
            F::SumOf => args.first().map_or(Ok(()), require_node_set),
            F::Lookup => match args.first().map(|a| (&a.kind, a.span.clone())) {
                Some((ExprKind::Literal(table), span)) => {
                    if self.names.tables.iter().any(|t| t == table) {
                        Ok(())
                    } else {
                        let known = self.names.tables.iter().map(String::as_str);
                        let help = match closest(table, known) {
                            Some(s) => format!("did you mean '{s}'?"),
                            None if self.names.tables.is_empty() => "declare the table in the `map` block first: `lookup \"countries.csv\" as countries`".to_owned(),
                            None => format!("the tables here are: {}", self.names.tables.join(", ")),
                        };
                        Err(XPathError::UnknownTable {
                            name: table.clone(),
                            span,
                            help,
                        })
                    }
                }
                Some((_, span)) => Err(XPathError::UnknownTable {
                    name: String::new(),
                    span,
                    help: "name the table with a literal: `lookup('countries', country)`"
                        .to_owned(),
                }),
                None => Ok(()),
            },
            F::FormatNumber => pattern_arg(args.get(1), super::format_number::check_pattern),
            F::FormatDate => {
                pattern_arg(args.get(1), super::format_date::check_pattern)?;
                pattern_arg(args.get(2), super::format_date::check_pattern)
            }
            _ => Ok(()),
        }
    }
}

/// A literal pattern argument is checked when the expression is compiled.
fn pattern_arg(
    arg: Option<&Expr>,
    check: fn(&str) -> Result<(), String>,
) -> Result<(), XPathError> {
    match arg {
        Some(Expr {
            kind: ExprKind::Literal(pattern),
            span,
            ..
        }) => check(pattern).map_err(|reason| XPathError::InvalidPattern {
            pattern: pattern.clone(),
            reason,
            span: span.clone(),
        }),
        _ => Ok(()),
    }
}

fn unknown_function(name: String, span: Range<usize>) -> XPathError {
    if let Some((_, help)) = UNSUPPORTED.iter().find(|(n, _)| *n == name) {
        return XPathError::UnsupportedFunction {
            name,
            span,
            help: (*help).to_owned(),
        };
    }
    if let Some((_, local)) = name.split_once(':')
        && function::lookup(local).is_none()
    {
        let help = EXTENSIONS
            .iter()
            .chain(LATER_VERSIONS)
            .find(|(n, _)| *n == local)
            .map_or(EXTENSION_HELP, |(_, help)| help);
        return XPathError::UnsupportedFunction {
            name,
            span,
            help: help.to_owned(),
        };
    }
    let help = if let Some((_, help)) = LATER_VERSIONS.iter().find(|(n, _)| *n == name) {
        (*help).to_owned()
    } else if let Some(local) = name.split_once(':').map(|(_, local)| local)
        && function::lookup(local).is_some()
    {
        format!("core functions have no prefix: write `{local}(…)`")
    } else if let Some(suggestion) = closest(&name, FUNCTIONS.iter().map(|s| s.name)) {
        format!("did you mean `{suggestion}`?")
    } else {
        let names: Vec<_> = FUNCTIONS.iter().map(|s| s.name).collect();
        format!("zynk's XPath functions are: {}", names.join(", "))
    };
    XPathError::UnknownFunction { name, span, help }
}

fn axis_named(name: &str, span: Range<usize>) -> Result<Axis, XPathError> {
    if let Some((_, axis)) = SUPPORTED_AXES.iter().find(|(n, _)| *n == name) {
        return Ok(*axis);
    }
    if UNSUPPORTED_AXES.contains(&name) {
        return Err(XPathError::UnsupportedAxis {
            name: name.to_owned(),
            span,
        });
    }
    let candidates = SUPPORTED_AXES
        .iter()
        .map(|(n, _)| *n)
        .chain(UNSUPPORTED_AXES.iter().copied());
    let help = match closest(name, candidates) {
        Some(suggestion) => format!("did you mean `{suggestion}`?"),
        None => {
            let names: Vec<&str> = SUPPORTED_AXES.iter().map(|(n, _)| *n).collect();
            format!("the axes are {}", names.join(", "))
        }
    };
    Err(XPathError::UnknownAxis {
        name: name.to_owned(),
        span,
        help,
    })
}

fn operator_name(kind: &TokenKind, name: &str, op: BinaryOp) -> Option<BinaryOp> {
    match kind {
        TokenKind::Name {
            prefix: None,
            local,
        } if local == name => Some(op),
        _ => None,
    }
}

fn is_node_type(name: &str) -> bool {
    matches!(name, "text" | "node" | "comment" | "processing-instruction")
}

fn descendant_or_self() -> Step {
    Step {
        axis: Axis::DescendantOrSelf,
        test: NodeTest::Node,
        predicates: Vec::new(),
    }
}
