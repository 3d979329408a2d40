import type { Careers } from '../knowledge/loadCareers';
import type { CareerProfile, CareerRoute } from '../knowledge/careersSchema';
import type { CareerAspect, ExplorerQuestion, Family, Interest } from '../knowledge/careerTalkSchema';
import { familiesOfInterests } from './careerExplorer';

type Values = Record<string, string>;

/** Fills {name} placeholders; an unknown name is a content bug, so it fails loudly. */
function fill(template: string, values: Values): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`careerAnswers: no value for {${name}} in "${template.slice(0, 40)}"`);
    return value;
  });
}

/** Blank lines left by an empty part (no registration, no links) close up to one. */
function tidy(text: string): string {
  return text
    .replace(/ {2,}/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function monthYear(isoDate: string): string {
  const [year, month] = isoDate.split('-');
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

function pounds(amount: number): string {
  return amount.toLocaleString('en-GB');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function articleFor(profile: Pick<CareerProfile, 'title' | 'article'>): string {
  return profile.article ?? (/^[aeiou]/i.test(profile.title) ? 'an' : 'a');
}

/** A list read aloud: "a, b or c". */
function either(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/**
 * The text of careers replies, from the profile data and the templates in
 * knowledge/careers/replies.json. Pure: the same profile and aspect always give the same text.
 */
export class CareerAnswers {
  constructor(private readonly careers: Careers) {}

  answerFor(profile: CareerProfile, aspect: CareerAspect): string {
    const { replies } = this.careers;
    return tidy(fill(replies.aspects[aspect], this.valuesFor(profile)));
  }

  /** "Jobs for people who like art": the families of the interests, a line each. */
  interestAnswer(interests: readonly Interest[]): string {
    const { replies } = this.careers;
    const families = familiesOfInterests(this.careers, interests);
    const lines = this.familyLines(families);
    const example = this.careers.profile(families[0].profiles[0]);
    const label = either(interests.map((interest) => interest.label));
    return tidy(fill(replies.interest, { label, families: lines.join('\n'), a: articleFor(example), example: example.title }));
  }

  /** The families the explorer's answers point to, a line each. */
  familiesAnswer(families: readonly Family[]): string {
    return tidy(fill(this.careers.replies.exploreResult, { families: this.familyLines(families).join('\n') }));
  }

  /** The label of the button that shows this part of a job. */
  aspectButton(aspect: CareerAspect): string {
    return this.careers.replies.aspectButtons[aspect];
  }

  familyAnswer(family: Family): string {
    const example = this.careers.profile(family.profiles[0]);
    return tidy(fill(this.careers.replies.family, { title: family.title, text: family.text, jobs: this.jobList(family, family.profiles.length), a: articleFor(example), example: example.title }));
  }

  /** The opening of the explorer: a kind word, then its first question. */
  exploreStart(question: ExplorerQuestion = this.careers.explorer.questions[0]): string {
    return tidy(fill(this.careers.replies.explore, { question: question.text }));
  }

  private familyLines(families: readonly Family[]): string[] {
    return families.map((family) => fill(this.careers.replies.familyLine, { title: family.title, jobs: this.jobList(family, 4) }));
  }

  private jobList(family: Family, count: number): string {
    return family.profiles
      .slice(0, count)
      .map((id) => this.careers.profile(id).title)
      .join(', ');
  }

  private valuesFor(profile: CareerProfile): Values {
    const { replies } = this.careers;
    const a = articleFor(profile);
    const ncsUrl = this.careers.ncsUrl(profile);
    const base = { title: profile.title, Title: capitalise(profile.title), a, ncsUrl };
    const registration = profile.registration ? fill(profile.registration.required ? replies.registrationRequired : replies.registrationOptional, { text: profile.registration.text }) : '';
    const links = profile.links.map((link) => `\n${link.name}: ${link.url}`).join('');
    return {
      ...base,
      summary: profile.summary.text,
      routes: profile.routes.map((route) => this.routeLine(route)).join('\n'),
      levelNotes: this.levelNotes(profile),
      noApprenticeship: profile.noApprenticeship ? fill(replies.noApprenticeship, { text: profile.noApprenticeship.text }) : '',
      registration,
      registrationAnswer: registration || fill(replies.registrationNone, base),
      subjects: this.subjects(profile),
      subjectsLine: this.subjectsLine(profile),
      pay: this.pay(profile),
      hours: profile.hours.text,
      readMore: fill(replies.readMore, { ncsUrl, links }),
    };
  }

  private routeLine(route: CareerRoute): string {
    const { replies } = this.careers;
    const template = replies.routeLines[route.kind];
    if (!template) throw new Error(`careerAnswers: replies.json has no routeLines.${route.kind}`);
    const levels = either((route.levels ?? []).map((level) => replies.levels[String(level)] ?? `level ${level}`));
    return fill(template, { name: route.name ?? '', levels, text: route.text });
  }

  private levelNotes(profile: CareerProfile): string {
    const levels = new Set(profile.routes.flatMap((route) => route.levels ?? []));
    return Object.entries(this.careers.replies.levelNotes)
      .filter(([level]) => levels.has(Number(level)))
      .map(([, note]) => note.text)
      .join('');
  }

  private subjects(profile: CareerProfile): string {
    const { replies } = this.careers;
    const { gcse, aLevel, text } = profile.subjects;
    return fill(aLevel.length > 0 ? replies.subjectsALevel : replies.subjectsNoALevel, { gcse: gcse.join(', '), aLevel: aLevel.join(', '), text });
  }

  private subjectsLine(profile: CareerProfile): string {
    const { replies } = this.careers;
    const { gcse, aLevel } = profile.subjects;
    return aLevel.length > 0 ? fill(replies.subjectsLineALevel, { aLevel: aLevel.join(', ') }) : fill(replies.subjectsLineGcse, { gcse: gcse.join(', ') });
  }

  private pay(profile: CareerProfile): string {
    const { replies } = this.careers;
    const { pay } = profile;
    const values = { title: profile.title, Title: capitalise(profile.title), a: articleFor(profile), ncsUrl: this.careers.ncsUrl(profile), note: pay.note ?? '' };
    if (pay.low === undefined || pay.high === undefined) return fill(replies.payNoRange, values);
    const amounts = { low: pounds(pay.low), high: pounds(pay.high) };
    const range = { ...values, range: fill(pay.low === pay.high ? replies.payExact : replies.payRange, amounts) };
    if (!pay.verified) return fill(replies.payUnverified, range);
    const source = this.careers.source(profile, pay.source);
    return fill(replies.payVerified, { ...range, source: source.name, checked: monthYear(pay.checked) });
  }
}
