//! `--state URL` / `ZYNK_STATE`: a shared state store instead of `<data>/state.sqlite`.
use super::{EXIT_USAGE, output, stderr_style};
use crate::diagnostic;
use crate::state::StateLocation;

/// The shared store named by `--state` or `ZYNK_STATE` (`None`: the data folder's file);
/// a bad URL is printed and gives the usage exit code.
pub(super) fn shared_state(flag: Option<&str>) -> Result<Option<StateLocation>, u8> {
    match StateLocation::resolve(flag, std::path::Path::new(crate::runtime::STATE_FILE)) {
        Ok(location) if location.shared() => Ok(Some(location)),
        Ok(_) => Ok(None),
        Err(error) => {
            output::err(&diagnostic::render_plain(&error, stderr_style()));
            Err(EXIT_USAGE)
        }
    }
}
