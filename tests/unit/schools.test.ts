import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArguments } from '../../adapters/adviser/addAdviser';
import { SchoolScope } from '../../adapters/adviser/adviserSchools';
import { ConfigError, loadConfig } from '../../adapters/config/config';
import { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import { defaultCalendarFile, loadCalendar } from '../../knowledge/loadCalendar';
import { loadSchools } from '../../knowledge/loadSchools';
import { serverEntry } from '../support/serverProcess';

const fallback = loadCalendar();
const dir = mkdtempSync(path.join(tmpdir(), 'careersbot-schools-'));
const write = (name: string, body: unknown) => {
  const file = path.join(dir, name);
  writeFileSync(file, JSON.stringify(body));
  return file;
};

describe('SCHOOLS_FILE', () => {
  it('without a file: one school `default` on the given calendar, as before', () => {
    expect(loadSchools(undefined, fallback)).toEqual([{ id: 'default', name: 'Default school', calendar: fallback, teamsTenants: [] }]);
  });

  it('reads a calendar file relative to the schools file, an inline calendar, and an adviser hours override', () => {
    const calendarCopy = write('north-calendar.json', loadCalendar(defaultCalendarFile()));
    const file = write('schools.json', {
      schools: [
        { id: 'north', name: 'North', calendarFile: path.basename(calendarCopy) },
        { id: 'south', name: 'South', calendar: { ...fallback, terms: [{ start: '2026-09-02', end: '2026-12-17' }] }, adviserHours: { friday: { from: '10:00', to: '12:00' } } },
        { id: 'default', name: 'Everyone else', teamsTenants: ['AAAA-1'] },
      ],
    });
    const [north, south, other] = loadSchools(file, fallback);
    expect(north.calendar.terms).toEqual(fallback.terms);
    expect(south.calendar.terms).toEqual([{ start: '2026-09-02', end: '2026-12-17' }]);
    expect(south.calendar.adviserHours).toEqual({ friday: { from: '10:00', to: '12:00' } });
    expect(other.calendar).toBe(fallback);
    const directory = new SchoolDirectory(loadSchools(file, fallback));
    expect(directory.forTenant('aaaa-1')?.id).toBe('default');
    expect(directory.forTenant('someone-else')?.id).toBe('default');
    expect(directory.get('North')).toBeUndefined();
  });

  it.each([
    [{ schools: [] }, 'schools must list at least one school'],
    [{ schools: [{ id: 'North High', name: 'x' }] }, 'schools[0].id must be 1-40 lower-case letters'],
    [
      {
        schools: [
          { id: 'a', name: 'A' },
          { id: 'a', name: 'B' },
        ],
      },
      'schools[1].id is listed twice (a)',
    ],
    [
      {
        schools: [
          { id: 'a', name: 'A', teamsTenants: ['t1'] },
          { id: 'b', name: 'B', teamsTenants: ['T1'] },
        ],
      },
      'schools[1].teamsTenants[0] already belongs to a',
    ],
    [{ schools: [{ id: 'a', name: 'A', adviserHours: { monday: { from: '16:00', to: '09:00' } } }] }, 'schools[0].adviserHours.monday.to from must be before to'],
  ])('refuses %j naming the file and field', (body, expected) => {
    const file = write('bad.json', body);
    expect(() => loadSchools(file, fallback)).toThrow(`loadSchools(): ${file}: ${expected}`);
  });

  it('stops start-up with one line naming the file and field', () => {
    const file = write('bad-start.json', { schools: [{ id: 'ok', name: '' }] });
    const result = spawnSync(process.execPath, [serverEntry], { env: { PATH: process.env.PATH, SCHOOLS_FILE: file, PORT: '3998' }, cwd: tmpdir(), encoding: 'utf8', timeout: 15_000 });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(`Start-up failed: loadSchools(): ${file}: schools[0].name is required`);
  });
});

describe('advisers and their schools', () => {
  it('ADVISER_SCHOOLS: * by default, a list of ids, and a bad value refused naming the variable', () => {
    expect(loadConfig({}).ADVISER_SCHOOLS).toEqual(['*']);
    expect(loadConfig({ ADVISER_SCHOOLS: 'north, south' }).ADVISER_SCHOOLS).toEqual(['north', 'south']);
    expect(() => loadConfig({ ADVISER_SCHOOLS: 'North High' })).toThrow(ConfigError);
    expect(() => loadConfig({ ADVISER_SCHOOLS: 'North High' })).toThrow(/^Invalid configuration: ADVISER_SCHOOLS must be \* or school ids/);
  });

  it('a scope allows its schools only; * allows all; an item from before schools is the default school', () => {
    const north = new SchoolScope(['north']);
    expect([north.allows('north'), north.allows('south'), north.allows(undefined)]).toEqual([true, false, false]);
    expect(new SchoolScope(['*']).allows('anything')).toBe(true);
    expect(new SchoolScope(['default']).allows(undefined)).toBe(true);
    expect(north.allows('(none)')).toBe(true); // a crisis of no known school
  });

  it('npm run adviser:add takes --schools', () => {
    expect(parseArguments(['sam'])).toEqual({ username: 'sam', schools: undefined });
    expect(parseArguments(['Sam', '--schools', 'north,south'])).toEqual({ username: 'sam', schools: ['north', 'south'] });
    expect(parseArguments(['--schools=*', 'sam'])).toEqual({ username: 'sam', schools: ['*'] });
    expect(() => parseArguments(['sam', '--schools', 'North High'])).toThrow('--schools must be');
    expect(() => parseArguments([])).toThrow('usage');
  });
});
