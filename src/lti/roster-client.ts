import { z } from 'zod';
import type { RosterEntry } from '../store/member-repository';
import { getAllPages, type ServiceRequestOptions } from './service-client';

const NRPS_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

const memberSchema = z.object({
  user_id: z.string().min(1),
  roles: z.array(z.string()).default([]),
  status: z.string().optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  email: z.string().optional(),
  lis_person_sourcedid: z.string().optional(),
});
const containerSchema = z.object({ members: z.array(z.unknown()) });

function readMembers(body: unknown): RosterEntry[] {
  const container = containerSchema.parse(body);
  const entries: RosterEntry[] = [];
  for (const raw of container.members) {
    const parsed = memberSchema.safeParse(raw);
    if (!parsed.success) continue; // one malformed member must not hide the rest of the roster
    const m = parsed.data;
    entries.push({
      userId: m.user_id,
      name: m.name ?? [m.given_name, m.family_name].filter(Boolean).join(' '),
      givenName: m.given_name ?? '',
      familyName: m.family_name ?? '',
      email: m.email ?? '',
      sourcedId: m.lis_person_sourcedid ?? '',
      roles: m.roles,
      status: m.status?.toLowerCase() === 'inactive' ? 'inactive' : 'active',
    });
  }
  return entries;
}

export async function fetchRoster(nrpsUrl: string, token: string, options: Partial<ServiceRequestOptions> = {}): Promise<RosterEntry[]> {
  return getAllPages(nrpsUrl, { accept: NRPS_MEDIA_TYPE, token, ...options }, readMembers);
}
