import { z } from 'zod';
import { CLAIM } from './lti-vocabulary';

// The claims of a validated id_token that Waymark relies on, checked at the edge.
const launchClaimsSchema = z.object({
  iss: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string()).min(1)]),
  sub: z.string().min(1),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  [CLAIM.messageType]: z.string(),
  [CLAIM.deploymentId]: z.string().min(1),
  [CLAIM.roles]: z.array(z.string()),
  [CLAIM.context]: z.object({ id: z.string().min(1), title: z.string().optional(), label: z.string().optional() }),
  [CLAIM.resourceLink]: z.object({ id: z.string(), title: z.string().optional() }).optional(),
  [CLAIM.roleScopeMentor]: z.array(z.string()).optional(),
  [CLAIM.nrps]: z.object({ context_memberships_url: z.string().url() }).optional(),
  [CLAIM.ags]: z.object({ lineitems: z.string().url().optional(), scope: z.array(z.string()).optional() }).optional(),
});

export interface LaunchClaims {
  issuer: string;
  clientId: string;
  userId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  messageType: string;
  deploymentId: string;
  roles: string[];
  contextId: string;
  contextTitle: string;
  contextLabel: string;
  mentorScope: string[];
  nrpsUrl: string | null;
  agsLineItemsUrl: string | null;
}

export type ClaimsResult = { ok: true; claims: LaunchClaims } | { ok: false; problem: string };

export function parseLaunchClaims(payload: unknown): ClaimsResult {
  const parsed = launchClaimsSchema.safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, problem: `${first?.path.join('.') ?? 'token'}: ${first?.message ?? 'invalid'}` };
  }
  const p = parsed.data;
  const aud = Array.isArray(p.aud) ? p.aud[0]! : p.aud;
  const context = p[CLAIM.context];
  return {
    ok: true,
    claims: {
      issuer: p.iss,
      clientId: aud,
      userId: p.sub,
      name: p.name ?? [p.given_name, p.family_name].filter(Boolean).join(' '),
      givenName: p.given_name ?? '',
      familyName: p.family_name ?? '',
      email: p.email ?? '',
      messageType: p[CLAIM.messageType],
      deploymentId: p[CLAIM.deploymentId],
      roles: p[CLAIM.roles],
      contextId: context.id,
      contextTitle: context.title ?? '',
      contextLabel: context.label ?? '',
      mentorScope: p[CLAIM.roleScopeMentor] ?? [],
      nrpsUrl: p[CLAIM.nrps]?.context_memberships_url ?? null,
      agsLineItemsUrl: p[CLAIM.ags]?.lineitems ?? null,
    },
  };
}

/** Reads a JWT's payload without checking its signature: only for tokens ltijs has verified, or to refuse early. */
export function decodeJwtPayload(jwt: string): unknown {
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}
