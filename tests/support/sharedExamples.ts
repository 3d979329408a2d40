import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared triage examples: ../shared beside the project when it is there (the newest copy),
 * else the copy committed in tests/fixtures so a clean clone on its own still tests them.
 */
export function triageExamplesPath(): string {
  const shared = path.resolve(__dirname, '..', '..', '..', 'shared', 'examples', 'triage-examples.json');
  return existsSync(shared) ? shared : path.resolve(__dirname, '..', 'fixtures', 'triage-examples.json');
}
