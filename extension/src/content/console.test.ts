// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSend } from '@/components/overlay/fixtures';
import type { HostMatch } from '@/components/overlay/HostBadge';
import {
  type ConsoleScript,
  candidatesInText,
  createConsoleAnnotator,
  HOST_ATTRIBUTE,
  HOST_BADGE_TAG,
  MAX_CANDIDATES,
  startConsole,
} from './console';

const names = (text: string) => candidatesInText(text).map((candidate) => candidate.name);

describe('candidatesInText', () => {
  it('finds hostnames, FQDNs and IPv4/IPv6 addresses', () => {
    expect(
      names(
        'VM web-prod-01 (10.0.0.5) on esx02.dc1.example.com, db01 at 2001:db8::15 and fe80::1%eth0; see srv-02.example.org.',
      ),
    ).toEqual([
      'web-prod-01',
      '10.0.0.5',
      'esx02.dc1.example.com',
      'db01',
      '2001:db8::15',
      'fe80::1',
      'srv-02.example.org',
    ]);
  });

  it('leaves out plain words, numbers, versions, times, MAC addresses and partial tokens', () => {
    expect(names('Powered on server running since 12:30:45 version 1.2.3 uptime 99 days')).toEqual([]);
    expect(names('MAC 00:1a:2b:3c:4d:5e')).toEqual([]);
    expect(names('10.0.0.256 and 1.2.3.4.5 and x10.0.0.1')).toEqual([]);
    expect(names('--web-01-- is still web-01, admin@mail-01.example.com')).toEqual(['web-01']);
  });

  it('gives the offsets of each name as written', () => {
    const text = 'host: WEB-PROD-01.corp.example.com!';
    const [found] = candidatesInText(text);
    expect(found && text.slice(found.start, found.end)).toBe('WEB-PROD-01.corp.example.com');
  });
});

const match = (name: string, hostname: string, p1 = 2, p2 = 5): HostMatch => ({
  name,
  hostname,
  ring: 'prod',
  p1,
  p2,
  pendingDeployment: { id: 12, title: 'xz-utils', status: 'awaiting_approval' },
});

/** The fleet: web-prod-01 (also 10.0.0.5) and db-01.example.com. */
function hostsFake() {
  const fleet: Record<string, HostMatch> = {
    'web-prod-01': match('web-prod-01', 'web-prod-01'),
    '10.0.0.5': match('10.0.0.5', 'web-prod-01'),
    'db-01.example.com': match('db-01.example.com', 'db-01', 0, 1),
  };
  return fakeSend({
    'patchboard:hosts': (message: { names: string[] }) => ({
      ok: true,
      data: { items: message.names.flatMap((name) => (fleet[name] ? [fleet[name]] : [])) },
    }),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('console content script', () => {
  let script: ConsoleScript | undefined;
  beforeEach(() => {
    document.body.innerHTML = '';
  });
  afterEach(() => {
    script?.stop();
    script = undefined;
  });

  it('asks once for every name in the text and badges the hosts', async () => {
    document.body.innerHTML = `
      <table>
        <tr><td title="attr-host-99">web-prod-01</td><td>10.0.0.5</td><td>Powered on</td></tr>
        <tr><td><a href="https://db-01.example.com/">db-01.example.com</a></td><td>10.0.0.9</td></tr>
        <tr><td>web-prod-01</td><td><script>var x = "script-host-01";</script></td></tr>
      </table>
      <input value="input-host-01">`;
    const { send, messages } = hostsFake();
    script = startConsole({ document, send, delay: 10 });
    await script.idle();
    expect(messages).toEqual([
      { type: 'patchboard:hosts', names: ['web-prod-01', '10.0.0.5', 'db-01.example.com', '10.0.0.9'] },
    ]);
    const marks = [...document.querySelectorAll(`[${HOST_ATTRIBUTE}]`)].map((span) => [
      span.textContent,
      span.getAttribute(HOST_ATTRIBUTE),
    ]);
    expect(marks).toEqual([
      ['web-prod-01', 'web-prod-01'],
      ['10.0.0.5', 'web-prod-01'],
      ['db-01.example.com', 'db-01'],
      ['web-prod-01', 'web-prod-01'],
    ]);
    const badge = document.querySelector(`[${HOST_ATTRIBUTE}]`)?.nextElementSibling;
    expect(badge?.localName).toBe(HOST_BADGE_TAG);
    expect(badge?.getAttribute('data-patchboard')).toBe('host-badge');
    expect(badge?.shadowRoot?.querySelector('[data-testid="pb-host-badge"]')?.textContent).toBe(
      'P1 2 · P2 5 · deployment #12 pending',
    );
    // The link's text is kept, inside the link.
    expect(document.querySelector('a')?.textContent).toBe('db-01.example.com');
  });

  it('opens the host in the dashboard from its badge', async () => {
    document.body.innerHTML = '<p>web-prod-01</p>';
    const fake = hostsFake();
    const opened: string[] = [];
    const send = (async (message: { type: string; route?: string }) => {
      if (message.type === 'patchboard:open') {
        opened.push(message.route ?? '');
        return { ok: true, data: null };
      }
      return fake.send(message as never);
    }) as typeof fake.send;
    await createConsoleAnnotator(document.body, send).run();
    const badge = document.querySelector(HOST_BADGE_TAG)?.shadowRoot?.querySelector('[data-testid="pb-host-badge"]');
    (badge as HTMLElement).click();
    expect(opened).toEqual(['#/hosts/web-prod-01']);
  });

  it('watches a single-page console and asks only for new names', async () => {
    document.body.innerHTML = '<div id="list"><p>web-prod-01</p></div>';
    const { send, messages } = hostsFake();
    script = startConsole({ document, send, delay: 10 });
    await script.idle();
    document.getElementById('list')?.insertAdjacentHTML('beforeend', '<p>db-01.example.com and web-prod-01</p>');
    await sleep(40);
    await script.idle();
    expect(messages.map((message) => message.names)).toEqual([['web-prod-01'], ['db-01.example.com']]);
    expect(document.querySelectorAll(HOST_BADGE_TAG).length).toBe(3);
    // Its own badges do not wake it up again.
    await sleep(40);
    await script.idle();
    expect(messages.length).toBe(2);
  });

  it('asks at most 2,000 names per pass', async () => {
    const cells = Array.from({ length: 2500 }, (_, i) => `<span>vm-${i}</span>`).join(' ');
    document.body.innerHTML = `<div>${cells}</div>`;
    const { send, messages } = hostsFake();
    await createConsoleAnnotator(document.body, send).run();
    expect(messages.map((message) => (message.names as string[]).length)).toEqual([MAX_CANDIDATES, 500]);
  });

  it('does not ask again after a failure', async () => {
    document.body.innerHTML = '<p>web-prod-01</p>';
    const { send, messages } = fakeSend({ 'patchboard:hosts': () => ({ ok: false, error: 'offline' }) });
    const annotator = createConsoleAnnotator(document.body, send);
    await annotator.run();
    await annotator.run();
    expect(messages.length).toBe(1);
    expect(document.querySelector(HOST_BADGE_TAG)).toBeNull();
  });
});
