import { isIPv6 } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import { codeFor, sendError } from './errors';

export type RateCheck = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimitOptions {
  /** requests a key may make per minute, sustained; 0 switches the limiter off */
  perMinute: number;
  /** how many of them may come at once (the bucket's size); default half a minute's worth */
  burst?: number;
  /** most keys kept at once; past it the least recently seen key is forgotten */
  maxKeys?: number;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

const MINUTE_MS = 60_000;
const DEFAULT_MAX_KEYS = 50_000;

/**
 * A token bucket per key, in this process only: no store round trip on a pupil's turn. Each key
 * holds up to `burst` requests and earns them back at `perMinute`. A bucket left alone until it
 * is full again is the same as no bucket, so idle keys are swept; and however many distinct keys
 * arrive, at most `maxKeys` are kept (the least recently seen go first), so a flood of addresses
 * or tokens cannot grow memory without bound.
 */
export class RateLimiter {
  readonly enabled: boolean;
  private readonly capacity: number;
  private readonly perMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  /** in order of last use: the first entry is the least recently seen */
  private readonly buckets = new Map<string, Bucket>();
  private lastSweep: number;

  constructor(options: RateLimitOptions) {
    this.enabled = options.perMinute > 0;
    this.perMs = options.perMinute / MINUTE_MS;
    this.capacity = Math.max(1, options.burst ?? Math.ceil(options.perMinute / 2));
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.now = options.now ?? Date.now;
    this.lastSweep = this.now();
  }

  get size(): number {
    return this.buckets.size;
  }

  /** Takes one request for `key`: allowed, or refused with the whole seconds until the next one is. */
  take(key: string): RateCheck {
    if (!this.enabled) return { allowed: true };
    const now = this.now();
    this.sweep(now);
    const bucket = this.buckets.get(key);
    let tokens = this.capacity;
    if (bucket) {
      this.buckets.delete(key);
      tokens = Math.min(this.capacity, bucket.tokens + (now - bucket.at) * this.perMs);
    } else if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
    if (tokens >= 1) {
      this.buckets.set(key, { tokens: tokens - 1, at: now });
      return { allowed: true };
    }
    this.buckets.set(key, { tokens, at: now });
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
  }

  /** Forgets buckets that have been idle long enough to be full again, oldest first. */
  private sweep(now: number): void {
    const refillMs = this.capacity / this.perMs;
    if (now - this.lastSweep < Math.min(refillMs, MINUTE_MS)) return;
    this.lastSweep = now;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at < refillMs) break;
      this.buckets.delete(key);
    }
  }
}

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

/** Express middleware limiting each client address with `limiter`. */
export function limitByAddress(limiter: RateLimiter, message = 'too many requests from this address; try again later'): RequestHandler {
  return (req, res, next) => {
    const check = limiter.take(clientAddress(req));
    if (check.allowed) return next();
    sendTooManyRequests(res, check.retryAfterSeconds, message);
  };
}
