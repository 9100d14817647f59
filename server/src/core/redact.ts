import { md } from './markup';
import type { ParsedFile } from './parse';
import { credentialSpans, isSecretKey, literalSecrets, printable, secretLiteral, type LiteralSecret } from './secrets';

/**
 * The one redaction layer. Every output of the product (CLI formats, LSP messages of any kind,
 * logs, panel data) passes through a `Redactor` before it leaves: it masks every value a manifest
 * holds as a secret (by key or by shape, wherever else it is repeated: a stage name, an alias, a
 * message, a source line) and every credential-shaped token, whether a finding was silenced or not.
 *
 * Matching is linear in the text: the known secrets are searched together with Aho-Corasick, and
 * credential shapes with the linear scanner of secrets.ts.
 */

export const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for: masking every "abc" would garble all output. */
const MIN_SECRET = 4;
/** A message may shorten a long value: a prefix this long of a secret is masked too. */
const MIN_PREFIX = 12;

/**
 * Automaton over the known secrets (Aho-Corasick); states are numbered, 0 is the root. Every
 * transition lives in one map keyed by `state * 65536 + char`, and the rest in typed arrays, so
 * tens of thousands of secrets (a hostile file) cost a few bytes a character, not a map a state.
 */
interface Automaton {
  next: Transitions;
  fail: Int32Array;
  depth: Int32Array;
  /** Length of the longest whole secret that ends at this state (0: none). */
  whole: Int32Array;
  /** The root's transitions by character (0: none): most characters of an output start nothing. */
  root: Int32Array;
  /**
   * The secrets' openings (their first MIN_SECRET characters) as one native search, when there are
   * few: a text with none of them holds no match, and most outputs (messages, names) hold none, so
   * they are not walked a character at a time. Undefined for many secrets (a hostile file).
   */
  openings: RegExp | undefined;
}

/** At most this many distinct openings are searched for natively before the walk. */
const MAX_OPENINGS = 256;

/** An open-addressing hash table from (state, character) to state, in typed arrays. */
class Transitions {
  private states: Int32Array;
  private chars: Int32Array;
  private targets: Int32Array;
  private mask: number;
  private size = 0;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.states = new Int32Array(capacity).fill(-1);
    this.chars = new Int32Array(capacity);
    this.targets = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  private slot(state: number, c: number): number {
    let i = Math.imul(Math.imul(state, 0x9e3779b1) ^ c, 0x85ebca6b) & this.mask;
    while (this.states[i] !== -1 && (this.states[i] !== state || this.chars[i] !== c)) i = (i + 1) & this.mask;
    return i;
  }

  get(state: number, c: number): number | undefined {
    const i = this.slot(state, c);
    return this.states[i] === -1 ? undefined : this.targets[i];
  }

  set(state: number, c: number, target: number): void {
    if ((this.size + 1) * 2 > this.mask + 1) this.grow();
    const i = this.slot(state, c);
    if (this.states[i] === -1) this.size++;
    this.states[i] = state;
    this.chars[i] = c;
    this.targets[i] = target;
  }

  private grow(): void {
    const { states, chars, targets } = this;
    this.states = new Int32Array(states.length * 2).fill(-1);
    this.chars = new Int32Array(states.length * 2);
    this.targets = new Int32Array(states.length * 2);
    this.mask = states.length * 2 - 1;
    this.size = 0;
    for (let i = 0; i < states.length; i++) if (states[i] !== -1) this.set(states[i]!, chars[i]!, targets[i]!);
  }
}

function build(patterns: readonly string[]): Automaton {
  const next = new Transitions(patterns.reduce((n, p) => n + p.length, 0));
  const parent = [0];
  const via = [0];
  const depthList = [0];
  const wholeList = [0];
  for (const p of patterns) {
    let s = 0;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      let t = next.get(s, c);
      if (t === undefined) {
        t = parent.length;
        parent.push(s);
        via.push(c);
        depthList.push(depthList[s]! + 1);
        wholeList.push(0);
        next.set(s, c, t);
      }
      s = t;
    }
    wholeList[s] = p.length;
  }
  const n = parent.length;
  const depth = Int32Array.from(depthList);
  const whole = Int32Array.from(wholeList);
  const fail = new Int32Array(n);
  // States by depth (a counting sort), so a state's fail link is final before its children need it.
  const byDepth = new Int32Array(n);
  const counts = new Int32Array(depth.reduce((m, d) => Math.max(m, d), 0) + 2);
  for (let t = 0; t < n; t++) counts[depth[t]! + 1]!++;
  for (let d = 1; d < counts.length; d++) counts[d]! += counts[d - 1]!;
  for (let t = 0; t < n; t++) byDepth[counts[depth[t]!]!++] = t;
  for (let q = 0; q < n; q++) {
    const t = byDepth[q]!;
    const s = parent[t]!;
    if (t === 0 || s === 0) continue;
    const c = via[t]!;
    let f = fail[s]!;
    let g = next.get(f, c);
    while (g === undefined && f !== 0) {
      f = fail[f]!;
      g = next.get(f, c);
    }
    fail[t] = g ?? 0;
    whole[t] = Math.max(whole[t]!, whole[fail[t]!]!);
  }
  const root = new Int32Array(65536);
  for (let t = 1; t < n; t++) if (parent[t] === 0) root[via[t]!] = t;
  // Every match (a whole secret, or a prefix of MIN_PREFIX characters) starts with the first
  // MIN_SECRET characters of some secret (every pattern has at least that many).
  const openings = new Set(patterns.map((p) => p.slice(0, MIN_SECRET)));
  const escaped = [...openings].map((o) => o.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  return { next, fail, depth, whole, root, openings: openings.size <= MAX_OPENINGS ? new RegExp(escaped.join('|')) : undefined };
}

/** The spans of `text` to mask, merged and in order. */
function spansOf(text: string, automaton: Automaton | undefined): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const add = (start: number, end: number) => {
    const last = spans[spans.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else spans.push([start, end]);
  };
  const shaped = credentialSpans(text);
  let k = 0;
  const flushShaped = (upTo: number) => {
    while (k < shaped.length && shaped[k]!.start <= upTo) {
      add(shaped[k]!.start, shaped[k]!.end);
      k++;
    }
  };
  if (automaton && (!automaton.openings || automaton.openings.test(text))) {
    const { next, fail, depth, whole, root } = automaton;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (s === 0) {
        s = root[c]!;
        if (s === 0) continue;
      } else {
        let t = next.get(s, c);
        while (t === undefined && s !== 0) {
          s = fail[s]!;
          t = s === 0 ? root[c] || undefined : next.get(s, c);
        }
        s = t ?? 0;
      }
      if (s === 0) continue;
      // A whole secret, or a long enough prefix of one (a shortened quote), ends here.
      const len = Math.max(whole[s]!, depth[s]! >= MIN_PREFIX ? depth[s]! : 0);
      if (len > 0) {
        flushShaped(i + 1 - len);
        add(i + 1 - len, i + 1);
      }
    }
  }
  flushShaped(Infinity);
  spans.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
    else merged.push([sp[0], sp[1]]);
  }
  return merged;
}

/** Keys whose values name a place, never free text: left as they are so links and files still work. */
const KEEP_KEYS = new Set(['uri', 'targetUri', 'jsonrpc', 'method', 'href', 'helpUri', 'informationUri', '$schema']);

/**
 * Protocol words: under these keys a value from this fixed vocabulary (a diagnostic's source, a
 * markup kind, a SARIF level or version) is the protocol's, not the manifest's, and stays as it
 * is even if a secret happens to be spelt the same; any other value under them is masked as usual.
 */
const PROTOCOL_KEYS = new Set([
  'source',
  'kind',
  'level',
  'version',
  'semanticVersion',
  'columnKind',
  'code',
  'ruleId',
  'id',
  'messageId',
  'severity',
  'command',
]);
const PROTOCOL_WORD =
  /^(?:barecount|markdown|plaintext|quickfix|source(?:\.fixAll(?:\.barecount)?)?|refactor|error|warning|note|none|info|hint|utf16CodeUnits|inSource|external|\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?|BC\d{3}|barecount\.[A-Za-z.]+|editor\.action\.[A-Za-z]+)$/;

/** Whether a string under `key` is left as it is. */
function kept(key: string | undefined, value: string): boolean {
  if (key === undefined) return false;
  return KEEP_KEYS.has(key) || (PROTOCOL_KEYS.has(key) && PROTOCOL_WORD.test(value));
}

/** How many texts, and how long, a redactor remembers having masked. */
const MEMO_ENTRIES = 20_000;
const MEMO_TEXT = 1024;

export class Redactor {
  private readonly automaton: Automaton | undefined;
  /** The secrets searched for (each in the forms outputs write it: raw, JSON-escaped, Markdown-escaped). */
  readonly secrets: readonly string[];

  constructor(secrets: Iterable<string> = []) {
    const forms = new Set<string>();
    for (const s of secrets) for (const f of formsOf(s)) if (f.length >= MIN_SECRET) forms.add(f);
    this.secrets = [...forms].sort();
    this.automaton = this.secrets.length > 0 ? build(this.secrets) : undefined;
  }

  /** A redactor that masks the secrets of both. */
  with(other: Redactor): Redactor {
    if (other.secrets.length === 0) return this;
    if (this.secrets.length === 0) return other;
    return new Redactor([...this.secrets, ...other.secrets]);
  }

  /** Whether the two mask the same secrets (a server rebuilds its union only when this changes). */
  sameAs(other: Redactor): boolean {
    return this.secrets.length === other.secrets.length && this.secrets.every((s, i) => s === other.secrets[i]);
  }

  /**
   * Texts this redactor has masked, and how: a server publishes the same few thousand messages
   * after every edit, and each is scanned once. Bounded; a redactor lives until the secrets change.
   */
  private readonly done = new Map<string, string>();

  /** The text with every secret and credential-shaped token masked. */
  text(text: string): string {
    const known = this.done.get(text);
    if (known !== undefined) return known;
    const spans = spansOf(text, this.automaton);
    let out = text;
    if (spans.length > 0) {
      out = '';
      let at = 0;
      for (const [start, end] of spans) {
        out += text.slice(at, start) + REDACTED;
        at = end;
      }
      out += text.slice(at);
    }
    // Short texts only (messages, names): a document's text is not kept twice.
    if (text.length <= MEMO_TEXT) {
      if (this.done.size >= MEMO_ENTRIES) this.done.clear();
      this.done.set(text, out);
    }
    return out;
  }

  /** The text with every secret replaced by as many `*` as it has characters: a source line keeps its columns. */
  mask(text: string): string {
    const spans = spansOf(text, this.automaton);
    if (spans.length === 0) return text;
    let out = '';
    let at = 0;
    for (const [start, end] of spans) {
      out += text.slice(at, start) + '*'.repeat(end - start);
      at = end;
    }
    return out + text.slice(at);
  }

  /** Whether the text holds anything `text()` would mask. */
  holds(text: string): boolean {
    return spansOf(text, this.automaton).length > 0;
  }

  /** Plain data (as sent over JSON) with every string masked, copied where anything is; place names (`uri`) are kept. */
  deep<T>(value: T): T {
    return walk(value, this, undefined) as T;
  }

  /** Plain data as JSON, every string value masked before it is escaped (so no escape hides a secret). */
  json(value: unknown, indent?: number): string {
    return JSON.stringify(value, (key, v: unknown) => (typeof v === 'string' && !kept(key, v) ? this.text(v) : v), indent);
  }

  /** Whether any string of plain data holds a secret. */
  deepHolds(value: unknown): boolean {
    let found = false;
    walkStrings(value, (s) => {
      if (!found && this.holds(s)) found = true;
    });
    return found;
  }
}

function walk(value: unknown, r: Redactor, key: string | undefined): unknown {
  if (typeof value === 'string') return kept(key, value) ? value : r.text(value);
  if (Array.isArray(value)) {
    // Copied only from the first element that changes: thousands of diagnostics with nothing to
    // mask are sent as they are.
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = walk(value[i], r, undefined);
      if (v !== value[i] && !out) out = value.slice(0, i);
      out?.push(v);
    }
    return out ?? value;
  }
  if (value && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    const source = value as Record<string, unknown>;
    for (const k in source) {
      if (!Object.prototype.hasOwnProperty.call(source, k)) continue;
      const v = walk(source[k], r, k);
      if (v !== source[k] && !out) {
        out = {};
        for (const before in source) {
          if (before === k) break;
          if (Object.prototype.hasOwnProperty.call(source, before)) out[before] = source[before];
        }
      }
      if (out) out[k] = v;
    }
    return out ?? value;
  }
  return value;
}

function walkStrings(value: unknown, f: (s: string) => void): void {
  const stack = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') f(v);
    else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') stack.push(...Object.values(v));
  }
}

/** The forms in which outputs write a value: as is, trimmed, inside a JSON string, escaped for Markdown, with control characters replaced. */
function formsOf(secret: string): string[] {
  // Most secrets are one plain token: every form of it is the same.
  if (PLAIN.test(secret)) return [secret];
  const trimmed = secret.trim();
  const controlled = printable(trimmed);
  // As quote() writes it (control characters replaced, then JSON-escaped) and as YAML quotes it.
  const forms = [
    secret,
    trimmed,
    JSON.stringify(trimmed).slice(1, -1),
    md(trimmed),
    controlled,
    JSON.stringify(controlled).slice(1, -1),
    trimmed.replace(/'/g, "''"),
  ];
  // Every line of a multi-line secret (a key block) is a secret of its own: sources print lines.
  if (trimmed.includes('\n')) for (const line of trimmed.split('\n')) forms.push(line.trim());
  return forms;
}

/** Characters no escaping (JSON, Markdown, control) changes, and no spaces to trim. */
const PLAIN = /^[A-Za-z0-9,;%/+=?^{}().-]*$/;

/**
 * Every secret a manifest holds, as the redaction layer needs them: the values BC201 classifies
 * (by key or by shape, read from the syntax tree where it parsed, so aliases and block scalars
 * count), values under secret keys on any line (so broken YAML and comments count too), and
 * credential-shaped tokens anywhere in the text. Ignore comments do not matter here.
 */
export function secretsOf(file: ParsedFile, walked?: ReadonlyMap<number, readonly LiteralSecret[]>): string[] {
  const out = new Set<string>();
  for (const document of file.documents) collectFromTree(file.text, walked?.get(document.index) ?? literalSecrets(document.doc.contents), out);
  secretsInText(file.text, out);
  return [...out];
}

/** Secrets found in any text without parsing it: keyed values line by line, and credential shapes. */
export function secretsInText(text: string, out = new Set<string>()): Set<string> {
  for (const span of credentialSpans(text)) out.add(text.slice(span.start, span.end));
  keyedValues(text, out);
  return out;
}

function collectFromTree(text: string, hits: readonly LiteralSecret[], out: Set<string>): void {
  for (const { node } of hits) {
    out.add(typeof node.value === 'string' ? node.value : String(node.value));
    if (typeof node.value !== 'string') {
      // A numeric PIN or password, in the form it was written too.
      if (typeof node.source === 'string') out.add(node.source);
      continue;
    }
    // A value written over several lines (plain, quoted or block) prints line by line in source
    // listings: each of its lines is a secret too.
    const r = node.range;
    if (r && spansLines(text, r[0], r[1])) for (const line of text.slice(r[0], r[1]).split('\n')) out.add(line.trim().replace(/^["']|["']$/g, ''));
  }
}

/** Whether text[start, end) holds a line break; reads only that range (values never overlap). */
function spansLines(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === 10) return true;
  return false;
}

/** Every secret key holds one of these words (as written, before isSecretKey's normalising): keyedValues searches for them. */
const MAYBE_SECRET_KEY = 'pass|secret|token|key|cred';

/** `[A-Za-z0-9_.-]`, by character code: read around every secret word keyedValues finds. */
function isKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}

/**
 * `key: value` pairs under secret keys, found by scanning the text once (no parse): block and
 * flow pairs, quoted or plain, in comments too. The scan goes from one of the words every secret
 * key holds to the next (a native search), not from colon to colon: most keys hold none. From a
 * word it reads on to the end of the key around it; a key followed by `: ` is then read as a
 * colon-to-colon scan would read it. The cursor only moves forward, and the backward look for a
 * key stops where the last pair ended, so the scan is linear.
 */
function keyedValues(text: string, out: Set<string>): void {
  const n = text.length;
  let floor = 0;
  // The end of the line the cursor is on, found once per line however many pairs it holds.
  let lineEnd = -1;
  let wholeLineDone = -1;
  const words = new RegExp(MAYBE_SECRET_KEY, 'gi');
  while (words.test(text)) {
    // The rest of the key the word is in (each key's run is read once: the search goes on past it).
    let i = words.lastIndex;
    while (i < n && isKeyChar(text.charCodeAt(i))) i++;
    words.lastIndex = i;
    if (text[i] === '"' || text[i] === "'") i++;
    if (text[i] !== ':') continue;
    const after = i + 1 < n ? text.charCodeAt(i + 1) : 10;
    if (after !== 32 && after !== 9 && after !== 10 && after !== 13) continue;
    let keyEnd = i;
    const q = text[i - 1];
    if ((q === '"' || q === "'") && i - 1 > floor) keyEnd = i - 1;
    let keyStart = keyEnd;
    while (keyStart > floor && isKeyChar(text.charCodeAt(keyStart - 1))) keyStart--;
    floor = i + 1;
    words.lastIndex = floor;
    if (keyEnd - keyStart < 5) continue;
    const key = text.slice(keyStart, keyEnd);
    if (!isSecretKey(key)) continue;
    let j = i + 1;
    while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
    if (j > lineEnd) lineEnd = endOfLine(text, j);
    const first = text[j];
    let value: string;
    let end: number;
    if (first === '"' || first === "'") {
      let close = j + 1;
      while (close < lineEnd) {
        if (text[close] === first) {
          // In single quotes, '' is an escaped quote, not the end.
          if (first === "'" && text[close + 1] === "'") close++;
          else break;
        }
        close++;
      }
      value = text.slice(j + 1, close);
      end = Math.min(close + 1, lineEnd);
    } else {
      end = j;
      while (end < lineEnd && text[end] !== ',' && text[end] !== '}' && text[end] !== ']' && !isCommentStart(text, end)) end++;
      value = text.slice(j, end).trim();
      // In block style a plain scalar runs to the end of the line: keep that reading too (once a line).
      if (end < lineEnd && text[end] === ',' && wholeLineDone !== lineEnd) {
        wholeLineDone = lineEnd;
        let full = end;
        while (full < lineEnd && !isCommentStart(text, full)) full++;
        const whole = text.slice(j, full).trim();
        if (whole !== value && whole.length >= MIN_SECRET) out.add(whole);
      }
    }
    floor = Math.max(floor, end);
    words.lastIndex = floor;
    if (value && !/^[|>][-+0-9]*$/.test(value) && secretLiteral('password', value)) out.add(value);
  }
}

function isCommentStart(text: string, at: number): boolean {
  return text[at] === '#' && (at === 0 || text[at - 1] === ' ' || text[at - 1] === '\t');
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  const end = nl === -1 ? text.length : nl;
  return end > from && text[end - 1] === '\r' ? end - 1 : end;
}
