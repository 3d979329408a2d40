import { TestAdapter, TurnContext } from 'botbuilder';
import { destinationOf, type Reading, type Whereabouts } from '../../dialogs/messageReader';
import { reading } from '../dialogs/dialogHarness';

const { reader, router } = reading;
const turn = (text: string) => new TurnContext(new TestAdapter(), { type: 'message', text });
const read = (text: string, where?: Whereabouts): Reading => reader.read(turn(text), text, where);
const shown = (text: string, where?: Whereabouts) => destinationOf(read(text, where));

describe('MessageReader: a job named, or a guidance answer', () => {
  it('answers from the profile where the guidance answer gives way to careers', () => {
    const route = router.route('how much does an electrician earn');
    expect(route.kind === 'answer' && route.answer.givesWayToCareer).toBe(true);
    expect(shown('how much does an electrician earn')).toEqual({ kind: 'career', careerId: 'electrician', aspect: 'pay' });
  });

  it("keeps the guidance answer where the question is still asked without the job's name", () => {
    expect(shown('how do I find apprenticeships in plumbing')).toEqual({ kind: 'guidance', answerId: 'apprenticeships.find', topic: 'apprenticeships' });
    expect(shown('what A levels go well together for law')).toEqual({ kind: 'guidance', answerId: 'post16.a-levels-law', topic: 'post16' });
  });

  it("answers from the profile where the guidance answer was reached only through the job's name", () => {
    // post16.a-levels-medicine has "vet" and "surgeon" among its triggers
    expect(shown('vet salary')).toEqual({ kind: 'career', careerId: 'vet', aspect: 'pay' });
    expect(shown('tree surgeon pay')).toEqual({ kind: 'career', careerId: 'tree-surgeon', aspect: 'pay' });
    expect(shown('how do i become a vet')).toEqual({ kind: 'career', careerId: 'vet', aspect: 'routes' });
  });

  it('answers a pupil who says they want to be a job and asks nothing else from the profile', () => {
    expect(shown("I'm in care and I want to be a social worker")).toEqual({ kind: 'career', careerId: 'social-worker', aspect: 'routes' });
    expect(shown('i want to be an electrician but im rubbish at maths')).toEqual({ kind: 'career', careerId: 'electrician', aspect: 'routes' });
    expect(shown('i want to be a nurse, how do i write a personal statement')).toMatchObject({ kind: 'guidance', answerId: 'higher-education.personal-statement' });
  });

  it('reads interests and the explorer, unless a guidance answer that does not give way fits', () => {
    expect(shown('what jobs can i do if i like art')).toEqual({ kind: 'interest', interests: ['art'] });
    expect(shown('no idea what job')).toEqual({ kind: 'explore' });
    expect(shown('not sure what i want to do after school')).toMatchObject({ kind: 'guidance', topic: 'post16' });
  });

  it("reads a follow-up that names no job as about the job just talked about, unless it is the pupil's own question", () => {
    expect(shown('and the pay?', { career: 'doctor' })).toEqual({ kind: 'career', careerId: 'doctor', aspect: 'pay' });
    expect(shown('which gcses matter', { career: 'doctor' })).toEqual({ kind: 'career', careerId: 'doctor', aspect: 'subjects' });
    expect(shown('and the pay?')).toBeUndefined();
    expect(shown('how many hours can i work at 14', { career: 'doctor' })).toMatchObject({ kind: 'guidance', answerId: 'jobs.hours-under-16' });
    expect(shown('how much does a nurse earn', { career: 'doctor' })).toEqual({ kind: 'career', careerId: 'adult-nurse', aspect: 'pay' });
  });

  it('leaves commands to the dialogs, and counts only understood questions as asking something', () => {
    expect(read('menu')).toEqual({ kind: 'command', command: 'menu' });
    expect(reader.asksSomething(turn('how do i become a nurse'), 'how do i become a nurse')).toBe(true);
    expect(reader.asksSomething(turn('qwxz zzvb'), 'qwxz zzvb')).toBe(false);
    expect(reader.asksSomething(turn('ok'), 'ok')).toBe(false);
  });

  it('reads a message in well under a millisecond on average', () => {
    const texts = [
      'how do i become a nurse',
      'how much does an electrician earn',
      'how do I find apprenticeships in plumbing',
      'what jobs can i do if i like art',
      'whats a t level',
      'qwxz zzvb',
      'and the pay?',
    ];
    const start = process.hrtime.bigint();
    const rounds = 200;
    for (let round = 0; round < rounds; round += 1) for (const text of texts) read(`${text} ${round}`, { career: 'doctor' });
    const perMessageMs = Number(process.hrtime.bigint() - start) / 1e6 / (rounds * texts.length);
    expect(perMessageMs).toBeLessThan(0.5);
  });
});
