// One esbuild script, an entry per bundle (vscode-eslint's esbuild.js is the model).
// `--production` minifies; the default keeps names readable and adds source maps.
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  logLevel: 'warning',
  define: { __BARECOUNT_VERSION__: JSON.stringify(pkg.version) },
  external: ['vscode'],
  // yaml's ES module build (the same code as its CommonJS one): bundled as CommonJS, each call to
  // isMap, isScalar… went through an export getter, millions of them per analysis of a large file.
  alias: { yaml: './node_modules/yaml/browser/index.js' },
};

const entries = [
  { in: 'server/src/cli/bin.ts', out: 'dist/cli.js', bin: true },
  // The server runs for hours beside an editor: a single malloc arena keeps its memory down at no
  // measured cost in speed (the VS Code client does the same). The heap's growth is set from inside
  // the server (heap.ts), so that `node server.js` with no flags gets it too.
  { in: 'server/src/lsp/bin.ts', out: 'dist/server.js', bin: true, shebang: '#!/usr/bin/env -S MALLOC_ARENA_MAX=1 node' },
  { in: 'client/src/extension.ts', out: 'dist/extension.js' },
  { in: 'client/webview/panel.ts', out: 'dist/webview/panel.js', browser: true },
];

const started = Date.now();
// The schemas' validators, compiled by ajv ahead of time for the bundles to include.
await import('./gen-validators.mjs');
await Promise.all(
  entries
    .filter((e) => existsSync(e.in))
    .map((e) =>
      build({
        ...common,
        entryPoints: [e.in],
        outfile: e.out,
        ...(e.bin ? { banner: { js: e.shebang ?? '#!/usr/bin/env node' } } : {}),
        // The webview script runs in the page: a browser IIFE with no Node built-ins.
        ...(e.browser ? { platform: 'browser', format: 'iife', target: 'chrome120', sourcemap: false } : {}),
      }).then(() => {
        if (e.bin) chmodSync(e.out, 0o755);
        // One character past ASCII makes V8 hold the whole bundle's source as a two-byte string
        // (twice its size, for as long as the server runs: 1.3 MiB of the development server's).
        // esbuild escapes strings but not regular expressions (write `\u00b7`, not the character),
        // and keeps some comments when it does not minify (write `...` and `section 5.2`).
        if (e.bin) {
          const out = readFileSync(e.out, 'latin1');
          const at = out.search(/[^\x00-\x7f]/);
          if (at !== -1) {
            const line = out.slice(0, at).split('\n').length;
            const text = readFileSync(e.out, 'utf8').split('\n')[line - 1].trim().slice(0, 120);
            throw new Error(`${e.out}:${line} holds a non-ASCII character (in the source: write it as ASCII or an escape): ${text}`);
          }
        }
      }),
    ),
);
console.log(
  `built ${entries
    .filter((e) => existsSync(e.in))
    .map((e) => e.out)
    .join(', ')} in ${Date.now() - started} ms${production ? ' (production)' : ''}`,
);
