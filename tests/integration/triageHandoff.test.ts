import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DirectLineTestClient, type DLActivity } from '../support/directLineClient';
import { content, crisisReplyTexts } from '../support/contentText';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { triageExamplesPath } from '../support/sharedExamples';

const examples = z
  .object({ cases: z.array(z.object({ text: z.string(), flags: z.array(z.string()).optional(), priority: z.string().optional(), negative: z.boolean().optional() }).passthrough()) })
  .parse(JSON.parse(readFileSync(triageExamplesPath(), 'utf8'))).cases;

const crisisText = content.answer('crisis.reply').text;
const offerText = content.answer('triage.offer').text;
const isBot = (activity: DLActivity) => activity.from?.role === 'bot' && activity.type === 'message';

describe('triage and hand-off through the web chat channel', () => {
  let server: InProcessServer;
  beforeAll(async () => {
    // Within advisers' hours (a Monday in term, 10am), whatever the time the suite runs: outside
    // them the offer says when advisers are back instead (tests/calendar covers that wording).
    server = await startInProcess({ BOT_CLOCK: '2026-11-23T10:00:00Z' });
  });
  afterAll(() => server.close());

  const started = async () => {
    const client = await DirectLineTestClient.start(server.url);
    await client.poll();
    return client;
  };
  const queued = (conversationId: string) => server.runtime.stores.queue.get(conversationId);
  const replies = async (client: DirectLineTestClient, text: string) => {
    await client.send(text);
    return (await client.poll()).filter(isBot);
  };

  it.each(examples.filter((c) => c.flags).map((c) => [c.text, c.flags ?? [], c.priority ?? ''] as const))(
    '%j ends in the queue with %j at %s after at most one "yes"',
    async (text, flags, priority) => {
      const client = await started();
      const first = await replies(client, text);
      if (!flags.includes('crisis')) {
        expect(first[first.length - 1].text).toBe(offerText);
        expect(await queued(client.conversationId)).toBeUndefined();
        await replies(client, 'Yes please');
      }
      const item = await queued(client.conversationId);
      expect(item).toMatchObject({ priority, status: 'waiting', channel: 'directline' });
      expect([...(item?.flags ?? [])].sort()).toEqual([...flags].sort());
      expect(item?.summary).not.toContain(text);
    },
  );

  it.each(examples.filter((c) => c.negative).map((c) => [c.text] as const))('%j raises nothing and offers nothing', async (text) => {
    const client = await started();
    const said = await replies(client, text);
    expect(said.map((activity) => activity.text)).not.toContain(offerText);
    expect(said.map((activity) => activity.text)).not.toContain(crisisText);
    expect(await queued(client.conversationId)).toBeUndefined();
  });

  it('answers a crisis at once with every contact, promises no secrecy, and queues it as urgent', async () => {
    const client = await started();
    const said = await replies(client, 'i just want to kms tbh');
    // in adviser hours (the clock is a Monday in term, 10am): an adviser has been alerted
    expect(said.map((activity) => activity.text)).toEqual(crisisReplyTexts('crisis.who.in-hours'));
    const all = said.map((activity) => activity.text).join('\n');
    for (const contact of ['0800 1111', '85258', '116 123', 'option 2', '999']) expect(all).toContain(contact);
    expect(all).not.toMatch(/confidential|between us|won't tell|will not tell|secret/i);
    expect(said[2].suggestedActions?.actions.map((action) => action.title)).toEqual(['crisis.button.safe', 'crisis.button.not-safe', 'crisis.button.not-sure'].map((id) => content.answer(id).text));
    expect((await queued(client.conversationId))?.priority).toBe('urgent');
  });

  it('puts crisis first in a mixed message, and interrupts a dialog mid-prompt', async () => {
    const client = await started();
    await replies(client, 'Apprenticeships');
    const said = await replies(client, 'what apprenticeships are there, also I want to hurt myself');
    expect(said.map((activity) => activity.text)).toEqual(crisisReplyTexts('crisis.who.in-hours'));
    expect((await queued(client.conversationId))?.flags).toContain('crisis');
  });

  it('raises a pending standard request to urgent when a crisis follows, keeping one item', async () => {
    const client = await started();
    await replies(client, 'can I speak to an actual person');
    await replies(client, 'yes');
    const before = await queued(client.conversationId);
    await replies(client, 'my dad hurts me');
    const after = await queued(client.conversationId);
    expect(after).toMatchObject({ priority: 'urgent', waitingSince: before?.waitingSince });
    expect(after?.flags.sort()).toEqual(['asked-for-adviser', 'crisis']);
    expect((await server.runtime.stores.queue.list()).filter((item) => item.conversationId === client.conversationId)).toHaveLength(1);
  });

  it('answers the question and then offers an adviser when a flag comes with a guidance question', async () => {
    const client = await started();
    const said = await replies(client, "I'm eligible for free school meals, what's an apprenticeship");
    const texts = said.map((activity) => activity.text ?? '');
    expect(texts[0]).toBe(content.answer('apprenticeships.overview').text);
    expect(texts[texts.length - 1]).toBe(offerText);
  });

  it('"no" carries on without queueing, and the flag stays on the conversation', async () => {
    const client = await started();
    await replies(client, 'I live with foster carers');
    const declined = await replies(client, 'no thanks');
    expect(declined.map((activity) => activity.text)).toEqual([content.answer('handoff.declined').text]);
    expect(await queued(client.conversationId)).toBeUndefined();
    await replies(client, 'can I talk to a real person');
    await replies(client, 'yes');
    expect((await queued(client.conversationId))?.flags.sort()).toEqual(['asked-for-adviser', 'looked-after']);
  });

  it('lets the pupil cancel while waiting, and keep asking the bot', async () => {
    const client = await started();
    await replies(client, 'I need an adviser');
    const waiting = await replies(client, 'yes');
    expect(waiting.map((activity) => activity.text)).toContain(content.answer('handoff.queued').text);
    const answer = await replies(client, 'how does ucas work');
    expect(answer[0].text).toBe(content.answer('higher-education.ucas').text);
    expect(await replies(client, 'cancel')).toEqual([expect.objectContaining({ text: content.answer('handoff.cancelled').text })]);
    expect(await queued(client.conversationId)).toBeUndefined();
  });

  it("keeps the handoff.initiate event, and the transcript it carries, out of the pupil's own web chat log", async () => {
    const client = await started();
    await replies(client, 'I have special educational needs');
    await client.send('yes');
    const said = await client.poll();
    expect(said.map((activity) => activity.text)).toContain(content.answer('handoff.queued').text);
    expect(said.filter((activity) => activity.type === 'event')).toEqual([]);
    expect(await queued(client.conversationId)).toMatchObject({ flags: ['send'] });
  });

  it('keeps a transcript of pupil and bot turns', async () => {
    const client = await started();
    await replies(client, 'Apprenticeships');
    const transcript = await server.runtime.stores.transcripts.read(client.conversationId);
    // the welcome, then the pupil's message and the answer
    expect(transcript.map((entry) => entry.from)).toEqual(['bot', 'bot', 'bot', 'bot', 'pupil', 'bot']);
    expect(transcript[4].text).toBe('Apprenticeships');
    expect(transcript[5].text).toBe(content.answer('apprenticeships.overview').text);
  });

  it('takes a reply that is neither yes nor no to an offer as a new message, and the offer is gone', async () => {
    const client = await started();
    const offered = await replies(client, 'I live with foster carers');
    expect(offered[offered.length - 1].text).toBe(offerText);
    const answered = await replies(client, 'what are t levels');
    expect(answered[0].text).toBe(content.answer('post16.t-levels').text);
    // the offer was left behind: a "yes" now is no answer to it
    await replies(client, 'yes');
    expect(await queued(client.conversationId)).toBeUndefined();
  });

  it('leaves the topic where it was while an offer made after its answer waits: "no", then the topic carries on', async () => {
    const client = await started();
    await replies(client, 'Apprenticeships');
    const said = await replies(client, "I'm eligible for free school meals, what's an apprenticeship");
    expect(said[said.length - 1].text).toBe(offerText);
    expect((await replies(client, 'no')).map((activity) => activity.text)).toEqual([content.answer('handoff.declined').text]);
    const back = await replies(client, 'back');
    expect(back[0].text).toBe(content.answer('apprenticeships.overview').text);
  });

  it('withdraws a waiting offer when a crisis follows: the next "yes" answers "are you safe right now?"', async () => {
    const client = await started();
    await replies(client, 'I live with foster carers');
    await replies(client, 'my dad hurts me');
    const answer = await replies(client, 'yes');
    expect(answer.map((activity) => activity.text)).not.toContain(content.answer('handoff.queued').text);
    expect(answer.map((activity) => activity.text).join('\n')).toContain(content.answer('crisis.safe').text);
  });

  it('offers an adviser after three misses in a row; "yes" queues it as not-understood', async () => {
    const client = await started();
    await replies(client, 'qwxz zzvb');
    await replies(client, 'plmk qqqq');
    const third = await replies(client, 'vvvv xxqq');
    expect(third[0].text).toBe(content.answer('dialog.offer-adviser').text);
    await replies(client, 'yeah');
    expect(await queued(client.conversationId)).toMatchObject({ flags: ['not-understood'], priority: 'standard' });
  });
});
