import { ServiceError } from '../lti/service-client';

export interface AccessTokenSource {
  /** `fresh` drops the token kept for these scopes and asks the platform for a new one. */
  accessToken(platformId: string, scopes: readonly string[], o?: { fresh?: boolean }): Promise<string>;
}

/**
 * Runs a platform's service calls with its access token. A 401 means the platform no longer accepts the token
 * kept for it (ltijs keeps one until its own expiry), so the calls run once more with a new one.
 */
export async function withServiceToken<T>(source: AccessTokenSource, platformId: string, scopes: readonly string[], call: (token: string) => Promise<T>): Promise<T> {
  try {
    return await call(await source.accessToken(platformId, scopes));
  } catch (err) {
    if (!(err instanceof ServiceError) || err.status !== 401) throw err;
    return call(await source.accessToken(platformId, scopes, { fresh: true }));
  }
}
