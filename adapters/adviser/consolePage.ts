import path from 'node:path';
import express, { type Router } from 'express';
import { projectRoot } from '../paths';

/** The console's own strict policy: no inline script or style at all. */
const headers = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Frame-Options': 'DENY',
};

/** GET /adviser and its assets, from adapters/adviser/public (no CDN). */
export function createConsolePageRouter(): Router {
  const router = express.Router();
  const publicDir = path.join(projectRoot(), 'adapters', 'adviser', 'public');
  router.get('/', (_req, res) => {
    res.set(headers).sendFile(path.join(publicDir, 'index.html'));
  });
  router.get('/insights', (_req, res) => {
    res.set(headers).sendFile(path.join(publicDir, 'insights.html'));
  });
  router.use(express.static(publicDir, { index: false, setHeaders: (res) => res.set(headers) }));
  return router;
}
