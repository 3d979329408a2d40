import { ActivityTypes, CardFactory, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { shapeForTeams, TeamsReplyShaper } from '../../adapters/teams/teamsReplies';
import { textReply } from '../../dialogs/replies';

const labels = (count: number) => Array.from({ length: count }, (_unused, index) => `Option ${index + 1}`);
const heroButtons = (activity: Partial<Activity>) => (activity.attachments ?? []).map((attachment) => (attachment.content as { buttons: { title: string }[] }).buttons.map((button) => button.title));

describe('shapeForTeams', () => {
  it('keeps up to three buttons as suggested actions, which Teams shows in full', () => {
    const reply = textReply('Would you like an adviser?', ['Yes', 'No']);
    expect(shapeForTeams(reply)).toBe(reply);
    expect(shapeForTeams(textReply('three', labels(3))).suggestedActions?.actions).toHaveLength(3);
  });

  it('moves four to six buttons onto one hero card of imBack buttons, keeping the text', () => {
    const shaped = shapeForTeams(textReply('What would you like help with?', labels(5)));
    expect(shaped.suggestedActions).toBeUndefined();
    expect(shaped.text).toBe('What would you like help with?');
    expect(shaped.attachments?.map((attachment) => attachment.contentType)).toEqual([CardFactory.contentTypes.heroCard]);
    expect(heroButtons(shaped)).toEqual([labels(5)]);
    const buttons = (shaped.attachments?.[0].content as { buttons: { type: string; value: string }[] }).buttons;
    expect(buttons.every((button) => button.type === 'imBack' && labels(5).includes(button.value))).toBe(true);
  });

  it('uses as many cards as it takes past six buttons, so none is dropped', () => {
    expect(heroButtons(shapeForTeams(textReply('many', labels(8))))).toEqual([labels(8).slice(0, 6), labels(8).slice(6)]);
  });
});

describe('TeamsReplyShaper', () => {
  const run = async (channelId: string) => {
    const sent: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (context: TurnContext) => {
      await context.sendActivity(textReply('menu', labels(5)));
    });
    adapter.use(new TeamsReplyShaper());
    adapter.use({
      onTurn: async (context, next) => {
        context.onSendActivities(async (_context, activities, send) => {
          sent.push(...activities);
          return send();
        });
        await next();
      },
    });
    await adapter.send({ type: ActivityTypes.Message, text: 'hi', channelId });
    return sent;
  };

  it('reshapes replies in Teams only', async () => {
    expect((await run('msteams'))[0].attachments).toHaveLength(1);
    expect((await run('webchat'))[0].suggestedActions?.actions).toHaveLength(5);
  });
});
