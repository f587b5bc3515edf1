import { send } from '@/content/client';
import { scanPageOnce } from '@/content/vendor';

// "Scan this page with Patchboard" (context menu): injected by the background into the current
// tab; badges every id on the page, once.
export default defineContentScript({
  matches: ['https://example.invalid/*'],
  registration: 'runtime',
  main() {
    return scanPageOnce(document, send);
  },
});
