import fc from 'fast-check';
import { bodyReference, decodeActivity, encodeActivity, parseEntry } from '../../adapters/redis/activityCodec';
import { pupilIdFor } from '../../adapters/directline/pupilId';

const conversationId = 'AbCdEfGhIjKlMnOp12345';
const userId = 'dl_pupil0123456789';
const conversation = { id: conversationId, isGroup: false, conversationType: 'personal', name: '' };

function roundTrip(activity: Record<string, unknown>): { decoded: Record<string, unknown>; entry: Record<string, unknown>; line: string; shared?: string } {
  const { entry, body } = encodeActivity(conversationId, activity);
  const bodies = new Map<string, unknown>(body ? [[body.ref, JSON.parse(body.json)]] : []);
  const parsed = parseEntry(conversationId, entry);
  return { decoded: decodeActivity(conversationId, parsed, bodies), entry: parsed, line: entry, shared: body?.json };
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
    const odd = {
      ...botReply,
      id: 'not-prefixed',
      timestamp: '2026-11-23T11:06:17Z',
      conversation: { id: conversationId, isGroup: true },
      recipient: { id: userId, name: 'Jo', role: 'user' },
      serviceUrl: 'https://example.invalid',
    };
    expect(roundTrip(odd).decoded).toEqual(odd);
    const bare = { type: 'typing' };
    expect(roundTrip(bare).decoded).toEqual(bare);
  });

  it('refuses to invent a reply whose shared body is missing', () => {
    const { entry } = encodeActivity(conversationId, botReply);
    expect(() => decodeActivity(conversationId, parseEntry(conversationId, entry), new Map())).toThrow(/shared body/);
  });

  it('keeps the commonest entries as short lines, not JSON: a bot reply by reference, a pupil message', () => {
    const reply = roundTrip({ ...botReply, replyToId: `${conversationId}|c0ffee` });
    expect(reply.line).toBe(`b\ta1b2c3d4e5f6\t${Date.parse(botReply.timestamp).toString(36)}\t${bodyReference(reply.entry)}\t${userId}\tc0ffee`);
    expect(reply.decoded).toEqual({ ...botReply, replyToId: `${conversationId}|c0ffee` });
    const pupil = {
      type: 'message',
      text: 'hi',
      id: `${conversationId}|0a0b`,
      channelId: 'directline',
      serviceUrl: 'urn:directline',
      timestamp: '2026-11-23T11:06:18.001Z',
      from: { id: userId, name: '', role: 'user' },
      recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
      conversation,
    };
    const plain = roundTrip(pupil);
    expect(plain.line.startsWith('t\t0a0b\t')).toBe(true);
    expect(plain.line.length).toBeLessThan(50);
    expect(plain.decoded).toEqual(pupil);
  });

  it('gives back a pupil message whatever its text holds: tabs, newlines, braces, JSON, markers', () => {
    const base = {
      type: 'message',
      id: `${conversationId}|0a0b`,
      channelId: 'directline',
      serviceUrl: 'urn:directline',
      timestamp: '2026-11-23T11:06:18.001Z',
      from: { id: userId, name: '', role: 'user' },
      recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
      conversation,
    };
    for (const text of ['', '\t', 'a\tb\t\tc\n', '{"~i":"0a0b"}', '\tb\tx\ty\tz', '🙂 é', '{']) {
      expect(roundTrip({ ...base, text }).decoded).toEqual({ ...base, text });
    }
    // with other fields (as Web Chat sends them): the line keeps them as JSON after the fixed fields
    const webChat = {
      ...base,
      text: 'a\tb',
      locale: 'en-GB',
      textFormat: 'plain',
      channelData: { clientActivityID: 'x1', clientTimestamp: '2026-11-23T11:06:18.000Z' },
      attachments: [],
      entities: [{ type: 'ClientCapabilities' }],
    };
    const stored = roundTrip(webChat);
    expect(stored.line.startsWith('u\t0a0b\t')).toBe(true);
    expect(stored.decoded).toEqual(webChat);
  });

  it('keeps as JSON what a short line cannot hold exactly: odd ids, other senders, extra markers', () => {
    const base = {
      type: 'message',
      text: 'hi',
      id: `${conversationId}|0a0b`,
      channelId: 'directline',
      serviceUrl: 'urn:directline',
      timestamp: '2026-11-23T11:06:18.001Z',
      from: { id: userId, name: '', role: 'user' },
      recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
      conversation,
    };
    const odd = [
      { ...base, id: `${conversationId}|has\ttab` },
      { ...base, from: { id: userId, name: 'Jo', role: 'user' } },
      { ...base, from: { id: 'has space', name: '', role: 'user' } },
      { ...base, type: 'event' },
      { ...base, timestamp: '2026-11-23T11:06:18Z' },
      { ...botReply, replyToId: 'elsewhere|x' },
      { ...botReply, channelData: { x: 1 } },
      { ...botReply, recipient: { id: 'has\ttab', name: '', role: 'user' } },
    ];
    for (const activity of odd) {
      const stored = roundTrip(activity);
      expect(stored.line.startsWith('{')).toBe(true);
      expect(stored.decoded).toEqual(activity);
    }
  });

  it('leaves out the pupil id when it is the one made from the conversation id', () => {
    const pupilId = pupilIdFor(conversationId);
    expect(pupilIdFor('another-conversation')).not.toBe(pupilId);
    const reply = { ...botReply, recipient: { id: pupilId, name: '', role: 'user' } };
    const stored = roundTrip(reply);
    expect(stored.line).not.toContain(pupilId);
    expect(stored.line.split('\t')[4]).toBe('');
    expect(stored.decoded).toEqual(reply);
    const message = {
      type: 'message',
      text: 'hi',
      id: `${conversationId}|0a0b`,
      channelId: 'directline',
      serviceUrl: 'urn:directline',
      timestamp: '2026-11-23T11:06:18.001Z',
      from: { id: pupilId, name: '', role: 'user' },
      recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
      conversation,
    };
    const pupil = roundTrip(message);
    expect(pupil.line).toBe(`t\t0a0b\t${Date.parse(message.timestamp).toString(36)}\t\thi`);
    expect(pupil.decoded).toEqual(message);
  });

  it('keeps a field named "__proto__" as a field of the stored entry, never as its prototype', () => {
    const activity = JSON.parse(
      JSON.stringify({
        type: 'message',
        text: 'hi',
        id: `${conversationId}|0a0c`,
        channelId: 'directline',
        serviceUrl: 'urn:directline',
        timestamp: '2026-11-23T11:06:18.001Z',
        from: { id: userId, name: '', role: 'user' },
        recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
        conversation,
      }).replace('{', '{"__proto__":{"polluted":true},'),
    );
    expect(Object.keys(activity)).toContain('__proto__');
    const { entry } = encodeActivity(conversationId, activity);
    expect(entry.startsWith('u\t')).toBe(true);
    expect(JSON.parse(entry.split('\t')[4])).toEqual(JSON.parse('{"__proto__":{"polluted":true},"text":"hi"}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a line in no known form', () => {
    expect(() => parseEntry(conversationId, 'x\ty')).toThrow(/no known form/);
  });
});

describe('the web chat log codec, on any pupil message (property)', () => {
  it('gives back every pupil message exactly, whatever its text and fields', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: undefined }), fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/), (text, channelData, suffix) => {
        const activity: Record<string, unknown> = {
          type: 'message',
          text,
          id: `${conversationId}|${suffix}`,
          channelId: 'directline',
          serviceUrl: 'urn:directline',
          timestamp: '2026-11-23T11:06:18.001Z',
          from: { id: userId, name: '', role: 'user' },
          recipient: { id: 'careers-bot', name: 'Careers bot', role: 'bot' },
          conversation,
        };
        if (channelData !== undefined) activity.channelData = channelData;
        const { entry } = encodeActivity(conversationId, activity);
        expect(decodeActivity(conversationId, parseEntry(conversationId, entry), new Map())).toEqual(JSON.parse(JSON.stringify(activity)));
      }),
      { seed: 20261123, numRuns: 500 },
    );
  });
});
