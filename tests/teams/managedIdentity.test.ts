import express from 'express';
import { startInProcess, type InProcessServer } from '../support/inProcessServer';
import { ChannelIssuer } from './support/channelIssuer';
import { listen, type Listening } from './support/listen';
import { StandInConnector } from './support/standInConnector';
import { BOT_APP_ID, TENANT_ID, newPupil, postActivity, teamsMessage } from './support/teamsActivities';

interface IdentityRequest {
  query: Record<string, string>;
  secretHeader?: string;
}

const IDENTITY_SECRET = 'stand-in-identity-header';
const MSI_TOKEN = 'managed-identity-token';

/**
 * A stand-in for the App Service managed identity endpoint: Azure sets IDENTITY_ENDPOINT and
 * IDENTITY_HEADER in an App Service that has a managed identity, and the Azure SDK (through
 * botbuilder's UserAssignedMSI credentials) asks it for tokens over plain http on the machine.
 */
async function startIdentityEndpoint(): Promise<{ requests: IdentityRequest[]; server: Listening }> {
  const requests: IdentityRequest[] = [];
  const app = express();
  app.get('/msi/token', (req, res) => {
    requests.push({ query: req.query as Record<string, string>, secretHeader: req.header('x-identity-header') });
    res.json({ access_token: MSI_TOKEN, expires_on: String(Math.floor(Date.now() / 1000) + 3600), resource: String(req.query.resource), token_type: 'Bearer', client_id: String(req.query.client_id) });
  });
  return { requests, server: await listen(app) };
}

describe('Teams channel with a user-assigned managed identity (MicrosoftAppType=UserAssignedMSI)', () => {
  // The variables Azure's credential chain reads: only the App Service pair is set, so no other source is tried.
  const AZURE_VARIABLES = [
    'IDENTITY_ENDPOINT',
    'IDENTITY_HEADER',
    'IDENTITY_SERVER_THUMBPRINT',
    'IMDS_ENDPOINT',
    'MSI_ENDPOINT',
    'MSI_SECRET',
    'AZURE_CLIENT_ID',
    'AZURE_TENANT_ID',
    'AZURE_CLIENT_SECRET',
    'AZURE_CLIENT_CERTIFICATE_PATH',
    'AZURE_FEDERATED_TOKEN_FILE',
    'AZURE_TOKEN_CREDENTIALS',
  ];
  const saved = Object.fromEntries(AZURE_VARIABLES.map((name) => [name, process.env[name]]));
  let issuer: ChannelIssuer;
  let identity: Awaited<ReturnType<typeof startIdentityEndpoint>>;
  let connector: StandInConnector;
  let bot: InProcessServer;
  let quiet: jest.SpyInstance;

  beforeAll(async () => {
    quiet = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    issuer = await new ChannelIssuer().start();
    identity = await startIdentityEndpoint();
    connector = await new StandInConnector().start();
    for (const name of AZURE_VARIABLES) delete process.env[name];
    process.env.IDENTITY_ENDPOINT = `${identity.server.url}/msi/token`;
    process.env.IDENTITY_HEADER = IDENTITY_SECRET;
    bot = await startInProcess({ MicrosoftAppId: BOT_APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT_ID, BotOpenIdMetadata: issuer.metadataUrl });
  });
  afterAll(async () => {
    await bot?.close();
    await connector?.close();
    await identity?.server.close();
    await issuer?.close();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    quiet.mockRestore();
  });

  it('needs no password, accepts a valid channel token and replies with a token from the managed identity', async () => {
    const pupil = newPupil();
    const response = await postActivity(bot.url, teamsMessage(pupil, connector.url, 'apprenticeships'), issuer.sign({ aud: BOT_APP_ID, serviceurl: connector.url }));
    expect(response.status).toBe(200);
    expect(connector.calls.length).toBeGreaterThan(0);
    for (const call of connector.calls) expect(call.authorization).toBe(`Bearer ${MSI_TOKEN}`);
    expect(identity.requests.length).toBeGreaterThan(0);
    // The identity asked for is the bot's own (its client id), for the Bot Connector's audience.
    expect(identity.requests[0]).toMatchObject({ secretHeader: IDENTITY_SECRET, query: { client_id: BOT_APP_ID, resource: 'https://api.botframework.com' } });
  });

  it('still refuses an activity without a token (401)', async () => {
    const before = connector.calls.length;
    expect((await postActivity(bot.url, teamsMessage(newPupil(), connector.url, 'hello'))).status).toBe(401);
    expect(connector.calls.length).toBe(before);
  });
});
