import { startInProcess, type InProcessServer } from '../../support/inProcessServer';
import { ChannelIssuer } from './channelIssuer';
import { LoginStandIn } from './loginStandIn';
import { StandInConnector } from './standInConnector';
import { BOT_APP_ID, BOT_PASSWORD, TENANT_ID, postActivity, teamsInstall, teamsMessage, type TeamsPupil } from './teamsActivities';

export interface TeamsBot {
  bot: InProcessServer;
  connector: StandInConnector;
  login: LoginStandIn;
  /** posts as Teams would: with a valid channel token for this bot and the connector's URL */
  say(pupil: TeamsPupil, text: string): Promise<Response>;
  install(pupil: TeamsPupil): Promise<Response>;
  close(): Promise<void>;
}

/** The whole app with a SingleTenant registration, its token checks and outbound calls all local. */
export async function startTeamsBot(env: Record<string, string> = {}): Promise<TeamsBot> {
  const issuer = await new ChannelIssuer().start();
  const login = await new LoginStandIn().start();
  const connector = await new StandInConnector().start();
  const bot = await startInProcess({ MicrosoftAppId: BOT_APP_ID, MicrosoftAppPassword: BOT_PASSWORD, MicrosoftAppTenantId: TENANT_ID, BotOpenIdMetadata: issuer.metadataUrl, ...env });
  const token = () => issuer.sign({ aud: BOT_APP_ID, serviceurl: connector.url });
  return {
    bot,
    connector,
    login,
    say: (pupil, text) => postActivity(bot.url, teamsMessage(pupil, connector.url, text), token()),
    install: (pupil) => postActivity(bot.url, teamsInstall(pupil, connector.url), token()),
    close: async () => {
      await bot.close();
      await connector.close();
      await login.close();
      await issuer.close();
    },
  };
}
