import { send } from '@/content/client';
import { startConsole } from '@/content/console';

// Host badges on the admin's consoles (vSphere, Proxmox, Grafana, a CMDB); the logic is in
// content/console.ts. Registered at runtime by the background for the URL patterns the admin
// configures; the placeholder below only satisfies the build.
export default defineContentScript({
  matches: ['https://example.invalid/*'],
  registration: 'runtime',
  main(ctx) {
    const script = startConsole({ document, send });
    ctx.onInvalidated(() => script.stop());
  },
});
