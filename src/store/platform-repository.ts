import { PlatformProfileModel } from './models/platform-profile-model';
import { queuedWrite } from './document-write-queue';
import type { PlatformProfile } from './types';

// Profiles change rarely (registration, deployments, retention, visa staff), and on FerretDB v1 two updates of one
// profile at once could lose one: every update of any profile waits for the one before it in this process.
const PROFILE_WRITES = 'platform-profiles';
const writeProfile = <T>(write: () => Promise<T>): Promise<T> => queuedWrite(PROFILE_WRITES, write);

type ProfileInput = Pick<PlatformProfile, 'platformId' | 'issuer' | 'clientId' | 'name' | 'registeredBy'> & {
  deploymentIds: string[];
};

function toProfile(d: Record<string, unknown>): PlatformProfile {
  return {
    platformId: String(d.platformId),
    issuer: String(d.issuer),
    clientId: String(d.clientId),
    name: String(d.name),
    deploymentIds: (d.deploymentIds as string[]) ?? [],
    registeredBy: d.registeredBy as PlatformProfile['registeredBy'],
    visaComplianceUserIds: (d.visaComplianceUserIds as string[]) ?? [],
    retentionYearsAfterLeaving: Number(d.retentionYearsAfterLeaving ?? 6),
  };
}

export async function savePlatformProfile(input: ProfileInput): Promise<PlatformProfile> {
  const doc = await writeProfile(() =>
    PlatformProfileModel.findOneAndUpdate(
      { issuer: input.issuer, clientId: input.clientId },
      {
        $set: { platformId: input.platformId, name: input.name, registeredBy: input.registeredBy },
        $addToSet: { deploymentIds: { $each: input.deploymentIds } },
      },
      { upsert: true, new: true },
    ).lean(),
  );
  return toProfile(doc as Record<string, unknown>);
}

export async function findPlatformProfile(platformId: string): Promise<PlatformProfile | null> {
  const doc = await PlatformProfileModel.findOne({ platformId }).lean();
  return doc ? toProfile(doc as Record<string, unknown>) : null;
}

export async function findPlatformProfileByIssuer(issuer: string, clientId: string): Promise<PlatformProfile | null> {
  const doc = await PlatformProfileModel.findOne({ issuer, clientId }).lean();
  return doc ? toProfile(doc as Record<string, unknown>) : null;
}

export async function listPlatformProfiles(): Promise<PlatformProfile[]> {
  const docs = await PlatformProfileModel.find({}).sort({ issuer: 1, clientId: 1 }).lean();
  return docs.map((d) => toProfile(d as Record<string, unknown>));
}

export async function deletePlatformProfile(issuer: string, clientId: string): Promise<boolean> {
  const res = await writeProfile(() => PlatformProfileModel.deleteOne({ issuer, clientId }));
  return res.deletedCount > 0;
}

export async function addDeployment(issuer: string, clientId: string, deploymentId: string): Promise<void> {
  await writeProfile(() => PlatformProfileModel.updateOne({ issuer, clientId }, { $addToSet: { deploymentIds: deploymentId } }));
}

/** Whether an administrator named this person (LTI user id) as the platform's visa-compliance staff. */
export async function isVisaComplianceStaff(platformId: string, userId: string): Promise<boolean> {
  return Boolean((await findPlatformProfile(platformId))?.visaComplianceUserIds.includes(userId));
}

/**
 * Names (or stops naming) a person as the site's visa-compliance staff: they see sponsored-visa flags and alerts in
 * the modules they open. Returns whether anything changed; false also for an unknown platform.
 */
export async function setVisaComplianceStaff(platformId: string, userId: string, named: boolean): Promise<boolean> {
  // Judged on a read: FerretDB counts an $addToSet of a value already there as a modification. The read is queued
  // with the write, so two administrators' changes at once are both kept and each is told the truth.
  return writeProfile(async () => {
    const profile = await findPlatformProfile(platformId);
    if (!profile || profile.visaComplianceUserIds.includes(userId) === named) return false;
    const change = named ? { $addToSet: { visaComplianceUserIds: userId } } : { $pull: { visaComplianceUserIds: userId } };
    await PlatformProfileModel.updateOne({ platformId }, change);
    return true;
  });
}

/** How many years the platform's data is kept after a student leaves; false for an unknown platform. */
export async function setRetentionYears(issuer: string, clientId: string, years: number): Promise<boolean> {
  const res = await writeProfile(() => PlatformProfileModel.updateOne({ issuer, clientId }, { $set: { retentionYearsAfterLeaving: years } }));
  return res.matchedCount > 0;
}
