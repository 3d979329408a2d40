import { editDistance, soundKey, TextFolder } from '../../dialogs/textFolder';

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

  describe('words spelt as they sound', () => {
    const jobs = new TextFolder(['electrician', 'physio', 'engineer', 'musician', 'technician', 'scientist', 'career', 'carer', 'there'], {}, ['station']);

    it.each([
      ['electrishun', 'electrician'],
      ['fizio', 'physio'],
      ['injuneer', 'engineer'],
      ['musishun', 'musician'],
      ['tecnishun', 'technician'],
      ['sientist', 'scientist'],
    ])('folds %j to %j, too far off by letters but the same by sound', (text, folded) => {
      expect(jobs.fold(text)).toBe(folded);
    });

    it('gives the same key to spellings that sound the same, and different keys to different words', () => {
      expect(soundKey('electrishun')).toBe(soundKey('electrician'));
      expect(soundKey('resepshunist')).toBe(soundKey('receptionist'));
      expect(soundKey('plumber')).not.toBe(soundKey('painter'));
    });

    it('leaves a word alone when no known word sounds like it, or when it is a kept everyday word', () => {
      expect(jobs.fold('banana')).toBe('banana');
      expect(jobs.fold('station')).toBe('station');
    });

    it('never corrects by sound a word shorter than five letters, or one whose key is too short to tell words apart', () => {
      expect(new TextFolder(['physio'], {}).fold('fiz')).toBe('fiz');
      expect(soundKey('aaroe')).toBe(soundKey('oreo'));
      expect(soundKey('oreo').length).toBeLessThan(4);
      expect(new TextFolder(['oreo'], {}).fold('aaroe')).toBe('aaroe');
    });
  });
});
