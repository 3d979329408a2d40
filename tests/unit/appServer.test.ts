import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { createAppServer } from '../../adapters/http/appServer';

/**
 * The HTTP server makes each request and response on the express app's own prototypes, so
 * express's per-request Object.setPrototypeOf changes nothing (see adapters/http/appServer.ts).
 */
describe('createAppServer', () => {
  let server: Server;
  let base: string;
  const seen: { requestProto: boolean; responseProto: boolean }[] = [];

  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.post('/echo', (req, res) => {
      seen.push({ requestProto: Object.getPrototypeOf(req) === app.request, responseProto: Object.getPrototypeOf(res) === app.response });
      res.status(201).set('x-seen', req.get('x-probe') ?? '').json({ got: req.body, path: req.path });
    });
    app.get('/missing', (_req, res) => res.sendStatus(404));
    server = createAppServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('makes requests and responses on the app prototypes from the start', async () => {
    const response = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-probe': 'p1' }, body: JSON.stringify({ a: 1 }) });
    expect(response.status).toBe(201);
    expect(seen.at(-1)).toEqual({ requestProto: true, responseProto: true });
  });

  it('keeps every express request and response helper working', async () => {
    const response = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-probe': 'p2' }, body: JSON.stringify({ text: 'hi' }) });
    expect(response.headers.get('x-seen')).toBe('p2');
    expect(await response.json()).toEqual({ got: { text: 'hi' }, path: '/echo' });
    expect((await fetch(`${base}/missing`)).status).toBe(404);
  });

  it('serves many requests on one kept-alive connection', async () => {
    for (let i = 0; i < 20; i += 1) {
      const response = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i }) });
      expect(await response.json()).toEqual({ got: { i }, path: '/echo' });
    }
    expect(seen.every((entry) => entry.requestProto && entry.responseProto)).toBe(true);
  });
});
