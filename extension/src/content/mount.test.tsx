// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { currentOverlay, mountOverlay, OVERLAY_TAG, unmountOverlay } from './mount';

const overlays = () => document.querySelectorAll(OVERLAY_TAG);

describe('mountOverlay', () => {
  let title: HTMLElement;
  beforeEach(() => {
    document.body.innerHTML = '<main><h1>CVE-2024-3094</h1><p>The page</p></main>';
    title = document.querySelector('h1') as HTMLElement;
  });
  afterEach(() => unmountOverlay(document));

  it('puts an open shadow root with its styles after the anchor', () => {
    const mounted = mountOverlay(title, 'CVE-2024-3094', <p data-testid="inside">hello</p>);
    const host = title.nextElementSibling as HTMLElement;
    expect(host).toBe(mounted.host);
    expect(host.localName).toBe('patchboard-overlay');
    expect(host.getAttribute('data-patchboard')).toBe('overlay');
    expect(host.getAttribute('data-id')).toBe('CVE-2024-3094');
    expect(host.shadowRoot).toBe(mounted.root);
    expect(host.shadowRoot?.mode).toBe('open');
    expect(host.shadowRoot?.querySelector('[data-testid="inside"]')?.textContent).toBe('hello');
    // Styles inside the root: adopted, or a <style> where adoption is not available.
    const adopted = host.shadowRoot?.adoptedStyleSheets?.length ?? 0;
    const styles = host.shadowRoot?.querySelectorAll('style').length ?? 0;
    expect(adopted + styles).toBe(1);
    // Nothing of ours in the page's light DOM but the host.
    expect(document.head.querySelector('style')).toBeNull();
    expect(host.childNodes.length).toBe(0);
  });

  it('is idempotent for one id: one overlay, re-rendered in place, state kept', () => {
    const first = mountOverlay(title, 'CVE-2024-3094', <p data-testid="inside">one</p>);
    const second = mountOverlay(title, 'CVE-2024-3094', <p data-testid="inside">two</p>);
    expect(second).toBe(first);
    expect(overlays().length).toBe(1);
    expect(first.root.querySelector('[data-testid="inside"]')?.textContent).toBe('two');
  });

  it('replaces the overlay when the id changes (a single-page app navigated)', () => {
    const first = mountOverlay(title, 'CVE-2024-3094', <p>one</p>);
    const other = document.createElement('h1');
    other.textContent = 'CVE-2024-6387';
    document.querySelector('main')?.append(other);
    const second = mountOverlay(other, 'CVE-2024-6387', <p>two</p>);
    expect(second).not.toBe(first);
    expect(first.host.isConnected).toBe(false);
    expect(overlays().length).toBe(1);
    expect(other.nextElementSibling).toBe(second.host);
    expect(currentOverlay(document)?.id).toBe('CVE-2024-6387');
  });

  it('moves the overlay after a re-rendered anchor', () => {
    const mounted = mountOverlay(title, 'CVE-2024-3094', <p>one</p>);
    const fresh = document.createElement('h1');
    title.replaceWith(fresh);
    mountOverlay(fresh, 'CVE-2024-3094', <p>one</p>);
    expect(fresh.nextElementSibling).toBe(mounted.host);
    expect(overlays().length).toBe(1);
  });

  it('goes to the top of the body when the anchor is the body', () => {
    const mounted = mountOverlay(document.body, 'CVE-2024-3094', <p>one</p>);
    expect(document.body.firstElementChild).toBe(mounted.host);
  });

  it('keeps keys typed in the overlay from the page', () => {
    const mounted = mountOverlay(title, 'CVE-2024-3094', <input data-testid="field" />);
    let seen = 0;
    document.addEventListener('keydown', () => seen++);
    const field = mounted.root.querySelector('[data-testid="field"]') as HTMLInputElement;
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 's', bubbles: true, composed: true }));
    expect(seen).toBe(0);
  });

  it('unmounts', () => {
    mountOverlay(title, 'CVE-2024-3094', <p>one</p>);
    unmountOverlay(document);
    expect(overlays().length).toBe(0);
    expect(currentOverlay(document)).toBeNull();
  });
});
