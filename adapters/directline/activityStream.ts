import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConversationLog, Logger, RateCheck, RateLimit } from '../../bot/ports';
import { forwardedClientAddress } from '../http/rateLimit';
import type { TokenSigner } from './tokens';
import { errorMessage } from '../../bot/errorMessage';

const streamPath = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{8,64})\/stream$/;

function refuse(socket: Duplex, status: number, reason: string, extraHeaders = ''): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\n${extraHeaders}Connection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** Refuses an over-limit upgrade as the HTTP routes do: 429 with Retry-After. */
function refusedForRate(socket: Duplex, check: RateCheck): boolean {
  if (check.allowed) return false;
  refuse(socket, 429, 'Too Many Requests', `Retry-After: ${check.retryAfterSeconds}\r\n`);
  return true;
}

/**
 * The Direct Line WebSocket stream: on connect it sends what the client has not seen (from the
 * watermark in the URL), then each new batch as `{activities, watermark}`. Appends made by any
 * instance reach it through the log's subscription.
 */
export class ActivityStream {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  private readonly open = new Set<WebSocket>();

  constructor(
    private readonly log: ConversationLog,
    private readonly signer: TokenSigner,
    private readonly logger: Logger,
    /** the Direct Line routes' limiters: a connection counts once per address and as one poll of its conversation */
    private readonly limits?: { address: RateLimit; polls: RateLimit },
  ) {}

  attach(http: Server): void {
    http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(req, socket, head).catch((error: unknown) => {
        this.logger.warn('stream upgrade failed', { error: errorMessage(error) });
        refuse(socket, 503, 'Service Unavailable');
      });
    });
  }

  async close(): Promise<void> {
    for (const socket of this.open) socket.close(1001, 'server shutting down');
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (this.limits && refusedForRate(socket, await this.limits.address.take(forwardedClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'])))) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = streamPath.exec(url.pathname);
    if (!match) return refuse(socket, 404, 'Not Found');
    const conversationId = match[1];
    const check = this.signer.check(url.searchParams.get('t') ?? '');
    if (!check.ok || check.claims.conversationId !== conversationId) return refuse(socket, 403, 'Forbidden');
    if (this.limits && refusedForRate(socket, await this.limits.polls.take(conversationId))) return;
    if (!(await this.log.getMeta(conversationId))) return refuse(socket, 404, 'Not Found');
    const given = url.searchParams.get('watermark') ?? '';
    const watermark = /^\d{1,9}$/.test(given) ? Number(given) : 0;
    this.server.handleUpgrade(req, socket, head, (ws) => {
      this.serve(ws, conversationId, watermark).catch((error: unknown) => {
        this.logger.warn('stream failed', { error: errorMessage(error) });
        ws.close(1011, 'stream failed');
      });
    });
  }

  private async serve(ws: WebSocket, conversationId: string, startAt: number): Promise<void> {
    this.open.add(ws);
    let watermark = startAt;
    let pumping = false;
    let again = false;
    let closed = false;
    // One read at a time, so batches go out in order; a notice during a read triggers one more.
    const pump = async (): Promise<void> => {
      if (pumping) {
        again = true;
        return;
      }
      pumping = true;
      try {
        do {
          again = false;
          const page = await this.log.read(conversationId, watermark);
          if (closed) return;
          if (page.activities.length > 0) {
            watermark = page.watermark;
            ws.send(JSON.stringify({ activities: page.activities, watermark: String(watermark) }));
            again = true;
          }
        } while (again && !closed);
      } finally {
        pumping = false;
      }
    };
    const notify = () => {
      pump().catch((error: unknown) => this.logger.warn('stream read failed', { error: errorMessage(error) }));
    };
    const unsubscribe = await this.log.subscribe(conversationId, notify);
    ws.on('close', () => {
      closed = true;
      this.open.delete(ws);
      unsubscribe().catch(() => undefined);
    });
    // Clients send empty keep-alive messages; nothing else is expected on this socket.
    ws.on('message', () => undefined);
    notify();
  }
}
