import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar } from 'yaml';

/** The deepest key or value at an offset, with its path of keys and indices from the root. */
export interface Located {
  path: Array<string | number>;
  target: 'key' | 'value';
  node: Node;
  pair?: Pair<Node, Node | null>;
}

function within(node: Node | null | undefined, offset: number): boolean {
  const r = node?.range;
  return !!r && offset >= r[0] && offset <= r[1];
}

export function locate(doc: Document, offset: number): Located | undefined {
  let node = doc.contents as Node | null;
  const path: Array<string | number> = [];
  let found: Located | undefined;
  for (let depth = 0; node && depth < 128; depth++) {
    if (isMap(node)) {
      let next: Node | null = null;
      for (const item of node.items as Pair<Node, Node | null>[]) {
        if (within(item.key, offset)) {
          return { path: [...path, String((item.key as Scalar).value)], target: 'key', node: item.key, pair: item };
        }
        if (within(item.value, offset)) {
          path.push(isScalar(item.key) ? String(item.key.value) : '?');
          next = item.value;
          found = { path: [...path], target: 'value', node: item.value!, pair: item };
          break;
        }
      }
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => within(it as Node, offset));
      if (i === -1) break;
      path.push(i);
      node = node.items[i] as Node;
      found = { path: [...path], target: 'value', node };
    } else break;
  }
  return found && isScalar(found.node) ? found : found;
}
