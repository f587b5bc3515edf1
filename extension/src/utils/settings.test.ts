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
