//! `zynk plan`: check a script, then print every effect a run would have, running nothing.
use std::path::Path;

use super::check_cmd::load;
use super::{EXIT_OK, Format, data_dir, output};

pub(super) fn plan(
    script: &Path,
    vars: &[(String, String)],
    data: Option<&Path>,
    format: Format,
    state: Option<&str>,
) -> u8 {
    let shared = match super::state_arg::shared_state(state) {
        Ok(shared) => shared,
        Err(code) => return code,
    };
    let (source, program) = match load(script, vars) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let script_path = (script != Path::new("-")).then_some(script);
    let data_dir = data_dir::resolve(data, script_path);
    if let Some(location) = &shared {
        let refusal = crate::runtime::shared_ledger::check(
            &program,
            &source.text,
            &data_dir,
            &location.describe(),
        );
        if let Some(error) = refusal {
            let shown = source.with_text(crate::http::mask(&source.text).into_owned());
            output::err(&crate::diagnostic::render(
                &shown,
                &error,
                super::stderr_style(),
            ));
            return super::EXIT_INVALID;
        }
    }
    let store = match shared
        .as_ref()
        .map(crate::state::StateStore::connect_existing)
        .transpose()
    {
        Ok(store) => store.flatten(),
        Err(error) => {
            output::err(&crate::diagnostic::render_plain(
                &error,
                super::stderr_style(),
            ));
            return super::EXIT_FAILED;
        }
    };
    let plan = crate::plan::plan_program_with(&program, &source.text, &data_dir, store.as_ref());
    let text = match format {
        Format::Text => crate::plan::render_text(&plan),
        Format::Json => match serde_json::to_string_pretty(&plan) {
            Ok(json) => json + "\n",
            Err(e) => {
                output::err(&format!(
                    "zynk plan: the plan cannot be written as JSON: {e}\n"
                ));
                return super::EXIT_FAILED;
            }
        },
    };
    output::out(&text);
    EXIT_OK
}
