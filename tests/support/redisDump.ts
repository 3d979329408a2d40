import type { Redis } from 'ioredis';

export interface DumpedKey {
  key: string;
  type: string;
  /** every value of the key as text: a string, a hash's fields and values, a list's or set's members */
  values: string[];
  /** milliseconds to live; -1 none, -2 gone */
  pttl: number;
}

/** Every key in the database (SCAN, so it never blocks the server), each read according to its type. */
export async function dumpRedis(client: Redis): Promise<DumpedKey[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scan(cursor, 'COUNT', 500);
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  const dumped: DumpedKey[] = [];
  for (const key of [...new Set(keys)].sort()) {
    const type = await client.type(key);
    let values: string[];
    if (type === 'string') values = [(await client.get(key)) ?? ''];
    else if (type === 'hash') values = Object.entries(await client.hgetall(key)).flat();
    else if (type === 'list') values = await client.lrange(key, 0, -1);
    else if (type === 'set') values = await client.smembers(key);
    else if (type === 'zset') values = await client.zrange(key, '0', '-1');
    else if (type === 'none') continue;
    else throw new Error(`dumpRedis(): key ${key} has type ${type}, which this dump cannot read`);
    dumped.push({ key, type, values, pttl: await client.pttl(key) });
  }
  return dumped;
}

/** The keys whose name or any value contains `needle`, case-insensitively. */
export function keysMentioning(dump: DumpedKey[], needle: string): DumpedKey[] {
  const lower = needle.toLowerCase();
  return dump.filter((entry) => entry.key.toLowerCase().includes(lower) || entry.values.some((value) => value.toLowerCase().includes(lower)));
}
