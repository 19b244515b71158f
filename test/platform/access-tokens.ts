import type { Request, Response } from 'express';
import { randomAlphanumeric } from './random-id';
import type { ToolRecord } from './tool-registry';

/** Moodle's service access tokens live one hour. */
const ACCESS_TOKEN_LIFETIME_SECONDS = 3600;

export interface AccessGrant {
  clientId: string;
  typeId: number;
  scopes: string[];
  expiresAt: number;
}

/** Opaque bearer tokens handed out by the token endpoint and checked by the service endpoints. */
export class AccessTokens {
  private readonly grants = new Map<string, AccessGrant>();

  issue(tool: ToolRecord, scopes: string[]): { accessToken: string; expiresIn: number } {
    const accessToken = randomAlphanumeric(32);
    this.grants.set(accessToken, {
      clientId: tool.clientId,
      typeId: tool.typeId,
      scopes,
      expiresAt: Date.now() + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
    });
    return { accessToken, expiresIn: ACCESS_TOKEN_LIFETIME_SECONDS };
  }

  /** Stops accepting every token handed out so far, as a platform does after its keys change or a restore. */
  revokeAll(): void {
    this.grants.clear();
  }

  /** Answers 401/403 itself and returns undefined unless the bearer token holds one of the accepted scopes. */
  authorize(req: Request, res: Response, acceptedScopes: readonly string[]): AccessGrant | undefined {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const grant = match?.[1] === undefined ? undefined : this.grants.get(match[1]);
    if (!grant || grant.expiresAt <= Date.now()) {
      res.status(401).set('WWW-Authenticate', 'Bearer error="invalid_token"').type('text/plain').send('Invalid or expired access token');
      return undefined;
    }
    if (!acceptedScopes.some((scope) => grant.scopes.includes(scope))) {
      res.status(403).set('WWW-Authenticate', 'Bearer error="insufficient_scope"').type('text/plain').send(`Access token lacks scope ${acceptedScopes.join(' or ')}`);
      return undefined;
    }
    return grant;
  }
}
