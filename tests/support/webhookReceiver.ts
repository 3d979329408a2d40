import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCall {
  path: string;
  headers: IncomingHttpHeaders;
  /** the body exactly as it arrived */
  raw: string;
  json: Record<string, unknown>;
  /** the status the receiver answered with */
  status: number;
  at: number;
}

/**
 * A real HTTP receiver for webhook tests, on a free port of 127.0.0.1. It records every POST and
 * answers with the status `respond` gives for it (200 by default), after `delayMs`.
 */
export class WebhookReceiver {
  readonly calls: ReceivedCall[] = [];
  respond: (call: Omit<ReceivedCall, 'status'>, index: number) => number = () => 200;
  delayMs = 0;
  private server?: Server;

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined;
    return address ? `http://127.0.0.1:${address.port}` : '';
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          // recorded as it came; a test asserts on it
        }
        const call = { path: req.url ?? '', headers: req.headers, raw, json, at: Date.now() };
        const status = this.respond(call, this.calls.length);
        this.calls.push({ ...call, status });
        setTimeout(() => res.writeHead(status, { 'content-type': 'application/json' }).end('{}'), this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The calls answered with a 2xx. */
  get accepted(): ReceivedCall[] {
    return this.calls.filter((call) => call.status >= 200 && call.status < 300);
  }

  /** Resolves once `test` holds for the calls so far; rejects after `timeoutMs`. */
  async waitFor(test: (calls: ReceivedCall[]) => boolean, timeoutMs = 10_000): Promise<ReceivedCall[]> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.calls)) {
      if (Date.now() > deadline)
        throw new Error(
          `webhook receiver: condition not met in ${timeoutMs} ms; ${this.calls.length} calls: ${this.calls.map((call) => `${call.status} ${String(call.json.type)} ${String(call.json.alertId)}`).join('; ')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.calls;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
