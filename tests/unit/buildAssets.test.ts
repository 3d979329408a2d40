import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { readAssetManifest } from '../../adapters/web/assetManifest';
import { buildAssets } from '../../adapters/web/buildAssets';

describe('building the chat page files', () => {
  let work: string;
  let sources: { 'webchat.js': string; 'page.js': string; 'page.css': string };
  let licence: string;

  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'web-assets-'));
    sources = { 'webchat.js': path.join(work, 'bundle.js'), 'page.js': path.join(work, 'page.js'), 'page.css': path.join(work, 'page.css') };
    writeFileSync(sources['webchat.js'], `window.WebChat = {}; // ${'a fairly repetitive bundle '.repeat(400)}`);
    writeFileSync(sources['page.js'], 'console.log("page");');
    writeFileSync(sources['page.css'], 'body { margin: 0; }');
    licence = path.join(work, 'LICENCE.txt');
    writeFileSync(licence, 'MIT');
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('names each file by its content hash and writes Brotli and gzip copies that decompress to it', () => {
    const out = path.join(work, 'out');
    const manifest = buildAssets(out, sources, { 'bundle.js.LICENSE.txt': licence });
    expect(readAssetManifest(out)).toEqual(manifest);
    for (const name of ['webchat.js', 'page.js', 'page.css'] as const) {
      const body = readFileSync(sources[name]);
      const served = manifest.assets[name];
      const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
      const extension = path.extname(name);
      expect(served).toBe(`${path.basename(name, extension)}.${hash}${extension}`);
      const file = path.join(out, 'assets', served);
      expect(readFileSync(file)).toEqual(body);
      expect(brotliDecompressSync(readFileSync(`${file}.br`))).toEqual(body);
      expect(gunzipSync(readFileSync(`${file}.gz`))).toEqual(body);
    }
    const bundle = path.join(out, 'assets', manifest.assets['webchat.js']);
    expect(statSync(`${bundle}.br`).size).toBeLessThan(statSync(bundle).size / 10);
    expect(readFileSync(path.join(out, 'assets', 'bundle.js.LICENSE.txt'), 'utf8')).toBe('MIT');
  });

  it('leaves unchanged files alone and replaces changed ones, removing the old copies', () => {
    const out = path.join(work, 'out');
    const first = buildAssets(out, sources, {});
    const bundleBr = path.join(out, 'assets', `${first.assets['webchat.js']}.br`);
    const written = statSync(bundleBr).mtimeMs;

    writeFileSync(sources['page.css'], 'body { margin: 0; color: #111; }');
    const second = buildAssets(out, sources, {});
    expect(second.assets['webchat.js']).toBe(first.assets['webchat.js']);
    expect(statSync(bundleBr).mtimeMs).toBe(written);
    expect(second.assets['page.css']).not.toBe(first.assets['page.css']);
    const files = readdirSync(path.join(out, 'assets'));
    expect(files.filter((file) => file.startsWith('page.') && file.includes('.css')).sort()).toEqual(
      [second.assets['page.css'], `${second.assets['page.css']}.br`, `${second.assets['page.css']}.gz`].sort(),
    );
  });
});
