/**
 * Bot Framework authentication for both directions: incoming JWTs (channel → bot) are validated
 * against the OpenID metadata of the Bot Connector, outgoing calls (bot → channel) carry an MSAL
 * client-credentials token. Defaults are the public Azure cloud; every endpoint can be overridden
 * (private clouds, tests against a fake on 127.0.0.1).
 */
import { readFileSync } from 'node:fs';
import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';
import {
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
} from 'botbuilder';
import { MsalServiceClientCredentialsFactory } from 'botframework-connector';
import type { BotFrameworkConfig } from '../../src/kernel/config/config.js';

/** The public Azure cloud (botframework-connector's AuthenticationConstants). */
export const PUBLIC_CLOUD = {
  loginBase: 'https://login.microsoftonline.com',
  multiTenantAuthority: 'https://login.microsoftonline.com/botframework.com',
  oauthScope: 'https://api.botframework.com',
  tokenIssuer: 'https://api.botframework.com',
  oauthUrl: 'https://api.botframework.com',
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  emulatorOpenIdMetadataUrl:
    'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  callerId: 'urn:botframework:azure',
} as const;

/** The token authority: an explicit login URL, the bot's tenant (SingleTenant) or botframework.com. */
export function loginAuthority(cfg: BotFrameworkConfig): string {
  if (cfg.loginUrl) return cfg.loginUrl.replace(/\/+$/, '');
  return cfg.tenantId
    ? `${PUBLIC_CLOUD.loginBase}/${cfg.tenantId}`
    : PUBLIC_CLOUD.multiTenantAuthority;
}

function msalClient(cfg: BotFrameworkConfig, authority: string): ConfidentialClientApplication {
  const custom = !authority.toLowerCase().startsWith(`${PUBLIC_CLOUD.loginBase}/`);
  const msal: Configuration = {
    auth: {
      clientId: cfg.appId!,
      clientSecret: cfg.appPassword ?? '',
      authority,
      // A private authority is trusted as configured: no instance discovery at login.microsoftonline.com.
      knownAuthorities: custom ? [new URL(authority).host] : undefined,
    },
    system: cfg.caFile
      ? { customAgentOptions: { ca: readFileSync(cfg.caFile, 'utf8') } }
      : undefined,
  };
  return new ConfidentialClientApplication(msal);
}

/**
 * Builds the authentication the CloudAdapter uses. Without an app id the bot runs unauthenticated
 * (Bot Framework Emulator only): no JWT check, no outgoing token.
 */
export function createBotAuthentication(
  cfg: BotFrameworkConfig,
): ConfigurationBotFrameworkAuthentication {
  const authority = loginAuthority(cfg);
  const credentials = cfg.appId
    ? new MsalServiceClientCredentialsFactory(
        cfg.appId,
        // Same class; the connector's typings point at msal-node's CommonJS declarations.
        msalClient(cfg, authority) as unknown as ConstructorParameters<
          typeof MsalServiceClientCredentialsFactory
        >[1],
      )
    : new ConfigurationServiceClientCredentialFactory({});
  return new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: cfg.appId,
      MicrosoftAppTenantId: cfg.tenantId,
      MicrosoftAppType: cfg.tenantId ? 'SingleTenant' : 'MultiTenant',
      ValidateAuthority: true,
      ToChannelFromBotLoginUrl: authority,
      ToChannelFromBotOAuthScope: cfg.oauthScope ?? PUBLIC_CLOUD.oauthScope,
      ToBotFromChannelTokenIssuer: cfg.tokenIssuer ?? PUBLIC_CLOUD.tokenIssuer,
      OAuthUrl: PUBLIC_CLOUD.oauthUrl,
      ToBotFromChannelOpenIdMetadataUrl: cfg.openIdMetadataUrl ?? PUBLIC_CLOUD.openIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: PUBLIC_CLOUD.emulatorOpenIdMetadataUrl,
      CallerId: PUBLIC_CLOUD.callerId,
    },
    credentials,
  );
}
