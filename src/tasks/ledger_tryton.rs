//! `ledger tryton URL database DB user USER password SECRET`: the following ledger statements post into a Tryton database.
use super::{Kind, Param, Task};
use crate::check::{Args, Checker, Template};
use crate::plan::{Action, Effect, Planner};
use crate::runtime::{Outcome, RunCode, RunError, Runtime, Step};
use crate::source::Span;
use crate::tryton::{DEFAULT_BATCH, DEFAULT_TIMEOUT, DEFAULT_WAREHOUSE, SERVES, TrytonTarget};

pub(super) struct LedgerTryton;

static PARAMS: [Param; 11] = [
    Param::positional(
        "url",
        Kind::Text,
        "the Tryton server, `http(s)://host:port`",
    ),
    Param::required("database", Kind::Text, "the Tryton database"),
    Param::required("user", Kind::Text, "the Tryton user zynk logs in as"),
    Param::required(
        "password",
        Kind::Text,
        "the user's password, best as `env(\"TRYTON_PASSWORD\")`; it is never shown",
    ),
    Param::option(
        "ca_cert",
        Kind::Path,
        "a PEM file of a private certificate authority to trust for https",
    ),
    Param::option(
        "timeout",
        Kind::Duration,
        "how long one call to Tryton may take (default 5m)",
    ),
    Param::option(
        "confirm",
        Kind::Bool,
        "confirm imported sales; `false` leaves them as quotations (default true)",
    ),
    Param::option(
        "carriage_product",
        Kind::Text,
        "the code of the service product carriage is posted on (default \"CARRIAGE\", and when Tryton has no such product a line without a product)",
    ),
    Param::option(
        "warehouse",
        Kind::Text,
        "the code of the warehouse sales ship from and stock is read in (default \"WH\")",
    ),
    Param::option(
        "product_category",
        Kind::Text,
        "the accounting category (by name) of goods created for unknown Skus; without it an unknown Sku fails its order",
    ),
    Param::option(
        "batch",
        Kind::Count,
        "how many records go to Tryton per call (default 50)",
    ),
];

impl Task for LedgerTryton {
    fn head(&self) -> &'static [&'static str] {
        &["ledger", "tryton"]
    }
    fn summary(&self) -> &'static str {
        "Post the following imports into a Tryton database over JSON-RPC, and export its stock (see docs/tryton.md)"
    }
    fn params(&self) -> &'static [Param] {
        &PARAMS
    }
    fn example(&self) -> &'static str {
        "ledger tryton \"http://127.0.0.1:8000\" database \"zynk\" user \"admin\" password env(\"TRYTON_PASSWORD\")"
    }
    fn compile(&self, args: &mut Args, cx: &mut Checker<'_>) -> Option<Box<dyn Step>> {
        cx.use_remote_ledger("Tryton", SERVES, args.head_span);
        let url = args.text("url")?;
        if let Some(text) = url.constant()
            && !(text.starts_with("http://") || text.starts_with("https://"))
        {
            cx.error(crate::check::CheckError::InvalidValue {
                message: format!(
                    "`{}` is not an http or https URL",
                    crate::http::redact_url(&text)
                ),
                span: url.span.into(),
                label: "the Tryton server".into(),
                help: "write the server's address, e.g. \"http://127.0.0.1:8000\"".into(),
            });
            return None;
        }
        let password = args.text("password")?;
        if password.constant().is_some() {
            cx.warn(crate::check::CheckWarning::LiteralPassword {
                span: password.span.into(),
                help: "read it from the environment: password env(\"TRYTON_PASSWORD\")".into(),
            });
        }
        Some(Box::new(UseTryton {
            url,
            database: args.text("database")?,
            user: args.text("user")?,
            password,
            ca_cert: args.text("ca_cert"),
            timeout: args.duration("timeout").unwrap_or(DEFAULT_TIMEOUT),
            confirm: args.bool("confirm").unwrap_or(true),
            carriage_product: args.text("carriage_product"),
            warehouse: args.text("warehouse"),
            product_category: args.text("product_category"),
            batch: args.count("batch").map_or(DEFAULT_BATCH, |n| {
                usize::try_from(n.max(1)).unwrap_or(DEFAULT_BATCH)
            }),
            span: args.head_span,
        }))
    }
}

#[derive(Debug)]
struct UseTryton {
    url: Template,
    database: Template,
    user: Template,
    password: Template,
    ca_cert: Option<Template>,
    timeout: std::time::Duration,
    confirm: bool,
    carriage_product: Option<Template>,
    warehouse: Option<Template>,
    product_category: Option<Template>,
    batch: usize,
    span: Span,
}

impl UseTryton {
    fn target(&self, rt: &Runtime<'_>) -> Result<TrytonTarget, RunError> {
        let text = |t: &Option<Template>, default: &str| -> Result<String, RunError> {
            Ok(match t {
                Some(t) => rt.render(t)?.text,
                None => default.to_string(),
            })
        };
        let url = rt.render(&self.url)?.text;
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            return Err(RunError::raise(
                RunCode::TrytonUnreachable,
                format!(
                    "`{}` is not an http or https URL",
                    crate::http::redact_url(&url)
                ),
                self.url.span,
                "the Tryton server",
            )
            .with_help("write the server's address, e.g. \"http://127.0.0.1:8000\""));
        }
        Ok(TrytonTarget {
            url,
            database: rt.render(&self.database)?.text,
            user: rt.render(&self.user)?.text,
            ca_cert: match &self.ca_cert {
                Some(t) => Some(rt.path(t)?),
                None => None,
            },
            timeout: self.timeout,
            confirm: self.confirm,
            carriage_product: match &self.carriage_product {
                Some(t) => Some(rt.render(t)?.text),
                None => None,
            },
            warehouse: text(&self.warehouse, DEFAULT_WAREHOUSE)?,
            product_category: match &self.product_category {
                Some(t) => Some(rt.render(t)?.text),
                None => None,
            },
            batch: self.batch,
        })
    }
}

impl Step for UseTryton {
    fn plan(&self, p: &mut Planner<'_>) {
        let url = p.render(&self.url).display;
        let database = p.render(&self.database).display;
        let shown = format!(
            "Tryton {} database {database}",
            crate::http::redact_url(&url)
        );
        let effect = Effect::new(Action::Ledger).path(shown.clone()).detail(
            "the following statements post into this Tryton database; the plan does not call it",
        );
        p.effect(effect);
        p.set_remote_ledger(shown);
    }

    fn run(&self, rt: &mut Runtime<'_>) -> Result<Outcome, RunError> {
        let target = self.target(rt)?;
        let shown = target.describe();
        rt.use_tryton(target, self.password.clone());
        // Log in now, so a wrong password or an unreachable server fails this line.
        rt.backend(self.span)?;
        Ok(Outcome::success(format!("using {shown}")))
    }
}
