import { editDistance, TextFolder } from '../../dialogs/textFolder';

describe('TextFolder', () => {
  const folder = new TextFolder(['apprenticeship', 'interview', 'where can i work', 'rights at work'], { wat: 'what', lvls: 'levels' }, ['there', 'right']);

  it.each([
    ['APPRENTICESHIP!!', 'apprenticeship'],
    ['apprentiship', 'apprenticeship'],
    ['aprenticeship', 'apprenticeship'],
    ['intervew', 'interview'],
    ['wat lvls', 'what levels'],
    ['pleeeease', 'pleease'],
    ['interviewwww', 'interview'],
    ['there', 'there'],
    ['right now', 'right now'],
    ['wehre', 'where'],
  ])('folds %j to %j', (text, folded) => {
    expect(folder.fold(text)).toBe(folded);
  });

  it('measures transpositions as one edit', () => {
    expect(editDistance('wehre', 'where', 2)).toBe(1);
    expect(editDistance('abc', 'xyz', 1)).toBe(2);
  });
});
