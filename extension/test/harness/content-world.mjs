// @ts-check
/**
 * The extension's content-script world of a page, reached through the Chrome DevTools Protocol:
 * Playwright's `page.evaluate` runs in the page's main world, which cannot see the content script's
 * `chrome.runtime`. Before the page loads, a breakpoint on the first line of our content scripts
 * pauses each one as it starts; in that pause (in the content script's own world) every message
 * it sends, every answer it gets and every message it receives is wrapped to be recorded; then it
 * runs on. Later, `evaluate` runs code in that world (to read the record, or what its storage
 * areas hold).
 */

/** Installed once per world: wraps chrome.runtime.sendMessage and listens to runtime.onMessage. */
const RECORDER = `(() => {
  if (globalThis.__patchboardE2eMessages) return 'already';
  const log = (globalThis.__patchboardE2eMessages = []);
  const runtime = chrome.runtime;
  const send = runtime.sendMessage.bind(runtime);
  runtime.sendMessage = (...args) => {
    log.push({ direction: 'sent', json: JSON.stringify(args[0]) });
    return Promise.resolve(send(...args)).then((answer) => {
      log.push({ direction: 'answer', json: JSON.stringify(answer) ?? 'undefined' });
      return answer;
    });
  };
  runtime.onMessage.addListener((message) => {
    log.push({ direction: 'received', json: JSON.stringify(message) });
  });
  return 'installed';
})()`;

/**
 * @typedef {{ direction: 'sent' | 'answer' | 'received', json: string }} RecordedMessage
 * @param {import('playwright-core').BrowserContext} context
 * @param {import('playwright-core').Page} page a page not yet navigated to the vendor URL
 * @param {string} extensionId
 */
export async function attachContentWorld(context, page, extensionId) {
  const cdp = await context.newCDPSession(page);
  const origin = `chrome-extension://${extensionId}`;
  /** @type {{ id: number, frameId: string }[]} */
  const worlds = [];
  /** @type {string[]} */
  const problems = [];
  let installs = 0;
  cdp.on('Runtime.executionContextCreated', ({ context: created }) => {
    if (created.origin === origin && created.auxData?.type === 'isolated') {
      worlds.push({ id: created.id, frameId: String(created.auxData.frameId) });
    }
  });
  cdp.on('Debugger.paused', async (event) => {
    try {
      const frame = event.callFrames[0];
      if (frame && event.hitBreakpoints?.length) {
        const result = await cdp.send('Debugger.evaluateOnCallFrame', {
          callFrameId: frame.callFrameId,
          expression: RECORDER,
          returnByValue: true,
        });
        if (result.exceptionDetails) problems.push(JSON.stringify(result.exceptionDetails));
        else installs += 1;
      }
    } catch (err) {
      problems.push(String(err));
    } finally {
      await cdp.send('Debugger.resume').catch(() => {});
    }
  });
  await cdp.send('Runtime.enable');
  await cdp.send('Debugger.enable');
  const escaped = origin.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  await cdp.send('Debugger.setBreakpointByUrl', {
    urlRegex: `^${escaped}/content-scripts/[^/]+\\.js$`,
    lineNumber: 0,
    columnNumber: 0,
  });

  /**
   * Runs `expression` in the content-script world of the page's main frame (the newest one).
   * @param {string} expression
   */
  const evaluate = async (expression) => {
    const mainFrame = /** @type {{ frameTree: { frame: { id: string } } }} */ (await cdp.send('Page.getFrameTree'))
      .frameTree.frame.id;
    const world = worlds.filter((w) => w.frameId === mainFrame).at(-1);
    if (!world) throw new Error('no content script runs in this page');
    const result = await cdp.send('Runtime.evaluate', {
      contextId: world.id,
      expression,
      awaitPromise: true,
      returnByValue: true,
    });
    if (result.exceptionDetails) throw new Error(`in the content script's world: ${result.exceptionDetails.text}`);
    return result.result.value;
  };

  return {
    evaluate,
    /** How many content-script worlds got the recorder, and what went wrong installing it. */
    status: () => ({ installs, problems: [...problems] }),
    /** @returns {Promise<RecordedMessage[]>} */
    messages: async () => JSON.parse(await evaluate('JSON.stringify(globalThis.__patchboardE2eMessages ?? null)')),
    async detach() {
      await cdp.detach().catch(() => {});
    },
  };
}
