import { CareerAnswers } from '../../dialogs/careerAnswers';
import { CareerAspect } from '../../knowledge/careerTalkSchema';
import { SectorId, type CareerProfile } from '../../knowledge/careersSchema';
import { loadCareers, NCS_SOURCE, profileFacts } from '../../knowledge/loadCareers';
import { readabilityProblems, sentences, words } from '../../knowledge/readability';

const careers = loadCareers();
const answers = new CareerAnswers(careers);
const { profiles } = careers;
const isApprenticeship = (kind: string) => kind === 'apprenticeship' || kind === 'degree-apprenticeship';

/** Every piece of profile text a pupil reads, with where it sits. */
function texts(profile: CareerProfile): { where: string; text: string; kind: 'summary' | 'route' | 'other' }[] {
  return [
    { where: 'summary', text: profile.summary.text, kind: 'summary' },
    ...profile.routes.map((route, n) => ({ where: `routes[${n}]`, text: route.text, kind: 'route' as const })),
    ...(profile.noApprenticeship ? [{ where: 'noApprenticeship', text: profile.noApprenticeship.text, kind: 'other' as const }] : []),
    { where: 'subjects', text: profile.subjects.text, kind: 'other' },
    ...(profile.registration ? [{ where: 'registration', text: profile.registration.text, kind: 'other' as const }] : []),
    ...(profile.pay.note ? [{ where: 'pay.note', text: profile.pay.note, kind: 'other' as const }] : []),
    { where: 'hours', text: profile.hours.text, kind: 'other' },
  ];
}

/**
 * Long words a Year 7 reader meets anyway in careers talk, or that a job's own name brings
 * (its names and route names are allowed per profile below).
 */
const PLAIN_ENOUGH = new Set([
  'apprenticeship',
  'apprenticeships',
  'university',
  'universities',
  'qualification',
  'qualifications',
  'qualified',
  'veterinary',
  'experience',
  'organisations',
  'organisation',
  'information',
  'technology',
  'especially',
  'independently',
  'environmental',
  'communication',
  'communications',
  'accredited',
  'registered',
  'registration',
  'anaesthetists',
  'physiotherapy',
  'radiotherapy',
  'specialise',
  'specialist',
  'psychology',
  'psychological',
  'mathematics',
  'electricity',
  'electrical',
  'electronic',
  'engineering',
  'manufacturing',
  'accountancy',
  'criminology',
  'community',
  'activities',
  'particles',
  'ecology',
  'biology',
  'sociology',
  'geography',
  'photography',
  'literature',
  'industry',
  'materials',
  'equipment',
  'available',
  'machinery',
  'television',
  'authorised',
  'conservation',
  'rehabilitation',
  'certificate',
  'entrepreneurs',
  'diagnostic',
  'automatic',
  'laboratory',
  'decorative',
  'categories',
  'ordinary',
  'military',
  'variety',
  'commercial',
  'commission',
  'emergency',
  'identity',
  'insurance',
  'disabilities',
  'disability',
  'disabled',
  'apprentices',
  'political',
  'politics',
  'economics',
  'statistics',
  'infrastructure',
  'consultant',
  'consultants',
  'vocational',
  'behaviour',
  'solicitor',
  'solicitors',
  'supermarket',
  'supermarkets',
]);

describe('careers content: coverage', () => {
  it('has at least 200 careers', () => {
    expect(profiles.length).toBeGreaterThanOrEqual(200);
  });

  it('has several careers in every sector', () => {
    const thin = SectorId.options.filter((sector) => profiles.filter((profile) => profile.sector === sector).length < 5);
    expect(thin).toEqual([]);
  });

  it('puts every sector in at least one explorer family', () => {
    const inFamilies = new Set(careers.explorer.families.flatMap((family) => family.profiles.map((id) => careers.profile(id).sector)));
    expect(SectorId.options.filter((sector) => !inFamilies.has(sector))).toEqual([]);
  });
});

describe('careers content: sources', () => {
  it('gives every fact a source that resolves to a name and a checked date', () => {
    for (const profile of profiles) {
      for (const fact of profileFacts(profile)) {
        const source = careers.source(profile, fact.source);
        expect({ id: profile.id, where: fact.where, named: source.name.length > 0, dated: /^\d{4}-\d{2}-\d{2}$/.test(fact.checked) }).toEqual({
          id: profile.id,
          where: fact.where,
          named: true,
          dated: true,
        });
      }
    }
  });

  // Deliberately against the real date, as for the other content: stale careers facts must fail the build.
  it('has every fact checked within the last 12 months, and none in the future', () => {
    const today = new Date();
    const yearAgo = new Date(today);
    yearAgo.setFullYear(today.getFullYear() - 1);
    const dated = [
      ...profiles.flatMap((profile) => profileFacts(profile).map((fact) => ({ where: `${profile.id}.${fact.where}`, checked: fact.checked }))),
      ...Object.entries(careers.replies.levelNotes).map(([level, note]) => ({ where: `levelNotes.${level}`, checked: note.checked })),
    ];
    const wrong = dated.filter(({ checked }) => {
      const when = new Date(`${checked}T00:00:00Z`);
      return when < yearAgo || when > today;
    });
    expect(wrong).toEqual([]);
  });

  it('never marks a fact from the NCS page as verified: those pages were not re-read, so the bot words them with care', () => {
    const claimed = profiles.flatMap((profile) =>
      profileFacts(profile)
        .filter((fact) => fact.source === NCS_SOURCE && fact.verified)
        .map((fact) => `${profile.id}.${fact.where}`),
    );
    expect(claimed).toEqual([]);
  });

  it('never marks a fact verified from a third-party copy or report (a calculator site, a news report, a training provider)', () => {
    const claimed = profiles.flatMap((profile) =>
      profileFacts(profile)
        .filter((fact) => fact.verified && fact.source !== NCS_SOURCE && careers.source(profile, fact.source).thirdParty === true)
        .map((fact) => `${profile.id}.${fact.where}`),
    );
    expect(claimed).toEqual([]);
  });

  it('names an https address for every source a verified fact cites, so a reader can check it', () => {
    const unlinked = profiles.flatMap((profile) =>
      profileFacts(profile)
        .filter((fact) => fact.verified && !careers.source(profile, fact.source).url)
        .map((fact) => `${profile.id}.${fact.where}`),
    );
    expect(unlinked).toEqual([]);
  });

  it('links every profile to its NCS page', () => {
    for (const profile of profiles) expect(careers.ncsUrl(profile)).toMatch(/^https:\/\/nationalcareers\.service\.gov\.uk\/job-profiles\/[a-z0-9-]+$/);
  });
});

describe('careers content: impartial by construction', () => {
  it('includes the apprenticeship for every career an apprenticeship standard leads to, at its level', () => {
    const missing: string[] = [];
    for (const standard of careers.apprenticeshipStandards) {
      for (const id of standard.profiles) {
        const profile = careers.profile(id);
        const has = profile.routes.some((route) => isApprenticeship(route.kind) && route.levels?.includes(standard.level));
        if (!has) missing.push(`${id} lacks "${standard.name}" (level ${standard.level})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('either lists an apprenticeship route or says why there is none, never both', () => {
    const wrong = profiles.filter((profile) => profile.routes.some((route) => isApprenticeship(route.kind)) === Boolean(profile.noApprenticeship)).map((profile) => profile.id);
    expect(wrong).toEqual([]);
  });

  it('shows every route of a profile in its "how to become" answer', () => {
    for (const profile of profiles) {
      const text = answers.answerFor(profile, 'routes');
      const dropped = profile.routes.filter((route) => !text.includes(route.text)).map((route) => route.kind);
      expect({ id: profile.id, dropped }).toEqual({ id: profile.id, dropped: [] });
      if (profile.routes.some((route) => isApprenticeship(route.kind))) expect(text).toMatch(/apprenticeship/i);
    }
  });

  it('names only T Levels that exist', () => {
    const known = new Set(careers.tLevels);
    const unknown = profiles.flatMap((profile) => profile.routes.filter((route) => route.kind === 't-level' && !known.has(route.name ?? '')).map(() => profile.id));
    expect(unknown).toEqual([]);
  });
});

describe('careers content: length and readability', () => {
  const limits = { maxSentenceWords: 25, maxLongWordsPerSentence: 1 };
  const allowedFor = (profile: CareerProfile) =>
    new Set([
      ...PLAIN_ENOUGH,
      ...[profile.title, ...profile.names, ...profile.routes.map((route) => route.name ?? ''), profile.registration?.body ?? '']
        .flatMap((name) => name.toLowerCase().split(/[^a-z'-]+/))
        .flatMap((word) => [word, `${word}s`]),
    ]);

  it('keeps each summary to one or two short sentences, and each other text short', () => {
    const problems = profiles.flatMap((profile) =>
      texts(profile).flatMap(({ where, text, kind }) => {
        const size = kind === 'summary' ? { maxWords: 40, maxSentences: 2 } : kind === 'route' ? { maxWords: 50, maxSentences: 3 } : { maxWords: 40, maxSentences: 3 };
        return readabilityProblems(text, { ...limits, ...size }, allowedFor(profile)).map((problem) => `${profile.id}.${where}: ${problem}`);
      }),
    );
    expect(problems).toEqual([]);
  });

  it('reads easily on average: sentences of 15 words or fewer', () => {
    const all = profiles.flatMap((profile) => texts(profile).flatMap(({ text }) => sentences(text)));
    const average = all.reduce((sum, sentence) => sum + words(sentence).length, 0) / all.length;
    expect(average).toBeLessThanOrEqual(15);
  });

  it('keeps every rendered answer to a length that fits a chat window', () => {
    const long: string[] = [];
    for (const profile of profiles) {
      for (const aspect of CareerAspect.options) {
        const count = words(answers.answerFor(profile, aspect)).length;
        if (count > (aspect === 'routes' ? 190 : 110)) long.push(`${profile.id}/${aspect}: ${count} words`);
      }
    }
    expect(long).toEqual([]);
  });
});
