// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { mark } from './mark';
import { scan } from './scan';
import { watch } from './watch';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watch', () => {
  let stop: (() => void) | undefined;
  afterEach(() => {
    stop?.();
    stop = undefined;
    document.body.replaceChildren();
  });

  it('runs the callback once for a burst of page changes, after the delay', async () => {
    let runs = 0;
    stop = watch(document.body, () => runs++, { delay: 20 });
    for (let i = 0; i < 10; i++) document.body.append(document.createElement('p'));
    await wait(5);
    expect(runs).toBe(0);
    await wait(60);
    expect(runs).toBe(1);
  });

  it('sees text changes in the subtree', async () => {
    document.body.innerHTML = '<p>Loading</p>';
    let runs = 0;
    stop = watch(document.body, () => runs++, { delay: 5 });
    (document.body.querySelector('p')?.firstChild as Text).data = 'CVE-2024-3094';
    await wait(40);
    expect(runs).toBe(1);
  });

  it('ignores changes inside our own UI and the insertion of our own elements', async () => {
    document.body.innerHTML = '<div data-patchboard="overlay"><span>0</span></div><p>page</p>';
    let runs = 0;
    stop = watch(document.body, () => runs++, { delay: 5 });
    const overlay = document.body.querySelector('[data-patchboard]') as Element;
    overlay.querySelector('span')?.append(' affected hosts');
    overlay.append(document.createElement('button'));
    const badge = document.createElement('span');
    badge.setAttribute('data-patchboard', 'badge');
    document.body.querySelector('p')?.append(badge);
    badge.remove();
    await wait(40);
    expect(runs).toBe(0);
  });

  it('ignores what its own callback changes (marking), so it does not loop', async () => {
    document.body.innerHTML = '<main></main>';
    let runs = 0;
    stop = watch(
      document.body,
      () => {
        runs++;
        mark(scan(document.body).occurrences, () => document.createElement('span'));
      },
      { delay: 5 },
    );
    const p = document.createElement('p');
    p.textContent = 'New row: CVE-2024-3094';
    document.querySelector('main')?.append(p);
    await wait(60);
    expect(runs).toBe(1);
    expect(document.querySelector('[data-patchboard-id="CVE-2024-3094"]')).not.toBeNull();
  });

  it('stops on disconnect, cancelling a pending run', async () => {
    let runs = 0;
    stop = watch(document.body, () => runs++, { delay: 10 });
    document.body.append(document.createElement('p'));
    stop();
    document.body.append(document.createElement('p'));
    await wait(40);
    expect(runs).toBe(0);
  });
});
