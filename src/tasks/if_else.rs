//! `if CONDITION { … } [else { … }]`: run a block only when a condition holds (Zynk's File Exists with child tasks).
use super::{Param, Task};
use crate::check::condition::Condition;
use crate::check::{Args, CheckError, Checker, CompiledStatement};
use crate::plan::{Action, Effect, Planner};
use crate::runtime::{Outcome, RunCode, RunError, Runtime, Step};
use crate::source::Span;

pub(super) struct If;

impl Task for If {
    fn head(&self) -> &'static [&'static str] {
        &["if"]
    }
    fn summary(&self) -> &'static str {
        "Run a block when a condition holds, and the `else` block (if any) when it does not; conditions are checked for type before the run (see Conditions above)"
    }
    fn params(&self) -> &'static [Param] {
        &[]
    }
    fn takes_block(&self) -> bool {
        true
    }
    fn takes_condition(&self) -> bool {
        true
    }
    fn example(&self) -> &'static str {
        "if exists \"orders.xml\" and size of \"orders.xml\" > 0 {\n    log \"orders to import\"\n} else {\n    log warning \"no orders today\"\n}"
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        let raw = std::mem::take(&mut args.raw);
        let condition_span = match (raw.first(), raw.last()) {
            (Some(a), Some(b)) => a.span().join(b.span()),
            _ => args.head_span,
        };
        let condition = cx.condition(&raw, args.head_span);
        let mut block = args.block.take()?;
        let had_items = !block.items.is_empty();
        let then = cx.check_block(&mut block);
        let otherwise = args.otherwise.take().map(|mut b| cx.check_block(&mut b));
        if raw.is_empty() {
            return None;
        }
        let condition = condition?;
        if then.is_empty() {
            // A block whose lines were all wrong has had its errors reported.
            if !had_items {
                cx.error(CheckError::EmptyBlock {
                    span: Span::new(block.span.start, block.span.start + 1).into(),
                    block_span: block.span.into(),
                });
            }
            return None;
        }
        Some(Box::new(IfStep {
            condition,
            condition_span,
            then,
            otherwise,
            span: args.head_span,
        }))
    }
}

#[derive(Debug)]
struct IfStep {
    condition: Condition,
    /// The condition as written, for `zynk plan`.
    condition_span: Span,
    then: Vec<CompiledStatement>,
    otherwise: Option<Vec<CompiledStatement>>,
    span: Span,
}

impl Step for IfStep {
    fn is_block(&self) -> bool {
        true
    }

    fn plan(&self, p: &mut Planner<'_>) {
        let known = p.holds(&self.condition);
        let mut effect = Effect::new(Action::Test).depends_on(known.depends_on);
        effect.condition = Some(p.source_text(self.condition_span));
        effect.holds = known.holds;
        p.effect(effect);
        match known.holds {
            Some(true) => p.block("the condition holds", false, &self.then),
            Some(false) => {
                if let Some(otherwise) = &self.otherwise {
                    p.block("else: the condition does not hold", false, otherwise);
                }
            }
            None => {
                p.block("if the condition holds", true, &self.then);
                if let Some(otherwise) = &self.otherwise {
                    p.block("else", true, otherwise);
                }
            }
        }
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let holds = rt.holds(&self.condition)?;
        let (block, what) = match (holds, &self.otherwise) {
            (true, _) => (&self.then, "the condition holds: ran the block"),
            (false, Some(otherwise)) => (otherwise, "the condition does not hold: ran `else`"),
            (false, None) => {
                return Ok(Outcome::no_data(
                    "the condition does not hold: skipped the block",
                ));
            }
        };
        if rt.run_block(block) || rt.stopped() {
            return Ok(Outcome::success(what));
        }
        Err(RunError::raise(
            RunCode::BranchFailed,
            "a statement inside the `if` failed",
            self.span,
            "in this block",
        )
        .with_help("fix the failure above and run again; add `or continue` to a statement in the block to carry on past its failures"))
    }
}
