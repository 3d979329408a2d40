import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../paths';

/** The console's pages' scripts: each a TypeScript entry bundled (with what it imports) into one browser script. */
export const CONSOLE_SCRIPTS = {
  'console.js': path.join('adapters', 'adviser', 'console', 'main.ts'),
  'insights.js': path.join('adapters', 'adviser', 'console', 'insights.ts'),
} as const;
export type ConsoleScript = keyof typeof CONSOLE_SCRIPTS;

/** Where `npm run build` writes them: dist/adviser, beside the compiled server. */
export function builtConsoleDir(root = projectRoot()): string {
  return path.join(root, 'dist', 'adviser');
}

/**
 * Bundles the console's modules with esbuild: the browser scripts, with the flag labels and API
 * types they share with the server compiled in. Nothing is fetched; esbuild's binary comes with
 * `npm ci`. Type checking is tsc's (`npm run typecheck`), as esbuild only strips the types.
 */
export async function bundleConsole(root = projectRoot(), minify = true): Promise<Record<ConsoleScript, Buffer>> {
  const { build } = await import('esbuild');
  const bundle = async (entry: string): Promise<Buffer> => {
    const result = await build({
      entryPoints: [path.join(root, entry)],
      bundle: true,
      write: false,
      format: 'iife',
      target: ['es2020'],
      platform: 'browser',
      minify,
      legalComments: 'none',
      logLevel: 'silent',
    });
    return Buffer.from(result.outputFiles[0].contents);
  };
  const [consoleScript, insightsScript] = await Promise.all([bundle(CONSOLE_SCRIPTS['console.js']), bundle(CONSOLE_SCRIPTS['insights.js'])]);
  return { 'console.js': consoleScript, 'insights.js': insightsScript };
}

/** The built scripts, as `npm run build` left them. */
export function readBuiltConsole(dir = builtConsoleDir()): Record<ConsoleScript, Buffer> {
  try {
    return { 'console.js': readFileSync(path.join(dir, 'console.js')), 'insights.js': readFileSync(path.join(dir, 'insights.js')) };
  } catch {
    throw new Error(`the adviser console is not built (no scripts in ${dir}): run npm run build`);
  }
}

if (require.main === module) {
  const started = Date.now();
  const dir = builtConsoleDir();
  mkdirSync(dir, { recursive: true });
  bundleConsole()
    .then((scripts) => {
      for (const [name, body] of Object.entries(scripts)) {
        const temporary = path.join(dir, `${name}.${process.pid}.tmp`);
        writeFileSync(temporary, body);
        renameSync(temporary, path.join(dir, name));
      }
      process.stdout.write(`adviser console: ${Object.keys(scripts).join(', ')} in ${path.relative(projectRoot(), dir)} (${Date.now() - started} ms)\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`adviser console build failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
