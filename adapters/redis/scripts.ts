import type { Redis, Result } from 'ioredis';

/**
 * Lua scripts, each atomic on the server. Registered once per connection with defineCommand,
 * so a turn sends EVALSHA, not the script text.
 */
const scripts = {
  /** KEYS[1] item; ARGV: expected eTag ('' overwrites, '!absent' must not exist), value, new eTag, ttl ms. 1 written, 0 conflict. */
  casWrite: {
    numberOfKeys: 1,
    lua: `
local current = redis.call('HGET', KEYS[1], 'e')
if ARGV[1] == '!absent' then
  if current then return 0 end
elseif ARGV[1] ~= '' then
  if current ~= ARGV[1] then return 0 end
end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 'e', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
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
  /** KEYS[1] meta hash. 1 when this call flipped started from 0 to 1. */
  markStarted: {
    numberOfKeys: 1,
    lua: `
if redis.call('HGET', KEYS[1], 'started') == '0' then
  redis.call('HSET', KEYS[1], 'started', '1')
  return 1
end
return 0`,
  },
  /** KEYS[1] secret; ARGV: candidate, ttl ms. Returns the stored value, creating it first if absent. */
  getOrCreate: {
    numberOfKeys: 1,
    lua: `
redis.call('SET', KEYS[1], ARGV[1], 'NX')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('GET', KEYS[1])`,
  },
} as const;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    casWrite(key: string, expected: string, value: string, eTag: string, ttlMs: number): Result<number, Context>;
    createMeta(key: string, ttlMs: number, ...fieldsAndValues: string[]): Result<number, Context>;
    markStarted(key: string): Result<number, Context>;
    getOrCreate(key: string, candidate: string, ttlMs: number): Result<string, Context>;
  }
}

export function defineScripts(client: Redis): void {
  for (const [name, script] of Object.entries(scripts)) {
    client.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
  }
}
