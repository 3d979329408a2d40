import { createHash } from 'node:crypto';
import path from 'node:path';
import express, { type Router } from 'express';
import { consolePagePolicy } from '../http/securityHeaders';
import { projectRoot } from '../paths';
import { bundleConsole, readBuiltConsole, type ConsoleScript } from './consoleBundle';

/** Run from the TypeScript sources (tests): the console is bundled in memory, so it is never a stale build. */
const fromSource = path.extname(__filename) === '.ts';
let bundled: Promise<Record<ConsoleScript, Buffer>> | undefined;

function consoleScripts(): Promise<Record<ConsoleScript, Buffer>> {
  bundled ??= fromSource ? bundleConsole(projectRoot(), false) : Promise.resolve(readBuiltConsole());
  return bundled;
}

/**
 * GET /adviser and its assets, from adapters/adviser/public (no CDN), and the console's scripts as
 * `npm run build` bundled them into dist/adviser. The scripts are revalidated by their hash on each
 * load, so a new release is picked up at once.
 */
export function createConsolePageRouter(): Router {
  const router = express.Router();
  const publicDir = path.join(projectRoot(), 'adapters', 'adviser', 'public');
  router.use(consolePagePolicy);
  router.get('/', (_req, res) => {
    res.sendFile(path.join(publicDir, 'index.html'));
  });
  router.get('/insights', (_req, res) => {
    res.sendFile(path.join(publicDir, 'insights.html'));
  });
  for (const name of ['console.js', 'insights.js'] as const) {
    router.get(`/${name}`, async (req, res, next) => {
      try {
        const body = (await consoleScripts())[name];
        const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
        res.set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', ETag: etag });
        if (req.get('if-none-match') === etag) return void res.status(304).end();
        res.status(200).send(body);
      } catch (error) {
        next(error);
      }
    });
  }
  router.use(express.static(publicDir, { index: false }));
  return router;
}
