import path from 'node:path';
import { besidesYesNo, effectiveAge, readAgeAnswer, readProfileMentions, readYesNo } from '../../dialogs/pupilProfile';

describe('recognizer packages', () => {
  // Each full set of recognizer models costs ~150 MB of RSS: ours and botbuilder-dialogs' must be one copy.
  it.each([
    '@microsoft/recognizers-text-suite',
    '@microsoft/recognizers-text-number',
    '@microsoft/recognizers-text-number-with-unit',
    '@microsoft/recognizers-text-choice',
    '@microsoft/recognizers-text-date-time',
  ])('resolves %s to the same copy as botbuilder-dialogs', (name) => {
    const ours = require.resolve(name);
    const dialogs = require.resolve(name, { paths: [path.dirname(require.resolve('botbuilder-dialogs'))] });
    expect(dialogs).toBe(ours);
  });
});

describe('reading ages and year groups', () => {
  it.each([
    ["I'm 14", { age: 14 }],
    ['im 15 and want a job', { age: 15 }],
    ['i am 16 years old', { age: 16 }],
    ['13yo', { age: 13 }],
    ["I'm in year 9", { yearGroup: 9 }],
    ['yr 11 here', { yearGroup: 11 }],
    ['y10', { yearGroup: 10 }],
    ['can I work 12 hours a week', {}],
    ['I got a 4 in maths', {}],
    ['I have 3 brothers', {}],
    ['how many hours can i work in the holidays at 15', { age: 15 }],
    ['is it legal to have a paper round at 13?', { age: 13 }],
    ['can i start at 7am', {}],
    ['can i work at 12 at night', {}],
    ['finish at 12 30', {}],
    ['can i work till 8pm at 14', { age: 14 }],
  ])('%j → %j', (text, expected) => {
    expect(readProfileMentions(text)).toEqual(expected);
  });

  it.each([
    ['14', { age: 14 }],
    ['fourteen', { age: 14 }],
    ["I'm fifteen", { age: 15 }],
    ['year 8', { yearGroup: 8 }],
    ['dunno', {}],
    ['99', {}],
  ])('an answer to "how old are you": %j → %j', (text, expected) => {
    expect(readAgeAnswer(text)).toEqual(expected);
  });

  it('fits answers to the youngest age in a year group when no age is given', () => {
    expect(effectiveAge({ yearGroup: 9 })).toBe(13);
    expect(effectiveAge({ yearGroup: 9, age: 14 })).toBe(14);
    expect(effectiveAge({})).toBeUndefined();
  });

  it.each([
    ['yes', true],
    ['yeah', true],
    ['no', false],
    ['nope', false],
    ['maybe later', undefined],
  ])('reads yes/no in %j', (text, expected) => {
    expect(readYesNo(text)).toBe(expected);
  });
});

describe('the words of a reply besides its yes or no', () => {
  it.each([
    ['no, how do I become a nurse', 'how do I become a nurse'],
    ['yes and how much do nurses earn', 'and how much do nurses earn'],
    ['no thanks', 'thanks'],
    ['nah', ''],
    ['yes', ''],
    ['how do I become a nurse', ''],
  ])('%j → %j', (text, besides) => {
    expect(besidesYesNo(text)).toBe(besides);
  });
});
