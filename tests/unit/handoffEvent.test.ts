import { ActivityTypes, EventFactory, TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { handoffInitiation } from '../../bot/handoff/handoffEvent';

describe('handoffInitiation', () => {
  const activity = {
    type: ActivityTypes.Message,
    id: 'pupil-7',
    text: 'can i talk to someone',
    channelId: 'directline',
    serviceUrl: 'urn:directline',
    from: { id: 'pupil', name: '', role: 'user' },
    recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
    conversation: { id: 'conv-1', isGroup: false, conversationType: 'personal', name: '' },
  } as Activity;
  const context = new TurnContext(new TestAdapter(), activity);
  const value = { flags: ['asked_for_human'], priority: 'standard', summary: 'Topic: jobs. Flags: asked_for_human.' };
  const transcript = { activities: [{ type: ActivityTypes.Message, text: 'hi', from: { id: 'pupil', name: 'pupil', role: 'user' } } as Activity] };

  it('makes the same handoff.initiate event as botbuilder EventFactory, apart from its own id and time', () => {
    const now = new Date('2026-11-23T10:00:00Z');
    const ours = handoffInitiation(context, value, transcript, now);
    const theirs = EventFactory.createHandoffInitiation(context, value, transcript) as Partial<Activity>;
    const { id: ourId, timestamp: ourTime, ...ourRest } = ours;
    const { id: _theirId, timestamp: _theirTime, ...theirRest } = theirs;
    expect(ourRest).toEqual(theirRest);
    expect(ourRest.name).toBe('handoff.initiate');
    expect(ourRest.attachments).toEqual([{ content: transcript, contentType: 'application/json', name: 'Transcript' }]);
    expect(ourId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ourTime).toEqual(now);
  });

  it('gives every event its own id', () => {
    const now = new Date();
    expect(handoffInitiation(context, value, transcript, now).id).not.toBe(handoffInitiation(context, value, transcript, now).id);
  });
});
