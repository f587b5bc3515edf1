/**
 * The one test suite every version scheme runs (see hono's router/common.case.test.ts for the
 * pattern): the real tools' vectors, the keys against the comparator, ordering laws on every
 * version the vectors name, and hostile input. A scheme's own test file calls `describeScheme`
 * and adds only what is particular to it.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareStrings } from './key';
import { isInvalid, type Order, type VersionScheme } from './scheme';

export interface Vector {
  readonly a: string;
  readonly op: '<' | '=' | '>';
  readonly b: string;
  /** `file:line`, for the failure message. */
  readonly at: string;
}

const orderOf = { '<': -1, '=': 0, '>': 1 } as const satisfies Record<Vector['op'], Order>;

/**
 * Reads `A op B` lines as osv-scalibr's compare_test.go does: split on single spaces into exactly
 * three pieces; blank lines and lines starting with `# ` or `// ` are comments.
 */
export function readVectors(file: string): Vector[] {
  const text = readFileSync(new URL(`./testdata/${file}`, import.meta.url), 'utf8');
  const vectors: Vector[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('# ') || line.startsWith('// ')) return;
    const parts = line.split(' ');
    const [a, op, b] = parts;
    if (parts.length !== 3 || a === undefined || b === undefined || (op !== '<' && op !== '=' && op !== '>')) {
      throw new Error(`${file}:${index + 1}: not "A op B": ${line}`);
    }
    vectors.push({ a, op, b, at: `${file}:${index + 1}` });
  });
  return vectors;
}

function describeOrder(order: Order | { reason: string }): string {
  return typeof order === 'number' ? (['<', '=', '>'][order + 1] ?? '?') : `invalid (${order.reason})`;
}

/** Every pair of `versions`, listed in ascending order, compares and keys in that order. */
export function expectAscending(scheme: VersionScheme, versions: readonly string[]): void {
  versions.forEach((a, i) => {
    versions.forEach((b, j) => {
      const want = Math.sign(i - j);
      expect(scheme.compare(a, b), `${a} vs ${b}`).toBe(want);
      expect(compareStrings(scheme.key(a) as string, scheme.key(b) as string), `key(${a}) vs key(${b})`).toBe(want);
    });
  });
}

/** Every one of `versions` compares equal to the first and has the same key. */
export function expectEqual(scheme: VersionScheme, versions: readonly string[]): void {
  const [first] = versions;
  for (const version of versions) {
    expect(scheme.compare(first as string, version), `${JSON.stringify(first)} vs ${JSON.stringify(version)}`).toBe(0);
    expect(scheme.key(version), JSON.stringify(version)).toBe(scheme.key(first as string));
  }
}

/**
 * On 5,000 pairs of generated versions (which must all be valid), compare is antisymmetric and
 * the keys' string order is compare's order.
 */
export function expectKeysFollowCompare(scheme: VersionScheme, version: fc.Arbitrary<string>): void {
  fc.assert(
    fc.property(version, version, (a, b) => {
      const order = scheme.compare(a, b);
      expect(isInvalid(order), `${a} ${b}`).toBe(false);
      expect(scheme.compare(b, a)).toBe(order === 0 ? 0 : -order);
      expect(compareStrings(scheme.key(a) as string, scheme.key(b) as string)).toBe(order);
    }),
    { numRuns: 5_000 },
  );
}

export interface SchemeSuiteOptions {
  /** Files under testdata/ with `A op B` lines that must all hold. */
  readonly vectors: readonly string[];
  /** Versions the scheme must refuse. */
  readonly invalid?: readonly string[];
  /** Vector lines known to disagree with the real tool, with why; kept short and explained. */
  readonly skip?: Readonly<Record<string, string>>;
}

export function describeScheme(scheme: VersionScheme, options: SchemeSuiteOptions): void {
  describe(`${scheme.name} (shared scheme suite)`, () => {
    const all = options.vectors.flatMap(readVectors);
    const vectors = all.filter((v) => !options.skip?.[`${v.a} ${v.op} ${v.b}`]);

    if (options.skip) {
      it(`skips only lines that exist, each with a reason (${Object.keys(options.skip).length} skipped)`, () => {
        const lines = new Set(all.map((v) => `${v.a} ${v.op} ${v.b}`));
        for (const [line, reason] of Object.entries(options.skip ?? {})) {
          expect(lines.has(line), `skipped line "${line}" is not in the vectors`).toBe(true);
          expect(reason.length).toBeGreaterThan(20);
        }
      });
    }

    it(`holds on every vector line (${options.vectors.join(', ')})`, () => {
      expect(vectors.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const v of vectors) {
        const forward = scheme.compare(v.a, v.b);
        const backward = scheme.compare(v.b, v.a);
        const want = orderOf[v.op];
        if (forward !== want || backward !== -want) {
          failures.push(
            `${v.at}: ${v.a} ${v.op} ${v.b}, but got ${describeOrder(forward)} / reversed ${describeOrder(backward)}`,
          );
        }
      }
      expect(failures.slice(0, 20), `${failures.length} of ${vectors.length} lines fail`).toEqual([]);
    });

    it('gives keys whose plain string order is the scheme order on every vector line', () => {
      const failures: string[] = [];
      for (const v of vectors) {
        const ka = scheme.key(v.a);
        const kb = scheme.key(v.b);
        if (isInvalid(ka) || isInvalid(kb)) {
          failures.push(`${v.at}: no key for ${isInvalid(ka) ? v.a : v.b}`);
          continue;
        }
        for (const key of [ka, kb]) {
          if (!/^[\x20-\x7e]*$/.test(key)) failures.push(`${v.at}: key ${JSON.stringify(key)} is not printable ASCII`);
        }
        if (compareStrings(ka, kb) !== orderOf[v.op]) {
          failures.push(`${v.at}: ${v.a} ${v.op} ${v.b}, but key(${v.a})=${ka} and key(${v.b})=${kb}`);
        }
      }
      expect(failures.slice(0, 20), `${failures.length} of ${vectors.length} lines fail`).toEqual([]);
    });

    it('orders every version the vectors name consistently: sorting by key sorts by compare', () => {
      const versions = [...new Set(vectors.flatMap((v) => [v.a, v.b]))];
      const byKey = versions
        .map((version) => ({ version, key: scheme.key(version) as string }))
        .sort((x, y) => compareStrings(x.key, y.key));
      const failures: string[] = [];
      for (let i = 1; i < byKey.length; i++) {
        const prev = byKey[i - 1];
        const next = byKey[i];
        if (!prev || !next) continue;
        const order = scheme.compare(prev.version, next.version);
        const keyOrder = compareStrings(prev.key, next.key);
        if (order !== keyOrder)
          failures.push(`${prev.version} vs ${next.version}: compare ${describeOrder(order)}, keys ${keyOrder}`);
      }
      expect(failures.slice(0, 20), `${failures.length} adjacent pairs disagree`).toEqual([]);
    });

    it('is a total order on the vectors’ versions: antisymmetric and transitive', () => {
      const versions = [...new Set(vectors.flatMap((v) => [v.a, v.b]))];
      fc.assert(
        fc.property(
          fc.constantFrom(...versions),
          fc.constantFrom(...versions),
          fc.constantFrom(...versions),
          (a, b, c) => {
            const ab = scheme.compare(a, b) as Order;
            const bc = scheme.compare(b, c) as Order;
            const ac = scheme.compare(a, c) as Order;
            // Not `-ab`: for equal versions that is -0, which toBe (Object.is) tells apart from 0.
            expect(scheme.compare(b, a)).toBe(ab === 0 ? 0 : -ab);
            if (ab <= 0 && bc <= 0) expect(ac).toBeLessThanOrEqual(0);
            if (ab === 0 && bc === 0) expect(ac).toBe(0);
          },
        ),
        { numRuns: 2_000 },
      );
    });

    it.each(options.invalid ?? [])('refuses %j with a reason, without throwing', (version) => {
      const result = scheme.compare(version, version);
      expect(isInvalid(result), `compare accepted ${JSON.stringify(version)}`).toBe(true);
      expect(isInvalid(result) && result.reason.length).toBeGreaterThan(0);
      expect(isInvalid(scheme.key(version))).toBe(true);
      expect(scheme.validate(version)).toBeDefined();
    });

    it('never throws, and agrees with its keys, on arbitrary strings', () => {
      const versionish = fc.stringMatching(/^[0-9a-zA-Z.~^+:_-]{0,24}$/);
      fc.assert(
        fc.property(fc.oneof(versionish, fc.string({ maxLength: 40 })), fc.oneof(versionish, fc.string()), (a, b) => {
          const order = scheme.compare(a, b);
          const ka = scheme.key(a);
          const kb = scheme.key(b);
          // Valid for compare exactly when both have keys, and then the keys agree with compare.
          expect(isInvalid(order)).toBe(isInvalid(ka) || isInvalid(kb));
          if (!isInvalid(order) && !isInvalid(ka) && !isInvalid(kb)) expect(compareStrings(ka, kb)).toBe(order);
        }),
        { numRuns: 3_000 },
      );
      expect(isInvalid(scheme.compare('1'.repeat(300), '1'))).toBe(true);
    });
  });
}
