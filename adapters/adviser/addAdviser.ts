import { createInterface } from 'node:readline/promises';
import { config as readDotEnv } from 'dotenv';
import { loadConfig } from '../config/config';
import { createRedisStores } from '../redis/redisStores';
import { redisTargetOf } from '../redis/connection';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { loadSchools } from '../../knowledge/loadSchools';
import { AdviserAccounts } from './accounts';
import { errorMessage } from '../../bot/errorMessage';

const SCHOOLS_ARGUMENT = /^(\*|[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)$/;

/** `<username> [--schools a,b]` in either order; `--schools=a,b` works too. */
export function parseArguments(argv: readonly string[]): { username: string; schools?: string[] } {
  let username = '';
  let schools: string[] | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === '--schools' || argument.startsWith('--schools=')) {
      const value = argument.includes('=') ? argument.slice(argument.indexOf('=') + 1) : (argv[(index += 1)] ?? '');
      schools = value
        .split(',')
        .map((part) => part.trim())
        .filter((part) => part !== '');
      if (schools.length === 0 || !schools.every((school) => SCHOOLS_ARGUMENT.test(school)))
        throw new Error('--schools must be * or school ids separated by commas, e.g. --schools north-high,south-academy');
    } else if (!username) {
      username = argument.trim().toLowerCase();
    } else {
      throw new Error(`unexpected argument ${argument}`);
    }
  }
  if (!username) throw new Error('usage: npm run adviser:add -- <username> [--schools <id>,<id>|*]');
  return { username, schools };
}

/**
 * `npm run adviser:add -- <username> [--schools a,b]`: creates an adviser account, or resets its
 * password, in the Redis the configuration names (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS). `--schools` sets the schools the adviser works for
 * (`*` for all); a new account without it gets the default school, a reset keeps its schools.
 * The password is read from ADVISER_PASSWORD or typed at a prompt, never taken from the command
 * line (it would stay in the shell history).
 */
async function main(): Promise<void> {
  readDotEnv({ quiet: true });
  // The start-up pair is not needed here; the password may come alone from ADVISER_PASSWORD.
  const config = loadConfig({ ...process.env, ADVISER_USERNAME: undefined, ADVISER_PASSWORD: undefined });
  const { username, schools } = parseArguments(process.argv.slice(2));
  const known = loadSchools(config.SCHOOLS_FILE, loadCalendar(config.TERM_CALENDAR_FILE)).map((school) => school.id);
  const unknown = (schools ?? []).filter((school) => school !== '*' && !known.includes(school));
  if (unknown.length > 0) throw new Error(`--schools: no school ${unknown.join(', ')} in ${config.SCHOOLS_FILE ?? 'this deployment (no SCHOOLS_FILE: only "default")'}`);
  const redis = redisTargetOf(config);
  if (!redis)
    throw new Error(
      'No Redis is set (REDIS_URL, REDIS_CLUSTER_NODES or REDIS_SENTINELS): accounts made here would vanish with this process. Set one, or use ADVISER_USERNAME and ADVISER_PASSWORD for a memory-mode server.',
    );
  let password = process.env.ADVISER_PASSWORD ?? '';
  if (!password) {
    const prompt = createInterface({ input: process.stdin, output: process.stdout });
    password = (await prompt.question(`Password for ${username} (12+ characters): `)).trim();
    prompt.close();
  }
  const stores = createRedisStores({ ...redis, keyPrefix: config.REDIS_KEY_PREFIX, retentionDays: config.RETENTION_DAYS });
  try {
    const accounts = new AdviserAccounts(stores.keyValue);
    await accounts.upsert(username, password, schools);
    process.stdout.write(`Adviser ${username} saved (schools: ${(await accounts.schoolsOf(username)).schools.join(', ')}).\n`);
  } finally {
    await stores.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${errorMessage(error)}\n`);
    process.exit(1);
  });
}
