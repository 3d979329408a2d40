import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { PNG } from 'pngjs';
import { fromBuffer, type Entry, type ZipFile } from 'yauzl';
import { buildTeamsPackage, writeTeamsPackage } from '../../adapters/teams/packageApp';
import { MANIFEST_VERSION } from '../../adapters/teams/manifest';
import { PackageSettingsError, readPackageSettings } from '../../adapters/teams/packageSettings';

const APP_ID = '0b6a7a84-3c0e-4b1a-9d0e-5e2a7c1f4d21';
const ENV = { MicrosoftAppId: APP_ID, PUBLIC_HOSTNAME: 'careers.example.sch.uk' };

/**
 * The published Teams manifest schema, as the npm package @microsoft/app-manifest (pinned in
 * devDependencies) ships it: the same file Microsoft hosts under
 * developer.microsoft.com/json-schemas/teams/, so the check needs no network.
 */
function manifestSchema(): object {
  const root = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
  return JSON.parse(readFileSync(path.join(root, 'build', 'json-schemas', 'teams', `v${MANIFEST_VERSION}`, 'MicrosoftTeams.schema.json'), 'utf8')) as object;
}

function unzip(data: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    fromBuffer(data, { lazyEntries: true }, (error, zip?: ZipFile) => {
      if (error || !zip) return reject(error);
      const files = new Map<string, Buffer>();
      zip.on('entry', (entry: Entry) => {
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError || !stream) return reject(streamError);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            files.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(files));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

describe('npm run teams:package', () => {
  let files: Map<string, Buffer>;
  let manifest: { bots: { botId: string; scopes: string[] }[]; validDomains: string[]; manifestVersion: string; id: string; description: { short: string; full: string } };

  beforeAll(async () => {
    files = await unzip(await buildTeamsPackage(readPackageSettings(ENV, '1.2.3')));
    manifest = JSON.parse(files.get('manifest.json')?.toString('utf8') ?? '{}') as typeof manifest;
  });

  it('holds exactly manifest.json, color.png and outline.png at the top level', () => {
    expect([...files.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  const compileSchema = () => {
    // strict off: Microsoft's schema leaves "type" implied beside keywords such as
    // additionalProperties. That is valid JSON Schema, but ajv's strict mode refuses to compile it.
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    return ajv.compile(manifestSchema());
  };

  it(`has a manifest valid against the published v${MANIFEST_VERSION} schema`, () => {
    const validate = compileSchema();
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(manifest.manifestVersion).toBe(MANIFEST_VERSION);
  });

  it('checks for real: the same schema refuses a broken manifest', () => {
    const validate = compileSchema();
    expect(validate({ ...manifest, bots: [{ ...manifest.bots[0], botId: 'not-a-guid' }] })).toBe(false);
    expect(validate({ ...manifest, accentColor: 'blue' })).toBe(false);
    expect(validate({ ...manifest, unknownField: true })).toBe(false);
  });

  it('names the bot by MicrosoftAppId, in personal scope only, with the public host as its valid domain', () => {
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots).toHaveLength(1);
    expect(manifest.bots[0]).toMatchObject({ botId: APP_ID, scopes: ['personal'] });
    expect(manifest.validDomains).toEqual(['careers.example.sch.uk']);
  });

  it('describes itself to pupils in plain words (short sentences, no jargon)', () => {
    const sentences = manifest.description.full.split(/(?<=[.!?])\s+/);
    for (const sentence of sentences) expect(sentence.split(/\s+/).length).toBeLessThanOrEqual(25);
    expect(`${manifest.description.short} ${manifest.description.full}`).not.toMatch(/\b(bot framework|AI|LLM|NLP|manifest|tenant)\b/i);
  });

  it('has a 192×192 colour icon and a 32×32 outline icon that is white on transparent', () => {
    const color = PNG.sync.read(files.get('color.png') ?? Buffer.alloc(0));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = PNG.sync.read(files.get('outline.png') ?? Buffer.alloc(0));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    let opaque = 0;
    let clear = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a > 0) expect([r, g, b]).toEqual([255, 255, 255]);
      if (a === 255) opaque += 1;
      if (a === 0) clear += 1;
    }
    expect(opaque).toBeGreaterThan(100);
    expect(clear).toBeGreaterThan(300);
  });

  it('builds the same bytes from the same settings', async () => {
    const settings = readPackageSettings(ENV, '1.2.3');
    expect((await buildTeamsPackage(settings)).equals(await buildTeamsPackage(settings))).toBe(true);
  });

  it('writes dist/teams/careers-bot-teams.zip where asked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'teams-package-'));
    try {
      const file = await writeTeamsPackage(ENV, path.join(dir, 'dist', 'teams', 'careers-bot-teams.zip'));
      expect((await unzip(readFileSync(file))).has('manifest.json')).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ PUBLIC_HOSTNAME: 'careers.example.sch.uk' }, 'teams:package: MicrosoftAppId is not set'],
    [{ ...ENV, MicrosoftAppId: '' }, 'teams:package: MicrosoftAppId is not set'],
    [{ ...ENV, MicrosoftAppId: 'my-bot' }, 'teams:package: MicrosoftAppId must be a GUID'],
    [{ MicrosoftAppId: APP_ID }, 'teams:package: PUBLIC_HOSTNAME is not set'],
    [{ ...ENV, PUBLIC_HOSTNAME: 'https://careers.example.sch.uk/' }, 'teams:package: PUBLIC_HOSTNAME must be a bare host name'],
    [{ ...ENV, TEAMS_PRIVACY_URL: 'http://example.sch.uk/privacy' }, 'teams:package: TEAMS_PRIVACY_URL must be an https:// URL'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => readPackageSettings(env, '1.0.0')).toThrow(PackageSettingsError);
    expect(() => readPackageSettings(env, '1.0.0')).toThrow(message);
  });
});
