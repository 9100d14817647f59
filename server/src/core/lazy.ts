/** What a lazy property computes its value with, until it is first read. */
class Pending<V> {
  constructor(readonly compute: () => V) {}
}

/**
 * A property computed when first read, then kept: `define(target, compute)` gives `target` an own,
 * enumerable `key`, so JSON output, spreads and the redaction walk see it as any other property.
 *
 * Every object given `key` this way shares one accessor, and V8 keeps objects that share one in
 * one hidden class. An object literal's own getter (`{ get key() { … } }`) is a new function per
 * object: V8 gave each such object a property dictionary of its own, about 450 bytes for a cost
 * line item, thousands of which are made on open and kept (and copied by every scavenge until
 * they are old).
 */
export function lazyProperty<V>(key: string): (target: object, compute: () => V) => void {
  // Where each object keeps its computation, then its value: under a symbol, not enumerable, which
  // JSON output, spreads, comparisons and for…in do not see.
  const slot = Symbol(key);
  const accessor: PropertyDescriptor = Object.freeze({
    enumerable: true,
    configurable: true,
    get(this: Record<symbol, unknown>): V {
      const held = this[slot];
      if (!(held instanceof Pending)) return held as V;
      // What the computation holds (a version of the text, nodes) is let go once it has run.
      const value = (held as Pending<V>).compute();
      this[slot] = value;
      return value;
    },
  });
  return (target, compute) => {
    Object.defineProperty(target, key, accessor);
    Object.defineProperty(target, slot, { value: new Pending(compute), writable: true });
  };
}
