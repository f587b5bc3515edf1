// @vitest-environment happy-dom
import type { LookupItem } from '@patchboard/shared/schemas/lookup';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSend, unknownItem, xzItem } from './fixtures';
import { Overlay, type OverlayState } from './Overlay';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

function show(item: LookupItem | OverlayState, send = fakeSend({}).send) {
  const state: OverlayState = 'status' in item ? item : { status: 'ready', item };
  act(() => render(<Overlay id={'id' in item ? item.id : 'CVE-2024-3094'} state={state} send={send} />, container));
}
const byTestId = (id: string) => container.querySelector(`[data-testid="${id}"]`);
const text = (id: string) => byTestId(id)?.textContent ?? null;

describe('Overlay', () => {
  it('shows every field of a lookup item', () => {
    show(xzItem);
    expect(byTestId('pb-overlay')?.getAttribute('data-state')).toBe('affected');
    expect(text('pb-id')).toBe('CVE-2024-3094');
    expect(text('pb-summary')).toBe('Affects 12 of your hosts, 3 in production.');
    expect(text('pb-hosts-total')).toBe('12');
    expect(text('pb-hosts-prod')).toBe('3');
    const rings = [...container.querySelectorAll('[data-testid="pb-ring-count"]')].map((element) => [
      element.getAttribute('data-ring'),
      element.textContent,
    ]);
    expect(rings).toEqual([
      ['test', '5'],
      ['pilot', '4'],
      ['prod', '3'],
    ]);
    const priorities = container.querySelectorAll('[data-testid="pb-priority"]');
    expect(priorities.length).toBe(2); // in the heading and beside its explanation
    expect(priorities[0]?.getAttribute('data-priority')).toBe('1');
    expect(priorities[0]?.textContent).toBe('P1');
    expect(priorities[0]?.getAttribute('class')).toBe('pill p1');
    expect(text('pb-priority-explanation')).toBe(xzItem.priority?.explanation);
    expect(text('pb-priority-due')).toBe('2024-04-05');
    expect(byTestId('pb-kev')?.getAttribute('data-kev')).toBe('true');
    expect(text('pb-kev-added')).toBe('2024-03-29');
    expect(text('pb-kev-due')).toBe('2024-04-19');
    expect(byTestId('pb-kev-due')?.getAttribute('datetime')).toBe('2024-04-19');
    expect(text('pb-kev-ransomware')).toBe('no known ransomware use');
    expect(text('pb-epss-score')).toBe('97.0%');
    expect(byTestId('pb-epss-score')?.getAttribute('data-score')).toBe('0.97');
    expect(text('pb-epss-percentile')).toBe('99.9%');
    expect([...container.querySelectorAll('[data-testid="pb-fixed-version"]')].map((li) => li.textContent)).toEqual([
      'xz-utils 5.4.1-1 (Debian:12)',
      'xz 5.2.5-8.el9_0 (Red Hat:9)',
    ]);
    expect(text('pb-findings-open')).toBe('10');
    expect(text('pb-findings-scheduled')).toBe('1');
    expect(text('pb-findings-excepted')).toBe('1');
    expect(byTestId('pb-next-deployment')?.getAttribute('data-deployment-id')).toBe('12');
    expect(text('pb-next-deployment')).toBe('#12');
    expect(text('pb-next-deployment-status')).toBe('awaiting approval');
    expect(text('pb-next-deployment-ring')).toBe('test');
    expect(container.querySelectorAll('[data-testid="pb-advisory"]').length).toBe(2);
    expect(byTestId('pb-schedule')?.hasAttribute('disabled')).toBe(false);
    expect(byTestId('pb-accept-risk')).not.toBeNull();
    expect(byTestId('pb-open')).not.toBeNull();
  });

  it('says when no deployment is scheduled, and when nothing is open to schedule', () => {
    show({ ...xzItem, nextDeployment: null, findings: { open: 0, scheduled: 0, excepted: 12, resolved: 0 } });
    expect(text('pb-next-deployment')).toBe('none scheduled');
    expect(byTestId('pb-next-deployment')?.hasAttribute('data-deployment-id')).toBe(false);
    expect(byTestId('pb-schedule')?.hasAttribute('disabled')).toBe(true);
  });

  it('says when no host is affected', () => {
    show({ ...xzItem, hosts: { affected: 0, byRing: {} }, priority: null, nextDeployment: null });
    expect(byTestId('pb-overlay')?.getAttribute('data-state')).toBe('unaffected');
    expect(text('pb-summary')).toBe('No host affected.');
    expect(byTestId('pb-hosts-total')).toBeNull();
    expect(byTestId('pb-schedule')).toBeNull();
    expect(byTestId('pb-accept-risk')).toBeNull();
    expect(text('pb-kev-due')).toBe('2024-04-19');
  });

  it('says when an id is not in the feeds', () => {
    show(unknownItem('CVE-2099-0001'));
    expect(byTestId('pb-overlay')?.getAttribute('data-state')).toBe('unknown');
    expect(text('pb-summary')).toContain('Not in Patchboard’s feeds.');
    expect(byTestId('pb-schedule')).toBeNull();
  });

  it('shows loading and errors', () => {
    show({ status: 'loading' });
    expect(byTestId('pb-overlay')?.getAttribute('data-state')).toBe('loading');
    show({ status: 'error', error: 'no token: set one in the options' });
    expect(text('pb-error')).toBe('no token: set one in the options');
  });

  it('renders hostile feed text as text, never as HTML', () => {
    const hostile = '<img src=x onerror=alert(1)>';
    show({
      ...xzItem,
      reason: hostile,
      priority: { highest: 1, explanation: hostile, dueAt: null },
      advisories: [{ id: `DSA-1${hostile}`, source: 'osv', summary: hostile, published: null, withdrawn: null }],
      fixedVersions: [{ ecosystem: hostile, package: hostile, version: hostile }],
      nextDeployment: { id: 12, title: hostile, status: 'running', ring: hostile },
    });
    expect(container.querySelector('img')).toBeNull();
    expect(text('pb-priority-explanation')).toBe(hostile);
    expect(text('pb-advisory')).toContain(hostile);
    expect(container.innerHTML).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('opens the dashboard at the findings of the id', async () => {
    const { send, messages } = fakeSend({ 'patchboard:open': () => ({ ok: true, data: null }) });
    show(xzItem, send);
    await act(async () => (byTestId('pb-open') as HTMLButtonElement).click());
    expect(messages).toEqual([{ type: 'patchboard:open', route: '#/findings?advisory=CVE-2024-3094' }]);
  });

  it('opens the exception form for the CVE', async () => {
    show(xzItem);
    await act(async () => (byTestId('pb-accept-risk') as HTMLButtonElement).click());
    expect(byTestId('pb-exception-form')).not.toBeNull();
    expect(byTestId('pb-exception-target')?.getAttribute('data-kind')).toBe('cve');
    await act(async () => (byTestId('pb-exception-cancel') as HTMLButtonElement).click());
    expect(byTestId('pb-exception-form')).toBeNull();
  });
});
