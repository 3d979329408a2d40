import path from 'node:path';
import express, { type Router } from 'express';
import { consolePagePolicy } from '../http/securityHeaders';
import { projectRoot } from '../paths';

/** GET /adviser and its assets, from adapters/adviser/public (no CDN). */
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
  router.use(express.static(publicDir, { index: false }));
  return router;
}
