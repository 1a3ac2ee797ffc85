//! The `encoding "NAME"` option of statements that write files: checked when the script is.
use super::{Kind, Param};
use crate::check::{Args, CheckError, Checker};
use crate::xml_input::OutputEncoding;

/// The `encoding` option.
pub(super) const ENCODING: Param = Param::option(
    "encoding",
    Kind::Text,
    "the encoding of the files written, declared in their XML declaration, e.g. \"ISO-8859-1\"; characters it lacks become character references (default \"UTF-8\")",
);

/// The names offered by "did you mean" (any WHATWG label is accepted).
const KNOWN: &[&str] = &[
    "UTF-8",
    "UTF-16",
    "UTF-16LE",
    "UTF-16BE",
    "ISO-8859-1",
    "ISO-8859-2",
    "ISO-8859-3",
    "ISO-8859-4",
    "ISO-8859-5",
    "ISO-8859-6",
    "ISO-8859-7",
    "ISO-8859-8",
    "ISO-8859-10",
    "ISO-8859-13",
    "ISO-8859-14",
    "ISO-8859-15",
    "ISO-8859-16",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "latin1",
    "US-ASCII",
    "KOI8-R",
    "KOI8-U",
    "Shift_JIS",
    "EUC-JP",
    "EUC-KR",
    "GBK",
    "gb18030",
    "Big5",
];

/// The encoding the statement's `encoding` option asks for: `Some(None)` when it is not
/// given (UTF-8), `None` when it was rejected (reported to the checker).
pub(super) fn encoding_option(args: &Args, cx: &mut Checker<'_>) -> Option<Option<OutputEncoding>> {
    let Some(template) = args.text(ENCODING.name) else {
        return Some(None);
    };
    let span = args.span_of(ENCODING.name);
    let Some(name) = template.constant() else {
        cx.error(CheckError::NotConstant {
            option: ENCODING.name.to_string(),
            span: span.into(),
        });
        return None;
    };
    if let Some(encoding) = OutputEncoding::for_label(&name) {
        return Some(Some(encoding));
    }
    let help = match crate::suggest::closest(name.trim(), KNOWN.iter().copied()) {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => {
            "use an encoding name such as \"UTF-8\", \"ISO-8859-1\" or \"windows-1252\"".to_string()
        }
    };
    cx.error(CheckError::UnknownEncoding {
        given: name,
        span: span.into(),
        help,
    });
    None
}
