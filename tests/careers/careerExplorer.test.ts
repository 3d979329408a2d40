import { CareerExplorer } from '../../dialogs/careerExplorer';
import { CareerMatcher } from '../../dialogs/careerMatcher';
import { loadCareers } from '../../knowledge/loadCareers';

const careers = loadCareers();
const explorer = new CareerExplorer(careers);
const matcher = new CareerMatcher(careers);
const { min, max } = careers.explorer.showFamilies;

describe('CareerExplorer', () => {
  it('asks a few questions, then is done', () => {
    expect(explorer.questions.length).toBeGreaterThanOrEqual(2);
    expect(explorer.nextQuestion(0)).toBe(explorer.questions[0]);
    expect(explorer.nextQuestion(explorer.questions.length)).toBeUndefined();
  });

  it('turns a button label into its interests, whatever its case', () => {
    const question = explorer.questions[0];
    const option = question.options[0];
    expect(explorer.interestsForOption(question, option.label.toUpperCase())).toEqual(option.interests);
    expect(explorer.interestsForOption(question, 'something else')).toEqual([]);
  });

  it('shows three to five families, the best fit first', () => {
    const families = explorer.familiesFor({ interests: ['animals', 'science', 'outdoors'] });
    expect(families.length).toBeGreaterThanOrEqual(min);
    expect(families.length).toBeLessThanOrEqual(max);
    expect(families[0].id).toBe('animals');
  });

  it('tops up to three families when the answers point to fewer', () => {
    const families = explorer.familiesFor({ interests: ['performing'] });
    expect(families.length).toBe(min);
    expect(families[0].id).toBe('performing-media');
  });

  it('still shows families when nothing was recognised', () => {
    expect(explorer.familiesFor({ interests: [] }).length).toBe(min);
  });

  it('gives the same families for the same answers', () => {
    const answers = { interests: ['maths', 'computers', 'business'] };
    expect(explorer.familiesFor(answers).map((family) => family.id)).toEqual(explorer.familiesFor(answers).map((family) => family.id));
  });

  it('works from free-text answers through the matcher', () => {
    const interests = ['i love drawing', 'im good at maths', 'somewhere outside'].flatMap((text) => matcher.interestsIn(text).map((interest) => interest.id));
    expect(interests).toEqual(['art', 'maths', 'outdoors']);
    expect(explorer.familiesFor({ interests }).length).toBeGreaterThanOrEqual(min);
  });

  it('reaches every interest from some button', () => {
    const fromButtons = new Set(explorer.questions.flatMap((question) => question.options.flatMap((option) => option.interests)));
    const unreachable = careers.explorer.interests.filter((interest) => !fromButtons.has(interest.id)).map((interest) => interest.id);
    // Interests only named in free text are fine; the main ones must have a button.
    for (const id of ['art', 'animals', 'helping-people', 'outdoors', 'computers', 'maths', 'sport', 'science']) expect(unreachable).not.toContain(id);
  });
});
