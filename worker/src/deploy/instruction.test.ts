import { describe, expect, it } from 'vitest';
import { renderInstruction } from './instruction';

describe('renderInstruction', () => {
  it('writes one tab-separated directive per line, argv unquoted', () => {
    const text = renderInstruction({
      job: 17,
      lease: 'abc',
      step: 'install',
      commands: [
        { mode: 'run', argv: ['apt-get', 'install', '-y', '--only-upgrade', 'openssl=3.0.13-1~deb12u1'] },
        // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax.
        { mode: 'probe', argv: ['dpkg-query', '-W', '-f=${Package} ${Version}\\n', 'openssl'] },
        { mode: 'report', argv: [] },
      ],
    });
    expect(text).toBe(
      'job\t17\nlease\tabc\nstep\tinstall\n' +
        'run\tapt-get\tinstall\t-y\t--only-upgrade\topenssl=3.0.13-1~deb12u1\n' +
        // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax.
        'probe\tdpkg-query\t-W\t-f=${Package} ${Version}\\n\topenssl\n' +
        'report\n',
    );
  });

  it('ends a job with its result and a one-line reason', () => {
    const text = renderInstruction({
      job: 3,
      lease: 'l',
      step: 'done',
      commands: [],
      result: 'rolled_back',
      reason: 'nginx is not active\nafter install',
    });
    expect(text).toBe('job\t3\nlease\tl\nstep\tdone\nresult\trolled_back\nreason\tnginx is not active after install\n');
  });

  it('refuses to send an argument that would break the line format', () => {
    expect(() =>
      renderInstruction({
        job: 1,
        lease: 'l',
        step: 'install',
        commands: [{ mode: 'run', argv: ['apt-get', 'a\tb'] }],
      }),
    ).toThrow(/TAB/);
  });
});
