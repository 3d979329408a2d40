import type { Result } from 'ioredis';
import type { RedisClient } from './redisClient';

/**
 * The alert outbox's scripts. An alert is a hash (its JSON under `alert`, never rewritten here,
 * beside status, attempts, lastError and deliveredAt); the pending ones sit in one sorted set
 * scored by the millisecond each is due, a lease being a due time in the future.
 */
const scripts = {
  /** KEYS: entry, due set, conversation counters. ARGV: alert JSON, alertId, due ms, ttl ms, attempts. 1 added, 0 already there. */
  alertAdd: {
    numberOfKeys: 3,
    lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'alert', ARGV[1], 'status', 'pending', 'attempts', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('HINCRBY', KEYS[3], 'raised', 1)
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return 1`,
  },
  /** KEYS: due set. ARGV: now ms, lease-until ms, limit. The ids due by now, each moved to lease-until in the same step. */
  alertClaim: {
    numberOfKeys: 1,
    lua: `
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], ARGV[2], id) end
return ids`,
  },
  /** KEYS: entry, due set, conversation counters. ARGV: alertId, 'delivered' or 'dropped', at ISO. 1 when it was pending. */
  alertFinish: {
    numberOfKeys: 3,
    lua: `
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2])
redis.call('HINCRBY', KEYS[3], ARGV[2], 1)
if ARGV[2] == 'delivered' then
  redis.call('HSET', KEYS[1], 'deliveredAt', ARGV[3])
  redis.call('HSET', KEYS[3], 'lastDeliveredAt', ARGV[3])
end
return 1`,
  },
  /** KEYS: entry, due set. ARGV: alertId, due ms, error. 1 when it was pending (the attempt is counted). */
  alertRetry: {
    numberOfKeys: 2,
    lua: `
if redis.call('HGET', KEYS[1], 'status') ~= 'pending' then
  redis.call('ZREM', KEYS[2], ARGV[1])
  return 0
end
redis.call('HINCRBY', KEYS[1], 'attempts', 1)
redis.call('HSET', KEYS[1], 'lastError', ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return 1`,
  },
} as const;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    alertAdd(entry: string, due: string, counters: string, alertJson: string, alertId: string, dueMs: number, ttlMs: number, attempts: number): Result<number, Context>;
    alertClaim(due: string, nowMs: number, leaseUntilMs: number, limit: number): Result<string[], Context>;
    alertFinish(entry: string, due: string, counters: string, alertId: string, status: 'delivered' | 'dropped', atIso: string): Result<number, Context>;
    alertRetry(entry: string, due: string, alertId: string, dueMs: number, error: string): Result<number, Context>;
  }
}

export function defineAlertScripts(client: RedisClient): void {
  for (const [name, script] of Object.entries(scripts)) client.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
}
