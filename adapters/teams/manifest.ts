import text from './manifest-text.json';
import type { PackageSettings } from './packageSettings';

/**
 * The published Teams app manifest schema this package follows. 1.23 is the version Microsoft's
 * manifest reference names as current; the test validates against the copy of its schema that
 * the npm package @microsoft/app-manifest ships.
 */
export const MANIFEST_VERSION = '1.23';
export const COLOR_ICON_FILE = 'color.png';
export const OUTLINE_ICON_FILE = 'outline.png';

export interface TeamsManifest {
  $schema: string;
  manifestVersion: string;
  version: string;
  id: string;
  developer: { name: string; websiteUrl: string; privacyUrl: string; termsOfUseUrl: string };
  name: { short: string; full: string };
  description: { short: string; full: string };
  icons: { color: string; outline: string };
  accentColor: string;
  bots: {
    botId: string;
    scopes: 'personal'[];
    isNotificationOnly: boolean;
    supportsFiles: boolean;
    supportsCalling: boolean;
    supportsVideo: boolean;
    commandLists: { scopes: 'personal'[]; commands: { title: string; description: string }[] }[];
  }[];
  validDomains: string[];
}

/**
 * One bot, personal scope only: the bot is a one-to-one guidance chat, and in a team or group
 * chat a pupil's questions (and any crisis reply) would be seen by others.
 */
export function buildManifest(settings: PackageSettings): TeamsManifest {
  return {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`,
    manifestVersion: MANIFEST_VERSION,
    version: settings.version,
    id: settings.appId,
    developer: { name: text.developerName, websiteUrl: settings.websiteUrl, privacyUrl: settings.privacyUrl, termsOfUseUrl: settings.termsOfUseUrl },
    name: text.name,
    description: text.description,
    icons: { color: COLOR_ICON_FILE, outline: OUTLINE_ICON_FILE },
    accentColor: text.accentColor,
    bots: [
      {
        botId: settings.botId,
        scopes: ['personal'],
        isNotificationOnly: false,
        supportsFiles: false,
        supportsCalling: false,
        supportsVideo: false,
        commandLists: [{ scopes: ['personal'], commands: text.commands }],
      },
    ],
    validDomains: [settings.hostname],
  };
}
