import type { Careers } from '../knowledge/loadCareers';
import type { ExplorerQuestion, Family, Interest } from '../knowledge/careerTalkSchema';

/** The families of interests a pupil named, in their order and explorer.json's, at most showFamilies.max. */
export function familiesOfInterests(careers: Careers, interests: readonly Interest[]): Family[] {
  const ids = [...new Set(interests.flatMap((interest) => interest.families))].slice(0, careers.explorer.showFamilies.max);
  return ids.map((id) => careers.family(id));
}

/** What a pupil has told the explorer so far: the interest ids their answers pointed to, in order. */
export interface ExplorerAnswers {
  interests: string[];
}

/**
 * The "I don't know what I want to do" explorer as pure functions over explorer.json: which
 * question comes next, what an answer (a button or free text) adds, and which three to five job
 * families fit. A dialog keeps the answers in its state and calls these.
 */
export class CareerExplorer {
  constructor(private readonly careers: Careers) {}

  get questions(): readonly ExplorerQuestion[] {
    return this.careers.explorer.questions;
  }

  /** The question after `answered` questions, or undefined when it is time to show families. */
  nextQuestion(answered: number): ExplorerQuestion | undefined {
    return this.questions[answered];
  }

  /** The interests a button label stands for, or none when the text is not one of the question's buttons. */
  interestsForOption(question: ExplorerQuestion, label: string): string[] {
    const wanted = label.trim().toLowerCase();
    return question.options.find((option) => option.label.toLowerCase() === wanted)?.interests ?? [];
  }

  /**
   * Families ranked by the interests: an interest gives its first family 3 points, its second 2
   * and the rest 1, so what a pupil says most and most specifically rises to the top. Ties keep
   * explorer.json's order, so the same answers always give the same families.
   */
  rankFamilies(answers: ExplorerAnswers): Family[] {
    const scores = new Map<string, number>();
    for (const id of answers.interests) {
      const interest = this.careers.interest(id);
      interest.families.forEach((family, n) => scores.set(family, (scores.get(family) ?? 0) + Math.max(3 - n, 1)));
    }
    return this.careers.explorer.families.filter((family) => (scores.get(family.id) ?? 0) > 0).sort((a, b) => (scores.get(b.id) ?? 0) - (scores.get(a.id) ?? 0));
  }

  /** Three to five families (explorer.json's showFamilies), topped up in file order when answers point to fewer. */
  familiesFor(answers: ExplorerAnswers): Family[] {
    const { min, max } = this.careers.explorer.showFamilies;
    const ranked = this.rankFamilies(answers).slice(0, max);
    for (const family of this.careers.explorer.families) {
      if (ranked.length >= min) break;
      if (!ranked.includes(family)) ranked.push(family);
    }
    return ranked;
  }
}
