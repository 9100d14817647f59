/**
 * Recognising secrets written as literals (BC201), and keeping them out of every message.
 * Nothing here ever returns the secret text itself: callers get a kind, never the value.
 */

const SECRET_WORD = /(password|passwd|passphrase|secret|token|apikey|privatekey|credential|accesskey)/;
/** Keys that name where a secret lives or how it is used, not the secret: PASSWORD_FILE, TOKEN_URL. */
const NOT_A_VALUE = /(file|path|url|uri|ref|name|endpoint|ttl|expiry|expires|header|type|length)$/;

const PATTERNS: ReadonlyArray<{ kind: string; re: RegExp }> = [
  { kind: 'a private key block', re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY( BLOCK)?-----/ },
  { kind: 'a cloud access key', re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA)[0-9A-Z]{16}\b/ },
  { kind: 'a cloud API key', re: /\bAIza[0-9A-Za-z_-]{35}\b/ },
  { kind: 'a JWT', re: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/ },
  { kind: 'a bearer token', re: /\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*/i },
  { kind: 'credentials in a URL', re: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@[^\s/@]+/i },
  {
    kind: 'an access token',
    re: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|glpat-[A-Za-z0-9_-]{20})/,
  },
];

/** Values that only point at a secret, never hold one. */
const REFERENCE = /^\s*(\$\{secret:[^}]*\}|secret:\/\/\S*)\s*$/;

/** Something every pattern above needs; most values fail this one test and skip the rest. */
const MAYBE = /-----BEGIN|A(?:KIA|SIA|GPA|IDA|ROA|NPA|Iza)|eyJ|bearer|@|gh[pousr]_|github_pat_|xox|sk_live_|glpat-/i;

/** The kind of credential a value looks like, whatever key holds it. */
export function credentialKind(value: string): string | undefined {
  if (value.length < 8 || !MAYBE.test(value) || REFERENCE.test(value)) return undefined;
  for (const p of PATTERNS) if (p.re.test(value)) return p.kind;
  return undefined;
}

/** Whether a key names a secret (password, token, api-key, …). */
export function isSecretKey(key: string): boolean {
  const norm = key.toLowerCase().replace(/[-_. ]/g, '');
  return SECRET_WORD.test(norm) && !NOT_A_VALUE.test(norm);
}

/** Why a value under `key` is a literal secret, or undefined when it is not one. */
export function secretLiteral(key: string | undefined, value: string): string | undefined {
  const kind = credentialKind(value);
  if (kind) return kind;
  if (key !== undefined && isSecretKey(key) && value.trim() !== '' && !REFERENCE.test(value) && !value.includes('${secret:')) {
    return `a literal value under "${key}"`;
  }
  return undefined;
}

/** A value fit to quote in a message: credentials are replaced, long values shortened. */
export function quote(value: unknown): string {
  if (typeof value !== 'string') {
    // Numbers, booleans and null print as written; anything else is described, never dumped.
    if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
    return Array.isArray(value) ? '(a list)' : typeof value === 'object' ? '(a mapping)' : `(a ${typeof value})`;
  }
  if (credentialKind(value)) return '(a value that looks like a credential, not shown)';
  const clean = value.replace(/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, '?');
  return JSON.stringify(clean.length > 60 ? `${clean.slice(0, 57)}...` : clean);
}

/** Every credential-shaped token in a text, in order. (Interim: replaced by a linear scanner.) */
export function credentialSpans(text: string): Array<{ start: number; end: number; kind: string }> {
  if (text.length < 8 || !MAYBE.test(text)) return [];
  const out: Array<{ start: number; end: number; kind: string }> = [];
  for (const p of PATTERNS) {
    const re = new RegExp(p.re.source, p.re.flags.includes('g') ? p.re.flags : `${p.re.flags}g`);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) re.lastIndex++;
      else out.push({ start: m.index, end: m.index + m[0].length, kind: p.kind });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}
