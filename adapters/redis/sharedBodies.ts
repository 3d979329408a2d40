import { createHash } from 'node:crypto';
import type { RedisClient } from './redisClient';

/**
 * The bot's own replies are the same few hundred content answers for every pupil. Rather than
 * each conversation keeping its own copy of every reply (most of its size in Redis), a reply's
 * body is kept once, in one shared hash, and the conversation keeps a short reference.
 *
 * Only what the bot itself writes from content may be shared: never a pupil's or an adviser's
 * words, and never anything that names the pupil (see `shareable`). The shared hash renews its
 * retention TTL whenever it is written, and a process writes a body it uses again once a minute
 * (WRITTEN_FOR_MS), so a body lives as long as any reference to it, less at most that minute.
 *
 * A body is written in its own step, before the turn's commit script that refers to it: on a Redis
 * Cluster the shared hash is in another slot than the conversation, and a script may touch one slot
 * only. A commit that fails after its bodies were written leaves only shared bodies, which expire.
 */
export class SharedBodies {
  /** bodies this process has written lately, so a hot reply is not sent to Redis every turn */
  private readonly written = new Map<string, number>();
  /** parsed bodies by reference: immutable, so safe to keep; bounded */
  private readonly cache = new Map<string, unknown>();
  private static readonly WRITTEN_FOR_MS = 60_000;
  private static readonly CACHE_LIMIT = 5_000;

  constructor(
    private readonly client: RedisClient,
    readonly key: string,
    private readonly ttlMs: number,
  ) {
    // A new connection may be to a Redis that has restarted without its data, and on a cluster a
    // new node connection may be to a promoted replica: write every body again.
    client.on('ready', () => this.written.clear());
    client.on('+node', () => this.written.clear());
  }

  /** references of bodies seen lately: the same few hundred are hashed on every turn otherwise; bounded */
  private static readonly references = new Map<string, string>();

  static reference(json: string): string {
    let ref = SharedBodies.references.get(json);
    if (ref === undefined) {
      ref = createHash('sha256').update(json).digest('base64url').slice(0, 12);
      if (SharedBodies.references.size >= SharedBodies.CACHE_LIMIT) SharedBodies.references.clear();
      SharedBodies.references.set(json, ref);
    }
    return ref;
  }

  /** The bodies of `bodies` (reference → JSON) this process has not written lately: the ones a write must carry. */
  private unwritten(bodies: Map<string, string>): Map<string, string> {
    const now = Date.now();
    return new Map([...bodies].filter(([ref]) => now - (this.written.get(ref) ?? -Infinity) >= SharedBodies.WRITTEN_FOR_MS));
  }

  /**
   * Stores the bodies of `bodies` this process has not written lately (HSET and PEXPIRE, one round
   * trip); undefined, and no round trip, when there are none (the steady state). Idempotent.
   */
  store(bodies: Map<string, string>): Promise<void> | undefined {
    if (bodies.size === 0) return undefined;
    const fresh = this.unwritten(bodies);
    if (fresh.size === 0) return undefined;
    return this.client.sharedPut(this.key, this.ttlMs, ...[...fresh].flat()).then(() => this.markWritten(fresh));
  }

  /** Call once a write carrying these bodies has succeeded (never before: a failed write stored nothing). */
  private markWritten(bodies: Map<string, string>): void {
    if (this.written.size > SharedBodies.CACHE_LIMIT) this.written.clear();
    const now = Date.now();
    for (const ref of bodies.keys()) this.written.set(ref, now);
  }

  /** The parsed bodies of `refs`, from the cache or, for the rest, in one HMGET. */
  async get(refs: string[]): Promise<Map<string, unknown>> {
    const found = new Map<string, unknown>();
    const missing: string[] = [];
    for (const ref of new Set(refs)) {
      if (this.cache.has(ref)) found.set(ref, this.cache.get(ref));
      else missing.push(ref);
    }
    if (missing.length === 0) return found;
    const values = await this.client.hmget(this.key, ...missing);
    missing.forEach((ref, index) => {
      const json = values[index];
      if (json === null || json === undefined) return;
      const parsed: unknown = JSON.parse(json);
      if (this.cache.size >= SharedBodies.CACHE_LIMIT) this.cache.clear();
      this.cache.set(ref, parsed);
      found.set(ref, parsed);
    });
    return found;
  }
}

/** True when `json` names none of `identifiers` (the conversation, the pupil's user id). */
export function namesNone(json: string, identifiers: (string | undefined)[]): boolean {
  return identifiers.every((identifier) => !identifier || !json.includes(identifier));
}
