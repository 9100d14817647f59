/**
 * Data whose JSON is made once. A keystroke republishes every diagnostic of a document, nearly all
 * of them the objects of the publish before (convert.ts DiagnosticCache); making their JSON again
 * was most of the publish's cost. A kept object holds its JSON (in ASCII) under a symbol, which
 * JSON, the redaction walk, assertions and logs do not read, and which goes when the object goes.
 *
 * Safe with the redaction layer because a kept object cannot change: the redactor (run on every
 * message before it is written) either passes the very object, whose JSON then holds only what it
 * just checked, or writes a masked copy, which holds no JSON. `keepJson` freezes the object and
 * everything in it, so code that tried to change one after its JSON was made would throw rather
 * than publish the old text (a message holding a secret the redactor no longer saw).
 *
 * The JSON is made the second time a message holds the object, not the first: written one by one,
 * a slice's elements cost more than the slice written whole (a 1000-stage manifest's open took 20
 * ms to write against 12), and the open is what a person waits for; most diagnostics published
 * twice are published many times. NEW and SEEN (no value has either as its JSON) mark the first two.
 */
const KEPT = Symbol('json');
const NEW = '';
const SEEN = ' ';

/** Where a kept object's JSON is: writable, while the object itself is frozen. */
export interface KeptJson {
  json: string;
}

/**
 * A kept object's JSON for this write, made by `toJson` the second time it is written; undefined
 * the first time (it is then written with its slice, and its own JSON is made if it comes back).
 */
export function jsonToWrite(kept: KeptJson, value: unknown, toJson: (value: unknown) => string): string | undefined {
  if (kept.json === NEW) {
    kept.json = SEEN;
    return undefined;
  }
  if (kept.json === SEEN) kept.json = toJson(value);
  return kept.json;
}

interface Kept {
  [KEPT]?: KeptJson;
}

/**
 * Marks plain data (a diagnostic) that is never changed after this call, and freezes it (deeply):
 * the writer makes its JSON once and writes it from there in every message that holds it.
 */
export function keepJson<T extends object>(value: T): T {
  if ((value as Kept)[KEPT] !== undefined) return value;
  // Not enumerable: what compares or prints the object sees the data only.
  Object.defineProperty(value, KEPT, { value: { json: NEW } });
  freezeDeep(value);
  return value;
}

/** Where a kept object keeps its JSON; undefined for anything else. */
export function keptJsonOf(value: unknown): KeptJson | undefined {
  return typeof value === 'object' && value !== null ? (value as Kept)[KEPT] : undefined;
}

/** Freezes plain data and every object in it (already frozen parts, such as shared doc links, are left). */
function freezeDeep(value: object): void {
  const stack: object[] = [value];
  while (stack.length > 0) {
    const o = stack.pop()!;
    if (Object.isFrozen(o)) continue;
    Object.freeze(o);
    for (const k in o) {
      const v = (o as Record<string, unknown>)[k];
      if (typeof v === 'object' && v !== null) stack.push(v);
    }
  }
}
