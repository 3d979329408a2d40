import { z } from 'zod';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A DNS name with at least one dot: what Teams accepts in validDomains, and what Azure gives a public endpoint. */
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/i;
const SEMVER = /^\d+\.\d+\.\d+$/;

const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);
const guid = (hint: string) => z.preprocess(blankIsUnset, z.string({ message: `is not set: ${hint}` }).regex(GUID, `must be a GUID such as 00000000-0000-0000-0000-000000000000: ${hint}`));
const httpsUrl = z.preprocess(blankIsUnset, z.url({ protocol: /^https$/, message: 'must be an https:// URL' }).optional());

const Settings = z.object({
  MicrosoftAppId: guid('the Application (client) ID of the Azure Bot registration, see README "Microsoft Teams"'),
  PUBLIC_HOSTNAME: z.preprocess(
    blankIsUnset,
    z
      .string({ message: 'is not set: the host name pupils and Teams reach the bot on, e.g. careers.example.sch.uk' })
      .regex(HOSTNAME, 'must be a bare host name such as careers.example.sch.uk (no https://, no port, no path)'),
  ),
  TEAMS_APP_ID: z.preprocess(blankIsUnset, z.string().regex(GUID, 'must be a GUID (the app id the Teams Developer Portal gave you)').optional()),
  TEAMS_APP_VERSION: z.preprocess(blankIsUnset, z.string().regex(SEMVER, 'must be a version such as 1.0.3').optional()),
  TEAMS_PRIVACY_URL: httpsUrl,
  TEAMS_TERMS_URL: httpsUrl,
});

export interface PackageSettings {
  appId: string;
  botId: string;
  version: string;
  hostname: string;
  websiteUrl: string;
  privacyUrl: string;
  termsOfUseUrl: string;
}

export class PackageSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PackageSettingsError';
  }
}

/**
 * Reads what the Teams package needs from the environment. It asks for no secret: a school can
 * build the package on any machine that knows the app id and the public host name.
 */
export function readPackageSettings(env: Record<string, string | undefined>, projectVersion: string): PackageSettings {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PackageSettingsError(`teams:package: ${String(issue.path[0] ?? 'environment')} ${issue.message}`);
  }
  const settings = parsed.data;
  const websiteUrl = `https://${settings.PUBLIC_HOSTNAME}/`;
  return {
    appId: settings.TEAMS_APP_ID ?? settings.MicrosoftAppId,
    botId: settings.MicrosoftAppId,
    version: settings.TEAMS_APP_VERSION ?? projectVersion,
    hostname: settings.PUBLIC_HOSTNAME.toLowerCase(),
    websiteUrl,
    privacyUrl: settings.TEAMS_PRIVACY_URL ?? websiteUrl,
    termsOfUseUrl: settings.TEAMS_TERMS_URL ?? websiteUrl,
  };
}
