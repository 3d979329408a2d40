import { randomUUID } from 'node:crypto';

export const BOT_APP_ID = '7c1d8e2a-5b4f-4a39-9e61-2f0a8b3c4d5e';
export const TENANT_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
export const BOT_PASSWORD = 'stand-in-client-secret';
/** Teams names a bot "28:" + its app id, and a user "29:" + an opaque id. */
export const TEAMS_BOT = { id: `28:${BOT_APP_ID}`, name: 'Careers help' };

export interface TeamsPupil {
  user: { id: string; name: string; aadObjectId: string };
  conversationId: string;
}

/** A pupil in a one-to-one chat with the bot, with ids shaped as Teams shapes them. */
export function newPupil(): TeamsPupil {
  const opaque = randomUUID().replace(/-/g, '');
  return {
    user: { id: `29:1${opaque}-pupil`, name: 'Pupil', aadObjectId: randomUUID() },
    conversationId: `a:1${opaque}_personalChat`,
  };
}

const common = (pupil: TeamsPupil, serviceUrl: string) => ({
  id: `${Date.now()}${Math.floor(Math.random() * 1000)}`,
  timestamp: new Date().toISOString(),
  channelId: 'msteams',
  serviceUrl,
  from: pupil.user,
  recipient: TEAMS_BOT,
  conversation: { conversationType: 'personal', tenantId: TENANT_ID, id: pupil.conversationId },
  channelData: { tenant: { id: TENANT_ID } },
  locale: 'en-GB',
});

/** A message from the pupil, as Teams delivers it to /api/messages. */
export const teamsMessage = (pupil: TeamsPupil, serviceUrl: string, text: string) => ({ ...common(pupil, serviceUrl), type: 'message', text, textFormat: 'plain' });

/** What Teams sends when a pupil installs the app for themselves: the bot and the pupil both join. */
export const teamsInstall = (pupil: TeamsPupil, serviceUrl: string) => ({
  ...common(pupil, serviceUrl),
  type: 'conversationUpdate',
  membersAdded: [{ id: TEAMS_BOT.id }, { id: pupil.user.id, aadObjectId: pupil.user.aadObjectId }],
});

export function postActivity(botUrl: string, activity: object, token?: string): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return fetch(`${botUrl}/api/messages`, { method: 'POST', headers, body: JSON.stringify(activity) });
}
