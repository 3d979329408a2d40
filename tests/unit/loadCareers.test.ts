import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultCareersDir, loadCareers } from '../../knowledge/loadCareers';

/** The parts of the data files these tests change; the rest passes through untouched. */
type Fact = Record<string, unknown>;
interface ProfileData {
  id: string;
  sector: string;
  names: string[];
  summary: Fact;
  pay: Fact;
  routes: Fact[];
}
interface ProfilesData {
  profiles: ProfileData[];
}
interface SourcesData {
  apprenticeshipStandards: { profiles: string[] }[];
}
interface ExplorerData {
  families: { profiles: string[] }[];
}

/** A copy of the real careers folder, changed by `edit`, so each test breaks one thing. */
function withCopy<T>(file: string, edit: (data: T) => void): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'careers-'));
  cpSync(defaultCareersDir(), dir, { recursive: true });
  const target = path.join(dir, file);
  const data: T = JSON.parse(readFileSync(target, 'utf8'));
  edit(data);
  writeFileSync(target, JSON.stringify(data));
  return dir;
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function loadBroken<T = ProfilesData>(file: string, edit: (data: T) => void): () => unknown {
  const dir = withCopy(file, edit);
  dirs.push(dir);
  return () => loadCareers(dir);
}

describe('loadCareers()', () => {
  it('loads the real careers folder', () => {
    const careers = loadCareers();
    expect(careers.profiles.length).toBeGreaterThanOrEqual(200);
    expect(careers.profile('electrician').sector).toBe('construction');
  });

  it('names the file and field when a fact has no source', () => {
    const load = loadBroken('profiles/health.json', (data) => {
      delete data.profiles[0].pay.source;
    });
    expect(load).toThrow(/loadCareers\(\): knowledge\/careers\/profiles\/health\.json: profiles\[0\]\.pay\.source/);
  });

  it('refuses a source key that sources.json does not have', () => {
    const load = loadBroken('profiles/law.json', (data) => {
      data.profiles[1].summary.source = 'made-up';
    });
    expect(load).toThrow(/profiles\/law\.json: profiles\[1\]\.summary\.source "made-up" is not in sources\.json/);
  });

  it('refuses a profile with no routes', () => {
    const load = loadBroken('profiles/retail.json', (data) => {
      data.profiles[0].routes = [];
    });
    expect(load).toThrow(/profiles\/retail\.json: profiles\[0\]\.routes every profile needs at least one route in/);
  });

  it('refuses an apprenticeship route without its level', () => {
    const load = loadBroken('profiles/construction.json', (data) => {
      delete data.profiles[0].routes[0].levels;
    });
    expect(load).toThrow(/profiles\/construction\.json: profiles\[0\]\.routes\[0\]\.levels an apprenticeship route needs its level/);
  });

  it('refuses a T Level that does not exist', () => {
    const load = loadBroken('profiles/construction.json', (data) => {
      const tLevel = data.profiles[0].routes.find((route) => route.kind === 't-level');
      if (tLevel) tLevel.name = 'Electrical Wizardry';
    });
    expect(load).toThrow(/"Electrical Wizardry" is not a T Level in sources\.json/);
  });

  it('refuses a sector that is not in the list', () => {
    const load = loadBroken('profiles/sport.json', (data) => {
      data.profiles[0].sector = 'space';
    });
    expect(load).toThrow(/profiles\/sport\.json: profiles\[0\]\.sector/);
  });

  it('refuses a career id used twice, naming both files', () => {
    const load = loadBroken('profiles/retail.json', (data) => {
      data.profiles[0].id = 'electrician';
    });
    expect(load).toThrow(/profiles\/retail\.json: profiles\[0\]\.id "electrician" is already used in knowledge\/careers\/profiles\/construction\.json/);
  });

  it('refuses one name for two careers, which would make "sparky" ambiguous', () => {
    const load = loadBroken('profiles/retail.json', (data) => {
      data.profiles[0].names.push('sparky');
    });
    expect(load).toThrow(/profiles\[0\]\.names "sparky" also names "electrician"/);
  });

  it('refuses an apprenticeship standard or explorer family that names no career', () => {
    expect(
      loadBroken<SourcesData>('sources.json', (data) => {
        data.apprenticeshipStandards[0].profiles.push('astronaut-chef');
      }),
    ).toThrow(/sources\.json: apprenticeshipStandards\[0\]\.profiles names "astronaut-chef"/);
    expect(
      loadBroken<ExplorerData>('explorer.json', (data) => {
        data.families[2].profiles.push('astronaut-chef');
      }),
    ).toThrow(/explorer\.json: families\[2\]\.profiles names "astronaut-chef"/);
  });

  it('refuses a pay range whose low end is above its high end', () => {
    const load = loadBroken('profiles/transport.json', (data) => {
      data.profiles[0].pay.low = 90000;
      data.profiles[0].pay.high = 20000;
    });
    expect(load).toThrow(/profiles\/transport\.json: profiles\[0\]\.pay\.low must not be above high/);
  });
});
