/**
 * The X API client (twitter-api-v2), built once per adapter with OAuth 1.0a user credentials.
 * TWITTER_API_BASE redirects every call (api.x.com / api.twitter.com) to another origin, e.g. a
 * proxy or the fake upstream tests serve on 127.0.0.1; OAuth signatures are computed on the
 * rewritten URL, so the receiving server can verify them.
 */
import { Agent as HttpAgent } from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import type { TwitterConfig } from '../../src/kernel/config/config.js';

const X_API_ORIGINS = ['https://api.x.com', 'https://api.twitter.com'];

/** Rewrites the X API origin of every request to `apiBase` (path prefix kept). */
export function apiBasePlugin(apiBase: string): ITwitterApiClientPlugin {
  const base = apiBase.replace(/\/+$/, '');
  return {
    onBeforeRequestConfig({ params }) {
      for (const origin of X_API_ORIGINS) {
        if (params.url.startsWith(`${origin}/`)) {
          params.url = base + params.url.slice(origin.length);
          return;
        }
      }
    },
  };
}

export function createTwitterClient(config: TwitterConfig): TwitterApi {
  const apiBase = config.apiBase;
  return new TwitterApi(
    {
      appKey: config.consumerKey,
      appSecret: config.consumerSecret,
      accessToken: config.accessToken,
      accessSecret: config.accessSecret,
    },
    {
      plugins: apiBase ? [apiBasePlugin(apiBase)] : [],
      // The library always calls https.request; a plain-HTTP base needs an http agent to be accepted.
      httpAgent: apiBase?.startsWith('http://') ? new HttpAgent({ keepAlive: true }) : undefined,
    },
  );
}

/** The account's own user id: OAuth 1.0a user access tokens start with it ("<id>-..."). */
export function ownUserIdFromToken(accessToken: string): string | undefined {
  return /^(\d+)-/.exec(accessToken)?.[1];
}
