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

describe('the state codec (Redis)', () => {
  it('gives back exactly the JSON it was given, large or small', () => {
    for (const json of [midDialog, '{"n":1}', JSON.stringify({ text: 'é ü 🙂 '.repeat(100) })]) {
      const stored = encodeState(json);
      expect(decodeState(Buffer.isBuffer(stored) ? stored : Buffer.from(stored))).toBe(json);
    }
  });

  it('keeps a small item as plain JSON and deflates a large one to under a third of its size', () => {
    expect(encodeState('{"n":1}')).toBe('{"n":1}');
    const stored = encodeState(midDialog);
    expect(Buffer.isBuffer(stored)).toBe(true);
    expect(stored.length).toBeLessThan(midDialog.length / 3);
  });

  it('reads values written as plain JSON before deflating existed', () => {
    expect(decodeState(Buffer.from(midDialog))).toBe(midDialog);
  });

  it('refuses a value in a form it does not know, rather than guessing', () => {
    expect(() => decodeState(Buffer.of(0x09, 1, 2, 3))).toThrow(/unknown form/);
  });
});
