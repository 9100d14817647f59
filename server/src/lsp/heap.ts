import { setFlagsFromString } from 'node:v8';

/**
 * How far V8's young generation may grow, decided per manifest by its size (however the server was
 * started: `node server.js --stdio` passes no flags, so this is set from inside).
 *
 * Analysing a manifest makes objects that mostly survive, so V8 doubles the young generation at
 * almost every scavenge, up to 16 MiB per semi-space. On a small manifest that growth is most of
 * the server's peak memory and buys nothing: over stdio, a 100-stage manifest with ten edits peaks
 * at 71 MiB instead of 84, at the same latency. On a large one the small young generation costs
 * scavenges: 1000 stages open 8% slower. So the young generation keeps its starting size while
 * the manifest being analysed is smaller than LARGE_MANIFEST and may grow for larger ones
 * (measured with bench/lsp.ts; bench/README.md).
 */
export const LARGE_MANIFEST = 128 * 1024;

let growing: boolean | undefined;

/** Set before analysing a text of `length` UTF-16 units. */
export function youngGenerationFor(length: number): void {
  const grow = length >= LARGE_MANIFEST;
  if (grow === growing) return;
  growing = grow;
  // V8 reads this factor each time it would grow the young generation; 1 keeps its size.
  setFlagsFromString(`--semi-space-growth-factor=${grow ? 2 : 1}`);
}

/**
 * The old generation grows by half past what a full collection kept, set here so that it holds
 * however the server is started. V8's default lets a 5000-stage manifest's heap reach 516 MiB;
 * by a quarter (this server's setting until measured again) kept it at 356 MiB but collected so
 * often that each edit took 378 ms instead of 294; by half, 391 MiB and 286 ms (bench/lsp.ts,
 * plain corpus). Below 1000 stages the three are alike.
 */
setFlagsFromString('--heap-growing-percent=50');

// From the start: loading the server's modules would otherwise grow it before any manifest is read.
youngGenerationFor(0);
