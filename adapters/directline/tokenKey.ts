import { createHmac, randomBytes } from 'node:crypto';
import type { SharedSecretStore } from '../../bot/ports';

/**
 * The token signing key: TOKEN_SIGNING_KEY when set; else derived from DIRECTLINE_SECRET; else a
 * random key kept in the shared store, so instances on one Redis accept each other's tokens.
 */
export async function resolveTokenKey(
  options: { signingKey?: string; directLineSecret?: string },
  secrets: SharedSecretStore,
): Promise<Buffer> {
  if (options.signingKey) return Buffer.from(options.signingKey, 'utf8');
  if (options.directLineSecret) return createHmac('sha256', options.directLineSecret).update('directline-token-signing').digest();
  const stored = await secrets.getOrCreate('directline-token-key', randomBytes(32).toString('hex'));
  return Buffer.from(stored, 'hex');
}
