import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vercmpLine } from './vercmp';

describe('vercmp', () => {
  it.each([
    ['Debian', '1.0 1.0-0', '='],
    ['Debian:12', '3.0.11-1~deb12u2 3.0.13-1~deb12u1', '<'],
    ['Red Hat', '1:1.0-1 2.0-1', '>'],
    ['npm', '1.0.0-rc.1 1.0.0', '<'],
    ['PyPI', '1.0.post1 1.0', '>'],
  ])('%s: %s is %s', (ecosystem, line, answer) => {
    expect(vercmpLine(ecosystem, line)).toBe(answer);
  });

  it('says why a line cannot be answered', () => {
    expect(vercmpLine('npm', '1.0.0')).toBe('! expected two versions separated by a space');
    expect(vercmpLine('npm', 'x 1.0.0')).toMatch(/^! x: /);
    expect(vercmpLine('Nope', '1 2')).toBe('! unknown ecosystem "Nope"');
  });

  it('runs as `npm run -s vercmp -- ECOSYSTEM` over stdin', () => {
    const root = fileURLToPath(new URL('../../..', import.meta.url));
    const output = execFileSync('npm', ['run', '-s', 'vercmp', '--', 'Red Hat'], {
      cwd: root,
      input: '1.0 1.0\n1.0~rc1 1.0\n2:0 1:9\nbroken\n',
      encoding: 'utf8',
    });
    expect(output).toBe('=\n<\n>\n! expected two versions separated by a space\n');
  });
});
