import { isIPv6 } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import type { RateLimit } from '../../bot/ports';
import { codeFor, sendError } from './errors';

/** The 429 every limited route answers with: Retry-After in whole seconds and the usual error body. */
export function sendTooManyRequests(res: Response, retryAfterSeconds: number, message: string): void {
  res.set('Retry-After', String(retryAfterSeconds));
  sendError(res, 429, codeFor(429), message);
}

/**
 * The key for a client address: IPv4 as it is, IPv6 by its /64 network, since one household or
 * device is handed a whole /64 and could otherwise take a fresh address for every request.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** The address a request came from (behind a proxy on this machine, the one it forwarded). */
export function clientAddress(req: Request): string {
  return addressKey(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

const isLoopback = (address: string) => /^(127\.|::ffff:127\.)/.test(address) || address === '::1';

/**
 * The client address of a request express does not see (a WebSocket upgrade), by express's own
 * 'trust proxy' = 'loopback' rule: X-Forwarded-For is believed only as far as it was added by
 * proxies on this machine.
 */
export function forwardedClientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined): string {
  const forwarded = [forwardedFor ?? []]
    .flat()
    .join(',')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const chain = [remoteAddress ?? 'unknown', ...forwarded.reverse()];
  return addressKey(chain.find((address) => !isLoopback(address)) ?? chain[chain.length - 1]);
}

/** Express middleware limiting each client address with `limit` (nothing at all when it is off). */
export function limitByAddress(limit: RateLimit, message = 'too many requests from this address; try again later'): RequestHandler {
  if (!limit.enabled) return (_req, _res, next) => next();
  return async (req, res, next) => {
    const check = await limit.take(clientAddress(req));
    if (check.allowed) return next();
    sendTooManyRequests(res, check.retryAfterSeconds, message);
  };
}
