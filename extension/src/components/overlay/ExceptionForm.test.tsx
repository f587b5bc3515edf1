// @vitest-environment happy-dom
import type { RiskException } from '@patchboard/shared/schemas/exception';
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dayAfter, ExceptionForm, type ExceptionInput, exceptionBody } from './ExceptionForm';
import { fakeSend } from './fixtures';

const NOW = new Date('2024-04-02T15:30:00Z');
const target = { kind: 'cve', value: 'CVE-2024-3094' } as const;
const input: ExceptionInput = {
  hostsKind: 'all',
  hostsValue: '',
  reason: 'vendor appliance, no patch yet',
  compensatingControl: 'sshd not reachable from outside',
  expires: '2024-05-02',
};

describe('exceptionBody', () => {
  it('builds the body of POST /v1/exceptions', () => {
    expect(exceptionBody(target, input, NOW)).toEqual({
      ok: true,
      body: {
        hosts: { kind: 'all' },
        target: { kind: 'cve', value: 'CVE-2024-3094' },
        reason: 'vendor appliance, no patch yet',
        compensatingControl: 'sshd not reachable from outside',
        expiresAt: '2024-05-02T00:00:00.000Z',
      },
    });
    expect(exceptionBody(target, { ...input, hostsKind: 'ring', hostsValue: ' prod ' }, NOW)).toMatchObject({
      ok: true,
      body: { hosts: { kind: 'ring', value: 'prod' } },
    });
  });

  it.each([
    [{ reason: '   ' }, 'reason must not be empty'],
    [{ compensatingControl: '' }, 'compensatingControl must not be empty'],
    [{ expires: '2024-04-02' }, 'the expiry must be a day after today or later'],
    [{ expires: dayAfter(NOW, 366) }, 'the expiry is at most 365 days ahead'],
    [{ expires: '' }, 'choose an expiry date'],
    [{ hostsKind: 'hostname', hostsValue: '' }, 'name the hostname'],
    [{ hostsKind: 'hostname', hostsValue: 'web 01' }, 'hostname must be dot-separated labels'],
    [{ hostsKind: 'ring', hostsValue: 'Prod' }, 'ring must be 1-32 lower-case'],
  ] as const)('refuses %j', (change, error) => {
    const result = exceptionBody(target, { ...input, ...change }, NOW);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(error);
  });

  it('accepts the last allowed day', () => {
    expect(exceptionBody(target, { ...input, expires: dayAfter(NOW, 365) }, NOW).ok).toBe(true);
  });
});

describe('ExceptionForm', () => {
  let container: HTMLElement;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
  });
  afterEach(() => {
    render(null, container);
    container.remove();
  });
  const byTestId = (id: string) => container.querySelector(`[data-testid="${id}"]`) as HTMLInputElement;
  const type = (id: string, value: string) =>
    act(() => {
      const field = byTestId(id);
      field.value = value;
      field.dispatchEvent(new Event(field.localName === 'select' ? 'change' : 'input', { bubbles: true }));
    });
  const submit = () => act(async () => byTestId('pb-exception-submit').click());

  it('defaults to all hosts and 30 days, validates, sends the body and shows the request', async () => {
    const created: RiskException = {
      id: 7,
      hosts: { kind: 'ring', value: 'pilot' },
      target: { kind: 'cve', value: 'CVE-2024-3094' },
      reason: 'vendor appliance, no patch yet',
      compensatingControl: 'sshd not reachable from outside',
      status: 'requested',
      active: false,
      requestedBy: 'extension',
      requestedAt: NOW.toISOString(),
      decidedBy: null,
      decidedAt: null,
      decisionNote: null,
      expiresAt: '2024-05-02T00:00:00.000Z',
      endedAt: null,
    };
    const { send, messages } = fakeSend({ 'patchboard:exception': () => ({ ok: true, data: created }) });
    act(() =>
      render(<ExceptionForm target={target} rings={['pilot', 'prod']} send={send} now={() => NOW} />, container),
    );
    expect(byTestId('pb-exception-hosts-kind').value).toBe('all');
    expect(byTestId('pb-exception-expiry').value).toBe('2024-05-02');
    expect(byTestId('pb-exception-expiry').getAttribute('max')).toBe('2025-04-02');
    expect(byTestId('pb-exception-target').textContent).toBe('CVE-2024-3094');

    await submit();
    expect(byTestId('pb-exception-error').textContent).toBe('reason must not be empty');
    expect(messages).toEqual([]);

    type('pb-exception-hosts-kind', 'ring');
    expect(byTestId('pb-exception-hosts-value').value).toBe('pilot');
    type('pb-exception-reason', 'vendor appliance, no patch yet');
    type('pb-exception-control', 'sshd not reachable from outside');
    await submit();
    expect(messages).toEqual([
      {
        type: 'patchboard:exception',
        body: {
          hosts: { kind: 'ring', value: 'pilot' },
          target: { kind: 'cve', value: 'CVE-2024-3094' },
          reason: 'vendor appliance, no patch yet',
          compensatingControl: 'sshd not reachable from outside',
          expiresAt: '2024-05-02T00:00:00.000Z',
        },
      },
    ]);
    expect(byTestId('pb-exception-result').getAttribute('data-exception-id')).toBe('7');
    expect(byTestId('pb-exception-status').textContent).toBe('requested — waits for an approver');
  });

  it("shows the backend's error", async () => {
    const { send } = fakeSend({
      'patchboard:exception': () => ({ ok: false, error: 'your token may not request exceptions', status: 403 }),
    });
    act(() => render(<ExceptionForm target={target} rings={[]} send={send} now={() => NOW} />, container));
    type('pb-exception-reason', 'r');
    type('pb-exception-control', 'c');
    await submit();
    expect(byTestId('pb-exception-error').textContent).toBe('your token may not request exceptions');
    expect(byTestId('pb-exception-form')).not.toBeNull();
  });
});
