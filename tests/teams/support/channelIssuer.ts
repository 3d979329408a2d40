import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { listen, type Listening } from './listen';
import express from 'express';

/** What the real Bot Connector puts in the token it sends with every activity. */
export const CHANNEL_ISSUER = 'https://api.botframework.com';

export interface ChannelClaims {
  aud?: string;
  iss?: string;
  serviceurl?: string;
  /** seconds from now */
  expiresIn?: number;
  notBefore?: number;
}

function rsaKey(): { privateKey: KeyObject; publicJwk: { n?: string; e?: string } } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicJwk: publicKey.export({ format: 'jwk' }) };
}

/**
 * A stand-in for the Bot Framework's token issuer: an OpenID metadata document and its JWKS,
 * served on this machine, with an RSA key made for this test run. The bot is pointed at it with
 * BotOpenIdMetadata, so it checks real signatures, issuers, audiences and lifetimes.
 */
export class ChannelIssuer {
  readonly kid = randomUUID();
  private readonly key = rsaKey();
  /** a key the metadata never publishes, for forged tokens */
  readonly strangerKey = rsaKey().privateKey;
  private server?: Listening;

  get metadataUrl(): string {
    return `${this.server?.url ?? ''}/v1/.well-known/openidconfiguration`;
  }

  async start(): Promise<this> {
    const app = express();
    app.get('/v1/.well-known/openidconfiguration', (_req, res) => {
      res.json({ issuer: CHANNEL_ISSUER, jwks_uri: `${this.server?.url ?? ''}/v1/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] });
    });
    app.get('/v1/keys', (_req, res) => {
      // Real Bot Framework keys carry the channels they may sign for ("endorsements").
      res.json({ keys: [{ kty: 'RSA', use: 'sig', kid: this.kid, n: this.key.publicJwk.n, e: this.key.publicJwk.e, endorsements: ['msteams'] }] });
    });
    this.server = await listen(app);
    return this;
  }

  close(): Promise<void> {
    return this.server?.close() ?? Promise.resolve();
  }

  /** A channel token as the Bot Connector would send it for this bot and service URL. */
  sign(claims: ChannelClaims, options: { key?: KeyObject; kid?: string } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: claims.iss ?? CHANNEL_ISSUER, aud: claims.aud, serviceurl: claims.serviceurl, nbf: now + (claims.notBefore ?? -60), exp: now + (claims.expiresIn ?? 3600), iat: now - 60 };
    return jwt.sign(payload, options.key ?? this.key.privateKey, { algorithm: 'RS256', keyid: options.kid ?? this.kid });
  }

  /** The same claims with "alg": "none" and no signature, naming our key id. */
  unsigned(claims: ChannelClaims): string {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return `${encode({ alg: 'none', typ: 'JWT', kid: this.kid })}.${encode({ iss: CHANNEL_ISSUER, aud: claims.aud, serviceurl: claims.serviceurl, nbf: now - 60, exp: now + 3600 })}.`;
  }
}
