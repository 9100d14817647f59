// First, before any other module runs and allocates: how the heap may grow (heap.ts).
import './heap-start';
import {
  createConnection,
  IPCMessageReader,
  IPCMessageWriter,
  LSPErrorCodes,
  ProposedFeatures,
  type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { setFlagsFromString } from 'node:v8';
import { RedactingWriter, SecretRegistry } from './redaction';
import { startServer } from './server';
import { socketTransport, stdioTransport } from './wire';

declare const __BARECOUNT_VERSION__: string | undefined;

// A function is optimised after about seven times the work V8 waits by default. Opening a manifest
// runs each function of the analysis once per stage, and optimising them early cost more compiling
// (and its memory) than it saved. Measured over stdio (bench/lsp.ts, plain corpus), open to
// diagnostics: 104 → 78 ms at 100 stages, 450 → 429 ms at 1000, 1612 → 1503 ms at 5000; peak memory
// 6% less; edits and requests run on optimised code as before.
setFlagsFromString('--interrupt-budget=1000000');

// barecount-language-server --stdio (any editor), --node-ipc when VS Code starts it, or --pipe / --socket
// for a client that listens and lets the server connect (wire.ts).
const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${typeof __BARECOUNT_VERSION__ === 'string' ? __BARECOUNT_VERSION__ : '0.0.0-dev'}\n`);
  process.exit(0);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'Usage: barecount-language-server --stdio\n       barecount-language-server --pipe=<socket file> | --socket=<port> | --node-ipc\n\nThe BareCount manifest language server. Start it from your editor over standard input and output,\nor have it connect to the pipe or port your editor listens on.\n',
  );
  process.exit(0);
}

/** The transport the client asked for (`--stdio` when it named none), as a reader and a writer. */
function transport(): { reader: MessageReader; writer: MessageWriter; stdio: boolean } {
  const valueOf = (flag: string) => {
    const i = args.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
    if (i === -1) return undefined;
    return args[i]!.includes('=') ? args[i]!.slice(flag.length + 1) : args[i + 1];
  };
  if (args.includes('--node-ipc')) return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process), stdio: false };
  const port = valueOf('--socket');
  if (port !== undefined) return { ...socketTransport({ port: Number.parseInt(port, 10) }), stdio: false };
  const pipe = valueOf('--pipe');
  if (pipe !== undefined) return { ...socketTransport({ path: pipe }), stdio: false };
  return { ...stdioTransport(), stdio: true };
}

// Every message the server writes passes the redaction layer (./redaction.ts): no feature can
// send a secret of an open document, or a credential-shaped token, to the client or its logs.
const secrets = new SecretRegistry();
const { reader, writer, stdio } = transport();
if (stdio) {
  // The client closing our input ends the server, as the library does for streams it opens itself.
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('close', () => process.exit(0));
}

// A request the client cancels while it still waits in the queue is answered as cancelled and
// never run: work that nobody wants does not delay the next keystroke.
const connection = createConnection(ProposedFeatures.all, reader, new RedactingWriter(writer, secrets), {
  cancelUndispatched: (message) => ({
    jsonrpc: '2.0',
    id: (message as { id?: number | string }).id ?? null,
    error: { code: LSPErrorCodes.RequestCancelled, message: 'cancelled before it started' },
  }),
});
// One failed request must not take the editor's server down: log it and carry on.
// Node writes a dependency's warnings to stderr, which VS Code shows; they may quote a manifest.
// They go to the client's log instead, through the redaction layer.
process.removeAllListeners('warning');
process.on('warning', (w) => connection.console.warn(`${w.name}: ${w.message}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`));
process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${error.message}`));
if (stdio) {
  // stdout carries the protocol: anything a dependency prints goes to the client's log instead.
  console.log = console.info = (...a: unknown[]) => connection.console.log(a.map(String).join(' '));
  console.warn = console.error = (...a: unknown[]) => connection.console.error(a.map(String).join(' '));
}
startServer(connection, secrets);
