import { z } from 'zod';
import { AlertWebhookUrl } from '../../knowledge/schoolsSchema';
import { HOSTNAME } from '../teams/packageSettings';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

/** https, or http on this machine only: a channel token checked against keys from anywhere else could be forged. */
const openIdMetadataUrl = z.string().refine((value) => {
  const url = URL.canParse(value) ? new URL(value) : undefined;
  return url?.protocol === 'https:' || (url?.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname));
}, 'must be an https:// URL (http:// only on 127.0.0.1 or localhost)');

/** A comma-separated list, blanks dropped; unset or empty is undefined. */
const list = <T extends z.ZodType<unknown, string>>(item: T, message: string) =>
  optionalText
    .transform((value) =>
      value === undefined
        ? undefined
        : value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part !== ''),
    )
    .pipe(z.array(item).min(1, message).optional());

const redisUrl = (message: string) =>
  z
    .string()
    .regex(/^rediss?:\/\/.+/, message)
    .refine((value) => URL.canParse(value), message);

/** What a cluster node's URL says beyond its host and port: the scheme and the credentials, which every node must share. */
const clusterAccess = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.username}:${parsed.password}`;
};

/** host:port (an IPv6 host in brackets). */
const hostPort = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/, 'must be host:port pairs separated by commas, e.g. sentinel-1:26379,sentinel-2:26379')
  .transform((value) => {
    const at = value.lastIndexOf(':');
    return { host: value.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(at + 1)) };
  })
  .refine(({ port }) => port >= 1 && port <= 65535, 'must have ports between 1 and 65535');

const port = z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535');

/** requests per minute for one rate limit; 0 switches it off */
const perMinute = (fallback: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number per minute')
    .min(0, 'must be between 0 (off) and 1000000')
    .max(1_000_000, 'must be between 0 (off) and 1000000')
    .default(fallback);

const Env = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: port.default(3978),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    REDIS_URL: optionalText.pipe(redisUrl('must be a redis:// or rediss:// URL').optional()),
    REDIS_CLUSTER_NODES: list(redisUrl('must be redis:// or rediss:// URLs separated by commas'), 'must be redis:// or rediss:// URLs separated by commas').refine(
      (urls) => !urls || new Set(urls.map(clusterAccess)).size === 1,
      'must give every node the same scheme (redis:// or rediss://) and the same credentials',
    ),
    REDIS_SENTINELS: list(hostPort, 'must be host:port pairs separated by commas, e.g. sentinel-1:26379,sentinel-2:26379'),
    REDIS_SENTINEL_NAME: optionalText.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be the master group name the sentinels monitor (letters, digits, . _ -)')
        .optional(),
    ),
    REDIS_PASSWORD: optionalText,
    REDIS_SENTINEL_PASSWORD: optionalText,
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]{1,40}$/, 'letters, digits, : _ - only (1-40)')
      .default('careersbot:'),
    RETENTION_DAYS: z.coerce.number({ message: 'must be a number' }).int('must be a whole number of days').min(1, 'must be between 1 and 365').max(365, 'must be between 1 and 365').default(30),
    DIRECTLINE_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    TOKEN_SIGNING_KEY: optionalText.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    DIRECTLINE_TOKEN_TTL_SECONDS: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number of seconds')
      .min(60, 'must be between 60 and 86400')
      .max(86400, 'must be between 60 and 86400')
      .default(1800),
    MicrosoftAppId: optionalText,
    MicrosoftAppPassword: optionalText,
    MicrosoftAppTenantId: optionalText,
    MicrosoftAppType: z.enum(['SingleTenant', 'MultiTenant', 'UserAssignedMSI']).default('SingleTenant'),
    BotOpenIdMetadata: optionalText.pipe(openIdMetadataUrl.optional()),
    ADVISER_USERNAME: optionalText,
    ADVISER_PASSWORD: optionalText.pipe(z.string().min(12, 'must be at least 12 characters').optional()),
    ADVISER_IDLE_MINUTES: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number of minutes')
      .min(5, 'must be between 5 and 480')
      .max(480, 'must be between 5 and 480')
      .default(30),
    ADVISER_AWAY_AFTER_MINUTES: z.coerce
      .number({ message: 'must be a number' })
      .int('must be a whole number of minutes')
      .min(1, 'must be between 1 and 120')
      .max(120, 'must be between 1 and 120')
      .default(10),
    BOT_CLOCK: optionalText.pipe(z.iso.datetime({ offset: true, message: 'must be an ISO-8601 instant, e.g. 2026-08-20T08:05:00+01:00' }).optional()),
    TERM_CALENDAR_FILE: optionalText,
    RATE_LIMIT_ADDRESS_PER_MINUTE: perMinute(6000),
    RATE_LIMIT_CONVERSATIONS_PER_MINUTE: perMinute(120),
    RATE_LIMIT_MESSAGES_PER_MINUTE: perMinute(60),
    RATE_LIMIT_POLLS_PER_MINUTE: perMinute(600),
    SCHOOLS_FILE: optionalText,
    SAFEGUARDING_WEBHOOK_URL: optionalText.pipe(AlertWebhookUrl.optional()),
    SAFEGUARDING_WEBHOOK_SECRET: optionalText.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
    SAFEGUARDING_ESCALATE_AFTER_MINUTES: optionalText
      .pipe(z.coerce.number<string>({ message: 'must be a number' }).int('must be a whole number of minutes').min(1, 'must be between 1 and 1440').max(1440, 'must be between 1 and 1440').optional())
      .transform((minutes) => minutes ?? 10),
    /** the host the bot is served on: alerts link to https://<PUBLIC_HOSTNAME>/adviser (also read by teams:package) */
    PUBLIC_HOSTNAME: optionalText.pipe(z.string().regex(HOSTNAME, 'must be a bare host name such as careers.example.sch.uk (no https://, no port, no path)').optional()),
    ADVISER_SCHOOLS: optionalText
      .transform((value) =>
        (value ?? '*')
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== ''),
      )
      .pipe(z.array(z.string().regex(/^(\*|[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?)$/, 'must be * or school ids separated by commas')).min(1, 'must be * or school ids separated by commas')),
  })
  .superRefine((env, ctx) => {
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'UserAssignedMSI' && !env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'is required when MicrosoftAppId is set' });
    }
    // botbuilder refuses a password with a managed identity (an assertion at start-up); say so in the same one line as every other setting.
    if (env.MicrosoftAppType === 'UserAssignedMSI' && env.MicrosoftAppPassword) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppPassword'], message: 'must be empty when MicrosoftAppType is UserAssignedMSI (the managed identity replaces it)' });
    }
    if (env.MicrosoftAppId && env.MicrosoftAppType !== 'MultiTenant' && !env.MicrosoftAppTenantId) {
      ctx.addIssue({ code: 'custom', path: ['MicrosoftAppTenantId'], message: `is required when MicrosoftAppType is ${env.MicrosoftAppType}` });
    }
    if (env.SAFEGUARDING_WEBHOOK_URL && !env.SAFEGUARDING_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SAFEGUARDING_WEBHOOK_SECRET'], message: 'is required when SAFEGUARDING_WEBHOOK_URL is set (16+ characters; receivers check the signature with it)' });
    }
    if (env.REDIS_URL && env.REDIS_CLUSTER_NODES) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_CLUSTER_NODES'], message: 'must not be set together with REDIS_URL (one Redis: a single server or a cluster)' });
    }
    if (env.REDIS_SENTINELS && (env.REDIS_URL || env.REDIS_CLUSTER_NODES)) {
      ctx.addIssue({
        code: 'custom',
        path: ['REDIS_SENTINELS'],
        message: `must not be set together with ${env.REDIS_URL ? 'REDIS_URL' : 'REDIS_CLUSTER_NODES'} (one Redis: a single server, a cluster or a Sentinel group)`,
      });
    }
    if (Boolean(env.REDIS_SENTINELS) !== Boolean(env.REDIS_SENTINEL_NAME)) {
      ctx.addIssue({ code: 'custom', path: [env.REDIS_SENTINELS ? 'REDIS_SENTINEL_NAME' : 'REDIS_SENTINELS'], message: 'must be set too (REDIS_SENTINELS and REDIS_SENTINEL_NAME go together)' });
    }
    for (const variable of ['REDIS_PASSWORD', 'REDIS_SENTINEL_PASSWORD'] as const) {
      if (env[variable] && !env.REDIS_SENTINELS) {
        ctx.addIssue({ code: 'custom', path: [variable], message: 'is only read with REDIS_SENTINELS (with REDIS_URL or REDIS_CLUSTER_NODES the password goes in the URLs)' });
      }
    }
    if (Boolean(env.ADVISER_USERNAME) !== Boolean(env.ADVISER_PASSWORD)) {
      ctx.addIssue({ code: 'custom', path: [env.ADVISER_USERNAME ? 'ADVISER_PASSWORD' : 'ADVISER_USERNAME'], message: 'must be set too (ADVISER_USERNAME and ADVISER_PASSWORD go together)' });
    }
  });

export type Config = z.infer<typeof Env>;

/** Every variable the process reads, for the documentation check. */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(Env.shape);

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once at start. The error names the first bad variable and never echoes
 * its value, because some of these are secrets.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = Env.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const variable = issue.path.length > 0 ? String(issue.path[0]) : 'environment';
  const message = issue.code === 'invalid_value' ? `must be one of ${issue.values.map(String).join(', ')}` : issue.message;
  throw new ConfigError(`Invalid configuration: ${variable} ${message}`);
}
