// Starts `zynk lsp` for .zynk files: diagnostics, hover, completion, go to definition,
// the outline and Format Document all come from the language server.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("zynk").get("path") || "zynk";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "zynk",
    "zynk",
    { run: server, debug: server },
    { documentSelector: [{ language: "zynk" }] }
  );
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
