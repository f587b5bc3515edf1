import * as v from 'valibot';
import { checkBackend } from '@/utils/backend';
import { StatusRequest } from '@/utils/messages';
import { backendUrlItem } from '@/utils/settings';

// Only the background talks to the backend; pages ask it through validated messages.
export default defineBackground(() => {
  browser.runtime.onMessage.addListener((message, sender) => {
    if (sender.id !== browser.runtime.id || !v.is(StatusRequest, message)) return undefined;
    return backendUrlItem.getValue().then((url) => checkBackend(url));
  });
});
