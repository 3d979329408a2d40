import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { config as readDotEnv } from 'dotenv';
import { ZipFile } from 'yazl';
import { projectRoot } from '../paths';
import { colorIcon, outlineIcon } from './icons';
import { buildManifest, COLOR_ICON_FILE, OUTLINE_ICON_FILE } from './manifest';
import { PackageSettingsError, readPackageSettings, type PackageSettings } from './packageSettings';

export const PACKAGE_FILE = path.join('dist', 'teams', 'careers-bot-teams.zip');
/** A fixed timestamp on every entry, so the same settings always give the same zip, byte for byte. */
const ENTRY_TIME = new Date('2026-01-01T00:00:00Z');

function zip(entries: [string, Buffer][]): Promise<Buffer> {
  const file = new ZipFile();
  for (const [name, data] of entries) file.addBuffer(data, name, { mtime: ENTRY_TIME, mode: 0o100644 });
  file.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    file.outputStream.on('data', (chunk: Buffer) => chunks.push(chunk));
    file.outputStream.on('error', reject);
    file.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The Teams app package: manifest.json and the two icons at the top level of the zip, as Teams requires. */
export async function buildTeamsPackage(settings: PackageSettings): Promise<Buffer> {
  const manifest = buildManifest(settings);
  return zip([
    ['manifest.json', Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`)],
    [COLOR_ICON_FILE, colorIcon(manifest.accentColor)],
    [OUTLINE_ICON_FILE, outlineIcon()],
  ]);
}

export function projectVersion(root = projectRoot()): string {
  const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  return version;
}

/** Reads the settings, builds the package and writes it; returns the file written. */
export async function writeTeamsPackage(env: Record<string, string | undefined>, outFile = path.join(projectRoot(), PACKAGE_FILE)): Promise<string> {
  const settings = readPackageSettings(env, projectVersion());
  const data = await buildTeamsPackage(settings);
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, data);
  return outFile;
}

async function main(): Promise<void> {
  readDotEnv({ quiet: true });
  const file = await writeTeamsPackage(process.env);
  process.stdout.write(`Teams app package written to ${path.relative(process.cwd(), file)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    // A settings problem is the operator's to fix, so one line naming the variable; anything else is a bug.
    process.stderr.write(error instanceof PackageSettingsError ? `${error.message}\n` : `teams:package failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
