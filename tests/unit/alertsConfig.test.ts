import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alertReceivers, consoleUrlFor } from '../../adapters/alerts/safeguardingAlertsRuntime';
import { renderAlert, signatureOf } from '../../adapters/alerts/alertFormats';
import { ConfigError, loadConfig } from '../../adapters/config/config';
import { SchoolDirectory } from '../../bot/schools/schoolDirectory';
import type { SafeguardingAlert } from '../../bot/ports';
import { loadCalendar } from '../../knowledge/loadCalendar';
import { loadSchools } from '../../knowledge/loadSchools';

const SECRET = 'sixteen-chars-at-least';

/** The one line start-up prints for a bad environment. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return '(accepted)';
}

describe('safeguarding alert settings', () => {
  it('gives the defaults: no alerts, escalation after 10 minutes, an empty value as unset', () => {
    expect(loadConfig({})).toMatchObject({ SAFEGUARDING_ESCALATE_AFTER_MINUTES: 10 });
    expect(loadConfig({}).SAFEGUARDING_WEBHOOK_URL).toBeUndefined();
    expect(loadConfig({ SAFEGUARDING_WEBHOOK_URL: '', SAFEGUARDING_WEBHOOK_SECRET: '', SAFEGUARDING_ESCALATE_AFTER_MINUTES: '' })).toMatchObject({ SAFEGUARDING_ESCALATE_AFTER_MINUTES: 10 });
  });

  it('takes an https URL anywhere and an http one on this machine only', () => {
    expect(loadConfig({ SAFEGUARDING_WEBHOOK_URL: 'https://alerts.example.org/hook', SAFEGUARDING_WEBHOOK_SECRET: SECRET }).SAFEGUARDING_WEBHOOK_URL).toBe('https://alerts.example.org/hook');
    expect(loadConfig({ SAFEGUARDING_WEBHOOK_URL: 'http://127.0.0.1:8080/hook', SAFEGUARDING_WEBHOOK_SECRET: SECRET }).SAFEGUARDING_WEBHOOK_URL).toBe('http://127.0.0.1:8080/hook');
    expect(loadConfig({ SAFEGUARDING_WEBHOOK_URL: 'http://localhost/hook', SAFEGUARDING_WEBHOOK_SECRET: SECRET }).SAFEGUARDING_WEBHOOK_URL).toBe('http://localhost/hook');
    expect(loadConfig({ SAFEGUARDING_ESCALATE_AFTER_MINUTES: '1' }).SAFEGUARDING_ESCALATE_AFTER_MINUTES).toBe(1);
  });

  it.each([
    [{ SAFEGUARDING_WEBHOOK_URL: 'http://alerts.example.org/hook', SAFEGUARDING_WEBHOOK_SECRET: SECRET }, 'SAFEGUARDING_WEBHOOK_URL must be an https:// URL'],
    [{ SAFEGUARDING_WEBHOOK_URL: 'alerts.example.org/hook', SAFEGUARDING_WEBHOOK_SECRET: SECRET }, 'SAFEGUARDING_WEBHOOK_URL must be an https:// URL'],
    [{ SAFEGUARDING_WEBHOOK_URL: 'https://alerts.example.org/hook' }, 'SAFEGUARDING_WEBHOOK_SECRET is required when SAFEGUARDING_WEBHOOK_URL is set'],
    [{ SAFEGUARDING_WEBHOOK_URL: 'https://alerts.example.org/hook', SAFEGUARDING_WEBHOOK_SECRET: 'short-secret' }, 'SAFEGUARDING_WEBHOOK_SECRET must be at least 16 characters'],
    [{ SAFEGUARDING_ESCALATE_AFTER_MINUTES: '0' }, 'SAFEGUARDING_ESCALATE_AFTER_MINUTES must be between 1 and 1440'],
    [{ SAFEGUARDING_ESCALATE_AFTER_MINUTES: 'ten' }, 'SAFEGUARDING_ESCALATE_AFTER_MINUTES must be a number'],
    [{ SAFEGUARDING_ESCALATE_AFTER_MINUTES: '2.5' }, 'SAFEGUARDING_ESCALATE_AFTER_MINUTES must be a whole number of minutes'],
    [{ PUBLIC_HOSTNAME: 'https://careers.example.sch.uk/' }, 'PUBLIC_HOSTNAME must be a bare host name'],
  ])('refuses %j with one line naming the variable', (env, expected) => {
    const message = refusal(env);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('never echoes the secret in its error', () => {
    expect(refusal({ SAFEGUARDING_WEBHOOK_URL: 'https://a.example.org/', SAFEGUARDING_WEBHOOK_SECRET: 'tiny-secret-x' })).not.toContain('tiny-secret-x');
  });

  it('links alerts to the console on PUBLIC_HOSTNAME, or on localhost without it', () => {
    expect(consoleUrlFor({ PUBLIC_HOSTNAME: 'careers.example.sch.uk', PORT: 3978 }, 'a:1 b/c')).toBe('https://careers.example.sch.uk/adviser#conversation=a%3A1%20b%2Fc');
    expect(consoleUrlFor({ PUBLIC_HOSTNAME: undefined, PORT: 4000 }, 'x')).toBe('http://localhost:4000/adviser#conversation=x');
  });
});

describe('per-school receivers in SCHOOLS_FILE', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'alerts-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const schoolsFile = (schools: unknown[]) => {
    const file = path.join(dir, 'schools.json');
    writeFileSync(file, JSON.stringify({ schools }));
    return file;
  };
  const directory = (file: string) => new SchoolDirectory(loadSchools(file, loadCalendar()));

  it.each([
    [{ url: 'http://teams.example.org/hook', format: 'teams-workflow' }, 'schools[0].safeguardingAlerts.url must be an https:// URL'],
    [{ url: 'https://teams.example.org/hook', format: 'slack' }, 'schools[0].safeguardingAlerts.format'],
    [{ url: 'https://teams.example.org/hook', format: 'json', secret: 'no' }, 'schools[0].safeguardingAlerts'],
  ])('a bad receiver %j stops start-up naming the field', (receiver, expected) => {
    const file = schoolsFile([{ id: 'north-high', name: 'North High', safeguardingAlerts: receiver }]);
    expect(() => directory(file)).toThrow(expected);
  });

  it("sends each school's alerts to its own receiver, others to SAFEGUARDING_WEBHOOK_URL as json; none at all when neither is set", () => {
    const file = schoolsFile([
      { id: 'north-high', name: 'North High', safeguardingAlerts: { url: 'https://prod.example.logic.azure.com/workflows/x?sig=y', format: 'teams-workflow' } },
      { id: 'south-academy', name: 'South Academy' },
    ]);
    const schools = directory(file);
    const receivers = alertReceivers({ SAFEGUARDING_WEBHOOK_URL: 'https://alerts.example.org/', SAFEGUARDING_WEBHOOK_SECRET: SECRET }, schools);
    expect(receivers?.receiverFor('north-high')).toEqual({ url: 'https://prod.example.logic.azure.com/workflows/x?sig=y', format: 'teams-workflow' });
    expect(receivers?.receiverFor('south-academy')).toEqual({ url: 'https://alerts.example.org/', format: 'json' });
    expect(receivers?.receiverFor('(none)')).toEqual({ url: 'https://alerts.example.org/', format: 'json' });
    const onlyNorth = alertReceivers({ SAFEGUARDING_WEBHOOK_URL: undefined, SAFEGUARDING_WEBHOOK_SECRET: undefined }, schools);
    expect(onlyNorth?.receiverFor('south-academy')).toBeUndefined();
    expect(alertReceivers({ SAFEGUARDING_WEBHOOK_URL: undefined, SAFEGUARDING_WEBHOOK_SECRET: undefined }, directory(schoolsFile([{ id: 'a', name: 'A' }])))).toBeUndefined();
  });

  it('refuses a school json receiver without SAFEGUARDING_WEBHOOK_SECRET (its alerts would go unsigned)', () => {
    const schools = directory(schoolsFile([{ id: 'north-high', name: 'North High', safeguardingAlerts: { url: 'https://alerts.example.org/' } }]));
    expect(() => alertReceivers({ SAFEGUARDING_WEBHOOK_URL: undefined, SAFEGUARDING_WEBHOOK_SECRET: undefined }, schools)).toThrow(
      new ConfigError('Invalid configuration: SAFEGUARDING_WEBHOOK_SECRET is required: school north-high in SCHOOLS_FILE sends json alerts, which are signed with it'),
    );
  });
});

describe('alert bodies', () => {
  const alert: SafeguardingAlert = {
    type: 'safeguarding.escalation',
    alertId: '0123456789abcdef0123456789abcdef',
    conversationId: 'conv-1',
    school: 'north-high',
    flags: ['crisis', 'looked-after'],
    priority: 'urgent',
    queuedAt: '2026-12-26T23:30:00.000Z',
    outOfHours: true,
    consoleUrl: 'https://careers.example.sch.uk/adviser#conversation=conv-1',
    raisedAt: '2026-12-26T23:40:00.000Z',
    escalation: 1,
    waitedMinutes: 10,
  };

  it('signs the exact body: sha256= and the hex HMAC-SHA256 with the secret', () => {
    const body = renderAlert(alert, 'json', 'North High');
    expect(JSON.parse(body)).toEqual(alert);
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the well-known test vector
    expect(signatureOf('The quick brown fox jumps over the lazy dog', 'key')).toBe('sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
  });

  it('writes the Teams card with the wait, the flags and the times in England, and nothing else about the pupil', () => {
    const card = JSON.parse(renderAlert(alert, 'teams-workflow', 'North High')) as { attachments: { content: { body: { facts?: { title: string; value: string }[] }[] } }[] };
    const facts = Object.fromEntries(card.attachments[0].content.body.flatMap((element) => element.facts ?? []).map((fact) => [fact.title, fact.value]));
    expect(facts).toEqual({
      School: 'North High',
      Flags: 'crisis, looked-after',
      'Queued at': expect.stringMatching(/Sat,? 26 Dec 2026,? 23:30 GMT/),
      Waiting: '10 minutes, unclaimed',
      'Adviser hours': 'No: out of hours',
      'Alert id': alert.alertId,
    });
    const summer = JSON.parse(renderAlert({ ...alert, type: 'safeguarding.alert', queuedAt: '2026-08-13T07:05:00.000Z' }, 'teams-workflow', 'North High')) as typeof card;
    const summerFacts = Object.fromEntries(summer.attachments[0].content.body.flatMap((element) => element.facts ?? []).map((fact) => [fact.title, fact.value]));
    expect(summerFacts['Queued at']).toMatch(/13 Aug 2026,? 08:05 BST/);
    expect(summerFacts.Waiting).toBeUndefined();
  });
});
