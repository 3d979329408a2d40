import { createHmac, randomBytes } from 'node:crypto';
import type { SharedSecretStore } from '../../bot/ports';

/**
 * The token signing key: TOKEN_SIGNING_KEY when set; else derived from DIRECTLINE_SECRET; else a
 * random key kept in the shared store, so instances on one Redis accept each other's tokens.
 */
export async function resolveTokenKey(options: { signingKey?: string; directLineSecret?: string }, secrets: SharedSecretStore): Promise<Buffer> {
  return configuredKey(options) ?? Buffer.from(await secrets.getOrCreate('directline-token-key', randomBytes(32).toString('hex')), 'hex');
}

function configuredKey(options: { signingKey?: string; directLineSecret?: string }): Buffer | undefined {
  if (options.signingKey) return Buffer.from(options.signingKey, 'utf8');
  if (options.directLineSecret) return createHmac('sha256', options.directLineSecret).update('directline-token-signing').digest();
  return undefined;
}

/** What a TokenSigner signs with and accepts. */
export interface TokenKeySource {
  /** the key new tokens are signed with */
  signing(): Buffer;
  /** every key a token may have been signed with, the shared one first */
  accepted(): Buffer[];
}

const RETRY_EVERY_MS = 2000;

/**
 * The shared key, looked up in the store when the process starts without blocking it: if the
 * store is down, the lookup is retried in the background until it answers. Until then (and only
 * for conversations this process keeps for itself while the store is down) tokens are signed with
 * a key of this process alone, which it keeps accepting.
 */
export class TokenKeys implements TokenKeySource {
  private shared?: Buffer;
  private readonly local = randomBytes(32);
  private lookup?: Promise<boolean>;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly options: { signingKey?: string; directLineSecret?: string },
    private readonly secrets: SharedSecretStore,
    private readonly onFailure: (error: unknown) => void = () => undefined,
  ) {
    this.shared = configuredKey(options);
  }

  /** true once the shared key is known; tries the store once more (one lookup at a time) if not. */
  ensure(): Promise<boolean> {
    if (this.shared) return Promise.resolve(true);
    this.lookup ??= resolveTokenKey(this.options, this.secrets)
      .then((key) => {
        this.shared = key;
        this.stopRetrying();
        return true;
      })
      .catch((error: unknown) => {
        this.onFailure(error);
        return false;
      })
      .finally(() => (this.lookup = undefined));
    return this.lookup;
  }

  /** Looks the key up now and, while the store does not answer, every two seconds. */
  async start(): Promise<boolean> {
    if (await this.ensure()) return true;
    this.timer ??= setInterval(() => void this.ensure(), RETRY_EVERY_MS);
    this.timer.unref();
    return false;
  }

  stopRetrying(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  signing(): Buffer {
    return this.shared ?? this.local;
  }

  accepted(): Buffer[] {
    return this.shared ? [this.shared, this.local] : [this.local];
  }
}
