import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { projectRoot } from '../paths';
import { ASSET_NAMES, webAssetsDir, type AssetName, type AssetManifest } from './assetManifest';

/**
 * Where each of the page's files comes from. Web Chat is Microsoft's own minimal bundle: of the
 * official full bundle, the minimal one and bundles made with esbuild from Web Chat's packages,
 * it is the fewest bytes, and everything this bot sends Web Chat (plain text and suggested
 * actions) works in it (README "The pupil's chat page").
 */
export function assetSources(root = projectRoot()): Record<AssetName, string> {
  return {
    'webchat.js': path.join(root, 'node_modules', 'botframework-webchat', 'dist', 'webchat-minimal.js'),
    'page.js': path.join(root, 'adapters', 'web', 'public', 'page.js'),
    'page.css': path.join(root, 'adapters', 'web', 'public', 'page.css'),
  };
}

/** Served as they are, unhashed: the bundle's first line points to its licence notices by this name. */
export function verbatimSources(root = projectRoot()): Record<string, string> {
  return { 'webchat-minimal.js.LICENSE.txt': path.join(root, 'node_modules', 'botframework-webchat', 'dist', 'webchat-minimal.js.LICENSE.txt') };
}

/** The name a file is served under: its content's hash in it, so it can be cached for good. */
function hashedName(name: AssetName, body: Buffer): string {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
  const extension = path.extname(name);
  return `${path.basename(name, extension)}.${hash}${extension}`;
}

function writeAtomically(file: string, body: Buffer | string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, body);
  renameSync(temporary, file);
}

/**
 * Compresses once, at build time: Brotli at its highest quality (seconds for Web Chat, too slow
 * to do per request) and gzip for clients without Brotli. A file whose hash has not changed is
 * left as it is, so a build with nothing new is quick. Files of earlier builds are removed.
 */
export function buildAssets(outDir = webAssetsDir(), sources = assetSources(), verbatim = verbatimSources()): AssetManifest {
  const assetsDir = path.join(outDir, 'assets');
  mkdirSync(assetsDir, { recursive: true });
  const manifest: AssetManifest = { assets: {} as Record<AssetName, string> };
  const keep = new Set<string>();
  for (const name of ASSET_NAMES) {
    const body = readFileSync(sources[name]);
    const file = hashedName(name, body);
    manifest.assets[name] = file;
    const variants = {
      [file]: () => body,
      [`${file}.br`]: () =>
        brotliCompressSync(body, {
          params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
        }),
      [`${file}.gz`]: () => gzipSync(body, { level: constants.Z_BEST_COMPRESSION }),
    };
    for (const [variant, make] of Object.entries(variants)) {
      keep.add(variant);
      const target = path.join(assetsDir, variant);
      if (!existsSync(target)) writeAtomically(target, make());
    }
  }
  for (const [file, source] of Object.entries(verbatim)) {
    keep.add(file);
    writeAtomically(path.join(assetsDir, file), readFileSync(source));
  }
  for (const file of readdirSync(assetsDir)) if (!keep.has(file)) rmSync(path.join(assetsDir, file), { force: true });
  writeAtomically(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

if (require.main === module) {
  const started = Date.now();
  const manifest = buildAssets();
  process.stdout.write(`web assets: ${Object.values(manifest.assets).join(', ')} (${Date.now() - started} ms)\n`);
}
