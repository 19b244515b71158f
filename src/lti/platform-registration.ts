import type { LtiGateway } from './lti-gateway';
import { savePlatformProfile, deletePlatformProfile, listPlatformProfiles } from '../store/platform-repository';
import type { PlatformProfile } from '../store/types';
import { z } from 'zod';

export const platformValuesSchema = z.object({
  issuer: z.string().url('issuer must be the platform’s URL, e.g. https://moodle.example.ac.uk').transform((v) => v.replace(/\/+$/, '')),
  clientId: z.string().trim().min(1, 'client id is required (Moodle shows it as “Client ID” in the tool details)'),
  authUrl: z.string().url('auth URL must be absolute (Moodle: “Authentication request URL”)'),
  tokenUrl: z.string().url('token URL must be absolute (Moodle: “Access token URL”)'),
  keysetUrl: z.string().url('keyset URL must be absolute (Moodle: “Public keyset URL”)'),
  deploymentIds: z.array(z.string().trim().min(1)).min(1, 'at least one deployment id is required (Moodle: “Deployment ID”)'),
  name: z.string().trim().min(1).default('Moodle'),
  authorizationServer: z.string().url().optional(),
});
export type PlatformValues = z.input<typeof platformValuesSchema>;

/** Registers (or updates) a platform in ltijs and in our profile, active at once: the platform side has its own approval. */
export async function registerPlatform(gateway: LtiGateway, values: PlatformValues, via: PlatformProfile['registeredBy']): Promise<PlatformProfile> {
  const v = platformValuesSchema.parse(values);
  const { platformId } = await gateway.registerPlatform({
    url: v.issuer,
    name: v.name,
    clientId: v.clientId,
    authenticationEndpoint: v.authUrl,
    accesstokenEndpoint: v.tokenUrl,
    authorizationServer: v.authorizationServer,
    authConfig: { method: 'JWK_SET', key: v.keysetUrl },
  });
  await gateway.activatePlatform(platformId);
  return savePlatformProfile({ platformId, issuer: v.issuer, clientId: v.clientId, name: v.name, registeredBy: via, deploymentIds: v.deploymentIds });
}

export async function removePlatform(gateway: LtiGateway, issuer: string, clientId: string): Promise<boolean> {
  const removedFromLtijs = await gateway.deletePlatform(issuer, clientId);
  const removedProfile = await deletePlatformProfile(issuer, clientId);
  return removedFromLtijs || removedProfile;
}

export { listPlatformProfiles };
