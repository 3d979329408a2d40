import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export class ContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContentError';
  }
}

/**
 * Reads and validates one data file; the error names the caller, the file and the field:
 * `loadContent(): knowledge/content/jobs.json: answers[3].text is required`.
 */
export function readJsonFile<T extends z.ZodType>(file: string, schema: T, caller: string, name: string = file): z.infer<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContentError(`${caller}: ${name}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
  throw new ContentError(`${caller}: ${name}: ${where || 'file'} ${issue.message}`);
}
