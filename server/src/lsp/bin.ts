import { createConnection, LSPErrorCodes, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

declare const __BARECOUNT_VERSION__: string | undefined;

// barecount-language-server --stdio (any editor), or --node-ipc when VS Code starts it.
const args = process.argv.slice(2);
if (args.includes('--version') || args.includes('-v')) {
  process.stdout.write(`${typeof __BARECOUNT_VERSION__ === 'string' ? __BARECOUNT_VERSION__ : '0.0.0-dev'}\n`);
  process.exit(0);
}
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    'Usage: barecount-language-server --stdio\n\nThe BareCount manifest language server. Start it from your editor over standard input and output.\n',
  );
  process.exit(0);
}
if (!args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) process.argv.push('--stdio');

// A request the client cancels while it still waits in the queue is answered as cancelled and
// never run: work that nobody wants does not delay the next keystroke.
const connection = createConnection(ProposedFeatures.all, {
  cancelUndispatched: (message) => ({
    jsonrpc: '2.0',
    id: (message as { id?: number | string }).id ?? null,
    error: { code: LSPErrorCodes.RequestCancelled, message: 'cancelled before it started' },
  }),
});
// One failed request must not take the editor's server down: log it and carry on.
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`));
process.on('uncaughtException', (error) => connection.console.error(`uncaught exception: ${error.message}`));
startServer(connection);
