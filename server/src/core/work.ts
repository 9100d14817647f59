/**
 * Work counted in steps: a character scanned, a node or a line visited, a stage checked by a rule.
 * Steps, not time, are what tests measure (a scanner is linear when its steps are), and what
 * `Limits.maxWork` bounds: an analysis that would need more stops and says so, so no document can
 * starve the others. A counter belongs to one call; nothing here outlives it.
 */
export class Work {
  steps = 0;

  /** `limit`: the most steps allowed; past it, `add` throws `OutOfWork`. */
  constructor(readonly limit = Infinity) {}

  add(steps = 1): void {
    this.steps += steps;
    if (this.steps > this.limit) throw new OutOfWork(this.limit);
  }
}

/** Thrown by `Work.add` past the limit; `analyze` catches it and reports what it found until then. */
export class OutOfWork extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} steps of work`);
    this.name = 'OutOfWork';
  }
}
