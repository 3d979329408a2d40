import { CallerIdConstants, ConfigurationBotFrameworkAuthentication, StatusCodes, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { Config } from '../config/config';

type Credentials = Pick<Config, 'MicrosoftAppId' | 'MicrosoftAppPassword' | 'MicrosoftAppTenantId' | 'MicrosoftAppType' | 'BotOpenIdMetadata'>;

/**
 * The SDK's settings for one app registration. MicrosoftAppType picks the credential the SDK uses
 * for outbound calls: a client secret for SingleTenant (and the legacy MultiTenant), the Azure
 * managed identity for UserAssignedMSI (no password; DefaultAzureCredential finds it).
 */
export function authenticationOptions(config: Credentials): ConfigurationBotFrameworkAuthenticationOptions {
  if (!config.MicrosoftAppId) return {};
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.MicrosoftAppId,
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId,
    MicrosoftAppPassword: config.MicrosoftAppType === 'UserAssignedMSI' ? undefined : config.MicrosoftAppPassword,
  };
  if (!config.BotOpenIdMetadata) return options;
  // Setting any one endpoint makes the SDK take every endpoint from the options and leave the
  // rest undefined (BotFrameworkAuthenticationFactory.create), so the public cloud's values are
  // spelled out and only where channel signing keys come from is replaced.
  return {
    ...options,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: config.BotOpenIdMetadata,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
    ValidateAuthority: true,
  };
}

/** What jsonwebtoken throws for a token it refuses (its classes are not part of botbuilder's API). */
const REFUSED_TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * ConfigurationBotFrameworkAuthentication, except that every refused token is a 401. The SDK
 * lets jsonwebtoken's own errors through for a forged signature or an unsigned token ("alg":
 * "none"), and CloudAdapter answers those with 500 and the error text: the caller should learn
 * only that the token was refused, and monitoring should not count a forgery as a server fault.
 * Any other failure keeps the answer the SDK gives it.
 */
export class ChannelAuthentication extends ConfigurationBotFrameworkAuthentication {
  constructor(config: Credentials) {
    super(authenticationOptions(config));
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      if (!(error instanceof Error) || !REFUSED_TOKEN_ERRORS.has(error.name)) throw error;
      throw new AuthenticationError('Unauthorized. The channel token was not accepted.', StatusCodes.UNAUTHORIZED);
    }
  }
}
