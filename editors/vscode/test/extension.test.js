// Smoke test of extension.js without VS Code: `vscode` and the language client are replaced by
// recording stubs, then activate() must start `condorrules lsp` over stdio for .condor files,
// honour the settings, and restart when they change. Run: npm test
"use strict";

const assert = require("node:assert/strict");
const Module = require("node:module");

const started = [];
let configurationListener;
const settings = { "server.command": "condorrules", "server.args": ["lsp"] };

class FakeLanguageClient {
  constructor(id, name, serverOptions, clientOptions) {
    Object.assign(this, { id, name, serverOptions, clientOptions, running: false });
  }
  async start() {
    this.running = true;
    started.push(this);
  }
  async stop() {
    this.running = false;
  }
}

const fakes = {
  vscode: {
    workspace: {
      getConfiguration: () => ({ get: (key, fallback) => settings[key] ?? fallback }),
      workspaceFolders: [{ uri: { fsPath: "/project" } }],
      onDidChangeConfiguration: (listener) => {
        configurationListener = listener;
        return { dispose() {} };
      },
    },
    commands: { registerCommand: () => ({ dispose() {} }) },
    window: { showErrorMessage: (message) => assert.fail(message) },
  },
  "vscode-languageclient/node": { LanguageClient: FakeLanguageClient, TransportKind: { stdio: 0 } },
};
const originalLoad = Module._load;
Module._load = function (request, ...rest) {
  return request in fakes ? fakes[request] : originalLoad.call(this, request, ...rest);
};

const extension = require("../extension.js");

(async () => {
  const context = { subscriptions: [] };
  await extension.activate(context);
  assert.equal(started.length, 1);
  const [first] = started;
  assert.deepEqual(first.serverOptions, { command: "condorrules", args: ["lsp"], transport: 0 });
  assert.deepEqual(
    first.clientOptions.documentSelector.map((selector) => selector.language),
    ["condor", "condor"],
  );

  settings["server.command"] = "${workspaceFolder}/.venv/bin/condorrules";
  await configurationListener({ affectsConfiguration: (section) => section === "condorrules.server" });
  assert.equal(started.length, 2);
  assert.equal(first.running, false);
  assert.equal(started[1].serverOptions.command, "/project/.venv/bin/condorrules");

  await extension.deactivate();
  assert.equal(started[1].running, false);
  console.log("extension.test.js: ok");
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
