// @ts-check
/**
 * One visit to the chat page under a throttling profile, measured through the DevTools protocol.
 * The clock is the page's own (performance.now(), from the start of navigation).
 */

/**
 * @typedef {{ greetingMs: number, webChatFirstMessageMs: number, bytesTransferred: number }} Visit
 * @typedef {{ network: { offline: boolean, latency: number, downloadThroughput: number, uploadThroughput: number }, cpuSlowdown: number }} Profile
 */

/** Lighthouse's "mobile" throttling (its defaults for the moto g power profile). */
export const MOBILE = {
  network: { offline: false, latency: 150, downloadThroughput: (1.6 * 1024 * 1024) / 8, uploadThroughput: (750 * 1024) / 8 },
  cpuSlowdown: 4,
  viewport: { width: 412, height: 823 },
  deviceScaleFactor: 1.75,
};

/** Pages that already carry the observer (it is added once and runs on every navigation). */
const observed = new WeakSet();

// Runs before any of the page's scripts: notes when the greeting the server put in the page is
// painted (Element Timing), and when Web Chat first shows a message from the bot.
const OBSERVER = `(() => {
  window.__benchGreeting = 0;
  window.__benchFirstBot = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (entry.identifier === 'greeting' && !window.__benchGreeting) window.__benchGreeting = entry.renderTime || entry.loadTime;
  }).observe({ type: 'element', buffered: true });
  const seen = () => document.querySelector('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content');
  const observer = new MutationObserver(() => {
    if (!window.__benchFirstBot && seen()) {
      window.__benchFirstBot = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/**
 * @param {import('playwright-core').Page} page
 * @param {string} url
 * @param {Profile} profile
 * @param {{ clearCache: boolean }} options
 * @returns {Promise<Visit>}
 */
export async function measureVisit(page, url, profile, { clearCache }) {
  if (!observed.has(page)) {
    await page.addInitScript(OBSERVER);
    observed.add(page);
  }
  const cdp = await page.context().newCDPSession(page);
  let bytes = 0;
  /** @type {Set<string>} */
  const inFlight = new Set();
  let lastActivity = Date.now();
  cdp.on('Network.requestWillBeSent', (event) => {
    inFlight.add(event.requestId);
    lastActivity = Date.now();
  });
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength;
    inFlight.delete(event.requestId);
    lastActivity = Date.now();
  });
  cdp.on('Network.loadingFailed', (event) => {
    inFlight.delete(event.requestId);
    lastActivity = Date.now();
  });
  // WebSocket upgrades never "finish"; their frames are counted as they pass.
  cdp.on('Network.webSocketCreated', (event) => inFlight.delete(event.requestId));
  cdp.on('Network.webSocketWillSendHandshakeRequest', (event) => inFlight.delete(event.requestId));
  cdp.on('Network.webSocketFrameReceived', (event) => (bytes += Buffer.byteLength(event.response.payloadData)));
  cdp.on('Network.webSocketFrameSent', (event) => (bytes += Buffer.byteLength(event.response.payloadData)));

  await cdp.send('Network.enable');
  if (clearCache) await cdp.send('Network.clearBrowserCache');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', profile.network);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpuSlowdown });
  try {
    await page.goto(url, { waitUntil: 'commit' });
    // A function, not a string: the page's CSP forbids eval.
    await page.waitForFunction(() => Number(Reflect.get(globalThis, '__benchFirstBot')) > 0, undefined, { timeout: 90_000, polling: 50 });
    // Everything the first load fetches, not only what came before the first message.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (inFlight.size > 0 || Date.now() - lastActivity < 1000)) await new Promise((resolve) => setTimeout(resolve, 100));
    const read = (/** @type {string} */ name) => page.evaluate((key) => Number(Reflect.get(globalThis, key)), name);
    return { greetingMs: Math.round(await read('__benchGreeting')), webChatFirstMessageMs: Math.round(await read('__benchFirstBot')), bytesTransferred: bytes };
  } finally {
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    await cdp.detach();
  }
}
