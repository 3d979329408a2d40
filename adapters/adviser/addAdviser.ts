import { createInterface } from 'node:readline/promises';
import { config as readDotEnv } from 'dotenv';
import { loadConfig } from '../config/config';
import { createRedisStores } from '../redis/redisStores';
import { AdviserAccounts } from './accounts';

/**
 * `npm run adviser:add -- <username>`: creates an adviser account, or resets its password, in
 * the Redis named by REDIS_URL. The password is read from ADVISER_PASSWORD or typed at a prompt,
 * never taken from the command line (it would stay in the shell history).
 */
async function main(): Promise<void> {
  readDotEnv({ quiet: true });
  // The start-up pair is not needed here; the password may come alone from ADVISER_PASSWORD.
  const config = loadConfig({ ...process.env, ADVISER_USERNAME: undefined, ADVISER_PASSWORD: undefined });
  const username = (process.argv[2] ?? '').trim().toLowerCase();
  if (!username) throw new Error('usage: npm run adviser:add -- <username>');
  if (!config.REDIS_URL) throw new Error('REDIS_URL is not set: accounts made here would vanish with this process. Set REDIS_URL, or use ADVISER_USERNAME and ADVISER_PASSWORD for a memory-mode server.');
  let password = process.env.ADVISER_PASSWORD ?? '';
  if (!password) {
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    password = (await prompt.question(`Password for ${username} (12+ characters): `)).trim();
    prompt.close();
  }
  const stores = createRedisStores({ url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX, retentionDays: config.RETENTION_DAYS });
  try {
    await new AdviserAccounts(stores.keyValue).upsert(username, password);
    process.stdout.write(`Adviser ${username} saved.\n`);
  } finally {
    await stores.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
