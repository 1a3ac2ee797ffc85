//! `zynk lsp`: a language server over standard input and output.
//!
//! It reports the diagnostics of `zynk check` as the script is edited, and offers hover,
//! completion, go-to-definition, an outline and formatting. Everything it knows about
//! statements and options comes from the statement registry, so a new statement needs no
//! change here.
pub mod completion;
pub(crate) mod context;
pub(crate) mod diagnostics;
pub mod hover;
pub(crate) mod position;
pub mod symbols;

use std::collections::HashMap;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::{
    CompletionOptions, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DocumentFormattingParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeResult, Location, MarkupContent, MarkupKind,
    OneOf, PublishDiagnosticsParams, ServerCapabilities, ServerInfo, TextDocumentPositionParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri,
};

use crate::source::SourceFile;
use position::LineIndex;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Serves one client on stdio until it asks the server to shut down and exit.
///
/// # Errors
/// When the connection breaks or the client breaks the protocol.
pub fn serve() -> Result<(), Error> {
    let (connection, io_threads) = Connection::stdio();
    let result = InitializeResult {
        capabilities: capabilities(),
        server_info: Some(ServerInfo {
            name: "zynk".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let (id, _params) = connection.initialize_start()?;
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server {
        connection: &connection,
        documents: HashMap::new(),
    };
    server.run()?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![" ".into(), ".".into(), "{".into()]),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        ..ServerCapabilities::default()
    }
}

/// The requests the server answers; others get `MethodNotFound`.
const KNOWN_REQUESTS: &[&str] = &[
    "textDocument/hover",
    "textDocument/completion",
    "textDocument/definition",
    "textDocument/documentSymbol",
    "textDocument/formatting",
];

struct Server<'c> {
    connection: &'c Connection,
    /// The open scripts by URI.
    documents: HashMap<String, String>,
}

impl Server<'_> {
    fn run(&mut self) -> Result<(), Error> {
        for message in &self.connection.receiver {
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    let id = request.id.clone();
                    let known = KNOWN_REQUESTS.contains(&request.method.as_str());
                    let response = match self.request(request) {
                        Ok(value) => Response::new_ok(id, value),
                        Err(error) => {
                            let code = if known {
                                lsp_server::ErrorCode::InvalidParams
                            } else {
                                lsp_server::ErrorCode::MethodNotFound
                            };
                            Response::new_err(id, code as i32, error.to_string())
                        }
                    };
                    self.connection.sender.send(Message::Response(response))?;
                }
                Message::Notification(notification) => self.notification(notification)?,
                Message::Response(_) => {}
            }
        }
        Ok(())
    }

    fn notification(&mut self, notification: Notification) -> Result<(), Error> {
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let params: DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                let uri = params.text_document.uri;
                self.documents
                    .insert(uri.as_str().to_string(), params.text_document.text);
                self.publish(&uri, Some(params.text_document.version))?;
            }
            "textDocument/didChange" => {
                let params: DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                let uri = params.text_document.uri;
                if let Some(change) = params.content_changes.into_iter().last() {
                    self.documents.insert(uri.as_str().to_string(), change.text);
                }
                self.publish(&uri, Some(params.text_document.version))?;
            }
            "textDocument/didClose" => {
                let params: DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                self.documents.remove(params.text_document.uri.as_str());
                let clear =
                    PublishDiagnosticsParams::new(params.text_document.uri, Vec::new(), None);
                self.notify("textDocument/publishDiagnostics", clear)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn notify(&self, method: &str, params: impl serde::Serialize) -> Result<(), Error> {
        let notification = Notification::new(method.to_string(), params);
        self.connection
            .sender
            .send(Message::Notification(notification))?;
        Ok(())
    }

    fn publish(&self, uri: &Uri, version: Option<i32>) -> Result<(), Error> {
        let Some(source) = self.source(uri) else {
            return Ok(());
        };
        let diagnostics = diagnostics::diagnose(&source, uri);
        let params = PublishDiagnosticsParams::new(uri.clone(), diagnostics, version);
        self.notify("textDocument/publishDiagnostics", params)
    }

    /// The open script at `uri`, named by its file path so that its default workflow
    /// name is the one `zynk check` would give it.
    fn source(&self, uri: &Uri) -> Option<SourceFile> {
        let text = self.documents.get(uri.as_str())?;
        Some(SourceFile::from_text(&file_name(uri), text))
    }

    /// The script and the byte offset of a position in it.
    fn at(&self, params: &TextDocumentPositionParams) -> Option<(String, usize)> {
        let text = self.documents.get(params.text_document.uri.as_str())?;
        let offset = LineIndex::new(text).offset(params.position);
        Some((text.clone(), offset))
    }

    fn request(&mut self, request: Request) -> Result<serde_json::Value, Error> {
        let value = match request.method.as_str() {
            "textDocument/hover" => {
                let params: HoverParams = serde_json::from_value(request.params)?;
                let found =
                    self.at(&params.text_document_position_params)
                        .and_then(|(text, offset)| {
                            let (markdown, span) = hover::hover(&text, offset)?;
                            Some(Hover {
                                contents: HoverContents::Markup(MarkupContent {
                                    kind: MarkupKind::Markdown,
                                    value: markdown,
                                }),
                                range: Some(LineIndex::new(&text).range(span.start, span.end)),
                            })
                        });
                serde_json::to_value(found)?
            }
            "textDocument/completion" => {
                let params: lsp_types::CompletionParams = serde_json::from_value(request.params)?;
                let items = self
                    .at(&params.text_document_position)
                    .map(|(text, offset)| completion::complete(&text, offset))
                    .unwrap_or_default();
                serde_json::to_value(items)?
            }
            "textDocument/definition" => {
                let params: GotoDefinitionParams = serde_json::from_value(request.params)?;
                let uri = params
                    .text_document_position_params
                    .text_document
                    .uri
                    .clone();
                let found = self
                    .at(&params.text_document_position_params)
                    .and_then(|(text, offset)| definition(&text, offset, &uri));
                serde_json::to_value(found)?
            }
            "textDocument/documentSymbol" => {
                let params: DocumentSymbolParams = serde_json::from_value(request.params)?;
                let symbols = self
                    .source(&params.text_document.uri)
                    .map(|s| symbols::symbols(&s))
                    .unwrap_or_default();
                serde_json::to_value(DocumentSymbolResponse::Nested(symbols))?
            }
            "textDocument/formatting" => {
                let params: DocumentFormattingParams = serde_json::from_value(request.params)?;
                let edits = self
                    .documents
                    .get(params.text_document.uri.as_str())
                    .and_then(|text| {
                        let formatted = crate::format::format(text).ok()?;
                        let index = LineIndex::new(text);
                        (formatted != *text)
                            .then(|| vec![TextEdit::new(index.range(0, text.len()), formatted)])
                    })
                    .unwrap_or_default();
                serde_json::to_value(edits)?
            }
            _ => {
                return Err(format!("zynk lsp does not handle `{}`", request.method).into());
            }
        };
        Ok(value)
    }
}

/// Where the param, let, loop variable or results name under `offset` is declared.
fn definition(text: &str, offset: usize, uri: &Uri) -> Option<GotoDefinitionResponse> {
    let (_, word) = context::word_at(text, offset)?;
    let base = word.split('.').next()?;
    let declaration = context::Script::new(text)
        .declarations()
        .into_iter()
        .rfind(|d| d.name == base && d.span.start <= offset)?;
    let range = LineIndex::new(text).range(declaration.span.start, declaration.span.end);
    Some(GotoDefinitionResponse::Scalar(Location::new(
        uri.clone(),
        range,
    )))
}

/// The file path of a `file://` URI (percent-decoded), or the URI itself.
fn file_name(uri: &Uri) -> String {
    let text = uri.as_str();
    match text.strip_prefix("file://") {
        Some(path) => percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned(),
        None => text.to_string(),
    }
}
