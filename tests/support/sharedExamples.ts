import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The shared triage examples: ../shared beside the project when it is there (the newest copy),
 * else the copy committed in tests/fixtures so a clean clone on its own still tests them.
 */
export function triageExamplesPath(): string {
  return sharedExample('triage-examples.json');
}

/** The shared pupil questions, found the same way. */
export function pupilQuestionsPath(): string {
  return sharedExample('pupil-questions.json');
}

function sharedExample(name: string): string {
  const shared = path.resolve(__dirname, '..', '..', '..', 'shared', 'examples', name);
  return existsSync(shared) ? shared : path.resolve(__dirname, '..', 'fixtures', name);
}
