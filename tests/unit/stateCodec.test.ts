import { decodeState, encodeState } from '../../adapters/redis/stateCodec';

/** A conversation's state as botbuilder keeps it mid-dialog: nested stacks, a prompt with its buttons. */
const midDialog = JSON.stringify({
  conversationData: { notUnderstoodInARow: 0, profile: {}, flags: [], school: 'default', lastTopic: 'apprenticeships', topicsCounted: ['gcse', 'apprenticeships'] },
  dialogState: {
    dialogStack: [
      {
        id: 'mainDialog',
        state: {
          dialogs: {
            dialogStack: [
              { id: 'route', state: { options: {}, values: { instanceId: 'f0cf7e70-cb05-4880-b52e-a0dca2c48043' }, stepIndex: 0 } },
              {
                id: 'apprenticeshipsDialog',
                state: {
                  dialogs: {
                    dialogStack: [
                      { id: 'flow', state: { options: { answerId: 'apprenticeships.pay', history: ['apprenticeships.overview'] }, values: { instanceId: '38f2b606-efd0-487c-b3ac-4070d3070d58' }, stepIndex: 0 } },
                      {
                        id: 'age',
                        state: {
                          options: {
                            prompt: {
                              type: 'message',
                              text: 'How old are you? The rules are different at different ages.',
                              suggestedActions: { to: [], actions: ['13', '14', '15', '16', '17', '18'].map((age) => ({ type: 'imBack', title: age, value: age })) },
                            },
                          },
                          state: {},
                        },
                      },
                    ],
                  },
                },
              },
            ],
          },
        },
        version: '1325421877',
      },
    ],
  },
});

/** A conversation's state as the bot keeps it now (flat dialog stack, a flow that keeps which answer it showed). */
const current = JSON.stringify({
  conversationData: {
    notUnderstoodInARow: 1,
    profile: { age: 15 },
    flags: ['asked-for-adviser'],
    school: 'default',
    lastTopic: 'post16',
    topicsCounted: ['post16'],
    handoffRequested: true,
  },
  dialogState: {
    dialogStack: [
      { id: 'route', state: {} },
      { id: 'post16Dialog', state: { options: { answerId: 'post16.t-levels', history: ['post16.overview'], rephrase: true }, stepIndex: 1 } },
    ],
  },
});

/** `current` as the eighth session's codec stored it (version 1: deflated), so a value written then still reads. */
const currentAsVersion1 = Buffer.from(
  'ASPBO4bI3oGkMENTJG8pJRZnp6bopuUX6SamlGUWpxYpEfYpJGVj8S80zYOMwJ7eiQwP9GSBSDAomQoprBDpBjmNQlTrlejmpJal5hSj5CeoW/Xyy1KLyjJTy0GORs9gaKk2trYWAA==',
  'base64',
);

const stored = (json: string): Buffer => {
  const value = encodeState(json);
  return Buffer.isBuffer(value) ? value : Buffer.from(value, 'utf8');
};

describe('the state codec (Redis)', () => {
  it('gives back exactly the JSON it was given, large or small', () => {
    const unicode = JSON.stringify({ text: 'é ü 🙂 '.repeat(100), lastTopic: 'gcse' });
    // what a pupil might type, phrases of the codec's own among it
    const typed = JSON.stringify({ conversationData: { note: '"post16 ,"profile":{ \u0003 \u001f "jobs', school: '],"school":"' } });
    for (const json of [current, midDialog, '{"n":1}', '{}', unicode, typed]) {
      expect(decodeState(stored(json))).toBe(json);
    }
  });

  it('keeps a state of the current form in under a quarter of its JSON, as one version byte and text', () => {
    const value = stored(current);
    expect(value[0]).toBe(0x02);
    expect(value.length).toBeLessThan(current.length / 4);
    // the old nested form (flattened as it resumes, so stored in it only until the next turn) still shrinks, if less
    expect(stored(midDialog).length).toBeLessThan(midDialog.length);
  });

  it('keeps an item with none of its phrases as plain JSON', () => {
    expect(encodeState('{"n":1}')).toBe('{"n":1}');
    expect(encodeState('{"count":3,"text":"hello"}')).toBe('{"count":3,"text":"hello"}');
  });

  it('deflates (version 1) a text holding characters the phrases stand for, which JSON.stringify never writes', () => {
    const pretty = JSON.stringify(JSON.parse(current), null, 2);
    const value = stored(pretty);
    expect(value[0]).toBe(0x01);
    expect(decodeState(value)).toBe(pretty);
  });

  it('reads values written before: plain JSON, and version 1 as the eighth session deflated them', () => {
    expect(decodeState(Buffer.from(midDialog))).toBe(midDialog);
    expect(decodeState(currentAsVersion1)).toBe(current);
  });

  it('refuses a value in a form it does not know, rather than guessing', () => {
    expect(() => decodeState(Buffer.of(0x09, 1, 2, 3))).toThrow(/unknown form/);
  });
});
