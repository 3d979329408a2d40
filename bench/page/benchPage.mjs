// @ts-check
/**
 * `npm run bench:page`: the pupil's chat page as a new pupil on a cheap phone and a poor
 * connection would get it. Starts the built server, loads `/` in Chromium with Lighthouse's
 * mobile profile (150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU four times slower),
 * first with an empty cache and then again in the same browser context (the repeat visit), three
 * times, and prints one JSON line of medians. Two times for each visit: when the bot's greeting
 * is on screen (the server's HTML, painted before any script runs) and when Web Chat shows the
 * bot's first message (the chat can be used). Not a test: the machine's load moves the figures.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { MOBILE, measureVisit } from './visit.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RUNS = Number(process.env.BENCH_PAGE_RUNS ?? 3);

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** The built server as `npm start` runs it, on in-process stores. */
async function startServer() {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(root, 'dist', 'adapters', 'server.js')], {
    cwd: tmpdir(),
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', LOG_LEVEL: 'info', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start in 20 s:\n${output}`)), 20_000);
    child.stdout?.on('data', () => {
      if (output.includes('careers bot listening')) {
        clearTimeout(timer);
        resolve(undefined);
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise((resolve) => (child.once('exit', resolve), child.kill('SIGTERM'))),
  };
}

/** @param {number[]} values */
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const server = await startServer();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  /** @type {import('./visit.mjs').Visit[]} */
  const first = [];
  /** @type {import('./visit.mjs').Visit[]} */
  const repeat = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: MOBILE.viewport, deviceScaleFactor: MOBILE.deviceScaleFactor, isMobile: true, hasTouch: true });
      try {
        const page = await context.newPage();
        first.push(await measureVisit(page, server.url, MOBILE, { clearCache: true }));
        repeat.push(await measureVisit(page, server.url, MOBILE, { clearCache: false }));
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  const summary = (/** @type {import('./visit.mjs').Visit[]} */ visits) => ({
    greetingMs: median(visits.map((visit) => visit.greetingMs)),
    webChatFirstMessageMs: median(visits.map((visit) => visit.webChatFirstMessageMs)),
    bytesTransferred: median(visits.map((visit) => visit.bytesTransferred)),
    webChatRuns: visits.map((visit) => visit.webChatFirstMessageMs),
  });
  const result = {
    profile: 'Lighthouse mobile: 150 ms RTT, 1.6 Mbit/s down, 750 kbit/s up, CPU x4',
    runs: RUNS,
    loadAverage: os.loadavg().map((load) => Math.round(load * 10) / 10),
    cpus: os.cpus().length,
    firstVisit: summary(first),
    repeatVisit: summary(repeat),
    targets: { firstBotMessageMs: 4000, bytesTransferred: 500 * 1024, repeatFirstBotMessageMs: 1000 },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
