import { generateKeyPairSync } from 'node:crypto';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import express from 'express';
import forge from 'node-forge';

/** Where botbuilder's SingleTenant credentials get an app token: Microsoft Entra ID (the public cloud). */
export const LOGIN_HOST = 'login.microsoftonline.com';

export interface TokenRequest {
  tenant: string;
  form: Record<string, string>;
}

/** A certificate for LOGIN_HOST, made now and trusted only by this test's own agent. */
function certificateFor(hostname: string): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 86_400_000);
  const name = [{ name: 'commonName', value: hostname }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 2, value: hostname }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { key, cert: forge.pki.certificateToPem(cert) };
}

/**
 * Sends https requests for LOGIN_HOST to the local stand-in instead, and refuses every other
 * https host, so nothing in the test can reach the internet.
 */
class LoginRedirectAgent extends https.Agent {
  constructor(
    private readonly port: number,
    private readonly ca: string,
  ) {
    super({ keepAlive: false });
  }

  override createConnection(options: https.RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const host = options.hostname ?? options.host;
    if (host !== LOGIN_HOST) throw new Error(`test network: no route to https://${String(host)}`);
    const socket = tls.connect({ host: '127.0.0.1', port: this.port, servername: LOGIN_HOST, ca: this.ca });
    if (callback) socket.once('secureConnect', () => callback(null, socket));
    return callback ? undefined : socket;
  }
}

/**
 * A stand-in for the Entra ID token endpoint (POST /{tenant}/oauth2/v2.0/token, client
 * credentials grant), reached over real TLS. botbuilder's SingleTenant credentials use MSAL,
 * which accepts only https authorities and checks any host other than Microsoft's own against
 * Microsoft's instance-discovery service on the internet; so the stand-in answers as
 * login.microsoftonline.com itself, through an https agent this test installs and removes.
 */
export class LoginStandIn {
  readonly requests: TokenRequest[] = [];
  private server?: https.Server;
  private previousAgent?: https.Agent;

  async start(): Promise<this> {
    const app = express();
    app.post('/:tenant/oauth2/v2.0/token', express.urlencoded({ extended: false }), (req, res) => {
      this.requests.push({ tenant: String(req.params.tenant), form: req.body as Record<string, string> });
      res.json({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: this.tokenFor(this.requests.length) });
    });
    const { key, cert } = certificateFor(LOGIN_HOST);
    this.server = https.createServer({ key, cert }, app);
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.previousAgent = https.globalAgent;
    https.globalAgent = new LoginRedirectAgent(port, cert);
    return this;
  }

  tokenFor(request: number): string {
    return `app-token-${request}`;
  }

  async close(): Promise<void> {
    if (this.previousAgent) https.globalAgent = this.previousAgent;
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
