import { describe, expect, it } from 'vitest';
import consoleScript from '@/entrypoints/console.content';
import scanScript from '@/entrypoints/scan.content';
import vendorScript from '@/entrypoints/vendor.content';
import { adapters } from '@/sites';

describe('content script entrypoints', () => {
  it("vendor: matches every vendor page family's patterns, registered in the manifest", () => {
    expect(vendorScript.matches).toEqual(adapters.flatMap((adapter) => adapter.matches));
    expect(vendorScript.matches?.length).toBeGreaterThan(0);
    expect(vendorScript.registration ?? 'manifest').toBe('manifest');
  });

  it('console and scan: registered at runtime by the background', () => {
    for (const script of [consoleScript, scanScript]) {
      expect(script.registration).toBe('runtime');
      expect(script.matches).toEqual(['https://example.invalid/*']);
    }
  });
});
