// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Badge, badgeTitle } from './Badge';
import { xzItem } from './fixtures';
import { HostBadge } from './HostBadge';

let container: HTMLElement;
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
});
afterEach(() => {
  render(null, container);
  container.remove();
});

describe('Badge', () => {
  it('shows the priority and the host count, the rest in its tooltip', async () => {
    const onOpen = vi.fn();
    act(() => render(<Badge id="CVE-2024-3094" item={xzItem} onOpen={onOpen} />, container));
    const badge = container.querySelector('[data-testid="pb-badge"]') as HTMLButtonElement;
    expect(badge.textContent).toBe('P1 · 12');
    expect(badge.getAttribute('class')).toBe('badge p1');
    expect(badge.getAttribute('data-priority')).toBe('1');
    expect(badge.getAttribute('data-hosts')).toBe('12');
    expect(badge.title).toBe(badgeTitle('CVE-2024-3094', xzItem));
    expect(badge.title).toContain('affects 12 hosts (3 in production)');
    expect(badge.title).toContain('CISA KEV, due 2024-04-19');
    await act(async () => badge.click());
    expect(onOpen).toHaveBeenCalledOnce();
  });

  it('shows 0 when no host is affected', () => {
    act(() => render(<Badge id="CVE-2024-3094" item={{ ...xzItem, hosts: { affected: 0, byRing: {} } }} />, container));
    const badge = container.querySelector('[data-testid="pb-badge"]');
    expect(badge?.textContent).toBe('0');
    expect(badge?.getAttribute('class')).toBe('badge none');
  });

  it('keeps hostile text in the tooltip as text', () => {
    const hostile = '"><img src=x onerror=alert(1)>';
    act(() =>
      render(
        <Badge id="CVE-2024-3094" item={{ ...xzItem, priority: { highest: 2, explanation: hostile, dueAt: null } }} />,
        container,
      ),
    );
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[data-testid="pb-badge"]')?.getAttribute('title')).toContain(hostile);
  });
});

describe('HostBadge', () => {
  it('shows open P1/P2 and the pending deployment, and opens the host', async () => {
    const onOpen = vi.fn();
    const match = {
      name: 'web-prod-01',
      hostname: 'web-prod-01.example.com',
      ring: 'prod',
      p1: 2,
      p2: 5,
      pendingDeployment: { id: 12, title: 'xz-utils', status: 'awaiting_approval' },
    };
    act(() => render(<HostBadge match={match} onOpen={onOpen} />, container));
    const badge = container.querySelector('[data-testid="pb-host-badge"]') as HTMLElement;
    expect(badge.textContent).toBe('P1 2 · P2 5 · deployment #12 pending');
    expect(badge.getAttribute('data-route')).toBe('#/hosts/web-prod-01.example.com');
    expect(badge.localName).toBe('button');
    expect(container.querySelector('[data-testid="pb-host-p1"]')?.textContent).toBe('2');
    expect(container.querySelector('[data-testid="pb-host-deployment"]')?.getAttribute('data-deployment-id')).toBe(
      '12',
    );
    await act(async () => badge.click());
    expect(onOpen).toHaveBeenCalledWith('#/hosts/web-prod-01.example.com');
  });

  it('leaves the deployment out when there is none, and hostile titles stay text', () => {
    const match = { name: '10.0.0.5', hostname: 'db-01', ring: 'test', p1: 0, p2: 0, pendingDeployment: null };
    act(() => render(<HostBadge match={match} />, container));
    expect(container.querySelector('[data-testid="pb-host-badge"]')?.textContent).toBe('P1 0 · P2 0');
    const hostile = {
      ...match,
      pendingDeployment: { id: 3, title: '<img src=x onerror=alert(1)>', status: 'running' },
    };
    act(() => render(<HostBadge match={hostile} />, container));
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[data-testid="pb-host-deployment"]')?.textContent).toBe('deployment #3 running');
  });
});
