import { setFlagsFromString } from 'node:v8';

/**
 * How the server's V8 heap may grow, set from inside the server so that it holds when it is started
 * as `node server.js --stdio` (no flags). Best effort: it relies on V8 reading these flags when it
 * grows the heap, which Node 20's V8 does; a runtime that ignores them grows the heap as usual.
 *
 * The young generation. Analysing a manifest makes objects that mostly survive, so V8 doubles the
 * young generation at almost every scavenge, up to its maximum (16 MiB per semi-space on a machine
 * with a few GiB). On a small manifest that growth is most of the server's peak memory and buys
 * nothing: over stdio (bench/lsp.ts), a 100-stage manifest with ten edits and twenty requests
 * peaks at 71 MiB instead of 84, at the same latency.
 *
 * Growing also means touching fresh memory, up to 32 MiB of it, and a page touched for the first
 * time is not free. How much it costs depends on the machine: about 13 µs a page on the virtual
 * machine our figures come from (20,000 fresh pages written in 260 ms, against 1 ms written again),
 * far less on bare metal. Opening a 1000-stage manifest (420 KB), interleaved runs over stdio:
 * - growing: 14,000 page faults, open 653–827 ms, peak 133–142 MiB;
 * - not growing: 6,400 page faults, open 578–620 ms, peak 101–105 MiB;
 * - edits about the same (median of 30: 99–110 ms growing, 101–121 not). Letting it grow only
 *   from the first edit moved the faults there: the first edit took 283–346 ms against 225–259.
 * On a 5000-stage manifest (2 MB) a young generation that never grows costs scavenges: edits took
 * 684–806 ms against 577–748. Between 420 KB and 2 MB nothing was measured; the line is drawn at
 * 1 MiB (about 2000 stages). So it keeps its size while the manifest being analysed is under
 * LARGE_MANIFEST characters and may grow for larger ones (opened or edited alike). It does not
 * shrink back after a large manifest until V8 decides to.
 *
 * The old generation grows by half past what a full collection kept. By a quarter (this server's
 * setting before), a 5000-stage manifest was collected so often that an edit took 334 ms instead of
 * 293 and opening it 1618 ms instead of 1480, for 356 MiB at peak instead of 393 (the peer's is
 * 1449). At 1000 stages the peak is 151 MiB against 159, at the same latency.
 */
export const LARGE_MANIFEST = 1024 * 1024;

export class HeapPolicy {
  private growing: boolean | undefined;

  constructor(private readonly set: (flags: string) => void = setFlagsFromString) {}

  /** At start, before the server's modules load (they would grow the young generation first). */
  start(): void {
    this.set('--heap-growing-percent=50');
    this.forManifest(0);
  }

  /** Before analysing a manifest of `length` characters. */
  forManifest(length: number): void {
    const grow = length >= LARGE_MANIFEST;
    if (grow === this.growing) return;
    this.growing = grow;
    // Read each time V8 would grow the young generation: 1 keeps its size, 2 is V8's default.
    this.set(`--semi-space-growth-factor=${grow ? 2 : 1}`);
  }
}

/** The server process's policy (lsp/heap-start.ts starts it). */
export const heap = new HeapPolicy();
