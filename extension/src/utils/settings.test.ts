import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { backendUrlItem, DEFAULT_BACKEND_URL, saveBackendUrl } from './settings';

describe('backend URL setting', () => {
  beforeEach(() => fakeBrowser.reset());

  it('defaults to the local backend of npm start', async () => {
    expect(await backendUrlItem.getValue()).toBe(DEFAULT_BACKEND_URL);
  });

  it('stores the origin of a valid URL', async () => {
    expect(await saveBackendUrl('  https://patch.example.com/some/path ')).toEqual({
      ok: true,
      url: 'https://patch.example.com',
    });
    expect(await backendUrlItem.getValue()).toBe('https://patch.example.com');
  });

  it.each(['javascript:alert(1)', 'file:///etc/passwd', 'patch.example.com', ''])(
    'refuses %j and keeps the old value',
    async (input) => {
      const result = await saveBackendUrl(input);
      expect(result.ok).toBe(false);
      expect(await backendUrlItem.getValue()).toBe(DEFAULT_BACKEND_URL);
    },
  );
});

describe('console patterns', () => {
  it('accepts console match patterns and says why others are refused', async () => {
    const { parseConsolePatterns, patternOrigin } = await import('./settings');
    expect(
      parseConsolePatterns(
        'https://vcenter.example.com/ui/*\n\n http://10.0.0.5:8006/* ,https://*.grafana.example.com/*',
      ),
    ).toEqual({
      ok: true,
      patterns: ['https://vcenter.example.com/ui/*', 'http://10.0.0.5:8006/*', 'https://*.grafana.example.com/*'],
    });
    for (const bad of ['<all_urls>', 'https://*/*', 'file:///etc/*', 'https://exa*mple.com/*', 'vcenter.example.com']) {
      expect(parseConsolePatterns(bad).ok).toBe(false);
    }
    expect(patternOrigin('http://10.0.0.5:8006/path/*')).toBe('http://10.0.0.5:8006/*');
  });
});

describe('vendor site settings', () => {
  beforeEach(() => fakeBrowser.reset());

  it('has overlays on and the whole-page scanner off until the user says otherwise', async () => {
    const { setSiteSetting, siteSetting, scanWholePageItem } = await import('./settings');
    expect(await siteSetting('nvd')).toEqual({ enabled: true, scanAllPages: false });
    await setSiteSetting('nvd', { enabled: false });
    await setSiteSetting('msrc', { scanAllPages: true });
    expect(await siteSetting('nvd')).toEqual({ enabled: false, scanAllPages: false });
    expect(await scanWholePageItem.getValue()).toEqual(['msrc']);
  });
});
