import { run } from './main';

// Node prints a dependency's warnings with their message, which may quote a manifest (and a
// secret in it): only their kind is said.
process.removeAllListeners('warning');
process.on('warning', (w) => process.stderr.write(`barecount-lint: note: a library warned (${w.name}); details are not shown.\n`));

// The bin: real streams and exit code. Output is flushed before exiting so pipes get all of it.
const code = run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTty: Boolean(process.stdout.isTTY),
  env: process.env,
});
process.exitCode = code;
