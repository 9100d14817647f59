import type { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { MAP_TYPE, PAIR_TYPE, SCALAR_TYPE, SEQ_TYPE, hasRange, typeTag } from './yaml-ast';
import type { Work } from './work';

/**
 * Recognising secrets written as literals (BC201), and keeping them out of every message.
 * Nothing here ever returns the secret text itself: callers get a kind, never the value.
 */

const SECRET_WORD = /(password|passwd|passphrase|secret|token|apikey|privatekey|credential|accesskey)/;
/** Keys that name where a secret lives or how it is used, not the secret: PASSWORD_FILE, TOKEN_URL. */
const NOT_A_VALUE = /(file|path|url|uri|ref|name|endpoint|ttl|expiry|expires|header|type|length)$/;

/**
 * The credential shapes, most specific first: a value that holds several is reported as the
 * first. Each is read by the scanner below in one pass over the text, so a value costs time in
 * proportion to its length whatever it holds (regular expressions took quadratic time on values
 * such as `eyJ-eyJ-eyJ-…` or `a.a.a.…@`). What each shape is, as the expression it replaces;
 * a text holds a credential exactly where one of these would match:
 *
 * - a private key block: `-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----`
 * - a cloud access key: `\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b`
 * - a cloud API key: `\bAIza[0-9A-Za-z_-]{35}\b`
 * - a JWT: `\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*`
 * - a bearer token: `\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*`, in any case
 * - credentials in a URL: `\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@[^\s/@]+`, in any case
 * - an access token: `\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_]{20})`
 *
 * A span is the expression's match, longer in two cases so that masking it hides the secret: a
 * private key block runs on over the key after its header (through its `-----END …-----` line),
 * and a GitLab token over the rest of its word.
 */
const KINDS: readonly string[] = [
  'a private key block',
  'a cloud access key',
  'a cloud API key',
  'a JWT',
  'a bearer token',
  'credentials in a URL',
  'an access token',
];

const PRIVATE_KEY = 0;
const CLOUD_ACCESS_KEY = 1;
const CLOUD_API_KEY = 2;
const JWT = 3;
const BEARER = 4;
const URL_CREDENTIALS = 5;
const ACCESS_TOKEN = 6;

/** Values that only point at a secret, never hold one. */
const REFERENCE = /^\s*(\$\{secret:[^}]*\}|secret:\/\/\S*)\s*$/;

/** Something every shape above needs; most texts fail this one test (linear: short literals) and skip the scan. */
const MAYBE = /-----BEGIN|A(?:KIA|SIA|GPA|IDA|ROA|NPA|Iza)|eyJ|bearer|@|gh[pousr]_|github_pat_|xox|sk_live_|glpat-/i;

/** A credential-shaped token in a text: where it is and what it looks like, never its text. */
export interface CredentialSpan {
  start: number;
  end: number;
  kind: string;
}

/**
 * Every credential-shaped token anywhere in a text (a value, a whole line, a message, a JSON
 * string), sorted and without overlaps: tokens that overlap merge and keep the kind listed first.
 * Time linear in the text's length; `work` counts the steps.
 */
export function credentialSpans(text: string, work?: Work): CredentialSpan[] {
  work?.add(text.length);
  if (text.length < 8 || !MAYBE.test(text)) return [];
  return scan(text, work).map((s) => ({ start: s.start, end: s.end, kind: KINDS[s.kind]! }));
}

/**
 * The kind of credential a value looks like, whatever key holds it: the first kind among the
 * spans it contains. A value that only refers to a secret (`${secret:NAME}`, `secret://…`) has none.
 */
export function credentialKind(value: string): string | undefined {
  if (value.length < 8 || !MAYBE.test(value) || REFERENCE.test(value)) return undefined;
  let first = KINDS.length;
  for (const s of scan(value, undefined)) first = Math.min(first, s.kind);
  return KINDS[first];
}

interface Found {
  start: number;
  end: number;
  kind: number;
}

function scan(text: string, work: Work | undefined): Found[] {
  const found: Found[] = [];
  privateKeys(text, found, work);
  wordTokens(text, found, work);
  found.sort((a, b) => a.start - b.start || a.kind - b.kind);
  const out: Found[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      last.kind = Math.min(last.kind, f.kind);
    } else out.push({ ...f });
  }
  return out;
}

/**
 * Where a run of characters of one class ends, remembered. Each `Run` is asked about offsets
 * that only move forward, so it reads no character twice: that is what keeps the scan linear
 * where `eyJ-eyJ-…` made a regular expression re-read the rest of the text at every `eyJ`.
 */
class Run {
  private from = 0;
  private end = -1;

  constructor(
    private readonly text: string,
    private readonly inClass: (c: number) => boolean,
    private readonly work: Work | undefined,
  ) {}

  /** The end of the run of the class from `at` (`at` itself when that character is not of it). */
  endFrom(at: number): number {
    if (at >= this.from && at <= this.end) return this.end;
    const t = this.text;
    let e = at;
    while (e < t.length && this.inClass(t.charCodeAt(e))) e++;
    this.work?.add(e - at + 1);
    this.from = at;
    this.end = e;
    return e;
  }
}

// Character classes by code (NaN, past the end of the text, is in none of them).
const isDigit = (c: number) => c >= 48 && c <= 57;
const isUpper = (c: number) => c >= 65 && c <= 90;
const isLetter = (c: number) => isUpper(c) || (c >= 97 && c <= 122);
const isAlnum = (c: number) => isDigit(c) || isLetter(c);
/** `\w` (no `u` flag). */
const isWord = (c: number) => isAlnum(c) || c === 95;
/** `\s`. */
const isSpace = (c: number) =>
  c === 32 ||
  (c >= 9 && c <= 13) ||
  c === 0xa0 ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000 ||
  c === 0xfeff;
const isUpperDigit = (c: number) => isUpper(c) || isDigit(c);
/** `[A-Za-z0-9_-]`: base64url, the alphabet of JWTs and cloud API keys. */
const isBase64Url = (c: number) => isWord(c) || c === 45;
const isBearerChar = (c: number) => isAlnum(c) || c === 45 || c === 46 || c === 95 || c === 126 || c === 43 || c === 47;
const isSchemeChar = (c: number) => isAlnum(c) || c === 43 || c === 46 || c === 45;
const isUserChar = (c: number) => !Number.isNaN(c) && !isSpace(c) && c !== 58 && c !== 47 && c !== 64;
const isHostChar = (c: number) => !Number.isNaN(c) && !isSpace(c) && c !== 47 && c !== 64;
const isAlnumDash = (c: number) => isAlnum(c) || c === 45;
const isEquals = (c: number) => c === 61;
/** A PEM key's body: base64, line breaks and indentation, and `\n` as JSON writes it. */
const isKeyBody = (c: number) => isAlnum(c) || c === 43 || c === 47 || c === 61 || c === 32 || c === 9 || c === 10 || c === 13 || c === 92;
const isLabelChar = (c: number) => isUpperDigit(c) || c === 32;

/** `-----BEGIN … PRIVATE KEY-----` headers, each with the key that follows it. */
function privateKeys(t: string, out: Found[], work: Work | undefined): void {
  const body = new Run(t, isKeyBody, work);
  let from = 0;
  for (;;) {
    const b = t.indexOf('-----BEGIN ', from);
    work?.add((b === -1 ? t.length : b) - from + 1);
    if (b === -1) return;
    const header = privateKeyHeaderEnd(t, b + 11, work);
    if (header === -1) {
      // Header walks stop at the next `-`, so the walks of successive headers never overlap.
      from = b + 1;
      continue;
    }
    let end = body.endFrom(header);
    if (t.startsWith('-----END ', end)) {
      let p = end + 9;
      while (p < t.length && isLabelChar(t.charCodeAt(p))) p++;
      work?.add(p - end);
      if (t.startsWith('-----', p)) end = p + 5;
    }
    while (end > header && isSpace(t.charCodeAt(end - 1))) end--;
    out.push({ start: b, end, kind: PRIVATE_KEY });
    // The next header may start inside the key just masked (as the expression's next match
    // would): search on from this header's end; overlapping spans merge.
    from = header;
  }
}

/** After `-----BEGIN `: words of `[A-Z0-9]`, each followed by a space, up to `PRIVATE KEY( BLOCK)?-----`. */
function privateKeyHeaderEnd(t: string, at: number, work: Work | undefined): number {
  let p = at;
  for (;;) {
    if (t.startsWith('PRIVATE KEY', p)) {
      if (t.startsWith(' BLOCK-----', p + 11)) return p + 22;
      if (t.startsWith('-----', p + 11)) return p + 16;
    }
    let w = p;
    while (w < t.length && isUpperDigit(t.charCodeAt(w))) w++;
    work?.add(w - p + 1);
    if (w === p || t.charCodeAt(w) !== 32) return -1;
    p = w + 1;
  }
}

const ACCESS_KEY_PREFIXES: readonly string[] = ['AKIA', 'ASIA', 'AGPA', 'AIDA', 'AROA', 'ANPA'];

/** The shapes that start a word (`\b`, then a word character), in one pass over the text. */
function wordTokens(t: string, out: Found[], work: Work | undefined): void {
  const run = (inClass: (c: number) => boolean) => new Run(t, inClass, work);
  const jwt = [run(isBase64Url), run(isBase64Url), run(isBase64Url)] as const;
  const bearer = [run(isSpace), run(isBearerChar), run(isEquals)] as const;
  const url = [run(isSchemeChar), run(isUserChar), run(isHostChar), run(isHostChar)] as const;
  const token = [run(isAlnum), run(isWord), run(isAlnumDash), run(isAlnum), run(isWord)] as const;
  // Per kind, where its next match may start: like a global expression's, matches of one kind never overlap.
  const next = [0, 0, 0, 0, 0, 0, 0];
  const add = (kind: number, start: number, end: number) => {
    if (end === -1) return;
    out.push({ start, end, kind });
    next[kind] = end;
  };
  const startsWord = (i: number) => isWord(t.charCodeAt(i)) && !isWord(t.charCodeAt(i - 1));
  // A kind's matches depend on its own earlier matches only, so each kind is looked for on its
  // own, in order, and only where its opening is (a native search): a manifest's text is not
  // walked a character at a time in JavaScript, which cost 30 ms on opening 1000 stages holding
  // one token. Every opening is made of word characters (glpat- and xox…- end with a dash): a
  // place inside one is not a word's start, so searches that skip past an opening miss none.
  for (const m of t.matchAll(CLOUD_OPENINGS)) {
    const i = m.index;
    if (!startsWord(i)) continue;
    if (i >= next[CLOUD_ACCESS_KEY]!) add(CLOUD_ACCESS_KEY, i, cloudAccessKeyAt(t, i, work));
    if (i >= next[CLOUD_API_KEY]!) add(CLOUD_API_KEY, i, cloudApiKeyAt(t, i, work));
  }
  for (let i = t.indexOf('eyJ'); i !== -1; i = t.indexOf('eyJ', i + 1)) if (i >= next[JWT]! && startsWord(i)) add(JWT, i, jwtAt(t, i, jwt));
  for (const m of t.matchAll(BEARER_OPENING)) if (m.index >= next[BEARER]! && startsWord(m.index)) add(BEARER, m.index, bearerAt(t, m.index, bearer));
  for (const m of t.matchAll(TOKEN_OPENINGS))
    if (m.index >= next[ACCESS_TOKEN]! && startsWord(m.index)) add(ACCESS_TOKEN, m.index, accessTokenAt(t, m.index, token));
  // Credentials in a URL start at a word whose scheme characters run on to a `://`: from each
  // `://`, back over the scheme characters before it (no `:` among them, so these stretches are
  // apart), to the first word there that starts with a letter. A later word in the stretch would
  // reach the same `://` and match, or not, the same way.
  for (let p = t.indexOf('://'); p !== -1; p = t.indexOf('://', p + 1)) {
    let from = p;
    while (from > 0 && isSchemeChar(t.charCodeAt(from - 1))) from--;
    work?.add(p - from + 1);
    for (let j = Math.max(from, next[URL_CREDENTIALS]!); j < p; j++) {
      if (!startsWord(j) || !isLetter(t.charCodeAt(j))) continue;
      add(URL_CREDENTIALS, j, urlAt(t, j, url));
      break;
    }
  }
  work?.add(t.length);
}

const CLOUD_OPENINGS = /A(?:KIA|SIA|GPA|IDA|ROA|NPA|Iza)/g;
const BEARER_OPENING = /bearer/gi;
const TOKEN_OPENINGS = /gh[pousr]_|github_pat_|xox[abposr]-|sk_live_|glpat-/g;

function cloudAccessKeyAt(t: string, i: number, work: Work | undefined): number {
  if (i + 20 > t.length || !ACCESS_KEY_PREFIXES.some((p) => t.startsWith(p, i))) return -1;
  work?.add(20);
  for (let k = i + 4; k < i + 20; k++) if (!isUpperDigit(t.charCodeAt(k))) return -1;
  return isWord(t.charCodeAt(i + 20)) ? -1 : i + 20;
}

function cloudApiKeyAt(t: string, i: number, work: Work | undefined): number {
  if (i + 39 > t.length || !t.startsWith('AIza', i)) return -1;
  work?.add(39);
  for (let k = i + 4; k < i + 39; k++) if (!isBase64Url(t.charCodeAt(k))) return -1;
  // `\b` after the key: a word character on one side of it only.
  return isWord(t.charCodeAt(i + 38)) !== isWord(t.charCodeAt(i + 39)) ? i + 39 : -1;
}

/** `eyJ…` `.eyJ…` `.…`: a run ends where a character is not base64url, so it must end at the `.`. */
function jwtAt(t: string, i: number, runs: readonly [Run, Run, Run]): number {
  if (!t.startsWith('eyJ', i)) return -1;
  const r1 = runs[0].endFrom(i + 3);
  if (r1 - (i + 3) < 5 || t.charCodeAt(r1) !== 46 || !t.startsWith('eyJ', r1 + 1)) return -1;
  const r2 = runs[1].endFrom(r1 + 4);
  if (r2 - (r1 + 4) < 5 || t.charCodeAt(r2) !== 46) return -1;
  return runs[2].endFrom(r2 + 1);
}

function bearerAt(t: string, i: number, runs: readonly [Run, Run, Run]): number {
  for (let k = 0; k < 6; k++) if ((t.charCodeAt(i + k) | 32) !== 'bearer'.charCodeAt(k)) return -1;
  const w = runs[0].endFrom(i + 6);
  if (w === i + 6) return -1;
  const r = runs[1].endFrom(w);
  return r - w < 8 ? -1 : runs[2].endFrom(r);
}

/** `scheme://user:password@host`: each part is the whole run up to the character that must follow it. */
function urlAt(t: string, i: number, runs: readonly [Run, Run, Run, Run]): number {
  const s = runs[0].endFrom(i);
  if (!t.startsWith('://', s)) return -1;
  const u = runs[1].endFrom(s + 3);
  if (u === s + 3 || t.charCodeAt(u) !== 58) return -1;
  const p = runs[2].endFrom(u + 1);
  if (p === u + 1 || t.charCodeAt(p) !== 64) return -1;
  const h = runs[3].endFrom(p + 1);
  return h === p + 1 ? -1 : h;
}

function accessTokenAt(t: string, i: number, runs: readonly [Run, Run, Run, Run, Run]): number {
  const atLeast = (run: Run, from: number, min: number) => {
    const e = run.endFrom(from);
    return e - from >= min ? e : -1;
  };
  const oneOf = (chars: string, at: number) => at < t.length && chars.includes(t[at]!);
  if (t.startsWith('gh', i) && oneOf('pousr', i + 2) && t.charCodeAt(i + 3) === 95) return atLeast(runs[0], i + 4, 30);
  if (t.startsWith('github_pat_', i)) return atLeast(runs[1], i + 11, 40);
  if (t.startsWith('xox', i) && oneOf('abposr', i + 3) && t.charCodeAt(i + 4) === 45) return atLeast(runs[2], i + 5, 10);
  if (t.startsWith('sk_live_', i)) return atLeast(runs[3], i + 8, 16);
  if (t.startsWith('glpat-', i)) return atLeast(runs[4], i + 6, 20);
  return -1;
}

/** Whether a key names a secret (password, token, api-key, …). */
export function isSecretKey(key: string): boolean {
  const norm = key.toLowerCase().replace(/[-_. ]/g, '');
  return SECRET_WORD.test(norm) && !NOT_A_VALUE.test(norm);
}

/** Why a value under `key` is a literal secret, or undefined when it is not one. */
export function secretLiteral(key: string | undefined, value: string, secretKey: (key: string) => boolean = isSecretKey): string | undefined {
  const kind = credentialKind(value);
  if (kind) return kind;
  if (key !== undefined && secretKey(key) && value.trim() !== '' && !REFERENCE.test(value) && !value.includes('${secret:')) {
    return `a literal value under "${key}"`;
  }
  return undefined;
}

/** Control and bidirectional-override characters: what no output writes as they are. */
export const CONTROL_CHARS = /[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text from a file fit for a terminal or a page: control characters become `?`. */
export function printable(text: string): string {
  // Tested first: most texts have none, and a replace builds a new string even then.
  CONTROL_CHARS.lastIndex = 0;
  return CONTROL_CHARS.test(text) ? text.replace(CONTROL_CHARS, '?') : text;
}

/** A value fit to quote in a message: credentials are replaced, long values shortened. */
export function quote(value: unknown): string {
  if (typeof value !== 'string') {
    // Numbers, booleans and null print as written; anything else is described, never dumped.
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
    return Array.isArray(value) ? '(a list)' : typeof value === 'object' ? '(a mapping)' : `(a ${typeof value})`;
  }
  if (credentialKind(value)) return '(a value that looks like a credential, not shown)';
  const clean = printable(value);
  return JSON.stringify(clean.length > 60 ? `${clean.slice(0, 57)}...` : clean);
}

/** A value written as a literal secret, where the syntax tree has it. */
export interface LiteralSecret {
  node: Scalar;
  /** Why it is a secret: "a cloud access key", "a literal value under "DB_PASSWORD"". */
  kind: string;
  /** Keys and list indexes from the document's root to the value. */
  path(): Array<string | number>;
}

interface Step {
  node: unknown;
  key: string | undefined;
  seg: string | number;
  parent: Step | undefined;
}

/** Each stage item's literal secrets, by its node, from an earlier walk (analysis.ts keeps it). */
export type StageSecretsMemo = WeakMap<object, { index: number; list: LiteralSecret[]; steps: number }>;

/** A path inside a subtree, behind the steps that lead to the subtree. */
function prefixed(step: Step, inner: () => Array<string | number>): () => Array<string | number> {
  return () => {
    const segs: Array<string | number> = [];
    for (let s: Step | undefined = step; s?.parent; s = s.parent) segs.push(s.seg);
    return [...segs.reverse(), ...inner()];
  };
}

/**
 * Every literal secret of a document's tree: strings classified by `secretLiteral`, and numbers
 * under secret keys (a numeric PIN). The one walk BC201 reports from and the redaction layer
 * masks from. Iterative, aliases not followed (an anchored value is read once, where it is
 * written); the path is spelt out only when asked for.
 */
export function literalSecrets(
  root: unknown,
  work?: Work,
  stages?: StageSecretsMemo,
  rootKey?: string,
  secretKeys: Map<string, boolean> = new Map(),
): LiteralSecret[] {
  const out: LiteralSecret[] = [];
  // A document repeats a few dozen keys thousands of times: each is classified once per walk.
  const secretKey = (k: string) => {
    let known = secretKeys.get(k);
    if (known === undefined) secretKeys.set(k, (known = isSecretKey(k)));
    return known;
  };
  const pathOf = (step: Step) => () => {
    const segs: Array<string | number> = [];
    for (let s: Step | undefined = step; s?.parent; s = s.parent) segs.push(s.seg);
    return segs.reverse();
  };
  const stack: Step[] = root ? [{ node: root, key: rootKey, seg: '', parent: undefined }] : [];
  const top = stack[0];
  // A stage item (`spec.stages[i]`) an earlier walk read, unchanged since (the same node), at the
  // same index: its secrets are taken as they were, the rest of the stage is not walked again.
  const stageItem = (step: Step) => {
    const list = step.parent;
    return !!top && typeof step.seg === 'number' && list?.seg === 'stages' && list.parent?.seg === 'spec' && list.parent.parent === top;
  };
  // A child of a collection: a scalar (most nodes) is read where it is met, and gets a step (its
  // path) only if it is a secret; anything else waits on the stack.
  const meet = (child: unknown, key: string | undefined, seg: string | number, parent: Step) => {
    if (typeTag(child) !== SCALAR_TYPE) {
      stack.push({ node: child, key, seg, parent });
      return;
    }
    work?.add(1);
    const kind = scalarSecret(child as Scalar, key, secretKey, work);
    if (kind) out.push({ node: child as Scalar, kind, path: pathOf({ node: child, key, seg, parent }) });
  };
  while (stack.length > 0) {
    const step = stack.pop()!;
    const { node, key } = step;
    if (stages && stageItem(step) && node && typeof node === 'object') {
      const known = stages.get(node as object);
      if (known && known.index === step.seg) {
        // As much work as the walk took: the work limit does not depend on what was kept.
        work?.add(known.steps);
        for (let i = 0; i < known.list.length; i++) out.push(known.list[i]!);
        continue;
      }
      const before = work?.steps ?? 0;
      const inner = literalSecrets(node, work, undefined, key, secretKeys);
      const list: LiteralSecret[] = [];
      for (let i = 0; i < inner.length; i++) list.push({ node: inner[i]!.node, kind: inner[i]!.kind, path: prefixed(step, inner[i]!.path) });
      stages.set(node as object, { index: step.seg as number, list, steps: (work?.steps ?? 0) - before });
      for (let i = 0; i < list.length; i++) out.push(list[i]!);
      continue;
    }
    work?.add(1);
    // Indexed loops: the walk visits every node of a file on open, on unoptimised code, where an
    // iterator or a callback per item costs several times the loop's own work.
    const tag = typeTag(node);
    if (tag === MAP_TYPE) {
      const items = (node as YAMLMap<unknown, unknown>).items;
      for (let i = 0; i < items.length; i++) {
        const pair = items[i];
        if (typeTag(pair) !== PAIR_TYPE) continue;
        const pk = (pair as Pair).key;
        const k = typeTag(pk) === SCALAR_TYPE ? String((pk as Scalar).value) : undefined;
        meet((pair as Pair).value, k, k ?? '?', step);
      }
    } else if (tag === SEQ_TYPE) {
      const items = (node as YAMLSeq<unknown>).items;
      for (let i = 0; i < items.length; i++) meet(items[i], key, i, step);
    } else if (tag === SCALAR_TYPE) {
      const kind = scalarSecret(node as Scalar, key, secretKey, work);
      if (kind) out.push({ node: node as Scalar, kind, path: pathOf(step) });
    }
  }
  return out;
}

/** Why a scalar under `key` is a literal secret (secretLiteral; a number under a secret key), or undefined. */
function scalarSecret(scalar: Scalar, key: string | undefined, secretKey: (key: string) => boolean, work: Work | undefined): string | undefined {
  // A node made rather than read (no range) is not written in the file.
  if (!hasRange(scalar)) return undefined;
  const v = scalar.value;
  if (typeof v === 'string') {
    // The credential scan reads the value once: a step per character.
    work?.add(v.length);
    return secretLiteral(key, v, secretKey);
  }
  if ((typeof v === 'number' || typeof v === 'bigint') && key !== undefined && secretKey(key)) return `a literal value under "${key}"`;
  return undefined;
}
