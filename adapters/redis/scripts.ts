import type { Result } from 'ioredis';
import type { RedisClient } from './redisClient';
import { ETAG_MUST_NOT_EXIST } from '../../bot/ports';

/** How a state write is conditioned, from the eTag the caller sent (botbuilder MemoryStorage's rules). */
export type WriteMode = 'any' | 'absent' | 'match';

export function writeMode(eTag: unknown): WriteMode {
  if (eTag === ETAG_MUST_NOT_EXIST) return 'absent';
  return !eTag || eTag === '*' ? 'any' : 'match';
}

/**
 * A state item's compare-and-set, as Lua to begin a script with: KEYS[1] the item hash; ARGV[1]
 * to ARGV[5] mode, expected eTag, value, new eTag, ttl ms. Returns `refused` on a conflict and
 * otherwise goes on to what follows it.
 */
export function casWriteLua(refused: string): string {
  return `
local current = redis.call('HGET', KEYS[1], 'e')
if ARGV[1] == 'absent' then
  if current then return ${refused} end
elseif ARGV[1] == 'match' then
  if current ~= ARGV[2] then return ${refused} end
end
redis.call('HSET', KEYS[1], 'v', ARGV[3], 'e', ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[5])`;
}

/**
 * Each script runs atomically on the server, so no other client can slip in between its check
 * and its write. Registered with defineCommand, so a call sends EVALSHA, not the script text.
 */
const scripts = {
  /** KEYS[1] item hash; ARGV: mode, expected eTag, value JSON, new eTag, ttl ms. 1 written, 0 conflict. */
  casWrite: {
    numberOfKeys: 1,
    lua: `${casWriteLua('0')}
return 1`,
  },
  /** KEYS[1] meta hash; ARGV: ttl ms, then field/value pairs. 1 created, 0 already there. */
  createMeta: {
    numberOfKeys: 1,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`,
  },
  /** KEYS[1] meta hash. 1 only for the call that flipped started from 0 to 1; HSET keeps the TTL. */
  markStarted: {
    numberOfKeys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'started') == '0' then
  redis.call('HSET', KEYS[1], 'started', '1')
  return 1
end
return 0`,
  },
  /** KEYS[1] activity list; ARGV[1] the blank. Overwrites every entry in place (LSET keeps the TTL); returns how many. */
  blankAll: {
    numberOfKeys: 1,
    lua: `
local n = redis.call('LLEN', KEYS[1])
for i = 0, n - 1 do redis.call('LSET', KEYS[1], i, ARGV[1]) end
return n`,
  },
  /** KEYS[1] a shared hash; ARGV: ttl ms, then field/value pairs. Stores them and renews the TTL. */
  sharedPut: {
    numberOfKeys: 1,
    lua: `
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 1`,
  },
  /** KEYS[1] secret; ARGV: candidate, ttl ms. The stored value, storing the candidate first if absent; renews the TTL. */
  getOrCreate: {
    numberOfKeys: 1,
    lua: `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('GET', KEYS[1])`,
  },
} as const;

// ioredis types custom commands through declaration merging on its commander interface.
declare module 'ioredis' {
  interface RedisCommander<Context> {
    casWrite(key: string, mode: WriteMode, expected: string, value: string | Buffer, eTag: string, ttlMs: number): Result<number, Context>;
    createMeta(key: string, ttlMs: number, ...fieldsAndValues: string[]): Result<number, Context>;
    markStarted(key: string): Result<number, Context>;
    blankAll(key: string, blank: string): Result<number, Context>;
    getOrCreate(key: string, candidate: string, ttlMs: number): Result<string, Context>;
    sharedPut(key: string, ttlMs: number, ...fieldsAndValues: string[]): Result<number, Context>;
  }
}

export function defineScripts(client: RedisClient): void {
  for (const [name, script] of Object.entries(scripts)) {
    client.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
}
