import { readFileSync } from 'node:fs';
import { storedActivities } from '../support/storedLog';
import { Redis } from 'ioredis';
import type { DLActivity } from '../support/directLineClient';
import { content } from '../support/contentText';

/** The safe reply: something has gone wrong, with crisis contacts and the National Careers Service. */
export const safeReply = content.answer('error.turn').text;
export const crisisReply = content.answer('crisis.reply').text;
/** FACTS.md's numbers, which the safe reply must give. */
export const safeReplyContacts = ['999', '0800 1111', '85258', '116 123', '0800 100 900'];

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something truthy; rejects with `what` after `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`waitFor(): ${what} did not happen within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

export async function readyStatus(baseUrl: string): Promise<number> {
  return (await fetch(`${baseUrl}/readyz`)).status;
}

/** Resident memory of a process in kilobytes (Linux). */
export function rssKb(pid: number): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`rssKb(): no VmRSS for ${pid}`);
  return Number(match[1]);
}

/** A conversation's whole activity log, straight from Redis. */
export async function logOf(redis: Redis, prefix: string, conversationId: string): Promise<DLActivity[]> {
  return storedActivities(redis, prefix, conversationId);
}

/** Keeps Redis busy (a script that spins) for `ms`: every other client's command waits meanwhile. */
export function busyRedis(url: string, ms: number): Promise<void> {
  const blocker = new Redis(url, { maxRetriesPerRequest: 0 });
  const spin = `
local t = redis.call('TIME')
local start = t[1] * 1000000 + t[2]
repeat t = redis.call('TIME') until t[1] * 1000000 + t[2] - start > tonumber(ARGV[1])
return 1`;
  return blocker
    .eval(spin, 0, ms * 1000)
    .then(() => undefined)
    .finally(() => blocker.disconnect());
}

export const fromBot = (activity: DLActivity) => activity.from?.role === 'bot';
export const fromPupil = (activity: DLActivity) => activity.from?.role === 'user';
