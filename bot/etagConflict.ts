import { EtagConflictError } from './ports';

/**
 * True for a state write refused because another turn of the conversation wrote first: our
 * stores' EtagConflictError, or botbuilder's own storage message for it. The turn can be run again.
 */
export function isEtagConflict(error: unknown): boolean {
  return error instanceof EtagConflictError || (error instanceof Error && /due to eTag conflict/.test(error.message));
}
