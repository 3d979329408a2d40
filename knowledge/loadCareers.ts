import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ContentError, readJsonFile } from './readJsonFile';
import { CareersFile, SectorId, SourcesFile, type CareerProfile, type Source } from './careersSchema';
import { ExplorerFile, LanguageFile, RepliesFile, type Family, type Interest } from './careerTalkSchema';

const CALLER = 'loadCareers()';
/** The source key that means "this profile's own National Careers Service page". */
export const NCS_SOURCE = 'ncs';
export const NCS_PROFILE_BASE = 'https://nationalcareers.service.gov.uk/job-profiles/';

/** Where the careers folder is, whether running from source (ts-jest) or from dist/. */
export function defaultCareersDir(): string {
  const candidates = [path.join(__dirname, 'careers'), path.join(__dirname, '..', '..', 'knowledge', 'careers')];
  const found = candidates.find((dir) => existsSync(dir));
  if (!found) throw new ContentError(`${CALLER}: no careers folder at ${candidates.join(' or ')}`);
  return found;
}

/** The job profiles and what the bot needs to talk about them, validated and cross-checked. */
export class Careers {
  private readonly byId: Map<string, CareerProfile>;
  private readonly familyById: Map<string, Family>;

  constructor(
    readonly profiles: readonly CareerProfile[],
    readonly sources: Readonly<Record<string, Source>>,
    readonly tLevels: readonly string[],
    readonly apprenticeshipStandards: SourcesFile['apprenticeshipStandards'],
    readonly language: LanguageFile,
    readonly explorer: ExplorerFile,
    readonly replies: RepliesFile,
  ) {
    this.byId = new Map(profiles.map((profile) => [profile.id, profile]));
    this.familyById = new Map(explorer.families.map((family) => [family.id, family]));
  }

  profile(id: string): CareerProfile {
    const found = this.byId.get(id);
    if (!found) throw new ContentError(`Careers.profile(): no career with id "${id}"`);
    return found;
  }

  family(id: string): Family {
    const found = this.familyById.get(id);
    if (!found) throw new ContentError(`Careers.family(): no job family with id "${id}"`);
    return found;
  }

  interest(id: string): Interest {
    const found = this.explorer.interests.find((interest) => interest.id === id);
    if (!found) throw new ContentError(`Careers.interest(): no interest with id "${id}"`);
    return found;
  }

  ncsUrl(profile: CareerProfile): string {
    return `${NCS_PROFILE_BASE}${profile.ncs}`;
  }

  /** The name and address a fact's source key stands for. */
  source(profile: CareerProfile, key: string): Source {
    if (key === NCS_SOURCE) return { name: 'National Careers Service', url: this.ncsUrl(profile) };
    const found = this.sources[key];
    if (!found) throw new ContentError(`Careers.source(): no source "${key}"`);
    return found;
  }
}

/** Every fact of a profile with its place in the file, for cross-checks and content tests. */
export function profileFacts(profile: CareerProfile): { where: string; source: string; checked: string; verified: boolean }[] {
  const facts: { where: string; source: string; checked: string; verified: boolean }[] = [];
  const add = (where: string, fact: { source: string; checked: string; verified: boolean }) => facts.push({ where, source: fact.source, checked: fact.checked, verified: fact.verified });
  add('summary', profile.summary);
  profile.routes.forEach((route, n) => add(`routes[${n}]`, route));
  if (profile.noApprenticeship) add('noApprenticeship', profile.noApprenticeship);
  add('subjects', profile.subjects);
  if (profile.registration) add('registration', profile.registration);
  add('pay', profile.pay);
  add('hours', profile.hours);
  return facts;
}

/**
 * Loads knowledge/careers: sources.json (sources, T Levels, apprenticeship standards),
 * language.json, explorer.json, replies.json and every profiles/*.json, then checks them
 * against each other. A problem stops start-up with a message naming the file and the field.
 */
export function loadCareers(dir: string = defaultCareersDir()): Careers {
  const shown = (file: string) => path.join('knowledge', 'careers', path.relative(dir, file));
  const read = <T extends Parameters<typeof readJsonFile>[1]>(file: string, schema: T) => readJsonFile(file, schema, CALLER, shown(file));
  const sourcesFile = read(path.join(dir, 'sources.json'), SourcesFile);
  const language = read(path.join(dir, 'language.json'), LanguageFile);
  const explorer = read(path.join(dir, 'explorer.json'), ExplorerFile);
  const replies = read(path.join(dir, 'replies.json'), RepliesFile);

  const profilesDir = path.join(dir, 'profiles');
  const files = readdirSync(profilesDir)
    .filter((file) => file.endsWith('.json'))
    .sort();
  const profiles: CareerProfile[] = [];
  const fileOf = new Map<string, string>();
  const nameOwner = new Map<string, string>();
  const tLevels = new Set(sourcesFile.tLevels);
  for (const file of files) {
    const name = shown(path.join(profilesDir, file));
    const { profiles: inFile } = read(path.join(profilesDir, file), CareersFile);
    inFile.forEach((profile, n) => {
      const where = `${name}: profiles[${n}]`;
      const earlier = fileOf.get(profile.id);
      if (earlier) throw new ContentError(`${CALLER}: ${where}.id "${profile.id}" is already used in ${earlier}`);
      fileOf.set(profile.id, name);
      for (const fact of profileFacts(profile)) {
        if (fact.source !== NCS_SOURCE && !sourcesFile.sources[fact.source]) throw new ContentError(`${CALLER}: ${where}.${fact.where}.source "${fact.source}" is not in sources.json`);
      }
      profile.routes.forEach((route, r) => {
        if (route.kind === 't-level' && route.name && !tLevels.has(route.name)) throw new ContentError(`${CALLER}: ${where}.routes[${r}].name "${route.name}" is not a T Level in sources.json`);
      });
      for (const raw of profile.names) {
        const key = raw.toLowerCase();
        const owner = nameOwner.get(key);
        if (owner && owner !== profile.id) throw new ContentError(`${CALLER}: ${where}.names "${raw}" also names "${owner}"`);
        nameOwner.set(key, profile.id);
      }
      profiles.push(profile);
    });
  }
  for (const [level, note] of Object.entries(replies.levelNotes)) {
    if (!sourcesFile.sources[note.source]) throw new ContentError(`${CALLER}: knowledge/careers/replies.json: levelNotes.${level}.source "${note.source}" is not in sources.json`);
  }
  const ids = new Set(profiles.map((profile) => profile.id));
  sourcesFile.apprenticeshipStandards.forEach((standard, n) => {
    const missing = standard.profiles.find((id) => !ids.has(id));
    if (missing) throw new ContentError(`${CALLER}: knowledge/careers/sources.json: apprenticeshipStandards[${n}].profiles names "${missing}", which is not a career`);
  });
  const familyIds = new Set(explorer.families.map((family) => family.id));
  explorer.families.forEach((family, n) => {
    const missing = family.profiles.find((id) => !ids.has(id));
    if (missing) throw new ContentError(`${CALLER}: knowledge/careers/explorer.json: families[${n}].profiles names "${missing}", which is not a career`);
  });
  explorer.interests.forEach((interest, n) => {
    const missing = interest.families.find((id) => !familyIds.has(id));
    if (missing) throw new ContentError(`${CALLER}: knowledge/careers/explorer.json: interests[${n}].families names "${missing}", which is not a family`);
  });
  const interestIds = new Set(explorer.interests.map((interest) => interest.id));
  explorer.questions.forEach((question, q) =>
    question.options.forEach((option, o) => {
      const missing = option.interests.find((id) => !interestIds.has(id));
      if (missing) throw new ContentError(`${CALLER}: knowledge/careers/explorer.json: questions[${q}].options[${o}].interests names "${missing}", which is not an interest`);
    }),
  );
  // Sectors are listed in the schema so a typo fails there; keep the profiles in sector order.
  profiles.sort((a, b) => SectorId.options.indexOf(a.sector) - SectorId.options.indexOf(b.sector) || a.id.localeCompare(b.id));
  return new Careers(profiles, sourcesFile.sources, sourcesFile.tLevels, sourcesFile.apprenticeshipStandards, language, explorer, replies);
}
