//! `stop [succeeded|failed] "reason"`: end the run here (Zynk's Stop Workflow and Flag Error).
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::plan::{Action, Effect, Planner};
use crate::runtime::{Outcome, RunCode, RunError, Runtime, Step};
use crate::source::Span;

pub(super) struct Stop;

static PARAMS: [Param; 2] = [
    Param::positional(
        "result",
        Kind::Choice(&["succeeded", "failed"]),
        "how the run ends: `succeeded` (the default) or `failed`",
    )
    .optional(),
    Param::positional("reason", Kind::Text, "why the run stops; shown and logged"),
];

impl Task for Stop {
    fn head(&self) -> &'static [&'static str] {
        &["stop"]
    }
    fn summary(&self) -> &'static str {
        "End the run here, as succeeded or as failed; no later statement runs, not even in an enclosing loop"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "stop failed \"the shop sent no orders\""
    }
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        Some(Box::new(StopStep {
            failed: args.choice("result") == Some("failed"),
            reason: args.text("reason")?,
            span: args.span,
        }))
    }
}

#[derive(Debug)]
struct StopStep {
    failed: bool,
    reason: Template,
    span: Span,
}

impl Step for StopStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let reason = p.render(&self.reason);
        let result = if self.failed { "failed" } else { "succeeded" };
        let effect = Effect::new(Action::Stop)
            .detail(format!(
                "the run ends here as {result}: {}; nothing after it runs",
                reason.display
            ))
            .depends_on(reason.depends_on);
        p.effect(effect);
        p.stop();
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let reason = rt.render(&self.reason)?.display;
        rt.request_stop();
        if self.failed {
            return Err(RunError::raise(
                RunCode::Stopped,
                format!("the run stops as failed: {reason}"),
                self.span,
                "stopped here",
            )
            .with_help("this `stop failed` ran as written; the statements after it were skipped"));
        }
        Ok(Outcome::success(format!("the run stops here: {reason}")))
    }
}
