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
 * far less on bare metal. A 1000-stage manifest (420 KB), interleaved runs over stdio:
 * - growing from the open: 14,000 page faults in the open, open 567–827 ms, edits 99–110 ms
 *   (median of 30), peak 133–149 MiB;
 * - never growing: 6,400 page faults, open 415–620 ms, edits 101–129 ms, peak 101–110 MiB;
 * - growing from the first edit (this policy): open 437–519 ms, edits 95–116 ms, peak 134–147 MiB.
 *   The first edit pays for the growth: 266–346 ms, against 179–259 never growing.
 * So a manifest is opened (its first analysis, or a one-off analysis such as a git baseline's) with
 * the young generation kept at its size under LARGE_TO_OPEN characters, and edited with it free to
 * grow from LARGE_MANIFEST characters: the open is what a person waits for, and the edits after it
 * keep their scavenges few. A 5000-stage manifest (2 MB) grows as it opens: there, a young
 * generation that never grows made edits take 684–806 ms against 577–748, and the open no faster.
 * Between 420 KB and 2 MB nothing was measured; the line is drawn at 1 MiB (about 2000 stages).
 * The young generation does not shrink back after a large manifest until V8 decides to.
 *
 * The old generation grows by half past what a full collection kept. By a quarter (this server's
 * setting before), a 5000-stage manifest was collected so often that an edit took 334 ms instead of
 * 293 and opening it 1618 ms instead of 1480, for 356 MiB at peak instead of 393 (the peer's is
 * 1449). At 1000 stages the peak is 151 MiB against 159, at the same latency.
 */
export const LARGE_MANIFEST = 128 * 1024;
export const LARGE_TO_OPEN = 1024 * 1024;

export class HeapPolicy {
  private growing: boolean | undefined;

  constructor(private readonly set: (flags: string) => void = setFlagsFromString) {}

  /** At start, before the server's modules load (they would grow the young generation first). */
  start(): void {
    this.set('--heap-growing-percent=50');
    this.forManifest(0);
  }

  /** Before analysing a manifest of `length` characters: `opening` it (see above), or again after an edit. */
  forManifest(length: number, opening = false): void {
    const grow = length >= (opening ? LARGE_TO_OPEN : LARGE_MANIFEST);
    if (grow === this.growing) return;
    this.growing = grow;
    // Read each time V8 would grow the young generation: 1 keeps its size, 2 is V8's default.
    this.set(`--semi-space-growth-factor=${grow ? 2 : 1}`);
  }
}

/** The server process's policy (lsp/heap-start.ts starts it). */
export const heap = new HeapPolicy();
