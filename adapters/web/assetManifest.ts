import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { projectRoot } from '../paths';

/** The page's own files, by the name the page's template uses for them. */
export const ASSET_NAMES = ['webchat.js', 'page.js', 'page.css'] as const;
export type AssetName = (typeof ASSET_NAMES)[number];

/** Each file's served name, with its content hash (written by `npm run build`). */
export const AssetManifest = z.object({
  assets: z.object({ 'webchat.js': z.string(), 'page.js': z.string(), 'page.css': z.string() }),
});
export type AssetManifest = z.infer<typeof AssetManifest>;

/** Where `npm run build` puts the page's files: dist/web, beside the compiled server. */
export function webAssetsDir(): string {
  return path.join(projectRoot(), 'dist', 'web');
}

/** The manifest of the last build, or undefined when the page has not been built. */
export function readAssetManifest(dir = webAssetsDir()): AssetManifest | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return undefined;
  return AssetManifest.parse(JSON.parse(readFileSync(file, 'utf8')));
}
