/**
 * Shared by the hostile-input property tests (issue #8): the real app called as a client would
 * (without the per-token rate limit, so thousands of cases can run), a cheap fingerprint of every
 * table to prove a refused request wrote nothing, the checks every 4xx answer must pass, the
 * mutations of real samples, and the case budget that the printed total is made of.
 */
import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { expect } from 'vitest';
import { createApp } from '../src/app';

/**
 * Cases each file runs, exactly: each file checks its own count against this and prints the total,
 * so `npm test` reports one figure (test files run in separate isolates and cannot add up at run
 * time). Change a file's numRuns or its fixed cases and its count check tells you what to write here.
 */
export const PLANNED_CASES = { bodies: 6_283, formats: 5_799, feeds: 2_137 } as const;

export function printTotal(): void {
  const { bodies, formats, feeds } = PLANNED_CASES;
  console.log(
    `hostile input: ${bodies + formats + feeds} cases (${bodies} bodies, ${formats} formats, ${feeds} feed documents)`,
  );
}

// --- the app ------------------------------------------------------------------------------------

export interface Request {
  readonly token?: string | undefined;
  /** Bytes or text sent as is. */
  readonly body?: BodyInit | null;
  readonly contentType?: string | undefined;
  readonly headers?: Record<string, string>;
}

/**
 * The real app with the test's clock and upstream, on the test's D1 but without the rate limit
 * binding (its budget is 600 requests a minute per token, and the root token is shared by every
 * test file). Waits for what the request left running (a token's last-used time) before answering.
 */
export function harness(options: { clock: () => Date; upstream?: typeof fetch }) {
  const app = createApp(options);
  const pending: Promise<unknown>[] = [];
  const ctx = {
    waitUntil: (promise: Promise<unknown>) => {
      pending.push(promise);
    },
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
  const bindings = { ...env, TOKEN_RATE_LIMIT: undefined };
  return async function request(method: string, path: string, req: Request = {}): Promise<Response> {
    const headers = new Headers(req.headers);
    if (req.token !== undefined) headers.set('authorization', `Bearer ${req.token}`);
    if (req.contentType !== undefined) headers.set('content-type', req.contentType);
    const res = await app.fetch(
      new globalThis.Request(`http://patchboard.test${path}`, { method, headers, body: req.body ?? null }),
      bindings,
      ctx,
    );
    await Promise.allSettled(pending.splice(0));
    return res;
  };
}

export type Call = ReturnType<typeof harness>;

/** Calls and expects a status, answering the JSON body. */
export async function ok<T = Record<string, unknown>>(
  call: Call,
  method: string,
  path: string,
  status: number,
  req: Request & { json?: unknown } = {},
): Promise<T> {
  const res = await call(
    method,
    path,
    req.json === undefined ? req : { ...req, body: JSON.stringify(req.json), contentType: 'application/json' },
  );
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text.slice(0, 500)}`).toBe(status);
  return (text ? JSON.parse(text) : null) as T;
}

// --- the database fingerprint -------------------------------------------------------------------

/** Columns that change on every authenticated request by design (when a token was last used). */
const VOLATILE_COLUMNS = new Set(['last_used_at']);

let fingerprintSql: D1PreparedStatement[] | null = null;
let tableNames: string[] = [];

async function statements(): Promise<D1PreparedStatement[]> {
  if (fingerprintSql) return fingerprintSql;
  const tables = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY name",
  ).all<{ name: string }>();
  tableNames = tables.results.map((t) => t.name);
  fingerprintSql = [];
  for (const table of tableNames) {
    const columns = await env.DB.prepare('SELECT name FROM pragma_table_info(?1)').bind(table).all<{ name: string }>();
    const kept = columns.results.map((c) => c.name).filter((c) => !VOLATILE_COLUMNS.has(c));
    const row = kept.map((c) => `quote("${c}")`).join(" || '|' || ");
    // Every row's every value, in the table's order: SHA-256 of it is compared in JS.
    fingerprintSql.push(
      env.DB.prepare(`SELECT count(*) AS n, coalesce(group_concat(${row}, char(10)), '') AS rows FROM "${table}"`),
    );
  }
  return fingerprintSql;
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
const encoder = new TextEncoder();

/** Row count and a SHA-256 of the content of every table (the audit log included), by table name. */
export async function fingerprint(): Promise<Record<string, string>> {
  const results = await env.DB.batch<{ n: number; rows: string }>(await statements());
  const out: Record<string, string> = {};
  for (const [index, result] of results.entries()) {
    const row = result.results[0];
    const digest = await crypto.subtle.digest('SHA-256', encoder.encode(row?.rows ?? ''));
    out[tableNames[index] ?? String(index)] = `${row?.n ?? 0} rows ${hex(digest).slice(0, 16)}`;
  }
  return out;
}

// --- answers ------------------------------------------------------------------------------------

export interface Judged {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

/**
 * The rules for every answer to hostile input: never a 5xx, and a 4xx is the one error shape with
 * a code and a non-empty message. Answers the status and body for further checks.
 */
export async function judge(res: Response, what: string): Promise<Judged> {
  const text = await res.text();
  expect(res.status, `${what}: ${res.status} ${text.slice(0, 400)}`).toBeLessThan(500);
  let json: unknown = null;
  if (res.status >= 400) {
    expect(res.headers.get('content-type') ?? '', `${what}: content type of a ${res.status}`).toMatch(/json/);
    json = JSON.parse(text);
    const error = (json as { error?: { code?: unknown; message?: unknown } }).error;
    expect(typeof error?.code, `${what}: error.code in ${text.slice(0, 300)}`).toBe('string');
    expect(typeof error?.message, `${what}: error.message in ${text.slice(0, 300)}`).toBe('string');
    expect(String(error?.message ?? '').trim().length, `${what}: empty error message`).toBeGreaterThan(0);
  } else if (text && (res.headers.get('content-type') ?? '').includes('json')) {
    json = JSON.parse(text);
  }
  return { status: res.status, text, json };
}

// --- hostile values -----------------------------------------------------------------------------

/** A JSON value to put somewhere, or text spliced into the document as is (numbers JSON.stringify cannot write). */
export type Hostile = { readonly value: unknown } | { readonly raw: string };

export const SQL_PAYLOADS = [
  "' OR 1=1 --",
  '"; DROP TABLE hosts; --',
  "'); DELETE FROM audit_log; --",
  "1; UPDATE api_tokens SET role = 'admin'",
  "x' UNION SELECT token_hash FROM api_tokens --",
  '%',
  '_',
  '\\',
  "''",
];

export const HTML_PAYLOADS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(document.cookie)</script>',
  '"><svg onload=alert(1)>',
  'javascript:alert(1)',
  '{{constructor.constructor("alert(1)")()}}',
  '=cmd|" /C calc"!A0',
];

export const UNICODE_EDGES = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\u0007\u0008\u001b[31m',
  '\r\n\t',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  '\ud800',
  '\udfff',
  '😀',
  'e\u0301',
  '\uffff',
  'İ',
  'ß',
  '..\\..\\etc\\passwd',
  '../../etc/passwd',
  '%00',
  '%ff',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  'true',
  'null',
  '__proto__',
];

/** Number literals spliced in as text: JSON.stringify would write them differently or not at all. */
export const NUMBER_LITERALS = [
  '1e308',
  '-1e308',
  '1e400',
  '-1e400',
  '1e-400',
  '-0',
  '0.0',
  '123456789012345678901234567890',
  '9007199254740993',
  '-9007199254740993',
  '4294967296',
  '0.1',
  '-1',
  '1.5',
  '2147483648',
];

const deep = (levels: number, open: string, close: string, inner = '1') =>
  `${open.repeat(levels)}${inner}${close.repeat(levels)}`;

/** Hostile values for one field, weighted toward the cheap ones. */
export const hostileValue: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SQL_PAYLOADS, ...HTML_PAYLOADS).map((value) => ({ value })) },
  { weight: 4, arbitrary: fc.constantFrom(...UNICODE_EDGES).map((value) => ({ value })) },
  { weight: 3, arbitrary: fc.constantFrom(...NUMBER_LITERALS).map((raw) => ({ raw })) },
  {
    weight: 3,
    arbitrary: fc
      .constantFrom<unknown>(null, true, false, 0, -1, 1, [], {}, [null], { '': '' }, [[[]]], '0')
      .map((value) => ({ value })),
  },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }).map((value) => ({ value })) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => ({ value })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(1_000, 70_000, 300_000)
      .chain((length) =>
        fc.constantFrom(...SQL_PAYLOADS, 'A', '\u00e9').map((unit) => ({ value: unit.repeat(length / unit.length) })),
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(100, 1_000, 10_000)
      .chain((levels) => fc.constantFrom(deep(levels, '[', ']'), deep(levels, '{"a":', '}')).map((raw) => ({ raw }))),
  },
);

// --- mutating a JSON document -------------------------------------------------------------------

type Path = readonly (string | number)[];

/** Every path to a value inside a JSON document, the root included. */
export function pathsOf(value: unknown, at: Path = []): Path[] {
  const out: Path[] = [at];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) out.push(...pathsOf(item, [...at, i]));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) out.push(...pathsOf(item, [...at, key]));
  }
  return out;
}

/** Paths to objects and arrays only (where a key or an item can be added). */
export function containersOf(value: unknown): Path[] {
  return pathsOf(value).filter((path) => {
    const found = get(value, path);
    return found !== null && typeof found === 'object';
  });
}

function get(value: unknown, path: Path): unknown {
  let at = value;
  for (const key of path) at = (at as Record<string | number, unknown>)[key];
  return at;
}

const PLACEHOLDER = '\u0001raw\u0001';

/** The document with `path` set to a hostile value, serialised (raw values spliced in). */
export function withValue(document: unknown, path: Path, hostile: Hostile): string {
  const copy = structuredClone(document);
  const put = 'raw' in hostile ? PLACEHOLDER : hostile.value;
  if (path.length === 0) return 'raw' in hostile ? hostile.raw : (JSON.stringify(put) ?? 'null');
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1] as string | number] = put;
  const text = JSON.stringify(copy);
  return 'raw' in hostile ? text.replace(JSON.stringify(PLACEHOLDER), () => hostile.raw) : text;
}

export function without(document: unknown, path: Path): string {
  if (path.length === 0) return '';
  const copy = structuredClone(document);
  const parent = get(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
  return JSON.stringify(copy);
}

export function withExtra(document: unknown, path: Path, key: string, hostile: Hostile): string {
  const copy = structuredClone(document);
  const container = get(copy, path) as Record<string, unknown> | unknown[];
  const put = 'raw' in hostile ? PLACEHOLDER : hostile.value;
  if (Array.isArray(container)) container.push(put);
  else Object.defineProperty(container, key, { value: put, enumerable: true, writable: true, configurable: true });
  const text = JSON.stringify(copy);
  return 'raw' in hostile ? text.replace(JSON.stringify(PLACEHOLDER), () => hostile.raw) : text;
}

export const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  "' OR 1=1 --",
  '<b>',
  '',
  '\u0000',
  'id',
  'tenantId',
];

/** A mutation of a JSON document, as bytes; most mutations keep it JSON, some do not. */
export type JsonMutation =
  | { readonly kind: 'set'; readonly pick: number; readonly value: Hostile }
  | { readonly kind: 'delete'; readonly pick: number }
  | { readonly kind: 'extra'; readonly pick: number; readonly key: string; readonly value: Hostile }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'bytes'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'splice'; readonly at: number; readonly text: string };

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('set'), pick: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete'), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('extra'),
      pick: fc.nat(),
      key: fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 })),
      value: hostileValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('truncate'), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('bytes'),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      // Lone continuation bytes, overlong forms, 0xFF, a cut multi-byte sequence, NUL.
      bytes: fc.constantFrom([0xff], [0xc0, 0xaf], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xfe, 0xff], [0x00]),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('splice'),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      text: fc.constantFrom(',', '}', ']', '"', ':', '\u0000', '\n', 'NaN', '/*', '\\u00', '{"a":'),
    }),
  },
);

/** The mutated document, as the bytes a client would send. */
export function applyJsonMutation(document: unknown, mutation: JsonMutation): Uint8Array {
  const text = JSON.stringify(document);
  switch (mutation.kind) {
    case 'set': {
      const paths = pathsOf(document);
      return encoder.encode(withValue(document, paths[mutation.pick % paths.length] ?? [], mutation.value));
    }
    case 'delete': {
      const paths = pathsOf(document);
      return encoder.encode(without(document, paths[mutation.pick % paths.length] ?? []));
    }
    case 'extra': {
      const paths = containersOf(document);
      return encoder.encode(
        withExtra(document, paths[mutation.pick % paths.length] ?? [], mutation.key, mutation.value),
      );
    }
    case 'truncate':
      return encoder.encode(text.slice(0, Math.floor(text.length * mutation.at)));
    case 'bytes': {
      const bytes = encoder.encode(text);
      const at = Math.floor(bytes.length * mutation.at);
      return concatBytes([bytes.subarray(0, at), new Uint8Array(mutation.bytes), bytes.subarray(at)]);
    }
    case 'splice': {
      const at = Math.floor(text.length * mutation.at);
      return encoder.encode(text.slice(0, at) + mutation.text + text.slice(at));
    }
  }
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Short description of a mutation for a failure message (huge values abbreviated). */
export function describeMutation(mutation: unknown): string {
  return JSON.stringify(mutation, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 80 ? `${value.slice(0, 40)}…(${value.length} chars)` : value,
  );
}

// --- mutating a text document -------------------------------------------------------------------

/** A mutation of a text format (line-oriented or JSON), applied to its bytes. */
export type TextMutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly at: number; readonly bit: number }
  | { readonly kind: 'junk'; readonly at: number; readonly line: string }
  | { readonly kind: 'huge'; readonly at: number; readonly length: number }
  | { readonly kind: 'bytes'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly kind: 'duplicate'; readonly at: number; readonly times: number }
  | { readonly kind: 'crlf' }
  | { readonly kind: 'drop'; readonly at: number };

const junkLine = fc.oneof(
  fc.constantFrom(
    '',
    '\t\t\t\t',
    ':',
    'Package:',
    'Package: \u0000',
    'Version: 1:2:3:4',
    'P:',
    'V:',
    '#',
    '-----BEGIN PGP SIGNATURE-----',
    '{"name": 1}',
    '<script>alert(1)</script>\t1.0\tamd64',
    "' OR 1=1 --\t1.0-1\tamd64\tx\t1.0-1",
    'bash\t\t\t\t',
    '\ufeffbash\t5.2\tamd64\tbash\t5.2',
    ' \t ',
    '}',
    ']',
    '[',
    '{',
  ),
  fc.constantFrom(...SQL_PAYLOADS, ...HTML_PAYLOADS, ...UNICODE_EDGES),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('truncate'), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('flip'),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bit: fc.integer({ min: 0, max: 7 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ kind: fc.constant('junk'), at: fc.double({ min: 0, max: 1, noNaN: true }), line: junkLine }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('huge'),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      length: fc.constantFrom(5_000, 100_000, 1_100_000),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('bytes'),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      bytes: fc.constantFrom([0xff], [0xc0, 0xaf], [0x80], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0x00], [0x1b, 0x5b]),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('duplicate'),
      at: fc.double({ min: 0, max: 1, noNaN: true }),
      times: fc.integer({ min: 1, max: 3 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'crlf' as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop'), at: fc.double({ min: 0, max: 1, noNaN: true }) }) },
);

/** Line starts of a text (index of each line's first byte). */
function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 0x0a && i + 1 < bytes.length) starts.push(i + 1);
  return starts;
}

/** The mutated sample, as bytes (a flipped bit or an inserted byte may leave it invalid UTF-8). */
export function applyTextMutation(sample: string, mutation: TextMutation): Uint8Array {
  const bytes = encoder.encode(sample);
  const at = 'at' in mutation ? Math.min(bytes.length, Math.floor(bytes.length * mutation.at)) : 0;
  const starts = lineStarts(bytes);
  const lineAt =
    starts[Math.min(starts.length - 1, Math.floor(starts.length * ('at' in mutation ? mutation.at : 0)))] ?? 0;
  switch (mutation.kind) {
    case 'truncate':
      return bytes.subarray(0, at);
    case 'flip': {
      const copy = bytes.slice();
      const index = Math.min(at, copy.length - 1);
      if (copy.length) copy[index] = (copy[index] ?? 0) ^ (1 << mutation.bit);
      return copy;
    }
    case 'junk':
      return concatBytes([bytes.subarray(0, lineAt), encoder.encode(`${mutation.line}\n`), bytes.subarray(lineAt)]);
    case 'huge':
      return concatBytes([
        bytes.subarray(0, lineAt),
        encoder.encode(`${'x'.repeat(mutation.length)}\n`),
        bytes.subarray(lineAt),
      ]);
    case 'bytes':
      return concatBytes([bytes.subarray(0, at), new Uint8Array(mutation.bytes), bytes.subarray(at)]);
    case 'duplicate': {
      // The line at `at` (a header, a field, a package) repeated.
      const end = bytes.indexOf(0x0a, lineAt);
      const line = bytes.subarray(lineAt, end === -1 ? bytes.length : end + 1);
      return concatBytes([
        bytes.subarray(0, lineAt),
        ...Array.from({ length: mutation.times }, () => line),
        bytes.subarray(lineAt),
      ]);
    }
    case 'crlf':
      return encoder.encode(sample.replace(/\n/g, '\r\n'));
    case 'drop': {
      const end = bytes.indexOf(0x0a, lineAt);
      return concatBytes([bytes.subarray(0, lineAt), end === -1 ? new Uint8Array() : bytes.subarray(end + 1)]);
    }
  }
}

/** What a parser that reads text receives from bytes that may not be UTF-8 (the route refuses those first). */
export const lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });
export const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A deterministic seed per property, so a failure can be replayed from the printed seed. */
export function seedOf(name: string): number {
  let hash = 2166136261;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 16777619);
  return hash >>> 0;
}
