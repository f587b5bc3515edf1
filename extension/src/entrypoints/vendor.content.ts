import { send } from '@/content/client';
import { startVendor } from '@/content/vendor';
import { adapterFor, adapters } from '@/sites';

// The overlay on vendor advisory pages; the logic is in content/vendor.ts. WXT evaluates this
// module at build time, so the matches come from the adapters themselves.
export default defineContentScript({
  matches: adapters.flatMap((adapter) => [...adapter.matches]),
  runAt: 'document_idle',
  main(ctx) {
    const script = startVendor({ document, url: () => new URL(location.href), adapterFor, send });
    ctx.addEventListener(window, 'wxt:locationchange', () => script.check());
    ctx.onInvalidated(() => script.stop());
  },
});
