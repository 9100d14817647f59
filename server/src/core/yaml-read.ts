import { isMap, isPair, isScalar, isSeq, parseAllDocuments, parseDocument, YAMLParseError, type Document, type Node } from 'yaml';

/**
 * The one way the engine asks the yaml library to read text. Duplicate keys are found here in
 * one pass (the library's own `uniqueKeys` check compares every key with every other: a mapping
 * of 30,000 keys took a minute), and the library never writes warnings to the process (they quote
 * the source, which may hold a secret).
 */
const OPTIONS = { prettyErrors: false, uniqueKeys: false, logLevel: 'error' } as const;

export function readAllDocuments(text: string): Document.Parsed[] {
  const parsed = withoutStacks(() => parseAllDocuments(text, OPTIONS));
  const docs = Array.isArray(parsed) ? parsed : [];
  for (const doc of docs) addDuplicateKeyErrors(doc);
  return docs;
}

export function readDocument(text: string): Document.Parsed {
  const doc = withoutStacks(() => parseDocument(text, OPTIONS));
  addDuplicateKeyErrors(doc);
  return doc;
}

/**
 * The library reports each syntax error as an Error, and V8 captures a stack trace for each:
 * broken text of a few hundred thousand errors spent seconds on traces nobody reads. The limit
 * is restored before anything else runs.
 */
function withoutStacks<T>(f: () => T): T {
  const saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return f();
  } finally {
    Error.stackTraceLimit = saved;
  }
}

function addDuplicateKeyErrors(doc: Document.Parsed): void {
  const stack: unknown[] = [doc.contents];
  const found: YAMLParseError[] = [];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        if (isScalar(key) && key.range) {
          const id = `${typeof key.value}:${String(key.value)}`;
          if (seen.has(id)) found.push(new YAMLParseError([key.range[0], key.range[1]], 'DUPLICATE_KEY', 'Map keys must be unique'));
          else seen.add(id);
        } else if (key) stack.push(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(item);
    }
  }
  if (found.length) {
    found.sort((a, b) => a.pos[0] - b.pos[0]);
    doc.errors.push(...found);
  }
}
