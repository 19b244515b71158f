import { decodeJwtPayload } from './launch-claims';

export interface LtikPayload {
  sessionId: string;
  issuedAt: number;
  user: string;
  platformUrl: string;
  clientId: string;
}

/** Reads the launch token ltijs has already verified for this request. */
export function readLtik(ltik: string): LtikPayload | null {
  const p = decodeJwtPayload(ltik) as Record<string, unknown> | null;
  if (!p || typeof p.s !== 'string' || typeof p.iat !== 'number') return null;
  return { sessionId: p.s, issuedAt: p.iat, user: String(p.user), platformUrl: String(p.platformUrl), clientId: String(p.clientId) };
}
