//! `log [info|warning] "text"`: a message in the status output, the JSON events and the run log (Zynk's Log Info/Warning Message).
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::plan::{Action, Effect, Planner};
use crate::runtime::{Outcome, RunError, Runtime, Step};

pub(super) struct Log;

static PARAMS: [Param; 2] = [
    Param::positional(
        "level",
        Kind::Choice(&["info", "warning"]),
        "how the message is filed in the run log (default info)",
    )
    .optional(),
    Param::positional(
        "message",
        Kind::Text,
        "the message; `${…}` is filled in when it runs",
    ),
];

impl Task for Log {
    fn head(&self) -> &'static [&'static str] {
        &["log"]
    }
    fn summary(&self) -> &'static str {
        "Write a message to the status output, the JSON events and the run log, as info or as a warning"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "log warning \"no orders to import today\""
    }
    fn compile(&self, args: &mut Args, _cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        Some(Box::new(LogStep {
            warning: args.choice("level") == Some("warning"),
            message: args.text("message")?,
        }))
    }
}

#[derive(Debug)]
struct LogStep {
    warning: bool,
    message: Template,
}

impl Step for LogStep {
    fn plan(&self, p: &mut Planner<'_>) {
        let message = p.render(&self.message);
        let level = if self.warning { "warning: " } else { "" };
        let effect = Effect::new(Action::Log)
            .detail(format!("{level}{}", message.display))
            .depends_on(message.depends_on);
        p.effect(effect);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let message = rt.render(&self.message)?.display;
        let level = if self.warning { "Warning" } else { "Info" };
        rt.log_message(level, &message);
        let detail = if self.warning {
            format!("warning: {message}")
        } else {
            message
        };
        Ok(Outcome::success(detail))
    }
}
