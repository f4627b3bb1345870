/** The few types of oidc-provider (a test-only dev dependency, shipped without types) the SSO test uses. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface Grant {
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }
  interface Context {
    oidc: {
      provider: { Grant: new (init: { clientId: string; accountId: string }) => Grant };
      client?: { clientId: string };
      session?: { accountId: string };
    };
  }
  interface Configuration {
    clients: Array<Record<string, unknown>>;
    claims?: Record<string, string[]>;
    pkce?: { required: () => boolean };
    cookies?: { keys: string[] };
    findAccount: (
      ctx: Context,
      id: string,
    ) => { accountId: string; claims: () => Record<string, unknown> };
    loadExistingGrant?: (ctx: Context) => Promise<Grant>;
    features?: Record<string, { enabled: boolean }>;
  }
  export default class Provider {
    constructor(issuer: string, configuration: Configuration);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }
}
