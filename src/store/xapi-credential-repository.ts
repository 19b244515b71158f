import { Types } from 'mongoose';
import { XapiCredentialModel } from './models/xapi-credential-model';

export interface XapiCredential {
  keyId: string;
  scope: 'module' | 'platform';
  platformId: string;
  moduleId: string | null;
  label: string;
  createdByName: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

/** What authentication needs, and nothing a page should ever show. */
export interface StoredXapiSecret {
  credential: XapiCredential;
  secretHash: string;
  salt: string;
}

function toCredential(d: Record<string, unknown>): XapiCredential {
  return {
    keyId: String(d._id),
    scope: d.scope as XapiCredential['scope'],
    platformId: String(d.platformId),
    moduleId: d.moduleId ? String(d.moduleId) : null,
    label: String(d.label ?? ''),
    createdByName: String(d.createdByName ?? ''),
    createdAt: d.createdAt as Date,
    revokedAt: (d.revokedAt as Date | null) ?? null,
    lastUsedAt: (d.lastUsedAt as Date | null) ?? null,
  };
}

export async function saveXapiCredential(c: {
  keyId: string;
  scope: XapiCredential['scope'];
  platformId: string;
  moduleId: string | null;
  label: string;
  secretHash: string;
  salt: string;
  createdByUserId: string;
  createdByName: string;
  createdAt: Date;
}): Promise<XapiCredential> {
  const doc = await XapiCredentialModel.create({ ...c, _id: c.keyId, moduleId: c.moduleId ? new Types.ObjectId(c.moduleId) : null });
  return toCredential(doc.toObject() as Record<string, unknown>);
}

/** Looked up by its _id alone, the one filter FerretDB answers without scanning. */
export async function findXapiSecret(keyId: string): Promise<StoredXapiSecret | null> {
  const doc = await XapiCredentialModel.findById(keyId).lean();
  if (!doc) return null;
  return { credential: toCredential(doc as Record<string, unknown>), secretHash: String(doc.secretHash), salt: String(doc.salt) };
}

/** The module's own keys and the platform-wide keys of its platform, newest first. */
export async function listXapiCredentials(platformId: string, moduleId: string): Promise<XapiCredential[]> {
  const docs = await XapiCredentialModel.find({ platformId }).sort({ createdAt: -1 }).lean();
  return docs.map((d) => toCredential(d as Record<string, unknown>)).filter((c) => c.scope === 'platform' || c.moduleId === moduleId);
}

export async function revokeXapiCredential(keyId: string, by: string, at: Date): Promise<void> {
  await XapiCredentialModel.updateOne({ _id: keyId }, { $set: { revokedAt: at, revokedByUserId: by } });
}

export async function recordXapiCredentialUse(keyId: string, at: Date): Promise<void> {
  await XapiCredentialModel.updateOne({ _id: keyId }, { $set: { lastUsedAt: at } });
}
