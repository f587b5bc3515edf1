import { describe, expect, it } from 'vitest';
import { go } from './go';
import { describeScheme, expectAscending, expectEqual, readVectors } from './scheme.suite';

describeScheme(go, {
  vectors: ['semver-versions.txt', 'semver-differential.txt'],
  invalid: ['', 'v', 'V1.2.3', 'vv1.2.3', 'v1.2.3-', 'v1.2.3+', 'v1.2.3-a..b', 'v1.2.3.4-beta', 'v1.2.3 ', 'master'],
});

describe('go', () => {
  it('orders pseudo-versions between their neighbouring releases', () => {
    expectAscending(go, [
      'v0.0.0-20191109021931-daa7c04131f5',
      'v0.0.0-20200102030405-0123456789ab',
      'v0.0.0',
      'v1.2.3',
      'v1.2.4-0.20191109021931-daa7c04131f5',
      'v1.2.4-0.20200102030405-0123456789ab',
      'v1.2.4-alpha',
      'v1.2.4-alpha.0.20191109021931-daa7c04131f5',
      'v1.2.4-beta',
      'v1.2.4',
      'v2.0.0+incompatible',
      'v2.0.1-0.20191109021931-daa7c04131f5+incompatible',
      'v2.0.1',
    ]);
  });

  it.each([
    ['v2.0.0+incompatible', 'v2.0.0'],
    ['v2.0.0+incompatible', '2.0.0'],
    ['v1.2', 'v1.2.0'],
    ['v1', 'v1.0.0'],
  ])('%s = %s, with identical keys', (a, b) => {
    expectEqual(go, [a, b]);
  });

  it('compares numbers of any length exactly in every component', () => {
    for (const position of [0, 1, 2]) {
      const at = (n: string) => `v${['1', '2', '3'].map((part, i) => (i === position ? n : part)).join('.')}`;
      expectAscending(go, [at('99999999999999999999999'), at('100000000000000000000000')]);
    }
  });

  it('holds on the node-semver differential lines with a v prefix, with the same keys as without', () => {
    const failures: string[] = [];
    for (const v of readVectors('semver-differential.txt')) {
      if (v.a.startsWith('v') || v.b.startsWith('v')) continue;
      const want = { '<': -1, '=': 0, '>': 1 }[v.op];
      if (go.compare(`v${v.a}`, `v${v.b}`) !== want) failures.push(`${v.at}: v${v.a} ${v.op} v${v.b}`);
      if (go.key(`v${v.a}`) !== go.key(v.a)) failures.push(`${v.at}: key(v${v.a}) differs from key(${v.a})`);
    }
    expect(failures.slice(0, 20)).toEqual([]);
  });
});
