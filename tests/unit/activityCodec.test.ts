import { bodyReference, decodeActivity, encodeActivity } from '../../adapters/redis/activityCodec';

const conversationId = 'AbCdEfGhIjKlMnOp12345';
const userId = 'dl_pupil0123456789';
const conversation = { id: conversationId, isGroup: false, conversationType: 'personal', name: '' };

function roundTrip(activity: Record<string, unknown>): { decoded: Record<string, unknown>; entry: Record<string, unknown>; shared?: string } {
  const { entry, body } = encodeActivity(conversationId, activity);
  const bodies = new Map<string, unknown>(body ? [[body.ref, JSON.parse(body.json)]] : []);
  const parsed = JSON.parse(entry) as Record<string, unknown>;
  return { decoded: decodeActivity(conversationId, parsed, bodies), entry: parsed, shared: body?.json };
}

const botReply = {
  type: 'message',
  text: 'After Year 11 you can stay in education or training until 18 in several ways.',
  textFormat: 'plain',
  inputHint: 'acceptingInput',
  suggestedActions: { to: [], actions: [{ type: 'imBack', title: 'Tell me more', value: 'Tell me more' }] },
  id: `${conversationId}|a1b2c3d4e5f6`,
  channelId: 'directline',
  timestamp: '2026-11-23T11:06:17.217Z',
  from: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
  recipient: { id: userId, name: '', role: 'user' },
  conversation,
};

describe('the web chat log codec (Redis)', () => {
  it('gives back exactly the bot reply it was given, its body kept apart for sharing', () => {
    const { decoded, entry, shared } = roundTrip(botReply);
    expect(decoded).toEqual(botReply);
    expect(bodyReference(entry)).toEqual(expect.any(String));
    expect(shared).toContain(botReply.text);
    // What is shared names neither the conversation nor the pupil, and holds no time or id.
    for (const own of [conversationId, userId, botReply.timestamp, 'a1b2c3d4e5f6']) expect(shared).not.toContain(own);
  });

  it('refers two conversations with the same reply to the same body', () => {
    const other = { ...botReply, id: 'Other0conversation01|ffffffffffff', conversation: { ...conversation, id: 'Other0conversation01' }, recipient: { id: 'dl_someoneelse', name: '', role: 'user' } };
    const a = encodeActivity(conversationId, botReply);
    const b = encodeActivity('Other0conversation01', other);
    expect(a.body?.ref).toBe(b.body?.ref);
  });

  it('keeps a pupil message in the conversation itself, never in anything shared', () => {
    const pupil = {
      type: 'message',
      text: 'I want to be a zookeeper',
      channelData: { clientActivityID: 'client-1' },
      id: `${conversationId}|000000000001`,
      channelId: 'directline',
      serviceUrl: 'urn:directline',
      timestamp: '2026-11-23T11:06:18.001Z',
      from: { id: userId, name: '', role: 'user' },
      recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
      conversation,
    };
    const { decoded, entry, shared } = roundTrip(pupil);
    expect(decoded).toEqual(pupil);
    expect(shared).toBeUndefined();
    expect(JSON.stringify(entry)).toContain('zookeeper');
  });

  it('never shares an adviser message, which is about one pupil', () => {
    const adviser = { ...botReply, text: 'Hi, I am Sam, the careers adviser', from: { id: 'careers-adviser', name: 'Careers adviser', role: 'bot' } };
    const { decoded, shared } = roundTrip(adviser);
    expect(decoded).toEqual(adviser);
    expect(shared).toBeUndefined();
  });

  it('does not share a bot activity that names the pupil or the conversation', () => {
    const naming = { ...botReply, text: `your reference is ${conversationId}` };
    const { decoded, shared } = roundTrip(naming);
    expect(decoded).toEqual(naming);
    expect(shared).toBeUndefined();
  });

  it('keeps unusual values as they are: other ids, other conversations, times not in the usual form', () => {
    const odd = { ...botReply, id: 'not-prefixed', timestamp: '2026-11-23T11:06:17Z', conversation: { id: conversationId, isGroup: true }, recipient: { id: userId, name: 'Jo', role: 'user' }, serviceUrl: 'https://example.invalid' };
    expect(roundTrip(odd).decoded).toEqual(odd);
    const bare = { type: 'typing' };
    expect(roundTrip(bare).decoded).toEqual(bare);
  });

  it('refuses to invent a reply whose shared body is missing', () => {
    const { entry } = encodeActivity(conversationId, botReply);
    expect(() => decodeActivity(conversationId, JSON.parse(entry), new Map())).toThrow(/shared body/);
  });
});
