import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { ConfigError, loadConfig } from '../../adapters/config/config';
import { authenticationOptions } from '../../adapters/teams/channelAuthentication';
import { readPackageSettings } from '../../adapters/teams/packageSettings';

const APP = { MicrosoftAppId: '7c1d8e2a-5b4f-4a39-9e61-2f0a8b3c4d5e', MicrosoftAppTenantId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' };

const errorOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  return '';
};

describe('Teams configuration', () => {
  it('is SingleTenant unless told otherwise, and then needs a password and a tenant', () => {
    expect(loadConfig({ ...APP, MicrosoftAppPassword: 'secret' }).MicrosoftAppType).toBe('SingleTenant');
    expect(errorOf({ MicrosoftAppId: APP.MicrosoftAppId, MicrosoftAppPassword: 'secret' })).toContain('MicrosoftAppTenantId is required when MicrosoftAppType is SingleTenant');
    expect(errorOf(APP)).toContain('MicrosoftAppPassword is required when MicrosoftAppId is set');
  });

  it('takes a user-assigned managed identity with a tenant and no password, as botbuilder requires', () => {
    expect(loadConfig({ ...APP, MicrosoftAppType: 'UserAssignedMSI' }).MicrosoftAppType).toBe('UserAssignedMSI');
    expect(errorOf({ MicrosoftAppId: APP.MicrosoftAppId, MicrosoftAppType: 'UserAssignedMSI' })).toContain('MicrosoftAppTenantId is required when MicrosoftAppType is UserAssignedMSI');
    const message = errorOf({ ...APP, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppPassword: 'leftover-secret' });
    expect(message).toContain('MicrosoftAppPassword must be empty when MicrosoftAppType is UserAssignedMSI');
    expect(message).not.toContain('leftover-secret');
  });

  it.each([
    ['https://login.example.com/.well-known/openid-configuration', true],
    ['http://127.0.0.1:4100/v1/.well-known/openidconfiguration', true],
    ['http://localhost:4100/meta', true],
    ['http://login.example.com/meta', false],
    ['not a url', false],
  ])('BotOpenIdMetadata %s accepted: %s', (url, ok) => {
    const message = errorOf({ ...APP, MicrosoftAppPassword: 'secret', BotOpenIdMetadata: url });
    if (ok) expect(message).toBe('');
    else expect(message).toMatch(/^Invalid configuration: BotOpenIdMetadata must be/);
  });

  it('hands botbuilder the public cloud settings in full when only the metadata URL is replaced', () => {
    const options = authenticationOptions({ ...APP, MicrosoftAppPassword: 'secret', MicrosoftAppType: 'SingleTenant', BotOpenIdMetadata: 'http://127.0.0.1:4100/meta' });
    expect(options).toMatchObject({
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:4100/meta',
      ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
      ToChannelFromBotOAuthScope: 'https://api.botframework.com',
      ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
      ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
      CallerId: 'urn:botframework:azure',
    });
    expect(authenticationOptions({ ...APP, MicrosoftAppPassword: 'secret', MicrosoftAppType: 'SingleTenant', BotOpenIdMetadata: undefined })).not.toHaveProperty('ToBotFromChannelOpenIdMetadataUrl');
    expect(
      authenticationOptions({ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: undefined, MicrosoftAppPassword: undefined, MicrosoftAppTenantId: undefined, BotOpenIdMetadata: undefined }),
    ).toEqual({});
  });

  it('starts from a copied .env.example, and packages once the two required values are filled in', () => {
    const example = parse(readFileSync(path.join(__dirname, '..', '..', '.env.example')));
    expect(() => loadConfig(example)).not.toThrow();
    const settings = readPackageSettings({ ...example, MicrosoftAppId: APP.MicrosoftAppId, PUBLIC_HOSTNAME: 'careers.example.sch.uk' }, '0.1.0');
    expect(settings).toMatchObject({ appId: APP.MicrosoftAppId, botId: APP.MicrosoftAppId, version: '0.1.0', privacyUrl: 'https://careers.example.sch.uk/' });
  });
});
