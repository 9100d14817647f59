import { run } from './main';

// The bin: real streams and exit code. Output is flushed before exiting so pipes get all of it.
const code = run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTty: Boolean(process.stdout.isTTY),
  env: process.env,
});
process.exitCode = code;
