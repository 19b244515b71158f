import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import type { ToolRecord, ToolRegistry } from './tool-registry';

export type AssertionCheck = { ok: true; tool: ToolRecord } | { ok: false; message: string };

/** Verifies a tool's private_key_jwt client assertion against the JWKS the tool registered. */
export class ClientAssertionVerifier {
  /** jti values already redeemed, so one assertion cannot buy two tokens. */
  private readonly seenJtis = new Set<string>();

  constructor(
    private readonly tools: ToolRegistry,
    private readonly acceptedAudiences: string[],
  ) {}

  async verify(assertion: string): Promise<AssertionCheck> {
    const clientId = unverifiedSubject(assertion);
    const tool = clientId === undefined ? undefined : this.tools.find(clientId);
    if (!tool) return { ok: false, message: 'client_assertion names no registered client' };

    const jwks = await fetchJwks(tool.jwksUrl);
    if (!jwks) return { ok: false, message: `could not fetch the tool's JWKS from ${tool.jwksUrl}` };
    try {
      const { payload } = await jwtVerify(assertion, createLocalJWKSet(jwks), {
        algorithms: ['RS256'],
        issuer: tool.clientId,
        subject: tool.clientId,
        audience: this.acceptedAudiences,
        requiredClaims: ['exp'],
      });
      if (payload.jti !== undefined) {
        if (this.seenJtis.has(payload.jti)) return { ok: false, message: 'client_assertion jti was already used' };
        this.seenJtis.add(payload.jti);
      }
      return { ok: true, tool };
    } catch (error) {
      return { ok: false, message: `client_assertion rejected: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}

function unverifiedSubject(assertion: string): string | undefined {
  try {
    const payload = decodeJwt(assertion);
    return payload.sub ?? payload.iss;
  } catch {
    return undefined;
  }
}

/** Fetched on every request so a tool that rotates its key is seen at once. */
async function fetchJwks(url: string): Promise<JSONWebKeySet | undefined> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) return undefined;
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'keys' in body && Array.isArray(body.keys)) return body as JSONWebKeySet;
    return undefined;
  } catch {
    return undefined;
  }
}
