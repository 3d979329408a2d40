import { fill } from '../../dialogs/replies';
import { content, overviewText } from '../support/contentText';
import { TEAMS_HERO_CARD_BUTTONS, TEAMS_SUGGESTED_ACTIONS_SHOWN } from '../../adapters/teams/teamsReplies';
import type { ConnectorCall } from './support/standInConnector';
import { newPupil, TEAMS_BOT } from './support/teamsActivities';
import { startTeamsBot, type TeamsBot } from './support/teamsBot';

/** Every button a reply offers, wherever Teams will show it. */
function buttonsOf(call: ConnectorCall): { type: string; title?: string }[] {
  const suggested = call.body.suggestedActions?.actions ?? [];
  const onCards = (call.body.attachments ?? []).flatMap((attachment) => attachment.content.buttons ?? []);
  return [...suggested, ...onCards];
}

/** What a personal chat in Teams renders: plain text, at most three suggested imBack actions, hero cards of at most six imBack buttons. */
function expectTeamsCanShow(call: ConnectorCall): void {
  expect(call.body.type).toBe('message');
  expect((call.body.suggestedActions?.actions ?? []).length).toBeLessThanOrEqual(TEAMS_SUGGESTED_ACTIONS_SHOWN);
  for (const attachment of call.body.attachments ?? []) {
    expect(attachment.contentType).toBe('application/vnd.microsoft.card.hero');
    expect((attachment.content.buttons ?? []).length).toBeLessThanOrEqual(TEAMS_HERO_CARD_BUTTONS);
  }
  for (const button of buttonsOf(call)) expect(button.type).toBe('imBack');
}

describe('Teams: welcome on install and buttons Teams can show', () => {
  let teams: TeamsBot;
  let quiet: jest.SpyInstance;
  beforeAll(async () => {
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    teams = await startTeamsBot();
  });
  afterAll(async () => {
    await teams?.close();
    quiet.mockRestore();
  });

  it('welcomes a pupil who installs the app (conversationUpdate adding the bot and the pupil), in reply to that update', async () => {
    const pupil = newPupil();
    const before = teams.connector.calls.length;
    expect((await teams.install(pupil)).status).toBe(200);
    const welcome = teams.connector.since(before);
    expect(welcome.map((call) => call.body.text)).toEqual(
      expect.arrayContaining([
        content.answer('welcome.intro').text,
        fill(content.answer('welcome.privacy').text, { retentionDays: 30 }),
        content.answer('welcome.help-any-time').text,
        content.answer('menu.prompt').text,
      ]),
    );
    for (const call of welcome) {
      expect(call.conversationId).toBe(pupil.conversationId);
      expect(call.replyToId).toBeDefined();
      expect(call.body.from?.id).toBe(TEAMS_BOT.id);
      expect(call.body.recipient?.id).toBe(pupil.user.id);
      expectTeamsCanShow(call);
    }
    // The menu has more topics than Teams shows as suggested actions: all of them are on the card.
    const menu = welcome.find((call) => call.body.text === content.answer('menu.prompt').text);
    expect(menu && buttonsOf(menu).map((button) => button.title)).toEqual(content.topics.map((topic) => topic.label));
  });

  it('treats a tap on a card button like typing its words', async () => {
    const pupil = newPupil();
    await teams.install(pupil);
    const topic = content.topics[0];
    const before = teams.connector.calls.length;
    expect((await teams.say(pupil, topic.label)).status).toBe(200);
    const replies = teams.connector.since(before);
    expect(replies.map((call) => call.body.text)).toContain(overviewText(topic.id));
    replies.forEach(expectTeamsCanShow);
  });

  it('keeps a short choice (yes or no) as suggested actions', async () => {
    const pupil = newPupil();
    const before = teams.connector.calls.length;
    await teams.say(pupil, 'can I speak to an actual person');
    const offer = teams.connector.since(before).find((call) => (call.body.suggestedActions?.actions ?? []).length > 0);
    expect(offer).toBeDefined();
    if (offer) expectTeamsCanShow(offer);
    expect(offer?.body.attachments ?? []).toEqual([]);
  });
});
