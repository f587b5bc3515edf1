// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSend, scheduled } from './fixtures';
import { ScheduleButton } from './ScheduleButton';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});
const byTestId = (id: string) => container.querySelector(`[data-testid="${id}"]`);
const click = (id: string) => act(async () => (byTestId(id) as HTMLButtonElement).click());

describe('ScheduleButton', () => {
  it('schedules, shows what was created, and undoes it', async () => {
    const { send, messages } = fakeSend({
      'patchboard:schedule': () => ({ ok: true, data: scheduled }),
      'patchboard:undo': () => ({ ok: true, data: { ...scheduled, status: 'cancelled' } }),
    });
    act(() => render(<ScheduleButton ids={['CVE-2024-3094']} send={send} />, container));
    await click('pb-schedule');
    expect(messages).toEqual([{ type: 'patchboard:schedule', ids: ['CVE-2024-3094'] }]);

    const result = byTestId('pb-schedule-result');
    expect(result?.getAttribute('data-deployment-id')).toBe('13');
    expect(byTestId('pb-created-deployment')?.textContent).toBe('#13');
    expect(byTestId('pb-created-status')?.textContent).toBe('awaiting approval');
    expect(byTestId('pb-created-hosts')?.textContent).toBe('12');
    const rings = [...container.querySelectorAll('[data-testid="pb-created-ring"]')].map((li) => ({
      ring: li.getAttribute('data-ring'),
      hosts: li.querySelector('[data-testid="pb-created-ring-hosts"]')?.textContent,
      opening: li.querySelector('[data-testid="pb-created-ring-opening"]')?.textContent,
      at: li.querySelector('[data-testid="pb-created-ring-opening"]')?.getAttribute('datetime') ?? null,
    }));
    expect(rings).toEqual([
      { ring: 'test', hosts: '5', opening: '2024-04-03 22:00 UTC', at: '2024-04-03T22:00:00.000Z' },
      { ring: 'pilot', hosts: '4', opening: '2024-04-04 22:00 UTC', at: '2024-04-04T22:00:00.000Z' },
      { ring: 'prod', hosts: '3', opening: 'none (no maintenance window)', at: null },
    ]);
    expect(byTestId('pb-schedule')?.hasAttribute('disabled')).toBe(true);

    await click('pb-undo');
    expect(messages[1]).toEqual({ type: 'patchboard:undo', deploymentId: 13 });
    expect(byTestId('pb-undo-result')?.textContent).toBe('Deployment #13 cancelled.');
    expect(byTestId('pb-undo-result')?.getAttribute('data-status')).toBe('cancelled');
    expect(byTestId('pb-undo')).toBeNull();
  });

  it("shows the backend's error, and lets the person try again", async () => {
    let calls = 0;
    const { send } = fakeSend({
      'patchboard:schedule': () =>
        ++calls === 1
          ? { ok: false, error: 'no fixed version for host web-01 (ring dmz not in plan)' }
          : { ok: true, data: scheduled },
    });
    act(() => render(<ScheduleButton ids={['CVE-2024-3094']} send={send} />, container));
    await click('pb-schedule');
    expect(byTestId('pb-schedule-error')?.textContent).toBe('no fixed version for host web-01 (ring dmz not in plan)');
    await click('pb-schedule');
    expect(byTestId('pb-schedule-error')).toBeNull();
    expect(byTestId('pb-schedule-result')).not.toBeNull();
  });

  it('keeps the deployment and offers undo again when undo fails', async () => {
    const { send } = fakeSend({
      'patchboard:schedule': () => ({ ok: true, data: scheduled }),
      'patchboard:undo': () => ({ ok: false, error: 'deployment 13 has ended' }),
    });
    act(() => render(<ScheduleButton ids={['CVE-2024-3094']} send={send} />, container));
    await click('pb-schedule');
    await click('pb-undo');
    expect(byTestId('pb-undo-error')?.textContent).toBe('deployment 13 has ended');
    expect(byTestId('pb-undo')?.hasAttribute('disabled')).toBe(false);
  });

  it('is disabled, saying why, when there is nothing to schedule', () => {
    act(() =>
      render(
        <ScheduleButton ids={['CVE-2024-3094']} send={fakeSend({}).send} disabledReason="nothing open" />,
        container,
      ),
    );
    expect(byTestId('pb-schedule')?.hasAttribute('disabled')).toBe(true);
    expect(byTestId('pb-schedule')?.getAttribute('title')).toBe('nothing open');
  });
});
