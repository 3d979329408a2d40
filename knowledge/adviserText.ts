import { z } from 'zod';

/** The longest message, note or saved reply an adviser may write. */
export const ADVISER_TEXT_MAX = 2000;

/** The placeholders a saved reply may use, filled in for the pupil's school when it is inserted. */
export const PLACEHOLDERS = ['school', 'adviserHours'] as const;

// Markup of any kind (a tag), or a link that runs script: an adviser's text is shown as plain text
// everywhere, so neither has any use, and refusing them keeps a pasted script out of every store.
const TAG = /<\s*\/?\s*[a-z!][^>]*>/i;
const SCRIPT_URL = /\b(?:javascript|vbscript|livescript)\s*:|\bdata\s*:\s*text\/html/i;

/** Why a text is refused as an adviser's (markup or script in it), or undefined. */
export function scriptProblem(text: string): string | undefined {
  if (TAG.test(text)) return 'must not contain markup such as <tags>';
  if (SCRIPT_URL.test(text)) return 'must not contain script links';
  return undefined;
}

/** Placeholders in a text that are not among PLACEHOLDERS. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

/** An adviser's text (message, note, saved reply): trimmed, 1 to ADVISER_TEXT_MAX characters, no markup or script. */
export const AdviserText = z
  .string()
  .trim()
  .min(1, 'text is empty')
  .max(ADVISER_TEXT_MAX, `text is over ${ADVISER_TEXT_MAX} characters`)
  .superRefine((text, ctx) => {
    const problem = scriptProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: `text ${problem}` });
  });

/** What "/" then a name inserts: lower-case letters, digits and hyphens. */
export const SavedReplyName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'name must be 1 to 40 lower-case letters, digits or hyphens, starting with a letter or digit');

export const SavedReplyTitle = z
  .string()
  .trim()
  .min(1, 'title is empty')
  .max(80, 'title is over 80 characters')
  .superRefine((title, ctx) => {
    const problem = scriptProblem(title);
    if (problem) ctx.addIssue({ code: 'custom', message: `title ${problem}` });
  });

/** A saved reply's text: an adviser's text whose placeholders are all known. */
export const SavedReplyText = AdviserText.superRefine((text, ctx) => {
  const unknown = unknownPlaceholders(text);
  if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `text has an unknown placeholder {${unknown[0]}}: use ${PLACEHOLDERS.map((name) => `{${name}}`).join(' or ')}` });
});
