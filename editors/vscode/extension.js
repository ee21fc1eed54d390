// The VS Code client for the condorrules language server: it starts `condorrules lsp`
// (command and arguments from the settings) over stdio for every .condor file. All language
// knowledge lives in the server; this file only wires VS Code to it.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const config = vscode.workspace.getConfiguration("condorrules");
  const command = config.get("server.command", "condorrules");
  const args = config.get("server.args", ["lsp"]);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? "";
  return {
    command: command.replace("${workspaceFolder}", folder),
    args,
    transport: TransportKind.stdio,
  };
}

async function start() {
  client = new LanguageClient(
    "condorrules",
    "condorrules",
    serverOptions(),
    {
      documentSelector: [
        { scheme: "file", language: "condor" },
        { scheme: "untitled", language: "condor" },
      ],
    },
  );
  try {
    await client.start();
  } catch (error) {
    vscode.window.showErrorMessage(
      `condorrules: could not start the language server (${error}). ` +
        "Install condorrules (pip install condorrules) or set condorrules.server.command.",
    );
  }
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("condorrules.restartServer", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("condorrules.server")) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
