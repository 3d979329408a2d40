import type { Result } from 'ioredis';
import type { RedisClient } from './redisClient';

/**
 * The hand-off queue's scripts. An item is a JSON string (read and written with cjson inside
 * Redis); the open items sit in one sorted set scored rank * 1e13 + waiting-since milliseconds,
 * so ZRANGE gives urgent first, then high, then standard, oldest first within each.
 */
const scripts = {
  /** KEYS: item, open set. ARGV: conversationId, flags JSON, rank, priority, channel, summary, at ISO, at ms, ttl ms, school. Returns the item JSON. */
  queueEnqueue: {
    numberOfKeys: 2,
    lua: `
local item
local raw = redis.call('GET', KEYS[1])
if raw then item = cjson.decode(raw) end
if (not item) or (not item.open) then
  item = { conversationId = ARGV[1], flags = {}, status = 'waiting', waitingSince = ARGV[7], waitingSinceMs = tonumber(ARGV[8]), channel = ARGV[5], rank = tonumber(ARGV[3]), priority = ARGV[4], school = ARGV[10], open = true }
end
if not item.school then item.school = ARGV[10] end
local seen = {}
for _, flag in ipairs(item.flags) do seen[flag] = true end
for _, flag in ipairs(cjson.decode(ARGV[2])) do
  if not seen[flag] then table.insert(item.flags, flag); seen[flag] = true end
end
if tonumber(ARGV[3]) < item.rank then item.rank = tonumber(ARGV[3]); item.priority = ARGV[4] end
item.summary = ARGV[6]
local encoded = cjson.encode(item)
redis.call('SET', KEYS[1], encoded, 'PX', ARGV[9])
redis.call('ZADD', KEYS[2], item.rank * 1e13 + item.waitingSinceMs, ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[9])
return encoded`,
  },
  /** KEYS: item. ARGV: adviser, ttl ms. Returns the item JSON, 'not-found', or 'claimed:' .. adviser. */
  queueClaim: {
    numberOfKeys: 1,
    lua: `
local raw = redis.call('GET', KEYS[1])
if not raw then return 'not-found' end
local item = cjson.decode(raw)
if not item.open then return 'not-found' end
if item.status == 'claimed' and item.claimedBy ~= ARGV[1] then return 'claimed:' .. item.claimedBy end
item.status = 'claimed'
item.claimedBy = ARGV[1]
local encoded = cjson.encode(item)
redis.call('SET', KEYS[1], encoded, 'PX', ARGV[2])
return encoded`,
  },
  /**
   * KEYS: item. ARGV: from, to ('' for back to the queue), ttl ms. Returns the item JSON,
   * 'not-found', or 'not-held:' .. whoever holds it ('' when nobody does).
   */
  queueTransfer: {
    numberOfKeys: 1,
    lua: `
local raw = redis.call('GET', KEYS[1])
if not raw then return 'not-found' end
local item = cjson.decode(raw)
if not item.open then return 'not-found' end
if item.status ~= 'claimed' or item.claimedBy ~= ARGV[1] then return 'not-held:' .. (item.claimedBy or '') end
if ARGV[2] == '' then
  item.status = 'waiting'
  item.claimedBy = nil
else
  item.claimedBy = ARGV[2]
end
local encoded = cjson.encode(item)
redis.call('SET', KEYS[1], encoded, 'PX', ARGV[3])
return encoded`,
  },
  /** KEYS: item, open set. ARGV: conversationId, 'close' or 'cancel', ttl ms. 1 when it left the queue. */
  queueLeave: {
    numberOfKeys: 2,
    lua: `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local item = cjson.decode(raw)
if not item.open then return 0 end
if ARGV[2] == 'cancel' and item.status ~= 'waiting' then return 0 end
item.open = false
redis.call('SET', KEYS[1], cjson.encode(item), 'PX', ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
return 1`,
  },
} as const;

declare module 'ioredis' {
  interface RedisCommander<Context> {
    queueEnqueue(
      item: string,
      open: string,
      conversationId: string,
      flags: string,
      rank: number,
      priority: string,
      channel: string,
      summary: string,
      atIso: string,
      atMs: number,
      ttlMs: number,
      school: string,
    ): Result<string, Context>;
    queueClaim(item: string, adviser: string, ttlMs: number): Result<string, Context>;
    queueTransfer(item: string, from: string, to: string, ttlMs: number): Result<string, Context>;
    queueLeave(item: string, open: string, conversationId: string, how: 'close' | 'cancel', ttlMs: number): Result<number, Context>;
  }
}

export function defineQueueScripts(client: RedisClient): void {
  for (const [name, script] of Object.entries(scripts)) client.defineCommand(name, { numberOfKeys: script.numberOfKeys, lua: script.lua });
}
