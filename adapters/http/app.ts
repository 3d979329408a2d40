import express, { type Express, type Router } from 'express';
import type { Logger, Stores } from '../../bot/ports';
import { codeFor, errorHandler, sendError } from './errors';
import { baseHeaders, httpsOnly } from './securityHeaders';

export interface AppDeps {
  stores: Pick<Stores, 'kind' | 'ping'>;
  logger: Logger;
  /** feature routers, mounted in the order given (the busiest first: each request walks them in turn) */
  routers: { path: string; router: Router }[];
}

/** Builds the express app without listening, so tests can drive it directly. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag on answers made in code: the JSON ones are all no-store, so a SHA-1 of each body (on
  // every poll) would never be used, and the school pages are small. This is express's "custom
  // function" form of the setting, making none. Files sent from disk (the chat page, Web Chat's
  // bundle) keep theirs: `send` makes its own whenever the setting is on at all.
  app.set('etag', () => undefined);
  app.set('trust proxy', 'loopback');
  app.use(baseHeaders, httpsOnly);

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok', storage: deps.stores.kind });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await deps.stores.ping();
      res.status(200).json({ status: 'ready', storage: deps.stores.kind });
    } catch (error) {
      res.status(503).json({ status: 'unavailable', storage: deps.stores.kind, reason: error instanceof Error ? error.message : 'the store did not answer' });
    }
  });

  for (const { path, router } of deps.routers) app.use(path, router);

  app.use((req, res) => sendError(res, 404, codeFor(404), `no such endpoint: ${req.method} ${req.path}`));
  app.use(errorHandler(deps.logger));
  return app;
}
